//! The lists of the site: each collection's, and the facet pages of one
//! option or a pair (`/approvals/modality/gene-therapy/disease/cancer/`)
//! that make filtering work without JavaScript, each with its records.
//! Where facet pages are is [`amed_model::facet_pages`]'s.

use amed_model::dataset::facet;
use amed_model::facet_pages;
use amed_model::{Collection, FacetKind, FacetOption, FacetSpec, Lang, Query};

use super::index::{CollectionIndex, Collections};
use super::templates::ui;

/// Collections whose list page mounts the explorer.
pub const EXPLORED: [Collection; 3] = [Collection::Approvals, Collection::Seeds, Collection::Ppi];

/// One file of the explorer's index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExploreFile {
    /// [`CollectionCore`] of a collection in a language.
    Core(Collection, Lang),
    /// [`TitleOrder`] of a collection in a language.
    Titles(Collection, Lang),
    /// [`DocShard`] number `shard` in a language.
    Docs(Lang, u32),
    /// The [`SearchManifest`].
    Manifest,
    /// [`GramBucket`] number `bucket` of document range `range`.
    Bucket(u32, u32),
}

/// Records per page on list and facet pages: enough to scan, small enough
/// that a collection of 100,000 records never makes a page of megabytes.
pub const PAGE_SIZE: usize = 50;

/// One list of the site in one language.
#[derive(Debug)]
pub struct ListSpec {
    /// The collection listed.
    pub collection: Collection,
    /// The language.
    pub lang: Lang,
    /// Site path of its first page.
    pub path: String,
    /// The options it is narrowed to (none for a whole collection).
    pub filters: Vec<ListFilter>,
    /// Dataset positions of its records, in list order.
    pub matches: Vec<u32>,
    /// Whether any of its records is sample data.
    pub has_sample: bool,
    /// For a page of a pair of options, the list of its first option
    /// alone (index into the lists), whose open-data files it offers.
    pub data_owner: Option<usize>,
}

impl ListSpec {
    /// What its pages see of it: all but its records.
    pub fn head(&self) -> ListHead<'_> {
        ListHead {
            collection: self.collection,
            lang: self.lang,
            path: &self.path,
            filters: &self.filters,
            has_sample: self.has_sample,
            len: self.matches.len(),
        }
    }

    /// Pages it takes (at least one, which may say "nothing here").
    pub fn pages(&self) -> usize {
        self.head().pages()
    }

    /// What it is narrowed to, in words: `モダリティ：抗体医薬品、国際共同研究あり`.
    pub fn label(&self) -> String {
        self.head().label()
    }

    /// [`ListSpec::label`], each filter followed by what `mark` says of it.
    pub fn label_marking(&self, mark: impl Fn(&ListFilter) -> &'static str) -> String {
        self.head().label_marking(mark)
    }

    /// Whether it has open-data files of its own: a whole collection or
    /// one facet option (pairs of options would multiply the files).
    pub fn has_data_files(&self) -> bool {
        self.head().has_data_files()
    }

    /// Whether it has a feed: every facet page, and the whole lists of
    /// explored collections (the approvals' is the site's feed).
    pub fn has_feed(&self) -> bool {
        self.head().has_feed()
    }
}

/// A list as its pages see it: what it is, without its records.
#[derive(Clone, Copy, Hash)]
pub struct ListHead<'c> {
    /// The collection listed.
    pub collection: Collection,
    /// The language.
    pub lang: Lang,
    /// Site path of its first page.
    pub path: &'c str,
    /// The options it is narrowed to.
    pub filters: &'c [ListFilter],
    /// Whether any of its records is sample data.
    pub has_sample: bool,
    /// How many records it lists.
    pub len: usize,
}

impl ListHead<'_> {
    /// Pages it takes (at least one, which may say "nothing here").
    pub fn pages(&self) -> usize {
        self.len.div_ceil(PAGE_SIZE).max(1)
    }

    /// Whether its first page mounts the explorer.
    pub fn explorer(&self) -> bool {
        self.filters.is_empty() && EXPLORED.contains(&self.collection)
    }

    /// What it is narrowed to, in words.
    pub fn label(&self) -> String {
        self.label_marking(|_| "")
    }

    /// [`ListHead::label`], each filter followed by what `mark` says of it.
    pub fn label_marking(&self, mark: impl Fn(&ListFilter) -> &'static str) -> String {
        let labels: Vec<String> = self
            .filters
            .iter()
            .map(|f| format!("{}{}", f.label, mark(f)))
            .collect();
        labels.join(ui(self.lang, "list_separator"))
    }

    /// Whether it has open-data files of its own.
    pub fn has_data_files(&self) -> bool {
        self.filters.len() == 1
    }

    /// Whether it has a feed.
    pub fn has_feed(&self) -> bool {
        !self.filters.is_empty()
            || (self.collection != Collection::Approvals && EXPLORED.contains(&self.collection))
    }
}

/// Every list of the site: the collections' lists and their facet pages,
/// in each language.
pub fn lists(collections: &Collections) -> Vec<ListSpec> {
    let mut lists = Vec::new();
    for lang in Lang::ALL {
        for collection in [
            Collection::Approvals,
            Collection::Cases,
            Collection::Seeds,
            Collection::Ppi,
        ] {
            let index = &collections[&collection];
            lists.push(spec(index, lang, collection.list_path(), vec![]));
        }
        for collection in EXPLORED {
            let index = &collections[&collection];
            for (path, filters) in facet_lists(index, lang) {
                lists.push(spec(index, lang, &path, filters));
            }
        }
    }
    let positions: rustc_hash::FxHashMap<(Lang, &str), usize> = lists
        .iter()
        .enumerate()
        .filter(|(_, l)| l.has_data_files())
        .map(|(i, l)| ((l.lang, l.path.as_str()), i))
        .collect();
    let owners: Vec<Option<usize>> = lists
        .iter()
        .map(|l| {
            let first = l.filters.first().filter(|_| l.filters.len() > 1)?;
            let single = facet_pages::page_path(l.collection, &[(&first.facet, &first.key)])?;
            positions.get(&(l.lang, single.as_str())).copied()
        })
        .collect();
    for (list, owner) in lists.iter_mut().zip(owners) {
        list.data_owner = owner;
    }
    lists
}

/// The list of `collection` at `path`, narrowed to `filters`.
fn spec(index: &CollectionIndex, lang: Lang, path: &str, filters: Vec<ListFilter>) -> ListSpec {
    let collection = index.dataset.collection;
    let matches = if filters.is_empty() {
        index.unfiltered.matches.clone()
    } else {
        index
            .index
            .evaluate(&query_of(&filters), lang, None)
            .matches
    };
    let records = &index.dataset.records;
    let has_sample = matches.iter().any(|&i| records[i as usize].sample);
    ListSpec {
        collection,
        lang,
        path: path.to_string(),
        filters,
        matches,
        has_sample,
        data_owner: None,
    }
}

/// One option a list is narrowed to.
#[derive(Debug, Clone, Hash)]
pub struct ListFilter {
    /// The facet's id.
    pub facet: String,
    /// The option's key.
    pub key: String,
    /// What readers read: `モダリティ：抗体医薬品`, `国際共同研究あり`.
    pub label: String,
}

impl ListFilter {
    fn new(spec: &FacetSpec, option: &FacetOption, lang: Lang) -> ListFilter {
        let label = if spec.id == facet::INTERNATIONAL {
            ui(lang, "international_collaboration").to_string()
        } else {
            format!(
                "{}{}{}",
                spec.label.get(lang),
                ui(lang, "label_separator"),
                option.label.get(lang)
            )
        };
        ListFilter {
            facet: spec.id.clone(),
            key: option.key.clone(),
            label,
        }
    }
}

/// The view of `filters` as a query.
pub fn query_of(filters: &[ListFilter]) -> Query {
    Query::of_options(&options(filters))
}

/// The (facet, key) pairs of `filters`.
pub fn options(filters: &[ListFilter]) -> Vec<(&str, &str)> {
    filters
        .iter()
        .map(|f| (f.facet.as_str(), f.key.as_str()))
        .collect()
}

/// The paged facets of `collection` with their positions in its dataset,
/// in path order.
fn paged(index: &CollectionIndex) -> Vec<(usize, &FacetSpec)> {
    let (collection, facets) = (index.dataset.collection, &index.dataset.facets);
    facet_pages::paged_facets(collection)
        .iter()
        .filter_map(|id| facets.iter().position(|f| f.id == *id))
        .map(|i| (i, &facets[i]))
        .filter(|(_, f)| f.kind == FacetKind::Terms)
        .collect()
}

/// The facet pages of `collection` in `lang`, as (path, options): one per
/// option some record has, and one per pair of options of two facets that
/// some record has both of. No page, link or feed leads to an empty list.
pub fn facet_lists(index: &CollectionIndex, lang: Lang) -> Vec<(String, Vec<ListFilter>)> {
    let collection = index.dataset.collection;
    let paged = paged(index);
    let mut lists = Vec::new();
    for (n, &(f, spec)) in paged.iter().enumerate() {
        for (o, option) in spec.options.iter().enumerate() {
            let single = vec![ListFilter::new(spec, option, lang)];
            let page = facet_pages::page_path(collection, &options(&single));
            let Some(path) = page.filter(|_| index.unfiltered.counts[f][o] > 0) else {
                continue;
            };
            let within = index.index.evaluate(&query_of(&single), lang, None);
            lists.push((path, single.clone()));
            for &(g, other) in &paged[n + 1..] {
                for (p, second) in other.options.iter().enumerate() {
                    let pair = vec![single[0].clone(), ListFilter::new(other, second, lang)];
                    if within.counts[g][p] > 0
                        && let Some(path) = facet_pages::page_path(collection, &options(&pair))
                    {
                        lists.push((path, pair));
                    }
                }
            }
        }
    }
    lists
}
