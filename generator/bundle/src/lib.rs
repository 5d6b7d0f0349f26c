//! The explorer bundle: compile the Leptos explorer (`site/`) to WebAssembly
//! and package it for the output with content-hashed file names.
//!
//! Owns the toolchain steps a new machine lacks: it adds the wasm32 target
//! when missing, runs cargo for `wasm32-unknown-unknown`, generates the
//! JavaScript bindings in-process with `wasm-bindgen-cli-support` (so the
//! version always matches the explorer's `wasm-bindgen`), and shrinks the
//! module with binaryen's `wasm-opt` (installed with `npm ci` when missing), tuned for the
//! size that crosses the network (gzip), not the raw size.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sha2::{Digest, Sha256};

use portal_content::error::BuildError;
use portal_output::OutputFile;
pub use portal_output::explorer::{App, AppModule, AppModules, ExplorerBundle};
use portal_output::fingerprint::{Fingerprint, Fingerprinter, generator_identity};
use portal_output::precompress::Encoding;

mod carried;
mod glue;

pub use carried::{carried, sources_hash};

const TARGET: &str = "wasm32-unknown-unknown";
const PROFILE: &str = "wasm-release";

/// Where the explorer's sources are.
#[derive(Debug, Clone)]
pub struct ExplorerSource {
    /// The workspace root (holds `Cargo.toml`, `site/`, `target/`).
    pub workspace: PathBuf,
    /// Compile even when the carried bundle was made from these sources
    /// (to check that it is what they give, or to make it anew).
    pub fresh: bool,
}

impl Default for ExplorerSource {
    /// The workspace this generator was compiled from.
    fn default() -> Self {
        // This crate is `generator/bundle/` of the workspace.
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
        let workspace = manifest.ancestors().nth(2).unwrap_or(manifest);
        ExplorerSource {
            workspace: workspace.to_path_buf(),
            fresh: std::env::var_os(carried::UPDATE).is_some(),
        }
    }
}

fn explorer_error(message: impl Into<String>) -> BuildError {
    BuildError::Explorer(message.into())
}

/// Makes sure the wasm32 target is installed, adding it with rustup if not.
fn ensure_target() -> Result<(), BuildError> {
    let sysroot = Command::new("rustc")
        .args(["--print", "sysroot"])
        .output()
        .map_err(|e| explorer_error(format!("cannot run rustc: {e}")))?;
    let sysroot = String::from_utf8_lossy(&sysroot.stdout).trim().to_string();
    if Path::new(&sysroot)
        .join("lib/rustlib")
        .join(TARGET)
        .exists()
    {
        return Ok(());
    }
    eprintln!("portal: the {TARGET} target is missing; running `rustup target add {TARGET}`");
    let status = Command::new("rustup")
        .args(["target", "add", TARGET])
        .status();
    match status {
        Ok(s) if s.success() => Ok(()),
        _ => Err(explorer_error(format!(
            "the {TARGET} target is not installed and could not be added; run `rustup target add {TARGET}` and build again"
        ))),
    }
}

/// The oldest binaryen we trust: the version `npm ci` installs, whose
/// printed name map `glue` reads. (Debian's version 108 produces modules
/// that fail at run time: "WebAssembly.Table.set(): Argument 1 is invalid
/// for table".)
const MIN_WASM_OPT: u32 = 132;

/// What running `wasm-opt --version` showed of one candidate.
#[derive(Debug, PartialEq, Eq)]
enum Probe {
    /// Recent enough: its binaryen version.
    Usable(u32),
    /// Runs, but is older than [`MIN_WASM_OPT`].
    TooOld(u32),
    /// Installed but does not run: what went wrong, in the tool's words.
    Broken(String),
}

/// Runs `binary --version` and says whether it can be used.
fn probe(binary: &Path) -> Probe {
    let output = match run_fresh(Command::new(binary).arg("--version")) {
        Ok(output) => output,
        Err(err) => return Probe::Broken(format!("cannot run it: {err}")),
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let version = stdout
        .split_whitespace()
        .skip_while(|w| *w != "version")
        .nth(1)
        .and_then(|v| v.parse().ok());
    match version {
        Some(v) if output.status.success() && v >= MIN_WASM_OPT => Probe::Usable(v),
        Some(v) if output.status.success() => Probe::TooOld(v),
        _ => {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let said = stderr
                .lines()
                .chain(stdout.lines())
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("no output");
            Probe::Broken(format!("`--version` {}: {said}", describe(output.status)))
        }
    }
}

/// Runs `command`, waiting out "text file busy": a program written a moment
/// ago (by `npm ci`, or by a test) stays busy while any process forked in
/// that moment still holds the writer's descriptor, which lasts only until
/// that process execs.
fn run_fresh(command: &mut Command) -> std::io::Result<std::process::Output> {
    const TEXT_FILE_BUSY: i32 = 26;
    let mut waited = std::time::Duration::from_millis(5);
    loop {
        match command.output() {
            Err(err)
                if err.raw_os_error() == Some(TEXT_FILE_BUSY)
                    && waited < std::time::Duration::from_secs(2) =>
            {
                std::thread::sleep(waited);
                waited *= 2;
            }
            result => return result,
        }
    }
}

/// An exit status for people: its code, or the signal that ended it.
fn describe(status: std::process::ExitStatus) -> String {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => format!("exited with status {code}"),
        (None, Some(signal)) => format!("was killed by signal {signal}"),
        (None, None) => "failed".to_string(),
    }
}

/// The `wasm-opt`s to consider: the project's own (`npm ci`) first, then
/// those on `PATH`, each that exists.
fn candidates(workspace: &Path) -> Vec<PathBuf> {
    let local = workspace.join("node_modules/.bin/wasm-opt");
    let on_path = std::env::var_os("PATH")
        .map(|path| {
            std::env::split_paths(&path)
                .map(|dir| dir.join("wasm-opt"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    std::iter::once(local)
        .chain(on_path)
        .filter(|p| p.exists())
        .collect()
}

/// A `wasm-opt` recent enough to trust with its binaryen version, or what
/// is wrong with each one found (empty when there is none at all).
fn find_wasm_opt(workspace: &Path) -> Result<(PathBuf, u32), Vec<String>> {
    let mut unusable = vec![];
    for candidate in candidates(workspace) {
        match probe(&candidate) {
            Probe::Usable(version) => return Ok((candidate, version)),
            Probe::TooOld(v) => unusable.push(format!(
                "{} is binaryen {v}, older than {MIN_WASM_OPT}",
                candidate.display()
            )),
            Probe::Broken(why) => unusable.push(format!("{} {why}", candidate.display())),
        }
    }
    Err(unusable)
}

fn short_hash(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// Builds the explorer's apps and returns their files for `assets/`.
///
/// The `portal` binary carries a bundle ([`carried`]): it is used, and
/// nothing is compiled, unless the explorer's sources in the workspace
/// differ from those it was made from (or `source.fresh` asks).
pub fn build(source: &ExplorerSource) -> Result<ExplorerBundle, BuildError> {
    if let Some(bundle) = ready(source) {
        return Ok(bundle);
    }
    let bundle = compile_bundle(source)?;
    if std::env::var_os(carried::UPDATE).is_some() {
        carried::store(&source.workspace, &bundle)?;
    }
    Ok(bundle)
}

/// The bundle [`build`] gives without compiling: the carried one, when
/// it was made from these sources and a fresh compile is not asked for.
pub fn ready(source: &ExplorerSource) -> Option<ExplorerBundle> {
    if source.fresh {
        return None;
    }
    carried::current(&source.workspace)
}

fn compile_bundle(source: &ExplorerSource) -> Result<ExplorerBundle, BuildError> {
    ensure_target()?;
    let workspace = &source.workspace;
    let compiled = App::ALL
        .iter()
        .map(|&app| Ok((app, compile(workspace, app)?)))
        .collect::<Result<Vec<_>, BuildError>>()?;
    let (wasm_opt, version) = require_wasm_opt(workspace)?;
    // Binding and optimising take seconds; their output depends only on
    // the compiled modules, the optimiser and this generator.
    let mut key = Fingerprinter::new();
    for (_, (_, bytes)) in &compiled {
        key = key.with(&Fingerprint::of_bytes(bytes));
    }
    let key = key
        .with(&wasm_opt)
        // Hashed as `Some(version)`, as before, so bundles cached earlier stay valid.
        .with(&Some(version))
        .with(&generator_identity())
        .finish128();
    let target_dir = workspace.join("target").join("explorer");
    let cache = target_dir.join(format!("bundle-{}", key.hex()));
    if let Some(bundle) = read_cached(&cache) {
        return Ok(bundle);
    }
    let mut files = Vec::new();
    let mut module = |app: App| {
        let (_, (wasm, _)) = compiled.iter().find(|(a, _)| *a == app).expect("compiled");
        bind_and_optimise(app, wasm, &wasm_opt, &target_dir, &mut files)
    };
    let (lists, search) = (module(App::Lists)?, module(App::Search)?);
    add_twins(&mut files);
    let bundle = ExplorerBundle {
        files,
        modules: AppModules { lists, search },
    };
    write_cached(&cache, &bundle);
    Ok(bundle)
}

/// Adds the pre-compressed twins of the modules (`.gz`, `.br`), made here
/// at the strongest settings and cached with the bundle, not by every build.
fn add_twins(files: &mut Vec<OutputFile>) {
    let twins: Vec<OutputFile> = files
        .iter()
        .filter(|f| f.path.ends_with(".js") || f.path.ends_with(".wasm"))
        .flat_map(|f| {
            Encoding::ALL.map(|encoding| OutputFile {
                path: format!("{}{}", f.path, encoding.extension()),
                bytes: encoding.encode_best(&f.bytes),
            })
        })
        .collect();
    files.extend(twins);
}

/// Compiler flags that write the paths of dependencies' sources (which
/// panic locations keep in the module) as `/cargo/…` instead of where
/// Cargo's home is on this machine, so the same sources give the same
/// bundle, and the same file names, on every machine.
fn remapped_paths() -> String {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    home.map(|h| format!("--remap-path-prefix={}=/cargo", h.display()))
        .unwrap_or_default()
}

/// Compiles `app` for wasm32: the module's path and bytes.
fn compile(workspace: &Path, app: App) -> Result<(PathBuf, Vec<u8>), BuildError> {
    // A target folder of its own: `portal build` may run inside `cargo run`
    // or `cargo test`, which hold the lock on the workspace's `target/`.
    // One per app: both build the same library with other features, and a
    // shared folder would rebuild it each time the features change.
    let target_dir = workspace
        .join("target")
        .join("explorer")
        .join(app.feature());
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .current_dir(workspace)
        .args([
            "build",
            "--quiet",
            "--lib",
            "-p",
            "amed-explorer",
            "--no-default-features",
            "--features",
            app.feature(),
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ])
        .arg("--target-dir")
        .arg(&target_dir)
        // Build-script environment of an outer cargo must not leak in.
        .env_remove("CARGO_TARGET_DIR")
        .env_remove("RUSTFLAGS")
        .env("CARGO_ENCODED_RUSTFLAGS", remapped_paths())
        .status()
        .map_err(|e| explorer_error(format!("cannot run cargo: {e}")))?;
    if !status.success() {
        return Err(explorer_error(
            "cargo could not compile site/ for wasm32 (see the messages above)",
        ));
    }
    let wasm = target_dir
        .join(TARGET)
        .join(PROFILE)
        .join("amed_explorer.wasm");
    let bytes = fs::read(&wasm).map_err(BuildError::io("cannot read", &wasm))?;
    Ok((wasm, bytes))
}

/// The `wasm-opt` to use: found, or installed from npm (`npm ci`, which the
/// lockfile pins) when none is installed at all, or a clear error. One that
/// is installed but does not run is reported in its own words and never
/// reinstalled (`npm ci` would delete and reinstall `node_modules`). A
/// deploy never ships an unoptimised module without a word.
fn require_wasm_opt(workspace: &Path) -> Result<(PathBuf, u32), BuildError> {
    let unusable = match find_wasm_opt(workspace) {
        Ok(found) => return Ok(found),
        Err(unusable) => unusable,
    };
    let local = workspace.join("node_modules/.bin/wasm-opt");
    if !unusable.is_empty() || local.exists() {
        return Err(explorer_error(format!(
            "wasm-opt (binaryen {MIN_WASM_OPT} or newer) is installed but cannot be used: {}; fix or remove it (`npm ci` in {} installs a working one), or build with --no-explorer",
            unusable.join("; "),
            workspace.display()
        )));
    }
    eprintln!(
        "portal: wasm-opt (binaryen {MIN_WASM_OPT} or newer) is missing; running `npm ci` to install it"
    );
    let npm = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(workspace)
        .status();
    let failed = match npm {
        Ok(status) if status.success() => None,
        Ok(status) => Some(format!("`npm ci` {}", describe(status))),
        Err(err) => Some(format!("cannot run npm: {err}")),
    };
    match (failed, find_wasm_opt(workspace)) {
        (None, Ok(found)) => Ok(found),
        (failed, found) => Err(explorer_error(format!(
            "wasm-opt (binaryen {MIN_WASM_OPT} or newer) is needed to optimise the explorer and could not be installed ({}); run `npm ci` in {} (needs Node.js and npm), or build with --no-explorer",
            failed.unwrap_or_else(|| found.err().unwrap_or_default().join("; ")),
            workspace.display()
        ))),
    }
}

fn read_cached(cache: &Path) -> Option<ExplorerBundle> {
    let list = fs::read_to_string(cache.join("files")).ok()?;
    parse_cached(&list, |name| fs::read(cache.join("data").join(name)).ok())
}

/// A bundle from its list (as [`write_cached`] writes it) and its files,
/// read by their names under `data/`.
fn parse_cached(list: &str, read: impl Fn(&str) -> Option<Vec<u8>>) -> Option<ExplorerBundle> {
    let mut lines = list.lines();
    let mut module = || {
        Some(AppModule {
            entry: lines.next()?.to_string(),
            wasm: lines.next()?.to_string(),
        })
    };
    let (lists, search) = (module()?, module()?);
    let files = lines
        .map(|path| {
            let bytes = read(&path.replace('/', "__"))?;
            Some(OutputFile {
                path: path.to_string(),
                bytes,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(ExplorerBundle {
        files,
        modules: AppModules { lists, search },
    })
}

/// Best effort: without a cache the next build binds again.
fn write_cached(cache: &Path, bundle: &ExplorerBundle) {
    let tmp = cache.with_extension("tmp");
    let _ = fs::remove_dir_all(&tmp);
    let written = (|| -> std::io::Result<()> {
        fs::create_dir_all(tmp.join("data"))?;
        let mut list = String::new();
        for module in App::ALL.map(|app| bundle.modules.app(app)) {
            list.push_str(&format!("{}\n{}\n", module.entry, module.wasm));
        }
        for file in &bundle.files {
            fs::write(
                tmp.join("data").join(file.path.replace('/', "__")),
                &file.bytes,
            )?;
            list.push_str(&file.path);
            list.push('\n');
        }
        fs::write(tmp.join("files"), list)?;
        fs::rename(&tmp, cache)
    })();
    if written.is_err() {
        let _ = fs::remove_dir_all(&tmp);
    }
}

/// Runs wasm-bindgen on `wasm` into `staging` (`explorer_bg.wasm`) and
/// returns the glue without its exported classes; the module goes without
/// the exports only those classes called.
fn bind(wasm: &Path, staging: &Path) -> Result<String, BuildError> {
    let mut output = wasm_bindgen_cli_support::Bindgen::new()
        .input_path(wasm)
        .out_name("explorer")
        .web(true)
        .and_then(|b| {
            b.typescript(false)
                .remove_name_section(true)
                .remove_producers_section(true)
                .generate_output()
        })
        .map_err(|e| explorer_error(format!("wasm-bindgen: {e:#}")))?;
    // Written once for the glue as it is formatted on disk, then again
    // without the exports the dropped classes alone called.
    let emit = |output: &mut wasm_bindgen_cli_support::Output| {
        output
            .emit(staging)
            .map_err(|e| explorer_error(format!("wasm-bindgen: {e:#}")))
    };
    emit(&mut output)?;
    let js_path = staging.join("explorer.js");
    let written = fs::read_to_string(&js_path).map_err(BuildError::io("cannot read", &js_path))?;
    let (glue, unused) =
        glue::without_classes(&glue::strip_doc_comments(&written)).map_err(explorer_error)?;
    let module = output.wasm_mut();
    let unused: Vec<_> = module
        .exports
        .iter()
        .filter(|e| unused.contains(&e.name))
        .map(|e| e.id())
        .collect();
    for export in unused {
        module.exports.delete(export);
    }
    emit(&mut output)?;
    Ok(glue)
}

/// Binds and optimises the compiled `app`, adds its files to `files` and
/// returns its modules.
fn bind_and_optimise(
    app: App,
    wasm: &Path,
    wasm_opt: &Path,
    target_dir: &Path,
    files: &mut Vec<OutputFile>,
) -> Result<AppModule, BuildError> {
    let staging = tempfile_dir(target_dir)?;
    let glue = bind(wasm, &staging)?;
    let bindgen_wasm = staging.join("explorer_bg.wasm");
    let names = optimise(wasm_opt, &bindgen_wasm, &staging)?;
    let wasm_bytes =
        fs::read(&bindgen_wasm).map_err(BuildError::io("cannot read", &bindgen_wasm))?;
    let glue = glue::compact(&glue::rename(&glue, &names).map_err(explorer_error)?);
    let prefix = app.file_prefix();
    let wasm_path = format!("{prefix}-{}_bg.wasm", short_hash(&wasm_bytes));
    let wasm_name = wasm_path.rsplit('/').next().unwrap_or_default();
    // The entry module starts itself: no inline script is needed to call init.
    let js = format!(
        "{glue}\n__wbg_init({{ module_or_path: new URL(\"{wasm_name}\", import.meta.url) }});\n"
    );
    let js_path = format!("{prefix}-{}.js", short_hash(js.as_bytes()));
    files.push(OutputFile {
        path: wasm_path.clone(),
        bytes: wasm_bytes,
    });
    files.push(OutputFile {
        path: js_path.clone(),
        bytes: js.into_bytes(),
    });
    let snippets = staging.join("snippets");
    if snippets.exists() {
        collect(&snippets, "assets/snippets", files)?;
    }
    let _ = fs::remove_dir_all(&staging);
    Ok(AppModule {
        entry: js_path,
        wasm: wasm_path,
    })
}

/// Shrinks the module in place with `wasm_opt`; the names its imports and
/// exports now have.
fn optimise(wasm_opt: &Path, wasm: &Path, staging: &Path) -> Result<glue::NameMap, BuildError> {
    let optimised = staging.join("explorer_opt.wasm");
    let output = Command::new(wasm_opt)
        .arg(wasm)
        // Size passes without inlining: inlining shrinks the raw module
        // but duplicates code that gzip then compresses worse. Measured
        // on the explorer: -Oz 156.1 KB gzip, none 148.1 KB, these 142.5 KB.
        .args([
            "-Os",
            "--always-inline-max-function-size=0",
            "--one-caller-inline-max-function-size=0",
            "--flexible-inline-max-function-size=0",
            // Last, after the passes that drop unused imports: short names
            // for the imports and exports (see `glue`); prints the mapping.
            "--minify-imports-and-exports-and-modules",
            "--strip-target-features",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-reference-types",
            "--enable-multivalue",
            "-o",
        ])
        .arg(&optimised)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| explorer_error(format!("cannot run {}: {e}", wasm_opt.display())))?;
    if !output.status.success() {
        return Err(explorer_error(format!("{} failed", wasm_opt.display())));
    }
    let names = glue::NameMap::from_json(&String::from_utf8_lossy(&output.stdout))
        .map_err(explorer_error)?;
    fs::rename(&optimised, wasm).map_err(BuildError::io("cannot replace", wasm))?;
    Ok(names)
}

fn tempfile_dir(parent: &Path) -> Result<PathBuf, BuildError> {
    let dir = parent.join(format!("bindgen-{}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).map_err(BuildError::io("cannot create", &dir))?;
    Ok(dir)
}

fn collect(dir: &Path, prefix: &str, files: &mut Vec<OutputFile>) -> Result<(), BuildError> {
    for path in portal_content::folder::sorted_entries(dir)? {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.is_dir() {
            collect(&path, &format!("{prefix}/{name}"), files)?;
        } else {
            let bytes = fs::read(&path).map_err(BuildError::io("cannot read", &path))?;
            files.push(OutputFile {
                path: format!("{prefix}/{name}"),
                bytes,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    /// A workspace whose own `wasm-opt` is the shell `script`, with a file
    /// of its `node_modules` that `npm ci` would delete.
    fn workspace(script: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path().join("node_modules/.bin");
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(dir.path().join("node_modules/kept"), "installed").unwrap();
        let tool = bin.join("wasm-opt");
        std::fs::write(&tool, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).unwrap();
        dir
    }

    #[test]
    fn a_wasm_opt_that_crashes_is_reported_in_its_own_words_not_reinstalled() {
        let dir = workspace("echo 'terminate called: std::bad_alloc' >&2\nkill -ABRT $$");
        let err = require_wasm_opt(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("is installed but cannot be used")
                && err.contains("node_modules/.bin/wasm-opt `--version` was killed by signal 6: terminate called: std::bad_alloc"),
            "{err}"
        );
        assert!(dir.path().join("node_modules/kept").exists(), "npm ci ran");
    }

    #[test]
    fn a_wasm_opt_too_old_is_named_with_its_version() {
        let dir = workspace("echo 'wasm-opt version 108'");
        let err = require_wasm_opt(dir.path()).unwrap_err().to_string();
        assert!(err.contains("is binaryen 108, older than 132"), "{err}");
        assert!(dir.path().join("node_modules/kept").exists(), "npm ci ran");
        let dir = workspace("echo 'wasm-opt version 132 (version_132)'");
        assert_eq!(
            probe(&dir.path().join("node_modules/.bin/wasm-opt")),
            Probe::Usable(132)
        );
    }
}
