//! `[recovery]`: the recovery region's design, the knobs a user controls
//! there (not Azure's limits): how many databases a recovery-region pool
//! holds and the capacity of each.
//!
//! Without the section the recovery region mirrors the origin: one pool per
//! origin pool, with its SKU. With it, the fleet the scheduler recovers is
//! rewritten before the run ([`RecoveryDesign::apply`]):
//!
//! - `databases_per_pool = K`: the mirror of an origin pool of `n > K`
//!   databases becomes `ceil(n / K)` pools on the same mirror server, the
//!   first keeping the pool's name, the others named `<pool>-2`,
//!   `<pool>-3`...; the databases, in fleet order, are dealt in contiguous
//!   runs of near-equal size (sizes differ by at most one). Each pool
//!   restores 4 at a time (Azure's per-pool limit, `[model]
//!   pool_restore_slots`), so more pools restore more at once. Pools are
//!   never merged.
//! - `pool_capacity = C`: every mirror pool gets `C` eDTU (DTU pools) or
//!   `C` vCores (vCore pools), edition unchanged; per-database min/max are
//!   capped at `C`. The model's restore durations do not depend on a pool's
//!   capacity (no published figure), so capacity changes the cost and the
//!   databases a pool may hold, not the speed.
//!
//! Checks, each naming the key and the fix: a pool holds at most as many
//! databases as its capacity allows (Basic/Standard: 100 below 100 eDTU,
//! 200 below 200, else 500; General Purpose: 100 below 4 vCores, 200 below
//! 6, else 500; `resource-limits-dtu-elastic-pools.md`,
//! `resource-limits-vcore-elastic-pools.md`); a mirror server's pools stay
//! within its quota (54,000 eDTU, or 540 vCores;
//! `resource-limits-logical-server.md`); a scenario that repatriates cannot
//! redesign the recovery region (the repatriation's pool sync back to the
//! origin is not modelled for a different layout).

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use scheduler::fleet::{Fleet, PoolCapacity, PoolId, PoolInfo};

/// The recovery region's design (`[recovery]`); every field optional.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoveryDesign {
    /// Most databases per recovery-region pool: a mirror of a larger origin
    /// pool is split into pools of near-equal size. 1 to 500.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 500)))]
    pub databases_per_pool: Option<u32>,
    /// Capacity of every recovery-region mirror pool: eDTU for DTU pools,
    /// vCores for vCore pools (the edition stays the origin pool's). At
    /// least 1.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub pool_capacity: Option<u32>,
}

/// A `[recovery]` problem: (key under `recovery`, message, fix).
pub type DesignError = (String, String, String);

/// Most eDTU of the pools of one server (`resource-limits-logical-server.md`).
pub const SERVER_EDTU_QUOTA: u64 = 54_000;
/// Most vCores of the pools of one server (same page).
pub const SERVER_VCORE_QUOTA: u64 = 540;

/// Most databases a pool of `edition` and `capacity` holds, where the
/// resource-limits pages publish it (Basic/Standard DTU, General Purpose
/// vCore); `None` for other editions (only `[model]
/// max_databases_per_pool` applies).
pub fn databases_allowed(edition: &str, capacity: PoolCapacity) -> Option<u32> {
    match (edition, capacity) {
        ("Basic" | "Standard", PoolCapacity::Dtu(d)) => Some(match d {
            0..100 => 100,
            100..200 => 200,
            _ => 500,
        }),
        ("GeneralPurpose", PoolCapacity::VCores(v)) => Some(match v {
            0..4 => 100,
            4..6 => 200,
            _ => 500,
        }),
        _ => None,
    }
}

fn problem(key: &str, message: String, fix: String) -> DesignError {
    (key.to_owned(), message, fix)
}

impl RecoveryDesign {
    /// Whether the section changes anything.
    pub fn is_set(&self) -> bool {
        self.databases_per_pool.is_some() || self.pool_capacity.is_some()
    }

    /// The fleet the recovery region is built from: `fleet` with its pools
    /// split and resized as the section says (see the module doc).
    ///
    /// Contract: without settings, `fleet` unchanged; database ids, servers
    /// and every database's tier, size and order unchanged; each origin
    /// pool's databases stay on its server, in its split pools, in order;
    /// pool ids dense and in (origin pool, split index) order. Errors name
    /// the key under `recovery` and the fix.
    pub fn apply(&self, mut fleet: Fleet) -> Result<Fleet, DesignError> {
        if !self.is_set() {
            return Ok(fleet);
        }
        if let Some(k) = self.databases_per_pool
            && !(1..=500).contains(&k)
        {
            return Err(problem(
                "databases_per_pool",
                format!("databases_per_pool is {k}"),
                "use 1..=500 (Azure's per-pool database limit)".into(),
            ));
        }
        if self.pool_capacity == Some(0) {
            return Err(problem(
                "pool_capacity",
                "pool_capacity is 0".into(),
                "use the eDTU (DTU pools) or vCores (vCore pools) of each recovery pool, at least 1"
                    .into(),
            ));
        }
        let old = std::mem::take(&mut fleet.pools);
        let mut pools: Vec<PoolInfo> = Vec::with_capacity(old.len());
        let mut new_id: Vec<Vec<PoolId>> = Vec::with_capacity(old.len());
        for pool in old {
            let pool = self.resized(pool);
            let n = pool.databases.len();
            let parts = match self.databases_per_pool {
                Some(k) => n.div_ceil(k as usize).max(1),
                None => 1,
            };
            let mut ids = Vec::with_capacity(parts);
            let mut start = 0;
            for part in 0..parts {
                // Near-equal contiguous runs: the first n % parts get one more.
                let len = n / parts + usize::from(part < n % parts);
                let mut piece = pool.clone();
                if part > 0 {
                    piece.name = format!("{}-{}", pool.name, part + 1);
                }
                piece.databases = pool.databases[start..start + len].to_vec();
                start += len;
                ids.push(PoolId(pools.len() as u32));
                pools.push(piece);
            }
            new_id.push(ids);
        }
        for (p, pool) in pools.iter().enumerate() {
            for &db in &pool.databases {
                if let Some(d) = fleet.databases.get_mut(db.0 as usize) {
                    d.pool = Some(PoolId(p as u32));
                }
            }
        }
        for server in &mut fleet.servers {
            server.pools = server
                .pools
                .iter()
                .flat_map(|old| new_id.get(old.0 as usize).cloned().unwrap_or_default())
                .collect();
        }
        fleet.pools = pools;
        check_names(&fleet)?;
        check_limits(&fleet, self)?;
        Ok(fleet)
    }

    fn resized(&self, mut pool: PoolInfo) -> PoolInfo {
        if let Some(c) = self.pool_capacity {
            pool.capacity = match pool.capacity {
                PoolCapacity::Dtu(_) => PoolCapacity::Dtu(c),
                PoolCapacity::VCores(_) => PoolCapacity::VCores(c),
            };
            pool.sku.capacity = c;
            let cap = f64::from(c);
            pool.per_db_min = pool.per_db_min.min(cap);
            pool.per_db_max = pool.per_db_max.map(|m| m.min(cap));
        }
        pool
    }
}

/// A split pool's name must not be one of its server's other pools.
fn check_names(fleet: &Fleet) -> Result<(), DesignError> {
    for server in &fleet.servers {
        let mut names: Vec<&str> = server
            .pools
            .iter()
            .filter_map(|p| fleet.pools.get(p.0 as usize))
            .map(|p| p.name.as_str())
            .collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(problem(
                "databases_per_pool",
                format!(
                    "splitting the pools of server `{}` makes two pools named `{}` (split pools are named <pool>-2, <pool>-3...)",
                    server.name, w[0]
                ),
                "rename the origin pool that ends in -<number> in the fleet, or use a databases_per_pool that does not split it".into(),
            ));
        }
    }
    Ok(())
}

/// The per-pool database limits of the pools' capacities, and the servers'
/// capacity quotas.
fn check_limits(fleet: &Fleet, design: &RecoveryDesign) -> Result<(), DesignError> {
    for pool in &fleet.pools {
        let held = pool.databases.len();
        if let Some(allowed) = databases_allowed(&pool.edition, pool.capacity)
            && held > allowed as usize
        {
            let (key, fix) = match design.pool_capacity {
                Some(_) => (
                    "pool_capacity",
                    format!(
                        "raise pool_capacity (a {} pool of {} holds at most {allowed} databases) or set databases_per_pool <= {allowed}",
                        pool.edition,
                        capacity_text(pool.capacity)
                    ),
                ),
                None => (
                    "databases_per_pool",
                    format!("use databases_per_pool <= {allowed}, or a larger pool_capacity"),
                ),
            };
            return Err(problem(
                key,
                format!(
                    "recovery pool `{}` would hold {held} databases but a {} pool of {} holds at most {allowed} (resource-limits-dtu-elastic-pools.md / resource-limits-vcore-elastic-pools.md)",
                    pool.name,
                    pool.edition,
                    capacity_text(pool.capacity)
                ),
                fix,
            ));
        }
    }
    for server in &fleet.servers {
        let (mut edtu, mut vcores) = (0u64, 0u64);
        for pool in server
            .pools
            .iter()
            .filter_map(|p| fleet.pools.get(p.0 as usize))
        {
            match pool.capacity {
                PoolCapacity::Dtu(d) => edtu += u64::from(d),
                PoolCapacity::VCores(v) => vcores += u64::from(v),
            }
        }
        // 1 vCore counts as 100 DTU against the quota.
        if edtu + 100 * vcores > SERVER_EDTU_QUOTA {
            return Err(problem(
                if design.pool_capacity.is_some() {
                    "pool_capacity"
                } else {
                    "databases_per_pool"
                },
                format!(
                    "the mirror of server `{}` would hold {} pools of {edtu} eDTU and {vcores} vCores in all, above a server's quota of {SERVER_EDTU_QUOTA} eDTU ({SERVER_VCORE_QUOTA} vCores; resource-limits-logical-server.md)",
                    server.name,
                    server.pools.len()
                ),
                "use a smaller pool_capacity or a larger databases_per_pool (fewer pools)".into(),
            ));
        }
    }
    Ok(())
}

fn capacity_text(c: PoolCapacity) -> String {
    match c {
        PoolCapacity::Dtu(d) => format!("{d} eDTU"),
        PoolCapacity::VCores(v) => format!("{v} vCores"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scheduler::fleet::DbId;
    use std::path::Path;

    fn saas_1k() -> Fleet {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/saas-1k.toml");
        crate::scenario::load(&path).expect("saas-1k").fleet
    }

    #[test]
    fn splitting_keeps_every_database_once_in_order_on_its_server() {
        let fleet = saas_1k();
        let design = RecoveryDesign {
            databases_per_pool: Some(15),
            pool_capacity: Some(100),
        };
        let split = design.apply(fleet.clone()).expect("applies");
        // 980 pooled tenants: 19 pools of 50, each into 13 + 13 + 12 + 12,
        // and one of 30, into 15 + 15.
        assert_eq!(fleet.pools.len(), 20);
        assert_eq!(split.pools.len(), 19 * 4 + 2);
        let sizes: Vec<usize> = split.pools[..4].iter().map(|p| p.databases.len()).collect();
        assert_eq!(sizes, [13, 13, 12, 12]);
        let last: Vec<usize> = split.pools[76..]
            .iter()
            .map(|p| p.databases.len())
            .collect();
        assert_eq!(last, [15, 15]);
        let names: Vec<&str> = split.pools[..4].iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["pool00", "pool00-2", "pool00-3", "pool00-4"]);
        let flat: Vec<DbId> = split
            .pools
            .iter()
            .flat_map(|p| p.databases.clone())
            .collect();
        let orig: Vec<DbId> = fleet
            .pools
            .iter()
            .flat_map(|p| p.databases.clone())
            .collect();
        assert_eq!(flat, orig);
        for (p, pool) in split.pools.iter().enumerate() {
            assert_eq!(pool.sku.capacity, 100);
            assert_eq!(pool.capacity, PoolCapacity::Dtu(100));
            assert!(
                split.servers[pool.server.0 as usize]
                    .pools
                    .contains(&PoolId(p as u32))
            );
            for db in &pool.databases {
                let d = &split.databases[db.0 as usize];
                assert_eq!(d.pool, Some(PoolId(p as u32)));
                assert_eq!(d.server, pool.server);
            }
        }
        assert_eq!(
            RecoveryDesign::default()
                .apply(fleet.clone())
                .expect("same")
                .pools
                .len(),
            20
        );
    }

    #[test]
    fn limits_name_the_key_and_the_fix() {
        let fleet = saas_1k();
        // Generated pools of 200 do not fit 50 eDTU (100 databases) unless split.
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/saas-1k.toml"),
        )
        .expect("read")
        .replace("databases_per_pool = 50", "databases_per_pool = 200");
        let big = crate::scenario::parse(&text, "big", Path::new("."))
            .expect("parse")
            .fleet;
        let small = RecoveryDesign {
            databases_per_pool: None,
            pool_capacity: Some(50),
        };
        let (key, message, fix) = small.apply(big.clone()).expect_err("too full");
        assert_eq!(key, "pool_capacity");
        assert!(message.contains("holds at most 100"), "{message}");
        assert!(fix.contains("databases_per_pool <= 100"), "{fix}");
        let split = RecoveryDesign {
            databases_per_pool: Some(100),
            ..small
        };
        assert!(split.apply(big).is_ok());
        let e = RecoveryDesign {
            databases_per_pool: None,
            pool_capacity: Some(3000),
        };
        // 10 pools of 3000 eDTU per server: 30,000, within 54,000.
        assert!(e.apply(fleet.clone()).is_ok());
        let (key, message, fix) = RecoveryDesign {
            databases_per_pool: Some(1),
            pool_capacity: Some(3000),
        }
        .apply(fleet.clone())
        .expect_err("quota");
        assert_eq!(key, "pool_capacity");
        assert!(message.contains("54000 eDTU"), "{message}");
        assert!(fix.contains("smaller pool_capacity"), "{fix}");
        let (key, ..) = RecoveryDesign {
            databases_per_pool: Some(0),
            pool_capacity: None,
        }
        .apply(fleet)
        .expect_err("zero");
        assert_eq!(key, "databases_per_pool");
        assert_eq!(
            databases_allowed("Standard", PoolCapacity::Dtu(50)),
            Some(100)
        );
        assert_eq!(
            databases_allowed("Standard", PoolCapacity::Dtu(200)),
            Some(500)
        );
        assert_eq!(
            databases_allowed("GeneralPurpose", PoolCapacity::VCores(4)),
            Some(200)
        );
        assert_eq!(databases_allowed("Premium", PoolCapacity::Dtu(125)), None);
    }
}
