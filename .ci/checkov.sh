#!/usr/bin/env bash
# Static security scan of the Terraform JSON that every example synthesizes, with checkov.
#
# Usage: bash .ci/checkov.sh
# Env:   CHECKOV_VENV  venv to create or reuse (default: $HOME/.cache/baas-checkov-venv)
#        CHECKOV_VERSION  checkov version to install and use (default: 3.3.30, pinned so that a
#                         new checkov release cannot add failing checks on its own)
#        KEEP_SCAN=1   keep the temp dir with outputs, scan copies and reports
#
# checkov quirks this script works around (measured on checkov 3.3.30):
# - it exits 0 even when it cannot parse a file, so the JSON report is read instead of the exit
#   code: parsing_errors must be 0, at least one check must have run, and none may fail;
# - a scalar `terraform.required_version` makes its tf.json parser drop the whole file, so each
#   stack is scanned from a copy with that key removed (the real output keeps it);
# - its tf.json parser fails on the top-level `moved` and `removed` blocks (a renamed component,
#   a foundation switched to existing) in either JSON form, array or object ("this method
#   receives only dicts"), so the scan copies leave them out too: they hold no resource to check;
# - for resource checks on tf.json it reports the resource as `resource.<name>` without the type,
#   so the type is recovered from the reported line range in the (pretty-printed) scan copy;
# - it does not resolve `${var.x}`, and inline skip comments cannot be written in tf.json, so
#   every accepted finding is skipped here, globally, in SKIPPED_CHECKS with its reason.
set -euo pipefail

# Checks skipped for every example. One ID per line, each with the reason it does not apply.
# Each is listed with its reason in the README ("checkov").
SKIPPED_CHECKS=(
  CKV_AZURE_100   # Cosmos customer-managed key: needs Key Vault and rotation; Microsoft-managed keys by design
  CKV_AZURE_101   # Cosmos public network access stays on in public mode; `public_network_access: false` closes it (isolated mode passes)
  CKV_AZURE_99    # Cosmos IP/VNet filter: Y1 apps have no VNet integration or fixed outbound IPs (isolated mode passes)
  CKV_AZURE_221   # Function app public access: HTTP APIs are public; Y1 has no inbound private endpoints
  CKV_AZURE_225   # Plan zone redundancy: not supported on Consumption (Y1)
  CKV_AZURE_212   # Plan minimum workers > 1: Y1 scales on demand; a fixed minimum costs money elsewhere
  CKV_AZURE_206   # Storage GRS: host storage holds rebuildable runtime state, static sites rebuildable build output (and Front Door caches it); geo-redundancy doubles cost
  CKV_AZURE_59    # Storage public access: Y1 host storage needs the public endpoint without VNet/private endpoints (isolated mode closes it); Front Door Standard reaches a static site's web endpoint publicly (Private Link origins need Premium)
  CKV2_AZURE_1    # Storage customer-managed key: Microsoft-managed keys by design
  CKV2_AZURE_33   # Storage private endpoint: none in public mode (isolated mode adds one for host storage); Y1 cannot use one; Front Door Standard cannot use one for a static site
  CKV2_AZURE_21   # Blob storage insights requires storage_account_key; shared keys are disabled
  CKV_AZURE_199   # Service Bus double encryption needs Premium and a customer-managed key; Microsoft-managed keys by design
  CKV_AZURE_201   # Service Bus customer-managed key: Microsoft-managed keys by design
  CKV_AZURE_204   # Service Bus public network access stays on in public mode (isolated mode + Premium passes)
  CKV_AZURE_89    # Redis public access (custom-template example): public mode; the cache has keys off and Entra auth
  CKV_AZURE_33    # Queue logging exists only in deprecated queue_properties (removed in azurerm 5); no storage queues used (host or static site accounts)
)

cd "$(dirname "$0")/.."
start=$SECONDS

venv="${CHECKOV_VENV:-$HOME/.cache/baas-checkov-venv}"
want="${CHECKOV_VERSION:-3.3.30}"

# (a) checkov in a venv, installed once and reused.
if [[ "$("$venv/bin/checkov" --version 2>/dev/null || true)" != "$want" ]]; then
  echo "checkov: installing checkov==$want into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "checkov==$want"
fi
checkov_version="$("$venv/bin/checkov" --version)"
echo "checkov $checkov_version ($venv)"

# (b) the binary: the debug build the test run already made, unless BAAS_PROFILE=release.
profile="${BAAS_PROFILE:-debug}"
if [[ "$profile" == release ]]; then
  cargo build --release --quiet --bin baas
else
  cargo build --quiet --bin baas
fi
target_dir="$(cargo metadata --format-version 1 --no-deps \
  | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
baas="$target_dir/$profile/baas"

work="$(mktemp -d "${TMPDIR:-/tmp}/baas-checkov.XXXXXX")"
if [[ "${KEEP_SCAN:-}" == 1 ]]; then
  echo "scan files kept in $work"
else
  trap 'rm -rf "$work"' EXIT
fi

skip_args=()
if ((${#SKIPPED_CHECKS[@]})); then
  skip_args=(--skip-check "$(IFS=,; echo "${SKIPPED_CHECKS[*]}")")
  # checkov leaves checks skipped this way out of its report, "skipped" count included.
  echo "skipped checks: ${SKIPPED_CHECKS[*]}"
fi

# Prints one line per failure and a summary line, and exits non-zero when the report is not a
# clean, non-empty scan. Args: example stack report.json scanned-dir
check_report() {
  python3 - "$@" <<'PY'
import json, os, re, sys

example, stack, report_path, scan_dir = sys.argv[1:5]
try:
    with open(report_path) as f:
        data = json.load(f)
except (OSError, ValueError) as e:
    print(f"{example} {stack}: unreadable checkov report: {e}")
    sys.exit(1)

# checkov prints one report object, or a list of them (one per framework); with no files to
# scan it prints a bare summary without results.
reports = data if isinstance(data, list) else [data]

# Line number of each `"name": {` under `"resource": {"type": {...}}` in the scan copies,
# mapped to `type.name` (the copies are written with indent=2).
addr_at = {}
for root, _, files in os.walk(scan_dir):
    for fn in files:
        if not fn.endswith(".tf.json"):
            continue
        rel = "/" + os.path.relpath(os.path.join(root, fn), scan_dir)
        block = rtype = None
        with open(os.path.join(root, fn)) as f:
            for no, line in enumerate(f, 1):
                m = re.match(r'^( *)"((?:[^"\\]|\\.)*)": \{$', line.rstrip("\n"))
                if not m:
                    continue
                depth, key = len(m.group(1)) // 2, m.group(2)
                if depth == 1:
                    block = key
                elif depth == 2 and block in ("resource", "data"):
                    rtype = key
                elif depth == 3 and block in ("resource", "data"):
                    prefix = "data." if block == "data" else ""
                    addr_at[(rel, no)] = f"{prefix}{rtype}.{key}"

# Resource types checkov 3.3 has no checks for: a stack holding only these (the global
# Traffic Manager stack, with the profiles' diagnostic settings, the API's custom domain
# records and bindings, the global endpoint's availability test and its alert rule, which a
# landing zone's global stack holds alone: its group is existing) legitimately runs no check.
UNCHECKED = (
    "azurerm_resource_group",
    "azurerm_traffic_manager_profile",
    "azurerm_traffic_manager_external_endpoint",
    "azurerm_monitor_diagnostic_setting",
    "azurerm_dns_cname_record",
    "azurerm_dns_txt_record",
    "azurerm_app_service_custom_hostname_binding",
    "azurerm_app_service_managed_certificate",
    "azurerm_app_service_certificate_binding",
    "azurerm_application_insights_standard_web_test",
    "azurerm_monitor_metric_alert",
)
types_seen = {a.split(".")[-2] for a in addr_at.values() if not a.startswith("data.")}
unchecked_only = bool(types_seen) and all(t in UNCHECKED for t in types_seen)

def address(check):
    res = check.get("resource") or "?"
    if res.startswith(("resource.", "data.")) or "." not in res:
        lines = check.get("file_line_range") or [0]
        path = check.get("file_path") or ""
        return addr_at.get((path, lines[0]), res)
    return res

passed = failed = skipped = parse_errors = 0
failures = []
for r in reports:
    if not isinstance(r, dict):
        continue
    s = r.get("summary", r)
    passed += s.get("passed", 0)
    failed += s.get("failed", 0)
    skipped += s.get("skipped", 0)
    parse_errors += s.get("parsing_errors", 0)
    results = r.get("results") or {}
    for c in results.get("failed_checks", []):
        failures.append(f"{example} {stack} {c['check_id']} {address(c)}: {c['check_name']}")
    for p in results.get("parsing_errors", []):
        print(f"{example} {stack}: checkov could not parse {p}")

for line in sorted(set(failures)):
    print(line)
status = "ok"
if parse_errors:
    status = f"FAIL ({parse_errors} parsing errors)"
elif passed + failed == 0 and not unchecked_only:
    status = "FAIL (no checks ran)"
elif failed:
    status = "FAIL"
print(f"summary: {example}/{stack}: {passed} passed, {failed} failed, {skipped} skipped, "
      f"{parse_errors} parsing errors: {status}")
sys.exit(0 if status == "ok" else 1)
PY
}

rc=0
summaries=()
shopt -s nullglob
examples=(examples/*/backend.yaml)
if ((${#examples[@]} == 0)); then
  echo "no examples/*/backend.yaml found" >&2
  exit 1
fi
for yaml in "${examples[@]}"; do
  example="$(basename "$(dirname "$yaml")")"
  out="$work/out/$example"
  # (c) synthesize, then scan a copy of every stack.
  if ! "$baas" synth "$yaml" -o "$out" >"$work/synth.log" 2>&1; then
    echo "$example: baas synth failed:" >&2
    cat "$work/synth.log" >&2
    rc=1
    summaries+=("$example: FAIL (synth failed)")
    continue
  fi
  stacks=()
  for tf in "$out"/*/main.tf.json; do
    stacks+=("$(basename "$(dirname "$tf")")")
  done
  if ((${#stacks[@]} == 0)); then
    echo "$example: synth wrote no */main.tf.json" >&2
    rc=1
    summaries+=("$example: FAIL (no stacks)")
    continue
  fi
  for stack in "${stacks[@]}"; do
    scan="$work/scan/$example/$stack"
    report="$work/report/$example/$stack.json"
    mkdir -p "$scan" "$(dirname "$report")"
    for tf in "$out/$stack"/*.tf.json; do
      python3 -c '
import json, sys
with open(sys.argv[1]) as f:
    doc = json.load(f)
tf = doc.get("terraform")
for block in tf if isinstance(tf, list) else [tf]:
    if isinstance(block, dict):
        block.pop("required_version", None)
doc.pop("moved", None)
doc.pop("removed", None)
with open(sys.argv[2], "w") as f:
    json.dump(doc, f, indent=2)
    f.write("\n")
' "$tf" "$scan/$(basename "$tf")"
    done
    # Exit code is ignored on purpose (see top); the report decides.
    "$venv/bin/checkov" -d "$scan" --framework terraform_json --compact -o json --skip-download \
      "${skip_args[@]}" >"$report" 2>"$report.stderr" || true
    # (d) judge the report.
    if ! result="$(check_report "$example" "$stack" "$report" "$scan")"; then
      rc=1
      if [[ ! -s "$report" ]]; then
        echo "checkov stderr for $example/$stack:" >&2
        tail -n 20 "$report.stderr" >&2
      fi
    fi
    grep -v '^summary: ' <<<"$result" || true
    summaries+=("$(grep '^summary: ' <<<"$result" | sed 's/^summary: //')")
  done
done

# (e) per-example summary.
echo
echo "checkov $checkov_version summary:"
printf '  %s\n' "${summaries[@]}"
echo "checkov scan took $((SECONDS - start))s"
exit "$rc"
