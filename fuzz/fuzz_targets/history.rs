//! Arbitrary bytes as the output of `git log -z` (what a repository's
//! commit messages and file names put there), through the history parser.
//! A panic is a finding, and so is a change that escapes the format:
//! a date that is not `YYYY-MM-DD`, a note with a control or invisible
//! character or longer than 300 characters, a file that is not `.md`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use portal::history::History;

fuzz_target!(|data: &[u8]| {
    // The first line, if any, names the shallow clone's edge commits.
    let (boundary, log) = match data.iter().position(|&b| b == b'\n') {
        Some(end) if data.starts_with(b"shallow ") => (&data[8..end], &data[end + 1..]),
        _ => (&b""[..], data),
    };
    let boundary = String::from_utf8_lossy(boundary);
    let edges: Vec<&str> = boundary.split(' ').filter(|e| !e.is_empty()).collect();
    let history = History::from_log(log, &edges);
    let _ = history.warnings();
    let files: Vec<String> = history.files().map(str::to_string).collect();
    for file in &files {
        assert!(file.ends_with(".md"), "a file that is not Markdown: {file:?}");
        let record = history.of(file);
        assert!(record.changes.len() <= portal::history::SHOWN);
        for change in record.changes {
            let d = change.date.as_bytes();
            assert!(
                d.len() == 10 && d[4] == b'-' && d[7] == b'-',
                "a date out of format: {:?}",
                change.date
            );
            for note in [&change.notes.ja, &change.notes.en].into_iter().flatten() {
                assert!(note.chars().count() <= 300, "a note too long");
                assert!(
                    !note.chars().any(|c| c.is_control()
                        || matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')),
                    "a note with a control character: {note:?}"
                );
            }
        }
    }
});
