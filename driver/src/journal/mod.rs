//! The crash-safe journal of a recovery: one SQLite file (WAL mode,
//! `synchronous = FULL`), written by one process at a time.
//!
//! What it keeps, and when it is durable:
//!
//! - a [`Header`]: format version, fleet file path and SHA-256, strategy,
//!   start time, georestore version; a journal of another format or another
//!   fleet is refused ([`JournalError::Version`], [`JournalError::OtherFleet`]);
//! - one session per process that wrote to it (`recover`, each `--resume`);
//!   operation ids are unique within a session;
//! - each command's **intent** before its request is sent:
//!   [`Journal::record_intents`] returns only once the intents (and every
//!   record buffered before them) are committed and fsync'd, so a caller
//!   that sends after it returns never sends a request the journal lacks;
//! - each **outcome** (HTTP status, transport failure, catalog result), the
//!   **status URL** of an operation answered 201/202 (read through
//!   [`arm::interpret`]), operations **finished**, and tenant/phase
//!   **notices**: buffered in memory and committed with the next durable
//!   write or [`Journal::flush`] (call it before waiting for anything). A
//!   crash loses at most those: resume then treats the answer as lost,
//!   which the scheduler handles safely (a restore PUT sent again is
//!   answered 409 "already exists" and followed, never started twice);
//! - **operator requests** (cancel, repatriate): durable at once, also from
//!   another process ([`request_operator`]).
//!
//! Reading back: [`Journal::resume_input`] (or [`JournalReader`]) gives the
//! unfinished operations with their status URLs and the operator requests,
//! as [`scheduler::resume::ObservedEstate`] takes them;
//! [`crate::status::Summary`] reads the rest, also while a run writes.
//!
//! The schema is in [`schema`]; the file's default place is [`default_path`].

mod error;
mod header;
mod operator;
mod path;
mod read;
mod records;
pub mod schema;
mod write;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

pub use error::{FleetMismatch, JournalError};
pub use header::{Header, RunInfo, TierCount, fleet_sha256, tier_counts};
pub use operator::request_operator;
pub use path::default_path;
pub use read::JournalReader;
pub use records::{CatalogOutcome, OperatorRecord, OperatorRequest, ResumeInput, Unfinished};
pub use schema::JOURNAL_SCHEMA;

use crate::lock::RunLock;
use write::Pending;

/// How long a connection waits for another one's write to finish (a
/// `georestore cancel` or `status` beside a running recovery).
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// What a connection is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// The recovery writing the journal: creates the file, sets WAL mode.
    Writer,
    /// Another process adding an operator request to an existing journal.
    Operator,
    /// A reader of an existing journal: changes nothing in the file (a
    /// file that is not a journal is not converted to WAL mode).
    Reader,
}

/// Opens `path` for `role`. Every connection that writes commits with
/// `synchronous = FULL` (the WAL is fsync'd at every commit).
fn connect(path: &Path, role: Role) -> Result<Connection, JournalError> {
    let db = |cause| JournalError::Sqlite {
        path: path.to_owned(),
        cause,
    };
    let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    if role == Role::Writer {
        flags |= OpenFlags::SQLITE_OPEN_CREATE;
    } else if !path.exists() {
        return Err(JournalError::Missing {
            path: path.to_owned(),
        });
    }
    let conn = Connection::open_with_flags(path, flags).map_err(db)?;
    conn.busy_timeout(BUSY_TIMEOUT).map_err(db)?;
    if role == Role::Writer {
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .map_err(db)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(JournalError::Damaged {
                path: path.to_owned(),
                what: format!("SQLite kept journal_mode {mode} instead of WAL"),
            });
        }
    }
    if role != Role::Reader {
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(db)?;
    }
    Ok(conn)
}

/// The journal of a running recovery (the only writer: it holds the
/// journal's [`RunLock`] while it lives).
pub struct Journal {
    conn: Connection,
    path: PathBuf,
    header: Header,
    session: u32,
    /// Latest intent (`intents.seq`) of each operation of this session
    /// that is not finished.
    latest: HashMap<u64, i64>,
    /// Records not yet committed (see the module docs).
    pending: Vec<Pending>,
    lock: RunLock,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal")
            .field("path", &self.path)
            .field("session", &self.session)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl Journal {
    /// Opens the journal at `path` for writing, creating it (with `run`'s
    /// header) if it does not exist, and starts a new session.
    ///
    /// Takes the journal's lock first ([`RunLock::acquire`]). An existing
    /// journal must have this format version and `run`'s fleet hash. Whether
    /// it holds an earlier run is [`Journal::session`] `> 1`.
    ///
    /// Errors: [`JournalError::Lock`] when another process writes it;
    /// [`JournalError::Version`] / [`JournalError::OtherFleet`] for a journal
    /// of another format or fleet; [`JournalError::Sqlite`] when the file is
    /// not an SQLite database or cannot be written.
    pub fn open(path: &Path, run: &RunInfo) -> Result<Journal, JournalError> {
        let lock = RunLock::acquire(path)?;
        let mut conn = connect(path, Role::Writer)?;
        let db = |cause| JournalError::Sqlite {
            path: path.to_owned(),
            cause,
        };
        let tx = conn.transaction().map_err(db)?;
        tx.execute_batch(schema::CREATE).map_err(db)?;
        let header = match header::read(&tx).map_err(db)? {
            Some((header, tiers)) => {
                let header = header::with_tiers(header, &tiers, path)?;
                header::check(&header, run, path)?;
                header
            }
            None => write::insert_header(&tx, run, path)?,
        };
        let owner = lock.owner().clone();
        tx.execute(
            "INSERT INTO sessions (started_at_ms, pid, host, georestore_version) \
             VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![
                owner.started_at_ms,
                owner.pid,
                owner.host,
                run.georestore_version
            ],
        )
        .map_err(db)?;
        let session = u32::try_from(tx.last_insert_rowid()).unwrap_or(u32::MAX);
        tx.commit().map_err(db)?;
        Ok(Journal {
            conn,
            path: path.to_owned(),
            header,
            session,
            latest: HashMap::new(),
            pending: Vec::new(),
            lock,
        })
    }

    /// The header (of the run that created the journal).
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// This process's session number: 1 for a fresh journal, more when
    /// earlier runs wrote to it (a `--resume` is needed then).
    pub fn session(&self) -> u32 {
        self.session
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The lock this journal holds.
    pub fn lock(&self) -> &RunLock {
        &self.lock
    }

    /// Records buffered and not yet committed.
    pub fn pending(&self) -> usize {
        self.pending.len()
    }

    /// What the journal contributes to a resume (commits what is buffered
    /// first). See [`ResumeInput`].
    ///
    /// Errors: [`JournalError::Sqlite`]; [`JournalError::Damaged`] when a
    /// stored command does not parse.
    pub fn resume_input(&mut self) -> Result<ResumeInput, JournalError> {
        self.flush()?;
        read::resume_input(&self.conn, &self.path)
    }

    /// The unfinished operations (commits what is buffered first); see
    /// [`JournalReader::unfinished`].
    ///
    /// Errors: as [`Journal::resume_input`].
    pub fn unfinished(&mut self) -> Result<Vec<Unfinished>, JournalError> {
        self.flush()?;
        read::unfinished(&self.conn, &self.path)
    }

    /// Operator requests with a sequence number above `after` (`0`: all),
    /// oldest first; a running recovery polls this for `georestore cancel`.
    ///
    /// Errors: [`JournalError::Sqlite`], [`JournalError::Damaged`].
    pub fn operator_requests(&self, after: i64) -> Result<Vec<OperatorRecord>, JournalError> {
        read::operator_requests(&self.conn, &self.path, after)
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        // A graceful stop keeps what is buffered; an error here has no one
        // to report to (a crash would lose the same records).
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run() -> RunInfo {
        RunInfo {
            fleet_path: "fleet.toml".into(),
            fleet_sha256: fleet_sha256(b"fleet"),
            fleet_name: "unit".into(),
            tiers: Vec::new(),
            strategy: "wingtip".into(),
            georestore_version: "0".into(),
        }
    }

    #[test]
    fn the_writer_runs_in_wal_mode_with_full_fsync() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("j.sqlite");
        let journal = Journal::open(&path, &run()).expect("open");
        let mode: String = journal
            .conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("journal_mode");
        assert_eq!(mode, "wal");
        // 2 = FULL: the WAL is fsync'd at every commit.
        let sync: i64 = journal
            .conn
            .pragma_query_value(None, "synchronous", |r| r.get(0))
            .expect("synchronous");
        assert_eq!(sync, 2);
        // A reader's connection sees the file in WAL mode too (it persists).
        let reader = JournalReader::open(&path).expect("reader");
        let mode: String = reader
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .expect("journal_mode");
        assert_eq!(mode, "wal");
    }
}
