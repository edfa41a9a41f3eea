//! `georestore bench-gate`: simulate the scenarios (in parallel: each run
//! is deterministic, so threads change nothing), then time the engine
//! alone, then judge both against the baselines, or rewrite them with
//! `--update`. Exit 1 (through the error) when anything fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use rayon::prelude::*;

use crate::bench_gate::baseline::{self, ENGINE_SPEED_FILE, ScenarioBaseline, SpeedBaseline};
use crate::bench_gate::cli::BenchGateArgs;
use crate::bench_gate::metrics::{Measured, measure};
use crate::bench_gate::report::{GateReport, ScenarioReport, SpeedReport};
use crate::bench_gate::speed::{self, SpeedSample};
use crate::bench_gate::update;

/// The shipped scenarios gated by default: every one the test profile runs
/// in seconds (with the simulator optimized in it, the six small ones
/// together 0.9 s, saas-10k 2.3 s and saas-100k about 7 s on 2 cores).
pub const DEFAULT_SCENARIOS: [&str; 8] = [
    "scenarios/wingtip-demo.toml",
    "scenarios/saas-1k.toml",
    "scenarios/saas-10k.toml",
    "scenarios/saas-100k.toml",
    "scenarios/tight-throttle.toml",
    "scenarios/regional-stampede.toml",
    "scenarios/cancel-midway.toml",
    "scenarios/repatriation.toml",
];

pub fn run(args: &BenchGateArgs) -> Result<()> {
    let paths = scenario_paths(args)?;
    let files = baseline_files(&args.baseline, &paths)?;
    let scenarios = paths
        .iter()
        .map(|p| crate::input::scenario(p))
        .collect::<Result<Vec<_>>>()?;
    let measured = scenarios
        .par_iter()
        .map(|s| {
            let strategy = args.strategy.as_deref().unwrap_or(&s.file.strategy.name);
            measure(s, strategy)
        })
        .collect::<Result<Vec<Measured>>>()?;
    // Timed after the scenarios, so nothing else of ours runs meanwhile.
    let sample = if args.skip_engine_speed {
        None
    } else if args.update {
        Some(speed::measure_for_update().ok_or_else(|| {
            anyhow!("engine speed: the clock gave no usable timing; run again, or pass --skip-engine-speed")
        })?)
    } else {
        Some(speed::measure(speed::REPETITIONS).ok_or_else(|| {
            anyhow!("engine speed: the clock gave no usable timing; run again, or pass --skip-engine-speed")
        })?)
    };
    let speed_file = args.baseline.join(ENGINE_SPEED_FILE);
    if args.update {
        return update_all(
            args,
            &paths,
            &files,
            &measured,
            sample.as_ref(),
            &speed_file,
        );
    }
    let mut reports = Vec::new();
    for ((path, file), now) in paths.iter().zip(&files).zip(&measured) {
        let base: Option<ScenarioBaseline> = baseline::read(file)?;
        reports.push(ScenarioReport::new(path, file, now, base));
    }
    let speed = match sample {
        Some(sample) => {
            let base: Option<SpeedBaseline> = baseline::read(&speed_file)?;
            Some(SpeedReport::new(sample, base.as_ref(), &speed_file))
        }
        None => None,
    };
    let report = GateReport::new(&args.baseline, reports, speed);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", report.text());
    }
    if report.pass {
        Ok(())
    } else {
        let first = report.failures.first().map_or("", String::as_str);
        let more = match report.failures.len() {
            0 | 1 => String::new(),
            n => format!(" (and {} more, listed above)", n - 1),
        };
        bail!("bench-gate failed: {first}{more}")
    }
}

/// The scenario files: the arguments, or [`DEFAULT_SCENARIOS`] (which must
/// be there: run from the repository root).
fn scenario_paths(args: &BenchGateArgs) -> Result<Vec<PathBuf>> {
    if !args.scenarios.is_empty() {
        return Ok(args.scenarios.clone());
    }
    let paths: Vec<PathBuf> = DEFAULT_SCENARIOS.iter().map(PathBuf::from).collect();
    if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
        bail!(
            "{}: not found; without SCENARIO arguments bench-gate runs the shipped scenarios, so run it from the repository root, or name your scenario files",
            missing.display()
        );
    }
    Ok(paths)
}

/// Each scenario's baseline file; two scenarios sharing one are refused.
fn baseline_files(dir: &Path, paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut seen: BTreeMap<PathBuf, &Path> = BTreeMap::new();
    let mut files = Vec::new();
    for p in paths {
        let file = baseline::scenario_file(dir, p)?;
        if let Some(other) = seen.insert(file.clone(), p) {
            bail!(
                "{} and {} would share the baseline {}: give scenario files distinct names, or gate them with different --baseline directories",
                other.display(),
                p.display(),
                file.display()
            );
        }
        files.push(file);
    }
    Ok(files)
}

/// `--update`: every file rewritten, the diff printed.
fn update_all(
    args: &BenchGateArgs,
    paths: &[PathBuf],
    files: &[PathBuf],
    measured: &[Measured],
    sample: Option<&SpeedSample>,
    speed_file: &Path,
) -> Result<()> {
    let mut written = Vec::new();
    for ((path, file), now) in paths.iter().zip(files).zip(measured) {
        written.push(
            update::scenario(file, now)
                .with_context(|| format!("updating the baseline of {}", path.display()))?,
        );
    }
    if let Some(sample) = sample {
        written.push(update::speed(speed_file, sample)?);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&written)?);
    } else {
        for w in &written {
            print!("{}", w.text());
        }
        println!(
            "bench-gate: {} baseline file{} written under {}; review the diff and commit it",
            written.len(),
            if written.len() == 1 { "" } else { "s" },
            args.baseline.display()
        );
    }
    Ok(())
}
