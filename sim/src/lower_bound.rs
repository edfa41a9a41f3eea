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
//!    restore ends no earlier than `R(P) + max(max_i r(i), Σ_i r(i) / k,
//!    max_r Σ of the r + 1 shortest of the r·k + 1 longest r(i))` (the
//!    area argument on `k` machines available from `R(P)`, and pigeonhole:
//!    some slot runs `r + 1` of the `r·k + 1` longest restores).
//! 3. **Standalone.** Likewise with the subscription's `k_s` (30) slots,
//!    available at the earliest from the first mirror server's `c(S)`. The
//!    catalog's own restore is a standalone restore too (from its mirror
//!    server's `c(C)`).
//! 4. **ARM writes, then the work.** Every restore (the catalog's
//!    included) and every creation of a used mirror server, pool and the
//!    catalog server is one ARM write; a creation precedes the restores
//!    that need it. With a bucket of capacity `B` refilling `ρ` tokens/s,
//!    the `m`-th write cannot be sent before `(m - B) / ρ`. Take the last
//!    `j` restores sent: the first of them is at least the `m_j`-th write,
//!    `m_j = max(n - j + 1, W - 3(j - 1))` (`n` restores, `W` writes: all
//!    other restores precede it, and so does every creation except at most
//!    a server and a pool for each of the `j - 1` later restores), and one
//!    of these `j` restores holds its slot at least the `j`-th smallest
//!    work `w_(j)`. So the makespan is at least
//!    `max_j (m_j - B) / ρ + w_(j)`, which for `j = 1` is the plain budget
//!    bound `(W - B) / ρ + min w`.
//! 5. **Catalog path.** No tenant is marked online before the recovery
//!    catalog is reachable: its mirror server `c(C)`, then its restore
//!    `r(C)`, then its alias switch (at least `dns_alias_min_ms`). So every
//!    tenant is back no earlier than `T_C = c(C) + r(C) + alias_min`.
//! 6. **Per tenant.** Tenant `i` is back no earlier than `L(i) = max(R(P_i)
//!    + r(i), T_C)` (its own restore started the moment its pool could be
//!    ready, nothing ahead of it, and the catalog path). Hence any quantile
//!    of a tier's times to online is at least the same quantile of
//!    `{L(i)}` (the order statistics are bounded element-wise after
//!    sorting), and the weighted mean time to online is at least
//!    `Σ w_i L(i) / Σ w_i`.
//!
//! The makespan bound is the maximum of 2, 3, 4 and 5 (1 is inside 2 and
//! 3); each is reported. Tenants whose database is unrestorable are left
//! out of 6 (they fail). When the catalog itself is unrestorable every
//! tenant fails with it, and only its path (`c(C) + r(C)`) is bounded.

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
    /// Component 4: the ARM write budget, combined with the work of the
    /// restores sent last.
    pub arm_writes_s: f64,
    /// Component 5: the catalog path (catalog server, catalog restore,
    /// alias switch), before which no tenant is back.
    pub catalog_s: f64,
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

/// The processing time the first restore attempt of `server/name` holds
/// its slot for (its duration, or its failure point when it fails), and
/// whether the database is unrestorable; `None` for an unknown source.
fn first_work(model: &AzureModel, server: &str, name: &str) -> Option<(u64, bool)> {
    let (attempt, unrestorable) = model.first_restore_attempt(server, name)?;
    let work = if unrestorable || attempt.transient_failure {
        attempt.fail_after_ms
    } else {
        attempt.duration_ms
    };
    Some((work, unrestorable))
}

/// The least time `slots` parallel slots need to process `works` (each
/// work holds one slot throughout), all available from time 0: the
/// longest work, the area `Σ w / k`, and for every `r >= 1` the pigeonhole
/// bound that some slot runs `r + 1` of the `r·k + 1` longest works, so at
/// least the `r + 1` shortest of those. Sorts `works`.
fn slots_bound_ms(works: &mut [u64], slots: u64) -> u64 {
    works.sort_unstable_by(|a, b| b.cmp(a));
    let k = slots.max(1) as usize;
    let mut best = works
        .first()
        .copied()
        .unwrap_or(0)
        .max(works.iter().sum::<u64>().div_ceil(slots.max(1)));
    let mut prefix = Vec::with_capacity(works.len() + 1);
    prefix.push(0u64);
    for w in works.iter() {
        prefix.push(prefix.last().copied().unwrap_or(0) + w);
    }
    let mut r = 1;
    while r * k < works.len() {
        let top = r * k; // index of the (r·k + 1)-th longest
        best = best.max(prefix[top + 1] - prefix[top - r]);
        r += 1;
    }
    best
}

/// Component 4: the latest finish the write budget allows. `works` holds
/// the first-attempt work of every restore (sorted here), `writes` the
/// writes that precede or are the last restore, `prerequisites` how many
/// of those are server or pool creations.
fn write_budget_ms(
    works: &mut [u64],
    writes: usize,
    prerequisites: usize,
    params: &crate::params::ModelParams,
) -> u64 {
    works.sort_unstable();
    let capacity = params.arm_writes.capacity as usize;
    let rate = f64::from(params.arm_writes.refill_per_s.max(1));
    let n = works.len();
    let mut best = 0u64;
    for (j, &work) in works.iter().enumerate() {
        // The (j+1)-th restore from the end is the `position`-th write or
        // later: every other restore before it, and every creation except
        // the (at most two per restore) that only later restores need.
        let position = (n - j)
            .max((n + prerequisites).saturating_sub(3 * j))
            .min(writes);
        if position <= capacity {
            break;
        }
        let sent = ((position - capacity) as f64 / rate * 1000.0) as u64;
        best = best.max(sent + work);
    }
    best
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

    // Component 5: the catalog path. No tenant is marked online before the
    // catalog's mirror server exists, its restore ran and its alias moved.
    let catalog_mirror = fleet.mirror_name(&fleet.catalog.server);
    let catalog_server_ms = model.first_server_create_ms(&catalog_mirror);
    let catalog = first_work(model, &fleet.catalog.server, &fleet.catalog.database);
    let catalog_shares_a_server = fleet.servers.iter().any(|s| s.name == fleet.catalog.server);

    let mut pool_work: Vec<Vec<u64>> = vec![Vec::new(); fleet.pools.len()];
    // Standalone: (works, earliest start, latest end).
    let mut standalone = (Vec::new(), u64::MAX, 0u64);
    let mut works: Vec<u64> = Vec::with_capacity(fleet.databases.len() + 1);
    let mut restore_end: Vec<(usize, u64, f64)> = Vec::with_capacity(fleet.databases.len());
    let mut used_servers = vec![false; fleet.servers.len()];
    let mut restorable_tenants = 0usize;
    for (i, db) in fleet.databases.iter().enumerate() {
        let server = &fleet.servers[db.server.0 as usize].name;
        let Some((work, unrestorable)) = first_work(model, server, &db.name) else {
            continue;
        };
        works.push(work);
        used_servers[db.server.0 as usize] = true;
        let start = match scheduler.placement(DbId(i as u32)) {
            Some(Placement::Pool(p)) => {
                pool_work[p.0 as usize].push(work);
                pool_ready[p.0 as usize]
            }
            _ => {
                let ready = server_ready[db.server.0 as usize];
                standalone.0.push(work);
                standalone.1 = standalone.1.min(ready);
                standalone.2 = standalone.2.max(ready + work);
                ready
            }
        };
        if !unrestorable {
            restorable_tenants += 1;
            restore_end.push((
                usize::from(db.tier.0),
                start + work,
                f64::from(fleet.weight(db.tier)),
            ));
        }
    }
    let mut writes = works.len()
        + used_servers.iter().filter(|&&u| u).count()
        + pool_work.iter().filter(|w| !w.is_empty()).count();
    let mut prerequisites = writes - works.len();
    let mut catalog_ms = 0u64;
    match catalog {
        Some((work, true)) => {
            // Every tenant fails with the catalog: only its path is bounded.
            restore_end.clear();
            catalog_ms = catalog_server_ms + work;
        }
        Some((work, false)) if restorable_tenants > 0 => {
            // Tenants wait for it, so it ends before the last one is back:
            // a standalone restore and a write like the tenants' own.
            standalone.0.push(work);
            standalone.1 = standalone.1.min(catalog_server_ms);
            standalone.2 = standalone.2.max(catalog_server_ms + work);
            works.push(work);
            writes += 1;
            if !catalog_shares_a_server {
                writes += 1;
                prerequisites += 1;
            }
            catalog_ms = catalog_server_ms + work + params.dns_alias_min_ms;
        }
        _ => {}
    }
    let catalog_fails = catalog.is_some_and(|(_, unrestorable)| unrestorable);

    let mut per_tier: Vec<Vec<u64>> = vec![Vec::new(); fleet.tiers.len()];
    let (mut weighted, mut weights) = (0.0f64, 0.0f64);
    for &(tier, end, weight) in &restore_end {
        let back = end.max(catalog_ms);
        per_tier[tier].push(back);
        weighted += weight * back as f64;
        weights += weight;
    }
    let slots = u64::from(params.pool_restore_slots.max(1));
    let pools_ms = pool_work
        .iter_mut()
        .zip(&pool_ready)
        .filter(|(works, _)| !works.is_empty())
        .map(|(works, ready)| ready + slots_bound_ms(works, slots))
        .max()
        .unwrap_or(0);
    let standalone_ms = if standalone.0.is_empty() {
        0
    } else {
        let k = u64::from(params.standalone_restore_slots.max(1));
        (standalone.1 + slots_bound_ms(&mut standalone.0, k)).max(standalone.2)
    };
    let arm_ms = write_budget_ms(&mut works, writes, prerequisites, params);
    let (pools_ms, standalone_ms, arm_ms) = if catalog_fails {
        // Tenants are reported failed when the catalog fails, restores or not.
        (0, 0, 0)
    } else {
        (pools_ms, standalone_ms, arm_ms)
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
        makespan_s: s(pools_ms.max(standalone_ms).max(arm_ms).max(catalog_ms) as f64),
        pools_s: s(pools_ms as f64),
        standalone_s: s(standalone_ms as f64),
        arm_writes_s: s(arm_ms as f64),
        catalog_s: s(catalog_ms as f64),
        weighted_mean_time_to_online_s: if weights > 0.0 {
            s(weighted / weights)
        } else {
            0.0
        },
        tiers,
    }
}
