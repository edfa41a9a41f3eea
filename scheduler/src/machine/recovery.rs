//! Steps 8 and 9: restores, then routing, then online, per tenant.

use crate::SchedulerError;
use crate::command::{Action, AliasRef, DbCopy, OpId, Placement, Region};
use crate::fleet::{DbId, Routing, ServerId, TierId};
use crate::state::{RecoveryCopy, ResourceState, TenantState};

use super::{Phase, Scheduler, Tenant};

impl Scheduler {
    /// The dispatcher picked `db`: issue its restore (the write token is taken).
    pub(crate) fn submit_restore(&mut self, db: DbId) -> OpId {
        let placement = self.tenant(db).placement;
        // The copy is Waiting: a dispatcher entry exists only for waiting databases.
        let _ = self.set_copy(db, RecoveryCopy::Submitted);
        let op = self.record(Action::RestoreDatabase { db, placement });
        self.tenants[db.0 as usize].restore_op = Some(op);
        op
    }

    pub(crate) fn restore_accepted(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.set_copy(db, RecoveryCopy::Restoring)?;
        if self.phase != Phase::Recovering && self.phase != Phase::Recovered {
            // Cancel came while the request was on its way: undo it now.
            self.set_copy(db, RecoveryCopy::Deleting)?;
            self.issue(Action::DeleteDatabase {
                db,
                copy: DbCopy::Recovery,
            });
        }
        Ok(())
    }

    pub(crate) fn restore_backing_off(&mut self, db: DbId) -> Result<(), SchedulerError> {
        // Resubmitted by the retry timer with the same op id.
        self.set_copy(db, RecoveryCopy::Backoff)
    }

    /// The outcome of a restore whose copy a cancel already deletes (or
    /// deleted) changes nothing: the delete wins. Frees the lane slot.
    pub(crate) fn restore_obsolete(&mut self, action: Action) -> bool {
        let Action::RestoreDatabase { db, .. } = action else {
            return false;
        };
        if !matches!(
            self.tenant(db).copy,
            RecoveryCopy::Deleting | RecoveryCopy::Gone
        ) {
            return false;
        }
        let lane = self.tenant(db).lane;
        self.dispatcher.finished(lane, db);
        true
    }

    pub(crate) fn restore_succeeded(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.set_copy(db, RecoveryCopy::Online)?;
        let lane = self.tenant(db).lane;
        self.dispatcher.finished(lane, db);
        if self.phase == Phase::Recovering {
            self.try_route_to_recovery(db)
        } else {
            // Cancelled or repatriating: this copy arrived too late to be used.
            if matches!(
                self.tenant(db).state,
                TenantState::Offline
                    | TenantState::Unmarked
                    | TenantState::Failed
                    | TenantState::MarkingOnline(Region::Origin)
                    | TenantState::Online(Region::Origin)
                    | TenantState::MarkingOffline
            ) {
                self.set_copy(db, RecoveryCopy::Deleting)?;
                self.issue(Action::DeleteDatabase {
                    db,
                    copy: DbCopy::Recovery,
                });
            }
            self.check_finished();
            Ok(())
        }
    }

    pub(crate) fn restore_failed(
        &mut self,
        db: DbId,
        reason: String,
    ) -> Result<(), SchedulerError> {
        self.set_copy(db, RecoveryCopy::Failed)?;
        let lane = self.tenant(db).lane;
        self.dispatcher.finished(lane, db);
        self.restore_abandoned(db, format!("geo-restore failed: {reason}"));
        Ok(())
    }

    /// The tenant will get no recovery copy.
    pub(crate) fn restore_abandoned(&mut self, db: DbId, reason: String) {
        if self.tenant(db).copy == RecoveryCopy::Waiting {
            let _ = self.set_copy(db, RecoveryCopy::Gone);
        }
        match self.phase {
            Phase::Recovering => {
                if self.tenant(db).state == TenantState::MarkingOffline {
                    self.tenants[db.0 as usize].pending_failure = Some(reason);
                    return;
                }
                self.fail_tenant(db, reason);
            }
            // The recovery is over (every tenant online or reported): the
            // region is still down, so nobody goes "home"; a tenant still
            // waiting for this copy is reported.
            Phase::Recovered => self.fail_tenant(db, reason),
            _ => {
                let _ = self.cancel_tenant(db);
            }
        }
        self.check_finished();
    }

    /// Catalog marks.
    pub(crate) fn marked(&mut self, db: DbId, online: bool) -> Result<(), SchedulerError> {
        let state = self.tenant(db).state;
        match (state, online) {
            (TenantState::MarkingOffline, false) => {
                self.set_tenant(db, TenantState::Offline)?;
                let pending = self.tenants[db.0 as usize].pending_failure.take();
                if let Some(reason) = pending
                    && self.phase == Phase::Recovering
                {
                    self.fail_tenant(db, reason);
                    return Ok(());
                }
                match self.phase {
                    Phase::Recovering => self.try_route_to_recovery(db),
                    _ => self.cancel_tenant(db),
                }
            }
            (TenantState::MarkingOfflineForFailover, false) => self.offline_for_switch(db),
            (TenantState::MarkingOnline(region), true) => {
                self.set_tenant(db, TenantState::Online(region))?;
                self.came_online(db, region)
            }
            _ => Err(SchedulerError::IllegalTransition {
                what: format!("tenant {}", self.estate.db_name(db)),
                from: format!("{state:?}"),
                to: if online {
                    "online".into()
                } else {
                    "offline".into()
                },
            }),
        }
    }

    fn came_online(&mut self, db: DbId, region: Region) -> Result<(), SchedulerError> {
        match region {
            Region::Recovery => {
                if self.tenant(db).needs_move
                    && !self.tenant(db).repatriate
                    && let Some(pool) = self.estate.known_database(db).pool
                    && self.infra.pools[pool.0 as usize] == crate::state::ResourceState::Ready
                {
                    self.issue(Action::MoveToPool { db });
                }
                if self.tenant(db).repatriate || self.phase == Phase::Repatriating {
                    return self.start_tenant_repatriation(db);
                }
            }
            Region::Origin => {
                if self.phase == Phase::Repatriating {
                    self.home_again(db);
                }
            }
        }
        self.check_finished();
        Ok(())
    }

    /// Step 9: once both the copy is online and the tenant is offline, point
    /// its routing at the copy (catalog), or wait for its server's alias.
    pub(crate) fn try_route_to_recovery(&mut self, db: DbId) -> Result<(), SchedulerError> {
        let tenant = self.tenant(db);
        if tenant.state != TenantState::Offline || tenant.copy != RecoveryCopy::Online {
            return Ok(());
        }
        self.set_tenant(db, TenantState::Routing(Region::Recovery))?;
        match self.estate.fleet.routing {
            Routing::Catalog => {
                self.issue(Action::SetRouting {
                    db,
                    to: Region::Recovery,
                });
            }
            Routing::ServerAlias => {
                self.server_alias_barrier(self.estate.known_database(db).server)
            }
        }
        Ok(())
    }

    /// With server aliases, the alias moves once every tenant of the server
    /// is ready to follow it (or failed). O(1): the server's tally says.
    pub(crate) fn server_alias_barrier(&mut self, server: ServerId) {
        if self.estate.fleet.routing != Routing::ServerAlias
            || server == self.estate.new_tenant_server
        {
            return;
        }
        let tally = self.tally(server);
        let waiting = tally.routing_recovery as usize;
        if waiting + tally.failed as usize != self.estate.known_server(server).databases.len() {
            return;
        }
        if waiting > 0 && !self.infra.alias_moving[server.0 as usize] {
            self.infra.alias_moving[server.0 as usize] = true;
            self.issue(Action::MoveAlias {
                alias: AliasRef::Server(server),
                to: Region::Recovery,
            });
        }
    }

    pub(crate) fn routed(&mut self, db: DbId, to: Region) -> Result<(), SchedulerError> {
        self.tenants[db.0 as usize].routed_to_recovery = to == Region::Recovery;
        self.set_tenant(db, TenantState::MarkingOnline(to))?;
        self.issue(Action::SetTenantOnline { db, online: true });
        Ok(())
    }

    pub(crate) fn server_alias_moved(
        &mut self,
        server: ServerId,
        to: Region,
    ) -> Result<(), SchedulerError> {
        self.infra.alias_moving[server.0 as usize] = false;
        self.infra.alias_in_recovery[server.0 as usize] = to == Region::Recovery;
        // One pass over the server's tenants per alias move (the barrier
        // opens once per server and direction).
        let count = self.estate.known_server(server).databases.len();
        for i in 0..count {
            let db = self.estate.known_server(server).databases[i];
            self.tenants[db.0 as usize].routed_to_recovery = to == Region::Recovery;
        }
        if to == Region::Origin {
            self.alias_home(server)?;
        }
        for i in 0..count {
            let db = self.estate.known_server(server).databases[i];
            if self.tenant(db).state == TenantState::Routing(to) {
                self.routed(db, to)?;
            }
        }
        Ok(())
    }

    /// A per-tenant step failed for good.
    pub(crate) fn tenant_step_failed(
        &mut self,
        db: DbId,
        action: Action,
        reason: String,
    ) -> Result<(), SchedulerError> {
        let reason = format!("{:?} failed: {reason}", action);
        match (self.tenant(db).state, action) {
            (_, Action::MoveToPool { .. }) => {
                self.failures.push(super::TenantFailure {
                    db,
                    reason: format!("left standalone: {reason}"),
                });
            }
            (_, Action::DeleteDatabase { .. }) => {
                // The copy may still exist: report it; it stays `Deleting`
                // so a late restore outcome cannot bring it back into use.
                self.blocked
                    .push(format!("{}: {reason}", self.estate.db_name(db)));
            }
            // Still served from recovery: report and keep it there.
            (TenantState::CheckingChanges | TenantState::Replicating, _) => {
                self.force_tenant(db, TenantState::Online(Region::Recovery));
                self.set_stays(db);
                self.server_stays_if_alias_routed(db)?;
                self.failures.push(super::TenantFailure {
                    db,
                    reason: format!("stays in recovery: {reason}"),
                });
            }
            (TenantState::MarkingOfflineForFailover | TenantState::FailingOver, _)
                if self.alias_routed(db) =>
            {
                // Its server-mates are offline for the move: the alias goes
                // home without it; its data stays in the recovery copy.
                self.set_stays(db);
                self.fail_tenant(db, format!("data stays in the recovery copy: {reason}"));
                self.alias_barrier_home(self.estate.known_database(db).server);
            }
            (TenantState::MarkingOfflineForFailover | TenantState::FailingOver, _) => {
                self.set_stays(db);
                self.set_tenant(db, TenantState::MarkingOnline(Region::Recovery))?;
                self.issue(Action::SetTenantOnline { db, online: true });
                self.failures.push(super::TenantFailure {
                    db,
                    reason: format!("stays in recovery: {reason}"),
                });
            }
            _ => {
                self.fail_tenant(db, reason);
                // After a cancel, a tenant whose routing never left its
                // origin copy goes back to it.
                if self.phase != Phase::Recovering && !self.tenant(db).routed_to_recovery {
                    self.cancel_tenant(db)?;
                }
            }
        }
        self.check_finished();
        Ok(())
    }

    /// A tenant signed up during the outage, in the new-tenant pool.
    pub(crate) fn tenant_created(
        &mut self,
        name: &str,
        tier: TierId,
    ) -> Result<(), SchedulerError> {
        if usize::from(tier.0) >= self.estate.fleet.tiers.len() {
            return Err(SchedulerError::UnknownTier(tier.0));
        }
        // The caller may see the pool before the scheduler learns of it.
        let pool_ready = matches!(
            self.infra.pools[self.estate.new_tenant_pool.0 as usize],
            ResourceState::Creating | ResourceState::Ready
        );
        let too_late = matches!(self.phase, Phase::Repatriated)
            || (self.phase == Phase::Repatriating
                && self.final_stage != super::repatriate::FinalStage::Tenants);
        let refused = if !pool_ready {
            Some("the new-tenant pool was never requested, or failed".to_owned())
        } else if too_late {
            Some("the recovery region is being cleaned up".to_owned())
        } else if self.estate.fleet.databases[self.estate.fleet_databases..]
            .iter()
            .any(|d| d.name == name)
        {
            Some(format!("a tenant named `{name}` was already created"))
        } else {
            None
        };
        if let Some(why) = refused {
            return Err(SchedulerError::SignUpRefused(why));
        }
        let db = self.estate.add_new_tenant(name, tier);
        let pool = self.estate.new_tenant_pool;
        let server = self.estate.new_tenant_server;
        self.tenants.push(Tenant {
            state: TenantState::Online(Region::Recovery),
            server,
            copy: RecoveryCopy::Online,
            lane: crate::dispatch::LaneId(pool.0),
            placement: Placement::Pool(pool),
            restore_op: None,
            needs_move: false,
            repatriate: self.phase == Phase::Repatriating,
            renamed_aside: false,
            changed: true,
            home_ready: false,
            stays: false,
            pending_failure: None,
            routed_to_recovery: true,
        });
        if let Some(tenant) = self.tenants.last() {
            self.tallies[server.0 as usize].add(tenant);
        }
        self.settled += 1;
        if self.phase == Phase::Repatriating {
            self.start_tenant_repatriation(db)?;
        }
        Ok(())
    }

    /// Moves the phase on when every tenant has settled and nothing is in
    /// flight. O(1): the counts are kept up to date by the transitions.
    pub(crate) fn check_finished(&mut self) {
        let quiet = self.ops.in_flight() == 0 && self.restores_in_flight == 0;
        match self.phase {
            Phase::Recovering if quiet && self.settled == self.tenants.len() => {
                self.set_phase(Phase::Recovered);
            }
            Phase::Cancelling if quiet && self.settled == self.tenants.len() => {
                self.set_phase(Phase::Cancelled);
            }
            Phase::Repatriating => self.check_repatriated(),
            _ => {}
        }
    }
}
