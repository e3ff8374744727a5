//! The machine-readable reports: `baas validate --format json` has the shape README.md
//! documents, and `--format sarif` is SARIF 2.1.0 that agrees with it.
//!
//! Inputs: every file in `tests/fixtures/bad/`, every example, and a few inline backends
//! that raise warnings (no bad fixture does). The SARIF logs are also validated against the
//! official SARIF 2.1.0 JSON schema by `tests/fixtures/sarif/validate_sarif.py` (Python's
//! `jsonschema`).

use crate::support::{baas_in, bad_fixtures_dir, repo_root, Outcome, Workspace};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// One input: the folder baas runs in and the file name passed to it (relative, so the
/// reports name it exactly as given).
struct Input {
    dir: PathBuf,
    file: String,
    /// Keeps an inline backend's folder alive.
    _workspace: Option<Workspace>,
}

impl Input {
    fn label(&self) -> String {
        format!("{}/{}", self.dir.display(), self.file)
    }

    fn validate(&self, format: &str) -> Outcome {
        baas_in(&self.dir, &["validate", "--format", format, &self.file])
    }
}

/// Backends whose reports hold warnings, and one with a warning and an error.
const WITH_WARNINGS: &[&str] = &[
    // baas::merge::network_access (warning only)
    "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {type: crud-api, entity: User}\n  orders: {type: crud-api, entity: Order, cosmos: {public_network_access: false}}\n",
    // baas::merge::plan (warning) and baas::model::route (error)
    "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {type: crud-api, entity: User}\n  hooks:\n    type: function-app\n    runtime: node\n    plan: EP1\n    functions:\n      ping: {trigger: http, route: /ping}\n",
];

fn inputs() -> Vec<Input> {
    let mut inputs = Vec::new();
    let fixtures = bad_fixtures_dir();
    let mut files: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    for file in files {
        inputs.push(Input {
            dir: fixtures.clone(),
            file,
            _workspace: None,
        });
    }
    let examples = repo_root().join("examples");
    // Examples with a backend.yaml (`examples/custom-provider` is a Rust program).
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|dir| dir.join("backend.yaml").is_file())
        .collect();
    dirs.sort();
    for dir in dirs {
        inputs.push(Input {
            dir,
            file: "backend.yaml".to_owned(),
            _workspace: None,
        });
    }
    for yaml in WITH_WARNINGS {
        let workspace = Workspace::with_backend(yaml);
        inputs.push(Input {
            dir: workspace.path().to_path_buf(),
            file: "backend.yaml".to_owned(),
            _workspace: Some(workspace),
        });
    }
    inputs
}

fn parse(outcome: &Outcome, label: &str) -> Value {
    assert!(
        outcome.code == 0 || outcome.code == 1,
        "{label}: `baas {}` exited with {}:\n{}",
        outcome.args.join(" "),
        outcome.code,
        outcome.stderr
    );
    assert!(
        outcome.stderr.is_empty(),
        "{label}: `baas {}` printed to stderr:\n{}",
        outcome.args.join(" "),
        outcome.stderr
    );
    serde_json::from_str(&outcome.stdout).unwrap_or_else(|e| {
        panic!(
            "{label}: `baas {}` printed no JSON ({e}):\n{}",
            outcome.args.join(" "),
            outcome.stdout
        )
    })
}

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .map(|m| m.keys().map(String::as_str).collect())
        .unwrap_or_default()
}

/// A 1-based line or column.
fn position(value: &Value) -> Option<u64> {
    value.as_u64().filter(|n| *n >= 1)
}

/// The problems with one `--format json` diagnostic; empty when it has the documented shape.
fn json_diagnostic_problems(d: &Value, file: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |ok: bool, what: &str| {
        if !ok {
            problems.push(format!("{what}: {d}"));
        }
    };
    expect(
        keys(d)
            == [
                "code", "column", "end", "file", "help", "line", "message", "severity",
            ],
        "keys are not exactly code, column, end, file, help, line, message, severity",
    );
    expect(
        d["code"].as_str().is_some_and(|c| c.starts_with("baas::")),
        "`code` is not a `baas::` string",
    );
    expect(
        matches!(d["severity"].as_str(), Some("error" | "warning")),
        "`severity` is not `error` or `warning`",
    );
    expect(
        d["message"].as_str().is_some_and(|m| !m.is_empty()),
        "`message` is not a non-empty string",
    );
    expect(
        d["help"].is_null() || d["help"].as_str().is_some_and(|h| !h.is_empty()),
        "`help` is neither a non-empty string nor null",
    );
    expect(d["file"] == file, "`file` is not the file passed");
    if d["line"].is_null() && d["column"].is_null() {
        expect(d["end"].is_null(), "an unlocated diagnostic has an `end`");
    } else {
        let start = (position(&d["line"]), position(&d["column"]));
        let end = (position(&d["end"]["line"]), position(&d["end"]["column"]));
        expect(
            matches!(start, (Some(_), Some(_))),
            "`line` and `column` are not both integers >= 1",
        );
        expect(
            keys(&d["end"]) == ["column", "line"] && matches!(end, (Some(_), Some(_))),
            "`end` is not exactly {line, column} with integers >= 1",
        );
        expect(end >= start, "`end` is before the start");
    }
    problems
}

#[test]
fn json_reports_have_the_documented_shape() {
    let mut problems = Vec::new();
    let mut severities: BTreeSet<String> = BTreeSet::new();
    for input in inputs() {
        let label = input.label();
        let outcome = input.validate("json");
        let report = parse(&outcome, &label);
        if keys(&report) != ["diagnostics", "errors", "warnings"] {
            problems.push(format!(
                "{label}: top-level keys are {:?}, not diagnostics, errors, warnings",
                keys(&report)
            ));
            continue;
        }
        let Some(diagnostics) = report["diagnostics"].as_array() else {
            problems.push(format!("{label}: `diagnostics` is not a list"));
            continue;
        };
        let count = |severity: &str| {
            diagnostics
                .iter()
                .filter(|d| d["severity"] == severity)
                .count()
        };
        let (errors, warnings) = (count("error"), count("warning"));
        severities.extend(
            diagnostics
                .iter()
                .filter_map(|d| d["severity"].as_str().map(str::to_owned)),
        );
        if report["errors"].as_u64() != Some(errors as u64)
            || report["warnings"].as_u64() != Some(warnings as u64)
        {
            problems.push(format!(
                "{label}: `errors` {} and `warnings` {} do not count the {errors} error(s) and {warnings} warning(s) listed",
                report["errors"], report["warnings"]
            ));
        }
        if (outcome.code == 1) != (errors > 0) {
            problems.push(format!(
                "{label}: exit code {} with {errors} error(s)",
                outcome.code
            ));
        }
        for d in diagnostics {
            problems.extend(
                json_diagnostic_problems(d, &input.file)
                    .into_iter()
                    .map(|p| format!("{label}: {p}")),
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        severities,
        BTreeSet::from(["error".to_owned(), "warning".to_owned()]),
        "the inputs should cover both severities"
    );
}

/// ARCHITECTURE.md: "Every diagnostic has a stable code, a span and a help line".
#[test]
fn every_diagnostic_has_a_help_line() {
    let mut missing = Vec::new();
    for input in inputs() {
        let outcome = input.validate("json");
        for d in parse(&outcome, &input.label())["diagnostics"]
            .as_array()
            .unwrap()
        {
            if !d["help"].is_string() {
                missing.push(format!("{}: {} `{}`", input.file, d["code"], d["message"]));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "diagnostics without `help`:\n{}",
        missing.join("\n")
    );
}

/// Every input recorded under `fuzz/regressions/` (inputs the fuzzer found a problem with)
/// is reported without a crash, and its JSON positions agree with the human report's
/// `file:line:column` header and never end before they start.
#[test]
fn fuzz_regressions_report_consistent_positions() {
    let dir = repo_root().join("fuzz").join("regressions");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f != "README.md")
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no inputs in {}", dir.display());
    let mut problems = Vec::new();
    for file in &files {
        let json = baas_in(&dir, &["validate", "--format", "json", file]);
        let human = baas_in(&dir, &["validate", file]);
        let report = parse(&json, file);
        for d in report["diagnostics"].as_array().unwrap() {
            problems.extend(
                json_diagnostic_problems(d, file)
                    .into_iter()
                    .map(|p| format!("{file}: {p}")),
            );
            if let (Some(line), Some(column)) = (d["line"].as_u64(), d["column"].as_u64()) {
                let header = format!("╭─[{file}:{line}:{column}]");
                if !human.stderr.contains(&header) {
                    problems.push(format!(
                        "{file}: `{}` is at {line}:{column} in JSON, but the human report has no `{header}`",
                        d["code"].as_str().unwrap_or_default()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// SARIF
// ---------------------------------------------------------------------------------------------

/// The problems with one SARIF log, checked against the JSON report of the same input.
fn sarif_problems(sarif: &Value, json: &Value, file: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut expect = |ok: bool, what: String| {
        if !ok {
            problems.push(what);
        }
    };
    expect(
        sarif["version"] == "2.1.0",
        format!("`version` is {}", sarif["version"]),
    );
    expect(
        sarif["$schema"]
            .as_str()
            .is_some_and(|s| s.starts_with("https://") && s.contains("sarif-2.1.0")),
        format!("`$schema` is {}", sarif["$schema"]),
    );
    let runs = sarif["runs"].as_array().map_or(&[][..], Vec::as_slice);
    expect(runs.len() == 1, format!("{} runs instead of 1", runs.len()));
    let Some(run) = runs.first() else {
        return problems;
    };
    let driver = &run["tool"]["driver"];
    expect(
        driver["name"] == "baas",
        format!("the driver is {}", driver["name"]),
    );
    let rules: Vec<&str> = driver["rules"]
        .as_array()
        .map(|r| r.iter().filter_map(|r| r["id"].as_str()).collect())
        .unwrap_or_default();
    expect(
        rules.iter().collect::<BTreeSet<_>>().len() == rules.len(),
        "rule ids repeat".to_owned(),
    );
    let results = run["results"].as_array().map_or(&[][..], Vec::as_slice);
    let diagnostics = json["diagnostics"]
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    expect(
        results.len() == diagnostics.len(),
        format!(
            "{} results, but the JSON report has {} diagnostics",
            results.len(),
            diagnostics.len()
        ),
    );
    for (result, d) in results.iter().zip(diagnostics) {
        let rule = result["ruleId"].as_str().unwrap_or_default();
        expect(
            rule == d["code"],
            format!("ruleId `{rule}` where JSON has {}", d["code"]),
        );
        expect(
            matches!(result["level"].as_str(), Some("error" | "warning"))
                && result["level"] == d["severity"],
            format!(
                "`{rule}` has level {} (JSON: {})",
                result["level"], d["severity"]
            ),
        );
        expect(
            result["message"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            format!("`{rule}` has no message text"),
        );
        let location = &result["locations"][0]["physicalLocation"];
        expect(
            location["artifactLocation"]["uri"] == file,
            format!("`{rule}` names {}", location["artifactLocation"]["uri"]),
        );
        let region = &location["region"];
        let start = (
            position(&region["startLine"]),
            position(&region["startColumn"]),
        );
        expect(
            matches!(start, (Some(_), Some(_))),
            format!("`{rule}`: startLine/startColumn are not integers >= 1: {region}"),
        );
        if !region["endLine"].is_null() || !region["endColumn"].is_null() {
            let end = (position(&region["endLine"]), position(&region["endColumn"]));
            expect(
                matches!(end, (Some(_), Some(_))) && end >= start,
                format!("`{rule}`: the region ends before it starts: {region}"),
            );
        }
        if !d["line"].is_null() {
            expect(
                region["startLine"] == d["line"] && region["startColumn"] == d["column"],
                format!("`{rule}`: region {region} does not start where JSON says: {d}"),
            );
        }
    }
    problems
}

#[test]
fn sarif_reports_are_sarif_2_1_0_and_agree_with_json() {
    let logs = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    let mut paths = Vec::new();
    for (i, input) in inputs().into_iter().enumerate() {
        let label = input.label();
        let sarif_outcome = input.validate("sarif");
        let json_outcome = input.validate("json");
        let sarif = parse(&sarif_outcome, &label);
        let json = parse(&json_outcome, &label);
        if sarif_outcome.code != json_outcome.code {
            problems.push(format!("{label}: SARIF and JSON runs exit differently"));
        }
        problems.extend(
            sarif_problems(&sarif, &json, &input.file)
                .into_iter()
                .map(|p| format!("{label}: {p}")),
        );
        let path = logs.path().join(format!("{i:03}-{}.sarif", input.file));
        std::fs::write(&path, &sarif_outcome.stdout).unwrap();
        paths.push(path);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    validate_against_the_sarif_schema(&paths);
}

/// README.md: SARIF has "one rule per code", and each result's `ruleId` names one of them.
#[test]
fn sarif_rules_list_every_code_for_every_input() {
    let explain = baas_in(&repo_root(), &["explain", "--all"]);
    let documented: BTreeSet<&str> = explain
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("## `")?.strip_suffix('`'))
        .collect();
    assert!(!documented.is_empty());
    let mut problems = Vec::new();
    for input in inputs() {
        let sarif = parse(&input.validate("sarif"), &input.label());
        let run = &sarif["runs"][0];
        let rules: BTreeSet<&str> = run["tool"]["driver"]["rules"]
            .as_array()
            .map(|r| r.iter().filter_map(|r| r["id"].as_str()).collect())
            .unwrap_or_default();
        if rules != documented {
            let missing: Vec<_> = documented.difference(&rules).collect();
            let extra: Vec<_> = rules.difference(&documented).collect();
            problems.push(format!(
                "{}: tool.driver.rules lack {} of the {} documented codes{}",
                input.file,
                missing.len(),
                documented.len(),
                if extra.is_empty() {
                    String::new()
                } else {
                    format!(" and list undocumented ones: {extra:?}")
                }
            ));
        }
        for result in run["results"].as_array().map_or(&[][..], Vec::as_slice) {
            let rule = result["ruleId"].as_str().unwrap_or_default();
            if !rules.contains(rule) {
                problems.push(format!(
                    "{}: result `{rule}` has no rule in tool.driver.rules",
                    input.file
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Runs `tests/fixtures/sarif/validate_sarif.py` over the logs. Without Python's `jsonschema`
/// the schema check is skipped with a note, except in CI (`CI` set), where it fails.
fn validate_against_the_sarif_schema(logs: &[PathBuf]) {
    let script: &Path = &repo_root().join("tests/fixtures/sarif/validate_sarif.py");
    let run = std::process::Command::new("python3")
        .arg(script)
        .args(logs)
        .output();
    let unavailable = |why: String| {
        assert!(
            std::env::var_os("CI").is_none(),
            "cannot validate SARIF against its schema in CI: {why}"
        );
        eprintln!("note: SARIF schema validation skipped: {why}");
    };
    match run {
        Err(error) => unavailable(format!("cannot run python3: {error}")),
        Ok(output) if output.status.code() == Some(3) => {
            unavailable(String::from_utf8_lossy(&output.stderr).trim().to_owned())
        }
        Ok(output) => assert!(
            output.status.success(),
            "SARIF logs do not validate against the SARIF 2.1.0 schema:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ),
    }
}

/// A diagnostic that points into a provider template names the template the way the backend
/// was named: run as `baas validate infra/backend.yaml`, the template
/// `providers/redis.hbs` (relative to backend.yaml) is `infra/providers/redis.hbs` in JSON,
/// SARIF (`artifactLocation.uri`, which code scanning resolves from the working directory)
/// and the human report, as backend.yaml's own diagnostics are `infra/backend.yaml`.
#[test]
fn template_diagnostics_name_the_template_relative_to_the_working_directory() {
    let workspace = Workspace::new();
    workspace.write(
        "infra/backend.yaml",
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         providers:\n  redis: {template: providers/redis.hbs}\n\
         components:\n  a: {type: custom, requires: [{type: redis, key: shared, config: {sku: Standard}}]}\n",
    );
    workspace.write(
        "infra/providers/redis.hbs",
        "{\n  \"azurerm_redis_cache\": {{#if key}\n}\n",
    );
    let file = "infra/backend.yaml";
    let template = "infra/providers/redis.hbs";

    let json = workspace.baas(&["validate", "--format", "json", file]);
    let diagnostics = json.json_diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", json.stdout);
    assert_eq!(diagnostics[0]["code"], "baas::template::render");
    let sarif = parse(
        &workspace.baas(&["validate", "--format", "sarif", file]),
        file,
    );
    let uri = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
        ["artifactLocation"]["uri"];
    let human = workspace.baas(&["validate", file]);
    assert!(
        diagnostics[0]["file"] == template
            && uri == template
            && human.stderr.contains(&format!("╭─[{template}:2:")),
        "the template is named {} in JSON and {uri} in SARIF, not `{template}`:\n{}",
        diagnostics[0]["file"],
        human.stderr
    );
}
