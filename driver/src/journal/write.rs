//! Writing records: intents durably, everything else buffered.

use std::path::Path;

use arm::{Outcome, Request, Response};
use rusqlite::{Connection, params};
use scheduler::{Command, Estate, Notice, OpId, Work};

use super::header::{Header, RunInfo};
use super::records::{CatalogOutcome, OperatorRecord, OperatorRequest};
use super::{Journal, JournalError};
use crate::unix_ms;

/// A record waiting for the next commit.
#[derive(Debug)]
pub(super) enum Pending {
    Outcome {
        intent: i64,
        op: u64,
        kind: &'static str,
        status: Option<u16>,
        detail: Option<String>,
        at_ms: i64,
    },
    StatusUrl {
        intent: i64,
        op: u64,
        target: String,
        at_ms: i64,
    },
    Finished {
        op: u64,
        at_ms: i64,
    },
    Notice {
        kind: &'static str,
        tenant_id: Option<String>,
        tenant: Option<String>,
        tier: Option<String>,
        detail: String,
        at_ms: i64,
    },
}

/// Writes the header of a new journal; returns it as stored.
pub(super) fn insert_header(
    conn: &Connection,
    run: &RunInfo,
    path: &Path,
) -> Result<Header, JournalError> {
    let header = Header {
        journal_schema: super::JOURNAL_SCHEMA,
        format_version: scheduler::FORMAT_VERSION,
        fleet_path: run.fleet_path.clone().into(),
        fleet_sha256: run.fleet_sha256.clone(),
        fleet_name: run.fleet_name.clone(),
        strategy: run.strategy.clone(),
        started_at_ms: unix_ms(),
        georestore_version: run.georestore_version.clone(),
        tiers: run.tiers.clone(),
    };
    let tiers = serde_json::to_string(&header.tiers).map_err(|e| damaged(path, "tiers", &e))?;
    conn.execute(
        "INSERT INTO header (id, journal_schema, format_version, fleet_path, fleet_sha256, \
         fleet_name, strategy, started_at_ms, georestore_version, tiers) \
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            header.journal_schema,
            header.format_version,
            run.fleet_path,
            header.fleet_sha256,
            header.fleet_name,
            header.strategy,
            header.started_at_ms,
            header.georestore_version,
            tiers
        ],
    )
    .map_err(|cause| JournalError::Sqlite {
        path: path.to_owned(),
        cause,
    })?;
    Ok(header)
}

fn damaged(path: &Path, what: &str, e: &serde_json::Error) -> JournalError {
    JournalError::Damaged {
        path: path.to_owned(),
        what: format!("cannot encode {what}: {e}"),
    }
}

/// Writes buffered records in the caller's transaction.
fn write_pending(conn: &Connection, session: u32, pending: &[Pending]) -> rusqlite::Result<()> {
    for record in pending {
        match record {
            Pending::Outcome {
                intent,
                op,
                kind,
                status,
                detail,
                at_ms,
            } => {
                conn.prepare_cached(
                    "INSERT INTO outcomes (intent, session, op, kind, status, detail, at_ms) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![intent, session, op, kind, status, detail, at_ms])?;
            }
            Pending::StatusUrl {
                intent,
                op,
                target,
                at_ms,
            } => {
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO status_urls (intent, session, op, target, at_ms) \
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(params![intent, session, op, target, at_ms])?;
            }
            Pending::Finished { op, at_ms } => {
                conn.prepare_cached(
                    "INSERT OR IGNORE INTO finished (session, op, at_ms) VALUES (?1, ?2, ?3)",
                )?
                .execute(params![session, op, at_ms])?;
            }
            Pending::Notice {
                kind,
                tenant_id,
                tenant,
                tier,
                detail,
                at_ms,
            } => {
                conn.prepare_cached(
                    "INSERT INTO notices (session, kind, tenant_id, tenant, tier, detail, at_ms) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                )?
                .execute(params![
                    session, kind, tenant_id, tenant, tier, detail, at_ms
                ])?;
            }
        }
    }
    Ok(())
}

impl Journal {
    fn sqlite(&self) -> impl Fn(rusqlite::Error) -> JournalError + '_ {
        |cause| JournalError::Sqlite {
            path: self.path.clone(),
            cause,
        }
    }

    /// Records the intents of `commands` (about to be sent) and commits
    /// them with everything buffered, in one transaction: durable on disk
    /// (fsync'd) when this returns `Ok`. Send the requests only then.
    /// A command handed out again (a retry) is recorded again.
    ///
    /// Errors: [`JournalError::Sqlite`] (nothing was recorded: do not send);
    /// [`JournalError::Damaged`] if a command cannot be encoded.
    pub fn record_intents(&mut self, commands: &[Command]) -> Result<(), JournalError> {
        let at_ms = unix_ms();
        let mut encoded = Vec::with_capacity(commands.len());
        for command in commands {
            let json =
                serde_json::to_string(command).map_err(|e| damaged(&self.path, "a command", &e))?;
            let action = serde_json::to_string(&command.action)
                .map_err(|e| damaged(&self.path, "an action", &e))?;
            encoded.push((
                command.op.0,
                matches!(command.work, Work::Arm(_)),
                action,
                json,
            ));
        }
        let session = self.session;
        let path = self.path.clone();
        let sqlite = |cause| JournalError::Sqlite {
            path: path.clone(),
            cause,
        };
        let tx = self.conn.transaction().map_err(sqlite)?;
        write_pending(&tx, session, &self.pending).map_err(sqlite)?;
        let mut seqs = Vec::with_capacity(encoded.len());
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO intents (session, op, arm, action, command, at_ms) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                )
                .map_err(sqlite)?;
            for (op, arm, action, json) in &encoded {
                insert
                    .execute(params![session, op, arm, action, json, at_ms])
                    .map_err(sqlite)?;
                seqs.push((*op, tx.last_insert_rowid()));
            }
        }
        tx.commit().map_err(sqlite)?;
        self.pending.clear();
        self.latest.extend(seqs);
        Ok(())
    }

    /// [`Journal::record_intents`] of one command.
    ///
    /// Errors: as [`Journal::record_intents`].
    pub fn record_intent(&mut self, command: &Command) -> Result<(), JournalError> {
        self.record_intents(std::slice::from_ref(command))
    }

    fn intent_of(&self, op: OpId) -> Result<i64, JournalError> {
        self.latest
            .get(&op.0)
            .copied()
            .ok_or_else(|| JournalError::UnknownOp {
                path: self.path.clone(),
                op: op.0,
            })
    }

    /// Buffers what ARM answered to `op`'s latest intent (`request` is that
    /// intent's request): its HTTP status and, when the shared protocol
    /// reads the answer as accepted (201/202), its status URL.
    ///
    /// Errors: [`JournalError::UnknownOp`] when `op` has no unfinished
    /// intent in this session.
    pub fn record_response(
        &mut self,
        op: OpId,
        request: &Request,
        response: &Response,
    ) -> Result<(), JournalError> {
        let intent = self.intent_of(op)?;
        let at_ms = unix_ms();
        self.pending.push(Pending::Outcome {
            intent,
            op: op.0,
            kind: "response",
            status: Some(response.status),
            detail: None,
            at_ms,
        });
        if let Outcome::Accepted { poll } = arm::interpret(request, response) {
            let target = serde_json::to_string(&poll)
                .map_err(|e| damaged(&self.path, "a status URL", &e))?;
            self.pending.push(Pending::StatusUrl {
                intent,
                op: op.0,
                target,
                at_ms,
            });
        }
        Ok(())
    }

    /// Buffers that no answer came back for `op`'s latest intent.
    ///
    /// Errors: [`JournalError::UnknownOp`] as for [`Journal::record_response`].
    pub fn record_transport_failure(&mut self, op: OpId, reason: &str) -> Result<(), JournalError> {
        let intent = self.intent_of(op)?;
        self.pending.push(Pending::Outcome {
            intent,
            op: op.0,
            kind: "transport_failed",
            status: None,
            detail: Some(reason.to_owned()),
            at_ms: unix_ms(),
        });
        Ok(())
    }

    /// Buffers what a catalog call returned for `op`'s latest intent.
    ///
    /// Errors: [`JournalError::UnknownOp`] as for [`Journal::record_response`].
    pub fn record_catalog_outcome(
        &mut self,
        op: OpId,
        outcome: &CatalogOutcome,
    ) -> Result<(), JournalError> {
        let intent = self.intent_of(op)?;
        let detail = serde_json::to_string(outcome)
            .map_err(|e| damaged(&self.path, "a catalog outcome", &e))?;
        self.pending.push(Pending::Outcome {
            intent,
            op: op.0,
            kind: "catalog",
            status: None,
            detail: Some(detail),
            at_ms: unix_ms(),
        });
        Ok(())
    }

    /// Buffers that the scheduler no longer counts `op` in flight (it
    /// succeeded, failed for good, or was dropped): it leaves
    /// [`Journal::resume_input`]. An op without an intent in this session
    /// (dropped before it was sent) is ignored.
    pub fn record_finished(&mut self, op: OpId) {
        if self.latest.remove(&op.0).is_some() {
            self.pending.push(Pending::Finished {
                op: op.0,
                at_ms: unix_ms(),
            });
        }
    }

    /// Calls [`Journal::record_finished`] for every unfinished operation of
    /// this session that `finished` says is finished (e.g. the scheduler's
    /// [`scheduler::Scheduler::op_state`] is `Done` or `Dropped`). Cost:
    /// one call per unfinished operation; a caller sweeps now and then.
    pub fn finish_where(&mut self, mut finished: impl FnMut(OpId) -> bool) {
        let mut done: Vec<u64> = self
            .latest
            .keys()
            .copied()
            .filter(|op| finished(OpId(*op)))
            .collect();
        done.sort_unstable();
        for op in done {
            self.record_finished(OpId(op));
        }
    }

    /// Buffers a notice worth keeping for `georestore status`: tenant
    /// online or failed (with the tenant's key, name and tier from
    /// `estate`), phase changes and blocked steps.
    ///
    /// Errors: [`JournalError::Damaged`] if the notice cannot be encoded.
    pub fn record_notice(&mut self, notice: &Notice, estate: &Estate) -> Result<(), JournalError> {
        let detail =
            serde_json::to_string(notice).map_err(|e| damaged(&self.path, "a notice", &e))?;
        let (kind, db) = match notice {
            Notice::TenantOnline { db, .. } => ("tenant_online", Some(*db)),
            Notice::TenantFailed { db, .. } => ("tenant_failed", Some(*db)),
            Notice::PhaseChanged { .. } => ("phase_changed", None),
            Notice::StepBlocked { .. } => ("step_blocked", None),
        };
        let info = db.and_then(|db| estate.database(db));
        let tier = info.and_then(|d| estate.fleet.tiers.get(usize::from(d.tier.0)));
        self.pending.push(Pending::Notice {
            kind,
            tenant_id: info.map(|d| d.tenant_id.clone()),
            tenant: info.map(|d| d.tenant.clone()),
            tier: tier.map(|t| t.name.clone()),
            detail,
            at_ms: unix_ms(),
        });
        Ok(())
    }

    /// Commits everything buffered (durable when it returns `Ok`).
    ///
    /// Errors: [`JournalError::Sqlite`]; the records stay buffered.
    pub fn flush(&mut self) -> Result<(), JournalError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let session = self.session;
        let path = self.path.clone();
        let sqlite = |cause| JournalError::Sqlite {
            path: path.clone(),
            cause,
        };
        let tx = self.conn.transaction().map_err(sqlite)?;
        write_pending(&tx, session, &self.pending).map_err(sqlite)?;
        tx.commit().map_err(sqlite)?;
        self.pending.clear();
        Ok(())
    }

    /// Records every operation that earlier sessions left unfinished as
    /// finished, durably; returns how many. Call it once a resumed run is
    /// finished (`Scheduler::status().finished`): until then a later resume
    /// may still need their status URLs. Afterwards they leave
    /// [`Journal::resume_input`] and the in-flight list of `status`.
    ///
    /// Errors: [`JournalError::Sqlite`].
    pub fn close_earlier_sessions(&mut self) -> Result<usize, JournalError> {
        self.flush()?;
        let session = self.session;
        let path = self.path.clone();
        let sqlite = |cause| JournalError::Sqlite {
            path: path.clone(),
            cause,
        };
        let closed = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO finished (session, op, at_ms) \
                 SELECT DISTINCT i.session, i.op, ?2 FROM intents i \
                 WHERE i.session < ?1 AND NOT EXISTS \
                   (SELECT 1 FROM finished f WHERE f.session = i.session AND f.op = i.op)",
                params![session, unix_ms()],
            )
            .map_err(sqlite)?;
        Ok(closed)
    }

    /// Records an operator request made to this process (e.g. Ctrl-C then
    /// "cancel"), durably, with everything buffered. Another process uses
    /// [`super::request_operator`].
    ///
    /// Errors: [`JournalError::Sqlite`].
    pub fn record_operator_request(
        &mut self,
        request: OperatorRequest,
    ) -> Result<OperatorRecord, JournalError> {
        self.flush()?;
        let sqlite = self.sqlite();
        let record = super::operator::insert(&self.conn, request).map_err(sqlite)?;
        Ok(record)
    }
}
