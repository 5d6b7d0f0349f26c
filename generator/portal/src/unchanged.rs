//! Whether a build has anything to do: the fingerprint of everything a
//! build reads, worked out from metadata alone (no file is read), to
//! compare with the stamp of the build that made the output folder
//! ([`portal_output::stamp`]).
//!
//! What a build reads: the generator itself, its options, the explorer
//! bundle, every file and folder under the content and public folders
//! (path, size, modification and change times, inode) and the content's
//! version history (the commit the repository is at, and whether it is a
//! shallow clone). A change to any of them changes the fingerprint; a
//! symbolic link, whose target's changes its own metadata does not show,
//! gives no fingerprint, so such a build always runs in full.

use crate::options::BuildOptions;
use portal_bundle::ExplorerBundle;
use portal_content::history::History;
use portal_output::fingerprint::{Fingerprint, Fingerprinter, generator_identity};
use std::fs;
use std::path::Path;

/// The fingerprint of what a build with `options` and `explorer` reads,
/// or `None` when it cannot be told from metadata.
pub fn inputs(options: &BuildOptions, explorer: Option<&ExplorerBundle>) -> Option<Fingerprint> {
    let mut print = Fingerprinter::new()
        .with(&generator_identity())
        .with(&options.base_url)
        .with(&options.live_reload)
        .with(&options.require_public_url)
        .with(&History::state(&options.content));
    let files: Vec<(String, Fingerprint)> = explorer
        .iter()
        .flat_map(|b| &b.files)
        .map(|f| (f.path.clone(), Fingerprint::of_bytes(&f.bytes)))
        .collect();
    print = print.with(&files);
    for dir in [Some(&options.content), options.public.as_ref()] {
        let mut entries = vec![];
        if let Some(dir) = dir {
            walk(dir, "", &mut entries)?;
        }
        print = print.with(&entries);
    }
    Some(print.finish128())
}

/// One entry of a source folder as its metadata describes it.
#[derive(Hash)]
struct Entry {
    path: String,
    is_dir: bool,
    size: u64,
    modified: (i64, i64),
    changed: (i64, i64),
    inode: u64,
}

/// Appends every entry under `dir` (named `prefix` from the source folder)
/// in name order; `None` at a symbolic link or an unreadable entry.
fn walk(dir: &Path, prefix: &str, entries: &mut Vec<Entry>) -> Option<()> {
    let mut names: Vec<_> = fs::read_dir(dir)
        .ok()?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()
        .ok()?;
    names.sort();
    for name in names {
        let path = dir.join(&name);
        let meta = fs::symlink_metadata(&path).ok()?;
        if meta.file_type().is_symlink() {
            return None;
        }
        let name = format!("{prefix}/{}", name.to_string_lossy());
        entries.push(entry(&name, &meta));
        if meta.is_dir() {
            walk(&path, &name, entries)?;
        }
    }
    Some(())
}

#[cfg(unix)]
fn entry(path: &str, meta: &fs::Metadata) -> Entry {
    use std::os::unix::fs::MetadataExt;
    Entry {
        path: path.to_string(),
        is_dir: meta.is_dir(),
        size: meta.len(),
        modified: (meta.mtime(), meta.mtime_nsec()),
        changed: (meta.ctime(), meta.ctime_nsec()),
        inode: meta.ino(),
    }
}

#[cfg(not(unix))]
fn entry(path: &str, meta: &fs::Metadata) -> Entry {
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as i64);
    Entry {
        path: path.to_string(),
        is_dir: meta.is_dir(),
        size: meta.len(),
        modified: (nanos, 0),
        changed: (0, 0),
        inode: 0,
    }
}
