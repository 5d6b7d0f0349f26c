//! `kill -9` at any moment of a build: the next run first brings the
//! output back to the complete old site or the complete new one.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use portal::{BuildOptions, Explorer};

fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The minimal site and `n` approvals: enough files that a build takes a
/// while and a change of a taxonomy label rewrites most of them.
fn content(dir: &Path, n: usize) -> PathBuf {
    let content = dir.join("content");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/site-minimal");
    copy_dir(&fixture, &content);
    for i in 0..n {
        fs::write(
            content.join(format!("approvals/k{i:05}.md")),
            format!("+++\nid = \"k{i:05}\"\ntitle = \"記録 {i}\"\nsummary = \"要約 {i}。\"\napproved = \"20{:02}-01\"\ncategory = \"new-drug\"\nmodality = [\"small-molecule\"]\ndisease = [\"cancer\"]\n\n[[sources]]\ntitle = \"出典\"\ndate = \"2025-05-14\"\n+++\n\n本文 {i}。\n", 10 + i % 15),
        )
        .unwrap();
    }
    content
}

fn build(content: &Path, out: &Path) {
    portal::build(&BuildOptions {
        content: content.to_path_buf(),
        out: out.to_path_buf(),
        public: None,
        base_url: None,
        explorer: Explorer::Skip,
        live_reload: false,
        require_public_url: false,
        progress: portal::Progress::default(),
    })
    .expect("build");
}

fn run_build(content: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .args([
            "build",
            "--quiet",
            "--no-explorer",
            "--public",
            "none",
            "--content",
        ])
        .arg(content)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_site() {
    let dir = tempfile::tempdir().unwrap();
    let content = content(dir.path(), 1500);
    let out = dir.path().join("dist");
    let taxonomies = content.join("taxonomies.toml");
    let old_taxonomies = fs::read_to_string(&taxonomies).unwrap();
    // The change: a label shown on every approval page and list.
    let new_taxonomies = old_taxonomies.replace("ja = \"低分子医薬品\"", "ja = \"低分子医薬\"");
    assert_ne!(old_taxonomies, new_taxonomies);

    let reference = dir.path().join("reference");
    build(&content, &reference.join("old"));
    let old = tree(&reference.join("old"));
    fs::write(&taxonomies, &new_taxonomies).unwrap();
    build(&content, &reference.join("new"));
    let new = tree(&reference.join("new"));
    assert_ne!(old, new);

    // How long an incremental build from old to new takes, unkilled.
    fs::write(&taxonomies, &old_taxonomies).unwrap();
    build(&content, &out);
    fs::write(&taxonomies, &new_taxonomies).unwrap();
    let start = Instant::now();
    assert!(run_build(&content, &out).wait().unwrap().success());
    let full = start.elapsed();
    assert_eq!(tree(&out), new);

    let (mut saw_old, mut saw_new) = (0, 0);
    for fraction in [0.05, 0.2, 0.4, 0.6, 0.75, 0.85, 0.92, 0.97] {
        fs::write(&taxonomies, &old_taxonomies).unwrap();
        build(&content, &out);
        assert_eq!(tree(&out), old);
        fs::write(&taxonomies, &new_taxonomies).unwrap();
        let mut child = run_build(&content, &out);
        std::thread::sleep(full.mul_f64(fraction));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        // What every portal run does first.
        portal::write::recover(&out).unwrap();
        let after = tree(&out);
        assert!(
            after == old || after == new,
            "killed at {fraction} of {full:?}: the output is neither the old nor the new site"
        );
        if after == old {
            saw_old += 1;
        } else {
            saw_new += 1;
        }
        // And the next build completes the new site from there.
        build(&content, &out);
        assert_eq!(tree(&out), new, "the build after the kill at {fraction}");
        let leftovers: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("staging") || n.contains("journal"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
    eprintln!("kills that left the old site: {saw_old}, the new site: {saw_new}");
}
