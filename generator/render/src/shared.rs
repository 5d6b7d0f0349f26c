//! What every output reads: the generator, the templates and UI words,
//! the site's settings, the taxonomies, the built assets and which of the
//! pages the navigation and footer link to exist.

use std::hash::{Hash, Hasher};

use amed_model::{Library, Site, Taxonomies};
use portal_content::routes;
use portal_output::explorer::{App, AppModule, AppModules, ExplorerBundle};
use portal_output::fingerprint::{Fingerprint, Fingerprinter, generator_identity};

use super::templates;

/// Where `portal serve` serves its live-reload script, from the site root.
pub const LIVE_RELOAD_SCRIPT: &str = "__live-reload.js";

/// Free pages linked from every page's navigation when they exist.
pub const NAV_PAGES: [(&str, &str); 2] = [("about", "about"), ("data", "open_data")];

/// Free pages linked from every page's footer when they exist: what a
/// public portal owes its readers.
pub const FOOTER_PAGES: [(&str, &str); 4] = [
    ("terms", "terms"),
    ("privacy", "privacy"),
    ("accessibility", "accessibility"),
    ("contact", "contact"),
];

/// Built assets the pages link to.
#[derive(Debug, Clone, Default, Hash)]
pub struct Assets {
    /// The explorer's apps, if built.
    pub explorer: Option<AppModules>,
    /// Include the live-reload script of `portal serve` (never in builds
    /// for deployment).
    pub live_reload: bool,
}

impl Assets {
    /// The assets of a build with `explorer` (if built).
    pub fn new(explorer: Option<&ExplorerBundle>, live_reload: bool) -> Assets {
        Assets {
            explorer: explorer.map(|b| b.modules.clone()),
            live_reload,
        }
    }

    /// The modules of `app`, if the explorer was built.
    pub fn app(&self, app: App) -> Option<&AppModule> {
        self.explorer.as_ref().map(|m| m.app(app))
    }
}

/// What every output reads: the generator, the templates and UI words,
/// the site's settings, the taxonomies, the built assets and which of the
/// pages the navigation and footer link to exist. Its fingerprint is
/// computed once per build.
pub struct Shared<'c> {
    /// The site's settings.
    pub settings: &'c Site,
    /// The taxonomies.
    pub taxonomies: &'c Taxonomies,
    /// Where the site is deployed: every link and URL.
    pub site: routes::Site,
    /// Built assets.
    pub assets: &'c Assets,
    /// Which of [`NAV_PAGES`] and [`FOOTER_PAGES`] the content has.
    pages: Vec<(&'static str, bool)>,
    print: Fingerprint,
}

impl<'c> Shared<'c> {
    /// What every output of `lib`'s site with `assets` reads.
    pub fn new(lib: &'c Library, assets: &'c Assets) -> Self {
        let pages: Vec<(&'static str, bool)> = NAV_PAGES
            .iter()
            .chain(&FOOTER_PAGES)
            .map(|&(id, _)| (id, lib.pages.iter().any(|p| p.doc.id == id)))
            .collect();
        let present: Vec<bool> = pages.iter().map(|(_, p)| *p).collect();
        let print = Fingerprinter::new()
            .with(&generator_identity())
            .with(&templates::SOURCES)
            .with(&lib.site)
            .with(&lib.taxonomies)
            .with(assets)
            .with(&present)
            .finish128();
        Shared {
            settings: &lib.site,
            taxonomies: &lib.taxonomies,
            site: routes::Site::new(&lib.site),
            assets,
            pages,
            print,
        }
    }

    /// Whether the free page `id`, one the navigation or footer links to,
    /// exists.
    pub fn has_page(&self, id: &str) -> bool {
        match self.pages.iter().find(|(page, _)| *page == id) {
            Some((_, present)) => *present,
            None => panic!("{id:?} is not a page every output knows of: declare it as an input"),
        }
    }

    /// The fingerprint of all of it.
    pub fn print(&self) -> Fingerprint {
        self.print
    }
}

impl Hash for Shared<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}
