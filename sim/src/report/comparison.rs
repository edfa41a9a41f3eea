//! Several strategies on the same seeds: the comparison table (each
//! figure the mean over the runs, with its ratio to the lower bound), as
//! text for `georestore compare` and as a report directory
//! (`report.md`, `report.json`, and each strategy's first-run report).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Serialize;

use super::runs::seed_range;
use super::{ReportError, write_file, write_run_dir};
use crate::scenario::Scenario;
use crate::simulate::{MultiRun, Simulation, Stat};

/// One strategy's runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrategyRuns {
    /// The strategy's name.
    pub strategy: String,
    /// Whether some run was cancelled (its ratios are meaningless).
    pub cancelled: bool,
    /// Every metric over the runs (keys as in `simulate --json`).
    pub summary: BTreeMap<String, Stat>,
}

/// A comparison of strategies on one scenario and the same seeds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The scenario's name.
    pub scenario: String,
    /// Tenants in its fleet.
    pub tenants: usize,
    /// Tier names, most important first.
    pub tiers: Vec<String>,
    /// Seed of the first run.
    pub seed: u64,
    /// Runs per strategy.
    pub runs: u32,
    /// One entry per strategy, in the order asked.
    pub strategies: Vec<StrategyRuns>,
}

/// The table: header, one row per strategy, then the lower-bound rows.
pub(crate) struct Table {
    pub(crate) header: Vec<String>,
    pub(crate) rows: Vec<Vec<String>>,
    pub(crate) bounds: Vec<Vec<String>>,
}

/// Where the units of the table's times go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Units {
    /// In every cell (`10.98h (1.60x)`): the text and Markdown tables.
    InCells,
    /// In the headings only (`makespan, h (xLB)`, cells `10.98 (1.60)`):
    /// the HTML table.
    InHeader,
}

fn mean(summary: &BTreeMap<String, Stat>, key: &str) -> f64 {
    summary.get(key).map_or(0.0, |s| s.mean)
}

fn hours(units: Units, s: f64) -> String {
    match units {
        Units::InCells => format!("{:.2}h", s / 3600.0),
        Units::InHeader => format!("{:.2}", s / 3600.0),
    }
}

fn ratio(units: Units, cancelled: bool, v: f64, b: f64) -> String {
    if cancelled {
        "n/a".to_owned()
    } else if b > 0.0 {
        match units {
            Units::InCells => format!("{:.2}x", v / b),
            Units::InHeader => format!("{:.2}", v / b),
        }
    } else {
        "-".to_owned()
    }
}

impl Comparison {
    /// The heading line: scenario, tenants, seeds and runs.
    pub(crate) fn heading(&self) -> String {
        let runs = u64::from(self.runs);
        format!(
            "scenario {} | {} tenants | {} ({} run{}{})",
            self.scenario,
            self.tenants,
            seed_range(self.seed, runs),
            self.runs,
            if runs == 1 { "" } else { "s" },
            if runs == 1 {
                ""
            } else {
                " per strategy; each figure is the mean over the runs"
            }
        )
    }

    fn any_cancelled(&self) -> bool {
        self.strategies.iter().any(|s| s.cancelled)
    }

    /// The table, its times' units placed by `units`.
    pub(crate) fn table(&self, units: Units) -> Table {
        let h = |s: f64| hours(units, s);
        let time = |name: &str| match units {
            Units::InCells => format!("{name} (xLB)"),
            Units::InHeader => format!("{name}, h (xLB)"),
        };
        let mut header = vec!["strategy".to_owned(), time("makespan")];
        header.extend(self.tiers.iter().map(|t| time(&format!("{t} p95"))));
        header.push(time("w.mean"));
        header.extend(["ARM req", "429s", "failed"].map(str::to_owned));
        let mut rows = Vec::new();
        // Each strategy's bounds (they differ when placements differ).
        let mut bound_rows: Vec<(String, Vec<String>)> = Vec::new();
        for run in &self.strategies {
            let s = &run.summary;
            let r = |v: f64, b: f64| ratio(units, run.cancelled, v, b);
            let lb = mean(s, "lower_bound_s");
            let mk = mean(s, "makespan_s");
            let mut row = vec![run.strategy.clone(), format!("{} ({})", h(mk), r(mk, lb))];
            let mut bound = vec![h(lb)];
            for t in &self.tiers {
                let p95_lb = mean(s, &format!("tiers.{t}.p95_lower_bound_s"));
                row.push(match s.get(&format!("tiers.{t}.p95_s")) {
                    Some(p95) => format!("{} ({})", h(p95.mean), r(p95.mean, p95_lb)),
                    None => "n/a".to_owned(),
                });
                bound.push(h(p95_lb));
            }
            let wm = mean(s, "weighted_mean_time_to_online_s");
            let wm_lb = mean(s, "weighted_mean_lower_bound_s");
            row.push(format!("{} ({})", h(wm), r(wm, wm_lb)));
            row.push(format!("{:.0}", mean(s, "arm.requests")));
            row.push(format!("{:.0}", mean(s, "arm.throttled")));
            row.push(format!("{:.0}", mean(s, "failed_tenants")));
            bound.push(h(wm_lb));
            rows.push(row);
            bound_rows.push((run.strategy.clone(), bound));
        }
        // One "lower bound" row (the first strategy's), plus a row for each
        // strategy whose placement gives other bounds.
        let mut bounds = Vec::new();
        if let Some((_, first)) = bound_rows.first() {
            let mut row = vec!["lower bound".to_owned()];
            row.extend(first.iter().cloned());
            bounds.push(row);
            for (name, bound) in bound_rows.iter().skip(1).filter(|(_, b)| b != first) {
                let mut row = vec![format!("LB {name}")];
                row.extend(bound.iter().cloned());
                bounds.push(row);
            }
        }
        Table {
            header,
            rows,
            bounds,
        }
    }

    /// The notes under the table.
    pub(crate) fn notes(&self) -> Vec<&'static str> {
        let mut notes = vec![
            "xLB: ratio to the lower bound of the same seed and placement (see sim/src/lower_bound.rs).",
        ];
        if self.any_cancelled() {
            notes.push("n/a: the recovery was cancelled; its makespan column is when the cancel finished, and the bounds (for a full recovery) give no ratio.");
        }
        notes
    }

    /// The table as aligned text (what `georestore compare` prints).
    pub fn text(&self) -> String {
        let table = self.table(Units::InCells);
        let tiers = self.tiers.len();
        // Column widths: strategy, makespan, each tier, w.mean, ARM req,
        // 429s, failed.
        let mut widths = vec![20usize, 16];
        widths.extend(std::iter::repeat_n(18, tiers));
        widths.extend([16, 10, 8, 7]);
        let line = |cells: &[String]| {
            let mut out = String::new();
            for (i, (cell, width)) in cells.iter().zip(&widths).enumerate() {
                if i == 0 {
                    out.push_str(&format!("{cell:<width$}"));
                } else {
                    out.push_str(&format!(" {cell:>width$}"));
                }
            }
            out.push('\n');
            out
        };
        let mut out = format!("{}\n\n", self.heading());
        out.push_str(&line(&table.header));
        for row in &table.rows {
            out.push_str(&line(row));
        }
        for row in &table.bounds {
            // A bound row has no columns after the weighted mean.
            let mut cells = row.clone();
            cells.truncate(3 + tiers);
            out.push_str(&line(&cells));
        }
        out.push('\n');
        for note in self.notes() {
            out.push_str(note);
            out.push('\n');
        }
        out
    }

    /// The table as Markdown, with links to each strategy's own report.
    pub fn markdown(&self) -> String {
        let table = self.table(Units::InCells);
        let mut md = format!(
            "# Strategy comparison: {}\n\n{}.\n\n",
            self.scenario,
            self.heading()
        );
        md.push_str(&format!("| {} |\n", table.header.join(" | ")));
        md.push_str(&format!("|{}\n", "---|".repeat(table.header.len())));
        for row in table.rows.iter().chain(&table.bounds) {
            let mut cells = row.clone();
            cells.resize(table.header.len(), String::new());
            md.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        md.push('\n');
        for note in self.notes() {
            md.push_str(&format!("{note}\n\n"));
        }
        md.push_str(&format!(
            "## Each strategy's report\n\nEach directory holds the report of the strategy's first run ({}): per-tier times, ARM traffic, failures and charts.\n\n",
            seed_range(self.seed, 1)
        ));
        for run in &self.strategies {
            md.push_str(&format!(
                "- [{0}]({0}/report.md)\n\n  ![{0}: time to online]({0}/time_to_online_cdf.svg)\n\n",
                run.strategy
            ));
        }
        md
    }
}

/// Writes the comparison into `dir` (created): `report.md`, `report.json`
/// (the [`Comparison`]), `report.html` and, per strategy, `dir/<strategy>/` with the
/// report of its first run (`firsts`: each strategy's first simulation
/// and all its runs, in the comparison's order).
pub fn write(
    dir: &Path,
    scenario: &Scenario,
    comparison: &Comparison,
    firsts: &[(Simulation, MultiRun)],
) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let mut json = serde_json::to_string_pretty(comparison)?;
    json.push('\n');
    write_file(dir, "report.json", &json)?;
    write_file(dir, "report.md", &comparison.markdown())?;
    let mut charts = Vec::with_capacity(firsts.len());
    for (run, (first, multi)) in comparison.strategies.iter().zip(firsts) {
        charts.push(write_run_dir(
            &dir.join(&run.strategy),
            scenario,
            first,
            Some(multi),
        )?);
    }
    write_file(
        dir,
        super::html::FILE,
        &super::html::comparison::comparison_page(comparison, &charts),
    )
}
