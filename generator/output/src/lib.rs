//! The output stage: what identifies an output ([`fingerprint`]), the
//! output folder that takes changed files and commits them atomically
//! with its manifest, journal and trash ([`write`]), the precompressed
//! twins ([`precompress`]), the inputs of the build that made the folder
//! ([`stamp`]), and the explorer bundle as pages link to it
//! ([`explorer`]). It knows nothing of how pages are rendered.

pub mod explorer;
pub mod fingerprint;
pub mod journal;
pub mod manifest;
pub mod precompress;
pub mod siblings;
pub mod staging;
pub mod stamp;
pub mod write;

/// A file of the finished site, relative to the output folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path with `/` separators, e.g. `approvals/delytact/index.html`.
    pub path: String,
    /// Content.
    pub bytes: Vec<u8>,
}
