//! The sitemap (an index of parts past the protocol's 50,000 URLs) and
//! `robots.txt`, which points crawlers at it.

use std::sync::Arc;

use amed_model::{Collection, Lang};
use minijinja::context;

use super::context::Context;
use super::inputs::{self, Family};
use super::job::{Job, SitemapPart};
use super::rendered::Rendered;
use super::shared::Shared;
use super::templates::TEMPLATES;
use super::views::Rows;
use portal_content::error::BuildError;
use portal_content::routes;

/// URLs per sitemap file, the protocol's limit.
const LIMIT: usize = 50_000;

/// The sitemap's files.
pub struct Sitemap;

/// What a sitemap file reads: its part, and where the site is.
#[derive(Hash)]
pub struct SitemapInputs<'c> {
    shared: &'c Shared<'c>,
    part: Arc<SitemapPart>,
}

impl Family for Sitemap {
    const NAME: &'static str = "sitemap";
    type Key = Arc<SitemapPart>;
    type Inputs<'c> = SitemapInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, part: &Arc<SitemapPart>) -> SitemapInputs<'c> {
        SitemapInputs {
            shared: &ctx.shared,
            part: part.clone(),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        let site = &i.shared.site;
        inputs::text(match &*i.part {
            SitemapPart::Urls(pages) => {
                let urls: Vec<_> = pages
                    .iter()
                    .flat_map(|p| Lang::ALL.map(|lang| context! { loc => site.url(lang, p), ja => site.url(Lang::Ja, p), en => site.url(Lang::En, p) }))
                    .collect();
                TEMPLATES
                    .get_template("sitemap.xml")?
                    .render(context! { urls })?
            }
            SitemapPart::Index(n) => {
                let locs: Vec<String> = (1..=*n)
                    .map(|i| site.asset_url(&routes::sitemap_part(i)))
                    .collect();
                TEMPLATES
                    .get_template("sitemap-index.xml")?
                    .render(context! { sitemaps => locs })?
            }
        })
    }
}

/// The sitemap jobs for `pages` (site paths of every page, each once).
/// Their input is the list of pages itself, so they are rendered again
/// only when a page appears or goes.
pub fn jobs(ctx: &Context<'_>, mut pages: Vec<&str>) -> Vec<Job> {
    pages.sort_unstable();
    let per_file = LIMIT / Lang::ALL.len();
    let job = |path: String, part: SitemapPart| Job::of::<Sitemap>(ctx, path, Arc::new(part));
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

/// `robots.txt`, which names the sitemap.
pub struct Robots;

impl Family for Robots {
    const NAME: &'static str = "robots";
    type Key = ();
    /// Where the site is, in what every output reads.
    type Inputs<'c> = &'c Shared<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, _: &()) -> &'c Shared<'c> {
        &ctx.shared
    }

    fn render(shared: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}\n",
            shared.site.asset_url(routes::SITEMAP)
        ))
    }
}

/// The job of `robots.txt`.
pub fn robots_job(ctx: &Context<'_>) -> Job {
    Job::of::<Robots>(ctx, routes::ROBOTS.into(), ())
}

/// Collections of at most this many records list every record on the
/// HTML sitemap; larger ones link to their lists, so the page stays small
/// at 100,000 records.
pub const HTML_SITEMAP_RECORDS: usize = 200;

/// The HTML sitemap, a page for people, in each language.
pub struct HtmlSitemap;

/// A facet page the HTML sitemap links to: its path, label and count.
#[derive(Hash)]
struct FacetPage<'c> {
    path: &'c str,
    label: String,
    count: usize,
}

/// What the HTML sitemap reads of a collection: its count, its pages of
/// one option, and its records if it has few.
#[derive(Hash)]
struct SitemapCollection<'c> {
    collection: Collection,
    count: usize,
    facet_pages: Vec<FacetPage<'c>>,
    records: Option<Rows<'c>>,
}

/// What the HTML sitemap reads.
#[derive(Hash)]
pub struct HtmlInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    collections: Vec<SitemapCollection<'c>>,
}

impl Family for HtmlSitemap {
    const NAME: &'static str = "html-sitemap";
    type Key = Lang;
    type Inputs<'c> = HtmlInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> HtmlInputs<'c> {
        let collections = Collection::ALL
            .into_iter()
            .map(|collection| {
                let index = ctx.index(collection);
                let count = index.entries.len();
                SitemapCollection {
                    collection,
                    count,
                    // One option's pages; pairs are a click further, from those.
                    facet_pages: ctx
                        .lists
                        .iter()
                        .filter(|l| {
                            l.lang == lang && l.collection == collection && l.filters.len() == 1
                        })
                        .map(|l| FacetPage {
                            path: &l.path,
                            label: l.label(),
                            count: l.matches.len(),
                        })
                        .collect(),
                    records: (count <= HTML_SITEMAP_RECORDS).then(|| index.all_rows()),
                }
            })
            .collect();
        HtmlInputs {
            shared: &ctx.shared,
            lang,
            collections,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(html(&i)?)
    }
}

/// The HTML sitemap's job in `lang`.
pub fn html_job(ctx: &Context<'_>, lang: Lang) -> Job {
    Job::of::<HtmlSitemap>(ctx, routes::page_file(lang, routes::HTML_SITEMAP), lang)
}

#[derive(serde::Serialize)]
struct Group {
    heading: String,
    href: Option<String>,
    count: Option<usize>,
    links: Vec<super::chrome::Link>,
}

/// The HTML sitemap: every list, facet page and (for small collections)
/// record, by collection.
fn html(i: &HtmlInputs<'_>) -> Result<String, BuildError> {
    use super::templates::ui;
    let (shared, lang) = (i.shared, i.lang);
    let title = ui(lang, "html_sitemap");
    let mut chrome = shared.chrome(lang, routes::HTML_SITEMAP, title, title, None);
    chrome.breadcrumbs = shared.crumbs(lang, &[]);
    let link = |path: &str, label: &str| super::chrome::Link {
        href: shared.site.href(lang, path),
        label: label.to_string(),
        current: false,
    };
    let mut groups = Vec::new();
    for c in &i.collections {
        let mut links: Vec<_> = c
            .facet_pages
            .iter()
            .map(|p| link(p.path, &format!("{} ({})", p.label, p.count)))
            .collect();
        if let Some(records) = &c.records {
            links.extend(records.entries().map(|e| link(&e.path, e.title.get(lang))));
        }
        let list = (c.collection != Collection::Pages).then(|| c.collection.list_path());
        groups.push(Group {
            heading: c.collection.label(lang).to_string(),
            href: list.map(|p| shared.site.href(lang, p)),
            count: Some(c.count),
            links,
        });
    }
    let data = vec![
        shared.has_page("data").then(|| {
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
