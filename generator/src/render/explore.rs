//! The explorer's index (`explore/`): per explored collection and language
//! the core and the title order, the document shards of every language,
//! the search manifest and the gram buckets. The formats are
//! [`amed_model::explorer_format`]'s; this module decides only which files
//! exist and what each is made from.

use amed_model::explorer_format::{
    self as format, CollectionCore, Doc, DocShard, GramBucket, SearchManifest, Section, TitleOrder,
};
use amed_model::search::{Gram, InvertedIndex, Postings, bucket_of};
use amed_model::{Collection, Entry, Lang, Text};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Context, Job, Output};
use crate::fingerprint::Fingerprint;

/// Collections whose list page mounts the explorer.
pub const EXPLORED: [Collection; 3] = [Collection::Approvals, Collection::Seeds, Collection::Ppi];

/// Documents indexed together before the parts are joined.
const INDEX_PART: usize = 4096;

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
    /// [`GramBucket`] number `bucket`.
    Bucket(u32),
}

/// The site's grams, bucket by bucket: a fingerprint of each bucket's
/// postings, and the postings of the buckets a build renders.
///
/// A bucket's fingerprint sums a hash of every (document, gram, place) it
/// holds, so it is computed in one pass over the text without building any
/// postings; a changed title then rebuilds the postings of the few buckets
/// its grams fall in, not of the whole site.
#[derive(Debug, Default)]
pub struct SearchBuckets {
    prints: Vec<Fingerprint>,
    postings: std::sync::Mutex<BTreeMap<u32, Arc<BucketPostings>>>,
}

/// The postings of one bucket, in gram order.
type BucketPostings = Vec<(Gram, Postings)>;

impl SearchBuckets {
    /// The fingerprint of every bucket of `ctx`'s site.
    fn new(ctx: &Context<'_>) -> SearchBuckets {
        let buckets = ctx.layout.buckets as usize;
        let sums = all_docs(ctx)
            .par_chunks(INDEX_PART)
            .map(|part| {
                let mut sums = vec![0u128; buckets];
                for (doc, e) in part {
                    each_gram(e, |g, in_title| {
                        let b = bucket_of(g, buckets as u32) as usize;
                        let h = xxhash_rust::xxh3::xxh3_128(
                            bytemuck_bytes(*doc, g, in_title).as_slice(),
                        );
                        sums[b] = sums[b].wrapping_add(h);
                    });
                }
                sums
            })
            .reduce(
                || vec![0u128; buckets],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(b) {
                        *x = x.wrapping_add(y);
                    }
                    a
                },
            );
        SearchBuckets {
            prints: sums.into_iter().map(Fingerprint).collect(),
            postings: Default::default(),
        }
    }

    /// The postings of `bucket`, built on first use together with those of
    /// every bucket in `wanted` (the buckets this build renders; `None`:
    /// all of them), in one pass over the site's text.
    fn postings(
        &self,
        ctx: &Context<'_>,
        bucket: u32,
        wanted: Option<&[u32]>,
    ) -> Arc<BucketPostings> {
        let mut built = self.postings.lock().expect("bucket postings");
        if let Some(p) = built.get(&bucket) {
            return p.clone();
        }
        let buckets = ctx.layout.buckets;
        let mut todo = vec![wanted.is_none(); buckets as usize];
        for &b in wanted.unwrap_or_default().iter().chain([&bucket]) {
            todo[b as usize] = true;
        }
        for b in built.keys() {
            todo[*b as usize] = false;
        }
        let parts: Vec<InvertedIndex> = all_docs(ctx)
            .par_chunks(INDEX_PART)
            .map(|part| {
                let mut index = InvertedIndex::default();
                for (doc, e) in part {
                    index.add_where(*doc, &texts(e), |g| todo[bucket_of(g, buckets) as usize]);
                }
                index
            })
            .collect();
        let mut whole = InvertedIndex::default();
        for part in parts {
            whole.append(part);
        }
        let mut grouped: BTreeMap<u32, BucketPostings> = BTreeMap::new();
        for (b, t) in todo.iter().enumerate() {
            if *t {
                grouped.insert(b as u32, Vec::new());
            }
        }
        for (g, postings) in whole.grams() {
            if let Some(list) = grouped.get_mut(&bucket_of(g, buckets)) {
                list.push((g, postings.clone()));
            }
        }
        for (b, list) in grouped {
            built.insert(b, Arc::new(list));
        }
        built[&bucket].clone()
    }
}

/// The bytes hashed for one posting.
fn bytemuck_bytes(doc: u32, gram: Gram, in_title: bool) -> [u8; 13] {
    let mut bytes = [0u8; 13];
    bytes[..4].copy_from_slice(&doc.to_le_bytes());
    bytes[4..12].copy_from_slice(&gram.to_le_bytes());
    bytes[12] = u8::from(in_title);
    bytes
}

/// The gram buckets among `jobs` that `stale` says must be rendered.
pub fn stale_buckets(jobs: &[Job], stale: impl Fn(&Job) -> bool + Sync) -> Vec<u32> {
    jobs.par_iter()
        .filter_map(|job| match job.output {
            Output::Explore(ExploreFile::Bucket(b)) if stale(job) => Some(b),
            _ => None,
        })
        .collect()
}

/// Every document of the site with its number.
fn all_docs<'c>(ctx: &'c Context<'_>) -> Vec<(u32, &'c Entry)> {
    Collection::ALL
        .iter()
        .flat_map(|&c| {
            let first = ctx.first_docs[&c];
            ctx.dataset(c)
                .records
                .iter()
                .enumerate()
                .map(move |(i, e)| (first + i as u32, e))
        })
        .collect()
}

/// Calls `f` with every gram of a document and whether it is in the title
/// (each gram once, as [`InvertedIndex::add`] posts it).
fn each_gram(e: &Entry, mut f: impl FnMut(Gram, bool)) {
    let [titles, rest] = texts(e);
    let title = amed_model::search::grams_of(&titles);
    for &g in &title {
        f(g, true);
    }
    for g in amed_model::search::grams_of(&rest) {
        if title.binary_search(&g).is_err() {
            f(g, false);
        }
    }
}

/// A record's titles and the rest of its searchable text, in both languages.
fn texts(e: &Entry) -> [Vec<&str>; 2] {
    amed_model::explore::search_texts(e)
}

/// The documents of the site, in numbering order, with their entries' fingerprints.
fn documents<'c>(ctx: &'c Context<'_>) -> impl Iterator<Item = (&'c Entry, Fingerprint)> + 'c {
    Collection::ALL.iter().flat_map(move |&c| {
        let index = ctx.index(c);
        index
            .dataset
            .records
            .iter()
            .zip(index.entries.iter().copied())
    })
}

/// Up to `count` documents from document `first` on.
fn entries_from<'c>(
    ctx: &'c Context<'_>,
    first: u32,
    count: usize,
) -> impl Iterator<Item = &'c Entry> + 'c {
    Collection::ALL
        .iter()
        .flat_map(move |&c| {
            let start = ctx.first_docs[&c];
            let records = &ctx.dataset(c).records;
            let from = (first.saturating_sub(start) as usize).min(records.len());
            records[from..].iter()
        })
        .take(count)
}

fn job(path: String, fingerprint: Fingerprint, file: ExploreFile) -> Job {
    Job {
        path,
        fingerprint,
        output: Output::Explore(file),
    }
}

/// Every file of the explorer's index. Cores depend on dates and facets,
/// title orders on titles, a shard on its documents, and every bucket on
/// the text of the whole site (a changed title re-renders the buckets; the
/// writer then writes only those whose bytes changed).
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    let layout = ctx.layout;
    let mut jobs = Vec::new();
    for collection in EXPLORED {
        let index = ctx.index(collection);
        let first = ctx.first_docs[&collection];
        for lang in Lang::ALL {
            let print = ctx
                .print("explore-core")
                .with(&(collection, lang, first, layout))
                .with(&index.shape)
                .finish128();
            jobs.push(job(
                format::core_file(collection, lang),
                print,
                ExploreFile::Core(collection, lang),
            ));
            let print = ctx
                .print("explore-titles")
                .with(&(collection, lang))
                .with(&index.text)
                .finish128();
            jobs.push(job(
                format::titles_file(collection, lang),
                print,
                ExploreFile::Titles(collection, lang),
            ));
        }
    }
    let prints: Vec<Fingerprint> = documents(ctx).map(|(_, p)| p).collect();
    for lang in Lang::ALL {
        for (shard, chunk) in prints.chunks(layout.shard_size as usize).enumerate() {
            let print = ctx
                .print("explore-docs")
                .with(&(lang, shard, layout))
                .with(&chunk)
                .finish128();
            jobs.push(job(
                format::docs_file(lang, shard as u32),
                print,
                ExploreFile::Docs(lang, shard as u32),
            ));
        }
    }
    jobs.push(job(
        format::SEARCH_MANIFEST.into(),
        ctx.print("explore-manifest")
            .with(&manifest(ctx))
            .finish128(),
        ExploreFile::Manifest,
    ));
    let buckets = ctx.search.get_or_init(|| SearchBuckets::new(ctx));
    for bucket in 0..layout.buckets {
        let print = ctx
            .print("explore-bucket")
            .with(&(layout, bucket))
            .with(&buckets.prints[bucket as usize])
            .finish128();
        jobs.push(job(
            format::bucket_file(bucket),
            print,
            ExploreFile::Bucket(bucket),
        ));
    }
    jobs
}

fn manifest(ctx: &Context<'_>) -> SearchManifest {
    SearchManifest {
        version: format::FORMAT_VERSION,
        layout: ctx.layout,
        sections: Collection::ALL
            .iter()
            .map(|&c| Section {
                collection: c,
                label: Text::new(c.label(Lang::Ja), c.label(Lang::En)),
                list_path: c.list_path().to_string(),
                first: ctx.first_docs[&c],
                count: ctx.index(c).entries.len() as u32,
            })
            .collect(),
    }
}

/// The bytes of one file of the explorer's index (compact JSON).
pub fn render(ctx: &Context<'_>, file: &ExploreFile) -> Vec<u8> {
    let json = match *file {
        ExploreFile::Core(collection, lang) => serde_json::to_vec(&CollectionCore::from_dataset(
            ctx.dataset(collection),
            lang,
            ctx.first_docs[&collection],
            ctx.layout,
        )),
        ExploreFile::Titles(collection, lang) => {
            serde_json::to_vec(&TitleOrder::from_dataset(ctx.dataset(collection), lang))
        }
        ExploreFile::Docs(lang, shard) => {
            let size = ctx.layout.shard_size;
            let first = shard * size;
            let docs = entries_from(ctx, first, size as usize)
                .map(|e| Doc::from_entry(e, lang))
                .collect();
            serde_json::to_vec(&DocShard {
                version: format::FORMAT_VERSION,
                lang,
                first,
                docs,
            })
        }
        ExploreFile::Manifest => serde_json::to_vec(&manifest(ctx)),
        ExploreFile::Bucket(bucket) => {
            let buckets = ctx.search.get_or_init(|| SearchBuckets::new(ctx));
            let wanted = ctx.buckets_to_render.get().map(Vec::as_slice);
            let postings = buckets.postings(ctx, bucket, wanted);
            serde_json::to_vec(&GramBucket::new(
                bucket,
                ctx.layout,
                postings.iter().map(|(g, p)| (*g, p)),
            ))
        }
    };
    let mut bytes = json.expect("index files serialize");
    bytes.push(b'\n');
    bytes
}
