//! The staging folder beside the output folder: where a build writes the
//! files that changed, to be moved in when it commits.

use rustc_hash::FxHashSet;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::fingerprint::Fingerprint;
use crate::manifest::Recorded;
use crate::siblings::modified_nanos;
use portal_content::error::BuildError;

/// Gives a file's bytes to the function it is called with, part by part,
/// the same each time.
pub type Emit<'e> = dyn Fn(&mut dyn FnMut(&[u8])) + Send + Sync + 'e;

/// The staging folder of a build in progress.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    /// The folders this build made in it: a file whose folder is new is
    /// created after its folder, not tried first (a failed open for almost
    /// every file of a first build, whose record pages each have a folder).
    folders: Mutex<FxHashSet<PathBuf>>,
}

impl Staging {
    /// The staging folder at `dir`.
    pub fn new(dir: PathBuf) -> Staging {
        Staging {
            dir,
            folders: Mutex::default(),
        }
    }

    /// Where it is.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Drops the staged copy of `path`.
    pub fn discard(&self, path: &str) {
        let _ = fs::remove_file(self.dir.join(path));
    }

    /// Writes the bytes `emit` gives to the staging copy of `path`, hashing
    /// them on the way unless their hash and size are `known`.
    pub(crate) fn write(
        &self,
        path: &str,
        inputs: Fingerprint,
        emit: &Emit,
        known: Option<(Fingerprint, u64)>,
    ) -> Result<Recorded, BuildError> {
        let target = self.dir.join(path);
        let mut file = self.create(&target)?;
        // A buffer no larger than the file (a page is a few kilobytes), at
        // most a megabyte for the large open-data files; 64 KiB when the
        // size is not known yet.
        let capacity = known.map_or(1 << 16, |(_, size)| {
            usize::try_from(size)
                .unwrap_or(usize::MAX)
                .clamp(1, 1 << 20)
        });
        let mut writer = BufWriter::with_capacity(capacity, &mut file);
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut size = 0u64;
        let mut failed = None;
        emit(&mut |part| {
            if known.is_none() {
                hasher.update(part);
                size += part.len() as u64;
            }
            if failed.is_none()
                && let Err(e) = writer.write_all(part)
            {
                failed = Some(e);
            }
        });
        failed
            .map_or_else(|| writer.flush(), Err)
            .map_err(BuildError::io("cannot write", &target))?;
        drop(writer);
        let meta = file
            .metadata()
            .map_err(BuildError::io("cannot read", &target))?;
        let (content, size) = known.unwrap_or((Fingerprint(hasher.digest128()), size));
        Ok(Recorded {
            inputs,
            content,
            size,
            modified: modified_nanos(&meta),
        })
    }

    /// Creates the staging file `target`, making its folder first when
    /// this build has not made it yet.
    fn create(&self, target: &Path) -> Result<File, BuildError> {
        let parent = target.parent();
        let new_folder = parent.filter(|p| *p != self.dir).is_some_and(|parent| {
            self.folders
                .lock()
                .map_or(true, |mut made| made.insert(parent.to_path_buf()))
        });
        if let (Some(parent), true) = (parent, new_folder) {
            fs::create_dir_all(parent).map_err(BuildError::io("cannot create", parent))?;
        }
        match (File::create(target), parent) {
            (Ok(file), _) => Ok(file),
            // Its folder is not there: the staging folder itself after an
            // earlier save's commit removed it, or a folder made for one.
            (Err(e), Some(parent)) if e.kind() == std::io::ErrorKind::NotFound => {
                fs::create_dir_all(parent).map_err(BuildError::io("cannot create", parent))?;
                File::create(target).map_err(BuildError::io("cannot write", target))
            }
            (Err(e), _) => Err(BuildError::io("cannot write", target)(e)),
        }
    }
}
