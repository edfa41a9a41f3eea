//! `georestore compare`: several strategies on the same seeds, one table,
//! with each one's ratio to the lower bounds.

use anyhow::Result;
use serde_json::json;
use sim::simulate::{Stat, simulate_runs};

use crate::cli::CompareArgs;

fn mean(summary: &std::collections::BTreeMap<String, Stat>, key: &str) -> f64 {
    summary.get(key).map_or(0.0, |s| s.mean)
}

/// The mean of `key`, `None` when no run has it (a tier nobody in which
/// came online has no p95).
fn mean_of(summary: &std::collections::BTreeMap<String, Stat>, key: &str) -> Option<f64> {
    summary.get(key).map(|s| s.mean)
}

pub fn run(args: &CompareArgs) -> Result<()> {
    let scenario = crate::input::scenario(&args.scenario)?;
    let seed = args.seed.unwrap_or(scenario.file.seed);
    let runs = args.runs.unwrap_or(scenario.file.runs).max(1);
    let mut rows: Vec<Row> = Vec::new();
    for strategy in &args.strategies {
        let (_, multi) = simulate_runs(&scenario, strategy, seed, runs)?;
        let all = if multi.all.is_empty() {
            vec![multi.first.clone()]
        } else {
            multi.all.clone()
        };
        // The bounds are for a full recovery: ratios of a cancelled run
        // (which stops early) are meaningless.
        let cancelled = all.iter().any(|r| !sim::report::text::bounds_apply(r));
        rows.push((
            strategy.clone(),
            sim::simulate::summarize_runs(&all),
            cancelled,
        ));
    }
    if args.json {
        let value: Vec<_> = rows
            .iter()
            .map(|(name, summary, cancelled)| {
                json!({ "strategy": name, "cancelled": cancelled, "summary": summary })
            })
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
    print!("{}", text_table(&scenario, seed, runs, &rows));
    Ok(())
}

/// One strategy's row: name, metrics summarized over runs, and whether
/// some run was cancelled.
type Row = (String, std::collections::BTreeMap<String, Stat>, bool);

/// The comparison table as text.
fn text_table(scenario: &sim::scenario::Scenario, seed: u64, runs: u32, rows: &[Row]) -> String {
    let tiers: Vec<String> = scenario
        .fleet
        .tiers
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let h = |s: f64| format!("{:.2}h", s / 3600.0);
    let ratio = |cancelled: bool, v: f64, b: f64| {
        if cancelled {
            "n/a".to_owned()
        } else if b > 0.0 {
            format!("{:.2}x", v / b)
        } else {
            "-".to_owned()
        }
    };
    let mut out = format!(
        "scenario {} | {} tenants | seeds {}..{} ({} run{})\n\n",
        scenario.file.name,
        scenario.fleet.databases.len(),
        seed,
        seed + u64::from(runs) - 1,
        runs,
        if runs == 1 { "" } else { "s" }
    );
    out.push_str(&format!("{:<20} {:>16}", "strategy", "makespan (xLB)"));
    for t in &tiers {
        out.push_str(&format!(" {:>18}", format!("{t} p95 (xLB)")));
    }
    out.push_str(&format!(
        " {:>16} {:>10} {:>8} {:>7}\n",
        "w.mean (xLB)", "ARM req", "429s", "failed"
    ));
    // Each strategy's bounds (they differ when placements differ).
    let mut bound_rows: Vec<(String, String)> = Vec::new();
    let any_cancelled = rows.iter().any(|(_, _, c)| *c);
    for (name, s, cancelled) in rows {
        let cancelled = *cancelled;
        let r = |v: f64, b: f64| ratio(cancelled, v, b);
        let lb = mean(s, "lower_bound_s");
        let mk = mean(s, "makespan_s");
        out.push_str(&format!(
            "{:<20} {:>16}",
            name,
            format!("{} ({})", h(mk), r(mk, lb))
        ));
        let mut bound = format!(" {:>16}", h(lb));
        for t in &tiers {
            let p95_lb = mean(s, &format!("tiers.{t}.p95_lower_bound_s"));
            let cell = match mean_of(s, &format!("tiers.{t}.p95_s")) {
                Some(p95) => format!("{} ({})", h(p95), r(p95, p95_lb)),
                None => "n/a".to_owned(),
            };
            out.push_str(&format!(" {cell:>18}"));
            bound.push_str(&format!(" {:>18}", h(p95_lb)));
        }
        let wm = mean(s, "weighted_mean_time_to_online_s");
        let wm_lb = mean(s, "weighted_mean_lower_bound_s");
        out.push_str(&format!(
            " {:>16} {:>10.0} {:>8.0} {:>7.0}\n",
            format!("{} ({})", h(wm), r(wm, wm_lb)),
            mean(s, "arm.requests"),
            mean(s, "arm.throttled"),
            mean(s, "failed_tenants")
        ));
        bound.push_str(&format!(" {:>16}\n", h(wm_lb)));
        bound_rows.push((name.to_string(), bound));
    }
    // One "lower bound" row (the first strategy's), plus a row for each
    // strategy whose placement gives other bounds.
    if let Some((_, first)) = bound_rows.first() {
        out.push_str(&format!("{:<20}{first}", "lower bound"));
        for (name, bound) in bound_rows.iter().skip(1).filter(|(_, b)| b != first) {
            out.push_str(&format!("{:<20}{bound}", format!("LB {name}")));
        }
    }
    out.push_str(
        "\nxLB: ratio to the lower bound of the same seed and placement (see sim/src/lower_bound.rs).\n",
    );
    if any_cancelled {
        out.push_str(
            "n/a: the recovery was cancelled; its makespan column is when the cancel finished, and the bounds (for a full recovery) give no ratio.\n",
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows_of(name: &str, strategies: &[&str]) -> (sim::scenario::Scenario, Vec<Row>) {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
        let scenario = sim::scenario::load(&path).expect("scenario");
        let rows = strategies
            .iter()
            .map(|&strategy| {
                let (first, _) = simulate_runs(&scenario, strategy, 1, 1).expect("run");
                let all = vec![first.result];
                let cancelled = all.iter().any(|r| !sim::report::text::bounds_apply(r));
                (
                    strategy.to_owned(),
                    sim::simulate::summarize_runs(&all),
                    cancelled,
                )
            })
            .collect();
        (scenario, rows)
    }

    #[test]
    fn a_cancelled_comparison_prints_no_ratios() {
        let (scenario, rows) = rows_of("cancel-midway", &["wingtip", "priority-pacing"]);
        let text = text_table(&scenario, 1, 1, &rows);
        for line in text
            .lines()
            .filter(|l| l.starts_with("wingtip") || l.starts_with("priority"))
        {
            assert!(!line.contains('x'), "a ratio in {line}");
            assert_eq!(line.matches("(n/a)").count(), 5, "{line}");
        }
        assert!(text.contains("n/a: the recovery was cancelled"), "{text}");
        // A full recovery keeps its ratios.
        let (scenario, rows) = rows_of("wingtip-demo", &["wingtip"]);
        let text = text_table(&scenario, 1, 1, &rows);
        assert!(!text.contains("n/a"), "{text}");
        assert!(text.contains("x)"), "{text}");
    }
}
