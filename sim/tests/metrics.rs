//! The summary metrics recomputed independently from the per-tenant
//! records of a run (the time each tenant was marked online, the age of
//! each restored database's geo-backup): time-to-online percentiles by
//! nearest rank (`rank = ceil(q * n)`, tier sizes where `q * n` is not a
//! whole number included), the priority-weighted mean, and the data-loss
//! window's max / p95 / mean. The reported percentiles come from
//! hdrhistogram with 5 significant digits: never below the exact sample and
//! at most 0.001 % above it, so the comparison is two-sided.

use sim::lower_bound;
use sim::results::summarize;
use sim::runner::Runner;

mod common;

/// Nearest rank: the smallest value with at least `q * n` values at or
/// below it.
fn nearest_rank(sorted_ms: &[u64], q: f64) -> u64 {
    let n = sorted_ms.len();
    let rank = (q * n as f64).ceil() as usize;
    sorted_ms[rank.clamp(1, n) - 1]
}

fn close_above(reported_s: f64, exact_ms: u64, what: &str) {
    let exact_s = exact_ms as f64 / 1000.0;
    assert!(
        reported_s >= exact_s - 0.0005 && reported_s <= exact_s * 1.00001 + 0.0005,
        "{what}: reported {reported_s} s, exact {exact_s} s"
    );
}

fn check(name: &str, strategy: &str, seed: u64) -> usize {
    let s = common::scenario(name);
    let make = scheduler::strategy::build(strategy, &s.file.strategy.knobs()).expect("strategy");
    let runner = Runner::new(s.fleet.clone(), make, s.settings(seed)).expect("runner");
    let bound = lower_bound::compute(&s.fleet, runner.model(), runner.scheduler());
    let out = runner.run().expect("run");
    let (r, _) = summarize(name, seed, &out, bound);

    let fleet = &s.fleet;
    let mut odd_sizes = 0;
    let (mut weighted, mut weights) = (0.0f64, 0.0f64);
    let mut ages = Vec::new();
    for (t, tier) in fleet.tiers.iter().enumerate() {
        let mut times: Vec<u64> = Vec::new();
        let mut members = 0;
        for (i, db) in fleet.databases.iter().enumerate() {
            if usize::from(db.tier.0) != t {
                continue;
            }
            members += 1;
            let Some(at) = out.recorder.online_at_ms[i] else {
                continue;
            };
            times.push(at);
            weighted += f64::from(tier.weight) * at as f64;
            weights += f64::from(tier.weight);
            let server = &fleet.servers[db.server.0 as usize].name;
            ages.push(
                out.model
                    .source_backup_age_ms(server, &db.name)
                    .expect("a restored database has a backup age"),
            );
        }
        times.sort_unstable();
        let got = &r.tiers[&tier.name];
        assert_eq!(got.tenants, members, "{name} {}", tier.name);
        assert_eq!(got.online, times.len(), "{name} {}", tier.name);
        if times.is_empty() {
            assert_eq!(got.p95_s, None);
            continue;
        }
        if (0.95 * times.len() as f64).fract() != 0.0 {
            odd_sizes += 1;
        }
        let what = |q: &str| format!("{name}/{strategy} {} {q} (n = {})", tier.name, times.len());
        close_above(
            got.p50_s.expect("p50"),
            nearest_rank(&times, 0.50),
            &what("p50"),
        );
        close_above(
            got.p95_s.expect("p95"),
            nearest_rank(&times, 0.95),
            &what("p95"),
        );
        close_above(
            got.p99_s.expect("p99"),
            nearest_rank(&times, 0.99),
            &what("p99"),
        );
        let max = *times.last().expect("non-empty");
        assert_eq!(got.max_s, Some(max as f64 / 1000.0), "{}", what("max"));
    }
    let mean_ms = weighted / weights;
    assert!(
        (r.weighted_mean_time_to_online_s - mean_ms / 1000.0).abs() <= 0.0005,
        "{name}: weighted mean {} s, exact {} s",
        r.weighted_mean_time_to_online_s,
        mean_ms / 1000.0
    );
    ages.sort_unstable();
    let loss = &r.data_loss_window_s;
    assert_eq!(loss.max, *ages.last().expect("ages") as f64 / 1000.0);
    assert_eq!(loss.p95, nearest_rank(&ages, 0.95) as f64 / 1000.0);
    let mean_age_s = ages.iter().sum::<u64>() as f64 / ages.len() as f64 / 1000.0;
    assert!(
        (loss.mean - mean_age_s).abs() <= 0.0005,
        "{name}: data-loss mean {} s, exact {mean_age_s} s",
        loss.mean
    );
    // Not vacuous: the window is not constant, the p95 differs from the max.
    assert!(loss.p95 < loss.max || ages.len() < 20, "{loss:?}");
    odd_sizes
}

#[test]
fn tiny_fleet_metrics_match_the_per_tenant_records() {
    // 20 tenants in tiers of 4, 7 and 9: q * n is not a whole number.
    let odd = check("wingtip-demo", "wingtip", 1);
    assert!(
        odd >= 2,
        "tier sizes should exercise rounding up of the rank"
    );
    check("wingtip-demo", "priority-pacing", 2);
}

#[test]
fn saas_1k_metrics_match_the_per_tenant_records() {
    check("saas-1k", "priority-pacing", 1);
}
