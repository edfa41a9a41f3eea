//! `georestore bench-gate` in a real process: it passes on the checked-in
//! baselines, fails (exit 1, naming the metric) on a worse strategy, on a
//! baseline that claims better than possible and on an engine below its
//! floor, reports a changed scenario as changed (not as a regression), and
//! `--update` writes files that then pass, printing old -> new. The
//! scenarios are the small ones (wingtip-demo, cancel-midway: under a
//! second each unoptimized); the engine is timed only where it is judged.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const DEMO: &str = "scenarios/wingtip-demo.toml";
const CANCEL: &str = "scenarios/cancel-midway.toml";
const SKIP_SPEED: &str = "--skip-engine-speed";

fn georestore(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_georestore"))
        .arg("bench-gate")
        .args(args)
        .output()
        .expect("run georestore")
}

/// stdout of a run that must pass.
fn passes(args: &[&str]) -> String {
    let out = georestore(args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{args:?} failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// (stdout, stderr) of a run that must fail with exit code 1.
fn fails(args: &[&str]) -> (String, String) {
    let out = georestore(args);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{args:?}:\n{stdout}\n{stderr}");
    (stdout, stderr)
}

fn baseline_of(dir: &Path, name: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join(format!("{name}.json"))).expect("baseline");
    serde_json::from_str(&text).expect("baseline JSON")
}

fn write_json(path: &Path, value: &serde_json::Value) {
    std::fs::write(path, serde_json::to_string_pretty(value).expect("json")).expect("write");
}

fn checked_in() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/baseline")
}

// The engine's timing is left to `.ci/run`'s gate step, alone on the
// machine: timed here it would share two cores with the other tests.
#[test]
fn the_checked_in_baselines_pass() {
    let out = passes(&[DEMO, CANCEL, SKIP_SPEED]);
    assert!(
        out.contains(
            "wingtip-demo (scenarios/wingtip-demo.toml) | strategy wingtip | seed 1 | 1 run | PASS"
        ),
        "{out}"
    );
    assert!(out.contains("cancel finished"), "{out}");
    assert!(out.contains("bench-gate PASS: 2 scenarios"), "{out}");
    assert!(!out.contains("REGRESSED"), "{out}");
}

#[test]
fn a_worse_strategy_fails_naming_the_metric() {
    // cancel-midway's baseline is priority-pacing's; wingtip brings premium
    // tenants back later.
    let (out, err) = fails(&["--strategy", "wingtip", CANCEL, SKIP_SPEED]);
    assert!(
        out.contains("strategy wingtip (baseline: priority-pacing)"),
        "{out}"
    );
    assert!(out.contains("REGRESSED"), "{out}");
    assert!(out.contains("bench-gate FAIL"), "{out}");
    assert!(
        err.contains("bench-gate failed: cancel-midway: premium p95 (tiers.premium.p95_s)")
            && err.contains("above the limit"),
        "{err}"
    );
}

#[test]
fn update_writes_baselines_that_pass_and_prints_the_diff() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().display().to_string();
    // A baseline made with a better strategy than the scenario's own ...
    let out = passes(&[
        "--baseline",
        &base,
        "--update",
        "--strategy",
        "fast-lane",
        DEMO,
        SKIP_SPEED,
    ]);
    assert!(out.contains("wingtip-demo.json: created"), "{out}");
    assert!(!dir.path().join("engine-speed.json").exists());
    let written = baseline_of(dir.path(), "wingtip-demo");
    assert_eq!(written["format_version"], 1);
    assert_eq!(written["strategy"], "fast-lane");
    assert!(written["metrics"]["makespan_s"]["value"].as_f64().is_some());
    // ... fails the scenario's strategy, naming what got worse.
    let (out, err) = fails(&["--baseline", &base, DEMO, SKIP_SPEED]);
    assert!(
        out.contains("strategy wingtip (baseline: fast-lane)"),
        "{out}"
    );
    assert!(err.contains("wingtip-demo: makespan (makespan_s)"), "{err}");
    // Re-baselined on purpose: the diff says old -> new, then it passes.
    let out = passes(&["--baseline", &base, "--update", DEMO, SKIP_SPEED]);
    assert!(out.contains("wingtip-demo.json: updated"), "{out}");
    assert!(out.contains("strategy fast-lane -> wingtip"), "{out}");
    assert!(
        out.contains("makespan 1.364 h -> 1.783 h (+30.75 %)"),
        "{out}"
    );
    let out = passes(&["--baseline", &base, DEMO, SKIP_SPEED]);
    assert!(out.contains("| PASS"), "{out}");
    let out = passes(&["--baseline", &base, "--update", DEMO, SKIP_SPEED]);
    assert!(out.contains("wingtip-demo.json: unchanged"), "{out}");
}

#[test]
fn a_baseline_better_than_possible_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut b = baseline_of(&checked_in(), "wingtip-demo");
    // Below the lower bound: no strategy can get there.
    b["metrics"]["makespan_s"]["value"] = serde_json::json!(3600.0);
    b["metrics"]["makespan_over_lower_bound"]["value"] = serde_json::json!(0.7);
    write_json(&dir.path().join("wingtip-demo.json"), &b);
    let base = dir.path().display().to_string();
    let (out, err) = fails(&["--baseline", &base, DEMO, SKIP_SPEED]);
    assert!(out.contains("below the lower bound"), "{out}");
    assert!(
        err.contains("makespan (makespan_s) 1.000 h -> 1.783 h"),
        "{err}"
    );
}

#[test]
fn a_changed_scenario_is_reported_as_changed_not_as_a_regression() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fleet = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fleets/wingtip-demo.toml");
    let text = std::fs::read_to_string(DEMO).expect("scenario");
    let changed = text
        .replace(
            "file = \"fleets/wingtip-demo.toml\"",
            &format!("file = {:?}", fleet.display().to_string()),
        )
        .replace("contention = 0.2", "contention = 0.6");
    assert_ne!(text, changed);
    let scenario = dir.path().join("wingtip-demo.toml");
    std::fs::write(&scenario, changed).expect("write");
    let scenario = scenario.display().to_string();
    let (out, err) = fails(&[&scenario, SKIP_SPEED]);
    assert!(
        out.contains("SCENARIO CHANGED - re-baseline with --update"),
        "{out}"
    );
    assert!(out.contains("not judged (scenario changed)"), "{out}");
    assert!(!out.contains("REGRESSED"), "{out}");
    assert!(
        err.contains("wingtip-demo: scenario changed")
            && err.contains("re-baseline with `georestore bench-gate --update`"),
        "{err}"
    );
}

#[test]
fn an_engine_below_its_floor_fails_and_bad_files_are_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let base = dir.path().display().to_string();
    std::fs::copy(
        checked_in().join("wingtip-demo.json"),
        dir.path().join("wingtip-demo.json"),
    )
    .expect("copy");
    let mut speed = baseline_of(&checked_in(), "engine-speed");
    for profile in ["debug", "release"] {
        speed["profiles"][profile] =
            serde_json::json!({ "floor": 1000.0, "measured": 1500.0, "margin_pct": 30.0 });
    }
    let speed_file = dir.path().join("engine-speed.json");
    write_json(&speed_file, &speed);
    let (out, err) = fails(&["--baseline", &base, DEMO]);
    assert!(out.contains("< floor 1000.00: BELOW FLOOR"), "{out}");
    assert!(
        out.contains(
            "wingtip-demo (scenarios/wingtip-demo.toml) | strategy wingtip | seed 1 | 1 run | PASS"
        ),
        "{out}"
    );
    assert!(
        err.contains("engine speed: ratio") && err.contains("floor 1000.00"),
        "{err}"
    );

    // A file of another format, and one that is not JSON: named, with the fix.
    speed["format_version"] = serde_json::json!(2);
    write_json(&speed_file, &speed);
    let (_, err) = fails(&["--baseline", &base, DEMO]);
    assert!(
        err.contains("engine-speed.json: format_version 2, but this georestore reads format_version 1; rewrite it with `georestore bench-gate --update`"),
        "{err}"
    );
    std::fs::write(dir.path().join("wingtip-demo.json"), "{ not json").expect("write");
    let (_, err) = fails(&["--baseline", &base, DEMO, SKIP_SPEED]);
    assert!(
        err.contains("wingtip-demo.json: not valid JSON; rewrite it"),
        "{err}"
    );
}

#[test]
fn the_github_actions_example_is_yaml_that_runs_the_gate() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/github-actions/bench-gate.yml");
    let text = std::fs::read_to_string(&path).expect("workflow");
    let doc: serde_norway::Value = serde_norway::from_str(&text).expect("workflow is YAML");
    let steps = doc["jobs"]["bench-gate"]["steps"]
        .as_sequence()
        .expect("jobs.bench-gate.steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(
        runs.iter()
            .any(|r| r.contains("georestore bench-gate --baseline")),
        "{runs:?}"
    );
    assert!(doc["on"].is_mapping(), "triggers");
}
