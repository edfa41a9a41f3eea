//! `georestore loadtest` on the demo estate: the restore-submission window
//! (ARM writes from the first geo-restore PUT to the last, against the
//! write bucket's refill) is reported for the driver and the simulator, and
//! the simulator's figures agree with `georestore simulate --json`.

mod common;

use serde_json::Value;

const DEMO: &str = "scenarios/wingtip-demo.toml";

fn json_of(args: &[&str]) -> Value {
    let out = common::succeeds(args);
    serde_json::from_slice(&out.stdout).expect("JSON on stdout")
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

fn u(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// The window's figures hang together: a positive length, at least one
/// write per restore PUT, the rate and shares from the counts.
fn check_window(who: &str, w: &Value, refill: f64, capacity: f64) {
    assert!(f(&w["window_h"]) > 0.0, "{who}: {w}");
    assert!(u(&w["restore_puts"]) >= 20, "{who}: 20 tenants: {w}");
    assert!(u(&w["writes"]) >= u(&w["restore_puts"]), "{who}: {w}");
    let seconds = f(&w["last_s"]) - f(&w["first_s"]);
    assert!(close(seconds / 3600.0, f(&w["window_h"])), "{who}: {w}");
    let rate = u(&w["writes"]) as f64 / seconds;
    assert!(rate > 0.0, "{who}: {w}");
    assert!(close(f(&w["writes_per_s"]), rate), "{who}: {w}");
    assert!(close(f(&w["share_of_refill"]), rate / refill), "{who}: {w}");
    let accepted = (u(&w["writes"]) - u(&w["throttled_writes"])) as f64;
    let beyond = (accepted - capacity).max(0.0) / seconds / refill;
    assert!(close(f(&w["share_beyond_capacity"]), beyond), "{who}: {w}");
}

#[test]
fn loadtest_reports_the_write_rate_while_restores_are_submitted() {
    let report = json_of(&["loadtest", DEMO, "--time-scale", "1000", "--json"]);
    let bucket = &report["arm_writes"];
    // The demo scenario keeps ARM's default write bucket.
    assert_eq!(
        (u(&bucket["capacity"]), u(&bucket["refill_per_s"])),
        (200, 10)
    );
    let (d, s) = (&report["driver"], &report["simulator"]);
    check_window("driver", &d["submission"], 10.0, 200.0);
    check_window("simulator", &s["submission"], 10.0, 200.0);
    // The same estate needs the same restores whichever client sends them.
    assert_eq!(
        d["submission"]["restore_puts"], s["submission"]["restore_puts"],
        "{report}"
    );
    for who in [d, s] {
        let share = u(&who["throttled"]) as f64 / u(&who["requests"]) as f64;
        assert!(close(f(&who["throttled_share"]), share), "{who}");
    }

    // The simulator's window against the simulator's own totals.
    let sim = json_of(&["simulate", DEMO, "--json"]);
    let w = &s["submission"];
    let arm = &sim["arm"];
    assert!(u(&w["writes"]) <= u(&arm["writes"]), "{w} vs {arm}");
    assert!(f(&w["last_s"]) <= f(&sim["makespan_s"]), "{w}");
    // Every restore PUT was accepted here (no 429, no refusal), so there
    // are exactly as many as the restores the model accepted.
    assert_eq!(u(&arm["throttled_writes"]), 0, "{arm}");
    assert_eq!(
        u(&w["restore_puts"]),
        u(&sim["restores"]["accepted"]),
        "{w}"
    );
    assert_eq!(u(&w["throttled_writes"]), 0, "{w}");
}
