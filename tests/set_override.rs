//! `--set KEY=VALUE` on `simulate` and `compare`: the value is written into
//! the scenario before it is validated, exactly as if the file said it.

use std::process::{Command, Output};

const SAAS_1K: &str = "scenarios/saas-1k.toml";

fn georestore(dir: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run georestore")
}

fn ok(args: &[&str]) -> serde_json::Value {
    let out = georestore(env!("CARGO_MANIFEST_DIR"), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn refused(args: &[&str]) -> String {
    let out = georestore(env!("CARGO_MANIFEST_DIR"), args);
    assert!(!out.status.success(), "{args:?} was accepted");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_set_value_runs_as_if_the_file_said_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string(format!("{}/{SAAS_1K}", env!("CARGO_MANIFEST_DIR")))
        .expect("read saas-1k");
    let edited = dir.path().join("saas-1k.toml");
    std::fs::write(
        &edited,
        format!("{text}\n[model]\npool_restore_slots = 8\n"),
    )
    .expect("write");
    let from_file = ok(&["simulate", edited.to_str().expect("path"), "--json"]);
    let from_set = ok(&[
        "simulate",
        SAAS_1K,
        "--set",
        "model.pool_restore_slots=8",
        "--json",
    ]);
    let plain = ok(&["simulate", SAAS_1K, "--json"]);
    assert_eq!(from_set["digest"], from_file["digest"]);
    assert_eq!(from_set["makespan_s"], from_file["makespan_s"]);
    assert_ne!(from_set["digest"], plain["digest"]);
    // Twice the restore slots per pool: the estate comes back sooner.
    assert!(from_set["makespan_s"].as_f64() < plain["makespan_s"].as_f64());
}

#[test]
fn compare_checks_a_strategy_knob_against_the_compared_strategies() {
    // saas-1k's own strategy (priority-pacing) has no critical_share_pct;
    // compare runs size-aware and critical-first, and the knob reaches
    // critical-first only.
    let both = |pct: &str| {
        ok(&[
            "compare",
            SAAS_1K,
            "--strategies",
            "size-aware,critical-first",
            "--set",
            &format!("strategy.critical_share_pct={pct}"),
            "--json",
        ])
    };
    let (low, high) = (both("5"), both("100"));
    let row = |v: &serde_json::Value, i: usize| v["strategies"][i]["summary"].clone();
    assert_eq!(row(&low, 0), row(&high, 0), "size-aware took the knob");
    assert_ne!(row(&low, 1), row(&high, 1), "critical-first ignored it");
    let err = refused(&[
        "compare",
        SAAS_1K,
        "--strategies",
        "size-aware",
        "--set",
        "strategy.critical_share_pct=12",
    ]);
    assert!(
        err.contains(
            "--set strategy.critical_share_pct: none of the compared strategies (size-aware) takes it"
        ),
        "{err}"
    );
    // A scheduler setting under [strategy] is not a knob: the knob still
    // reaches critical-first, chosen among the compared strategies.
    let with_setting = ok(&[
        "compare",
        SAAS_1K,
        "--strategies",
        "size-aware,critical-first",
        "--set",
        "strategy.lro_poll_interval_s=20",
        "--set",
        "strategy.critical_share_pct=5",
        "--json",
    ]);
    assert_eq!(with_setting["strategies"].as_array().map(Vec::len), Some(2));
}

#[test]
fn simulate_checks_a_knob_against_the_strategy_flag() {
    // saas-1k's file names priority-pacing; --strategy critical-first takes
    // the knob, and the knob changes its run.
    let run = |pct: &str| {
        ok(&[
            "simulate",
            SAAS_1K,
            "--strategy",
            "critical-first",
            "--set",
            &format!("strategy.critical_share_pct={pct}"),
            "--json",
        ])
    };
    assert_ne!(run("5")["digest"], run("100")["digest"]);
}

#[test]
fn compare_gives_the_same_bytes_on_one_and_two_threads() {
    let run = |threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_georestore"))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("RAYON_NUM_THREADS", threads)
            .args(["compare", SAAS_1K, "--runs", "2", "--json"])
            .output()
            .expect("run georestore");
        assert!(out.status.success());
        out.stdout
    };
    let one = run("1");
    assert!(!one.is_empty());
    assert_eq!(one, run("2"));
}

#[test]
fn bad_sets_are_refused_with_the_fix() {
    let err = refused(&["simulate", SAAS_1K, "--set", "model.pool_restore_slots=4,8"]);
    assert!(err.contains("2 values; --set takes one"), "{err}");
    assert!(err.contains("georestore sweep"), "{err}");
    let err = refused(&["simulate", SAAS_1K, "--set", "model.pool_restore_slots=0"]);
    assert!(
        err.contains("with model.pool_restore_slots=0: key `model.pool_restore_slots`"),
        "{err}"
    );
    let err = refused(&["simulate", SAAS_1K, "--set", "model.pool_restore_slot=8"]);
    assert!(err.contains("unknown field `pool_restore_slot`"), "{err}");
    let err = refused(&["simulate", SAAS_1K, "--set", "nothing"]);
    assert!(err.contains("--set nothing: no `=`"), "{err}");
    // The parser's own fix, not a generic one.
    let err = refused(&["simulate", SAAS_1K, "--set", "runs=5"]);
    assert!(err.contains("fix: give it with --runs N"), "{err}");
    // One value is the whole text after `=`, commas included.
    let out = georestore(
        env!("CARGO_MANIFEST_DIR"),
        &["simulate", SAAS_1K, "--set", "description=a, b", "--json"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let err = refused(&["simulate", SAAS_1K, "--set", "seed=2", "--set", "seed=3"]);
    assert!(err.contains("`seed` is set twice"), "{err}");
}
