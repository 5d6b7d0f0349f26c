//! The journal beside the output folder: what a commit does, written and
//! synced before it is done, so that a build killed at any moment is
//! rolled forward (its journal is complete) or thrown away (it is not).
//! [`Journal`] is written in one place ([`Journal::lines`]) and read in
//! one ([`Journal::parse`]).

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::manifest::{self, Entry, Manifest};
use crate::siblings::{sibling, sync_dir};
use portal_content::error::BuildError;

const JOURNAL_HEADER: &str = "portal-journal 1";

/// One step of a commit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Move the staged file at the path into the site.
    MoveIn(String),
    /// Remove the file at the path from the site.
    Remove(String),
    /// Add the entry to the manifest.
    Record(Entry),
}

/// What a commit does.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journal {
    /// The staging folder replaces the site whole (a first build).
    whole: bool,
    /// The manifest is written anew from the entries, not appended to.
    rewrite: bool,
    steps: Vec<Step>,
}

impl Journal {
    /// An empty journal; `whole` for a first build, which replaces the
    /// site and writes the manifest anew.
    pub fn new(whole: bool) -> Journal {
        Journal {
            whole,
            rewrite: whole,
            steps: vec![],
        }
    }

    /// Moves the staged file `path` in (not needed when whole).
    pub fn move_in(&mut self, path: &str) {
        self.steps.push(Step::MoveIn(path.to_string()));
    }

    /// Removes `path` from the site and from the manifest.
    pub fn remove(&mut self, path: &str) {
        self.steps.push(Step::Remove(path.to_string()));
        self.steps
            .push(Step::Record(Entry::Delete(path.to_string())));
    }

    /// Records `entry` in the manifest.
    pub fn record(&mut self, entry: Entry) {
        self.steps.push(Step::Record(entry));
    }

    /// Writes the manifest anew from `manifest` instead of appending.
    pub fn rewrite_manifest(&mut self, manifest: &Manifest) {
        self.steps.retain(|s| !matches!(s, Step::Record(_)));
        self.rewrite = true;
        self.steps
            .extend(manifest.entries().into_iter().map(Step::Record));
    }

    /// Whether it writes the manifest anew.
    pub fn rewrites_manifest(&self) -> bool {
        self.rewrite
    }

    /// How many lines it has so far (without its end).
    pub fn line_count(&self) -> usize {
        1 + usize::from(self.whole) + usize::from(self.rewrite) + self.steps.len()
    }

    /// The manifest entries it records.
    pub fn records(&self) -> impl Iterator<Item = &Entry> {
        self.steps.iter().filter_map(|s| match s {
            Step::Record(entry) => Some(entry),
            _ => None,
        })
    }

    /// Its lines, ending with `end <n>`: a journal without its end was
    /// never committed.
    fn lines(&self) -> Vec<String> {
        let mut lines = vec![JOURNAL_HEADER.to_string()];
        if self.whole {
            lines.push("W".into());
        }
        if self.rewrite {
            lines.push("R".into());
        }
        lines.extend(self.steps.iter().map(|step| match step {
            Step::MoveIn(path) => format!("+ {path}"),
            Step::Remove(path) => format!("- {path}"),
            Step::Record(entry) => format!("M {}", entry.line()),
        }));
        let count = lines.len();
        lines.push(format!("end {count}"));
        lines
    }

    /// The journal `text` holds, if it is complete.
    fn parse(text: &str) -> Option<Journal> {
        let lines: Vec<&str> = text.lines().collect();
        let (&end, body) = lines.split_last()?;
        if body.first() != Some(&JOURNAL_HEADER) || end != format!("end {}", body.len()) {
            return None;
        }
        let mut journal = Journal::default();
        for line in &body[1..] {
            match *line {
                "W" => journal.whole = true,
                "R" => journal.rewrite = true,
                _ => {
                    if let Some(path) = line.strip_prefix("+ ") {
                        journal.move_in(path);
                    } else if let Some(path) = line.strip_prefix("- ") {
                        journal.steps.push(Step::Remove(path.to_string()));
                    } else if let Some(entry) = line.strip_prefix("M ").and_then(Entry::parse) {
                        // A damaged entry is left out, as the manifest would.
                        journal.record(entry);
                    }
                }
            }
        }
        Some(journal)
    }

    /// Commits: writes the journal beside `out` (synced when `durable`),
    /// which is the commit point, then carries it out.
    pub fn commit(&self, out: &Path, durable: bool) -> Result<(), BuildError> {
        self.write(out, durable)?;
        roll_forward(out, self, durable).map_err(|cause| interrupted(out, cause))
    }

    /// Writes the journal beside `out`: once it is there, the commit
    /// happens even if this process is killed.
    pub fn write(&self, out: &Path, durable: bool) -> Result<(), BuildError> {
        write_journal(out, &self.lines(), durable)
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
pub(crate) const LEFTOVERS: [&str; 3] = ["staging", "journal.tmp", "manifest.tmp"];

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

/// Brings `out` to a complete site before anything else happens: rolls a
/// committed journal forward, or throws away what an interrupted build
/// staged (the old site was not touched), and puts back a site an older
/// portal left moved aside.
pub fn recover(out: &Path) -> Result<(), BuildError> {
    let journal = sibling(out, "journal");
    match fs::read_to_string(&journal) {
        Ok(text) => match Journal::parse(&text) {
            Some(complete) => {
                roll_forward(out, &complete, true).map_err(|cause| interrupted(out, cause))?
            }
            // Never renamed into place, so never committed.
            None => {
                let _ = fs::remove_file(&journal);
            }
        },
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
fn roll_forward(out: &Path, journal: &Journal, durable: bool) -> Result<(), BuildError> {
    let staging = sibling(out, "staging");
    let previous = sibling(out, "previous");
    if journal.whole {
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
        for step in &journal.steps {
            if let Step::MoveIn(path) = step {
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
            } else if let Step::Remove(path) = step {
                let target = out.join(path);
                if target.is_file() {
                    fs::remove_file(&target).map_err(BuildError::io("cannot remove", &target))?;
                }
                prune_empty_parents(out, &target);
            }
        }
        trash.empty(durable);
    }
    let lines = journal.records().map(Entry::line);
    manifest::write(out, lines, journal.rewrite, durable)?;
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

fn prune_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || !d.starts_with(out) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
