//! The `portal` command's library: the orchestrator of the AMED Results
//! Portal generator.
//!
//! One orchestrator, [`build`], runs the stages in order, each its own
//! crate, data flowing one way: `portal-content` ([`load`], [`validate`])
//! reads `content/` into the checked [`amed_model::Library`];
//! `portal-render` ([`render`]) plans every output with the fingerprint of
//! its inputs and renders those that changed; `portal-bundle` ([`bundle`])
//! compiles the WebAssembly explorer; `portal-output` ([`write`]) stages
//! changed files and commits them to the output folder. [`publish`]
//! streams render into write; [`preview`] and [`serve`] keep the checked
//! content in memory and redo only what each edit touches.

pub mod init;
pub mod options;
pub mod preview;
pub mod progress;
pub mod publish;
pub mod serve;
pub mod unchanged;

// The stages, each its own crate; re-exported so that tools and tests
// reach the whole pipeline through one name.
pub use portal_bundle as bundle;
pub use portal_content::{check, with_slash};
pub use portal_content::{error, folder, history, load, markdown, routes, urls, validate};
pub use portal_output::{fingerprint, precompress, write};
pub use portal_render as render;

use std::time::Duration;

pub use error::{BuildError, Diagnostic};
pub use options::{BuildOptions, Explorer};
pub use progress::Progress;
pub use render::OutputFile;
pub use write::Summary;

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Files of the site (generated, bundle and `public/`).
    pub files: usize,
    /// What changed in the output folder.
    pub summary: Summary,
    /// Records in the library.
    pub records: usize,
    /// How long it took.
    pub elapsed: Duration,
    /// The explorer bundle used, for reuse by the next build.
    pub explorer: Option<bundle::ExplorerBundle>,
    /// What the person building should know though the build succeeded
    /// (an incomplete or unreadable version history, say).
    pub warnings: Vec<String>,
}

impl BuildReport {
    /// One line for people: what changed and how long it took.
    pub fn line(&self) -> String {
        let s = &self.summary;
        format!(
            "{} records, {} files: {} written, {} unchanged, {} removed in {:.2} s",
            self.records,
            self.files,
            s.written,
            s.unchanged,
            s.removed,
            self.elapsed.as_secs_f64()
        )
    }
}

/// The explorer bundle a build links to, per its options.
pub fn explorer_bundle(explorer: &Explorer) -> Result<Option<bundle::ExplorerBundle>, BuildError> {
    Ok(match explorer {
        Explorer::Build(source) => Some(bundle::build(source)?),
        Explorer::Prebuilt(bundle) => Some(bundle.clone()),
        Explorer::Skip => None,
    })
}

/// Both results, or every content problem of the two, or the first other error.
fn both<A, B>(a: Result<A, BuildError>, b: Result<B, BuildError>) -> Result<(A, B), BuildError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(BuildError::Content(mut first)), Err(BuildError::Content(second))) => {
            first.extend(second);
            first.sort();
            Err(BuildError::Content(first))
        }
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}

/// The static files of a build: the explorer bundle and `public/`.
pub fn static_files(
    explorer: Option<&bundle::ExplorerBundle>,
    public: Vec<publish::StaticFile>,
) -> Vec<publish::StaticFile> {
    let mut statics: Vec<publish::StaticFile> = explorer
        .iter()
        .flat_map(|b| b.files.iter())
        .map(|f| publish::StaticFile::Bytes(std::sync::Arc::new(f.clone())))
        .collect();
    statics.extend(public);
    statics
}

/// Refuses an output folder inside the content or public folder (a build
/// would read its own output, a preview rebuild forever) or holding one
/// of them (`--out .`: replacing it would replace the sources).
pub fn check_output_folder(options: &BuildOptions) -> Result<(), BuildError> {
    // Through symbolic links where the folder exists, lexically where not.
    let resolve = |path: &std::path::Path| path.canonicalize().or_else(|_| write::clean(path));
    let out = resolve(&options.out)?;
    let sources = [
        ("content", Some(&options.content)),
        ("public", options.public.as_ref()),
    ];
    for (what, dir) in sources {
        let Some(dir) = dir.filter(|d| d.exists()) else {
            continue;
        };
        let dir = resolve(dir)?;
        let relation = if out.starts_with(&dir) {
            "is inside"
        } else if dir.starts_with(&out) {
            "holds"
        } else {
            continue;
        };
        return Err(BuildError::Io {
            action: "refusing to write into",
            path: options.out.clone(),
            source: std::io::Error::other(format!(
                "it {relation} the {what} folder {}; choose an output folder outside it",
                dir.display()
            )),
        });
    }
    Ok(())
}

/// What a build renders from: the checked content, the explorer bundle
/// and the static files.
type Prepared = (
    amed_model::Library,
    Option<bundle::ExplorerBundle>,
    Vec<publish::StaticFile>,
);

/// The checked content, the explorer bundle (the one found ready, or
/// compiled now) and the static files of a build, or every problem of
/// the content and of `public/` together.
fn prepare(
    options: &BuildOptions,
    ready: Option<Option<bundle::ExplorerBundle>>,
) -> Result<Prepared, BuildError> {
    let (library, public) = both(
        check(&options.content, options.base_url.as_deref()),
        publish::public_files(options.public.as_deref()),
    )?;
    let explorer = match ready {
        Some(explorer) => explorer,
        None => explorer_bundle(&options.explorer)?,
    };
    let base_url = &library.site.base_url;
    if options.require_public_url && urls::is_local(base_url) {
        return Err(BuildError::LocalBaseUrl(base_url.clone()));
    }
    if options.require_public_url && init::is_placeholder(base_url) {
        return Err(BuildError::PlaceholderBaseUrl(base_url.clone()));
    }
    let statics = static_files(explorer.as_ref(), public);
    Ok((library, explorer, statics))
}

/// Builds the site. On any error the previous output is left untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    let started = std::time::Instant::now();
    let progress = &options.progress;
    check_output_folder(options)?;
    let dir = write::OutputDir::open(&options.out)?;
    // Nothing to do when every input is as it was for the build that made
    // the folder, and the folder is as that build left it.
    let ready = match &options.explorer {
        Explorer::Build(source) => bundle::ready(source).map(Some),
        Explorer::Prebuilt(bundle) => Some(Some(bundle.clone())),
        Explorer::Skip => Some(None),
    };
    let inputs = ready
        .as_ref()
        .and_then(|explorer| unchanged::inputs(options, explorer.as_ref()));
    if let (Some(explorer), Some(last)) = (&ready, inputs.and_then(|i| dir.built_from(i))) {
        dir.abandon();
        return Ok(BuildReport {
            files: last.files,
            summary: Summary {
                unchanged: last.files,
                ..Summary::default()
            },
            records: last.records,
            elapsed: started.elapsed(),
            explorer: explorer.clone(),
            warnings: last.warnings,
        });
    }
    progress.stage("check", 0);
    let prepared = prepare(options, ready);
    let (library, explorer, statics) = match prepared {
        Ok(prepared) => prepared,
        Err(err) => {
            dir.abandon();
            return Err(err);
        }
    };
    let assets = render::Assets::new(explorer.as_ref(), options.live_reload);
    progress::profile("check", started);
    progress.stage("index", 0);
    let t = std::time::Instant::now();
    let collections = render::index_collections(&library);
    let history = history::History::read(&options.content);
    let ctx = render::Context::new(&library, &assets, &collections, &history);
    progress::profile("index", t);
    let warnings = history.warnings();
    let committed = publish::publish(dir, &ctx, &statics, progress)?;
    let summary = committed.summary;
    drop(ctx);
    let records = library.documents().count();
    if let Some(inputs) = inputs {
        let last = portal_output::stamp::LastBuild {
            records,
            files: summary.written + summary.unchanged,
            warnings: warnings.clone(),
        };
        committed.record_inputs(&options.out, inputs, &last)?;
    }
    drop(committed);
    // At scale, freeing the library and its indexes takes a noticeable
    // part of a build that changed little: the caller need not wait.
    std::thread::spawn(move || drop((library, collections)));
    Ok(BuildReport {
        files: summary.written + summary.unchanged,
        summary,
        records,
        elapsed: started.elapsed(),
        explorer,
        warnings,
    })
}
