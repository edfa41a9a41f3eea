//! The tutorial's final script, reproduced faithfully.

use super::{OrderInput, Policy, Strategy, tier_then};
use crate::Limits;

/// `wingtip`: what `Restore-TenantDatabasesToRecoveryRegion.ps1` does on
/// master. Waits until *every* mirror pool exists, then submits rounds of
/// "the highest-priority unrestored database of every pool" (premium, then
/// standard, then free; ties in catalog order) as fast as it can, with no
/// cap on restores in flight beyond Azure's own queue limit.
///
/// Why it is the baseline: it is what people run today. Where it loses: one
/// slow pool delays every tenant (the barrier); submitting everything at once
/// spends the ARM write budget in pool order, so a pool's free tenants are
/// requested before another pool's premium ones, and a cancel must undo
/// thousands of queued restores. Only submission order is shaped; Azure's
/// per-pool FIFO does the rest.
#[derive(Debug, Clone, Copy, Default)]
pub struct Wingtip;

impl Strategy for Wingtip {
    fn name(&self) -> &'static str {
        "wingtip"
    }

    fn policy(&self, limits: &Limits) -> Policy {
        Policy::tutorial(limits, None)
    }

    fn order_key(&self, input: &OrderInput<'_>) -> u64 {
        tier_then(input.tier_rank, u64::from(input.index.0))
    }
}
