//! `portal`: the command line of the AMED Results Portal generator.
//!
//! Exit status: 0 on success, 1 when the content has problems (each printed
//! as `path:line:column: message`) or the build fails, 2 on usage errors.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use portal::bundle::ExplorerSource;
use portal::{BuildError, BuildOptions, BuildReport, Explorer};

/// Rendering a large site is millions of small allocations: glibc's
/// malloc was 17% of a 100,000-record first build's processor samples,
/// mimalloc is about 3%.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Build, check and preview the AMED Results Portal.
#[derive(Parser)]
#[command(name = "portal", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Make a new site in DIR (a new or empty folder): settings, vocabularies,
    /// sample records, a spreadsheet, and deployment files
    Init {
        /// The new site's folder.
        dir: PathBuf,
    },
    /// Build the site into the output folder (replaced only on success).
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
        /// URL the site is deployed at (overrides base_url in site.toml).
        #[arg(long, value_parser = parse_base_url)]
        base_url: Option<String>,
    },
    /// Check the content and report every problem; writes nothing.
    Check {
        /// Content folder.
        #[arg(long, default_value = "content")]
        content: PathBuf,
        /// Output folder: a build of it that was interrupted is finished
        /// first, as every command does.
        #[arg(long, default_value = "dist")]
        out: PathBuf,
    },
    /// Build, serve on 127.0.0.1 and rebuild when content changes.
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder of the preview: kept apart from `dist`, because
        /// preview pages point at 127.0.0.1 and carry the live-reload script.
        #[arg(long, default_value = "target/preview")]
        out: PathBuf,
        /// Port to listen on.
        #[arg(long, default_value_t = 8000)]
        port: u16,
    },
}

#[derive(clap::Args)]
struct SiteArgs {
    /// Content folder.
    #[arg(long, default_value = "content")]
    content: PathBuf,
    /// Static files copied as they are.
    #[arg(long, default_value = "public")]
    public: PathBuf,
    /// Leave out the WebAssembly explorer (pages work without it).
    #[arg(long)]
    no_explorer: bool,
    /// Show no progress and no summary (errors are still printed).
    #[arg(long, short)]
    quiet: bool,
}

fn parse_base_url(url: &str) -> Result<String, String> {
    portal::urls::deployment(url)
}

impl SiteArgs {
    fn options(self, out: PathBuf, base_url: Option<String>) -> BuildOptions {
        BuildOptions {
            content: self.content,
            out,
            public: Some(self.public),
            base_url,
            explorer: if self.no_explorer {
                Explorer::Skip
            } else {
                Explorer::Build(ExplorerSource::default())
            },
            live_reload: false,
            require_public_url: false,
            progress: portal::Progress::for_stderr(self.quiet),
        }
    }
}

/// Prints an error for people: every content problem on its own line.
fn print_error(err: &BuildError) {
    if let BuildError::Content(diagnostics) = err {
        for d in diagnostics {
            eprintln!("{d}");
        }
    }
    // The error's message already includes its cause.
    eprintln!("error: {err}");
}

/// Finishes a build of `out` that was interrupted, saying so.
fn finish_interrupted(out: &std::path::Path) -> Result<(), BuildError> {
    if portal::write::finish_interrupted(out)? {
        eprintln!(
            "portal: finished the interrupted build of {}",
            out.display()
        );
    }
    Ok(())
}

fn print_warnings(report: &BuildReport) {
    for warning in &report.warnings {
        eprintln!("warning: {warning}");
    }
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Init { dir } => init(&dir),
        Command::Check { content, out } => check(&content, &out),
        Command::Build {
            site,
            out,
            base_url,
        } => build(site, out, base_url),
        Command::Serve { site, out, port } => serve(site, out, port),
    }
}

/// `portal init`: a new site in `dir`, and what to do next.
fn init(dir: &Path) -> ExitCode {
    match portal::init::init(dir) {
        Ok(files) => {
            println!(
                "portal: made a new site in {} ({} files)",
                dir.display(),
                files.len()
            );
            println!("next:");
            println!("  cd {}", dir.display());
            println!("  portal serve      # preview at http://127.0.0.1:8000/");
            println!("  edit content/site.toml (title, base_url), then the records in content/");
            println!("  portal build      # the site in dist/, for any static host");
            ExitCode::SUCCESS
        }
        Err(err) => {
            print_error(&err);
            ExitCode::FAILURE
        }
    }
}

/// `portal check`: whether the content is valid, without building.
fn check(content: &Path, out: &Path) -> ExitCode {
    match finish_interrupted(out).and_then(|()| portal::check(content, None)) {
        Ok(library) => {
            println!("content is valid: {} records", library.documents().count());
            ExitCode::SUCCESS
        }
        Err(err) => {
            print_error(&err);
            ExitCode::from(1)
        }
    }
}

/// `portal build`: the site into `out`.
fn build(site: SiteArgs, out: PathBuf, base_url: Option<String>) -> ExitCode {
    let mut options = site.options(out, base_url);
    // An explicit --base-url is the user's choice, local or not.
    options.require_public_url = options.base_url.is_none();
    match portal::build(&options) {
        Ok(report) => {
            print_warnings(&report);
            options.progress.finish(&format!(
                "portal: built {} into {}",
                report.line(),
                options.out.display()
            ));
            ExitCode::SUCCESS
        }
        Err(err) => {
            options.progress.abandon();
            print_error(&err);
            if matches!(err, BuildError::Content(_)) && options.out.exists() {
                eprintln!("note: {} was left as it was", options.out.display());
            }
            ExitCode::from(1)
        }
    }
}

/// `portal serve`: the live preview on `port`, one line per rebuild.
fn serve(site: SiteArgs, out: PathBuf, port: u16) -> ExitCode {
    let mut options = site.options(out, None);
    let quiet = options.progress.mode() == portal::progress::Mode::Quiet;
    // Rebuilds are quick: one summary line each, no bar.
    options.progress = portal::Progress::new(portal::progress::Mode::Quiet);
    let report = move |result: &Result<BuildReport, BuildError>| match result {
        Ok(report) => {
            print_warnings(report);
            if !quiet {
                eprintln!("portal: built {}", report.line());
            }
        }
        Err(err) => print_error(err),
    };
    match portal::serve::serve(options, port, report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            print_error(&err);
            ExitCode::from(1)
        }
    }
}
