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

use crate::request::{PoolId, Region};
use crate::runner::{RunOutput, Runner, SimError};
use crate::scenario::Scenario;

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
    /// Tenants reported failed.
    pub failed: u64,
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
    let pool_ms = (0..out.model.pool_count())
        .map(|p| PoolId(p as u32))
        .filter(|&p| out.model.pool_region(p) == Some(Region::Recovery))
        .filter_map(|p| out.model.pool_created_ms(p))
        .map(|created| makespan_ms.saturating_sub(created))
        .sum();
    RunSample {
        tier_times_ms,
        makespan_ms,
        throttled: out.model.stats().throttled.iter().sum(),
        pool_ms,
        failed: out.scheduler.failures().len() as u64,
    }
}
