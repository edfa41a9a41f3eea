//! A sweep's report directory (`sweep --report`, `merge --report`):
//! `report.json` (the result, the bytes `sweep --json` prints), the two
//! frontier charts as SVG, and `report.html`.

use std::path::Path;

use super::charts::{self, Chart};
use super::{ReportError, html, write_file};
use crate::sweep::SweepResult;
use crate::sweep::frontier::{FrontierPoint, FrontierTime, frontier};

/// The frontier against the makespan p95, in a report directory.
pub const MAKESPAN_FILE: &str = "frontier_makespan_p95.svg";
/// The frontier against the most important tier's p95.
pub const TOP_TIER_FILE: &str = "frontier_top_tier_p95.svg";

/// A sweep's two frontiers and their charts.
#[derive(Debug, Clone)]
pub struct Frontiers {
    /// Cost against the makespan p95.
    pub makespan: Vec<FrontierPoint>,
    /// Cost against the most important tier's time-to-online p95.
    pub top_tier: Vec<FrontierPoint>,
    /// Their charts, in that order.
    pub charts: Vec<Chart>,
}

/// The two frontiers of `result` (against the makespan p95; against the
/// most important tier's p95) and their charts.
pub fn frontier_charts(result: &SweepResult) -> Result<Frontiers, ReportError> {
    let makespan = frontier(result, FrontierTime::MakespanP95);
    let tier = frontier(result, FrontierTime::TierP95(0));
    let tier_name = result
        .points
        .first()
        .and_then(|p| p.tiers.first())
        .map_or_else(|| "top tier".to_owned(), |t| t.name.clone());
    let charts = vec![
        Chart {
            file: MAKESPAN_FILE,
            caption: "cost against makespan p95".to_owned(),
            svg: charts::frontier(
                &makespan,
                "Cost against makespan p95",
                "makespan p95, hours",
                MAKESPAN_FILE,
            )?,
        },
        Chart {
            file: TOP_TIER_FILE,
            caption: format!("cost against {tier_name} time-to-online p95"),
            svg: charts::frontier(
                &tier,
                &format!("Cost against {tier_name} time-to-online p95"),
                &format!("{tier_name} p95, hours"),
                TOP_TIER_FILE,
            )?,
        },
    ];
    Ok(Frontiers {
        makespan,
        top_tier: tier,
        charts,
    })
}

/// Writes `report.json`, the frontier charts and `report.html` of
/// `result` into `dir` (created).
pub fn write(dir: &Path, result: &SweepResult) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    write_file(dir, "report.json", &result.to_json())?;
    let f = frontier_charts(result)?;
    for chart in &f.charts {
        write_file(dir, chart.file, &chart.svg)?;
    }
    write_file(
        dir,
        html::FILE,
        &html::sweep::sweep_page(result, &f.makespan, &f.top_tier, &f.charts),
    )
}
