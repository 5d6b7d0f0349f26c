//! Hostile content, faults and the host: one case per hole an outside
//! attack found (issue 10). Each ends in a clear, located error or in safe
//! output within seconds, and a failed build leaves the previous output
//! byte-identical.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use portal::{BuildError, BuildOptions, Explorer};
use portal_e2e::{copy_dir, fixture, read_tree};
use tempfile::TempDir;

/// No case may take longer than this (they take well under a second;
/// this only turns a hang into a failure instead of a stuck test run).
const HANG: Duration = Duration::from_secs(60);

struct Site {
    _dir: TempDir,
    root: PathBuf,
    content: PathBuf,
    public: PathBuf,
    out: PathBuf,
}

/// The minimal site with a public folder, built once into `out`.
fn site() -> Site {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let content = root.join("content");
    copy_dir(&fixture("site-minimal"), &content);
    let public = root.join("public");
    fs::create_dir_all(public.join("assets")).unwrap();
    fs::write(public.join("assets/site.css"), "body{}").unwrap();
    let site = Site {
        _dir: dir,
        root: root.clone(),
        content,
        public,
        out: root.join("dist"),
    };
    build(&site, None).expect("the minimal site builds");
    site
}

fn options(site: &Site, out: &Path) -> BuildOptions {
    BuildOptions {
        content: site.content.clone(),
        out: out.to_path_buf(),
        public: Some(site.public.clone()),
        base_url: None,
        explorer: Explorer::Skip,
        live_reload: false,
        require_public_url: false,
        progress: portal::Progress::default(),
    }
}

/// Builds in a thread, failing the test if it hangs.
fn build(site: &Site, out: Option<&Path>) -> Result<portal::BuildReport, BuildError> {
    let options = options(site, out.unwrap_or(&site.out));
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(portal::build(&options));
    });
    rx.recv_timeout(HANG)
        .unwrap_or_else(|_| panic!("the build hung for {HANG:?}"))
}

/// The problems of a failed build, one per line, paths relative to the site.
fn problems(site: &Site, err: &BuildError) -> String {
    let text = match err {
        BuildError::Content(list) => list
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    };
    text.replace(&format!("{}/", site.root.display()), "")
}

/// Breaks the site with `mutate`, then expects the build to fail with
/// every one of `expected` in its report and the old output untouched.
fn fails(site: &Site, mutate: impl FnOnce(&Site), expected: &[&str]) -> String {
    let before = read_tree(&site.out);
    mutate(site);
    let err = build(site, None).expect_err("the build must fail");
    let report = problems(site, &err);
    for needle in expected {
        assert!(report.contains(needle), "expected {needle:?} in:\n{report}");
    }
    assert!(
        read_tree(&site.out) == before,
        "a failed build changed the output"
    );
    report
}

fn approval(site: &Site, name: &str, title: &str, body: &str) {
    fs::write(
        site.content.join("approvals").join(name),
        format!(
            "+++\nid = \"{}\"\ntitle = \"{title}\"\nsummary = \"要約。\"\napproved = \"2020-01\"\ncategory = \"new-drug\"\nmodality = [\"small-molecule\"]\ndisease = [\"cancer\"]\n\n[[sources]]\ntitle = \"出典\"\ndate = \"2025-05-14\"\n+++\n\n{body}\n",
            name.trim_end_matches(".md")
        ),
    )
    .unwrap();
}

#[test]
fn p01_many_links_in_one_file_stay_in_bounded_memory() {
    let s = site();
    let links = "[エザルミア](@/approvals/ezharmia.md) ".repeat(10_000);
    approval(&s, "links.md", "リンク", &links.repeat(2));
    let report = build(&s, None).expect("10,000 good links are fine");
    assert!(report.files > 0);
    let page = fs::read_to_string(s.out.join("approvals/links/index.html")).unwrap();
    assert_eq!(
        page.matches("href=\"/approvals/ezharmia/\"").count(),
        20_000
    );
}

#[test]
fn p02_a_hundred_thousand_problems_are_reported_in_linear_time() {
    let s = site();
    let links = "[x](@/approvals/nope.md)\n".repeat(100_000);
    let report = fails(
        &s,
        |s| approval(s, "broken.md", "壊れたリンク", &links),
        &["content/approvals/broken.md:100014:1: broken internal link @/approvals/nope.md"],
    );
    assert_eq!(report.lines().count(), 100_000);
}

#[test]
fn p03_pathological_nesting_is_a_clear_error() {
    let s = site();
    let lists = format!("{}x", "- ".repeat(100_000));
    let quotes = format!("{}x", "> ".repeat(100_000));
    fails(
        &s,
        |s| {
            approval(s, "lists.md", "リスト", &lists);
            approval(s, "quotes.md", "引用", &quotes);
        },
        &[
            "content/approvals/lists.md:15:1: lists and quotes nested 100000 levels deep (at most 32): flatten them",
            "content/approvals/quotes.md:15:1: lists and quotes nested 100000 levels deep",
        ],
    );
}

#[test]
fn p03_deeply_nested_raw_html_is_a_clear_error() {
    // Found by fuzzing: HTML cleaning grows with the square of the depth
    // (64 KB of `<ul>` took 4.6 s, so 4 MiB would take hours).
    let s = site();
    fails(
        &s,
        |s| approval(s, "html.md", "HTML", &"<ul>".repeat(1_000_000)),
        &[
            "content/approvals/html.md:15:257: raw HTML elements nested more than 64 deep: close them, or write Markdown",
        ],
    );
}

#[test]
fn p04_symbolic_links_out_of_the_folders_are_refused() {
    let s = site();
    let secret = s.root.join("secret.txt");
    fs::write(&secret, "root:x:0:0").unwrap();
    let report = fails(
        &s,
        |s| {
            std::os::unix::fs::symlink(&secret, s.public.join("passwd")).unwrap();
            std::os::unix::fs::symlink(&secret, s.content.join("approvals/leak.md")).unwrap();
        },
        &[
            "public/passwd:1:1: symbolic link to",
            "leads outside",
            "content/approvals/leak.md:1:1: symbolic link to",
        ],
    );
    assert!(!report.contains("root:x"));
    assert!(!s.out.join("passwd").exists());
}

#[test]
fn p05_special_files_are_refused_without_hanging() {
    let s = site();
    fails(
        &s,
        |s| {
            let fifo = s.content.join("approvals/pipe.md");
            let made = std::process::Command::new("mkfifo").arg(&fifo).status();
            assert!(made.unwrap().success(), "mkfifo");
            std::os::unix::fs::symlink("/dev/zero", s.content.join("approvals/zero.md")).unwrap();
        },
        &[
            "content/approvals/pipe.md:1:1: a named pipe, not a regular file: remove it from the folder",
            "content/approvals/zero.md:1:1: symbolic link to /dev/zero leads outside",
        ],
    );
}

#[test]
fn p05_huge_files_are_refused() {
    let s = site();
    fails(
        &s,
        |s| approval(s, "huge.md", "巨大", &"あ".repeat(2 << 20)),
        &["content/approvals/huge.md:1:1: file is larger than 4 MiB"],
    );
}

#[test]
fn p06_control_and_bidirectional_characters_are_refused() {
    let s = site();
    fails(
        &s,
        |s| {
            approval(s, "control.md", "題\\u0001名", "本文。");
            approval(s, "bidi.md", "題\u{202E}名", "本文\u{2066}。");
        },
        &[
            "content/approvals/control.md:3:11: U+0001 (written as the escape \\u0001) is a control character",
            "content/approvals/bidi.md:3:11: U+202E is a bidirectional control",
            "content/approvals/bidi.md:15:3: U+2066 is a bidirectional control",
        ],
    );
}

#[test]
fn p07_urls_browsers_read_two_ways_are_refused() {
    let s = site();
    fails(
        &s,
        |s| {
            approval(
                s,
                "urls.md",
                "URL",
                "<img src=\"/\\evil.example/x.png\">\n\n<img src=\"\\\\evil\">\n\n[x](https:evil.example)\n\n<a href=\"@/approvals/ezharmia.md\">y</a>",
            )
        },
        &[
            "content/approvals/urls.md:15:11: link target \"/\\\\evil.example/x.png\" is refused: it holds a backslash",
            "content/approvals/urls.md:17:11: link target \"\\\\\\\\evil\" is refused",
            "content/approvals/urls.md:19:1: link target \"https:evil.example\" is refused: write web addresses in full",
            "content/approvals/urls.md:21:10: internal link \"@/approvals/ezharmia.md\" in raw HTML is not resolved",
        ],
    );
}

#[test]
fn p08_base_urls_are_validated_in_one_place() {
    for bad in [
        "https://example.org/#top",
        "https://example.org/?q=1",
        "https://exa mple.org/",
        "ftp://example.org/",
        "javascript:alert(1)//",
    ] {
        assert!(portal::urls::deployment(bad).is_err(), "{bad}");
    }
    let s = site();
    let site_toml = s.content.join("site.toml");
    let text = fs::read_to_string(&site_toml).unwrap();
    fails(
        &s,
        |_| {
            fs::write(
                &site_toml,
                text.replace(
                    "base_url = \"https://portal.example.org/\"",
                    "base_url = \"https://portal.example.org/#x\"",
                ),
            )
            .unwrap()
        },
        &[
            "content/site.toml:1:12: base_url \"https://portal.example.org/#x\" is not usable: it must not have a query (?…) or a fragment (#…)",
        ],
    );
    // A deploy build whose base_url is this machine's fails with how to fix it.
    fs::write(
        &site_toml,
        text.replace("https://portal.example.org/", "http://127.0.0.1:8000/"),
    )
    .unwrap();
    let mut deploy = options(&s, &s.out);
    deploy.require_public_url = true;
    let err = portal::build(&deploy).expect_err("a local base_url is refused");
    assert!(
        err.to_string()
            .contains("set base_url in content/site.toml"),
        "{err}"
    );
}

#[test]
fn p09_one_mistake_is_one_problem() {
    let s = site();
    let taxonomies = s.content.join("taxonomies.toml");
    let text = fs::read_to_string(&taxonomies).unwrap();
    let report = fails(
        &s,
        |_| fs::write(&taxonomies, text.replacen("ja = \"", "ja = ", 1)).unwrap(),
        &["content/taxonomies.toml:2:"],
    );
    assert_eq!(report.lines().count(), 1, "{report}");
    fs::write(&taxonomies, &text).unwrap();

    // An unquoted date says how to write it; the linked file it stops is
    // not reported again as missing by every file that links to it.
    let ezharmia = s.content.join("approvals/ezharmia.md");
    let record = fs::read_to_string(&ezharmia).unwrap();
    let approved = record
        .lines()
        .find(|l| l.starts_with("approved = "))
        .unwrap()
        .to_string();
    let date = approved.trim_start_matches("approved = ").trim_matches('"');
    let day = if date.len() == 7 {
        format!("{date}-01")
    } else {
        date.to_string()
    };
    let report = fails(
        &s,
        |_| {
            let broken = record.replace(&approved, &format!("approved = {day}"));
            fs::write(&ezharmia, broken).unwrap();
            // And a file that cannot be read is a located problem, not the end.
            std::os::unix::fs::symlink("missing.md", s.content.join("approvals/dangling.md"))
                .unwrap();
        },
        &[
            &format!("dates are written in quotes: write \"{day}\" instead of {day}"),
            "content/approvals/dangling.md:1:1: broken symbolic link",
        ],
    );
    assert_eq!(report.lines().count(), 2, "{report}");
}

#[test]
fn p10_editor_leftovers_are_not_content() {
    let s = site();
    for name in ["delytact.md~", ".delytact.md.swp", "#delytact.md#", "4913"] {
        fs::write(s.content.join("approvals").join(name), "junk \u{1}").unwrap();
    }
    build(&s, None).expect("leftovers are ignored");
}

#[test]
fn p10_an_output_folder_inside_the_content_is_refused() {
    let s = site();
    let inside = s.content.join("dist");
    let err = build(&s, Some(&inside)).expect_err("refused");
    assert!(
        err.to_string().contains("is inside the content folder"),
        "{err}"
    );
    assert!(!inside.exists());
    let err = build(&s, Some(&s.root)).expect_err("refused");
    assert!(
        err.to_string().contains("holds the content folder"),
        "{err}"
    );
}

#[test]
fn p11_output_folder_edge_cases() {
    let s = site();
    // A folder that only looks like a site (data/index.json) is not one.
    let other = s.root.join("other");
    fs::create_dir_all(other.join("data")).unwrap();
    fs::write(other.join("data/index.json"), "{}").unwrap();
    fs::write(other.join("thesis.txt"), "keep").unwrap();
    let err = build(&s, Some(&other)).expect_err("refused");
    assert!(
        err.to_string()
            .contains("does not look like a portal build"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(other.join("thesis.txt")).unwrap(),
        "keep"
    );
    // `dist/.` is `dist`.
    let dotted = s.out.join(".");
    build(&s, Some(&dotted)).expect("dist/. builds into dist");
    assert!(!s.root.join("..dist.manifest").exists());
    // Two builds into one folder at once: one waits, both complete.
    let one = options(&s, &s.out);
    let two = options(&s, &s.out);
    let a = std::thread::spawn(move || portal::build(&one));
    let b = std::thread::spawn(move || portal::build(&two));
    a.join().unwrap().expect("first build");
    b.join().unwrap().expect("second build");
    let fresh = s.root.join("fresh");
    build(&s, Some(&fresh)).unwrap();
    assert!(read_tree(&s.out) == read_tree(&fresh));
}

#[test]
fn p12_spreadsheet_formulas_are_neutralised() {
    let s = site();
    approval(&s, "formula.md", "＝HYPERLINK(1)", "本文。");
    build(&s, None).unwrap();
    let csv = fs::read_to_string(s.out.join("data/approvals.csv")).unwrap();
    assert!(csv.contains(",'＝HYPERLINK(1),"), "{csv}");
}

#[test]
fn p13_hosts_get_the_security_headers() {
    let s = site();
    let headers = fs::read_to_string(s.out.join("_headers")).unwrap();
    for needle in [
        "/*\n  Content-Security-Policy: default-src 'self';",
        "frame-ancestors 'none'",
        "  X-Content-Type-Options: nosniff\n",
        "  Referrer-Policy: strict-origin-when-cross-origin\n",
        "  Permissions-Policy: camera=()",
        "/assets/explorer-*\n  Cache-Control: public, max-age=31536000, immutable\n",
    ] {
        assert!(headers.contains(needle), "{needle:?} in:\n{headers}");
    }
    // The preview server sends the same, and a 256-byte name is not a 500.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let app = portal::serve::router(&s.out);
        tokio::spawn(async move { axum::serve(listener, app).await });
        for (path, status) in [("/", "200"), (&*format!("/{}", "a".repeat(300)), "404")] {
            let response = get(port, path).await;
            assert!(
                response.starts_with(&format!("HTTP/1.1 {status}")),
                "{path}: {response}"
            );
            let lower = response.to_ascii_lowercase();
            for header in [
                "x-content-type-options: nosniff",
                "referrer-policy: strict-origin-when-cross-origin",
                "content-security-policy: default-src 'self'",
                "permissions-policy: camera=()",
            ] {
                assert!(lower.contains(header), "{path}: {header} in {response}");
            }
        }
    });
}

/// The status line and headers of a GET.
async fn get(port: u16, path: &str) -> String {
    let response = get_body(port, path).await;
    response
        .split("\r\n\r\n")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn p10_the_preview_keeps_watching_a_replaced_content_folder() {
    let s = site();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut preview = options(&s, &s.root.join("preview"));
    preview.live_reload = true;
    std::thread::spawn(move || portal::serve::serve(preview, port, |_| {}));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let page = |runtime: &tokio::runtime::Runtime| {
        runtime.block_on(async { get_body(port, "/approvals/delytact/").await })
    };
    let deadline = std::time::Instant::now() + HANG;
    while !page(&runtime).contains("<h1>デリタクト注</h1>") {
        assert!(
            std::time::Instant::now() < deadline,
            "the preview did not start"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // What `git checkout` of another branch does: the folder is replaced.
    let old = s.root.join("content.old");
    fs::rename(&s.content, &old).unwrap();
    copy_dir(&old, &s.content);
    let record = s.content.join("approvals/delytact.md");
    let text = fs::read_to_string(&record).unwrap();
    fs::write(
        &record,
        text.replace("title = \"デリタクト注\"", "title = \"置き換え後\""),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(500));
    // A later save in the new folder is seen too.
    let text = fs::read_to_string(&record).unwrap();
    fs::write(&record, text.replace("置き換え後", "保存後")).unwrap();
    while !page(&runtime).contains("<h1>保存後</h1>") {
        assert!(
            std::time::Instant::now() < deadline,
            "the preview stopped watching the replaced folder"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

async fn get_body(port: u16, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(mut stream) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
        return String::new();
    };
    let request =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).await.is_err() {
        return String::new();
    }
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    String::from_utf8_lossy(&response).into_owned()
}

mod round3;

#[test]
fn p14_hostile_tables_end_in_one_clear_problem() {
    // A million columns in a CSV row.
    let s = site();
    fails(
        &s,
        |s| {
            let row = format!("id{}\n", ",x".repeat(1_000_000));
            fs::write(s.content.join("approvals/wide.csv"), row).unwrap();
        },
        &["content/approvals/wide.csv:1:1001: this row has 1000001 or more columns"],
    );
    // A "workbook" that is not one, and one whose sheet is a zip bomb
    // (a few KiB that would unpack to gigabytes).
    let s = site();
    fails(
        &s,
        |s| fs::write(s.content.join("approvals/fake.xlsx"), "id,title\n").unwrap(),
        &["content/approvals/fake.xlsx:1:1: not a spreadsheet"],
    );
    let s = site();
    fails(
        &s,
        |s| {
            use std::io::Write;
            // One part of 1 MiB of zeros, compressed once, then copied
            // 1,100 times as it is: 1.1 GiB unpacked.
            let mut one = zip::ZipWriter::new(std::io::Cursor::new(vec![]));
            one.start_file("part", zip::write::SimpleFileOptions::default())
                .unwrap();
            one.write_all(&vec![0u8; 1 << 20]).unwrap();
            let one = one.finish().unwrap().into_inner();
            let mut source = zip::ZipArchive::new(std::io::Cursor::new(one)).unwrap();
            let file = fs::File::create(s.content.join("approvals/bomb.xlsx")).unwrap();
            let mut zip = zip::ZipWriter::new(file);
            for i in 0..1100 {
                let part = source.by_index_raw(0).unwrap();
                zip.raw_copy_file_rename(part, format!("xl/worksheets/sheet{i}.xml"))
                    .unwrap();
            }
            zip.finish().unwrap();
        },
        &["content/approvals/bomb.xlsx:1:1: the workbook unpacks to more than 1024 MiB"],
    );
}
