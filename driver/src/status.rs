//! `georestore status`: where a recovery stands, read from its journal
//! (while it runs, through SQLite's WAL readers, or after).
//!
//! What the journal knows: tenants online or failed come from the notices
//! the run recorded (the latest per tenant counts), tier totals from the
//! fleet file as the header recorded it, requests and 429s from intents
//! and outcomes, in-flight operations from intents not finished. Records a
//! running process has buffered and not yet committed are not visible.

use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};
use scheduler::{Action, Notice, Phase, Work};
use serde::{Deserialize, Serialize};

use crate::format_unix_ms;
use crate::journal::{JournalError, JournalReader, OperatorRequest};
use crate::lock::Owner;

/// One priority tier's tenants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierStatus {
    /// Tier name.
    pub name: String,
    /// Tenants of the tier in the fleet file.
    pub tenants: u64,
    /// Online in the recovery region (latest notice).
    pub online_in_recovery: u64,
    /// Online in the origin region (after a cancel brought them home).
    pub online_in_origin: u64,
    /// Reported failed (latest notice).
    pub failed: u64,
    /// Neither: not started, or on their way.
    pub in_progress: u64,
}

/// A tenant reported failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailedTenant {
    /// Tenant key.
    pub tenant_id: String,
    /// Tenant name.
    pub tenant: String,
    /// Its tier.
    pub tier: String,
    /// Why.
    pub reason: String,
}

/// An operation handed out and not finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InFlightOp {
    /// The session that sent it.
    pub session: u32,
    /// Its operation id in that session.
    pub op: u64,
    /// What it does.
    pub action: Action,
    /// `METHOD /path` of its ARM request, or the catalog call as JSON.
    pub request: String,
    /// The status URL it is followed through, if its 201/202 came back.
    pub status_url: Option<String>,
    /// When its latest intent was recorded (ms since the Unix epoch).
    pub sent_at_ms: i64,
}

/// Where a recovery stands, as its journal says.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The journal read.
    pub journal: PathBuf,
    /// The fleet's name.
    pub fleet: String,
    /// The fleet file the run started with.
    pub fleet_path: PathBuf,
    /// Restore strategy of the first run.
    pub strategy: String,
    /// When the first run started (ms since the Unix epoch).
    pub started_at_ms: i64,
    /// Processes that wrote the journal (`recover` and each `--resume`).
    pub sessions: u32,
    /// The process writing it now, if any.
    pub running: Option<Owner>,
    /// The latest phase recorded; `None` before any phase change was
    /// recorded (a recovery starts in `recovering`).
    pub phase: Option<Phase>,
    /// The operator asked to cancel.
    pub cancel_requested: bool,
    /// The operator asked to repatriate.
    pub repatriate_requested: bool,
    /// Tenants per tier (tiers in the fleet's order, then any tier only
    /// the notices name).
    pub tiers: Vec<TierStatus>,
    /// Tenants reported failed, with reasons.
    pub failed_tenants: Vec<FailedTenant>,
    /// Steps reported blocked.
    pub blocked: Vec<String>,
    /// ARM requests sent (intents, retries included).
    pub requests_sent: u64,
    /// Catalog calls made (intents).
    pub catalog_calls: u64,
    /// ARM answers with status 429.
    pub throttled: u64,
    /// Requests that got no answer (connection errors, timeouts).
    pub transport_failures: u64,
    /// Latest record of any kind (ms since the Unix epoch).
    pub last_activity_ms: Option<i64>,
    /// Operations handed out and not finished, oldest first.
    pub in_flight: Vec<InFlightOp>,
}

impl Summary {
    /// Reads the summary of the journal at `path` (one consistent snapshot).
    ///
    /// Errors: those of [`JournalReader::open`]; [`JournalError::Sqlite`];
    /// [`JournalError::Damaged`] when a record does not parse.
    pub fn read(path: &Path) -> Result<Summary, JournalError> {
        let reader = JournalReader::open(path)?;
        let conn = reader.conn();
        let db = |cause| JournalError::Sqlite {
            path: path.to_owned(),
            cause,
        };
        // One read transaction: every count from the same snapshot.
        let tx = conn.unchecked_transaction().map_err(db)?;
        let header = reader.header();
        let count = |sql: &str| -> Result<u64, JournalError> {
            tx.query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| u64::try_from(n).unwrap_or(0))
                .map_err(db)
        };
        let sessions = count("SELECT COUNT(*) FROM sessions")?;
        let requests_sent = count("SELECT COUNT(*) FROM intents WHERE arm = 1")?;
        let catalog_calls = count("SELECT COUNT(*) FROM intents WHERE arm = 0")?;
        let throttled = count("SELECT COUNT(*) FROM outcomes WHERE status = 429")?;
        let transport_failures =
            count("SELECT COUNT(*) FROM outcomes WHERE kind = 'transport_failed'")?;
        let requests = reader.operator_requests(0)?;
        let phase = latest_phase(&tx, path)?;
        let (tiers, failed_tenants) = tenants(&tx, path, &header.tiers)?;
        let blocked = blocked(&tx, path)?;
        let last_activity_ms = last_activity(&tx).map_err(db)?;
        let in_flight = reader
            .unfinished()?
            .into_iter()
            .map(|u| InFlightOp {
                session: u.session,
                op: u.command.op.0,
                action: u.command.action,
                request: match &u.command.work {
                    Work::Arm(r) => format!("{} {}", r.method.as_str(), r.path),
                    Work::Catalog(call) => serde_json::to_string(call).unwrap_or_default(),
                },
                status_url: u.status_url.map(|t| t.url),
                sent_at_ms: u.sent_at_ms,
            })
            .collect();
        drop(tx);
        Ok(Summary {
            journal: path.to_owned(),
            fleet: header.fleet_name.clone(),
            fleet_path: header.fleet_path.clone(),
            strategy: header.strategy.clone(),
            started_at_ms: header.started_at_ms,
            sessions: u32::try_from(sessions).unwrap_or(u32::MAX),
            running: crate::lock::holder(path),
            phase,
            cancel_requested: requests
                .iter()
                .any(|r| r.request == OperatorRequest::Cancel),
            repatriate_requested: requests
                .iter()
                .any(|r| r.request == OperatorRequest::Repatriate),
            tiers,
            failed_tenants,
            blocked,
            requests_sent,
            catalog_calls,
            throttled,
            transport_failures,
            last_activity_ms,
            in_flight,
        })
    }
}

fn damaged(path: &Path, what: String) -> JournalError {
    JournalError::Damaged {
        path: path.to_owned(),
        what,
    }
}

fn parse_notice(path: &Path, seq: i64, text: &str) -> Result<Notice, JournalError> {
    serde_json::from_str(text).map_err(|e| damaged(path, format!("notice {seq}: {e}")))
}

fn latest_phase(conn: &Connection, path: &Path) -> Result<Option<Phase>, JournalError> {
    let row: Option<(i64, String)> = conn
        .query_row(
            "SELECT seq, detail FROM notices WHERE kind = 'phase_changed' \
             ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(|cause| JournalError::Sqlite {
            path: path.to_owned(),
            cause,
        })?;
    match row {
        None => Ok(None),
        Some((seq, text)) => match parse_notice(path, seq, &text)? {
            Notice::PhaseChanged { to, .. } => Ok(Some(to)),
            other => Err(damaged(
                path,
                format!("notice {seq} is kind phase_changed but holds {other:?}"),
            )),
        },
    }
}

type TenantCounts = (Vec<TierStatus>, Vec<FailedTenant>);

/// Per tier: the latest tenant notice of each tenant, counted.
fn tenants(
    conn: &Connection,
    path: &Path,
    totals: &[crate::journal::TierCount],
) -> Result<TenantCounts, JournalError> {
    let db = |cause| JournalError::Sqlite {
        path: path.to_owned(),
        cause,
    };
    let mut tiers: Vec<TierStatus> = totals
        .iter()
        .map(|t| TierStatus {
            name: t.name.clone(),
            tenants: t.tenants,
            online_in_recovery: 0,
            online_in_origin: 0,
            failed: 0,
            in_progress: 0,
        })
        .collect();
    let mut failed = Vec::new();
    let mut statement = conn
        .prepare(
            "SELECT n.seq, n.tenant_id, n.tenant, n.tier, n.detail FROM notices n \
             WHERE n.kind IN ('tenant_online', 'tenant_failed') AND n.seq = \
               (SELECT MAX(m.seq) FROM notices m WHERE m.tenant_id = n.tenant_id \
                AND m.kind IN ('tenant_online', 'tenant_failed')) \
             ORDER BY n.seq",
        )
        .map_err(db)?;
    let rows = statement
        .query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
            ))
        })
        .map_err(db)?;
    for row in rows {
        let (seq, tenant_id, tenant, tier, detail) = row.map_err(db)?;
        let tier = tier.unwrap_or_else(|| "unknown".to_owned());
        let index = match tiers.iter().position(|t| t.name == tier) {
            Some(i) => i,
            None => {
                tiers.push(TierStatus {
                    name: tier.clone(),
                    tenants: 0,
                    online_in_recovery: 0,
                    online_in_origin: 0,
                    failed: 0,
                    in_progress: 0,
                });
                tiers.len() - 1
            }
        };
        let Some(entry) = tiers.get_mut(index) else {
            continue;
        };
        match parse_notice(path, seq, &detail)? {
            Notice::TenantOnline { region, .. } => match region {
                scheduler::Region::Recovery => entry.online_in_recovery += 1,
                scheduler::Region::Origin => entry.online_in_origin += 1,
            },
            Notice::TenantFailed { reason, .. } => {
                entry.failed += 1;
                failed.push(FailedTenant {
                    tenant_id: tenant_id.unwrap_or_default(),
                    tenant: tenant.unwrap_or_default(),
                    tier,
                    reason,
                });
            }
            other => {
                return Err(damaged(
                    path,
                    format!("notice {seq} is a tenant notice but holds {other:?}"),
                ));
            }
        }
    }
    for tier in &mut tiers {
        // Tenants created during the outage are not in the fleet's totals.
        tier.tenants = tier
            .tenants
            .max(tier.online_in_recovery + tier.online_in_origin + tier.failed);
        tier.in_progress =
            tier.tenants - tier.online_in_recovery - tier.online_in_origin - tier.failed;
    }
    Ok((tiers, failed))
}

fn blocked(conn: &Connection, path: &Path) -> Result<Vec<String>, JournalError> {
    let db = |cause| JournalError::Sqlite {
        path: path.to_owned(),
        cause,
    };
    let mut statement = conn
        .prepare("SELECT seq, detail FROM notices WHERE kind = 'step_blocked' ORDER BY seq")
        .map_err(db)?;
    let rows = statement
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .map_err(db)?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, detail) = row.map_err(db)?;
        if let Notice::StepBlocked { what } = parse_notice(path, seq, &detail)? {
            out.push(what);
        }
    }
    Ok(out)
}

fn last_activity(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    let mut latest: Option<i64> = None;
    for table in [
        "intents",
        "outcomes",
        "notices",
        "operator_requests",
        "finished",
    ] {
        let order = if table == "finished" { "at_ms" } else { "seq" };
        let at: Option<i64> = conn
            .query_row(
                &format!("SELECT at_ms FROM {table} ORDER BY {order} DESC LIMIT 1"),
                [],
                |r| r.get(0),
            )
            .optional()?;
        latest = latest.max(at);
    }
    Ok(latest)
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Recovering => "recovering",
        Phase::Recovered => "recovered",
        Phase::Cancelling => "cancelling",
        Phase::Cancelled => "cancelled",
        Phase::Repatriating => "repatriating",
        Phase::Repatriated => "repatriated",
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "journal   {} (fleet `{}` from {}, strategy {})",
            self.journal.display(),
            self.fleet,
            self.fleet_path.display(),
            self.strategy
        )?;
        writeln!(
            f,
            "started   {}, {} session(s)",
            format_unix_ms(self.started_at_ms),
            self.sessions
        )?;
        match &self.running {
            Some(owner) => writeln!(f, "running   yes: {owner}")?,
            None => writeln!(f, "running   no")?,
        }
        let phase = self
            .phase
            .map_or("recovering (no phase change recorded)", phase_name);
        let mut asked = Vec::new();
        if self.cancel_requested {
            asked.push("cancel requested");
        }
        if self.repatriate_requested {
            asked.push("repatriation requested");
        }
        if asked.is_empty() {
            writeln!(f, "phase     {phase}")?;
        } else {
            writeln!(f, "phase     {phase} ({})", asked.join(", "))?;
        }
        writeln!(
            f,
            "{:<12} {:>8} {:>10} {:>8} {:>7} {:>12}",
            "tier", "tenants", "recovered", "home", "failed", "in progress"
        )?;
        for t in &self.tiers {
            writeln!(
                f,
                "{:<12} {:>8} {:>10} {:>8} {:>7} {:>12}",
                t.name,
                t.tenants,
                t.online_in_recovery,
                t.online_in_origin,
                t.failed,
                t.in_progress
            )?;
        }
        writeln!(
            f,
            "requests  {} ARM ({} answered 429, {} without answer), {} catalog calls",
            self.requests_sent, self.throttled, self.transport_failures, self.catalog_calls
        )?;
        match self.last_activity_ms {
            Some(at) => writeln!(f, "last      {}", format_unix_ms(at))?,
            None => writeln!(f, "last      nothing recorded yet")?,
        }
        const SHOWN: usize = 20;
        for t in self.failed_tenants.iter().take(SHOWN) {
            writeln!(
                f,
                "failed    {} ({}, {}): {}",
                t.tenant, t.tenant_id, t.tier, t.reason
            )?;
        }
        if self.failed_tenants.len() > SHOWN {
            writeln!(
                f,
                "failed    ... and {} more (--json lists all)",
                self.failed_tenants.len() - SHOWN
            )?;
        }
        for what in &self.blocked {
            writeln!(f, "blocked   {what}")?;
        }
        writeln!(f, "in flight {} operation(s)", self.in_flight.len())?;
        for op in self.in_flight.iter().take(SHOWN) {
            write!(
                f,
                "  #{} (session {}) {}, since {}",
                op.op,
                op.session,
                op.request,
                format_unix_ms(op.sent_at_ms)
            )?;
            match &op.status_url {
                Some(url) => writeln!(f, "\n      status {url}")?,
                None => writeln!(f)?,
            }
        }
        if self.in_flight.len() > SHOWN {
            writeln!(
                f,
                "  ... and {} more (--json lists all)",
                self.in_flight.len() - SHOWN
            )?;
        }
        Ok(())
    }
}
