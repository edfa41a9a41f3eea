//! Golden tests: `georestore plan` on the shipped demo fleet, per strategy,
//! byte for byte. After an intended change, bless the new output with
//! `UPDATE_GOLDEN=1 cargo test --test plan_golden` and review the diff.

use std::path::PathBuf;
use std::process::Command;

const FLEET: &str = "scenarios/fleets/wingtip-demo.toml";

fn plan(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .arg("plan")
        .arg(FLEET)
        .args(args)
        .output()
        .expect("run georestore");
    assert!(
        output.status.success(),
        "plan failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8 output")
}

fn check(name: &str, args: &[&str]) {
    let actual = plan(args);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("missing {}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        actual == expected,
        "plan output differs from {}; rerun with UPDATE_GOLDEN=1 and review the diff",
        path.display()
    );
}

#[test]
fn plan_wingtip() {
    check("plan-wingtip.txt", &["--strategy", "wingtip"]);
}

#[test]
fn plan_wingtip_batched() {
    check(
        "plan-wingtip-batched.txt",
        &["--strategy", "wingtip-batched"],
    );
}

#[test]
fn plan_priority_pacing() {
    check(
        "plan-priority-pacing.txt",
        &["--strategy", "priority-pacing"],
    );
}

#[test]
fn plan_size_aware() {
    check("plan-size-aware.txt", &["--strategy", "size-aware"]);
}

#[test]
fn plan_fast_lane() {
    check("plan-fast-lane.txt", &["--strategy", "fast-lane"]);
}

#[test]
fn plan_with_repatriation_of_changed_tenants() {
    check(
        "plan-repatriate-all-changed.txt",
        &["--repatriate", "--all-changed"],
    );
}

#[test]
fn plan_json_is_valid_and_complete() {
    let text = plan(&["--json"]);
    let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(value["tenants"], 20);
    assert_eq!(value["online_in_recovery"], 20);
    assert_eq!(value["phase"], "Recovered");
    let commands = value["commands"].as_array().expect("commands");
    let restores = commands
        .iter()
        .filter(|c| c["action"]["type"] == "restore_database")
        .count();
    assert_eq!(restores, 20);
}

#[test]
fn unknown_strategy_is_explained() {
    let output = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["plan", FLEET, "--strategy", "fastest"])
        .output()
        .expect("run georestore");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("invalid value 'fastest'"), "{stderr}");
    assert!(stderr.contains("priority-pacing"), "{stderr}");
}
