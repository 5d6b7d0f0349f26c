//! What a plan is made of: a job per output, its path, the fingerprint
//! of its inputs and which output of which family it is.

use std::sync::Arc;

use amed_model::{Collection, Lang};
use portal_output::fingerprint::Fingerprint;

use super::chart::ChartFile;
use super::rows::Format;

/// One output of the site and the fingerprint of its inputs.
#[derive(Debug, Clone)]
pub struct Job {
    /// Path in the output folder.
    pub path: String,
    /// Fingerprint of everything the output is made from.
    pub fingerprint: Fingerprint,
    /// What to render.
    pub output: Output,
}

/// One sitemap file.
#[derive(Debug, Hash)]
pub enum SitemapPart {
    /// A file of URLs: these pages, each in both languages.
    Urls(Vec<String>),
    /// The index of `n` parts.
    Index(usize),
}

/// What a job renders: a family and the key of one of its outputs. Each
/// variant's family is named where `plan.rs` ties them together
/// (`FamilyOutput`), which the compiler checks against the key's type.
#[derive(Debug, Clone)]
pub enum Output {
    /// A record's page: the record (index into `Context::records`) and
    /// the language.
    Record((usize, Lang)),
    /// A page of a list: the list (index into `Context::lists`) and the
    /// page (1-based).
    List((usize, usize)),
    /// The home page.
    Home(Lang),
    /// The KPI page.
    Kpis(Lang),
    /// The policy page.
    Policy(Lang),
    /// The not-found page.
    NotFound(Lang),
    /// A chart's numbers or drawing, to download.
    Chart((Lang, ChartFile)),
    /// The site's Atom feed.
    Feed(Lang),
    /// The Atom feed of a list that has one.
    ListFeed(usize),
    /// The iCalendar file of PPI events.
    Calendar(Lang),
    /// The iCalendar file of one PPI event (its position in the PPI
    /// dataset).
    EventCalendar((usize, Lang)),
    /// A sitemap file.
    Sitemap(Arc<SitemapPart>),
    /// `robots.txt`.
    Robots(()),
    /// The HTML sitemap.
    HtmlSitemap(Lang),
    /// A collection's open data.
    Data((Collection, Format)),
    /// The open data of a facet list.
    FacetData((usize, Format)),
    /// The open-data catalogue.
    DataIndex(()),
    /// The Frictionless Data Package.
    DataPackage(()),
    /// The DCAT catalogue.
    DataCatalog(()),
    /// The data dictionary page.
    DataDictionary(Lang),
    /// The host's header configuration (`_headers`).
    HostHeaders(()),
    /// The site search page.
    Search(Lang),
    /// The feeds page.
    Feeds(Lang),
    /// The explorer's core file of a collection.
    ExploreCore((Collection, Lang)),
    /// The explorer's title order of a collection.
    ExploreTitles((Collection, Lang)),
    /// A shard of the explorer's documents: the language and its number.
    ExploreDocs((Lang, u32)),
    /// The search manifest.
    ExploreManifest(()),
    /// A bucket of the search index: the range and the bucket.
    ExploreBucket((u32, u32)),
}

impl Output {
    /// Whether this is open data put together from rows.
    pub fn from_rows(&self) -> bool {
        matches!(self, Output::Data(..) | Output::FacetData(..))
    }
}
