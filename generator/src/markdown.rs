//! Markdown to safe HTML, shared by validation (link scanning) and rendering.
//!
//! Content is untrusted: raw HTML in Markdown passes through ammonia, which
//! removes scripts, event handlers, `style` and `javascript:` URLs, so a
//! strict Content-Security-Policy can hold on every page. Images must be
//! the site's own files: the policy blocks images from other origins.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// The Markdown dialect of content files: CommonMark plus tables and
/// strikethrough.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH
}

/// Whether an image URL points outside the site (and so would be blocked
/// by the Content-Security-Policy).
pub fn is_external(url: &str) -> bool {
    url.starts_with("//") || url.contains("://") || url.starts_with("data:")
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"))
        .attribute_filter(|element, attribute, value| {
            if element == "img" && attribute == "src" && is_external(value) {
                None
            } else {
                Some(value.into())
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
