//! Step 10: cancel at any moment; nothing lost.
//!
//! Submission stops; queued and in-flight restores are cancelled (deleting a
//! restoring database cancels it); every tenant not yet switched goes back to
//! its origin copy; switched tenants stay where they are.

use crate::SchedulerError;
use crate::command::{Action, DbCopy, Region};
use crate::fleet::{DbId, Routing};
use crate::state::{RecoveryCopy, TenantState};

use super::ops::OpState;
use super::{Phase, Scheduler};

impl Scheduler {
    /// Starts the cancel (idempotent; ignored once repatriating).
    pub(crate) fn cancel(&mut self) {
        if !matches!(self.phase, Phase::Recovering | Phase::Recovered) {
            return;
        }
        self.set_phase(Phase::Cancelling);
        for db in self.dispatcher.stop() {
            let _ = self.set_copy(db, RecoveryCopy::Gone);
        }
        self.drop_queued_writes();
        self.enable_origin_endpoint();
        for i in 0..self.tenants.len() {
            // Errors here would mean a state the cancel does not touch.
            let _ = self.cancel_tenant(DbId(i as u32));
        }
        self.check_finished();
    }

    pub(crate) fn enable_origin_endpoint(&mut self) {
        if !self.infra.origin_endpoint_enabled {
            self.infra.origin_endpoint_enabled = true;
            self.issue(Action::SetEndpoint {
                region: Region::Origin,
                enabled: true,
            });
        }
    }

    /// Drops restores and pool creations still waiting for write budget.
    fn drop_queued_writes(&mut self) {
        let queued: Vec<_> = self.queues[crate::command::ArmClass::Write as usize]
            .iter()
            .copied()
            .collect();
        for op in queued {
            let Some(entry) = self.ops.get(op) else {
                continue;
            };
            if entry.state != OpState::Queued {
                continue;
            }
            match entry.action {
                Action::RestoreDatabase { db, .. } => {
                    self.drop_op(op);
                    let _ = self.set_copy(db, RecoveryCopy::Gone);
                    let lane = self.tenant(db).lane;
                    self.dispatcher.finished(lane, db);
                }
                Action::CreatePool { pool } => {
                    self.drop_op(op);
                    self.infra.pools[pool.0 as usize].advance(crate::state::ResourceState::Absent);
                }
                _ => {}
            }
        }
    }

    /// Sends one tenant back to origin unless it is switched (idempotent).
    pub(crate) fn cancel_tenant(&mut self, db: DbId) -> Result<(), SchedulerError> {
        let (state, copy) = (self.tenant(db).state, self.tenant(db).copy);
        let alias_mode =
            self.estate.fleet.routing == Routing::ServerAlias && !self.estate.is_new_tenant(db);
        let server = self.estate.known_database(db).server.0 as usize;
        // The alias points (or is about to point) at the recovery server.
        let alias_moved =
            alias_mode && (self.infra.alias_in_recovery[server] || self.infra.alias_moving[server]);
        // A failed tenant whose routing already points at its recovery copy
        // is switched: it stays (reported), and so does its copy.
        if state == TenantState::Failed && self.tenant(db).routed_to_recovery {
            return Ok(());
        }
        match state {
            TenantState::Unmarked => self.set_tenant(db, TenantState::Online(Region::Origin))?,
            TenantState::Offline => {
                self.set_tenant(db, TenantState::MarkingOnline(Region::Origin))?;
                self.issue(Action::SetTenantOnline { db, online: true });
            }
            TenantState::Failed if !alias_moved => {
                self.set_tenant(db, TenantState::MarkingOnline(Region::Origin))?;
                self.issue(Action::SetTenantOnline { db, online: true });
            }
            TenantState::Routing(Region::Recovery) if alias_mode && !alias_moved => {
                self.set_tenant(db, TenantState::MarkingOnline(Region::Origin))?;
                self.issue(Action::SetTenantOnline { db, online: true });
            }
            _ => {}
        }
        let unused = matches!(
            self.tenant(db).state,
            TenantState::Unmarked
                | TenantState::MarkingOffline
                | TenantState::Offline
                | TenantState::Failed
                | TenantState::MarkingOnline(Region::Origin)
                | TenantState::Online(Region::Origin)
        );
        if unused {
            match copy {
                RecoveryCopy::Restoring | RecoveryCopy::Online => {
                    self.set_copy(db, RecoveryCopy::Deleting)?;
                    self.issue(Action::DeleteDatabase {
                        db,
                        copy: DbCopy::Recovery,
                    });
                }
                // Submitted: a restore still queued was dropped by
                // `drop_queued_writes`; one on its way is undone when its
                // acceptance arrives (`restore_accepted`).
                _ => {}
            }
        }
        Ok(())
    }

    /// A copy was deleted.
    pub(crate) fn copy_deleted(&mut self, db: DbId, copy: DbCopy) -> Result<(), SchedulerError> {
        if copy == DbCopy::Recovery {
            self.set_copy(db, RecoveryCopy::Gone)?;
        }
        Ok(())
    }
}
