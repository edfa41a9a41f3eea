//! `georestore schema scenario|fleet`: every shipped scenario and fleet
//! file is valid against its schema, and bad values are refused by it
//! (an unknown strategy, zeros and negatives where the loader wants 1 or
//! more).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn schema(kind: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .arg("schema")
        .args(kind)
        .output()
        .expect("run georestore");
    assert!(out.status.success(), "{out:?}");
    serde_json::from_slice(&out.stdout).expect("schema is JSON")
}

fn validator(kind: &str) -> jsonschema::Validator {
    jsonschema::validator_for(&schema(&[kind])).expect("a valid JSON Schema")
}

/// A TOML file as JSON.
fn json_of(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read");
    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn tomls(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance).map(|e| e.to_string()).collect()
}

#[test]
fn the_default_is_the_scenario_schema() {
    assert_eq!(schema(&[]), schema(&["scenario"]));
    assert_ne!(schema(&["fleet"]), schema(&["scenario"]));
}

#[test]
fn every_shipped_file_is_valid() {
    let scenarios = validator("scenario");
    let fleets = validator("fleet");
    let (s, f) = (tomls("scenarios"), tomls("scenarios/fleets"));
    assert!(s.len() >= 8 && !f.is_empty(), "{s:?} {f:?}");
    for (files, v) in [(&s, &scenarios), (&f, &fleets)] {
        for path in files {
            let e = errors(v, &json_of(path));
            assert!(e.is_empty(), "{}: {e:?}", path.display());
        }
    }
}

/// `base` with `value` at `pointer` (created as needed).
fn with(base: &Value, pointer: &[&str], value: Value) -> Value {
    let mut out = base.clone();
    let mut at = &mut out;
    for key in &pointer[..pointer.len() - 1] {
        at = match key.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => at
                .as_object_mut()
                .expect("object")
                .entry(key.to_string())
                .or_insert(json!({})),
        };
    }
    let last = pointer[pointer.len() - 1];
    match last.parse::<usize>() {
        Ok(i) => at[i] = value,
        Err(_) => {
            at[last] = value;
        }
    }
    out
}

#[test]
fn bad_scenario_values_are_refused() {
    let v = validator("scenario");
    let base = json_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/saas-1k.toml"));
    assert!(errors(&v, &base).is_empty());
    let names = scheduler::strategy::STRATEGY_NAMES;
    for name in names {
        let ok = with(&base, &["strategy", "name"], json!(name));
        assert!(errors(&v, &ok).is_empty(), "{name}");
    }
    for (pointer, bad) in [
        (&["strategy", "name"][..], json!("fastest")),
        (&["runs"], json!(0)),
        (&["runs"], json!(1001)),
        (&["runs"], json!(-1)),
        (&["fleet", "generate", "tenants"], json!(0)),
        (&["fleet", "generate", "databases_per_pool"], json!(501)),
        (&["fleet", "generate", "pools_per_server"], json!(0)),
        (&["fleet", "generate", "routing"], json!("dns")),
        (&["model", "arm_writes", "capacity"], json!(0)),
        (&["model", "pool_restore_slots"], json!(0)),
        (&["model", "restore_cap_ms"], json!(0)),
        (&["model", "restore_sigma"], json!(11)),
        (&["strategy", "lro_poll_interval_s"], json!(0.5)),
    ] {
        let instance = with(&base, pointer, bad.clone());
        assert!(
            !errors(&v, &instance).is_empty(),
            "{pointer:?} = {bad} accepted"
        );
    }
}

#[test]
fn bad_fleet_values_are_refused() {
    let v = validator("fleet");
    let base =
        json_of(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/fleets/wingtip-demo.toml"));
    assert!(errors(&v, &base).is_empty());
    assert!(base["pools"][0]["dtu"].is_number(), "{}", base["pools"][0]);
    for (pointer, bad) in [
        (&["routing"][..], json!("dns")),
        (&["pools", "0", "dtu"], json!(0)),
        (&["tiers"], json!([{ "name": "gold", "weight": 0 }])),
        (&["tiers"], json!([])),
        (&["databases", "0", "size_gb"], json!(-1)),
        (&["databases", "0", "sise_gb"], json!(1)),
    ] {
        let instance = with(&base, pointer, bad.clone());
        assert!(
            !errors(&v, &instance).is_empty(),
            "{pointer:?} = {bad} accepted"
        );
    }
}
