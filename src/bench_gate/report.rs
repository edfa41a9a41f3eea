//! The gate's result: per scenario a table (baseline, now, change,
//! verdict), the engine's speed against its floor, and the reasons for a
//! failure in words; as text or as one JSON object.

use std::path::Path;

use serde::Serialize;

use super::baseline::{ScenarioBaseline, SpeedBaseline, tool_version};
use super::metrics::{Measured, show};
use super::speed::{SpeedSample, profile, workload};
use super::verdict::{Row, Status, rows, status};

/// One scenario's result.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioReport {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file as given.
    pub file: String,
    /// Its baseline file.
    pub baseline_file: String,
    /// The verdict.
    pub status: Status,
    /// The strategy run.
    pub strategy: String,
    /// The baseline's strategy (if there is a baseline).
    pub baseline_strategy: Option<String>,
    /// First seed and number of runs.
    pub seed: u64,
    /// Runs.
    pub runs: u32,
    /// The scenario's digest now.
    pub digest: String,
    /// The baseline's digest.
    pub baseline_digest: Option<String>,
    /// Every metric.
    pub rows: Vec<Row>,
    /// The baseline (for tolerances in the text); not in the JSON.
    #[serde(skip)]
    pub base: Option<ScenarioBaseline>,
}

impl ScenarioReport {
    /// `now` of the scenario `file` against `base` (read from
    /// `baseline_file`).
    pub fn new(
        file: &Path,
        baseline_file: &Path,
        now: &Measured,
        base: Option<ScenarioBaseline>,
    ) -> Self {
        let (status, rows) = match &base {
            None => (Status::NoBaseline, Vec::new()),
            Some(b) if b.scenario_digest != now.digest => {
                (Status::ScenarioChanged, rows(b, now, false))
            }
            Some(b) => {
                let rows = rows(b, now, true);
                (status(&rows), rows)
            }
        };
        ScenarioReport {
            scenario: now.scenario.clone(),
            file: file.display().to_string(),
            baseline_file: baseline_file.display().to_string(),
            status,
            strategy: now.strategy.clone(),
            baseline_strategy: base.as_ref().map(|b| b.strategy.clone()),
            seed: now.seed,
            runs: now.runs,
            digest: now.digest.clone(),
            baseline_digest: base.as_ref().map(|b| b.scenario_digest.clone()),
            rows,
            base,
        }
    }

    /// Why the scenario fails the gate, one sentence per reason (none when
    /// it passes).
    pub fn failures(&self) -> Vec<String> {
        let s = &self.scenario;
        match self.status {
            Status::Pass => Vec::new(),
            Status::NoBaseline => vec![format!(
                "{s}: no baseline at {}; create it with `georestore bench-gate --update`",
                self.baseline_file
            )],
            Status::ScenarioChanged => vec![format!(
                "{s}: scenario changed (digest {} now, {} in {}); re-baseline with `georestore bench-gate --update`",
                self.digest,
                self.baseline_digest.as_deref().unwrap_or("-"),
                self.baseline_file
            )],
            Status::Regressed => self
                .rows
                .iter()
                .filter(|r| r.verdict.fails())
                .map(|r| {
                    let base = self.base.as_ref().and_then(|b| b.metrics.get(&r.metric));
                    format!(
                        "{s}: {} ({}) {} -> {}{}: {}",
                        r.label,
                        r.metric,
                        r.baseline.map_or("-".to_owned(), |v| show(&r.metric, v)),
                        r.now.map_or("none".to_owned(), |v| show(&r.metric, v)),
                        r.change_pct
                            .map_or(String::new(), |c| format!(" ({c:+.2} %)")),
                        r.words(base)
                    )
                })
                .collect(),
        }
    }

    /// The scenario's header and table.
    pub fn text(&self) -> String {
        let strategy = match &self.baseline_strategy {
            Some(b) if *b != self.strategy => format!("{} (baseline: {b})", self.strategy),
            _ => self.strategy.clone(),
        };
        let verdict = match self.status {
            Status::Pass => "PASS",
            Status::Regressed => "REGRESSED",
            Status::ScenarioChanged => "SCENARIO CHANGED - re-baseline with --update",
            Status::NoBaseline => "NO BASELINE - create it with --update",
        };
        let mut out = format!(
            "{} ({}) | strategy {strategy} | seed {} | {} run{} | {verdict}\n",
            self.scenario,
            self.file,
            self.seed,
            self.runs,
            if self.runs == 1 { "" } else { "s" }
        );
        if self.rows.is_empty() {
            return out;
        }
        out.push_str(&format!(
            "  {:<20} {:>11} {:>11} {:>9}  verdict\n",
            "metric", "baseline", "now", "change"
        ));
        for r in &self.rows {
            let base = self.base.as_ref().and_then(|b| b.metrics.get(&r.metric));
            out.push_str(&format!(
                "  {:<20} {:>11} {:>11} {:>9}  {}\n",
                r.label,
                r.baseline.map_or("-".to_owned(), |v| show(&r.metric, v)),
                r.now.map_or("-".to_owned(), |v| show(&r.metric, v)),
                r.change_pct
                    .map_or("-".to_owned(), |c| format!("{c:+.2} %")),
                r.words(base)
            ));
        }
        out
    }
}

/// How the engine's speed stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpeedStatus {
    /// At or above the floor.
    Pass,
    /// Below the floor.
    BelowFloor,
    /// No floor for this profile (or no file).
    NoFloor,
    /// The file's floors are for another workload.
    WorkloadChanged,
}

/// The engine's speed against its floor.
#[derive(Debug, Clone, Serialize)]
pub struct SpeedReport {
    /// `debug` or `release`.
    pub profile: &'static str,
    /// The measurement.
    #[serde(flatten)]
    pub sample: SpeedSample,
    /// The floor of this profile.
    pub floor: Option<f64>,
    /// The verdict.
    pub status: SpeedStatus,
    /// The floors' file.
    pub file: String,
}

impl SpeedReport {
    /// `sample` against `base` (read from `file`).
    pub fn new(sample: SpeedSample, base: Option<&SpeedBaseline>, file: &Path) -> Self {
        let profile = profile();
        let (floor, status) = match base {
            Some(b) if b.workload != workload() => (None, SpeedStatus::WorkloadChanged),
            Some(b) => match b.profiles.get(profile) {
                Some(p) if sample.ratio >= p.floor => (Some(p.floor), SpeedStatus::Pass),
                Some(p) => (Some(p.floor), SpeedStatus::BelowFloor),
                None => (None, SpeedStatus::NoFloor),
            },
            None => (None, SpeedStatus::NoFloor),
        };
        SpeedReport {
            profile,
            sample,
            floor,
            status,
            file: file.display().to_string(),
        }
    }

    /// The measurement and verdict in one line.
    pub fn text(&self) -> String {
        let w = workload();
        let measured = format!(
            "engine speed ({} build): ratio {:.2} (bare BinaryHeap {:.1} ms / EventQueue {:.1} ms, {} events, median of {} interleaved pairs)",
            self.profile,
            self.sample.ratio,
            self.sample.bare_ns as f64 / 1e6,
            self.sample.engine_ns as f64 / 1e6,
            w.events,
            w.repetitions
        );
        let verdict = match (self.status, self.floor) {
            (SpeedStatus::Pass, Some(f)) => format!(">= floor {f:.2}: PASS"),
            (SpeedStatus::BelowFloor, Some(f)) => format!("< floor {f:.2}: BELOW FLOOR"),
            (SpeedStatus::WorkloadChanged, _) => {
                "WORKLOAD CHANGED - re-baseline with --update".to_owned()
            }
            _ => format!(
                "NO FLOOR for the {} build - set it with --update",
                self.profile
            ),
        };
        format!("{measured} {verdict}\n")
    }

    /// Why it fails the gate, if it does.
    pub fn failure(&self) -> Option<String> {
        let fix = "with `georestore bench-gate --update` in this build profile";
        match (self.status, self.floor) {
            (SpeedStatus::Pass, _) => None,
            (SpeedStatus::BelowFloor, Some(f)) => Some(format!(
                "engine speed: ratio {:.2} is below the {} floor {f:.2} in {}: the event queue got slower against a bare BinaryHeap (or the machine was too busy: run again)",
                self.sample.ratio, self.profile, self.file
            )),
            (SpeedStatus::WorkloadChanged, _) => Some(format!(
                "engine speed: {} records another workload than this georestore measures; re-baseline {fix}",
                self.file
            )),
            _ => Some(format!(
                "engine speed: no floor for the {} build in {}; set one {fix}",
                self.profile, self.file
            )),
        }
    }
}

/// The whole gate.
#[derive(Debug, Clone, Serialize)]
pub struct GateReport {
    /// No failures.
    pub pass: bool,
    /// The georestore that ran it.
    pub tool_version: String,
    /// The baselines' directory.
    pub baseline_dir: String,
    /// Per scenario.
    pub scenarios: Vec<ScenarioReport>,
    /// The engine's speed (absent with `--skip-engine-speed`).
    pub engine_speed: Option<SpeedReport>,
    /// Why the gate fails, one sentence each.
    pub failures: Vec<String>,
}

impl GateReport {
    /// Collects the failures of `scenarios` and `engine_speed`.
    pub fn new(
        baseline_dir: &Path,
        scenarios: Vec<ScenarioReport>,
        engine_speed: Option<SpeedReport>,
    ) -> Self {
        let mut failures: Vec<String> = scenarios.iter().flat_map(|s| s.failures()).collect();
        failures.extend(engine_speed.as_ref().and_then(SpeedReport::failure));
        GateReport {
            pass: failures.is_empty(),
            tool_version: tool_version(),
            baseline_dir: baseline_dir.display().to_string(),
            scenarios,
            engine_speed,
            failures,
        }
    }

    /// Every table, the speed line and the verdict.
    pub fn text(&self) -> String {
        let mut out = String::new();
        for s in &self.scenarios {
            out.push_str(&s.text());
            out.push('\n');
        }
        if let Some(speed) = &self.engine_speed {
            out.push_str(&speed.text());
            out.push('\n');
        }
        let metrics: usize = self.scenarios.iter().map(|s| s.rows.len()).sum();
        let judged = format!(
            "{} scenario{}, {metrics} metrics{} against {}",
            self.scenarios.len(),
            if self.scenarios.len() == 1 { "" } else { "s" },
            if self.engine_speed.is_some() {
                " and the engine speed"
            } else {
                ""
            },
            self.baseline_dir
        );
        if self.pass {
            out.push_str(&format!("bench-gate PASS: {judged}\n"));
        } else {
            out.push_str(&format!(
                "bench-gate FAIL: {} problem{} ({judged}):\n",
                self.failures.len(),
                if self.failures.len() == 1 { "" } else { "s" }
            ));
            for f in &self.failures {
                out.push_str(&format!("- {f}\n"));
            }
        }
        out
    }
}
