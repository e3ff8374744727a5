//! The command line contract: exit codes, `explain`, `--check`, the output folder,
//! `--format json`, JSON input, and what a failed write leaves behind.

use crate::support::{baas_bin, outcome, Workspace};
use std::fs;

const GOOD: &str = "name: shop
environment: prod
location: eastus
functions: {plan: Y1}
tags: {project: shop}
components:
  users: {type: crud-api, entity: User, partition_key: /id}
  orders: {type: crud-api, entity: Order}
";

// ---------------------------------------------------------------------------------------------
// Exit codes
// ---------------------------------------------------------------------------------------------

#[test]
fn missing_file_is_a_usage_error() {
    let workspace = Workspace::new();
    for command in ["validate", "synth"] {
        let run = workspace.baas(&[command, "missing.yaml"]);
        run.expect_exit(2);
        assert!(
            run.stderr.contains("cannot read `missing.yaml`"),
            "{}",
            run.stderr
        );
    }
    assert!(workspace.entries().is_empty(), "{:?}", workspace.entries());
}

#[test]
fn file_defaults_to_backend_yaml_and_out_to_out() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.baas(&["validate"]).expect_exit(0);
    workspace.baas(&["synth"]).expect_exit(0);
    assert!(workspace.join("out/main/main.tf.json").is_file());
    assert!(workspace.join("out/baas.manifest.json").is_file());
    workspace.baas(&["synth", "--check"]).expect_exit(0);

    let empty = Workspace::new();
    empty.baas(&["validate"]).expect_exit(2);
}

#[test]
fn env_without_environments_is_a_definition_error_and_writes_nothing() {
    let workspace = Workspace::with_backend(GOOD);
    let validate = workspace.baas(&["validate", "backend.yaml", "--env", "dev"]);
    validate
        .expect_exit(1)
        .expect_code("baas::environments::unknown");
    workspace
        .baas(&["synth", "backend.yaml", "--env", "dev", "-o", "out"])
        .expect_exit(1);
    assert!(!workspace.join("out").exists());
}

#[test]
fn unknown_subcommand_and_flag_are_usage_errors() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.baas(&["deploy"]).expect_exit(2);
    workspace
        .baas(&["validate", "backend.yaml", "--colour"])
        .expect_exit(2);
}

#[test]
fn warnings_alone_exit_0() {
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
components:
  users: {type: crud-api, entity: User}
  hooks:
    type: function-app
    runtime: node
    plan: EP1
    functions:
      ping: {trigger: http}
",
    );
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(0).expect_code("baas::merge::plan");
    assert_eq!(validate.counts(), (0, 1));
}

// ---------------------------------------------------------------------------------------------
// explain
// ---------------------------------------------------------------------------------------------

#[test]
fn explain_prints_the_long_help() {
    let workspace = Workspace::new();
    let explain = workspace.baas(&["explain", "baas::merge::partition_key"]);
    explain.expect_exit(0);
    insta::assert_snapshot!(explain.stdout);
    let short = workspace.baas(&["explain", "merge::partition_key"]);
    short.expect_exit(0);
    assert_eq!(short.stdout, explain.stdout);
}

#[test]
fn explain_unknown_code_suggests_the_closest() {
    let explain = Workspace::new().baas(&["explain", "baas::merge::partitionkey"]);
    explain.expect_exit(2);
    assert!(explain.stdout.is_empty());
    insta::assert_snapshot!(explain.stderr);
}

#[test]
fn explain_knows_every_code_it_lists() {
    let workspace = Workspace::new();
    let unknown = workspace.baas(&["explain", "nothing-like-a-code"]);
    unknown.expect_exit(2);
    let listed: Vec<&str> = unknown
        .stderr
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("baas::"))
        .collect();
    assert!(listed.len() > 20, "{}", unknown.stderr);
    for code in listed {
        let explain = workspace.baas(&["explain", code]);
        explain.expect_exit(0);
        let mut lines = explain.stdout.lines();
        let head = lines.next().unwrap_or_default();
        assert!(head.starts_with(&format!("{code}: ")), "{}", explain.stdout);
        assert!(
            explain.stdout.trim_end().lines().count() >= 3,
            "{code} has no long explanation:\n{}",
            explain.stdout
        );
    }
}

// ---------------------------------------------------------------------------------------------
// synth --check
// ---------------------------------------------------------------------------------------------

/// A second synth links the files that did not change instead of writing them: same inode,
/// same modification time. A comment changes the input digest (the manifest) but no stack.
#[cfg(unix)]
#[test]
fn synth_keeps_unchanged_files_and_replaces_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let inode = |path: &str| fs::metadata(workspace.join(path)).unwrap().ino();
    let (stack, manifest) = (
        inode("out/main/main.tf.json"),
        inode("out/baas.manifest.json"),
    );
    let old_manifest = fs::read_to_string(workspace.join("out/baas.manifest.json")).unwrap();

    workspace.write("backend.yaml", format!("# a comment\n{GOOD}"));
    workspace.synth_ok("out");
    assert_eq!(
        inode("out/main/main.tf.json"),
        stack,
        "the unchanged stack was rewritten"
    );
    assert_ne!(inode("out/baas.manifest.json"), manifest);
    let new_manifest = fs::read_to_string(workspace.join("out/baas.manifest.json")).unwrap();
    assert_ne!(
        new_manifest, old_manifest,
        "the manifest holds the new input digest"
    );
    workspace
        .baas(&["synth", "backend.yaml", "-o", "out", "--check"])
        .expect_exit(0);
}

/// Synthesizing an unchanged input again leaves the output folder exactly as it was: same
/// folder, same files, nothing created or removed beside it.
#[cfg(unix)]
#[test]
fn synth_of_an_unchanged_input_leaves_the_output_alone() {
    use std::os::unix::fs::MetadataExt;
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let identity = |path: &str| {
        let metadata = fs::symlink_metadata(workspace.join(path)).unwrap();
        (metadata.ino(), metadata.mtime(), metadata.mtime_nsec())
    };
    let paths = [
        "out",
        "out/main",
        "out/main/main.tf.json",
        "out/baas.manifest.json",
    ];
    let before: Vec<_> = paths.iter().map(|p| identity(p)).collect();

    let files = workspace.tree("out").len();
    let synth = workspace.synth_ok("out");
    assert_eq!(
        synth.stderr,
        format!("`out` is up to date ({files} files, left as they were)\n")
    );
    let after: Vec<_> = paths.iter().map(|p| identity(p)).collect();
    assert_eq!(after, before, "the output was touched");
    assert_eq!(workspace.entries(), ["backend.yaml", "out"]);
}

/// Anything a fresh synth would not produce (here an empty folder) makes the output not up to
/// date: it is replaced, and the extra entry goes.
#[test]
fn synth_replaces_an_output_with_an_extra_empty_folder() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let fresh = workspace.tree("out");
    fs::create_dir(workspace.join("out/blue")).unwrap();

    let synth = workspace.synth_ok("out");
    assert_eq!(
        synth.stderr,
        format!("wrote {} files to `out`\n", fresh.len())
    );
    assert!(
        !workspace.join("out/blue").exists(),
        "the extra folder stayed"
    );
    assert_eq!(workspace.tree("out"), fresh);
}

/// A symbolic link in the output is never carried over, even to identical bytes: the new
/// output holds only regular files that baas wrote or already owned.
#[cfg(unix)]
#[test]
fn synth_replaces_a_symlinked_output_file_with_a_regular_file() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let stack = workspace.join("out/main/main.tf.json");
    let elsewhere = workspace.join("elsewhere.json");
    fs::copy(&stack, &elsewhere).unwrap();
    fs::remove_file(&stack).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &stack).unwrap();

    workspace.synth_ok("out");
    let metadata = fs::symlink_metadata(&stack).unwrap();
    assert!(metadata.file_type().is_file(), "still a link: {metadata:?}");
    assert_eq!(
        fs::read(&stack).unwrap(),
        fs::read(&elsewhere).unwrap(),
        "same bytes, written anew"
    );
}

#[test]
fn check_passes_on_a_fresh_output() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(0);
    assert_eq!(check.stderr, "`out` is up to date\n");
}

#[test]
fn check_on_a_stale_output_exits_3_naming_the_file() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let stack = workspace.join("out/main/main.tf.json");
    let edited = fs::read_to_string(&stack)
        .unwrap()
        .replace("\"managed-by\": \"baas\"", "\"managed-by\": \"hand\"");
    fs::write(&stack, &edited).unwrap();
    let before = workspace.tree("out");

    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(3);
    insta::assert_snapshot!(check.stderr);
    assert_eq!(workspace.tree("out"), before, "--check wrote to `out`");
}

#[test]
fn check_after_the_input_changed_names_every_stale_file() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    workspace.write(
        "backend.yaml",
        GOOD.replace("project: shop", "project: store"),
    );
    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(3);
    assert!(
        check.stderr.contains("baas.manifest.json (differs)")
            && check.stderr.contains("main/main.tf.json (differs)"),
        "{}",
        check.stderr
    );
}

#[test]
fn check_on_a_missing_output_exits_3() {
    let workspace = Workspace::with_backend(GOOD);
    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(3);
    assert!(
        check.stderr.contains("main/main.tf.json (missing)")
            && check.stderr.contains("baas.manifest.json (missing)"),
        "{}",
        check.stderr
    );
    assert!(!workspace.join("out").exists(), "--check created `out`");
}

#[test]
fn check_reports_a_stack_that_is_no_longer_produced() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    workspace.write("out/blue/main.tf.json", "{}\n");
    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(3);
    assert!(
        check
            .stderr
            .contains("blue/main.tf.json (no longer produced; synth would remove it)"),
        "{}",
        check.stderr
    );
    assert!(workspace.join("out/blue/main.tf.json").is_file());
}

/// `--check` passes exactly when synth would leave the folder as it is: a link where synth
/// writes a file, or an empty folder synth would remove, makes the output stale.
#[cfg(unix)]
#[test]
fn check_reports_what_synth_would_replace_or_remove() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let stack = workspace.join("out/main/main.tf.json");
    let elsewhere = workspace.join("elsewhere.json");
    fs::copy(&stack, &elsewhere).unwrap();
    fs::remove_file(&stack).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &stack).unwrap();
    fs::create_dir(workspace.join("out/blue")).unwrap();

    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(3);
    assert!(
        check
            .stderr
            .contains("main/main.tf.json (not a regular file; synth would write one)")
            && check
                .stderr
                .contains("blue/ (an empty folder; synth would remove it)"),
        "{}",
        check.stderr
    );
    workspace.synth_ok("out");
    workspace
        .baas(&["synth", "backend.yaml", "-o", "out", "--check"])
        .expect_exit(0);
}

// ---------------------------------------------------------------------------------------------
// The output folder
// ---------------------------------------------------------------------------------------------

#[test]
fn refuses_to_replace_a_folder_that_is_not_baas_output() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.write("out/README.md", "my notes\n");
    workspace.write("out/src/lib.rs", "fn main() {}\n");
    let before = workspace.tree("out");
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(2);
    assert!(
        synth.stderr.contains("refusing to replace `out`"),
        "{}",
        synth.stderr
    );
    assert_eq!(workspace.tree("out"), before, "the folder was changed");
    assert_eq!(workspace.entries(), ["backend.yaml", "out"]);
}

#[test]
fn refuses_to_replace_the_current_folder() {
    let workspace = Workspace::with_backend(GOOD);
    let before = workspace.tree(".");
    workspace
        .baas(&["synth", "backend.yaml", "-o", "."])
        .expect_exit(2);
    assert_eq!(workspace.tree("."), before);
}

#[test]
fn writes_into_an_existing_empty_folder() {
    let workspace = Workspace::with_backend(GOOD);
    fs::create_dir(workspace.join("out")).unwrap();
    workspace.synth_ok("out");
    assert!(workspace.join("out/main/main.tf.json").is_file());
}

#[test]
fn resynth_replaces_the_previous_output_and_removes_old_stacks() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let first = workspace.tree("out");
    workspace.write("out/blue/main.tf.json", "{}\n");
    workspace.write("out/main/main.tf.json", "{}\n");

    let synth = workspace.synth_ok("out");
    assert_eq!(
        synth.stderr,
        format!("wrote {} files to `out`\n", first.len())
    );
    assert_eq!(
        workspace.tree("out"),
        first,
        "the output is exactly a fresh synth"
    );
    assert!(
        !workspace.join("out/blue").exists(),
        "the old stack folder is still there"
    );
    assert_eq!(
        workspace.entries(),
        ["backend.yaml", "out"],
        "staging or previous-output folders were left behind"
    );
}

#[test]
fn output_path_that_is_a_file_is_refused() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.write("out", "not a folder\n");
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(2);
    assert_eq!(
        fs::read_to_string(workspace.join("out")).unwrap(),
        "not a folder\n"
    );
}

// ---------------------------------------------------------------------------------------------
// validate --format json
// ---------------------------------------------------------------------------------------------

#[test]
fn validate_format_json_describes_every_diagnostic() {
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
functions: {plan: Y1}
components:
  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order, cosmos: {public_network_access: false}}
  hooks:
    type: function-app
    runtime: node
    functions:
      hook: {trigger: http, route: /hooks}
",
    );
    let json = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
    json.expect_exit(1);
    assert!(
        json.stderr.is_empty(),
        "JSON mode printed to stderr:\n{}",
        json.stderr
    );
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2);
    for d in diagnostics {
        let keys: Vec<&String> = d.as_object().unwrap().keys().collect();
        assert_eq!(
            keys,
            ["code", "column", "end", "file", "help", "line", "message", "severity"],
            "{d}"
        );
        assert_eq!(d["file"], "backend.yaml");
        assert!(d["code"].as_str().unwrap().starts_with("baas::"));
        assert!(!d["message"].as_str().unwrap().is_empty());
        assert!(d["help"].is_string());
        let (line, column) = (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap());
        let (end_line, end_column) = (
            d["end"]["line"].as_u64().unwrap(),
            d["end"]["column"].as_u64().unwrap(),
        );
        assert!(
            (end_line, end_column) > (line, column),
            "the end is not after the start: {d}"
        );
    }
    insta::assert_snapshot!(json.stdout);
}

#[test]
fn validate_format_json_on_a_clean_backend() {
    let workspace = Workspace::with_backend(GOOD);
    let json = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
    json.expect_exit(0);
    let report: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(
        report,
        serde_json::json!({ "diagnostics": [], "errors": 0, "warnings": 0 })
    );
}

#[test]
fn validate_format_json_without_a_location() {
    let workspace = Workspace::with_backend("");
    let json = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
    json.expect_exit(1);
    let diagnostics = json.json_diagnostics();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0]["code"], "baas::parse::empty");
    assert!(diagnostics[0]["line"].is_null() && diagnostics[0]["end"].is_null());
}

// ---------------------------------------------------------------------------------------------
// JSON input
// ---------------------------------------------------------------------------------------------

#[test]
fn a_backend_written_as_json_synthesizes_like_its_yaml() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.write(
        "backend.json",
        r#"{
  "name": "shop",
  "environment": "prod",
  "location": "eastus",
  "tags": {"project": "shop"},
  "components": {
    "users": {"type": "crud-api", "entity": "User", "partition_key": "/id"},
    "orders": {"type": "crud-api", "entity": "Order"}
  }
}
"#,
    );
    workspace.baas(&["validate", "backend.json"]).expect_exit(0);
    workspace
        .baas(&["synth", "backend.json", "-o", "from-json"])
        .expect_exit(0);
    workspace.synth_ok("from-yaml");
    let from_json = workspace.tree("from-json");
    let from_yaml = workspace.tree("from-yaml");
    assert!(
        from_json["main/main.tf.json"] == from_yaml["main/main.tf.json"],
        "the same backend as JSON and as YAML produced different Terraform"
    );
}

#[test]
fn a_json_backend_with_an_error_points_into_the_json() {
    let workspace = Workspace::new();
    workspace.write(
        "backend.json",
        "{\"name\": \"shop\", \"environment\": \"prod\", \"location\": \"eastus\",\n \"components\": {\"users\": {\"type\": \"crud-api\", \"entity\": \"User\", \"partiton_key\": \"/id\"}}}\n",
    );
    let validate = workspace.baas(&["validate", "backend.json"]);
    validate
        .expect_exit(1)
        .expect_code("baas::schema::unknown_key");
    insta::assert_snapshot!(validate.stderr);
}

// ---------------------------------------------------------------------------------------------
// A write that fails leaves the previous output as it was
// ---------------------------------------------------------------------------------------------

/// Tests run as root, so permissions cannot make a write fail. A file size limit of 0 can:
/// `ulimit -f 0` makes every non-empty write fail with EFBIG (SIGXFSZ is ignored so the
/// process sees the error instead of dying), which breaks synth halfway through staging.
#[test]
fn a_failed_write_leaves_the_previous_output_intact() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let before = workspace.tree("out");
    workspace.write(
        "backend.yaml",
        GOOD.replace("project: shop", "project: store"),
    );

    let output = std::process::Command::new("sh")
        .arg("-c")
        .arg("trap '' XFSZ; ulimit -f 0; exec \"$0\" \"$@\"")
        .arg(baas_bin())
        .args(["synth", "backend.yaml", "-o", "out"])
        .current_dir(workspace.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("sh runs");
    let synth = outcome(&["synth", "backend.yaml", "-o", "out"], &output);
    synth.expect_exit(2);
    assert!(synth.stderr.contains("cannot write"), "{}", synth.stderr);
    assert!(
        workspace.tree("out") == before,
        "the previous output changed"
    );
    assert_eq!(
        workspace.entries(),
        ["backend.yaml", "out"],
        "the staging folder was left behind"
    );
}

#[test]
fn an_output_folder_under_a_regular_file_is_an_io_error() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let before = workspace.tree("out");
    workspace.write("blocker", "a file, not a folder\n");
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "blocker/out"]);
    synth.expect_exit(2);
    assert_eq!(
        fs::read_to_string(workspace.join("blocker")).unwrap(),
        "a file, not a folder\n"
    );
    assert!(
        workspace.tree("out") == before,
        "an unrelated output changed"
    );
    assert_eq!(workspace.entries(), ["backend.yaml", "blocker", "out"]);
}
