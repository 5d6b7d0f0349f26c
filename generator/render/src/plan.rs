//! The plan of a build: every output as a job with the fingerprint of its
//! declared inputs, in a stable order, and rendering a job. The one place
//! each [`Output`] variant is tied to its family.

use std::sync::Arc;

use amed_model::{Lang, Library};
use portal_content::error::BuildError;
use portal_content::history::History;
use portal_output::OutputFile;
use portal_output::fingerprint::{Fingerprint, Fingerprinter};
use rayon::prelude::*;

use super::context::{Context, Reuse};
use super::index::index_collections;
use super::inputs::{self, FamilyOutput};
use super::job::{Job, Output};
use super::rendered::Rendered;
use super::shared::Assets;
use super::{
    calendar, catalog, data, explore, feed, host, list, policy, record, search, sitemap, subscribe,
};

/// Ties each [`Output`] variant to its family: the family makes the
/// variant from its key ([`FamilyOutput`]) and renders it, so a job is
/// always fingerprinted and rendered by the same family.
macro_rules! families {
    ($($variant:ident => $family:ty,)*) => {
        impl Output {
            /// Renders this output from its declared inputs.
            pub fn render<'c>(&self, ctx: &'c Context<'_>) -> Result<Rendered<'c>, BuildError> {
                match self {
                    $(Output::$variant(key) => inputs::make::<$family>(ctx, key),)*
                }
            }
        }

        $(
            impl FamilyOutput for $family {
                fn wrap(key: <$family as inputs::Family>::Key) -> Output {
                    Output::$variant(key)
                }
            }
        )*

        /// The name of every family, in the table's order (each must be
        /// its own: it is part of every fingerprint of the family).
        pub const FAMILY_NAMES: &[&str] = &[$(<$family as inputs::Family>::NAME,)*];
    };
}

families! {
    Record => record::RecordPage,
    List => list::ListPage,
    Home => policy::HomePage,
    Kpis => policy::KpisPage,
    Policy => policy::PolicyPage,
    NotFound => policy::NotFoundPage,
    Chart => policy::ChartDownload,
    Feed => feed::SiteFeed,
    ListFeed => feed::ListFeed,
    Calendar => calendar::Calendar,
    EventCalendar => calendar::EventCalendar,
    Sitemap => sitemap::Sitemap,
    Robots => sitemap::Robots,
    HtmlSitemap => sitemap::HtmlSitemap,
    Data => data::DataFile,
    FacetData => data::FacetData,
    DataIndex => data::DataIndex,
    DataPackage => catalog::DataPackage,
    DataCatalog => catalog::DataCatalog,
    DataDictionary => catalog::DataDictionary,
    HostHeaders => host::HostHeaders,
    Search => search::SearchPage,
    Feeds => subscribe::FeedsPage,
    ExploreCore => explore::ExploreCore,
    ExploreTitles => explore::ExploreTitles,
    ExploreDocs => explore::ExploreDocs,
    ExploreManifest => explore::ExploreManifest,
    ExploreBucket => explore::ExploreBucket,
}

/// Every output of the site, with fingerprints, in a stable order.
pub struct Plan {
    /// The record pages, two per record.
    pub records: Arc<Vec<Job>>,
    /// Which of `records` may differ from the last publish of a live
    /// preview; `None`: any of them.
    pub fresh: Option<Vec<usize>>,
    /// Every other output.
    pub others: Vec<Job>,
    /// The sitemap's jobs (also among `others`) and the key they hold for.
    sitemap: (Fingerprint, Arc<Vec<Job>>),
}

/// The record pages' jobs: the last publish's with the pages of the
/// records replaced since planned again, when the context kept them,
/// with the positions of those that changed; else all planned anew.
fn record_jobs(ctx: &Context<'_>) -> (Arc<Vec<Job>>, Option<Vec<usize>>) {
    let reused = ctx
        .reused_records
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .take();
    match reused {
        Some((mut jobs, changed)) => {
            let fresh = record::replan(ctx, Arc::make_mut(&mut jobs).as_mut_slice(), &changed);
            (jobs, Some(fresh))
        }
        None => (Arc::new(record::jobs(ctx)), None),
    }
}

impl Plan {
    /// Every job, record pages first.
    pub fn jobs(&self) -> impl Iterator<Item = &Job> {
        self.records.iter().chain(&self.others)
    }

    /// The record pages' jobs that may have changed, then every other job.
    pub fn to_stage(&self) -> Vec<&Job> {
        let records: Vec<&Job> = match &self.fresh {
            Some(fresh) => fresh.iter().map(|&k| &self.records[k]).collect(),
            None => self.records.iter().collect(),
        };
        records.into_iter().chain(&self.others).collect()
    }
}

/// Plans every output of the site.
pub fn plan(ctx: &Context<'_>) -> Plan {
    let (records, fresh) = record_jobs(ctx);
    let mut jobs = list::jobs(ctx);
    for lang in Lang::ALL {
        jobs.extend(policy::jobs(ctx, lang));
        jobs.push(feed::job(ctx, lang));
        jobs.push(sitemap::html_job(ctx, lang));
        jobs.extend(calendar::jobs(ctx, lang));
        jobs.push(search::job(ctx, lang));
        jobs.push(subscribe::job(ctx, lang));
    }
    jobs.extend(feed::list_jobs(ctx));
    jobs.extend(data::jobs(ctx));
    jobs.extend(catalog::jobs(ctx));
    jobs.extend(explore::jobs(ctx));
    let other_pages: Vec<&str> = pages(&jobs).collect();
    // The record pages are the same ones as last time when only their
    // contents were planned again.
    let key = Fingerprinter::new()
        .with(&ctx.shared)
        .with(&other_pages)
        .finish128();
    let sitemap = match &ctx.sitemap {
        Some((known, maps)) if *known == key && fresh.is_some() => maps.clone(),
        _ => {
            let mut all: Vec<&str> = pages(&records).collect();
            all.extend(other_pages);
            Arc::new(sitemap::jobs(ctx, all))
        }
    };
    jobs.extend(sitemap.iter().cloned());
    jobs.push(sitemap::robots_job(ctx));
    jobs.push(host::job(ctx));
    Plan {
        records,
        fresh,
        others: jobs,
        sitemap: (key, sitemap),
    }
}

/// The site paths of the Japanese pages among `jobs` (a page's English
/// twin is in the sitemap as its alternate).
fn pages(jobs: &[Job]) -> impl Iterator<Item = &str> {
    jobs.iter()
        .filter_map(|j| j.path.strip_suffix("index.html"))
        .filter(|p| !p.starts_with("en/"))
}

impl Context<'_> {
    /// What the next publish of a live preview can take from this one,
    /// `others` being the paths of every output that is not a record page.
    pub fn into_reuse(self, plan: Plan, others: rustc_hash::FxHashSet<String>) -> Reuse {
        Reuse {
            records: self.records,
            record_prints: self.record_prints,
            maps: self.maps,
            collections: self.collections.clone(),
            lists: self.lists,
            global: self.shared.print(),
            history: self.history.log(),
            last_changes: self.descriptions.changed.clone(),
            record_jobs: plan.records,
            sitemap: Some(plan.sitemap),
            others: Some(others),
        }
    }
}

/// Renders one output, from its declared inputs.
pub fn render<'c>(ctx: &'c Context<'_>, job: &Job) -> Result<Rendered<'c>, BuildError> {
    job.output.render(ctx)
}

/// Renders the whole site in memory (tests and small sites; builds stream
/// through [`portal_output::write`] instead).
pub fn render_all(lib: &Library, assets: &Assets) -> Result<Vec<OutputFile>, BuildError> {
    let collections = index_collections(lib);
    let history = History::default();
    let ctx = Context::new(lib, assets, &collections, &history);
    let plan = plan(&ctx);
    let jobs: Vec<&Job> = plan.jobs().collect();
    let mut files: Vec<OutputFile> = jobs
        .par_iter()
        .map(|job| {
            Ok(OutputFile {
                path: job.path.clone(),
                bytes: render(&ctx, job)?.into_bytes(),
            })
        })
        .collect::<Result<_, BuildError>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_family_has_a_name_of_its_own() {
        let mut names = super::FAMILY_NAMES.to_vec();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(names.len(), before, "two families share a name: {names:?}");
    }
}
