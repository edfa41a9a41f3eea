//! `report.html` of a sweep (`sweep --report`, `merge --report`): the
//! frontier charts (cost against the makespan p95 and against the most
//! important tier's p95, Pareto points highlighted), a table of every
//! grid point, and each point's per-tier table.

use super::page::{Inline, Page, Row, Table};
use crate::report::charts::Chart;
use crate::report::runs::Unit;
use crate::sweep::SweepResult;
use crate::sweep::frontier::FrontierPoint;
use crate::sweep::result::COST_MEASURE;

fn h(s: Option<f64>) -> String {
    s.map_or_else(|| "n/a".to_owned(), |s| Unit::Hours.number(s, false))
}

fn on(frontier: &[FrontierPoint], index: usize) -> &'static str {
    match frontier.iter().find(|p| p.index == index) {
        Some(p) if p.pareto => "yes",
        Some(_) => "no",
        None => "n/a",
    }
}

/// The page of sweep `result`, with the frontier `charts` inline and the
/// two frontiers (`makespan`: against the makespan p95; `tier`: against
/// the most important tier's p95) marking the points of the table.
pub fn sweep_page(
    result: &SweepResult,
    makespan: &[FrontierPoint],
    tier: &[FrontierPoint],
    charts: &[Chart],
) -> String {
    let id = &result.sweep;
    let title = format!("Sweep: {}", id.scenario);
    let mut page = Page::new(&title);
    page.heading(1, &title);
    let shape = format!(
        "{} grid point{} × {} run{} each (seeds from each point's scenario seed). Sweep digest ",
        id.points,
        if id.points == 1 { "" } else { "s" },
        id.runs,
        if id.runs == 1 { "" } else { "s" },
    );
    let version = format!(", georestore-sim {}.", id.sim_version);
    page.paragraph(&[
        Inline::Text(&shape),
        Inline::Code(&id.digest),
        Inline::Text(&version),
    ]);
    if !id.vary.is_empty() {
        let items: Vec<(String, String)> = id
            .vary
            .iter()
            .map(|v| {
                let values: Vec<String> = v
                    .values
                    .iter()
                    .map(|j| match j {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect();
                (v.key.clone(), values.join(", "))
            })
            .collect();
        page.text("Varied (the first slowest):");
        let list: Vec<Vec<Inline<'_>>> = items
            .iter()
            .map(|(k, v)| vec![Inline::Code(k), Inline::Text(": "), Inline::Text(v)])
            .collect();
        page.list(&list);
    }
    page.note(&format!(
        "Cost: {COST_MEASURE}, the mean per run: for each elastic pool the run creates in the recovery region, the hours from its creation to the end of the recovery, summed."
    ));

    let top_tier = result
        .points
        .first()
        .and_then(|p| p.tiers.first())
        .map(|t| t.name.clone());
    page.heading(2, "Frontier");
    page.text("A point is Pareto-optimal when no other point is at most as costly and at most as slow, and better in one of the two. Points are numbered as in the tables below.");
    for chart in charts {
        page.figure(chart);
    }

    page.heading(2, "Grid points");
    // The strategy has its column unless the labels already name it.
    let strategy_column = !id.vary.iter().any(|v| v.key == "strategy.name");
    let mut header: Vec<String> = vec!["point".to_owned(), "values".to_owned()];
    if strategy_column {
        header.push("strategy".to_owned());
    }
    header.extend(
        [
            "cost (pool-hours / run)",
            "makespan p50 (h)",
            "makespan p95 (h)",
        ]
        .map(str::to_owned),
    );
    let tier_names: Vec<String> = result
        .points
        .first()
        .map(|p| p.tiers.iter().map(|t| t.name.clone()).collect())
        .unwrap_or_default();
    header.extend(tier_names.iter().map(|t| format!("{t} p95 (h)")));
    header.extend(["429s / run", "failed tenants / run", "Pareto (makespan)"].map(str::to_owned));
    if let Some(t) = &top_tier {
        header.push(format!("Pareto ({t})"));
    }
    let mut t = Table::new(header);
    t.text_columns = if strategy_column { 3 } else { 2 };
    t.wrap_columns = vec![1];
    for p in &result.points {
        let mut cells = vec![
            (p.index + 1).to_string(),
            if p.label.is_empty() {
                "-".to_owned()
            } else {
                p.label.clone()
            },
        ];
        if strategy_column {
            cells.push(p.strategy.clone());
        }
        cells.extend([
            format!("{:.2}", p.cost.pool_hours_mean_per_run),
            h(p.makespan.p50_s),
            h(p.makespan.p95_s),
        ]);
        for name in &tier_names {
            cells.push(h(p
                .tiers
                .iter()
                .find(|t| &t.name == name)
                .and_then(|t| t.time_to_online.p95_s)));
        }
        cells.push(format!("{:.1}", p.arm_429s.mean_per_run));
        cells.push(format!("{:.1}", p.failed_tenants.mean_per_run));
        let on_makespan = on(makespan, p.index);
        cells.push(on_makespan.to_owned());
        let mut any = on_makespan == "yes";
        if top_tier.is_some() {
            let on_tier = on(tier, p.index);
            any |= on_tier == "yes";
            cells.push(on_tier.to_owned());
        }
        t.row(if any {
            Row::with_class(cells, "pareto")
        } else {
            Row::new(cells)
        });
    }
    page.table(&t);
    page.note("Rows in bold are on at least one frontier. p50 and p95 are over every run of the point (from its histograms, within 0.1 %).");

    page.heading(2, "Each point");
    for p in &result.points {
        let label = if p.label.is_empty() {
            String::new()
        } else {
            format!(": {}", p.label)
        };
        page.heading(3, &format!("Point {}/{}{label}", p.index + 1, id.points));
        page.text(&format!(
            "Strategy {}, {} run{}. Cost {:.1} pool-hours per run; 429s {} in all (mean {:.1} per run, at most {} in one); failed tenants {:.1} per run.",
            p.strategy,
            p.runs,
            if p.runs == 1 { "" } else { "s" },
            p.cost.pool_hours_mean_per_run,
            p.arm_429s.total,
            p.arm_429s.mean_per_run,
            p.arm_429s.max_per_run.unwrap_or(0),
            p.failed_tenants.mean_per_run
        ));
        let mut t = Table::new(
            [
                "tier",
                "online (over all runs)",
                "tenants × runs",
                "p50 (h)",
                "p95 (h)",
                "max (h)",
            ]
            .map(str::to_owned)
            .to_vec(),
        );
        for tier in &p.tiers {
            let d = &tier.time_to_online;
            t.row(Row::new(vec![
                tier.name.clone(),
                tier.online.to_string(),
                (tier.tenants * p.runs).to_string(),
                h(d.p50_s),
                h(d.p95_s),
                h(d.max_s),
            ]));
        }
        let m = &p.makespan;
        t.row(Row::new(vec![
            "makespan".to_owned(),
            format!("{} runs", m.samples),
            String::new(),
            h(m.p50_s),
            h(m.p95_s),
            h(m.max_s),
        ]));
        page.table(&t);
    }
    page.finish()
}
