//! The typed content model of the AMED Results Portal.
//!
//! One crate, two users: the generator (`portal`) builds these types from
//! `content/`, and the WebAssembly explorer (`site/`) reads the explorer index
//! ([`explorer_format`]) made from them. Filtering, facet counts, search, the URL query and
//! the CSV/JSON exports are defined here once, so a filtered view in the
//! browser and the same query run natively select exactly the same records.

/// The site's own words in every language (`model/ui.toml`): the
/// generated pages' and the explorer's, kept in one place.
pub const UI_WORDS: &str = include_str!("../ui.toml");

pub mod content;
pub mod dataset;
pub mod date;
pub mod explore;
pub mod explorer_format;
pub mod export;
pub mod facet_pages;
pub mod lang;
pub mod search;
pub mod taxonomy;

pub use content::{
    Approval, CaseStudy, Collection, Document, Kpi, KpiGroup, Library, License, Milestone, Page,
    Pillar, PpiActivity, Project, Record, Seed, Site, Source,
};
pub use dataset::{
    Dataset, Entry, FacetKind, FacetOption, FacetSpec, FieldKind, FieldSpec, FieldValue, Label,
};
pub use date::{DateError, PartialDate};
pub use explore::{Index, Outcome, Query, Selection, Sort};
pub use lang::{Lang, Text};
pub use taxonomy::{Taxonomies, TaxonomyKind, Term};
