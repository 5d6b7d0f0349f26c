//! Views of an indexed collection for declared inputs: each lets a
//! renderer read one part of a [`CollectionIndex`], and hashes as the
//! fingerprint of exactly that part, computed once when the collection is
//! indexed. A view's methods are the only way through it, so what they
//! return is what its fingerprint covers (rule 2 of [`super::inputs`]).

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use amed_model::explorer_format::{CollectionCore, Layout, TitleOrder};
use amed_model::export::Column;
use amed_model::{Collection, Entry, FacetSpec, FieldSpec, Lang, Outcome, PartialDate, Query};
use portal_output::fingerprint::{Fingerprint, Fingerprinter};
use std::ops::Range;
use std::sync::Arc;

use super::index::{CollectionIndex, Collections};
use super::rendered::Rendered;
use super::rows as data;
use std::ops::Deref;

/// A whole collection: its published data, rows, index and title order.
/// Fingerprint: every published entry, the facets, fields and content
/// date (everything else in the index is made from those).
pub type Whole<'c> = Printed<'c, CollectionIndex>;

impl CollectionIndex {
    /// All of it.
    pub fn whole(&self) -> Whole<'_> {
        Printed::new(self, self.published)
    }

    /// How it filters.
    pub fn shape(&self) -> Shape<'_> {
        Shape { index: self }
    }

    /// What describes it without its rows.
    pub fn meta(&self) -> Meta<'_> {
        Meta { index: self }
    }

    /// Its titles, summaries and classification words.
    pub fn texts(&self) -> Texts<'_> {
        Texts { index: self }
    }

    /// Its facets and extra fields.
    pub fn columns(&self) -> Columns<'_> {
        Columns { index: self }
    }

    /// Every entry, in dataset order.
    pub fn all_rows(&self) -> Rows<'_> {
        self.rows(&self.every[..])
    }

    /// The entries at `positions` (dataset positions).
    pub fn rows<'c>(&'c self, positions: impl Into<Cow<'c, [u32]>>) -> Rows<'c> {
        let positions = positions.into();
        let prints: Vec<Fingerprint> = positions
            .iter()
            .map(|&i| self.entries[i as usize])
            .collect();
        Rows {
            index: self,
            positions,
            print: Fingerprinter::new()
                .with(&prints)
                .with(&self.meta)
                .finish128(),
        }
    }
}

/// How a collection filters: which records carry which option and their
/// dates (with the content date, which decides upcoming and past), and
/// the facets. Fingerprint: [`CollectionIndex::shape`].
#[derive(Clone, Copy)]
pub struct Shape<'c> {
    index: &'c CollectionIndex,
}

impl<'c> Shape<'c> {
    /// The collection.
    pub fn collection(&self) -> Collection {
        self.index.dataset.collection
    }

    /// Its facets, in display order.
    pub fn facets(&self) -> &'c [FacetSpec] {
        &self.index.dataset.facets
    }

    /// How many records it has.
    pub fn len(&self) -> usize {
        self.index.dataset.records.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// No filter: every record in list order, and option counts.
    pub fn unfiltered(&self) -> &'c Outcome {
        &self.index.unfiltered
    }

    /// The records and counts of `query`.
    pub fn evaluate(&self, query: &Query, lang: Lang) -> Outcome {
        self.index.index.evaluate(query, lang, None)
    }

    /// The explorer's core file of the collection in `lang`, its first
    /// record being document `first_doc` of the index cut as `layout`.
    pub fn core(&self, lang: Lang, first_doc: u32, layout: Layout) -> CollectionCore {
        CollectionCore::from_dataset(&self.index.dataset, lang, first_doc, layout)
    }

    /// Each record's date and facet membership, in dataset order.
    pub fn records(&self) -> impl Iterator<Item = Shaped<'c>> + 'c {
        self.index.dataset.records.iter().map(|e| Shaped(e))
    }
}

/// What [`Shape`] shows of one record: its date and facet membership.
#[derive(Clone, Copy)]
pub struct Shaped<'c>(&'c Entry);

impl<'c> Shaped<'c> {
    /// Its date.
    pub fn date(&self) -> Option<PartialDate> {
        self.0.date
    }

    /// Its keys of facet `facet`.
    pub fn keys(&self, facet: &str) -> impl Iterator<Item = &'c str> + 'c {
        self.0.keys(facet)
    }
}

impl Hash for Shape<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.shape.hash(state);
    }
}

/// What describes a collection without listing its rows: its columns
/// (with their `required` flags), facets, fields, licence, content date,
/// record count and temporal coverage. Fingerprint:
/// [`CollectionIndex::meta`].
#[derive(Clone, Copy)]
pub struct Meta<'c> {
    index: &'c CollectionIndex,
}

impl<'c> Meta<'c> {
    /// The collection.
    pub fn collection(&self) -> Collection {
        self.index.dataset.collection
    }

    /// How many records it has.
    pub fn len(&self) -> usize {
        self.index.dataset.records.len()
    }

    /// Whether it has none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Its facets.
    pub fn facets(&self) -> &'c [FacetSpec] {
        &self.index.dataset.facets
    }

    /// The columns of its open-data files.
    pub fn columns(&self) -> Vec<Column> {
        amed_model::export::csv_columns(&self.index.dataset)
    }

    /// The range of dates its records (or their sources) cover.
    pub fn temporal_coverage(&self) -> Option<String> {
        super::index::temporal_coverage(&self.index.dataset)
    }

    /// The date the content stands at.
    pub fn content_date(&self) -> Option<PartialDate> {
        self.index.dataset.content_date
    }
}

impl Hash for Meta<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.meta.hash(state);
    }
}

/// A collection's facets and extra fields (derived from the taxonomies).
/// Fingerprint: [`CollectionIndex::columns`].
#[derive(Clone, Copy)]
pub struct Columns<'c> {
    index: &'c CollectionIndex,
}

impl<'c> Columns<'c> {
    /// Its facets.
    pub fn facets(&self) -> &'c [FacetSpec] {
        &self.index.dataset.facets
    }

    /// Its extra fields.
    pub fn fields(&self) -> &'c [FieldSpec] {
        &self.index.dataset.fields
    }
}

impl Hash for Columns<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.columns.hash(state);
    }
}

/// Some records of a collection, in a given order, with what describes
/// the collection (their tags name its facets; their files its columns).
/// Fingerprint: each of their entries, and [`Meta`]'s.
#[derive(Clone)]
pub struct Rows<'c> {
    index: &'c CollectionIndex,
    positions: Cow<'c, [u32]>,
    print: Fingerprint,
}

impl<'c> Rows<'c> {
    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = &'c Entry> + '_ {
        let records = &self.index.dataset.records;
        self.positions.iter().map(move |&i| &*records[i as usize])
    }

    /// Each entry with its dataset position, in order.
    pub fn positioned(&self) -> impl Iterator<Item = (usize, &'c Entry)> + '_ {
        let records = &self.index.dataset.records;
        self.positions
            .iter()
            .map(move |&i| (i as usize, &*records[i as usize]))
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The collection's facets.
    pub fn facets(&self) -> &'c [FacetSpec] {
        &self.index.dataset.facets
    }

    /// The collection's description.
    pub fn meta(&self) -> Meta<'c> {
        self.index.meta()
    }

    /// Their open data in `format`.
    pub fn stream(&self, format: data::Format) -> Rendered<'c> {
        format.stream(&self.index.dataset, &self.index.rows, &self.positions)
    }
}

impl Hash for Rows<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

/// A collection's titles, summaries and classification words, in dataset
/// order. Fingerprint: [`CollectionIndex::text`].
#[derive(Clone, Copy)]
pub struct Texts<'c> {
    index: &'c CollectionIndex,
}

impl Texts<'_> {
    /// The order of its records by title in `lang`.
    pub fn title_order(&self, lang: Lang) -> Arc<TitleOrder> {
        self.index.title_order(lang)
    }
}

impl Hash for Texts<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.index.text.hash(state);
    }
}

/// A run of documents of the explorer's numbering (which goes through the
/// collections in order): the records at `range` of each collection.
type Parts<'c> = Vec<(&'c CollectionIndex, Range<usize>)>;

/// The parts of documents `first..first + count` of `collections`, whose
/// first documents are `first_docs`.
fn parts<'c>(
    collections: &'c Collections,
    first_docs: &std::collections::BTreeMap<Collection, u32>,
    first: u32,
    count: usize,
) -> Parts<'c> {
    let end = first as usize + count;
    collections
        .iter()
        .filter_map(|(c, index)| {
            let start = first_docs[c] as usize;
            let len = index.entries.len();
            let from = (first as usize).max(start) - start;
            let to = end.clamp(start, start + len) - start;
            (from < to).then(|| (&**index, from..to))
        })
        .collect()
}

/// Whole entries of a run of documents, each with its collection's
/// facets. Fingerprint: each entry's.
pub struct Documents<'c> {
    parts: Parts<'c>,
    print: Fingerprint,
}

impl<'c> Documents<'c> {
    /// Documents `first..first + count` of the site.
    pub fn new(
        collections: &'c Collections,
        first_docs: &std::collections::BTreeMap<Collection, u32>,
        first: u32,
        count: usize,
    ) -> Documents<'c> {
        let parts = parts(collections, first_docs, first, count);
        let mut print = Fingerprinter::new();
        for (index, range) in &parts {
            print = print.with(&index.entries[range.clone()]);
        }
        Documents {
            print: print.finish128(),
            parts,
        }
    }

    /// The entries, in numbering order.
    pub fn entries(&self) -> impl Iterator<Item = &'c Entry> + '_ {
        self.parts
            .iter()
            .flat_map(|(index, range)| index.dataset.records[range.clone()].iter().map(|e| &**e))
    }
}

impl Hash for Documents<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

/// The prints of the runs of documents [`Searched`] has made in one build,
/// by their first document.
#[derive(Debug, Default)]
pub struct SearchedPrints(std::sync::Mutex<rustc_hash::FxHashMap<u32, Fingerprint>>);

/// What search reads of a run of documents: each one's titles, summaries
/// and classification words. Fingerprint: each one's
/// [`CollectionIndex::texts`].
pub struct Searched<'c> {
    parts: Parts<'c>,
    print: Fingerprint,
}

impl<'c> Searched<'c> {
    /// Documents `first..first + count` of the site.
    /// Documents `first..first + count` of the site; their print is
    /// made once per build and kept in `prints` (a range has a bucket
    /// file per gram bucket, each reading the whole range).
    pub fn new(
        collections: &'c Collections,
        first_docs: &std::collections::BTreeMap<Collection, u32>,
        (first, count): (u32, usize),
        prints: &SearchedPrints,
    ) -> Searched<'c> {
        let parts = parts(collections, first_docs, first, count);
        let known = prints.0.lock().ok().and_then(|p| p.get(&first).copied());
        let print = known.unwrap_or_else(|| {
            let mut print = Fingerprinter::new();
            for (index, range) in &parts {
                print = print.with(&index.texts[range.clone()]);
            }
            let print = print.finish128();
            if let Ok(mut prints) = prints.0.lock() {
                prints.insert(first, print);
            }
            print
        });
        Searched { print, parts }
    }

    /// What each document is searched by: its titles, and the rest
    /// ([`amed_model::explore::search_texts`]), in numbering order.
    pub fn texts(&self) -> impl Iterator<Item = [Vec<&'c str>; 2]> + '_ {
        self.parts.iter().flat_map(|(index, range)| {
            let facets = &index.dataset.facets;
            index.dataset.records[range.clone()]
                .iter()
                .map(move |e| amed_model::explore::search_texts(e, facets))
        })
    }
}

impl Hash for Searched<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}

/// A borrowed value with a fingerprint of it computed once: hashing the
/// view hashes the fingerprint, not the value.
pub struct Printed<'c, T: ?Sized> {
    value: &'c T,
    print: Fingerprint,
}

impl<'c, T: ?Sized> Printed<'c, T> {
    /// `value` with `print`, which must be a fingerprint of all of it.
    pub(crate) fn new(value: &'c T, print: Fingerprint) -> Self {
        Printed { value, print }
    }

    /// The value, for the lifetime of the context.
    pub fn get(&self) -> &'c T {
        self.value
    }
}

impl<T: ?Sized> Clone for Printed<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: ?Sized> Copy for Printed<'_, T> {}

impl<T: ?Sized> Deref for Printed<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.value
    }
}

impl<T: ?Sized> Hash for Printed<'_, T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.print.hash(state);
    }
}
