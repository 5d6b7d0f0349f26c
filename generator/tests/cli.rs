//! The `portal` command line: exit statuses and what editors read.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
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
    assert!(String::from_utf8_lossy(&out.stderr).contains("expected an absolute http(s) URL"));
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
