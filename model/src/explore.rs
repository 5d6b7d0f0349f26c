//! The filtering core: queries, faceted counts, search and sorting.
//!
//! Semantics, shared by the explorer and the native tests:
//! - OR within a facet, AND across facets;
//! - a facet's option counts ignore that facet's own selection
//!   (disjunctive faceting), so picking one modality never hides the others;
//! - free text: every whitespace-separated term must occur in the title or
//!   summary, in either language; Japanese needs no word boundaries, because
//!   matching is by substring; Latin text is matched case-insensitively, and
//!   full-width ASCII (`ＡＩ`) matches half-width (`AI`);
//! - an approval year range (`from`, `to`) keeps records dated within it.
//!
//! [`Index`] precomputes one bitset per facet option, so evaluating a query
//! costs a few word-wise ANDs per facet rather than a pass over every record
//! for every option.

use std::collections::{BTreeMap, BTreeSet};

use crate::dataset::FacetKind;
use crate::{Dataset, Lang, PartialDate};

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

/// A view of a collection: selected facet options, search text, year range, sort.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Query {
    /// Selected option keys, by facet id. An absent or empty facet filters nothing.
    pub selected: BTreeMap<String, BTreeSet<String>>,
    /// Free text.
    pub text: String,
    /// Keep records dated in or after this year.
    pub year_from: Option<u16>,
    /// Keep records dated in or before this year.
    pub year_to: Option<u16>,
    /// Result order.
    pub sort: Sort,
}

/// Query keys that are not facets.
const TEXT_KEY: &str = "q";
const FROM_KEY: &str = "from";
const TO_KEY: &str = "to";
const SORT_KEY: &str = "sort";

impl Query {
    /// Reads a URL query (`modality=regenerative&disease=cancer&q=がん`),
    /// keeping only facets and options that `dataset` has, so a stale or
    /// hand-edited link degrades to a wider view instead of an empty one.
    pub fn from_url_query(query: &str, dataset: &Dataset) -> Query {
        let mut q = Query::default();
        let query = query.strip_prefix('?').unwrap_or(query);
        for (key, value) in form_urlencoded::parse(query.as_bytes()) {
            match key.as_ref() {
                TEXT_KEY => q.text = value.trim().to_string(),
                FROM_KEY => q.year_from = value.parse().ok(),
                TO_KEY => q.year_to = value.parse().ok(),
                SORT_KEY => q.sort = Sort::from_key(&value).unwrap_or_default(),
                facet_id => {
                    let known = dataset
                        .facets
                        .iter()
                        .find(|f| f.id == facet_id)
                        .is_some_and(|f| f.options.iter().any(|o| o.key == value));
                    if known {
                        q.selected
                            .entry(facet_id.to_string())
                            .or_default()
                            .insert(value.into_owned());
                    }
                }
            }
        }
        q
    }

    /// The URL query of this view, facets in `dataset` order, without `?`;
    /// empty for the default view.
    pub fn to_url_query(&self, dataset: &Dataset) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for spec in &dataset.facets {
            if let Some(keys) = self.selected.get(&spec.id) {
                for option in spec.options.iter().filter(|o| keys.contains(&o.key)) {
                    out.append_pair(&spec.id, &option.key);
                }
            }
        }
        if let Some(from) = self.year_from {
            out.append_pair(FROM_KEY, &from.to_string());
        }
        if let Some(to) = self.year_to {
            out.append_pair(TO_KEY, &to.to_string());
        }
        if !self.text.trim().is_empty() {
            out.append_pair(TEXT_KEY, self.text.trim());
        }
        if self.sort != Sort::default() {
            out.append_pair(SORT_KEY, self.sort.key());
        }
        out.finish()
    }

    /// Whether `key` of `facet` is selected.
    pub fn is_selected(&self, facet: &str, key: &str) -> bool {
        self.selected
            .get(facet)
            .is_some_and(|keys| keys.contains(key))
    }

    /// Selects or clears one option.
    pub fn toggle(&mut self, facet: &str, key: &str, on: bool) {
        let keys = self.selected.entry(facet.to_string()).or_default();
        if on {
            keys.insert(key.to_string());
        } else {
            keys.remove(key);
        }
        if keys.is_empty() {
            self.selected.remove(facet);
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

/// Folds text for matching: full-width ASCII to half-width, then lower case.
pub fn normalize(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

/// The search terms of a query text.
fn terms(text: &str) -> Vec<String> {
    normalize(text)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// Whether a record's date falls within the year range.
fn in_years(date: Option<PartialDate>, from: Option<u16>, to: Option<u16>) -> bool {
    if from.is_none() && to.is_none() {
        return true;
    }
    date.is_some_and(|d| from.is_none_or(|f| d.year() >= f) && to.is_none_or(|t| d.year() <= t))
}

/// The text of a record that free-text search looks in.
pub fn haystack(entry: &crate::Entry) -> String {
    let mut s = String::new();
    for text in [&entry.title, &entry.summary] {
        s.push_str(&text.ja);
        s.push('\n');
        if let Some(en) = &text.en {
            s.push_str(en);
            s.push('\n');
        }
    }
    normalize(&s)
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

/// A dataset prepared for fast queries.
#[derive(Clone, Debug)]
pub struct Index {
    dataset: Dataset,
    /// Normalised search text of each record, built on the first search.
    haystacks: std::sync::OnceLock<Vec<String>>,
    /// Per facet, per option: the records carrying it.
    options: Vec<Vec<Bits>>,
    /// Record indices by date, newest first (undated last, then by position).
    newest: Vec<u32>,
    /// Record indices by date, oldest first (undated last, then by position).
    oldest: Vec<u32>,
    /// Record indices by Japanese and English title.
    /// Built on the first sort by title.
    by_title: std::sync::OnceLock<[Vec<u32>; 2]>,
}

impl Index {
    /// Prepares `dataset`; `today` decides what [`FacetKind::Timing`] facets call upcoming.
    pub fn new(dataset: Dataset, today: PartialDate) -> Index {
        let n = dataset.records.len();
        // One pass over the records per facet: each record sets the bits of
        // the options it carries.
        let options = dataset
            .facets
            .iter()
            .map(|spec| {
                let mut bits: Vec<Bits> = spec.options.iter().map(|_| Bits::empty(n)).collect();
                match spec.kind {
                    FacetKind::Terms => {
                        let position: BTreeMap<&str, usize> = spec
                            .options
                            .iter()
                            .enumerate()
                            .map(|(i, o)| (o.key.as_str(), i))
                            .collect();
                        for (i, entry) in dataset.records.iter().enumerate() {
                            for key in entry.keys(&spec.id) {
                                if let Some(&o) = position.get(key) {
                                    bits[o].set(i);
                                }
                            }
                        }
                    }
                    FacetKind::Timing => {
                        for (o, option) in spec.options.iter().enumerate() {
                            for (i, entry) in dataset.records.iter().enumerate() {
                                let upcoming = is_upcoming(entry.date, today);
                                if (option.key == "upcoming") == upcoming {
                                    bits[o].set(i);
                                }
                            }
                        }
                    }
                }
                bits
            })
            .collect();
        let date = |i: u32| dataset.records[i as usize].date;
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
            dataset,
            haystacks: std::sync::OnceLock::new(),
            options,
            newest,
            oldest,
            by_title: std::sync::OnceLock::new(),
        }
    }

    fn haystacks(&self) -> &[String] {
        self.haystacks
            .get_or_init(|| self.dataset.records.iter().map(haystack).collect())
    }

    fn by_title(&self, lang: Lang) -> &[u32] {
        let orders = self.by_title.get_or_init(|| {
            Lang::ALL.map(|lang| {
                let keys: Vec<String> = self
                    .dataset
                    .records
                    .iter()
                    .map(|e| normalize(e.title.get(lang)))
                    .collect();
                order(keys.len(), &|a, b| keys[a as usize].cmp(&keys[b as usize]))
            })
        });
        &orders[if lang == Lang::Ja { 0 } else { 1 }]
    }

    /// The indexed dataset.
    pub fn dataset(&self) -> &Dataset {
        &self.dataset
    }

    /// Runs `query`; titles sort in `lang`.
    pub fn evaluate(&self, query: &Query, lang: Lang) -> Outcome {
        let n = self.dataset.records.len();
        let mut base = Bits::full(n);
        let terms = terms(&query.text);
        let ranged = query.year_from.is_some() || query.year_to.is_some();
        if !terms.is_empty() || ranged {
            let haystacks = if terms.is_empty() {
                &[][..]
            } else {
                self.haystacks()
            };
            for (i, entry) in self.dataset.records.iter().enumerate() {
                let keep = terms.iter().all(|t| haystacks[i].contains(t.as_str()))
                    && in_years(entry.date, query.year_from, query.year_to);
                if !keep {
                    base.clear(i);
                }
            }
        }
        // Per facet: the union of its selected options, or None if unfiltered.
        let selections: Vec<Option<Bits>> = self
            .dataset
            .facets
            .iter()
            .zip(&self.options)
            .map(|(spec, option_bits)| {
                let keys = query.selected.get(&spec.id).filter(|k| !k.is_empty())?;
                let mut union = Bits::empty(n);
                for (option, bits) in spec.options.iter().zip(option_bits) {
                    if keys.contains(&option.key) {
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
            Sort::Title => self.by_title(lang),
        };
        let matches = order
            .iter()
            .copied()
            .filter(|&i| all.contains(i as usize))
            .collect();
        Outcome { matches, counts }
    }
}
