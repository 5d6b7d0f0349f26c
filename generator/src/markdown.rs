//! Markdown to safe HTML, shared by validation (link scanning) and rendering.
//!
//! Content is untrusted: raw HTML in Markdown passes through ammonia, which
//! removes scripts, event handlers, `style` and `javascript:` URLs, so a
//! strict Content-Security-Policy can hold on every page.

use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

/// The Markdown dialect of content files: CommonMark plus tables,
/// strikethrough and footnotes.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES
}

static SANITIZER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut builder = ammonia::Builder::default();
    builder
        .url_schemes(["http", "https", "mailto"].into())
        .link_rel(Some("noopener noreferrer"))
        .add_generic_attributes(["id"])
        .id_prefix(Some("md-"));
    builder
});

/// Renders `markdown` to sanitized HTML; `resolve` turns an internal link
/// target (`approvals/delytact.md`, after `@/`) into a URL.
pub fn to_html(markdown: &str, resolve: impl Fn(&str) -> Option<String>) -> String {
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
            |_| None,
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn resolves_internal_links() {
        let html = to_html(
            "[デリタクト](@/approvals/delytact.md#history)",
            |file| (file == "approvals/delytact.md").then(|| "/approvals/delytact/".to_string()),
        );
        assert_eq!(
            html,
            "<p><a href=\"/approvals/delytact/#history\" rel=\"noopener noreferrer\">デリタクト</a></p>\n"
        );
    }
}
