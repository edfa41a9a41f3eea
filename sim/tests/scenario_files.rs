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
fn whole_numbers_are_refused_with_the_range_the_scenario_accepts() {
    // Wrong type: the range in words is the scenario's, not u32's or u8's.
    let e = error(&format!("runs = \"three\"\n{BASE}"));
    assert_eq!((e.key.as_str(), e.line), ("runs", Some(1)));
    assert!(
        e.message
            .contains("a whole number from 1 to 1000, found the text \"three\""),
        "{e}"
    );
    assert!(!e.to_string().contains("4294967295"), "{e}");
    assert!(e.fix.contains("from 1 to 1000"), "{e}");
    let knob = |v: &str| {
        error(&format!(
            "{BASE}\n[strategy]\nname = \"critical-first\"\ncritical_share_pct = {v}\n"
        ))
    };
    let e = knob("\"most\"");
    assert_eq!(e.key, "strategy.critical_share_pct");
    assert!(e.message.contains("a whole number from 1 to 100"), "{e}");
    assert!(!e.to_string().contains("255"), "{e}");
    // In the type's range, out of the scenario's: refused, not clamped.
    for bad in ["0", "101", "200"] {
        let e = knob(bad);
        assert_eq!(e.key, "strategy.critical_share_pct", "{bad}");
        assert_eq!(e.line, Some(8), "{bad}");
        assert!(e.message.contains(&format!("is {bad}")), "{e}");
        assert!(e.fix.contains("from 1 to 100"), "{e}");
    }
    for good in ["1", "100"] {
        let text =
            format!("{BASE}\n[strategy]\nname = \"critical-first\"\ncritical_share_pct = {good}\n");
        parse(&text, "ok.toml", &scenarios_dir()).expect(good);
    }
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

#[test]
fn poll_intervals_under_one_second_are_refused() {
    for key in ["lro_poll_interval_s", "server_poll_interval_s"] {
        let e = error(&format!("{BASE}\n[strategy]\n{key} = 0.001\n"));
        assert_eq!(e.key, format!("strategy.{key}"));
        assert_eq!(e.line, Some(7), "{e}");
        assert!(e.fix.contains("[1, 86400]"), "{e}");
    }
    let ok = format!("{BASE}\n[strategy]\nlro_poll_interval_s = 1\nserver_poll_interval_s = 1\n");
    assert!(parse(&ok, "ok.toml", &scenarios_dir()).is_ok());
}

#[test]
fn fleets_over_the_models_database_limits_are_refused_at_load() {
    // A generated pool over an overridden per-pool limit (the reviewer's cap.toml).
    let e = error(
        "name = \"cap\"\n[model]\nmax_databases_per_pool = 10\n[fleet.generate]\ntenants = 200\ndatabases_per_pool = 50\npools_per_server = 2\n",
    );
    assert_eq!(e.key, "fleet.generate.databases_per_pool");
    assert_eq!(e.line, Some(6), "{e}");
    assert!(e.message.contains("DatabaseLimitReached"), "{e}");
    assert!(e.fix.contains("<= 10"), "{e}");
    // A generated server over the default 5,000 (srv.toml).
    let e = error(
        "name = \"srv\"\n[fleet.generate]\ntenants = 6000\ndatabases_per_pool = 500\npools_per_server = 12\n",
    );
    assert_eq!(e.key, "fleet.generate.pools_per_server");
    assert_eq!(e.line, Some(5), "{e}");
    assert!(e.message.contains("5000"), "{e}");
    // A fleet file: the wingtip demo's 20 databases in one pool, one server.
    let e = error(&format!("{BASE}\n[model]\nmax_databases_per_pool = 10\n"));
    assert_eq!(e.key, "fleet.file");
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.message.contains("Pool1"), "{e}");
    let e = error(&format!("{BASE}\n[model]\nmax_databases_per_server = 15\n"));
    assert_eq!(e.key, "fleet.file");
    assert!(e.message.contains("tenants1-dpt-user1"), "{e}");
    // New tenants beyond what the new-tenant pool takes.
    let e = error(&format!(
        "{BASE}\n[disaster]\nnew_tenants = {{ count = 600, per_hour = 60.0 }}\n"
    ));
    assert_eq!(e.key, "disaster.new_tenants.count");
    assert_eq!(e.line, Some(7), "{e}");
}

#[test]
fn scenario_times_must_fall_within_the_run_horizon() {
    // late.toml: a repatriation 10,000,000 s (115 days) in.
    let e = error(&format!("{BASE}\n[disaster]\nrepatriate_at_s = 10000000\n"));
    assert_eq!(e.key, "disaster.repatriate_at_s");
    assert_eq!(e.line, Some(7), "{e}");
    assert!(e.message.contains("horizon"), "{e}");
    let e = error(&format!("{BASE}\n[disaster]\ncancel_at_s = 7776000\n"));
    assert_eq!(e.key, "disaster.cancel_at_s");
    // nt.toml: 2,200 sign-ups at one per hour from 1 h end after 90 days
    // (the pool limit is raised so that the count alone is not the problem).
    let e = error(&format!(
        "{BASE}\n[model]\nmax_databases_per_pool = 5000\n[disaster]\nnew_tenants = {{ count = 2200, per_hour = 1.0, first_at_s = 3600 }}\n"
    ));
    assert_eq!(e.key, "disaster.new_tenants");
    assert_eq!(e.line, Some(9), "{e}");
    assert!(e.message.contains("horizon"), "{e}");
    let e = error(&format!(
        "{BASE}\n[disaster]\nnew_tenants = {{ count = 2, per_hour = 0.001 }}\n"
    ));
    assert_eq!(e.key, "disaster.new_tenants.per_hour");
    assert!(e.fix.contains("0.01"), "{e}");
    let e = error(&format!(
        "{BASE}\n[disaster]\nnew_tenants = {{ count = 2, per_hour = 10.0, first_at_s = 1e12 }}\n"
    ));
    assert_eq!(e.key, "disaster.new_tenants.first_at_s");
    // Inside the horizon is fine.
    let ok = format!(
        "{BASE}\n[disaster]\nnew_tenants = {{ count = 20, per_hour = 0.01, first_at_s = 0 }}\n"
    );
    assert!(parse(&ok, "ok.toml", &scenarios_dir()).is_ok());
}

#[test]
fn seed_model_registers_every_fleet_database_as_recoverable_in_the_origin() {
    let scenario = sim::scenario::load(&scenarios_dir().join("wingtip-demo.toml")).expect("loads");
    let settings = scenario.settings(scenario.file.seed);
    let (model, ctx) = sim::runner::seed_model(&scenario.fleet, &settings).expect("seeds");
    assert_eq!(ctx.subscription, scenario.fleet.subscription);
    assert_eq!(ctx.origin_location, scenario.fleet.origin_region);
    assert_eq!(ctx.recovery_location, scenario.fleet.recovery_region);
    assert_eq!(model.now_ms(), 0);
    let catalog = &scenario.fleet.catalog;
    assert!(model.database(&catalog.server, &catalog.database).is_some());
    assert!(!scenario.fleet.databases.is_empty());
    for db in &scenario.fleet.databases {
        let server = &scenario.fleet.servers[db.server.0 as usize].name;
        assert!(
            model.source_backup_age_ms(server, &db.name).is_some(),
            "{server}/{} is not recoverable",
            db.name
        );
        assert_eq!(model.server_region(server), Some(sim::Region::Origin));
    }
}
