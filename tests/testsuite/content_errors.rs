//! Broken content: one fixture per error class, each reported as
//! `path:line:column: message`, all problems in one run, and a failed build
//! never touching the previous output.

use std::fs;
use std::path::{Path, PathBuf};

use portal::BuildError;
use portal_e2e::{build, copy_dir, fixture, read_tree};
use tempfile::TempDir;

fn broken_site(overlays: &[&str]) -> (TempDir, PathBuf) {
    portal_e2e::minimal_site_with(overlays)
}

fn problems(content: &Path) -> String {
    portal_e2e::content_problems(content)
}

fn check_class(class: &str) -> String {
    let (_dir, content) = broken_site(&[class]);
    problems(&content)
}

#[test]
fn minimal_fixture_is_valid() {
    portal::check(&fixture("site-minimal"), None).expect("the fixture is valid");
}

#[test]
fn errors_on_bad_gloss() {
    // An empty gloss, a gloss of a part the source lacks, a gloss of an
    // English source: each would show wrongly or nowhere.
    insta::assert_snapshot!(check_class("bad-gloss"));
}

#[test]
fn errors_on_malformed_toml() {
    insta::assert_snapshot!(check_class("malformed-toml"));
}

#[test]
fn errors_on_missing_front_matter() {
    insta::assert_snapshot!(check_class("missing-front-matter"));
}

#[test]
fn errors_on_reserved_id() {
    // `/approvals/international/` is the static facet page; `/policy/` the
    // site's own policy page: a record there would silently replace them.
    insta::assert_snapshot!(check_class("reserved-id"));
}

#[test]
fn errors_on_unknown_field() {
    insta::assert_snapshot!(check_class("unknown-field"));
}

#[test]
fn errors_on_wrong_type() {
    insta::assert_snapshot!(check_class("wrong-type"));
}

#[test]
fn errors_on_missing_field() {
    insta::assert_snapshot!(check_class("missing-field"));
}

#[test]
fn errors_on_unknown_taxonomy_key() {
    insta::assert_snapshot!(check_class("unknown-taxonomy-key"));
}

#[test]
fn errors_on_duplicate_id() {
    insta::assert_snapshot!(check_class("duplicate-id"));
}

#[test]
fn errors_on_bad_slug() {
    insta::assert_snapshot!(check_class("bad-slug"));
}

#[test]
fn errors_on_impossible_date() {
    insta::assert_snapshot!(check_class("impossible-date"));
}

#[test]
fn errors_on_english_without_japanese() {
    insta::assert_snapshot!(check_class("english-without-japanese"));
}

#[test]
fn errors_on_broken_internal_link() {
    insta::assert_snapshot!(check_class("broken-internal-link"));
}

#[test]
fn errors_on_invalid_utf8() {
    let (_dir, content) = broken_site(&[]);
    // 「承認」 in Shift_JIS, as an editor on Japanese Windows might save it.
    let mut bytes = b"+++\nid = \"sjis\"\ntitle = \"".to_vec();
    bytes.extend([0x8F, 0xB3, 0x94, 0x46]);
    bytes.extend(b"\"\n+++\n");
    fs::write(content.join("approvals/sjis.md"), bytes).expect("write fixture");
    insta::assert_snapshot!(problems(&content));
}

#[test]
fn reports_every_problem_in_one_run() {
    let classes = [
        "malformed-toml",
        "missing-front-matter",
        "unknown-field",
        "wrong-type",
        "missing-field",
        "unknown-taxonomy-key",
        "duplicate-id",
        "bad-slug",
        "impossible-date",
        "english-without-japanese",
        "broken-internal-link",
    ];
    let (_dir, content) = broken_site(&classes);
    let report = problems(&content);
    for class in classes {
        let single = check_class(class);
        for line in single.lines() {
            assert!(
                report.contains(line),
                "{class}: {line:?} missing from the combined report:\n{report}"
            );
        }
    }
    insta::assert_snapshot!(report);
}

#[test]
fn keeps_old_output_on_failure() {
    let (dir, content) = broken_site(&[]);
    let out = dir.path().join("dist");
    build(&content, &out, None).expect("the valid site builds");
    let before = read_tree(&out);
    copy_dir(&fixture("errors/unknown-taxonomy-key"), &content);
    let err = build(&content, &out, None).expect_err("the broken site fails");
    assert!(matches!(err, BuildError::Content(_)), "{err}");
    assert_eq!(
        read_tree(&out),
        before,
        "a failed build changed the previous output"
    );
    let mut leftovers: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    leftovers.sort();
    assert_eq!(
        leftovers,
        [
            ".dist.inputs",
            ".dist.lock",
            ".dist.manifest",
            "content",
            "dist"
        ],
        "staging folders or journals left behind"
    );
}

#[test]
fn refuses_to_replace_a_folder_that_is_not_a_build() {
    let (dir, content) = broken_site(&[]);
    let out = dir.path().join("precious");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("thesis.txt"), "do not delete").unwrap();
    let err = build(&content, &out, None).expect_err("must refuse");
    assert!(
        err.to_string()
            .contains("does not look like a portal build"),
        "{err}"
    );
    assert_eq!(
        fs::read_to_string(out.join("thesis.txt")).unwrap(),
        "do not delete"
    );
}
