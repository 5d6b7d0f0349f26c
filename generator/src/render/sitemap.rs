//! The sitemap (an index of parts past the protocol's 50,000 URLs) and
//! `robots.txt`, which points crawlers at it.

use std::sync::Arc;

use amed_model::Lang;
use minijinja::context;

use super::templates::TEMPLATES;
use super::{Context, Job, Output};
use crate::error::BuildError;
use crate::routes;

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
