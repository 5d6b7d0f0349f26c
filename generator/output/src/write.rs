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

use rustc_hash::FxHashSet;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

use crate::fingerprint::Fingerprint;
pub use crate::journal::recover;
use crate::journal::{Journal, LEFTOVERS};
pub use crate::manifest::Recorded;
use crate::manifest::{Entry, Manifest};
pub(crate) use crate::siblings::{modified_nanos, sibling};
pub use crate::staging::Emit;
use crate::staging::Staging;
use portal_content::error::BuildError;

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
    staging: Staging,
    manifest: Manifest,
    /// How this build treats the folder.
    mode: Mode,
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
            staging: Staging::new(staging),
            mode: if manifest.is_none() {
                Mode::Whole
            } else {
                Mode::Update
            },
            manifest: manifest.unwrap_or_default(),
            lock,
        })
    }

    /// The next build into a folder this process committed and still
    /// holds locked: its manifest is already in memory and is trusted.
    pub fn resume(out: &Path, committed: Committed) -> OutputDir {
        OutputDir {
            out: out.to_path_buf(),
            staging: Staging::new(sibling(out, "staging")),
            mode: Mode::Save,
            manifest: committed.manifest,
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
                self.staging.discard(path);
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

    /// Stages what `emit` gives at `path` (see [`Staging::write`]).
    fn stage(
        &self,
        path: &str,
        inputs: Fingerprint,
        emit: &Emit,
        known: Option<(Fingerprint, u64)>,
    ) -> Result<(Outcome, Recorded), BuildError> {
        let recorded = self.staging.write(path, inputs, emit, known)?;
        Ok((Outcome::Written, recorded))
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
        let mut journal = Journal::new(self.mode.whole());
        let (mut summary, changed, recorded_before) =
            journal_files(&self.manifest, self.mode.whole(), &files, &mut journal);
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
            None => gone_files(&self.manifest, &files),
        };
        for path in &gone {
            summary.removed += 1;
            journal.remove(path);
        }
        let mut manifest = std::mem::take(&mut self.manifest);
        let changed = files
            .into_iter()
            .zip(changed)
            .filter_map(|((path, _, recorded), changed)| changed.then_some((path, recorded)));
        manifest.update(changed, &gone);
        if !journal.rewrites_manifest()
            && manifest.lines + journal.line_count() > 2 * manifest.len() + 1000
        {
            // Appending has made the manifest long: write it anew.
            journal.rewrite_manifest(&manifest);
        }
        journal.commit(&self.out, self.mode.durable())?;
        let lines = journal.records().count();
        manifest.lines = if journal.rewrites_manifest() {
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

    /// Gives up: nothing staged reaches the output.
    pub fn abandon(self) {
        let _ = fs::remove_dir_all(self.staging.dir());
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

/// Adds to `journal` each file of `files` to move in and each manifest
/// entry that changes (only these touch the manifest: a save changes a
/// few of 200,000). Returns what was written or left, which entries
/// change, and how many of `files` the manifest already had.
fn journal_files(
    manifest: &Manifest,
    whole: bool,
    files: &[(String, Outcome, Recorded)],
    journal: &mut Journal,
) -> (Summary, Vec<bool>, usize) {
    let mut summary = Summary::default();
    let mut recorded_before = 0;
    let mut changed = vec![false; files.len()];
    for (i, (path, outcome, recorded)) in files.iter().enumerate() {
        match outcome {
            Outcome::Written => {
                summary.written += 1;
                if !whole {
                    journal.move_in(path);
                }
            }
            Outcome::Unchanged | Outcome::Skipped => summary.unchanged += 1,
        }
        let before = manifest.get(path);
        recorded_before += usize::from(before.is_some());
        if whole || before != Some(recorded) {
            changed[i] = true;
            journal.record(Entry::Put(path.clone(), *recorded));
        }
    }
    (summary, changed, recorded_before)
}

/// Files of the old site that no output of `files` produces, sorted.
fn gone_files(manifest: &Manifest, files: &[(String, Outcome, Recorded)]) -> Vec<String> {
    let produced: FxHashSet<&str> = files.iter().map(|(p, _, _)| p.as_str()).collect();
    let mut gone: Vec<String> = manifest
        .files
        .keys()
        .filter(|p| !produced.contains(p.as_str()))
        .cloned()
        .collect();
    gone.sort();
    gone
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
        let staged = dir.staging.dir().join("data/x.json");
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
        let mut journal = Journal::new(false);
        journal.move_in("a.html");
        journal.record(Entry::Put("a.html".into(), r));
        journal.remove("b.html");
        journal.write(&out, true).unwrap();
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
