//! Why a catalog call failed.

use std::path::PathBuf;
use std::time::Duration;

use scheduler::{Event, FailureKind, OpId};

use crate::journal::CatalogOutcome;

/// A failed catalog call.
#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    /// The catalog holds no such tenant.
    #[error("the catalog has no tenant {tenant_id:?}")]
    UnknownTenant {
        /// The tenant key asked for.
        tenant_id: String,
    },
    /// The embedded catalog's SQLite file failed.
    #[error("catalog {path}: {cause}")]
    Sqlite {
        /// The catalog file.
        path: PathBuf,
        /// What SQLite said.
        cause: rusqlite::Error,
    },
    /// The catalog command could not be started (or its pipes failed).
    #[error("catalog command {program}: cannot run it: {cause}")]
    Spawn {
        /// The command.
        program: String,
        /// What the OS said.
        cause: std::io::Error,
    },
    /// The catalog command exited unsuccessfully.
    #[error("catalog command {program} exited with {status}: {stderr}")]
    Exit {
        /// The command.
        program: String,
        /// Its exit status.
        status: String,
        /// Its standard error (trimmed, at most 4 KiB).
        stderr: String,
    },
    /// The catalog command did not finish in time; it was killed.
    #[error("catalog command {program} did not answer within {after:?}; it was killed")]
    Timeout {
        /// The command.
        program: String,
        /// The time allowed.
        after: Duration,
    },
    /// The catalog command's answer is not the JSON the protocol asks for.
    #[error("catalog command {program} answered {answer:?}, which is not valid: {why}")]
    BadAnswer {
        /// The command.
        program: String,
        /// Its standard output (at most 4 KiB).
        answer: String,
        /// What is wrong with it.
        why: String,
    },
    /// The catalog command refused the call (`"ok": false`).
    #[error("catalog command {program} refused: {reason}")]
    Refused {
        /// The command.
        program: String,
        /// Its `error` text.
        reason: String,
        /// Its `permanent` flag.
        permanent: bool,
    },
}

impl CatalogError {
    /// Whether retrying may help: unknown tenants, commands that cannot
    /// start, invalid answers and refusals marked permanent are permanent;
    /// SQLite errors, failed exits and timeouts are transient.
    pub fn kind(&self) -> FailureKind {
        match self {
            CatalogError::UnknownTenant { .. }
            | CatalogError::Spawn { .. }
            | CatalogError::BadAnswer { .. }
            | CatalogError::Refused {
                permanent: true, ..
            } => FailureKind::Permanent,
            CatalogError::Sqlite { .. }
            | CatalogError::Exit { .. }
            | CatalogError::Timeout { .. }
            | CatalogError::Refused {
                permanent: false, ..
            } => FailureKind::Transient,
        }
    }

    /// The scheduler event reporting it for `op`.
    pub fn to_event(&self, op: OpId) -> Event {
        Event::Failed {
            op,
            kind: self.kind(),
            reason: self.to_string(),
        }
    }

    /// The journal record of it.
    pub fn to_outcome(&self) -> CatalogOutcome {
        CatalogOutcome::Failed {
            transient: self.kind() == FailureKind::Transient,
            reason: self.to_string(),
        }
    }
}
