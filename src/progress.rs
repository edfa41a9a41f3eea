//! Progress of long commands (`simulate --runs K`, `compare`, large
//! `plan`s) on stderr: drawn only when stderr is a terminal, never with
//! `--json` or `--quiet`, never on stdout. It only watches: results do not
//! depend on it.

use std::io::IsTerminal;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether progress is drawn: stderr is a terminal, and neither `--quiet`
/// nor `--json` was given.
pub fn shown(quiet: bool, json: bool) -> bool {
    !quiet && !json && std::io::stderr().is_terminal()
}

/// A progress bar or spinner on stderr (hidden unless [`shown`]).
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar counting `total` simulation runs.
    pub fn runs(total: u64, show: bool) -> Self {
        let bar = if show {
            ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("[{elapsed_precise}] {bar:30} {pos}/{len} runs {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.tick();
        Self { bar }
    }

    /// A spinner saying `message` while work of unknown length goes on.
    pub fn spinner(message: String, show: bool) -> Self {
        let bar = if show {
            ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        bar.set_message(message);
        if show {
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
        }
        Self { bar }
    }

    /// One more run done.
    pub fn inc(&self) {
        self.bar.inc(1);
    }

    /// Clears the line.
    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}
