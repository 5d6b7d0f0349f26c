//! The Atom feed of approvals, per language: the newest entries only.

use amed_model::{Collection, Lang, PartialDate};
use minijinja::context;

use super::templates::TEMPLATES;
use super::{Context, Job, Output};
use crate::error::BuildError;
use crate::routes;

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
        .map(|a| crate::fingerprint::Fingerprint::of(&**a))
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
