//! The search index's postings of each document range, made on first use
//! and shared by the range's bucket files.

use std::collections::BTreeMap;
use std::sync::Arc;

use amed_model::explorer_format::Layout;
use amed_model::search::{Gram, Postings, bucket_of, grams_of};

use super::views::Searched;

/// The postings of each document range of the index, grouped by bucket,
/// built on first use: rendering any bucket of a range indexes the range's
/// documents once for all its buckets.
#[derive(Debug, Default)]
pub struct SearchRanges(std::sync::Mutex<BTreeMap<u32, Arc<std::sync::OnceLock<RangePostings>>>>);

/// One range's postings: per bucket, in gram order.
type RangePostings = Vec<Vec<(Gram, Postings)>>;

impl SearchRanges {
    /// The postings of range `range`, whose documents are `docs`.
    pub(crate) fn of(
        &self,
        range: u32,
        docs: &Searched<'_>,
        layout: Layout,
    ) -> Arc<std::sync::OnceLock<RangePostings>> {
        let cell = self
            .0
            .lock()
            .expect("search ranges")
            .entry(range)
            .or_default()
            .clone();
        // Built outside the lock: ranges index side by side.
        cell.get_or_init(|| index_range(docs, range * layout.range_size, layout));
        cell
    }
}

/// Indexes the documents `docs`, numbered from `first`: every (bucket,
/// gram, document, place) is listed and sorted, and each run of one gram
/// becomes its postings, documents ascending. On one thread: it runs
/// inside the parallel render of a bucket job, under the range's
/// `OnceLock`, and a worker that waited there for nested parallel work
/// could pick up another job of the same range and lock itself (rayon's
/// work stealing). The same postings as
/// [`amed_model::search::InvertedIndex`] gives, without a map insertion per
/// gram: a title edit re-indexes a whole range, so this is on its path.
fn index_range(docs: &Searched<'_>, first: u32, layout: Layout) -> RangePostings {
    let mut all: Vec<(u32, Gram, u32, bool)> = (first..)
        .zip(docs.texts())
        .flat_map(|(doc, [titles, rest])| {
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
