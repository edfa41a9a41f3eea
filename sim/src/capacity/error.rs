//! Planner errors: each names what is wrong and how to fix it.

use thiserror::Error;

use crate::runner::SimError;
use crate::scenario::ScenarioError;
use crate::sweep::SweepError;

/// Why `plan-capacity` (or applying an overlay) cannot go on.
#[derive(Debug, Error)]
pub enum PlanError {
    /// A `--target` that does not parse.
    #[error("--target '{arg}': {message}\n  fix: {fix}")]
    Target {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// What to change.
        fix: String,
    },
    /// A `--vary` that is not a knob of the recovery design.
    #[error("--vary {arg}: {message}\n  fix: {fix}")]
    Knob {
        /// The argument as given.
        arg: String,
        /// What is wrong.
        message: String,
        /// What to change.
        fix: String,
    },
    /// A `--vary` argument the sweep syntax refuses.
    #[error("{0}")]
    Vary(#[from] SweepError),
    /// The search is larger than its budget, or empty.
    #[error("{message}\n  fix: {fix}")]
    Budget {
        /// What is wrong.
        message: String,
        /// What to change.
        fix: String,
    },
    /// The scenario (or a design of it) does not load.
    #[error("{0}")]
    Scenario(Box<ScenarioError>),
    /// An overlay file that cannot be applied.
    #[error("{file}: {message}\n  fix: {fix}")]
    Overlay {
        /// The overlay file.
        file: String,
        /// What is wrong.
        message: String,
        /// What to change.
        fix: String,
    },
    /// A pool edition the price table has no rate for.
    #[error(
        "{file}: no price for {edition} pools per {unit}-hour\n  fix: add [prices] {key}.{edition} = <price per {unit}-hour> to the scenario"
    )]
    Price {
        /// The scenario file.
        file: String,
        /// The pool edition.
        edition: String,
        /// The capacity unit (`eDTU`, `vCore`).
        unit: String,
        /// The `[prices]` table key.
        key: String,
    },
    /// One run failed.
    #[error("design {design} ({label}), seed {seed}: {source}")]
    Run {
        /// Design index (0-based).
        design: usize,
        /// Its knob values.
        label: String,
        /// The run's seed.
        seed: u64,
        /// The failure.
        source: Box<SimError>,
    },
}

impl From<ScenarioError> for PlanError {
    fn from(e: ScenarioError) -> Self {
        PlanError::Scenario(Box::new(e))
    }
}
