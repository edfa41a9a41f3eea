//! Operator requests written from another process (`georestore cancel`).

use std::path::Path;

use rusqlite::{Connection, params};

use super::records::{OperatorRecord, OperatorRequest};
use super::{JournalError, Role, connect};
use crate::lock::Owner;

/// Inserts `request` by this process, committed (durable) on return.
pub(super) fn insert(
    conn: &Connection,
    request: OperatorRequest,
) -> rusqlite::Result<OperatorRecord> {
    let me = Owner::this_process();
    conn.execute(
        "INSERT INTO operator_requests (kind, by_pid, by_host, at_ms) VALUES (?1, ?2, ?3, ?4)",
        params![request.as_str(), me.pid, me.host, me.started_at_ms],
    )?;
    Ok(OperatorRecord {
        seq: conn.last_insert_rowid(),
        request,
        by_pid: me.pid,
        by_host: me.host,
        at_ms: me.started_at_ms,
    })
}

/// Records `request` in the existing journal at `path`, durably, whether or
/// not a recovery is writing it (SQLite serializes the two writers; this
/// waits for the other's write to finish). A running recovery sees it at
/// its next [`super::Journal::operator_requests`]; a later `--resume` sees
/// it in [`super::ResumeInput`].
///
/// Errors: [`JournalError::Missing`] when there is no journal at `path`;
/// [`JournalError::NotAJournal`]; [`JournalError::Sqlite`].
pub fn request_operator(
    path: &Path,
    request: OperatorRequest,
) -> Result<OperatorRecord, JournalError> {
    let reader = super::JournalReader::open(path)?;
    drop(reader);
    let conn = connect(path, Role::Operator)?;
    insert(&conn, request).map_err(|cause| JournalError::Sqlite {
        path: path.to_owned(),
        cause,
    })
}
