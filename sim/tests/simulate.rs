//! Full simulated recoveries of shipped scenarios: determinism, the
//! model's published limits, lower bounds and strategy comparison.

use std::path::PathBuf;

use sim::simulate::simulate;

mod common;

use common::scenario;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("georestore-sim-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn same_seed_same_digest_and_report_different_seed_different_digest() {
    let s = scenario("wingtip-demo");
    let a = simulate(&s, "wingtip", 5).expect("run a");
    let b = simulate(&s, "wingtip", 5).expect("run b");
    let c = simulate(&s, "wingtip", 6).expect("run c");
    assert_eq!(a.result.digest, b.result.digest);
    assert_ne!(a.result.digest, c.result.digest);
    let (da, db) = (temp_dir("a"), temp_dir("b"));
    sim::report::write(&da, &s, &a).expect("report a");
    sim::report::write(&db, &s, &b).expect("report b");
    let ja = std::fs::read(da.join("report.json")).expect("read a");
    let jb = std::fs::read(db.join("report.json")).expect("read b");
    assert_eq!(ja, jb, "report.json differs between identical runs");
    for chart in [
        "time_to_online_cdf.svg",
        "restores_over_time.svg",
        "arm_requests.svg",
        "report.md",
    ] {
        let meta = std::fs::metadata(da.join(chart)).expect(chart);
        assert!(meta.len() > 100, "{chart} is nearly empty");
    }
    let _ = std::fs::remove_dir_all(da);
    let _ = std::fs::remove_dir_all(db);
}

#[test]
fn a_full_run_respects_the_published_limits() {
    let s = scenario("saas-1k");
    let r = simulate(&s, "wingtip", 1).expect("run").result;
    assert!(r.max_restores_processing_per_pool <= 4, "{r:?}");
    assert!(r.max_restores_processing_per_pool >= 1);
    assert!(r.max_standalone_processing <= 30);
    let online: usize = r.tiers.values().map(|t| t.online).sum();
    assert_eq!(
        online + r.failed_tenants,
        r.tenants,
        "every tenant online or failed"
    );
    assert_eq!(r.phase, "Recovered");
    assert!(r.data_loss_window_s.max <= 3600.0);
}

/// The buckets a tenth of what the scheduler is told: 429s happen, and
/// after each `Retry-After: N` no request of that class reaches the model
/// before N has passed (the model records any that does), whatever the
/// strategy.
#[test]
fn tight_throttle_meets_429s_waits_as_told_and_still_finishes() {
    let s = scenario("tight-throttle");
    for strategy in ["priority-pacing", "wingtip", "size-aware"] {
        let r = simulate(&s, strategy, 1).expect("run").result;
        assert!(r.arm.throttled > 0, "{strategy}: {:?}", r.arm);
        assert!(r.arm.throttled <= r.arm.requests);
        assert_eq!(
            r.arm.before_retry_after, 0,
            "{strategy}: requests sent before their Retry-After ended: {:?}",
            r.arm
        );
        let online: usize = r.tiers.values().map(|t| t.online).sum();
        assert_eq!(online + r.failed_tenants, r.tenants);
    }
}

#[test]
fn results_never_beat_their_lower_bounds() {
    for (name, strategy) in [
        ("wingtip-demo", "wingtip"),
        ("saas-1k", "priority-pacing"),
        ("saas-1k", "size-aware"),
        ("saas-1k", "fast-lane"),
        ("regional-stampede", "priority-pacing"),
    ] {
        let r = simulate(&scenario(name), strategy, 3).expect("run").result;
        assert!(r.lower_bound_s > 0.0, "{name}");
        assert!(r.makespan_s >= r.lower_bound_s, "{name}/{strategy}: {r:?}");
        assert!(
            r.weighted_mean_time_to_online_s >= r.lower_bound.weighted_mean_time_to_online_s,
            "{name}/{strategy}"
        );
        for (tier, t) in &r.tiers {
            // Every tenant comes online here, so every tier has a p95; it
            // is never below its exact sample (see results::histogram_stats).
            let p95 = t.p95_s.expect("a p95");
            assert!(
                p95 >= t.p95_lower_bound_s,
                "{name}/{strategy} {tier}: {t:?}"
            );
        }
    }
}

/// The gains the README claims, with margins: `priority-pacing` brings
/// premium tenants back at least 20 % sooner than `wingtip` at p95, and
/// `size-aware` finishes at least 15 % sooner (on saas-1k both gains are
/// about 50 % and 28 %; the README's saas-10k figures are 29 % and 29 %).
#[test]
fn the_readme_gains_over_wingtip_hold_with_a_margin_on_saas_1k() {
    let s = scenario("saas-1k");
    for seed in [1, 2] {
        let wingtip = simulate(&s, "wingtip", seed).expect("wingtip").result;
        let pacing = simulate(&s, "priority-pacing", seed)
            .expect("pacing")
            .result;
        let sized = simulate(&s, "size-aware", seed).expect("size-aware").result;
        let p = |r: &sim::results::RunResult| r.tiers["premium"].p95_s.expect("premium p95");
        assert!(
            p(&pacing) <= 0.8 * p(&wingtip),
            "seed {seed}: priority-pacing premium p95 {} s is not 20 % below wingtip's {} s",
            p(&pacing),
            p(&wingtip)
        );
        assert!(
            sized.makespan_s <= 0.85 * wingtip.makespan_s,
            "seed {seed}: size-aware makespan {} s is not 15 % below wingtip's {} s",
            sized.makespan_s,
            wingtip.makespan_s
        );
    }
}

#[test]
fn cancel_and_repatriation_scenarios_end_where_they_should() {
    let cancel = simulate(&scenario("cancel-midway"), "priority-pacing", 1)
        .expect("cancel")
        .result;
    assert_eq!(cancel.phase, "Cancelled");
    assert!(cancel.restores.canceled > 0 || cancel.restores.accepted > 0);
    let home = simulate(&scenario("repatriation"), "priority-pacing", 1)
        .expect("repatriation")
        .result;
    assert_eq!(home.phase, "Repatriated");
    assert!(home.new_tenants > 0);
    assert!(home.repatriated_s.is_some());
}

#[test]
fn a_run_that_hits_the_step_limit_is_an_error_not_a_result() {
    let s = scenario("wingtip-demo");
    let strategy =
        scheduler::strategy::build("wingtip", &s.file.strategy.knobs()).expect("wingtip");
    let mut settings = s.settings(1);
    settings.max_steps = 5;
    let runner = sim::runner::Runner::new(s.fleet.clone(), strategy, settings).expect("runner");
    match runner.run() {
        Err(sim::runner::SimError::StepLimit { status, .. }) => {
            assert!(!status.is_empty());
        }
        Err(e) => panic!("expected the step limit, got {e}"),
        Ok(out) => panic!("a half-finished run was reported at {} ms", out.end_ms),
    }
}

#[test]
fn a_tier_with_nobody_online_reports_no_percentiles_and_the_cdf_counts_every_tenant() {
    let mut s = scenario("cancel-midway");
    // Cancelled before the first standard tenant is back.
    s.file.disaster.cancel_at_s = Some(1_000.0);
    let sim = simulate(&s, "priority-pacing", 1).expect("run");
    let r = &sim.result;
    assert_eq!(r.phase, "Cancelled");
    let (name, empty) = r
        .tiers
        .iter()
        .find(|(_, t)| t.online == 0)
        .expect("a tier with nobody online");
    assert!(empty.tenants > 0);
    assert_eq!(
        (empty.p50_s, empty.p95_s, empty.p99_s, empty.max_s),
        (None, None, None, None)
    );
    let json = serde_json::to_value(r).expect("json");
    assert!(
        json["tiers"][name]["p95_s"].is_null(),
        "{}",
        json["tiers"][name]
    );
    let row = sim::report::text::tier_rows(r)
        .find(|row| row.name == name)
        .expect("row");
    assert_eq!((row.p50.as_str(), row.max.as_str()), ("n/a", "n/a"));
    // Means over runs skip the missing figure instead of averaging a 0.
    let mut other = r.clone();
    other.tiers.get_mut(name).expect("tier").p95_s = Some(100.0);
    let summary = sim::simulate::summarize_runs(&[r.clone(), other]);
    assert_eq!(summary[&format!("tiers.{name}.p95_s")].mean, 100.0);
    assert!(
        !sim::simulate::summarize_runs(std::slice::from_ref(r))
            .contains_key(&format!("tiers.{name}.p95_s"))
    );
    // The CDF is a fraction of the tier's tenants: a partly online tier
    // ends below 1.
    for (i, (tier, times)) in sim.series.tier_times_s.iter().enumerate() {
        let t = &r.tiers[tier];
        assert_eq!(sim.series.tier_tenants[i], t.tenants);
        let points = sim::report::charts::cdf_points(times, t.tenants);
        let end = points.last().map_or(0.0, |p| p.1);
        assert!(
            (end - t.online as f64 / t.tenants as f64).abs() < 1e-9,
            "{tier}: CDF ends at {end}"
        );
    }
    assert!(
        r.tiers
            .values()
            .any(|t| t.online > 0 && t.online < t.tenants)
    );
}

#[test]
fn a_cancelled_runs_report_gives_no_ratios_against_full_recovery_bounds() {
    let s = scenario("cancel-midway");
    let sim = simulate(&s, "priority-pacing", 1).expect("run");
    assert_eq!(sim.result.phase, "Cancelled");
    let dir = temp_dir("cancelled-md");
    sim::report::write(&dir, &s, &sim).expect("report");
    let md = std::fs::read_to_string(dir.join("report.md")).expect("report.md");
    let _ = std::fs::remove_dir_all(&dir);
    let summary: Vec<&str> = md
        .lines()
        .filter(|l| l.starts_with("| cancel finished") || l.starts_with("| weighted mean"))
        .collect();
    assert_eq!(summary.len(), 2, "{md}");
    for line in summary {
        assert!(line.ends_with("| n/a | n/a |"), "{line}");
    }
    assert!(!md.contains("| makespan |"), "{md}");
    for tier in ["premium", "standard", "free"] {
        let row = md
            .lines()
            .find(|l| l.starts_with(&format!("| {tier} |")))
            .expect("tier row");
        assert!(row.ends_with("| n/a |"), "{row}");
    }
}
