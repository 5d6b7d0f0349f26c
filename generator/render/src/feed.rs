//! Atom feeds, per language, the newest entries only: one of every
//! approval, one of each other explored collection, and one per facet page
//! (one option or a pair), so readers can follow exactly, say, new
//! gene-therapy approvals for cancer.

use amed_model::{Collection, Lang, PartialDate};
use minijinja::context;

use super::templates::TEMPLATES;
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// Entries in each Atom feed: a feed is for following updates, and a feed
/// of every record would grow without bound.
pub const FEED_ENTRIES: usize = 50;

/// The feed's job. Its inputs: the newest approvals and the content date.
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    let newest: Vec<_> = ctx
        .lib
        .approvals
        .iter()
        .take(FEED_ENTRIES)
        .map(|a| portal_output::fingerprint::Fingerprint::of(&**a))
        .collect();
    Job {
        path: format!("{}{}", lang.prefix(), routes::FEED),
        fingerprint: ctx
            .print("feed")
            .with(&lang)
            .with(&newest)
            .with(&ctx.content_date)
            .finish128(),
        output: Output::Feed(lang),
    }
}

fn stamp(d: PartialDate) -> String {
    let (y, m, day) = d.first_day();
    format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
}

/// The feed in `lang`.
pub fn render(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let approvals = &ctx.lib.approvals;
    let updated = approvals
        .iter()
        .map(|a| a.approved)
        .max()
        .or(ctx.content_date)
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let entries: Vec<_> = approvals
        .iter()
        .take(FEED_ENTRIES)
        .map(|a| {
            let path = Collection::Approvals.record_path(&a.doc.id);
            context! { title => a.doc.title.get(lang), url => ctx.site.url(lang, &path), updated => stamp(a.approved), summary => a.doc.summary.get(lang) }
        })
        .collect();
    Ok(TEMPLATES.get_template("feed.xml")?.render(context! {
        lang => lang.code(),
        title => format!("{} — {}", ctx.lib.site.title.get(lang), Collection::Approvals.label(lang)),
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
            let index = ctx.index(list.collection);
            let newest: Vec<_> = list
                .matches
                .iter()
                .take(FEED_ENTRIES)
                .map(|&i| index.entries[i as usize])
                .collect();
            Job {
                path: format!("{}{}", list.lang.prefix(), routes::list_feed(&list.path)),
                fingerprint: ctx
                    .print("list-feed")
                    .with(&list.lang)
                    .with(&list.path)
                    .with(&list.filters)
                    .with(&newest)
                    .with(&ctx.content_date)
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
    let dataset = ctx.dataset(list.collection);
    let rows: Vec<_> = list
        .matches
        .iter()
        .map(|&i| &dataset.records[i as usize])
        .collect();
    let updated = rows
        .iter()
        .filter_map(|e| e.date)
        .max()
        .or(ctx.content_date)
        .map(stamp)
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
    let entries: Vec<_> = rows
        .iter()
        .take(FEED_ENTRIES)
        .map(|e| {
            let updated = e.date.or(ctx.content_date).map(stamp).unwrap_or_default();
            context! { title => e.title.get(lang), url => ctx.site.url(lang, &e.path), updated, summary => e.summary.get(lang) }
        })
        .collect();
    let mut title = format!(
        "{} — {}",
        ctx.lib.site.title.get(lang),
        list.collection.label(lang)
    );
    if !list.filters.is_empty() {
        title = format!("{title} — {}", list.label());
    }
    Ok(TEMPLATES.get_template("feed.xml")?.render(context! {
        lang => lang.code(),
        title,
        self_url => ctx.site.url(lang, &routes::list_feed(&list.path)),
        site_url => ctx.site.url(lang, &list.path),
        updated,
        entries,
    })?)
}
