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

#[test]
fn tight_throttle_meets_429s_and_still_finishes() {
    let s = scenario("tight-throttle");
    let r = simulate(&s, "priority-pacing", 1).expect("run").result;
    assert!(r.arm.throttled > 0, "{:?}", r.arm);
    assert!(r.arm.throttled <= r.arm.requests);
    let online: usize = r.tiers.values().map(|t| t.online).sum();
    assert_eq!(online + r.failed_tenants, r.tenants);
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
            // hdrhistogram keeps 3 significant digits.
            assert!(
                t.p95_s >= t.p95_lower_bound_s * 0.999,
                "{name}/{strategy} {tier}: {t:?}"
            );
        }
    }
}

#[test]
fn priority_pacing_serves_premium_no_later_than_wingtip_on_saas_1k() {
    let s = scenario("saas-1k");
    for seed in [1, 2] {
        let wingtip = simulate(&s, "wingtip", seed).expect("wingtip").result;
        let pacing = simulate(&s, "priority-pacing", seed)
            .expect("pacing")
            .result;
        let p = |r: &sim::results::RunResult| r.tiers["premium"].p95_s;
        assert!(
            p(&pacing) <= p(&wingtip),
            "seed {seed}: priority-pacing premium p95 {} > wingtip {}",
            p(&pacing),
            p(&wingtip)
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
