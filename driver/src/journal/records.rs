//! Record types shared by the writer and the readers.

use arm::PollTarget;
use scheduler::resume::ObservedEstate;
use scheduler::{Command, OpId};
use serde::{Deserialize, Serialize};

/// What a catalog call returned, as journaled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum CatalogOutcome {
    /// Done.
    Succeeded,
    /// Answer to a change check.
    Changed {
        /// Whether the tenant's data changed.
        changed: bool,
    },
    /// Failed.
    Failed {
        /// Whether retrying may help.
        transient: bool,
        /// The reason.
        reason: String,
    },
}

/// An operator's request to a recovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperatorRequest {
    /// Cancel the recovery (`georestore cancel`).
    Cancel,
    /// Bring every tenant home.
    Repatriate,
}

impl OperatorRequest {
    /// The `operator_requests.kind` value.
    pub fn as_str(self) -> &'static str {
        match self {
            OperatorRequest::Cancel => "cancel",
            OperatorRequest::Repatriate => "repatriate",
        }
    }

    /// Parses an `operator_requests.kind` value.
    pub fn parse(kind: &str) -> Option<OperatorRequest> {
        match kind {
            "cancel" => Some(OperatorRequest::Cancel),
            "repatriate" => Some(OperatorRequest::Repatriate),
            _ => None,
        }
    }
}

/// An operator request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OperatorRecord {
    /// Its sequence number (increasing): a running recovery asks for the
    /// ones after the last it saw.
    pub seq: i64,
    /// What was asked.
    pub request: OperatorRequest,
    /// The asking process.
    pub by_pid: u32,
    /// Its host.
    pub by_host: String,
    /// When (ms since the Unix epoch).
    pub at_ms: i64,
}

/// An operation handed out and not finished, as the journal knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Unfinished {
    /// The session (process) that handed it out.
    pub session: u32,
    /// Its id in that session.
    pub op: OpId,
    /// The command of its latest intent, as handed out.
    pub command: Command,
    /// The status URL if that intent was answered 201/202.
    pub status_url: Option<PollTarget>,
    /// When the latest intent was recorded (ms since the Unix epoch).
    pub sent_at_ms: i64,
}

/// What a journal contributes to `recover --resume`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ResumeInput {
    /// The operations handed out and not finished, oldest first (all
    /// sessions: one a resumed run took over without sending it again
    /// keeps its status URL for the next resume).
    pub in_flight: Vec<(Command, Option<PollTarget>)>,
    /// The operator asked to cancel.
    pub cancel_requested: bool,
    /// The operator asked to repatriate.
    pub repatriate_requested: bool,
}

impl ResumeInput {
    /// Copies the journal's part into an observation (its `in_flight`,
    /// `cancel_requested` and `repatriate_requested`); the listed estate
    /// and the catalog rows are the caller's.
    pub fn apply_to(self, observed: &mut ObservedEstate) {
        for (command, poll) in self.in_flight {
            observed.journalled(command, poll);
        }
        observed.cancel_requested |= self.cancel_requested;
        observed.repatriate_requested |= self.repatriate_requested;
    }
}
