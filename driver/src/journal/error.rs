//! Why a journal could not be opened, written or read.

use std::path::PathBuf;

use crate::lock::LockError;

/// A journal failure. Every variant names the journal file.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// SQLite refused (the file is not a database, the disk is full, ...).
    #[error("journal {path}: {cause}")]
    Sqlite {
        /// The journal.
        path: PathBuf,
        /// What SQLite said.
        cause: rusqlite::Error,
    },
    /// Another process holds the journal (or the lock file failed).
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The journal was written by an incompatible version of georestore.
    #[error(
        "journal {path} was written in format {found_format} (layout {found_schema}); this \
         georestore reads format {expected_format} (layout {expected_schema}): finish it with \
         the version that started it ({writer}), or start over with another --journal"
    )]
    Version {
        /// The journal.
        path: PathBuf,
        /// Its `format_version`.
        found_format: u32,
        /// Its `journal_schema`.
        found_schema: u32,
        /// [`scheduler::FORMAT_VERSION`].
        expected_format: u32,
        /// [`super::JOURNAL_SCHEMA`].
        expected_schema: u32,
        /// The georestore version that created it.
        writer: String,
    },
    /// The journal belongs to another fleet (or the fleet file changed).
    #[error(
        "journal {path} belongs to {mismatch}: the fleet file changed or is another one; use \
         the fleet file the recovery started with, or another --journal"
    )]
    OtherFleet {
        /// The journal.
        path: PathBuf,
        /// Which fleet it holds, and which was given.
        mismatch: Box<FleetMismatch>,
    },
    /// The file is an SQLite database without a journal header.
    #[error("{path} is not a georestore journal (it has no header)")]
    NotAJournal {
        /// The file.
        path: PathBuf,
    },
    /// A record does not parse (written by another program, or damaged).
    #[error("journal {path}: damaged record: {what}")]
    Damaged {
        /// The journal.
        path: PathBuf,
        /// Which record and why.
        what: String,
    },
    /// There is no journal at the path given.
    #[error("no journal at {path}")]
    Missing {
        /// The path looked at.
        path: PathBuf,
    },
    /// A file next to the journal (the fleet file) could not be read.
    #[error("reading {path}: {cause}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the OS said.
        cause: std::io::Error,
    },
    /// An outcome or a finish was recorded for an operation with no intent
    /// in this session (a bug of the caller).
    #[error("journal {path}: operation {op} has no intent in this session")]
    UnknownOp {
        /// The journal.
        path: PathBuf,
        /// The operation id.
        op: u64,
    },
}

/// The fleet a journal holds and the one given instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FleetMismatch {
    /// The fleet name in the journal.
    pub journal_fleet: String,
    /// The fleet file path in the journal.
    pub journal_fleet_path: String,
    /// The fleet hash in the journal.
    pub journal_sha256: String,
    /// The fleet file given now.
    pub given_path: String,
    /// Its hash.
    pub given_sha256: String,
}

impl std::fmt::Display for FleetMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fleet `{}` ({}, sha256 {}), not to {} (sha256 {})",
            self.journal_fleet,
            self.journal_fleet_path,
            self.journal_sha256,
            self.given_path,
            self.given_sha256
        )
    }
}
