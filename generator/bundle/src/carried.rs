//! The explorer the `portal` binary carries (`generator/bundle/carried/`):
//! a site builds and serves with it without the wasm32 target, wasm-bindgen
//! or npm. It is the bundle the explorer's sources give, stored with the
//! hash of those sources; when a developer changes them, the hash differs
//! and the explorer is compiled instead. `PORTAL_UPDATE_EXPLORER=1`
//! (`scripts/update-explorer.sh`) compiles it and stores it anew; a test
//! compiles it and checks the carried bytes are the same.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::{BuildError, ExplorerBundle, explorer_error, parse_cached, write_cached};

include!(concat!(env!("OUT_DIR"), "/carried.rs"));

/// The environment variable that compiles the explorer and stores it as
/// the carried bundle.
pub const UPDATE: &str = "PORTAL_UPDATE_EXPLORER";

/// The bundle the binary carries, if it carries one.
pub fn carried() -> Option<ExplorerBundle> {
    if LIST.is_empty() {
        return None;
    }
    parse_cached(LIST, |name| {
        DATA.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, bytes)| bytes.to_vec())
    })
}

/// The carried bundle, when it is what the explorer's sources give: the
/// sources in `workspace` are those it was made from, or there are none
/// (an installed binary, far from its sources).
pub fn current(workspace: &Path) -> Option<ExplorerBundle> {
    let has_sources = workspace.join("site/Cargo.toml").is_file();
    if has_sources && sources_hash(workspace) != SOURCES {
        return None;
    }
    carried()
}

/// What the explorer is made from, relative to the workspace: its crate,
/// the model it shares with the generator, this crate (binding and
/// optimising), and the locked version of wasm-opt. `Cargo.lock` is left
/// out: it changes with every dependency of the generator too. A change
/// of the explorer's own dependencies is caught by the test that compiles
/// the explorer and compares it with the carried bytes.
const SOURCES_OF: [&str; 5] = [
    "site",
    "model",
    "generator/bundle/src",
    "package-lock.json",
    "rust-toolchain.toml",
];

/// A hash of the explorer's sources in `workspace` (paths and bytes, in
/// path order; build outputs left out).
pub fn sources_hash(workspace: &Path) -> String {
    fn walk(root: &Path, path: &Path, files: &mut Vec<(String, Vec<u8>)>) {
        let Ok(meta) = fs::symlink_metadata(path) else {
            return;
        };
        if meta.is_file() {
            let rel = path.strip_prefix(root).unwrap_or(path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            files.push((rel, fs::read(path).unwrap_or_default()));
        } else if meta.is_dir() && path.file_name().is_none_or(|n| n != "target") {
            for entry in fs::read_dir(path).into_iter().flatten().flatten() {
                walk(root, &entry.path(), files);
            }
        }
    }
    let mut files = vec![];
    for part in SOURCES_OF {
        walk(workspace, &workspace.join(part), &mut files);
    }
    files.sort();
    let mut hash = Sha256::new();
    for (path, bytes) in &files {
        hash.update(path.as_bytes());
        hash.update([0]);
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// Stores `bundle` as the carried bundle of `workspace`, with the hash of
/// its sources. The `portal` binary carries it once compiled again.
pub fn store(workspace: &Path, bundle: &ExplorerBundle) -> Result<(), BuildError> {
    let carried = workspace.join("generator/bundle/carried");
    let staging = workspace.join("target/explorer/carried");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(staging.parent().unwrap_or(workspace))
        .map_err(|e| explorer_error(format!("cannot store the explorer: {e}")))?;
    write_cached(&staging, bundle);
    let _ = fs::remove_dir_all(&carried);
    fs::rename(&staging, &carried)
        .and_then(|()| fs::write(carried.join("sources"), sources_hash(workspace) + "\n"))
        .map_err(|e| {
            explorer_error(format!(
                "cannot store the explorer in {}: {e}",
                carried.display()
            ))
        })
}
