//! Incremental builds: after any sequence of edits, additions, deletions,
//! renames and settings changes, the output folder is byte-identical to a
//! fresh build of the same content, both for `portal build` into an
//! existing folder and for the live preview's in-memory rebuilds.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use portal::preview::{Changes, Preview};
use portal::{BuildOptions, Explorer, Summary};
use portal_e2e::{build, copy_dir, fixture, read_tree, root};
use tempfile::TempDir;

/// A content folder to edit: the minimal site plus a few dozen approvals,
/// some linking to others, so pagination, facets and links are exercised.
fn content() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp folder");
    let content = dir.path().join("content");
    copy_dir(&fixture("site-minimal"), &content);
    for i in 0..60 {
        let link = if i % 7 == 0 {
            format!("[前の記録](@/approvals/a{:03}.md)も参照。", (i + 1) % 60)
        } else {
            String::new()
        };
        write(
            &content,
            &format!("approvals/a{i:03}.md"),
            &approval(
                &format!("a{i:03}"),
                &format!("記録 {i}"),
                &format!("20{:02}-{:02}", 10 + i % 12, 1 + i % 12),
                ["small-molecule", "regenerative", "gene-therapy"][i % 3],
                &format!("本文 {i}。{link}"),
            ),
        );
        if i % 2 == 0 {
            write(
                &content,
                &format!("approvals/a{i:03}.en.md"),
                &format!(
                    "+++\ntitle = \"Record {i}\"\nsummary = \"Summary {i}.\"\n+++\n\nBody {i}.\n"
                ),
            );
        }
    }
    (dir, content)
}

fn approval(id: &str, title: &str, approved: &str, modality: &str, body: &str) -> String {
    format!(
        "+++\nid = \"{id}\"\ntitle = \"{title}\"\nsummary = \"{title}の要約。\"\napproved = \"{approved}\"\ncategory = \"new-drug\"\nmodality = [\"{modality}\"]\ndisease = [\"cancer\"]\n\n[[sources]]\ntitle = \"出典\"\ndate = \"2025-05-14\"\n+++\n\n{body}\n"
    )
}

fn write(content: &Path, rel: &str, text: &str) {
    let path = content.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn replace(content: &Path, rel: &str, from: &str, to: &str) {
    let path = content.join(rel);
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// A fresh build of `content` into an empty folder.
fn fresh(content: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fresh");
    build(content, &out, None).expect("fresh build");
    read_tree(&out)
}

fn assert_same(out: &Path, content: &Path, step: &str) {
    let got = read_tree(out);
    let want = fresh(content);
    let got_paths: Vec<&String> = got.keys().collect();
    let want_paths: Vec<&String> = want.keys().collect();
    assert_eq!(
        got_paths, want_paths,
        "{step}: the files differ from a fresh build"
    );
    for (path, bytes) in &want {
        assert!(
            got[path] == *bytes,
            "{step}: {path} differs from a fresh build"
        );
    }
}

/// Two sample seeds as a table, in the portal's own CSV columns.
const SEEDS_TABLE: &str = "id,title_ja,summary_ja,modality,disease,stage,licensing,sample,sources\r\n\
table-seed-1,表のシーズ1,表の例。,small-molecule,cancer,basic,available,yes,AMED「資料」 2025-05-14\r\n\
table-seed-2,表のシーズ2,表の例。,regenerative,rare,basic,available,yes,AMED「資料」 2025-05-14\r\n";

/// One edit of the sequence: a name and what it does; returns the files
/// it touched (for the live preview's watcher).
type Edit = (&'static str, fn(&Path) -> Vec<&'static str>);

/// Edits of every kind, applied one after the other.
fn edits() -> Vec<Edit> {
    vec![
        ("body edited", |c| {
            replace(c, "approvals/a005.md", "本文 5。", "本文 5。追記。");
            vec!["approvals/a005.md"]
        }),
        ("title of a linked, related approval edited", |c| {
            replace(
                c,
                "approvals/delytact.md",
                "title = \"デリタクト注\"",
                "title = \"デリタクト注（改）\"",
            );
            vec!["approvals/delytact.md"]
        }),
        ("date edited (moves across list pages)", |c| {
            replace(
                c,
                "approvals/a010.md",
                "approved = \"2020-11\"",
                "approved = \"2009-01\"",
            );
            vec!["approvals/a010.md"]
        }),
        ("facet edited", |c| {
            replace(
                c,
                "approvals/a011.md",
                "modality = [\"gene-therapy\"]",
                "modality = [\"small-molecule\"]",
            );
            vec!["approvals/a011.md"]
        }),
        ("English file added", |c| {
            write(
                c,
                "approvals/a001.en.md",
                "+++\ntitle = \"Record one\"\n+++\n\nNew English body.\n",
            );
            vec!["approvals/a001.en.md"]
        }),
        ("English file removed", |c| {
            fs::remove_file(c.join("approvals/a002.en.md")).unwrap();
            vec!["approvals/a002.en.md"]
        }),
        ("record added", |c| {
            write(
                c,
                "approvals/zz-new.md",
                &approval(
                    "zz-new",
                    "新しい記録",
                    "2026-01",
                    "regenerative",
                    "[記録 0](@/approvals/a000.md)",
                ),
            );
            vec!["approvals/zz-new.md"]
        }),
        ("record deleted", |c| {
            fs::remove_file(c.join("approvals/a003.md")).unwrap();
            vec!["approvals/a003.md"]
        }),
        ("record renamed (file and id)", |c| {
            fs::rename(c.join("approvals/a004.md"), c.join("approvals/b004.md")).unwrap();
            fs::rename(
                c.join("approvals/a004.en.md"),
                c.join("approvals/b004.en.md"),
            )
            .unwrap();
            replace(c, "approvals/b004.md", "id = \"a004\"", "id = \"b004\"");
            vec![
                "approvals/a004.md",
                "approvals/a004.en.md",
                "approvals/b004.md",
                "approvals/b004.en.md",
            ]
        }),
        ("linked record's id changed", |c| {
            replace(
                c,
                "approvals/a001.md",
                "id = \"a001\"",
                "id = \"a001-renamed\"",
            );
            vec!["approvals/a001.md"]
        }),
        ("taxonomy label changed", |c| {
            replace(
                c,
                "taxonomies.toml",
                "en = \"Small-molecule drug\"",
                "en = \"Small-molecule medicine\"",
            );
            vec!["taxonomies.toml"]
        }),
        ("site settings changed", |c| {
            replace(
                c,
                "site.toml",
                "ja = \"テスト用の小さなサイト\"",
                "ja = \"改訂：テスト用の小さなサイト\"",
            );
            vec!["site.toml"]
        }),
        ("many records added (a list gains pages)", |c| {
            for i in 100..160 {
                write(
                    c,
                    &format!("approvals/m{i}.md"),
                    &approval(
                        &format!("m{i}"),
                        &format!("追加 {i}"),
                        "2018-05",
                        "small-molecule",
                        "追加。",
                    ),
                );
            }
            // The watcher names every file written.
            (100..160)
                .map(|i| &*Box::leak(format!("approvals/m{i}.md").into_boxed_str()))
                .collect()
        }),
        ("a table of seeds added beside a Markdown seed", |c| {
            write(c, "seeds/seeds.csv", SEEDS_TABLE);
            write(c, "seeds/table-seed-1.md", "表の記録の本文。\n");
            vec!["seeds/seeds.csv", "seeds/table-seed-1.md"]
        }),
        ("a table row edited", |c| {
            replace(c, "seeds/seeds.csv", "表のシーズ2", "表のシーズ2（改）");
            vec!["seeds/seeds.csv"]
        }),
        ("the body file of a table row edited", |c| {
            replace(c, "seeds/table-seed-1.md", "本文。", "本文。追記。");
            vec!["seeds/table-seed-1.md"]
        }),
        (
            "a table's mapping added (its columns renamed) and a title edited",
            |c| {
                replace(c, "seeds/seeds.csv", "title_ja,", "名称,");
                replace(c, "seeds/seeds.csv", "表のシーズ1,", "表のシーズ1（改）,");
                write(c, "seeds/seeds.toml", "[columns]\ntitle = \"名称\"\n");
                vec!["seeds/seeds.csv", "seeds/seeds.toml"]
            },
        ),
        ("a table removed", |c| {
            for name in ["seeds.csv", "seeds.toml", "table-seed-1.md"] {
                fs::remove_file(c.join("seeds").join(name)).unwrap();
            }
            vec![
                "seeds/seeds.csv",
                "seeds/seeds.toml",
                "seeds/table-seed-1.md",
            ]
        }),
        ("many records removed (a list loses pages)", |c| {
            for i in 100..160 {
                fs::remove_file(c.join(format!("approvals/m{i}.md"))).unwrap();
            }
            (100..160)
                .map(|i| &*Box::leak(format!("approvals/m{i}.md").into_boxed_str()))
                .collect()
        }),
    ]
}

#[test]
fn incremental_builds_equal_fresh_builds_after_every_kind_of_edit() {
    let (dir, content) = content();
    let out = dir.path().join("dist");
    build(&content, &out, None).expect("first build");
    assert_same(&out, &content, "first build");
    let again = build(&content, &out, None).expect("build again");
    assert_eq!(again.summary.written, 0, "nothing changed, nothing written");
    assert_eq!(again.summary.removed, 0);
    for (step, edit) in edits() {
        edit(&content);
        let report = build(&content, &out, None).unwrap_or_else(|e| panic!("{step}: {e}"));
        assert!(report.summary.written > 0, "{step}: nothing was written");
        assert_same(&out, &content, step);
    }
}

#[test]
fn a_body_edit_rewrites_only_the_record_pages() {
    let (dir, content) = content();
    let out = dir.path().join("dist");
    build(&content, &out, None).expect("first build");
    replace(&content, "approvals/a005.md", "本文 5。", "本文 5。追記。");
    let report = build(&content, &out, None).unwrap();
    // The Japanese page; the English page shows Japanese (no translation).
    assert_eq!(
        report.summary,
        Summary {
            written: 2,
            unchanged: report.files - 2,
            removed: 0
        }
    );
}

/// Rewrites every manifest line with `inputs` as its input fingerprint,
/// keeping each line's own check valid.
fn set_recorded_inputs(manifest: &Path, inputs: &str) {
    let text = fs::read_to_string(manifest).unwrap();
    let lines: Vec<String> = text
        .lines()
        .map(|line| {
            let mut fields: Vec<&str> = line.split('\t').collect();
            if fields[0] != "P" {
                return line.to_string();
            }
            fields.pop();
            fields[2] = inputs;
            let body = fields.join("\t");
            let check = portal::fingerprint::Fingerprint::of_bytes(body.as_bytes()).hex();
            format!("{body}\t{}", &check[..8])
        })
        .collect();
    fs::write(manifest, lines.join("\n") + "\n").unwrap();
}

#[test]
fn outputs_recorded_from_other_inputs_are_rendered_again() {
    let (dir, content) = content();
    let out = dir.path().join("dist");
    build(&content, &out, None).expect("first build");
    // As if another generator (other templates or code) had built it:
    // every recorded input fingerprint differs from today's.
    let manifest = dir.path().join(".dist.manifest");
    let stale = "0".repeat(32);
    set_recorded_inputs(&manifest, &stale);
    let report = build(&content, &out, None).unwrap();
    assert_eq!(report.summary.written, 0, "same bytes: nothing to write");
    // Later lines of the manifest override earlier ones.
    let mut recorded: BTreeMap<String, String> = BTreeMap::new();
    for line in fs::read_to_string(&manifest).unwrap().lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        if fields[0] == "P" {
            recorded.insert(fields[1].into(), fields[2].into());
        }
    }
    assert_eq!(recorded.len(), report.files);
    assert!(
        recorded.values().all(|inputs| *inputs != stale),
        "every output was rendered again and recorded with its real inputs"
    );
    assert_same(&out, &content, "after stale fingerprints");
}

#[test]
fn a_file_changed_in_the_output_is_put_back() {
    let (dir, content) = content();
    let out = dir.path().join("dist");
    build(&content, &out, None).expect("first build");
    fs::write(out.join("approvals/a007/index.html"), "changed by hand").unwrap();
    fs::remove_file(out.join("en/approvals/a008/index.html")).unwrap();
    let report = build(&content, &out, None).unwrap();
    assert_eq!(report.summary.written, 2);
    assert_same(&out, &content, "after hand edits in the output");
}

#[test]
fn the_live_preview_equals_a_fresh_build_after_every_kind_of_edit() {
    let (dir, content) = content();
    let out = dir.path().join("preview");
    let options = BuildOptions {
        content: content.clone(),
        out: out.clone(),
        public: Some(root().join("public")),
        base_url: None,
        explorer: Explorer::Skip,
        live_reload: false,
        require_public_url: false,
        progress: portal::Progress::default(),
    };
    let (mut preview, first) = Preview::start(options).expect("start the preview");
    first.expect("first preview build");
    assert_same(&out, &content, "first preview build");
    for (step, edit) in edits() {
        let touched = edit(&content);
        let changes = Changes {
            paths: touched.iter().map(|rel| content.join(rel)).collect(),
            rescan: false,
        };
        let report = preview
            .update(&changes)
            .unwrap_or_else(|e| panic!("{step}: {e}"));
        assert!(report.summary.written > 0, "{step}: nothing was written");
        assert_same(&out, &content, step);
    }
    // A problem keeps the last good preview and names the file and place.
    let before = read_tree(&out);
    replace(
        &content,
        "approvals/a006.md",
        "approved = \"2016-07\"",
        "approved = \"2016-13\"",
    );
    let err = preview
        .update(&Changes {
            paths: vec![content.join("approvals/a006.md")],
            rescan: false,
        })
        .expect_err("an impossible date is a problem");
    assert!(err.to_string().contains("1 problem"), "{err}");
    let portal::BuildError::Content(problems) = err else {
        panic!("expected content problems")
    };
    assert!(
        problems[0]
            .to_string()
            .contains("approvals/a006.md:5:12: impossible date"),
        "{}",
        problems[0]
    );
    assert_eq!(read_tree(&out), before, "the last good preview stays");
    replace(
        &content,
        "approvals/a006.md",
        "approved = \"2016-13\"",
        "approved = \"2016-07\"",
    );
    preview
        .update(&Changes {
            paths: vec![content.join("approvals/a006.md")],
            rescan: false,
        })
        .expect("fixed");
    assert_same(&out, &content, "after the fix");
}

/// What a host with `gzip_static` / `brotli_static` serves: a `.gz` and a
/// `.br` twin of every file of the explorer's index, the stylesheet, feeds
/// and sitemaps, each decoding to the file; none beside the open data.
#[test]
fn precompressed_twins_decode_to_their_files() {
    use std::io::Read;
    let (dir, content) = content();
    let out = dir.path().join("dist");
    build(&content, &out, None).expect("build");
    let files = read_tree(&out);
    let twinned: Vec<&String> = files
        .keys()
        .filter(|p| {
            !p.ends_with(".gz")
                && !p.ends_with(".br")
                && (p.starts_with("explore/") || p.ends_with(".xml") || *p == "assets/site.css")
        })
        .collect();
    assert!(twinned.len() > 10, "{twinned:?}");
    assert!(twinned.iter().any(|p| p.starts_with("explore/search/0/")));
    for path in twinned {
        let plain = &files[path];
        let mut gz = Vec::new();
        flate2::read::GzDecoder::new(&files[&format!("{path}.gz")][..])
            .read_to_end(&mut gz)
            .unwrap();
        assert_eq!(&gz, plain, "{path}.gz");
        let mut br = Vec::new();
        brotli::Decompressor::new(&files[&format!("{path}.br")][..], 4096)
            .read_to_end(&mut br)
            .unwrap();
        assert_eq!(&br, plain, "{path}.br");
    }
    assert!(files.contains_key("data/approvals.json"));
    assert!(
        !files.contains_key("data/approvals.json.gz"),
        "open data is left to the host"
    );
}

/// Runs git in `dir` with a fixed identity, as the content's editors would.
fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=Editor",
            "-c",
            "user.email=editor@example.org",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// A build whose inputs are all as they were for the build that made the
/// folder does nothing and says so; but a change the file's time hides, a
/// commit (which changes pages' history, not files) or a hand edit of the
/// output is never missed.
#[test]
fn a_build_with_nothing_changed_is_skipped_but_no_change_is_missed() {
    let (dir, content) = content();
    git(&content, &["init", "-q"]);
    git(&content, &["add", "-A"]);
    git(&content, &["commit", "-q", "-m", "first"]);
    let out = dir.path().join("dist");
    let first = build(&content, &out, None).expect("first build");
    assert!(
        dir.path().join(".dist.inputs").is_file(),
        "the build's inputs are recorded"
    );
    let again = build(&content, &out, None).unwrap();
    assert_eq!(
        again.summary,
        Summary {
            written: 0,
            unchanged: first.files,
            removed: 0
        }
    );
    assert_eq!((again.records, again.files), (first.records, first.files));
    // An edit of the same size, its modification time put back.
    let record = content.join("approvals/a003.md");
    let modified = fs::metadata(&record).unwrap().modified().unwrap();
    replace(&content, "approvals/a003.md", "本文 3。", "本文 8。");
    fs::File::options()
        .write(true)
        .open(&record)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    build(&content, &out, None).unwrap();
    let page = fs::read_to_string(out.join("approvals/a003/index.html")).unwrap();
    assert!(page.contains("本文 8。"), "the edit is on the page");
    assert_same(&out, &content, "after an edit with its time put back");
    // A commit: the record's history gains a note, though no file changed.
    git(&content, &["add", "-A"]);
    git(
        &content,
        &[
            "commit",
            "-q",
            "-m",
            "Fix a003\n\nChange-note-en: Corrected the body text",
        ],
    );
    build(&content, &out, None).unwrap();
    let page = fs::read_to_string(out.join("en/approvals/a003/index.html")).unwrap();
    assert!(
        page.contains("Corrected the body text"),
        "the commit's note is on the page"
    );
    // The same inputs again: nothing to do, and the site is still whole.
    let skipped = build(&content, &out, None).unwrap();
    assert_eq!(skipped.summary.written, 0);
    assert_same(&out, &content, "after a commit");
}
