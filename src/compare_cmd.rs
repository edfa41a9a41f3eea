//! `georestore compare`: several strategies on the same seeds, one table,
//! with each one's ratio to the lower bounds.

use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde_json::json;
use sim::report::comparison::{Comparison, StrategyRuns};
use sim::simulate::{MultiRun, Simulation, simulate_runs_with};

use crate::cli::CompareArgs;
use crate::progress::{Progress, shown};

pub fn run(args: &CompareArgs) -> Result<()> {
    let scenario = scenario_for_compare(args)?;
    let seed = args.seed.unwrap_or(scenario.file.seed);
    let runs = args.runs.unwrap_or(scenario.file.runs).max(1);
    let total = args.strategies.len() as u64 * u64::from(runs);
    let progress = Progress::runs(total, shown(args.quiet, args.json));
    // Strategies run in parallel (rayon), each on its seeds in order; the
    // results are collected in `--strategies` order, so the output does not
    // depend on the number of threads.
    let outcomes: Vec<_> = args
        .strategies
        .par_iter()
        .map(|strategy| {
            let (first, multi) =
                simulate_runs_with(&scenario, strategy, seed, runs, |_| progress.inc())?;
            let summary = strategy_runs(strategy, &multi);
            // The first run and all runs are kept for the report only.
            let kept = args.report.is_some().then_some((first, multi));
            Ok::<_, sim::runner::SimError>((summary, kept))
        })
        .collect();
    progress.finish();
    let mut strategies = Vec::new();
    let mut firsts: Vec<(Simulation, MultiRun)> = Vec::new();
    for outcome in outcomes {
        let (summary, kept) = outcome?;
        strategies.push(summary);
        firsts.extend(kept);
    }
    let comparison = Comparison {
        scenario: scenario.file.name.clone(),
        tenants: scenario.fleet.databases.len(),
        tiers: scenario
            .fleet
            .tiers
            .iter()
            .map(|t| t.name.clone())
            .collect(),
        seed,
        runs,
        strategies,
    };
    if let Some(dir) = &args.report {
        sim::report::comparison::write(dir, &scenario, &comparison, &firsts)
            .with_context(|| format!("writing the report into {}", dir.display()))?;
    }
    if args.json {
        let value: Vec<_> = comparison
            .strategies
            .iter()
            .map(|s| json!({ "strategy": s.strategy, "cancelled": s.cancelled, "summary": s.summary }))
            .collect();
        let text = serde_json::to_string_pretty(&json!({
            "scenario": scenario.file.name,
            "seed": seed,
            "runs": runs,
            "strategies": value,
        }))?;
        println!("{text}");
        return Ok(());
    }
    print!("{}", comparison.text());
    Ok(())
}

/// The scenario with its `--set`s. `compare` does not run the scenario's
/// own strategy, so strategy knobs are checked against the compared
/// strategies: `strategy.name` is set to the first compared strategy that
/// takes every knob set (each compared strategy then gets the knobs it
/// takes), and a knob none of them takes is refused naming them.
fn scenario_for_compare(args: &CompareArgs) -> Result<sim::scenario::Scenario> {
    use crate::input::{knobs_of, load_with, parse_sets, scenario, strategy_name};
    if args.set.is_empty() {
        return scenario(&args.scenario);
    }
    let mut varies = parse_sets(&args.scenario, &args.set)?;
    let knobs: Vec<&str> = knobs_of(&varies).collect();
    let named = varies.iter().any(|v| v.key == "strategy.name");
    if !knobs.is_empty() && !named {
        let takes_all = |name: &&String| {
            let accepted = scheduler::strategy::Knobs::accepted_by(name);
            knobs.iter().all(|k| accepted.contains(k))
        };
        let Some(chosen) = args.strategies.iter().find(takes_all) else {
            bail!(
                "--set strategy.{}: none of the compared strategies ({}) takes it\n  fix: add a strategy that does to --strategies (see `georestore compare --help` and the knob table in README.md), or drop the --set",
                knobs.join(", strategy."),
                args.strategies.join(", ")
            );
        };
        let chosen = chosen.clone();
        varies.insert(0, strategy_name(&chosen));
    }
    load_with(&args.scenario, &varies)
}

/// One strategy's runs summarized; the bounds are for a full recovery, so
/// a cancelled run (which stops early) gets no ratios.
fn strategy_runs(strategy: &str, multi: &MultiRun) -> StrategyRuns {
    let all = if multi.all.is_empty() {
        std::slice::from_ref(&multi.first)
    } else {
        multi.all.as_slice()
    };
    StrategyRuns {
        strategy: strategy.to_owned(),
        cancelled: all.iter().any(|r| !sim::report::text::bounds_apply(r)),
        summary: sim::simulate::summarize_runs(all),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_of(name: &str, strategies: &[&str]) -> String {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
        let scenario = sim::scenario::load(&path).expect("scenario");
        let strategies = strategies
            .iter()
            .map(|&strategy| {
                let (_, multi) =
                    simulate_runs_with(&scenario, strategy, 1, 1, |_| {}).expect("run");
                strategy_runs(strategy, &multi)
            })
            .collect();
        Comparison {
            scenario: scenario.file.name.clone(),
            tenants: scenario.fleet.databases.len(),
            tiers: scenario
                .fleet
                .tiers
                .iter()
                .map(|t| t.name.clone())
                .collect(),
            seed: 1,
            runs: 1,
            strategies,
        }
        .text()
    }

    #[test]
    fn a_cancelled_comparison_prints_no_ratios() {
        let text = table_of("cancel-midway", &["wingtip", "priority-pacing"]);
        for line in text
            .lines()
            .filter(|l| l.starts_with("wingtip") || l.starts_with("priority"))
        {
            assert!(!line.contains('x'), "a ratio in {line}");
            assert_eq!(line.matches("(n/a)").count(), 5, "{line}");
        }
        assert!(text.contains("n/a: the recovery was cancelled"), "{text}");
        // A full recovery keeps its ratios.
        let text = table_of("wingtip-demo", &["wingtip"]);
        assert!(!text.contains("n/a"), "{text}");
        assert!(text.contains("x)"), "{text}");
    }
}
