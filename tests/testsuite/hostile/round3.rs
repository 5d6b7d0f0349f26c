//! Hostile round three (issue 27): one case per defect an outside attack
//! found in the hardened build, each failing before its fix.

use std::fs;
use std::path::Path;
use std::process::Command;

use super::{Site, approval, build, fails, site};

/// Runs git in `dir` with a fixed identity, failing the test on error.
fn git(dir: &Path, args: &[&str], date: &str) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_COMMITTER_DATE", format!("{date}T12:00:00+09:00"))
        .env("GIT_AUTHOR_DATE", format!("{date}T12:00:00+09:00"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The site's folder as a repository: everything committed on 2024-01-10,
/// then Ezharmia's body changed on 2025-02-02 by a commit whose message is
/// `message`.
fn repository(s: &Site, message: &str) {
    git(&s.root, &["init", "-q"], "2024-01-10");
    git(&s.root, &["add", "content"], "2024-01-10");
    git(
        &s.root,
        &["commit", "-q", "-m", "Initial content"],
        "2024-01-10",
    );
    let ezharmia = s.content.join("approvals/ezharmia.md");
    let text = fs::read_to_string(&ezharmia).unwrap();
    fs::write(&ezharmia, format!("{text}\n追記。\n")).unwrap();
    git(
        &s.root,
        &["commit", "-q", "-a", "-m", message],
        "2025-02-02",
    );
}

/// The history section of a page of the last build.
fn history(s: &Site, page: &str) -> String {
    let html = fs::read_to_string(s.out.join(page).join("index.html")).unwrap();
    let start = html
        .find("id=\"history-heading\"")
        .expect("a history section");
    let end = start + html[start..].find("</section>").unwrap();
    html[start..end].to_string()
}

#[test]
fn p03_a_shallow_clone_says_its_history_is_incomplete() {
    let s = site();
    repository(
        &s,
        "Body\n\nChange-note-ja: 本文に追記\nChange-note-en: Added to the text",
    );
    let report = build(&s, None).unwrap();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let whole = history(&s, "approvals/delytact");
    assert!(
        whole.contains("<time datetime=\"2024-01-10\" data-testid=\"last-updated\">"),
        "{whole}"
    );
    // The same repository cloned with --depth 1, as CI checkouts are.
    let clone = s.root.join("clone");
    let url = format!("file://{}", s.root.display());
    let status = Command::new("git")
        .args(["clone", "-q", "--depth", "1", &url])
        .arg(&clone)
        .status()
        .unwrap();
    assert!(status.success());
    let shallow = Site {
        _dir: tempfile::tempdir().unwrap(),
        root: clone.clone(),
        content: clone.join("content"),
        public: s.public.clone(),
        out: s.root.join("shallow-out"),
    };
    let report = build(&shallow, None).unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].contains("history is shallow"),
        "{:?}",
        report.warnings
    );
    // Delytact last changed in 2024, before the clone's one commit: no
    // date rather than the tip's date.
    let delytact = history(&shallow, "approvals/delytact");
    assert!(!delytact.contains("2025-02-02"), "{delytact}");
    assert!(!delytact.contains("last-updated"), "{delytact}");
    assert!(
        delytact.contains("data-testid=\"history-incomplete\""),
        "{delytact}"
    );
}

#[test]
fn p04_a_commit_message_cannot_forge_history() {
    let s = site();
    repository(
        &s,
        "Fix\u{1e}2099-12-31\u{1f}Forged change\n\nChange-note-ja: 本文に追記\nChange-note-en: Added to the text",
    );
    build(&s, None).unwrap();
    let ja = history(&s, "approvals/ezharmia");
    assert!(!ja.contains("2099") && !ja.contains("Forged"), "{ja}");
    assert!(
        ja.contains("<time datetime=\"2025-02-02\" data-testid=\"last-updated\">"),
        "{ja}"
    );
    assert!(ja.contains("2025年2月2日</time> 本文に追記</li>"), "{ja}");
    let en = history(&s, "en/approvals/ezharmia");
    assert!(en.contains("</time> Added to the text</li>"), "{en}");
    // A commit with no note moves the date and shows no text.
    let delytact = history(&s, "approvals/delytact");
    assert!(!delytact.contains("<li>"), "{delytact}");
}

#[test]
fn p05_a_failing_git_is_a_warning() {
    let s = site();
    repository(&s, "Body");
    // Break the repository: the tip commit's object is gone.
    let head = Command::new("git")
        .arg("-C")
        .arg(&s.root)
        .args(["rev-parse", "HEAD"])
        .output()
        .unwrap();
    let head = String::from_utf8(head.stdout).unwrap();
    let object = s
        .root
        .join(".git/objects")
        .join(&head[..2])
        .join(head[2..].trim());
    fs::remove_file(object).unwrap();
    let report = build(&s, None).unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(
        report.warnings[0].starts_with("git could not read the content's history")
            && report.warnings[0].contains("fatal:"),
        "{:?}",
        report.warnings
    );
    let page = history(&s, "approvals/ezharmia");
    assert!(page.contains("data-testid=\"no-history\""), "{page}");
}

#[test]
fn p02_problems_sharing_one_line_are_located_in_linear_time() {
    // 200,000 broken links on one line took 15 s in a release build when
    // each column was counted from the line's start (minutes in a debug
    // build); indexed, this debug build reports them in seconds.
    let s = site();
    let links = "[x](@/a/b.md) ".repeat(200_000);
    let report = fails(
        &s,
        |s| approval(s, "one-line.md", "一行", &links),
        &["content/approvals/one-line.md:15:2799987: broken internal link @/a/b.md"],
    );
    assert_eq!(report.lines().count(), 200_000);
}

#[test]
fn p06_p07_files_of_public_cannot_replace_generated_files_or_their_twins() {
    let s = site();
    // A public folder elsewhere, named as the user named it.
    let elsewhere = s.root.join("elsewhere");
    fs::create_dir_all(elsewhere.join("assets")).unwrap();
    fs::write(elsewhere.join("assets/site.css"), "body{}").unwrap();
    for name in [
        "feed.xml.gz",
        "sitemap.xml.br",
        "assets/site.css.gz",
        "robots.txt",
    ] {
        fs::write(elsewhere.join(name), "EVIL").unwrap();
    }
    let before = portal_e2e::read_tree(&s.out);
    let mut options = super::options(&s, &s.out);
    options.public = Some(elsewhere.clone());
    let err = portal::build(&options).expect_err("collisions are refused");
    let report = super::problems(&s, &err);
    assert_eq!(
        report,
        "elsewhere/assets/site.css.gz:1:1: would replace assets/site.css.gz in the output, the compressed twin of assets/site.css that the build writes; rename or remove it\n\
         elsewhere/feed.xml.gz:1:1: would replace feed.xml.gz in the output, the compressed twin of feed.xml that the build writes; rename or remove it\n\
         elsewhere/robots.txt:1:1: would replace robots.txt in the output, a file the build writes; rename or remove it\n\
         elsewhere/sitemap.xml.br:1:1: would replace sitemap.xml.br in the output, the compressed twin of sitemap.xml that the build writes; rename or remove it"
    );
    assert!(
        portal_e2e::read_tree(&s.out) == before,
        "the output is untouched"
    );
}

/// Replaces `from` with `to` in the site's file `rel`, which must hold it.
fn edit(s: &Site, rel: &str, from: &str, to: &str) {
    let path = s.content.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} holds {from:?}");
    fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

#[test]
fn p09_dates_out_of_range_or_in_the_future_are_located_errors() {
    let s = site();
    fails(
        &s,
        |s| {
            edit(
                s,
                "ppi/sample-workshop.md",
                "date = \"2025-02-10\"",
                "date = \"9999-12-31\"",
            );
            edit(
                s,
                "approvals/ezharmia.md",
                "approved = \"2022-09\"",
                "approved = \"0000\"",
            );
            approval(s, "typo.md", "誤記", "本文。");
            edit(
                s,
                "approvals/typo.md",
                "date = \"2025-05-14\"",
                "date = \"2052-05-14\"",
            );
        },
        &[
            "content/approvals/ezharmia.md:5:12: impossible date \"0000\": the year 0 is outside 1900–2100 (a typo?)",
            "content/approvals/typo.md:12:8: date \"2052-05-14\" is in the future: it dates something that has already happened (a typo?)",
            "content/ppi/sample-workshop.md:8:8: impossible date \"9999-12-31\": the year 9999 is outside 1900–2100 (a typo?)",
        ],
    );
}

#[test]
fn p10_a_kpi_total_smaller_than_its_list_is_a_located_error() {
    let s = site();
    let report = fails(
        &s,
        |s| {
            edit(s, "kpis/regulatory-approvals.md", "value = 40", "value = 1");
            edit(
                s,
                "kpis/regulatory-approvals.md",
                "headline = true",
                "headline = true\ntotal_of = \"approvals\"",
            );
        },
        &[
            "content/kpis/regulatory-approvals.md:5:9: value = 1 is smaller than the 2 records in content/approvals/ it is the total of (total_of = \"approvals\")",
        ],
    );
    assert_eq!(report.lines().count(), 1, "{report}");
}

#[test]
fn p11_ids_that_cannot_be_folder_names_are_found_by_check() {
    let s = site();
    // A file name of 200 characters (the file system takes 255 bytes).
    let long = "a".repeat(200);
    let check = |s: &Site| {
        let err = portal::check(&s.content, None).expect_err("check finds them");
        super::problems(s, &err)
    };
    approval(&s, &format!("{long}.md"), "長い", "本文。");
    for name in ["con", "nul", "com1", "lpt9"] {
        approval(&s, &format!("{name}.md"), "予約", "本文。");
    }
    let report = check(&s);
    let long_problem = format!(
        "content/approvals/{long}.md:1:1: bad file name \"{long}.md\": it is 200 characters long; ids are at most 80, as each becomes a folder name of the site"
    );
    assert!(report.contains(&long_problem), "{report}");
    for name in ["con", "nul", "com1", "lpt9"] {
        let problem = format!(
            "content/approvals/{name}.md:1:1: bad file name \"{name}.md\": it is a device name on Windows"
        );
        assert!(report.contains(&problem), "{problem} in:\n{report}");
    }
    assert_eq!(report.lines().count(), 5, "one problem per file:\n{report}");
    // An id written in the front matter is checked the same way.
    for name in [
        "con.md",
        "nul.md",
        "com1.md",
        "lpt9.md",
        &format!("{long}.md"),
    ] {
        fs::remove_file(s.content.join("approvals").join(name)).unwrap();
    }
    // 300 characters passed `check`, then failed `build` with "File name
    // too long (os error 36)" and no place.
    approval(&s, "long.md", "長い", "本文。");
    edit(
        &s,
        "approvals/long.md",
        "id = \"long\"",
        &format!("id = \"{}\"", "b".repeat(300)),
    );
    approval(&s, "dash.md", "ダッシュ", "本文。");
    edit(&s, "approvals/dash.md", "id = \"dash\"", "id = \"--\"");
    let report = check(&s);
    assert!(
        report.contains("content/approvals/dash.md:2:6: bad id \"--\": it starts with -"),
        "{report}"
    );
    assert!(
        report.contains("content/approvals/long.md:2:6: bad id \"bbbb"),
        "{report}"
    );
    assert!(
        report.contains("\": it is 300 characters long; ids are at most 80"),
        "{report}"
    );
}

#[test]
fn p13_every_loopback_spelling_and_bad_ports_are_refused_for_deploys() {
    for local in [
        "http://localhost./",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://[::ffff:127.0.0.1]/",
        "http://127.1/",
    ] {
        assert!(portal::urls::is_local(local), "{local}");
    }
    assert!(portal::urls::deployment("https://example.org:99999/").is_err());
    let s = site();
    edit(
        &s,
        "site.toml",
        "https://portal.example.org/",
        "http://2130706433/",
    );
    let mut deploy = super::options(&s, &s.out);
    deploy.require_public_url = true;
    let err = portal::build(&deploy).expect_err("a loopback base_url is refused");
    assert!(
        err.to_string().contains("an address on this machine"),
        "{err}"
    );
    edit(
        &s,
        "site.toml",
        "http://2130706433/",
        "https://portal.example.org:99999/",
    );
    let err = portal::check(&s.content, None).expect_err("the port is refused");
    assert!(
        super::problems(&s, &err).contains("invalid port number"),
        "{err}"
    );
}

#[test]
fn p14_each_forbidden_character_is_named_once_and_file_names_come_first() {
    let s = site();
    let report = fails(
        &s,
        |s| {
            edit(
                s,
                "approvals/ezharmia.md",
                "title = \"エザルミア\"",
                "title = \"\u{202e}エザルミア\\u0007\\e\"",
            );
            fs::rename(
                s.content.join("approvals/delytact.en.md"),
                s.content.join("approvals/delytact.EN.md"),
            )
            .unwrap();
        },
        &[],
    );
    assert_eq!(
        report,
        "content/approvals/delytact.EN.md:1:1: bad file name \"delytact.EN.md\": use only a-z, 0-9 and - before .md (the English file ends in .en.md)\n\
         content/approvals/ezharmia.md:3:10: U+202E is a bidirectional control: it can make text read in a misleading order; remove it\n\
         content/approvals/ezharmia.md:3:16: U+0007 (written as the escape \\u0007) is a control character: it would make the feeds and the sitemap invalid XML; remove it\n\
         content/approvals/ezharmia.md:3:22: U+001B (written as the escape \\e) is a control character: it would make the feeds and the sitemap invalid XML; remove it"
    );
}

/// One raw HTTP/1.1 exchange with `host` as the `Host` header: the status line.
async fn status_for_host(port: u16, host: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .unwrap();
    let request = format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await.unwrap();
    let text = String::from_utf8_lossy(&response);
    text.lines().next().unwrap_or_default().to_string()
}

#[test]
fn p12_the_preview_answers_only_this_machine_and_sheds_half_sent_requests() {
    use portal::serve::{HEADER_TIMEOUT, MAX_CONNECTIONS, loopback_only, router, serve_guarded};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let s = site();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(serve_guarded(listener, loopback_only(router(&s.out), port)));
        // DNS rebinding: a page of evil.example whose name now resolves to
        // 127.0.0.1 sends its own name, and is refused.
        for (host, status) in [
            (format!("127.0.0.1:{port}"), "HTTP/1.1 200"),
            (format!("localhost:{port}"), "HTTP/1.1 200"),
            (format!("evil.example:{port}"), "HTTP/1.1 421"),
            ("127.0.0.1".to_string(), "HTTP/1.1 421"),
        ] {
            let got = status_for_host(port, &host).await;
            assert!(got.starts_with(status), "Host {host}: {got}");
        }
        // More half-sent requests than connections are allowed: the server
        // stays in bounds and closes each once its headers time out.
        let mut half_sent = vec![];
        for _ in 0..MAX_CONNECTIONS + 64 {
            let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .unwrap();
            let start = format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n");
            stream.write_all(start.as_bytes()).await.unwrap();
            half_sent.push(stream);
        }
        // A real request is still answered, within the header timeout or so.
        let answered = tokio::time::timeout(
            HEADER_TIMEOUT * 3,
            status_for_host(port, &format!("127.0.0.1:{port}")),
        )
        .await
        .expect("answered while half-sent requests wait");
        assert!(answered.starts_with("HTTP/1.1 200"), "{answered}");
        tokio::time::sleep(HEADER_TIMEOUT * 2).await;
        for mut stream in half_sent {
            let mut buffer = [0; 64];
            let read =
                tokio::time::timeout(std::time::Duration::from_secs(5), stream.read(&mut buffer))
                    .await
                    .expect("the server closed the connection");
            // Closed (0 bytes), reset, or told 408: never left open.
            assert!(
                read.as_ref()
                    .map_or(true, |n| *n == 0 || buffer.starts_with(b"HTTP/1.1 408")),
                "{read:?}"
            );
        }
    });
}

#[test]
fn p15_every_element_the_sanitizer_strips_and_every_remote_image_is_reported() {
    let s = site();
    let body = "![a](https://evil.example/a.png)\n\n\
                <img src=\"https://evil.example/b.png\">\n\n\
                <a href=\"&#47;&#92;evil.example\">x</a> [t](javascript:alert(1))\n\n\
                <div style=\"color:red\" onclick=\"steal()\">\n<p>本文</p>\n</div>\n\n\
                <script>alert(1)</script>";
    let report = fails(&s, |s| approval(s, "markup.md", "マークアップ", body), &[]);
    assert_eq!(
        report,
        "content/approvals/markup.md:15:1: image \"https://evil.example/a.png\" is on another site and is removed: images must be the site's own files (put them in public/ and write /assets/…), as the Content-Security-Policy blocks others\n\
         content/approvals/markup.md:17:1: an <img> needs alt text: alt=\"what it shows\", or alt=\"\" if it is only decoration\n\
         content/approvals/markup.md:17:11: image \"https://evil.example/b.png\" is on another site and is removed: images must be the site's own files (put them in public/ and write /assets/…), as the Content-Security-Policy blocks others\n\
         content/approvals/markup.md:19:10: link target \"/\\\\evil.example\" is refused: it holds a backslash, which browsers read as `/`\n\
         content/approvals/markup.md:19:40: link target \"javascript:alert(1)\" is removed: links may use only https, http, mailto and tel\n\
         content/approvals/markup.md:21:13: the style attribute of <div> is removed from the page: raw HTML keeps only plain formatting\n\
         content/approvals/markup.md:21:33: the onclick attribute of <div> is removed from the page: raw HTML keeps only plain formatting\n\
         content/approvals/markup.md:25:1: the <script> element is removed from the page with its content: content cannot carry scripts or styles"
    );
}
