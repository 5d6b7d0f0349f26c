//! Narrowing without JavaScript: the static pages of one facet option or
//! a pair of options (`/approvals/modality/gene-therapy/disease/cancer/`),
//! and the facet links of a list page, which narrow from where the reader
//! is (with counts equal to what the linked page shows) and undo one
//! option at a time. Where pages are is [`amed_model::facet_pages`]'s.

use amed_model::facet_pages::{self, MAX_OPTIONS};
use amed_model::{Collection, FacetKind, Lang};
use serde::Serialize;

use super::lists::{ListFilter, options, query_of};
use super::views::Shape;
use portal_content::routes;

/// A facet's options on a list page.
#[derive(Serialize)]
pub struct FacetGroup {
    legend: String,
    options: Vec<FacetLink>,
}

/// One option: its count within the page's filters, and the page that
/// narrows to it, where one is built.
#[derive(Serialize)]
struct FacetLink {
    label: String,
    href: Option<String>,
    count: usize,
    current: bool,
}

/// An option the page is narrowed to, and the page without it.
#[derive(Serialize)]
pub struct Removal {
    label: String,
    href: String,
}

/// The facets of `list`'s page: each option with the number of records
/// the page's filters and that option leave (what its link shows), linked
/// to the page that narrows by it (the option replaces the page's option
/// of its own facet). Options of a third facet on a pair page have counts
/// but no link: deeper views are the explorer's.
pub fn facet_groups(
    site: &routes::Site,
    shape: Shape<'_>,
    lang: Lang,
    filters: &[ListFilter],
) -> Vec<FacetGroup> {
    let collection = shape.collection();
    let counts = if filters.is_empty() {
        shape.unfiltered().counts.clone()
    } else {
        shape.evaluate(&query_of(filters), lang).counts
    };
    let here = options(filters);
    shape
        .facets()
        .iter()
        .zip(&counts)
        .filter(|(spec, _)| spec.kind == FacetKind::Terms)
        .map(|(spec, counts)| FacetGroup {
            legend: spec.label.get(lang).to_string(),
            options: spec
                .options
                .iter()
                .zip(counts)
                .map(|(option, &count)| {
                    let mut target: Vec<(&str, &str)> = here
                        .iter()
                        .copied()
                        .filter(|(f, _)| *f != spec.id)
                        .collect();
                    target.push((&spec.id, &option.key));
                    let page = (count > 0)
                        .then(|| facet_pages::page_path(collection, &target))
                        .flatten();
                    FacetLink {
                        label: option.label.get(lang).to_string(),
                        href: page.map(|p| site.href(lang, &p)),
                        count: count as usize,
                        current: here.contains(&(spec.id.as_str(), option.key.as_str())),
                    }
                })
                .filter(|o| o.count > 0 || o.current)
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// The options a list of `collection` is narrowed to, each linked to the
/// page without it.
pub fn removals(
    site: &routes::Site,
    lang: Lang,
    collection: Collection,
    filters: &[ListFilter],
) -> Vec<Removal> {
    let here = options(filters);
    filters
        .iter()
        .filter_map(|f| {
            let rest: Vec<(&str, &str)> = here
                .iter()
                .copied()
                .filter(|o| *o != (f.facet.as_str(), f.key.as_str()))
                .collect();
            let path = facet_pages::page_path(collection, &rest)?;
            Some(Removal {
                label: f.label.clone(),
                href: site.href(lang, &path),
            })
        })
        .collect()
}

/// Whether a list narrowed to `filters` is as narrow as facet pages go.
pub fn is_deepest(filters: &[ListFilter]) -> bool {
    filters.len() >= MAX_OPTIONS
}
