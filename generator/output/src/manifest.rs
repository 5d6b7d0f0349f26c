//! The manifest beside the output folder: for every file of the site, the
//! fingerprint of the inputs it was rendered from, the hash of its bytes,
//! its size and its modification time. Each line is an [`Entry`] with its
//! own checksum; [`Entry::line`] writes them and [`Entry::parse`] reads
//! them, the one writer and the one reader.

use rustc_hash::FxHashMap;
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use crate::fingerprint::Fingerprint;
use crate::siblings::sibling;
use portal_content::error::BuildError;

const MANIFEST_HEADER: &str = "portal-manifest 1";

/// One line of the manifest: a file put in or deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// The file at the path is as recorded.
    Put(String, Recorded),
    /// The file at the path is no longer part of the site.
    Delete(String),
}

impl Entry {
    /// The line, with its checksum.
    pub fn line(&self) -> String {
        let body = match self {
            Entry::Put(path, r) => format!(
                "P\t{path}\t{}\t{}\t{}\t{}",
                r.inputs.hex(),
                r.content.hex(),
                r.size,
                r.modified
            ),
            Entry::Delete(path) => format!("D\t{path}"),
        };
        let check = Fingerprint::of_bytes(body.as_bytes()).hex();
        format!("{body}\t{}", &check[..8])
    }

    /// The entry a line holds; `None` if it is torn or damaged (its
    /// checksum does not hold) or not an entry.
    pub fn parse(line: &str) -> Option<Entry> {
        let (body, check) = line.rsplit_once('\t')?;
        if Fingerprint::of_bytes(body.as_bytes()).hex()[..8] != *check {
            return None;
        }
        let fields: Vec<&str> = body.split('\t').collect();
        match fields.as_slice() {
            ["P", path, inputs, content, size, modified] => Some(Entry::Put(
                path.to_string(),
                Recorded {
                    inputs: Fingerprint::from_hex(inputs)?,
                    content: Fingerprint::from_hex(content)?,
                    size: size.parse().ok()?,
                    modified: modified.parse().ok()?,
                },
            )),
            ["D", path] => Some(Entry::Delete(path.to_string())),
            _ => None,
        }
    }
}

/// What the manifest records of one output file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// Fingerprint of the inputs it was rendered from.
    pub inputs: Fingerprint,
    /// Hash of its bytes.
    pub content: Fingerprint,
    /// Its size in bytes.
    pub size: u64,
    /// Its modification time, in nanoseconds since the Unix epoch.
    pub modified: u128,
}

/// The manifest: every file of the output as last committed.
#[derive(Debug, Default, Clone)]
pub struct Manifest {
    pub(crate) files: FxHashMap<String, Recorded>,
    /// Lines in the file, to know when appending has made it too long.
    pub(crate) lines: usize,
}

impl Manifest {
    /// Reads a manifest file; `None` if there is none or it is not one.
    pub fn load(path: &Path) -> Result<Option<Manifest>, BuildError> {
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(BuildError::io("cannot read", path)(e)),
        };
        let mut lines = BufReader::new(file).lines();
        match lines.next() {
            Some(Ok(header)) if header == MANIFEST_HEADER => {}
            _ => return Ok(None),
        }
        let mut manifest = Manifest::default();
        for line in lines {
            let line = line.map_err(BuildError::io("cannot read", path))?;
            manifest.lines += 1;
            // A torn or damaged line (an append cut short) is skipped: the
            // journal that appended it appends it again in full.
            if let Some(entry) = Entry::parse(&line) {
                manifest.apply(entry);
            }
        }
        Ok(Some(manifest))
    }

    fn apply(&mut self, entry: Entry) {
        match entry {
            Entry::Put(path, recorded) => {
                self.files.insert(path, recorded);
            }
            Entry::Delete(path) => {
                self.files.remove(&path);
            }
        }
    }

    /// What is recorded of `path`.
    pub fn get(&self, path: &str) -> Option<&Recorded> {
        self.files.get(path)
    }

    /// Number of files recorded.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether nothing is recorded.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The manifest after a commit: `gone` removed, and `changed` put in.
    pub fn update(&mut self, changed: impl Iterator<Item = (String, Recorded)>, gone: &[String]) {
        for path in gone {
            self.files.remove(path);
        }
        for (path, recorded) in changed {
            self.files.insert(path, recorded);
        }
    }

    /// Every entry, in path order.
    pub fn entries(&self) -> Vec<Entry> {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| Entry::Put(p.clone(), self.files[p]))
            .collect()
    }
}

/// Writes the manifest `lines` (from [`Entry::line`]) beside `out`: the
/// whole manifest anew (`rewrite`), or appended to the one there.
pub fn write(
    out: &Path,
    lines: impl Iterator<Item = String>,
    rewrite: bool,
    durable: bool,
) -> Result<(), BuildError> {
    let path = sibling(out, "manifest");
    if rewrite {
        let tmp = sibling(out, "manifest.tmp");
        let mut w =
            BufWriter::new(File::create(&tmp).map_err(BuildError::io("cannot create", &tmp))?);
        writeln!(w, "{MANIFEST_HEADER}").map_err(BuildError::io("cannot write", &tmp))?;
        for line in lines {
            writeln!(w, "{line}").map_err(BuildError::io("cannot write", &tmp))?;
        }
        let file = w
            .into_inner()
            .map_err(|e| BuildError::io("cannot write", &tmp)(e.into_error()))?;
        // Always synced, even for a preview save: a rename over the
        // manifest before its bytes reach the disk could leave an empty
        // manifest after a power loss, and the folder refused. Rare: only
        // when appending has made the manifest long.
        file.sync_all()
            .map_err(BuildError::io("cannot sync", &tmp))?;
        fs::rename(&tmp, &path).map_err(BuildError::io("cannot write", &path))?;
    } else {
        let mut file = File::options()
            .append(true)
            .read(true)
            .open(&path)
            .map_err(BuildError::io("cannot write", &path))?;
        // An earlier append cut short leaves a line without its end.
        let ends_cleanly = {
            use std::io::{Read, Seek, SeekFrom};
            let len = file.metadata().map(|m| m.len()).unwrap_or(0);
            let mut last = [b'\n'];
            if len > 0 {
                let mut reader = &file;
                let _ = reader.seek(SeekFrom::Start(len - 1));
                let _ = reader.read_exact(&mut last);
            }
            last[0] == b'\n'
        };
        let mut w = BufWriter::new(&mut file);
        if !ends_cleanly {
            writeln!(w).map_err(BuildError::io("cannot write", &path))?;
        }
        for line in lines {
            writeln!(w, "{line}").map_err(BuildError::io("cannot write", &path))?;
        }
        w.flush().map_err(BuildError::io("cannot write", &path))?;
        drop(w);
        if durable {
            file.sync_all()
                .map_err(BuildError::io("cannot sync", &path))?;
        }
    }
    Ok(())
}
