//! Errors the scheduler returns for events it cannot accept.

use crate::command::OpId;

/// An event the scheduler could not apply. The scheduler stays consistent
/// and usable (the event's operation may have been closed, and due timers
/// have run), so the caller logs it and goes on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchedulerError {
    /// The event names an operation the scheduler never issued.
    #[error("event for unknown operation {0:?}")]
    UnknownOp(OpId),
    /// The event names an operation that already finished.
    #[error("event for operation {0:?}, which already finished")]
    FinishedOp(OpId),
    /// The event does not fit the operation (e.g. `Changed` for a restore).
    #[error("event {event} does not apply to operation {op:?} ({action})")]
    Mismatch {
        /// The operation.
        op: OpId,
        /// What the event was.
        event: &'static str,
        /// What the operation does.
        action: String,
    },
    /// The transition the event implies is not allowed from the current state.
    #[error("illegal transition for {what}: {from} -> {to}")]
    IllegalTransition {
        /// Tenant or resource.
        what: String,
        /// Current state.
        from: String,
        /// Requested state.
        to: String,
    },
    /// A tenant sign-up the scheduler cannot take now, with why.
    #[error("tenant sign-up refused: {0}")]
    SignUpRefused(String),
    /// A tier id outside the fleet's tiers.
    #[error("unknown tier {0}")]
    UnknownTier(u8),
    /// Time went backwards.
    #[error("time went backwards: {now_ms} ms after {last_ms} ms")]
    TimeWentBackwards {
        /// Time given.
        now_ms: u64,
        /// Last time seen.
        last_ms: u64,
    },
}
