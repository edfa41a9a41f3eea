//! Step 11: bring every tenant home once the origin region is back.
//!
//! Unchanged tenants switch back to their origin copy (which also holds the
//! writes the geo-backup missed). Changed tenants, and tenants created
//! during the outage, are geo-replicated to the origin while they stay
//! online; only when the replica is seeded does the tenant go offline, fail
//! over (planned: no data loss), switch routing and come back online. The
//! pre-outage origin copy is renamed aside, never deleted before its
//! replacement is seeded and serving. With server aliases, a server's tenants
//! move together. The catalog follows last; then recovery resources go.

use crate::SchedulerError;
use crate::command::{Action, AliasRef, DbCopy, Region, ServerRef};
use crate::fleet::{DbId, Routing, ServerId};
use crate::state::{RecoveryCopy, ResourceState, TenantState};

use super::{Phase, Scheduler};

/// The steps after every tenant is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum FinalStage {
    /// Tenants still moving.
    #[default]
    Tenants,
    /// Catalog being renamed, replicated, failed over and its alias moved.
    Catalog,
    /// New-tenant alias moving home, recovery endpoint being disabled.
    SwitchOff,
    /// Recovery resources being deleted.
    Teardown,
    /// Nothing left.
    Done,
}

impl Scheduler {
    /// Starts the repatriation (idempotent).
    pub(crate) fn repatriate(&mut self) {
        if self.phase == Phase::Repatriating || self.phase == Phase::Repatriated {
            return;
        }
        if matches!(self.phase, Phase::Recovering | Phase::Recovered) {
            self.cancel();
        }
        self.set_phase(Phase::Repatriating);
        self.enable_origin_endpoint();
        self.infra
            .origin_new_tenant_server
            .advance(ResourceState::Creating);
        self.issue(Action::CreateServer {
            server: ServerRef::OriginNewTenants,
        });
        for i in 0..self.tenants.len() {
            let db = DbId(i as u32);
            self.tenants[i].repatriate = true;
            if self.tenant(db).state == TenantState::Online(Region::Recovery) {
                // Errors mean the tenant is not in recovery: nothing to do.
                let _ = self.start_tenant_repatriation(db);
            }
        }
        self.check_finished();
    }

    /// A tenant online in recovery starts its way home.
    pub(crate) fn start_tenant_repatriation(&mut self, db: DbId) -> Result<(), SchedulerError> {
        if self.tenant(db).state != TenantState::Online(Region::Recovery) || self.tenant(db).stays {
            return Ok(());
        }
        if self.estate.is_new_tenant(db) {
            self.set_tenant(db, TenantState::Replicating)?;
            self.tenants[db.0 as usize].changed = true;
            match self.infra.origin_new_tenant_pool {
                ResourceState::Ready => {
                    self.issue(Action::ReplicateToOrigin { db });
                }
                ResourceState::Failed => self.new_tenants_stay("no origin new-tenant pool"),
                _ => {}
            }
            return Ok(());
        }
        self.set_tenant(db, TenantState::CheckingChanges)?;
        self.issue(Action::CheckChanged { db });
        Ok(())
    }

    pub(crate) fn change_checked(&mut self, db: DbId, changed: bool) -> Result<(), SchedulerError> {
        self.set_tenant(db, TenantState::Replicating)?;
        self.tenants[db.0 as usize].changed = changed;
        if changed {
            self.issue(Action::RenameOriginCopy { db });
            Ok(())
        } else {
            self.home_ready(db)
        }
    }

    pub(crate) fn renamed_aside(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.tenants[db.0 as usize].renamed_aside = true;
        if self.left_behind(db, "its pre-outage origin copy stays renamed aside") {
            return Ok(());
        }
        self.issue(Action::ReplicateToOrigin { db });
        Ok(())
    }

    pub(crate) fn replicated(&mut self, db: DbId) -> Result<(), SchedulerError> {
        if self.left_behind(db, "its origin geo-replica stays in place") {
            return Ok(());
        }
        self.home_ready(db)
    }

    /// The origin side is ready (unchanged, or replica seeded): go offline
    /// for the switch, per tenant (catalog) or per server once all of its
    /// tenants are ready (server alias).
    fn home_ready(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.set_home_ready(db);
        if self.alias_routed(db) {
            self.server_ready_to_go_home(self.estate.known_database(db).server, Some(db))
        } else {
            self.go_offline_for_switch(db)
        }
    }

    /// A tenant that must stay in recovery got a late rename or replica
    /// outcome: nothing more happens to it; say what was left behind.
    fn left_behind(&mut self, db: DbId, what: &str) -> bool {
        if !self.tenant(db).stays {
            return false;
        }
        self.failures.push(super::TenantFailure {
            db,
            reason: format!("stays in recovery; {what}"),
        });
        true
    }

    pub(crate) fn alias_routed(&self, db: DbId) -> bool {
        self.estate.fleet.routing == Routing::ServerAlias && !self.estate.is_new_tenant(db)
    }

    fn go_offline_for_switch(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.set_tenant(db, TenantState::MarkingOfflineForFailover)?;
        self.issue(Action::SetTenantOnline { db, online: false });
        Ok(())
    }

    /// With server aliases, one tenant that must stay keeps its whole
    /// server in recovery: its ready server-mates go back online there.
    pub(crate) fn server_stays_if_alias_routed(&mut self, db: DbId) -> Result<(), SchedulerError> {
        if self.alias_routed(db) {
            self.server_ready_to_go_home(self.estate.known_database(db).server, None)?;
        }
        Ok(())
    }

    /// With server aliases: once every tenant of `server` is ready to go
    /// home (or failed, or home already), they go offline for the switch
    /// together; if one of them stays, the ready ones stay with it.
    /// `newly_ready` is the tenant whose readiness prompted the call, if any.
    /// O(1) unless there is work to do: the server's tally says whether any
    /// tenant waits and whether the barrier is open, and the server's
    /// tenants are visited only when it opens (once) or when a tenant first
    /// stays.
    fn server_ready_to_go_home(
        &mut self,
        server: ServerId,
        newly_ready: Option<DbId>,
    ) -> Result<(), SchedulerError> {
        let tally = self.tally(server);
        // Nobody waits: neither staying nor the switch has anyone to move.
        if tally.ready_to_go_home == 0 {
            return Ok(());
        }
        let count = self.estate.known_server(server).databases.len();
        let waits = |t: &super::Tenant| t.state == TenantState::Replicating && t.home_ready;
        if tally.stays > 0 {
            // The only waiting tenant is the one just ready: no scan.
            if tally.ready_to_go_home == 1
                && let Some(db) = newly_ready
                && waits(self.tenant(db))
            {
                self.stay_with_server(db);
                return Ok(());
            }
            for i in 0..count {
                let db = self.estate.known_server(server).databases[i];
                if waits(self.tenant(db)) {
                    self.stay_with_server(db);
                }
            }
            return Ok(());
        }
        let settled = tally.failed + tally.online_origin + tally.ready_to_go_home;
        if settled as usize != count {
            return Ok(());
        }
        for i in 0..count {
            let db = self.estate.known_server(server).databases[i];
            if self.tenant(db).state == TenantState::Replicating {
                self.go_offline_for_switch(db)?;
            }
        }
        Ok(())
    }

    /// A ready tenant stays in recovery because a server-mate must.
    fn stay_with_server(&mut self, db: DbId) {
        self.force_tenant(db, TenantState::Online(Region::Recovery));
        self.set_stays(db);
        self.failures.push(super::TenantFailure {
            db,
            reason: "stays in recovery with its server (a server-mate could not be repatriated)"
                .into(),
        });
    }

    /// Offline for the switch: fail over if changed, then route home.
    pub(crate) fn offline_for_switch(&mut self, db: DbId) -> Result<(), SchedulerError> {
        if self.tenant(db).changed {
            self.set_tenant(db, TenantState::FailingOver)?;
            self.issue(Action::Failover { db });
            Ok(())
        } else {
            self.route_home(db)
        }
    }

    pub(crate) fn failed_over(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.route_home(db)
    }

    /// Points the tenant (or, with aliases, its server once every tenant
    /// waits) back at the origin.
    pub(crate) fn route_home(&mut self, db: DbId) -> Result<(), SchedulerError> {
        self.set_tenant(db, TenantState::Routing(Region::Origin))?;
        if !self.alias_routed(db) {
            self.issue(Action::SetRouting {
                db,
                to: Region::Origin,
            });
            return Ok(());
        }
        self.alias_barrier_home(self.estate.known_database(db).server);
        Ok(())
    }

    /// Moves a server's alias home once every tenant of it waits for that
    /// (or failed, or is home already). O(1): the server's tally says.
    pub(crate) fn alias_barrier_home(&mut self, server: ServerId) {
        let tally = self.tally(server);
        let waiting = tally.routing_origin as usize;
        let all_waiting = waiting + tally.failed as usize + tally.online_origin as usize
            == self.estate.known_server(server).databases.len();
        if all_waiting && waiting > 0 && !self.infra.alias_moving[server.0 as usize] {
            self.infra.alias_moving[server.0 as usize] = true;
            self.issue(Action::MoveAlias {
                alias: AliasRef::Server(server),
                to: Region::Origin,
            });
        }
    }

    /// Online at origin again during repatriation: remove what is left behind.
    pub(crate) fn home_again(&mut self, db: DbId) {
        if self.tenant(db).copy == RecoveryCopy::Online {
            let _ = self.set_copy(db, RecoveryCopy::Deleting);
            self.issue(Action::DeleteDatabase {
                db,
                copy: DbCopy::Recovery,
            });
        }
        if self.tenant(db).renamed_aside {
            self.tenants[db.0 as usize].renamed_aside = false;
            self.issue(Action::DeleteDatabase {
                db,
                copy: DbCopy::OriginPreOutage,
            });
        }
    }

    /// With aliases, failed tenants of a server whose alias came home can
    /// now be served by their origin copy.
    pub(crate) fn alias_home(&mut self, server: ServerId) -> Result<(), SchedulerError> {
        for i in 0..self.estate.known_server(server).databases.len() {
            let db = self.estate.known_server(server).databases[i];
            if self.tenant(db).state == TenantState::Failed && !self.tenant(db).stays {
                self.set_tenant(db, TenantState::MarkingOnline(Region::Origin))?;
                self.issue(Action::SetTenantOnline { db, online: true });
            }
        }
        Ok(())
    }

    /// Origin-side resources and the final catalog and cleanup steps.
    pub(crate) fn repatriation_infra_succeeded(
        &mut self,
        action: Action,
    ) -> Result<(), SchedulerError> {
        match action {
            Action::CreateServer {
                server: ServerRef::OriginNewTenants,
            } => {
                self.infra
                    .origin_new_tenant_server
                    .advance(ResourceState::Ready);
                self.infra
                    .origin_new_tenant_pool
                    .advance(ResourceState::Creating);
                self.issue(Action::CreateOriginNewTenantPool);
            }
            Action::CreateOriginNewTenantPool => {
                self.infra
                    .origin_new_tenant_pool
                    .advance(ResourceState::Ready);
                for i in self.estate.fleet_databases..self.tenants.len() {
                    if self.tenants[i].state == TenantState::Replicating
                        && !self.tenants[i].home_ready
                    {
                        self.issue(Action::ReplicateToOrigin { db: DbId(i as u32) });
                    }
                }
            }
            Action::RenameOriginCatalog => {
                self.issue(Action::ReplicateCatalogToOrigin);
            }
            Action::ReplicateCatalogToOrigin => {
                self.issue(Action::FailoverCatalog);
            }
            Action::FailoverCatalog => {
                self.issue(Action::MoveAlias {
                    alias: AliasRef::Catalog,
                    to: Region::Origin,
                });
            }
            Action::MoveAlias {
                alias: AliasRef::Catalog,
                to: Region::Origin,
            } => {
                self.infra.catalog_in_recovery = false;
                self.issue(Action::DeleteOriginCatalogCopy);
            }
            Action::DeleteWebApp => {
                self.infra.app.advance(ResourceState::Deleted);
            }
            Action::DeleteServer {
                server: ServerRef::Catalog,
            } => {
                self.infra.catalog_server.advance(ResourceState::Deleted);
            }
            Action::DeleteServer {
                server: ServerRef::Mirror(server),
            } => {
                self.infra.servers[server.0 as usize].advance(ResourceState::Deleted);
            }
            Action::DeletePool { pool } => {
                self.infra.pools[pool.0 as usize].advance(ResourceState::Deleted);
                let server = self.estate.known_pool(pool).server;
                self.delete_server_if_empty(server);
            }
            _ => {
                // Generic recovery-side successes (late pool creations, the
                // catalog alias, the web app...) still update their records.
                self.infra_succeeded(action)?;
            }
        }
        Ok(())
    }

    /// The origin new-tenant server or pool could not be made: tenants
    /// created during the outage stay in the recovery region.
    pub(crate) fn new_tenants_stay(&mut self, reason: &str) {
        for i in self.estate.fleet_databases..self.tenants.len() {
            let db = DbId(i as u32);
            if self.tenants[i].state == TenantState::Replicating && !self.tenants[i].home_ready {
                self.force_tenant(db, TenantState::Online(Region::Recovery));
                self.set_stays(db);
                self.failures.push(super::TenantFailure {
                    db,
                    reason: format!("stays in recovery: no origin new-tenant pool ({reason})"),
                });
            }
        }
    }

    /// Called whenever something ends during repatriation: once nothing is
    /// in flight, the next final stage starts (stages with nothing to do
    /// pass at once).
    pub(crate) fn check_repatriated(&mut self) {
        while self.ops.in_flight() == 0 && self.final_stage != FinalStage::Done {
            self.final_stage = match self.final_stage {
                FinalStage::Tenants => {
                    if self.infra.catalog_in_recovery {
                        self.issue(Action::RenameOriginCatalog);
                    }
                    FinalStage::Catalog
                }
                FinalStage::Catalog => {
                    self.switch_off();
                    FinalStage::SwitchOff
                }
                FinalStage::SwitchOff => {
                    self.teardown();
                    FinalStage::Teardown
                }
                FinalStage::Teardown | FinalStage::Done => FinalStage::Done,
            };
        }
        if self.final_stage == FinalStage::Done {
            self.set_phase(Phase::Repatriated);
        }
    }

    /// Per server: whether a tenant is still served from (or has a live
    /// copy on) its recovery mirror.
    fn servers_in_use(&self) -> Vec<bool> {
        let mut per_server = vec![false; self.estate.fleet.servers.len()];
        for (i, tenant) in self.tenants.iter().enumerate() {
            if tenant.copy == RecoveryCopy::Online
                || tenant.state.is_online() && tenant.state != TenantState::Online(Region::Origin)
            {
                per_server[self.estate.known_database(DbId(i as u32)).server.0 as usize] = true;
            }
        }
        per_server
    }

    /// Sends new sign-ups home and, when nobody is served from the recovery
    /// region any more, takes its endpoint out of Traffic Manager, before
    /// anything is deleted.
    fn switch_off(&mut self) {
        if self.infra.origin_new_tenant_pool == ResourceState::Ready {
            self.issue(Action::MoveAlias {
                alias: AliasRef::NewTenants,
                to: Region::Origin,
            });
        }
        let anyone_stays = self.servers_in_use().iter().any(|&s| s);
        if !anyone_stays && self.infra.recovery_endpoint_requested {
            self.issue(Action::SetEndpoint {
                region: Region::Recovery,
                enabled: false,
            });
        }
    }

    /// Deletes recovery resources that serve no tenant any more.
    fn teardown(&mut self) {
        let stays = self.servers_in_use();
        if stays.iter().any(|&s| s) {
            self.blocked.push("some tenants stay in the recovery region; their servers, the web app, its endpoint and the recovery catalog server are kept".to_owned());
        } else {
            if self.infra.app == ResourceState::Ready {
                self.infra.app.advance(ResourceState::Deleting);
                self.issue(Action::DeleteWebApp);
            }
            // A catalog that could not come home keeps its server.
            if self.infra.catalog_server == ResourceState::Ready && !self.infra.catalog_in_recovery
            {
                self.infra.catalog_server.advance(ResourceState::Deleting);
                self.issue(Action::DeleteServer {
                    server: ServerRef::Catalog,
                });
            }
        }
        for (server, &kept) in stays.iter().enumerate() {
            if kept {
                continue;
            }
            let pools = self
                .estate
                .known_server(ServerId(server as u32))
                .pools
                .clone();
            let mut any_pool = false;
            for pool in pools {
                if self.infra.pools[pool.0 as usize] == ResourceState::Ready {
                    any_pool = true;
                    self.infra.pools[pool.0 as usize].advance(ResourceState::Deleting);
                    self.issue(Action::DeletePool { pool });
                }
            }
            if !any_pool {
                self.delete_server_if_empty(ServerId(server as u32));
            }
        }
    }

    fn delete_server_if_empty(&mut self, server: ServerId) {
        let pools_left = self.estate.known_server(server).pools.iter().any(|p| {
            matches!(
                self.infra.pools[p.0 as usize],
                ResourceState::Ready | ResourceState::Deleting | ResourceState::Creating
            )
        });
        if !pools_left && self.infra.servers[server.0 as usize] == ResourceState::Ready {
            self.infra.servers[server.0 as usize].advance(ResourceState::Deleting);
            self.issue(Action::DeleteServer {
                server: ServerRef::Mirror(server),
            });
        }
    }
}
