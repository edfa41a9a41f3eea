//! Sweep errors: each names what is wrong and how to fix it.

use thiserror::Error;

use crate::runner::SimError;
use crate::scenario::ScenarioError;

/// Why a sweep, a shard or a merge cannot go on.
#[derive(Debug, Error)]
pub enum SweepError {
    /// A `--vary` argument that does not parse.
    #[error("--vary {arg}: {message}\n  fix: {fix}")]
    Vary {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// What to change.
        fix: String,
    },
    /// A grid point whose edited scenario the loader refuses (the loader's
    /// error, with the point's values in its file name).
    #[error("{0}")]
    Scenario(Box<ScenarioError>),
    /// The scenario file cannot be read or is not TOML.
    #[error("{file}: {message}")]
    Input {
        /// The scenario file.
        file: String,
        /// What is wrong.
        message: String,
    },
    /// A `--shard` argument that does not parse.
    #[error(
        "--shard {arg}: {message}\n  fix: use --shard K/N with 0 <= K < N (K is 0-based, like $JOB_COMPLETION_INDEX)"
    )]
    Shard {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
    },
    /// One run failed.
    #[error("grid point {point} ({values}), seed {seed}: {source}")]
    Run {
        /// Grid point index.
        point: usize,
        /// Its values, `key=value` joined by spaces.
        values: String,
        /// The run's seed.
        seed: u64,
        /// What failed.
        source: Box<SimError>,
    },
    /// Shard files that cannot be merged, or a file that is not one.
    #[error("{0}")]
    Merge(String),
}
