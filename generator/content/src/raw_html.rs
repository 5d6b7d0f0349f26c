//! What the sanitizer removes from raw HTML in content, found before it
//! does, so the author is told: each element, attribute and URL that
//! would silently vanish, and each image that would fail readers.
//!
//! The raw HTML is read by html5ever's tokenizer, as a browser reads it
//! (character references decoded: `&#47;&#92;evil.example` is judged as
//! `/\evil.example`), against the allow lists of the one sanitizer,
//! [`crate::markdown::SANITIZER`].

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, StartTag, Tag, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};

use crate::urls::{self, Target};

/// One thing of the raw HTML the page would lose, or that would fail
/// readers: where it is written in the HTML given, and what to tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset in the HTML given: of the attribute's value for an
    /// attribute or URL, else of the tag's `<`.
    pub offset: usize,
    /// The problem, for the author.
    pub message: String,
}

/// What the sanitizer keeps.
struct Allowed {
    tags: HashSet<&'static str>,
    attributes: HashMap<&'static str, HashSet<&'static str>>,
    generic: HashSet<&'static str>,
}

static ALLOWED: LazyLock<Allowed> = LazyLock::new(|| {
    let sanitizer = &*crate::markdown::SANITIZER;
    Allowed {
        tags: sanitizer.clone_tags(),
        attributes: sanitizer.clone_tag_attributes(),
        generic: sanitizer.clone_generic_attributes(),
    }
});

/// Collects the start tags of a fragment.
#[derive(Default)]
struct StartTags(RefCell<Vec<Tag>>);

impl TokenSink for StartTags {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let TagToken(tag) = token else {
            return TokenSinkResult::Continue;
        };
        if tag.kind != StartTag {
            return TokenSinkResult::Continue;
        }
        // What follows these is text up to their end tag, as in a browser.
        let raw = match &*tag.name {
            "script" => Some(RawKind::ScriptData),
            "style" | "xmp" | "iframe" | "noembed" | "noframes" => Some(RawKind::Rawtext),
            "textarea" | "title" => Some(RawKind::Rcdata),
            _ => None,
        };
        self.0.borrow_mut().push(tag);
        match raw {
            Some(kind) => TokenSinkResult::RawData(kind),
            None => TokenSinkResult::Continue,
        }
    }
}

/// Everything the sanitizer would remove from `html`, and every image
/// without alt text, in the order written.
pub fn findings(html: &str) -> Vec<Finding> {
    let tokenizer = Tokenizer::new(StartTags::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(html.into());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let tags = tokenizer.sink.0.take();
    let lower = html.to_ascii_lowercase();
    let mut cursor = 0;
    let mut found = vec![];
    for tag in &tags {
        let name: &str = &tag.name;
        // Where the tag starts: its name after a `<`, from the last one on.
        let needle = format!("<{name}");
        let offset = lower[cursor..].find(&needle).map_or(cursor, |i| cursor + i);
        cursor = (offset + 1).min(html.len());
        if !ALLOWED.tags.contains(name) {
            let message = removed_element(name);
            found.push(Finding { offset, message });
            continue;
        }
        for attribute in &tag.attrs {
            let attr: &str = &attribute.name.local;
            let value: &str = &attribute.value;
            let kept = ALLOWED.generic.contains(attr)
                || ALLOWED
                    .attributes
                    .get(name)
                    .is_some_and(|a| a.contains(attr));
            let message = if !kept {
                Some(format!(
                    "the {attr} attribute of <{name}> is removed from the page: raw HTML keeps only plain formatting"
                ))
            } else if matches!(attr, "href" | "src" | "cite") {
                url_finding(name, attr, value)
            } else {
                None
            };
            if let Some(message) = message {
                let offset = attribute_value(&lower, offset, attr);
                found.push(Finding { offset, message });
            }
        }
        let alt = tag.attrs.iter().any(|a| &*a.name.local == "alt");
        if name == "img" && !alt {
            let message = "an <img> needs alt text: alt=\"what it shows\", or alt=\"\" if it is only decoration";
            found.push(Finding {
                offset,
                message: message.to_string(),
            });
        }
    }
    found
}

/// Where the value of attribute `attr` of the tag starting at `tag` is
/// written in `lower` (the HTML in lower case), or else the tag's start.
fn attribute_value(lower: &str, tag: usize, attr: &str) -> usize {
    let end = lower[tag..].find('>').map_or(lower.len(), |e| tag + e);
    let bytes = lower.as_bytes();
    let mut from = tag + 1;
    while let Some(found) = lower[from..end].find(attr) {
        let at = from + found;
        from = at + attr.len();
        let before = bytes[at - 1];
        if !(before.is_ascii_whitespace() || before == b'"' || before == b'\'' || before == b'/') {
            continue;
        }
        let rest = lower[from..end].trim_start();
        let Some(value) = rest.strip_prefix('=') else {
            return at;
        };
        let value = value.trim_start();
        let start = end - value.len();
        return start + usize::from(value.starts_with(['"', '\'']));
    }
    tag
}

fn removed_element(name: &str) -> String {
    match name {
        "script" | "style" => format!(
            "the <{name}> element is removed from the page with its content: content cannot carry scripts or styles"
        ),
        _ => format!(
            "the <{name}> element is removed from the page (its text stays): raw HTML keeps only plain formatting; write Markdown"
        ),
    }
}

/// What becomes of a URL attribute of raw HTML, if it does not stay.
fn url_finding(element: &str, attr: &str, url: &str) -> Option<String> {
    match urls::content_target(url) {
        Target::Internal(_) => Some(format!(
            "internal link {url:?} in raw HTML is not resolved: write it in Markdown, [text]({url})"
        )),
        Target::Refused(why) => Some(format!("link target {url:?} is refused: {why}")),
        Target::Unsafe => Some(format!(
            "the {attr} {url:?} of <{element}> is removed: links may use only https, http, mailto and tel"
        )),
        Target::External if element == "img" => Some(remote_image(url)),
        Target::External | Target::Site => None,
    }
}

/// The problem of an image from another site.
pub fn remote_image(url: &str) -> String {
    format!(
        "image {url:?} is on another site and is removed: images must be the site's own files (put them in public/ and write /assets/…), as the Content-Security-Policy blocks others"
    )
}

#[cfg(test)]
mod tests {
    use super::findings;

    fn messages(html: &str) -> Vec<(usize, String)> {
        findings(html)
            .into_iter()
            .map(|f| (f.offset, f.message))
            .collect()
    }

    #[test]
    fn every_removal_is_found_where_it_is_written() {
        let found = messages(
            "<p onclick=\"x()\">a</p>\n<IMG src=\"https://evil.example/a.png\" alt=a><script>if (a<b) {}</script><iframe src=x></iframe>",
        );
        let at: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(at, [12, 33, 67, 95], "{found:?}");
        assert!(
            found[0]
                .1
                .starts_with("the onclick attribute of <p> is removed")
        );
        assert!(
            found[1]
                .1
                .starts_with("image \"https://evil.example/a.png\" is on another site")
        );
        assert!(found[2].1.starts_with("the <script> element is removed"));
        assert!(found[3].1.starts_with("the <iframe> element is removed"));
    }

    #[test]
    fn urls_are_judged_as_browsers_read_them() {
        let found = messages(
            "<a href=\"&#47;&#92;evil.example\">x</a><a href=\"jav&#x61;script:alert(1)\">y</a>",
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].1.contains("is refused: it holds a backslash"),
            "{found:?}"
        );
        assert!(found[1].1.contains("links may use only"), "{found:?}");
    }

    #[test]
    fn images_need_alt_text_and_plain_formatting_passes() {
        let found = messages(
            "<img src=\"/assets/a.png\"><em>ok</em> <a href=\"https://www.amed.go.jp/\">AMED</a> <img src=\"/a.png\" alt=\"\">",
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].1.starts_with("an <img> needs alt text"));
    }
}
