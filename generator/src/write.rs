//! Stage 4, write: put the rendered site on disk without ever losing the
//! previous one.
//!
//! Owns the output folder. Everything is written to a staging folder beside
//! the target, `public/` is copied in, and only then is the staging folder
//! swapped into place by renames. A build that fails or is interrupted
//! before the swap leaves the previous output exactly as it was.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::BuildError;
use crate::render::OutputFile;

/// A file every portal build writes: its presence tells a folder that is
/// safe to replace from one that is not (say, `--out .` by mistake).
const MARKER: &str = "data/index.json";

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Puts the previous site back if an earlier build was interrupted between
/// the two renames of its swap (the site is whole, only moved aside). Run
/// first thing in every build, so even a build that then fails on content
/// leaves the output where it was.
pub fn recover(out: &Path) -> Result<(), BuildError> {
    let previous = sibling(out, "previous");
    if !out.exists() && previous.exists() {
        fs::rename(&previous, out).map_err(BuildError::io("cannot restore", &previous))?;
    }
    Ok(())
}

/// Writes `files` and a copy of `public` to `out`, atomically replacing what
/// was there.
pub fn write_site(
    out: &Path,
    files: &[OutputFile],
    public: Option<&Path>,
) -> Result<(), BuildError> {
    if out.exists() {
        let empty = fs::read_dir(out)
            .map_err(BuildError::io("cannot read", out))?
            .next()
            .is_none();
        if !empty && !out.join(MARKER).exists() {
            return Err(BuildError::Io {
                action: "refusing to replace",
                path: out.to_path_buf(),
                source: std::io::Error::other(
                    "it is not empty and does not look like a portal build (no data/index.json)",
                ),
            });
        }
    }
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(BuildError::io("cannot create", parent))?;
    }
    recover(out)?;
    let staging = sibling(out, "staging");
    if staging.exists() {
        // Left by an interrupted build.
        fs::remove_dir_all(&staging).map_err(BuildError::io("cannot remove", &staging))?;
    }
    let result = fill(&staging, files, public).and_then(|()| swap(&staging, out));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn fill(staging: &Path, files: &[OutputFile], public: Option<&Path>) -> Result<(), BuildError> {
    let dirs: BTreeSet<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| staging.join(p)))
        .collect();
    fs::create_dir_all(staging).map_err(BuildError::io("cannot create", staging))?;
    for dir in &dirs {
        fs::create_dir_all(dir).map_err(BuildError::io("cannot create", dir))?;
    }
    files.par_iter().try_for_each(|file| {
        let path = staging.join(&file.path);
        fs::write(&path, &file.bytes).map_err(BuildError::io("cannot write", &path))
    })?;
    if let Some(public) = public.filter(|p| p.exists()) {
        let generated: BTreeSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        copy_public(public, public, staging, &generated)?;
    }
    Ok(())
}

fn copy_public(
    root: &Path,
    dir: &Path,
    staging: &Path,
    generated: &BTreeSet<&str>,
) -> Result<(), BuildError> {
    for path in crate::load::sorted_entries(dir)? {
        let rel = path
            .strip_prefix(root)
            .unwrap_or(&path)
            .to_string_lossy()
            .replace('\\', "/");
        let target = staging.join(&rel);
        if path.is_dir() {
            fs::create_dir_all(&target).map_err(BuildError::io("cannot create", &target))?;
            copy_public(root, &path, staging, generated)?;
        } else if generated.contains(rel.as_str()) {
            return Err(BuildError::PublicCollision(rel));
        } else {
            fs::copy(&path, &target).map_err(BuildError::io("cannot copy", &path))?;
        }
    }
    Ok(())
}

fn swap(staging: &Path, out: &Path) -> Result<(), BuildError> {
    let previous = sibling(out, "previous");
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(BuildError::io("cannot remove", &previous))?;
    }
    if out.exists() {
        fs::rename(out, &previous).map_err(BuildError::io("cannot move aside", out))?;
    }
    if let Err(err) = fs::rename(staging, out) {
        // Put the previous site back so the output is never missing.
        let _ = fs::rename(&previous, out);
        return Err(BuildError::io("cannot move into place", out)(err));
    }
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(BuildError::io("cannot remove", &previous))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn replaces_the_previous_site_whole() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write_site(
            &out,
            &[file("data/index.json", "{}"), file("old.html", "old")],
            None,
        )
        .unwrap();
        write_site(
            &out,
            &[file("data/index.json", "{}"), file("new.html", "new")],
            None,
        )
        .unwrap();
        assert!(!out.join("old.html").exists());
        assert_eq!(fs::read_to_string(out.join("new.html")).unwrap(), "new");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["dist"], "no staging or previous folder left");
    }

    #[test]
    fn recovers_a_swap_interrupted_between_renames() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        write_site(
            &out,
            &[file("data/index.json", "{}"), file("index.html", "kept")],
            None,
        )
        .unwrap();
        fs::rename(&out, dir.path().join(".dist.previous")).unwrap();
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "kept");
    }
}
