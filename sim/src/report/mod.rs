//! Reports: `report.json` (byte-identical for the same scenario and seed),
//! `report.md` and the self-contained `report.html` for people, and SVG
//! charts.

pub mod charts;
pub mod comparison;
pub mod html;
mod markdown;
pub mod runs;
pub mod sweep;
pub mod text;

use std::path::Path;

use serde::Serialize;

use charts::Chart;

use crate::results::RunResult;
use crate::scenario::Scenario;
use crate::simulate::{MultiRun, Simulation, Stat};

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A file could not be written.
    #[error("cannot write {path}")]
    Io {
        /// The file.
        path: String,
        /// The error.
        source: std::io::Error,
    },
    /// A chart could not be drawn.
    #[error("chart {name}: {message}")]
    Chart {
        /// The chart's file name.
        name: String,
        /// What went wrong.
        message: String,
    },
    /// JSON serialization failed.
    #[error("report.json: {0}")]
    Json(#[from] serde_json::Error),
}

/// The content of `report.json`.
#[derive(Debug, Serialize)]
struct ReportJson<'a> {
    result: &'a RunResult,
    /// ARM requests per minute (reads, writes, deletes) and 429s per minute.
    arm_per_minute: Vec<[u32; 6]>,
    /// With several runs: which one `result` is, and the summary over all.
    #[serde(skip_serializing_if = "Option::is_none")]
    runs: Option<RunsJson<'a>>,
}

/// `report.json`'s `runs`: the report's details are one run's (`reported_seed`).
#[derive(Debug, Serialize)]
struct RunsJson<'a> {
    /// Number of runs.
    count: usize,
    /// Their seeds, e.g. `seeds 1..=5`.
    seeds: String,
    /// The seed of the run `result`, the tables and the charts describe.
    reported_seed: u64,
    /// Per metric over all runs (keys as in `simulate --json`).
    summary: &'a std::collections::BTreeMap<String, Stat>,
}

fn write_file(dir: &Path, name: &str, content: &str) -> Result<(), ReportError> {
    let path = dir.join(name);
    std::fs::write(&path, content).map_err(|source| ReportError::Io {
        path: path.display().to_string(),
        source,
    })
}

/// Writes `report.json`, `report.md`, `report.html`,
/// `time_to_online_cdf.svg`, `restores_over_time.svg` and
/// `arm_requests.svg` into `dir` (created).
pub fn write(dir: &Path, scenario: &Scenario, sim: &Simulation) -> Result<(), ReportError> {
    write_runs(dir, scenario, sim, None)
}

/// [`write`] for the first of several runs (`multi`, when it has more than
/// one): the details and charts are `sim`'s, and `report.md` and
/// `report.json` say so and add the summary over every run.
pub fn write_runs(
    dir: &Path,
    scenario: &Scenario,
    sim: &Simulation,
    multi: Option<&MultiRun>,
) -> Result<(), ReportError> {
    write_run_dir(dir, scenario, sim, multi).map(drop)
}

/// [`write_runs`], returning the charts it drew.
fn write_run_dir(
    dir: &Path,
    scenario: &Scenario,
    sim: &Simulation,
    multi: Option<&MultiRun>,
) -> Result<Vec<Chart>, ReportError> {
    let several = multi.and_then(|m| m.summary.as_ref().map(|s| (m.runs, s)));
    std::fs::create_dir_all(dir).map_err(|source| ReportError::Io {
        path: dir.display().to_string(),
        source,
    })?;
    let per_minute = sim
        .series
        .arm_per_s
        .chunks(60)
        .map(|chunk| {
            let mut m = [0u32; 6];
            for s in chunk {
                for c in 0..3 {
                    m[c] += s.requests[c];
                    m[3 + c] += s.throttled[c];
                }
            }
            m
        })
        .collect();
    let json = ReportJson {
        result: &sim.result,
        arm_per_minute: per_minute,
        runs: several.map(|(count, summary)| RunsJson {
            count,
            seeds: runs::seed_range(sim.result.seed, count as u64),
            reported_seed: sim.result.seed,
            summary,
        }),
    };
    let mut text = serde_json::to_string_pretty(&json)?;
    text.push('\n');
    write_file(dir, "report.json", &text)?;
    write_file(
        dir,
        "report.md",
        &markdown::render(scenario, &sim.result, several),
    )?;
    let charts = charts::run_charts(&sim.series)?;
    for chart in &charts {
        write_file(dir, chart.file, &chart.svg)?;
    }
    write_file(
        dir,
        html::FILE,
        &html::run::run_page(scenario, &sim.result, several, &charts),
    )?;
    Ok(charts)
}
