//! Text matching, shared by the explorer's keyword filter and site search.
//!
//! Semantics (one definition for the browser, the generator and the tests):
//! - text is folded character by character: full-width ASCII to half-width
//!   (`ｉＰＳ` = `iPS`), half-width katakana to full-width (`ｳｲﾙｽ` = `ウイルス`),
//!   the ideographic space to a space, letters to lower case;
//! - a text is cut into runs of letters and digits (any script); each run
//!   contributes every character (unigram) and every pair of neighbouring
//!   characters (bigram): its *grams*. Japanese needs no word boundaries,
//!   because every pair of neighbouring kana or kanji is a gram;
//! - a query is cut into whitespace-separated terms; a term matches a
//!   document when every bigram of the term (the character, for a one-letter
//!   run) is among the document's grams, and a document matches when every
//!   term does. This is the bigram matching of CJK search engines: exact
//!   for one- and two-character terms, and for longer ones the pairs must
//!   all be present;
//! - results rank real records before sample ones, then by how many terms
//!   match in the title, then in document order.
//!
//! The generator publishes the grams as an inverted index cut into buckets
//! by [`bucket_of`], so a query fetches only the buckets of its own grams.

use std::collections::BTreeMap;

mod lower_case;
mod query;

pub use query::{COLLECTION_KEY, PAGE, SiteQuery, TEXT_KEY};

/// A unigram or bigram: the first character in the high half, the second
/// (or 0 for a unigram) in the low half.
pub type Gram = u64;

/// Full-width katakana for the half-width forms U+FF66–U+FF9F, in order;
/// the sound marks become the spacing ゛ and ゜.
const HALF_WIDTH_KANA: &str = "ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン゛゜";

/// Folds one character for matching.
pub fn fold(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{FF66}'..='\u{FF9F}' => HALF_WIDTH_KANA
            .chars()
            .nth((c as u32 - 0xFF66) as usize)
            .unwrap_or(c),
        '\u{3000}' => ' ',
        c => c,
    };
    // One character in, one out, so positions in folded text are positions
    // in the original (for marking matches in snippets).
    lower_case::lower(c)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// The gram of `a` alone or of `a` followed by `b`.
pub fn gram(a: char, b: Option<char>) -> Gram {
    ((a as u64) << 32) | b.map_or(0, |b| b as u64)
}

/// The text of a gram, as bucket files key it.
pub fn gram_text(g: Gram) -> String {
    let mut s = String::new();
    for part in [g >> 32, g & 0xFFFF_FFFF] {
        if let Some(c) = char::from_u32(part as u32).filter(|_| part != 0) {
            s.push(c);
        }
    }
    s
}

/// The gram a bucket file's key stands for.
pub fn gram_of_text(text: &str) -> Option<Gram> {
    let mut chars = text.chars();
    let a = chars.next()?;
    let b = chars.next();
    chars.next().is_none().then(|| gram(a, b))
}

/// The folded runs of letters and digits of `text`.
fn runs(text: &str) -> Vec<Vec<char>> {
    let mut runs = Vec::new();
    let mut run = Vec::new();
    for c in text.chars().map(fold) {
        if is_word(c) {
            run.push(c);
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// Every gram of `text`, sorted and without duplicates.
pub fn text_grams(text: &str) -> Vec<Gram> {
    let mut grams = Vec::new();
    for run in runs(text) {
        for (i, &c) in run.iter().enumerate() {
            grams.push(gram(c, None));
            if let Some(&next) = run.get(i + 1) {
                grams.push(gram(c, Some(next)));
            }
        }
    }
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// One search term: its text as typed and the grams a match needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Term {
    /// The folded runs of the term, for marking matches.
    pub runs: Vec<Vec<char>>,
    /// The grams every matching document has, sorted.
    pub grams: Vec<Gram>,
}

/// The terms of a query; terms without a letter or digit are dropped.
pub fn terms(query: &str) -> Vec<Term> {
    query
        .split_whitespace()
        .filter_map(|word| {
            let runs = runs(word);
            let mut grams: Vec<Gram> = runs
                .iter()
                .flat_map(|run| match run.as_slice() {
                    [c] => vec![gram(*c, None)],
                    run => run.windows(2).map(|w| gram(w[0], Some(w[1]))).collect(),
                })
                .collect();
            grams.sort_unstable();
            grams.dedup();
            (!grams.is_empty()).then_some(Term { runs, grams })
        })
        .collect()
}

/// Every gram the terms need, sorted and without duplicates.
pub fn needed_grams(terms: &[Term]) -> Vec<Gram> {
    let mut grams: Vec<Gram> = terms.iter().flat_map(|t| t.grams.iter().copied()).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

/// Whether a document with the sorted `grams` matches every term.
pub fn matches(grams: &[Gram], terms: &[Term]) -> bool {
    terms
        .iter()
        .all(|t| t.grams.iter().all(|g| grams.binary_search(g).is_ok()))
}

/// The bucket of `gram` among `buckets` (a power of two).
pub fn bucket_of(gram: Gram, buckets: u32) -> u32 {
    let mixed = gram.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((mixed >> 40) as u32) & (buckets.max(1) - 1)
}

/// The buckets (in each index range) the terms need, sorted.
pub fn needed_buckets(terms: &[Term], buckets: u32) -> Vec<u32> {
    // Marks, not a sort: one sort instantiation fewer in the explorer.
    let mut wanted = vec![false; buckets.max(1) as usize];
    for gram in needed_grams(terms) {
        wanted[bucket_of(gram, buckets) as usize] = true;
    }
    (0..buckets.max(1))
        .filter(|&b| wanted[b as usize])
        .collect()
}

/// Where a gram occurs: documents with it in the title, and documents with
/// it only in the rest of their text. Both sorted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Postings {
    /// Documents whose title has the gram.
    pub title: Vec<u32>,
    /// Documents that have it elsewhere but not in the title.
    pub body: Vec<u32>,
}

impl Postings {
    /// Joins the postings of the same gram from a later document range.
    pub fn join(&mut self, later: Postings) {
        self.title.extend(later.title);
        self.body.extend(later.body);
    }

    /// Every document with the gram, sorted.
    pub fn all(&self) -> Vec<u32> {
        let mut all = Vec::with_capacity(self.title.len() + self.body.len());
        let (mut a, mut b) = (self.title.iter().peekable(), self.body.iter().peekable());
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x <= y => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            all.extend(next.copied());
        }
        all
    }
}

/// Adds the postings of one bucket file to those fetched so far, both in
/// gram order: a gram already there from another document range gets this
/// range's documents joined on in document order (ranges do not overlap),
/// whatever order the files arrive in. One pass over both lists.
pub fn merge(into: &mut Vec<(Gram, Postings)>, more: Vec<(Gram, Postings)>) {
    let first = |p: &Postings| {
        p.title
            .first()
            .into_iter()
            .chain(p.body.first())
            .min()
            .copied()
    };
    let mut old = std::mem::take(into).into_iter().peekable();
    let mut more = more.into_iter().peekable();
    into.reserve(old.len() + more.len());
    loop {
        let order = match (old.peek(), more.peek()) {
            (Some((a, _)), Some((b, _))) => a.cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => return,
        };
        let next = match order {
            std::cmp::Ordering::Less => old.next(),
            std::cmp::Ordering::Greater => more.next(),
            std::cmp::Ordering::Equal => old.next().zip(more.next()).map(|((g, a), (_, b))| {
                let (mut earlier, later) = if first(&a) <= first(&b) {
                    (a, b)
                } else {
                    (b, a)
                };
                earlier.join(later);
                (g, earlier)
            }),
        };
        into.extend(next);
    }
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small
        .iter()
        .copied()
        .filter(|x| large.binary_search(x).is_ok())
        .collect()
}

/// The documents matching every term, best first, given the postings of
/// every needed gram (`lookup` answers `None` for a gram no document has):
/// real records before sample ones (`is_sample`), then those with more
/// terms in their title, then in document order.
pub fn ranked<'p>(
    terms: &[Term],
    lookup: impl Fn(Gram) -> Option<&'p Postings>,
    is_sample: impl Fn(u32) -> bool,
) -> Vec<u32> {
    if terms.is_empty() {
        return vec![];
    }
    let empty = Postings::default();
    let mut all: Option<Vec<u32>> = None;
    let mut in_title: Vec<Vec<u32>> = Vec::new();
    for term in terms {
        let mut docs: Option<Vec<u32>> = None;
        let mut titles: Option<Vec<u32>> = None;
        for &g in &term.grams {
            let postings = lookup(g).unwrap_or(&empty);
            let any = postings.all();
            docs = Some(match docs {
                None => any,
                Some(d) => intersect(&d, &any),
            });
            titles = Some(match titles {
                None => postings.title.clone(),
                Some(t) => intersect(&t, &postings.title),
            });
        }
        let docs = docs.unwrap_or_default();
        all = Some(match all {
            None => docs,
            Some(a) => intersect(&a, &docs),
        });
        in_title.push(titles.unwrap_or_default());
    }
    // Sort keys: real before sample, fewer terms missing from the title
    // first, then by document (one u64 each, sorted as the grams are).
    let mut scored: Vec<u64> = all
        .unwrap_or_default()
        .into_iter()
        .map(|d| {
            let missing = in_title
                .iter()
                .filter(|t| t.binary_search(&d).is_err())
                .count();
            (u64::from(is_sample(d)) << 63) | ((missing as u64) << 32) | u64::from(d)
        })
        .collect();
    scored.sort_unstable();
    scored.into_iter().map(|key| key as u32).collect()
}

/// A piece of a snippet: text, and whether it is a match to mark.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The text, as written in the document.
    pub text: String,
    /// Whether it matches a query term.
    pub mark: bool,
}

/// A window of `text` around its first match of a term, about `width`
/// characters long, cut into marked and unmarked pieces. Every occurrence
/// of a term's runs inside the window is marked.
pub fn snippet(text: &str, terms: &[Term], width: usize) -> Vec<Piece> {
    let chars: Vec<char> = text.chars().collect();
    let folded: Vec<char> = chars.iter().copied().map(fold).collect();
    let mut marked = vec![false; chars.len()];
    for run in terms.iter().flat_map(|t| &t.runs) {
        if run.is_empty() || run.len() > folded.len() {
            continue;
        }
        for start in 0..=folded.len() - run.len() {
            if folded[start..start + run.len()] == run[..] {
                marked[start..start + run.len()].fill(true);
            }
        }
    }
    let first = marked.iter().position(|&m| m).unwrap_or(0);
    let start = first.saturating_sub(width / 4);
    let end = (start + width).min(chars.len());
    let start = end.saturating_sub(width).min(start);
    let mut pieces: Vec<Piece> = Vec::new();
    if start > 0 {
        pieces.push(Piece {
            text: "…".into(),
            mark: false,
        });
    }
    for i in start..end {
        match pieces.last_mut() {
            Some(p) if p.mark == marked[i] && !(i == start && start > 0) => p.text.push(chars[i]),
            _ => pieces.push(Piece {
                text: chars[i].to_string(),
                mark: marked[i],
            }),
        }
    }
    if end < chars.len() {
        pieces.push(Piece {
            text: "…".into(),
            mark: false,
        });
    }
    pieces
}

/// An inverted index of documents, built by the generator.
#[derive(Clone, Debug, Default)]
pub struct InvertedIndex {
    grams: BTreeMap<Gram, Postings>,
}

impl InvertedIndex {
    /// Indexes documents `first..` given as (title, other text) in order.
    pub fn build<'a>(
        first: u32,
        docs: impl IntoIterator<Item = (Vec<&'a str>, Vec<&'a str>)>,
    ) -> Self {
        let mut index = InvertedIndex::default();
        for (n, (titles, rest)) in docs.into_iter().enumerate() {
            index.add(first + n as u32, &titles, &rest);
        }
        index
    }

    /// Adds document `doc` (numbered above every document already added).
    pub fn add(&mut self, doc: u32, titles: &[&str], rest: &[&str]) {
        let title_grams = grams_of(titles);
        for &g in &title_grams {
            self.grams.entry(g).or_default().title.push(doc);
        }
        for g in grams_of(rest) {
            if title_grams.binary_search(&g).is_err() {
                self.grams.entry(g).or_default().body.push(doc);
            }
        }
    }

    /// Joins an index of later documents onto this one.
    pub fn append(&mut self, later: InvertedIndex) {
        for (g, postings) in later.grams {
            let own = self.grams.entry(g).or_default();
            own.title.extend(postings.title);
            own.body.extend(postings.body);
        }
    }

    /// The number of postings, for sizing the buckets.
    pub fn postings(&self) -> usize {
        self.grams
            .values()
            .map(|p| p.title.len() + p.body.len())
            .sum()
    }

    /// The grams and postings, in gram order.
    pub fn grams(&self) -> impl Iterator<Item = (Gram, &Postings)> {
        self.grams.iter().map(|(g, p)| (*g, p))
    }
}

/// The grams of several texts together (no gram spans two texts).
pub fn grams_of(texts: &[&str]) -> Vec<Gram> {
    let mut grams: Vec<Gram> = texts.iter().flat_map(|t| text_grams(t)).collect();
    grams.sort_unstable();
    grams.dedup();
    grams
}

#[cfg(test)]
mod tests {
    use super::*;

    fn docs() -> InvertedIndex {
        InvertedIndex::build(
            0,
            [
                (vec!["再生医療等製品"], vec!["iPS細胞を使う"]),
                (vec!["がんのウイルス療法"], vec!["再生医療ではない"]),
                (vec!["COVID-19 vaccine"], vec!["ワクチン"]),
            ],
        )
    }

    fn search(index: &InvertedIndex, q: &str) -> Vec<u32> {
        let map: BTreeMap<Gram, Postings> = index.grams().map(|(g, p)| (g, p.clone())).collect();
        ranked(&terms(q), |g| map.get(&g), |_| false)
    }

    #[test]
    fn japanese_needs_no_word_boundaries_and_titles_rank_first() {
        let index = docs();
        assert_eq!(search(&index, "がん"), [1]);
        assert_eq!(search(&index, "ウイルス療法"), [1]);
        assert_eq!(search(&index, "再生医療"), [0, 1], "title match first");
        assert_eq!(search(&index, "ｉＰＳ"), [0], "full-width folds");
        assert_eq!(search(&index, "ｳｲﾙｽ"), [1], "half-width katakana folds");
        assert_eq!(search(&index, "Vaccine covid"), [2]);
        assert_eq!(search(&index, "covid-19"), [2]);
        assert_eq!(search(&index, "細"), [0], "one character");
        assert!(search(&index, "療法 ワクチン").is_empty());
        assert!(search(&index, "・・").is_empty());
    }

    #[test]
    fn sample_records_rank_after_real_ones() {
        let index = docs();
        let map: BTreeMap<Gram, Postings> = index.grams().map(|(g, p)| (g, p.clone())).collect();
        let found = ranked(&terms("再生医療"), |g| map.get(&g), |d| d == 0);
        assert_eq!(found, [1, 0], "the title match is a sample");
    }

    #[test]
    fn grams_round_trip_through_text() {
        for g in [gram('が', Some('ん')), gram('a', None)] {
            assert_eq!(gram_of_text(&gram_text(g)), Some(g));
        }
    }

    #[test]
    fn snippets_mark_matches() {
        let t = terms("ips");
        let pieces = snippet("ヒトiPS細胞", &t, 40);
        let marked: Vec<&str> = pieces
            .iter()
            .filter(|p| p.mark)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(marked, ["iPS"]);
        let long = format!("{}がん{}", "あ".repeat(100), "い".repeat(100));
        let pieces = snippet(&long, &terms("がん"), 40);
        assert_eq!(pieces.first().unwrap().text, "…");
        assert!(pieces.iter().any(|p| p.mark && p.text == "がん"));
    }
}
