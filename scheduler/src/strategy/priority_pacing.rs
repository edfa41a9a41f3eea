//! Priority first, fleet-wide, with shallow per-pool queues.

use super::{OrderInput, Policy, Strategy, Where, tier_then};
use crate::Limits;
use crate::fleet::DatabaseInfo;

/// `priority-pacing` (and `fast-lane`, the same with `fast_lane_tiers = 1`).
///
/// Starts a pool's restores as soon as *that* pool exists; keeps each pool's
/// Azure queue only `queue_margin` deeper than its processing slots, and
/// picks the next database fleet-wide by tier (then catalog order), so the
/// ARM write budget is spent on premium tenants of every pool before any
/// standard one. The scheduler paces writes to the budget, so nothing is
/// wasted on 429s.
///
/// Why it should win: no barrier on the slowest pool; priority holds across
/// pools, not only within one; a cancel has at most `slots + margin` queued
/// restores per pool to undo. Where it may lose: a shallow queue leaves a
/// slot idle between a restore finishing and the next poll noticing it; the
/// margin covers that (raise it when polls are slow or restores very short).
///
/// With `fast_lane_tiers = n`, databases of the top `n` tiers are restored as
/// standalone databases, which use the subscription's separate 30-at-a-time
/// restore slots instead of waiting behind their pool's 4, then moved into
/// their mirror pool once their tenant is online (an online operation).
/// At most `fast_lane_waves` × 30 databases take the fast lane (the most
/// important first); more would only queue behind those 30 slots while
/// their own pools sit idle, which is how an uncapped fast lane lost on
/// `saas-10k` (premium p95 13.6 h against 1.35 h).
#[derive(Debug, Clone, Copy)]
pub struct PriorityPacing {
    /// Submitted-but-unfinished restores per pool beyond its processing slots.
    pub queue_margin: u32,
    /// Top tiers restored standalone first (0 = none).
    pub fast_lane_tiers: u8,
    /// Most databases in the fast lane, in units of the subscription's
    /// standalone processing slots (default 1: one wave of 30). More would
    /// only queue behind those slots while their pools sit idle.
    pub fast_lane_waves: u32,
}

impl Default for PriorityPacing {
    fn default() -> Self {
        PriorityPacing {
            queue_margin: 2,
            fast_lane_tiers: 0,
            fast_lane_waves: 1,
        }
    }
}

impl Strategy for PriorityPacing {
    fn name(&self) -> &'static str {
        if self.fast_lane_tiers > 0 {
            "fast-lane"
        } else {
            "priority-pacing"
        }
    }

    fn policy(&self, limits: &Limits) -> Policy {
        Policy::paced(limits, self.queue_margin)
    }

    fn order_key(&self, input: &OrderInput<'_>) -> u64 {
        tier_then(input.tier_rank, u64::from(input.index.0))
    }

    fn fast_lane_max(&self, limits: &Limits) -> usize {
        limits
            .standalone_processing_slots
            .saturating_mul(self.fast_lane_waves) as usize
    }

    fn placement(&self, db: &DatabaseInfo, tier_rank: u8) -> Where {
        if db.pool.is_some() && tier_rank < self.fast_lane_tiers {
            Where::FastLane
        } else {
            Where::Home
        }
    }
}
