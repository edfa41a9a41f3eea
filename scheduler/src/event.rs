//! Events: what happened, as the caller observed it.

use crate::command::OpId;
use crate::fleet::TierId;

/// Whether a failure is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// Retried with capped exponential backoff and jitter.
    Transient,
    /// Reported per tenant (or as a blocked step) with its reason.
    Permanent,
}

/// Something that happened, reported to [`crate::Scheduler::handle`].
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// Nothing happened; the caller woke up at [`crate::Scheduler::next_wakeup`].
    Wakeup,
    /// The request was accepted and runs asynchronously (ARM 201/202); for a
    /// restore this means it sits in Azure's queue for its pool.
    Accepted { op: OpId },
    /// The operation finished successfully (for a restore: database online).
    Succeeded { op: OpId },
    /// ARM answered 429: nothing was done; retry no earlier than `retry_after_ms`.
    Throttled { op: OpId, retry_after_ms: u64 },
    /// The operation failed.
    Failed {
        op: OpId,
        kind: FailureKind,
        reason: String,
    },
    /// Answer to [`crate::Action::CheckChanged`].
    Changed { op: OpId, changed: bool },
    /// The operator asked to cancel the recovery (the origin region is back).
    CancelRequested,
    /// The operator asked to bring every tenant home (origin region is back).
    RepatriateRequested,
    /// A tenant signed up in the recovery region during the outage; its
    /// database already exists in the new-tenant pool.
    TenantCreated { name: String, tier: TierId },
}
