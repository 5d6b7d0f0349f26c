//! Generator benchmark: builds synthetic sites of 1,000 / 10,000 / 100,000
//! approvals and prints the time of each stage.
//!
//! `cargo bench -p portal-e2e --bench build` (sizes: `BENCH_SIZES=1000,10000`).

use std::path::Path;
use std::time::Instant;

use portal::render::{Assets, render};
use portal_e2e::{bench_sizes, root, synthetic_content};

fn main() {
    // `cargo bench` passes `--bench`; a filter argument is not used here.
    let work = root().join("target/bench");
    println!("| records | files | load+validate | render | write | total | pages/s |");
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for n in bench_sizes() {
        let content = work.join(format!("content-{n}"));
        if !content.join("approvals").exists()
            || std::fs::read_dir(content.join("approvals"))
                .map(|d| d.count())
                .unwrap_or(0)
                < n
        {
            let _ = std::fs::remove_dir_all(&content);
            synthetic_content(&content, n);
        }
        let out = work.join(format!("dist-{n}"));
        let start = Instant::now();
        let library = portal::check(&content, None).expect("synthetic content is valid");
        let loaded = start.elapsed();
        let files = render(&library, &Assets::default()).expect("render");
        let rendered = start.elapsed() - loaded;
        portal::write::write_site(&out, &files, Some(Path::new(&root().join("public"))))
            .expect("write");
        let total = start.elapsed();
        let written = total - loaded - rendered;
        let pages = files.iter().filter(|f| f.path.ends_with(".html")).count();
        println!(
            "| {n} | {} | {:.2} s | {:.2} s | {:.2} s | {:.2} s | {:.0} |",
            files.len(),
            loaded.as_secs_f64(),
            rendered.as_secs_f64(),
            written.as_secs_f64(),
            total.as_secs_f64(),
            pages as f64 / total.as_secs_f64()
        );
        let _ = std::fs::remove_dir_all(&out);
    }
}
