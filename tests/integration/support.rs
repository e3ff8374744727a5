//! Running the real `baas` binary the way a user would: in a folder, with arguments, and
//! reading what it printed and wrote.
//!
//! stderr is always a pipe here, and `NO_COLOR=1` is set, so the human diagnostics render
//! without colour and are stable text for snapshots.

use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The workspace root (where `examples/` and `tests/fixtures/` live).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example folders that hold a `backend.yaml`, sorted.
pub fn examples() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(repo_root().join("examples"))
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("backend.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `tests/fixtures/bad`: one bad `backend.yaml` per rule.
pub fn bad_fixtures_dir() -> PathBuf {
    repo_root().join("tests").join("fixtures").join("bad")
}

/// The path of the built `baas` binary.
pub fn baas_bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("baas")
}

/// What one run of `baas` did.
#[derive(Debug)]
pub struct Outcome {
    pub args: Vec<String>,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// Asserts the exit code, showing what baas printed when it is not the expected one.
    #[track_caller]
    pub fn expect_exit(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            code,
            "`baas {}` exited with {} instead of {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.args.join(" "),
            self.code,
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts that a diagnostic with this code was printed.
    #[track_caller]
    pub fn expect_code(&self, code: &str) -> &Self {
        assert!(
            self.codes().iter().any(|c| c == code),
            "`baas {}` did not report `{code}`; it reported {:?}\n--- stderr\n{}",
            self.args.join(" "),
            self.codes(),
            self.stderr
        );
        self
    }

    /// Asserts that standard error says `text`.
    #[track_caller]
    pub fn expect_stderr(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "`baas {}` did not say `{text}`\n--- stderr\n{}",
            self.args.join(" "),
            self.stderr
        );
        self
    }

    /// The diagnostic codes of the human report, in order (one line per rendered diagnostic).
    pub fn codes(&self) -> Vec<String> {
        self.stderr
            .lines()
            .filter(|l| l.starts_with("baas::") && !l.contains(' '))
            .map(str::to_owned)
            .collect()
    }

    /// Every rendered diagnostic with this code, from its code line to the blank line that
    /// follows its help (or the next diagnostic).
    pub fn blocks(&self, code: &str) -> Vec<String> {
        let mut blocks = Vec::new();
        let mut current: Option<Vec<&str>> = None;
        for line in self.stderr.lines() {
            let starts_diagnostic = line.starts_with("baas::") && !line.contains(' ');
            let is_summary = line.contains(" error(s), ") && line.ends_with(" warning(s)");
            if starts_diagnostic || is_summary {
                if let Some(lines) = current.take() {
                    blocks.push(lines.join("\n").trim_end().to_owned());
                }
                if line == code {
                    current = Some(vec![line]);
                }
            } else if let Some(lines) = current.as_mut() {
                lines.push(line);
            }
        }
        if let Some(lines) = current {
            blocks.push(lines.join("\n").trim_end().to_owned());
        }
        blocks
    }

    /// The one rendered diagnostic with this code.
    #[track_caller]
    pub fn block(&self, code: &str) -> String {
        let blocks = self.blocks(code);
        assert_eq!(
            blocks.len(),
            1,
            "expected exactly one `{code}` diagnostic\n--- stderr\n{}",
            self.stderr
        );
        blocks.into_iter().next().unwrap_or_default()
    }

    /// The diagnostics of a `--format json` run.
    #[track_caller]
    pub fn json_diagnostics(&self) -> Vec<Value> {
        let report: Value = serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "`baas {}` printed no JSON ({e}):\n{}",
                self.args.join(" "),
                self.stdout
            )
        });
        report["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The errors of the `--format json` report, without the warnings.
    pub fn json_errors(&self) -> Vec<Value> {
        self.json_diagnostics()
            .into_iter()
            .filter(|d| d["severity"] == "error")
            .collect()
    }

    /// `(errors, warnings)` from the summary line the human report ends with.
    #[track_caller]
    pub fn counts(&self) -> (usize, usize) {
        let line = self
            .stderr
            .lines()
            .rev()
            .find(|l| l.contains(" error(s), "))
            .unwrap_or_else(|| panic!("no summary line in stderr:\n{}", self.stderr));
        let tail = line.rsplit(": ").next().unwrap_or_default();
        let numbers: Vec<usize> = tail
            .split(", ")
            .map(|part| part.split(' ').next().unwrap_or_default().parse().unwrap())
            .collect();
        (numbers[0], numbers[1])
    }
}

/// Runs `baas ARGS` in `dir`.
pub fn baas_in(dir: &Path, args: &[&str]) -> Outcome {
    let output = assert_cmd::Command::cargo_bin("baas")
        .expect("the baas binary is built for integration tests")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("FORCE_COLOR")
        .args(args)
        .output()
        .expect("baas runs");
    outcome(args, &output)
}

pub fn outcome(args: &[&str], output: &std::process::Output) -> Outcome {
    Outcome {
        args: args.iter().map(|a| (*a).to_owned()).collect(),
        code: output
            .status
            .code()
            .unwrap_or_else(|| panic!("`baas {}` was killed by a signal", args.join(" "))),
        stdout: String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8"),
    }
}

/// A scratch folder the user works in: it holds `backend.yaml` and the output folders.
#[derive(Debug)]
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    pub fn new() -> Workspace {
        Workspace {
            dir: tempfile::tempdir().expect("a temporary folder"),
        }
    }

    /// A workspace whose `backend.yaml` holds `yaml`.
    pub fn with_backend(yaml: &str) -> Workspace {
        let workspace = Workspace::new();
        workspace.write("backend.yaml", yaml);
        workspace
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn join(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) {
        let path = self.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).unwrap();
        }
        fs::write(path, contents).unwrap();
    }

    /// Runs `baas ARGS` inside the workspace.
    pub fn baas(&self, args: &[&str]) -> Outcome {
        baas_in(self.path(), args)
    }

    /// `baas synth backend.yaml -o OUT`, expected to succeed.
    #[track_caller]
    pub fn synth_ok(&self, out: &str) -> Outcome {
        let outcome = self.baas(&["synth", "backend.yaml", "-o", out]);
        outcome.expect_exit(0);
        outcome
    }

    /// The parsed `OUT/main/main.tf.json`.
    pub fn stack(&self, out: &str) -> Value {
        let text = fs::read_to_string(self.join(out).join("main").join("main.tf.json"))
            .unwrap_or_else(|e| panic!("cannot read `{out}/main/main.tf.json`: {e}"));
        serde_json::from_str(&text).expect("main.tf.json is JSON")
    }

    /// Every file under `relative`, by path relative to it.
    pub fn tree(&self, relative: &str) -> BTreeMap<String, Vec<u8>> {
        tree(&self.join(relative))
    }

    /// Names of the entries directly in the workspace folder, sorted.
    pub fn entries(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// Every file under `root` (relative path with `/` -> bytes). Empty when `root` is missing.
pub fn tree(root: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = fs::read_dir(dir).unwrap().map(|e| e.unwrap()).collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let path = entry.path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let relative = path
                    .strip_prefix(root)
                    .unwrap()
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.insert(relative, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if root.is_dir() {
        walk(root, root, &mut out);
    }
    out
}

/// The names (Terraform addresses without the type) of the resources of one type.
pub fn resource_names(stack: &Value, resource_type: &str) -> Vec<String> {
    stack["resource"][resource_type]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// One resource's body.
#[track_caller]
pub fn resource<'a>(stack: &'a Value, resource_type: &str, name: &str) -> &'a Value {
    let body = &stack["resource"][resource_type][name];
    assert!(
        !body.is_null(),
        "`{resource_type}.{name}` is not in the stack; {resource_type}: {:?}",
        resource_names(stack, resource_type)
    );
    body
}

/// A backend with the required keys, the Consumption plan chosen knowingly (last, so that
/// the components keep their lines; no `baas::functions::consumption_default`), and these `components` (indented YAML under `components:`).
pub fn backend_with(components: &str) -> String {
    format!("name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n{components}functions: {{plan: Y1}}\n")
}
