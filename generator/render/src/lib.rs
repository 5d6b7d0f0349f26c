//! Stage 3, render: the checked [`Library`] to pages, feeds, sitemap and
//! open data, one output at a time.
//!
//! Rendering is planned first: [`plan`] lists every output of the site as
//! a [`Job`] with the fingerprint of its declared inputs, and the writer
//! renders only jobs whose fingerprint changed, so the cost of a build
//! follows the change, not the site. Each output family implements
//! [`inputs::Family`]: its `Inputs` is everything one output reads (the
//! fingerprint is its hash) and its render function sees nothing else
//! ([`inputs`] states the rules, [`views`] holds the views of a
//! collection an output may read). One module per output family:
//! [`record`], [`list`] (with [`narrow`]), [`policy`] (home, KPIs,
//! policy, 404), [`feed`], [`calendar`], [`sitemap`], [`search`],
//! [`subscribe`], [`data`], [`catalog`], [`explore`] and [`host`];
//! [`chrome`], [`facts`] and [`chart`] help them. Nothing here touches the
//! file system.

pub mod calendar;
pub mod catalog;
pub mod chart;
pub mod chrome;
pub mod data;
pub mod explore;
pub mod facts;
pub mod feed;
pub mod host;
pub mod inputs;
pub mod list;
pub mod narrow;
pub mod policy;
pub mod record;
pub mod search;
pub mod sitemap;
pub mod subscribe;
pub mod templates;
pub mod views;

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use amed_model::explorer_format::{CollectionCore, Layout, TitleOrder};
use amed_model::{Collection, Dataset, Index, Lang, Library, Outcome, PartialDate, Query, Record};
use rayon::prelude::*;

use portal_content::error::BuildError;
use portal_content::history::History;
pub use portal_output::OutputFile;
use portal_output::explorer::{App, AppModule, AppModules, ExplorerBundle};
use portal_output::fingerprint::{Fingerprint, Fingerprinter};

pub use list::PAGE_SIZE;

pub use host::CONTENT_SECURITY_POLICY;

/// Where `portal serve` serves its live-reload script, from the site root.
pub const LIVE_RELOAD_SCRIPT: &str = "__live-reload.js";

/// What rendering an output gives.
pub enum Rendered<'c> {
    /// Its bytes.
    Bytes(Vec<u8>),
    /// Its parts, emitted in order each time it is asked: a large
    /// open-data file, put together from rows, is hashed and written
    /// without ever being held whole.
    Streamed(Box<portal_output::write::Emit<'c>>),
}

impl Rendered<'_> {
    /// Its bytes, whole.
    pub fn into_bytes(self) -> Vec<u8> {
        match self {
            Rendered::Bytes(bytes) => bytes,
            Rendered::Streamed(emit) => {
                let mut bytes = Vec::new();
                emit(&mut |part| bytes.extend_from_slice(part));
                bytes
            }
        }
    }
}

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

/// A collection prepared for rendering: its published dataset indexed by
/// the explorer's filtering core, and fingerprints of what lists read.
#[derive(Debug)]
pub struct CollectionIndex {
    /// The published dataset.
    pub dataset: Dataset,
    /// The dataset, indexed (shared by a patched index when the dates and
    /// facets are the same).
    pub index: Arc<Index>,
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
    /// What the explorer's core file holds: dates and facet membership,
    /// with the facets and the content date.
    pub shape: Fingerprint,
    /// The facets and extra fields.
    pub columns: Fingerprint,
    /// Titles, summaries and classification words: what the title order
    /// and search read.
    pub text: Fingerprint,
    /// The same, per record.
    pub texts: Vec<Fingerprint>,
    /// Characters of searchable text (titles and summaries), for sizing
    /// the search index.
    pub text_chars: usize,
    /// Which records are sample data.
    pub samples: Fingerprint,
    /// What each record feeds into the fingerprints above.
    per_record: Vec<EntryPrints>,
    /// Each record's rows in the open-data files.
    pub rows: data::Rows,
    /// Every dataset position, in order.
    every: Vec<u32>,
    /// The title order in each language, once made.
    titles: [std::sync::OnceLock<Arc<TitleOrder>>; 2],
}

impl CollectionIndex {
    /// Indexes `collection` of `lib`. A live preview keeps the records'
    /// open-data rows for good (`keep_rows`), made now, so that a save
    /// makes only those of the records it changed; a build makes them as
    /// its files need them and lets them go once its open data is staged.
    pub fn new(lib: &Library, collection: Collection, keep_rows: bool) -> CollectionIndex {
        let dataset = dataset_of(lib, collection);
        let (index, unfiltered) = index_of(&dataset, today(lib));
        let per_record: Vec<EntryPrints> = dataset
            .records
            .par_iter()
            .map(|e| EntryPrints::of(e, &dataset.facets))
            .collect();
        let rows = data::Rows::new(dataset.records.len(), !keep_rows);
        if keep_rows {
            rows.warm(&dataset);
        }
        CollectionIndex::assemble(dataset, index, unfiltered, per_record, rows)
    }

    /// This index with the entries at `fresh` positions replaced (a live
    /// preview's save changed their records, which kept their places).
    /// The filtering index is kept when their dates and facets are the same.
    pub fn patched(
        &self,
        lib: &Library,
        fresh: Vec<(usize, Arc<amed_model::Entry>)>,
    ) -> CollectionIndex {
        let mut dataset = self.dataset.clone();
        let mut per_record = self.per_record.clone();
        let mut rows = self.rows.clone();
        let changed: Vec<usize> = fresh.iter().map(|(p, _)| *p).collect();
        let mut same_shape = true;
        for (position, entry) in fresh {
            rows.forget(position);
            let prints = EntryPrints::of(&entry, &dataset.facets);
            same_shape &= prints.shape == per_record[position].shape;
            per_record[position] = prints;
            dataset.records[position] = entry;
        }
        let (index, unfiltered) = if same_shape {
            (self.index.clone(), self.unfiltered.clone())
        } else {
            index_of(&dataset, today(lib))
        };
        let titles = self.titles.each_ref().map(|order| {
            let patched = std::sync::OnceLock::new();
            if let Some(known) = order.get() {
                let _ = patched.set(Arc::new(known.patched(&dataset, &changed)));
            }
            patched
        });
        CollectionIndex {
            titles,
            ..CollectionIndex::assemble(dataset, index, unfiltered, per_record, rows)
        }
    }

    /// The order of the records by title in `lang`, made once.
    pub fn title_order(&self, lang: Lang) -> Arc<TitleOrder> {
        let slot = &self.titles[usize::from(lang == Lang::En)];
        slot.get_or_init(|| Arc::new(TitleOrder::from_dataset(&self.dataset, lang)))
            .clone()
    }

    /// The index of `dataset` from its filtering index and each record's
    /// fingerprints.
    fn assemble(
        dataset: Dataset,
        index: Arc<Index>,
        unfiltered: Outcome,
        per_record: Vec<EntryPrints>,
        rows: data::Rows,
    ) -> CollectionIndex {
        let records = &dataset.records;
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
        // The content date decides which events are upcoming.
        let shape = Fingerprinter::new()
            .with(&shapes)
            .with(&dataset.facets)
            .with(&dataset.content_date)
            .finish128();
        let columns = Fingerprinter::new()
            .with(&dataset.facets)
            .with(&dataset.fields)
            .finish128();
        let texts: Vec<Fingerprint> = per_record.iter().map(|r| r.text).collect();
        let text = Fingerprinter::new().with(&texts).finish128();
        let text_chars = per_record.iter().map(|r| r.text_chars).sum();
        let samples: Vec<bool> = records.iter().map(|e| e.sample).collect();
        let samples = Fingerprint::of(&samples);
        let every = (0..records.len() as u32).collect();
        CollectionIndex {
            dataset,
            index,
            unfiltered,
            entries,
            summary,
            published,
            meta,
            shape,
            columns,
            text,
            texts,
            text_chars,
            samples,
            per_record,
            rows,
            every,
            titles: Default::default(),
        }
    }
}

/// The filtering index of `dataset` and its unfiltered outcome.
fn index_of(dataset: &Dataset, today: PartialDate) -> (Arc<Index>, Outcome) {
    let core = CollectionCore::from_dataset(dataset, Lang::Ja, 0, Layout::for_text(0, 0));
    let index = Index::from_core(core, today);
    let unfiltered = index.evaluate(&Query::default(), Lang::Ja, None);
    (Arc::new(index), unfiltered)
}

/// What one record of a collection feeds into the fingerprints of
/// [`CollectionIndex`].
#[derive(Debug, Clone)]
struct EntryPrints {
    /// The whole entry.
    entry: Fingerprint,
    /// Its date and facet values (the explorer's core).
    shape: Fingerprint,
    /// Its titles, summaries and classification words (title order and
    /// search index).
    text: Fingerprint,
    /// Characters of its searchable text.
    text_chars: usize,
}

impl EntryPrints {
    fn of(e: &amed_model::Entry, facets: &[amed_model::FacetSpec]) -> EntryPrints {
        let searched = amed_model::explore::search_texts(e, facets);
        EntryPrints {
            entry: Fingerprint::of(e),
            shape: Fingerprinter::new()
                .with(&e.date)
                .with(&e.facets)
                .finish128(),
            text: Fingerprint::of(&searched),
            text_chars: searched.iter().flatten().map(|t| t.chars().count()).sum(),
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
        .map(|&c| (c, Arc::new(CollectionIndex::new(lib, c, false))))
        .collect()
}

/// Only PPI's upcoming/past depends on today, and static pages do not
/// show it; the content date keeps the build reproducible.
fn today(lib: &Library) -> PartialDate {
    lib.content_date()
        .unwrap_or_else(|| PartialDate::ymd(1970, 1, 1).expect("a real date"))
}

/// Where each record lives: what internal links and related approvals
/// resolve against.
#[derive(Debug, Default)]
pub struct RecordMaps {
    /// Content file → (collection, id).
    by_file: FxHashMap<String, (Collection, String)>,
    /// Approval id → position in the library's approvals.
    approvals_by_id: FxHashMap<String, usize>,
}

impl RecordMaps {
    fn of(lib: &Library) -> RecordMaps {
        RecordMaps {
            by_file: lib
                .documents()
                .map(|(c, d)| (d.file.clone(), (c, d.id.clone())))
                .collect(),
            approvals_by_id: lib
                .approvals
                .iter()
                .enumerate()
                .map(|(i, a)| (a.doc.id.clone(), i))
                .collect(),
        }
    }
}

/// What a live preview keeps of its last publish so that the next one
/// redoes only what an edit touched: the records and their fingerprints,
/// where they live, the lists, the record pages' jobs, the sitemap's jobs
/// and the other outputs' paths. Each part is used only where what it was
/// made from is unchanged (shared records, indexes and settings).
#[derive(Default)]
pub struct Reuse {
    records: Arc<Vec<Record>>,
    record_prints: Arc<Vec<Fingerprint>>,
    maps: Arc<RecordMaps>,
    collections: Collections,
    lists: Arc<Vec<list::ListSpec>>,
    global: Fingerprint,
    history: u128,
    last_changes: Arc<catalog::LastChanges>,
    record_jobs: Arc<Vec<Job>>,
    sitemap: Option<(Fingerprint, Arc<Vec<Job>>)>,
    /// Every output of the last publish that is not a record page.
    pub others: Option<rustc_hash::FxHashSet<String>>,
}

/// Everything rendering reads, computed once per build.
pub struct Context<'a> {
    /// The checked content.
    pub lib: &'a Library,
    /// What every output reads: settings, taxonomies, assets, links.
    pub shared: inputs::Shared<'a>,
    /// Each collection, indexed.
    pub collections: &'a Collections,
    /// Every record, in library order.
    pub records: Arc<Vec<Record>>,
    /// Fingerprint of each of `records`.
    pub record_prints: Arc<Vec<Fingerprint>>,
    /// Each list of the site, per language.
    pub lists: Arc<Vec<list::ListSpec>>,
    maps: Arc<RecordMaps>,
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
    /// What the descriptions of the datasets say besides their columns.
    pub descriptions: Arc<catalog::Descriptions>,
    /// The record pages' jobs, two per record.
    record_jobs: Arc<Vec<Job>>,
    /// Which of `record_jobs` were planned anew; `None`: all of them.
    fresh: Option<Vec<usize>>,
    /// The last publish's sitemap jobs and the key they were made for.
    sitemap: Option<(Fingerprint, Arc<Vec<Job>>)>,
}

/// Each record's fingerprint: `before`'s, made again for the records at
/// `changed`, or all made anew when the records are not the same list.
fn record_prints(
    before: Arc<Vec<Fingerprint>>,
    records: &[Record],
    changed: Option<&[usize]>,
) -> Arc<Vec<Fingerprint>> {
    match changed {
        Some(changed) => {
            let mut prints = before;
            let prints_mut = Arc::make_mut(&mut prints);
            for &i in changed {
                prints_mut[i] = Fingerprint::of(&records[i]);
            }
            prints
        }
        None => Arc::new(records.par_iter().map(Fingerprint::of).collect()),
    }
}

/// The first explorer document of each collection, and the shard layout
/// of all of them.
fn document_layout(collections: &Collections) -> (BTreeMap<Collection, u32>, Layout) {
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
    (first_docs, layout)
}

/// Whether the lists of `before` still hold for `now`: they read each
/// collection's filtering index, sample flags and facets.
fn same_lists(before: &Collections, now: &Collections) -> bool {
    let same = |a: &CollectionIndex, b: &CollectionIndex| {
        Arc::ptr_eq(&a.index, &b.index)
            && a.samples == b.samples
            && a.dataset.facets == b.dataset.facets
    };
    before.len() == now.len()
        && now
            .iter()
            .all(|(c, index)| before.get(c).is_some_and(|i| same(i, index)))
}

/// Positions of the records of `new` that are not those of `old` (a
/// live preview's save replaces a few), or `None` if they are not the
/// same list apart from those.
fn replaced_positions(old: &[Record], new: &[Record]) -> Option<Vec<usize>> {
    if old.len() != new.len() {
        return None;
    }
    let changed: Vec<usize> = (0..new.len())
        .into_par_iter()
        .filter(|&i| !old[i].is_same(&new[i]))
        .collect();
    // Past a few, the records moved (a date edit reorders a collection):
    // plan everything again.
    (changed.len() <= 64).then_some(changed)
}

impl<'a> Context<'a> {
    /// Prepares rendering of `lib`.
    pub fn new(
        lib: &'a Library,
        assets: &'a Assets,
        collections: &'a Collections,
        history: &'a History,
    ) -> Self {
        Context::reusing(lib, assets, collections, Reuse::default(), history)
    }

    /// Prepares rendering of `lib`, taking from `reuse` (what the last
    /// publish of a live preview kept) whatever is still the same.
    pub fn reusing(
        lib: &'a Library,
        assets: &'a Assets,
        collections: &'a Collections,
        reuse: Reuse,
        history: &'a History,
    ) -> Self {
        let records: Vec<Record> = lib.records().collect();
        let changed = replaced_positions(&reuse.records, &records);
        let record_prints = record_prints(reuse.record_prints, &records, changed.as_deref());
        // The maps hold if every replaced record kept its file and id.
        let same_places = changed.as_ref().is_some_and(|changed| {
            changed.iter().all(|&i| {
                let (a, b) = (reuse.records[i].doc(), records[i].doc());
                a.file == b.file && a.id == b.id
            })
        });
        let maps = if same_places {
            reuse.maps
        } else {
            Arc::new(RecordMaps::of(lib))
        };
        let shared = inputs::Shared::new(lib, assets);
        let global = shared.print();
        let (first_docs, layout) = document_layout(collections);
        let same_indexes = same_lists(&reuse.collections, collections);
        let same_history = same_places && reuse.history == history.log();
        let same_inputs = same_history && reuse.global == global;
        // When each collection last changed: the same files with the same
        // history changed when they did.
        let last_changes = if same_history {
            reuse.last_changes
        } else {
            Arc::new(catalog::LastChanges::of(lib, history))
        };
        let mut ctx = Context {
            lib,
            shared,
            collections,
            records: Arc::new(records),
            record_prints,
            lists: Arc::default(),
            maps,
            history,
            layout,
            first_docs,
            search: explore::SearchRanges::default(),
            content_date: lib.content_date(),
            descriptions: Arc::new(catalog::Descriptions::new(lib, collections, last_changes)),
            record_jobs: Arc::default(),
            fresh: None,
            sitemap: same_inputs.then_some(reuse.sitemap).flatten(),
        };
        ctx.lists = if same_indexes && reuse.global == global {
            reuse.lists
        } else {
            Arc::new(list::lists(&ctx))
        };
        match changed.filter(|_| same_inputs) {
            Some(changed) => {
                let mut jobs = reuse.record_jobs;
                let fresh = record::replan(&ctx, Arc::make_mut(&mut jobs).as_mut_slice(), &changed);
                ctx.record_jobs = jobs;
                ctx.fresh = Some(fresh);
            }
            None => ctx.record_jobs = Arc::new(record::jobs(&ctx)),
        }
        ctx
    }

    /// What the next publish of a live preview can take from this one,
    /// `others` being the paths of every output that is not a record page.
    pub fn into_reuse(self, plan: Plan, others: rustc_hash::FxHashSet<String>) -> Reuse {
        drop(self.record_jobs);
        Reuse {
            records: self.records,
            record_prints: self.record_prints,
            maps: self.maps,
            collections: self.collections.clone(),
            lists: self.lists,
            global: self.shared.print(),
            history: self.history.log(),
            last_changes: self.descriptions.changed.clone(),
            record_jobs: plan.records,
            sitemap: Some(plan.sitemap),
            others: Some(others),
        }
    }

    /// The KPI counting the whole of which `collection` is a selection.
    pub fn selection_total(&self, collection: Collection) -> Option<&amed_model::Kpi> {
        self.lib
            .kpis
            .iter()
            .find(|k| k.total_of == Some(collection))
            .map(|k| &**k)
    }

    /// Lets a build's open-data rows go: its open data is staged.
    pub fn release_rows(&self) {
        for collection in Collection::ALL {
            self.index(collection).rows.release();
        }
    }

    fn index(&self, collection: Collection) -> &CollectionIndex {
        &self.collections[&collection]
    }

    fn dataset(&self, collection: Collection) -> &Dataset {
        &self.index(collection).dataset
    }

    /// The position of the approval `id` in the library.
    fn approval(&self, id: &str) -> Option<usize> {
        self.maps.approvals_by_id.get(id).copied()
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

inputs::outputs! {
    /// A record's page.
    Record => record::RecordPage,
    /// A page of a list.
    List => list::ListPage,
    /// The home page.
    Home => policy::HomePage,
    /// The KPI page.
    Kpis => policy::KpisPage,
    /// The policy page.
    Policy => policy::PolicyPage,
    /// The not-found page.
    NotFound => policy::NotFoundPage,
    /// A chart's numbers or drawing, to download.
    Chart => policy::ChartDownload,
    /// The site's Atom feed.
    Feed => feed::SiteFeed,
    /// The Atom feed of a list that has one.
    ListFeed => feed::ListFeed,
    /// The iCalendar file of PPI events.
    Calendar => calendar::Calendar,
    /// The iCalendar file of one PPI event.
    EventCalendar => calendar::EventCalendar,
    /// A sitemap file.
    Sitemap => sitemap::Sitemap,
    /// `robots.txt`.
    Robots => sitemap::Robots,
    /// The HTML sitemap.
    HtmlSitemap => sitemap::HtmlSitemap,
    /// A collection's open data.
    Data => data::DataFile,
    /// The open data of a facet list.
    FacetData => data::FacetData,
    /// The open-data catalogue.
    DataIndex => data::DataIndex,
    /// The Frictionless Data Package.
    DataPackage => catalog::DataPackage,
    /// The DCAT catalogue.
    DataCatalog => catalog::DataCatalog,
    /// The data dictionary page.
    DataDictionary => catalog::DataDictionary,
    /// The host's header configuration (`_headers`).
    HostHeaders => host::HostHeaders,
    /// The site search page.
    Search => search::SearchPage,
    /// The feeds page.
    Feeds => subscribe::FeedsPage,
    /// The explorer's core file of a collection.
    ExploreCore => explore::ExploreCore,
    /// The explorer's title order of a collection.
    ExploreTitles => explore::ExploreTitles,
    /// A shard of the explorer's documents.
    ExploreDocs => explore::ExploreDocs,
    /// The search manifest.
    ExploreManifest => explore::ExploreManifest,
    /// A bucket of the search index.
    ExploreBucket => explore::ExploreBucket,
}

/// Every output of the site, with fingerprints, in a stable order.
pub struct Plan {
    /// The record pages, two per record.
    pub records: Arc<Vec<Job>>,
    /// Which of `records` may differ from the last publish of a live
    /// preview; `None`: any of them.
    pub fresh: Option<Vec<usize>>,
    /// Every other output.
    pub others: Vec<Job>,
    /// The sitemap's jobs (also among `others`) and the key they hold for.
    sitemap: (Fingerprint, Arc<Vec<Job>>),
}

impl Plan {
    /// Every job, record pages first.
    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.records.iter().chain(&self.others)
    }

    /// The record pages' jobs that may have changed, then every other job.
    pub fn to_stage(&self) -> Vec<&Job> {
        let records: Vec<&Job> = match &self.fresh {
            Some(fresh) => fresh.iter().map(|&k| &self.records[k]).collect(),
            None => self.records.iter().collect(),
        };
        records.into_iter().chain(&self.others).collect()
    }
}

/// Plans every output of the site.
pub fn plan(ctx: &Context<'_>) -> Plan {
    let mut jobs = list::jobs(ctx);
    for lang in Lang::ALL {
        jobs.extend(policy::jobs(ctx, lang));
        jobs.push(feed::job(ctx, lang));
        jobs.push(sitemap::html_job(ctx, lang));
        jobs.extend(calendar::jobs(ctx, lang));
        jobs.push(search::job(ctx, lang));
        jobs.push(subscribe::job(ctx, lang));
    }
    jobs.extend(feed::list_jobs(ctx));
    jobs.extend(data::jobs(ctx));
    jobs.extend(catalog::jobs(ctx));
    jobs.extend(explore::jobs(ctx));
    let other_pages: Vec<&str> = pages(&jobs).collect();
    // The record pages are the same ones as last time when only their
    // contents were planned again.
    let key = Fingerprinter::new()
        .with(&ctx.shared)
        .with(&other_pages)
        .finish128();
    let sitemap = match &ctx.sitemap {
        Some((known, maps)) if *known == key && ctx.fresh.is_some() => maps.clone(),
        _ => {
            let mut all: Vec<&str> = pages(&ctx.record_jobs).collect();
            all.extend(other_pages);
            Arc::new(sitemap::jobs(ctx, all))
        }
    };
    jobs.extend(sitemap.iter().cloned());
    jobs.push(sitemap::robots_job(ctx));
    jobs.push(host::job(ctx));
    Plan {
        records: ctx.record_jobs.clone(),
        fresh: ctx.fresh.clone(),
        others: jobs,
        sitemap: (key, sitemap),
    }
}

/// The site paths of the Japanese pages among `jobs` (a page's English
/// twin is in the sitemap as its alternate).
fn pages(jobs: &[Job]) -> impl Iterator<Item = &str> {
    jobs.iter()
        .filter_map(|j| j.path.strip_suffix("index.html"))
        .filter(|p| !p.starts_with("en/"))
}

/// Renders one output, from its declared inputs.
pub fn render<'c>(ctx: &'c Context<'_>, job: &Job) -> Result<Rendered<'c>, BuildError> {
    job.output.render(ctx)
}

/// Renders the whole site in memory (tests and small sites; builds stream
/// through [`portal_output::write`] instead).
pub fn render_all(lib: &Library, assets: &Assets) -> Result<Vec<OutputFile>, BuildError> {
    let collections = index_collections(lib);
    let history = History::default();
    let ctx = Context::new(lib, assets, &collections, &history);
    let plan = plan(&ctx);
    let jobs: Vec<&Job> = plan.jobs().collect();
    let mut files: Vec<OutputFile> = jobs
        .par_iter()
        .map(|job| {
            Ok(OutputFile {
                path: job.path.clone(),
                bytes: render(&ctx, job)?.into_bytes(),
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
    fn open_data_put_together_from_rows_equals_the_whole_dataset_serialized() {
        use amed_model::export::{self, CsvFlavour};
        let content =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/showcase");
        let lib = portal_content::check(&content, None).expect("the shipped content is valid");
        let collections = index_collections(&lib);
        for (collection, index) in &collections {
            let n = index.dataset.records.len() as u32;
            // Every record, none, and a subset out of order.
            let every: Vec<u32> = (0..n).collect();
            let some: Vec<u32> = (0..n).rev().step_by(2).collect();
            for positions in [every, vec![], some] {
                let subset = index.dataset.subset(&positions);
                let json = data::Format::Json.stream(index, &positions).into_bytes();
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    export::to_json(&subset),
                    "{collection:?} JSON of {positions:?}"
                );
                for (format, flavour) in [
                    (data::Format::Csv, CsvFlavour::Plain),
                    (data::Format::ExcelCsv, CsvFlavour::Excel),
                ] {
                    let csv = format.stream(index, &positions).into_bytes();
                    assert_eq!(
                        String::from_utf8(csv).unwrap(),
                        export::to_csv_as(&subset, flavour),
                        "{collection:?} {format:?} of {positions:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_patched_title_order_equals_one_made_anew() {
        let content =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/showcase");
        let lib = portal_content::check(&content, None).expect("the shipped content is valid");
        let mut dataset = Dataset::from_library(&lib, Collection::Approvals);
        for lang in Lang::ALL {
            let before = TitleOrder::from_dataset(&dataset, lang);
            // First to last, last to first, one to a tie with another.
            let n = dataset.records.len();
            let tie = dataset.records[1].title.clone();
            let titles = [(0, "ｚｚｚ 最後へ"), (n - 1, "000 first"), (4, "")];
            for (i, title) in titles {
                let mut entry = (*dataset.records[i]).clone();
                entry.title = if title.is_empty() {
                    tie.clone()
                } else {
                    amed_model::Text::new(title, title)
                };
                dataset.records[i] = Arc::new(entry);
            }
            let changed: Vec<usize> = titles.iter().map(|(i, _)| *i).collect();
            assert_eq!(
                before.patched(&dataset, &changed),
                TitleOrder::from_dataset(&dataset, lang),
                "{lang:?}"
            );
            dataset = Dataset::from_library(&lib, Collection::Approvals);
        }
    }

    #[test]
    fn a_dataset_built_in_parts_equals_the_whole() {
        let content =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/showcase");
        let lib = portal_content::check(&content, None).expect("the shipped content is valid");
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
