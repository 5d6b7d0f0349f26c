//! The site's own pages: home, KPIs, policy (pillars, integrated projects
//! and their second-to-third-term mapping) and the not-found page.

use std::sync::Arc;

use amed_model::{Collection, Kpi, KpiGroup, Lang, Pillar, Project, TaxonomyKind};
use minijinja::context;

use super::catalog;
use super::chart;
use super::chrome::ListIntro;
use super::context::Context;
use super::descriptions::Described;
use super::inputs::{self, Family};
use super::job::Job;
use super::list::{Download, ListItem};
use super::record::{Links, body};
use super::rendered::Rendered;
use super::shared::Shared;
use super::templates::{TEMPLATES, as_of, text, thousands, ui};
use super::views::{Rows, Shape};
use portal_content::error::BuildError;
use portal_content::routes;

/// Approvals shown as "latest" on the home page.
const HOME_LATEST: usize = 5;

/// The home page, in each language.
pub struct HomePage;

/// What the home page reads.
#[derive(Hash)]
pub struct HomeInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    kpis: &'c [Arc<Kpi>],
    pillars: &'c [Arc<Pillar>],
    /// The newest approvals, and how many there are.
    latest: Rows<'c>,
    approvals: usize,
    /// The KPI that counts all approvals, of which the list is a selection.
    selection_total: Option<&'c Kpi>,
}

impl Family for HomePage {
    const NAME: &'static str = "home";
    type Key = Lang;
    type Inputs<'c> = HomeInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> HomeInputs<'c> {
        let approvals = ctx.index(Collection::Approvals);
        // The first in the dataset's order, which is the lists' (newest first).
        let first = &approvals.every[..approvals.every.len().min(HOME_LATEST)];
        HomeInputs {
            shared: &ctx.shared,
            lang,
            kpis: &ctx.lib.kpis,
            pillars: &ctx.lib.pillars,
            latest: approvals.rows(first),
            approvals: approvals.entries.len(),
            selection_total: ctx.selection_total(Collection::Approvals),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(home(&i)?)
    }
}

/// The KPI page, in each language.
pub struct KpisPage;

/// What the KPI page reads.
#[derive(Hash)]
pub struct KpisInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    kpis: &'c [Arc<Kpi>],
    /// The approvals chart: dates and classes, not titles.
    approvals: Shape<'c>,
    /// The KPIs' dataset, described in JSON-LD.
    described: Described<'c>,
    intro: Option<ListIntro>,
}

impl Family for KpisPage {
    const NAME: &'static str = "kpis";
    type Key = Lang;
    type Inputs<'c> = KpisInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> KpisInputs<'c> {
        KpisInputs {
            shared: &ctx.shared,
            lang,
            kpis: &ctx.lib.kpis,
            approvals: ctx.index(Collection::Approvals).shape(),
            described: ctx.described(&[Collection::Kpis]),
            intro: ctx.list_intro(lang, Collection::Kpis),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(kpis(&i)?)
    }
}

/// The approvals chart's download files, in each language.
pub struct ChartDownload;

/// What a chart's file reads: the approvals' dates and classes.
#[derive(Hash)]
pub struct ChartInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    kind: chart::ChartFile,
    approvals: Shape<'c>,
}

impl Family for ChartDownload {
    const NAME: &'static str = "chart";
    type Key = (Lang, chart::ChartFile);
    type Inputs<'c> = ChartInputs<'c>;

    fn inputs<'c>(
        ctx: &'c Context<'_>,
        &(lang, kind): &(Lang, chart::ChartFile),
    ) -> ChartInputs<'c> {
        ChartInputs {
            shared: &ctx.shared,
            lang,
            kind,
            approvals: ctx.index(Collection::Approvals).shape(),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(
            chart::approvals_by_year(i.shared, i.approvals, i.lang)
                .map(|c| chart::file(&c, i.lang, i.kind))
                .unwrap_or_default(),
        )
    }
}

/// The policy page, in each language.
pub struct PolicyPage;

/// What the policy page reads.
#[derive(Hash)]
pub struct PolicyInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    /// The pillars, with where their bodies' links lead.
    pillars: Vec<(&'c Pillar, Links<'c>)>,
    projects: &'c [Arc<Project>],
    /// The pillars' and projects' datasets, described in JSON-LD.
    described: Described<'c>,
    intro: Option<ListIntro>,
}

impl Family for PolicyPage {
    const NAME: &'static str = "policy";
    type Key = Lang;
    type Inputs<'c> = PolicyInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> PolicyInputs<'c> {
        PolicyInputs {
            shared: &ctx.shared,
            lang,
            pillars: ctx
                .lib
                .pillars
                .iter()
                .map(|p| (&**p, ctx.links(&p.doc)))
                .collect(),
            projects: &ctx.lib.projects,
            described: ctx.described(&[Collection::Pillars, Collection::Projects]),
            intro: ctx.list_intro(lang, Collection::Pillars),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(policy(&i)?)
    }
}

/// The page static hosts serve for unknown paths, in each language.
pub struct NotFoundPage;

/// What the not-found page reads: only what every page reads.
#[derive(Hash)]
pub struct NotFoundInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
}

impl Family for NotFoundPage {
    const NAME: &'static str = "404";
    type Key = Lang;
    type Inputs<'c> = NotFoundInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> NotFoundInputs<'c> {
        NotFoundInputs {
            shared: &ctx.shared,
            lang,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        let lang = i.lang;
        let title = ui(lang, "not_found_title");
        let chrome = i
            .shared
            .chrome(lang, routes::NOT_FOUND, title, title, None)
            .unlisted();
        inputs::text(
            TEMPLATES
                .get_template("404.html")?
                .render(context! { page => chrome })?,
        )
    }
}

/// The jobs of the home, KPI, policy and not-found pages in `lang`, and
/// of the KPI page's chart files.
pub fn jobs(ctx: &Context<'_>, lang: Lang) -> Vec<Job> {
    let page = |path: &str| routes::page_file(lang, path);
    let mut jobs = vec![
        Job::of::<HomePage>(ctx, page(routes::HOME), lang),
        Job::of::<KpisPage>(ctx, page(routes::KPIS), lang),
    ];
    jobs.extend(chart::ChartFile::ALL.map(|kind| {
        let path = chart::file_path(lang, "chart-approvals", kind);
        Job::of::<ChartDownload>(ctx, path, (lang, kind))
    }));
    jobs.push(Job::of::<PolicyPage>(ctx, page(routes::POLICY), lang));
    jobs.push(Job::of::<NotFoundPage>(ctx, page(routes::NOT_FOUND), lang));
    jobs
}

/// The home page: headline KPIs, latest approvals, the pillars.
fn home(i: &HomeInputs<'_>) -> Result<String, BuildError> {
    let (shared, lang) = (i.shared, i.lang);
    let (site, settings) = (&shared.site, shared.settings);
    let chrome = shared.chrome(lang, routes::HOME, "", settings.description.get(lang), None);
    let kpi_href = |id: &str| site.href(lang, &Collection::Kpis.record_path(id));
    let kpis: Vec<_> = i
        .kpis
        .iter()
        .filter(|k| k.headline)
        .map(|k| context! { value => thousands(k.value), title => text(&k.doc.title, lang), href => kpi_href(&k.doc.id), as_of => k.as_of.map(|d| as_of(d, lang)) })
        .collect();
    // Where the headline figures come from, once per source.
    let mut kpi_sources: Vec<String> = Vec::new();
    for k in i.kpis.iter().filter(|k| k.headline) {
        if let Some(line) = k
            .doc
            .sources
            .first()
            .map(|s| super::sources::source_sentence(s, lang))
            && !kpi_sources.contains(&line)
        {
            kpi_sources.push(line);
        }
    }
    let facets = i.latest.facets();
    let latest: Vec<ListItem> = i
        .latest
        .entries()
        .map(|e| ListItem::new(site, lang, e, facets))
        .collect();
    let pillar_href = |id: &str| site.href(lang, &Collection::Pillars.record_path(id));
    let pillars: Vec<_> = i
        .pillars
        .iter()
        .map(|p| context! { number => p.number, title => text(&p.doc.title, lang), summary => text(&p.doc.summary, lang), href => pillar_href(&p.doc.id) })
        .collect();
    let ctx_value = context! {
        page => chrome,
        description => settings.description.get(lang),
        kpis,
        kpi_sources,
        kpis_href => site.href(lang, routes::KPIS),
        latest,
        portal_classified => super::list::portal_classified(facets, lang),
        selection => super::list::Selection::of_newest(site, lang, i.selection_total, i.approvals, latest.len()),
        approvals_href => site.href(lang, routes::APPROVALS),
        pillars,
        policy_href => site.href(lang, routes::POLICY),
    };
    Ok(TEMPLATES.get_template("home.html")?.render(ctx_value)?)
}

/// The KPI page, by group.
fn kpis(i: &KpisInputs<'_>) -> Result<String, BuildError> {
    let (shared, lang) = (i.shared, i.lang);
    let title = Collection::Kpis.label(lang);
    let mut chrome = shared.chrome(lang, routes::KPIS, title, title, None);
    chrome.breadcrumbs = shared.crumbs(lang, &[]);
    chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_dataset(
        &i.described,
        lang,
        Collection::Kpis,
    )])];
    let groups: Vec<_> = KpiGroup::ALL
        .into_iter()
        .map(|g| {
            let kpis: Vec<_> = i
                .kpis
                .iter()
                .filter(|k| k.group == g)
                .map(|k| {
                    context! {
                        value => thousands(k.value),
                        title => text(&k.doc.title, lang),
                        summary => text(&k.doc.summary, lang),
                        as_of => k.as_of.map(|d| as_of(d, lang)),
                        href => shared.site.href(lang, &Collection::Kpis.record_path(&k.doc.id)),
                    }
                })
                .collect();
            // No chart: a group's indicators count different things
            // (papers, approvals), which one axis would misrepresent.
            context! { heading => g.label(lang), kpis }
        })
        .collect();
    let approvals_chart = chart::approvals_by_year(shared, i.approvals, lang);
    let records = i.described.datasets().map(|m| m.len()).sum();
    let download = Download::new(&shared.site, lang, Collection::Kpis, records);
    let ctx_value = context! { page => chrome, heading => title, intro => &i.intro, groups, approvals_chart, download };
    Ok(TEMPLATES.get_template("kpis.html")?.render(ctx_value)?)
}

/// The policy page: pillars, third-term projects, the mapping from the
/// second term, and pairing and matching.
fn policy(i: &PolicyInputs<'_>) -> Result<String, BuildError> {
    let (shared, lang) = (i.shared, i.lang);
    let site = &shared.site;
    let title = ui(lang, "policy");
    let mut chrome = shared.chrome(lang, routes::POLICY, title, ui(lang, "pillars"), None);
    chrome.breadcrumbs = shared.crumbs(lang, &[]);
    chrome.json_ld = vec![catalog::json_ld(
        [Collection::Pillars, Collection::Projects]
            .map(|c| catalog::schema_org_dataset(&i.described, lang, c))
            .into(),
    )];
    let tax = shared.taxonomies;
    let pillars: Vec<_> = i
        .pillars
        .iter()
        .map(|(p, links)| {
            let (body, body_lang) = body(site, links, &p.doc.body, lang, 4);
            context! {
                id => p.doc.id, number => p.number,
                title => text(&p.doc.title, lang), summary => text(&p.doc.summary, lang),
                body, body_lang,
                href => site.href(lang, &Collection::Pillars.record_path(&p.doc.id)),
            }
        })
        .collect();
    let second_label = |k: &String| {
        tax.label(TaxonomyKind::ProjectSecond, k)
            .get(lang)
            .to_string()
    };
    let projects: Vec<_> = tax
        .terms(TaxonomyKind::ProjectThird)
        .iter()
        .map(|term| {
            let record = i.projects.iter().find(|p| p.project == term.key);
            let from: Vec<String> = term.from_second.iter().map(second_label).collect();
            context! {
                number => term.number, name => term.label.get(lang),
                href => record.map(|r| site.href(lang, &Collection::Projects.record_path(&r.doc.id))),
                summary => record.map(|r| text(&r.doc.summary, lang)),
                from,
            }
        })
        .collect();
    let second: Vec<_> = tax
        .terms(TaxonomyKind::ProjectSecond)
        .iter()
        .map(|term| {
            let continued: Vec<&str> = tax
                .terms(TaxonomyKind::ProjectThird)
                .iter()
                .filter(|t| t.from_second.contains(&term.key))
                .map(|t| t.label.get(lang))
                .collect();
            context! { number => term.number, name => term.label.get(lang), continued }
        })
        .collect();
    // Pairing and matching belong to the first pillar (links between programmes).
    let pairing = i
        .pillars
        .iter()
        .map(|(p, _)| p)
        .find(|p| p.number == 1)
        .map(|p| p.doc.id.as_str());
    let ctx_value = context! { page => chrome, heading => title, intro => &i.intro, pillars, projects, second, pairing };
    Ok(TEMPLATES.get_template("policy.html")?.render(ctx_value)?)
}
