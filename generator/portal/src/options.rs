//! What a build is asked to do: its folders, its deployment URL and how
//! it gets the explorer.

use std::path::PathBuf;

use crate::progress::Progress;
use portal_bundle as bundle;

/// What a build should do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder.
    pub content: PathBuf,
    /// The output folder, updated atomically.
    pub out: PathBuf,
    /// Static files copied as they are (`public/`), if any.
    pub public: Option<PathBuf>,
    /// Overrides `base_url` of `site.toml` (deploying under another URL).
    pub base_url: Option<String>,
    /// How to get the explorer bundle.
    pub explorer: Explorer,
    /// Add the live-reload script (set by `portal serve` only).
    pub live_reload: bool,
    /// Refuse a deployment URL on this machine (`portal build`: a site
    /// published with links to 127.0.0.1 works for nobody).
    pub require_public_url: bool,
    /// How progress is shown.
    pub progress: Progress,
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
