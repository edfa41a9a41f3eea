//! Within each pool, every strategy submits restores in tier order (most
//! important tier first): a semantic check of the plan, not golden bytes.

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
            // Tier of each restore, per pool, in submission order.
            let mut per_pool: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
            for planned in &run.commands {
                if let Action::RestoreDatabase {
                    db,
                    placement: Placement::Pool(pool),
                } = planned.action
                {
                    let tier = estate.database(db).expect("fleet database").tier.0;
                    per_pool.entry(pool.0).or_default().push(tier);
                }
            }
            assert!(!per_pool.is_empty(), "{name}: no pooled restore planned");
            for (pool, tiers) in &per_pool {
                assert!(
                    tiers.windows(2).all(|w| w[0] <= w[1]),
                    "{name}, seed {seed}: pool {pool} restores tiers in the order {tiers:?}"
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
