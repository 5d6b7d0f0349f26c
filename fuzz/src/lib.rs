//! Helpers shared by the fuzz targets in `fuzz_targets/`.
//!
//! Each target creates its scratch folder once per process (libFuzzer runs
//! millions of inputs in one process), under the system temp folder, named
//! after the target and the process id. The folders are small and are left
//! behind when libFuzzer exits (it ends the process with `exit`, so no
//! destructor runs); `rm -rf "${TMPDIR:-/tmp}"/amed-fuzz-*` clears them.

use std::fs;
use std::path::{Path, PathBuf};

/// A fresh, empty scratch folder for `target` in this process.
pub fn scratch_dir(target: &str) -> PathBuf {
    tempfile::Builder::new()
        .prefix(&format!("amed-fuzz-{target}-{}-", std::process::id()))
        .tempdir()
        .expect("cannot create a scratch folder")
        .keep()
}

/// The minimal fixture site of the end-to-end tests, which every record
/// input is added to.
pub fn fixture_site() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/site-minimal")
}

/// Copies the folder `from` into `to` (created), recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("cannot create folder");
    for entry in fs::read_dir(from).expect("cannot read folder") {
        let entry = entry.expect("cannot read folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("cannot stat").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("cannot copy file");
        }
    }
}

/// Panics if sanitized HTML could run script: a `<script` element, an
/// event-handler attribute (`on…=`), or a URL attribute whose value is a
/// `javascript:` URL (as a browser reads it: leading white space and
/// control characters, and tabs and newlines anywhere, are ignored).
///
/// The check reads tags and attributes rather than searching the text, so
/// prose such as "set onload=… or use javascript: links" in a paragraph is
/// not a finding: ammonia escapes every `<` of text, so each `<` in the
/// output starts a real tag, and html5ever writes every attribute as
/// `name="value"` with `"` escaped.
pub fn assert_html_is_inert(markdown: &str, html: &str) {
    let fail = |why: String| -> ! {
        panic!("unsafe HTML from Markdown: {why}\n--- markdown ---\n{markdown:?}\n--- html ---\n{html}")
    };
    if html.to_ascii_lowercase().contains("<script") {
        fail("a <script element".into());
    }
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt;
        let Some(gt) = tag_end(bytes, start) else {
            fail(format!("a tag at byte {start} is never closed"));
        };
        let tag = &html[start + 1..gt];
        i = gt + 1;
        if tag.starts_with('/') {
            continue;
        }
        let name_end = tag
            .find(|c: char| c.is_ascii_whitespace() || c == '/')
            .unwrap_or(tag.len());
        if name_end == 0 || !tag.as_bytes()[0].is_ascii_alphabetic() {
            fail(format!("a raw '<' at byte {start} that starts no tag"));
        }
        for (name, value) in attributes(&tag[name_end..]).unwrap_or_else(|| {
            fail(format!("attributes of the tag at byte {start} cannot be read: {tag:?}"))
        }) {
            let name = name.to_ascii_lowercase();
            if name.starts_with("on") {
                fail(format!("an event-handler attribute {name}= at byte {start}"));
            }
            let url: String = value
                .trim_start_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            if url.starts_with("javascript:") {
                fail(format!("a javascript: URL in {name}= at byte {start}"));
            }
        }
    }
}

/// The byte index of the `>` closing the tag that starts at `start`,
/// skipping `>` inside quoted attribute values.
fn tag_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut quote = None;
    for (k, &b) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, b) {
            (None, b'"' | b'\'') => quote = Some(b),
            (Some(q), _) if q == b => quote = None,
            (None, b'>') => return Some(k),
            _ => {}
        }
    }
    None
}

/// The `name="value"` pairs (or bare names) after a tag's name; `None`
/// if the text is not a well-formed attribute list.
fn attributes(mut rest: &str) -> Option<Vec<(&str, &str)>> {
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return Some(out);
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..end];
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix('=') {
            let quote = after.chars().next()?;
            if quote != '"' && quote != '\'' {
                // Unquoted value (html5ever never writes one, but read it).
                let end = after.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after.len());
                out.push((name, &after[..end]));
                rest = &after[end..];
                continue;
            }
            let body = &after[1..];
            let close = body.find(quote)?;
            out.push((name, &body[..close]));
            rest = &body[close + 1..];
        } else {
            out.push((name, ""));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::assert_html_is_inert;

    #[test]
    fn prose_about_handlers_is_fine() {
        assert_html_is_inert("", "<p>use onclick=x or javascript: &lt;script&gt;</p>\n");
        assert_html_is_inert("", "<a href=\"/x\" title=\"a onclick=b\" rel=\"noopener noreferrer\">y</a>");
    }

    #[test]
    #[should_panic(expected = "event-handler")]
    fn handler_attribute_is_caught() {
        assert_html_is_inert("", "<img src=\"x\" onerror=\"alert(1)\">");
    }

    #[test]
    #[should_panic(expected = "javascript:")]
    fn javascript_url_is_caught() {
        assert_html_is_inert("", "<a href=\" \tjava\nscript:alert(1)\">x</a>");
    }

    #[test]
    #[should_panic(expected = "<script")]
    fn script_is_caught() {
        assert_html_is_inert("", "<SCRIPT>alert(1)</SCRIPT>");
    }
}
