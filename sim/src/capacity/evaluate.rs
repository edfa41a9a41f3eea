//! Judging designs: per run, each target's value and the cost; per design,
//! each target's 95th percentile over the runs (nearest rank) against its
//! bound, and the mean cost.
//!
//! Per run, a tier's p50/p95/p99/max are `simulate`'s (the same
//! [`crate::results::histogram_stats`] over the same times), so `simulate
//! --overlay` of a design shows the very numbers the planner used; `mean`
//! is the arithmetic mean; `all` pools every tier's tenants. Tenants that
//! never came online (failed) are not in the times, as in `simulate`; a
//! tier with nobody online has no value and fails its target.
//!
//! Cost of a run: for each recovery-region pool, its capacity × the hours
//! from its creation to the end of the recovery × the `[prices]` rate of
//! its edition ([`crate::sweep::sample`]), summed.

use serde::Serialize;

use super::PlanError;
use super::target::{Metric, Scope, Target};
use crate::results::histogram_stats;
use crate::scenario::Prices;
use crate::sweep::RunSample;

/// One run of one design, judged.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunOutcome {
    /// The run's seed.
    pub seed: u64,
    /// Per target (in `--target` order): the run's value, seconds (`None`
    /// when the measured tier has nobody online).
    pub values_s: Vec<Option<f64>>,
    /// The run's makespan, seconds.
    pub makespan_s: f64,
    /// The run's cost, in the price table's currency.
    pub cost: f64,
    /// Tenants that failed.
    pub failed: u64,
    /// The (unit, edition) pairs the cost priced (for the report's rates).
    #[serde(skip)]
    pub capacity_keys: Vec<crate::sweep::sample::CapacityKey>,
}

/// The p-quantile of `values` by nearest rank: the `ceil(p * n)`-th
/// smallest (`None` anywhere counts as larger than any value); `None` when
/// `values` is empty or the rank falls on a `None`.
///
/// Contract: with 10 runs the p95 is the largest; with 20 it is the 19th.
pub fn nearest_rank(values: &[Option<f64>], p: f64) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut sorted: Vec<f64> = values.iter().map(|v| v.unwrap_or(f64::INFINITY)).collect();
    sorted.sort_by(f64::total_cmp);
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    let v = sorted[rank - 1];
    v.is_finite().then_some(v)
}

fn stat(times_ms: &[u64], metric: Metric) -> Option<f64> {
    if metric == Metric::Mean {
        let n = times_ms.len();
        return (n > 0).then(|| times_ms.iter().sum::<u64>() as f64 / n as f64 / 1000.0);
    }
    let (p50, p95, p99, max) = histogram_stats(times_ms)?;
    Some(match metric {
        Metric::P50 => p50,
        Metric::P95 => p95,
        Metric::P99 => p99,
        _ => max,
    })
}

/// Judges one run's sample: `tiers` are the fleet's tier names.
pub fn judge(
    sample: &RunSample,
    seed: u64,
    targets: &[Target],
    tiers: &[String],
    prices: &Prices,
    file: &str,
) -> Result<RunOutcome, PlanError> {
    let values_s = targets
        .iter()
        .map(|t| match &t.scope {
            Scope::Makespan => Some(sample.makespan_ms as f64 / 1000.0),
            Scope::Tier { tier, metric } => {
                let i = tiers.iter().position(|n| n == tier)?;
                let mut times = sample.tier_times_ms.get(i)?.clone();
                times.sort_unstable();
                stat(&times, *metric)
            }
            Scope::All { metric } => {
                let mut times: Vec<u64> = sample.tier_times_ms.iter().flatten().copied().collect();
                times.sort_unstable();
                stat(&times, *metric)
            }
        })
        .collect();
    Ok(RunOutcome {
        seed,
        values_s,
        makespan_s: sample.makespan_ms as f64 / 1000.0,
        cost: cost(sample, prices, file)?,
        failed: sample.failed,
        capacity_keys: Vec::new(),
    })
}

/// A run's cost (see the module doc).
pub fn cost(sample: &RunSample, prices: &Prices, file: &str) -> Result<f64, PlanError> {
    let mut total = 0.0;
    for (key, &unit_ms) in &sample.capacity_ms {
        let (rate, _) = prices
            .rate(key.unit, &key.edition)
            .ok_or_else(|| PlanError::Price {
                file: file.to_owned(),
                edition: key.edition.clone(),
                unit: key.unit.label().to_owned(),
                key: key.unit.key().to_owned(),
            })?;
        total += unit_ms as f64 / 3_600_000.0 * rate;
    }
    Ok(total)
}

/// One target's outcome over a design's runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Achieved {
    /// The target as given.
    pub target: String,
    /// The bound, seconds.
    pub bound_s: f64,
    /// The 95th percentile (nearest rank) of the runs' values, seconds;
    /// `None` when it falls on a run where the tier had nobody online.
    pub p95_over_runs_s: Option<f64>,
    /// Whether `p95_over_runs_s <= bound_s`.
    pub met: bool,
}

/// A design's outcome over its runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignOutcome {
    /// Per target, in `--target` order.
    pub targets: Vec<Achieved>,
    /// Mean cost per run.
    pub cost_mean: f64,
    /// Makespan p95 over the runs (nearest rank), seconds.
    pub makespan_p95_s: f64,
    /// Every target met.
    pub meets_all: bool,
    /// Failed tenants summed over the runs.
    pub failed_total: u64,
}

/// Folds a design's runs (in seed order).
pub fn outcome(runs: &[RunOutcome], targets: &[Target]) -> DesignOutcome {
    let achieved: Vec<Achieved> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let values: Vec<Option<f64>> = runs
                .iter()
                .map(|r| r.values_s.get(i).copied().flatten())
                .collect();
            let p95 = nearest_rank(&values, 0.95);
            Achieved {
                target: t.text.clone(),
                bound_s: t.bound_s,
                p95_over_runs_s: p95,
                met: p95.is_some_and(|v| v <= t.bound_s),
            }
        })
        .collect();
    let n = runs.len().max(1) as f64;
    let makespans: Vec<Option<f64>> = runs.iter().map(|r| Some(r.makespan_s)).collect();
    DesignOutcome {
        meets_all: achieved.iter().all(|a| a.met),
        targets: achieved,
        cost_mean: runs.iter().map(|r| r.cost).sum::<f64>() / n,
        makespan_p95_s: nearest_rank(&makespans, 0.95).unwrap_or(0.0),
        failed_total: runs.iter().map(|r| r.failed).sum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_picks_the_ceil_rank() {
        let ten: Vec<Option<f64>> = (1..=10).map(|v| Some(f64::from(v))).collect();
        assert_eq!(nearest_rank(&ten, 0.95), Some(10.0));
        assert_eq!(nearest_rank(&ten, 0.5), Some(5.0));
        let twenty: Vec<Option<f64>> = (1..=20).rev().map(|v| Some(f64::from(v))).collect();
        assert_eq!(nearest_rank(&twenty, 0.95), Some(19.0));
        let mut with_none = twenty.clone();
        with_none[3] = None;
        // The missing value ranks last: the 19th is now 20.
        assert_eq!(nearest_rank(&with_none, 0.95), Some(20.0));
        with_none[4] = None;
        assert_eq!(nearest_rank(&with_none, 0.95), None);
        assert_eq!(nearest_rank(&[], 0.95), None);
    }

    #[test]
    fn a_design_meets_a_target_at_the_p95_over_runs() {
        let targets = vec![Target::parse("makespan <= 2h", &[]).expect("target")];
        let runs: Vec<RunOutcome> = (0..20)
            .map(|k| RunOutcome {
                seed: k,
                values_s: vec![Some(if k == 0 { 9000.0 } else { 7000.0 })],
                makespan_s: 0.0,
                cost: k as f64,
                failed: 0,
                capacity_keys: Vec::new(),
            })
            .collect();
        // One slow run in 20 is above the p95 rank (19th): met.
        let o = outcome(&runs, &targets);
        assert!(o.meets_all, "{o:?}");
        assert_eq!(o.targets[0].p95_over_runs_s, Some(7000.0));
        assert_eq!(o.cost_mean, 9.5);
        // Two are not.
        let mut runs = runs;
        runs[1].values_s = vec![Some(9000.0)];
        assert!(!outcome(&runs, &targets).meets_all);
    }
}
