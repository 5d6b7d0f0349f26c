//! The `portal` command line: exit statuses and what editors read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures")
}

fn portal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(args)
        .current_dir(fixtures())
        .output()
        .expect("run portal")
}

#[test]
fn check_passes_valid_content() {
    let out = portal(&["check", "--content", "site-minimal"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "content is valid: 9 records\n"
    );
}

#[test]
fn content_errors_exit_1_with_every_problem_located() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy(&fixtures().join("site-minimal"), &content);
    copy(&fixtures().join("errors/unknown-taxonomy-key"), &content);
    copy(&fixtures().join("errors/impossible-date"), &content);
    let out = Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["check", "--content", "content"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn failed_build_says_the_output_was_kept() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy(&fixtures().join("site-minimal"), &content);
    let build = |dir: &Path| {
        Command::new(env!("CARGO_BIN_EXE_portal"))
            .args([
                "build",
                "--no-explorer",
                "--content",
                "content",
                "--out",
                "dist",
                "--public",
                "none",
                "--base-url",
                "https://example.org/amed/",
            ])
            .current_dir(dir)
            .output()
            .unwrap()
    };
    assert_eq!(build(dir.path()).status.code(), Some(0));
    copy(&fixtures().join("errors/duplicate-id"), &content);
    let out = build(dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("note: dist was left as it was\n"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(portal(&["build", "--no-such-flag"]).status.code(), Some(2));
    assert_eq!(portal(&["frobnicate"]).status.code(), Some(2));
    let out = portal(&["build", "--base-url", "example.org"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("it must start with https://"));
}

#[test]
fn a_deploy_build_refuses_a_local_base_url() {
    let dir = tempfile::tempdir().unwrap();
    copy(
        &fixtures().join("site-minimal"),
        &dir.path().join("content"),
    );
    let site = dir.path().join("content/site.toml");
    let text = std::fs::read_to_string(&site).unwrap().replace(
        "base_url = \"https://portal.example.org/\"",
        "base_url = \"http://127.0.0.1:8000/\"",
    );
    std::fs::write(&site, text).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_portal"))
        .args(["build", "--no-explorer", "--public", "none"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("an address on this machine: set base_url in content/site.toml"),
        "{stderr}"
    );
    assert!(!dir.path().join("dist/index.html").exists());
}

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.path().is_dir() {
            copy(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

/// A raw HTTP GET on 127.0.0.1 (enough for a local preview server).
fn http_get(port: u16, path: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    stream
}

fn read_until(stream: &mut std::net::TcpStream, needle: &str) -> String {
    use std::io::Read;
    let mut seen = Vec::new();
    let mut buf = [0; 4096];
    while !String::from_utf8_lossy(&seen).contains(needle) {
        let n = stream.read(&mut buf).unwrap_or_else(|e| {
            panic!(
                "waiting for {needle:?}: {e}; got {}",
                String::from_utf8_lossy(&seen)
            )
        });
        assert!(
            n > 0,
            "connection closed before {needle:?}: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&seen).into_owned()
}

#[test]
fn serve_rebuilds_on_change_and_tells_open_pages() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    copy(&fixtures().join("site-minimal"), &content);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut server = Command::new(env!("CARGO_BIN_EXE_portal"))
        .args([
            "serve",
            "--no-explorer",
            "--content",
            "content",
            "--out",
            "dist",
            "--public",
            "none",
            "--port",
            &port.to_string(),
        ])
        .current_dir(dir.path())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the preview server did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let page = read_until(&mut http_get(port, "/approvals/delytact/"), "</html>");
    assert!(
        page.contains("content-security-policy: default-src 'self'"),
        "{page}"
    );
    assert!(page.contains("<script src=\"/__live-reload.js\" defer></script>"));
    let mut events = http_get(port, "/__live-reload");
    read_until(&mut events, "text/event-stream");
    let file = content.join("approvals/delytact.md");
    let text = std::fs::read_to_string(&file).unwrap().replace(
        "title = \"デリタクト注\"",
        "title = \"デリタクト注（改訂）\"",
    );
    std::fs::write(&file, text).unwrap();
    read_until(&mut events, "event: reload");
    let page = read_until(&mut http_get(port, "/approvals/delytact/"), "</html>");
    assert!(page.contains("<h1>デリタクト注（改訂）</h1>"), "{page}");
    server.kill().unwrap();
    let _ = server.wait();
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_path_buf(), bytes);
            }
        }
    }
    files
}

/// Issue 27, points 1 and 16: a build that fails after its commit (here a
/// file in the way of a new page's folder) leaves a mixed output folder
/// and its journal. Every command says what is going on and how to get
/// out, `portal check` too; once the obstacle is gone, any command
/// finishes the build, and the folder is the new site.
#[test]
fn an_interrupted_build_is_explained_and_finished_by_every_command() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    copy(&fixtures().join("site-minimal"), &root.join("content"));
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_portal"))
            .args(args)
            .current_dir(root)
            .output()
            .unwrap()
    };
    let build = [
        "build",
        "--no-explorer",
        "--base-url",
        "https://x.example/",
        "-q",
    ];
    let built = run(&build);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let ezharmia = std::fs::read_to_string(root.join("content/approvals/ezharmia.md")).unwrap();
    let added = ezharmia.replace("id = \"ezharmia\"", "id = \"added\"");
    std::fs::write(root.join("content/approvals/added.md"), added).unwrap();
    std::fs::write(root.join("dist/approvals/added"), "in the way").unwrap();
    let failed = run(&build);
    assert_eq!(failed.status.code(), Some(1));
    let said = String::from_utf8_lossy(&failed.stderr);
    for needle in [
        "dist holds a build that was interrupted after it was committed",
        "finishing it failed: cannot create",
        "dist/approvals/added: File exists",
        "or delete",
        ".dist.journal, .dist.manifest, .dist.staging, .dist.lock",
    ] {
        assert!(said.contains(needle), "{needle:?} in:\n{said}");
    }
    // `portal check` finishes it too, and says the same while it cannot.
    let checked = run(&["check"]);
    assert_eq!(checked.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&checked.stderr).contains("holds a build that was interrupted")
    );
    std::fs::remove_file(root.join("dist/approvals/added")).unwrap();
    let checked = run(&["check"]);
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
    assert!(
        String::from_utf8_lossy(&checked.stderr)
            .contains("portal: finished the interrupted build of dist")
    );
    assert!(!root.join(".dist.journal").exists());
    // The folder is now the new site, byte for byte.
    let fresh = run(&[
        "build",
        "--no-explorer",
        "--base-url",
        "https://x.example/",
        "-q",
        "--out",
        "fresh",
    ]);
    assert!(fresh.status.success());
    assert!(tree(&root.join("dist")) == tree(&root.join("fresh")));
}
