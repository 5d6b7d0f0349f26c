//! Cited sources as pages show them.

use amed_model::Lang;
use serde::Serialize;

use super::templates::{DateView, date};

/// A cited source as pages show it.
#[derive(Debug, Serialize, Hash)]
pub struct SourceView {
    lang: &'static str,
    title: String,
    date: DateView,
    publisher: Option<String>,
    url: Option<String>,
    page: Option<String>,
    /// English glosses of a Japanese title, publisher and page, on English pages.
    title_gloss: Option<String>,
    publisher_gloss: Option<String>,
    page_gloss: Option<String>,
}

/// A source on one line for readers of `lang`: publisher, title, the day
/// written out and the place in it, with the English glosses of a Japanese
/// source's parts on English pages.
pub fn source_sentence(s: &amed_model::Source, lang: Lang) -> String {
    let gloss = |part: &Option<String>| {
        s.gloss(lang, part)
            .map_or_else(String::new, |g| format!(" ({g})"))
    };
    let separator = super::templates::ui(lang, "list_separator");
    let mut line = String::new();
    if let Some(publisher) = &s.publisher {
        line.push_str(&format!("{publisher}{}{separator}", gloss(&s.publisher_en)));
    }
    line.push_str(&format!(
        "「{}」{}{separator}{}",
        s.title,
        gloss(&s.title_en),
        s.date.format(lang)
    ));
    if let Some(page) = &s.page {
        line.push_str(&format!("{separator}{page}{}", gloss(&s.page_en)));
    }
    line
}

/// `sources` as pages in `lang` show them.
pub fn source_views(sources: &[amed_model::Source], lang: Lang) -> Vec<SourceView> {
    sources
        .iter()
        .map(|s| SourceView {
            lang: s.lang.code(),
            title: s.title.clone(),
            date: date(s.date, lang),
            publisher: s.publisher.clone(),
            url: s.url.clone(),
            page: s.page.clone(),
            title_gloss: s.gloss(lang, &s.title_en).map(String::from),
            publisher_gloss: s.gloss(lang, &s.publisher_en).map(String::from),
            page_gloss: s.gloss(lang, &s.page_en).map(String::from),
        })
        .collect()
}
