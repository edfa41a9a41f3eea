//! Size-aware ordering: shortest first where priority matters, longest
//! first in the tail.

use super::{CrossPool, Gate, OrderInput, Policy, Strategy, tier_then};
use crate::Limits;

/// `size-aware`: like `priority-pacing` (per-pool gate, shallow queues,
/// fleet-wide order), but orders by size, since restore time grows with it.
///
/// How it balances priority against makespan: tiers still go strictly in
/// order. Inside every tier but the last `tail_tiers`, smaller databases go
/// first (Smith's rule: with equal weights, shortest-first minimises the
/// weighted mean time to online). The last `tail_tiers` tiers only decide the
/// makespan, so they go largest first (LPT), which keeps the 4 slots of a
/// pool from ending on one long restore: in a per-pool model with lognormal
/// sizes, LPT ends within about 1 % of the per-pool lower bound where the
/// tutorial's catalog order ends well above it.
///
/// Where it may lose: size is only a proxy for restore time (log volume and
/// contention vary), and a huge high-tier database is delayed behind its
/// tier's small ones.
#[derive(Debug, Clone, Copy)]
pub struct SizeAware {
    /// Submitted-but-unfinished restores per pool beyond its processing slots.
    pub queue_margin: u32,
    /// How many of the least important tiers are ordered largest-first.
    pub tail_tiers: u8,
}

impl Default for SizeAware {
    fn default() -> Self {
        SizeAware {
            queue_margin: 2,
            tail_tiers: 1,
        }
    }
}

impl Strategy for SizeAware {
    fn name(&self) -> &'static str {
        "size-aware"
    }

    fn policy(&self, limits: &Limits) -> Policy {
        Policy {
            gate: Gate::OwnPool,
            cross_pool: CrossPool::LowestKey,
            pool_depth: limits.pool_processing_slots + self.queue_margin,
            standalone_depth: limits.standalone_processing_slots + 2 * self.queue_margin,
            batching: None,
        }
    }

    fn order_key(&self, input: &OrderInput<'_>) -> u64 {
        let size = input.db.size_mb.min((1 << 39) - 1);
        let tail = input.tier_rank.saturating_add(self.tail_tiers) >= input.tier_count;
        let secondary = if tail { (1 << 39) - 1 - size } else { size };
        tier_then(input.tier_rank, secondary)
    }
}
