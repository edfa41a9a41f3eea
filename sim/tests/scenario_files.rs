//! Scenario files: every shipped one loads; broken ones are explained with
//! file, line, key and a fix.

use std::path::Path;

use sim::scenario::{ScenarioError, parse};

fn scenarios_dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios")
}

fn error(text: &str) -> ScenarioError {
    match parse(text, "bad.toml", &scenarios_dir()) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

const BASE: &str = "name = \"t\"\n\n[fleet]\nfile = \"fleets/wingtip-demo.toml\"\n";

#[test]
fn every_shipped_scenario_loads() {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(scenarios_dir()).expect("scenarios/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            if let Err(e) = sim::scenario::load(&path) {
                panic!("{e}");
            }
            names.push(path.file_stem().map(|s| s.to_string_lossy().into_owned()));
        }
    }
    for expected in [
        "wingtip-demo",
        "saas-1k",
        "saas-10k",
        "saas-100k",
        "regional-stampede",
        "tight-throttle",
        "cancel-midway",
        "repatriation",
    ] {
        assert!(
            names.contains(&Some(expected.to_owned())),
            "{expected} missing"
        );
    }
}

#[test]
fn unknown_key_names_line_key_and_fix() {
    let e = error(&format!("{BASE}\n[strategy]\nnmae = \"wingtip\"\n"));
    assert_eq!(e.file, "bad.toml");
    assert_eq!(e.line, Some(7), "{e}");
    assert_eq!(e.key, "strategy.nmae");
    assert!(e.fix.contains("name"), "{e}");
    let shown = e.to_string();
    assert!(shown.starts_with("bad.toml:7:"), "{shown}");
    assert!(shown.contains("fix:"), "{shown}");
}

#[test]
fn unknown_strategy_lists_the_choices() {
    let e = error(&format!("{BASE}\n[strategy]\nname = \"fastest\"\n"));
    assert_eq!(e.key, "strategy.name");
    assert_eq!(e.line, Some(7));
    assert!(e.fix.contains("priority-pacing"), "{e}");
}

#[test]
fn model_parameter_out_of_range_points_at_it() {
    let e = error(&format!("{BASE}\n[model]\npool_restore_slots = 0\n"));
    assert_eq!(e.key, "model.pool_restore_slots");
    assert_eq!(e.line, Some(7));
    assert!(!e.fix.is_empty());
}

#[test]
fn wrong_type_and_contradictions_are_explained() {
    let e = error(&format!("{BASE}\n[disaster]\ncontention = \"high\"\n"));
    assert_eq!(e.key, "disaster.contention");
    assert_eq!(e.line, Some(7));
    assert!(e.fix.contains("write"), "{e}");
    let e = error(&format!(
        "{BASE}\n[disaster]\ncancel_at_s = 10\nrepatriate_at_s = 20\n"
    ));
    assert_eq!(e.key, "disaster.repatriate_at_s");
    assert_eq!(e.line, Some(8));
    let e = error("name = \"t\"\n[fleet]\n");
    assert_eq!(e.key, "fleet");
    assert_eq!(e.line, Some(2));
}

#[test]
fn generator_errors_name_the_generator_key() {
    let e = error(
        "name = \"g\"\n[fleet.generate]\ntenants = 10\ndatabases_per_pool = 900\npools_per_server = 1\n",
    );
    assert_eq!(e.key, "fleet.generate.databases_per_pool");
    assert_eq!(e.line, Some(4));
    assert!(e.fix.contains("500"));
}

#[test]
fn schema_describes_the_scenario_file() {
    let schema = sim::scenario::json_schema();
    let value: serde_json::Value = serde_json::from_str(&schema).expect("json");
    let props = &value["properties"];
    for key in ["fleet", "model", "disaster", "strategy", "seed", "runs"] {
        assert!(props.get(key).is_some(), "{key} missing from schema");
    }
}

#[test]
fn a_knob_the_strategy_does_not_take_is_named_with_the_ones_it_does() {
    let e = error(&format!(
        "{BASE}\n[strategy]\nname = \"size-aware\"\nbatch_size = 3\n"
    ));
    assert_eq!(e.key, "strategy.batch_size");
    assert_eq!(e.line, Some(8));
    assert!(e.message.contains("has no knob `batch_size`"), "{e}");
    assert!(e.fix.contains("queue_margin, tail_tiers"), "{e}");
}

#[test]
fn knobs_reach_the_strategy() {
    let base = format!("{BASE}\n[strategy]\nname = \"wingtip-batched\"\n");
    let one = parse(
        &format!("{base}batches_in_flight = 1\nbatch_size = 2\n"),
        "a.toml",
        &scenarios_dir(),
    )
    .expect("valid");
    let default = parse(&base, "b.toml", &scenarios_dir()).expect("valid");
    let slow = sim::simulate::simulate(&one, "wingtip-batched", 1)
        .expect("run")
        .result;
    let fast = sim::simulate::simulate(&default, "wingtip-batched", 1)
        .expect("run")
        .result;
    assert!(
        slow.makespan_s > fast.makespan_s,
        "one batch of 2 in flight must be slower: {} vs {}",
        slow.makespan_s,
        fast.makespan_s
    );
}
