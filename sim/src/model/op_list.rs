//! Free views of the management operations a database or an elastic pool
//! has had (`databases/{d}/operations`, `elasticPools/{p}/operations`):
//! every operation the model accepted on it, oldest first, with its
//! status and progress.

use super::AzureModel;
use super::state::{OpKind, Status};
use crate::request::{DbState, OpHandle, OpStatus, PoolId};

/// What an operation does to its database or pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationWork {
    /// A database created by a restore (geo, point-in-time or dropped).
    Restore,
    /// A database created as a geo-secondary (seeding).
    CreateSecondary,
    /// A planned failover to this database.
    Failover,
    /// A move of the database into an elastic pool.
    MoveToPool,
    /// The creation of an elastic pool.
    CreatePool,
}

/// One management operation, as an operations list shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationView {
    /// The model's operation handle (its id in status URLs).
    pub handle: OpHandle,
    /// What it does.
    pub work: OperationWork,
    /// Its status now.
    pub status: OpStatus,
    /// Whether it is still waiting for a restore slot.
    pub queued: bool,
    /// Model time it was accepted (ms).
    pub accepted_ms: u64,
    /// Progress, 0..=100: 100 once ended, else the share of its planned
    /// processing time elapsed (at most 99; 0 while queued).
    pub percent_complete: u32,
}

impl AzureModel {
    /// The operations of the live database `server/name`, oldest first;
    /// `None` if there is no such database. Walks every operation the
    /// model has: for occasional reads, not for hot paths.
    pub fn database_operations(&self, server: &str, name: &str) -> Option<Vec<OperationView>> {
        let sid = *self.server_names.get(server)?;
        let db = *self.servers[sid.0 as usize].databases.get(name)?;
        Some(self.operations_where(|kind| match kind {
            OpKind::Restore { db: d, .. } if d == db => Some(OperationWork::Restore),
            OpKind::CreateSecondary { db: d } if d == db => Some(OperationWork::CreateSecondary),
            OpKind::Failover { db: d } if d == db => Some(OperationWork::Failover),
            OpKind::Move { db: d, .. } if d == db => Some(OperationWork::MoveToPool),
            _ => None,
        }))
    }

    /// The operations of the live elastic pool `server/pool`, oldest
    /// first; `None` if there is no such pool.
    pub fn pool_operations(&self, server: &str, pool: &str) -> Option<Vec<OperationView>> {
        let pid: PoolId = self.pool_id(server, pool)?;
        Some(self.operations_where(|kind| match kind {
            OpKind::CreatePool(p) if p == pid => Some(OperationWork::CreatePool),
            _ => None,
        }))
    }

    fn operations_where(
        &self,
        pick: impl Fn(OpKind) -> Option<OperationWork>,
    ) -> Vec<OperationView> {
        self.ops
            .iter()
            .zip(&self.op_times)
            .enumerate()
            .filter_map(|(i, (o, &(accepted_ms, started_ms)))| {
                let work = pick(o.kind)?;
                let queued = o.status == Status::InProgress && self.restore_waiting(o.kind);
                let percent_complete = if o.status != Status::InProgress {
                    100
                } else if queued || o.planned_ms == 0 {
                    0
                } else {
                    let elapsed = self.now_ms.saturating_sub(started_ms);
                    u32::try_from((elapsed.saturating_mul(100) / o.planned_ms).min(99))
                        .unwrap_or(99)
                };
                Some(OperationView {
                    handle: OpHandle(i as u64),
                    work,
                    status: o.status.public(),
                    queued,
                    accepted_ms,
                    percent_complete,
                })
            })
            .collect()
    }

    /// Whether `kind` is a restore whose database still waits in its queue.
    fn restore_waiting(&self, kind: OpKind) -> bool {
        match kind {
            OpKind::Restore { db, .. } => self
                .databases
                .get(db.0 as usize)
                .is_some_and(|d| d.state == DbState::RestoreQueued),
            _ => false,
        }
    }
}
