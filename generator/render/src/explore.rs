//! The explorer's index (`explore/`): per explored collection and language
//! the core and the title order, the document shards of every language,
//! the search manifest and the gram buckets. The formats are
//! [`amed_model::explorer_format`]'s; this module decides only which files
//! exist and what each is made from.

use amed_model::explorer_format::{
    self as format, Doc, DocShard, GramBucket, Layout, SearchManifest, Section,
};
use amed_model::{Collection, Lang, Text};
use std::hash::{Hash, Hasher};

use super::context::Context;
use super::inputs::Family;
use super::job::Job;
use super::lists::EXPLORED;
use super::postings::SearchRanges;
use super::rendered::Rendered;
use super::views::{Documents, Searched, Shape, Texts};
use portal_content::error::BuildError;

/// A file of compact JSON, ending in a newline.
fn json<'c>(value: &impl serde::Serialize) -> Result<Rendered<'c>, BuildError> {
    let mut bytes = serde_json::to_vec(value).expect("index files serialize");
    bytes.push(b'\n');
    Ok(Rendered::Bytes(bytes))
}

/// The core of an explored collection in each language.
pub struct ExploreCore;

/// What a core reads: the collection's shape and where it is numbered.
#[derive(Hash)]
pub struct CoreInputs<'c> {
    shape: Shape<'c>,
    lang: Lang,
    first_doc: u32,
    layout: Layout,
}

impl Family for ExploreCore {
    const NAME: &'static str = "explore-core";
    type Key = (Collection, Lang);
    type Inputs<'c> = CoreInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(c, lang): &(Collection, Lang)) -> CoreInputs<'c> {
        CoreInputs {
            shape: ctx.index(c).shape(),
            lang,
            first_doc: ctx.first_docs[&c],
            layout: ctx.layout,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        json(&i.shape.core(i.lang, i.first_doc, i.layout))
    }
}

/// The title order of an explored collection in each language.
pub struct ExploreTitles;

/// What a title order reads: the collection's texts.
#[derive(Hash)]
pub struct TitlesInputs<'c> {
    texts: Texts<'c>,
    lang: Lang,
}

impl Family for ExploreTitles {
    const NAME: &'static str = "explore-titles";
    type Key = (Collection, Lang);
    type Inputs<'c> = TitlesInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(c, lang): &(Collection, Lang)) -> TitlesInputs<'c> {
        TitlesInputs {
            texts: ctx.index(c).texts(),
            lang,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        json(&*i.texts.title_order(i.lang))
    }
}

/// A shard of documents in each language.
pub struct ExploreDocs;

/// What a shard reads: its documents.
#[derive(Hash)]
pub struct DocsInputs<'c> {
    lang: Lang,
    first: u32,
    docs: Documents<'c>,
}

impl Family for ExploreDocs {
    const NAME: &'static str = "explore-docs";
    /// The language and the shard's number.
    type Key = (Lang, u32);
    type Inputs<'c> = DocsInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(lang, shard): &(Lang, u32)) -> DocsInputs<'c> {
        let size = ctx.layout.shard_size;
        DocsInputs {
            lang,
            first: shard * size,
            docs: Documents::new(
                ctx.collections,
                &ctx.first_docs,
                shard * size,
                size as usize,
            ),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        json(&DocShard {
            version: format::FORMAT_VERSION,
            lang: i.lang,
            first: i.first,
            docs: i
                .docs
                .entries()
                .map(|e| Doc::from_entry(e, i.lang))
                .collect(),
        })
    }
}

/// The search manifest.
pub struct ExploreManifest;

impl Family for ExploreManifest {
    const NAME: &'static str = "explore-manifest";
    type Key = ();
    /// The manifest itself: where each collection's documents are, and
    /// which are samples.
    type Inputs<'c> = SearchManifest;

    fn inputs(ctx: &Context<'_>, _: &()) -> SearchManifest {
        manifest(ctx)
    }

    fn render(manifest: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        json(&manifest)
    }
}

/// A bucket of grams of a range of documents.
pub struct ExploreBucket;

/// What a bucket reads: its range's searched texts.
pub struct BucketInputs<'c> {
    range: u32,
    bucket: u32,
    layout: Layout,
    docs: Searched<'c>,
    /// Postings made from `docs`, shared by the range's buckets: a cache,
    /// not an input.
    ranges: &'c SearchRanges,
}

impl Hash for BucketInputs<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.range, self.bucket, self.layout, &self.docs).hash(state);
    }
}

impl Family for ExploreBucket {
    const NAME: &'static str = "explore-bucket";
    /// The range and the bucket.
    type Key = (u32, u32);
    type Inputs<'c> = BucketInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(range, bucket): &(u32, u32)) -> BucketInputs<'c> {
        let layout = ctx.layout;
        BucketInputs {
            range,
            bucket,
            layout,
            docs: Searched::new(
                ctx.collections,
                &ctx.first_docs,
                (range * layout.range_size, layout.range_size as usize),
                &ctx.searched_prints,
            ),
            ranges: &ctx.search,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        let postings = i.ranges.of(i.range, &i.docs, i.layout);
        let postings = &postings.get().expect("indexed")[i.bucket as usize];
        json(&GramBucket::new(
            i.bucket,
            i.layout,
            postings.iter().map(|(g, p)| (*g, p)),
        ))
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
        for lang in Lang::ALL {
            let key = (collection, lang);
            jobs.push(Job::of::<ExploreCore>(
                ctx,
                format::core_file(collection, lang),
                key,
            ));
            jobs.push(Job::of::<ExploreTitles>(
                ctx,
                format::titles_file(collection, lang),
                key,
            ));
        }
    }
    let docs: usize = ctx.collections.values().map(|c| c.entries.len()).sum();
    let shards = docs.div_ceil(layout.shard_size as usize) as u32;
    for lang in Lang::ALL {
        for shard in 0..shards {
            jobs.push(Job::of::<ExploreDocs>(
                ctx,
                format::docs_file(lang, shard),
                (lang, shard),
            ));
        }
    }
    jobs.push(Job::of::<ExploreManifest>(
        ctx,
        format::SEARCH_MANIFEST.into(),
        (),
    ));
    let ranges = docs.div_ceil(layout.range_size as usize) as u32;
    for range in 0..ranges {
        for bucket in 0..layout.buckets {
            let path = format::bucket_file(range, bucket);
            jobs.push(Job::of::<ExploreBucket>(ctx, path, (range, bucket)));
        }
    }
    jobs
}

/// The search manifest of the site.
fn manifest(ctx: &Context<'_>) -> SearchManifest {
    let mut samples = Vec::new();
    for c in Collection::ALL {
        let (index, first) = (ctx.index(c), ctx.first_docs[&c]);
        samples.extend(
            index
                .dataset
                .records
                .iter()
                .enumerate()
                .filter(|(_, e)| e.sample)
                .map(|(i, _)| first + i as u32),
        );
    }
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
        samples,
    }
}
