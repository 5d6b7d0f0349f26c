//! Atom feeds, per language, the newest entries only: one of every
//! approval, one of each other explored collection, and one per facet page
//! (one option or a pair), so readers can follow exactly, say, new
//! gene-therapy approvals for cancer.

use amed_model::{Collection, Document, Lang, PartialDate};
use minijinja::context;
use portal_output::fingerprint::Fingerprint;

use super::templates::{TEMPLATES, ui};
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// Entries in each Atom feed: a feed is for following updates, and a feed
/// of every record would grow without bound.
pub const FEED_ENTRIES: usize = 50;

/// The feed's job. Its inputs: the newest approvals, when each last
/// changed, and the content date.
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    let index = ctx.index(Collection::Approvals);
    let rows = newest(&index.unfiltered.matches);
    Job {
        path: format!("{}{}", lang.prefix(), routes::FEED),
        fingerprint: ctx
            .print("feed")
            .with(&lang)
            .with(&entry_inputs(ctx, Collection::Approvals, &rows))
            .with(&ctx.content_date)
            .finish128(),
        output: Output::Feed(lang),
    }
}

/// The positions of a list's newest records, as many as a feed holds
/// (`matches` is in list order, newest first).
fn newest(matches: &[u32]) -> Vec<usize> {
    matches
        .iter()
        .take(FEED_ENTRIES)
        .map(|&i| i as usize)
        .collect()
}

/// A day as Atom writes it.
fn stamp_day(y: u16, m: u8, d: u8) -> String {
    format!("{y:04}-{m:02}-{d:02}T00:00:00Z")
}

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
fn last_changed(ctx: &Context<'_>, collection: Collection, i: usize) -> Option<String> {
    let doc = document(ctx, collection, i)?;
    let history = ctx.history.of(&doc.file);
    let date = &history.changes.first()?.date;
    Some(format!("{date}T00:00:00Z"))
}

/// What the feed entries of records `rows` read: the entries and their
/// files' histories.
fn entry_inputs(
    ctx: &Context<'_>,
    collection: Collection,
    rows: &[usize],
) -> Vec<(Fingerprint, Option<String>)> {
    let index = ctx.index(collection);
    rows.iter()
        .map(|&i| (index.entries[i], last_changed(ctx, collection, i)))
        .collect()
}

/// The entries of records `rows` of `collection` in `lang`, and the feed's
/// `updated`: an entry's `updated` is when it last changed (its history;
/// without one, its own date or the content's), its `published` the day
/// of its date where the date names a day (a month or a year has no day
/// to give).
fn entries(
    ctx: &Context<'_>,
    collection: Collection,
    rows: &[usize],
    lang: Lang,
) -> (Vec<minijinja::Value>, String) {
    let dataset = ctx.dataset(collection);
    let mut newest: Option<String> = None;
    let entries = rows
        .iter()
        .map(|&i| {
            let e = &dataset.records[i];
            let updated = last_changed(ctx, collection, i)
                .or_else(|| e.date.or(ctx.content_date).map(stamp))
                .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
            if newest.as_ref().is_none_or(|n| *n < updated) {
                newest = Some(updated.clone());
            }
            let published = e.date.and_then(|d| Some(stamp_day(d.year(), d.month()?, d.day()?)));
            context! { title => e.title.get(lang), url => ctx.site.url(lang, &e.path), updated, published, summary => e.summary.get(lang) }
        })
        .collect();
    let updated = newest
        .or_else(|| ctx.content_date.map(stamp))
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    (entries, updated)
}

/// The feed in `lang`: the newest approvals.
pub fn render(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let index = ctx.index(Collection::Approvals);
    let rows = newest(&index.unfiltered.matches);
    let (entries, updated) = entries(ctx, Collection::Approvals, &rows, lang);
    Ok(TEMPLATES.get_template("feed.xml")?.render(context! {
        lang => lang.code(),
        title => format!("{} — {}", ctx.lib.site.title.get(lang), Collection::Approvals.label(lang)),
        subtitle => None::<String>,
        self_url => ctx.site.url(lang, routes::FEED),
        site_url => ctx.site.url(lang, routes::APPROVALS),
        updated,
        entries,
    })?)
}

/// The feed jobs of the lists that have one. Their inputs: the newest rows.
pub fn list_jobs<'c>(ctx: &'c Context<'_>) -> impl Iterator<Item = Job> + 'c {
    ctx.lists
        .iter()
        .enumerate()
        .filter(|(_, list)| list.has_feed())
        .map(move |(l, list)| {
            let inputs = entry_inputs(ctx, list.collection, &newest(&list.matches));
            Job {
                path: format!("{}{}", list.lang.prefix(), routes::list_feed(&list.path)),
                fingerprint: ctx
                    .print("list-feed")
                    .with(&list.lang)
                    .with(&list.path)
                    .with(&list.filters)
                    .with(&inputs)
                    .with(&*ctx.descriptions)
                    .finish128(),
                output: Output::ListFeed(l),
            }
        })
}

/// The feed of list `list` (index into [`Context::lists`]): its newest
/// records, in list order.
pub fn render_list(ctx: &Context<'_>, list: usize) -> Result<String, BuildError> {
    let list = &ctx.lists[list];
    let lang = list.lang;
    let rows = newest(&list.matches);
    let (entries, updated) = entries(ctx, list.collection, &rows, lang);
    // A collection of samples says so in its feeds' names.
    let mut title = format!(
        "{} — {}",
        ctx.lib.site.title.get(lang),
        ctx.descriptions.title(ctx.dataset(list.collection), lang)
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
    let subtitle = super::list::portal_classified_note(ctx, lang, list.collection, |id| {
        list.filters.iter().any(|f| f.facet == id)
    });
    Ok(TEMPLATES.get_template("feed.xml")?.render(context! {
        lang => lang.code(),
        title,
        subtitle,
        self_url => ctx.site.url(lang, &routes::list_feed(&list.path)),
        site_url => ctx.site.url(lang, &list.path),
        updated,
        entries,
    })?)
}
