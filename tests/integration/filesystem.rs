//! What synth may replace: never a folder that holds its own input, never a folder that only
//! looks like baas output, never through a symbolic link.

use crate::support::Workspace;
use std::fs;

const GOOD: &str = "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {type: crud-api, entity: User}\n";

#[test]
fn an_output_folder_that_holds_the_input_is_refused() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    workspace.write("out/backend.yaml", GOOD);
    let before = workspace.tree("out");
    let synth = workspace.baas(&["synth", "out/backend.yaml", "-o", "out"]);
    synth.expect_exit(2).expect_stderr("which synth reads");
    assert_eq!(workspace.tree("out"), before, "nothing was touched");
}

#[test]
fn an_output_folder_that_holds_a_template_is_refused() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         components:\n  cache:\n    type: custom\n    requires: [{type: redis, key: shared}]\n\
         providers:\n  redis: {template: out/redis.tf.json.hbs}\n",
    );
    fs::create_dir(workspace.join("out")).unwrap();
    workspace.write(
        "out/redis.tf.json.hbs",
        "{ \"azurerm_resource_group\": { \"{{key}}\": { \"name\": \"{{name}}\", \"location\": \"{{location}}\" } } }",
    );
    // A baas manifest makes the folder look replaceable.
    workspace.synth_ok("elsewhere");
    fs::copy(
        workspace.join("elsewhere/baas.manifest.json"),
        workspace.join("out/baas.manifest.json"),
    )
    .unwrap();
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(2).expect_stderr("redis.tf.json.hbs");
    assert!(workspace.join("out/redis.tf.json.hbs").is_file());
}

#[test]
fn a_file_merely_named_like_the_manifest_does_not_make_a_folder_baas_output() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("real");
    // An empty file, and a link to a real manifest elsewhere.
    for (folder, make) in [("empty", 0), ("linked", 1)] {
        workspace.write(&format!("{folder}/src/main.rs"), "fn main() {}\n");
        let manifest = workspace.join(&format!("{folder}/baas.manifest.json"));
        if make == 0 {
            fs::write(&manifest, "").unwrap();
        } else {
            std::os::unix::fs::symlink(workspace.join("real/baas.manifest.json"), &manifest)
                .unwrap();
        }
        let before = workspace.tree(folder);
        let synth = workspace.baas(&["synth", "backend.yaml", "-o", folder]);
        synth.expect_exit(2).expect_stderr("not baas output");
        assert_eq!(workspace.tree(folder), before, "{folder} was touched");
    }
}

#[test]
fn an_output_path_that_is_a_symbolic_link_is_refused() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("target");
    std::os::unix::fs::symlink(workspace.join("target"), workspace.join("link")).unwrap();
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "link"]);
    synth.expect_exit(2).expect_stderr("symbolic link");
    assert!(fs::symlink_metadata(workspace.join("link"))
        .unwrap()
        .file_type()
        .is_symlink());
}

#[test]
fn init_checks_everything_before_writing_anything() {
    let workspace = Workspace::new();
    std::os::unix::fs::symlink(workspace.join("nowhere"), workspace.join("backend.yaml")).unwrap();
    let init = workspace.baas(&["init", "."]);
    init.expect_exit(2).expect_stderr("already exists");
    assert!(
        !workspace.join("backend.schema.json").exists(),
        "the schema was written before the failure"
    );
}

#[test]
fn an_input_that_is_too_large_is_refused_in_words() {
    let workspace = Workspace::new();
    let big = vec![b'#'; 17 * 1024 * 1024];
    workspace.write("big.yaml", big);
    let validate = workspace.baas(&["validate", "big.yaml"]);
    validate.expect_exit(2).expect_stderr("larger than 16 MB");

    let validate = workspace.baas(&["validate", "/dev/zero"]);
    validate.expect_exit(2).expect_stderr("larger than 16 MB");
}

#[test]
fn a_huge_value_is_cut_in_the_report() {
    let entity = "x".repeat(100_000);
    let workspace = Workspace::with_backend(&format!(
        "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {{type: crud-api, entity: {entity}}}\n"
    ));
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1);
    assert!(
        validate.stderr.len() < 20_000,
        "{} bytes",
        validate.stderr.len()
    );
    assert!(
        validate.stderr.contains("characters in all"),
        "{}",
        &validate.stderr[..500]
    );
}

/// `out/main` a link to a folder outside: the new output never hard-links a file out there.
#[test]
fn files_reached_through_a_linked_folder_are_never_reused() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    fs::rename(workspace.join("out/main"), workspace.join("ext")).unwrap();
    std::os::unix::fs::symlink(workspace.join("ext"), workspace.join("out/main")).unwrap();
    workspace.synth_ok("out");
    use std::os::unix::fs::MetadataExt;
    let inside = fs::metadata(workspace.join("out/main/main.tf.json")).unwrap();
    let outside = fs::metadata(workspace.join("ext/main.tf.json")).unwrap();
    assert!(!fs::symlink_metadata(workspace.join("out/main"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert_ne!(
        inside.ino(),
        outside.ino(),
        "the output shares an inode with a file outside it"
    );
    assert_eq!(outside.nlink(), 1);
}

/// What an interrupted run left beside the output (a SIGKILL between two steps) is removed by
/// the next one.
#[test]
fn leftovers_of_interrupted_runs_are_removed() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.write(".baas-staging-abc123/main/main.tf.json", "{}\n");
    workspace.write(".baas-previous-def456/out/baas.manifest.json", "{}\n");
    workspace.synth_ok("out");
    assert_eq!(workspace.entries(), ["backend.yaml", "out"]);
}

/// The output folder is replaced in one step: a reader never finds it missing, and synths
/// racing on the same folder all succeed, one after the other.
#[cfg(target_os = "linux")]
#[test]
fn the_output_is_never_missing_and_racing_synths_all_succeed() {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::sync::Arc;
    let workspace = Workspace::with_backend(GOOD);
    workspace.write("other.yaml", GOOD.replace("prod", "dev"));
    workspace.synth_ok("out");
    let done = Arc::new(AtomicBool::new(false));
    let missing = Arc::new(AtomicUsize::new(0));
    let watched = workspace.join("out/baas.manifest.json");
    let watcher = {
        let (done, missing) = (done.clone(), missing.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                if !watched.exists() {
                    missing.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    // Alternating inputs, so that every run replaces the output.
    let synth = |i: usize| {
        let input = if i % 2 == 0 {
            "backend.yaml"
        } else {
            "other.yaml"
        };
        let mut command = std::process::Command::new(crate::support::baas_bin());
        command
            .current_dir(workspace.path())
            .args(["synth", input, "-o", "out"])
            .stderr(std::process::Stdio::piped());
        command
    };
    let runs: Vec<_> = (0..8).map(|i| synth(i).output().unwrap()).collect();
    let racing: Vec<_> = (0..6).map(|i| synth(i).spawn().unwrap()).collect();
    let raced: Vec<_> = racing
        .into_iter()
        .map(|child| child.wait_with_output().unwrap())
        .collect();
    done.store(true, Ordering::Relaxed);
    watcher.join().unwrap();
    for output in runs.iter().chain(&raced) {
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    assert_eq!(missing.load(Ordering::Relaxed), 0, "the output was missing");
    let leftovers: Vec<_> = workspace
        .entries()
        .into_iter()
        .filter(|name| name.starts_with(".baas-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A template path that is fine as a string but leads elsewhere: through a link out of the
/// backend's folder, or to something that is not a regular file.
#[test]
fn templates_are_read_only_from_regular_files_inside_the_backend_folder() {
    let backend = "name: shop\nenvironment: prod\nlocation: eastus\n\
         components:\n  cache:\n    type: custom\n    requires: [{type: redis, key: shared}]\n\
         providers:\n  redis: {template: providers/redis.tf.json.hbs}\n";
    let workspace = Workspace::with_backend(backend);
    fs::create_dir(workspace.join("providers")).unwrap();
    std::os::unix::fs::symlink("/etc/passwd", workspace.join("providers/redis.tf.json.hbs"))
        .unwrap();
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1).expect_stderr("leads outside");
    assert!(!validate.stderr.contains("root:"), "{}", validate.stderr);

    let workspace = Workspace::with_backend(backend);
    fs::create_dir(workspace.join("providers")).unwrap();
    let fifo = workspace.join("providers/redis.tf.json.hbs");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1).expect_stderr("not a regular file");
}

#[test]
fn check_against_a_file_is_a_usage_error_like_synth() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.write("out", "not a folder\n");
    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(2).expect_stderr("is not a folder");
}

#[test]
fn a_template_may_start_with_a_byte_order_mark() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         components:\n  cache:\n    type: custom\n    requires: [{type: rg, key: extra}]\n\
         providers:\n  rg: {template: rg.hbs}\n",
    );
    workspace.write(
        "rg.hbs",
        "\u{feff}{ \"azurerm_resource_group\": { \"{{key}}\": { \"name\": \"{{name}}\", \"location\": \"{{location}}\" } } }",
    );
    workspace.synth_ok("out");
}

/// `-o .` from inside an output folder, and `-o out/.`: replaced where they are.
#[test]
fn the_working_folder_and_a_dot_path_can_be_the_output() {
    let workspace = Workspace::with_backend(GOOD);
    workspace.synth_ok("out");
    let fresh = workspace.tree("out");
    workspace.write("out/stale/main.tf.json", "{}\n");
    let synth = crate::support::baas_in(
        &workspace.join("out"),
        &["synth", "../backend.yaml", "-o", "."],
    );
    synth.expect_exit(0);
    assert_eq!(workspace.tree("out"), fresh);
    assert!(workspace.join("out").is_dir());

    workspace.write("out/stale/main.tf.json", "{}\n");
    workspace
        .baas(&["synth", "backend.yaml", "-o", "out/."])
        .expect_exit(0);
    assert_eq!(workspace.tree("out"), fresh);
    let leftovers: Vec<_> = workspace
        .entries()
        .into_iter()
        .filter(|name| name.starts_with(".baas-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A mount point (a Docker volume, a tmpfs) cannot be renamed, and the staging folder beside
/// it is on another file system: its contents are replaced by copying, the manifest last.
/// Runs the real binary in a private mount namespace (`unshare -rm`, an unprivileged user
/// namespace), so the test needs no root and leaves no mount behind.
#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_can_be_the_output_and_is_replaced_in_place() {
    let workspace = Workspace::with_backend(GOOD);
    fs::create_dir(workspace.join("out")).unwrap();
    let baas = crate::support::baas_bin();
    let bigger = format!("{GOOD}  orders: {{type: crud-api, entity: Order}}\n");
    workspace.write("bigger.yaml", &bigger);
    // Each step prints its exit code; `set -e` would hide which one failed.
    let script = format!(
        "mount -t tmpfs none out || exit 90\n\
         {baas} synth backend.yaml -o out >/dev/null 2>&1; echo fresh=$?\n\
         {baas} synth bigger.yaml -o out >/dev/null 2>&1; echo replaced=$?\n\
         {baas} synth --check bigger.yaml -o out >/dev/null 2>&1; echo check=$?\n\
         grep -c '\"orders\"' out/baas.manifest.json >/dev/null; echo orders=$?\n\
         (cd out && {baas} synth ../backend.yaml -o . >/dev/null 2>&1; echo dot=$?)\n\
         {baas} synth --check backend.yaml -o out >/dev/null 2>&1; echo check_dot=$?\n\
         ls -A out | tr '\\n' ' '; echo\n\
         ls -A . | tr '\\n' ' '; echo\n",
        baas = baas.display()
    );
    let output = std::process::Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .current_dir(workspace.path())
        .output()
        .expect("`unshare` (util-linux) runs this test in a private mount namespace");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "cannot mount a tmpfs in a user namespace (`unshare -rm`; needs unprivileged user namespaces): {stderr}"
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        &lines[..6],
        &[
            "fresh=0",
            "replaced=0",
            "check=0",
            "orders=0",
            "dot=0",
            "check_dot=0"
        ],
        "{stdout}{stderr}"
    );
    // The mount holds the output and nothing else; no staging or parked folder is left.
    assert_eq!(lines[6].trim(), "apps baas.manifest.json main", "{stdout}");
    assert_eq!(lines[7].trim(), "backend.yaml bigger.yaml out", "{stdout}");
}
