//! Every `examples/*/backend.yaml` synthesizes, validates, passes `--check` against its own
//! output, and produces byte-identical files on every run. The generated files are snapshots.

use crate::support::{examples, repo_root, Workspace};
use serde_json::Value;

/// The project folders the manifest lists (`apps/node`, ...).
fn manifest_projects(manifest: &Value) -> Vec<String> {
    manifest["function_apps"]
        .as_object()
        .map(|apps| {
            apps.values()
                .filter_map(|app| app["project"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The embedded asset a project file is a copy of; `None` for the generated table.
fn static_asset(path: &str) -> Option<std::path::PathBuf> {
    let rest = path.strip_prefix("apps/")?;
    if rest.ends_with("/api.json") {
        return None;
    }
    Some(repo_root().join("crates/providers/apps").join(rest))
}

#[test]
fn there_are_examples_to_check() {
    assert!(
        examples().len() >= 2,
        "expected the examples folder to hold examples, found {:?}",
        examples()
    );
}

/// One case per `examples/*/backend.yaml` (insta's `glob!`: every example runs, and the
/// failures are listed together at the end); the snapshots are named after the file,
/// `…@<example>__backend.yaml.snap`.
#[test]
fn every_example_synthesizes_validates_and_is_reproducible() {
    insta::glob!("../../examples", "*/backend.yaml", check_example);
}

fn check_example(path: &std::path::Path) {
    {
        let example = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .unwrap()
            .to_owned();
        let file = path.to_str().unwrap();
        let workspace = Workspace::new();

        let synth = workspace.baas(&["synth", file, "-o", "first"]);
        synth.expect_exit(0);
        let first = workspace.tree("first");
        let manifest: serde_json::Value =
            serde_json::from_slice(first.get("baas.manifest.json").expect("a manifest")).unwrap();
        let order = manifest["deploy_order"].as_array().unwrap();
        assert!(!order.is_empty(), "{example}: no stacks");
        for stack in order {
            let path = format!("{}/main.tf.json", stack.as_str().unwrap());
            assert!(
                first.contains_key(&path),
                "{example}: synth wrote {:?}, not {path}",
                first.keys().collect::<Vec<_>>()
            );
        }
        let projects = manifest_projects(&manifest);
        for path in first.keys() {
            let expected = path == "baas.manifest.json"
                || path.ends_with("/main.tf.json")
                || projects.iter().any(|p| path.starts_with(&format!("{p}/")));
            assert!(expected, "{example}: `{path}` is neither a stack, the manifest nor a project the manifest lists");
        }
        for (path, bytes) in &first {
            let contents = String::from_utf8(bytes.clone())
                .unwrap_or_else(|_| panic!("{example}: {path} is not UTF-8"));
            // A project's static files are the embedded assets, byte for byte: they are
            // reviewed (and tested) where they live, so only the generated table is a snapshot.
            if let Some(asset) = static_asset(path) {
                let source = std::fs::read(&asset)
                    .unwrap_or_else(|_| panic!("{example}: `{path}` is not an asset ({asset:?})"));
                assert!(
                    source == *bytes,
                    "{example}: `{path}` differs from {asset:?}"
                );
                continue;
            }
            if path.ends_with(".json") {
                assert_canonical_json(&example, path, &contents);
            }
            for absolute in [workspace.path().to_str().unwrap(), file] {
                assert!(
                    !contents.contains(absolute),
                    "{example}: {path} holds the absolute path `{absolute}`"
                );
            }
            insta::with_settings!({
                description => format!("baas synth examples/{example}/backend.yaml: {path}"),
                omit_expression => true,
            }, {
                insta::assert_snapshot!(path.replace('/', "__"), contents);
            });
        }

        workspace
            .baas(&["synth", file, "-o", "second"])
            .expect_exit(0);
        let second = workspace.tree("second");
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>(),
            "{example}: a second synth wrote other files"
        );
        for (path, bytes) in &first {
            assert!(
                second[path] == *bytes,
                "{example}: {path} differs between two runs on the same input"
            );
        }

        // From the repository root with a relative path, as a user runs it: the report names
        // the file as given, and snapshots must not hold machine-specific paths.
        let relative = format!("examples/{example}/backend.yaml");
        let validate = crate::support::baas_in(&repo_root(), &["validate", &relative]);
        validate.expect_exit(0);
        insta::with_settings!({
            description => format!("baas validate examples/{example}/backend.yaml: stderr"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!("validate_stderr", validate.stderr);
        });

        let check = workspace.baas(&["synth", file, "-o", "first", "--check"]);
        check.expect_exit(0);
        assert_eq!(
            workspace.tree("first"),
            first,
            "{example}: --check changed the output folder"
        );
    }
}

/// Generated JSON is canonical: sorted keys, two-space indent, trailing newline.
fn assert_canonical_json(example: &str, path: &str, contents: &str) {
    let value: Value = serde_json::from_str(contents)
        .unwrap_or_else(|e| panic!("{example}: {path} is not JSON: {e}"));
    assert_sorted(&value, &format!("{example}: {path}"));
    // serde_json's Map is a BTreeMap here, so this re-serialization is the canonical form.
    let canonical = format!("{}\n", serde_json::to_string_pretty(&value).unwrap());
    assert!(
        contents == canonical,
        "{example}: {path} is not written with two-space indent and a trailing newline"
    );
}

/// Keys in iteration order are sorted. With serde_json's default `Map` (a `BTreeMap`) this
/// always holds and the text comparison above catches unsorted output; should a dependency turn
/// on `preserve_order`, this check compares the text order itself.
fn assert_sorted(value: &Value, at: &str) {
    match value {
        Value::Object(map) => {
            let keys: Vec<&String> = map.keys().collect();
            let mut sorted = keys.clone();
            sorted.sort();
            assert_eq!(keys, sorted, "{at}: keys are not sorted");
            for (key, inner) in map {
                assert_sorted(inner, &format!("{at}.{key}"));
            }
        }
        Value::Array(items) => {
            for (i, inner) in items.iter().enumerate() {
                assert_sorted(inner, &format!("{at}[{i}]"));
            }
        }
        _ => {}
    }
}

/// Threads never change the output: on one core (`taskset`, so synth starts no threads) every
/// multi-stack example writes the same bytes as on all cores.
#[cfg(target_os = "linux")]
#[test]
fn one_core_and_all_cores_write_the_same_files() {
    for example in [
        "multi-region",
        "blue-green",
        "disaster-recovery",
        "crud-and-functions",
    ] {
        let file = repo_root()
            .join("examples")
            .join(example)
            .join("backend.yaml");
        let file = file.to_str().unwrap();
        let workspace = Workspace::new();
        workspace
            .baas(&["synth", file, "-o", "all-cores"])
            .expect_exit(0);
        let status = std::process::Command::new("taskset")
            .args(["-c", "0"])
            .arg(crate::support::baas_bin())
            .args(["synth", file, "-o"])
            .arg(workspace.join("one-core"))
            .output()
            .expect("taskset (util-linux) runs");
        assert!(status.status.success(), "{example}: {status:?}");
        assert_eq!(
            workspace.tree("one-core"),
            workspace.tree("all-cores"),
            "{example}: one core and all cores differ"
        );
    }
}
