//! Arbitrary bytes as one record file, `content/approvals/x.md`, through
//! the loader: UTF-8 check, `+++` front-matter split, TOML parse into the
//! approval's raw fields, body offsets and located diagnostics. Errors and
//! diagnostics are expected; a panic is a finding.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static FILE: LazyLock<PathBuf> = LazyLock::new(|| {
    let approvals = portal_fuzz::scratch_dir("front_matter").join("content/approvals");
    std::fs::create_dir_all(&approvals).expect("cannot create content/approvals");
    approvals.join("x.md")
});

fuzz_target!(|data: &[u8]| {
    std::fs::write(&*FILE, data).expect("cannot write the record file");
    let mut diagnostics = portal::error::Diagnostics::default();
    let _ = portal::load::load_record_file(
        amed_model::Collection::Approvals,
        &FILE,
        &mut diagnostics,
    );
    // Sorting formats every diagnostic's position: it must not panic either.
    let _ = diagnostics.into_sorted();
});
