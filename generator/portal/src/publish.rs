//! Render and write together, streaming: every output of the plan is
//! rendered (only if its inputs changed), compared and staged as it is
//! produced, so no more than a few pages are in memory at once; then the
//! output folder is committed in one step.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::error::{BuildError, Diagnostic, Diagnostics, Spot};
use crate::fingerprint::{Fingerprint, Fingerprinter};
use crate::folder::{Folder, Kind};
use crate::precompress::Encoding;
use crate::progress::Progress;
use crate::render::{self, Context, OutputFile, Rendered};
use crate::routes;
use crate::write::{Committed, Outcome, OutputDir, Recorded};

/// A file of the site that is not rendered: a static file of `public/` or
/// a file of the explorer bundle.
#[derive(Debug, Clone)]
pub enum StaticFile {
    /// Copied from `public/`.
    Copy {
        /// Path in the output.
        path: String,
        /// The file in `public/`.
        source: PathBuf,
        /// `public/`, which the file must not leave.
        folder: Folder,
    },
    /// Built in memory (the explorer bundle).
    Bytes(Arc<OutputFile>),
}

/// The files of `public/`, by output path, in a stable order. Links out of
/// the folder, special files, files too large and folders too deep are
/// problems, all reported at once.
pub fn public_files(public: Option<&Path>) -> Result<Vec<StaticFile>, BuildError> {
    let mut files = Vec::new();
    let Some(root) = public.filter(|p| p.exists()) else {
        return Ok(files);
    };
    let folder = Folder::new(root).map_err(BuildError::io("cannot read", root))?;
    let mut problems = Diagnostics::default();
    collect_public(&folder, root, 0, &mut files, &mut problems);
    let problems = problems.into_sorted();
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(BuildError::Content(problems))
    }
}

fn collect_public(
    folder: &Folder,
    dir: &Path,
    depth: usize,
    out: &mut Vec<StaticFile>,
    problems: &mut Diagnostics,
) {
    if depth > crate::folder::MAX_DEPTH {
        problems.at(
            &crate::folder::display(dir),
            "",
            0,
            format!(
                "folders nested deeper than {} levels: flatten them",
                crate::folder::MAX_DEPTH
            ),
        );
        return;
    }
    for entry in folder.entries(dir, problems) {
        match entry.kind {
            Kind::Dir => collect_public(folder, &entry.path, depth + 1, out, problems),
            Kind::File => {
                let rel = entry
                    .path
                    .strip_prefix(folder.root())
                    .unwrap_or(&entry.path)
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push(StaticFile::Copy {
                    path: rel,
                    source: entry.path,
                    folder: folder.clone(),
                });
            }
        }
    }
}

/// Renders and writes every output of `ctx` plus `statics` into `dir`,
/// then commits. On any error nothing reaches the output folder.
pub fn publish(
    dir: OutputDir,
    ctx: &Context<'_>,
    statics: &[StaticFile],
    progress: &Progress,
) -> Result<Committed, BuildError> {
    progress.stage("plan", 0);
    let t = std::time::Instant::now();
    let plan = render::plan(ctx);
    crate::progress::profile("plan", t);
    publish_plan(dir, ctx, &plan, statics, progress, None).map(|(committed, _)| committed)
}

/// Renders and writes the outputs of `plan` that may have changed, plus
/// `statics`, into `dir`, then commits. `before`, if known, holds every
/// output of the last commit that is not a record page: then record pages
/// `plan` does not name as fresh are known to be as committed. Returns the
/// commit and the paths of every output that is not a record page.
pub fn publish_plan(
    dir: OutputDir,
    ctx: &Context<'_>,
    plan: &render::Plan,
    statics: &[StaticFile],
    progress: &Progress,
    before: Option<&FxHashSet<String>>,
) -> Result<(Committed, FxHashSet<String>), BuildError> {
    let result = stage_all(&dir, ctx, plan, statics, progress);
    let (staged, record_files) = match result {
        Ok(staged) => staged,
        Err(err) => {
            dir.abandon();
            return Err(err);
        }
    };
    progress.stage("commit", 0);
    let committing = std::time::Instant::now();
    let others: FxHashSet<String> = staged[record_files..]
        .iter()
        .map(|(p, _, _)| p.clone())
        .collect();
    let committed = match (before, &plan.fresh) {
        (Some(before), Some(_)) => {
            let gone = before
                .iter()
                .filter(|p| !others.contains(*p))
                .cloned()
                .collect();
            // The record pages are the same files as last time: those not
            // staged are as committed.
            let record_pages = dir.manifest().len().saturating_sub(before.len());
            dir.commit_delta(staged, record_pages.saturating_sub(record_files), gone)
        }
        _ => dir.commit(staged),
    };
    crate::progress::profile("commit", committing);
    Ok((committed?, others))
}

type Staged = (String, Outcome, Recorded);

/// A file of `public/`, read again through the same guard (it may have
/// been replaced since it was listed).
fn read_public(folder: &Folder, source: &Path) -> Result<Vec<u8>, BuildError> {
    folder
        .read(source, crate::folder::MAX_PUBLIC_FILE)
        .map_err(|problem| BuildError::Content(vec![problem]))
}

/// Every file of `public/` that would overwrite a generated output: a
/// page, a feed, a file of the explorer bundle, or a pre-compressed twin
/// (`feed.xml.gz` beside `feed.xml`, `assets/site.css.br` beside the
/// stylesheet). Each is a problem located at the file as the user named
/// it, all reported at once.
fn collisions(plan: &render::Plan, statics: &[StaticFile]) -> Vec<Diagnostic> {
    let mut generated: FxHashMap<String, String> = FxHashMap::default();
    let twins = |path: &str, generated: &mut FxHashMap<String, String>| {
        if routes::precompressed(path) {
            for encoding in Encoding::ALL {
                let twin = format!("{path}{}", encoding.extension());
                generated.insert(
                    twin,
                    format!("the compressed twin of {path} that the build writes"),
                );
            }
        }
    };
    for job in &plan.others {
        generated.insert(job.path.clone(), "a file the build writes".to_string());
        twins(&job.path, &mut generated);
    }
    for file in statics {
        match file {
            StaticFile::Bytes(file) => {
                generated.insert(
                    file.path.clone(),
                    "a file of the explorer bundle".to_string(),
                );
            }
            // Its twins are generated; the file itself is checked below.
            StaticFile::Copy { path, .. } => twins(path, &mut generated),
        }
    }
    let mut problems = vec![];
    for file in statics {
        let StaticFile::Copy { path, source, .. } = file else {
            continue;
        };
        let clash = generated.get(path.as_str()).cloned().or_else(|| {
            (path.ends_with("index.html") && plan.records.iter().any(|j| j.path == *path))
                .then(|| "a record page the build writes".to_string())
        });
        if let Some(what) = clash {
            problems.push(
                Spot::at(source.display().to_string(), 1, 1).problem(format!(
                    "would replace {path} in the output, {what}; rename or remove it"
                )),
            );
        }
    }
    problems.sort();
    problems
}

/// Stages the record pages that may have changed, then every other
/// output, then the static files, in that order.
fn stage_all(
    dir: &OutputDir,
    ctx: &Context<'_>,
    plan: &render::Plan,
    statics: &[StaticFile],
    progress: &Progress,
) -> Result<(Vec<Staged>, usize), BuildError> {
    let clashes = collisions(plan, statics);
    if !clashes.is_empty() {
        return Err(BuildError::Content(clashes));
    }
    let t = std::time::Instant::now();
    let jobs = plan.to_stage();
    progress.stage("render", jobs.len() + statics.len());
    // Pre-compressed twins are for hosts; the live preview does without them.
    let twins = !ctx.shared.assets.live_reload;
    let stage_job = |job: &&render::Job| {
        let staged = stage(dir, &job.path, job.fingerprint, twins, || {
            let t = std::time::Instant::now();
            let r = render::render(ctx, job);
            if t.elapsed().as_millis() > 30 {
                crate::progress::profile(&job.path, t);
            }
            r
        })?;
        progress.step();
        Ok(staged)
    };
    let staged = if ctx.shared.assets.live_reload {
        // A save: one pass, longest first (see `longest_first`).
        stage_longest_first(&jobs, &stage_job)?
    } else {
        // Open data first, while the rows its files share are held; then
        // a build lets them go, and everything else is staged.
        let (data, rest): (Vec<&render::Job>, Vec<&render::Job>) =
            jobs.iter().partition(|job| job.output.from_rows());
        let staged_data = stage_longest_first(&data, &stage_job)?;
        crate::progress::profile("open data", t);
        ctx.release_rows();
        let mut staged = rest
            .par_iter()
            .map(stage_job)
            .collect::<Result<Vec<Vec<Staged>>, BuildError>>()?;
        staged.extend(staged_data);
        staged
    };
    crate::progress::profile("stage", t);
    let fresh = plan.fresh.as_ref().map_or(plan.records.len(), Vec::len);
    let record_files = staged[..fresh].iter().map(Vec::len).sum();
    let mut staged: Vec<Staged> = staged.into_iter().flatten().collect();
    for file in statics {
        let (path, bytes) = match file {
            StaticFile::Copy {
                path,
                source,
                folder,
            } => (path, read_public(folder, source)?),
            StaticFile::Bytes(file) => (&file.path, file.bytes.clone()),
        };
        let inputs = Fingerprinter::new()
            .with("static")
            .with(&Fingerprint::of_bytes(&bytes))
            .finish128();
        staged.extend(stage(dir, path, inputs, twins, || {
            Ok(Rendered::Bytes(bytes))
        })?);
        progress.step();
    }
    Ok((staged, record_files))
}

/// Stages `jobs` on every worker, each taking the next job in order of
/// [`longest_first`], and returns what each staged in the jobs' own order
/// (the record pages first: the commit tells them from the rest by
/// position). A save's few changed outputs are dominated by one or two long
/// ones (a collection's open data, a search range); started first, the
/// other worker stages the rest meanwhile, where a split of the list in
/// halves could leave them for last.
fn stage_longest_first(
    jobs: &[&render::Job],
    stage_job: &(impl Fn(&&render::Job) -> Result<Vec<Staged>, BuildError> + Sync),
) -> Result<Vec<Vec<Staged>>, BuildError> {
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| longest_first(&jobs[i].output));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done = (0..rayon::current_num_threads())
        .into_par_iter()
        .map(|_| {
            let mut done = Vec::new();
            loop {
                let n = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(&i) = order.get(n) else {
                    return Ok(done);
                };
                match stage_job(&jobs[i]) {
                    Ok(staged) => done.push((i, staged)),
                    Err(e) => {
                        // The others stop at their next job.
                        next.store(order.len(), std::sync::atomic::Ordering::Relaxed);
                        return Err(e);
                    }
                }
            }
        })
        .collect::<Result<Vec<Vec<(usize, Vec<Staged>)>>, BuildError>>()?;
    let mut staged: Vec<(usize, Vec<Staged>)> = done.into_iter().flatten().collect();
    staged.sort_unstable_by_key(|(i, _)| *i);
    Ok(staged.into_iter().map(|(_, s)| s).collect())
}

/// The order a save stages outputs in: a collection's open data, then a
/// facet's, then the search index, then the rest as planned.
fn longest_first(output: &render::Output) -> u8 {
    match output {
        render::Output::Data(..) => 0,
        output if output.from_rows() => 1,
        render::Output::ExploreBucket(_)
        | render::Output::ExploreDocs(_)
        | render::Output::ExploreCore(_)
        | render::Output::ExploreTitles(_)
        | render::Output::ExploreManifest(_) => 2,
        _ => 3,
    }
}

/// Stages the file at `path` made from `inputs` (rendering it only if
/// they changed), and its pre-compressed twins when hosts should get them.
fn stage<'c>(
    dir: &OutputDir,
    path: &str,
    inputs: Fingerprint,
    twins: bool,
    render: impl FnOnce() -> Result<Rendered<'c>, BuildError>,
) -> Result<Vec<Staged>, BuildError> {
    let twins: Vec<(Encoding, String, Fingerprint)> = if twins && routes::precompressed(path) {
        Encoding::ALL
            .iter()
            .map(|&e| {
                (
                    e,
                    format!("{path}{}", e.extension()),
                    twin_inputs(inputs, e),
                )
            })
            .collect()
    } else {
        vec![]
    };
    let current = dir.is_current(path, inputs);
    let twins_current: Vec<Option<Recorded>> = twins
        .iter()
        .map(|(_, p, i)| dir.is_current(p, *i))
        .collect();
    if let Some(recorded) = current
        && twins_current.iter().all(Option::is_some)
    {
        let mut staged = vec![(path.to_string(), Outcome::Skipped, recorded)];
        for ((_, twin, _), recorded) in twins.into_iter().zip(twins_current) {
            staged.push((twin, Outcome::Skipped, recorded.expect("checked")));
        }
        return Ok(staged);
    }
    let rendered = render()?;
    if let (Rendered::Streamed(emit), true) = (&rendered, twins.is_empty()) {
        let (outcome, recorded) = dir.put_streamed(path, inputs, emit)?;
        return Ok(vec![(path.to_string(), outcome, recorded)]);
    }
    let bytes = rendered.into_bytes();
    let (outcome, recorded) = dir.put(path, inputs, &bytes)?;
    let mut staged = vec![(path.to_string(), outcome, recorded)];
    for (encoding, twin, twin_inputs) in twins {
        let (outcome, recorded) = dir.put(&twin, twin_inputs, &encoding.encode(&bytes))?;
        staged.push((twin, outcome, recorded));
    }
    Ok(staged)
}

/// The inputs of the `encoding` twin of a file made from `inputs`.
fn twin_inputs(inputs: Fingerprint, encoding: Encoding) -> Fingerprint {
    Fingerprinter::new()
        .with(&inputs)
        .with(encoding.extension())
        .finish128()
}
