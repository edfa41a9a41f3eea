//! Preparation and shared resources: endpoint, catalog, app, new-tenant
//! server and pool, mirror servers and pools, and server polling.

use std::cmp::Reverse;

use crate::SchedulerError;
use crate::command::{Action, AliasRef, Placement, Region, ServerRef};
use crate::dispatch::LaneId;
use crate::estate::Estate;
use crate::fleet::{DbId, PoolId, ServerId};
use crate::state::{ResourceState, TenantState};
use crate::strategy::Preparation;

use super::{Phase, PollState, Scheduler, Timer};

/// States of everything the recovery creates besides tenant databases.
#[derive(Debug, Clone)]
pub(crate) struct Infra {
    pub(crate) catalog_server: ResourceState,
    pub(crate) catalog_db: ResourceState,
    /// The catalog alias points at the recovery catalog.
    pub(crate) catalog_in_recovery: bool,
    pub(crate) app: ResourceState,
    pub(crate) recovery_endpoint_requested: bool,
    pub(crate) servers: Vec<ResourceState>,
    pub(crate) pools: Vec<ResourceState>,
    pub(crate) origin_endpoint_enabled: bool,
    /// Per server: its alias points at the recovery mirror.
    pub(crate) alias_in_recovery: Vec<bool>,
    /// Per server: an alias move is in flight.
    pub(crate) alias_moving: Vec<bool>,
    pub(crate) origin_new_tenant_server: ResourceState,
    pub(crate) origin_new_tenant_pool: ResourceState,
    /// Tutorial preparation: mirror servers of the fleet that exist or failed.
    pub(crate) fleet_servers_settled: usize,
}

impl Infra {
    pub(crate) fn new(servers: usize, pools: usize) -> Self {
        Infra {
            catalog_server: ResourceState::Absent,
            catalog_db: ResourceState::Absent,
            catalog_in_recovery: false,
            app: ResourceState::Absent,
            recovery_endpoint_requested: false,
            servers: vec![ResourceState::Absent; servers],
            pools: vec![ResourceState::Absent; pools],
            origin_endpoint_enabled: false,
            alias_in_recovery: vec![false; servers],
            alias_moving: vec![false; servers],
            origin_new_tenant_server: ResourceState::Absent,
            origin_new_tenant_pool: ResourceState::Absent,
            fleet_servers_settled: 0,
        }
    }

    /// Whether the resource a restore lands in exists.
    pub(crate) fn pool_or_server_ready(
        &self,
        estate: &Estate,
        db: DbId,
        placement: Placement,
    ) -> bool {
        match placement {
            Placement::Pool(pool) => self.pools[pool.0 as usize] == ResourceState::Ready,
            Placement::Standalone => {
                self.servers[estate.known_database(db).server.0 as usize] == ResourceState::Ready
            }
        }
    }
}

impl Scheduler {
    /// Steps 2, 3, 5 and 6: issued together at the start; ARM pacing orders
    /// them (endpoint and catalog first, then app and new-tenant server,
    /// then mirror servers).
    pub(crate) fn start_recovery(&mut self) {
        self.issue(Action::SetEndpoint {
            region: Region::Origin,
            enabled: false,
        });
        self.infra.catalog_server.advance(ResourceState::Creating);
        self.issue(Action::CreateServer {
            server: ServerRef::Catalog,
        });
        if self.preparation == Preparation::Eager {
            self.prepare_region();
        }
    }

    /// Steps 5 and 6: app, new-tenant server and mirror servers.
    fn prepare_region(&mut self) {
        self.infra.app.advance(ResourceState::Creating);
        self.issue(Action::CreateWebApp);
        let new_tenants = self.estate.new_tenant_server;
        self.create_server(new_tenants);
        for server in 0..self.estate.fleet.servers.len() as u32 {
            if ServerId(server) != new_tenants {
                self.create_server(ServerId(server));
            }
        }
    }

    fn create_server(&mut self, server: ServerId) {
        self.infra.servers[server.0 as usize].advance(ResourceState::Creating);
        self.issue(Action::CreateServer {
            server: ServerRef::Mirror(server),
        });
    }

    /// Success of an infrastructure operation during recovery or cancel.
    pub(crate) fn infra_succeeded(&mut self, action: Action) -> Result<(), SchedulerError> {
        match action {
            Action::CreateServer {
                server: ServerRef::Catalog,
            } => {
                Self::resource_transition(
                    "catalog server",
                    &mut self.infra.catalog_server,
                    ResourceState::Ready,
                )?;
                self.infra.catalog_db.advance(ResourceState::Creating);
                self.issue(Action::RestoreCatalog);
            }
            Action::RestoreCatalog => {
                Self::resource_transition(
                    "catalog database",
                    &mut self.infra.catalog_db,
                    ResourceState::Ready,
                )?;
                // After a cancel the origin catalog serves again: the
                // restored copy (older, from the geo-backup) stays unused.
                if self.phase == Phase::Recovering {
                    self.issue(Action::MoveAlias {
                        alias: AliasRef::Catalog,
                        to: Region::Recovery,
                    });
                }
            }
            Action::MoveAlias {
                alias: AliasRef::Catalog,
                to: Region::Recovery,
            } => {
                self.infra.catalog_in_recovery = true;
                if self.preparation == Preparation::Tutorial && self.phase == Phase::Recovering {
                    self.prepare_region();
                }
                self.catalog_available()?;
            }
            Action::CreateWebApp => {
                Self::resource_transition("web app", &mut self.infra.app, ResourceState::Ready)?;
                self.maybe_enable_recovery_endpoint();
            }
            Action::CreateServer {
                server: ServerRef::Mirror(server),
            } => {
                let name = self.estate.server_ref_name(ServerRef::Mirror(server));
                Self::resource_transition(
                    &name,
                    &mut self.infra.servers[server.0 as usize],
                    ResourceState::Ready,
                )?;
                let pools = self.estate.known_server(server).pools.clone();
                if self.phase == Phase::Recovering {
                    if self.preparation == Preparation::Eager
                        || server == self.estate.new_tenant_server
                    {
                        self.create_pools(pools);
                    } else {
                        self.fleet_server_settled();
                    }
                } else {
                    for pool in pools {
                        self.pool_unavailable(
                            pool,
                            "recovery cancelled before the pool was created",
                        );
                    }
                }
                let lane = self.standalone_lane(server);
                self.dispatcher.resource_ready(lane);
            }
            Action::CreatePool { pool } => {
                let name = self.estate.known_pool(pool).name.clone();
                Self::resource_transition(
                    &name,
                    &mut self.infra.pools[pool.0 as usize],
                    ResourceState::Ready,
                )?;
                self.dispatcher.resource_ready(LaneId(pool.0));
                // Fast-lane tenants already online standalone move in now.
                for db in self.estate.known_pool(pool).databases.clone() {
                    let tenant = self.tenant(db);
                    if tenant.needs_move && tenant.state == TenantState::Online(Region::Recovery) {
                        self.issue(Action::MoveToPool { db });
                    }
                }
                if pool == self.estate.new_tenant_pool {
                    self.maybe_enable_recovery_endpoint();
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn create_pools(&mut self, pools: Vec<PoolId>) {
        for pool in pools {
            self.infra.pools[pool.0 as usize].advance(ResourceState::Creating);
            self.issue(Action::CreatePool { pool });
        }
    }

    /// Tutorial preparation: once every mirror server of the fleet exists
    /// (or failed), create the pools of those that exist.
    fn fleet_server_settled(&mut self) {
        self.infra.fleet_servers_settled += 1;
        if self.infra.fleet_servers_settled + 1 != self.estate.fleet.servers.len() {
            return;
        }
        for server in 0..self.estate.fleet.servers.len() {
            let id = ServerId(server as u32);
            if id != self.estate.new_tenant_server
                && self.infra.servers[server] == ResourceState::Ready
                && self.phase == Phase::Recovering
            {
                let pools = self.estate.known_server(id).pools.clone();
                self.create_pools(pools);
            }
        }
    }

    pub(crate) fn standalone_lane(&self, server: ServerId) -> LaneId {
        LaneId(self.estate.fleet.pools.len() as u32 + server.0)
    }

    /// Step 7: once the app and the new-tenant pool exist, new tenants can
    /// sign up in the recovery region.
    fn maybe_enable_recovery_endpoint(&mut self) {
        if self.phase != Phase::Recovering {
            return;
        }
        let pool_ready =
            self.infra.pools[self.estate.new_tenant_pool.0 as usize] == ResourceState::Ready;
        if self.infra.app == ResourceState::Ready
            && pool_ready
            && !self.infra.recovery_endpoint_requested
        {
            self.infra.recovery_endpoint_requested = true;
            self.issue(Action::MoveAlias {
                alias: AliasRef::NewTenants,
                to: Region::Recovery,
            });
            self.issue(Action::SetEndpoint {
                region: Region::Recovery,
                enabled: true,
            });
        }
    }

    /// Step 4: the catalog is reachable in recovery; mark tenants offline.
    fn catalog_available(&mut self) -> Result<(), SchedulerError> {
        if self.phase != Phase::Recovering {
            return Ok(());
        }
        for i in 0..self.tenants.len() {
            let db = DbId(i as u32);
            if self.tenants[i].state == TenantState::Unmarked {
                self.set_tenant(db, TenantState::MarkingOffline)?;
                self.issue(Action::SetTenantOnline { db, online: false });
            }
        }
        Ok(())
    }

    /// An infrastructure operation failed for good.
    pub(crate) fn infra_failed(&mut self, action: Action, reason: &str) {
        let what = format!("{action:?}");
        match action {
            Action::CreateServer {
                server: ServerRef::Catalog,
            }
            | Action::RestoreCatalog
            | Action::MoveAlias {
                alias: AliasRef::Catalog,
                to: Region::Recovery,
            } => {
                self.blocked
                    .push(format!("catalog could not be recovered ({what}): {reason}"));
                // After a cancel the origin catalog serves again: nobody fails.
                if self.phase == Phase::Recovering {
                    for i in 0..self.tenants.len() {
                        if self.tenants[i].state == TenantState::Unmarked {
                            self.fail_tenant(
                                DbId(i as u32),
                                format!("catalog could not be recovered: {reason}"),
                            );
                        }
                    }
                    for db in self.dispatcher.stop() {
                        let _ = self.set_copy(db, crate::state::RecoveryCopy::Gone);
                    }
                }
            }
            Action::CreateServer {
                server: ServerRef::Mirror(server),
            } => {
                self.infra.servers[server.0 as usize].advance(ResourceState::Failed);
                if self.preparation == Preparation::Tutorial
                    && server != self.estate.new_tenant_server
                {
                    self.fleet_server_settled();
                }
                let name = self.estate.server_ref_name(ServerRef::Mirror(server));
                self.blocked
                    .push(format!("server {name} could not be created: {reason}"));
                for pool in self.estate.known_server(server).pools.clone() {
                    self.infra.pools[pool.0 as usize].advance(ResourceState::Failed);
                    self.pool_unavailable(
                        pool,
                        &format!("server {name} could not be created: {reason}"),
                    );
                }
                let lane = self.standalone_lane(server);
                for db in self.dispatcher.resource_failed(lane) {
                    self.restore_abandoned(
                        db,
                        format!("server {name} could not be created: {reason}"),
                    );
                }
            }
            Action::CreatePool { pool } => {
                self.infra.pools[pool.0 as usize].advance(ResourceState::Failed);
                let name = self.estate.known_pool(pool).name.clone();
                self.blocked
                    .push(format!("pool {name} could not be created: {reason}"));
                self.pool_unavailable(pool, &format!("pool {name} could not be created: {reason}"));
            }
            _ => self.blocked.push(format!("{what} failed: {reason}")),
        }
    }

    fn pool_unavailable(&mut self, pool: PoolId, reason: &str) {
        for db in self.dispatcher.resource_failed(LaneId(pool.0)) {
            self.restore_abandoned(db, reason.to_owned());
        }
    }

    /// A restore, replica or move was accepted: poll its server until done.
    pub(crate) fn poll_target_started(&mut self, action: Action) {
        let Some((server, region)) = self.poll_target(action) else {
            return;
        };
        let interval = self.config.poll_interval_ms;
        let entry = &mut self.polls[server.0 as usize][region as usize];
        entry.ops_in_flight += 1;
        if entry.state == PollState::Idle {
            entry.state = PollState::Scheduled;
            self.timers.push(Reverse((
                self.now_ms.saturating_add(interval),
                Timer::Poll(server, region),
            )));
        }
    }

    /// A polled operation ended.
    pub(crate) fn poll_target_done(&mut self, action: Action) {
        if let Some((server, region)) = self.poll_target(action) {
            let entry = &mut self.polls[server.0 as usize][region as usize];
            entry.ops_in_flight = entry.ops_in_flight.saturating_sub(1);
        }
    }

    fn poll_target(&self, action: Action) -> Option<(ServerId, Region)> {
        match action {
            Action::RestoreDatabase { db, .. } | Action::MoveToPool { db } => {
                Some((self.estate.known_database(db).server, Region::Recovery))
            }
            Action::ReplicateToOrigin { db } => {
                Some((self.estate.known_database(db).server, Region::Origin))
            }
            _ => None,
        }
    }

    pub(crate) fn poll_due(&mut self, server: ServerId, region: Region) {
        let entry = &mut self.polls[server.0 as usize][region as usize];
        if entry.ops_in_flight == 0 {
            entry.state = PollState::Idle;
            return;
        }
        entry.state = PollState::InFlight;
        self.issue(Action::PollServer { server, region });
    }

    pub(crate) fn poll_finished(&mut self, server: ServerId, region: Region) {
        let interval = self.config.poll_interval_ms;
        let entry = &mut self.polls[server.0 as usize][region as usize];
        if entry.ops_in_flight == 0 {
            entry.state = PollState::Idle;
        } else {
            entry.state = PollState::Scheduled;
            self.timers.push(Reverse((
                self.now_ms.saturating_add(interval),
                Timer::Poll(server, region),
            )));
        }
    }

    /// Routes an outcome to the part of the machine that owns the action.
    pub(crate) fn succeeded(&mut self, action: Action) -> Result<(), SchedulerError> {
        match action {
            Action::PollServer { server, region } => {
                self.poll_finished(server, region);
                Ok(())
            }
            // Their answers are read by the protocol layer, which ends them.
            Action::PollPools { .. } | Action::PollOperation { .. } => Ok(()),
            Action::RestoreDatabase { db, .. } => self.restore_succeeded(db),
            Action::SetTenantOnline { db, online } => self.marked(db, online),
            Action::SetRouting { db, to } => self.routed(db, to),
            Action::MoveAlias {
                alias: AliasRef::Server(server),
                to,
            } => self.server_alias_moved(server, to),
            Action::MoveToPool { db } => {
                self.tenants[db.0 as usize].needs_move = false;
                Ok(())
            }
            Action::DeleteDatabase { db, copy } => self.copy_deleted(db, copy),
            Action::RenameOriginCopy { db } => self.renamed_aside(db),
            Action::ReplicateToOrigin { db } => self.replicated(db),
            Action::Failover { db } => self.failed_over(db),
            _ if self.phase == Phase::Repatriating => self.repatriation_infra_succeeded(action),
            _ => self.infra_succeeded(action),
        }
    }

    /// Bookkeeping when an operation is accepted.
    pub(crate) fn accepted(&mut self, action: Action) -> Result<(), SchedulerError> {
        if action.completes_via_poll() {
            self.poll_target_started(action);
        }
        if let Action::RestoreDatabase { db, .. } = action {
            return self.restore_accepted(db);
        }
        Ok(())
    }

    /// Bookkeeping when an operation will be retried after a backoff (a
    /// failed poll is simply retried and stays in flight).
    pub(crate) fn retrying(&mut self, action: Action) -> Result<(), SchedulerError> {
        if let Action::RestoreDatabase { db, .. } = action {
            return self.restore_backing_off(db);
        }
        Ok(())
    }

    /// Whether a retry is still wanted when its backoff ends.
    pub(crate) fn still_wanted(&self, action: Action) -> bool {
        match action {
            Action::RestoreDatabase { .. } | Action::CreatePool { .. } => {
                self.phase == Phase::Recovering
            }
            _ => true,
        }
    }

    /// A retry was dropped because the run moved on (cancel).
    pub(crate) fn retry_dropped(&mut self, action: Action) {
        match action {
            Action::RestoreDatabase { db, .. } => {
                let _ = self.set_copy(db, crate::state::RecoveryCopy::Gone);
                let lane = self.tenant(db).lane;
                self.dispatcher.finished(lane, db);
                // After a cancel the tenant goes home. A retry that comes due
                // once the recovery is over belongs to a tenant already
                // reported failed (e.g. its server could not be created):
                // bringing it "home" would mark it online while its region
                // is still down.
                if self.phase != Phase::Recovered {
                    let _ = self.cancel_tenant(db);
                }
            }
            Action::CreatePool { pool } => {
                // Dropped before it was sent again: the pool was never made.
                self.infra.pools[pool.0 as usize].advance(ResourceState::Absent);
            }
            _ => {}
        }
    }

    /// An operation failed for good.
    pub(crate) fn failed_for_good(
        &mut self,
        action: Action,
        reason: String,
    ) -> Result<(), SchedulerError> {
        match action {
            Action::RestoreDatabase { db, .. } => self.restore_failed(db, reason),
            Action::PollServer { server, region } => {
                self.poll_finished(server, region);
                Ok(())
            }
            Action::PollPools { server, region } => {
                self.pool_list_finished(server, region);
                Ok(())
            }
            Action::PollOperation { target } => {
                self.status_read_failed(target);
                Ok(())
            }
            Action::SetTenantOnline { db, .. }
            | Action::SetRouting { db, .. }
            | Action::CheckChanged { db }
            | Action::RenameOriginCopy { db }
            | Action::ReplicateToOrigin { db }
            | Action::Failover { db }
            | Action::MoveToPool { db }
            | Action::DeleteDatabase { db, .. } => self.tenant_step_failed(db, action, reason),
            Action::MoveAlias {
                alias: AliasRef::Server(server),
                ..
            } => {
                // The alias stays where it was: tenants waiting for it fail
                // (while `alias_moving` still holds the barrier shut), and a
                // cancel or repatriation can still send them home.
                let name = self.estate.known_server(server).name.clone();
                self.blocked.push(format!(
                    "alias of server {name} could not be moved: {reason}"
                ));
                let dbs = self.estate.known_server(server).databases.clone();
                for &db in &dbs {
                    if matches!(self.tenant(db).state, TenantState::Routing(_)) {
                        self.fail_tenant(db, format!("server alias could not be moved: {reason}"));
                    }
                }
                self.infra.alias_moving[server.0 as usize] = false;
                if self.phase != Phase::Recovering {
                    for db in dbs {
                        if self.tenant(db).state == TenantState::Failed {
                            self.cancel_tenant(db)?;
                        }
                    }
                }
                Ok(())
            }
            Action::CreateServer {
                server: ServerRef::OriginNewTenants,
            }
            | Action::CreateOriginNewTenantPool => {
                self.blocked.push(format!("{action:?} failed: {reason}"));
                self.infra
                    .origin_new_tenant_pool
                    .advance(ResourceState::Failed);
                self.new_tenants_stay(&reason);
                Ok(())
            }
            // The way home and the cleanup: a failed step stops its own
            // chain (a catalog that cannot come home keeps its server), is
            // reported, and the rest goes on.
            Action::RenameOriginCatalog
            | Action::ReplicateCatalogToOrigin
            | Action::FailoverCatalog
            | Action::MoveAlias {
                alias: AliasRef::Catalog,
                to: Region::Origin,
            }
            | Action::MoveAlias {
                alias: AliasRef::NewTenants,
                to: Region::Origin,
            }
            | Action::SetEndpoint { .. }
            | Action::DeleteOriginCatalogCopy
            | Action::DeletePool { .. }
            | Action::DeleteServer { .. }
            | Action::DeleteWebApp => {
                self.blocked.push(format!("{action:?} failed: {reason}"));
                Ok(())
            }
            _ => {
                self.infra_failed(action, &reason);
                self.check_finished();
                Ok(())
            }
        }
    }
}
