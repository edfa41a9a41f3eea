//! The text tables of a sweep result: per grid point, p50/p95/max of time
//! to online per tier in hours (the units and names of `simulate`'s
//! table), the makespan, 429s, cost and failed tenants.

use sim::report::text::hours_or_na as h;
use sim::sweep::SweepResult;
use sim::sweep::result::{Distribution, PointResult};

/// The tables of `r`.
pub fn tables(r: &SweepResult) -> String {
    let id = &r.sweep;
    let mut out = format!(
        "sweep {} | {} point{} x {} run{} | digest {}\n",
        id.scenario,
        id.points,
        if id.points == 1 { "" } else { "s" },
        id.runs,
        if id.runs == 1 { "" } else { "s" },
        id.digest
    );
    for p in &r.points {
        out.push('\n');
        out.push_str(&point(p, id.points));
    }
    out
}

fn row(name: &str, count: String, d: &Distribution) -> String {
    format!(
        "{name:<10} {count:>13} {:>10} {:>10} {:>10}\n",
        h(d.p50_s),
        h(d.p95_s),
        h(d.max_s)
    )
}

fn point(p: &PointResult, points: usize) -> String {
    let label = if p.label.is_empty() {
        String::new()
    } else {
        format!(" {} |", p.label)
    };
    let mut out = format!(
        "point {}/{points}:{label} strategy {} | {} run{}\n",
        p.index + 1,
        p.strategy,
        p.runs,
        if p.runs == 1 { "" } else { "s" }
    );
    out.push_str("tier              online        p50        p95        max\n");
    for t in &p.tiers {
        let count = format!("{}/{}", t.online, t.tenants * p.runs);
        out.push_str(&row(&t.name, count, &t.time_to_online));
    }
    out.push_str(&row(
        "makespan",
        format!(
            "{} run{}",
            p.makespan.samples,
            if p.makespan.samples == 1 { "" } else { "s" }
        ),
        &p.makespan,
    ));
    out.push_str(&format!(
        "429s {} (mean {:.1} per run, max {}) | cost {:.1} pool-hours per run | failed tenants {:.1} per run\n",
        p.arm_429s.total,
        p.arm_429s.mean_per_run,
        p.arm_429s.max_per_run.unwrap_or(0),
        p.cost.pool_hours_mean_per_run,
        p.failed_tenants.mean_per_run
    ));
    out
}
