//! The explorer's index: the files the generator writes under `explore/`
//! for the explorer and site search, separate from the open data.
//!
//! What a first answer needs comes first and small; the rest is fetched
//! only when a reader needs it:
//! - [`CollectionCore`], one per collection and language: facets, which
//!   records carry each option, dates. Enough to filter, count and sort by date;
//! - [`TitleOrder`]: the order by title, fetched when a reader sorts by it;
//! - [`DocShard`]s of [`Layout::shard_size`] documents per language: titles and
//!   summaries, fetched for the rows in view;
//! - [`SearchManifest`] and [`GramBucket`]s: the inverted index of
//!   [`crate::search`], cut by document range and by group of grams; a query
//!   fetches, in each range it searches, the buckets of its own grams. A
//!   changed title changes the buckets of its own range only, so the build
//!   re-indexes one range, not the site.
//!
//! Documents are numbered across the site: every collection's records in
//! [`Collection::ALL`] order, each collection in its list order. Record `i`
//! of a collection's core is document `first_doc + i`, and position `i` of
//! the collection's open-data file. Every file carries [`FORMAT_VERSION`];
//! the explorer refuses a file of another version.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::search::{self, Gram, Postings};
use crate::{Collection, Dataset, Entry, FacetKind, FacetSpec, Lang, PartialDate, Text};

mod decode;

pub use decode::{Decode, Reader, from_json};

/// The version of every file in this module; raise it on any change.
pub const FORMAT_VERSION: u32 = 2;

/// The folder of the explorer's index, from the site root.
pub const ROOT: &str = "explore/";

/// The site search manifest.
pub const SEARCH_MANIFEST: &str = "explore/search.json";

/// The core file of `collection` in `lang`.
pub fn core_file(collection: Collection, lang: Lang) -> String {
    format!("{ROOT}{}.{}.json", collection.dir(), lang.code())
}

/// The title order of `collection` in `lang`.
pub fn titles_file(collection: Collection, lang: Lang) -> String {
    format!("{ROOT}{}.{}.titles.json", collection.dir(), lang.code())
}

/// Document shard `shard` in `lang`.
pub fn docs_file(lang: Lang, shard: u32) -> String {
    format!("{ROOT}docs/{}/{shard}.json", lang.code())
}

/// Gram bucket `bucket` of document range `range`.
pub fn bucket_file(range: u32, bucket: u32) -> String {
    format!("{ROOT}search/{range}/{bucket}.json")
}

/// Why a file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FormatError(pub String);

impl std::fmt::Display for FormatError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_version(version: u32) -> Result<(), FormatError> {
    if version == FORMAT_VERSION {
        Ok(())
    } else {
        Err(FormatError(format!(
            "index format {version}, this explorer reads {FORMAT_VERSION}"
        )))
    }
}

/// How documents and grams are cut into files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Layout {
    /// Documents per [`DocShard`].
    pub shard_size: u32,
    /// Documents per range of the inverted index.
    pub range_size: u32,
    /// [`GramBucket`]s per range, a power of two.
    pub buckets: u32,
}

impl Layout {
    /// Documents per shard: a screen of results needs one or a few shards.
    pub const SHARD_SIZE: u32 = 128;
    /// Documents per index range: a title edit re-indexes this many.
    pub const RANGE_SIZE: u32 = 8192;
    /// The most buckets per range.
    pub const MAX_BUCKETS: u32 = 1024;

    /// The layout for a site of `docs` documents whose searchable text has
    /// `chars` characters: about 16,000 characters of text per bucket, so a
    /// bucket stays tens of kilobytes however large the site grows.
    pub fn for_text(docs: usize, chars: usize) -> Layout {
        let ranges = docs.div_ceil(Layout::RANGE_SIZE as usize).max(1);
        let buckets = (chars / ranges / 16_384)
            .clamp(1, Layout::MAX_BUCKETS as usize)
            .next_power_of_two() as u32;
        Layout {
            shard_size: Layout::SHARD_SIZE,
            range_size: Layout::RANGE_SIZE,
            buckets,
        }
    }

    /// Checks that the sizes are ones the generator writes: the explorer
    /// sizes its lists by them.
    pub fn check(&self) -> Result<(), FormatError> {
        let fits = self.shard_size >= 1
            && self.range_size >= 1
            && self.buckets.is_power_of_two()
            && self.buckets <= Layout::MAX_BUCKETS;
        if fits {
            Ok(())
        } else {
            Err(FormatError(format!(
                "the layout's buckets ({}) are not a power of two up to {}, or a size is 0",
                self.buckets,
                Layout::MAX_BUCKETS
            )))
        }
    }

    /// The shard holding document `doc`.
    pub fn shard_of(&self, doc: u32) -> u32 {
        doc / self.shard_size.max(1)
    }

    /// The index range holding document `doc`.
    pub fn range_of(&self, doc: u32) -> u32 {
        doc / self.range_size.max(1)
    }

    /// The ranges holding documents `docs`.
    pub fn ranges(&self, docs: std::ops::Range<u32>) -> std::ops::Range<u32> {
        if docs.is_empty() {
            return 0..0;
        }
        self.range_of(docs.start)..self.range_of(docs.end - 1) + 1
    }

    /// A number for bucket `bucket` of range `range`, unique in the site.
    pub fn file_number(&self, range: u32, bucket: u32) -> u32 {
        range * self.buckets + bucket
    }
}

/// Sorted numbers written as differences from the previous one, which
/// gzip packs far better than the numbers themselves.
mod deltas {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn encode(values: &[u32]) -> Vec<u32> {
        let mut previous = 0;
        values
            .iter()
            .map(|&v| {
                let d = v.wrapping_sub(previous);
                previous = v;
                d
            })
            .collect()
    }

    pub fn decode(deltas: Vec<u32>) -> Vec<u32> {
        let mut value = 0u32;
        deltas
            .into_iter()
            .map(|d| {
                value = value.wrapping_add(d);
                value
            })
            .collect()
    }

    pub fn serialize<S: Serializer>(lists: &[Vec<Vec<u32>>], s: S) -> Result<S::Ok, S::Error> {
        let encoded: Vec<Vec<Vec<u32>>> = lists
            .iter()
            .map(|options| options.iter().map(|o| encode(o)).collect())
            .collect();
        encoded.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Vec<Vec<u32>>>, D::Error> {
        let encoded = Vec::<Vec<Vec<u32>>>::deserialize(d)?;
        Ok(encoded
            .into_iter()
            .map(|options| options.into_iter().map(decode).collect())
            .collect())
    }
}

/// What the explorer of one collection needs before its first answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionCore {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// The collection.
    pub collection: Collection,
    /// The language of [`TitleOrder`] and [`DocShard`]s to pair with it.
    pub lang: Lang,
    /// The facets, with every option.
    pub facets: Vec<FacetSpec>,
    /// Number of records.
    pub count: u32,
    /// Document number of record 0.
    pub first_doc: u32,
    /// How documents and grams are cut into files.
    pub layout: Layout,
    /// Each record's date.
    pub dates: Vec<Option<PartialDate>>,
    /// Per facet, per option: the records carrying it, sorted (empty for
    /// [`FacetKind::Timing`] facets, computed from dates and today).
    #[serde(with = "deltas")]
    pub members: Vec<Vec<Vec<u32>>>,
}

impl CollectionCore {
    /// The core of `dataset`, whose first record is document `first_doc`.
    pub fn from_dataset(dataset: &Dataset, lang: Lang, first_doc: u32, layout: Layout) -> Self {
        let members = dataset
            .facets
            .iter()
            .map(|spec| {
                let mut lists = vec![Vec::new(); spec.options.len()];
                if spec.kind == FacetKind::Terms {
                    let position: BTreeMap<&str, usize> = spec
                        .options
                        .iter()
                        .enumerate()
                        .map(|(i, o)| (o.key.as_str(), i))
                        .collect();
                    for (i, entry) in dataset.records.iter().enumerate() {
                        for key in entry.keys(&spec.id) {
                            if let Some(&o) = position.get(key) {
                                lists[o].push(i as u32);
                            }
                        }
                    }
                }
                for list in &mut lists {
                    list.dedup();
                }
                lists
            })
            .collect();
        CollectionCore {
            version: FORMAT_VERSION,
            collection: dataset.collection,
            lang,
            facets: dataset.facets.clone(),
            count: dataset.records.len() as u32,
            first_doc,
            layout,
            dates: dataset.records.iter().map(|e| e.date).collect(),
            members,
        }
    }

    /// Checks the version and that every list fits the records.
    pub fn check(&self) -> Result<(), FormatError> {
        check_version(self.version)?;
        self.layout.check()?;
        let fits = self.dates.len() == self.count as usize
            && self.members.len() == self.facets.len()
            && self
                .members
                .iter()
                .zip(&self.facets)
                .all(|(m, f)| m.len() == f.options.len())
            && self
                .members
                .iter()
                .flatten()
                .flatten()
                .all(|&i| i < self.count);
        if fits {
            Ok(())
        } else {
            Err(FormatError(
                "the core's lists do not fit its records".into(),
            ))
        }
    }
}

/// The order of a collection's records by title in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleOrder {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// The collection.
    pub collection: Collection,
    /// The language of the titles.
    pub lang: Lang,
    /// Record positions, by title.
    pub order: Vec<u32>,
}

impl TitleOrder {
    /// The title order of `dataset` in `lang`: folded titles, ties by position.
    pub fn from_dataset(dataset: &Dataset, lang: Lang) -> TitleOrder {
        let keys: Vec<String> = dataset
            .records
            .iter()
            .map(|e| e.title.get(lang).chars().map(search::fold).collect())
            .collect();
        let mut order: Vec<u32> = (0..keys.len() as u32).collect();
        order.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
        TitleOrder {
            version: FORMAT_VERSION,
            collection: dataset.collection,
            lang,
            order,
        }
    }

    /// This order for `dataset`, which is the dataset it was made from
    /// with the records at `changed` replaced in their places: those are
    /// taken out and put back where their new titles go. The same as
    /// [`TitleOrder::from_dataset`], in time that grows with the change.
    pub fn patched(&self, dataset: &Dataset, changed: &[usize]) -> TitleOrder {
        let key = |i: u32| -> (String, u32) {
            let title = dataset.records[i as usize].title.get(self.lang);
            (title.chars().map(search::fold).collect(), i)
        };
        let mut order = self.order.clone();
        let moved: std::collections::BTreeSet<u32> = changed.iter().map(|&i| i as u32).collect();
        order.retain(|i| !moved.contains(i));
        for &i in &moved {
            let new = key(i);
            let at = order.partition_point(|&o| key(o) < new);
            order.insert(at, i);
        }
        TitleOrder {
            version: self.version,
            collection: self.collection,
            lang: self.lang,
            order,
        }
    }

    /// Checks the version and that the order is a permutation of `count`.
    pub fn check(&self, count: u32) -> Result<(), FormatError> {
        check_version(self.version)?;
        let mut seen = vec![false; count as usize];
        for &i in &self.order {
            match seen.get_mut(i as usize) {
                Some(s) if !*s => *s = true,
                _ => {
                    return Err(FormatError(
                        "the title order is not of these records".into(),
                    ));
                }
            }
        }
        if self.order.len() == count as usize {
            Ok(())
        } else {
            Err(FormatError("the title order misses records".into()))
        }
    }
}

/// What a result row or search hit shows of a document, in one language.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Doc {
    /// Site path without language prefix.
    pub path: String,
    /// Title in the shard's language, or in Japanese when not translated.
    pub title: String,
    /// Set when the title is not in the shard's language.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub title_lang: Option<Lang>,
    /// Summary, likewise.
    pub summary: String,
    /// Set when the summary is not in the shard's language.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub summary_lang: Option<Lang>,
    /// The record's main date.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<PartialDate>,
    /// Sample data, not facts.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub sample: bool,
}

impl Doc {
    /// What `entry` shows in `lang`.
    pub fn from_entry(entry: &Entry, lang: Lang) -> Doc {
        let (title, title_lang) = entry.title.resolve(lang);
        let (summary, summary_lang) = entry.summary.resolve(lang);
        Doc {
            path: entry.path.clone(),
            title: title.to_string(),
            title_lang: (title_lang != lang).then_some(title_lang),
            summary: summary.to_string(),
            summary_lang: (summary_lang != lang).then_some(summary_lang),
            date: entry.date,
            sample: entry.sample,
        }
    }
}

/// Documents `first..first + docs.len()` in one language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocShard {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// The language.
    pub lang: Lang,
    /// Number of the first document.
    pub first: u32,
    /// The documents.
    pub docs: Vec<Doc>,
}

impl DocShard {
    /// Checks the version.
    pub fn check(&self) -> Result<(), FormatError> {
        check_version(self.version)
    }

    /// Document `doc`, if this shard holds it.
    pub fn get(&self, doc: u32) -> Option<&Doc> {
        self.docs.get(doc.checked_sub(self.first)? as usize)
    }
}

/// One collection's documents in the site's numbering.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Section {
    /// The collection.
    pub collection: Collection,
    /// Its name.
    pub label: Text,
    /// Its list page, without language prefix.
    pub list_path: String,
    /// Its first document.
    pub first: u32,
    /// Its number of documents.
    pub count: u32,
}

/// What site search needs first: where documents and grams are.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SearchManifest {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// How documents and grams are cut into files.
    pub layout: Layout,
    /// Every collection, in document order.
    pub sections: Vec<Section>,
    /// The documents that are sample data, sorted: search ranks them after
    /// every real record.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub samples: Vec<u32>,
}

impl SearchManifest {
    /// Checks the version and the layout.
    pub fn check(&self) -> Result<(), FormatError> {
        check_version(self.version)?;
        self.layout.check()
    }

    /// Every document of the site.
    pub fn docs(&self) -> std::ops::Range<u32> {
        0..self
            .sections
            .iter()
            .map(|s| s.first + s.count)
            .max()
            .unwrap_or(0)
    }

    /// Whether document `doc` is sample data.
    pub fn is_sample(&self, doc: u32) -> bool {
        self.samples.binary_search(&doc).is_ok()
    }

    /// The section holding document `doc`.
    pub fn section_of(&self, doc: u32) -> Option<&Section> {
        self.sections
            .iter()
            .find(|s| (s.first..s.first + s.count).contains(&doc))
    }
}

/// The postings of every gram of one bucket, as published: per gram,
/// `[text, title documents, other documents]`, the lists delta-encoded,
/// in gram order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GramBucket {
    /// [`FORMAT_VERSION`].
    pub version: u32,
    /// Which bucket.
    pub bucket: u32,
    /// Postings by gram.
    pub grams: Vec<(String, Vec<u32>, Vec<u32>)>,
}

impl GramBucket {
    /// The bucket of `postings` (grams of any bucket are ignored but this one's).
    pub fn new<'a>(
        bucket: u32,
        layout: Layout,
        postings: impl IntoIterator<Item = (Gram, &'a Postings)>,
    ) -> GramBucket {
        let grams = postings
            .into_iter()
            .filter(|(g, _)| search::bucket_of(*g, layout.buckets) == bucket)
            .map(|(g, p)| {
                (
                    search::gram_text(g),
                    deltas::encode(&p.title),
                    deltas::encode(&p.body),
                )
            })
            .collect();
        GramBucket {
            version: FORMAT_VERSION,
            bucket,
            grams,
        }
    }

    /// Checks the version, then decodes the postings, which must be in
    /// gram order ([`search::merge`] relies on it).
    pub fn decode(self) -> Result<Vec<(Gram, Postings)>, FormatError> {
        check_version(self.version)?;
        let postings: Vec<(Gram, Postings)> = self
            .grams
            .into_iter()
            .filter_map(|(text, title, body)| {
                Some((
                    search::gram_of_text(&text)?,
                    Postings {
                        title: deltas::decode(title),
                        body: deltas::decode(body),
                    },
                ))
            })
            .collect();
        if postings.windows(2).all(|w| w[0].0 < w[1].0) {
            Ok(postings)
        } else {
            Err(FormatError("the bucket's grams are not in order".into()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_layout_the_generator_cannot_write_is_refused() {
        let layout = |buckets, shard_size| Layout {
            shard_size,
            range_size: Layout::RANGE_SIZE,
            buckets,
        };
        for buckets in [1, 2, 64, Layout::MAX_BUCKETS] {
            assert_eq!(layout(buckets, 128).check(), Ok(()), "{buckets}");
        }
        assert_eq!(
            layout(3, 128).check().unwrap_err().to_string(),
            "the layout's buckets (3) are not a power of two up to 1024, or a size is 0"
        );
        for (buckets, shard_size) in [(0, 128), (2048, 128), (u32::MAX, 128), (64, 0)] {
            assert!(layout(buckets, shard_size).check().is_err(), "{buckets}");
        }
        for docs in [0, 1, 100_000, 10_000_000] {
            assert_eq!(Layout::for_text(docs, docs * 400).check(), Ok(()));
        }
    }
}
