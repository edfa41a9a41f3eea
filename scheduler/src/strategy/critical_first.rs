//! `critical-first`: `size-aware`, except that a database big enough to
//! decide its pool's end starts first in its pool, whatever its tier.

use super::{OrderInput, Policy, SizeAware, Strategy};
use crate::Limits;

/// `critical-first`: [`SizeAware`] ordering (tiers in order, smallest first
/// where priority matters, largest first in the tail), plus one exception
/// for the critical path of each pool.
///
/// A pool's restores cannot end before its longest restore has run from
/// start to end. `size-aware` starts a large database of the last tier
/// only after every more important database of its pool: a pool whose
/// 89 GB free-tier database takes 5.4 h then ends at 7.75 h where it could
/// end at 6.3 h (`saas-10k`, seed 1, measured). Here a database holding at
/// least `critical_share_pct` % of its pool's total size goes first in its
/// pool, taking one of the pool's slots from the start; every other
/// database keeps `size-aware`'s order.
///
/// Where it may lose: the important tenants of such a pool share one slot
/// fewer while the large restore runs; size is only a proxy for restore
/// time, so a small database that restores slowly still ends a pool late.
#[derive(Debug, Clone, Copy)]
pub struct CriticalFirst {
    /// The ordering of every database that is not critical.
    pub size_aware: SizeAware,
    /// Share of its pool's total size, in percent, from which a database
    /// goes first in its pool (default 20; 100 turns the exception off
    /// except for a pool of one database).
    pub critical_share_pct: u8,
}

impl Default for CriticalFirst {
    fn default() -> Self {
        CriticalFirst {
            size_aware: SizeAware::default(),
            critical_share_pct: 20,
        }
    }
}

impl CriticalFirst {
    /// Whether the database goes first in its pool.
    pub fn is_critical(&self, input: &OrderInput<'_>) -> bool {
        input.pool_size_mb > 0
            && u128::from(input.db.size_mb) * 100
                >= u128::from(self.critical_share_pct) * u128::from(input.pool_size_mb)
    }
}

impl Strategy for CriticalFirst {
    fn name(&self) -> &'static str {
        "critical-first"
    }

    fn policy(&self, limits: &Limits) -> Policy {
        self.size_aware.policy(limits)
    }

    fn order_key(&self, input: &OrderInput<'_>) -> u64 {
        if self.is_critical(input) {
            // Below every key of the first tier (tier 0, then its size).
            0
        } else {
            self.size_aware.order_key(input)
        }
    }
}
