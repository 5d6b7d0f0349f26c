//! Stage 3, render: the checked [`Library`] to pages, feeds, sitemap and
//! open data, one output at a time.
//!
//! Rendering is planned first: [`plan`] lists every output of the site as
//! a [`Job`] with the fingerprint of its declared inputs (the records it
//! shows, the collection summaries lists and facets read, site settings,
//! taxonomies and the generator itself). The writer renders only jobs whose
//! fingerprint changed, so the cost of a build follows the change, not the
//! site. Each output family has its own module: [`chrome`] (what every page
//! shares), [`record`], [`list`], [`policy`] (home, KPIs, policy, 404),
//! [`feed`], [`sitemap`], [`data`] and [`host`] (response headers). Nothing here touches the file system.

pub mod calendar;
pub mod catalog;
pub mod chart;
pub mod chrome;
pub mod data;
pub mod explore;
pub mod feed;
pub mod host;
pub mod list;
pub mod policy;
pub mod record;
pub mod search;
pub mod sitemap;
pub mod templates;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use amed_model::explorer_format::{CollectionCore, Layout};
use amed_model::{Collection, Dataset, Index, Lang, Library, Outcome, PartialDate, Query, Record};
use rayon::prelude::*;

use crate::error::BuildError;
use crate::fingerprint::{Fingerprint, Fingerprinter, generator_identity};
use crate::history::History;
use crate::routes;

pub use list::PAGE_SIZE;

pub use host::CONTENT_SECURITY_POLICY;

/// Where `portal serve` serves its live-reload script, from the site root.
pub const LIVE_RELOAD_SCRIPT: &str = "__live-reload.js";

/// A file of the finished site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path with `/` separators, e.g. `approvals/delytact/index.html`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}

/// Built assets the pages link to.
#[derive(Debug, Clone, Default, Hash)]
pub struct Assets {
    /// The explorer's entry module, relative to the site root, if built.
    pub explorer_js: Option<String>,
    /// The explorer's WebAssembly module, relative to the site root, if built.
    pub explorer_wasm: Option<String>,
    /// Include the live-reload script of `portal serve` (never in builds
    /// for deployment).
    pub live_reload: bool,
}

/// A collection prepared for rendering: its published dataset indexed by
/// the explorer's filtering core, and fingerprints of what lists read.
#[derive(Debug)]
pub struct CollectionIndex {
    /// The published dataset.
    pub dataset: Dataset,
    /// The dataset, indexed.
    pub index: Index,
    /// No filter: every record in list order, and option counts.
    pub unfiltered: Outcome,
    /// One per dataset record: what a list row shows of it.
    pub entries: Vec<Fingerprint>,
    /// What every list page of the collection shows besides its rows:
    /// the record count and the option counts.
    pub summary: Fingerprint,
    /// The whole published dataset.
    pub published: Fingerprint,
    /// What describes the dataset without listing its rows: columns (with
    /// their `required` flags), facets, licence, content date, record count
    /// and temporal coverage (what the data package, DCAT, the dictionary
    /// and the subsets' headers read).
    pub meta: Fingerprint,
    /// What the explorer's core file holds: dates and facet membership.
    pub shape: Fingerprint,
    /// Titles and summaries: what the title order and search read.
    pub text: Fingerprint,
    /// The same, per record.
    pub texts: Vec<Fingerprint>,
    /// Characters of searchable text (titles and summaries), for sizing
    /// the search index.
    pub text_chars: usize,
}

impl CollectionIndex {
    /// Indexes `collection` of `lib`.
    pub fn new(lib: &Library, collection: Collection) -> CollectionIndex {
        let dataset = dataset_of(lib, collection);
        let core = CollectionCore::from_dataset(&dataset, Lang::Ja, 0, Layout::for_text(0, 0));
        let index = Index::from_core(core, today(lib));
        let unfiltered = index.evaluate(&Query::default(), Lang::Ja, None);
        let records = &dataset.records;
        // One pass over the records for everything each of them feeds.
        let per_record: Vec<EntryPrints> = records.par_iter().map(EntryPrints::of).collect();
        let entries: Vec<Fingerprint> = per_record.iter().map(|r| r.entry).collect();
        let summary = Fingerprinter::new()
            .with(&records.len())
            .with(&unfiltered.counts)
            .finish128();
        let published = Fingerprinter::new()
            .with(&entries)
            .with(&dataset.content_date)
            .with(&dataset.facets)
            .with(&dataset.fields)
            .finish128();
        // What the descriptions show, computed as they compute it: the
        // columns with their `required` flags and the temporal coverage
        // (from record dates, or from source dates where records have none).
        let meta = Fingerprinter::new()
            .with(&dataset.facets)
            .with(&dataset.fields)
            .with(&dataset.content_date)
            .with(&dataset.license)
            .with(&records.len())
            .with(&amed_model::export::csv_columns(&dataset))
            .with(&catalog::temporal_coverage(&dataset))
            .finish128();
        let shapes: Vec<Fingerprint> = per_record.iter().map(|r| r.shape).collect();
        let shape = Fingerprinter::new()
            .with(&shapes)
            .with(&dataset.facets)
            .finish128();
        let texts: Vec<Fingerprint> = per_record.iter().map(|r| r.text).collect();
        let text = Fingerprinter::new().with(&texts).finish128();
        let text_chars = per_record.iter().map(|r| r.text_chars).sum();
        CollectionIndex {
            dataset,
            index,
            unfiltered,
            entries,
            summary,
            published,
            meta,
            shape,
            text,
            texts,
            text_chars,
        }
    }
}

/// What one record of a collection feeds into the fingerprints of
/// [`CollectionIndex`].
struct EntryPrints {
    /// The whole entry.
    entry: Fingerprint,
    /// Its date and facet values (the explorer's core).
    shape: Fingerprint,
    /// Its titles and summaries (title order and search index).
    text: Fingerprint,
    /// Characters of its searchable text.
    text_chars: usize,
}

impl EntryPrints {
    fn of(e: &amed_model::Entry) -> EntryPrints {
        EntryPrints {
            entry: Fingerprint::of(e),
            shape: Fingerprinter::new()
                .with(&e.date)
                .with(&e.facets)
                .finish128(),
            text: Fingerprinter::new()
                .with(&e.title)
                .with(&e.summary)
                .finish128(),
            text_chars: amed_model::explore::search_texts(e)
                .iter()
                .flatten()
                .map(|t| t.chars().count())
                .sum(),
        }
    }
}

/// The published dataset of `collection`, its entries built in parallel:
/// an entry depends only on its record, the site and the taxonomies.
fn dataset_of(lib: &Library, collection: Collection) -> Dataset {
    let parts = rayon::current_num_threads() * 4;
    let size = lib.count(collection).div_ceil(parts).max(1024);
    dataset_in_parts(lib, collection, size)
}

/// [`Dataset::from_library`], computed over slices of `size` records at
/// once and joined in order.
fn dataset_in_parts(lib: &Library, collection: Collection, size: usize) -> Dataset {
    let count = lib.count(collection);
    let date = lib.content_date();
    let size = size.max(1);
    let mut chunks: Vec<Dataset> = (0..count.div_ceil(size).max(1))
        .into_par_iter()
        .map(|n| Dataset::from_library_part(lib, collection, n * size..(n + 1) * size, date))
        .collect();
    let mut dataset = chunks.remove(0);
    for chunk in chunks {
        dataset.records.extend(chunk.records);
    }
    dataset
}

/// Every collection, indexed.
pub type Collections = BTreeMap<Collection, Arc<CollectionIndex>>;

/// Indexes every collection of `lib`, in parallel.
pub fn index_collections(lib: &Library) -> Collections {
    Collection::ALL
        .par_iter()
        .map(|&c| (c, Arc::new(CollectionIndex::new(lib, c))))
        .collect()
}

/// Only PPI's upcoming/past depends on today, and static pages do not
/// show it; the content date keeps the build reproducible.
fn today(lib: &Library) -> PartialDate {
    lib.content_date()
        .unwrap_or_else(|| PartialDate::ymd(1970, 1, 1).expect("a real date"))
}

/// Everything rendering reads, computed once per build.
pub struct Context<'a> {
    /// The checked content.
    pub lib: &'a Library,
    /// Where the site is deployed.
    pub site: routes::Site,
    /// Built assets.
    pub assets: &'a Assets,
    /// Each collection, indexed.
    pub collections: &'a Collections,
    /// Every record, in library order.
    pub records: Vec<Record>,
    /// Fingerprint of each of `records`.
    pub record_prints: Vec<Fingerprint>,
    /// Each list of the site, per language.
    pub lists: Vec<list::ListSpec>,
    /// Content file → (collection, id), to resolve internal links.
    by_file: FxHashMap<&'a str, (Collection, &'a str)>,
    approvals_by_id: FxHashMap<&'a str, usize>,
    /// The content's version history.
    pub history: &'a History,
    /// How the explorer's index is cut into files.
    pub layout: Layout,
    /// Each collection's first document in the site's numbering.
    pub first_docs: BTreeMap<Collection, u32>,
    /// The search index of each document range, built when one of its
    /// buckets is rendered.
    pub search: explore::SearchRanges,
    content_date: Option<PartialDate>,
    /// The plain CSV of tables whose Excel twin is still to be rendered.
    csv: data::CsvTables,
    /// What every output depends on: generator, settings, taxonomies,
    /// assets and the pages linked from the navigation.
    global: Fingerprint,
}

/// Fingerprints of the records of a build, kept by a live preview so the
/// next build fingerprints only the records an edit replaced.
#[derive(Debug, Default, Clone)]
pub struct RecordPrints(Vec<(Record, Fingerprint)>);

impl RecordPrints {
    /// The fingerprint of `record`, the `i`-th record of the library.
    fn of(&self, i: usize, record: &Record) -> Fingerprint {
        match self.0.get(i) {
            Some((known, print)) if known.is_same(record) => *print,
            _ => Fingerprint::of(record),
        }
    }
}

impl<'a> Context<'a> {
    /// Prepares rendering of `lib`.
    pub fn new(
        lib: &'a Library,
        assets: &'a Assets,
        collections: &'a Collections,
        history: &'a History,
    ) -> Self {
        Context::reusing(lib, assets, collections, &RecordPrints::default(), history)
    }

    /// Prepares rendering of `lib`, taking the fingerprints of records
    /// that are still the same shared values from `known`.
    pub fn reusing(
        lib: &'a Library,
        assets: &'a Assets,
        collections: &'a Collections,
        known: &RecordPrints,
        history: &'a History,
    ) -> Self {
        let records: Vec<Record> = lib.records().collect();
        let record_prints = records
            .par_iter()
            .enumerate()
            .map(|(i, r)| known.of(i, r))
            .collect();
        let by_file = lib
            .documents()
            .map(|(c, d)| (d.file.as_str(), (c, d.id.as_str())))
            .collect();
        let approvals_by_id = lib
            .approvals
            .iter()
            .enumerate()
            .map(|(i, a)| (a.doc.id.as_str(), i))
            .collect();
        let nav: Vec<bool> = chrome::NAV_PAGES
            .iter()
            .chain(&chrome::FOOTER_PAGES)
            .map(|(id, _)| lib.pages.iter().any(|p| p.doc.id == *id))
            .collect();
        let global = Fingerprinter::new()
            .with(&generator_identity())
            .with(&lib.site)
            .with(&lib.taxonomies)
            .with(assets)
            .with(&nav)
            .finish128();
        let mut first_docs = BTreeMap::new();
        let mut docs = 0u32;
        for (c, index) in collections {
            first_docs.insert(*c, docs);
            docs += index.entries.len() as u32;
        }
        let layout = Layout::for_text(
            docs as usize,
            collections.values().map(|c| c.text_chars).sum(),
        );
        let mut ctx = Context {
            lib,
            site: routes::Site::new(&lib.site),
            assets,
            collections,
            records,
            record_prints,
            lists: vec![],
            by_file,
            approvals_by_id,
            history,
            layout,
            first_docs,
            search: explore::SearchRanges::default(),
            content_date: lib.content_date(),
            csv: data::CsvTables::default(),
            global,
        };
        ctx.lists = list::lists(&ctx);
        ctx
    }

    /// The fingerprints of this build's records, for the next build.
    pub fn record_prints(&self) -> RecordPrints {
        RecordPrints(
            self.records
                .iter()
                .cloned()
                .zip(self.record_prints.iter().copied())
                .collect(),
        )
    }

    /// A fingerprint builder seeded with what every output depends on.
    fn print(&self, family: &str) -> Fingerprinter {
        Fingerprinter::new().with(&self.global).with(family)
    }

    /// The KPI counting the whole of which `collection` is a selection.
    pub fn selection_total(&self, collection: Collection) -> Option<&amed_model::Kpi> {
        self.lib
            .kpis
            .iter()
            .find(|k| k.total_of == Some(collection))
            .map(|k| &**k)
    }

    fn index(&self, collection: Collection) -> &CollectionIndex {
        &self.collections[&collection]
    }

    fn dataset(&self, collection: Collection) -> &Dataset {
        &self.index(collection).dataset
    }

    /// The page of the record stored in content `file`.
    fn resolve_link(&self, lang: Lang, file: &str) -> Option<String> {
        self.by_file
            .get(file)
            .map(|(c, id)| self.site.href(lang, &c.record_path(id)))
    }

    /// Where the records a document links to live: part of the inputs of
    /// every output that renders its body.
    fn link_targets(&self, doc: &amed_model::Document) -> Vec<Option<(Collection, &str)>> {
        doc.links
            .iter()
            .map(|file| self.by_file.get(file.as_str()).copied())
            .collect()
    }
}

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

/// What a job renders.
#[derive(Debug, Clone)]
pub enum Output {
    /// A record's page: index into [`Context::records`].
    Record(usize, Lang),
    /// Page `page` (1-based) of list `list` (index into [`Context::lists`]).
    List {
        /// The list.
        list: usize,
        /// The page.
        page: usize,
    },
    /// The home page.
    Home(Lang),
    /// The KPI page.
    Kpis(Lang),
    /// The policy page.
    Policy(Lang),
    /// The not-found page.
    NotFound(Lang),
    /// The Atom feed.
    Feed(Lang),
    /// The Atom feed of a facet list (index into [`Context::lists`]).
    ListFeed(usize),
    /// The iCalendar file of PPI events.
    Calendar(Lang),
    /// A sitemap file.
    Sitemap(Arc<sitemap::SitemapPart>),
    /// `robots.txt`.
    Robots,
    /// A collection's open data.
    Data(Collection, data::Format),
    /// The open data of a facet list (index into [`Context::lists`]).
    FacetData(usize, data::Format),
    /// The open-data catalogue.
    DataIndex,
    /// The Frictionless Data Package.
    DataPackage,
    /// The DCAT catalogue.
    DataCatalog,
    /// The data dictionary page.
    DataDictionary(Lang),
    /// The host's header configuration (`_headers`).
    HostHeaders,
    /// The HTML sitemap.
    HtmlSitemap(Lang),
    /// The site search page.
    Search(Lang),
    /// A file of the explorer's index.
    Explore(explore::ExploreFile),
}

/// Every output of the site, with fingerprints, in a stable order.
pub fn plan(ctx: &Context<'_>) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..ctx.records.len())
        .into_par_iter()
        .flat_map_iter(|i| Lang::ALL.map(|lang| record::job(ctx, i, lang)))
        .collect();
    jobs.extend(list::jobs(ctx));
    for lang in Lang::ALL {
        jobs.extend(policy::jobs(ctx, lang));
        jobs.push(feed::job(ctx, lang));
        jobs.push(sitemap::html_job(ctx, lang));
        jobs.push(calendar::job(ctx, lang));
        jobs.push(search::job(ctx, lang));
    }
    jobs.extend(feed::list_jobs(ctx));
    jobs.extend(data::jobs(ctx));
    jobs.extend(catalog::jobs(ctx));
    jobs.extend(explore::jobs(ctx));
    let pages: Vec<&str> = jobs
        .iter()
        .filter_map(|j| j.path.strip_suffix("index.html"))
        .filter(|p| !p.starts_with("en/"))
        .collect();
    let maps = sitemap::jobs(ctx, pages);
    jobs.extend(maps);
    jobs.push(sitemap::robots_job(ctx));
    jobs.push(host::job(ctx));
    jobs
}

/// Renders one output.
pub fn render(ctx: &Context<'_>, job: &Job) -> Result<Vec<u8>, BuildError> {
    let text = match &job.output {
        Output::Record(i, lang) => record::render(ctx, &ctx.records[*i], *lang)?,
        Output::List { list, page } => list::render(ctx, &ctx.lists[*list], *page)?,
        Output::Home(lang) => policy::home(ctx, *lang)?,
        Output::Kpis(lang) => policy::kpis(ctx, *lang)?,
        Output::Policy(lang) => policy::policy(ctx, *lang)?,
        Output::NotFound(lang) => policy::not_found(ctx, *lang)?,
        Output::Feed(lang) => feed::render(ctx, *lang)?,
        Output::ListFeed(list) => feed::render_list(ctx, *list)?,
        Output::Calendar(lang) => calendar::render(ctx, *lang),
        Output::Sitemap(part) => sitemap::render(ctx, part)?,
        Output::Robots => sitemap::robots(ctx),
        Output::Data(collection, format) => return Ok(data::render(ctx, *collection, *format)),
        Output::FacetData(list, format) => return Ok(data::render_facet(ctx, *list, *format)),
        Output::DataIndex => data::index(ctx),
        Output::DataPackage => catalog::datapackage(ctx),
        Output::DataCatalog => catalog::dcat(ctx),
        Output::DataDictionary(lang) => catalog::dictionary(ctx, *lang)?,
        Output::HostHeaders => host::render(ctx),
        Output::HtmlSitemap(lang) => sitemap::html(ctx, *lang)?,
        Output::Search(lang) => search::render(ctx, *lang)?,
        Output::Explore(file) => return Ok(explore::render(ctx, file)),
    };
    Ok(text.into_bytes())
}

/// Renders the whole site in memory (tests and small sites; builds stream
/// through [`crate::write`] instead).
pub fn render_all(lib: &Library, assets: &Assets) -> Result<Vec<OutputFile>, BuildError> {
    let collections = index_collections(lib);
    let history = History::default();
    let ctx = Context::new(lib, assets, &collections, &history);
    let mut files: Vec<OutputFile> = plan(&ctx)
        .par_iter()
        .map(|job| {
            Ok(OutputFile {
                path: job.path.clone(),
                bytes: render(&ctx, job)?,
            })
        })
        .collect::<Result<_, BuildError>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dataset_built_in_parts_equals_the_whole() {
        let content = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let lib = crate::check(&content, None).expect("the shipped content is valid");
        for collection in Collection::ALL {
            let whole = Dataset::from_library(&lib, collection);
            assert!(
                whole.records.len() > 1,
                "{collection:?} has records to split"
            );
            for size in [1, 2, 3] {
                assert_eq!(
                    dataset_in_parts(&lib, collection, size),
                    whole,
                    "{collection:?} in parts of {size}"
                );
            }
        }
    }
}
