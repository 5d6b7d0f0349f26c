//! The site search page (`/search/`): a search box over every collection.
//! Searching runs in the explorer module from the published gram index;
//! without JavaScript the page says so and links every list.

use amed_model::Collection;
use amed_model::Lang;
use amed_model::explorer_format;
use minijinja::context;
use portal_output::explorer::App;

use super::chrome::{Link, Preload};
use super::templates::{TEMPLATES, ui};
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// The search page's job: it depends only on the site (its lists are fixed).
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    Job {
        path: routes::page_file(lang, routes::SEARCH),
        fingerprint: ctx.print("search").with(&lang).finish128(),
        output: Output::Search(lang),
    }
}

/// The search page in `lang`.
pub fn render(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let title = ui(lang, "search_title");
    let mut chrome = ctx.chrome(
        lang,
        routes::SEARCH,
        title,
        ui(lang, "search_description"),
        Some(App::Search),
    );
    chrome.breadcrumbs = ctx.crumbs(lang, &[]);
    let manifest = ctx.site.asset(explorer_format::SEARCH_MANIFEST);
    if ctx.assets.app(App::Search).is_some() {
        chrome.preloads.push(Preload::fetch(manifest.clone()));
    }
    let lists: Vec<Link> = Collection::ALL
        .iter()
        .filter(|&&c| c != Collection::Pages && c != Collection::Projects)
        .map(|&c| Link {
            href: ctx.site.href(lang, c.list_path()),
            label: if c == Collection::Pillars {
                ui(lang, "policy").to_string()
            } else {
                c.label(lang).to_string()
            },
            current: false,
        })
        .chain([Link {
            href: ctx.site.href(lang, routes::HTML_SITEMAP),
            label: ui(lang, "html_sitemap").to_string(),
            current: false,
        }])
        .collect();
    Ok(TEMPLATES.get_template("search.html")?.render(context! {
        page => chrome,
        title,
        lists,
        manifest,
        root => ctx.site.asset(explorer_format::ROOT),
    })?)
}
