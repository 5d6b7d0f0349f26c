//! The explorer bundle as the rest of the pipeline sees it: which apps
//! exist, each app's modules, and the files to place in the site. The
//! bundle crate produces an [`ExplorerBundle`]; render only links to it.

use portal_content::routes;

use crate::OutputFile;

/// The apps of the explorer, one WebAssembly module each, so a page
/// downloads only the one it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum App {
    /// The explorer of list pages (filters, chips, downloads).
    Lists,
    /// The site search page.
    Search,
}

impl App {
    /// Both apps.
    pub const ALL: [App; 2] = [App::Lists, App::Search];

    /// The explorer crate's feature that builds this app.
    pub fn feature(self) -> &'static str {
        match self {
            App::Lists => "lists",
            App::Search => "search",
        }
    }

    /// The start of its files' names in the site, before the content hash:
    /// `assets/explorer`, `assets/explorer-search` ([`routes::EXPLORER_ASSETS`]).
    pub fn file_prefix(self) -> String {
        match self {
            App::Lists => routes::EXPLORER_ASSETS.to_string(),
            App::Search => format!("{}-search", routes::EXPLORER_ASSETS),
        }
    }
}

/// One app's modules, relative to the site root.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppModule {
    /// The entry module (`assets/explorer-….js`), which starts itself.
    pub entry: String,
    /// Its WebAssembly module, to preload.
    pub wasm: String,
}

/// Each app's modules.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AppModules {
    /// The list pages' app.
    pub lists: AppModule,
    /// The search page's app.
    pub search: AppModule,
}

impl AppModules {
    /// The modules of `app`.
    pub fn app(&self, app: App) -> &AppModule {
        match app {
            App::Lists => &self.lists,
            App::Search => &self.search,
        }
    }
}

/// The bundled explorer: its files and each app's modules.
#[derive(Debug, Clone)]
pub struct ExplorerBundle {
    /// Files to place under the output folder.
    pub files: Vec<OutputFile>,
    /// Each app's modules.
    pub modules: AppModules,
}
