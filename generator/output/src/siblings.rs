//! The files beside an output folder (`.dist.manifest`, `.dist.journal`…)
//! and what every writer of them needs.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// The file or folder `suffix` beside the output folder `out`:
/// `dist` → `.dist.<suffix>`.
pub(crate) fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// A file's modification time, in nanoseconds since the Unix epoch.
pub(crate) fn modified_nanos(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Syncs a folder's entries to disk.
pub(crate) fn sync_dir(dir: &Path) {
    // Best effort: some file systems cannot sync a directory.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}
