//! Notices: what a progress display or a log wants to know, handed out by
//! [`crate::Scheduler::poll_notice`] in the order it happened, so callers
//! never peek at tenant states to find out.

use serde::{Deserialize, Serialize};

use crate::command::Region;
use crate::fleet::DbId;
use crate::machine::Phase;

/// Something worth telling the operator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Notice {
    /// A tenant came online, served from its copy in `region` (also after a
    /// cancel or a repatriation brought it home).
    TenantOnline {
        /// The tenant's database.
        db: DbId,
        /// Where it is served from now.
        region: Region,
    },
    /// A tenant could not be served; it is offline (or stays where it was,
    /// for a step of repatriation) with this reason.
    TenantFailed {
        /// The tenant's database.
        db: DbId,
        /// What the platform or the scheduler said.
        reason: String,
    },
    /// The run moved to another phase.
    PhaseChanged {
        /// The phase it left.
        from: Phase,
        /// The phase it entered.
        to: Phase,
    },
    /// A step cannot go on (e.g. a pool that could not be created).
    StepBlocked {
        /// What is blocked and why.
        what: String,
    },
}
