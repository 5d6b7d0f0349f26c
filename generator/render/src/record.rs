//! Record pages: one page per record and language, with its facts, body
//! and sources.

use amed_model::{Collection, Lang, Record, Text};
use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;

use super::catalog;
use super::context::Context;
use super::descriptions::Described;
use super::facts::{self, Fact};
use super::inputs::{self, Family};
use super::job::Job;
use super::list::Download;
use super::rendered::Rendered;
use super::shared::Shared;
use super::sources::{SourceView, source_views};
use super::templates::{DateView, TEMPLATES, TextView, date, text, ui};
use super::views::Columns;
use super::views::Printed;
use portal_content::error::BuildError;
use portal_content::history::{Change, RecordHistory};
use portal_content::{markdown, routes};

#[derive(Serialize)]
struct RecordView<'a> {
    id: &'a str,
    title: TextView<'a>,
    summary: TextView<'a>,
    body: String,
    body_lang: Option<&'static str>,
    facts: Vec<Fact>,
    sources: Vec<SourceView>,
    sample: bool,
    history: HistoryView,
}

/// What a record page says of its history: when it last changed, the
/// changes that carry a note in the page's language, and whether older
/// changes are missing.
#[derive(Serialize)]
struct HistoryView {
    last_updated: Option<DateView>,
    notes: Vec<ChangeView>,
    incomplete: bool,
}

#[derive(Serialize)]
struct ChangeView {
    date: DateView,
    note: String,
}

fn history_view(history: &RecordHistory<'_>, lang: Lang) -> HistoryView {
    let dated = |c: &Change| Some(date(c.date.parse().ok()?, lang));
    HistoryView {
        last_updated: history.changes.first().and_then(|c| dated(c)),
        notes: history
            .changes
            .iter()
            .filter_map(|c| {
                Some(ChangeView {
                    date: dated(c)?,
                    note: c.notes.get(lang.code())?.to_string(),
                })
            })
            .collect(),
        incomplete: history.incomplete,
    }
}

/// For a PPI event: `{ href }`, the link to its own calendar file when it
/// is dated to the day, or none when it is not (then it is in no
/// calendar, and the page says so); nothing for other records.
fn event_calendar(
    site: &routes::Site,
    record: &Record,
    path: &str,
    lang: Lang,
) -> Option<minijinja::Value> {
    let Record::Ppi(event) = record else {
        return None;
    };
    let href = event
        .date
        .day()
        .map(|_| site.href(lang, &routes::event_calendar(path)));
    Some(context! { href })
}

/// The free page that lists every open-data file.
const DATA_PAGE: &str = "data";

/// The page of each record in each language.
pub struct RecordPage;

/// What a record's page reads.
#[derive(Hash)]
pub struct RecordInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    record: Printed<'c, Record>,
    /// Where the records its body links to live.
    links: Links<'c>,
    history: RecordHistory<'c>,
    /// Its collection's facets and fields, which its facts name.
    columns: Columns<'c>,
    /// A case study's approvals, as (id, title).
    related: Vec<(&'c str, &'c Text)>,
    /// The open-data page's datasets: their descriptions and sizes.
    data_page: Option<Described<'c>>,
}

impl Family for RecordPage {
    const NAME: &'static str = "record";
    /// The record (index into [`Context::records`]) and the language.
    type Key = (usize, Lang);
    type Inputs<'c> = RecordInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(i, lang): &(usize, Lang)) -> RecordInputs<'c> {
        let record = &ctx.records[i];
        let doc = record.doc();
        let related = match record {
            Record::Case(case) => case
                .approvals
                .iter()
                .filter_map(|id| ctx.approval(id))
                .map(|a| &ctx.lib.approvals[a].doc)
                .map(|doc| (doc.id.as_str(), &doc.title))
                .collect(),
            _ => vec![],
        };
        RecordInputs {
            shared: &ctx.shared,
            lang,
            record: Printed::new(record, ctx.record_prints[i]),
            links: ctx.links(doc),
            history: ctx.history.of(&doc.file),
            columns: ctx.index(record.collection()).columns(),
            related,
            data_page: is_data_page(record).then(|| ctx.described(&Collection::ALL)),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(render(&i)?)
    }
}

/// The job of record `i`'s page in `lang`.
pub fn job(ctx: &Context<'_>, i: usize, lang: Lang) -> Job {
    let record = &ctx.records[i];
    let path = routes::page_file(lang, &record.collection().record_path(&record.doc().id));
    Job::of::<RecordPage>(ctx, path, (i, lang))
}

/// Every record page's job, two per record (in [`Lang::ALL`] order).
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    (0..ctx.records.len())
        .into_par_iter()
        .flat_map_iter(|i| Lang::ALL.map(|lang| job(ctx, i, lang)))
        .collect()
}

/// Plans again, in `jobs` (the last publish's), the pages of the records
/// at `changed` and of every record whose page shows others (a case
/// study its approvals' titles, the data page the datasets). Returns the
/// positions of the jobs whose inputs changed.
pub fn replan(ctx: &Context<'_>, jobs: &mut [Job], changed: &[usize]) -> Vec<usize> {
    let mut records: Vec<usize> = changed.to_vec();
    records.extend(
        ctx.records
            .iter()
            .enumerate()
            .filter(|(_, r)| shows_others(r))
            .map(|(i, _)| i),
    );
    records.sort_unstable();
    records.dedup();
    let mut fresh = Vec::new();
    for i in records {
        for (l, lang) in Lang::ALL.into_iter().enumerate() {
            let k = i * Lang::ALL.len() + l;
            let job = job(ctx, i, lang);
            if job.fingerprint != jobs[k].fingerprint || job.path != jobs[k].path {
                fresh.push(k);
            }
            jobs[k] = job;
        }
    }
    fresh
}

/// Whether a record's page shows what other records say.
fn shows_others(record: &Record) -> bool {
    matches!(record, Record::Case(case) if !case.approvals.is_empty()) || is_data_page(record)
}

fn is_data_page(record: &Record) -> bool {
    record.collection() == Collection::Pages && record.doc().id == DATA_PAGE
}

/// Where the records a document's bodies link to live: part of the
/// inputs of every output that renders its body.
#[derive(Hash)]
pub struct Links<'c>(Vec<(&'c str, Option<(Collection, &'c str)>)>);

impl Links<'_> {
    /// The page of the record stored in content `file`, one of the links.
    fn resolve(&self, site: &routes::Site, lang: Lang, file: &str) -> Option<String> {
        let (_, target) = self.0.iter().find(|(f, _)| *f == file)?;
        target.map(|(c, id)| site.href(lang, &c.record_path(id)))
    }
}

impl Context<'_> {
    /// Where the records `doc` links to live.
    pub fn links<'c>(&'c self, doc: &'c amed_model::Document) -> Links<'c> {
        Links(
            doc.links
                .iter()
                .map(|file| {
                    let target = self
                        .maps
                        .by_file
                        .get(file.as_str())
                        .map(|(c, id)| (*c, id.as_str()));
                    (file.as_str(), target)
                })
                .collect(),
        )
    }
}

/// A record body in `lang`, its top heading at level `top`.
pub fn body(
    site: &routes::Site,
    links: &Links<'_>,
    body: &amed_model::Text,
    lang: Lang,
    top: usize,
) -> (String, Option<&'static str>) {
    let (md, actual) = body.resolve(lang);
    let html = markdown::to_html(md, top, |file| links.resolve(site, lang, file));
    (html, (actual != lang).then_some(actual.code()))
}

/// A record's page, from its inputs.
fn render(i: &RecordInputs<'_>) -> Result<String, BuildError> {
    let (shared, lang, record) = (i.shared, i.lang, i.record.get());
    let site = &shared.site;
    let (collection, doc) = (record.collection(), record.doc());
    let path = collection.record_path(&doc.id);
    let title = doc.title.get(lang);
    let mut chrome = shared.chrome(lang, &path, title, doc.summary.get(lang), None);
    let parent = match collection {
        Collection::Pages => None,
        Collection::Pillars | Collection::Projects => Some((routes::POLICY, ui(lang, "policy"))),
        c => Some((c.list_path(), c.label(lang))),
    };
    chrome.breadcrumbs = shared.crumbs(lang, parent.as_slice());
    if let Some(described) = &i.data_page {
        chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_catalog(
            described, lang,
        )])];
    }
    let (body, body_lang) = body(site, &i.links, &doc.body, lang, 2);
    let view = RecordView {
        id: &doc.id,
        title: text(&doc.title, lang),
        summary: text(&doc.summary, lang),
        body,
        body_lang,
        facts: facts::facts(shared, lang, record, i.columns, &i.related),
        sources: source_views(&doc.sources, lang),
        sample: doc.sample,
        history: history_view(&i.history, lang),
    };
    let downloads: Vec<Download> = match &i.data_page {
        Some(described) => described
            .datasets()
            .map(|m| Download::new(site, lang, m.collection(), m.len()))
            .collect(),
        None => vec![],
    };
    let ctx_value = context! {
        page => chrome,
        record => view,
        collection => collection.dir(),
        get_in_touch => shared.get_in_touch(lang, collection),
        event_calendar => event_calendar(site, record, &path, lang),
        downloads,
        // When the published data last changed (the content's history).
        data_updated => i.data_page.as_ref()
            .and_then(|d| d.last_change())
            .and_then(|day| day.parse::<amed_model::PartialDate>().ok())
            .map(|d| date(d, lang)),
    };
    Ok(TEMPLATES.get_template("record.html")?.render(ctx_value)?)
}
