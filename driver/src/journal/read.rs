//! Reading a journal back: for resume, and from other processes.

use std::path::{Path, PathBuf};

use arm::PollTarget;
use rusqlite::{Connection, params};
use scheduler::{Command, OpId};

use super::header::{self, Header};
use super::records::{OperatorRecord, OperatorRequest, ResumeInput, Unfinished};
use super::{JournalError, Role, connect};

fn sqlite(path: &Path) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
    move |cause| JournalError::Sqlite {
        path: path.to_owned(),
        cause,
    }
}

/// The unfinished operations, oldest first: per operation not recorded
/// finished, its latest intent, with the status URL recorded for that very
/// intent.
pub(super) fn unfinished(conn: &Connection, path: &Path) -> Result<Vec<Unfinished>, JournalError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT i.session, i.op, i.command, i.at_ms, u.target \
             FROM intents i LEFT JOIN status_urls u ON u.intent = i.seq \
             WHERE i.seq = (SELECT MAX(j.seq) FROM intents j \
                            WHERE j.session = i.session AND j.op = i.op) \
               AND NOT EXISTS (SELECT 1 FROM finished f \
                               WHERE f.session = i.session AND f.op = i.op) \
             ORDER BY i.seq",
        )
        .map_err(sqlite(path))?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, u64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, Option<String>>(4)?,
            ))
        })
        .map_err(sqlite(path))?;
    let mut out = Vec::new();
    for row in rows {
        let (session, op, command, sent_at_ms, target) = row.map_err(sqlite(path))?;
        let damaged = |what: String| JournalError::Damaged {
            path: path.to_owned(),
            what,
        };
        let command: Command = serde_json::from_str(&command)
            .map_err(|e| damaged(format!("intent of op {op} (session {session}): {e}")))?;
        let status_url =
            match target {
                Some(text) => Some(serde_json::from_str::<PollTarget>(&text).map_err(|e| {
                    damaged(format!("status URL of op {op} (session {session}): {e}"))
                })?),
                None => None,
            };
        out.push(Unfinished {
            session,
            op: OpId(op),
            command,
            status_url,
            sent_at_ms,
        });
    }
    Ok(out)
}

/// Operator requests above `after`, oldest first.
pub(super) fn operator_requests(
    conn: &Connection,
    path: &Path,
    after: i64,
) -> Result<Vec<OperatorRecord>, JournalError> {
    let mut statement = conn
        .prepare_cached(
            "SELECT seq, kind, by_pid, by_host, at_ms FROM operator_requests \
             WHERE seq > ?1 ORDER BY seq",
        )
        .map_err(sqlite(path))?;
    let rows = statement
        .query_map(params![after], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })
        .map_err(sqlite(path))?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, kind, by_pid, by_host, at_ms) = row.map_err(sqlite(path))?;
        let request = OperatorRequest::parse(&kind).ok_or_else(|| JournalError::Damaged {
            path: path.to_owned(),
            what: format!("operator request {seq} of unknown kind {kind:?}"),
        })?;
        out.push(OperatorRecord {
            seq,
            request,
            by_pid,
            by_host,
            at_ms,
        });
    }
    Ok(out)
}

/// The journal's part of a resume.
pub(super) fn resume_input(conn: &Connection, path: &Path) -> Result<ResumeInput, JournalError> {
    let in_flight = unfinished(conn, path)?
        .into_iter()
        .map(|u| (u.command, u.status_url))
        .collect();
    let requests = operator_requests(conn, path, 0)?;
    Ok(ResumeInput {
        in_flight,
        cancel_requested: requests
            .iter()
            .any(|r| r.request == OperatorRequest::Cancel),
        repatriate_requested: requests
            .iter()
            .any(|r| r.request == OperatorRequest::Repatriate),
    })
}

/// A journal opened for reading, without its lock: by `georestore status`
/// while a run writes it (WAL readers see every committed record) or after.
pub struct JournalReader {
    conn: Connection,
    path: PathBuf,
    header: Header,
}

impl std::fmt::Debug for JournalReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JournalReader")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl JournalReader {
    /// Opens the existing journal at `path` (never creates one). Any
    /// format version is opened; [`JournalReader::header`] says which.
    ///
    /// Errors: [`JournalError::Missing`]; [`JournalError::Sqlite`]
    /// (not an SQLite file); [`JournalError::NotAJournal`] (no header).
    pub fn open(path: &Path) -> Result<JournalReader, JournalError> {
        let conn = connect(path, Role::Reader)?;
        let has_header: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'header')",
                [],
                |r| r.get(0),
            )
            .map_err(sqlite(path))?;
        let found = if has_header {
            header::read(&conn).map_err(sqlite(path))?
        } else {
            None
        };
        let Some((header, tiers)) = found else {
            return Err(JournalError::NotAJournal {
                path: path.to_owned(),
            });
        };
        let header = header::with_tiers(header, &tiers, path)?;
        Ok(JournalReader {
            conn,
            path: path.to_owned(),
            header,
        })
    }

    /// The header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The journal file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the status queries.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Operations handed out and not finished, oldest first (every
    /// session); see [`Unfinished`].
    ///
    /// Errors: [`JournalError::Sqlite`]; [`JournalError::Damaged`] when a
    /// stored command or status URL does not parse (e.g. another format).
    pub fn unfinished(&self) -> Result<Vec<Unfinished>, JournalError> {
        unfinished(&self.conn, &self.path)
    }

    /// What the journal contributes to a resume; see [`ResumeInput`].
    ///
    /// Errors: as [`JournalReader::unfinished`].
    pub fn resume_input(&self) -> Result<ResumeInput, JournalError> {
        resume_input(&self.conn, &self.path)
    }

    /// Operator requests above sequence number `after`, oldest first.
    ///
    /// Errors: [`JournalError::Sqlite`], [`JournalError::Damaged`].
    pub fn operator_requests(&self, after: i64) -> Result<Vec<OperatorRecord>, JournalError> {
        operator_requests(&self.conn, &self.path, after)
    }
}
