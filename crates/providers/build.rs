//! Embeds the static files of the generated function app projects (`apps/<runtime>/`).
//!
//! Every file under `apps/node` and `apps/python` is the same for every backend; only the
//! table `api.json` is generated. This script lists them, sorted, as `include_str!` entries in
//! `OUT_DIR/assets.rs`, so adding or removing an asset needs no list kept by hand. Folders that
//! running the projects' tests in place would leave behind (`node_modules`, caches) are skipped,
//! and so is a table copied in by hand: it would shadow the generated one.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const RUNTIMES: &[&str] = &["node", "python"];
const SKIPPED: &[&str] = &[
    "node_modules",
    "__pycache__",
    ".pytest_cache",
    ".venv",
    "api.json",
];

fn main() {
    let manifest_dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("set by cargo"));
    println!("cargo:rerun-if-changed=build.rs");
    let mut code = String::new();
    for runtime in RUNTIMES {
        let root = manifest_dir.join("apps").join(runtime);
        println!("cargo:rerun-if-changed={}", root.display());
        let mut files = Vec::new();
        walk(&root, &root, &mut files);
        files.sort();
        let _ = writeln!(
            code,
            "pub const {}: &[(&str, &str)] = &[",
            runtime.to_uppercase()
        );
        for relative in files {
            let absolute = root.join(&relative);
            let _ = writeln!(
                code,
                "    ({relative:?}, include_str!({:?})),",
                absolute.display().to_string()
            );
        }
        code.push_str("];\n");
    }
    std::fs::write(out_dir.join("assets.rs"), code).expect("OUT_DIR is writable");
}

/// Relative paths (with `/`) of the files under `dir`.
fn walk(root: &Path, dir: &Path, files: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if SKIPPED.contains(&name.as_str()) {
            continue;
        }
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            walk(root, &path, files);
        } else if let Ok(relative) = path.strip_prefix(root) {
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push(parts.join("/"));
        }
    }
}
