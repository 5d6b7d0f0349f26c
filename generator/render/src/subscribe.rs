//! The feeds page (`/feeds/`): what a feed is and how to follow one, and
//! every feed of the site with its address to copy. Each list's
//! "subscribe" link leads to its own row (`#feed_…`), so a reader who
//! clicks it meets an explanation and an address, not raw XML.

use amed_model::facet_pages::{feed_anchor, feed_path};
use amed_model::{Collection, Lang};
use minijinja::context;
use serde::Serialize;

use super::templates::{TEMPLATES, ui};
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// One feed: where it is and what it follows.
#[derive(Serialize, Hash)]
struct FeedRow {
    anchor: String,
    label: String,
    url: String,
    href: String,
    /// Records the followed list holds now.
    count: usize,
    /// Whether the list holds sample data.
    sample: bool,
}

/// The feeds of one collection.
#[derive(Serialize, Hash)]
struct FeedGroup {
    heading: String,
    feeds: Vec<FeedRow>,
}

fn row(
    ctx: &Context<'_>,
    lang: Lang,
    list_path: &str,
    label: String,
    count: usize,
    sample: bool,
) -> FeedRow {
    let path = feed_path(list_path);
    FeedRow {
        anchor: feed_anchor(&path),
        label,
        url: ctx.site.url(lang, &path),
        href: ctx.site.href(lang, &path),
        count,
        sample,
    }
}

/// Every feed in `lang`, grouped by collection, in list order.
fn groups(ctx: &Context<'_>, lang: Lang) -> Vec<FeedGroup> {
    super::explore::EXPLORED
        .iter()
        .map(|&collection| {
            let mut feeds = Vec::new();
            for list in ctx
                .lists
                .iter()
                .filter(|l| l.lang == lang && l.collection == collection)
            {
                let label = if list.filters.is_empty() {
                    ui(lang, "feeds_whole_list").to_string()
                } else {
                    list.label()
                };
                if list.has_feed() || list.filters.is_empty() {
                    feeds.push(row(
                        ctx,
                        lang,
                        &list.path,
                        label,
                        list.matches.len(),
                        list.has_sample,
                    ));
                }
            }
            FeedGroup {
                heading: collection.label(lang).to_string(),
                feeds,
            }
        })
        .collect()
}

/// The feeds page's job: it reads the lists' paths, labels and counts.
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    Job {
        path: routes::page_file(lang, routes::FEEDS),
        fingerprint: ctx
            .print("feeds")
            .with(&lang)
            .with(&groups(ctx, lang))
            .finish128(),
        output: Output::Feeds(lang),
    }
}

/// The feeds page in `lang`.
pub fn render(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let title = ui(lang, "feeds_title");
    let mut chrome = ctx.chrome(
        lang,
        routes::FEEDS,
        title,
        ui(lang, "feeds_description"),
        None,
    );
    chrome.breadcrumbs = ctx.crumbs(lang, &[]);
    Ok(TEMPLATES.get_template("feeds.html")?.render(context! {
        page => chrome,
        title,
        groups => groups(ctx, lang),
        approvals => Collection::Approvals.label(lang),
    })?)
}
