//! The sitemap (an index of parts past the protocol's 50,000 URLs) and
//! `robots.txt`, which points crawlers at it.

use std::sync::Arc;

use amed_model::Lang;
use minijinja::context;

use super::templates::TEMPLATES;
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// URLs per sitemap file, the protocol's limit.
const LIMIT: usize = 50_000;

/// One sitemap file.
#[derive(Debug)]
pub enum SitemapPart {
    /// A file of URLs: these pages, each in both languages.
    Urls(Vec<String>),
    /// The index of `n` parts.
    Index(usize),
}

/// The sitemap jobs for `pages` (site paths of every page, each once).
/// Their input is the list of pages itself, so they are rendered again
/// only when a page appears or goes.
pub fn jobs(ctx: &Context<'_>, mut pages: Vec<&str>) -> Vec<Job> {
    pages.sort_unstable();
    let per_file = LIMIT / Lang::ALL.len();
    let job = |path: String, part: SitemapPart| Job {
        fingerprint: ctx
            .print("sitemap")
            .with(&path)
            .with(&part_key(&part))
            .finish128(),
        path,
        output: Output::Sitemap(Arc::new(part)),
    };
    if pages.len() <= per_file {
        let urls = pages.into_iter().map(str::to_string).collect();
        return vec![job(routes::SITEMAP.into(), SitemapPart::Urls(urls))];
    }
    let chunks: Vec<Vec<String>> = pages
        .chunks(per_file)
        .map(|c| c.iter().map(|p| p.to_string()).collect())
        .collect();
    let n = chunks.len();
    let mut jobs: Vec<Job> = chunks
        .into_iter()
        .enumerate()
        .map(|(i, urls)| job(routes::sitemap_part(i + 1), SitemapPart::Urls(urls)))
        .collect();
    jobs.push(job(routes::SITEMAP.into(), SitemapPart::Index(n)));
    jobs
}

fn part_key(part: &SitemapPart) -> (usize, Option<&[String]>) {
    match part {
        SitemapPart::Urls(urls) => (urls.len(), Some(urls)),
        SitemapPart::Index(n) => (*n, None),
    }
}

/// A sitemap file.
pub fn render(ctx: &Context<'_>, part: &SitemapPart) -> Result<String, BuildError> {
    match part {
        SitemapPart::Urls(pages) => {
            let urls: Vec<_> = pages
                .iter()
                .flat_map(|p| Lang::ALL.map(|lang| context! { loc => ctx.site.url(lang, p), ja => ctx.site.url(Lang::Ja, p), en => ctx.site.url(Lang::En, p) }))
                .collect();
            Ok(TEMPLATES
                .get_template("sitemap.xml")?
                .render(context! { urls })?)
        }
        SitemapPart::Index(n) => {
            let locs: Vec<String> = (1..=*n)
                .map(|i| ctx.site.asset_url(&routes::sitemap_part(i)))
                .collect();
            Ok(TEMPLATES
                .get_template("sitemap-index.xml")?
                .render(context! { sitemaps => locs })?)
        }
    }
}

/// The job of `robots.txt`.
pub fn robots_job(ctx: &Context<'_>) -> Job {
    Job {
        path: routes::ROBOTS.into(),
        fingerprint: ctx.print("robots").finish128(),
        output: Output::Robots,
    }
}

/// `robots.txt`.
pub fn robots(ctx: &Context<'_>) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        ctx.site.asset_url(routes::SITEMAP)
    )
}

/// Collections of at most this many records list every record on the
/// HTML sitemap; larger ones link to their lists, so the page stays small
/// at 100,000 records.
pub const HTML_SITEMAP_RECORDS: usize = 200;

/// The HTML sitemap's job in `lang`. Its inputs: the lists (path and
/// length), the free pages, and the rows of every small collection.
pub fn html_job(ctx: &Context<'_>, lang: Lang) -> Job {
    let lists: Vec<_> = ctx
        .lists
        .iter()
        .filter(|l| l.lang == lang)
        .map(|l| (&l.path, &l.filters, l.matches.len()))
        .collect();
    let small: Vec<_> = amed_model::Collection::ALL
        .iter()
        .map(|&c| {
            let entries = &ctx.index(c).entries;
            (entries.len() <= HTML_SITEMAP_RECORDS).then_some(entries)
        })
        .collect();
    Job {
        path: routes::page_file(lang, routes::HTML_SITEMAP),
        fingerprint: ctx
            .print("html-sitemap")
            .with(&lang)
            .with(&lists)
            .with(&small)
            .finish128(),
        output: Output::HtmlSitemap(lang),
    }
}

/// A group of links on the HTML sitemap.
#[derive(serde::Serialize)]
struct Group {
    heading: String,
    href: Option<String>,
    count: Option<usize>,
    links: Vec<super::chrome::Link>,
}

/// The HTML sitemap in `lang`: every section, list and facet page, and
/// the records of small collections.
pub fn html(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    use super::templates::ui;
    use amed_model::Collection;
    let title = ui(lang, "html_sitemap");
    let mut chrome = ctx.chrome(lang, routes::HTML_SITEMAP, title, title, None);
    chrome.breadcrumbs = ctx.crumbs(lang, &[]);
    let link = |path: &str, label: &str| super::chrome::Link {
        href: ctx.site.href(lang, path),
        label: label.to_string(),
        current: false,
    };
    let mut groups = Vec::new();
    for collection in Collection::ALL {
        let dataset = ctx.dataset(collection);
        let count = dataset.records.len();
        let mut links: Vec<_> = ctx
            .lists
            .iter()
            // One option's pages; pairs are a click further, from those.
            .filter(|l| l.lang == lang && l.collection == collection && l.filters.len() == 1)
            .map(|l| link(&l.path, &format!("{} ({})", l.label(), l.matches.len())))
            .collect();
        if count <= HTML_SITEMAP_RECORDS {
            links.extend(
                dataset
                    .records
                    .iter()
                    .map(|e| link(&e.path, e.title.get(lang))),
            );
        }
        let list = (collection != Collection::Pages).then(|| collection.list_path());
        groups.push(Group {
            heading: collection.label(lang).to_string(),
            href: list.map(|p| ctx.site.href(lang, p)),
            count: Some(count),
            links,
        });
    }
    let data = vec![
        ctx.has_page("data").then(|| {
            link(
                &Collection::Pages.record_path("data"),
                ui(lang, "open_data"),
            )
        }),
        Some(link(routes::DATA_DICTIONARY, ui(lang, "data_dictionary"))),
    ];
    groups.push(Group {
        heading: ui(lang, "open_data").to_string(),
        href: None,
        count: None,
        links: data.into_iter().flatten().collect(),
    });
    let ctx_value = minijinja::context! { page => chrome, title, home => link(routes::HOME, ui(lang, "home")), groups };
    Ok(TEMPLATES.get_template("sitemap.html")?.render(ctx_value)?)
}
