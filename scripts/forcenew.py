#!/usr/bin/env python3
"""Derives which azurerm attributes force a resource to be replaced, from the provider's source.

    scripts/forcenew.py [--repo GIT_DIR] [--tag v4.55.0] [--all] > crates/providers/data/forcenew.tsv

Reads the Go source of hashicorp/terraform-provider-azurerm at TAG straight from a (bare) git
repository, finds every resource type and its schema, and prints one line per attribute path
that forces replacement:

    TYPE <TAB> PATH <TAB> CONDITION <TAB> SOURCE

PATH is the attribute path with nested blocks joined by dots (`identity.type`, `unique_key.paths`);
CONDITION is `always` for `ForceNew: true` in the schema, or what a `CustomizeDiff` checks
before it forces replacement (see CONDITIONS below), or `unknown` for a CustomizeDiff the
script found but cannot read; SOURCE is the file and line it was read from. Lines are sorted,
so the output is the same for the same tag.

Without `--all` only the resource types baas can write are listed: every `"azurerm_…"` string
in the providers crate and the examples (the test `forcenew_table_covers_every_emitted_type`
checks that nothing baas emits is missing).

What it reads (stdlib only, no Go toolchain): SDKv2 resources (`SupportedResources()` maps in
`registration.go`, the function each names, its `Schema:` map, nested `Elem:
&pluginsdk.Resource{Schema: …}` blocks, `resource.Schema["x"] = …` additions) and typed-SDK
resources (`ResourceType()` returning the type, `Arguments()` of the same receiver). A schema
value that is a function call (`commonschema.Location()`, a service's `helpers.…Schema()`) is
followed into that function, in the provider or in the vendored go-azure-helpers, through
`return &pluginsdk.Schema{…}` or a variable returned at the end.

Limits, honestly:
- It reads Go as text with a brace matcher, not a parser: a schema built in a way none of the
  shapes above covers (a loop, a map merged from several functions, a value chosen at run time)
  is missed, and the script prints every schema value it could not follow to standard error.
- Code behind `if features.FivePointOh() {…}` is skipped (5.0 behaviour is off in 4.x);
  other run-time switches are read as if both branches applied, so an attribute that is
  ForceNew in only one branch is listed.
- CustomizeDiff: `ForceNewIfChange("x", …)`, `ForceNewIf("x", …)` and `….ForceNew("x")` calls
  are found wherever they are in the resource's function (SDKv2) or its `CustomizeDiff()`
  method (typed). Their conditions are Go code; the ones baas can evaluate are written out by
  hand in CONDITIONS (each checked against the source: the script fails when the call it
  describes is gone), the rest are `unknown`, which `baas diff` reports as a possible
  replacement.
- A ForceNew attribute of a nested block is listed under the block's path; whether Terraform
  replaces on a change inside a block that is itself not ForceNew follows from the attribute.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

DEFAULT_REPO = "/work/.mirror/hashicorp+terraform-provider-azurerm/repo"
MODULE = "github.com/hashicorp/terraform-provider-azurerm/"
VENDORED = ("vendor/github.com/hashicorp/go-azure-helpers/",)

# CustomizeDiff conditions baas evaluates, keyed by (type, path). Each is a list of rules; the
# resource is replaced when any rule matches. A rule is `old=A|B;new=C|D` (either side may be
# left out: any value), `either=A` (old or new is A), compared without case, `removed` (a
# value or block present before and absent after) or `changed` (any change). `site` is a
# fragment of the call in the source: the script fails when it no longer finds it there.
CONDITIONS = {
    ("azurerm_servicebus_namespace", "sku"): {
        # servicebus_namespace_resource.go: "cannot migrate a namespace from or to Premium SKU"
        "site": 'diff.ForceNew("sku")',
        "rules": ["either=Premium"],
    },
    ("azurerm_servicebus_namespace", "customer_managed_key"): {
        # removing a customer-managed key (old non-empty, new empty)
        "site": 'diff.ForceNew("customer_managed_key")',
        "rules": ["removed"],
    },
    ("azurerm_storage_container", "storage_account_id"): {
        # 4.x: any change of an account ID on a container created with one (a Resource
        # Manager ID, as baas writes) recreates it; the schema's own ForceNew is 5.0's.
        "site": 'diff.ForceNew("storage_account_id")',
        "rules": ["changed"],
    },
    ("azurerm_cosmosdb_account", "backup.type"): {
        # "backup type can only change from Periodic to Continuous"
        "site": 'ForceNewIfChange("backup.0.type"',
        "rules": ["old=Continuous;new=Periodic"],
    },
    ("azurerm_cosmosdb_account", "analytical_storage_enabled"): {
        # "analytical_storage_enabled can not be changed after being set to true"
        "site": 'ForceNewIfChange("analytical_storage_enabled"',
        "rules": ["old=true;new=false"],
    },
    ("azurerm_cosmosdb_sql_container", "analytical_storage_ttl"): {
        # enabled (-1 or > 0) back to 0
        "site": 'ForceNewIfChange("analytical_storage_ttl"',
        "rules": ["new=0"],
    },
    ("azurerm_storage_account", "account_replication_type"): {
        # LRS/GRS/RA-GRS <-> ZRS/GZRS/RA-GZRS cannot be converted in place
        "site": 'ForceNewIfChange("account_replication_type"',
        "rules": [
            "old=LRS|GRS|RAGRS;new=ZRS|GZRS|RAGZRS",
            "old=ZRS|GZRS|RAGZRS;new=LRS|GRS|RAGRS",
        ],
    },
}


def git(repo, *args):
    return subprocess.run(
        ["git", "-C", repo, *args], check=True, capture_output=True
    ).stdout


def load_sources(repo, tag):
    """Every non-test Go file under internal/ and the vendored helpers: path -> text."""
    listing = git(repo, "ls-tree", "-r", tag).decode().splitlines()
    wanted = []
    for line in listing:
        meta, path = line.split("\t", 1)
        if not path.endswith(".go") or path.endswith("_test.go"):
            continue
        if path.startswith(("internal/", "helpers/")) or path.startswith(VENDORED):
            wanted.append((meta.split()[2], path))
    batch = subprocess.run(
        ["git", "-C", repo, "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha, _ in wanted).encode(),
        check=True,
        capture_output=True,
    ).stdout
    files, offset = {}, 0
    for _, path in wanted:
        header_end = batch.index(b"\n", offset)
        size = int(batch[offset:header_end].split()[2])
        start = header_end + 1
        files[path] = batch[start : start + size].decode("utf-8", "replace")
        offset = start + size + 1
    return files


# --- Go as text -------------------------------------------------------------------------


def skip_literal(text, i):
    """If text[i] opens a string, rune or comment, the index after it; else i."""
    c = text[i]
    if c == '"':
        i += 1
        while text[i] != '"':
            i += 2 if text[i] == "\\" else 1
        return i + 1
    if c == "`":
        return text.index("`", i + 1) + 1
    if c == "'":
        i += 1
        while text[i] != "'":
            i += 2 if text[i] == "\\" else 1
        return i + 1
    if text.startswith("//", i):
        end = text.find("\n", i)
        return len(text) if end < 0 else end
    if text.startswith("/*", i):
        return text.index("*/", i) + 2
    return i


OPEN, CLOSE = "([{", ")]}"


def matching(text, i):
    """The index of the bracket closing the one at text[i]."""
    depth = 0
    while i < len(text):
        j = skip_literal(text, i)
        if j != i:
            i = j
            continue
        c = text[i]
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise ValueError("unbalanced brackets")


def split_top(text):
    """Splits the inside of a composite literal at top-level commas."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        j = skip_literal(text, i)
        if j != i:
            i = j
            continue
        c = text[i]
        if c in OPEN:
            depth += 1
        elif c in CLOSE:
            depth -= 1
        elif c == "," and depth == 0:
            parts.append((start, text[start:i]))
            start = i + 1
        i += 1
    parts.append((start, text[start:]))
    return [(s, p) for s, p in parts if strip_comments(p).strip()]


def strip_comments(text):
    out, i = [], 0
    while i < len(text):
        j = skip_literal(text, i)
        if j != i:
            if text[i] in "\"`'":
                out.append(text[i:j])
            i = j
            continue
        out.append(text[i])
        i += 1
    return "".join(out)


def top_level_key(part):
    """`Key: value` or `"key": value` at depth 0: (key, offset of value) or None."""
    i = 0
    while i < len(part):
        j = skip_literal(part, i)
        if j != i:
            if part[i] == '"':
                rest = part[j:].lstrip()
                if rest.startswith(":"):
                    key = part[i + 1 : j - 1]
                    return key, j + (len(part[j:]) - len(rest)) + 1
                return None
            i = j
            continue
        if part[i].isspace():
            i += 1
            continue
        m = re.match(r"([A-Za-z_]\w*)\s*:(?!=)", part[i:])
        if m:
            return m.group(1), i + m.end()
        return None
    return None


def top_level_return(body):
    """The offset just after the last `return` at the top level of a function body."""
    found, i = None, 0
    while i < len(body):
        j = skip_literal(body, i)
        if j != i:
            i = j
            continue
        if body[i] in OPEN:
            i = matching(body, i) + 1
            continue
        m = re.match(r"\breturn\s+", body[i:])
        if m and (i == 0 or not (body[i - 1].isalnum() or body[i - 1] == "_")):
            found = i + m.end()
            i = found
            continue
        i += 1
    return found


def without_five_point_oh(text):
    """Drops `if features.FivePointOh() {…}` bodies and the `else` of `if !features.FivePointOh()`."""
    out, i = [], 0
    pattern = re.compile(r"if\s+(!?)features\.FivePointOh\(\)\s*\{")
    while True:
        m = pattern.search(text, i)
        if not m:
            out.append(text[i:])
            return "".join(out)
        brace = m.end() - 1
        close = matching(text, brace)
        if m.group(1) == "":
            out.append(text[i : m.start()])
            # keep the `else` branch, if any, as plain code
            rest = text[close + 1 :]
            em = re.match(r"\s*else\s*\{", rest)
            if em:
                eb = close + 1 + em.end() - 1
                ec = matching(text, eb)
                out.append(text[eb + 1 : ec])
                i = ec + 1
            else:
                i = close + 1
        else:
            out.append(text[i : close + 1])
            rest = text[close + 1 :]
            em = re.match(r"\s*else\s*\{", rest)
            if em:
                eb = close + 1 + em.end() - 1
                i = matching(text, eb) + 1
            else:
                i = close + 1


# --- the source index -------------------------------------------------------------------


class Source:
    def __init__(self, files):
        self.files = files
        self.funcs = {}  # (dir, name) -> (path, body start, body end)
        self.methods = {}  # (dir, receiver type, name) -> (path, body start, body end)
        self.imports = {}
        func = re.compile(
            # The receiver's name is optional: `(r T)`, `(T)`, `(r *T)`.
            r"^func\s+(?:\(\s*(?:\w+\s+)?\*?(\w+)\s*\)\s*)?(\w+)\s*\(", re.MULTILINE
        )
        for path, text in files.items():
            d = path.rsplit("/", 1)[0]
            for m in func.finditer(text):
                brace = self.body_brace(text, m.end() - 1)
                if brace is None:
                    continue
                entry = (path, brace, matching(text, brace))
                if m.group(1):
                    self.methods[(d, m.group(1), m.group(2))] = entry
                else:
                    self.funcs[(d, m.group(2))] = entry

    @staticmethod
    def body_brace(text, paren):
        """The `{` opening a function body, given the `(` of its parameters."""
        i = matching(text, paren) + 1
        while i < len(text):
            j = skip_literal(text, i)
            if j != i:
                i = j
                continue
            c = text[i]
            if c == "{":
                # `map[string]*X{` or `struct{` in a result type is not the body
                before = text[paren:i].rstrip()
                if before.endswith("interface") or before.endswith("struct"):
                    i = matching(text, i) + 1
                    continue
                return i
            if c == "(" or c == "[":
                i = matching(text, i) + 1
                continue
            if c == "\n" and text[paren:i].count("(") == 0:
                return None
            i += 1
        return None

    def imports_of(self, path):
        if path not in self.imports:
            text = self.files[path]
            found = {}
            for block in re.finditer(r"^import\s*\((.*?)^\)", text, re.S | re.M):
                for line in block.group(1).splitlines():
                    m = re.match(r'\s*(\w+)?\s*"([^"]+)"', line)
                    if m:
                        imp = m.group(2)
                        alias = m.group(1) or imp.rsplit("/", 1)[-1]
                        found[alias] = imp
            self.imports[path] = found
        return self.imports[path]

    def dir_of_import(self, imp):
        if imp.startswith(MODULE):
            return imp[len(MODULE) :]
        return "vendor/" + imp

    def resolve_call(self, path, name):
        """The function a call `name` or `pkg.name` in file `path` names."""
        d = path.rsplit("/", 1)[0]
        if "." in name:
            alias, fn = name.split(".", 1)
            imp = self.imports_of(path).get(alias)
            if imp is None:
                return None
            return self.funcs.get((self.dir_of_import(imp), fn))
        return self.funcs.get((d, name))


def line_of(text, offset):
    return text.count("\n", 0, offset) + 1


# --- schemas ------------------------------------------------------------------------------


class Reader:
    def __init__(self, source):
        self.source = source
        self.unresolved = []

    def body(self, entry):
        path, start, end = entry
        return path, without_five_point_oh(self.source.files[path][start + 1 : end]), start

    def schema_map(self, path, expr, scope, depth=0):
        """{key: (forcenew site or None, children)} of a `map[string]*Schema` expression."""
        expr = strip_comments(expr).strip()
        if depth > 8:
            return {}
        m = re.match(r"map\[string\]\*?\w+\.Schema\s*\{", expr)
        if m:
            inner = expr[m.end() : matching(expr, m.end() - 1)]
            return self.map_entries(path, inner, scope, depth)
        m = re.match(r"func\s*\(\)\s*map\[string\]\*?\w+\.Schema\s*\{", expr)
        if m:
            body = expr[m.end() : matching(expr, m.end() - 1)]
            return self.returned_map(path, body, depth)
        m = re.match(r"([\w.]+)\s*\(", expr)
        if m:
            entry = self.source.resolve_call(path, m.group(1))
            if entry is None:
                self.unresolved.append(f"{path}: schema map {m.group(1)}()")
                return {}
            fpath, body, _ = self.body(entry)
            return self.returned_map(fpath, body, depth + 1)
        m = re.match(r"(\w+)$", expr)
        if m and scope is not None:
            return self.variable_map(path, scope, m.group(1), depth)
        self.unresolved.append(f"{path}: schema map `{expr[:60]}`")
        return {}

    def returned_map(self, path, body, depth):
        at = top_level_return(body)
        if at is None:
            return {}
        rest = body[at:]
        if re.match(r"\w+\s*$", strip_comments(rest).strip()):
            return self.variable_map(path, body, rest.strip(), depth)
        return self.schema_map(path, rest, body, depth)

    def variable_map(self, path, scope, name, depth):
        m = re.search(rf"\b{name}\s*:?=\s*", scope)
        if not m:
            self.unresolved.append(f"{path}: variable {name}")
            return {}
        value = scope[m.end() :]
        found = self.schema_map(path, value[: self.expr_end(value)], scope, depth + 1)
        self.add_assignments(path, scope, rf"\b{name}", found, depth)
        return found

    def add_assignments(self, path, scope, target, found, depth):
        for a in re.finditer(rf'{target}\["(\w+)"\]\s*=\s*', scope):
            value = scope[a.end() :]
            found[a.group(1)] = self.schema_value(
                path, value[: self.expr_end(value)], scope, depth + 1
            )

    @staticmethod
    def expr_end(text):
        """The end of the expression at the start of text (a newline at depth 0)."""
        i = 0
        while i < len(text):
            j = skip_literal(text, i)
            if j != i:
                i = j
                continue
            c = text[i]
            if c in OPEN:
                i = matching(text, i) + 1
                continue
            if c in ",;" or c in CLOSE:
                return i
            if c == "\n" and text[:i].strip() and text[:i].rstrip()[-1] not in ".+-*/&|=:":
                return i
            i += 1
        return len(text)

    def map_entries(self, path, inner, scope, depth):
        found = {}
        for _, part in split_top(inner):
            kv = top_level_key(part)
            if kv is None:
                continue
            key, at = kv
            found[key] = self.schema_value(path, part[at:], scope, depth)
        return found

    def schema_value(self, path, expr, scope, depth):
        """(ForceNew site or None, children) of one `*Schema` expression."""
        raw = expr
        expr = strip_comments(expr).strip().lstrip("&").strip()
        if depth > 8:
            return (None, {})
        m = re.match(r"(?:\w+\.Schema)?\s*\{", expr)
        if m and expr.startswith(("{", "pluginsdk.Schema", "schema.Schema")):
            inner = expr[m.end() : matching(expr, m.end() - 1)]
            return self.schema_fields(path, inner, scope, depth)
        m = re.match(r"func\s*\(\)\s*\*\w+\.Schema\s*\{", expr)
        if m:
            body = expr[m.end() : matching(expr, m.end() - 1)]
            return self.returned_schema(path, body, depth)
        m = re.match(r"([\w.]+)\s*\(", expr)
        if m:
            entry = self.source.resolve_call(path, m.group(1))
            if entry is None:
                self.unresolved.append(f"{path}: schema {m.group(1)}()")
                return (None, {})
            fpath, body, _ = self.body(entry)
            return self.returned_schema(fpath, body, depth + 1)
        m = re.match(r"(\w+)$", expr)
        if m and scope is not None:
            v = re.search(rf"\b{m.group(1)}\s*:?=\s*", scope)
            if v:
                value = scope[v.end() :]
                return self.schema_value(path, value[: self.expr_end(value)], scope, depth + 1)
        self.unresolved.append(f"{path}: schema `{raw.strip()[:60]}`")
        return (None, {})

    def returned_schema(self, path, body, depth):
        at = top_level_return(body)
        if at is None:
            return (None, {})
        rest = body[at:]
        return self.schema_value(path, rest[: self.expr_end(rest)], body, depth)

    def schema_fields(self, path, inner, scope, depth):
        force_new, children = None, {}
        for _, part in split_top(inner):
            kv = top_level_key(part)
            if kv is None:
                continue
            key, at = kv
            value = strip_comments(part[at:]).strip()
            if key == "ForceNew" and value == "true":
                force_new = self.site(path, "ForceNew")
            elif key == "Elem":
                children = self.elem(path, value, scope, depth)
        return (force_new, children)

    def elem(self, path, expr, scope, depth):
        expr = expr.lstrip("&").strip()
        m = re.match(r"\w+\.Resource\s*\{", expr)
        if m:
            inner = expr[m.end() : matching(expr, m.end() - 1)]
            for _, part in split_top(inner):
                kv = top_level_key(part)
                if kv and kv[0] == "Schema":
                    return self.schema_map(path, part[kv[1] :], scope, depth + 1)
            return {}
        if re.match(r"\w+\.Schema\s*\{", expr):
            return {}  # a list or set of scalars
        m = re.match(r"([\w.]+)\s*\(", expr)
        if m:
            entry = self.source.resolve_call(path, m.group(1))
            if entry is None:
                self.unresolved.append(f"{path}: elem {m.group(1)}()")
                return {}
            fpath, body, _ = self.body(entry)
            at = top_level_return(body)
            if at is None:
                return {}
            rest = body[at:]
            return self.elem(fpath, rest[: self.expr_end(rest)], body, depth + 1)
        return {}

    def site(self, path, _what):
        return path


def flatten(found, prefix=""):
    for key, (force_new, children) in sorted(found.items()):
        full = f"{prefix}{key}"
        if force_new:
            yield full, force_new
        yield from flatten(children, full + ".")


def resources(source):
    """(type, path of the defining file, kind, schema entry, diff scope entry) per resource."""
    out = {}
    for path, text in source.files.items():
        if not path.startswith("internal/services/"):
            continue
        d = path.rsplit("/", 1)[0]
        if path.endswith("/registration.go"):
            for m in re.finditer(r"SupportedResources\(\)[^{]*\{", text):
                body = text[m.end() : matching(text, m.end() - 1)]
                for r in re.finditer(r'"(azurerm_\w+)"\s*:\s*(\w+)\(\)', body):
                    entry = source.funcs.get((d, r.group(2)))
                    if entry:
                        out[r.group(1)] = ("sdkv2", entry, entry)
        for m in re.finditer(
            r'func\s+\(\s*(?:\w+\s+)?\*?(\w+)\s*\)\s*ResourceType\(\)\s*string\s*\{\s*return\s+"(azurerm_\w+)"',
            text,
        ):
            args = source.methods.get((d, m.group(1), "Arguments"))
            diff = source.methods.get((d, m.group(1), "CustomizeDiff"))
            has_create = (d, m.group(1), "Create") in source.methods
            if args and has_create:
                out[m.group(2)] = ("typed", args, diff)
    return out


def force_new_sites(text):
    """Attribute paths a CustomizeDiff forces replacement of, with their offsets."""
    pattern = re.compile(
        r'(?:ForceNewIfChange|ForceNewIf)\(\s*"([\w.]+)"|\.ForceNew\(\s*"([\w.]+)"\s*\)'
    )
    for m in pattern.finditer(text):
        yield m.group(1) or m.group(2), m.start(), m.group(0)


def normalize(path):
    return ".".join(p for p in path.split(".") if not p.isdigit())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repo", default=DEFAULT_REPO)
    parser.add_argument("--tag", default="v4.55.0")
    parser.add_argument("--all", action="store_true", help="every resource type")
    args = parser.parse_args()

    root = Path(__file__).resolve().parent.parent
    wanted = set()
    if not args.all:
        for folder in ("crates/providers/src", "examples"):
            for f in sorted((root / folder).rglob("*")):
                if f.is_file():
                    text = f.read_text(errors="replace")
                    wanted.update(re.findall(r'"(azurerm_[a-z0-9_]+)"', text))

    source = Source(load_sources(args.repo, args.tag))
    found_resources = resources(source)
    reader = Reader(source)
    rows = set()
    used_conditions = set()
    for rtype, (kind, entry, diff_entry) in sorted(found_resources.items()):
        if wanted and rtype not in wanted:
            continue
        path, body, start = reader.body(entry)
        if kind == "sdkv2":
            schema = {}
            m = re.search(r"\bSchema:\s*", body)
            if m:
                value = body[m.end() :]
                schema = reader.schema_map(path, value[: reader.expr_end(value)], body)
            reader.add_assignments(path, body, r"\b\w+\.Schema", schema, 0)
        else:
            schema = reader.returned_map(path, body, 0)
        for attr, fpath in flatten(schema):
            rows.add((rtype, attr, "always", fpath))
        scopes = [entry] if kind == "sdkv2" else ([diff_entry] if diff_entry else [])
        for scope in scopes:
            spath, sbody, sstart = reader.body(scope)
            full = source.files[spath]
            for attr, offset, call in force_new_sites(sbody):
                attr = normalize(attr)
                line = line_of(full, sstart + 1 + offset)
                condition = CONDITIONS.get((rtype, attr))
                if condition:
                    if condition["site"] not in sbody:
                        sys.exit(f"error: {rtype} {attr}: `{condition['site']}` not found")
                    used_conditions.add((rtype, attr))
                    for rule in condition["rules"]:
                        rows.add((rtype, attr, rule, f"{spath}:{line}"))
                else:
                    rows.add((rtype, attr, "unknown", f"{spath}:{line}"))
    missing = sorted(wanted - set(found_resources))
    for rtype in missing:
        print(f"note: `{rtype}` is not a resource type at {args.tag}", file=sys.stderr)
    stale = sorted(
        k for k in CONDITIONS if (not wanted or k[0] in wanted) and k not in used_conditions
    )
    if stale:
        sys.exit(f"error: conditions no longer found in the source: {stale}")
    for problem in sorted(set(reader.unresolved)):
        print(f"unresolved: {problem}", file=sys.stderr)
    # A plain ForceNew wins over a conditional one on the same path.
    always = {(t, a) for t, a, c, _ in rows if c == "always"}
    rows = {r for r in rows if r[2] == "always" or (r[0], r[1]) not in always}
    # Types without any ForceNew attribute still get a line, so the table says they were read.
    listed = {t for t, *_ in rows}
    for rtype in found_resources:
        if (not wanted or rtype in wanted) and rtype not in listed:
            rows.add((rtype, "-", "none", "-"))
    print(f"# ForceNew attributes of azurerm {args.tag}, written by scripts/forcenew.py; do not edit")
    print("# type\tpath\tcondition\tsource")
    for row in sorted(rows):
        print("\t".join(row))


if __name__ == "__main__":
    main()
