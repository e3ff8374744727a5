//! Writing the output folder: all of it or nothing, and comparing it for `--check`.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

const MANIFEST: &str = "baas.manifest.json";

/// What [`write_atomically`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// `out` now holds the new files, and nothing else.
    Replaced,
    /// `out` already held exactly these files, as regular files and nothing else: it was left
    /// alone, which is the state a replacement would have produced.
    AlreadyUpToDate,
}

/// Writes `files` into a temporary folder beside `out` and swaps it into place, so a failure
/// at any point leaves the previous output untouched. `out` is replaced as a whole; to protect
/// a folder that is not baas output (`-o .`, say), a non-empty `out` without a manifest is refused.
pub fn write_atomically(out: &Path, files: &BTreeMap<String, String>) -> Result<Written, String> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    if out.exists() {
        guard_existing(out)?;
        // Re-running synth on an unchanged input is the common case (editors, watch loops,
        // CI): replacing a folder with an identical one would only create, rename and
        // remove directories.
        if holds_exactly(out, files) {
            return Ok(Written::AlreadyUpToDate);
        }
    }
    fs::create_dir_all(&parent)
        .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".baas-staging-")
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "cannot create a temporary folder in `{}`: {e}",
                parent.display()
            )
        })?;
    for (relative, contents) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        // A file the previous output already holds byte for byte is linked, not written: it
        // keeps its inode and modification time (build tools see no change), and removing the
        // previous output then frees no data.
        let previous = out.join(relative);
        if unchanged(&previous, contents) && fs::hard_link(&previous, &path).is_ok() {
            continue;
        }
        fs::write(&path, contents)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    swap_into_place(staging, out, &parent)?;
    Ok(Written::Replaced)
}

/// Whether `out` holds `files` as regular files with exactly these bytes, and nothing else
/// (no other file, link or empty folder).
fn holds_exactly(out: &Path, files: &BTreeMap<String, String>) -> bool {
    let mut present = Vec::new();
    regular_files(out, "", &mut present)
        && present.len() == files.len()
        && present.iter().all(|relative| {
            files
                .get(relative)
                .is_some_and(|contents| unchanged(&out.join(relative), contents))
        })
}

/// Collects the files under `dir` (as `/`-separated relative paths); false if it meets
/// anything but regular files and non-empty folders, or cannot read a folder.
fn regular_files(dir: &Path, prefix: &str, found: &mut Vec<String>) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    let before = found.len();
    for entry in entries {
        let Ok(entry) = entry else {
            return false;
        };
        let Ok(kind) = entry.file_type() else {
            return false;
        };
        let Some(name) = entry.file_name().to_str().map(|n| format!("{prefix}{n}")) else {
            return false;
        };
        if kind.is_dir() {
            if !regular_files(&entry.path(), &format!("{name}/"), found) {
                return false;
            }
        } else if kind.is_file() {
            found.push(name);
        } else {
            return false;
        }
    }
    // An empty folder is not part of any synth's output.
    found.len() > before
}

/// Whether `previous` is a regular file (not a link to one elsewhere) with exactly `contents`.
fn unchanged(previous: &Path, contents: &str) -> bool {
    fs::symlink_metadata(previous).is_ok_and(|m| m.is_file() && m.len() == contents.len() as u64)
        && fs::read(previous).is_ok_and(|bytes| bytes == contents.as_bytes())
}

fn guard_existing(out: &Path) -> Result<(), String> {
    if !out.is_dir() {
        return Err(format!("`{}` exists and is not a folder", out.display()));
    }
    let empty = fs::read_dir(out)
        .map_err(|e| format!("cannot read `{}`: {e}", out.display()))?
        .next()
        .is_none();
    if !empty && !out.join(MANIFEST).is_file() {
        return Err(format!(
            "refusing to replace `{}`: it is not empty and holds no `{MANIFEST}`, so it is not baas output; choose another `--out`",
            out.display()
        ));
    }
    Ok(())
}

fn swap_into_place(staging: tempfile::TempDir, out: &Path, parent: &Path) -> Result<(), String> {
    let previous = if out.exists() {
        let holder = tempfile::Builder::new()
            .prefix(".baas-previous-")
            .tempdir_in(parent)
            .map_err(|e| {
                format!(
                    "cannot create a temporary folder in `{}`: {e}",
                    parent.display()
                )
            })?;
        let moved = holder.path().join("out");
        fs::rename(out, &moved)
            .map_err(|e| format!("cannot move the previous `{}` aside: {e}", out.display()))?;
        Some((holder, moved))
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(error) = fs::rename(&staged, out) {
        // Put the previous output back; the new one stays out of the way.
        if let Some((_, moved)) = &previous {
            let _ = fs::rename(moved, out);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(format!(
            "cannot move the new output into `{}`: {error}",
            out.display()
        ));
    }
    // `previous` drops here and removes the old output.
    Ok(())
}

/// Files under `out` that differ from, are missing from, or are not part of a fresh synth
/// (a synth would remove those, since it replaces `out` as a whole).
pub fn stale_files(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut stale = Vec::new();
    for (relative, contents) in files {
        match fs::read(out.join(relative)) {
            Ok(existing) if existing == contents.as_bytes() => {}
            Ok(_) => stale.push(format!("{relative} (differs)")),
            Err(_) => stale.push(format!("{relative} (missing)")),
        }
    }
    let mut present = Vec::new();
    if out.is_dir() {
        list_files(out, "", &mut present)?;
    }
    present.sort();
    stale.extend(
        present
            .into_iter()
            .filter(|f| !files.contains_key(f))
            .map(|f| format!("{f} (no longer produced; synth would remove it)")),
    );
    Ok(stale)
}

/// Every file under `dir`, as `/`-separated paths relative to the top.
fn list_files(dir: &Path, prefix: &str, out: &mut Vec<String>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if entry.path().is_dir() {
            list_files(&entry.path(), &format!("{name}/"), out)?;
        } else {
            out.push(name);
        }
    }
    Ok(())
}
