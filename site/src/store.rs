//! The parts of the explorer's index fetched so far: document shards and
//! gram buckets, each requested once and shared by every view.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc as Rc;

use amed_model::Lang;
use amed_model::explorer_format::{self as format, Doc, DocShard, GramBucket, Layout};
use amed_model::search::{Gram, Postings};
use leptos::prelude::*;

use crate::fetch;

/// Fetched parts of the index, as signals: views that read them update
/// when a part arrives.
#[derive(Clone, Copy)]
pub struct Store {
    root: StoredValue<String>,
    lang: Lang,
    /// How the index is cut into files.
    pub layout: Layout,
    shards: RwSignal<BTreeMap<u32, Rc<DocShard>>>,
    grams: RwSignal<BTreeMap<Gram, Postings>>,
    buckets: RwSignal<BTreeSet<u32>>,
    requested: StoredValue<BTreeSet<(bool, u32)>>,
}

impl Store {
    /// An empty store of the index under `root`, documents in `lang`.
    pub fn new(root: String, lang: Lang, layout: Layout) -> Store {
        Store {
            root: StoredValue::new(root),
            lang,
            layout,
            shards: RwSignal::new(BTreeMap::new()),
            grams: RwSignal::new(BTreeMap::new()),
            buckets: RwSignal::new(BTreeSet::new()),
            requested: StoredValue::new(BTreeSet::new()),
        }
    }

    /// Index file `path` (relative to the site root) as a URL.
    pub fn url(&self, path: &str) -> String {
        let root = self.root.get_value();
        format!("{root}{}", path.strip_prefix(format::ROOT).unwrap_or(path))
    }

    /// Whether `key` was requested before; marks it requested.
    fn first_request(&self, key: (bool, u32)) -> bool {
        let mut first = false;
        self.requested.update_value(|r| first = r.insert(key));
        first
    }

    /// Document `doc`, if its shard is here (tracked: a view reading it
    /// updates when the shard arrives).
    pub fn doc(&self, doc: u32) -> Option<Doc> {
        let shard = self.layout.shard_of(doc);
        self.shards
            .with(|s| s.get(&shard).and_then(|s| s.get(doc).cloned()))
    }

    /// Starts fetching the shards of `docs` that are not here yet.
    pub fn want_docs(&self, docs: impl IntoIterator<Item = u32>) {
        let shards: BTreeSet<u32> = docs.into_iter().map(|d| self.layout.shard_of(d)).collect();
        for shard in shards {
            if !self.first_request((false, shard)) {
                continue;
            }
            let (store, url) = (*self, self.url(&format::docs_file(self.lang, shard)));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch::json::<DocShard>(&url).await {
                    Ok(s) if s.check().is_ok() => {
                        store.shards.update(|m| {
                            m.insert(shard, Rc::new(s));
                        });
                    }
                    _ => store.failed(&url),
                }
            });
        }
    }

    /// Whether every bucket in `buckets` is here (tracked); starts fetching
    /// the missing ones.
    pub fn have_buckets(&self, buckets: &[u32]) -> bool {
        for &bucket in buckets {
            if !self.first_request((true, bucket)) {
                continue;
            }
            let (store, url) = (*self, self.url(&format::bucket_file(bucket)));
            wasm_bindgen_futures::spawn_local(async move {
                match fetch::json::<GramBucket>(&url)
                    .await
                    .map(GramBucket::decode)
                {
                    Ok(Ok(postings)) => {
                        store.grams.update(|g| g.extend(postings));
                        store.buckets.update(|b| {
                            b.insert(bucket);
                        });
                    }
                    _ => store.failed(&url),
                }
            });
        }
        self.buckets
            .with(|have| buckets.iter().all(|b| have.contains(b)))
    }

    /// Reads the postings fetched so far.
    pub fn with_grams<T>(&self, f: impl FnOnce(&BTreeMap<Gram, Postings>) -> T) -> T {
        self.grams.with(f)
    }

    fn failed(&self, url: &str) {
        web_sys::console::warn_1(&format!("cannot load {url}").into());
    }
}
