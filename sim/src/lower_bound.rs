//! Provable lower bounds on a scenario's makespan, per-tier time to online
//! and weighted mean time to online, from the model's own draws.
//!
//! # What is bounded
//!
//! Times are measured from the start of the recovery (t = 0). A tenant is
//! back when it is marked online in the recovery region; the makespan is
//! when the last tenant is back or reported failed.
//!
//! # Proof sketch
//!
//! The model draws every duration from a per-resource stream (see
//! [`crate::rng`]): the first creation of mirror server `S` takes `c(S)`,
//! the first creation attempt of pool `P` takes `c(P)`, and the first
//! restore attempt of database `i` takes `d(i)` (or fails after `f(i)`;
//! we use `r(i) = d(i)` or `f(i)` respectively, the processing time the
//! first attempt occupies its slot for). These do not depend on the
//! strategy, so one bound holds for every strategy with the same
//! placement (common random numbers).
//!
//! 1. **Provisioning.** A server cannot exist before `c(S)`; a pool needs
//!    its server, so it cannot be ready before `R(P) = c(S) + c(P)` (a
//!    failing first attempt only delays it). A restore into `P` cannot
//!    start before `R(P)`; a standalone restore not before `c(S)`.
//! 2. **Per pool.** `P` processes at most `k` restores at once (4 by
//!    default), each holding a slot for at least `r(i)`. So its last
//!    restore ends no earlier than `R(P) + max(max_i r(i), Σ_i r(i) / k)`
//!    (area argument on `k` machines available from `R(P)`).
//! 3. **Standalone.** Likewise with the subscription's `k_s` (30) slots,
//!    available at the earliest from the first mirror server's `c(S)`.
//! 4. **ARM writes.** Every restore and every mirror server and pool
//!    creation is one ARM write. With a bucket of capacity `B` refilling
//!    `ρ` tokens/s, the `W`-th write cannot be sent before `(W - B) / ρ`;
//!    the last of those writes is a restore or precedes one, which then
//!    still runs at least `min_i r(i)`.
//! 5. **Per tenant.** Tenant `i` is back no earlier than `L(i) = R(P_i) +
//!    r(i)` (its own restore started the moment its pool could be ready,
//!    nothing ahead of it). Hence any quantile of a tier's times to online
//!    is at least the same quantile of `{L(i)}` (the order statistics are
//!    bounded element-wise after sorting), and the weighted mean time to
//!    online is at least `Σ w_i L(i) / Σ w_i`.
//!
//! The makespan bound is the maximum of 2, 3 and 4 (1 is inside 2 and 3).
//! Tenants whose database is unrestorable are left out of 5 (they fail).

use std::collections::BTreeMap;

use scheduler::fleet::{DbId, Fleet};
use scheduler::{Placement, Scheduler};
use serde::Serialize;

use crate::model::AzureModel;

/// Lower bounds of one scenario + seed + strategy placement, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LowerBound {
    /// On the makespan: the largest of the components below.
    pub makespan_s: f64,
    /// Component 2: the busiest pool's provisioning plus work / slots.
    pub pools_s: f64,
    /// Component 3: standalone restores over the subscription's slots.
    pub standalone_s: f64,
    /// Component 4: the ARM write budget.
    pub arm_writes_s: f64,
    /// On the weighted mean time to online.
    pub weighted_mean_time_to_online_s: f64,
    /// Per tier name: bounds on the quantiles of time to online.
    pub tiers: BTreeMap<String, TierBound>,
}

/// Bounds on one tier's time-to-online quantiles, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TierBound {
    /// On the median.
    pub p50_s: f64,
    /// On the 95th percentile.
    pub p95_s: f64,
    /// On the maximum.
    pub max_s: f64,
}

/// Nearest-rank quantile of sorted values (`q` in (0, 1]).
pub fn quantile_sorted(sorted: &[u64], q: f64) -> u64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = (q * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn s(ms: f64) -> f64 {
    ms.round() / 1000.0
}

/// Computes the bounds for `fleet` from the `model`'s first draws (call
/// before the run) and the placement the `scheduler` chose for each database.
pub fn compute(fleet: &Fleet, model: &AzureModel, scheduler: &Scheduler) -> LowerBound {
    let params = model.params();
    let mirror = |server: usize| fleet.mirror_name(&fleet.servers[server].name);
    let server_ready: Vec<u64> = (0..fleet.servers.len())
        .map(|s| model.first_server_create_ms(&mirror(s)))
        .collect();
    let pool_ready: Vec<u64> = fleet
        .pools
        .iter()
        .map(|p| {
            let sid = p.server.0 as usize;
            server_ready[sid] + model.first_pool_create_ms(&mirror(sid), &p.name)
        })
        .collect();
    let mut pool_work = vec![(0u64, 0u64); fleet.pools.len()];
    let mut standalone = (0u64, u64::MAX, 0u64); // (sum, earliest start, latest end)
    let mut per_tier: Vec<Vec<u64>> = vec![Vec::new(); fleet.tiers.len()];
    let (mut weighted, mut weights) = (0.0f64, 0.0f64);
    let mut min_work = u64::MAX;
    let mut used_servers = vec![false; fleet.servers.len()];
    for (i, db) in fleet.databases.iter().enumerate() {
        let server = &fleet.servers[db.server.0 as usize].name;
        let Some((attempt, unrestorable)) = model.first_restore_attempt(server, &db.name) else {
            continue;
        };
        let work = if unrestorable || attempt.transient_failure {
            attempt.fail_after_ms
        } else {
            attempt.duration_ms
        };
        min_work = min_work.min(work);
        used_servers[db.server.0 as usize] = true;
        let start = match scheduler.placement(DbId(i as u32)) {
            Some(Placement::Pool(p)) => {
                let entry = &mut pool_work[p.0 as usize];
                entry.0 += work;
                entry.1 = entry.1.max(work);
                pool_ready[p.0 as usize]
            }
            _ => {
                let ready = server_ready[db.server.0 as usize];
                standalone.0 += work;
                standalone.1 = standalone.1.min(ready);
                standalone.2 = standalone.2.max(ready + work);
                ready
            }
        };
        if !unrestorable {
            let back = start + work;
            per_tier[usize::from(db.tier.0)].push(back);
            let w = f64::from(fleet.weight(db.tier));
            weighted += w * back as f64;
            weights += w;
        }
    }
    let slots = u64::from(params.pool_restore_slots.max(1));
    let pools_ms = pool_work
        .iter()
        .zip(&pool_ready)
        .filter(|((sum, _), _)| *sum > 0)
        .map(|((sum, longest), ready)| ready + (*longest).max(sum.div_ceil(slots)))
        .max()
        .unwrap_or(0);
    let standalone_ms = if standalone.0 > 0 {
        let k = u64::from(params.standalone_restore_slots.max(1));
        (standalone.1 + standalone.0.div_ceil(k)).max(standalone.2)
    } else {
        0
    };
    let writes = fleet.databases.len()
        + used_servers.iter().filter(|&&u| u).count()
        + pool_work.iter().filter(|(sum, _)| *sum > 0).count();
    let capacity = params.arm_writes.capacity as usize;
    let arm_ms = if writes > capacity && min_work != u64::MAX {
        let wait = (writes - capacity) as f64 / f64::from(params.arm_writes.refill_per_s);
        (wait * 1000.0) as u64 + min_work
    } else {
        0
    };
    let tiers = fleet
        .tiers
        .iter()
        .zip(per_tier.iter_mut())
        .map(|(tier, times)| {
            times.sort_unstable();
            let bound = TierBound {
                p50_s: s(quantile_sorted(times, 0.50) as f64),
                p95_s: s(quantile_sorted(times, 0.95) as f64),
                max_s: s(times.last().copied().unwrap_or(0) as f64),
            };
            (tier.name.clone(), bound)
        })
        .collect();
    LowerBound {
        makespan_s: s(pools_ms.max(standalone_ms).max(arm_ms) as f64),
        pools_s: s(pools_ms as f64),
        standalone_s: s(standalone_ms as f64),
        arm_writes_s: s(arm_ms as f64),
        weighted_mean_time_to_online_s: if weights > 0.0 {
            s(weighted / weights)
        } else {
            0.0
        },
        tiers,
    }
}
