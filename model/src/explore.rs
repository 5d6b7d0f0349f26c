//! The filtering core: queries, faceted counts, search and sorting.
//!
//! Semantics, shared by the explorer and the native tests:
//! - OR within a facet, AND across facets;
//! - a facet's option counts ignore that facet's own selection
//!   (disjunctive faceting), so picking one modality never hides the others;
//! - free text: every whitespace-separated term must match the title,
//!   summary or classification words ([`search_texts`]), in either language, by the n-gram rules of [`crate::search`]
//!   (no word boundaries needed in Japanese, case-insensitive Latin,
//!   full-width `ＡＩ` = `AI`); the explorer answers it from the published
//!   gram index, native callers with [`text_matches`];
//! - an approval year range (`from`, `to`) keeps records dated within it.
//!
//! [`Index`] precomputes one bitset per facet option, so evaluating a query
//! costs a few word-wise ANDs per facet rather than a pass over every record
//! for every option. It is built from a [`CollectionCore`], the explorer's
//! index file, so the browser and the generator run the very same code.

use std::sync::OnceLock;

use crate::dataset::FacetKind;
use crate::explorer_format::{CollectionCore, Layout, TitleOrder};
use crate::search::TEXT_KEY;
use crate::{Dataset, FacetSpec, Lang, PartialDate, search};

/// How results are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Sort {
    /// Newest date first; undated records last.
    #[default]
    Newest,
    /// Oldest date first; undated records last.
    Oldest,
    /// By title in the page's language.
    Title,
}

impl Sort {
    /// The value used in the URL query.
    pub fn key(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Title => "title",
        }
    }

    /// The sort named `key` in a URL query.
    pub fn from_key(key: &str) -> Option<Sort> {
        [Sort::Newest, Sort::Oldest, Sort::Title]
            .into_iter()
            .find(|s| s.key() == key)
    }
}

/// Selected facet options: `(facet id, option key)` pairs, sorted and
/// without repeats. A facet with no selected option filters nothing.
///
/// A sorted list rather than a map of sets: a view selects a handful of
/// options, and the explorer's bundle is smaller without B-tree code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection(Vec<(String, String)>);

impl Selection {
    fn find(&self, facet: &str, key: &str) -> Result<usize, usize> {
        self.0
            .binary_search_by(|(f, k)| (f.as_str(), k.as_str()).cmp(&(facet, key)))
    }

    /// Whether `key` of `facet` is selected.
    pub fn contains(&self, facet: &str, key: &str) -> bool {
        self.find(facet, key).is_ok()
    }

    /// Selects `key` of `facet`.
    pub fn insert(&mut self, facet: &str, key: &str) {
        if let Err(at) = self.find(facet, key) {
            self.0.insert(at, (facet.to_string(), key.to_string()));
        }
    }

    /// Clears `key` of `facet`.
    pub fn remove(&mut self, facet: &str, key: &str) {
        if let Ok(at) = self.find(facet, key) {
            self.0.remove(at);
        }
    }

    /// The selected keys of `facet`, sorted.
    pub fn keys<'a>(&'a self, facet: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(f, _)| f == facet)
            .map(|(_, k)| k.as_str())
    }

    /// Every selected `(facet, key)`, sorted.
    pub fn options(&self) -> Vec<(&str, &str)> {
        self.0
            .iter()
            .map(|(f, k)| (f.as_str(), k.as_str()))
            .collect()
    }

    /// Whether any option of `facet` is selected.
    pub fn filters(&self, facet: &str) -> bool {
        self.keys(facet).next().is_some()
    }

    /// The facets with a selected option, sorted.
    pub fn facets(&self) -> impl Iterator<Item = &str> {
        let mut previous: Option<&str> = None;
        self.0.iter().filter_map(move |(f, _)| {
            let new = previous != Some(f.as_str());
            previous = Some(f);
            new.then_some(f.as_str())
        })
    }

    /// How many options are selected.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is selected.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A view of a collection: selected facet options, search text, year range, sort.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Selected options.
    pub selected: Selection,
    /// Free text.
    pub text: String,
    /// Keep records dated in or after this year.
    pub year_from: Option<u16>,
    /// Keep records dated in or before this year.
    pub year_to: Option<u16>,
    /// Result order.
    pub sort: Sort,
}

/// Query keys that are not facets, besides the text's ([`search::TEXT_KEY`]).
const FROM_KEY: &str = "from";
const TO_KEY: &str = "to";
const SORT_KEY: &str = "sort";

impl Query {
    /// Reads the pairs of a URL query, decoded (`modality` =
    /// `regenerative`, `q` = `がん`), keeping only `facets` and options
    /// they have, so a stale or hand-edited link degrades to a wider view
    /// instead of an empty one.
    pub fn from_url_pairs<K, V>(
        pairs: impl IntoIterator<Item = (K, V)>,
        facets: &[FacetSpec],
    ) -> Query
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut q = Query::default();
        for (key, value) in pairs {
            let value = value.as_ref();
            match key.as_ref() {
                TEXT_KEY => q.text = value.trim().to_string(),
                FROM_KEY => q.year_from = value.parse().ok(),
                TO_KEY => q.year_to = value.parse().ok(),
                SORT_KEY => q.sort = Sort::from_key(value).unwrap_or_default(),
                facet_id => {
                    let known = facets
                        .iter()
                        .find(|f| f.id == facet_id)
                        .is_some_and(|f| f.options.iter().any(|o| o.key == value));
                    if known {
                        q.selected.insert(facet_id, value);
                    }
                }
            }
        }
        q
    }

    /// The pairs of this view's URL query, in the order of `facets`, not
    /// yet encoded; none for the default view.
    pub fn url_pairs<'f>(&self, facets: &'f [FacetSpec]) -> Vec<(&'f str, String)> {
        let mut out = Vec::new();
        for spec in facets {
            for option in &spec.options {
                if self.selected.contains(&spec.id, &option.key) {
                    out.push((spec.id.as_str(), option.key.clone()));
                }
            }
        }
        if let Some(from) = self.year_from {
            out.push((FROM_KEY, from.to_string()));
        }
        if let Some(to) = self.year_to {
            out.push((TO_KEY, to.to_string()));
        }
        if !self.text.trim().is_empty() {
            out.push((TEXT_KEY, self.text.trim().to_string()));
        }
        if self.sort != Sort::default() {
            out.push((SORT_KEY, self.sort.key().to_string()));
        }
        out
    }

    /// Reads a URL query (`modality=regenerative&disease=cancer&q=%E3%81%8C%E3%82%93`,
    /// with or without `?`): [`Query::from_url_pairs`] of its decoded pairs.
    #[cfg(feature = "url-query")]
    pub fn from_url_query(query: &str, facets: &[FacetSpec]) -> Query {
        let query = query.strip_prefix('?').unwrap_or(query);
        Query::from_url_pairs(form_urlencoded::parse(query.as_bytes()), facets)
    }

    /// The URL query of this view, without `?`: [`Query::url_pairs`],
    /// encoded as `application/x-www-form-urlencoded` (what a browser's
    /// `URLSearchParams` gives for the same pairs); empty for the default
    /// view.
    #[cfg(feature = "url-query")]
    pub fn to_url_query(&self, facets: &[FacetSpec]) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.url_pairs(facets))
            .finish()
    }

    /// Whether `key` of `facet` is selected.
    pub fn is_selected(&self, facet: &str, key: &str) -> bool {
        self.selected.contains(facet, key)
    }

    /// The view that selects exactly `options` (`(facet, key)` pairs).
    pub fn of_options(options: &[(&str, &str)]) -> Query {
        let mut query = Query::default();
        for (facet, key) in options {
            query.toggle(facet, key, true);
        }
        query
    }

    /// Selects or clears one option.
    pub fn toggle(&mut self, facet: &str, key: &str, on: bool) {
        if on {
            self.selected.insert(facet, key);
        } else {
            self.selected.remove(facet, key);
        }
    }

    /// Whether the query filters anything.
    pub fn is_filtering(&self) -> bool {
        !self.selected.is_empty()
            || !self.text.trim().is_empty()
            || self.year_from.is_some()
            || self.year_to.is_some()
    }
}

/// `text` in the quotation marks of `lang`: 「…」 or “…”.
pub fn quoted(text: &str, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("「{text}」"),
        Lang::En => format!("“{text}”"),
    }
}

impl Query {
    /// What this view asks for, in words of `lang`, one part per
    /// condition in the order chips show them: the selected options' labels,
    /// the search text in quotation marks, the year range. What the live
    /// region announces and an empty result repeats
    /// ("3 results for 遺伝子治療・ウイルス療法, がん").
    pub fn describe(&self, facets: &[FacetSpec], lang: Lang) -> Vec<String> {
        let mut parts: Vec<String> = facets
            .iter()
            .flat_map(|spec| {
                spec.options
                    .iter()
                    .filter(|o| self.is_selected(&spec.id, &o.key))
                    .map(move |o| o.label.get(lang).to_string())
            })
            .collect();
        let text = self.text.trim();
        if !text.is_empty() {
            parts.push(quoted(text, lang));
        }
        let years = match (self.year_from, self.year_to, lang) {
            (Some(f), Some(t), Lang::Ja) => Some(format!("{f}年〜{t}年")),
            (Some(f), Some(t), Lang::En) => Some(format!("{f}–{t}")),
            (Some(f), None, Lang::Ja) => Some(format!("{f}年以降")),
            (Some(f), None, Lang::En) => Some(format!("from {f}")),
            (None, Some(t), Lang::Ja) => Some(format!("{t}年まで")),
            (None, Some(t), Lang::En) => Some(format!("up to {t}")),
            (None, None, _) => None,
        };
        parts.extend(years);
        parts
    }

    /// Whether the year range is upside down (from after to): it can
    /// match nothing, and readers are told so.
    pub fn years_inverted(&self) -> bool {
        matches!((self.year_from, self.year_to), (Some(f), Some(t)) if f > t)
    }
}

/// Folds text for matching, character by character ([`search::fold`]).
pub fn normalize(text: &str) -> String {
    text.chars().map(search::fold).collect()
}

/// Whether a record's date falls within the year range.
fn in_years(date: Option<PartialDate>, from: Option<u16>, to: Option<u16>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    date.is_some_and(|d| from.is_none_or(|f| d.year() >= f) && to.is_none_or(|t| d.year() <= t))
}

/// The texts of a record that search looks in: its titles, then the rest:
/// its summaries and the words of its classification (each option's labels
/// and synonyms, from `facets`), in both languages, so 遺伝子治療 or "gene
/// therapy" finds the records classified so whatever their text says. The
/// yes/no of international collaboration is left out: its words ("Not
/// stated") would match nearly every record.
pub fn search_texts<'a>(entry: &'a crate::Entry, facets: &'a [FacetSpec]) -> [Vec<&'a str>; 2] {
    fn both(t: &crate::Text) -> impl Iterator<Item = &str> {
        std::iter::once(t.ja.as_str()).chain(t.en.as_deref())
    }
    let mut rest: Vec<&str> = both(&entry.summary).collect();
    for spec in facets
        .iter()
        .filter(|f| f.id != crate::dataset::facet::INTERNATIONAL)
    {
        for label in entry.facets.get(&spec.id).into_iter().flatten() {
            rest.extend([label.ja.as_str(), label.en.as_str()]);
            if let Some(option) = spec.options.iter().find(|o| o.key == label.key) {
                rest.extend(option.synonyms.iter().map(String::as_str));
            }
        }
    }
    [both(&entry.title).collect(), rest]
}

/// The positions of the records of `dataset` that `text` matches, or
/// `None` when it has no terms (filters nothing). The native twin of
/// answering from the published gram index.
pub fn text_matches(dataset: &Dataset, text: &str) -> Option<Vec<u32>> {
    let terms = search::terms(text);
    if terms.is_empty() {
        return None;
    }
    Some(
        dataset
            .records
            .iter()
            .enumerate()
            .filter(|(_, e)| {
                let [titles, rest] = search_texts(e, &dataset.facets);
                let texts: Vec<&str> = titles.into_iter().chain(rest).collect();
                search::matches(&search::grams_of(&texts), &terms)
            })
            .map(|(i, _)| i as u32)
            .collect(),
    )
}

/// Whether `date` is upcoming relative to `today` (a month-precision date in
/// the current month counts as upcoming).
pub fn is_upcoming(date: Option<PartialDate>, today: PartialDate) -> bool {
    let Some(date) = date else { return false };
    let (y, m, d) = date.first_day();
    let (ty, tm, td) = today.first_day();
    match (date.month(), date.day()) {
        (None, _) => y >= ty,
        (Some(_), None) => (y, m) >= (ty, tm),
        _ => (y, m, d) >= (ty, tm, td),
    }
}

/// Record indices `0..n` sorted by `compare`, ties by position. One sort
/// through a `dyn` comparator: each generic sort instantiation costs the
/// explorer's bundle kilobytes.
fn order(n: usize, compare: &dyn Fn(u32, u32) -> std::cmp::Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| compare(a, b).then(a.cmp(&b)));
    order
}

/// A fixed-size set of record indices.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Bits(Vec<u64>);

impl Bits {
    fn empty(len: usize) -> Bits {
        Bits(vec![0; len.div_ceil(64)])
    }

    fn full(len: usize) -> Bits {
        let mut bits = Bits(vec![u64::MAX; len.div_ceil(64)]);
        if !len.is_multiple_of(64)
            && let Some(last) = bits.0.last_mut()
        {
            *last = (1u64 << (len % 64)) - 1;
        }
        bits
    }

    fn set(&mut self, i: usize) {
        self.0[i / 64] |= 1 << (i % 64);
    }

    fn clear(&mut self, i: usize) {
        self.0[i / 64] &= !(1 << (i % 64));
    }

    fn contains(&self, i: usize) -> bool {
        self.0[i / 64] & (1 << (i % 64)) != 0
    }

    fn and_assign(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    fn or_assign(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a |= b;
        }
    }

    fn count_and(&self, other: &Bits) -> u32 {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| (a & b).count_ones())
            .sum()
    }
}

/// The result of a query.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Indices into [`Dataset::records`] of the matching records, sorted.
    pub matches: Vec<u32>,
    /// For each facet of the dataset (same order), the count of each option
    /// (same order), ignoring the facet's own selection.
    pub counts: Vec<Vec<u32>>,
}

/// A collection prepared for fast queries.
#[derive(Clone, Debug)]
pub struct Index {
    facets: Vec<FacetSpec>,
    dates: Vec<Option<PartialDate>>,
    /// Per facet, per option: the records carrying it.
    options: Vec<Vec<Bits>>,
    /// Record indices by date, newest first (undated last, then by position).
    newest: Vec<u32>,
    /// Record indices by date, oldest first (undated last, then by position).
    oldest: Vec<u32>,
    /// Record indices by Japanese and English title, once known.
    by_title: [OnceLock<Vec<u32>>; 2],
}

impl Index {
    /// Prepares `dataset` (with both title orders); `today` decides what
    /// [`FacetKind::Timing`] facets call upcoming.
    pub fn new(dataset: &Dataset, today: PartialDate) -> Index {
        let core = CollectionCore::from_dataset(dataset, Lang::Ja, 0, Layout::for_text(0, 0));
        let index = Index::from_core(core, today);
        for lang in Lang::ALL {
            index.set_title_order(TitleOrder::from_dataset(dataset, lang));
        }
        index
    }

    /// Prepares a published core; title sorting waits for [`Index::set_title_order`].
    pub fn from_core(core: CollectionCore, today: PartialDate) -> Index {
        let n = core.count as usize;
        let dates = core.dates;
        let options = core
            .facets
            .iter()
            .zip(&core.members)
            .map(|(spec, members)| {
                spec.options
                    .iter()
                    .enumerate()
                    .map(|(o, option)| {
                        let mut bits = Bits::empty(n);
                        match spec.kind {
                            FacetKind::Terms => {
                                for &i in members.get(o).into_iter().flatten() {
                                    if (i as usize) < n {
                                        bits.set(i as usize);
                                    }
                                }
                            }
                            FacetKind::Timing => {
                                for (i, date) in dates.iter().enumerate() {
                                    if (option.key == crate::dataset::facet::UPCOMING)
                                        == is_upcoming(*date, today)
                                    {
                                        bits.set(i);
                                    }
                                }
                            }
                        }
                        bits
                    })
                    .collect()
            })
            .collect();
        let date = |i: u32| dates[i as usize];
        // Undated records go last in both date orders.
        let newest = order(n, &|a, b| match (date(a), date(b)) {
            (Some(x), Some(y)) => y.cmp(&x),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
        let oldest = order(n, &|a, b| match (date(a), date(b)) {
            (Some(x), Some(y)) => x.cmp(&y),
            (x, y) => y.is_some().cmp(&x.is_some()),
        });
        Index {
            facets: core.facets,
            dates,
            options,
            newest,
            oldest,
            by_title: [OnceLock::new(), OnceLock::new()],
        }
    }

    /// Gives the index the order by title in one language.
    pub fn set_title_order(&self, titles: TitleOrder) {
        let _ = self.by_title[slot(titles.lang)].set(titles.order);
    }

    /// Whether titles in `lang` can be sorted.
    pub fn has_title_order(&self, lang: Lang) -> bool {
        self.by_title[slot(lang)].get().is_some()
    }

    /// The facets.
    pub fn facets(&self) -> &[FacetSpec] {
        &self.facets
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.dates.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.dates.is_empty()
    }

    /// Record `i`'s date.
    pub fn date(&self, i: u32) -> Option<PartialDate> {
        self.dates.get(i as usize).copied().flatten()
    }

    /// The years records are dated in, lowest and highest.
    pub fn year_span(&self) -> Option<(u16, u16)> {
        let years = self.dates.iter().flatten().map(|d| d.year());
        Some((years.clone().min()?, years.max()?))
    }

    /// The options of facet `f` that record `i` carries.
    pub fn options_of(&self, f: usize, i: u32) -> impl Iterator<Item = usize> + '_ {
        self.options[f]
            .iter()
            .enumerate()
            .filter(move |(_, bits)| bits.contains(i as usize))
            .map(|(o, _)| o)
    }

    /// Runs `query`; titles sort in `lang` (in date order until the title
    /// order is known). `text` lists the records that match the query's
    /// text, in any order, or is `None` when the text filters nothing.
    pub fn evaluate(&self, query: &Query, lang: Lang, text: Option<&[u32]>) -> Outcome {
        let n = self.dates.len();
        let mut base = match text {
            None => Bits::full(n),
            Some(hits) => {
                let mut bits = Bits::empty(n);
                for &i in hits.iter().filter(|&&i| (i as usize) < n) {
                    bits.set(i as usize);
                }
                bits
            }
        };
        if query.year_from.is_some() || query.year_to.is_some() {
            for (i, date) in self.dates.iter().enumerate() {
                if !in_years(*date, query.year_from, query.year_to) {
                    base.clear(i);
                }
            }
        }
        // Per facet: the union of its selected options, or None if unfiltered.
        let selections: Vec<Option<Bits>> = self
            .facets
            .iter()
            .zip(&self.options)
            .map(|(spec, option_bits)| {
                if !query.selected.filters(&spec.id) {
                    return None;
                }
                let mut union = Bits::empty(n);
                for (option, bits) in spec.options.iter().zip(option_bits) {
                    if query.selected.contains(&spec.id, &option.key) {
                        union.or_assign(bits);
                    }
                }
                Some(union)
            })
            .collect();
        let restricted = |skip: Option<usize>| {
            let mut mask = base.clone();
            for (f, selection) in selections.iter().enumerate() {
                if Some(f) != skip
                    && let Some(sel) = selection
                {
                    mask.and_assign(sel);
                }
            }
            mask
        };
        let all = restricted(None);
        let counts = self
            .options
            .iter()
            .enumerate()
            .map(|(f, option_bits)| {
                let mask = if selections[f].is_some() {
                    restricted(Some(f))
                } else {
                    all.clone()
                };
                option_bits
                    .iter()
                    .map(|bits| mask.count_and(bits))
                    .collect()
            })
            .collect();
        let order = match query.sort {
            Sort::Newest => &self.newest[..],
            Sort::Oldest => &self.oldest[..],
            Sort::Title => self.by_title[slot(lang)].get().unwrap_or(&self.newest),
        };
        let matches = order
            .iter()
            .copied()
            .filter(|&i| all.contains(i as usize))
            .collect();
        Outcome { matches, counts }
    }
}

fn slot(lang: Lang) -> usize {
    if lang == Lang::Ja { 0 } else { 1 }
}
