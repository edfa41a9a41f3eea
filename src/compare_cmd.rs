//! `georestore compare`: several strategies on the same seeds, one table,
//! with each one's ratio to the lower bounds.

use anyhow::{Context, Result};
use serde_json::json;
use sim::report::comparison::{Comparison, StrategyRuns};
use sim::simulate::{MultiRun, Simulation, simulate_runs_with};

use crate::cli::CompareArgs;
use crate::progress::{Progress, shown};

pub fn run(args: &CompareArgs) -> Result<()> {
    let scenario = crate::input::scenario(&args.scenario)?;
    let seed = args.seed.unwrap_or(scenario.file.seed);
    let runs = args.runs.unwrap_or(scenario.file.runs).max(1);
    let total = args.strategies.len() as u64 * u64::from(runs);
    let progress = Progress::runs(total, shown(args.quiet, args.json));
    let mut strategies = Vec::new();
    // Each strategy's first run and all its runs, kept for the report only.
    let mut firsts: Vec<(Simulation, MultiRun)> = Vec::new();
    for strategy in &args.strategies {
        progress.message(strategy.clone());
        let (first, multi) =
            simulate_runs_with(&scenario, strategy, seed, runs, |_| progress.inc())?;
        strategies.push(strategy_runs(strategy, &multi));
        if args.report.is_some() {
            firsts.push((first, multi));
        }
    }
    progress.finish();
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
