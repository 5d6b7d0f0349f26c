//! The site's own pages: home, KPIs, policy (pillars, integrated projects
//! and their second-to-third-term mapping) and the not-found page.

use amed_model::{Collection, KpiGroup, Lang, TaxonomyKind};
use minijinja::context;

use super::list::{Download, ListItem};
use super::record::body;
use super::templates::{TEMPLATES, as_of, text, thousands, ui};
use super::{Context, Job, Output};
use super::{catalog, chart};
use portal_content::error::BuildError;
use portal_content::routes;
use portal_output::fingerprint::Fingerprint;

/// Approvals shown as "latest" on the home page.
const HOME_LATEST: usize = 5;

fn prints<T: std::hash::Hash>(records: &[std::sync::Arc<T>]) -> Vec<Fingerprint> {
    records.iter().map(|r| Fingerprint::of(&**r)).collect()
}

/// The jobs of the home, KPI, policy and not-found pages in `lang`.
pub fn jobs(ctx: &Context<'_>, lang: Lang) -> Vec<Job> {
    let lib = ctx.lib;
    let approvals = ctx.index(Collection::Approvals);
    let latest: Vec<Fingerprint> = approvals
        .entries
        .iter()
        .take(HOME_LATEST)
        .copied()
        .collect();
    let kpis = prints(&lib.kpis);
    let pillars = prints(&lib.pillars);
    let pillar_links: Vec<_> = lib
        .pillars
        .iter()
        .map(|p| ctx.link_targets(&p.doc))
        .collect();
    let projects = prints(&lib.projects);
    let dataset = |c| ctx.index(c).published;
    let job = |path: &str, family: &str, inputs: Fingerprint, output| Job {
        path: routes::page_file(lang, path),
        fingerprint: ctx.print(family).with(&lang).with(&inputs).finish128(),
        output,
    };
    vec![
        job(
            routes::HOME,
            "home",
            Fingerprint::of(&(&latest, approvals.entries.len(), &kpis, &pillars)),
            Output::Home(lang),
        ),
        job(
            routes::KPIS,
            "kpis",
            Fingerprint::of(&(
                &kpis,
                dataset(Collection::Kpis),
                // The chart of approvals per year and modality, and the
                // JSON-LD description: dates and classes, not titles.
                approvals.shape,
                approvals.meta,
                &*ctx.descriptions,
                ctx.list_intro(lang, Collection::Kpis),
            )),
            Output::Kpis(lang),
        ),
    ]
    .into_iter()
    .chain(chart::ChartFile::ALL.map(|kind| {
        Job {
            path: chart::file_path(lang, "chart-approvals", kind),
            fingerprint: ctx
                .print("chart")
                .with(&(lang, kind))
                .with(&(approvals.shape, approvals.meta))
                .finish128(),
            output: Output::Chart(lang, kind),
        }
    }))
    .chain([
        job(
            routes::POLICY,
            "policy",
            Fingerprint::of(&(
                &pillars,
                &pillar_links,
                &projects,
                dataset(Collection::Pillars),
                dataset(Collection::Projects),
                &*ctx.descriptions,
                ctx.list_intro(lang, Collection::Pillars),
            )),
            Output::Policy(lang),
        ),
        job(
            routes::NOT_FOUND,
            "404",
            Fingerprint::default(),
            Output::NotFound(lang),
        ),
    ])
    .collect()
}

/// A chart's download file: the approvals chart's numbers or drawing.
pub fn chart_file(ctx: &Context<'_>, lang: Lang, kind: chart::ChartFile) -> String {
    chart::approvals_by_year(ctx, lang)
        .map(|c| chart::file(&c, lang, kind))
        .unwrap_or_default()
}

/// The home page: headline KPIs, latest approvals, the pillars.
pub fn home(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let lib = ctx.lib;
    let chrome = ctx.chrome(lang, routes::HOME, "", lib.site.description.get(lang), None);
    let kpi_href = |id: &str| ctx.site.href(lang, &Collection::Kpis.record_path(id));
    let kpis: Vec<_> = lib
        .kpis
        .iter()
        .filter(|k| k.headline)
        .map(|k| context! { value => thousands(k.value), title => text(&k.doc.title, lang), href => kpi_href(&k.doc.id), as_of => k.as_of.map(|d| as_of(d, lang)) })
        .collect();
    // Where the headline figures come from, once per source.
    let mut kpi_sources: Vec<String> = Vec::new();
    for k in lib.kpis.iter().filter(|k| k.headline) {
        if let Some(line) = k
            .doc
            .sources
            .first()
            .map(|s| super::record::source_sentence(s, lang))
            && !kpi_sources.contains(&line)
        {
            kpi_sources.push(line);
        }
    }
    let approvals = ctx.dataset(Collection::Approvals);
    let latest: Vec<ListItem> = approvals
        .records
        .iter()
        .take(HOME_LATEST)
        .map(|e| ListItem::new(ctx, lang, e, approvals))
        .collect();
    let pillar_href = |id: &str| ctx.site.href(lang, &Collection::Pillars.record_path(id));
    let pillars: Vec<_> = lib
        .pillars
        .iter()
        .map(|p| context! { number => p.number, title => text(&p.doc.title, lang), summary => text(&p.doc.summary, lang), href => pillar_href(&p.doc.id) })
        .collect();
    let ctx_value = context! {
        page => chrome,
        description => lib.site.description.get(lang),
        kpis,
        kpi_sources,
        kpis_href => ctx.site.href(lang, routes::KPIS),
        latest,
        portal_classified => super::list::portal_classified(ctx, lang, Collection::Approvals),
        selection => super::list::Selection::of_newest(ctx, lang, Collection::Approvals, approvals.records.len(), latest.len()),
        approvals_href => ctx.site.href(lang, routes::APPROVALS),
        pillars,
        policy_href => ctx.site.href(lang, routes::POLICY),
    };
    Ok(TEMPLATES.get_template("home.html")?.render(ctx_value)?)
}

/// The KPI page, by group.
pub fn kpis(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let title = Collection::Kpis.label(lang);
    let mut chrome = ctx.chrome(lang, routes::KPIS, title, title, None);
    chrome.breadcrumbs = ctx.crumbs(lang, &[]);
    chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_dataset(
        ctx,
        lang,
        Collection::Kpis,
    )])];
    let groups: Vec<_> = KpiGroup::ALL
        .into_iter()
        .map(|g| {
            let kpis: Vec<_> = ctx
                .lib
                .kpis
                .iter()
                .filter(|k| k.group == g)
                .map(|k| {
                    context! {
                        value => thousands(k.value),
                        title => text(&k.doc.title, lang),
                        summary => text(&k.doc.summary, lang),
                        as_of => k.as_of.map(|d| as_of(d, lang)),
                        href => ctx.site.href(lang, &Collection::Kpis.record_path(&k.doc.id)),
                    }
                })
                .collect();
            // No chart: a group's indicators count different things
            // (papers, approvals), which one axis would misrepresent.
            context! { heading => g.label(lang), kpis }
        })
        .collect();
    let approvals_chart = chart::approvals_by_year(ctx, lang);
    let ctx_value = context! { page => chrome, heading => title, intro => ctx.list_intro(lang, Collection::Kpis), groups, approvals_chart, download => Download::new(ctx, lang, Collection::Kpis) };
    Ok(TEMPLATES.get_template("kpis.html")?.render(ctx_value)?)
}

/// The policy page: pillars, third-term projects, the mapping from the
/// second term, and pairing and matching.
pub fn policy(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let title = ui(lang, "policy");
    let mut chrome = ctx.chrome(lang, routes::POLICY, title, ui(lang, "pillars"), None);
    chrome.breadcrumbs = ctx.crumbs(lang, &[]);
    chrome.json_ld = vec![catalog::json_ld(
        [Collection::Pillars, Collection::Projects]
            .map(|c| catalog::schema_org_dataset(ctx, lang, c))
            .into(),
    )];
    let (lib, tax) = (ctx.lib, &ctx.lib.taxonomies);
    let pillars: Vec<_> = lib
        .pillars
        .iter()
        .map(|p| {
            let (body, body_lang) = body(ctx, &p.doc.body, lang, 4);
            context! {
                id => p.doc.id, number => p.number,
                title => text(&p.doc.title, lang), summary => text(&p.doc.summary, lang),
                body, body_lang,
                href => ctx.site.href(lang, &Collection::Pillars.record_path(&p.doc.id)),
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
            let record = lib.projects.iter().find(|p| p.project == term.key);
            let from: Vec<String> = term.from_second.iter().map(second_label).collect();
            context! {
                number => term.number, name => term.label.get(lang),
                href => record.map(|r| ctx.site.href(lang, &Collection::Projects.record_path(&r.doc.id))),
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
    let pairing = lib
        .pillars
        .iter()
        .find(|p| p.number == 1)
        .map(|p| p.doc.id.as_str());
    let ctx_value = context! { page => chrome, heading => title, intro => ctx.list_intro(lang, Collection::Pillars), pillars, projects, second, pairing };
    Ok(TEMPLATES.get_template("policy.html")?.render(ctx_value)?)
}

/// The page static hosts serve for unknown paths.
pub fn not_found(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let title = ui(lang, "not_found_title");
    let chrome = ctx
        .chrome(lang, routes::NOT_FOUND, title, title, None)
        .unlisted();
    Ok(TEMPLATES
        .get_template("404.html")?
        .render(context! { page => chrome })?)
}
