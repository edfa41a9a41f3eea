//! One call from a scenario to results: build the run, compute the lower
//! bound from the model's draws, run, summarize; and several seeds at once.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::lower_bound;
use crate::results::{RunResult, Series, summarize};
use crate::runner::{Runner, SimError};
use crate::scenario::Scenario;
use crate::submission::SubmissionWindow;

/// One run's result and chart series.
#[derive(Debug, Clone, PartialEq)]
pub struct Simulation {
    /// The numbers.
    pub result: RunResult,
    /// The series for charts.
    pub series: Series,
    /// The restore-submission window (`None` if no geo-restore was
    /// submitted): see [`crate::submission`].
    pub submission: Option<SubmissionWindow>,
}

/// Runs `scenario` once with `strategy` (a name from
/// `scheduler::strategy::STRATEGY_NAMES`) and `seed`, with the scenario's
/// strategy knobs where `strategy` takes them.
pub fn simulate(scenario: &Scenario, strategy: &str, seed: u64) -> Result<Simulation, SimError> {
    let make = || {
        scheduler::strategy::build(strategy, &scenario.file.strategy.knobs())
            .ok_or_else(|| SimError::UnknownStrategy(strategy.to_owned()))
    };
    let runner = Runner::new(scenario.fleet.clone(), make()?, scenario.settings(seed))?;
    let bound = lower_bound::compute(&scenario.fleet, runner.model(), runner.scheduler());
    let out = runner.run()?;
    let (result, series) = summarize(&scenario.file.name, seed, &out, bound);
    let submission = out.model.stats().submission.window();
    Ok(Simulation {
        result,
        series,
        submission,
    })
}

/// Mean, minimum and maximum of one metric over runs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Stat {
    /// Mean.
    pub mean: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
}

/// Several runs of one scenario and strategy on seeds `seed..=seed + runs - 1`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MultiRun {
    /// The first run's result (its fields appear at the top level).
    #[serde(flatten)]
    pub first: RunResult,
    /// Number of runs.
    pub runs: usize,
    /// Per metric over all runs (only with more than one run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<BTreeMap<String, Stat>>,
    /// Every run's result (only with more than one run).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub all: Vec<RunResult>,
}

/// The metrics summarized over runs, by name.
pub fn metrics(r: &RunResult) -> Vec<(String, f64)> {
    let mut m = vec![
        ("makespan_s".to_owned(), r.makespan_s),
        ("lower_bound_s".to_owned(), r.lower_bound_s),
        (
            "weighted_mean_time_to_online_s".to_owned(),
            r.weighted_mean_time_to_online_s,
        ),
        (
            "weighted_mean_lower_bound_s".to_owned(),
            r.lower_bound.weighted_mean_time_to_online_s,
        ),
        ("arm.requests".to_owned(), r.arm.requests as f64),
        ("arm.throttled".to_owned(), r.arm.throttled as f64),
        ("failed_tenants".to_owned(), r.failed_tenants as f64),
        (
            "data_loss_window_s.max".to_owned(),
            r.data_loss_window_s.max,
        ),
    ];
    for (name, t) in &r.tiers {
        // A tier with nobody online has no p95: left out, not a 0.
        if let Some(p95) = t.p95_s {
            m.push((format!("tiers.{name}.p95_s"), p95));
        }
        m.push((
            format!("tiers.{name}.p95_lower_bound_s"),
            t.p95_lower_bound_s,
        ));
    }
    m
}

/// Mean / min / max of every metric over `runs`; a metric a run does not
/// have (a tier's p95 when nobody in it came online) is averaged over the
/// runs that have it, and missing when none has.
pub fn summarize_runs(runs: &[RunResult]) -> BTreeMap<String, Stat> {
    let mut acc: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    for r in runs {
        for (k, v) in metrics(r) {
            acc.entry(k).or_default().push(v);
        }
    }
    acc.into_iter()
        .map(|(k, v)| {
            let n = v.len().max(1) as f64;
            let stat = Stat {
                mean: (v.iter().sum::<f64>() / n * 1000.0).round() / 1000.0,
                min: v.iter().copied().fold(f64::INFINITY, f64::min),
                max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            };
            (k, stat)
        })
        .collect()
}

/// Runs seeds `seed..=seed + runs - 1` (at least one); returns the first
/// run's simulation (for reports) and the combined result. Only the first
/// run's series are kept, so memory does not grow with the number of runs.
pub fn simulate_runs(
    scenario: &Scenario,
    strategy: &str,
    seed: u64,
    runs: u32,
) -> Result<(Simulation, MultiRun), SimError> {
    simulate_runs_with(scenario, strategy, seed, runs, |_| {})
}

/// [`simulate_runs`], calling `after_run` with the number of runs done
/// after each one (for a progress display; it cannot change the results).
pub fn simulate_runs_with(
    scenario: &Scenario,
    strategy: &str,
    seed: u64,
    runs: u32,
    mut after_run: impl FnMut(u64),
) -> Result<(Simulation, MultiRun), SimError> {
    let first = simulate(scenario, strategy, seed)?;
    after_run(1);
    let mut results = vec![first.result.clone()];
    for k in 1..u64::from(runs.max(1)) {
        results.push(simulate(scenario, strategy, seed.wrapping_add(k))?.result);
        after_run(k + 1);
    }
    let multi = MultiRun {
        first: first.result.clone(),
        runs: results.len(),
        summary: (results.len() > 1).then(|| summarize_runs(&results)),
        all: if results.len() > 1 {
            results
        } else {
            Vec::new()
        },
    };
    Ok((first, multi))
}
