//! `report.html` of one run (`simulate --report`): what `report.md` says,
//! in tables with the units in their headings, and the charts inline.

use std::collections::BTreeMap;

use super::page::{Inline, Page, Row, Table};
use crate::report::charts::Chart;
use crate::report::runs::{Unit, seed_range, summary_figures};
use crate::report::text::bounds_apply;
use crate::results::RunResult;
use crate::scenario::Scenario;
use crate::simulate::Stat;

/// Seconds as hours, two decimals, no unit.
fn h(s: f64) -> String {
    Unit::Hours.number(s, false)
}

/// `Some` seconds as hours, or `n/a`.
fn h_or_na(s: Option<f64>) -> String {
    s.map_or_else(|| "n/a".to_owned(), h)
}

/// A time's bound and ratio cells: `n/a` when the bounds do not apply
/// (a cancelled run), `-` for a ratio against a bound that is not
/// positive.
fn bound_cells(r: &RunResult, value_s: f64, bound_s: f64) -> [String; 2] {
    if !bounds_apply(r) {
        ["n/a".to_owned(), "n/a".to_owned()]
    } else if bound_s > 0.0 {
        [h(bound_s), format!("{:.2}", value_s / bound_s)]
    } else {
        [h(bound_s), "-".to_owned()]
    }
}

/// The summary over several runs: a row per figure, its unit in a column
/// of its own (the figures have different units).
pub fn summary_table(tiers: &[String], summary: &BTreeMap<String, Stat>) -> Table {
    let mut t = Table::new(
        ["figure", "unit", "mean", "min", "max"]
            .map(str::to_owned)
            .to_vec(),
    );
    t.text_columns = 2;
    for f in summary_figures(tiers, summary) {
        let unit = match f.unit.symbol() {
            "" => "count",
            s => s,
        };
        t.row(Row::new(vec![
            f.name,
            unit.to_owned(),
            f.unit.number(f.stat.mean, true),
            f.unit.number(f.stat.min, false),
            f.unit.number(f.stat.max, false),
        ]));
    }
    t
}

/// The page of run `r` of `scenario`, with `charts` inline; with
/// `several` (the number of runs and the summary over them), says which
/// run it details and adds the summary first.
pub fn run_page(
    scenario: &Scenario,
    r: &RunResult,
    several: Option<(usize, &BTreeMap<String, Stat>)>,
    charts: &[Chart],
) -> String {
    let mut page = Page::new(&format!("Simulated recovery: {}", r.scenario));
    page.heading(1, &format!("Simulated recovery: {}", r.scenario));
    if !scenario.file.description.is_empty() {
        page.text(&scenario.file.description);
    }
    let seed = r.seed.to_string();
    let tenants = format!(
        ", {} tenants ({} created during the outage). Final phase: {}. Event-log digest ",
        r.tenants, r.new_tenants, r.phase
    );
    let entries = format!(" ({} entries).", r.log_entries);
    page.paragraph(&[
        Inline::Text("Strategy "),
        Inline::Code(&r.strategy),
        Inline::Text(", seed "),
        Inline::Text(&seed),
        Inline::Text(&tenants),
        Inline::Code(&r.digest),
        Inline::Text(&entries),
    ]);
    if let Some((runs, summary)) = several {
        let seeds = seed_range(r.seed, runs as u64);
        page.text(&format!(
            "This report details run 1 of {runs} ({seeds}): its tables and charts below are seed {}'s; the summary over all {runs} runs comes first.",
            r.seed
        ));
        page.heading(2, &format!("Over {runs} runs ({seeds})"));
        page.table(&summary_table(&r.tier_names, summary));
    }

    page.heading(2, "Summary");
    let mut t = Table::new(
        ["metric", "value (h)", "lower bound (h)", "value / bound"]
            .map(str::to_owned)
            .to_vec(),
    );
    let end = if bounds_apply(r) {
        "makespan"
    } else {
        "cancel finished (no makespan)"
    };
    for (metric, value, bound) in [
        (end, r.makespan_s, r.lower_bound_s),
        (
            "weighted mean time to online",
            r.weighted_mean_time_to_online_s,
            r.lower_bound.weighted_mean_time_to_online_s,
        ),
    ] {
        let [b, ratio] = bound_cells(r, value, bound);
        t.row(Row::new(vec![metric.to_owned(), h(value), b, ratio]));
    }
    page.table(&t);
    page.text(&format!(
        "Failed tenants: {}. Data-loss window: max {:.0} s, p95 {:.0} s, mean {:.0} s.",
        r.failed_tenants,
        r.data_loss_window_s.max,
        r.data_loss_window_s.p95,
        r.data_loss_window_s.mean
    ));
    page.note(&format!(
        "Makespan bound components (h): pools {}, standalone {}, ARM writes {}, catalog path {}.",
        h(r.lower_bound.pools_s),
        h(r.lower_bound.standalone_s),
        h(r.lower_bound.arm_writes_s),
        h(r.lower_bound.catalog_s)
    ));

    page.heading(2, "Time to online per tier");
    let mut t = Table::new(
        [
            "tier",
            "online",
            "tenants",
            "p50 (h)",
            "p95 (h)",
            "p99 (h)",
            "max (h)",
            "p95 bound (h)",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    for name in &r.tier_names {
        let Some(tier) = r.tiers.get(name) else {
            continue;
        };
        t.row(Row::new(vec![
            name.clone(),
            tier.online.to_string(),
            tier.tenants.to_string(),
            h_or_na(tier.p50_s),
            h_or_na(tier.p95_s),
            h_or_na(tier.p99_s),
            h_or_na(tier.max_s),
            if bounds_apply(r) {
                h(tier.p95_lower_bound_s)
            } else {
                "n/a".to_owned()
            },
        ]));
    }
    page.table(&t);

    page.heading(2, "ARM traffic");
    let a = &r.arm;
    let mut t = Table::new(
        ["class", "requests", "answered 429"]
            .map(str::to_owned)
            .to_vec(),
    );
    for (class, sent, throttled) in [
        ("reads (GET)", a.reads, a.throttled_reads),
        ("writes (PUT, POST)", a.writes, a.throttled_writes),
        ("deletes (DELETE)", a.deletes, a.throttled_deletes),
        ("all", a.requests, a.throttled),
    ] {
        t.row(Row::new(vec![
            class.to_owned(),
            sent.to_string(),
            throttled.to_string(),
        ]));
    }
    page.table(&t);
    page.text(&format!(
        "At most {} writes in one second.",
        a.peak_writes_per_s
    ));

    page.heading(2, "Restores");
    let s = &r.restores;
    let mut t = Table::new(
        [
            "accepted",
            "succeeded",
            "transient failures",
            "permanent failures",
            "canceled",
        ]
        .map(str::to_owned)
        .to_vec(),
    );
    t.text_columns = 0;
    t.row(Row::new(
        [
            s.accepted,
            s.succeeded,
            s.failed_transient,
            s.failed_permanent,
            s.canceled,
        ]
        .map(|n| n.to_string())
        .to_vec(),
    ));
    page.table(&t);
    page.text(&format!(
        "At most {} restores processing in one pool, {} standalone.",
        r.max_restores_processing_per_pool, r.max_standalone_processing
    ));

    if !r.failures.is_empty() {
        page.heading(2, "Failed tenants");
        if r.failures.len() < r.failed_tenants {
            page.note(&format!(
                "The first {} of {} failed tenants.",
                r.failures.len(),
                r.failed_tenants
            ));
        }
        let mut t = Table::new(["database", "reason"].map(str::to_owned).to_vec());
        t.text_columns = 2;
        t.wrap_columns = vec![1];
        for f in &r.failures {
            t.row(Row::new(vec![f.database.clone(), f.reason.clone()]));
        }
        page.table(&t);
    }

    page.heading(2, "Charts");
    for chart in charts {
        page.figure(chart);
    }
    page.finish()
}
