//! Markdown to safe HTML, shared by validation (link scanning) and rendering.
//!
//! Content is untrusted: raw HTML in Markdown passes through ammonia, which
//! removes scripts, event handlers, `style` and `javascript:` URLs, so a
//! strict Content-Security-Policy can hold on every page. Images must be
//! the site's own files: the policy blocks images from other origins.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use crate::urls::{self, Target};

/// The Markdown dialect of content files: CommonMark plus tables and
/// strikethrough.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// The deepest nesting of block quotes and lists a body may have: far
/// beyond what a reader can follow, shallow enough that parsing stays fast.
pub const MAX_NESTING: usize = 32;

/// Where `markdown` first nests block quotes and lists deeper than
/// [`MAX_NESTING`], if it does: the byte offset of that line and the
/// depth. One pass over the text, so hostile input costs linear time.
pub fn too_deep(markdown: &str) -> Option<(usize, usize)> {
    let mut offset = 0;
    for line in markdown.split_inclusive('\n') {
        let depth = line_depth(line);
        if depth > MAX_NESTING {
            return Some((offset, depth));
        }
        offset += line.len();
    }
    None
}

/// The deepest nesting of raw HTML elements a body may have: HTML
/// cleaning takes time growing with the square of the depth.
pub const MAX_HTML_NESTING: usize = 64;

/// Elements that never hold others.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Where raw HTML in `markdown` first opens elements deeper than
/// [`MAX_HTML_NESTING`], if it does: the byte offset of that tag. One
/// pass; an opening tag counts one level, a closing tag gives one back.
pub fn html_too_deep(markdown: &str) -> Option<usize> {
    let bytes = markdown.as_bytes();
    let mut depth: usize = 0;
    let mut at = 0;
    while let Some(found) = bytes[at..].iter().position(|&b| b == b'<') {
        let start = at + found;
        at = start + 1;
        let closing = bytes.get(at) == Some(&b'/');
        let name_start = if closing { at + 1 } else { at };
        let name_len = bytes[name_start.min(bytes.len())..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = &markdown[name_start..name_start + name_len];
        let end = bytes[name_start..].iter().position(|&b| b == b'>');
        let self_closing = end.is_some_and(|e| e > 0 && bytes[name_start + e - 1] == b'/');
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing && !VOID_ELEMENTS.iter().any(|v| v.eq_ignore_ascii_case(name)) {
            depth += 1;
            if depth > MAX_HTML_NESTING {
                return Some(start);
            }
        }
    }
    None
}

/// The container depth a line opens: quote markers and list markers at
/// its start, plus its indentation (two columns per nested list level).
fn line_depth(line: &str) -> usize {
    let bytes = line.as_bytes();
    let indent = bytes
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    let mut depth = 0;
    let mut i = indent;
    loop {
        while i < bytes.len() && (bytes[i] == b' ' || bytes[i] == b'\t') {
            i += 1;
        }
        let Some(&b) = bytes.get(i) else { break };
        let spaced = |at: usize| matches!(bytes.get(at), Some(b' ' | b'\t' | b'\n' | b'\r') | None);
        if b == b'>' || (matches!(b, b'-' | b'*' | b'+') && spaced(i + 1)) {
            i += 1;
        } else if b.is_ascii_digit() {
            let digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
            if digits <= 9
                && matches!(bytes.get(i + digits), Some(b'.' | b')'))
                && spaced(i + digits + 1)
            {
                i += digits + 1;
            } else {
                break;
            }
        } else {
            break;
        }
        depth += 1;
    }
    depth + indent / 2
}

/// The one sanitizer of content HTML; [`crate::raw_html`] tells authors
/// what it removes.
pub static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto", "tel"].into())
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        .attribute_filter(|element, attribute, value| {
            if !matches!(attribute, "href" | "src" | "cite") {
                return Some(value.into());
            }
            match urls::content_target(value) {
                // Refused targets, and `@/` links in raw HTML (which are not
                // resolved; the check reports them), lose the attribute.
                Target::Refused(_) | Target::Unsafe | Target::Internal(_) => None,
                Target::External if element == "img" => None,
                Target::External | Target::Site => Some(value.into()),
            }
        });
    builder
});

fn level(n: usize) -> HeadingLevel {
    match n {
        1 => HeadingLevel::H1,
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Renders `markdown` to sanitized HTML; `resolve` turns an internal link
/// target (`approvals/delytact.md`, after `@/`) into a URL. The body's
/// highest heading becomes `<h{top}>`, the rest keep their relative depth,
/// so a body never adds a second `<h1>` or skips below its section.
pub fn to_html(markdown: &str, top: usize, resolve: impl Fn(&str) -> Option<String>) -> String {
    if too_deep(markdown).is_some() || html_too_deep(markdown).is_some() {
        // Checked content never gets here; anything else is shown as text.
        let text = markdown
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        return format!("<p>{text}</p>\n");
    }
    let highest = Parser::new_ext(markdown, options())
        .filter_map(|event| match event {
            Event::Start(Tag::Heading { level, .. }) => Some(level as usize),
            _ => None,
        })
        .min()
        .unwrap_or(top);
    let shift = |l: HeadingLevel| level((l as usize + top).saturating_sub(highest).clamp(1, 6));
    let events = Parser::new_ext(markdown, options()).map(|event| match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite(dest_url, &resolve);
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let dest_url = rewrite(dest_url, &resolve);
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            })
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: shift(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(shift(level))),
        other => other,
    });
    let mut html = String::with_capacity(markdown.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    SANITIZER.clean(&html).to_string()
}

fn rewrite<'a>(dest: CowStr<'a>, resolve: &impl Fn(&str) -> Option<String>) -> CowStr<'a> {
    match dest.strip_prefix("@/") {
        Some(target) => {
            let (file, fragment) = target
                .split_once('#')
                .map_or((target, None), |(f, h)| (f, Some(h)));
            let url = resolve(file).unwrap_or_default();
            match fragment {
                Some(fragment) => format!("{url}#{fragment}").into(),
                None => url.into(),
            }
        }
        None => dest,
    }
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn removes_scripts_handlers_and_javascript_urls() {
        let html = to_html(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"javascript:alert(2)\" onclick=\"y()\">y</a>",
            2,
            |_| None,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn drops_images_from_other_origins() {
        let html = to_html(
            "![a](https://evil.example/x.png) <img src=\"//evil.example/y.png\"> ![b](/assets/ok.png)",
            2,
            |_| None,
        );
        assert!(!html.contains("evil.example"), "{html}");
        assert!(html.contains("src=\"/assets/ok.png\""), "{html}");
    }

    #[test]
    fn drops_targets_browsers_read_two_ways() {
        let html = to_html(
            "<img src=\"/\\evil.example/x.png\"> <img src=\"\\\\evil\"> <a href=\"https:evil.example\">a</a> <a href=\"@/approvals/x.md\">b</a> [c](https:evil.example)",
            2,
            |_| None,
        );
        assert!(!html.contains("evil"), "{html}");
        assert!(!html.contains("@/"), "{html}");
    }

    #[test]
    fn nesting_is_measured_in_one_pass() {
        assert_eq!(super::too_deep("> a\n> > b\n- c\n  - d\n1. e\n"), None);
        let quotes = format!("{}x\n", "> ".repeat(100_000));
        assert_eq!(super::too_deep(&quotes), Some((0, 100_000)));
        let lists = format!("text\n{}x\n", "- ".repeat(50_000));
        assert_eq!(super::too_deep(&lists), Some((5, 50_000)));
        assert!(to_html(&quotes, 2, |_| None).starts_with("<p>&gt; &gt;"));
    }

    #[test]
    fn html_nesting_is_measured_in_one_pass() {
        assert_eq!(
            super::html_too_deep("<div><p>a</p><br><img src=x/></div>"),
            None
        );
        let flat = "<p>a</p>".repeat(10_000);
        assert_eq!(super::html_too_deep(&flat), None);
        let deep = "<div>".repeat(100);
        assert_eq!(super::html_too_deep(&deep), Some(64 * 5));
        let html = to_html(&"<ul>".repeat(100_000), 2, |_| None);
        assert!(html.starts_with("<p>&lt;ul&gt;"), "{}", &html[..40]);
    }

    #[test]
    fn resolves_internal_links() {
        let html = to_html(
            "[デリタクト](@/approvals/delytact.md#history)",
            2,
            |file| (file == "approvals/delytact.md").then(|| "/approvals/delytact/".to_string()),
        );
        assert_eq!(
            html,
            "<p><a href=\"/approvals/delytact/#history\" rel=\"noopener noreferrer\">デリタクト</a></p>\n"
        );
    }

    #[test]
    fn body_headings_start_at_the_given_level() {
        assert_eq!(
            to_html("# A\n\n## B", 2, |_| None),
            "<h2>A</h2>\n<h3>B</h3>\n"
        );
        assert_eq!(
            to_html("## A\n\n### B", 4, |_| None),
            "<h4>A</h4>\n<h5>B</h5>\n"
        );
        assert_eq!(to_html("### A", 2, |_| None), "<h2>A</h2>\n");
    }
}
