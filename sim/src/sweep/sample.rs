//! One run of a grid point: what it contributes to the point's
//! distributions and sums.
//!
//! Cost measure (the results had none): **recovery-region elastic
//! pool-hours**: for every elastic pool the run created in the recovery
//! region (mirrors and the new-tenant pool), the time from its creation
//! (its PUT) to the end of the recovery (the makespan; for a cancelled run,
//! when the cancel finished), summed, in hours. It is the capacity billed
//! while the recovery runs; multiply by a pool's hourly price for money
//! (the mirrors have the origin pools' SKUs). Time after the recovery,
//! while tenants are served from the recovery region until repatriation,
//! is left out: it depends on the outage, not on how the recovery ran.
//!
//! The same hours weighted by each pool's capacity (eDTU or vCores, by
//! edition: [`CapacityKey`]) give the capacity-hours `[prices]` turns into
//! money (`plan-capacity`). Standalone databases (the fast lane's, the
//! catalog) are not counted.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::request::{PoolId, Region};
use crate::runner::{RunOutput, Runner, SimError};
use crate::scenario::Scenario;
use crate::scenario::prices::CapacityUnit;

/// What one run contributes to its grid point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSample {
    /// Per tier (fleet order): times to online of the tenants that came
    /// back in the recovery region, ms.
    pub tier_times_ms: Vec<Vec<u64>>,
    /// Recovery makespan, ms (see `RunResult::makespan_s`).
    pub makespan_ms: u64,
    /// ARM requests answered 429, all classes.
    pub throttled: u64,
    /// Recovery-region elastic pool-milliseconds (the cost measure above).
    pub pool_ms: u64,
    /// The same, weighted by each pool's capacity: unit-milliseconds per
    /// (unit, edition).
    pub capacity_ms: BTreeMap<CapacityKey, u64>,
    /// Tenants reported failed.
    pub failed: u64,
}

/// What a pool's capacity is priced by: its unit and its edition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CapacityKey {
    /// eDTU or vCore.
    pub unit: CapacityUnit,
    /// The pool's edition (`sku.tier`), e.g. `Standard`.
    pub edition: String,
}

/// Runs `scenario` once with its strategy and knobs on `seed`.
///
/// Contract: the same scenario and seed give the same sample (the run is
/// the one `simulate` makes; the lower bound, not needed here, is not
/// computed).
pub fn run_sample(scenario: &Scenario, seed: u64) -> Result<RunSample, SimError> {
    let name = &scenario.file.strategy.name;
    let strategy = scheduler::strategy::build(name, &scenario.file.strategy.knobs())
        .ok_or_else(|| SimError::UnknownStrategy(name.clone()))?;
    let runner = Runner::new(scenario.fleet.clone(), strategy, scenario.settings(seed))?;
    Ok(sample_of(&runner.run()?))
}

/// The sample of a finished run.
pub fn sample_of(out: &RunOutput) -> RunSample {
    let fleet = &out.scheduler.estate().fleet;
    let rec = &out.recorder;
    let mut tier_times_ms: Vec<Vec<u64>> = vec![Vec::new(); fleet.tiers.len()];
    for (db, online) in fleet.databases.iter().zip(&rec.online_at_ms) {
        if let (Some(t), Some(times)) = (online, tier_times_ms.get_mut(usize::from(db.tier.0))) {
            times.push(*t);
        }
    }
    let makespan_ms = rec
        .recovered_at_ms
        .or(rec.cancelled_at_ms)
        .unwrap_or(out.end_ms);
    let estate = out.scheduler.estate();
    // Each recovery-region pool by (server, pool) name: every pool of the
    // estate (the new-tenant pool too) on the mirror of its server.
    let mut capacity_of: BTreeMap<(String, &str), (CapacityKey, u32)> = BTreeMap::new();
    for pool in &fleet.pools {
        let server = fleet.mirror_name(&estate.server_name(pool.server));
        let (unit, amount) = CapacityUnit::of(pool.capacity);
        let key = CapacityKey {
            unit,
            edition: pool.edition.clone(),
        };
        capacity_of.insert((server, pool.name.as_str()), (key, amount));
    }
    let mut pool_ms = 0u64;
    let mut capacity_ms: BTreeMap<CapacityKey, u64> = BTreeMap::new();
    for p in (0..out.model.pool_count()).map(|p| PoolId(p as u32)) {
        if out.model.pool_region(p) != Some(Region::Recovery) {
            continue;
        }
        let Some(created) = out.model.pool_created_ms(p) else {
            continue;
        };
        let ms = makespan_ms.saturating_sub(created);
        pool_ms += ms;
        let found = out
            .model
            .pool_name(p)
            .and_then(|(server, name)| capacity_of.get(&(server.to_owned(), name)));
        // A pool the estate does not name (none today) is priced as one
        // unit of an edition no price table has, so pricing it fails loudly.
        let (key, amount) = found.cloned().unwrap_or_else(|| {
            (
                CapacityKey {
                    unit: CapacityUnit::Edtu,
                    edition: "<unknown pool>".to_owned(),
                },
                1,
            )
        });
        let slot = capacity_ms.entry(key).or_default();
        *slot = slot.saturating_add(ms.saturating_mul(u64::from(amount)));
    }
    RunSample {
        tier_times_ms,
        makespan_ms,
        throttled: out.model.stats().throttled.iter().sum(),
        pool_ms,
        capacity_ms,
        failed: out.scheduler.failures().len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capacity::overlay::scenario_with;
    use std::path::Path;

    fn wingtip(overlay: &str) -> Scenario {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/wingtip-demo.toml");
        scenario_with(&path, &overlay.parse().expect("toml"), "test overlay").expect("loads")
    }

    #[test]
    fn the_recovery_design_changes_the_run_and_its_capacity_hours() {
        let pacing = "[strategy]\nname = \"priority-pacing\"\n";
        let base = run_sample(&wingtip(pacing), 1).expect("base");
        // One pool of 20 at 50 eDTU mirrored (plus the new-tenant pool).
        let key = CapacityKey {
            unit: CapacityUnit::Edtu,
            edition: "Standard".into(),
        };
        assert_eq!(base.capacity_ms.len(), 1, "{:?}", base.capacity_ms);
        let split = run_sample(
            &wingtip(&format!(
                "{pacing}[recovery]\ndatabases_per_pool = 5\npool_capacity = 100\n"
            )),
            1,
        )
        .expect("split");
        // Four pools restore 16 at once instead of 4: the recovery is faster.
        assert!(
            split.makespan_ms < base.makespan_ms,
            "split {} vs base {}",
            split.makespan_ms,
            base.makespan_ms
        );
        assert!(split.pool_ms > base.pool_ms, "more pools, more pool-hours");
        // Capacity-hours: the mirrors at 100 eDTU, the new-tenant pool too
        // (it takes the first pool's SKU): 100 x pool-ms.
        assert_eq!(split.capacity_ms[&key], 100 * split.pool_ms);
        assert_eq!(base.capacity_ms[&key], 50 * base.pool_ms);
    }
}
