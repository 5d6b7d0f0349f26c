//! Checks a record body beyond what parsing it finds: how deep lists,
//! quotes and raw HTML nest, every link and image target (in Markdown or
//! raw HTML), and what the sanitizer would strip from raw HTML.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::error::{Diagnostics, Spot};
use crate::load::SourceFile;
use crate::urls::{self, Target};
use crate::{markdown, raw_html};

/// Checks a body: its nesting, and every link and image target, in
/// Markdown or raw HTML. Returns its internal links, each with where it is.
pub fn scan(
    file: &SourceFile,
    body_offset: usize,
    body: &str,
    d: &mut Diagnostics,
) -> Vec<(String, Spot)> {
    let mut scan = Scan {
        file,
        d,
        links: vec![],
    };
    scan.body(body_offset, body);
    scan.links
}

/// A body being checked.
struct Scan<'a> {
    file: &'a SourceFile,
    d: &'a mut Diagnostics,
    links: Vec<(String, Spot)>,
}

impl Scan<'_> {
    fn body(&mut self, body_offset: usize, body: &str) {
        let file = self.file;
        if let Some((at, depth)) = markdown::too_deep(body) {
            file.report(
                self.d,
                body_offset + at,
                format!(
                    "lists and quotes nested {depth} levels deep (at most {}): flatten them",
                    markdown::MAX_NESTING
                ),
            );
            return;
        }
        if let Some(at) = markdown::html_too_deep(body) {
            file.report(
                self.d,
                body_offset + at,
                format!(
                    "raw HTML elements nested more than {} deep: close them, or write Markdown",
                    markdown::MAX_HTML_NESTING
                ),
            );
            return;
        }
        // An HTML block arrives a line at a time: judged whole, from its start.
        let mut block: Option<(usize, String)> = None;
        for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
            let at = body_offset + range.start;
            match event {
                Event::Start(Tag::Link { dest_url, .. }) => {
                    self.markdown_target(file, at, &dest_url, false);
                }
                Event::Start(Tag::Image { dest_url, .. }) => {
                    self.markdown_target(file, at, &dest_url, true);
                }
                Event::Start(Tag::HtmlBlock) => block = Some((at, String::new())),
                Event::Html(html) => match &mut block {
                    Some((_, text)) => text.push_str(&html),
                    None => self.raw_html(file, at, &html),
                },
                Event::End(TagEnd::HtmlBlock) => {
                    if let Some((start, text)) = block.take() {
                        self.raw_html(file, start, &text);
                    }
                }
                Event::InlineHtml(html) => self.raw_html(file, at, &html),
                _ => {}
            }
        }
    }

    /// Checks the target of a Markdown link or image at byte `at`.
    fn markdown_target(&mut self, file: &SourceFile, at: usize, url: &str, image: bool) {
        match urls::content_target(url) {
            Target::Internal(target) => self.links.push((target.to_string(), file.spot(at))),
            Target::Refused(why) => {
                file.report(self.d, at, format!("link target {url:?} is refused: {why}"));
            }
            Target::Unsafe => file.report(
                self.d,
                at,
                format!(
                    "link target {url:?} is removed: links may use only https, http, mailto and tel"
                ),
            ),
            Target::External if image => file.report(self.d, at, raw_html::remote_image(url)),
            Target::Site | Target::External => {}
        }
    }

    /// Reports what the sanitizer would remove from raw HTML starting at byte `at`.
    fn raw_html(&mut self, file: &SourceFile, at: usize, html: &str) {
        for finding in raw_html::findings(html) {
            file.report(self.d, at + finding.offset, finding.message);
        }
    }
}
