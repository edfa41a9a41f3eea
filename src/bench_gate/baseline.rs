//! The baseline files under `reports/baseline/`: one per scenario
//! (`<file stem>.json`) and `engine-speed.json`. Pretty JSON with a fixed
//! key order (struct fields, then maps sorted by key), so an `--update`
//! diff shows only what changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// The layout of both files; a file of another version is refused with
/// the fix (re-baseline).
pub const FORMAT_VERSION: u32 = 1;

/// The file name of the engine-speed floors.
pub const ENGINE_SPEED_FILE: &str = "engine-speed.json";

/// Default tolerance: worse by more than this percentage fails.
pub const DEFAULT_TOLERANCE_PCT: f64 = 1.0;

/// Default margin of the engine-speed floor below the measured ratio.
pub const DEFAULT_MARGIN_PCT: f64 = 30.0;

/// `georestore <version>`, recorded in every file.
pub fn tool_version() -> String {
    format!("georestore {}", env!("CARGO_PKG_VERSION"))
}

/// What a scenario's baseline file says about itself.
const SCENARIO_ABOUT: &str = "Written by `georestore bench-gate --update`. Every metric is better lower; the gate fails when a metric exceeds value + max(value * tolerance_pct / 100, tolerance_abs). Edit a tolerance here to loosen or tighten it (--update keeps it).";

/// What the engine-speed file says about itself.
const SPEED_ABOUT: &str = "Written by `georestore bench-gate --update`. ratio = time of the bare BinaryHeap loop / time of the engine's EventQueue loop on the same hold workload, the median of `repetitions` interleaved pairs in one process (higher is faster). The gate fails when the ratio of the profile in use (debug: built with debug assertions) is below its floor. --update measures 5 times and records the median as `measured`, sets floor = measured * (1 - margin_pct / 100) and keeps margin_pct; edit margin_pct to widen or narrow the margin.";

/// One metric's recorded value and how much worse it may get.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricBaseline {
    /// The value when the baseline was written.
    pub value: f64,
    /// Worse by more than this percentage of `value` fails...
    pub tolerance_pct: f64,
    /// ...unless it is within this absolute amount (for metrics near 0).
    pub tolerance_abs: f64,
}

impl MetricBaseline {
    /// A new baseline for `key` at `value` with the default tolerance
    /// (failed tenants: none more).
    pub fn new(key: &str, value: f64) -> Self {
        MetricBaseline {
            value,
            tolerance_pct: if key == "failed_tenants" {
                0.0
            } else {
                DEFAULT_TOLERANCE_PCT
            },
            tolerance_abs: 0.0,
        }
    }

    /// The highest value that still passes.
    pub fn limit(&self) -> f64 {
        self.value + (self.value.abs() * self.tolerance_pct / 100.0).max(self.tolerance_abs)
    }
}

/// A scenario's baseline: what it measured, for which scenario contents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioBaseline {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The georestore that wrote it ([`tool_version`]).
    pub tool_version: String,
    /// How to read the file.
    pub about: String,
    /// The scenario's `name`.
    pub scenario: String,
    /// The scenario's digest: another digest means the scenario changed.
    pub scenario_digest: String,
    /// The strategy that was run.
    pub strategy: String,
    /// The first seed.
    pub seed: u64,
    /// The number of runs (metrics are means over them).
    pub runs: u32,
    /// Metric key -> recorded value and tolerance.
    pub metrics: BTreeMap<String, MetricBaseline>,
}

impl ScenarioBaseline {
    /// A baseline of `m`, keeping the tolerances `old` has for its metrics.
    pub fn of(m: &super::metrics::Measured, old: Option<&ScenarioBaseline>) -> Self {
        let metrics = m
            .metrics
            .iter()
            .map(|(k, &v)| {
                let mut b = MetricBaseline::new(k, v);
                if let Some(o) = old.and_then(|o| o.metrics.get(k)) {
                    b.tolerance_pct = o.tolerance_pct;
                    b.tolerance_abs = o.tolerance_abs;
                }
                (k.clone(), b)
            })
            .collect();
        ScenarioBaseline {
            format_version: FORMAT_VERSION,
            tool_version: tool_version(),
            about: SCENARIO_ABOUT.to_owned(),
            scenario: m.scenario.clone(),
            scenario_digest: m.digest.clone(),
            strategy: m.strategy.clone(),
            seed: m.seed,
            runs: m.runs,
            metrics,
        }
    }

    fn check(&self, path: &Path) -> Result<()> {
        for (k, m) in &self.metrics {
            let ok = m.value.is_finite()
                && m.tolerance_pct.is_finite()
                && m.tolerance_pct >= 0.0
                && m.tolerance_abs.is_finite()
                && m.tolerance_abs >= 0.0;
            if !ok {
                bail!(
                    "{}: metrics.{k}: value, tolerance_pct and tolerance_abs must be finite numbers, the tolerances at least 0; fix the file or rewrite it with `georestore bench-gate --update`",
                    path.display()
                );
            }
        }
        Ok(())
    }
}

/// The engine's workload, as recorded (a change of workload needs a new
/// floor).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedWorkload {
    /// Events per loop.
    pub events: u64,
    /// Events pending at any time.
    pub pending: u64,
    /// Interleaved repetitions (pairs) per measurement.
    pub repetitions: u32,
}

/// The floor of one build profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileFloor {
    /// The gate fails below this ratio.
    pub floor: f64,
    /// The ratio measured when the floor was set.
    pub measured: f64,
    /// `floor` = `measured` * (1 - margin_pct / 100).
    pub margin_pct: f64,
}

impl ProfileFloor {
    /// A floor `margin_pct` below `measured` (two decimals, rounded down).
    pub fn new(measured: f64, margin_pct: f64) -> Self {
        ProfileFloor {
            floor: (measured * (1.0 - margin_pct / 100.0) * 100.0).floor() / 100.0,
            measured: (measured * 1000.0).round() / 1000.0,
            margin_pct,
        }
    }
}

/// `engine-speed.json`: a floor per build profile (`debug`, `release`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedBaseline {
    /// [`FORMAT_VERSION`].
    pub format_version: u32,
    /// The georestore that wrote it last.
    pub tool_version: String,
    /// How to read the file.
    pub about: String,
    /// The workload the floors are for.
    pub workload: SpeedWorkload,
    /// Profile -> floor.
    pub profiles: BTreeMap<String, ProfileFloor>,
}

impl SpeedBaseline {
    /// `old` (or an empty file) with `profile`'s floor set from `measured`,
    /// keeping its margin; a changed workload drops the other profiles'
    /// floors (they were for another workload).
    pub fn with(
        old: Option<&SpeedBaseline>,
        workload: SpeedWorkload,
        profile: &str,
        measured: f64,
    ) -> Self {
        let mut profiles = old
            .filter(|o| o.workload == workload)
            .map(|o| o.profiles.clone())
            .unwrap_or_default();
        let margin = profiles
            .get(profile)
            .map_or(DEFAULT_MARGIN_PCT, |p| p.margin_pct);
        profiles.insert(profile.to_owned(), ProfileFloor::new(measured, margin));
        SpeedBaseline {
            format_version: FORMAT_VERSION,
            tool_version: tool_version(),
            about: SPEED_ABOUT.to_owned(),
            workload,
            profiles,
        }
    }

    fn check(&self, path: &Path) -> Result<()> {
        for (name, p) in &self.profiles {
            let ok = p.floor.is_finite()
                && p.floor >= 0.0
                && p.margin_pct.is_finite()
                && (0.0..100.0).contains(&p.margin_pct);
            if !ok {
                bail!(
                    "{}: profiles.{name}: floor must be a finite number at least 0 and margin_pct between 0 and 100; fix the file or rewrite it with `georestore bench-gate --update`",
                    path.display()
                );
            }
        }
        Ok(())
    }
}

/// The baseline file of the scenario at `scenario_path` in `dir`:
/// `<dir>/<file stem>.json`.
pub fn scenario_file(dir: &Path, scenario_path: &Path) -> Result<PathBuf> {
    let stem = scenario_path
        .file_stem()
        .and_then(|s| s.to_str())
        .ok_or_else(|| {
            anyhow!(
                "{}: a scenario file needs a UTF-8 file name (its baseline is named after it)",
                scenario_path.display()
            )
        })?;
    if format!("{stem}.json") == ENGINE_SPEED_FILE {
        bail!(
            "{}: its baseline would be {ENGINE_SPEED_FILE}, the engine's floors; rename the scenario file",
            scenario_path.display()
        );
    }
    Ok(dir.join(format!("{stem}.json")))
}

/// Reads a baseline file: `None` when it does not exist; an error naming
/// the file and the fix when it is not a baseline of this format.
pub fn read<T: DeserializeOwned + Checked>(path: &Path) -> Result<Option<T>> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e).with_context(|| format!("reading {}", path.display())),
    };
    let rewrite = "rewrite it with `georestore bench-gate --update`";
    let value: serde_json::Value = serde_json::from_str(&text)
        .with_context(|| format!("{}: not valid JSON; {rewrite}", path.display()))?;
    let version = value
        .get("format_version")
        .and_then(serde_json::Value::as_u64);
    if version != Some(u64::from(FORMAT_VERSION)) {
        let found = version.map_or_else(
            || "no format_version".to_owned(),
            |v| format!("format_version {v}"),
        );
        bail!(
            "{}: {found}, but this georestore reads format_version {FORMAT_VERSION}; {rewrite} (or use the georestore that wrote it)",
            path.display()
        );
    }
    let parsed: T = serde_json::from_value(value).with_context(|| {
        format!(
            "{}: not a baseline file of this kind; {rewrite}",
            path.display()
        )
    })?;
    parsed.check(path)?;
    Ok(Some(parsed))
}

/// Writes `value` as pretty JSON with a final newline, creating the
/// directory.
pub fn write<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut text = serde_json::to_string_pretty(value)?;
    text.push('\n');
    std::fs::write(path, text).with_context(|| format!("writing {}", path.display()))
}

/// Files whose numbers are checked after parsing.
pub trait Checked {
    /// An error naming `path`, the key and the fix for a value out of range.
    fn check(&self, path: &Path) -> Result<()>;
}

impl Checked for ScenarioBaseline {
    fn check(&self, path: &Path) -> Result<()> {
        ScenarioBaseline::check(self, path)
    }
}

impl Checked for SpeedBaseline {
    fn check(&self, path: &Path) -> Result<()> {
        SpeedBaseline::check(self, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_is_the_larger_of_the_two_tolerances() {
        let m = MetricBaseline {
            value: 1000.0,
            tolerance_pct: 1.0,
            tolerance_abs: 0.0,
        };
        assert_eq!(m.limit(), 1010.0);
        let m = MetricBaseline {
            value: 0.0,
            tolerance_pct: 1.0,
            tolerance_abs: 2.0,
        };
        assert_eq!(m.limit(), 2.0);
        assert_eq!(MetricBaseline::new("failed_tenants", 3.0).limit(), 3.0);
    }

    #[test]
    fn a_floor_is_its_margin_below_the_measurement() {
        let p = ProfileFloor::new(1.0, 40.0);
        assert_eq!(p.floor, 0.6);
        assert_eq!(ProfileFloor::new(1.239, 25.0).floor, 0.92);
    }
}
