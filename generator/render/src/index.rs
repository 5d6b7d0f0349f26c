//! A collection prepared for rendering: its published dataset, indexed by
//! the explorer's filtering core, and the fingerprints its views carry.

use std::collections::BTreeMap;
use std::sync::Arc;

use amed_model::explorer_format::{CollectionCore, Layout, TitleOrder};
use amed_model::{Collection, Dataset, Index, Lang, Library, Outcome, PartialDate, Query};
use portal_output::fingerprint::{Fingerprint, Fingerprinter};
use rayon::prelude::*;

use super::rows::{self as data};

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
    pub(crate) every: Vec<u32>,
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
            .with(&temporal_coverage(&dataset))
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

/// The range of dates of `dataset`'s records, or of their cited sources
/// when the records carry no dates, as an ISO 8601 interval.
pub fn temporal_coverage(dataset: &amed_model::Dataset) -> Option<String> {
    let dates: Vec<PartialDate> = dataset.records.iter().filter_map(|e| e.date).collect();
    let dates = if dates.is_empty() {
        dataset
            .records
            .iter()
            .flat_map(|e| e.sources.iter().map(|s| s.date))
            .collect()
    } else {
        dates
    };
    let (min, max) = (dates.iter().min()?, dates.iter().max()?);
    Some(if min == max {
        min.to_string()
    } else {
        format!("{min}/{max}")
    })
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
                let json = data::Format::Json
                    .stream(&index.dataset, &index.rows, &positions)
                    .into_bytes();
                assert_eq!(
                    String::from_utf8(json).unwrap(),
                    export::to_json(&subset),
                    "{collection:?} JSON of {positions:?}"
                );
                for (format, flavour) in [
                    (data::Format::Csv, CsvFlavour::Plain),
                    (data::Format::ExcelCsv, CsvFlavour::Excel),
                ] {
                    let csv = format
                        .stream(&index.dataset, &index.rows, &positions)
                        .into_bytes();
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
