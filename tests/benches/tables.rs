//! Table benchmark: the same N approvals (records of real size, every
//! record bilingual) kept as Markdown files, as one `.csv` and as one
//! `.xlsx` with the bodies in cells. For each, prints the time and peak
//! memory of a first build, a build with nothing changed and a build
//! after one row (or file) changed, side by side.
//!
//! `cargo bench -p portal-e2e --bench tables` (sizes: `BENCH_SIZES=10000,100000`).

use std::fs;
use std::path::{Path, PathBuf};

use portal_e2e::{
    RecordSize, Run, bench_sizes, measure, portal_binary, root, synthetic_content_of,
};

/// How the approvals are stored.
#[derive(Clone, Copy)]
enum Store {
    Markdown,
    Csv,
    Xlsx,
}

impl Store {
    fn name(self) -> &'static str {
        match self {
            Store::Markdown => "Markdown files",
            Store::Csv => ".csv (bodies in cells)",
            Store::Xlsx => ".xlsx (bodies in cells)",
        }
    }
}

/// The body of a Markdown file: what follows its front matter.
fn body_of(text: &str) -> String {
    let rest = text.splitn(3, "+++").nth(2).expect("front matter");
    rest.strip_prefix('\n').unwrap_or(rest).to_string()
}

/// The approvals of `markdown` (built into `site`) as one table of `store`
/// in a copy of `markdown`: the published CSV's columns plus the bodies.
fn tabled(markdown: &Path, site: &Path, store: Store, into: &Path) {
    let _ = fs::remove_dir_all(into);
    portal_e2e::copy_dir(markdown, into);
    let approvals = into.join("approvals");
    let mut bodies = std::collections::HashMap::new();
    for entry in fs::read_dir(&approvals).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        bodies.insert(name, body_of(&fs::read_to_string(&path).unwrap()));
        fs::remove_file(&path).unwrap();
    }
    let csv = fs::read(site.join("data/approvals.csv")).unwrap();
    let mut rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_slice())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    rows[0].extend(["body_ja".into(), "body_en".into()]);
    for row in rows.iter_mut().skip(1) {
        let ja = bodies[&format!("{}.md", row[0])].clone();
        let en = bodies
            .get(&format!("{}.en.md", row[0]))
            .cloned()
            .unwrap_or_default();
        row.extend([ja, en]);
    }
    match store {
        Store::Markdown => unreachable!("the Markdown site is the original"),
        Store::Csv => {
            let mut writer = csv::Writer::from_path(approvals.join("approvals.csv")).unwrap();
            for row in &rows {
                writer.write_record(row).unwrap();
            }
            writer.flush().unwrap();
        }
        Store::Xlsx => {
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            for (r, row) in rows.iter().enumerate() {
                for (c, value) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
                    sheet.write_string(r as u32, c as u16, value).unwrap();
                }
            }
            book.save(approvals.join("approvals.xlsx")).unwrap();
        }
    }
}

/// Changes one record's title: in its Markdown file, or in the table
/// (rewritten, as a spreadsheet program saves it).
fn change_one(content: &Path, store: Store) {
    match store {
        Store::Markdown => {
            let path = content.join("approvals/synthetic-000007.md");
            let text = fs::read_to_string(&path).unwrap();
            fs::write(&path, text.replacen("title = \"", "title = \"改題 ", 1)).unwrap();
        }
        Store::Csv | Store::Xlsx => {
            // The table made again from the published CSV of a site whose
            // record 7 has the new title: one row differs.
            let edited = content.with_extension("edited-md");
            let _ = fs::remove_dir_all(&edited);
            portal_e2e::copy_dir(&content.with_extension("md"), &edited);
            change_one(&edited, Store::Markdown);
            let edited_site = edited.with_extension("edited-site");
            build(&edited, &edited_site);
            tabled(
                &edited,
                &edited_site,
                store,
                &edited.with_extension("edited-table"),
            );
            let name = match store {
                Store::Csv => "approvals/approvals.csv",
                _ => "approvals/approvals.xlsx",
            };
            fs::copy(
                edited.with_extension("edited-table").join(name),
                content.join(name),
            )
            .unwrap();
        }
    }
}

fn args(content: &Path, out: &Path) -> Vec<String> {
    let public = root().join("public");
    [
        "build",
        "--quiet",
        "--no-explorer",
        "--content",
        content.to_str().unwrap(),
        "--public",
        public.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--base-url",
        "https://bench.example.org/",
    ]
    .map(String::from)
    .to_vec()
}

fn run(content: &Path, out: &Path) -> Run {
    let args = args(content, out);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    measure(&portal_binary_once(), &args, &root())
}

fn build(content: &Path, out: &Path) {
    let _ = run(content, out);
}

fn portal_binary_once() -> PathBuf {
    static PORTAL: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    PORTAL.get_or_init(portal_binary).clone()
}

fn main() {
    let work = root().join("target/bench-tables");
    fs::create_dir_all(&work).unwrap();
    println!("\n## Table benchmark, records of real size\n");
    for n in bench_sizes() {
        let markdown = work.join(format!("content-{n}.md"));
        if !markdown
            .join(format!("approvals/synthetic-{:06}.md", n - 1))
            .exists()
        {
            let _ = fs::remove_dir_all(&markdown);
            synthetic_content_of(&markdown, n, RecordSize::Real);
        }
        let site = work.join(format!("site-{n}"));
        build(&markdown, &site);
        println!("\n### {n} approvals\n");
        println!(
            "| approvals kept as | first build | peak | nothing changed | peak | one record changed | peak |"
        );
        println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        for store in [Store::Markdown, Store::Csv, Store::Xlsx] {
            let content = match store {
                Store::Markdown => {
                    let copy = work.join(format!("content-{n}.markdown"));
                    let _ = fs::remove_dir_all(&copy);
                    portal_e2e::copy_dir(&markdown, &copy);
                    copy
                }
                _ => {
                    let into = work.join(format!(
                        "content-{n}.{}",
                        match store {
                            Store::Csv => "csv",
                            _ => "xlsx",
                        }
                    ));
                    tabled(&markdown, &site, store, &into);
                    into
                }
            };
            // The output and its manifest, journal and lock beside it,
            // in a folder of their own, removed before each store's run.
            let folder = work.join(format!("out-{n}"));
            let _ = fs::remove_dir_all(&folder);
            let out = folder.join("site");
            // Deleting many files slows the disk's next writes for a while
            // (see the build benchmark's `settle`): the first build waits.
            let _ = std::process::Command::new("sync").status();
            std::thread::sleep(std::time::Duration::from_secs(65));
            let _ = std::process::Command::new("sync").status();
            let first = run(&content, &out);
            let again = run(&content, &out);
            change_one(&content, store);
            let one = run(&content, &out);
            println!(
                "| {} | {:.2} s | {:.0} MiB | {:.2} s | {:.0} MiB | {:.2} s | {:.0} MiB |",
                store.name(),
                first.seconds,
                first.peak_mib,
                again.seconds,
                again.peak_mib,
                one.seconds,
                one.peak_mib
            );
            // At 100,000 records each copy and output is gigabytes.
            let _ = fs::remove_dir_all(&content);
            let _ = fs::remove_dir_all(&folder);
            for suffix in ["edited-md", "edited-site", "edited-table"] {
                let _ = fs::remove_dir_all(content.with_extension(suffix));
            }
        }
        let _ = fs::remove_dir_all(&site);
    }
}
