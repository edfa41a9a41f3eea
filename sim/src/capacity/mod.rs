//! `plan-capacity`: the cheapest recovery-region design that meets RTO
//! targets, searched over a stated grid of the knobs a user controls.
//!
//! - [`target`]: `TIER.METRIC <= DURATION` targets.
//! - [`space`]: the knobs, their values (given with `--vary` or the
//!   defaults) and the designs to try.
//! - [`overlay`]: a design as a TOML overlay of `[recovery]` and
//!   `[strategy]`, applied to the scenario (also by `simulate --overlay`).
//! - [`evaluate`]: per run, each target's value and the cost; per design,
//!   the 95th percentile over the runs (nearest rank) against the bound.
//! - [`frontier`]: the Pareto-optimal designs over cost and the targets.
//!
//! Flow: [`Search::prepare`] loads every design (designs the loader
//! refuses are skipped with the reason) and checks the budget;
//! [`Search::run`] makes one (design, seed) run (callers run them in
//! parallel, in any order); [`Search::finish`] folds the runs, given in
//! item order, into the [`PlanReport`]. Every step is a function of its
//! inputs: the same scenario, targets, knobs and seeds give the same
//! report whatever the thread count.

mod error;
pub mod evaluate;
pub mod frontier;
pub mod overlay;
pub mod space;
pub mod target;

use std::path::Path;

use serde::Serialize;

pub use error::PlanError;
pub use evaluate::{DesignOutcome, RunOutcome};
pub use space::{Design, Knob};
pub use target::Target;

use crate::scenario::Scenario;
use crate::scenario::prices::RateSource;

/// Most designs one search tries (as many as a sweep's grid points).
pub const MAX_DESIGNS: usize = crate::sweep::grid::MAX_POINTS;

/// Default budget: most runs (designs × seeds) one search makes.
pub const DEFAULT_BUDGET: u64 = 2_000;

/// Seeds per design when neither `--runs` nor a scenario `runs` above 1
/// says otherwise.
pub const DEFAULT_RUNS: u32 = 10;

/// A loaded design, ready to run.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// The knob values.
    pub design: Design,
    /// The scenario with the design applied.
    pub scenario: Scenario,
}

/// A design the scenario loader refused (it is not run).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Skipped {
    /// Its knob values.
    pub design: String,
    /// The loader's message.
    pub reason: String,
}

/// What the search covers, as stated up front.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SearchSpace {
    /// Whether the knobs are the defaults (no `--vary`).
    pub default_knobs: bool,
    /// The knobs and their values, first varying slowest.
    pub knobs: Vec<Knob>,
    /// Combinations of the values.
    pub combinations: usize,
    /// Distinct designs (foreign strategy knobs dropped).
    pub designs: usize,
    /// Designs the loader refused.
    pub skipped: usize,
    /// Seeds per design.
    pub runs: u32,
    /// First seed (the scenario's `seed`); run `k` of every design uses
    /// `seed + k`.
    pub seed: u64,
    /// Runs made: loaded designs × seeds.
    pub total_runs: u64,
    /// The most runs allowed (`--budget`).
    pub budget: u64,
}

/// A prepared search.
#[derive(Debug, Clone)]
pub struct Search {
    /// The scenario file.
    pub file: String,
    /// The scenario without any design (its name, tiers and prices).
    pub base: Scenario,
    /// The targets.
    pub targets: Vec<Target>,
    /// The designs that loaded, in design order.
    pub candidates: Vec<Candidate>,
    /// The designs that did not.
    pub skipped: Vec<Skipped>,
    /// What is searched.
    pub space: SearchSpace,
}

/// One design in the report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignReport {
    /// Position among the loaded designs (0-based).
    pub index: usize,
    /// Its knob values, `key=value ...`.
    pub label: String,
    /// The overlay that applies it (TOML).
    pub overlay: String,
    /// Over the runs.
    pub outcome: DesignOutcome,
    /// Every run, in seed order.
    pub runs: Vec<RunOutcome>,
}

/// A rate the costs used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateUsed {
    /// `eDTU` or `vCore`.
    pub unit: String,
    /// Pool edition.
    pub edition: String,
    /// Price per unit-hour.
    pub rate: f64,
    /// Where it came from.
    pub source: RateSource,
}

/// The planner's answer (`plan-capacity --json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanReport {
    /// Scenario name.
    pub scenario: String,
    /// The targets, each met when the p95 over the runs (nearest rank) is
    /// at most its bound.
    pub targets: Vec<Target>,
    /// What was searched.
    pub search: SearchSpace,
    /// Currency of the costs.
    pub currency: String,
    /// The rates the costs used.
    pub rates: Vec<RateUsed>,
    /// Designs not run, with the reason.
    pub skipped: Vec<Skipped>,
    /// Every loaded design.
    pub designs: Vec<DesignReport>,
    /// Indexes of the Pareto-optimal designs (cost and every target), by
    /// cost.
    pub frontier: Vec<usize>,
    /// The cheapest design meeting every target (ties: the first).
    pub recommended: Option<usize>,
    /// Without a recommendation: the design closest to the targets (the
    /// smallest worst ratio of achieved to bound; ties: cheaper, first).
    pub closest: Option<usize>,
}

impl Search {
    /// Loads `path`, the targets and the knobs (`None`: the defaults) into a
    /// search of `runs` seeds per design (`None`: the scenario's `runs` if
    /// above 1, else [`DEFAULT_RUNS`]).
    ///
    /// Contract: errors for a target or knob that does not parse, more than
    /// [`MAX_DESIGNS`] designs, more runs than `budget`, or no design
    /// loading (with the first reason); a design the loader refuses is
    /// skipped with its reason.
    pub fn prepare(
        path: &Path,
        target_args: &[String],
        knobs: Option<Vec<Knob>>,
        runs: Option<u32>,
        budget: u64,
    ) -> Result<Search, PlanError> {
        let file = path.display().to_string();
        let base = crate::scenario::load(path)?;
        let tiers: Vec<String> = base.fleet.tiers.iter().map(|t| t.name.clone()).collect();
        if target_args.is_empty() {
            return Err(PlanError::Target {
                arg: String::new(),
                message: "no target given".into(),
                fix: format!("give at least one --target; {}", target::GRAMMAR),
            });
        }
        let targets = target_args
            .iter()
            .map(|a| Target::parse(a, &tiers))
            .collect::<Result<Vec<_>, _>>()?;
        let default_knobs = knobs.is_none();
        let knobs = knobs.unwrap_or_else(|| space::default_knobs(&base));
        let combinations = space::combinations(&knobs);
        if combinations > MAX_DESIGNS {
            return Err(PlanError::Budget {
                message: format!(
                    "the grid has {combinations} combinations, more than {MAX_DESIGNS}"
                ),
                fix: "vary fewer knobs or fewer values".into(),
            });
        }
        let designs = space::designs(&knobs, &base.file.strategy.name);
        let runs = runs
            .unwrap_or(if base.file.runs > 1 {
                base.file.runs
            } else {
                DEFAULT_RUNS
            })
            .max(1);
        let mut candidates = Vec::new();
        let mut skipped = Vec::new();
        for design in designs {
            let label = design.label();
            let overlay_label = format!("design {label}");
            match overlay::scenario_with(path, &design.overlay(), &overlay_label) {
                Ok(scenario) => candidates.push(Candidate { design, scenario }),
                Err(e) => skipped.push(Skipped {
                    design: label,
                    reason: e.to_string(),
                }),
            }
        }
        let total_runs = candidates.len() as u64 * u64::from(runs);
        let space = SearchSpace {
            default_knobs,
            knobs,
            combinations,
            designs: candidates.len() + skipped.len(),
            skipped: skipped.len(),
            runs,
            seed: base.file.seed,
            total_runs,
            budget,
        };
        if candidates.is_empty() {
            let first = skipped
                .first()
                .map(|s| s.reason.clone())
                .unwrap_or_else(|| "the grid is empty".into());
            return Err(PlanError::Budget {
                message: format!("no design of the grid loads; the first: {first}"),
                fix: "change the --vary values (see the reason above)".into(),
            });
        }
        if total_runs > budget {
            return Err(PlanError::Budget {
                message: format!(
                    "{} designs x {runs} seeds = {total_runs} runs, above the budget of {budget}",
                    candidates.len()
                ),
                fix: "raise --budget, lower --runs, or vary fewer knobs or values".into(),
            });
        }
        Ok(Search {
            file,
            base,
            targets,
            candidates,
            skipped,
            space,
        })
    }

    /// The (design, seed offset) runs, design-major.
    pub fn items(&self) -> Vec<(usize, u32)> {
        (0..self.candidates.len())
            .flat_map(|d| (0..self.space.runs).map(move |k| (d, k)))
            .collect()
    }

    /// Makes run `offset` of design `design` and judges it.
    pub fn run(&self, design: usize, offset: u32) -> Result<RunOutcome, PlanError> {
        let c = self
            .candidates
            .get(design)
            .ok_or_else(|| PlanError::Budget {
                message: format!("design {design} is outside the search"),
                fix: "report this as a bug".into(),
            })?;
        let seed = c.scenario.file.seed.wrapping_add(u64::from(offset));
        let fail = |source| PlanError::Run {
            design,
            label: c.design.label(),
            seed,
            source: Box::new(source),
        };
        let sample = crate::sweep::run_sample(&c.scenario, seed).map_err(fail)?;
        let tiers: Vec<String> = c
            .scenario
            .fleet
            .tiers
            .iter()
            .map(|t| t.name.clone())
            .collect();
        let mut outcome = evaluate::judge(
            &sample,
            seed,
            &self.targets,
            &tiers,
            &self.base.file.prices,
            &self.file,
        )?;
        outcome.capacity_keys = sample.capacity_ms.keys().cloned().collect();
        Ok(outcome)
    }

    /// Folds the runs, `outcomes[i]` being item `i` of [`Search::items`],
    /// into the report.
    pub fn finish(&self, outcomes: Vec<RunOutcome>) -> Result<PlanReport, PlanError> {
        let runs = self.space.runs as usize;
        if outcomes.len() != self.candidates.len() * runs {
            return Err(PlanError::Budget {
                message: format!(
                    "{} runs for {} designs x {runs} seeds",
                    outcomes.len(),
                    self.candidates.len()
                ),
                fix: "report this as a bug".into(),
            });
        }
        let prices = &self.base.file.prices;
        let mut keys: Vec<_> = outcomes
            .iter()
            .flat_map(|o| o.capacity_keys.iter())
            .collect();
        keys.sort();
        keys.dedup();
        let rates = keys
            .into_iter()
            .filter_map(|k| {
                let (rate, source) = prices.rate(k.unit, &k.edition)?;
                Some(RateUsed {
                    unit: k.unit.label().to_owned(),
                    edition: k.edition.clone(),
                    rate,
                    source,
                })
            })
            .collect();
        let designs: Vec<DesignReport> = self
            .candidates
            .iter()
            .zip(outcomes.chunks(runs.max(1)))
            .enumerate()
            .map(|(index, (c, runs))| DesignReport {
                index,
                label: c.design.label(),
                overlay: toml::to_string(&c.design.overlay()).unwrap_or_default(),
                outcome: evaluate::outcome(runs, &self.targets),
                runs: runs.to_vec(),
            })
            .collect();
        let positions: Vec<frontier::Position> = designs
            .iter()
            .map(|d| frontier::Position {
                cost: d.outcome.cost_mean,
                values: d
                    .outcome
                    .targets
                    .iter()
                    .map(|a| a.p95_over_runs_s)
                    .collect(),
            })
            .collect();
        let front = frontier::frontier(&positions);
        let recommended = front
            .iter()
            .copied()
            .find(|&i| designs[i].outcome.meets_all);
        let closest = if recommended.is_some() {
            None
        } else {
            let worst = |d: &DesignReport| {
                d.outcome
                    .targets
                    .iter()
                    .map(|a| a.p95_over_runs_s.map_or(f64::INFINITY, |v| v / a.bound_s))
                    .fold(0.0, f64::max)
            };
            (0..designs.len()).min_by(|&a, &b| {
                worst(&designs[a])
                    .total_cmp(&worst(&designs[b]))
                    .then(
                        designs[a]
                            .outcome
                            .cost_mean
                            .total_cmp(&designs[b].outcome.cost_mean),
                    )
                    .then(a.cmp(&b))
            })
        };
        Ok(PlanReport {
            scenario: self.base.file.name.clone(),
            targets: self.targets.clone(),
            search: self.space.clone(),
            currency: prices.currency.clone(),
            rates,
            skipped: self.skipped.clone(),
            designs,
            frontier: front,
            recommended,
            closest,
        })
    }
}

/// The overlay file of a design: a comment saying what it is, then the
/// TOML (`simulate --overlay FILE` applies it).
pub fn overlay_file(report: &PlanReport, design: &DesignReport) -> String {
    let mut text = format!(
        "# georestore plan-capacity: recommended design for scenario {}\n# targets (p95 over {} seeds from {}): {}\n# mean cost per recovery: {:.2} {}\n# apply: georestore simulate SCENARIO --overlay THIS_FILE --runs {} --seed {}\n\n",
        report.scenario,
        report.search.runs,
        report.search.seed,
        report
            .targets
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        design.outcome.cost_mean,
        report.currency,
        report.search.runs,
        report.search.seed,
    );
    text.push_str(&design.overlay);
    text
}
