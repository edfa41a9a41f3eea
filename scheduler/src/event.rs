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
    Accepted {
        /// The operation this is about.
        op: OpId,
    },
    /// The operation finished successfully (for a restore: database online).
    Succeeded {
        /// The operation this is about.
        op: OpId,
    },
    /// ARM answered 429: nothing was done; retry no earlier than `retry_after_ms`.
    Throttled {
        /// The operation this is about.
        op: OpId,
        /// Retry-After, converted to milliseconds.
        retry_after_ms: u64,
    },
    /// The operation failed.
    Failed {
        /// The operation this is about.
        op: OpId,
        /// Whether retrying may help.
        kind: FailureKind,
        /// What the platform said, for the failure report.
        reason: String,
    },
    /// Answer to [`crate::Action::CheckChanged`].
    Changed {
        /// The operation this is about.
        op: OpId,
        /// Whether the data changed.
        changed: bool,
    },
    /// The operator asked to cancel the recovery (the origin region is back).
    CancelRequested,
    /// The operator asked to bring every tenant home (origin region is back).
    RepatriateRequested,
    /// A tenant signed up in the recovery region during the outage; its
    /// database already exists in the new-tenant pool.
    TenantCreated {
        /// The new tenant database's name.
        name: String,
        /// Its priority tier.
        tier: TierId,
    },
}
