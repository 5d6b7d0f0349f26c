//! Stage 3, render: the checked [`Library`] to pages, feeds, sitemap and
//! open data, one output at a time.
//!
//! Rendering is planned first: [`plan`] lists every output of the site as
//! a [`Job`] with the fingerprint of its declared inputs, and the writer
//! renders only jobs whose fingerprint changed, so the cost of a build
//! follows the change, not the site. Each output family implements
//! [`inputs::Family`]: its `Inputs` is everything one output reads (the
//! fingerprint is its hash) and its render function sees nothing else
//! ([`inputs`] states the rules, [`views`] holds the views of a
//! collection an output may read). One module per output family:
//! [`record`], [`list`] (with [`narrow`]), [`policy`] (home, KPIs,
//! policy, 404), [`feed`], [`calendar`], [`sitemap`], [`search`],
//! [`subscribe`], [`data`], [`catalog`], [`explore`] and [`host`];
//! [`chrome`], [`facts`], [`narrow`] and [`chart`] help them.
//!
//! Modules depend on each other one way, from the plan down:
//! [`plan`] (jobs, rendering) → the families → [`inputs`] (the contract)
//! → [`context`] (what a build reads) → [`lists`], [`descriptions`],
//! [`postings`], [`views`] → [`index`] → [`rows`], with [`shared`],
//! [`job`], [`rendered`], [`sources`] and [`templates`] below. This file
//! only names them. Nothing here touches the file system.

pub mod calendar;
pub mod catalog;
pub mod chart;
pub mod chrome;
pub mod context;
pub mod data;
pub mod descriptions;
pub mod explore;
pub mod facts;
pub mod feed;
pub mod host;
pub mod index;
pub mod inputs;
pub mod job;
pub mod list;
pub mod lists;
pub mod narrow;
pub mod plan;
pub mod policy;
pub mod postings;
pub mod record;
pub mod rendered;
pub mod rows;
pub mod search;
pub mod shared;
pub mod sitemap;
pub mod sources;
pub mod subscribe;
pub mod templates;
pub mod views;

pub use context::{Context, Reuse};
pub use host::CONTENT_SECURITY_POLICY;
pub use index::{CollectionIndex, Collections, index_collections};
pub use job::{Job, Output};
pub use lists::PAGE_SIZE;
pub use plan::{Plan, plan, render, render_all};
pub use portal_output::OutputFile;
pub use rendered::Rendered;
pub use shared::{Assets, LIVE_RELOAD_SCRIPT};
