//! Stage 3, render: the checked [`Library`] to pages, feeds, sitemap and
//! open data, in memory.
//!
//! Owns the URL scheme, the view structs templates receive (never the
//! domain model itself), and the templates, compiled once. Pages are
//! rendered in parallel; nothing here touches the file system.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use amed_model::dataset::facet;
use amed_model::{
    Approval, CaseStudy, Collection, Dataset, Document, Entry, FacetKind, Index, Kpi, KpiGroup,
    Lang, Library, Outcome, Page, PartialDate, Pillar, PpiActivity, Project, Query, Seed,
    TaxonomyKind, Text, export,
};
use minijinja::{Environment, UndefinedBehavior, context};
use rayon::prelude::*;
use serde::Serialize;

use crate::error::BuildError;
use crate::markdown;

/// Records per page on list and facet pages: enough to scan, small enough
/// that a collection of 100,000 records never makes a page of megabytes.
pub const PAGE_SIZE: usize = 50;

/// The Content-Security-Policy of every page. `'wasm-unsafe-eval'` lets the
/// explorer compile its WebAssembly; nothing else may run but same-origin files.
/// `blob:` in `connect-src` lets a page read back the downloads it made.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'";

/// Entries in each Atom feed.
pub const FEED_ENTRIES: usize = 50;

/// A file of the finished site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path with `/` separators, e.g. `approvals/delytact/index.html`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Built assets the pages link to.
#[derive(Debug, Clone, Default)]
pub struct Assets {
    /// The explorer's entry module, relative to the site root, if built.
    pub explorer_js: Option<String>,
    /// Include the live-reload script of `portal serve` (never in builds
    /// for deployment).
    pub live_reload: bool,
}

/// Where `portal serve` serves its live-reload script, from the site root.
pub const LIVE_RELOAD_SCRIPT: &str = "__live-reload.js";

static UI: LazyLock<HashMap<Lang, BTreeMap<String, String>>> = LazyLock::new(|| {
    let mut all: HashMap<String, BTreeMap<String, String>> =
        toml::from_str(include_str!("ui.toml")).expect("ui.toml is valid");
    Lang::ALL
        .into_iter()
        .map(|lang| {
            (
                lang,
                all.remove(lang.code()).expect("ui.toml has every language"),
            )
        })
        .collect()
});

fn ui(lang: Lang, key: &str) -> &'static str {
    UI[&lang]
        .get(key)
        .map_or_else(|| panic!("ui.toml lacks {key:?}"), String::as_str)
}

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.set_formatter(html_formatter);
    for (name, source) in [
        ("base.html", include_str!("../templates/base.html")),
        ("macros.html", include_str!("../templates/macros.html")),
        ("home.html", include_str!("../templates/home.html")),
        ("list.html", include_str!("../templates/list.html")),
        ("record.html", include_str!("../templates/record.html")),
        ("kpis.html", include_str!("../templates/kpis.html")),
        ("policy.html", include_str!("../templates/policy.html")),
        ("404.html", include_str!("../templates/404.html")),
        ("feed.xml", include_str!("../templates/feed.xml")),
        ("sitemap.xml", include_str!("../templates/sitemap.xml")),
        (
            "sitemap-index.xml",
            include_str!("../templates/sitemap-index.xml"),
        ),
    ] {
        env.add_template(name, source)
            .unwrap_or_else(|e| panic!("template {name}: {e:#}"));
    }
    env
});

/// Escapes `& < > " '` in HTML templates. minijinja's default also escapes
/// `/`, which is safe but turns every URL into `&#x2f;` soup.
fn html_formatter(
    out: &mut minijinja::Output,
    state: &minijinja::State,
    value: &minijinja::Value,
) -> Result<(), minijinja::Error> {
    if state.auto_escape() != minijinja::AutoEscape::Html || value.is_safe() {
        return minijinja::escape_formatter(out, state, value);
    }
    let owned;
    let text = match value.as_str() {
        Some(s) => s,
        None => {
            owned = value.to_string();
            &owned
        }
    };
    let mut rest = text;
    let failed = |_| minijinja::Error::from(minijinja::ErrorKind::WriteFailure);
    while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
        out.write_str(&rest[..i]).map_err(failed)?;
        let entity = match rest.as_bytes()[i] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            _ => "&#39;",
        };
        out.write_str(entity).map_err(failed)?;
        rest = &rest[i + 1..];
    }
    out.write_str(rest).map_err(failed)
}

/// Text in the page's language, with the language it is really in when a
/// translation is missing (`lang="ja"` inside an English page).
#[derive(Serialize)]
struct TextView {
    text: String,
    lang: Option<&'static str>,
}

fn text(t: &Text, lang: Lang) -> TextView {
    let (s, actual) = t.resolve(lang);
    TextView {
        text: s.to_string(),
        lang: (actual != lang).then_some(actual.code()),
    }
}

#[derive(Serialize)]
struct DateView {
    iso: String,
    text: String,
}

fn date(d: PartialDate, lang: Lang) -> DateView {
    DateView {
        iso: d.to_string(),
        text: d.format(lang),
    }
}

/// `6090` → `6,090`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[derive(Serialize)]
struct Link {
    href: String,
    label: String,
    current: bool,
}

#[derive(Serialize)]
struct Alternate {
    hreflang: &'static str,
    href: String,
}

/// What every page template receives.
#[derive(Serialize)]
struct Chrome {
    lang: &'static str,
    t: &'static BTreeMap<String, String>,
    site_title: String,
    title: String,
    description: String,
    csp: &'static str,
    canonical: String,
    alternates: Vec<Alternate>,
    switch_href: String,
    switch_lang: &'static str,
    nav: Vec<Link>,
    home: String,
    css: String,
    favicon: String,
    feed: String,
    explorer_js: Option<String>,
    live_reload: Option<String>,
    breadcrumbs: Vec<Link>,
}

#[derive(Serialize)]
struct ListItem {
    id: String,
    href: String,
    title: TextView,
    summary: TextView,
    date: Option<DateView>,
    sample: bool,
    tags: Vec<String>,
}

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
}

#[derive(Serialize)]
struct SourceView {
    lang: &'static str,
    title: String,
    date: DateView,
    publisher: Option<String>,
    url: Option<String>,
    page: Option<String>,
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
}

#[derive(Serialize)]
struct FacetGroup {
    legend: String,
    options: Vec<FacetLink>,
}

#[derive(Serialize)]
struct FacetLink {
    label: String,
    href: Option<String>,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    pages: Vec<Link>,
    previous: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct Download {
    label: String,
    records: usize,
    json: String,
    csv: String,
}

/// A record of any collection, for detail pages.
#[derive(Clone, Copy)]
enum Record<'a> {
    Approval(&'a Approval),
    Case(&'a CaseStudy),
    Kpi(&'a Kpi),
    Pillar(&'a Pillar),
    Project(&'a Project),
    Seed(&'a Seed),
    Ppi(&'a PpiActivity),
    Page(&'a Page),
}

impl<'a> Record<'a> {
    fn all(lib: &'a Library) -> Vec<Record<'a>> {
        let mut all: Vec<Record<'a>> = Vec::new();
        all.extend(lib.approvals.iter().map(Record::Approval));
        all.extend(lib.cases.iter().map(Record::Case));
        all.extend(lib.kpis.iter().map(Record::Kpi));
        all.extend(lib.pillars.iter().map(Record::Pillar));
        all.extend(lib.projects.iter().map(Record::Project));
        all.extend(lib.seeds.iter().map(Record::Seed));
        all.extend(lib.ppi.iter().map(Record::Ppi));
        all.extend(lib.pages.iter().map(Record::Page));
        all
    }

    fn doc(self) -> &'a Document {
        match self {
            Record::Approval(r) => &r.doc,
            Record::Case(r) => &r.doc,
            Record::Kpi(r) => &r.doc,
            Record::Pillar(r) => &r.doc,
            Record::Project(r) => &r.doc,
            Record::Seed(r) => &r.doc,
            Record::Ppi(r) => &r.doc,
            Record::Page(r) => &r.doc,
        }
    }

    fn collection(self) -> Collection {
        match self {
            Record::Approval(_) => Collection::Approvals,
            Record::Case(_) => Collection::Cases,
            Record::Kpi(_) => Collection::Kpis,
            Record::Pillar(_) => Collection::Pillars,
            Record::Project(_) => Collection::Projects,
            Record::Seed(_) => Collection::Seeds,
            Record::Ppi(_) => Collection::Ppi,
            Record::Page(_) => Collection::Pages,
        }
    }
}

/// Where each record lives, for internal links.
struct Routes<'a> {
    by_file: HashMap<&'a str, (Collection, &'a str)>,
}

/// Renders pages from a library.
struct Renderer<'a> {
    lib: &'a Library,
    base: &'a str,
    assets: &'a Assets,
    routes: Routes<'a>,
    /// Each collection's published dataset, indexed by the same filtering
    /// core as the explorer, so static facet pages list what it would.
    indexes: BTreeMap<Collection, Index>,
    /// Each collection with no filter: every record, and option counts.
    unfiltered: BTreeMap<Collection, Outcome>,
    approvals_by_id: HashMap<&'a str, &'a Approval>,
    /// Computed once: it looks at every source of every record.
    content_date: Option<PartialDate>,
}

/// Renders the whole site, pages and data, in memory.
pub fn render(lib: &Library, assets: &Assets) -> Result<Vec<OutputFile>, BuildError> {
    let by_file = lib
        .documents()
        .map(|(c, d)| (d.file.as_str(), (c, d.id.as_str())))
        .collect();
    // Only PPI's upcoming/past depends on today, and static pages do not
    // show it; the content date keeps the build reproducible.
    let today = lib
        .content_date()
        .unwrap_or_else(|| PartialDate::ymd(1970, 1, 1).expect("a real date"));
    let indexes: BTreeMap<Collection, Index> = Collection::ALL
        .into_iter()
        .map(|c| (c, Index::new(Dataset::from_library(lib, c), today)))
        .collect();
    let unfiltered = indexes
        .iter()
        .map(|(c, index)| (*c, index.evaluate(&Query::default(), Lang::Ja)))
        .collect();
    let approvals_by_id = lib
        .approvals
        .iter()
        .map(|a| (a.doc.id.as_str(), a))
        .collect();
    let renderer = Renderer {
        lib,
        base: lib.site.base_path(),
        assets,
        routes: Routes { by_file },
        indexes,
        unfiltered,
        approvals_by_id,
        content_date: lib.content_date(),
    };
    renderer.render_all()
}

impl<'a> Renderer<'a> {
    fn dataset(&self, collection: Collection) -> &Dataset {
        self.indexes[&collection].dataset()
    }

    fn href(&self, lang: Lang, path: &str) -> String {
        format!("{}{}{}", self.base, lang.prefix(), path)
    }

    fn url(&self, lang: Lang, path: &str) -> String {
        format!("{}{}{}", self.lib.site.base_url, lang.prefix(), path)
    }

    fn chrome(
        &self,
        lang: Lang,
        path: &str,
        title: &str,
        description: &str,
        explorer: bool,
    ) -> Chrome {
        let site_title = self.lib.site.title.get(lang).to_string();
        let other = if lang == Lang::Ja { Lang::En } else { Lang::Ja };
        let mut nav_items: Vec<(&str, String)> = vec![
            ("", ui(lang, "home").into()),
            ("approvals/", Collection::Approvals.label(lang).into()),
            ("cases/", Collection::Cases.label(lang).into()),
            ("kpis/", Collection::Kpis.label(lang).into()),
            ("policy/", ui(lang, "policy").into()),
            ("seeds/", Collection::Seeds.label(lang).into()),
            ("ppi/", Collection::Ppi.label(lang).into()),
        ];
        for (id, key) in [("about", "about"), ("data", "open_data")] {
            if self.lib.pages.iter().any(|p| p.doc.id == id) {
                nav_items.push((
                    if id == "about" { "about/" } else { "data/" },
                    ui(lang, key).into(),
                ));
            }
        }
        let nav = nav_items
            .into_iter()
            .map(|(p, label)| Link {
                href: self.href(lang, p),
                label,
                current: if p.is_empty() {
                    path.is_empty()
                } else {
                    path.starts_with(p)
                },
            })
            .collect();
        let full_title = if path.is_empty() {
            site_title.clone()
        } else {
            format!("{title} | {site_title}")
        };
        Chrome {
            lang: lang.code(),
            t: &UI[&lang],
            title: full_title,
            site_title,
            description: description.to_string(),
            csp: CONTENT_SECURITY_POLICY,
            canonical: self.url(lang, path),
            alternates: vec![
                Alternate {
                    hreflang: "ja",
                    href: self.url(Lang::Ja, path),
                },
                Alternate {
                    hreflang: "en",
                    href: self.url(Lang::En, path),
                },
                Alternate {
                    hreflang: "x-default",
                    href: self.url(Lang::Ja, path),
                },
            ],
            switch_href: self.href(other, path),
            switch_lang: other.code(),
            nav,
            home: self.href(lang, ""),
            css: format!("{}assets/site.css", self.base),
            favicon: format!("{}favicon.svg", self.base),
            feed: self.href(lang, "feed.xml"),
            explorer_js: if explorer {
                self.assets
                    .explorer_js
                    .as_ref()
                    .map(|js| format!("{}{js}", self.base))
            } else {
                None
            },
            live_reload: self
                .assets
                .live_reload
                .then(|| format!("{}{LIVE_RELOAD_SCRIPT}", self.base)),
            breadcrumbs: vec![],
        }
    }

    fn crumbs(&self, lang: Lang, trail: &[(&str, &str)]) -> Vec<Link> {
        std::iter::once(("", ui(lang, "home")))
            .chain(trail.iter().copied())
            .map(|(path, label)| Link {
                href: self.href(lang, path),
                label: label.to_string(),
                current: false,
            })
            .collect()
    }

    fn page(
        &self,
        lang: Lang,
        path: &str,
        template: &str,
        ctx: minijinja::Value,
    ) -> Result<OutputFile, BuildError> {
        let html = TEMPLATES.get_template(template)?.render(ctx)?;
        Ok(OutputFile {
            path: format!("{}{}index.html", lang.prefix(), path),
            bytes: html.into_bytes(),
        })
    }

    fn resolve_link(&self, lang: Lang, file: &str) -> Option<String> {
        self.routes
            .by_file
            .get(file)
            .map(|(c, id)| self.href(lang, &c.record_path(id)))
    }

    /// A record body in `lang`, its top heading at level `top`.
    fn markdown(&self, body: &Text, lang: Lang, top: usize) -> (String, Option<&'static str>) {
        let (md, actual) = body.resolve(lang);
        let html = markdown::to_html(md, top, |file| self.resolve_link(lang, file));
        (html, (actual != lang).then_some(actual.code()))
    }

    fn render_all(&self) -> Result<Vec<OutputFile>, BuildError> {
        let mut jobs: Vec<Box<dyn Fn() -> Result<Vec<OutputFile>, BuildError> + Send + Sync + '_>> =
            vec![];
        for lang in Lang::ALL {
            jobs.push(Box::new(move || Ok(vec![self.home(lang)?])));
            jobs.push(Box::new(move || self.approvals(lang)));
            for collection in [Collection::Seeds, Collection::Ppi, Collection::Cases] {
                jobs.push(Box::new(move || {
                    self.list(lang, collection, collection.list_path(), None)
                }));
            }
            jobs.push(Box::new(move || Ok(vec![self.kpis(lang)?])));
            jobs.push(Box::new(move || Ok(vec![self.policy(lang)?])));
            jobs.push(Box::new(move || Ok(vec![self.not_found(lang)?])));
            jobs.push(Box::new(move || Ok(vec![self.feed(lang)?])));
        }
        // Detail pages: the bulk of a large site, one parallel task each.
        let mut files: Vec<OutputFile> = Record::all(self.lib)
            .par_iter()
            .flat_map_iter(|record| Lang::ALL.map(|lang| self.detail(lang, *record)))
            .collect::<Result<_, _>>()?;
        let lists: Vec<Vec<OutputFile>> =
            jobs.par_iter().map(|job| job()).collect::<Result<_, _>>()?;
        files.extend(lists.into_iter().flatten());
        let sitemaps = self.sitemaps(&files)?;
        files.extend(sitemaps);
        files.extend(self.data_files());
        files.push(self.robots());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }

    fn list_item(&self, lang: Lang, entry: &Entry, dataset: &Dataset) -> ListItem {
        let tags = entry.tags(
            &dataset.facets,
            lang,
            ui(lang, "international_collaboration"),
        );
        ListItem {
            id: entry.id.clone(),
            href: self.href(lang, &entry.path),
            title: text(&entry.title, lang),
            summary: text(&entry.summary, lang),
            date: entry.date.map(|d| date(d, lang)),
            sample: entry.sample,
            tags,
        }
    }

    fn downloads(&self, lang: Lang, collection: Collection) -> Download {
        Download {
            label: collection.label(lang).to_string(),
            records: self.dataset(collection).records.len(),
            json: format!("{}data/{}.json", self.base, collection.dir()),
            csv: format!("{}data/{}.csv", self.base, collection.dir()),
        }
    }

    /// Facet option counts for the static list page, linking to facet pages
    /// where they exist (approvals), so every view works without JavaScript.
    fn facet_groups(
        &self,
        lang: Lang,
        collection: Collection,
        current: Option<(&str, &str)>,
    ) -> Vec<FacetGroup> {
        let dataset = self.dataset(collection);
        let counts = &self.unfiltered[&collection].counts;
        dataset
            .facets
            .iter()
            .zip(counts)
            .filter(|(spec, _)| spec.kind == FacetKind::Terms)
            .map(|(spec, counts)| FacetGroup {
                legend: spec.label.get(lang).to_string(),
                options: spec
                    .options
                    .iter()
                    .zip(counts)
                    .map(|(option, &count)| {
                        let page = approval_facet_path(&spec.id, &option.key);
                        FacetLink {
                            label: option.label.get(lang).to_string(),
                            href: page
                                .filter(|_| collection == Collection::Approvals)
                                .map(|p| self.href(lang, &p)),
                            count: count as usize,
                            current: current == Some((spec.id.as_str(), option.key.as_str())),
                        }
                    })
                    .filter(|o| o.count > 0 || o.href.is_some())
                    .collect(),
            })
            .filter(|g| !g.options.is_empty())
            .collect()
    }

    /// A list page, paginated: `path`, `path/page/2/`, …
    fn list(
        &self,
        lang: Lang,
        collection: Collection,
        path: &str,
        filter: Option<(&str, &str, String)>,
    ) -> Result<Vec<OutputFile>, BuildError> {
        let dataset = self.dataset(collection);
        let index = &self.indexes[&collection];
        let filtered;
        let matches = match &filter {
            Some((facet_id, key, _)) => {
                let mut query = Query::default();
                query.toggle(facet_id, key, true);
                filtered = index.evaluate(&query, lang).matches;
                &filtered
            }
            None => &self.unfiltered[&collection].matches,
        };
        let entries: Vec<&Entry> = matches
            .iter()
            .map(|&i| &dataset.records[i as usize])
            .collect();
        let heading = match &filter {
            Some((_, _, label)) => format!("{label} — {}", collection.label(lang)),
            None => collection.label(lang).to_string(),
        };
        let explorer = filter.is_none()
            && matches!(
                collection,
                Collection::Approvals | Collection::Seeds | Collection::Ppi
            );
        let pages = entries.chunks(PAGE_SIZE).count().max(1);
        let page_path = |n: usize| {
            if n == 1 {
                path.to_string()
            } else {
                format!("{path}page/{n}/")
            }
        };
        let has_sample = entries.iter().any(|e| e.sample);
        let current = filter.as_ref().map(|(f, k, _)| (*f, *k));
        let facets = self.facet_groups(lang, collection, current);
        let mut files = Vec::with_capacity(pages);
        for n in 1..=pages {
            let chunk = entries.chunks(PAGE_SIZE).nth(n - 1).unwrap_or_default();
            let items: Vec<ListItem> = chunk
                .iter()
                .map(|e| self.list_item(lang, e, dataset))
                .collect();
            let this = page_path(n);
            let title = if n == 1 {
                heading.clone()
            } else {
                format!(
                    "{heading}{}{} {n}{}",
                    ui(lang, "paren_open"),
                    ui(lang, "page"),
                    ui(lang, "paren_close")
                )
            };
            let mut chrome = self.chrome(lang, &this, &title, &heading, explorer && n == 1);
            let mut trail = vec![];
            if filter.is_some() {
                trail.push((collection.list_path(), collection.label(lang)));
            }
            chrome.breadcrumbs = self.crumbs(lang, &trail);
            let pagination = (pages > 1).then(|| Pagination {
                pages: page_numbers(n, pages)
                    .into_iter()
                    .map(|i| match i {
                        Some(i) => Link {
                            href: self.href(lang, &page_path(i)),
                            label: i.to_string(),
                            current: i == n,
                        },
                        None => Link {
                            href: String::new(),
                            label: "…".into(),
                            current: false,
                        },
                    })
                    .collect(),
                previous: (n > 1).then(|| self.href(lang, &page_path(n - 1))),
                next: (n < pages).then(|| self.href(lang, &page_path(n + 1))),
            });
            let ctx = context! {
                page => chrome,
                heading,
                collection => collection.dir(),
                explorer => explorer && n == 1,
                dataset_href => format!("{}data/{}.json", self.base, collection.dir()),
                items,
                total => entries.len(),
                first => (n - 1) * PAGE_SIZE + 1,
                pagination,
                facets => &facets,
                show_facets => matches!(collection, Collection::Approvals | Collection::Seeds | Collection::Ppi),
                sample_notice => has_sample,
                download => self.downloads(lang, collection),
            };
            files.push(self.page(lang, &this, "list.html", ctx)?);
        }
        Ok(files)
    }

    fn approvals(&self, lang: Lang) -> Result<Vec<OutputFile>, BuildError> {
        let mut files = self.list(lang, Collection::Approvals, "approvals/", None)?;
        let dataset = self.dataset(Collection::Approvals);
        for spec in &dataset.facets {
            for option in &spec.options {
                if let Some(path) = approval_facet_path(&spec.id, &option.key) {
                    let label = format!(
                        "{}{}{}",
                        spec.label.get(lang),
                        ui(lang, "label_separator"),
                        option.label.get(lang)
                    );
                    let label = if spec.id == facet::INTERNATIONAL {
                        ui(lang, "international_collaboration").to_string()
                    } else {
                        label
                    };
                    files.extend(self.list(
                        lang,
                        Collection::Approvals,
                        &path,
                        Some((&spec.id, &option.key, label)),
                    )?);
                }
            }
        }
        Ok(files)
    }

    fn home(&self, lang: Lang) -> Result<OutputFile, BuildError> {
        let lib = self.lib;
        let chrome = self.chrome(lang, "", "", lib.site.description.get(lang), false);
        let kpis: Vec<_> = lib
            .kpis
            .iter()
            .filter(|k| k.headline)
            .map(|k| context! { value => thousands(k.value), title => text(&k.doc.title, lang), href => self.href(lang, &Collection::Kpis.record_path(&k.doc.id)) })
            .collect();
        let approvals = self.dataset(Collection::Approvals);
        let latest: Vec<ListItem> = approvals
            .records
            .iter()
            .take(5)
            .map(|e| self.list_item(lang, e, approvals))
            .collect();
        let pillars: Vec<_> = lib
            .pillars
            .iter()
            .map(|p| context! { number => p.number, title => text(&p.doc.title, lang), summary => text(&p.doc.summary, lang), href => self.href(lang, &Collection::Pillars.record_path(&p.doc.id)) })
            .collect();
        let ctx = context! {
            page => chrome,
            description => lib.site.description.get(lang),
            kpis,
            kpis_href => self.href(lang, "kpis/"),
            latest,
            approvals_href => self.href(lang, "approvals/"),
            pillars,
            policy_href => self.href(lang, "policy/"),
        };
        self.page(lang, "", "home.html", ctx)
    }

    fn kpis(&self, lang: Lang) -> Result<OutputFile, BuildError> {
        let path = "kpis/";
        let title = Collection::Kpis.label(lang);
        let mut chrome = self.chrome(lang, path, title, title, false);
        chrome.breadcrumbs = self.crumbs(lang, &[]);
        let groups: Vec<_> = KpiGroup::ALL
            .into_iter()
            .map(|g| {
                let kpis: Vec<_> = self
                    .lib
                    .kpis
                    .iter()
                    .filter(|k| k.group == g)
                    .map(|k| {
                        context! {
                            value => thousands(k.value),
                            title => text(&k.doc.title, lang),
                            summary => text(&k.doc.summary, lang),
                            as_of => date(k.as_of, lang),
                            href => self.href(lang, &Collection::Kpis.record_path(&k.doc.id)),
                        }
                    })
                    .collect();
                context! { heading => g.label(lang), kpis }
            })
            .collect();
        let ctx = context! { page => chrome, heading => title, groups, download => self.downloads(lang, Collection::Kpis) };
        self.page(lang, path, "kpis.html", ctx)
    }

    fn policy(&self, lang: Lang) -> Result<OutputFile, BuildError> {
        let path = "policy/";
        let title = ui(lang, "policy");
        let mut chrome = self.chrome(lang, path, title, ui(lang, "pillars"), false);
        chrome.breadcrumbs = self.crumbs(lang, &[]);
        let tax = &self.lib.taxonomies;
        let pillars: Vec<_> = self
            .lib
            .pillars
            .iter()
            .map(|p| {
                let (body, body_lang) = self.markdown(&p.doc.body, lang, 4);
                context! {
                    id => p.doc.id, number => p.number,
                    title => text(&p.doc.title, lang), summary => text(&p.doc.summary, lang),
                    body, body_lang,
                    href => self.href(lang, &Collection::Pillars.record_path(&p.doc.id)),
                }
            })
            .collect();
        let projects: Vec<_> = tax
            .terms(TaxonomyKind::ProjectThird)
            .iter()
            .map(|term| {
                let record = self.lib.projects.iter().find(|p| p.project == term.key);
                let from: Vec<String> = term.from_second.iter().map(|k| tax.label(TaxonomyKind::ProjectSecond, k).get(lang).to_string()).collect();
                context! {
                    number => term.number, name => term.label.get(lang),
                    href => record.map(|r| self.href(lang, &Collection::Projects.record_path(&r.doc.id))),
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
        let pairing = self
            .lib
            .pillars
            .iter()
            .find(|p| p.number == 1)
            .map(|p| p.doc.id.as_str());
        let ctx = context! { page => chrome, heading => title, pillars, projects, second, pairing };
        self.page(lang, path, "policy.html", ctx)
    }

    fn not_found(&self, lang: Lang) -> Result<OutputFile, BuildError> {
        let title = ui(lang, "not_found_title");
        let chrome = self.chrome(lang, "404.html", title, title, false);
        let html = TEMPLATES
            .get_template("404.html")?
            .render(context! { page => chrome })?;
        Ok(OutputFile {
            path: format!("{}404.html", lang.prefix()),
            bytes: html.into_bytes(),
        })
    }

    fn facts(&self, lang: Lang, record: Record<'_>) -> Vec<Fact> {
        let collection = record.collection();
        use TaxonomyKind as T;
        let tax = &self.lib.taxonomies;
        let plain = |label: &str, value: String| Fact {
            label: label.to_string(),
            values: vec![FactValue {
                text: value,
                href: None,
                lang: None,
            }],
        };
        let terms = |label: &str, kind: T, keys: &[String], facet_id: Option<&str>| Fact {
            label: label.to_string(),
            values: keys
                .iter()
                .map(|k| FactValue {
                    text: tax.label(kind, k).get(lang).to_string(),
                    href: facet_id
                        .and_then(|f| approval_facet_path(f, k))
                        .map(|p| self.href(lang, &p)),
                    lang: None,
                })
                .collect(),
        };
        let yes_no = |b: bool| ui(lang, if b { "yes" } else { "no" }).to_string();
        let dataset = self.dataset(collection);
        let label = |facet_id: &str| facet::label(facet_id).get(lang).to_string();
        let mut facts = Vec::new();
        match record {
            Record::Approval(a) => {
                facts.push(plain(ui(lang, "approved"), a.approved.format(lang)));
                facts.push(terms(
                    &label(facet::CATEGORY),
                    T::ApprovalCategory,
                    std::slice::from_ref(&a.category),
                    Some(facet::CATEGORY),
                ));
                facts.push(terms(
                    &label(facet::MODALITY),
                    T::Modality,
                    &a.modality,
                    Some(facet::MODALITY),
                ));
                facts.push(terms(
                    &label(facet::DISEASE),
                    T::DiseaseArea,
                    &a.disease,
                    Some(facet::DISEASE),
                ));
                let mut intl = plain(&label(facet::INTERNATIONAL), yes_no(a.international));
                if a.international {
                    intl.values[0].href = Some(self.href(lang, "approvals/international/"));
                }
                facts.push(intl);
                if !a.countries.is_empty() {
                    facts.push(terms(
                        &label(facet::COUNTRY),
                        T::Country,
                        &a.countries,
                        None,
                    ));
                }
                if !a.projects.is_empty() {
                    facts.push(terms(
                        &label(facet::PROJECT),
                        T::ProjectSecond,
                        &a.projects,
                        None,
                    ));
                }
                if a.conditional {
                    let conditional = dataset.fields.iter().find(|f| f.id == "conditional");
                    let label = conditional.map(|f| f.label.get(lang)).unwrap_or_default();
                    facts.push(plain(label, yes_no(true)));
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
                    });
                }
            }
            Record::Seed(s) => {
                facts.push(terms(
                    &label(facet::MODALITY),
                    T::Modality,
                    &s.modality,
                    None,
                ));
                facts.push(terms(
                    &label(facet::DISEASE),
                    T::DiseaseArea,
                    &s.disease,
                    None,
                ));
                facts.push(terms(
                    &label(facet::STAGE),
                    T::SeedStage,
                    std::slice::from_ref(&s.stage),
                    None,
                ));
                facts.push(terms(
                    &label(facet::LICENSING),
                    T::LicensingStatus,
                    std::slice::from_ref(&s.licensing),
                    None,
                ));
                facts.push(plain(&label(facet::INTERNATIONAL), yes_no(s.international)));
                if !s.countries.is_empty() {
                    facts.push(terms(
                        &label(facet::COUNTRY),
                        T::Country,
                        &s.countries,
                        None,
                    ));
                }
            }
            Record::Ppi(p) => {
                facts.push(plain(ui(lang, "date"), p.date.format(lang)));
                facts.push(terms(
                    &label(facet::ACTIVITY),
                    T::PpiActivity,
                    std::slice::from_ref(&p.activity),
                    None,
                ));
                if !p.disease.is_empty() {
                    facts.push(terms(
                        &label(facet::DISEASE),
                        T::DiseaseArea,
                        &p.disease,
                        None,
                    ));
                }
                if let Some(location) = &p.location {
                    facts.push(plain(ui(lang, "location"), location.clone()));
                }
            }
            Record::Kpi(k) => {
                facts.push(plain(ui(lang, "value"), thousands(k.value)));
                facts.push(plain(ui(lang, "as_of"), k.as_of.format(lang)));
                facts.push(plain(&label(facet::GROUP), k.group.label(lang).to_string()));
            }
            Record::Case(c) => {
                if !c.projects.is_empty() {
                    facts.push(terms(
                        &label(facet::PROJECT),
                        T::ProjectSecond,
                        &c.projects,
                        None,
                    ));
                }
                if !c.approvals.is_empty() {
                    facts.push(Fact {
                        label: ui(lang, "related_approvals").to_string(),
                        values: c
                            .approvals
                            .iter()
                            .filter_map(|id| self.approvals_by_id.get(id.as_str()))
                            .map(|a| {
                                let title = text(&a.doc.title, lang);
                                FactValue {
                                    text: title.text,
                                    href: Some(
                                        self.href(
                                            lang,
                                            &Collection::Approvals.record_path(&a.doc.id),
                                        ),
                                    ),
                                    lang: title.lang,
                                }
                            })
                            .collect(),
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
                    facts.push(terms(
                        ui(lang, "continues_from"),
                        T::ProjectSecond,
                        &from,
                        None,
                    ));
                }
            }
            Record::Pillar(_) | Record::Page(_) => {}
        }
        facts
    }

    fn detail(&self, lang: Lang, record: Record<'_>) -> Result<OutputFile, BuildError> {
        let (collection, doc) = (record.collection(), record.doc());
        let path = collection.record_path(&doc.id);
        let title = doc.title.get(lang);
        let mut chrome = self.chrome(lang, &path, title, doc.summary.get(lang), false);
        let parent = match collection {
            Collection::Pages => None,
            Collection::Pillars | Collection::Projects => Some(("policy/", ui(lang, "policy"))),
            c => Some((c.list_path(), c.label(lang))),
        };
        chrome.breadcrumbs = self.crumbs(lang, parent.as_slice());
        let (body, body_lang) = self.markdown(&doc.body, lang, 2);
        let record = RecordView {
            id: doc.id.clone(),
            title: text(&doc.title, lang),
            summary: text(&doc.summary, lang),
            body,
            body_lang,
            facts: self.facts(lang, record),
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
                })
                .collect(),
            sample: doc.sample,
        };
        let downloads: Vec<Download> = if collection == Collection::Pages && doc.id == "data" {
            Collection::ALL
                .into_iter()
                .map(|c| self.downloads(lang, c))
                .collect()
        } else {
            vec![]
        };
        let ctx = context! { page => chrome, record, collection => collection.dir(), downloads, content_date => self.content_date.map(|d| date(d, lang)) };
        self.page(lang, &path, "record.html", ctx)
    }

    fn feed(&self, lang: Lang) -> Result<OutputFile, BuildError> {
        let stamp = |d: PartialDate| {
            let (y, m, day) = d.first_day();
            format!("{y:04}-{m:02}-{day:02}T00:00:00Z")
        };
        let approvals = &self.lib.approvals;
        let updated = approvals
            .iter()
            .map(|a| a.approved)
            .max()
            .or(self.content_date)
            .map(stamp)
            .unwrap_or_else(|| "1970-01-01T00:00:00Z".into());
        // The newest approvals only: a feed is for following updates, and a
        // feed of every record would grow without bound.
        let entries: Vec<_> = approvals
            .iter()
            .take(FEED_ENTRIES)
            .map(|a| {
                let path = Collection::Approvals.record_path(&a.doc.id);
                context! { title => a.doc.title.get(lang), url => self.url(lang, &path), updated => stamp(a.approved), summary => a.doc.summary.get(lang) }
            })
            .collect();
        let xml = TEMPLATES.get_template("feed.xml")?.render(context! {
            lang => lang.code(),
            title => format!("{} — {}", self.lib.site.title.get(lang), Collection::Approvals.label(lang)),
            self_url => self.url(lang, "feed.xml"),
            site_url => self.url(lang, "approvals/"),
            updated,
            entries,
        })?;
        Ok(OutputFile {
            path: format!("{}feed.xml", lang.prefix()),
            bytes: xml.into_bytes(),
        })
    }

    /// `sitemap.xml`; past the protocol's 50,000 URLs per file, an index of
    /// `sitemap-N.xml` files.
    fn sitemaps(&self, files: &[OutputFile]) -> Result<Vec<OutputFile>, BuildError> {
        const LIMIT: usize = 50_000;
        // Every Japanese page has an English twin at `en/…`; list each pair once.
        let mut paths: Vec<&str> = files
            .iter()
            .filter_map(|f| f.path.strip_suffix("index.html"))
            .filter(|p| !p.starts_with("en/"))
            .collect();
        paths.sort();
        let urls: Vec<_> = paths
            .iter()
            .flat_map(|p| Lang::ALL.map(|lang| context! { loc => self.url(lang, p), ja => self.url(Lang::Ja, p), en => self.url(Lang::En, p) }))
            .collect();
        let sitemap = TEMPLATES.get_template("sitemap.xml")?;
        if urls.len() <= LIMIT {
            let xml = sitemap.render(context! { urls })?;
            return Ok(vec![OutputFile {
                path: "sitemap.xml".into(),
                bytes: xml.into_bytes(),
            }]);
        }
        let mut out = Vec::new();
        let mut locs = Vec::new();
        for (i, chunk) in urls.chunks(LIMIT).enumerate() {
            let name = format!("sitemap-{}.xml", i + 1);
            out.push(OutputFile {
                path: name.clone(),
                bytes: sitemap.render(context! { urls => chunk })?.into_bytes(),
            });
            locs.push(format!("{}{name}", self.lib.site.base_url));
        }
        let index = TEMPLATES
            .get_template("sitemap-index.xml")?
            .render(context! { sitemaps => locs })?;
        out.push(OutputFile {
            path: "sitemap.xml".into(),
            bytes: index.into_bytes(),
        });
        Ok(out)
    }

    fn robots(&self) -> OutputFile {
        let body = format!(
            "User-agent: *\nAllow: /\n\nSitemap: {}sitemap.xml\n",
            self.lib.site.base_url
        );
        OutputFile {
            path: "robots.txt".into(),
            bytes: body.into_bytes(),
        }
    }

    fn data_files(&self) -> Vec<OutputFile> {
        let mut files = Vec::new();
        let mut index = Vec::new();
        for (collection, collection_index) in &self.indexes {
            let dataset = collection_index.dataset();
            let name = collection.dir();
            files.push(OutputFile {
                path: format!("data/{name}.json"),
                bytes: export::to_json(dataset).into_bytes(),
            });
            files.push(OutputFile {
                path: format!("data/{name}.csv"),
                bytes: export::to_csv(dataset).into_bytes(),
            });
            index.push(serde_json::json!({
                "collection": name,
                "title": { "ja": collection.label(Lang::Ja), "en": collection.label(Lang::En) },
                "records": dataset.records.len(),
                "json": format!("{}data/{name}.json", self.lib.site.base_url),
                "csv": format!("{}data/{name}.csv", self.lib.site.base_url),
            }));
        }
        let index = serde_json::json!({
            "title": { "ja": self.lib.site.title.ja, "en": self.lib.site.title.get(Lang::En) },
            "content_date": self.content_date.map(|d| d.to_string()),
            "collections": index,
        });
        let mut json = serde_json::to_string_pretty(&index).expect("JSON values serialize");
        json.push('\n');
        files.push(OutputFile {
            path: "data/index.json".into(),
            bytes: json.into_bytes(),
        });
        files
    }
}

/// Page numbers to link from page `current` of `pages`: the first, the
/// last and two either side of the current one, `None` marking a gap. A
/// constant number of links, so a list of 2,000 pages does not put 2,000
/// links on each of them.
fn page_numbers(current: usize, pages: usize) -> Vec<Option<usize>> {
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(pages);
    let mut numbers = Vec::new();
    for i in std::iter::once(1).chain(near).chain(std::iter::once(pages)) {
        match numbers.last() {
            Some(Some(last)) if i <= *last => continue,
            Some(Some(last)) if i > last + 1 => numbers.push(None),
            _ => {}
        }
        numbers.push(Some(i));
    }
    numbers
}

/// The static page of an approval facet option, where one exists.
fn approval_facet_path(facet_id: &str, key: &str) -> Option<String> {
    match (facet_id, key) {
        (facet::MODALITY, k) => Some(format!("approvals/modality/{k}/")),
        (facet::DISEASE, k) => Some(format!("approvals/disease/{k}/")),
        (facet::CATEGORY, k) => Some(format!("approvals/category/{k}/")),
        (facet::INTERNATIONAL, "yes") => Some("approvals/international/".into()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn pagination_links_stay_few() {
        let show = |current, pages| {
            super::page_numbers(current, pages)
                .iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(show(1, 3), "1 2 3");
        assert_eq!(show(1, 2000), "1 2 3 … 2000");
        assert_eq!(show(1000, 2000), "1 … 998 999 1000 1001 1002 … 2000");
        assert_eq!(show(2000, 2000), "1 … 1998 1999 2000");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(6090), "6,090");
        assert_eq!(thousands(40), "40");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}
