//! The rule that keeps the providers apart: no provider module imports another. Providers
//! import only the layer under them (`context`, `facts`, `naming`, `codes`) and the model and
//! terraform crates; what one needs of another's resource is a fact in `facts`. The layer
//! itself (and `limits`) imports no provider either. Only `lib.rs` and `registry.rs`, which
//! put the providers together, name them.
//!
//! The check reads the crate's sources: every `crate::` or `super::` path that names a module
//! of the crate root must name the module's own provider or the layer under the providers.
//! A grouped `crate::{...}` import would hide the names, so it is refused too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Modules every module may import (`test_support` only in unit tests: it builds a context
/// the way synth does).
const LAYER: &[&str] = &["codes", "context", "facts", "naming", "test_support"];
/// Files that put the providers together (the unit tests' context included), and this check,
/// which names them in its own test.
const EXEMPT: &[&str] = &["lib.rs", "registry.rs", "layering.rs", "test_support.rs"];

fn source_files(folder: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            source_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The crate root's modules: one per `src/<name>.rs` or `src/<name>/`.
fn root_modules(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| Some(path.file_stem()?.to_str()?.to_owned()))
        .filter(|name| name != "lib")
        .collect()
}

/// The root modules named by `crate::` and `super::` paths in `text`, a file `depth` modules
/// below the crate root (`src/x.rs` is 1, `src/x/y.rs` 2), and any grouped import of the
/// root's modules (named `{`). A `super::` path that stays inside the file's own module names
/// nothing at the root.
fn named_modules(text: &str, depth: usize) -> Vec<String> {
    let mut named = Vec::new();
    for (at, _) in text
        .match_indices("crate::")
        .chain(text.match_indices("super::"))
    {
        if text[..at].ends_with("::") {
            continue; // the middle of a path already read
        }
        let mut rest = &text[at..];
        let mut supers = 0;
        while let Some(after) = rest.strip_prefix("super::") {
            rest = after;
            supers += 1;
        }
        if let Some(after) = rest.strip_prefix("crate::") {
            rest = after;
        } else if supers < depth {
            continue;
        }
        if rest.starts_with('{') {
            named.push("{".to_owned());
            continue;
        }
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        named.push(name);
    }
    named
}

/// Which root modules `file` may name: the layer, and its own top module.
fn violations(src: &Path, file: &Path, modules: &BTreeSet<String>) -> Vec<String> {
    let relative = file.strip_prefix(src).unwrap();
    let own = relative
        .components()
        .next()
        .and_then(|c| Path::new(c.as_os_str()).file_stem())
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut depth = relative.components().count();
    if relative.file_name().is_some_and(|name| name == "mod.rs") {
        depth -= 1;
    }
    let text = std::fs::read_to_string(file).unwrap();
    named_modules(&text, depth)
        .into_iter()
        .filter(|name| {
            name == "{"
                || (modules.contains(name) && !LAYER.contains(&name.as_str()) && *name != own)
        })
        .map(|name| format!("{} names `{name}`", relative.display()))
        .collect()
}

#[test]
fn no_provider_imports_another() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = root_modules(&src);
    let mut files = Vec::new();
    source_files(&src, &mut files);
    let problems: Vec<String> = files
        .iter()
        .filter(|file| {
            let relative = file.strip_prefix(&src).unwrap();
            !EXEMPT.iter().any(|a| relative == Path::new(a))
        })
        .flat_map(|file| violations(&src, file, &modules))
        .collect();
    assert!(
        problems.is_empty(),
        "provider modules import only {LAYER:?}; put what they share in `facts`:\n{}",
        problems.join("\n")
    );
    // The check sees the modules it is about.
    for provider in [
        "cosmos",
        "functions",
        "network",
        "storage",
        "servicebus",
        "global",
    ] {
        assert!(modules.contains(provider), "{provider}");
    }
}

#[test]
fn the_check_sees_every_way_to_name_a_module() {
    let text = "use crate::cosmos::X; crate::functions::app(); use crate::{a, b}; \
                use super::super::storage; use super::{plan, refs}; use super::network;";
    // From `src/x/y.rs`: `super::` is `x`, `super::super::` the root.
    assert_eq!(
        named_modules(text, 2),
        ["cosmos", "functions", "{", "storage"]
    );
    // From `src/x.rs`: `super::` is the root.
    assert_eq!(
        named_modules(text, 1),
        ["cosmos", "functions", "{", "storage", "{", "network"]
    );
}
