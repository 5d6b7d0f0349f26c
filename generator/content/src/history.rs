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

use rustc_hash::FxHashMap;

/// Changes shown per record: the history is for checking, not an archive.
pub const SHOWN: usize = 20;

/// Longest commit subject kept, in characters (a longer one ends in `…`).
const SUBJECT: usize = 1000;

/// One change of a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Commit date, `YYYY-MM-DD`.
    pub date: String,
    /// The commit's subject line, shared by every file the commit changed
    /// (one commit may change 100,000 files).
    pub summary: Arc<str>,
    /// The commit's place in the log, 0 for the newest: tells two commits
    /// of the same day and subject apart, and orders a record's two files.
    /// Not part of a page's inputs: a new commit shifts every older one.
    pub seq: usize,
}

impl Hash for Change {
    /// What a page shows of a change: its date and summary.
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.date.hash(state);
        self.summary.hash(state);
    }
}

/// Every content file's changes, newest first.
#[derive(Debug, Default)]
pub struct History {
    by_file: FxHashMap<String, Vec<Change>>,
    /// Fingerprint of the log it was read from: two histories of the
    /// same log are the same.
    log: u128,
}

impl History {
    /// The history of the files under `content_dir`, or an empty history
    /// when git or a repository is not there.
    pub fn read(content_dir: &Path) -> History {
        let output = Command::new("git")
            .arg("-C")
            .arg(content_dir)
            .args([
                "log",
                "--no-renames",
                "--no-merges",
                "--relative",
                "--format=%x1e%cs%x1f%s",
                "--name-only",
                "--",
                ".",
            ])
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LC_ALL", "C")
            .output();
        match output {
            Ok(out) if out.status.success() => {
                History::parse(&String::from_utf8_lossy(&out.stdout))
            }
            _ => History::default(),
        }
    }

    /// Parses `git log` output: per commit, a record separator, the date,
    /// a unit separator, the subject, then the files it changed.
    fn parse(log: &str) -> History {
        let mut by_file: FxHashMap<String, Vec<Change>> = FxHashMap::default();
        let commits = log.split('\u{1e}').filter(|c| !c.trim().is_empty());
        for (seq, commit) in commits.enumerate() {
            let mut lines = commit.lines();
            let Some((date, subject)) = lines.next().and_then(|l| l.split_once('\u{1f}')) else {
                continue;
            };
            let mut chars = subject.chars().filter(|c| !c.is_control());
            let mut summary: String = chars.by_ref().take(SUBJECT).collect();
            if chars.next().is_some() {
                summary.pop();
                summary.push('…');
            }
            let change = Change {
                date: date.to_string(),
                summary: summary.into(),
                seq,
            };
            for file in lines.map(str::trim).filter(|f| f.ends_with(".md")) {
                by_file
                    .entry(file.to_string())
                    .or_default()
                    .push(change.clone());
            }
        }
        History {
            by_file,
            log: xxhash_rust::xxh3::xxh3_128(log.as_bytes()),
        }
    }

    /// Hash of the log this history was read from (XXH3, 128 bits).
    pub fn log(&self) -> u128 {
        self.log
    }

    /// The changes of a record stored in `file` (relative to the content
    /// folder) and of its English translation beside it, newest first.
    pub fn of(&self, file: &str) -> Vec<&Change> {
        let english = file.strip_suffix(".md").map(|stem| format!("{stem}.en.md"));
        let mut changes: Vec<&Change> = self
            .by_file
            .get(file)
            .into_iter()
            .chain(english.and_then(|e| self.by_file.get(&e)))
            .flatten()
            .collect();
        // A commit that changed both files is one change.
        changes.sort_by_key(|c| c.seq);
        changes.dedup_by_key(|c| c.seq);
        changes.truncate(SHOWN);
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_has_the_changes_of_both_its_files_newest_first() {
        let log = "\u{1e}2025-06-01\u{1f}Fix the English title\n\napprovals/a.en.md\n\u{1e}2025-05-14\u{1f}Add approvals\n\napprovals/a.md\napprovals/a.en.md\napprovals/b.md\n\u{1e}2025-05-01\u{1f}Site settings\n\nsite.toml\n";
        let history = History::parse(log);
        let a: Vec<_> = history
            .of("approvals/a.md")
            .iter()
            .map(|c| (c.date.as_str(), &*c.summary))
            .collect();
        assert_eq!(
            a,
            [
                ("2025-06-01", "Fix the English title"),
                ("2025-05-14", "Add approvals")
            ]
        );
        assert_eq!(history.of("approvals/b.md").len(), 1);
        // Two commits of one day, each changing both files: two changes,
        // each once, in the log's order.
        let same_day = "\u{1e}2025-07-01\u{1f}Second\n\nx.md\nx.en.md\n\u{1e}2025-07-01\u{1f}First\n\nx.md\nx.en.md\n";
        let same_day = History::parse(same_day);
        let shown: Vec<_> = same_day.of("x.md").iter().map(|c| &*c.summary).collect();
        assert_eq!(shown, ["Second", "First"]);
        assert!(history.of("approvals/c.md").is_empty());
        assert!(History::parse("").of("approvals/a.md").is_empty());
    }

    #[test]
    fn a_new_commit_does_not_change_what_older_changes_feed_into_pages() {
        let print = |h: &History| {
            let mut hasher = std::hash::DefaultHasher::new();
            h.of("x.md").hash(&mut hasher);
            hasher.finish()
        };
        let old = History::parse("\u{1e}2025-07-01\u{1f}First\n\nx.md\n");
        let new = History::parse(
            "\u{1e}2025-07-02\u{1f}Other\n\ny.md\n\u{1e}2025-07-01\u{1f}First\n\nx.md\n",
        );
        assert_eq!(print(&old), print(&new));
    }

    #[test]
    fn outside_a_repository_the_history_is_empty() {
        let dir = tempfile::tempdir().unwrap();
        assert!(History::read(dir.path()).by_file.is_empty());
    }
}
