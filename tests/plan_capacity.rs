//! `georestore plan-capacity` in a real process, on the 20-tenant Wingtip
//! estate (fast in debug builds): a loose target is met by the cheapest
//! design, a tighter one forces a costlier design, an impossible one is a
//! clear error; the frontier holds no dominated design; the overlay makes
//! `simulate` reproduce the planner's numbers; the thread count changes
//! nothing.

use std::process::{Command, Output};

use serde_json::Value;

const SCENARIO: &str = "scenarios/wingtip-demo.toml";
const RUNS: &str = "4";

fn georestore(args: &[&str], threads: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_georestore"));
    cmd.args(args);
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    cmd.output().expect("run georestore")
}

/// `plan-capacity` over a 4-design grid with `targets`, `--json`.
fn plan(targets: &[&str], extra: &[&str], threads: Option<&str>) -> Output {
    let mut args = vec![
        "plan-capacity",
        SCENARIO,
        "--runs",
        RUNS,
        "--vary",
        "recovery.databases_per_pool=20,5",
        "--vary",
        "strategy=priority-pacing,wingtip",
        "--json",
    ];
    for t in targets {
        args.push("--target");
        args.push(t);
    }
    args.extend_from_slice(extra);
    georestore(&args, threads)
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("json on stdout")
}

fn cost(report: &Value, i: u64) -> f64 {
    report["designs"][i as usize]["outcome"]["cost_mean"]
        .as_f64()
        .expect("cost")
}

fn achieved(report: &Value, i: usize, target: usize) -> f64 {
    report["designs"][i]["outcome"]["targets"][target]["p95_over_runs_s"]
        .as_f64()
        .expect("value")
}

const LOOSE: [&str; 2] = ["premium.p95 <= 1d", "all.max <= 1d"];

#[test]
fn loose_tight_and_impossible_targets_and_the_thread_count() {
    let one = plan(&LOOSE, &[], Some("1"));
    assert!(
        one.status.success(),
        "{}",
        String::from_utf8_lossy(&one.stderr)
    );
    let two = plan(&LOOSE, &[], Some("2"));
    assert_eq!(one.stdout, two.stdout, "the thread count changed the plan");
    let loose = json(&one);
    let designs = loose["designs"].as_array().expect("designs");
    assert_eq!(designs.len(), 4);
    assert_eq!(loose["search"]["total_runs"], 16);
    // A loose target: every design meets it, the cheapest is recommended.
    let rec = loose["recommended"].as_u64().expect("recommended");
    let cheapest = (0..designs.len() as u64)
        .min_by(|&a, &b| cost(&loose, a).total_cmp(&cost(&loose, b)))
        .expect("some design");
    assert_eq!(rec, cheapest);
    assert!(designs.iter().all(|d| d["outcome"]["meets_all"] == true));

    // A bound just below what the cheapest design achieves: a costlier one.
    let cheap_max = achieved(&loose, rec as usize, 1);
    let best_max = (0..designs.len())
        .map(|i| achieved(&loose, i, 1))
        .fold(f64::INFINITY, f64::min);
    assert!(best_max < cheap_max, "some design must be faster");
    let bound = format!("all.max <= {}s", (cheap_max - 1.0).floor());
    let tight = plan(&["premium.p95 <= 1d", &bound], &[], None);
    assert!(
        tight.status.success(),
        "{}",
        String::from_utf8_lossy(&tight.stderr)
    );
    let tight = json(&tight);
    let pick = tight["recommended"].as_u64().expect("recommended");
    assert_ne!(pick, rec);
    assert!(cost(&tight, pick) > cost(&tight, rec));
    assert!(achieved(&tight, pick as usize, 1) < cheap_max);

    // An impossible target: a clear error naming it and the closest design.
    let out = plan(&["all.max <= 1s"], &[], None);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no design in the searched space meets all.max <= 1s; closest is #"),
        "{err}"
    );
    assert!(err.contains("fix:"), "{err}");
    let report = json(&out);
    assert!(report["recommended"].is_null());
    assert!(report["closest"].is_u64());
}

#[test]
fn the_frontier_holds_no_dominated_design() {
    let out = plan(&LOOSE, &[], None);
    assert!(out.status.success());
    let r = json(&out);
    let n = r["designs"].as_array().expect("designs").len();
    let pos = |i: usize| -> Vec<f64> {
        let mut v = vec![cost(&r, i as u64)];
        v.extend((0..2).map(|t| achieved(&r, i, t)));
        v
    };
    let dominates = |a: usize, b: usize| {
        let (pa, pb) = (pos(a), pos(b));
        pa.iter().zip(&pb).all(|(x, y)| x <= y) && (pa != pb || a < b)
    };
    let frontier: Vec<usize> = r["frontier"]
        .as_array()
        .expect("frontier")
        .iter()
        .map(|v| v.as_u64().expect("index") as usize)
        .collect();
    assert!(!frontier.is_empty());
    for &f in &frontier {
        assert!(
            (0..n).all(|j| j == f || !dominates(j, f)),
            "#{f} is dominated"
        );
    }
    for i in (0..n).filter(|i| !frontier.contains(i)) {
        assert!(
            frontier.iter().any(|&f| dominates(f, i)),
            "#{i} is left out but not dominated"
        );
    }
    let costs: Vec<f64> = frontier.iter().map(|&f| cost(&r, f as u64)).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
}

#[test]
fn the_overlay_makes_simulate_reproduce_the_planners_numbers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("design.toml");
    let path = path.to_str().expect("utf-8");
    // all.max below the unsplit pool's 1.59 h forces a split design.
    let out = plan(
        &["premium.p95 <= 1d", "all.max <= 1.5h"],
        &["--overlay", path],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r = json(&out);
    let rec = r["recommended"].as_u64().expect("recommended") as usize;
    let overlay = std::fs::read_to_string(path).expect("overlay written");
    assert!(overlay.contains("databases_per_pool = 5"), "{overlay}");
    let sim = georestore(
        &[
            "simulate",
            SCENARIO,
            "--overlay",
            path,
            "--runs",
            RUNS,
            "--json",
        ],
        None,
    );
    assert!(
        sim.status.success(),
        "{}",
        String::from_utf8_lossy(&sim.stderr)
    );
    let sim = json(&sim);
    let runs = r["designs"][rec]["runs"].as_array().expect("runs");
    let all = sim["all"].as_array().expect("every run");
    assert_eq!(runs.len(), all.len());
    for (planned, simulated) in runs.iter().zip(all) {
        assert_eq!(planned["seed"], simulated["seed"]);
        assert_eq!(planned["makespan_s"], simulated["makespan_s"]);
        assert_eq!(
            planned["values_s"][0], simulated["tiers"]["premium"]["p95_s"],
            "premium p95 of seed {}",
            planned["seed"]
        );
        let tier_max = ["premium", "standard", "free"]
            .iter()
            .filter_map(|t| simulated["tiers"][t]["max_s"].as_f64())
            .fold(0.0, f64::max);
        assert_eq!(planned["values_s"][1].as_f64(), Some(tier_max));
    }
    // Without the overlay, simulate runs the origin-mirror design: other numbers.
    let plain = georestore(&["simulate", SCENARIO, "--runs", RUNS, "--json"], None);
    let plain = json(&plain);
    assert_ne!(plain["all"][0]["makespan_s"], all[0]["makespan_s"]);
}

#[test]
fn bad_targets_knobs_and_overlays_are_refused_with_the_fix() {
    for (args, needle) in [
        (
            vec!["--target", "premium.p95 < 2h"],
            "TIER.METRIC <= DURATION",
        ),
        (vec!["--target", "gold.p95 <= 2h"], "no tier `gold`"),
        (
            vec![
                "--target",
                "all.max <= 1d",
                "--vary",
                "model.pool_restore_slots=8",
            ],
            "Azure's limits",
        ),
        (
            vec![
                "--target",
                "all.max <= 1d",
                "--runs",
                "1000",
                "--budget",
                "10",
            ],
            "above the budget of 10",
        ),
    ] {
        let mut full = vec!["plan-capacity", SCENARIO];
        full.extend(args.iter().copied());
        let out = georestore(&full, None);
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(needle) && err.contains("fix:"),
            "{args:?}: {err}"
        );
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "[model]\npool_restore_slots = 8\n").expect("write");
    let out = georestore(
        &[
            "simulate",
            SCENARIO,
            "--overlay",
            bad.to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("`model` is not a table an overlay sets") && err.contains("fix:"),
        "{err}"
    );
    // The overlay's design names its strategy: another one is refused, not
    // silently run with the design's knobs dropped.
    let out = georestore(
        &[
            "simulate",
            SCENARIO,
            "--overlay",
            bad.to_str().expect("utf-8"),
            "--strategy",
            "wingtip",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("'--overlay <FILE>' cannot be used with '--strategy <STRATEGY>'"),
        "{err}"
    );
}
