//! Reading the folders editors own (`content/`, `public/`) safely: entries
//! in a stable order, nothing outside the folder, only regular files, and
//! no file larger than a limit.
//!
//! Content is untrusted. A symbolic link may point anywhere (`/etc/passwd`,
//! `/dev/zero`), a named pipe blocks whoever opens it, and a huge file
//! exhausts memory. Every read of those folders goes through [`Folder`],
//! which turns each of these into a located problem (`path:1:1`) instead
//! of publishing, hanging or crashing, and carries on with the rest.

use std::fs::{self, File};
use std::io::Read;
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use crate::error::{BuildError, Diagnostic, Diagnostics};

/// The largest content file read (Markdown or TOML): far beyond any real
/// record, small enough that a mistake cannot exhaust memory.
pub const MAX_CONTENT_FILE: u64 = 4 << 20;
/// The largest static file copied from `public/`.
pub const MAX_PUBLIC_FILE: u64 = 64 << 20;
/// The deepest folder nesting followed in `public/`.
pub const MAX_DEPTH: usize = 32;

/// What an entry of a folder is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// A regular file (or a link to one inside the folder).
    File,
    /// A folder (never a link: links to folders are not followed).
    Dir,
}

/// One usable entry of a folder.
#[derive(Clone, Debug)]
pub struct Entry {
    /// Its path (under the folder's root as given).
    pub path: PathBuf,
    /// Its file name.
    pub name: String,
    /// What it is.
    pub kind: Kind,
}

/// A folder whose entries are read without ever leaving it.
#[derive(Clone, Debug)]
pub struct Folder {
    root: PathBuf,
    canonical: PathBuf,
}

/// How a path is shown to people.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

fn problem(path: &Path, message: impl Into<String>) -> Diagnostic {
    crate::error::Spot::at(display(path), 1, 1).problem(message)
}

impl Folder {
    /// The folder at `root` (which must exist).
    pub fn new(root: &Path) -> std::io::Result<Folder> {
        Ok(Folder {
            root: root.to_path_buf(),
            canonical: root.canonicalize()?,
        })
    }

    /// The folder as given.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// What `path` (inside this folder) is, or why it cannot be used.
    pub fn inspect(&self, path: &Path) -> Result<Kind, Diagnostic> {
        let meta =
            fs::symlink_metadata(path).map_err(|e| problem(path, format!("cannot read: {e}")))?;
        let kind = meta.file_type();
        if kind.is_symlink() {
            let target = path
                .canonicalize()
                .map_err(|_| problem(path, "broken symbolic link: its target does not exist"))?;
            if !target.starts_with(&self.canonical) {
                return Err(problem(
                    path,
                    format!(
                        "symbolic link to {} leads outside {}: copy the file in instead",
                        target.display(),
                        self.root.display()
                    ),
                ));
            }
            let meta =
                fs::metadata(&target).map_err(|e| problem(path, format!("cannot read: {e}")))?;
            if meta.is_dir() {
                return Err(problem(
                    path,
                    "symbolic link to a folder: links to folders are not followed; move the folder here instead",
                ));
            }
            return special(path, meta.file_type()).map(|()| Kind::File);
        }
        if kind.is_dir() {
            return Ok(Kind::Dir);
        }
        special(path, kind).map(|()| Kind::File)
    }

    /// The usable entries of `dir`, sorted by name so every build visits
    /// files in the same order; each unusable one is a problem in `d`.
    pub fn entries(&self, dir: &Path, d: &mut Diagnostics) -> Vec<Entry> {
        let listing = match fs::read_dir(dir) {
            Ok(listing) => listing,
            Err(e) => {
                d.push(problem(dir, format!("cannot read folder: {e}")));
                return vec![];
            }
        };
        // With the type the listing gives for free (`d_type`), so plain
        // files and folders cost no `lstat` each: 200,000 of them did.
        let mut listed: Vec<(std::ffi::OsString, Option<fs::FileType>)> = Vec::new();
        for entry in listing {
            match entry {
                Ok(entry) => listed.push((entry.file_name(), entry.file_type().ok())),
                Err(e) => d.push(problem(dir, format!("cannot read folder: {e}"))),
            }
        }
        // By name: the order of their paths, which all share `dir`.
        listed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        listed
            .into_iter()
            .filter_map(|(file_name, listed_type)| {
                let name = file_name.to_string_lossy().into_owned();
                if is_editor_leftover(&name) {
                    return None;
                }
                let path = dir.join(&file_name);
                let kind = match listed_type {
                    Some(t) if t.is_file() => Ok(Kind::File),
                    Some(t) if t.is_dir() => Ok(Kind::Dir),
                    // Links, special files and unknown types: looked at closely.
                    _ => self.inspect(&path),
                };
                match kind {
                    Ok(kind) => Some(Entry { path, name, kind }),
                    Err(p) => {
                        d.push(p);
                        None
                    }
                }
            })
            .collect()
    }

    /// The bytes of the file at `path`, at most `limit` of them. Opens
    /// without blocking and checks again what was opened, so a file
    /// swapped for a pipe or device in between is refused too.
    pub fn read(&self, path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        self.inspect(path)?;
        read_regular(path, limit)
    }

    /// The bytes of an entry this folder listed, at most `limit` of them.
    pub fn read_entry(&self, entry: &Entry, limit: u64) -> Result<Vec<u8>, Diagnostic> {
        read_regular(&entry.path, limit)
    }
}

/// Reads a file that must still be a regular file once opened.
fn read_regular(path: &Path, limit: u64) -> Result<Vec<u8>, Diagnostic> {
    let file = File::options()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .map_err(|e| problem(path, format!("cannot read: {e}")))?;
    let meta = file
        .metadata()
        .map_err(|e| problem(path, format!("cannot read: {e}")))?;
    special(path, meta.file_type())?;
    let mut bytes = Vec::with_capacity(meta.len().min(limit) as usize);
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| problem(path, format!("cannot read: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(problem(
            path,
            format!(
                "file is larger than {} MiB: split it, or move large files out of the site",
                limit >> 20
            ),
        ));
    }
    Ok(bytes)
}

/// `O_NONBLOCK` on Linux (opening a named pipe then never waits).
const O_NONBLOCK: i32 = 0o4000;

/// A problem unless `kind` is a regular file.
fn special(path: &Path, kind: fs::FileType) -> Result<(), Diagnostic> {
    let what = if kind.is_file() {
        return Ok(());
    } else if kind.is_fifo() {
        "a named pipe"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "a device"
    } else {
        "not a regular file"
    };
    Err(problem(
        path,
        format!("{what}, not a regular file: remove it from the folder"),
    ))
}

/// Whether a file name is what editors and tools leave beside the files
/// they edit (hidden files, `x.md~` backups, `#x.md#` autosaves, vim's swap
/// files and its `4913` probe): not content, never an error.
pub fn is_editor_leftover(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || (name.starts_with('#') && name.ends_with('#'))
        || [".swp", ".swo", ".swx", ".tmp", ".crdownload"]
            .iter()
            .any(|ext| name.ends_with(ext))
        || name == "4913"
}

/// The entries of `dir`, sorted by name so every build visits files in the
/// same order (output must not depend on the file system's order).
pub fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, BuildError> {
    let mut entries = fs::read_dir(dir)
        .map_err(BuildError::io("cannot read", dir))?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()
        .map_err(BuildError::io("cannot read", dir))?;
    entries.sort();
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messages(d: Diagnostics) -> Vec<String> {
        d.into_sorted().into_iter().map(|p| p.message).collect()
    }

    #[test]
    fn refuses_links_out_of_the_folder_and_special_files() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("public");
        fs::create_dir(&root).unwrap();
        fs::write(root.join("ok.txt"), "ok").unwrap();
        fs::write(dir.path().join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret"), root.join("leak")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", root.join("zero")).unwrap();
        std::os::unix::fs::symlink(root.join("ok.txt"), root.join("inside")).unwrap();
        std::os::unix::fs::symlink(&root, root.join("loop")).unwrap();
        let fifo = root.join("pipe");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let folder = Folder::new(&root).unwrap();
        let mut d = Diagnostics::default();
        let names: Vec<String> = folder
            .entries(&root, &mut d)
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["inside", "ok.txt"]);
        let problems = messages(d);
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().any(|m| m.contains("leads outside")));
        assert!(problems.iter().any(|m| m.contains("a named pipe")));
        assert!(problems.iter().any(|m| m.contains("links to folders")));
        assert!(folder.read(&fifo, 10).is_err());
    }

    #[test]
    fn refuses_files_over_the_limit() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("big"), vec![b'x'; 2 << 20]).unwrap();
        let folder = Folder::new(dir.path()).unwrap();
        let err = folder.read(&dir.path().join("big"), 1 << 20).unwrap_err();
        assert!(err.message.contains("larger than 1 MiB"), "{}", err.message);
        assert_eq!(
            folder.read(&dir.path().join("big"), 4 << 20).unwrap().len(),
            2 << 20
        );
    }
}
