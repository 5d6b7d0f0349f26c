//! Everything rendering reads, computed once per build, and what a live
//! preview keeps of its last publish to make the next one cheaper.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use amed_model::explorer_format::Layout;
use amed_model::{Collection, Dataset, Lang, Library, PartialDate, Record};
use portal_content::history::History;
use portal_output::fingerprint::Fingerprint;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::descriptions::{Described, Descriptions, LastChanges, Subset};
use super::index::{CollectionIndex, Collections};
use super::job::Job;
use super::lists::{self, ListSpec};
use super::postings::SearchRanges;
use super::shared::{Assets, Shared};
use super::views::SearchedPrints;

/// Where each record lives: what internal links and related approvals
/// resolve against.
#[derive(Debug, Default)]
pub struct RecordMaps {
    /// Content file → (collection, id).
    pub(crate) by_file: FxHashMap<String, (Collection, String)>,
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
    pub(crate) records: Arc<Vec<Record>>,
    pub(crate) record_prints: Arc<Vec<Fingerprint>>,
    pub(crate) maps: Arc<RecordMaps>,
    pub(crate) collections: Collections,
    pub(crate) lists: Arc<Vec<ListSpec>>,
    pub(crate) global: Fingerprint,
    pub(crate) history: u128,
    pub(crate) last_changes: Arc<LastChanges>,
    pub(crate) record_jobs: Arc<Vec<Job>>,
    pub(crate) sitemap: Option<(Fingerprint, Arc<Vec<Job>>)>,
    /// Every output of the last publish that is not a record page.
    pub others: Option<rustc_hash::FxHashSet<String>>,
}

/// The last publish's record pages' jobs, and the positions of the
/// records replaced since.
pub(crate) type ReusedRecords = (Arc<Vec<Job>>, Vec<usize>);

/// Everything rendering reads, computed once per build.
pub struct Context<'a> {
    /// The checked content.
    pub lib: &'a Library,
    /// What every output reads: settings, taxonomies, assets, links.
    pub shared: Shared<'a>,
    /// Each collection, indexed.
    pub collections: &'a Collections,
    /// Every record, in library order.
    pub records: Arc<Vec<Record>>,
    /// Fingerprint of each of `records`.
    pub record_prints: Arc<Vec<Fingerprint>>,
    /// Each list of the site, per language.
    pub lists: Arc<Vec<ListSpec>>,
    pub(crate) maps: Arc<RecordMaps>,
    /// The content's version history.
    pub history: &'a History,
    /// How the explorer's index is cut into files.
    pub layout: Layout,
    /// Each collection's first document in the site's numbering.
    pub first_docs: BTreeMap<Collection, u32>,
    /// The search index of each document range, built when one of its
    /// buckets is rendered.
    pub search: SearchRanges,
    /// The prints of the search index's document ranges, made once.
    pub(crate) searched_prints: SearchedPrints,
    /// Where each list is, by language and path, made on first use.
    list_positions: std::sync::OnceLock<FxHashMap<(Lang, String), usize>>,
    pub(crate) content_date: Option<PartialDate>,
    /// What the descriptions of the datasets say besides their columns.
    pub descriptions: Arc<Descriptions>,
    /// The last publish's record pages' jobs and the records replaced
    /// since, when nothing else those pages read changed: taken by the
    /// plan, which plans only those records' pages again.
    pub(crate) reused_records: Mutex<Option<ReusedRecords>>,
    /// The last publish's sitemap jobs and the key they were made for.
    pub(crate) sitemap: Option<(Fingerprint, Arc<Vec<Job>>)>,
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
        let shared = Shared::new(lib, assets);
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
            Arc::new(LastChanges::of(lib, history))
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
            search: SearchRanges::default(),
            searched_prints: SearchedPrints::default(),
            list_positions: std::sync::OnceLock::new(),
            content_date: lib.content_date(),
            descriptions: Arc::new(Descriptions::new(lib, collections, last_changes)),
            reused_records: Mutex::new(
                changed
                    .filter(|_| same_inputs)
                    .map(|changed| (reuse.record_jobs, changed)),
            ),
            sitemap: same_inputs.then_some(reuse.sitemap).flatten(),
        };
        ctx.lists = if same_indexes && reuse.global == global {
            reuse.lists
        } else {
            Arc::new(lists::lists(collections))
        };
        ctx
    }

    /// The list at `path` in `lang`, if there is one.
    fn list_at(&self, lang: Lang, path: &str) -> Option<&ListSpec> {
        let positions = self.list_positions.get_or_init(|| {
            self.lists
                .iter()
                .enumerate()
                .map(|(i, l)| ((l.lang, l.path.clone()), i))
                .collect()
        });
        positions
            .get(&(lang, path.to_string()))
            .map(|&i| &self.lists[i])
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

    /// The index of `collection`.
    pub(crate) fn index(&self, collection: Collection) -> &CollectionIndex {
        &self.collections[&collection]
    }

    /// The published dataset of `collection`.
    pub(crate) fn dataset(&self, collection: Collection) -> &Dataset {
        &self.index(collection).dataset
    }

    /// The position of the approval `id` in the library.
    pub fn approval(&self, id: &str) -> Option<usize> {
        self.maps.approvals_by_id.get(id).copied()
    }

    /// What describing `collections` reads (without their subsets).
    pub fn described(&self, collections: &[Collection]) -> Described<'_> {
        Described {
            shared: &self.shared,
            descriptions: &self.descriptions,
            datasets: collections.iter().map(|&c| self.index(c).meta()).collect(),
            subsets: vec![],
        }
    }

    /// What describing every collection and subset file reads.
    pub fn described_with_subsets(&self) -> Described<'_> {
        let label = |path: &str, lang: Lang| {
            self.list_at(lang, path)
                .map(|l| l.label())
                .unwrap_or_default()
        };
        let subsets = self
            .lists
            .iter()
            .filter(|l| l.lang == Lang::Ja && l.has_data_files())
            .map(|l| Subset {
                collection: l.collection,
                path: &l.path,
                labels: Lang::ALL.map(|lang| label(&l.path, lang)),
                rows: l.matches.len(),
            })
            .collect();
        Described {
            subsets,
            ..self.described(&Collection::ALL)
        }
    }
}
