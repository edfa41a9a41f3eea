//! Several runs and reports: the summary over runs speaks the single-run
//! table's units and names in its order, seeds are written one way
//! (`seeds 1..=3`), `--report` with `--runs` says which run it details,
//! and `compare --report` writes every strategy's row and report.

mod common;

const DEMO: &str = "scenarios/wingtip-demo.toml";

use common::succeeds as georestore;

fn stdout(args: &[&str]) -> String {
    String::from_utf8_lossy(&georestore(args).stdout).into_owned()
}

/// The position of the first line starting with `name`.
fn line_of(text: &str, name: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(name))
        .unwrap_or_else(|| panic!("no line `{name}` in\n{text}"))
}

#[test]
fn the_summary_over_runs_reads_like_the_single_run_table() {
    let text = stdout(&["simulate", DEMO, "--runs", "3", "--seed", "1"]);
    let at = text.find("over 3 runs (seeds 1..=3):").expect(&text);
    let summary = &text[at..];
    // Machine keys and raw seconds stay in --json.
    assert!(!summary.contains("tiers."), "{summary}");
    assert!(!summary.contains("_s "), "{summary}");
    // The single-run table's tiers, in its order, in hours.
    let single = &text[..at];
    let tiers: Vec<&str> = ["premium", "standard", "free"]
        .into_iter()
        .filter(|t| single.lines().any(|l| l.starts_with(t)))
        .collect();
    assert_eq!(tiers.len(), 3, "{single}");
    let order = [
        "failed tenants",
        "makespan ",
        "makespan lower bound",
        "weighted mean TTO ",
        "weighted mean TTO lower bound",
        "premium p95 ",
        "premium p95 bound",
        "standard p95 ",
        "free p95 ",
        "ARM requests",
        "429s",
        "data-loss window max",
    ];
    let lines: Vec<usize> = order.iter().map(|n| line_of(summary, n)).collect();
    assert!(lines.windows(2).all(|w| w[0] < w[1]), "{summary}");
    for hours in [
        "makespan ",
        "weighted mean TTO ",
        "premium p95 ",
        "free p95 bound",
    ] {
        let line = summary.lines().nth(line_of(summary, hours)).unwrap_or("");
        assert_eq!(line.matches(" h").count(), 3, "{line}");
    }
    // The single-run table says hours the same way.
    assert!(
        single
            .lines()
            .any(|l| l.starts_with("makespan") && l.contains(" h "))
    );
}

#[test]
fn seeds_are_written_one_way_in_every_output() {
    let simulate = stdout(&["simulate", DEMO, "--runs", "2", "--seed", "4"]);
    assert!(simulate.contains("(seeds 4..=5)"), "{simulate}");
    let compare = stdout(&[
        "compare",
        DEMO,
        "--runs",
        "2",
        "--seed",
        "4",
        "--strategies",
        "wingtip",
    ]);
    assert!(
        compare.contains("| seeds 4..=5 (2 runs per strategy"),
        "{compare}"
    );
    let one = stdout(&["compare", DEMO, "--seed", "4", "--strategies", "wingtip"]);
    assert!(one.contains("| seed 4 (1 run)"), "{one}");
    for text in [&simulate, &compare, &one] {
        assert!(!text.contains("4..5"), "{text}");
    }
}

#[test]
fn a_report_of_several_runs_says_which_run_it_details() {
    let dir = tempfile::tempdir().expect("tempdir");
    let report = dir.path().join("r");
    let r = report.display().to_string();
    georestore(&[
        "simulate", DEMO, "--runs", "3", "--seed", "2", "--report", &r,
    ]);
    let md = std::fs::read_to_string(report.join("report.md")).expect("report.md");
    assert!(md.contains("run 1 of 3 (seeds 2..=4)"), "{md}");
    assert!(md.contains("## Over 3 runs (seeds 2..=4)"), "{md}");
    assert!(md.contains("| premium p95 |"), "{md}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(report.join("report.json")).expect("report.json"),
    )
    .expect("json");
    assert_eq!(json["runs"]["count"], 3);
    assert_eq!(json["runs"]["reported_seed"], 2);
    assert_eq!(json["result"]["seed"], 2);
    assert!(json["runs"]["summary"]["makespan_s"]["max"].is_number());
    // One run: no runs section.
    let single = dir.path().join("one");
    let s = single.display().to_string();
    georestore(&["simulate", DEMO, "--seed", "2", "--report", &s]);
    let md = std::fs::read_to_string(single.join("report.md")).expect("report.md");
    assert!(!md.contains("Over"), "{md}");
    let help = stdout(&["simulate", "--help"]);
    assert!(help.contains("first run's"), "{help}");
}

#[test]
fn compare_writes_a_report_with_every_strategy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let d = dir.path().display().to_string();
    let strategies = ["wingtip", "priority-pacing", "fast-lane"];
    georestore(&[
        "compare",
        DEMO,
        "--runs",
        "2",
        "--seed",
        "1",
        "--strategies",
        &strategies.join(","),
        "--report",
        &d,
    ]);
    let md = std::fs::read_to_string(dir.path().join("report.md")).expect("report.md");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("report.json")).expect("report.json"),
    )
    .expect("json");
    assert!(md.contains("seeds 1..=2"), "{md}");
    assert!(md.contains("| lower bound |"), "{md}");
    let listed: Vec<&str> = json["strategies"]
        .as_array()
        .expect("strategies")
        .iter()
        .filter_map(|s| s["strategy"].as_str())
        .collect();
    assert_eq!(listed, strategies);
    for s in strategies {
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| {s} |")))
            .unwrap_or_else(|| panic!("no row for {s} in\n{md}"));
        assert!(row.contains("h ("), "{row}");
        assert!(md.contains(&format!("]({s}/report.md)")), "{md}");
        let own = dir.path().join(s);
        let own_md = std::fs::read_to_string(own.join("report.md")).expect("own report");
        assert!(
            own_md.contains(&format!("Strategy `{s}`, seed 1")),
            "{own_md}"
        );
        assert!(own_md.contains("run 1 of 2"), "{own_md}");
        assert!(own.join("time_to_online_cdf.svg").exists());
    }
}
