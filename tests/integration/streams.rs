//! Output streams that fail, reports that miette cannot draw, and control characters from
//! backend.yaml: none of them may crash baas or reach the terminal raw.

use crate::support::{baas_bin, Workspace};
use std::process::{Command, Stdio};

fn example(name: &str) -> String {
    crate::support::repo_root()
        .join("examples")
        .join(name)
        .join("backend.yaml")
        .display()
        .to_string()
}

/// `baas graph big.yaml | head -1`: the reader goes away; the rest was not wanted.
#[test]
fn a_closed_standard_output_is_not_a_crash() {
    let mut child = Command::new(baas_bin())
        .args(["graph", &example("multi-region")])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader closes the pipe before baas writes
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// `baas schema > /dev/full`: the write fails, which is an I/O error (exit 2) said in words.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_output_is_an_io_error() {
    for args in [
        vec!["schema".to_owned()],
        vec![
            "validate".to_owned(),
            "--format".to_owned(),
            "json".to_owned(),
            example("crud-and-functions"),
        ],
        vec!["explain".to_owned(), "--all".to_owned()],
    ] {
        let output = Command::new(baas_bin())
            .args(&args)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains("cannot write to standard output"),
            "{args:?}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}

/// `synth 2>/dev/full`: the output is written and the run succeeds; only its messages are lost.
#[cfg(target_os = "linux")]
#[test]
fn a_full_standard_error_does_not_fail_a_synth() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {type: crud-api, entity: User}\n",
    );
    let output = Command::new(baas_bin())
        .current_dir(workspace.path())
        .args(["synth", "backend.yaml", "-o", "out"])
        .stderr(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(workspace.join("out/baas.manifest.json").is_file());
}

/// A minified one-line JSON backend with a problem past column 65,535, where miette's
/// snippet drawing overflows: the report says where in words.
#[test]
fn a_problem_past_column_65535_is_reported_without_a_snippet() {
    let mut components: Vec<String> = (0..3000)
        .map(|i| format!("\"c{i}\":{{\"type\":\"crud-api\",\"entity\":\"E{i}\"}}"))
        .collect();
    components.push("\"zz\":{\"type\":\"crud-api\",\"entity\":\"bad entity\"}".to_owned());
    let json = format!(
        "{{\"name\":\"shop\",\"environment\":\"prod\",\"location\":\"eastus\",\"components\":{{{}}}}}",
        components.join(",")
    );
    let column = json.find("\"bad entity\"").unwrap() + 1;
    assert!(column > 65_535);
    let workspace = Workspace::with_backend(&json);
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1);
    assert!(
        validate
            .stderr
            .contains(&format!("at backend.yaml:1:{column}")),
        "{}",
        validate.stderr
    );
    assert!(!validate.stderr.contains("panicked"), "{}", validate.stderr);
}

/// An ESC sequence in a value is shown escaped: it would retitle or clear the terminal.
#[test]
fn control_characters_from_backend_yaml_never_reach_the_terminal_raw() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {type: crud-api, entity: \"\\e]0;PWNED\\a\\e[2J\"}\n",
    );
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1);
    assert!(
        !validate.stderr.contains('\u{1b}') && !validate.stderr.contains('\u{7}'),
        "{:?}",
        validate.stderr
    );
    assert!(
        validate.stderr.contains("\\u{1b}]0;PWNED\\u{7}"),
        "{}",
        validate.stderr
    );
}
