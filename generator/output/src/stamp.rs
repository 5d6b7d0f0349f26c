//! The inputs of the build that made the output folder (`.dist.inputs`
//! beside `dist`): a build whose inputs are all as they were then, into a
//! folder still as that build committed it, has nothing to do.
//!
//! The stamp names the inputs' fingerprint (worked out by the caller from
//! the generator, its options and every source file's metadata) and the
//! manifest file as that commit left it. Any later commit, by a build or a
//! live preview, rewrites or appends to the manifest, so the stamp no
//! longer matches it; a stamp that cannot be read is no stamp. Missing a
//! stamp only costs a full check, never a stale site.

use std::fs;
use std::path::Path;

use crate::fingerprint::Fingerprint;
use crate::write::{Committed, OutputDir, modified_nanos, sibling};
use portal_content::error::BuildError;

const HEADER: &str = "portal-inputs 1";

/// What the build that made the folder reported, for a build that finds
/// nothing to do to report the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastBuild {
    /// Records in its library.
    pub records: usize,
    /// Files of its site.
    pub files: usize,
    /// Its warnings (one line each).
    pub warnings: Vec<String>,
}

/// The manifest file as it is now: size, modification time, inode.
fn manifest_state(out: &Path) -> Option<String> {
    let meta = fs::metadata(sibling(out, "manifest")).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some(format!("{} {} {inode}", meta.len(), modified_nanos(&meta)))
}

impl Committed {
    /// Records, while the folder is still locked, that the site just
    /// committed to `out` was built from `inputs` and reported `last`.
    pub fn record_inputs(
        &self,
        out: &Path,
        inputs: Fingerprint,
        last: &LastBuild,
    ) -> Result<(), BuildError> {
        let out = crate::write::clean(out)?;
        let path = sibling(&out, "inputs");
        let Some(manifest) = manifest_state(&out) else {
            let _ = fs::remove_file(&path);
            return Ok(());
        };
        let mut text = format!(
            "{HEADER}\n{}\n{manifest}\n{} {}\n",
            inputs.hex(),
            last.records,
            last.files
        );
        for warning in &last.warnings {
            text.push_str(&warning.replace(['\n', '\r'], " "));
            text.push('\n');
        }
        let partial = sibling(&out, "inputs.tmp");
        fs::write(&partial, text).map_err(BuildError::io("cannot write", &partial))?;
        fs::rename(&partial, &path).map_err(BuildError::io("cannot write", &path))
    }
}

impl OutputDir {
    /// What the build that made this folder reported, if it was built from
    /// `inputs`, nothing was committed since, and every file it holds is
    /// as recorded.
    pub fn built_from(&self, inputs: Fingerprint) -> Option<LastBuild> {
        let out = self.path();
        let text = fs::read_to_string(sibling(out, "inputs")).ok()?;
        let mut lines = text.lines();
        if lines.next()? != HEADER || lines.next()? != inputs.hex() {
            return None;
        }
        if lines.next()? != manifest_state(out)? {
            return None;
        }
        let (records, files) = lines.next()?.split_once(' ')?;
        let last = LastBuild {
            records: records.parse().ok()?,
            files: files.parse().ok()?,
            warnings: lines.map(str::to_string).collect(),
        };
        self.holds_committed_site().then_some(last)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit_one(out: &Path, bytes: &[u8]) -> Committed {
        let dir = OutputDir::open(out).unwrap();
        let put = dir.put("a.txt", Fingerprint(1), bytes).unwrap();
        dir.commit(vec![("a.txt".into(), put.0, put.1)]).unwrap()
    }

    #[test]
    fn a_folder_is_built_from_its_stamped_inputs_until_anything_changes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let last = LastBuild {
            records: 3,
            files: 1,
            warnings: vec!["shallow\nhistory".into()],
        };
        let committed = commit_one(&out, b"one");
        committed
            .record_inputs(&out, Fingerprint(7), &last)
            .unwrap();
        drop(committed);
        let dir = OutputDir::open(&out).unwrap();
        let mut expected = last.clone();
        expected.warnings = vec!["shallow history".into()];
        assert_eq!(dir.built_from(Fingerprint(7)), Some(expected));
        // Other inputs.
        assert_eq!(dir.built_from(Fingerprint(8)), None);
        drop(dir);
        // A file of the site changed by hand.
        fs::write(out.join("a.txt"), b"two").unwrap();
        let dir = OutputDir::open(&out).unwrap();
        assert_eq!(dir.built_from(Fingerprint(7)), None);
        drop(dir);
        // Another commit (a live preview's, say) without a stamp of its own.
        drop(commit_one(&out, b"three"));
        let dir = OutputDir::open(&out).unwrap();
        assert_eq!(dir.built_from(Fingerprint(7)), None);
    }
}
