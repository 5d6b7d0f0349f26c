//! Arbitrary bytes as one more approval, `approvals/fuzz.md`, of a copy of
//! the fixture site `tests/fixtures/site-minimal`: the whole pipeline of
//! `portal check` (load, validate: slugs, ids, dates, taxonomy keys,
//! internal links, translations) and, when the content is valid, every
//! page, feed, sitemap and dataset of `render_all`. Content errors are
//! expected; a panic is a finding.
#![no_main]

use std::path::PathBuf;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;

static CONTENT: LazyLock<PathBuf> = LazyLock::new(|| {
    let content = portal_fuzz::scratch_dir("record").join("content");
    portal_fuzz::copy_dir(&portal_fuzz::fixture_site(), &content);
    make_valid(&content);
    content
});

/// The fixture alone must pass `check`, or no input can reach rendering.
/// If it does not (the validation got stricter than the fixture), the
/// lines of the copy that the diagnostics point at are blanked, with a
/// warning, so the run still covers `render_all`. The fixture itself is
/// never changed.
fn make_valid(content: &std::path::Path) {
    for _ in 0..4 {
        let problems = match portal::check(content, None) {
            Ok(_) => return,
            Err(portal::error::BuildError::Content(problems)) => problems,
            Err(err) => {
                eprintln!("WARNING: the fixture site fails `check`, so no input can reach render_all: {err}");
                return;
            }
        };
        for problem in &problems {
            eprintln!("WARNING: fixture problem, line blanked in the scratch copy: {problem}");
            let path = PathBuf::from(&problem.file);
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            let blanked: Vec<&str> = text
                .split('\n')
                .enumerate()
                .map(|(i, line)| if i + 1 == problem.line { "" } else { line })
                .collect();
            std::fs::write(&path, blanked.join("\n")).expect("cannot write the scratch copy");
        }
    }
    eprintln!("WARNING: the fixture site still fails `check`, so no input can reach render_all");
}

/// `AMED_FUZZ_VERBOSE=1` prints each input's outcome (to see which seeds
/// reach rendering).
static VERBOSE: LazyLock<bool> = LazyLock::new(|| std::env::var_os("AMED_FUZZ_VERBOSE").is_some());

fuzz_target!(|data: &[u8]| {
    std::fs::write(CONTENT.join("approvals/fuzz.md"), data).expect("cannot write the record file");
    match portal::check(&CONTENT, None) {
        Ok(library) => {
            let rendered = portal::render::render_all(&library, &portal::render::Assets::default());
            if *VERBOSE {
                match rendered {
                    Ok(files) => eprintln!("fuzz: rendered {} files", files.len()),
                    Err(err) => eprintln!("fuzz: render error: {err}"),
                }
            }
        }
        Err(err) if *VERBOSE => eprintln!("fuzz: check error: {err:?}"),
        Err(_) => {}
    }
});
