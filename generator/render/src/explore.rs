//! The explorer's index (`explore/`): per explored collection and language
//! the core and the title order, the document shards of every language,
//! the search manifest and the gram buckets. The formats are
//! [`amed_model::explorer_format`]'s; this module decides only which files
//! exist and what each is made from.

use amed_model::explorer_format::{
    self as format, CollectionCore, Doc, DocShard, GramBucket, SearchManifest, Section,
};
use amed_model::search::{Gram, Postings, bucket_of, grams_of};
use amed_model::{Collection, Entry, FacetSpec, Lang, Text};
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Context, Job, Output};
use portal_output::fingerprint::Fingerprint;

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

/// The postings of each document range of the index, grouped by bucket,
/// built on first use: rendering any bucket of a range indexes the range's
/// documents once for all its buckets.
#[derive(Debug, Default)]
pub struct SearchRanges(std::sync::Mutex<BTreeMap<u32, Arc<std::sync::OnceLock<RangePostings>>>>);

/// One range's postings: per bucket, in gram order.
type RangePostings = Vec<Vec<(Gram, Postings)>>;

impl SearchRanges {
    /// The postings of range `range`.
    fn of(&self, ctx: &Context<'_>, range: u32) -> Arc<std::sync::OnceLock<RangePostings>> {
        let cell = self
            .0
            .lock()
            .expect("search ranges")
            .entry(range)
            .or_default()
            .clone();
        // Built outside the lock: ranges index side by side.
        cell.get_or_init(|| index_range(ctx, range));
        cell
    }
}

/// Indexes the documents of `range`: every (bucket, gram, document,
/// place) is listed and sorted, and each run of one gram becomes its
/// postings, documents ascending. On one thread: it runs inside the
/// parallel render of a bucket job, under the range's `OnceLock`, and a
/// worker that waited there for nested parallel work could pick up another
/// job of the same range and lock itself (rayon's work stealing). The same postings as
/// [`amed_model::search::InvertedIndex`] gives, without a map insertion per
/// gram: a title edit re-indexes a whole range, so this is on its path.
fn index_range(ctx: &Context<'_>, range: u32) -> RangePostings {
    let layout = ctx.layout;
    let first = range * layout.range_size;
    let docs: Vec<(u32, (&Entry, &[FacetSpec]))> = (first..)
        .zip(entries_from(ctx, first, layout.range_size as usize))
        .collect();
    let mut all: Vec<(u32, Gram, u32, bool)> = docs
        .iter()
        .flat_map(|&(doc, (e, facets))| {
            let [titles, rest] = amed_model::explore::search_texts(e, facets);
            let title = grams_of(&titles);
            let body: Vec<Gram> = grams_of(&rest)
                .into_iter()
                .filter(|g| title.binary_search(g).is_err())
                .collect();
            let place =
                |in_title: bool| move |g: Gram| (bucket_of(g, layout.buckets), g, doc, in_title);
            let mut postings: Vec<_> = title.into_iter().map(place(true)).collect();
            postings.extend(body.into_iter().map(place(false)));
            postings
        })
        .collect();
    all.sort_unstable();
    let mut buckets: RangePostings = vec![Vec::new(); layout.buckets as usize];
    for (bucket, gram, doc, in_title) in all {
        let list = &mut buckets[bucket as usize];
        if list.last().is_none_or(|(g, _)| *g != gram) {
            list.push((gram, Postings::default()));
        }
        let postings = &mut list.last_mut().expect("just pushed").1;
        if in_title {
            postings.title.push(doc);
        } else {
            postings.body.push(doc);
        }
    }
    buckets
}

/// The documents of the site, in numbering order, with their entries' fingerprints.
fn documents<'c>(ctx: &'c Context<'_>) -> impl Iterator<Item = (&'c Entry, Fingerprint)> + 'c {
    Collection::ALL.iter().flat_map(move |&c| {
        let index = ctx.index(c);
        index
            .dataset
            .records
            .iter()
            .map(|e| &**e)
            .zip(index.entries.iter().copied())
    })
}

/// Up to `count` documents from document `first` on, each with its
/// collection's facets.
fn entries_from<'c>(
    ctx: &'c Context<'_>,
    first: u32,
    count: usize,
) -> impl Iterator<Item = (&'c Entry, &'c [FacetSpec])> + 'c {
    Collection::ALL
        .iter()
        .flat_map(move |&c| {
            let start = ctx.first_docs[&c];
            let dataset = ctx.dataset(c);
            let from = (first.saturating_sub(start) as usize).min(dataset.records.len());
            dataset.records[from..]
                .iter()
                .map(|e| (&**e, &dataset.facets[..]))
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
/// title orders on titles, a shard on its documents, and the buckets of a
/// document range on the titles and summaries of that range (a changed
/// title re-renders its range's buckets; the writer then writes only those
/// whose bytes changed).
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
    // A range's buckets depend on the titles and summaries of its documents.
    let texts: Vec<Fingerprint> = Collection::ALL
        .iter()
        .flat_map(|&c| ctx.index(c).texts.iter().copied())
        .collect();
    for (range, texts) in texts.chunks(layout.range_size as usize).enumerate() {
        let range = range as u32;
        let print = ctx
            .print("explore-bucket")
            .with(&(layout, range))
            .with(&texts)
            .finish128();
        for bucket in 0..layout.buckets {
            let print = portal_output::fingerprint::Fingerprinter::new()
                .with(&print)
                .with(&bucket)
                .finish128();
            jobs.push(job(
                format::bucket_file(range, bucket),
                print,
                ExploreFile::Bucket(range, bucket),
            ));
        }
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
        samples: documents(ctx)
            .enumerate()
            .filter(|(_, (e, _))| e.sample)
            .map(|(doc, _)| doc as u32)
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
            serde_json::to_vec(&*ctx.index(collection).title_order(lang))
        }
        ExploreFile::Docs(lang, shard) => {
            let size = ctx.layout.shard_size;
            let first = shard * size;
            let docs = entries_from(ctx, first, size as usize)
                .map(|(e, _)| Doc::from_entry(e, lang))
                .collect();
            serde_json::to_vec(&DocShard {
                version: format::FORMAT_VERSION,
                lang,
                first,
                docs,
            })
        }
        ExploreFile::Manifest => serde_json::to_vec(&manifest(ctx)),
        ExploreFile::Bucket(range, bucket) => {
            let postings = ctx.search.of(ctx, range);
            let postings = &postings.get().expect("indexed")[bucket as usize];
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
