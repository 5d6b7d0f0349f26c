//! The site search page (`/search/`): a search box over every collection.
//! Searching runs in the explorer module from the published gram index;
//! without JavaScript the page says so and links every list.

use amed_model::Collection;
use amed_model::Lang;
use amed_model::explorer_format;
use minijinja::context;
use portal_output::explorer::App;

use super::chrome::{Link, Preload};
use super::context::Context;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::shared::Shared;
use super::templates::{TEMPLATES, ui};
use portal_content::error::BuildError;
use portal_content::routes;

/// The search page in each language.
pub struct SearchPage;

/// What the search page reads: only what every page reads.
#[derive(Hash)]
pub struct Inputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
}

impl Family for SearchPage {
    const NAME: &'static str = "search";
    type Key = Lang;
    type Inputs<'c> = Inputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, lang: &Lang) -> Inputs<'c> {
        Inputs {
            shared: &ctx.shared,
            lang: *lang,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(page(&i)?)
    }
}

/// The search page's job in `lang`.
pub fn job(ctx: &Context<'_>, lang: Lang) -> Job {
    Job::of::<SearchPage>(ctx, routes::page_file(lang, routes::SEARCH), lang)
}

/// The search page.
fn page(i: &Inputs<'_>) -> Result<String, BuildError> {
    let (shared, lang) = (i.shared, i.lang);
    let title = ui(lang, "search_title");
    let mut chrome = shared.chrome(
        lang,
        routes::SEARCH,
        title,
        ui(lang, "search_description"),
        Some(App::Search),
    );
    chrome.breadcrumbs = shared.crumbs(lang, &[]);
    let manifest = shared.site.asset(explorer_format::SEARCH_MANIFEST);
    if shared.assets.app(App::Search).is_some() {
        chrome.preloads.push(Preload::fetch(manifest.clone()));
    }
    let lists: Vec<Link> = Collection::ALL
        .iter()
        .filter(|&&c| c != Collection::Pages && c != Collection::Projects)
        .map(|&c| Link {
            href: shared.site.href(lang, c.list_path()),
            label: if c == Collection::Pillars {
                ui(lang, "policy").to_string()
            } else {
                c.label(lang).to_string()
            },
            current: false,
        })
        .chain([Link {
            href: shared.site.href(lang, routes::HTML_SITEMAP),
            label: ui(lang, "html_sitemap").to_string(),
            current: false,
        }])
        .collect();
    Ok(TEMPLATES.get_template("search.html")?.render(context! {
        page => chrome,
        title,
        lists,
        manifest,
        root => shared.site.asset(explorer_format::ROOT),
    })?)
}
