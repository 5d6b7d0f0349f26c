//! The content's version history: for each content file, the commits
//! that changed it (date and subject), read from git once per build so
//! every record page can say when it was last updated and what changed.
//!
//! The history is a function of the commit checked out: commit dates and
//! subjects, never the clock or the working tree. Where there is none (no
//! git, not a repository, a file never committed) pages say so.

use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use rustc_hash::{FxHashMap, FxHashSet};

/// Changes shown per record: the history is for checking, not an archive.
pub const SHOWN: usize = 20;

/// Longest reader note kept, in characters; a longer one is refused with
/// a warning (a note is one sentence, not a changelog).
const NOTE: usize = 300;

/// The commit-message lines that carry a note for readers, per language:
/// `Change-note-ja: 承認日を訂正` and `Change-note-en: Corrected the approval date`.
pub const NOTE_KEYS: [(&str, &str); 2] = [("ja", "Change-note-ja:"), ("en", "Change-note-en:")];

/// A note for readers about one change, in each language it was written in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Notes {
    /// The Japanese note.
    pub ja: Option<Arc<str>>,
    /// The English note.
    pub en: Option<Arc<str>>,
}

impl Notes {
    /// The note in `lang` (`ja` or `en`), if the change has one.
    pub fn get(&self, lang: &str) -> Option<&str> {
        match lang {
            "en" => self.en.as_deref(),
            _ => self.ja.as_deref(),
        }
    }
}

/// One change of a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Commit date, `YYYY-MM-DD`, as git computes it (never from the
    /// message, so a message cannot forge it).
    pub date: String,
    /// What readers are told about the change, shared by every file the
    /// commit changed (one commit may change 100,000 files). A commit
    /// without notes still moves the record's last-updated date.
    pub notes: Notes,
    /// The commit's place in the log, 0 for the newest: tells two commits
    /// of the same day apart, and orders a record's two files.
    /// Not part of a page's inputs: a new commit shifts every older one.
    pub seq: usize,
}

impl Hash for Change {
    /// What a page shows of a change: its date and notes.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.date.hash(state);
        self.notes.hash(state);
    }
}

/// Whether the history read is the whole history of the content.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub enum Completeness {
    /// Every commit is there (or there is no repository at all).
    #[default]
    Whole,
    /// A shallow clone (`git clone --depth N`): the oldest commits present
    /// stand for everything before them, so their changes are left out
    /// and pages say the history is incomplete.
    Shallow,
    /// git is there but failed (e.g. a repository owned by another user):
    /// git's own message.
    Failed(String),
}

/// A record's changes as pages show them.
#[derive(Debug, Hash)]
pub struct RecordHistory<'h> {
    /// Its changes, newest first.
    pub changes: Vec<&'h Change>,
    /// Whether older changes of the record are missing from the history.
    pub incomplete: bool,
}

/// Every content file's changes, newest first.
#[derive(Debug, Default)]
pub struct History {
    by_file: FxHashMap<String, Vec<Change>>,
    /// Fingerprint of the log it was read from: two histories of the
    /// same log are the same.
    log: u128,
    completeness: Completeness,
    /// Files the shallow clone's boundary commits changed: their earlier
    /// history is missing.
    cut: FxHashSet<String>,
    /// Notes refused, as `(commit, why)`.
    refused: Vec<(String, String)>,
}

/// The git command, run in `dir`, with settings that make its output
/// independent of the user's configuration and locale.
fn git(dir: &Path) -> Command {
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C");
    command
}

impl History {
    /// What the history of `content_dir` depends on, read without reading
    /// it: the commit checked out and whether the clone is shallow (git's
    /// own answer, or its failure). Two reads with the same state read the
    /// same history.
    pub fn state(content_dir: &Path) -> String {
        let output = git(content_dir)
            .args(["rev-parse", "HEAD", "--is-shallow-repository"])
            .output();
        match output {
            Ok(out) => format!(
                "{}\n{}\n{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
            Err(err) => err.to_string(),
        }
    }

    /// The history of the files under `content_dir`, or an empty history
    /// when git or a repository is not there.
    pub fn read(content_dir: &Path) -> History {
        let log = git(content_dir)
            .args([
                "log",
                "-z",
                "--no-renames",
                "--no-merges",
                "--relative",
                "--format=%H %cs%x00%B",
                "--name-only",
                "--",
                ".",
            ])
            .output();
        let out = match log {
            Ok(out) if out.status.success() => out,
            Ok(out) => {
                let message = String::from_utf8_lossy(&out.stderr);
                // Content outside any repository simply has no history.
                if message.contains("not a git repository") {
                    return History::default();
                }
                let first = message.lines().find(|l| !l.trim().is_empty());
                let reason = first.unwrap_or("no message").trim().to_string();
                return History {
                    completeness: Completeness::Failed(reason),
                    ..History::default()
                };
            }
            // No git on this machine.
            Err(_) => return History::default(),
        };
        History::parse(
            &String::from_utf8_lossy(&out.stdout),
            &shallow_boundary(content_dir),
        )
    }

    /// The history of `git log -z --format='%H %cs%x00%B' --name-only`
    /// output, with the shallow clone's edge commits in `boundary`: what
    /// [`History::read`] parses, open to tests and the fuzzer.
    pub fn from_log(log: &[u8], boundary: &[&str]) -> History {
        let boundary = boundary.iter().map(|b| b.to_string()).collect();
        History::parse(&String::from_utf8_lossy(log), &boundary)
    }

    /// Every file the history knows, for tests and the fuzzer.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.by_file.keys().map(String::as_str)
    }

    /// Parses `git log -z` output: per commit, a header `<hash> <date>`,
    /// the message, then the files it changed, every part ended by NUL.
    /// No part can hold a NUL, so no message can pass for a header.
    ///
    /// `boundary` holds the commits at the edge of a shallow clone: git
    /// shows each as adding every file it has, so their changes are not
    /// real; they are left out and their files' history is incomplete.
    fn parse(log: &str, boundary: &FxHashSet<String>) -> History {
        let mut by_file: FxHashMap<String, Vec<Change>> = FxHashMap::default();
        let mut refused = vec![];
        let mut cut = FxHashSet::default();
        let mut seq = 0;
        let mut tokens = log.split('\0').peekable();
        while let Some(token) = tokens.next() {
            let Some((hash, date)) = header(token) else {
                continue;
            };
            let message = tokens.next().unwrap_or_default();
            let notes = notes(message, hash, &mut refused);
            let change = Change {
                date: date.to_string(),
                notes,
                seq,
            };
            seq += 1;
            let edge = boundary.contains(hash);
            // The files: the first after a newline, up to the next header.
            let mut first = true;
            while let Some(file) = tokens.next_if(|t| first || header(t).is_none()) {
                let file = if first {
                    file.trim_start_matches('\n')
                } else {
                    file
                };
                first = false;
                if !file.ends_with(".md") || file.chars().any(char::is_control) {
                    continue;
                }
                if edge {
                    cut.insert(file.to_string());
                } else {
                    by_file
                        .entry(file.to_string())
                        .or_default()
                        .push(change.clone());
                }
            }
        }
        History {
            by_file,
            log: xxhash_rust::xxh3::xxh3_128(log.as_bytes()),
            completeness: if boundary.is_empty() {
                Completeness::Whole
            } else {
                Completeness::Shallow
            },
            cut,
            refused,
        }
    }

    /// Hash of the log this history was read from (XXH3, 128 bits).
    pub fn log(&self) -> u128 {
        self.log
    }

    /// Whether the history is whole, shallow or could not be read.
    pub fn completeness(&self) -> &Completeness {
        &self.completeness
    }

    /// What the person building should know about the history: that it is
    /// incomplete or could not be read, and notes refused. Empty when all is well.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings = vec![];
        match &self.completeness {
            Completeness::Whole => {}
            Completeness::Shallow => warnings.push(
                "the content's git history is shallow (a `git clone --depth` checkout): \
                 record pages say that their earlier history is not available. \
                 Run `git fetch --unshallow` (or check out with full history, e.g. \
                 `fetch-depth: 0` in GitHub Actions) to publish it"
                    .to_string(),
            ),
            Completeness::Failed(reason) => warnings.push(format!(
                "git could not read the content's history, so record pages say they \
                 have none: {reason}"
            )),
        }
        for (commit, why) in &self.refused {
            warnings.push(format!("commit {commit}: {why}"));
        }
        warnings
    }

    /// When the record stored in `file` (or its English translation beside
    /// it) last changed, `YYYY-MM-DD`: what [`History::of`] gives first,
    /// without collecting the rest.
    pub fn last_date(&self, file: &str) -> Option<&str> {
        let newest = |f: &str| self.by_file.get(f).and_then(|c| c.first());
        let english = file
            .strip_suffix(".md")
            .and_then(|stem| newest(&format!("{stem}.en.md")));
        [newest(file), english]
            .into_iter()
            .flatten()
            .min_by_key(|c| c.seq)
            .map(|c| c.date.as_str())
    }

    /// The changes of a record stored in `file` (relative to the content
    /// folder) and of its English translation beside it, newest first.
    pub fn of(&self, file: &str) -> RecordHistory<'_> {
        let english = file.strip_suffix(".md").map(|stem| format!("{stem}.en.md"));
        let files = [Some(file), english.as_deref()];
        let mut changes: Vec<&Change> = files
            .iter()
            .flatten()
            .filter_map(|f| self.by_file.get(*f))
            .flatten()
            .collect();
        // A commit that changed both files is one change.
        changes.sort_by_key(|c| c.seq);
        changes.dedup_by_key(|c| c.seq);
        changes.truncate(SHOWN);
        let incomplete = match self.completeness {
            Completeness::Whole => false,
            Completeness::Shallow => files.iter().flatten().any(|f| self.cut.contains(*f)),
            Completeness::Failed(_) => false,
        };
        RecordHistory {
            changes,
            incomplete,
        }
    }
}

/// `(hash, date)` of a commit header `<40 or 64 hex digits> <YYYY-MM-DD>`.
fn header(token: &str) -> Option<(&str, &str)> {
    let (hash, date) = token.split_once(' ')?;
    let hex = |s: &str| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let good_date = date.len() == 10
        && date.as_bytes()[4] == b'-'
        && date.as_bytes()[7] == b'-'
        && digits(&date[..4])
        && digits(&date[5..7])
        && digits(&date[8..]);
    (matches!(hash.len(), 40 | 64) && hex(hash) && good_date).then_some((hash, date))
}

/// The reader notes of a commit message (its `Change-note-ja:` and
/// `Change-note-en:` lines). A note with control characters, or longer
/// than [`NOTE`] characters, is refused and recorded in `refused`.
fn notes(message: &str, hash: &str, refused: &mut Vec<(String, String)>) -> Notes {
    let mut notes = Notes::default();
    for line in message.lines() {
        for (lang, key) in NOTE_KEYS {
            let Some(text) = line.strip_prefix(key) else {
                continue;
            };
            let text = text.trim();
            let short = &hash[..hash.len().min(12)];
            if let Some(c) = text.chars().find(|c| c.is_control() || is_invisible(*c)) {
                refused.push((
                    short.to_string(),
                    format!(
                        "{key} refused: it holds the control character U+{:04X}",
                        c as u32
                    ),
                ));
            } else if text.chars().count() > NOTE {
                refused.push((
                    short.to_string(),
                    format!("{key} refused: longer than {NOTE} characters"),
                ));
            } else if !text.is_empty() {
                let slot = if lang == "en" {
                    &mut notes.en
                } else {
                    &mut notes.ja
                };
                *slot = Some(text.into());
            }
        }
    }
    notes
}

/// Characters that change how text around them reads without being
/// seen: bidirectional controls and zero-width marks.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// The commits at the edge of a shallow clone (listed in `.git/shallow`),
/// or none for a whole repository.
fn shallow_boundary(dir: &Path) -> FxHashSet<String> {
    let Ok(out) = git(dir)
        .args(["rev-parse", "--git-path", "shallow"])
        .output()
    else {
        return FxHashSet::default();
    };
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let path = if Path::new(&path).is_absolute() {
        std::path::PathBuf::from(path)
    } else {
        dir.join(path)
    };
    std::fs::read_to_string(path)
        .map(|text| text.lines().map(|l| l.trim().to_string()).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const B: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    const C: &str = "cccccccccccccccccccccccccccccccccccccccc";

    /// `git log -z --format='%H %cs%x00%B' --name-only` of these commits,
    /// newest first: `(hash, date, message, files)`.
    fn log(commits: &[(&str, &str, &str, &[&str])]) -> String {
        commits
            .iter()
            .map(|(hash, date, message, files)| {
                let files: String = files.iter().map(|f| format!("{f}\0")).collect();
                format!("{hash} {date}\0{message}\n\0\n{files}")
            })
            .collect()
    }

    fn whole(log: &str) -> History {
        History::parse(log, &FxHashSet::default())
    }

    fn shown<'h>(history: &'h History, file: &str, lang: &str) -> Vec<(&'h str, Option<&'h str>)> {
        history
            .of(file)
            .changes
            .iter()
            .map(|c| (c.date.as_str(), c.notes.get(lang)))
            .collect()
    }

    #[test]
    fn a_record_has_the_changes_of_both_its_files_newest_first() {
        let history = whole(&log(&[
            (
                A,
                "2025-06-01",
                "Fix title_en\n\nChange-note-en: Corrected the English title\nChange-note-ja: 英語の題名を訂正",
                &["approvals/a.en.md"],
            ),
            (
                B,
                "2025-05-14",
                "Add approvals",
                &["approvals/a.md", "approvals/a.en.md", "approvals/b.md"],
            ),
            (C, "2025-05-01", "Site settings", &["site.toml"]),
        ]));
        assert_eq!(
            shown(&history, "approvals/a.md", "en"),
            [
                ("2025-06-01", Some("Corrected the English title")),
                ("2025-05-14", None)
            ]
        );
        assert_eq!(
            shown(&history, "approvals/a.md", "ja")[0].1,
            Some("英語の題名を訂正")
        );
        assert_eq!(history.of("approvals/b.md").changes.len(), 1);
        assert!(history.of("approvals/c.md").changes.is_empty());
        assert!(!history.of("approvals/a.md").incomplete);
        assert!(whole("").of("approvals/a.md").changes.is_empty());
        // Two commits of one day, each changing both files: two changes,
        // each once, in the log's order.
        let same_day = whole(&log(&[
            (
                A,
                "2025-07-01",
                "Change-note-ja: 二つ目",
                &["x.md", "x.en.md"],
            ),
            (
                B,
                "2025-07-01",
                "Change-note-ja: 一つ目",
                &["x.md", "x.en.md"],
            ),
        ]));
        let notes: Vec<_> = shown(&same_day, "x.md", "ja")
            .into_iter()
            .map(|c| c.1)
            .collect();
        assert_eq!(notes, [Some("二つ目"), Some("一つ目")]);
    }

    #[test]
    fn a_commit_message_cannot_forge_a_change() {
        // The separators of the old format, a fake header and fake files in
        // the subject and body: all stay text of the message.
        let forged = format!(
            "Typo\u{1e}2099-12-31\u{1f}Forged\n\n{C} 2099-12-31\nx.md\nChange-note-ja: 本物"
        );
        let history = whole(&log(&[(A, "2025-07-01", &forged, &["x.md"])]));
        assert_eq!(
            shown(&history, "x.md", "ja"),
            [("2025-07-01", Some("本物"))]
        );
        // Control and bidirectional characters in a note are refused, with a warning.
        let history = whole(&log(&[(
            A,
            "2025-07-01",
            "Change-note-ja: 訂正\u{7}\nChange-note-en: Fixed \u{202e}txet",
            &["x.md"],
        )]));
        assert_eq!(shown(&history, "x.md", "ja"), [("2025-07-01", None)]);
        assert_eq!(shown(&history, "x.md", "en"), [("2025-07-01", None)]);
        let warnings = history.warnings();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("U+0007"), "{warnings:?}");
        assert!(warnings[1].contains("U+202E"), "{warnings:?}");
    }

    #[test]
    fn the_edge_of_a_shallow_clone_is_not_a_change() {
        let text = log(&[
            (A, "2026-12-01", "Change-note-ja: 訂正", &["x.md"]),
            (
                B,
                "2026-11-30",
                "Everything, as a shallow clone shows it",
                &["x.md", "y.md"],
            ),
        ]);
        let boundary: FxHashSet<String> = [B.to_string()].into_iter().collect();
        let history = History::parse(&text, &boundary);
        assert_eq!(history.completeness(), &Completeness::Shallow);
        let x = history.of("x.md");
        assert_eq!(x.changes.len(), 1);
        assert!(x.incomplete);
        let y = history.of("y.md");
        assert!(y.changes.is_empty() && y.incomplete);
        assert!(history.warnings()[0].contains("shallow"));
    }

    #[test]
    fn a_new_commit_does_not_change_what_older_changes_feed_into_pages() {
        let print = |h: &History| {
            let mut hasher = std::hash::DefaultHasher::new();
            h.of("x.md").hash(&mut hasher);
            hasher.finish()
        };
        let old = whole(&log(&[(A, "2025-07-01", "First", &["x.md"])]));
        let new = whole(&log(&[
            (B, "2025-07-02", "Other", &["y.md"]),
            (A, "2025-07-01", "First", &["x.md"]),
        ]));
        assert_eq!(print(&old), print(&new));
    }

    #[test]
    fn outside_a_repository_the_history_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        let history = History::read(dir.path());
        assert!(history.by_file.is_empty());
        assert_eq!(history.completeness(), &Completeness::Whole);
        assert!(history.warnings().is_empty());
    }
}
