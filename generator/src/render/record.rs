//! Record pages: one page per record and language, with its facts, body
//! and sources.

use amed_model::dataset::facet;
use amed_model::{Collection, Lang, Record, TaxonomyKind};
use minijinja::context;
use rayon::prelude::*;
use serde::Serialize;

use super::catalog;
use super::list::Download;
use super::templates::{DateView, TEMPLATES, TextView, date, text, thousands, ui};
use super::{Context, Job, Output};
use crate::error::BuildError;
use crate::fingerprint::Fingerprinter;
use crate::{markdown, routes};

#[derive(Serialize)]
struct FactValue {
    text: String,
    href: Option<String>,
    /// Set when the text is not in the page's language.
    lang: Option<&'static str>,
}

#[derive(Serialize)]
struct Fact {
    label: String,
    values: Vec<FactValue>,
    /// Set when the values are this portal's own classification, not the
    /// cited sources' (see [`facet::PORTAL_CLASSIFIED`]).
    portal_classified: bool,
}

#[derive(Serialize)]
struct SourceView {
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

#[derive(Serialize)]
struct RecordView {
    id: String,
    title: TextView,
    summary: TextView,
    body: String,
    body_lang: Option<&'static str>,
    facts: Vec<Fact>,
    sources: Vec<SourceView>,
    sample: bool,
    history: Vec<ChangeView>,
}

#[derive(Serialize)]
struct ChangeView {
    date: DateView,
    summary: String,
    /// `en` for a subject in plain ASCII, unmarked otherwise.
    lang: Option<&'static str>,
}

/// The free page that lists every open-data file.
const DATA_PAGE: &str = "data";

/// The job of record `i`'s page in `lang`. Its inputs: the record, where
/// the records it links to live, the titles of related approvals (case
/// studies), and for the open-data page the record counts and content date.
pub fn job(ctx: &Context<'_>, i: usize, lang: Lang) -> Job {
    let record = &ctx.records[i];
    let doc = record.doc();
    let mut print = ctx
        .print("record")
        .with(&lang)
        .with(&ctx.record_prints[i])
        .with(&ctx.link_targets(doc))
        .with(&ctx.history.of(&doc.file));
    if let Record::Case(case) = record {
        for id in &case.approvals {
            let approval = ctx.approval(id);
            print = print.with(&approval.map(|a| &ctx.lib.approvals[a].doc.title));
        }
    }
    if is_data_page(record) {
        print = data_page_inputs(ctx, print);
    }
    Job {
        path: routes::page_file(lang, &record.collection().record_path(&doc.id)),
        fingerprint: print.finish128(),
        output: Output::Record(i, lang),
    }
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

fn data_page_inputs(ctx: &Context<'_>, print: Fingerprinter) -> Fingerprinter {
    let datasets: Vec<_> = Collection::ALL
        .iter()
        .map(|&c| ctx.index(c).published)
        .collect();
    print.with(&datasets).with(&ctx.content_date)
}

/// A record body in `lang`, its top heading at level `top`.
pub fn body(
    ctx: &Context<'_>,
    body: &amed_model::Text,
    lang: Lang,
    top: usize,
) -> (String, Option<&'static str>) {
    let (md, actual) = body.resolve(lang);
    let html = markdown::to_html(md, top, |file| ctx.resolve_link(lang, file));
    (html, (actual != lang).then_some(actual.code()))
}

/// The page of `record` in `lang`.
pub fn render(ctx: &Context<'_>, record: &Record, lang: Lang) -> Result<String, BuildError> {
    let (collection, doc) = (record.collection(), record.doc());
    let path = collection.record_path(&doc.id);
    let title = doc.title.get(lang);
    let mut chrome = ctx.chrome(lang, &path, title, doc.summary.get(lang), None);
    let parent = match collection {
        Collection::Pages => None,
        Collection::Pillars | Collection::Projects => Some((routes::POLICY, ui(lang, "policy"))),
        c => Some((c.list_path(), c.label(lang))),
    };
    chrome.breadcrumbs = ctx.crumbs(lang, parent.as_slice());
    if is_data_page(record) {
        chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_catalog(
            ctx, lang,
        )])];
    }
    let (body, body_lang) = body(ctx, &doc.body, lang, 2);
    let view = RecordView {
        id: doc.id.clone(),
        title: text(&doc.title, lang),
        summary: text(&doc.summary, lang),
        body,
        body_lang,
        facts: facts(ctx, lang, record),
        sources: doc
            .sources
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
            .collect(),
        sample: doc.sample,
        history: ctx
            .history
            .of(&doc.file)
            .into_iter()
            .filter_map(|c| {
                Some(ChangeView {
                    date: date(c.date.parse().ok()?, lang),
                    summary: c.summary.to_string(),
                    lang: c.summary.is_ascii().then_some("en"),
                })
            })
            .collect(),
    };
    let downloads: Vec<Download> = if is_data_page(record) {
        Collection::ALL
            .into_iter()
            .map(|c| Download::new(ctx, lang, c))
            .collect()
    } else {
        vec![]
    };
    let ctx_value = context! {
        page => chrome,
        record => view,
        collection => collection.dir(),
        get_in_touch => ctx.get_in_touch(lang, collection),
        downloads,
        content_date => ctx.content_date.map(|d| date(d, lang)),
    };
    Ok(TEMPLATES.get_template("record.html")?.render(ctx_value)?)
}

fn facts(ctx: &Context<'_>, lang: Lang, record: &Record) -> Vec<Fact> {
    let collection = record.collection();
    use TaxonomyKind as T;
    let tax = &ctx.lib.taxonomies;
    let plain = |label: &str, value: String| Fact {
        label: label.to_string(),
        values: vec![FactValue {
            text: value,
            href: None,
            lang: None,
        }],
        portal_classified: false,
    };
    let term_values = |kind: T, keys: &[String], link: Option<&str>| -> Vec<FactValue> {
        keys.iter()
            .map(|k| FactValue {
                text: tax.label(kind, k).get(lang).to_string(),
                href: link
                    .and_then(|f| routes::approval_facet(f, k))
                    .map(|p| ctx.site.href(lang, &p)),
                lang: None,
            })
            .collect()
    };
    // The values of facet `facet_id`, linked to its no-JS pages if `link`.
    let terms = |facet_id: &str, kind: T, keys: &[String], link: bool| Fact {
        label: facet::label(facet_id).get(lang).to_string(),
        values: term_values(kind, keys, link.then_some(facet_id)),
        portal_classified: facet::is_portal_classified(facet_id),
    };
    let dataset = ctx.dataset(collection);
    // International collaboration in the published data's own words: what
    // the sources state, so "not stated" rather than "no".
    let stated = |b: bool| {
        let key = if b { "yes" } else { "no" };
        dataset
            .facets
            .iter()
            .find(|f| f.id == facet::INTERNATIONAL)
            .and_then(|f| f.options.iter().find(|o| o.key == key))
            .map(|o| o.label.get(lang).to_string())
            .unwrap_or_default()
    };
    let label = |facet_id: &str| facet::label(facet_id).get(lang).to_string();
    let mut facts = Vec::new();
    match record {
        Record::Approval(a) => {
            facts.push(plain(ui(lang, "approved"), a.approved.format(lang)));
            facts.push(terms(
                facet::CATEGORY,
                T::ApprovalCategory,
                std::slice::from_ref(&a.category),
                true,
            ));
            facts.push(terms(facet::MODALITY, T::Modality, &a.modality, true));
            facts.push(terms(facet::DISEASE, T::DiseaseArea, &a.disease, true));
            let mut intl = plain(&label(facet::INTERNATIONAL), stated(a.international));
            if a.international {
                intl.values[0].href = Some(ctx.site.href(lang, routes::INTERNATIONAL));
            }
            facts.push(intl);
            if !a.countries.is_empty() {
                facts.push(terms(facet::COUNTRY, T::Country, &a.countries, false));
            }
            if !a.projects.is_empty() {
                facts.push(terms(facet::PROJECT, T::ProjectSecond, &a.projects, false));
            }
            if a.conditional {
                let conditional = dataset.fields.iter().find(|f| f.id == "conditional");
                let label = conditional.map(|f| f.label.get(lang)).unwrap_or_default();
                facts.push(plain(label, ui(lang, "yes").to_string()));
            }
            if !a.milestones.is_empty() {
                facts.push(Fact {
                    label: ui(lang, "milestones").to_string(),
                    values: a
                        .milestones
                        .iter()
                        .map(|m| FactValue {
                            text: format!(
                                "{} — {}",
                                m.date.format(lang),
                                tax.label(T::Milestone, &m.kind).get(lang)
                            ),
                            href: None,
                            lang: None,
                        })
                        .collect(),
                    portal_classified: false,
                });
            }
        }
        Record::Seed(s) => {
            facts.push(terms(facet::MODALITY, T::Modality, &s.modality, false));
            facts.push(terms(facet::DISEASE, T::DiseaseArea, &s.disease, false));
            facts.push(terms(
                facet::STAGE,
                T::SeedStage,
                std::slice::from_ref(&s.stage),
                false,
            ));
            facts.push(terms(
                facet::LICENSING,
                T::LicensingStatus,
                std::slice::from_ref(&s.licensing),
                false,
            ));
            facts.push(plain(&label(facet::INTERNATIONAL), stated(s.international)));
            if !s.countries.is_empty() {
                facts.push(terms(facet::COUNTRY, T::Country, &s.countries, false));
            }
        }
        Record::Ppi(p) => {
            facts.push(plain(ui(lang, "date"), p.date.format(lang)));
            facts.push(terms(
                facet::ACTIVITY,
                T::PpiActivity,
                std::slice::from_ref(&p.activity),
                false,
            ));
            if !p.disease.is_empty() {
                facts.push(terms(facet::DISEASE, T::DiseaseArea, &p.disease, false));
            }
            if let Some(location) = &p.location {
                // Locations are written once, in Japanese.
                let mut fact = plain(ui(lang, "location"), location.clone());
                fact.values[0].lang = (lang != Lang::Ja).then_some(Lang::Ja.code());
                facts.push(fact);
            }
        }
        Record::Kpi(k) => {
            facts.push(plain(ui(lang, "value"), thousands(k.value)));
            facts.push(plain(
                ui(lang, "as_of"),
                k.as_of.map_or_else(
                    || ui(lang, "as_of_unstated").to_string(),
                    |d| d.format(lang),
                ),
            ));
            facts.push(plain(&label(facet::GROUP), k.group.label(lang).to_string()));
        }
        Record::Case(c) => {
            if !c.projects.is_empty() {
                facts.push(terms(facet::PROJECT, T::ProjectSecond, &c.projects, false));
            }
            if !c.approvals.is_empty() {
                facts.push(Fact {
                    label: ui(lang, "related_approvals").to_string(),
                    values: c
                        .approvals
                        .iter()
                        .filter_map(|id| ctx.approval(id))
                        .map(|i| &ctx.lib.approvals[i])
                        .map(|a| {
                            let title = text(&a.doc.title, lang);
                            FactValue {
                                text: title.text,
                                href: Some(
                                    ctx.site
                                        .href(lang, &Collection::Approvals.record_path(&a.doc.id)),
                                ),
                                lang: title.lang,
                            }
                        })
                        .collect(),
                    portal_classified: false,
                });
            }
        }
        Record::Project(p) => {
            let term = tax.get(T::ProjectThird, &p.project);
            if let Some(n) = term.and_then(|t| t.number) {
                facts.push(plain(ui(lang, "project_number"), n.to_string()));
            }
            let from = term.map(|t| t.from_second.clone()).unwrap_or_default();
            if from.is_empty() {
                facts.push(plain(
                    ui(lang, "continues_from"),
                    ui(lang, "new_in_third_term").to_string(),
                ));
            } else {
                // The mapping between terms is this portal's reading.
                facts.push(Fact {
                    label: ui(lang, "continues_from").to_string(),
                    values: term_values(T::ProjectSecond, &from, None),
                    portal_classified: true,
                });
            }
        }
        Record::Pillar(_) | Record::Page(_) => {}
    }
    facts
}
