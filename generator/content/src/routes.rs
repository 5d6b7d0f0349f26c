//! The URL scheme: where every page and file of the site lives, and the
//! names the site keeps for itself beside records.
//!
//! Paths here are site paths without language prefix or base path
//! (`approvals/delytact/`); [`Site`] turns them into root-relative links
//! and absolute URLs. Record paths come from the shared model
//! ([`Collection::record_path`]), because the explorer links to them too.

use amed_model::{Collection, Lang};

/// The longest id, in characters: an id is a folder name of the output
/// (`approvals/<id>/index.html`), and file systems limit those (255 bytes
/// on most; less inside archives and on some hosts).
pub const MAX_ID: usize = 80;

/// What is wrong with `id` as a record's id and file name, if anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BadId {
    /// Not only a-z, 0-9 and `-`.
    NotSlug,
    /// Longer than [`MAX_ID`].
    TooLong(usize),
    /// Starts with `-` (tools read it as an option).
    Option,
    /// A device name on Windows (`con`, `nul`, `com1`…).
    Device,
}

impl std::fmt::Display for BadId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BadId::NotSlug => f.write_str("use only a-z, 0-9 and -"),
            BadId::TooLong(n) => write!(
                f,
                "it is {n} characters long; ids are at most {MAX_ID}, as each becomes a folder name of the site"
            ),
            BadId::Option => f.write_str(
                "it starts with -, which command-line tools read as an option; start with a-z or 0-9",
            ),
            BadId::Device => f.write_str(
                "it is a device name on Windows (con, prn, aux, nul, com1–9, lpt1–9), so the site could not be copied there",
            ),
        }
    }
}

/// Whether `s` is a slug: non-empty `[a-z0-9-]`, so it can never escape the
/// output folder or need escaping in a URL.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Checks `id` as a record's id (and the name of its file and folder).
pub fn check_id(id: &str) -> Result<(), BadId> {
    let device = matches!(id, "con" | "prn" | "aux" | "nul")
        || ((id.starts_with("com") || id.starts_with("lpt"))
            && id.len() == 4
            && id.as_bytes()[3].is_ascii_digit());
    match () {
        _ if !is_slug(id) => Err(BadId::NotSlug),
        _ if id.chars().count() > MAX_ID => Err(BadId::TooLong(id.chars().count())),
        _ if id.starts_with('-') => Err(BadId::Option),
        _ if device => Err(BadId::Device),
        _ => Ok(()),
    }
}

/// The home page.
pub const HOME: &str = "";
/// The policy page: pillars, integrated projects and their mapping.
pub const POLICY: &str = "policy/";
/// The KPI page.
pub const KPIS: &str = "kpis/";
/// The approvals list.
pub const APPROVALS: &str = "approvals/";
/// The page static hosts serve for unknown paths.
pub const NOT_FOUND: &str = "404.html";
/// The Atom feed of approvals (per language).
pub const FEED: &str = amed_model::facet_pages::SITE_FEED;
/// The page that explains feeds and gives every feed's address.
pub const FEEDS: &str = amed_model::facet_pages::FEEDS_PAGE;
/// The sitemap, or the sitemap index past 50,000 URLs.
pub const SITEMAP: &str = "sitemap.xml";
/// Instructions for crawlers.
pub const ROBOTS: &str = "robots.txt";
/// Response headers for static hosts that read them (Netlify, Cloudflare Pages).
pub const HOST_HEADERS: &str = "_headers";
/// The catalogue of open-data files.
pub const DATA_INDEX: &str = "data/index.json";
/// The site's stylesheet.
pub const STYLESHEET: &str = "assets/site.css";
/// The site's icon.
pub const FAVICON: &str = "favicon.svg";
/// The HTML sitemap: every section, list and small collection's records.
pub const HTML_SITEMAP: &str = "sitemap/";
/// Whether the build writes twins (`<path>.gz`, `<path>.br`) beside the
/// file at `path`: the explorer's index (what the explorer's first answer
/// waits for), the stylesheet, feeds and sitemaps. The explorer's bundle
/// comes with its own twins, made once per bundle at the strongest
/// settings ([`crate::bundle`]). The open data is left to the host's own
/// compression: at 100,000 records it is hundreds of megabytes, and
/// compressing it again on every edit would cost seconds.
pub fn precompressed(path: &str) -> bool {
    path.starts_with("explore/") || path.ends_with(".xml") || path == STYLESHEET
}

/// Where the explorer's content-hashed bundle files start.
pub const EXPLORER_ASSETS: &str = "assets/explorer";

/// The site search page.
pub const SEARCH: &str = amed_model::search::PAGE;
/// The data dictionary: every open-data file's fields, from the schema.
pub const DATA_DICTIONARY: &str = "data/dictionary/";
/// The Frictionless Data Package describing every CSV.
pub const DATA_PACKAGE: &str = "data/datapackage.json";
/// The DCAT catalogue (JSON-LD) of every data file.
pub const DATA_CATALOG: &str = "data/catalog.jsonld";

/// Page `n` (1-based) of the list at `list`: `approvals/`, `approvals/page/2/`.
pub fn list_page(list: &str, n: usize) -> String {
    if n == 1 {
        list.to_string()
    } else {
        format!("{list}{PAGINATION}/{n}/")
    }
}

/// The folder name of the pages after the first of a list.
const PAGINATION: &str = "page";

/// The free page whose summary leads `collection`'s list, if the content
/// has it: `about-ppi` for `/ppi/`.
pub fn list_intro_page(collection: Collection) -> String {
    format!("about-{}", collection.dir())
}

/// A sitemap file of a sitemap index: `sitemap-1.xml`, …
pub fn sitemap_part(n: usize) -> String {
    format!("sitemap-{n}.xml")
}

/// The file name ending of each open-data format: `.json`, `.csv` (UTF-8
/// for tools), `.excel.csv` (UTF-8 with a byte-order mark for Excel).
pub const DATA_FORMATS: [&str; 3] = ["json", "csv", "excel.csv"];

/// The open-data file of the approvals on the facet page at `facet_page`
/// (`approvals/modality/antibody/` → `data/approvals/modality/antibody.json`).
pub fn facet_data_file(facet_page: &str, extension: &str) -> String {
    amed_model::facet_pages::data_file(facet_page, extension)
}

/// The Atom feed of the list at `list` (`approvals/modality/antibody/feed.xml`).
pub fn list_feed(list: &str) -> String {
    amed_model::facet_pages::feed_path(list)
}

/// The iCalendar file of PPI events (per language).
pub const PPI_CALENDAR: &str = "ppi/events.ics";

/// The iCalendar file of one event, beside its page (`record_path` ends in
/// `/`): `ppi/sample-workshop/event.ics`.
pub fn event_calendar(record_path: &str) -> String {
    format!("{record_path}event.ics")
}

/// The open-data file of a collection: `data/approvals.json`.
pub fn data_file(collection: Collection, extension: &str) -> String {
    format!("data/{}.{extension}", collection.dir())
}

/// The output file of the page at `path` in `lang`: `en/approvals/index.html`.
pub fn page_file(lang: Lang, path: &str) -> String {
    if path.ends_with(".html") {
        format!("{}{path}", lang.prefix())
    } else {
        format!("{}{path}index.html", lang.prefix())
    }
}

/// Ids that a record of `collection` cannot take, because the site puts
/// its own pages at the address such a record would get: the facet pages
/// and pagination beside approvals (`/approvals/international/`), the
/// sections and language folder beside free pages (`/policy/`, `/en/`).
pub fn reserved_ids(collection: Collection) -> Vec<&'static str> {
    match collection {
        Collection::Approvals | Collection::Seeds | Collection::Ppi => {
            let mut ids = amed_model::facet_pages::reserved_folders(collection);
            ids.push(PAGINATION);
            ids
        }
        Collection::Cases => vec![PAGINATION],
        Collection::Pillars | Collection::Projects | Collection::Kpis => vec![],
        Collection::Pages => vec![
            "approvals",
            "cases",
            "kpis",
            "policy",
            "seeds",
            "ppi",
            "en",
            "assets",
            "sitemap",
            "search",
            "explore",
            "feeds",
        ],
    }
}

/// Links and URLs of one build: where the site is deployed.
#[derive(Debug, Clone)]
pub struct Site {
    /// Absolute URL, ending in `/`.
    pub base_url: String,
    /// Its path part, for root-relative links (`/` or `/amed/`).
    pub base_path: String,
}

impl Site {
    /// The site deployed at `base_url`.
    pub fn new(site: &amed_model::Site) -> Site {
        Site {
            base_url: site.base_url.clone(),
            base_path: site.base_path().to_string(),
        }
    }

    /// Root-relative link to `path` in `lang`.
    pub fn href(&self, lang: Lang, path: &str) -> String {
        format!("{}{}{path}", self.base_path, lang.prefix())
    }

    /// Root-relative link to a file that exists once for both languages.
    pub fn asset(&self, path: &str) -> String {
        format!("{}{path}", self.base_path)
    }

    /// Absolute URL of `path` in `lang`.
    pub fn url(&self, lang: Lang, path: &str) -> String {
        format!("{}{}{path}", self.base_url, lang.prefix())
    }

    /// Absolute URL of a file that exists once for both languages.
    pub fn asset_url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The identifier of the dataset of the collection stored in folder
    /// `dir`, one for DCAT and for the schema.org blocks of both
    /// languages: `…/data/catalog.jsonld#approvals`.
    pub fn dataset_id(&self, dir: &str) -> String {
        format!("{}{DATA_CATALOG}#{dir}", self.base_url)
    }

    /// The identifier of the site as the publisher of its data.
    pub fn publisher_id(&self) -> String {
        format!("{}{DATA_CATALOG}#publisher", self.base_url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use amed_model::dataset::facet;

    #[test]
    fn facet_pages_and_pagination_are_reserved_beside_their_records() {
        use amed_model::facet_pages::{page_path, paged_facets};
        for collection in [Collection::Approvals, Collection::Seeds, Collection::Ppi] {
            let list = collection.list_path();
            let mut paths = vec![list_page(list, 2)];
            for facet_id in paged_facets(collection) {
                let key = if *facet_id == facet::INTERNATIONAL {
                    "yes"
                } else {
                    "x"
                };
                paths.extend(page_path(collection, &[(facet_id, key)]));
            }
            assert_eq!(paths.len(), paged_facets(collection).len() + 1);
            for path in paths {
                let first = path.trim_start_matches(list).split('/').next().unwrap();
                assert!(reserved_ids(collection).contains(&first), "{path}");
            }
        }
    }

    #[test]
    fn page_files() {
        assert_eq!(page_file(Lang::Ja, ""), "index.html");
        assert_eq!(page_file(Lang::En, "approvals/"), "en/approvals/index.html");
        assert_eq!(page_file(Lang::En, NOT_FOUND), "en/404.html");
    }
}
