//! `georestore simulate`: run a scenario and print (and optionally write a
//! report of) its results.

use anyhow::{Context, Result};
use sim::report::text::{VersusBound, hours as h, tier_rows, versus_bound, versus_bound_of};
use sim::results::RunResult;
use sim::simulate::{MultiRun, simulate_runs_with};

use crate::cli::SimulateArgs;
use crate::progress::{Progress, shown};

pub fn run(args: &SimulateArgs) -> Result<()> {
    let scenario = match &args.overlay {
        Some(overlay) => sim::capacity::overlay::load_with_overlay(&args.scenario, overlay)?,
        None => crate::input::scenario_with(&args.scenario, &args.set, args.strategy.as_deref())?,
    };
    let strategy = args
        .strategy
        .clone()
        .unwrap_or_else(|| scenario.file.strategy.name.clone());
    let seed = args.seed.unwrap_or(scenario.file.seed);
    let runs = args.runs.unwrap_or(scenario.file.runs);
    // A bar only for several runs: one run is a single step.
    let progress = Progress::runs(u64::from(runs), runs > 1 && shown(args.quiet, args.json));
    let (first, multi) = simulate_runs_with(&scenario, &strategy, seed, runs, |_| progress.inc())?;
    progress.finish();
    if let Some(dir) = &args.report {
        sim::report::write_runs(dir, &scenario, &first, Some(&multi))
            .with_context(|| format!("writing the report into {}", dir.display()))?;
    }
    if args.json {
        let mut text = serde_json::to_string_pretty(&multi)?;
        text.push('\n');
        print!("{text}");
    } else {
        print!("{}", table(&multi));
    }
    Ok(())
}

/// One line of the summary: a time, its lower bound and their ratio.
fn bound_line(metric: &str, v: &VersusBound) -> String {
    format!(
        "{metric:<18} {:>10}   lower bound {:>10}   ratio {}\n",
        v.value, v.bound, v.ratio
    )
}

/// A readable summary of one result (and of the runs, if several).
pub fn table(multi: &MultiRun) -> String {
    let r: &RunResult = &multi.first;
    let mut out = String::new();
    out.push_str(&format!(
        "scenario {} | strategy {} | seed {} | digest {}\n",
        r.scenario, r.strategy, r.seed, r.digest
    ));
    out.push_str(&format!(
        "phase {} | tenants {} | failed {} | new tenants {}\n",
        r.phase, r.tenants, r.failed_tenants, r.new_tenants
    ));
    if r.phase == "Cancelled" {
        // The bound is for a full recovery; a cancelled run stops early.
        out.push_str(&format!(
            "cancel finished at {:>9}   (no makespan: the recovery was cancelled)\n",
            h(r.makespan_s)
        ));
    } else {
        let v = versus_bound(r.makespan_s, r.lower_bound_s);
        out.push_str(&bound_line("makespan", &v));
    }
    // n/a against the full-recovery bound when cancelled.
    let v = versus_bound_of(
        r,
        r.weighted_mean_time_to_online_s,
        r.lower_bound.weighted_mean_time_to_online_s,
    );
    out.push_str(&bound_line("weighted mean TTO", &v));
    out.push_str("\ntier          online       p50        p95        p99        max   p95 bound\n");
    for t in tier_rows(r) {
        out.push_str(&format!(
            "{:<10} {:>6}/{:<6} {:>9} {:>10} {:>10} {:>10} {:>10}\n",
            t.name, t.online, t.tenants, t.p50, t.p95, t.p99, t.max, t.p95_bound
        ));
    }
    out.push_str(&format!(
        "\nARM requests {} (reads {}, writes {}, deletes {}), 429s {} (reads {}, writes {}, deletes {}), peak writes/s {}\n",
        r.arm.requests,
        r.arm.reads,
        r.arm.writes,
        r.arm.deletes,
        r.arm.throttled,
        r.arm.throttled_reads,
        r.arm.throttled_writes,
        r.arm.throttled_deletes,
        r.arm.peak_writes_per_s
    ));
    out.push_str(&format!(
        "restores accepted {}, succeeded {}, transient failures {}, permanent failures {}, canceled {}\n",
        r.restores.accepted,
        r.restores.succeeded,
        r.restores.failed_transient,
        r.restores.failed_permanent,
        r.restores.canceled
    ));
    out.push_str(&format!(
        "data-loss window: max {:.0} s, p95 {:.0} s, mean {:.0} s\n",
        r.data_loss_window_s.max, r.data_loss_window_s.p95, r.data_loss_window_s.mean
    ));
    if let Some(rep) = r.repatriated_s {
        out.push_str(&format!("repatriated at {}\n", h(rep)));
    }
    const SHOWN_FAILURES: usize = 5;
    for f in r.failures.iter().take(SHOWN_FAILURES) {
        out.push_str(&format!("failed: {}: {}\n", f.database, f.reason));
    }
    if r.failures.len() > SHOWN_FAILURES {
        out.push_str(&format!(
            "... and {} more failed tenants (all in --json and --report)\n",
            r.failures.len() - SHOWN_FAILURES
        ));
    }
    if let Some(summary) = &multi.summary {
        out.push('\n');
        out.push_str(&sim::report::runs::summary_text(
            r.seed,
            multi.runs as u64,
            &r.tier_names,
            summary,
        ));
    }
    out
}
