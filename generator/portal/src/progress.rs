//! Progress of long builds: a bar on a terminal (stage, files done of
//! total, elapsed time), plain lines when stderr is not a terminal, or
//! nothing with `--quiet`. Only the CLI decides which; library code just
//! reports stages and steps.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How progress is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A progress bar redrawn in place.
    Bar,
    /// One line per stage.
    Lines,
    /// Nothing.
    Quiet,
}

/// Progress reporting for one build (cheap to clone and share between threads).
#[derive(Clone, Debug)]
pub struct Progress {
    mode: Mode,
    bar: ProgressBar,
    started: Instant,
}

impl Default for Progress {
    fn default() -> Self {
        Progress::new(Mode::Quiet)
    }
}

impl Progress {
    /// Progress shown as `mode`.
    pub fn new(mode: Mode) -> Progress {
        let bar = match mode {
            Mode::Bar => {
                let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
                bar.set_style(
                    ProgressStyle::with_template(
                        "{prefix:>8} [{bar:32}] {pos}/{len} files · {elapsed_precise}",
                    )
                    .expect("a valid template")
                    .progress_chars("=> "),
                );
                bar.enable_steady_tick(Duration::from_millis(120));
                bar
            }
            Mode::Lines | Mode::Quiet => ProgressBar::hidden(),
        };
        Progress {
            mode,
            bar,
            started: Instant::now(),
        }
    }

    /// A bar on a terminal, lines otherwise; nothing when `quiet`.
    pub fn for_stderr(quiet: bool) -> Progress {
        Progress::new(if quiet {
            Mode::Quiet
        } else if std::io::stderr().is_terminal() {
            Mode::Bar
        } else {
            Mode::Lines
        })
    }

    /// A new stage of `total` steps (0 when not counted).
    pub fn stage(&self, name: &str, total: usize) {
        match self.mode {
            Mode::Bar => {
                self.bar.set_prefix(name.to_string());
                self.bar.set_length(total as u64);
                self.bar.set_position(0);
            }
            Mode::Lines => {
                let elapsed = self.started.elapsed().as_secs_f64();
                if total > 0 {
                    eprintln!("portal: {name}: {total} files ({elapsed:.1} s)");
                } else {
                    eprintln!("portal: {name} ({elapsed:.1} s)");
                }
            }
            Mode::Quiet => {}
        }
    }

    /// One step of the current stage done.
    pub fn step(&self) {
        self.bar.inc(1);
    }

    /// Clears the bar and prints `summary` (unless quiet).
    pub fn finish(&self, summary: &str) {
        self.bar.finish_and_clear();
        if self.mode != Mode::Quiet {
            eprintln!("{summary}");
        }
    }

    /// How progress is shown.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// Clears the bar (before printing an error).
    pub fn abandon(&self) {
        self.bar.finish_and_clear();
    }
}

/// For developers: with `PORTAL_PROFILE` set, prints how long `what` took
/// since `since` to stderr (each stage of a build or preview save, and
/// every output that took over 30 ms to render). Figures for finding
/// where time goes; the benchmarks measure, this only points.
pub fn profile(what: &str, since: Instant) {
    static ON: std::sync::LazyLock<bool> =
        std::sync::LazyLock::new(|| std::env::var_os("PORTAL_PROFILE").is_some());
    if *ON {
        // Resident memory now, from the second field of /proc/self/statm
        // (in pages of 4 KiB), where the system has it.
        let resident = std::fs::read_to_string("/proc/self/statm")
            .ok()
            .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
            .map_or_else(String::new, |pages| {
                format!(", {} MiB resident", pages * 4 / 1024)
            });
        eprintln!(
            "portal profile: {what}: {:.1} ms{resident}",
            since.elapsed().as_secs_f64() * 1000.0
        );
    }
}
