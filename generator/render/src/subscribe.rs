//! The feeds page (`/feeds/`): what a feed is and how to follow one, and
//! every feed of the site with its address to copy. Each list's
//! "subscribe" link leads to its own row (`#feed_…`), so a reader who
//! clicks it meets an explanation and an address, not raw XML.

use amed_model::facet_pages::{feed_anchor, feed_path};
use amed_model::{Collection, Lang};
use minijinja::context;
use serde::Serialize;

use super::context::Context;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::shared::Shared;
use super::templates::{TEMPLATES, ui};
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
    site: &routes::Site,
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
        url: site.url(lang, &path),
        href: site.href(lang, &path),
        count,
        sample,
    }
}

/// Every feed in `lang`, grouped by collection, in list order.
fn groups(ctx: &Context<'_>, lang: Lang) -> Vec<FeedGroup> {
    super::lists::EXPLORED
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
                        &ctx.shared.site,
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

/// The feeds page in each language.
pub struct FeedsPage;

/// What the feeds page reads: every feed's row.
#[derive(Hash)]
pub struct Inputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    groups: Vec<FeedGroup>,
}

impl Family for FeedsPage {
    const NAME: &'static str = "feeds";
    type Key = Lang;
    type Inputs<'c> = Inputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, lang: &Lang) -> Inputs<'c> {
        Inputs {
            shared: &ctx.shared,
            lang: *lang,
            groups: groups(ctx, *lang),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        let (shared, lang) = (i.shared, i.lang);
        let title = ui(lang, "feeds_title");
        let mut chrome = shared.chrome(
            lang,
            routes::FEEDS,
            title,
            ui(lang, "feeds_description"),
            None,
        );
        chrome.breadcrumbs = shared.crumbs(lang, &[]);
        inputs::text(TEMPLATES.get_template("feeds.html")?.render(context! {
            page => chrome,
            title,
            groups => i.groups,
            approvals => Collection::Approvals.label(lang),
        })?)
    }
}

/// The feeds page's job in `lang`.
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    Job::of::<FeedsPage>(ctx, routes::page_file(lang, routes::FEEDS), lang)
}
