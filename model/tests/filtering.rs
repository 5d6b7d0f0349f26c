//! The filtering core against a naive implementation of the same rules,
//! on random datasets and queries, plus the cases users would try first.

use std::collections::BTreeMap;

use amed_model::dataset::{FacetKind, FacetOption, FacetSpec, Label};
use amed_model::explore::{normalize, text_matches};
use amed_model::search;
use amed_model::{Collection, Dataset, Entry, Index, Lang, PartialDate, Query, Sort, Text};
use proptest::prelude::*;

const FACETS: [(&str, [&str; 4]); 3] = [
    (
        "modality",
        ["antibody", "regenerative", "device", "vaccine"],
    ),
    ("disease", ["cancer", "rare", "infection", "life-course"]),
    ("intl", ["yes", "no", "maybe", "unused"]),
];
const WORDS: [&str; 8] = [
    "がん",
    "再生医療",
    "Cancer",
    "ワクチン",
    "ＡＩ",
    "device",
    "難病",
    "mRNA",
];

fn today() -> PartialDate {
    PartialDate::ymd(2026, 11, 24).unwrap()
}

fn entry(i: usize, keys: &[Vec<usize>], words: &[usize], date: Option<PartialDate>) -> Entry {
    let title: Vec<&str> = words.iter().map(|w| WORDS[*w]).collect();
    let mut facets = BTreeMap::new();
    for (f, (id, options)) in FACETS.iter().enumerate() {
        let labels = keys[f]
            .iter()
            .map(|&o| Label {
                key: options[o].into(),
                ja: options[o].into(),
                en: options[o].into(),
            })
            .collect();
        facets.insert(id.to_string(), labels);
    }
    Entry {
        id: format!("r{i}"),
        path: format!("approvals/r{i}/"),
        url: Text::new("", ""),
        title: Text::new(format!("記録{i} {}", title.join("")), format!("Record {i}")),
        summary: Text {
            ja: title.join(" "),
            en: None,
        },
        date,
        sample: false,
        facets,
        fields: BTreeMap::new(),
        sources: vec![],
    }
}

fn dataset(entries: Vec<Entry>) -> Dataset {
    let facets = FACETS
        .iter()
        .map(|(id, options)| FacetSpec {
            id: id.to_string(),
            label: Text::new(*id, *id),
            kind: FacetKind::Terms,
            options: options
                .iter()
                .map(|k| FacetOption {
                    key: k.to_string(),
                    label: Text::new(*k, *k),
                    synonyms: vec![],
                })
                .collect(),
        })
        .collect();
    Dataset {
        license: None,
        collection: Collection::Approvals,
        content_date: None,
        facets,
        fields: vec![],
        records: entries.into_iter().map(std::sync::Arc::new).collect(),
    }
}

/// The rules, written as plainly as possible.
fn naive_matches(e: &Entry, q: &Query, skip: Option<&str>) -> bool {
    // Every bigram of every term (a one-letter run: the letter) occurs
    // within one of the four texts or the labels of the record's options
    // (not international collaboration's), in folded form.
    let labels = e
        .facets
        .iter()
        .filter(|(id, _)| *id != "intl")
        .flat_map(|(_, labels)| labels.iter().flat_map(|l| [l.ja.clone(), l.en.clone()]));
    let texts: Vec<String> = [
        e.title.ja.clone(),
        e.title.en.clone().unwrap_or_default(),
        e.summary.ja.clone(),
        e.summary.en.clone().unwrap_or_default(),
    ]
    .into_iter()
    .chain(labels)
    .map(|t| normalize(&t))
    .collect();

    let has = |piece: &str| texts.iter().any(|t| t.contains(piece));
    let text_ok = normalize(&q.text).split_whitespace().all(|term| {
        term.split(|c: char| !c.is_alphanumeric())
            .filter(|run| !run.is_empty())
            .all(|run| {
                let chars: Vec<char> = run.chars().collect();
                if chars.len() == 1 {
                    has(run)
                } else {
                    chars.windows(2).all(|w| has(&w.iter().collect::<String>()))
                }
            })
    });
    let years_ok = (q.year_from.is_none() && q.year_to.is_none())
        || e.date.is_some_and(|d| {
            q.year_from.is_none_or(|f| d.year() >= f) && q.year_to.is_none_or(|t| d.year() <= t)
        });
    let facets_ok = q
        .selected
        .facets()
        .filter(|f| Some(*f) != skip)
        .all(|f| e.keys(f).any(|k| q.selected.contains(f, k)));
    text_ok && years_ok && facets_ok
}

fn naive_order(ds: &Dataset, q: &Query, lang: Lang) -> Vec<u32> {
    let mut ids: Vec<u32> = (0..ds.records.len() as u32)
        .filter(|&i| naive_matches(&ds.records[i as usize], q, None))
        .collect();
    let date = |i: &u32| ds.records[*i as usize].date;
    match q.sort {
        Sort::Newest => ids.sort_by_key(|i| (date(i).is_none(), std::cmp::Reverse(date(i)), *i)),
        Sort::Oldest => ids.sort_by_key(|i| (date(i).is_none(), date(i), *i)),
        Sort::Title => {
            ids.sort_by_key(|i| (normalize(ds.records[*i as usize].title.get(lang)), *i))
        }
    }
    ids
}

fn arb_date() -> impl Strategy<Value = Option<PartialDate>> {
    prop_oneof![
        Just(None),
        (2019u16..2028, 1u8..=12).prop_map(|(y, m)| Some(format!("{y}-{m:02}").parse().unwrap())),
        (2019u16..2028, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| PartialDate::ymd(y, m, d)),
    ]
}

fn arb_entry() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<usize>, Option<PartialDate>)> {
    (
        proptest::collection::vec(
            proptest::collection::btree_set(0usize..4, 0..3).prop_map(|s| s.into_iter().collect()),
            3,
        ),
        proptest::collection::vec(0usize..WORDS.len(), 0..3),
        arb_date(),
    )
}

fn arb_query() -> impl Strategy<Value = Query> {
    (
        proptest::collection::vec(proptest::collection::btree_set(0usize..4, 0..3), 3),
        prop_oneof![
            Just(String::new()),
            (0usize..WORDS.len()).prop_map(|w| WORDS[w].to_string()),
            Just("がん cancer".to_string()),
            Just("ai".to_string()),
            Just("記録1".to_string())
        ],
        proptest::option::of(2019u16..2028),
        proptest::option::of(2019u16..2028),
        prop_oneof![Just(Sort::Newest), Just(Sort::Oldest), Just(Sort::Title)],
    )
        .prop_map(|(selected, text, year_from, year_to, sort)| {
            let mut q = Query {
                text,
                year_from,
                year_to,
                sort,
                ..Query::default()
            };
            for (f, keys) in selected.into_iter().enumerate() {
                for o in keys {
                    q.toggle(FACETS[f].0, FACETS[f].1[o], true);
                }
            }
            q
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn index_agrees_with_naive_filter(entries in proptest::collection::vec(arb_entry(), 0..70), query in arb_query(), english in any::<bool>()) {
        let lang = if english { Lang::En } else { Lang::Ja };
        let ds = dataset(entries.iter().enumerate().map(|(i, (k, w, d))| entry(i, k, w, *d)).collect());
        let outcome = Index::new(&ds, today()).evaluate(&query, lang, text_matches(&ds, &query.text).as_deref());
        prop_assert_eq!(&outcome.matches, &naive_order(&ds, &query, lang));
        for (f, spec) in ds.facets.iter().enumerate() {
            for (o, option) in spec.options.iter().enumerate() {
                let expected = ds.records.iter().filter(|e| naive_matches(e, &query, Some(&spec.id)) && e.keys(&spec.id).any(|k| k == option.key)).count() as u32;
                prop_assert_eq!(outcome.counts[f][o], expected, "facet {} option {}", spec.id, option.key);
            }
        }
    }

    /// The published gram index (built in parts, joined, cut into buckets
    /// and decoded, as generator and explorer do) finds what the native
    /// match finds, for any query text.
    #[test]
    fn gram_index_agrees_with_native_text_match(entries in proptest::collection::vec(arb_entry(), 0..40), query in arb_query(), first in 0u32..500) {
        use amed_model::explorer_format::{GramBucket, Layout};
        let ds = dataset(entries.iter().enumerate().map(|(i, (k, w, d))| entry(i, k, w, *d)).collect());
        fn doc<'a>(e: &'a Entry, facets: &'a [FacetSpec]) -> (Vec<&'a str>, Vec<&'a str>) {
            let [titles, rest] = amed_model::explore::search_texts(e, facets);
            (titles, rest)
        }
        // Two document ranges, indexed apart, their bucket files fetched
        // later range first: what the explorer gets from a range-cut index.
        let half = ds.records.len() / 2;
        let ranges = [
            search::InvertedIndex::build(first, ds.records[..half].iter().map(|e| doc(e, &ds.facets))),
            search::InvertedIndex::build(first + half as u32, ds.records[half..].iter().map(|e| doc(e, &ds.facets))),
        ];
        let layout = Layout { shard_size: 128, range_size: 8192, buckets: 8 };
        let mut postings = Vec::new();
        for index in ranges.iter().rev() {
            for b in 0..layout.buckets {
                let json = serde_json::to_string(&GramBucket::new(b, layout, index.grams())).unwrap();
                let bucket: GramBucket = amed_model::explorer_format::from_json(&json).unwrap();
                search::merge(&mut postings, bucket.decode().unwrap());
            }
        }
        let postings: std::collections::BTreeMap<_, _> = postings.into_iter().collect();
        let terms = search::terms(&query.text);
        let mut found: Vec<u32> = search::ranked(&terms, |g| postings.get(&g), |_| false).into_iter().map(|d| d - first).collect();
        found.sort_unstable();
        prop_assert_eq!(found, text_matches(&ds, &query.text).unwrap_or_default());
    }

    /// What the generator writes with serde, the explorer's own reader
    /// reads back as it was: a collection's core, its title order and its
    /// documents, with any text in titles and summaries.
    #[test]
    fn explorer_reads_the_index_files_as_written(entries in proptest::collection::vec(arb_entry(), 0..30), texts in proptest::collection::vec(any::<String>(), 1..6), first in any::<u32>(), english in any::<bool>()) {
        use amed_model::explorer_format::{CollectionCore, Doc, DocShard, Layout, TitleOrder, from_json, FORMAT_VERSION};
        let lang = if english { Lang::En } else { Lang::Ja };
        let ds = dataset(entries.iter().enumerate().map(|(i, (k, w, d))| entry(i, k, w, *d)).collect());
        let layout = Layout::for_text(ds.records.len(), 1000);
        let core = CollectionCore::from_dataset(&ds, lang, first, layout);
        prop_assert_eq!(from_json::<CollectionCore>(&serde_json::to_string(&core).unwrap()), Ok(core));
        let order = TitleOrder::from_dataset(&ds, lang);
        prop_assert_eq!(from_json::<TitleOrder>(&serde_json::to_string(&order).unwrap()), Ok(order));
        let mut docs: Vec<Doc> = ds.records.iter().map(|e| Doc::from_entry(e, lang)).collect();
        for (doc, text) in docs.iter_mut().zip(texts.iter().cycle()) {
            doc.title = text.clone();
            doc.summary = text.chars().rev().collect();
        }
        let shard = DocShard { version: FORMAT_VERSION, lang, first, docs };
        prop_assert_eq!(from_json::<DocShard>(&serde_json::to_string_pretty(&shard).unwrap()), Ok(shard));
    }

    #[test]
    fn url_query_round_trips(query in arb_query()) {
        let ds = dataset(vec![]);
        let url = query.to_url_query(&ds.facets);
        let mut normalized = query.clone();
        normalized.text = normalized.text.trim().to_string();
        prop_assert_eq!(Query::from_url_query(&url, &ds.facets), normalized);
    }
}

fn sample() -> Dataset {
    dataset(vec![
        entry(
            0,
            &[vec![1], vec![0], vec![0]],
            &[0, 1],
            "2021-06".parse().ok(),
        ),
        entry(
            1,
            &[vec![0], vec![1], vec![1]],
            &[2],
            "2023-08".parse().ok(),
        ),
        entry(
            2,
            &[vec![2], vec![0, 1], vec![1]],
            &[4],
            "2024-02".parse().ok(),
        ),
    ])
}

#[test]
fn japanese_search_needs_no_word_boundaries() {
    let ds = sample();
    let index = Index::new(&ds, today());
    let q = |text: &str| Query {
        text: text.into(),
        ..Query::default()
    };
    assert_eq!(
        index
            .evaluate(&q("がん"), Lang::Ja, text_matches(&ds, "がん").as_deref())
            .matches,
        [0]
    );
    assert_eq!(
        index
            .evaluate(
                &q("再生医療"),
                Lang::Ja,
                text_matches(&ds, "再生医療").as_deref()
            )
            .matches,
        [0]
    );
    assert_eq!(
        index
            .evaluate(
                &q("CANCER"),
                Lang::En,
                text_matches(&ds, "CANCER").as_deref()
            )
            .matches,
        // Record 1's title says Cancer; records 0 and 2 are classified
        // under the disease area `cancer`.
        [2, 1, 0],
        "case-insensitive"
    );
    assert_eq!(
        index
            .evaluate(&q("ai"), Lang::En, text_matches(&ds, "ai").as_deref())
            .matches,
        [2],
        "full-width ＡＩ matches ai"
    );
    assert_eq!(
        index
            .evaluate(
                &q("がん　再生"),
                Lang::Ja,
                text_matches(&ds, "がん　再生").as_deref()
            )
            .matches,
        [0],
        "ideographic space separates terms"
    );
}

#[test]
fn counts_ignore_their_own_facet() {
    let ds = sample();
    let index = Index::new(&ds, today());
    let mut q = Query::default();
    q.toggle("modality", "regenerative", true);
    let out = index.evaluate(&q, Lang::Ja, None);
    assert_eq!(out.matches, [0]);
    assert_eq!(
        out.counts[0],
        [1, 1, 1, 0],
        "other modalities keep their counts"
    );
    assert_eq!(
        out.counts[1],
        [1, 0, 0, 0],
        "disease counts follow the modality selection"
    );
}

#[test]
fn reads_the_url_keys_users_share() {
    let ds = sample();
    let q = Query::from_url_query(
        "?modality=regenerative&modality=device&disease=cancer&q=%E3%81%8C%E3%82%93&from=2021&sort=oldest&bogus=1&modality=nope",
        &ds.facets,
    );
    assert_eq!(
        q.selected.keys("modality").collect::<Vec<_>>(),
        ["device", "regenerative"]
    );
    assert_eq!(q.text, "がん");
    assert_eq!(q.year_from, Some(2021));
    assert_eq!(q.sort, Sort::Oldest);
    assert_eq!(
        q.to_url_query(&ds.facets),
        "modality=regenerative&modality=device&disease=cancer&from=2021&q=%E3%81%8C%E3%82%93&sort=oldest"
    );
}

#[test]
fn classification_words_and_synonyms_match_but_not_yes_or_no() {
    let mut ds = sample();
    for option in ds.facets.iter_mut().flat_map(|f| &mut f.options) {
        if option.key == "regenerative" {
            option.synonyms = vec!["細胞治療".into()];
        }
    }
    assert_eq!(text_matches(&ds, "regenerative"), Some(vec![0]));
    assert_eq!(text_matches(&ds, "細胞治療"), Some(vec![0]));
    assert_eq!(text_matches(&ds, "antibody"), Some(vec![1]));
    assert_eq!(
        text_matches(&ds, "yes"),
        Some(vec![]),
        "international collaboration's yes/no is not searched"
    );
}

#[test]
fn a_view_is_described_in_the_words_of_its_language() {
    let ds = sample();
    let mut q = Query::default();
    q.toggle("modality", "antibody", true);
    q.toggle("disease", "rare", true);
    q.text = " がん ".into();
    q.year_from = Some(2024);
    q.year_to = Some(2019);
    assert_eq!(
        q.describe(&ds.facets, Lang::Ja),
        ["antibody", "rare", "「がん」", "2024年〜2019年"]
    );
    assert_eq!(
        q.describe(&ds.facets, Lang::En),
        ["antibody", "rare", "“がん”", "2024–2019"]
    );
    assert!(q.years_inverted());
    q.year_to = None;
    assert_eq!(
        q.describe(&ds.facets, Lang::En).last().unwrap(),
        "from 2024"
    );
    assert!(!q.years_inverted());
    assert!(Query::default().describe(&ds.facets, Lang::Ja).is_empty());
}
