//! Writes the benchmark's synthetic content folder, to build or compare by
//! hand: `cargo run --release -p portal-e2e --example synthetic -- <folder>
//! <records> [real|short]` (real-size records unless `short`).

use std::path::PathBuf;

use portal_e2e::{RecordSize, synthetic_content_of};

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: synthetic <folder> <records> [real|short]";
    let dir = PathBuf::from(args.next().expect(usage));
    let n: usize = args.next().and_then(|n| n.parse().ok()).expect(usage);
    let size = match args.next().as_deref() {
        None | Some("real") => RecordSize::Real,
        Some("short") => RecordSize::Short,
        Some(other) => panic!("{other:?}: {usage}"),
    };
    assert!(
        !dir.exists(),
        "{} exists: choose a new folder",
        dir.display()
    );
    synthetic_content_of(&dir, n, size);
    println!("{n} records in {}", dir.display());
}
