//! The AMED Results Portal generator.
//!
//! One orchestrator, [`build`], runs the pipeline stages in order, data
//! flowing one way: [`load`] reads `content/` into raw front matter,
//! [`validate`] turns it into the checked [`amed_model::Library`],
//! [`render`] produces every page and data file in memory, [`bundle`]
//! compiles the WebAssembly explorer, and [`write`] swaps the finished site
//! into place. [`serve`] wraps the whole build for live preview.

pub mod bundle;
pub mod error;
pub mod load;
pub mod markdown;
pub mod render;
pub mod serve;
pub mod validate;
pub mod write;

use std::path::PathBuf;

use amed_model::Library;

pub use error::{BuildError, Diagnostic};
pub use render::OutputFile;

/// What a build should do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder.
    pub content: PathBuf,
    /// The output folder, replaced atomically.
    pub out: PathBuf,
    /// Static files copied as they are (`public/`), if any.
    pub public: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml` (deploying under another URL).
    pub base_url: Option<String>,
    /// How to get the explorer bundle.
    pub explorer: Explorer,
    /// Add the live-reload script (set by `portal serve` only).
    pub live_reload: bool,
}

/// How a build gets the WebAssembly explorer.
#[derive(Debug, Clone)]
pub enum Explorer {
    /// Compile it from source.
    Build(bundle::ExplorerSource),
    /// Use one compiled earlier (live preview rebuilds content only).
    Prebuilt(bundle::ExplorerBundle),
    /// Leave it out: pages still work, without interactive filtering.
    Skip,
}

/// What a successful build produced.
#[derive(Debug, Clone)]
pub struct BuildReport {
    /// Files written (not counting `public/`).
    pub files: usize,
    /// Records in the library.
    pub records: usize,
    /// The explorer bundle used, for reuse by the next build.
    pub explorer: Option<bundle::ExplorerBundle>,
}

/// Loads and validates the content: every problem, or the library.
pub fn check(content: &std::path::Path, base_url: Option<&str>) -> Result<Library, BuildError> {
    let mut diagnostics = error::Diagnostics::default();
    let raw = load::load(content, &mut diagnostics)?;
    let library = validate::validate(raw, &mut diagnostics);
    match library {
        Some(mut library) if diagnostics.is_empty() => {
            if let Some(url) = base_url {
                library.site.base_url = if url.ends_with('/') {
                    url.to_string()
                } else {
                    format!("{url}/")
                };
            }
            Ok(library)
        }
        _ => Err(BuildError::Content(diagnostics.into_sorted())),
    }
}

/// Builds the site. On any error the previous output is left untouched.
pub fn build(options: &BuildOptions) -> Result<BuildReport, BuildError> {
    write::recover(&options.out)?;
    let library = check(&options.content, options.base_url.as_deref())?;
    let explorer = match &options.explorer {
        Explorer::Build(source) => Some(bundle::build(source)?),
        Explorer::Prebuilt(bundle) => Some(bundle.clone()),
        Explorer::Skip => None,
    };
    let assets = render::Assets {
        explorer_js: explorer.as_ref().map(|b| b.entry.clone()),
        live_reload: options.live_reload,
    };
    let mut files = render::render(&library, &assets)?;
    if let Some(bundle) = &explorer {
        files.extend(bundle.files.iter().cloned());
    }
    write::write_site(&options.out, &files, options.public.as_deref())?;
    Ok(BuildReport {
        files: files.len(),
        records: library.documents().count(),
        explorer,
    })
}
