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

/// The site's gram postings, grouped by bucket.
#[derive(Debug, Default)]
pub struct SearchBuckets(Vec<Vec<(Gram, Postings)>>);

impl SearchBuckets {
    /// Indexes every document of the site, in parts side by side.
    fn build(ctx: &Context<'_>) -> SearchBuckets {
        let docs: Vec<(u32, &Entry)> = Collection::ALL
            .iter()
            .flat_map(|&c| {
                let first = ctx.first_docs[&c];
                ctx.dataset(c)
                    .records
                    .iter()
                    .enumerate()
                    .map(move |(i, e)| (first + i as u32, e))
            })
            .collect();
        let parts: Vec<InvertedIndex> = docs
            .par_chunks(INDEX_PART)
            .map(|part| {
                let mut index = InvertedIndex::default();
                for (doc, e) in part {
                    let [titles, rest] = texts(e);
                    index.add(*doc, &titles, &rest);
                }
                index
            })
            .collect();
        let mut whole = InvertedIndex::default();
        for part in parts {
            whole.append(part);
        }
        let buckets = ctx.layout.buckets;
        let mut grouped: Vec<Vec<(Gram, Postings)>> = vec![Vec::new(); buckets as usize];
        for (g, postings) in whole.grams() {
            grouped[bucket_of(g, buckets) as usize].push((g, postings.clone()));
        }
        SearchBuckets(grouped)
    }
}

/// A record's titles and the rest of its searchable text, in both languages.
fn texts(e: &Entry) -> [Vec<&str>; 2] {
    fn both(t: &Text) -> Vec<&str> {
        std::iter::once(t.ja.as_str())
            .chain(t.en.as_deref())
            .collect()
    }
    [both(&e.title), both(&e.summary)]
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
    let texts: Vec<Fingerprint> = Collection::ALL.iter().map(|&c| ctx.index(c).text).collect();
    let text = ctx
        .print("explore-bucket")
        .with(&layout)
        .with(&texts)
        .with(&ctx.first_docs)
        .finish128();
    for bucket in 0..layout.buckets {
        let print = crate::fingerprint::Fingerprinter::new()
            .with(&text)
            .with(&bucket)
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
            let buckets = ctx.search.get_or_init(|| SearchBuckets::build(ctx));
            let postings = buckets.0[bucket as usize].iter().map(|(g, p)| (*g, p));
            serde_json::to_vec(&GramBucket::new(bucket, ctx.layout, postings))
        }
    };
    let mut bytes = json.expect("index files serialize");
    bytes.push(b'\n');
    bytes
}
