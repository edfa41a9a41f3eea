//! `georestore compare`: several strategies on the same seeds, one table,
//! with each one's ratio to the lower bounds.

use anyhow::Result;
use serde_json::json;
use sim::simulate::{Stat, simulate_runs};

use crate::cli::CompareArgs;
use crate::simulate_cmd::load_scenario;

fn mean(summary: &std::collections::BTreeMap<String, Stat>, key: &str) -> f64 {
    summary.get(key).map_or(0.0, |s| s.mean)
}

pub fn run(args: &CompareArgs) -> Result<()> {
    let scenario = load_scenario(&args.scenario)?;
    let seed = args.seed.unwrap_or(scenario.file.seed);
    let runs = args.runs.unwrap_or(scenario.file.runs).max(1);
    let tiers: Vec<String> = scenario
        .fleet
        .tiers
        .iter()
        .map(|t| t.name.clone())
        .collect();
    let mut rows = Vec::new();
    for strategy in &args.strategies {
        let (_, multi) = simulate_runs(&scenario, strategy, seed, runs)?;
        let all = if multi.all.is_empty() {
            vec![multi.first.clone()]
        } else {
            multi.all.clone()
        };
        rows.push((strategy.clone(), sim::simulate::summarize_runs(&all)));
    }
    if args.json {
        let value: Vec<_> = rows
            .iter()
            .map(|(name, summary)| json!({ "strategy": name, "summary": summary }))
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
    let h = |s: f64| format!("{:.2}h", s / 3600.0);
    let r = |v: f64, b: f64| {
        if b > 0.0 {
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
    for (name, s) in &rows {
        let lb = mean(s, "lower_bound_s");
        let mk = mean(s, "makespan_s");
        out.push_str(&format!(
            "{:<20} {:>16}",
            name,
            format!("{} ({})", h(mk), r(mk, lb))
        ));
        let mut bound = format!(" {:>16}", h(lb));
        for t in &tiers {
            let p95 = mean(s, &format!("tiers.{t}.p95_s"));
            let p95_lb = mean(s, &format!("tiers.{t}.p95_lower_bound_s"));
            out.push_str(&format!(
                " {:>18}",
                format!("{} ({})", h(p95), r(p95, p95_lb))
            ));
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
    print!("{out}");
    Ok(())
}
