//! Page chrome: what every HTML page shares (title, language switch,
//! alternates, navigation, breadcrumbs, assets, the security policy).

use amed_model::{Collection, Lang};
use portal_output::explorer::App;
use serde::Serialize;

use super::shared::{FOOTER_PAGES, NAV_PAGES, Shared};
use super::templates::{ui, ui_words};
use super::{CONTENT_SECURITY_POLICY, Context, LIVE_RELOAD_SCRIPT};
use portal_content::routes;

/// The link a page gives to a calendar of events (PPI lists: the calendar
/// of every event), for readers and for calendar apps given the page.
#[derive(Debug, Clone, Hash, Serialize)]
pub struct CalendarLink {
    pub(crate) href: String,
    pub(crate) label: &'static str,
}

/// A link with its label.
#[derive(Serialize)]
pub struct Link {
    /// Root-relative URL.
    pub href: String,
    /// What it says.
    pub label: String,
    /// Whether it is the current page (or section).
    pub current: bool,
}

/// The same page in another language, for `<link rel="alternate">`.
#[derive(Serialize)]
pub struct Alternate {
    hreflang: &'static str,
    href: String,
}

/// A file the browser should start fetching at once, so HTML, script,
/// WebAssembly and the first data arrive in parallel, not one after another.
#[derive(Serialize, Clone, Debug)]
pub struct Preload {
    rel: &'static str,
    href: String,
    #[serde(rename = "as")]
    kind: Option<&'static str>,
    mime: Option<&'static str>,
    cors: bool,
}

impl Preload {
    /// A file the page's script reads with `fetch()`.
    pub fn fetch(href: String) -> Preload {
        Preload {
            rel: "preload",
            href,
            kind: Some("fetch"),
            mime: None,
            cors: true,
        }
    }

    fn module(href: String) -> Preload {
        Preload {
            rel: "modulepreload",
            href,
            kind: None,
            mime: None,
            cors: false,
        }
    }

    fn wasm(href: String) -> Preload {
        Preload {
            mime: Some("application/wasm"),
            ..Preload::fetch(href)
        }
    }
}

/// What every page template receives.
#[derive(Serialize)]
pub struct Chrome {
    lang: &'static str,
    t: minijinja::Value,
    site_title: String,
    title: String,
    description: String,
    csp: &'static str,
    /// The page's own URL, for search engines; none for the not-found page.
    canonical: Option<String>,
    alternates: Vec<Alternate>,
    switch_href: String,
    switch_lang: &'static str,
    nav: Vec<Link>,
    home: String,
    css: String,
    favicon: String,
    /// The feed a feed reader given the page subscribes to, and its name.
    pub feed: String,
    /// See [`Chrome::feed`].
    pub feed_title: String,
    /// The calendar the page offers, for calendar apps given the page.
    pub calendar: Option<CalendarLink>,
    explorer_js: Option<String>,
    /// Files to fetch at once (the explorer's module and data).
    pub preloads: Vec<Preload>,
    live_reload: Option<String>,
    search_href: String,
    /// The name the search box submits its text under.
    search_key: &'static str,
    footer: Vec<Link>,
    license: Link,
    /// JSON-LD data blocks describing the page (schema.org), escaped.
    pub json_ld: Vec<String>,
    /// The trail from the home page.
    pub breadcrumbs: Vec<Link>,
}

impl Chrome {
    /// A page served at paths not its own (the not-found page): it names
    /// no canonical URL and no translations, which would point search
    /// engines at `404.html`.
    pub fn unlisted(mut self) -> Chrome {
        self.canonical = None;
        self.alternates.clear();
        self
    }
}

impl Shared<'_> {
    /// The chrome of the page at `path` in `lang`.
    pub fn chrome(
        &self,
        lang: Lang,
        path: &str,
        title: &str,
        description: &str,
        app: Option<App>,
    ) -> Chrome {
        let site_title = self.settings.title.get(lang).to_string();
        let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
        let nav = self.nav(lang, path);
        let footer = self.footer(lang, path);
        let license = &self.settings.license;
        let license = Link {
            href: license.url.clone(),
            label: license.name.get(lang).to_string(),
            current: false,
        };
        let full_title = if path.is_empty() {
            site_title.clone()
        } else {
            format!("{title} | {site_title}")
        };
        let module = app.and_then(|app| self.assets.app(app));
        let explorer_js = module.map(|m| self.site.asset(&m.entry));
        let mut preloads = Vec::new();
        if let (Some(module), Some(js)) = (module, &explorer_js) {
            preloads.push(Preload::module(js.clone()));
            preloads.push(Preload::wasm(self.site.asset(&module.wasm)));
        }
        let alternate = |hreflang, lang| Alternate {
            hreflang,
            href: self.site.url(lang, path),
        };
        Chrome {
            lang: lang.code(),
            t: ui_words(lang),
            title: full_title,
            site_title,
            description: description.to_string(),
            csp: CONTENT_SECURITY_POLICY,
            canonical: Some(self.site.url(lang, path)),
            alternates: vec![
                alternate("ja", Lang::Ja),
                alternate("en", Lang::En),
                alternate("x-default", Lang::Ja),
            ],
            switch_href: self.site.href(other, path),
            switch_lang: other.code(),
            nav,
            home: self.site.href(lang, routes::HOME),
            css: self.site.asset(routes::STYLESHEET),
            favicon: self.site.asset(routes::FAVICON),
            feed: self.site.href(lang, routes::FEED),
            feed_title: ui(lang, "feed").to_string(),
            calendar: None,
            explorer_js,
            preloads,
            search_href: self.site.href(lang, routes::SEARCH),
            search_key: amed_model::search::TEXT_KEY,
            live_reload: self
                .assets
                .live_reload
                .then(|| self.site.asset(LIVE_RELOAD_SCRIPT)),
            footer,
            license,
            json_ld: vec![],
            breadcrumbs: vec![],
        }
    }

    /// The main navigation, marking the section `path` is in.
    fn nav(&self, lang: Lang, path: &str) -> Vec<Link> {
        let mut nav_items: Vec<(String, String)> = vec![
            (routes::HOME.into(), ui(lang, "home").into()),
            (
                routes::APPROVALS.into(),
                Collection::Approvals.label(lang).into(),
            ),
            (
                Collection::Cases.list_path().into(),
                Collection::Cases.label(lang).into(),
            ),
            (routes::KPIS.into(), Collection::Kpis.label(lang).into()),
            (routes::POLICY.into(), ui(lang, "policy").into()),
            (
                Collection::Seeds.list_path().into(),
                Collection::Seeds.label(lang).into(),
            ),
            (
                Collection::Ppi.list_path().into(),
                Collection::Ppi.label(lang).into(),
            ),
        ];
        for (id, key) in NAV_PAGES {
            if self.has_page(id) {
                nav_items.push((Collection::Pages.record_path(id), ui(lang, key).into()));
            }
        }
        nav_items
            .into_iter()
            .map(|(p, label)| Link {
                href: self.site.href(lang, &p),
                current: if p.is_empty() {
                    path.is_empty()
                } else {
                    path.starts_with(p.as_str())
                },
                label,
            })
            .collect()
    }

    /// The footer's links: the site's own pages, the HTML sitemap, the
    /// feeds page.
    fn footer(&self, lang: Lang, path: &str) -> Vec<Link> {
        FOOTER_PAGES
            .iter()
            .filter(|(id, _)| self.has_page(id))
            .map(|(id, key)| (Collection::Pages.record_path(id), ui(lang, key)))
            .chain([
                (routes::HTML_SITEMAP.to_string(), ui(lang, "html_sitemap")),
                (routes::FEEDS.to_string(), ui(lang, "feeds_title")),
            ])
            .map(|(p, label)| Link {
                current: path == p,
                href: self.site.href(lang, &p),
                label: label.into(),
            })
            .collect()
    }

    /// Breadcrumbs: home, then `trail` of (path, label).
    pub fn crumbs(&self, lang: Lang, trail: &[(&str, &str)]) -> Vec<Link> {
        std::iter::once((routes::HOME, ui(lang, "home")))
            .chain(trail.iter().copied())
            .map(|(path, label)| Link {
                href: self.site.href(lang, path),
                label: label.to_string(),
                current: false,
            })
            .collect()
    }
}

impl Context<'_> {
    /// The lead of `collection`'s list: the summary of the free page
    /// [`routes::list_intro_page`] (`about-ppi`…) when the content has one,
    /// linked to it, so editors explain a list in their own words, with
    /// sources, on a page of its own.
    pub fn list_intro(&self, lang: Lang, collection: Collection) -> Option<ListIntro> {
        let id = routes::list_intro_page(collection);
        let page = self.lib.pages.iter().find(|p| p.doc.id == id)?;
        let updated = [
            self.descriptions.changed(collection),
            self.history.last_date(&page.doc.file),
        ]
        .into_iter()
        .flatten()
        .max()
        .and_then(|day| day.parse::<amed_model::PartialDate>().ok());
        Some(ListIntro {
            text: page.doc.summary.get(lang).to_string(),
            label: page.doc.title.get(lang).to_string(),
            href: self
                .shared
                .site
                .href(lang, &Collection::Pages.record_path(&id)),
            sources: super::sources::source_views(&page.doc.sources, lang),
            updated: updated.map(|d| super::templates::date(d, lang)),
        })
    }
}

impl Shared<'_> {
    /// Whom to ask about `collection`'s records (seeds and PPI: the
    /// contact page, when there is one). Its inputs are part of every
    /// output's: the footer pages present.
    pub fn get_in_touch(&self, lang: Lang, collection: Collection) -> Option<GetInTouch> {
        let key = match collection {
            Collection::Seeds => "get_in_touch_seeds",
            Collection::Ppi => "get_in_touch_ppi",
            _ => return None,
        };
        self.has_page("contact").then(|| GetInTouch {
            text: ui(lang, key).into(),
            label: ui(lang, "contact").into(),
            href: self
                .site
                .href(lang, &Collection::Pages.record_path("contact")),
        })
    }
}

/// A list's lead: what its records are, from a page the content has.
#[derive(Debug, Serialize, Hash)]
pub struct ListIntro {
    text: String,
    label: String,
    href: String,
    /// The page's sources, which the list shows at its end.
    sources: Vec<super::sources::SourceView>,
    /// When the list's records or the page last changed.
    updated: Option<super::templates::DateView>,
}

/// A line saying whom to ask, with a link to the contact page.
#[derive(Debug, Serialize)]
pub struct GetInTouch {
    text: String,
    label: String,
    href: String,
}
