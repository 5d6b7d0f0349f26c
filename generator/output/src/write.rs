//! Stage 4, write: bring the output folder to the new site, touching only
//! what changed, without ever leaving a half-written site behind.
//!
//! Owns the output folder and three files beside it (`dist` has
//! `.dist.manifest`, `.dist.journal` and `.dist.lock`):
//!
//! - The **manifest** records, for every file of the site, the fingerprint
//!   of the inputs it was rendered from, the hash of its bytes, its size and
//!   its modification time. A build skips an output whose inputs did not
//!   change and whose file is as recorded, and writes only files whose bytes
//!   differ.
//! - New and changed files go to a **staging** folder beside the output
//!   first. Once every output is done, a **journal** naming each file to
//!   move in or remove is written (and synced to disk, except for a live
//!   preview's saves, where surviving `kill -9` is enough and the page
//!   cache keeps what a killed process wrote): that is the commit point.
//!   Then files are moved in with renames. Every `portal` run starts by
//!   [`recover`]ing: a journal is rolled forward, staging without a journal
//!   is thrown away (the old site was never touched). So after a failure or
//!   a `kill -9` at any moment, the output is the complete old site or the
//!   complete new one.
//! - The **lock** keeps two builds from writing the same folder at once.

use rustc_hash::{FxHashMap, FxHashSet};
use std::fs::{self, File};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use crate::fingerprint::Fingerprint;
use portal_content::error::BuildError;

const MANIFEST_HEADER: &str = "portal-manifest 1";
const JOURNAL_HEADER: &str = "portal-journal 1";

pub(crate) fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "site".into());
    out.with_file_name(format!(".{name}.{suffix}"))
}

/// Gives a file's bytes to the function it is called with, part by part,
/// the same each time.
pub type Emit<'e> = dyn Fn(&mut dyn FnMut(&[u8])) + Send + Sync + 'e;

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
    files: FxHashMap<String, Recorded>,
    /// Lines in the file, to know when appending has made it too long.
    lines: usize,
}

fn checked(line: &str) -> String {
    let check = Fingerprint::of_bytes(line.as_bytes()).hex();
    format!("{line}\t{}", &check[..8])
}

fn verified(line: &str) -> Option<&str> {
    let (body, check) = line.rsplit_once('\t')?;
    (Fingerprint::of_bytes(body.as_bytes()).hex()[..8] == *check).then_some(body)
}

impl Manifest {
    /// Reads a manifest file; `None` if there is none or it is not one.
    fn load(path: &Path) -> Result<Option<Manifest>, BuildError> {
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
            if let Some(body) = verified(&line) {
                manifest.apply(body);
            }
        }
        Ok(Some(manifest))
    }

    fn apply(&mut self, line: &str) {
        let fields: Vec<&str> = line.split('\t').collect();
        match fields.as_slice() {
            ["P", path, inputs, content, size, modified] => {
                let parsed = (
                    Fingerprint::from_hex(inputs),
                    Fingerprint::from_hex(content),
                    size.parse(),
                    modified.parse(),
                );
                if let (Some(inputs), Some(content), Ok(size), Ok(modified)) = parsed {
                    self.files.insert(
                        path.to_string(),
                        Recorded {
                            inputs,
                            content,
                            size,
                            modified,
                        },
                    );
                }
            }
            ["D", path] => {
                self.files.remove(*path);
            }
            _ => {}
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

    fn put_line(path: &str, r: &Recorded) -> String {
        checked(&format!(
            "P\t{path}\t{}\t{}\t{}\t{}",
            r.inputs.hex(),
            r.content.hex(),
            r.size,
            r.modified
        ))
    }

    /// The manifest after a commit: `gone` removed, and the entries of
    /// `files` marked `changed` put in.
    fn update(
        &mut self,
        files: Vec<(String, Outcome, Recorded)>,
        changed: &[bool],
        gone: &[String],
    ) {
        for path in gone {
            self.files.remove(path);
        }
        let changed = files
            .into_iter()
            .zip(changed)
            .filter_map(|(file, &changed)| changed.then_some(file));
        for (path, _, recorded) in changed {
            match self.files.get_mut(&path) {
                Some(entry) => *entry = recorded,
                None => {
                    self.files.insert(path, recorded);
                }
            }
        }
    }

    fn all_lines(&self) -> Vec<String> {
        let mut paths: Vec<&String> = self.files.keys().collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| Manifest::put_line(p, &self.files[p]))
            .collect()
    }
}

/// What became of one output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Its inputs did not change and its file is as recorded: not rendered.
    Skipped,
    /// Rendered, and the bytes equal the file already there.
    Unchanged,
    /// Rendered and staged to replace (or create) the file.
    Written,
}

/// What a commit changed in the output folder.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Files written (new or changed bytes).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Files removed because no output produces them any more.
    pub removed: usize,
}

/// How a build treats the output folder: the one choice behind what it
/// verifies, how durably it commits and how it writes streams.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// No usable manifest (a first build): everything is staged and
    /// swapped in whole.
    Whole,
    /// `portal build` over a site it built before: a recorded file is
    /// reused only if it is still as recorded (size and time); the journal
    /// and manifest are synced to disk at commit, so a commit survives a
    /// power loss too; a stream whose inputs changed is hashed first and
    /// written only if its bytes changed (a new generator version changes
    /// every input and few bytes).
    Update,
    /// A live preview's save, into a folder this process committed and
    /// still holds locked. The manifest in memory is trusted (nobody else
    /// could write). Nothing is synced: what a killed process wrote is in
    /// the page cache all the same, so the preview still recovers to a
    /// complete old or new site after `kill -9`, and a save does not wait
    /// for hundreds of megabytes of open data to reach the disk. A stream
    /// whose inputs changed is written and hashed in one pass: the same
    /// binary renders every save, so changed inputs almost always mean
    /// changed bytes, and a title edit rewrites hundreds of megabytes of
    /// open data.
    Save,
}

impl Mode {
    fn whole(self) -> bool {
        self == Mode::Whole
    }

    fn verify(self) -> bool {
        self != Mode::Save
    }

    fn durable(self) -> bool {
        self != Mode::Save
    }

    fn one_pass(self) -> bool {
        self == Mode::Save
    }
}

/// The output folder of a build in progress.
#[derive(Debug)]
pub struct OutputDir {
    out: PathBuf,
    staging: PathBuf,
    manifest: Manifest,
    /// How this build treats the folder.
    mode: Mode,
    /// The staging folders this build made: a file whose folder is new is
    /// created after its folder, not tried first (a failed open for almost
    /// every file of a first build, whose record pages each have a folder).
    folders: std::sync::Mutex<FxHashSet<PathBuf>>,
    lock: File,
}

/// The output folder after a commit: still locked, with its manifest in
/// memory, ready for the next build of a live preview.
#[derive(Debug)]
pub struct Committed {
    /// What the commit changed.
    pub summary: Summary,
    manifest: Manifest,
    lock: File,
}

pub(crate) fn modified_nanos(meta: &fs::Metadata) -> u128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

impl OutputDir {
    /// Locks `out`, recovers it from any interrupted build, and reads its
    /// manifest. Refuses a folder that holds something else than a site.
    pub fn open(out: &Path) -> Result<OutputDir, BuildError> {
        let out = &clean(out)?;
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent).map_err(BuildError::io("cannot create", parent))?;
        }
        let lock = lock(out)?;
        recover(out)?;
        let manifest = if out.exists() {
            Manifest::load(&sibling(out, "manifest"))?
        } else {
            None
        };
        if manifest.is_none() && out.exists() {
            let empty = fs::read_dir(out)
                .map_err(BuildError::io("cannot read", out))?
                .next()
                .is_none();
            // Only a manifest says portal wrote a folder: anything else may
            // be someone's files, whatever it holds.
            if !empty {
                return Err(BuildError::Io {
                    action: "refusing to replace",
                    path: out.to_path_buf(),
                    source: std::io::Error::other(format!(
                        "it is not empty and does not look like a portal build (no {} beside it); choose an empty or new folder, or remove it first",
                        sibling(out, "manifest").display()
                    )),
                });
            }
        }
        let staging = sibling(out, "staging");
        fs::create_dir_all(&staging).map_err(BuildError::io("cannot create", &staging))?;
        Ok(OutputDir {
            out: out.to_path_buf(),
            staging,
            mode: if manifest.is_none() {
                Mode::Whole
            } else {
                Mode::Update
            },
            manifest: manifest.unwrap_or_default(),
            folders: Default::default(),
            lock,
        })
    }

    /// The next build into a folder this process committed and still
    /// holds locked: its manifest is already in memory and is trusted.
    pub fn resume(out: &Path, committed: Committed) -> OutputDir {
        let staging = sibling(out, "staging");
        OutputDir {
            out: out.to_path_buf(),
            staging,
            mode: Mode::Save,
            manifest: committed.manifest,
            folders: Default::default(),
            lock: committed.lock,
        }
    }

    /// The manifest as last committed.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.out
    }

    /// Whether a site was committed here before (a manifest was read) and
    /// every file it records is still as recorded (size and time).
    pub fn holds_committed_site(&self) -> bool {
        use rayon::prelude::*;
        !self.mode.whole()
            && self
                .manifest
                .files
                .par_iter()
                .all(|(path, recorded)| self.as_recorded(path, recorded))
    }

    /// Whether the file at `path` was rendered from inputs with fingerprint
    /// `inputs` and is still as recorded (size and modification time).
    pub fn is_current(&self, path: &str, inputs: Fingerprint) -> Option<Recorded> {
        let recorded = self.manifest.get(path)?;
        if self.mode.whole() || recorded.inputs != inputs {
            return None;
        }
        if !self.mode.verify() {
            return Some(*recorded);
        }
        let meta = fs::metadata(self.out.join(path)).ok()?;
        (meta.is_file()
            && meta.len() == recorded.size
            && modified_nanos(&meta) == recorded.modified)
            .then_some(*recorded)
    }

    /// Puts `bytes` at `path`: staged if they differ from the file there.
    pub fn put(
        &self,
        path: &str,
        inputs: Fingerprint,
        bytes: &[u8],
    ) -> Result<(Outcome, Recorded), BuildError> {
        let content = Fingerprint::of_bytes(bytes);
        if let Some(unchanged) = self.unchanged(path, inputs, content) {
            return Ok(unchanged);
        }
        self.stage(
            path,
            inputs,
            &|out| out(bytes),
            Some((content, bytes.len() as u64)),
        )
    }

    /// The outcome for `path` if the manifest records it with `content`
    /// (and, when verifying, the file there is as recorded).
    fn unchanged(
        &self,
        path: &str,
        inputs: Fingerprint,
        content: Fingerprint,
    ) -> Option<(Outcome, Recorded)> {
        let recorded = self.manifest.get(path).filter(|_| !self.mode.whole())?;
        let same = recorded.content == content
            && (!self.mode.verify() || self.as_recorded(path, recorded));
        same.then_some((
            Outcome::Unchanged,
            Recorded {
                inputs,
                ..*recorded
            },
        ))
    }

    /// Puts at `path` the bytes `emit` gives, part by part: a large file is
    /// never held whole. For a file the manifest records, `emit` is asked
    /// once to hash the bytes, and once more to write them if they differ
    /// from the file there. A new file, or any file of a live preview's
    /// save (`one_pass`), is written and hashed in one pass, and its staged
    /// copy dropped if the bytes are as recorded after all.
    pub fn put_streamed(
        &self,
        path: &str,
        inputs: Fingerprint,
        emit: &Emit,
    ) -> Result<(Outcome, Recorded), BuildError> {
        if self.mode.whole() || self.mode.one_pass() || self.manifest.get(path).is_none() {
            let (outcome, recorded) = self.stage(path, inputs, emit, None)?;
            if let Some(unchanged) = self.unchanged(path, inputs, recorded.content) {
                let _ = fs::remove_file(self.staging.join(path));
                return Ok(unchanged);
            }
            return Ok((outcome, recorded));
        }
        let mut hasher = xxhash_rust::xxh3::Xxh3::new();
        let mut size = 0u64;
        emit(&mut |part| {
            hasher.update(part);
            size += part.len() as u64;
        });
        let content = Fingerprint(hasher.digest128());
        if let Some(unchanged) = self.unchanged(path, inputs, content) {
            return Ok(unchanged);
        }
        self.stage(path, inputs, emit, Some((content, size)))
    }

    /// Writes the bytes `emit` gives to the staging copy of `path`, hashing
    /// them on the way unless their hash and size are `known`.
    fn stage(
        &self,
        path: &str,
        inputs: Fingerprint,
        emit: &Emit,
        known: Option<(Fingerprint, u64)>,
    ) -> Result<(Outcome, Recorded), BuildError> {
        let target = self.staging.join(path);
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
        Ok((
            Outcome::Written,
            Recorded {
                inputs,
                content,
                size,
                modified: modified_nanos(&meta),
            },
        ))
    }

    /// Creates the staging file `target`, making its folder first when
    /// this build has not made it yet.
    fn create(&self, target: &Path) -> Result<File, BuildError> {
        let parent = target.parent();
        let new_folder = parent.filter(|p| *p != self.staging).is_some_and(|parent| {
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

    fn as_recorded(&self, path: &str, recorded: &Recorded) -> bool {
        fs::metadata(self.out.join(path)).is_ok_and(|meta| {
            meta.is_file()
                && meta.len() == recorded.size
                && modified_nanos(&meta) == recorded.modified
        })
    }

    /// Commits the new site: `files` is every output with what became of
    /// it. Files of the old site not among them are removed.
    pub fn commit(self, files: Vec<(String, Outcome, Recorded)>) -> Result<Committed, BuildError> {
        self.commit_with(files, 0, None)
    }

    /// Commits the new site when the caller knows what is gone: `files`
    /// is every output that may have changed, `kept` counts the outputs
    /// known to be as committed (not among `files`), and `gone` lists the
    /// files of the old site that no output produces any more.
    pub fn commit_delta(
        self,
        files: Vec<(String, Outcome, Recorded)>,
        kept: usize,
        gone: Vec<String>,
    ) -> Result<Committed, BuildError> {
        self.commit_with(files, kept, Some(gone))
    }

    fn commit_with(
        mut self,
        files: Vec<(String, Outcome, Recorded)>,
        kept: usize,
        gone: Option<Vec<String>>,
    ) -> Result<Committed, BuildError> {
        let mut journal = vec![JOURNAL_HEADER.to_string()];
        if self.mode.whole() {
            journal.push("W".into());
            journal.push("R".into());
        }
        let (mut summary, changed, recorded_before) = self.journal_files(&files, &mut journal);
        summary.unchanged += kept;
        // Every output was recorded and there are as many as records (the
        // plan has no duplicate paths): nothing is gone.
        let none_gone = recorded_before == files.len() && files.len() == self.manifest.len();
        let gone = match gone {
            _ if self.mode.whole() => vec![],
            Some(mut gone) => {
                gone.sort();
                gone
            }
            None if none_gone => vec![],
            None => self.gone(&files),
        };
        for path in &gone {
            summary.removed += 1;
            journal.push(format!("- {path}"));
            journal.push(format!("M {}", checked(&format!("D\t{path}"))));
        }
        let mut manifest = std::mem::take(&mut self.manifest);
        manifest.update(files, &changed, &gone);
        let rewrite =
            self.mode.whole() || manifest.lines + journal.len() > 2 * manifest.len() + 1000;
        if rewrite && !self.mode.whole() {
            // Appending has made the manifest long: write it anew.
            journal.retain(|l| !l.starts_with("M "));
            journal.push("R".into());
            journal.extend(manifest.all_lines().into_iter().map(|l| format!("M {l}")));
        }
        let count = journal.len();
        journal.push(format!("end {count}"));
        write_journal(&self.out, &journal, self.mode.durable())?;
        roll_forward(&self.out, &journal, self.mode.durable())
            .map_err(|cause| interrupted(&self.out, cause))?;
        let lines = journal.iter().filter(|l| l.starts_with("M ")).count();
        manifest.lines = if rewrite {
            lines
        } else {
            manifest.lines + lines
        };
        Ok(Committed {
            summary,
            manifest,
            lock: self.lock,
        })
    }

    /// Adds to `journal` each file of `files` to move in and each manifest
    /// entry that changes (only these touch the manifest: a save changes a
    /// few of 200,000). Returns what was written or left, which entries
    /// change, and how many of `files` the manifest already had.
    fn journal_files(
        &self,
        files: &[(String, Outcome, Recorded)],
        journal: &mut Vec<String>,
    ) -> (Summary, Vec<bool>, usize) {
        let mut summary = Summary::default();
        let mut recorded_before = 0;
        let mut changed = vec![false; files.len()];
        for (i, (path, outcome, recorded)) in files.iter().enumerate() {
            match outcome {
                Outcome::Written => {
                    summary.written += 1;
                    if !self.mode.whole() {
                        journal.push(format!("+ {path}"));
                    }
                }
                Outcome::Unchanged | Outcome::Skipped => summary.unchanged += 1,
            }
            let before = self.manifest.get(path);
            recorded_before += usize::from(before.is_some());
            if self.mode.whole() || before != Some(recorded) {
                changed[i] = true;
                journal.push(format!("M {}", Manifest::put_line(path, recorded)));
            }
        }
        (summary, changed, recorded_before)
    }

    /// Files of the old site that no output of `files` produces, sorted.
    fn gone(&self, files: &[(String, Outcome, Recorded)]) -> Vec<String> {
        let produced: FxHashSet<&str> = files.iter().map(|(p, _, _)| p.as_str()).collect();
        let mut gone: Vec<String> = self
            .manifest
            .files
            .keys()
            .filter(|p| !produced.contains(p.as_str()))
            .cloned()
            .collect();
        gone.sort();
        gone
    }

    /// Gives up: nothing staged reaches the output.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(&self.staging);
    }
}

/// `out` as an absolute path without `.` or `..` parts, so `dist/.` is
/// `dist` and `.` is the folder it names (with a name for its siblings).
pub fn clean(out: &Path) -> Result<PathBuf, BuildError> {
    let absolute = std::path::absolute(out).map_err(BuildError::io("cannot resolve", out))?;
    let mut cleaned = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                cleaned.pop();
            }
            other => cleaned.push(other),
        }
    }
    if cleaned.parent().is_none() {
        return Err(BuildError::Io {
            action: "refusing to write into",
            path: cleaned,
            source: std::io::Error::other("the root of the file system is not an output folder"),
        });
    }
    Ok(cleaned)
}

fn lock(out: &Path) -> Result<File, BuildError> {
    let path = sibling(out, "lock");
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(BuildError::io("cannot create", &path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            eprintln!(
                "portal: another build is writing {}; waiting for it to finish",
                out.display()
            );
            file.lock().map_err(BuildError::io("cannot lock", &path))?;
        }
        Err(fs::TryLockError::Error(e)) => return Err(BuildError::io("cannot lock", &path)(e)),
    }
    Ok(file)
}

fn sync_dir(dir: &Path) {
    // Best effort: some file systems cannot sync a directory.
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

fn write_journal(out: &Path, lines: &[String], durable: bool) -> Result<(), BuildError> {
    let path = sibling(out, "journal");
    let tmp = sibling(out, "journal.tmp");
    let mut w = BufWriter::new(File::create(&tmp).map_err(BuildError::io("cannot create", &tmp))?);
    for line in lines {
        writeln!(w, "{line}").map_err(BuildError::io("cannot write", &tmp))?;
    }
    let file = w
        .into_inner()
        .map_err(|e| BuildError::io("cannot write", &tmp)(e.into_error()))?;
    if durable {
        file.sync_all()
            .map_err(BuildError::io("cannot sync", &tmp))?;
    }
    fs::rename(&tmp, &path).map_err(BuildError::io("cannot commit", &path))?;
    if let Some(parent) = path.parent().filter(|_| durable) {
        sync_dir(parent);
    }
    Ok(())
}

/// What an interrupted build may leave beside the output folder besides
/// its journal and a site moved aside: [`recover`] removes them.
const LEFTOVERS: [&str; 3] = ["staging", "journal.tmp", "manifest.tmp"];

/// The error of a committed build of `out` that could not be finished:
/// the journal stays, and says how to get out.
fn interrupted(out: &Path, cause: BuildError) -> BuildError {
    let names: Vec<String> = ["journal", "manifest", "staging", "lock"]
        .iter()
        .filter_map(|s| Some(sibling(out, s).file_name()?.to_string_lossy().into_owned()))
        .collect();
    BuildError::Interrupted {
        out: out.to_path_buf(),
        siblings: names.join(", "),
        cause: Box::new(cause),
    }
}

/// Finishes or throws away a build of `out` that was interrupted (killed,
/// or failed while moving files in), under the folder's lock, as every
/// `portal` command does first. Returns whether there was one.
pub fn finish_interrupted(out: &Path) -> Result<bool, BuildError> {
    let out = &clean(out)?;
    let traces = ["journal", "previous"].into_iter().chain(LEFTOVERS);
    if !traces.into_iter().any(|t| sibling(out, t).exists()) {
        return Ok(false);
    }
    let _lock = lock(out)?;
    recover(out)?;
    Ok(true)
}

/// Brings `out` to a complete site before anything else happens: rolls a
/// committed journal forward, or throws away what an interrupted build
/// staged (the old site was not touched), and puts back a site an older
/// portal left moved aside.
pub fn recover(out: &Path) -> Result<(), BuildError> {
    let journal = sibling(out, "journal");
    match fs::read_to_string(&journal) {
        Ok(text) => {
            let lines: Vec<String> = text.lines().map(str::to_string).collect();
            let complete = lines.first().map(String::as_str) == Some(JOURNAL_HEADER)
                && lines
                    .last()
                    .is_some_and(|l| l == &format!("end {}", lines.len() - 1));
            if complete {
                roll_forward(out, &lines[..lines.len() - 1], true)
                    .map_err(|cause| interrupted(out, cause))?;
            } else {
                // Never renamed into place, so never committed.
                let _ = fs::remove_file(&journal);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(BuildError::io("cannot read", &journal)(e)),
    }
    for leftover in LEFTOVERS {
        let path = sibling(out, leftover);
        if path.is_dir() {
            fs::remove_dir_all(&path).map_err(BuildError::io("cannot remove", &path))?;
        } else if path.exists() {
            fs::remove_file(&path).map_err(BuildError::io("cannot remove", &path))?;
        }
    }
    remove_trash(out);
    let previous = sibling(out, "previous");
    if !out.exists() && previous.exists() {
        fs::rename(&previous, out).map_err(BuildError::io("cannot restore", &previous))?;
    } else if previous.exists() {
        fs::remove_dir_all(&previous).map_err(BuildError::io("cannot remove", &previous))?;
    }
    Ok(())
}

/// Where replaced files go on their way out. Renaming a new file over an
/// old one makes the file system free the old one's blocks there and then,
/// and ext4 first allocates and starts writing the new one's: for the few
/// large open-data files a save replaces, most of a commit. So the old
/// file goes to the trash first (emptied afterwards): for builds linked
/// there, the rename over it still replacing it in one step; for a live
/// preview's saves moved there, which leaves its path empty for the
/// instant before the new file arrives (a crash in between is rolled
/// forward like any other: the new file is still staged).
struct Trash {
    dir: PathBuf,
    kept: std::cell::Cell<usize>,
}

/// Names of trash folders beside `out` start with this.
fn trash_prefix(out: &Path) -> String {
    sibling(out, "trash-")
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

impl Trash {
    fn new(out: &Path) -> Trash {
        static COMMITS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COMMITS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("{}{}-{n}", trash_prefix(out), std::process::id());
        Trash {
            dir: out.with_file_name(name),
            kept: std::cell::Cell::new(0),
        }
    }

    /// Takes `file`, about to be replaced, into the trash: linked if the
    /// replacement must be atomic, moved if not (if neither works, the
    /// rename frees it as before).
    fn take(&self, file: &Path, atomic: bool) {
        if !file.is_file() {
            return;
        }
        let n = self.kept.get();
        if n == 0 && fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let place = self.dir.join(n.to_string());
        let taken = if atomic {
            fs::hard_link(file, place)
        } else {
            fs::rename(file, place)
        };
        if taken.is_ok() {
            self.kept.set(n + 1);
        }
    }

    /// Empties the trash: now for builds, in the background for a live
    /// preview's saves (a leftover is removed by the next [`recover`]).
    fn empty(self, now: bool) {
        if self.kept.get() == 0 {
            return;
        }
        if now {
            let _ = fs::remove_dir_all(&self.dir);
        } else {
            std::thread::spawn(move || fs::remove_dir_all(&self.dir));
        }
    }
}

/// Removes trash folders a commit left beside `out`.
fn remove_trash(out: &Path) {
    let prefix = trash_prefix(out);
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        if entry.file_name().to_string_lossy().starts_with(&prefix) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// Carries out a committed journal. Every step can be done again after
/// an interruption with the same result.
fn roll_forward(out: &Path, journal: &[String], durable: bool) -> Result<(), BuildError> {
    let staging = sibling(out, "staging");
    let previous = sibling(out, "previous");
    let whole = journal.iter().any(|l| l == "W");
    if whole {
        if staging.exists() {
            if out.exists() {
                if previous.exists() {
                    fs::remove_dir_all(&previous)
                        .map_err(BuildError::io("cannot remove", &previous))?;
                }
                fs::rename(out, &previous).map_err(BuildError::io("cannot move aside", out))?;
            }
            fs::rename(&staging, out).map_err(BuildError::io("cannot move into place", out))?;
        }
    } else {
        let trash = Trash::new(out);
        for line in journal {
            if let Some(path) = line.strip_prefix("+ ") {
                let from = staging.join(path);
                if from.exists() {
                    let to = out.join(path);
                    if let Some(parent) = to.parent() {
                        fs::create_dir_all(parent)
                            .map_err(BuildError::io("cannot create", parent))?;
                    }
                    if to.is_dir() {
                        fs::remove_dir_all(&to).map_err(BuildError::io("cannot remove", &to))?;
                    } else {
                        trash.take(&to, durable);
                    }
                    fs::rename(&from, &to)
                        .map_err(BuildError::io("cannot move into place", &to))?;
                }
            } else if let Some(path) = line.strip_prefix("- ") {
                let target = out.join(path);
                if target.is_file() {
                    fs::remove_file(&target).map_err(BuildError::io("cannot remove", &target))?;
                }
                prune_empty_parents(out, &target);
            }
        }
        trash.empty(durable);
    }
    write_manifest(out, journal, durable)?;
    if previous.exists() {
        fs::remove_dir_all(&previous).map_err(BuildError::io("cannot remove", &previous))?;
    }
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(BuildError::io("cannot remove", &staging))?;
    }
    let journal_path = sibling(out, "journal");
    if journal_path.exists() {
        fs::remove_file(&journal_path).map_err(BuildError::io("cannot remove", &journal_path))?;
    }
    Ok(())
}

/// Writes the manifest lines of a journal: the whole manifest anew (`R`),
/// or appended to the one there.
fn write_manifest(out: &Path, journal: &[String], durable: bool) -> Result<(), BuildError> {
    let path = sibling(out, "manifest");
    let lines = journal.iter().filter_map(|l| l.strip_prefix("M "));
    if journal.iter().any(|l| l == "R") {
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

fn prune_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(out: &Path, files: &[(&str, &str)]) -> Summary {
        let dir = OutputDir::open(out).unwrap();
        let mut results = vec![];
        for (path, text) in files {
            let inputs = Fingerprint::of_bytes(text.as_bytes());
            let (outcome, recorded) = match dir.is_current(path, inputs) {
                Some(recorded) => (Outcome::Skipped, recorded),
                None => dir.put(path, inputs, text.as_bytes()).unwrap(),
            };
            results.push((path.to_string(), outcome, recorded));
        }
        dir.commit(results).unwrap().summary
    }

    #[test]
    fn writes_only_what_changed_and_removes_what_went() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let first = build(
            &out,
            &[
                ("data/index.json", "{}"),
                ("a/index.html", "a"),
                ("b.html", "b"),
            ],
        );
        assert_eq!(first.written, 3);
        let second = build(
            &out,
            &[
                ("data/index.json", "{}"),
                ("a/index.html", "A"),
                ("c.html", "c"),
            ],
        );
        assert_eq!(
            second,
            Summary {
                written: 2,
                unchanged: 1,
                removed: 1
            }
        );
        assert!(!out.join("b.html").exists());
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "A");
        let third = build(&out, &[("data/index.json", "{}"), ("c.html", "c")]);
        assert_eq!(third.removed, 1);
        assert!(!out.join("a").exists(), "empty folders go with their files");
        let names: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n != ".dist.lock" && n != ".dist.manifest")
            .collect();
        assert_eq!(names, ["dist"], "no staging or journal left");
    }

    #[test]
    fn a_file_written_in_parts_is_recorded_as_its_whole_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let inputs = Fingerprint::of_bytes(b"inputs");
        let dir = OutputDir::open(&out).unwrap();
        let parts: [&[u8]; 4] = [b"ab", b"", "çd".as_bytes(), b"ef\n"];
        let (outcome, recorded) = dir
            .put_streamed("data/x.json", inputs, &|out| {
                parts.iter().for_each(|p| out(p))
            })
            .unwrap();
        let whole = "abçdef\n";
        assert_eq!(outcome, Outcome::Written);
        assert_eq!(recorded.content, Fingerprint::of_bytes(whole.as_bytes()));
        assert_eq!(recorded.size, whole.len() as u64);
        let committed = dir
            .commit(vec![("data/x.json".into(), outcome, recorded)])
            .unwrap();
        assert_eq!(fs::read_to_string(out.join("data/x.json")).unwrap(), whole);
        // The same bytes whole, from other inputs: recognised as unchanged.
        let dir = OutputDir::resume(&out, committed);
        let other = Fingerprint::of_bytes(b"other inputs");
        let (outcome, _) = dir.put("data/x.json", other, whole.as_bytes()).unwrap();
        assert_eq!(outcome, Outcome::Unchanged);
        // A live preview's save writes a stream in one pass: the same bytes
        // leave no staged copy behind, other bytes are staged.
        let emit = |text: &'static str| move |out: &mut dyn FnMut(&[u8])| out(text.as_bytes());
        let staged = dir.staging.join("data/x.json");
        let (outcome, _) = dir
            .put_streamed("data/x.json", other, &emit(whole))
            .unwrap();
        assert_eq!((outcome, staged.exists()), (Outcome::Unchanged, false));
        let (outcome, recorded) = dir
            .put_streamed("data/x.json", other, &emit("new\n"))
            .unwrap();
        assert_eq!((outcome, recorded.size), (Outcome::Written, 4));
        assert_eq!(fs::read_to_string(&staged).unwrap(), "new\n");
    }

    #[test]
    fn a_save_whose_only_change_is_at_the_root_is_staged_and_committed() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        let dir = OutputDir::open(&out).unwrap();
        let (outcome, recorded) = dir
            .put("robots.txt", Fingerprint::of_bytes(b"1"), b"one")
            .unwrap();
        let mut committed = dir
            .commit(vec![("robots.txt".into(), outcome, recorded)])
            .unwrap();
        // Each commit removes the staging folder; the next save makes it.
        for round in ["two", "three"] {
            let dir = OutputDir::resume(&out, committed);
            let inputs = Fingerprint::of_bytes(round.as_bytes());
            let (outcome, recorded) = dir.put("robots.txt", inputs, round.as_bytes()).unwrap();
            assert_eq!(outcome, Outcome::Written);
            committed = dir
                .commit(vec![("robots.txt".into(), outcome, recorded)])
                .unwrap();
            assert_eq!(fs::read_to_string(out.join("robots.txt")).unwrap(), round);
        }
    }

    #[test]
    fn a_file_changed_by_hand_is_written_again() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        build(&out, &[("data/index.json", "{}"), ("a.html", "a")]);
        fs::write(out.join("a.html"), "tampered").unwrap();
        let again = build(&out, &[("data/index.json", "{}"), ("a.html", "a")]);
        assert_eq!(again.written, 1);
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "a");
    }

    #[test]
    fn staging_without_a_journal_is_rolled_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        build(&out, &[("data/index.json", "{}"), ("a.html", "old")]);
        let dir = OutputDir::open(&out).unwrap();
        dir.put("a.html", Fingerprint::default(), b"new").unwrap();
        drop(dir); // as if killed before the commit
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "old");
        assert!(!sibling(&out, "staging").exists());
    }

    #[test]
    fn a_committed_journal_is_rolled_forward() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        build(
            &out,
            &[
                ("data/index.json", "{}"),
                ("a.html", "old"),
                ("b.html", "b"),
            ],
        );
        let dir = OutputDir::open(&out).unwrap();
        let (o, r) = dir.put("a.html", Fingerprint::default(), b"new").unwrap();
        assert_eq!(o, Outcome::Written);
        let journal = vec![
            JOURNAL_HEADER.to_string(),
            "+ a.html".into(),
            format!("M {}", Manifest::put_line("a.html", &r)),
            "- b.html".into(),
            format!("M {}", checked("D\tb.html")),
            "end 5".into(),
        ];
        write_journal(&out, &journal, true).unwrap();
        drop(dir); // killed right after the commit point
        recover(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("a.html")).unwrap(), "new");
        assert!(!out.join("b.html").exists());
        let manifest = Manifest::load(&sibling(&out, "manifest")).unwrap().unwrap();
        assert_eq!(manifest.get("a.html"), Some(&r));
        assert!(manifest.get("b.html").is_none());
    }

    #[test]
    fn a_torn_manifest_line_is_ignored() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("dist");
        build(&out, &[("data/index.json", "{}"), ("a.html", "a")]);
        let path = sibling(&out, "manifest");
        let mut text = fs::read_to_string(&path).unwrap();
        text.push_str("P\ta.html\t0000");
        fs::write(&path, text).unwrap();
        let manifest = Manifest::load(&path).unwrap().unwrap();
        assert_eq!(manifest.len(), 2);
        let again = build(&out, &[("data/index.json", "{}"), ("a.html", "a")]);
        assert_eq!(again.written, 0);
    }

    #[test]
    fn refuses_a_folder_that_is_not_a_site() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
        let err = OutputDir::open(tmp.path()).unwrap_err();
        assert!(err.to_string().contains("refusing to replace"), "{err}");
    }
}
