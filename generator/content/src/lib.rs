//! The content stage: reads `content/` and turns it into the checked
//! [`amed_model::Library`], or into every problem found, each located in
//! its file.
//!
//! Data flows one way: [`folder`] walks the content folder safely,
//! [`load`] parses each file into raw front matter, [`validate`] checks it
//! into typed records (with [`markdown`] and [`urls`]). [`routes`] is the
//! one home of the site's URLs and reserved paths; [`history`] reads what
//! git knows of each content file. Nothing here renders or writes: this
//! crate has no dependency on the output, render or serving stages.

pub mod body_check;
pub mod error;
pub mod folder;
pub mod history;
pub mod load;
pub mod markdown;
pub mod raw_html;
pub mod routes;
pub mod table;
pub mod urls;
pub mod validate;

use std::path::Path;

use amed_model::Library;

pub use error::{BuildError, Diagnostic, Diagnostics};

/// Loads and validates the content: every problem, or the library.
pub fn check(content: &Path, base_url: Option<&str>) -> Result<Library, BuildError> {
    let mut diagnostics = Diagnostics::default();
    let raw = load::load(content, &mut diagnostics)?;
    let library = validate::validate(raw, &mut diagnostics);
    match library {
        Some(mut library) if diagnostics.is_empty() => {
            if let Some(url) = base_url {
                library.site.base_url = with_slash(url);
            }
            Ok(library)
        }
        _ => Err(BuildError::Content(diagnostics.into_sorted())),
    }
}

/// `url` with one trailing slash, as `base_url` is kept.
pub fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}
