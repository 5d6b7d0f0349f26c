//! Atom feeds, per language, the newest entries only: one of every
//! approval, one of each other explored collection, and one per facet page
//! (one option or a pair), so readers can follow exactly, say, new
//! gene-therapy approvals for cancer.

use amed_model::{Collection, Document, Lang, PartialDate};
use minijinja::context;

use super::context::Context;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::shared::Shared;
use super::templates::{TEMPLATES, ui};
use super::views::Rows;
use portal_content::error::BuildError;
use portal_content::routes;

/// Entries in each Atom feed: a feed is for following updates, and a feed
/// of every record would grow without bound.
pub const FEED_ENTRIES: usize = 50;

/// The site's feed: the newest approvals, in each language.
pub struct SiteFeed;

impl Family for SiteFeed {
    const NAME: &'static str = "feed";
    type Key = Lang;
    type Inputs<'c> = FeedInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> FeedInputs<'c> {
        let collection = Collection::Approvals;
        FeedInputs {
            title: format!(
                "{} — {}",
                ctx.shared.settings.title.get(lang),
                collection.label(lang)
            ),
            subtitle: None,
            self_path: routes::FEED.to_string(),
            site_path: routes::APPROVALS,
            ..FeedInputs::of(
                ctx,
                lang,
                collection,
                &ctx.index(collection).unfiltered.matches,
            )
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(feed(&i)?)
    }
}

/// The feed's job in `lang`.
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    Job::of::<SiteFeed>(ctx, format!("{}{}", lang.prefix(), routes::FEED), lang)
}

/// The feed of each list that has one (facet pages, the whole lists of
/// seeds and PPI).
pub struct ListFeed;

impl Family for ListFeed {
    const NAME: &'static str = "list-feed";
    /// The list (index into [`Context::lists`]).
    type Key = usize;
    type Inputs<'c> = FeedInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &l: &usize) -> FeedInputs<'c> {
        let list = &ctx.lists[l];
        let lang = list.lang;
        // A collection of samples says so in its feeds' names.
        let mut title = format!(
            "{} — {}",
            ctx.shared.settings.title.get(lang),
            ctx.descriptions
                .title(ctx.index(list.collection).meta(), lang)
        );
        // A feed of one of this portal's own classes says so, beside that
        // class in its title and in the subtitle feed readers show under it.
        if !list.filters.is_empty() {
            let label = list.label_marking(|f| {
                if amed_model::dataset::facet::is_portal_classified(&f.facet) {
                    ui(lang, "portal_classification_mark")
                } else {
                    ""
                }
            });
            title = format!("{title} — {label}");
        }
        let facets = &ctx.dataset(list.collection).facets;
        let subtitle = super::list::portal_classified_note(facets, lang, |id| {
            list.filters.iter().any(|f| f.facet == id)
        });
        FeedInputs {
            title,
            subtitle,
            self_path: routes::list_feed(&list.path),
            site_path: &list.path,
            ..FeedInputs::of(ctx, lang, list.collection, &list.matches)
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(feed(&i)?)
    }
}

/// The feed jobs of the lists that have one.
pub fn list_jobs<'c>(ctx: &'c Context<'_>) -> impl Iterator<Item = Job> + 'c {
    ctx.lists
        .iter()
        .enumerate()
        .filter(|(_, list)| list.has_feed())
        .map(move |(l, list)| {
            let path = format!("{}{}", list.lang.prefix(), routes::list_feed(&list.path));
            Job::of::<ListFeed>(ctx, path, l)
        })
}

/// What a feed reads: its name and addresses, its newest records with
/// when each last changed, and the content date.
#[derive(Hash)]
pub struct FeedInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    title: String,
    subtitle: Option<String>,
    /// The feed's own path, and the page it follows.
    self_path: String,
    site_path: &'c str,
    rows: Rows<'c>,
    /// When each of `rows` last changed, if the content has a history.
    changed: Vec<Option<&'c str>>,
    content_date: Option<PartialDate>,
}

impl<'c> FeedInputs<'c> {
    /// The inputs of a feed of the records `matches` (list order) of
    /// `collection`, without its name and addresses.
    fn of(
        ctx: &'c Context<'_>,
        lang: Lang,
        collection: Collection,
        matches: &'c [u32],
    ) -> FeedInputs<'c> {
        let newest = &matches[..matches.len().min(FEED_ENTRIES)];
        FeedInputs {
            shared: &ctx.shared,
            lang,
            title: String::new(),
            subtitle: None,
            self_path: String::new(),
            site_path: "",
            rows: ctx.index(collection).rows(newest),
            changed: newest
                .iter()
                .map(|&i| last_changed(ctx, collection, i as usize))
                .collect(),
            content_date: ctx.content_date,
        }
    }
}

/// A day as Atom writes it.
fn stamp_day(y: u16, m: u8, d: u8) -> String {
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

/// The first day of a date as Atom writes it.
fn stamp(d: PartialDate) -> String {
    let (y, m, day) = d.first_day();
    stamp_day(y, m, day)
}

/// The content file of record `i` of `collection` (its history's key).
fn document<'c>(ctx: &Context<'c>, collection: Collection, i: usize) -> Option<&'c Document> {
    let lib = ctx.lib;
    match collection {
        Collection::Approvals => lib.approvals.get(i).map(|r| &r.doc),
        Collection::Seeds => lib.seeds.get(i).map(|r| &r.doc),
        Collection::Ppi => lib.ppi.get(i).map(|r| &r.doc),
        _ => None,
    }
}

/// When record `i` of `collection` last changed: the newest commit that
/// touched its files, if the content has a history.
fn last_changed<'c>(ctx: &'c Context<'_>, collection: Collection, i: usize) -> Option<&'c str> {
    let doc = document(ctx, collection, i)?;
    ctx.history.last_date(&doc.file)
}

/// The feed: an entry's `updated` is when it last changed (its history;
/// without one, its own date or the content's), its `published` the day
/// of its date where the date names a day (a month or a year has no day
/// to give); the feed's `updated` is the newest entry's.
fn feed(i: &FeedInputs<'_>) -> Result<String, BuildError> {
    let (site, lang) = (&i.shared.site, i.lang);
    let mut newest: Option<String> = None;
    let entries: Vec<minijinja::Value> = i
        .rows
        .entries()
        .zip(&i.changed)
        .map(|(e, changed)| {
            let updated = changed
                .map(|date| format!("{date}T00:00:00Z"))
                .or_else(|| e.date.or(i.content_date).map(stamp))
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
            if newest.as_ref().is_none_or(|n| *n < updated) {
                newest = Some(updated.clone());
            }
            let published = e.date.and_then(|d| Some(stamp_day(d.year(), d.month()?, d.day()?)));
            context! { title => e.title.get(lang), url => site.url(lang, &e.path), updated, published, summary => e.summary.get(lang) }
        })
        .collect();
    let updated = newest
        .or_else(|| i.content_date.map(stamp))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    Ok(TEMPLATES.get_template("feed.xml")?.render(context! {
        lang => lang.code(),
        title => i.title,
        subtitle => i.subtitle,
        self_url => site.url(lang, &i.self_path),
        site_url => site.url(lang, i.site_path),
        updated,
        entries,
    })?)
}
