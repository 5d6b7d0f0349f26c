//! The parts of the explorer's index fetched so far: document shards and
//! gram buckets, each requested once and shared by every view.

use std::sync::Arc;

use amed_model::Lang;
use amed_model::explorer_format::{self as format, Doc, DocShard, GramBucket, Layout};
use amed_model::search::{Gram, Postings};
use leptos::prelude::*;

use crate::fetch;

/// What has arrived. One signal for all of it: views that read it update
/// when a part arrives (and one signal type costs the bundle less than three).
#[derive(Default)]
struct Parts {
    /// By shard number.
    shards: Vec<Option<Arc<DocShard>>>,
    /// Postings of every gram fetched, sorted by gram.
    grams: Vec<(Gram, Postings)>,
    /// By bucket number: whether it is here.
    buckets: Vec<bool>,
}

/// Fetched parts of the index.
#[derive(Clone, Copy)]
pub struct Store {
    root: StoredValue<String>,
    lang: Lang,
    /// How the index is cut into files.
    pub layout: Layout,
    parts: RwSignal<Parts>,
    /// Shards and buckets requested: `[shards, buckets]`.
    requested: StoredValue<[Vec<bool>; 2]>,
}

/// Sets `list[i]`, growing the list as needed; whether it was unset.
fn mark(list: &mut Vec<bool>, i: u32) -> bool {
    let i = i as usize;
    if list.len() <= i {
        list.resize(i + 1, false);
    }
    !std::mem::replace(&mut list[i], true)
}

impl Store {
    /// An empty store of the index under `root`, documents in `lang`.
    pub fn new(root: String, lang: Lang, layout: Layout) -> Store {
        Store {
            root: StoredValue::new(root),
            lang,
            layout,
            parts: RwSignal::new(Parts::default()),
            requested: StoredValue::new([Vec::new(), Vec::new()]),
        }
    }

    /// Index file `path` (relative to the site root) as a URL.
    pub fn url(&self, path: &str) -> String {
        let root = self.root.get_value();
        format!("{root}{}", path.strip_prefix(format::ROOT).unwrap_or(path))
    }

    /// Whether part `i` of kind `k` (0 shards, 1 buckets) is requested for
    /// the first time; marks it requested.
    fn first_request(&self, k: usize, i: u32) -> bool {
        let mut first = false;
        self.requested.update_value(|r| first = mark(&mut r[k], i));
        first
    }

    /// Document `doc`, if its shard is here (tracked: a view reading it
    /// updates when the shard arrives).
    pub fn doc(&self, doc: u32) -> Option<Doc> {
        let shard = self.layout.shard_of(doc) as usize;
        let parts = self.parts.read();
        parts.shards.get(shard)?.as_ref()?.get(doc).cloned()
    }

    /// Starts fetching the shards of `docs` that are not here yet.
    pub fn want_docs(&self, docs: impl IntoIterator<Item = u32>) {
        for doc in docs {
            let shard = self.layout.shard_of(doc);
            if !self.first_request(0, shard) {
                continue;
            }
            let (store, url) = (*self, self.url(&format::docs_file(self.lang, shard)));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch::json::<DocShard>(&url).await {
                    Ok(s) if s.check().is_ok() => store.parts.update(|p| {
                        let i = shard as usize;
                        if p.shards.len() <= i {
                            p.shards.resize(i + 1, None);
                        }
                        p.shards[i] = Some(Arc::new(s));
                    }),
                    _ => store.failed(&url, 0, shard),
                }
            });
        }
    }

    /// Whether buckets `buckets` of every index range in `ranges` are here
    /// (tracked); starts fetching the missing ones.
    pub fn have_buckets(&self, ranges: std::ops::Range<u32>, buckets: &[u32]) -> bool {
        let layout = self.layout;
        let files: Vec<(u32, u32)> = ranges
            .flat_map(|r| buckets.iter().map(move |&b| (r, b)))
            .collect();
        for &(range, bucket) in &files {
            let number = layout.file_number(range, bucket);
            if !self.first_request(1, number) {
                continue;
            }
            let (store, url) = (*self, self.url(&format::bucket_file(range, bucket)));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch::json::<GramBucket>(&url)
                    .await
                    .map(GramBucket::decode)
                {
                    Ok(Ok(postings)) => store.parts.update(|p| {
                        amed_model::search::merge(&mut p.grams, postings);
                        mark(&mut p.buckets, number);
                    }),
                    _ => store.failed(&url, 1, number),
                }
            });
        }
        let parts = self.parts.read();
        files.iter().all(|&(r, b)| {
            let number = layout.file_number(r, b) as usize;
            parts.buckets.get(number).copied().unwrap_or(false)
        })
    }

    /// Ranks documents for `terms` from the postings fetched so far, sample
    /// documents last.
    pub fn ranked(
        &self,
        terms: &[amed_model::search::Term],
        is_sample: impl Fn(u32) -> bool,
    ) -> Vec<u32> {
        let parts = self.parts.read();
        amed_model::search::ranked(
            terms,
            |g| {
                parts
                    .grams
                    .binary_search_by_key(&g, |(k, _)| *k)
                    .ok()
                    .map(|i| &parts.grams[i].1)
            },
            is_sample,
        )
    }

    /// A part could not be fetched: say so, and forget the request, so the
    /// next view that needs it asks again.
    fn failed(&self, url: &str, kind: usize, number: u32) {
        web_sys::console::warn_1(&format!("cannot load {url}").into());
        self.requested.update_value(|r| {
            if let Some(flag) = r[kind].get_mut(number as usize) {
                *flag = false;
            }
        });
    }
}
