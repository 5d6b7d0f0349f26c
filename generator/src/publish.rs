//! Render and write together, streaming: every output of the plan is
//! rendered (only if its inputs changed), compared and staged as it is
//! produced, so no more than a few pages are in memory at once; then the
//! output folder is committed in one step.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::BuildError;
use crate::fingerprint::{Fingerprint, Fingerprinter};
use crate::progress::Progress;
use crate::render::{self, Context, OutputFile};
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
    },
    /// Built in memory (the explorer bundle).
    Bytes(Arc<OutputFile>),
}

impl StaticFile {
    fn path(&self) -> &str {
        match self {
            StaticFile::Copy { path, .. } => path,
            StaticFile::Bytes(file) => &file.path,
        }
    }
}

/// The files of `public/`, by output path, in a stable order.
pub fn public_files(public: Option<&Path>) -> Result<Vec<StaticFile>, BuildError> {
    let mut files = Vec::new();
    if let Some(root) = public.filter(|p| p.exists()) {
        collect_public(root, root, &mut files)?;
    }
    Ok(files)
}

fn collect_public(root: &Path, dir: &Path, out: &mut Vec<StaticFile>) -> Result<(), BuildError> {
    for path in crate::load::sorted_entries(dir)? {
        if path.is_dir() {
            collect_public(root, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(StaticFile::Copy {
                path: rel,
                source: path,
            });
        }
    }
    Ok(())
}

/// Renders and writes every output of `ctx` plus `statics` into `dir`,
/// then commits. On any error nothing reaches the output folder.
pub fn publish(
    dir: OutputDir,
    ctx: &Context<'_>,
    statics: &[StaticFile],
    progress: &Progress,
) -> Result<Committed, BuildError> {
    let result = stage_all(&dir, ctx, statics, progress);
    match result {
        Ok(files) => {
            progress.stage("commit", 0);
            dir.commit(files)
        }
        Err(err) => {
            dir.abandon();
            Err(err)
        }
    }
}

type Staged = (String, Outcome, Recorded);

fn stage_all(
    dir: &OutputDir,
    ctx: &Context<'_>,
    statics: &[StaticFile],
    progress: &Progress,
) -> Result<Vec<Staged>, BuildError> {
    progress.stage("plan", 0);
    let jobs = render::plan(ctx);
    let generated: std::collections::HashSet<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
    if let Some(clash) = statics.iter().find(|s| generated.contains(s.path())) {
        return Err(BuildError::PublicCollision(clash.path().to_string()));
    }
    progress.stage("render", jobs.len() + statics.len());
    let mut staged: Vec<Staged> = jobs
        .par_iter()
        .map(|job| {
            let (outcome, recorded) = match dir.is_current(&job.path, job.fingerprint) {
                Some(recorded) => (Outcome::Skipped, recorded),
                None => dir.put(&job.path, job.fingerprint, &render::render(ctx, job)?)?,
            };
            progress.step();
            Ok((job.path.clone(), outcome, recorded))
        })
        .collect::<Result<_, BuildError>>()?;
    for file in statics {
        let (path, bytes) = match file {
            StaticFile::Copy { path, source } => (
                path,
                std::fs::read(source).map_err(BuildError::io("cannot read", source))?,
            ),
            StaticFile::Bytes(file) => (&file.path, file.bytes.clone()),
        };
        let inputs = Fingerprinter::new()
            .with("static")
            .with(&Fingerprint::of_bytes(&bytes))
            .finish128();
        let (outcome, recorded) = match dir.is_current(path, inputs) {
            Some(recorded) => (Outcome::Skipped, recorded),
            None => dir.put(path, inputs, &bytes)?,
        };
        progress.step();
        staged.push((path.clone(), outcome, recorded));
    }
    Ok(staged)
}
