//! The tutorial script's earlier, batched version.

use super::{Batching, OrderInput, Policy, Strategy, tier_then};
use crate::Limits;

/// `wingtip-batched`: commit 7bda57e of the tutorial's restore job. After
/// every mirror pool exists, databases go in batches (one ARM template
/// deployment each) of at most `total_max` databases, at most `per_pool_max`
/// per pool, with at most `concurrent_max` batches in flight; a new batch
/// starts only when a whole batch has finished.
///
/// Knobs: `total_max` (15), `per_pool_max` (5), `concurrent_max` (5).
/// Where it loses: at most 75 restores in flight fleet-wide, so pools beyond
/// the first few sit idle and a batch waits for its slowest member.
#[derive(Debug, Clone, Copy)]
pub struct WingtipBatched {
    /// Databases per batch (`TotalBatchMax`).
    pub total_max: u32,
    /// Databases per pool per batch (`PoolBatchMax`).
    pub per_pool_max: u32,
    /// Batches in flight (`ConcurrentBatchMax`).
    pub concurrent_max: u32,
}

impl Default for WingtipBatched {
    fn default() -> Self {
        WingtipBatched {
            total_max: 15,
            per_pool_max: 5,
            concurrent_max: 5,
        }
    }
}

impl Strategy for WingtipBatched {
    fn name(&self) -> &'static str {
        "wingtip-batched"
    }

    fn policy(&self, limits: &Limits) -> Policy {
        let batching = Batching {
            total_max: self.total_max.max(1),
            per_pool_max: self.per_pool_max.max(1),
            concurrent_max: self.concurrent_max.max(1),
        };
        Policy::tutorial(limits, Some(batching))
    }

    fn order_key(&self, input: &OrderInput<'_>) -> u64 {
        tier_then(input.tier_rank, u64::from(input.index.0))
    }
}
