//! The end-to-end test suite of the AMED Results Portal: one test binary,
//! one module per feature, each building sites of its own (the showcase
//! fixture, `tests/fixtures/`) and checking what users get: files in the
//! output, rendered pages, errors, and pages in real headless Chromium.
//!
//! How to add a test: see `tests/README.md`.

mod browser;
mod build_site;
mod carried_explorer;
mod content_errors;
mod hostile;
mod incremental;
mod init;
mod open_data;
mod tables;
