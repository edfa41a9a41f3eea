//! Within each pool, every strategy submits restores in tier order (most
//! important tier first): a semantic check of the plan, not golden bytes.
//! `critical-first`'s one exception is checked too: a database holding at
//! least 20 % of its pool's size goes before the rest of its pool.

mod support;

use std::collections::BTreeMap;

use scheduler::plan::{PlanOptions, dry_run};
use scheduler::strategy::{STRATEGY_NAMES, by_name};
use scheduler::{Action, Config, Placement};
use support::{FleetShape, make_fleet};

#[test]
fn every_strategy_restores_each_pool_in_tier_order() {
    for seed in 1..=4 {
        let fleet = make_fleet(&FleetShape {
            servers: 2,
            pools_per_server: 3,
            dbs_per_pool: vec![12, 7, 20],
            standalone: 3,
            standalone_servers: 0,
            tiers: 3,
            alias_routing: false,
            seed,
        });
        for name in STRATEGY_NAMES {
            let strategy = by_name(name).expect("built in");
            let run = dry_run(
                fleet.clone(),
                strategy,
                Config::default(),
                PlanOptions::default(),
            )
            .expect("plan");
            let estate = run.scheduler.estate();
            let mut pool_mb: BTreeMap<u32, u64> = BTreeMap::new();
            for db in &estate.fleet.databases {
                if let Some(pool) = db.pool {
                    *pool_mb.entry(pool.0).or_default() += db.size_mb;
                }
            }
            let critical_first = *name == "critical-first";
            // Tier of each restore, per pool, in submission order; a
            // critical database of `critical-first` counts as tier 0 and
            // must come before any other.
            let mut per_pool: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
            let mut criticals = 0;
            for planned in &run.commands {
                if let Action::RestoreDatabase {
                    db,
                    placement: Placement::Pool(pool),
                } = planned.action
                {
                    let info = estate.database(db).expect("fleet database");
                    let critical = critical_first && info.size_mb * 100 >= 20 * pool_mb[&pool.0];
                    let list = per_pool.entry(pool.0).or_default();
                    if critical {
                        criticals += 1;
                        assert!(
                            list.iter().all(|&t| t == 0),
                            "{name}, seed {seed}: critical {} of pool {} after others",
                            info.name,
                            pool.0
                        );
                        list.push(0);
                    } else {
                        list.push(info.tier.0 + u8::from(critical_first));
                    }
                }
            }
            assert!(!per_pool.is_empty(), "{name}: no pooled restore planned");
            for (pool, tiers) in &per_pool {
                assert!(
                    tiers.windows(2).all(|w| w[0] <= w[1]),
                    "{name}, seed {seed}: pool {pool} restores tiers in the order {tiers:?}"
                );
            }
            if critical_first {
                assert!(
                    criticals > 0 || seed > 1,
                    "{name}: no critical database in seed 1"
                );
            }
            // Not vacuous: the pools hold several tiers.
            assert!(
                per_pool.values().any(|t| t.first() != t.last()),
                "{name}, seed {seed}: every pool has a single tier"
            );
        }
    }
}
