//! `report.md`: the results for people.

use std::collections::BTreeMap;

use super::runs::{seed_range, summary_markdown};
use super::text::{bounds_apply, hours as h, tier_rows, versus_bound_of};
use crate::results::RunResult;
use crate::scenario::Scenario;
use crate::simulate::Stat;

/// Renders the Markdown report of one run; with `several` (the number of
/// runs and the summary over them), says which run it details and adds
/// the summary.
pub fn render(
    scenario: &Scenario,
    r: &RunResult,
    several: Option<(usize, &BTreeMap<String, Stat>)>,
) -> String {
    let mut md = format!("# Simulated recovery: {}\n\n", r.scenario);
    if !scenario.file.description.is_empty() {
        md.push_str(&format!("{}\n\n", scenario.file.description));
    }
    md.push_str(&format!(
        "Strategy `{}`, seed {}, {} tenants ({} created during the outage). Final phase: {}. Event-log digest `{}` ({} entries).\n\n",
        r.strategy, r.seed, r.tenants, r.new_tenants, r.phase, r.digest, r.log_entries
    ));
    if let Some((runs, summary)) = several {
        md.push_str(&format!(
            "This report details run 1 of {runs} ({}): its tables and charts below are seed {}'s; the summary over all {runs} runs comes first.\n\n## Over {runs} runs ({})\n\n{}\n",
            seed_range(r.seed, runs as u64),
            r.seed,
            seed_range(r.seed, runs as u64),
            summary_markdown(&r.tier_names, summary)
        ));
    }
    md.push_str("## Summary\n\n| metric | value | lower bound | ratio |\n|---|---|---|---|\n");
    // A cancelled run has no makespan, and the bounds (for a full
    // recovery) give no meaningful ratios: n/a.
    let end = if bounds_apply(r) {
        "makespan"
    } else {
        "cancel finished (no makespan)"
    };
    for (metric, v) in [
        (end, versus_bound_of(r, r.makespan_s, r.lower_bound_s)),
        (
            "weighted mean time to online",
            versus_bound_of(
                r,
                r.weighted_mean_time_to_online_s,
                r.lower_bound.weighted_mean_time_to_online_s,
            ),
        ),
    ] {
        md.push_str(&format!(
            "| {metric} | {} | {} | {} |\n",
            v.value, v.bound, v.ratio
        ));
    }
    md.push_str(&format!("| failed tenants | {} | | |\n", r.failed_tenants));
    md.push_str(&format!(
        "| data-loss window (max / p95) | {:.0} s / {:.0} s | | |\n\n",
        r.data_loss_window_s.max, r.data_loss_window_s.p95
    ));
    md.push_str(&format!(
        "Makespan bound components: pools {}, standalone {}, ARM writes {}, catalog path {}.\n\n",
        h(r.lower_bound.pools_s),
        h(r.lower_bound.standalone_s),
        h(r.lower_bound.arm_writes_s),
        h(r.lower_bound.catalog_s)
    ));
    md.push_str("## Time to online per tier\n\n| tier | online | p50 | p95 | p99 | max | p95 bound |\n|---|---|---|---|---|---|---|\n");
    for t in tier_rows(r) {
        md.push_str(&format!(
            "| {} | {}/{} | {} | {} | {} | {} | {} |\n",
            t.name, t.online, t.tenants, t.p50, t.p95, t.p99, t.max, t.p95_bound
        ));
    }
    md.push_str(&format!(
        "\n## ARM traffic\n\n{} requests ({} reads, {} writes, {} deletes); {} answered 429 ({} reads, {} writes, {} deletes); at most {} writes in one second.\n\n",
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
    md.push_str(&format!(
        "Restores: {} accepted, {} succeeded, {} transient failures, {} permanent failures, {} canceled. At most {} processing in one pool, {} standalone.\n\n",
        r.restores.accepted,
        r.restores.succeeded,
        r.restores.failed_transient,
        r.restores.failed_permanent,
        r.restores.canceled,
        r.max_restores_processing_per_pool,
        r.max_standalone_processing
    ));
    if !r.failures.is_empty() {
        md.push_str("## Failed tenants\n\n");
        for f in &r.failures {
            md.push_str(&format!("- `{}`: {}\n", f.database, f.reason));
        }
        md.push('\n');
    }
    md.push_str("## Charts\n\n![time to online](time_to_online_cdf.svg)\n\n![restores](restores_over_time.svg)\n\n![ARM requests](arm_requests.svg)\n");
    md
}
