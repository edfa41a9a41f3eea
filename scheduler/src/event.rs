//! Events: what happened, as the caller observed it.

use serde::{Deserialize, Serialize};

use crate::command::OpId;
use crate::fleet::TierId;

/// Whether a failure is worth retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureKind {
    /// Retried with capped exponential backoff and jitter.
    Transient,
    /// Reported per tenant (or as a blocked step) with its reason.
    Permanent,
}

/// Something that happened, reported to [`crate::Scheduler::handle`].
///
/// ARM requests are answered with [`Event::Response`] or
/// [`Event::TransportFailed`]; catalog calls with [`Event::Succeeded`],
/// [`Event::Failed`] or [`Event::Changed`]. The pre-read outcomes
/// ([`Event::Accepted`], [`Event::Succeeded`], [`Event::Throttled`],
/// [`Event::Failed`]) are also accepted for ARM commands, for tests and for
/// [`crate::plan::dry_run`], which need no wire.
// `Response` carries a whole ARM answer; events are moved, not stored in bulk.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
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
    /// What ARM answered to the command's request ([`crate::Work::Arm`]):
    /// status, headers and body as received. The scheduler reads it
    /// through the shared [`arm`] protocol crate; callers never interpret
    /// it themselves.
    Response {
        /// The operation this is about.
        op: OpId,
        /// The answer.
        response: arm::Response,
    },
    /// No answer came back for the command's request (connection refused
    /// or reset, TLS failure, timeout): nothing is known about its effect.
    TransportFailed {
        /// The operation this is about.
        op: OpId,
        /// What the transport said, for logs and failure reports.
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
