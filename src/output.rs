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
    // The real parent: for `-o .` or `-o out/.` the folder's own name is in its real path.
    let real = fs::canonicalize(out).unwrap_or_else(|_| out.to_path_buf());
    let parent = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    if out.exists() {
        guard_existing(out)?;
        // Re-running synth on an unchanged input is the common case (editors, watch loops,
        // CI): replacing a folder with an identical one would only create, rename and
        // remove directories.
        if stale_files(out, files).is_ok_and(|stale| stale.is_empty()) {
            return Ok(Written::AlreadyUpToDate);
        }
    }
    fs::create_dir_all(&parent)
        .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
    let _lock = lock_and_clean(&parent);
    let staging = tempfile::Builder::new()
        .prefix(STAGING_PREFIX)
        .tempdir_in(&parent)
        .map_err(|e| {
            format!(
                "cannot create a temporary folder in `{}`: {e}",
                parent.display()
            )
        })?;
    let mut previous_files = BTreeMap::new();
    if out.is_dir() {
        // What cannot be walked is simply written anew.
        let _ = walk(out, "", &mut previous_files);
    }
    for (relative, contents) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        }
        // A file the previous output already holds byte for byte is linked, not written: it
        // keeps its inode and modification time (build tools see no change), and removing the
        // previous output then frees no data.
        // Only regular files the walk found inside `out` qualify: a path through a linked
        // folder (`out/main` -> `../ext`) would hard-link a file from outside the output.
        let previous = out.join(relative);
        if previous_files.get(relative.as_str()) == Some(&Entry::File)
            && unchanged(&previous, contents)
            && fs::hard_link(&previous, &path).is_ok()
        {
            continue;
        }
        fs::write(&path, contents)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    // The working folder (`-o .`) is replaced in place: renaming it away would leave the
    // shell that ran synth in a deleted folder.
    let in_place = std::env::current_dir()
        .and_then(fs::canonicalize)
        .is_ok_and(|cwd| cwd == real);
    if in_place {
        let staged = staging.keep();
        let replaced = replace_contents(&staged, out);
        let _ = fs::remove_dir_all(&staged);
        replaced?;
    } else {
        swap_into_place(staging, &real, &parent)?;
    }
    Ok(Written::Replaced)
}

/// The first of `inputs` that lies inside the folder `out` (its real path, links resolved), if
/// `out` exists: replacing `out` would delete it.
pub fn inside(
    out: &Path,
    mut inputs: impl Iterator<Item = std::path::PathBuf>,
) -> Option<std::path::PathBuf> {
    let out = fs::canonicalize(out).ok()?;
    inputs.find(|input| fs::canonicalize(input).is_ok_and(|real| real.starts_with(&out)))
}

/// Whether `previous` is a regular file (not a link to one elsewhere) with exactly `contents`.
fn unchanged(previous: &Path, contents: &str) -> bool {
    fs::symlink_metadata(previous).is_ok_and(|m| m.is_file() && m.len() == contents.len() as u64)
        && fs::read(previous).is_ok_and(|bytes| bytes == contents.as_bytes())
}

fn guard_existing(out: &Path) -> Result<(), String> {
    let metadata =
        fs::symlink_metadata(out).map_err(|e| format!("cannot read `{}`: {e}", out.display()))?;
    if metadata.file_type().is_symlink() {
        // Replacing the link would leave its target holding the old output, and following it
        // would replace a folder the command line does not name: refuse both.
        return Err(format!(
            "`{}` is a symbolic link; give the folder it points to as `--out`",
            out.display()
        ));
    }
    if !metadata.is_dir() {
        return Err(format!("`{}` exists and is not a folder", out.display()));
    }
    if !empty_or_baas_output(out)? {
        return Err(format!(
            "refusing to replace `{}`: it is not empty and holds no `{MANIFEST}` written by baas, so it is not baas output; choose another `--out`",
            out.display()
        ));
    }
    Ok(())
}

/// Whether the folder `out` may be taken for baas output: it is empty, or it holds a manifest
/// baas wrote. synth replaces only such a folder, and diff reads only such a folder.
fn empty_or_baas_output(out: &Path) -> Result<bool, String> {
    let empty = fs::read_dir(out)
        .map_err(|e| format!("cannot read `{}`: {e}", out.display()))?
        .next()
        .is_none();
    Ok(empty || is_baas_output(out))
}

/// Whether `out` holds a manifest baas wrote: a regular file (a link is never followed) that
/// parses as baas's manifest. A file that is merely named like one does not count.
fn is_baas_output(out: &Path) -> bool {
    let manifest = out.join(MANIFEST);
    let regular = fs::symlink_metadata(&manifest).is_ok_and(|m| m.is_file());
    regular
        && fs::read(&manifest)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok())
            .is_some_and(|manifest| {
                manifest.get("baas_version").is_some_and(|v| v.is_string())
                    && manifest.get("stacks").is_some_and(|v| v.is_object())
                    && manifest.get("deploy_order").is_some_and(|v| v.is_array())
            })
}

fn swap_into_place(staging: tempfile::TempDir, out: &Path, parent: &Path) -> Result<(), String> {
    let staged = staging.keep();
    // One atomic step where the file system allows it: readers see the old folder or the new
    // one, never none, and a kill at any moment leaves one of them in place.
    #[cfg(target_os = "linux")]
    if out.is_dir() && exchange(&staged, out).is_ok() {
        // `staged` now holds the previous output.
        let _ = fs::remove_dir_all(&staged);
        return Ok(());
    }
    // Elsewhere (or on a file system without the exchange): two renames.
    let previous = if out.exists() {
        let holder = tempfile::Builder::new()
            .prefix(PREVIOUS_PREFIX)
            .tempdir_in(parent)
            .map_err(|e| {
                format!(
                    "cannot create a temporary folder in `{}`: {e}",
                    parent.display()
                )
            })?;
        let moved = holder.path().join("out");
        if fs::rename(out, &moved).is_err() {
            // A mount point (a volume, a tmpfs) cannot be renamed: replace what it holds.
            let replaced = replace_contents(&staged, out);
            let _ = fs::remove_dir_all(&staged);
            return replaced;
        }
        Some((holder, moved))
    } else {
        None
    };
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

/// Replaces the contents of `out` with those of `staged`, for an `out` that cannot be renamed.
/// Not atomic, but never a mix that passes for current output: the old files go first, and
/// the manifest comes last, so an interruption leaves a folder `--check` calls stale.
fn replace_contents(staged: &Path, out: &Path) -> Result<(), String> {
    let cannot =
        |what: &Path, e: std::io::Error| format!("cannot replace `{}`: {e}", what.display());
    for entry in fs::read_dir(out).map_err(|e| cannot(out, e))? {
        let path = entry.map_err(|e| cannot(out, e))?.path();
        let is_dir = fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir());
        let removed = if is_dir {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        removed.map_err(|e| cannot(&path, e))?;
    }
    let mut names: Vec<std::ffi::OsString> = fs::read_dir(staged)
        .map_err(|e| cannot(staged, e))?
        .filter_map(|entry| entry.ok().map(|e| e.file_name()))
        .collect();
    // The manifest last.
    names.sort_by_key(|name| name == MANIFEST);
    for name in names {
        move_across(&staged.join(&name), &out.join(&name)).map_err(|e| cannot(out, e))?;
    }
    Ok(())
}

/// Renames `from` to `to`, or copies it when they are on different file systems: the staging
/// folder sits beside `out`, on the parent's file system, while a mount point's contents are
/// on the mounted one, where a rename fails with `EXDEV`.
fn move_across(from: &Path, to: &Path) -> std::io::Result<()> {
    match fs::rename(from, to) {
        Err(error) if error.kind() == std::io::ErrorKind::CrossesDevices => copy_tree(from, to),
        done => done,
    }
}

/// Copies a folder of regular files and folders (staged output holds nothing else).
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if fs::symlink_metadata(from)?.is_dir() {
        fs::create_dir(to)?;
        let mut entries: Vec<_> = fs::read_dir(from)?
            .map(|entry| entry.map(|e| e.file_name()))
            .collect::<Result<_, _>>()?;
        entries.sort();
        for name in entries {
            copy_tree(&from.join(&name), &to.join(&name))?;
        }
        Ok(())
    } else {
        fs::copy(from, to).map(|_| ())
    }
}

/// Swaps two folders with `renameat2(RENAME_EXCHANGE)`.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).map_err(std::io::Error::from)
}

/// Holds an exclusive advisory lock on the output's parent folder while it lives, so that
/// synths into the same place run one after the other (Linux; elsewhere a no-op).
pub struct Lock {
    #[cfg(target_os = "linux")]
    _folder: Option<fs::File>,
}

/// Takes the lock on `parent`, then removes what interrupted runs left there: staging and
/// parked folders that no running synth can own while the lock is held.
pub fn lock_and_clean(parent: &Path) -> Lock {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{flock, FlockOperation};
        let folder = fs::File::open(parent)
            .ok()
            .filter(|f| flock(f, FlockOperation::LockExclusive).is_ok());
        if folder.is_some() {
            remove_leftovers(parent);
        }
        Lock { _folder: folder }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = parent;
        Lock {}
    }
}

const STAGING_PREFIX: &str = ".baas-staging-";
const PREVIOUS_PREFIX: &str = ".baas-previous-";

#[cfg(target_os = "linux")]
fn remove_leftovers(parent: &Path) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let ours = name.starts_with(STAGING_PREFIX) || name.starts_with(PREVIOUS_PREFIX);
        // Only real folders, never through a link.
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Why `out` is not what a synth would leave, one line per file: files that differ, are
/// missing, are not regular files (a link), or are not part of a fresh synth, and empty
/// folders. Empty exactly when synth would leave `out` as it is (`Written::AlreadyUpToDate`).
pub fn stale_files(out: &Path, files: &BTreeMap<String, String>) -> Result<Vec<String>, String> {
    let mut present = BTreeMap::new();
    if out.is_dir() {
        walk(out, "", &mut present)?;
    }
    let mut stale = Vec::new();
    for (relative, contents) in files {
        match present.get(relative) {
            None => stale.push(format!("{relative} (missing)")),
            Some(Entry::File) if unchanged(&out.join(relative), contents) => {}
            Some(Entry::File) => stale.push(format!("{relative} (differs)")),
            Some(_) => stale.push(format!(
                "{relative} (not a regular file; synth would write one)"
            )),
        }
    }
    for (name, entry) in &present {
        if files.contains_key(name) {
            continue;
        }
        stale.push(match entry {
            Entry::EmptyFolder => format!("{name}/ (an empty folder; synth would remove it)"),
            Entry::File | Entry::Other => {
                format!("{name} (no longer produced; synth would remove it)")
            }
        });
    }
    Ok(stale)
}

/// The committed output as `baas diff` reads it: regular files by relative path, and what is
/// not a regular file (symbolic links, never followed; special files; empty folders).
#[derive(Debug, Default)]
pub struct Committed {
    pub files: BTreeMap<String, String>,
    pub foreign: Vec<String>,
}

/// The largest committed file `diff` reads: a stack of 5,000 components in one region is
/// about 6 MB, so this only stops a wrong folder (a disk image) from taking the memory.
const MAX_COMMITTED_FILE: u64 = 256 * 1024 * 1024;

/// Reads every regular file under `out` with the walk `--check` uses: links are listed, not
/// followed, so nothing outside `out` is read. A missing or empty `out` is empty; a folder
/// that holds something but no manifest written by baas is refused, as synth refuses to
/// replace it (`diff -o .` would otherwise read the whole working folder). A file that is not
/// UTF-8 is read with replacement characters: it differs from anything synth writes.
pub fn read_committed(out: &Path) -> Result<Committed, String> {
    let mut committed = Committed::default();
    let Ok(metadata) = fs::symlink_metadata(out) else {
        return Ok(committed);
    };
    if !metadata.is_dir() {
        return Err(format!(
            "`{}` is not a folder (a symbolic link is not followed)",
            out.display()
        ));
    }
    if !empty_or_baas_output(out)? {
        return Err(format!(
            "`{}` holds no `{MANIFEST}` written by baas, so it is not baas output; give the folder synth writes as `--out`",
            out.display()
        ));
    }
    let mut present = BTreeMap::new();
    walk(out, "", &mut present)?;
    for (relative, entry) in present {
        match entry {
            Entry::File => {
                let path = out.join(&relative);
                // Checked again right before reading: a file swapped for a link meanwhile is
                // not followed.
                let metadata = fs::symlink_metadata(&path);
                if !metadata.as_ref().is_ok_and(|m| m.is_file()) {
                    committed.foreign.push(relative);
                    continue;
                }
                if metadata.is_ok_and(|m| m.len() > MAX_COMMITTED_FILE) {
                    return Err(format!(
                        "`{}` is larger than {} MB, more than baas ever writes",
                        path.display(),
                        MAX_COMMITTED_FILE / 1024 / 1024
                    ));
                }
                let bytes = fs::read(&path)
                    .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
                committed.files.insert(relative, text);
            }
            Entry::EmptyFolder => committed.foreign.push(format!("{relative}/")),
            Entry::Other => committed.foreign.push(relative),
        }
    }
    Ok(committed)
}

/// What [`walk`] finds at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Entry {
    File,
    EmptyFolder,
    /// A symbolic link (never followed) or a special file.
    Other,
}

/// Every file, link and empty folder under `dir`, by `/`-separated path relative to the top.
fn walk(dir: &Path, prefix: &str, found: &mut BTreeMap<String, Entry>) -> Result<(), String> {
    let unreadable = |e: std::io::Error| format!("cannot read `{}`: {e}", dir.display());
    let mut empty = true;
    for entry in fs::read_dir(dir).map_err(unreadable)? {
        let entry = entry.map_err(unreadable)?;
        let kind = entry.file_type().map_err(unreadable)?;
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        empty = false;
        if kind.is_dir() {
            walk(&entry.path(), &format!("{name}/"), found)?;
        } else if kind.is_file() {
            found.insert(name, Entry::File);
        } else {
            found.insert(name, Entry::Other);
        }
    }
    if empty && !prefix.is_empty() {
        found.insert(prefix.trim_end_matches('/').to_owned(), Entry::EmptyFolder);
    }
    Ok(())
}
