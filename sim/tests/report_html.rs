//! `report.html`: written next to `report.md` by every report, holding
//! every chart of its directory inline (the very bytes of the SVG files),
//! loading nothing (no `src=`, no `http(s)://` other than SVG's
//! namespace, a no-loads Content-Security-Policy), escaping every text
//! from the inputs (a hostile scenario name, description, tier names,
//! failure reasons), and the same bytes for the same inputs.
//!
//! That a browser renders the pages without errors is
//! `tests/report_html_browser.rs` (in the binary's crate).

use std::path::{Path, PathBuf};

use sim::report::comparison::{Comparison, StrategyRuns};
use sim::scenario::Scenario;
use sim::simulate::{simulate_runs_with, summarize_runs};
use sim::sweep::work::items;
use sim::sweep::{Grid, ShardSpec, SweepResult, Vary, run_sample};

mod common;

use common::scenario;

/// A fresh directory for `tag`.
fn fresh(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("georestore-html-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The simulate report of `s` (with `runs` runs) in `dir`.
fn simulate_report(s: &Scenario, runs: u32, dir: &Path) {
    let (first, multi) =
        simulate_runs_with(s, &s.file.strategy.name, s.file.seed, runs, |_| {}).expect("runs");
    sim::report::write_runs(dir, s, &first, Some(&multi)).expect("report");
}

/// Checks what every page must hold: one inline `<svg>` per SVG file of
/// `dir` (each file's content, after its `<svg`, verbatim), no loads of
/// anything, and the no-loads policy.
fn assert_self_contained(dir: &Path, svg_files: &[&str]) -> String {
    let html = read(&dir.join("report.html"));
    assert!(html.starts_with("<!DOCTYPE html>\n"), "{}", &html[..80]);
    assert!(
        html.contains(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;\">"
        ),
        "no Content-Security-Policy"
    );
    assert!(html.contains("<style>") && html.contains("@media print"));
    assert_eq!(
        html.matches("<svg ").count(),
        svg_files.len(),
        "inline charts of {}",
        dir.display()
    );
    for file in svg_files {
        let svg = read(&dir.join(file));
        let body = svg.strip_prefix("<svg").expect("an <svg> document");
        assert!(html.contains(body), "{file} is not inline in report.html");
    }
    for banned in [
        "<img", "<script", "<link", "<iframe", "<object", "src=", "url(", "@import",
    ] {
        assert!(!html.contains(banned), "{banned} in {}", dir.display());
    }
    // The only absolute URL is SVG's namespace (an identifier, never loaded).
    let without_xmlns = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    for scheme in ["http://", "https://", "file:", "//"] {
        assert!(
            !without_xmlns.contains(scheme),
            "{scheme} in {}",
            dir.display()
        );
    }
    html
}

const RUN_CHARTS: [&str; 3] = [
    "time_to_online_cdf.svg",
    "restores_over_time.svg",
    "arm_requests.svg",
];

#[test]
fn a_run_report_holds_its_tables_and_every_chart_inline_and_is_deterministic() {
    let s = scenario("wingtip-demo");
    let (a, b) = (fresh("run-a"), fresh("run-b"));
    simulate_report(&s, 2, &a);
    simulate_report(&s, 2, &b);
    let html = assert_self_contained(&a, &RUN_CHARTS);
    // (Not assert_eq: the pages are 150 kB.)
    assert!(
        html == read(&b.join("report.html")),
        "same inputs, other bytes"
    );
    for needle in [
        "<h1>Simulated recovery: wingtip-demo</h1>",
        "<h2>Over 2 runs (seeds 1..=2)</h2>",
        // Units in the headings, numbers in the cells.
        "<th scope=\"col\">p95 (h)</th>",
        "<th scope=\"col\">value (h)</th>",
        "<td class=\"l\">premium</td>",
        "<h2>Charts</h2>",
    ] {
        assert!(html.contains(needle), "no {needle}");
    }
    assert!(!html.contains(" h</td>"), "a unit in a cell");
    let _ = std::fs::remove_dir_all(&a);
    let _ = std::fs::remove_dir_all(&b);
}

/// A scenario whose every name is markup.
const HOSTILE: &str = r#"
name = "<script>alert('x')</script> & co"
description = "A <b>bold</b> & \"quoted\" description"
seed = 1
runs = 1

[strategy]
name = "priority-pacing"

[fleet.generate]
tenants = 40
databases_per_pool = 10
pools_per_server = 2
standalone_share = 0.05
routing = "catalog"
seed = 7
size_gb = { median_gb = 2.0, sigma = 1.0, max_gb = 50.0 }
tiers = [
  { name = "<svg onload=alert(1)>", weight = 100, share = 0.2 },
  { name = "std&amp;", weight = 1, share = 0.8 },
]
"#;

#[test]
fn names_from_the_inputs_are_escaped_everywhere() {
    let s = sim::scenario::parse(HOSTILE, "hostile.toml", Path::new(".")).expect("scenario");
    let dir = fresh("hostile");
    simulate_report(&s, 1, &dir);
    // Exactly the three charts: the tier named `<svg ...>` is not an element.
    let html = assert_self_contained(&dir, &RUN_CHARTS);
    for needle in [
        "<title>Simulated recovery: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</title>",
        "<h1>Simulated recovery: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</h1>",
        "A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; description",
        "<td class=\"l\">&lt;svg onload=alert(1)&gt;</td>",
        "<td class=\"l\">std&amp;amp;</td>",
    ] {
        assert!(html.contains(needle), "no {needle}");
    }
    // In the charts too (plotters escapes its text).
    assert!(html.contains("&lt;svg onload=alert(1)&gt; ("), "legend");
    assert!(!html.contains("<b>"));
    assert!(!html.contains("onload=alert(1)>"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_comparison_report_has_its_table_and_each_strategy_s_chart_and_report() {
    let s = scenario("wingtip-demo");
    let strategies = ["wingtip", "size-aware"];
    let mut firsts = Vec::new();
    let mut runs = Vec::new();
    for name in strategies {
        let (first, multi) = simulate_runs_with(&s, name, 1, 1, |_| {}).expect("run");
        runs.push(StrategyRuns {
            strategy: name.to_owned(),
            cancelled: false,
            summary: summarize_runs(std::slice::from_ref(&multi.first)),
        });
        firsts.push((first, multi));
    }
    let comparison = Comparison {
        scenario: s.file.name.clone(),
        tenants: s.fleet.databases.len(),
        tiers: s.fleet.tiers.iter().map(|t| t.name.clone()).collect(),
        seed: 1,
        runs: 1,
        strategies: runs,
    };
    let dir = fresh("compare");
    sim::report::comparison::write(&dir, &s, &comparison, &firsts).expect("report");
    // Each strategy's time-to-online chart inline.
    let cdfs: Vec<String> = strategies
        .iter()
        .map(|n| format!("{n}/time_to_online_cdf.svg"))
        .collect();
    let refs: Vec<&str> = cdfs.iter().map(String::as_str).collect();
    let html = assert_self_contained(&dir, &refs);
    for needle in [
        "<th scope=\"col\">makespan, h (xLB)</th>",
        "<th scope=\"col\">premium p95, h (xLB)</th>",
        "<td class=\"l\">wingtip</td>",
        "<tr class=\"bound\"><td class=\"l\">lower bound</td>",
        "<a href=\"wingtip/report.html\">",
        "<a href=\"size-aware/report.html\">",
        "<figcaption>size-aware: time to online per tier (CDF)</figcaption>",
    ] {
        assert!(html.contains(needle), "no {needle}");
    }
    for name in strategies {
        assert_self_contained(&dir.join(name), &RUN_CHARTS);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A sweep of `scenario` over `vary`, one run per point.
fn sweep(name: &str, vary: &[&str]) -> SweepResult {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(format!("{name}.toml"));
    let varies: Vec<Vary> = vary.iter().map(|v| Vary::parse(v).expect("vary")).collect();
    let grid = Grid::load(&path, &varies, Some(1)).expect("grid");
    let mut accs = grid.accumulators();
    for item in items(grid.points.len(), grid.runs, ShardSpec::ALL) {
        let point = &grid.points[item.point];
        let seed = point.scenario.file.seed + u64::from(item.seed_offset);
        accs[item.point].add(&run_sample(&point.scenario, seed).expect("run"));
    }
    SweepResult::from_accs(&grid.id, &accs).expect("result")
}

#[test]
fn a_sweep_report_has_both_frontiers_inline_and_marks_the_pareto_points() {
    let result = sweep(
        "wingtip-demo",
        &[
            "strategy=wingtip,size-aware",
            "model.pool_restore_slots=2,8",
        ],
    );
    let dir = fresh("sweep");
    sim::report::sweep::write(&dir, &result).expect("report");
    assert_eq!(read(&dir.join("report.json")), result.to_json());
    let html = assert_self_contained(
        &dir,
        &["frontier_makespan_p95.svg", "frontier_top_tier_p95.svg"],
    );
    for needle in [
        "<h1>Sweep: wingtip-demo</h1>",
        "<th scope=\"col\">cost (pool-hours / run)</th>",
        "<th scope=\"col\">makespan p95 (h)</th>",
        "<th scope=\"col\">premium p95 (h)</th>",
        "<th scope=\"col\">Pareto (premium)</th>",
        "<h3>Point 4/4: strategy.name=size-aware model.pool_restore_slots=8</h3>",
    ] {
        assert!(html.contains(needle), "no {needle}");
    }
    // A row is marked exactly when its point is on a frontier.
    use sim::sweep::frontier::{FrontierTime, frontier};
    let on = |time| -> Vec<bool> { frontier(&result, time).iter().map(|p| p.pareto).collect() };
    let (makespan, premium) = (on(FrontierTime::MakespanP95), on(FrontierTime::TierP95(0)));
    assert_eq!(makespan.len(), 4);
    let marked = html.matches("<tr class=\"pareto\">").count();
    let expected = (0..4).filter(|&i| makespan[i] || premium[i]).count();
    assert!(expected >= 1);
    assert_eq!(marked, expected, "{makespan:?} {premium:?}");
    // Doubling the slots (8) with size-aware is cheaper and faster than 2.
    assert!(makespan[3] && !makespan[2], "{makespan:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
