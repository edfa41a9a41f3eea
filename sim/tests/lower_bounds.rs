//! The lower bounds on hand-checkable fleets (every duration fixed: sigma
//! 0, no failures, no contention), where each component's value follows
//! from the proof sketch in `sim::lower_bound` by arithmetic, and a check
//! that the bounds stay tight: a good strategy ends within a stated factor
//! of them. A bound that silently gets weaker (or wrong) fails here.

use std::path::PathBuf;

use sim::scenario::{Scenario, parse};
use sim::simulate::simulate;

mod common;

/// Fixed durations: server creation 180 s, pool creation 300 s, every
/// restore `restore_s` (size plays no part); the alias switch keeps its
/// default floor of 1 s.
fn model(restore_s: u64, extra: &str) -> String {
    format!(
        "[model]\n\
         restore_base_ms = {}\n\
         restore_per_gb_ms = 0\n\
         restore_sigma = 0.0\n\
         restore_transient_failure_prob = 0.0\n\
         restore_permanent_failure_prob = 0.0\n\
         server_create = {{ median_ms = 180000, sigma = 0.0 }}\n\
         pool_create = {{ median_ms = 300000, sigma = 0.0 }}\n\
         {extra}\n",
        restore_s * 1000
    )
}

/// A fleet of `pooled` databases of 1 GB in one pool and `standalone` ones
/// on the same server, in one tier, with its catalog (0.1 GB) on its own
/// server.
fn fleet(pooled: usize, standalone: usize) -> String {
    fleet_sized(&vec![1.0; pooled], standalone)
}

/// Like [`fleet`], with the pooled databases' sizes given.
fn fleet_sized(pooled: &[f64], standalone: usize) -> String {
    let mut text = String::from(
        "name = \"hand\"\n\
         subscription = \"00000000-0000-0000-0000-000000000000\"\n\
         origin_region = \"westus2\"\n\
         recovery_region = \"westcentralus\"\n\
         routing = \"catalog\"\n\
         recovery_suffix = \"-recovery\"\n\
         databases = [\n",
    );
    for (i, size) in pooled.iter().enumerate() {
        text.push_str(&format!(
            "  {{ name = \"p{i}\", server = \"s1\", pool = \"pool1\", size_gb = {size:?}, tier = \"gold\" }},\n"
        ));
    }
    for i in 0..standalone {
        text.push_str(&format!(
            "  {{ name = \"a{i}\", server = \"s1\", service_objective = \"S3\", size_gb = 1.0, tier = \"gold\" }},\n"
        ));
    }
    text.push_str(
        "]\n\
         [resource_groups]\norigin = \"rg\"\nrecovery = \"rg-recovery\"\n\
         [[tiers]]\nname = \"gold\"\nweight = 1\n\
         [catalog]\nserver = \"catalog1\"\ndatabase = \"tenantcatalog\"\nalias = \"catalog1-alias\"\nsize_gb = 0.1\n\
         [app]\norigin_web_app = \"app-w\"\nrecovery_web_app = \"app-r\"\n\
         traffic_manager_profile = \"tm\"\norigin_endpoint = \"app-w\"\nrecovery_endpoint = \"app-r\"\n\
         [new_tenants]\nserver = \"s2\"\npool = \"pool1\"\nalias = \"s2-alias\"\n\
         [[servers]]\nname = \"s1\"\nalias = \"s1-alias\"\n\
         [[pools]]\nserver = \"s1\"\nname = \"pool1\"\nedition = \"Standard\"\ndtu = 50\n\
         per_db_min = 0\nper_db_max = 50\nstorage_gb = 50\n\
         [administrator]\nlogin = \"admins\"\nobject_id = \"8b1e3c57-3f0a-4c55-9d0e-2f6a1c9b7e21\"\nprincipal_type = \"Group\"\n",
    );
    text
}

struct Hand {
    dir: PathBuf,
    scenario: Scenario,
}

impl Drop for Hand {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn hand(tag: &str, fleet_text: &str, model_text: &str) -> Hand {
    let dir = std::env::temp_dir().join(format!("georestore-lb-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::write(dir.join("fleet.toml"), fleet_text).expect("fleet");
    let text = format!(
        "name = \"{tag}\"\nseed = 1\nruns = 1\n[fleet]\nfile = \"fleet.toml\"\n[strategy]\nname = \"priority-pacing\"\n{model_text}"
    );
    let scenario = match parse(&text, "hand.toml", &dir) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    };
    Hand { dir, scenario }
}

#[test]
fn one_pool_with_equal_durations() {
    // 8 restores of 600 s in one pool of 4 slots: the pool is ready at
    // 180 + 300 s and needs 2 rounds: 480 + 1200 = 1680 s. The catalog
    // path is 180 + 600 + 1 = 781 s; every tenant is back no earlier than
    // max(480 + 600, 781) = 1080 s. 9 restores + 3 creations are far
    // below the write bucket's 200.
    let h = hand("pool", &fleet(8, 0), &model(600, ""));
    let r = simulate(&h.scenario, "priority-pacing", 1)
        .expect("run")
        .result;
    let b = &r.lower_bound;
    assert_eq!(b.pools_s, 1680.0, "{b:?}");
    assert_eq!(b.catalog_s, 781.0, "{b:?}");
    // The catalog restore alone on the standalone slots: 180 + 600 s.
    assert_eq!(b.standalone_s, 780.0, "{b:?}");
    assert_eq!(b.arm_writes_s, 0.0, "{b:?}");
    assert_eq!(b.makespan_s, 1680.0, "{b:?}");
    assert_eq!(b.tiers["gold"].p50_s, 1080.0, "{b:?}");
    assert_eq!(b.tiers["gold"].p95_s, 1080.0, "{b:?}");
    assert_eq!(b.weighted_mean_time_to_online_s, 1080.0, "{b:?}");
    // Tight: the run needs a few polls and catalog calls beyond it.
    assert!(r.makespan_s >= b.makespan_s, "{r:?}");
    assert!(
        r.makespan_s <= 1.1 * b.makespan_s,
        "{} vs {b:?}",
        r.makespan_s
    );
}

#[test]
fn the_catalog_path_bounds_every_tenant() {
    // Restores of 60 s: the pool ends no earlier than 480 + 60 = 540 s,
    // but with an alias switch of 1000 s the catalog path, 180 + 60 +
    // 1000 = 1240 s, holds every tenant back longer.
    let h = hand(
        "catalog",
        &fleet(2, 0),
        &model(60, "dns_alias_min_ms = 1000000\ndns_alias_max_ms = 1000000"),
    );
    let r = simulate(&h.scenario, "priority-pacing", 1)
        .expect("run")
        .result;
    let b = &r.lower_bound;
    assert_eq!(b.catalog_s, 180.0 + 60.0 + 1000.0, "{b:?}");
    assert_eq!(b.pools_s, 480.0 + 60.0, "{b:?}");
    assert_eq!(b.makespan_s, 1240.0, "{b:?}");
    assert_eq!(b.tiers["gold"].max_s, 1240.0, "{b:?}");
    assert!(r.makespan_s >= 1240.0, "{r:?}");
    // The last tenant is back right after the catalog (the run goes on
    // with the new-tenant server's alias, also 1000 s).
    let last = r.tiers["gold"].max_s.expect("online");
    assert!((1240.0..=1.01 * 1240.0).contains(&last), "{r:?}");
}

#[test]
fn standalone_only() {
    // 60 standalone restores of 600 s plus the catalog's on 30 slots from
    // 180 s: the area gives 180 + 61 * 600 / 30 = 1400 s, but some slot
    // runs 3 of the 61, so 180 + 3 * 600 = 1980 s.
    let h = hand("standalone", &fleet(0, 60), &model(600, ""));
    let r = simulate(&h.scenario, "priority-pacing", 1)
        .expect("run")
        .result;
    let b = &r.lower_bound;
    assert_eq!(b.standalone_s, 1980.0, "{b:?}");
    assert_eq!(b.pools_s, 0.0, "{b:?}");
    assert_eq!(b.makespan_s, 1980.0, "{b:?}");
    assert!(r.makespan_s >= b.makespan_s, "{r:?}");
    assert!(
        r.makespan_s <= 1.05 * b.makespan_s,
        "{} vs {b:?}",
        r.makespan_s
    );
}

#[test]
fn write_budget() {
    // 40 restores of 60 s in one pool with 40 slots, server and pool
    // creation 1 s, one write token refilling 1/s: the writes are 40
    // restores + the catalog's + server, pool and catalog server = 44, so
    // the last restore is sent no earlier than (44 - 1) / 1 = 43 s and
    // runs 60 s: 103 s (pools: 2 + 60 s; catalog: 1 + 60 + 1 s).
    let h = hand(
        "writes",
        &fleet(40, 0),
        &fast_creation(&model(60, WRITES_1_PER_S)),
    );
    let r = simulate(&h.scenario, "priority-pacing", 1)
        .expect("run")
        .result;
    let b = &r.lower_bound;
    assert_eq!(b.pools_s, 62.0, "{b:?}");
    assert_eq!(b.catalog_s, 62.0, "{b:?}");
    assert_eq!(b.arm_writes_s, 103.0, "{b:?}");
    assert_eq!(b.makespan_s, 103.0, "{b:?}");
    assert!(r.makespan_s >= b.makespan_s, "{r:?}");
}

#[test]
fn write_budget_then_the_longest_of_the_last_restores() {
    // Restores of 10 s + 50 s/GB: five of 0 GB (10 s), the catalog's of
    // 0.1 GB (15 s), 35 of 1 GB (60 s); writes as above: 41 restores,
    // 44 writes. The last restore is sent at 43 s or later, but it may be
    // a short one: 43 + 10 = 53 s. The last 7 restores, though, hold one
    // of 60 s, and the first of them is at least write max(41 - 6, 44 -
    // 18) = 35, sent at 34 s or later: 34 + 60 = 94 s.
    let mut sizes = vec![0.0; 5];
    sizes.extend(std::iter::repeat_n(1.0, 35));
    let h = hand(
        "tail",
        &fleet_sized(&sizes, 0),
        &fast_creation(&model(10, WRITES_1_PER_S))
            .replace("restore_per_gb_ms = 0", "restore_per_gb_ms = 50000"),
    );
    let r = simulate(&h.scenario, "priority-pacing", 1)
        .expect("run")
        .result;
    let b = &r.lower_bound;
    assert_eq!(b.arm_writes_s, 94.0, "{b:?}");
    assert_eq!(b.pools_s, 62.0, "{b:?}");
    assert_eq!(b.catalog_s, 17.0, "{b:?}");
    assert_eq!(b.makespan_s, 94.0, "{b:?}");
    assert!(r.makespan_s >= b.makespan_s, "{r:?}");
}

/// 40 restore slots per pool and one write token refilling 1 per second.
const WRITES_1_PER_S: &str =
    "pool_restore_slots = 40\narm_writes = { capacity = 1, refill_per_s = 1 }\n";

/// Server and pool creation in 1 s instead of 180 s and 300 s.
fn fast_creation(model: &str) -> String {
    model
        .replace("median_ms = 180000", "median_ms = 1000")
        .replace("median_ms = 300000", "median_ms = 1000")
}

/// On the shipped saas-1k, the strategies that aim at the makespan end
/// within 25 % of the bound (measured: see the assertion messages).
#[test]
fn bounds_stay_tight_on_saas_1k() {
    let s = common::scenario("saas-1k");
    for (strategy, factor) in [("size-aware", 1.25), ("priority-pacing", 1.35)] {
        for seed in [1, 2] {
            let r = simulate(&s, strategy, seed).expect("run").result;
            let ratio = r.makespan_s / r.lower_bound.makespan_s;
            eprintln!("{strategy} seed {seed}: {ratio:.3}");
            assert!(
                (1.0..=factor).contains(&ratio),
                "{strategy} seed {seed}: makespan {} s is {ratio:.3} x the bound {:?}",
                r.makespan_s,
                r.lower_bound
            );
        }
    }
}
