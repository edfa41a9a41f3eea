//! The quality metrics the gate compares: deterministic numbers from
//! simulated runs of a scenario (same scenario, strategy and seeds, same
//! numbers), every one better when lower.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use sim::results::RunResult;
use sim::scenario::Scenario;
use sim::simulate::simulate_runs;

/// What one scenario measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Measured {
    /// The scenario's `name`.
    pub scenario: String,
    /// The scenario's digest (`sim::scenario::digest`).
    pub digest: String,
    /// The strategy run.
    pub strategy: String,
    /// The first seed (the scenario's).
    pub seed: u64,
    /// Runs, on seeds `seed..seed + runs` (the scenario's).
    pub runs: u32,
    /// Metric key -> value: the mean over the runs that have it.
    pub metrics: BTreeMap<String, f64>,
    /// The fleet's tiers, most important first (for the order of rows).
    pub tiers: Vec<String>,
}

/// Keys of `sim::simulate::metrics` the gate keeps, besides every tier's
/// `tiers.<tier>.p95_s`.
const KEPT: [&str; 4] = [
    "makespan_s",
    "weighted_mean_time_to_online_s",
    "failed_tenants",
    "arm.throttled",
];

/// Key of makespan / lower bound.
pub const RATIO: &str = "makespan_over_lower_bound";

/// Runs `scenario` with `strategy` on its seeds and returns the metrics.
pub fn measure(scenario: &Scenario, strategy: &str) -> Result<Measured> {
    let runs = scenario.file.runs.max(1);
    let seed = scenario.file.seed;
    let (_, multi) = simulate_runs(scenario, strategy, seed, runs)
        .with_context(|| format!("simulating {} with {strategy}", scenario.source))?;
    let all = if multi.all.is_empty() {
        std::slice::from_ref(&multi.first)
    } else {
        multi.all.as_slice()
    };
    let mut sums: BTreeMap<String, (f64, u32)> = BTreeMap::new();
    for r in all {
        for (k, v) in of_run(r) {
            let e = sums.entry(k).or_insert((0.0, 0));
            e.0 += v;
            e.1 += 1;
        }
    }
    Ok(Measured {
        scenario: scenario.file.name.clone(),
        digest: sim::scenario::digest(scenario),
        strategy: strategy.to_owned(),
        seed,
        runs,
        // A metric some run lacks (a tier with nobody online in one seed)
        // is left out, so the gate reports it missing instead of averaging
        // it over the runs that have it.
        metrics: sums
            .into_iter()
            .filter(|(_, (_, n))| *n as usize == all.len())
            .map(|(k, (sum, n))| (k, sum / f64::from(n.max(1))))
            .collect(),
        tiers: multi.first.tier_names.clone(),
    })
}

/// One run's metrics: makespan (or, for a cancelled run, when the cancel
/// finished), makespan / lower bound (full recoveries only), each tier's
/// p95 time to online (tiers with anyone online), the weighted mean time to
/// online, failed tenants, 429s, and the repatriation's end if there was
/// one.
pub fn of_run(r: &RunResult) -> Vec<(String, f64)> {
    let full = sim::report::text::bounds_apply(r);
    let mut out: Vec<(String, f64)> = sim::simulate::metrics(r)
        .into_iter()
        .filter(|(k, _)| {
            KEPT.contains(&k.as_str()) || (k.starts_with("tiers.") && k.ends_with(".p95_s"))
        })
        .map(|(k, v)| {
            if k == "makespan_s" && !full {
                ("cancel_finished_s".to_owned(), v)
            } else {
                (k, v)
            }
        })
        .collect();
    if full && r.lower_bound_s > 0.0 {
        // Four decimals: far below the 1 % tolerance, and a readable file.
        let ratio = (r.makespan_s / r.lower_bound_s * 10_000.0).round() / 10_000.0;
        out.push((RATIO.to_owned(), ratio));
    }
    if let Some(s) = r.repatriated_s {
        out.push(("repatriated_s".to_owned(), s));
    }
    out
}

/// Where `key`'s row goes in a table: makespan and its ratio, the
/// repatriation, the tiers most important first, the weighted mean, then
/// the counts (sort by this, then by key).
pub fn rank(key: &str, tiers: &[String]) -> usize {
    let tier = key
        .strip_prefix("tiers.")
        .and_then(|t| t.strip_suffix(".p95_s"))
        .map(|t| tiers.iter().position(|n| n == t).unwrap_or(tiers.len()));
    match (key, tier) {
        ("makespan_s" | "cancel_finished_s", _) => 0,
        (RATIO, _) => 1,
        ("repatriated_s", _) => 2,
        (_, Some(i)) => 3 + i,
        ("weighted_mean_time_to_online_s", _) => 4 + tiers.len(),
        ("failed_tenants", _) => 5 + tiers.len(),
        ("arm.throttled", _) => 6 + tiers.len(),
        _ => 7 + tiers.len(),
    }
}

/// Whether `key` is a time in seconds (shown in hours).
pub fn is_time(key: &str) -> bool {
    key.ends_with("_s")
}

/// The name people read for `key` (the single-run table's words):
/// `tiers.premium.p95_s` is `premium p95`.
pub fn label(key: &str) -> String {
    match key {
        "makespan_s" => "makespan".to_owned(),
        "cancel_finished_s" => "cancel finished".to_owned(),
        RATIO => "makespan / LB".to_owned(),
        "weighted_mean_time_to_online_s" => "weighted mean TTO".to_owned(),
        "failed_tenants" => "failed tenants".to_owned(),
        "arm.throttled" => "429s".to_owned(),
        "repatriated_s" => "repatriated".to_owned(),
        other => match other
            .strip_prefix("tiers.")
            .and_then(|t| t.strip_suffix(".p95_s"))
        {
            Some(tier) => format!("{tier} p95"),
            None => other.to_owned(),
        },
    }
}

/// `value` of `key` for people: times in hours with three decimals (3.6 s,
/// finer than the 1 % tolerance of any time the scenarios have), the ratio
/// with four, counts whole.
pub fn show(key: &str, value: f64) -> String {
    if is_time(key) {
        format!("{:.3} h", value / 3600.0)
    } else if key == RATIO {
        format!("{value:.4}x")
    } else {
        format!("{value:.0}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_read_like_the_run_table() {
        assert_eq!(label("tiers.premium.p95_s"), "premium p95");
        assert_eq!(label("arm.throttled"), "429s");
        assert_eq!(show("makespan_s", 5400.0), "1.500 h");
        assert_eq!(show(RATIO, 1.0625), "1.0625x");
        assert_eq!(show("failed_tenants", 3.0), "3");
    }

    #[test]
    fn rows_go_makespan_first_then_tiers_in_importance() {
        let tiers = vec!["premium".to_owned(), "free".to_owned()];
        let mut keys = vec![
            "arm.throttled",
            "tiers.free.p95_s",
            "weighted_mean_time_to_online_s",
            "tiers.premium.p95_s",
            RATIO,
            "makespan_s",
        ];
        keys.sort_by_key(|k| (rank(k, &tiers), k.to_string()));
        assert_eq!(
            keys,
            [
                "makespan_s",
                RATIO,
                "tiers.premium.p95_s",
                "tiers.free.p95_s",
                "weighted_mean_time_to_online_s",
                "arm.throttled"
            ]
        );
    }
}
