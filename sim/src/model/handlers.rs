//! One handler per request kind: validation, Azure-like rejections, and the
//! operation (with its drawn duration and outcome) that a request starts.

use super::state::{Database, Failure, OpKind, Pool, Provisioning, Status};
use super::{AzureModel, Reply, rejected};
use crate::codes;
use crate::durations::{self, MAX_DURATION_MS};
use crate::fastmap::FastMap;
use crate::request::{
    ArmRequest, ArmResponse, DatabaseInfo, DbId, DbRef, DbState, Name, OpHandle, PoolId, PoolInfo,
    PoolState, QueueId, Region, ServerId,
};
use crate::restore_queue::{Admission, RestoreQueue};

impl AzureModel {
    // ----- request handlers --------------------------------------------------

    pub(super) fn handle(&mut self, now: u64, request: ArmRequest) -> Reply {
        match request {
            ArmRequest::CreateServer { server, region } => self.create_server(now, server, region),
            ArmRequest::CreateElasticPool { server, pool } => self.create_pool(now, &server, pool),
            ArmRequest::RestoreDatabase {
                server,
                name,
                pool,
                source,
            } => self.restore(now, &server, name, pool.as_deref(), &source),
            ArmRequest::RestorePointInTime {
                server,
                name,
                pool,
                source,
                point_ms,
            } => self.restore_point_in_time(now, &server, name, pool.as_deref(), &source, point_ms),
            ArmRequest::RestoreDropped {
                server,
                name,
                pool,
                source,
                deleted_ms,
                point_ms,
            } => self.restore_dropped(
                now,
                &server,
                name,
                pool.as_deref(),
                &source,
                deleted_ms,
                point_ms,
            ),
            ArmRequest::CreateSecondary {
                server,
                name,
                pool,
                primary,
            } => self.create_secondary(now, &server, name, pool.as_deref(), &primary),
            ArmRequest::Failover { server, name } => self.failover(now, &server, &name),
            ArmRequest::DeleteDatabase { server, name } => {
                self.delete_database(now, &server, &name)
            }
            ArmRequest::DeleteServer { server } => self.delete_server(now, &server),
            ArmRequest::MoveDatabaseToPool { server, name, pool } => {
                self.move_to_pool(now, &server, &name, &pool)
            }
            ArmRequest::RenameDatabase {
                server,
                name,
                new_name,
            } => self.rename_database(now, &server, &name, new_name),
            ArmRequest::DeleteElasticPool { server, pool } => self.delete_pool(now, &server, &pool),
            ArmRequest::DeleteWebApp { name } => self.delete_web_app(now, &name),
            ArmRequest::AcquireDnsAlias { alias, server } => {
                self.acquire_alias(now, alias, &server)
            }
            ArmRequest::SetEndpointStatus { endpoint, enabled } => {
                self.set_endpoint(now, endpoint, enabled)
            }
            ArmRequest::CreateWebApp { name, region } => self.create_web_app(now, name, region),
            ArmRequest::CatalogUpdate { tenant, .. } => {
                let mut draws = self.draws(&["catalog", &tenant]);
                let after = durations::lognormal_ms(&mut draws, self.params.catalog_update);
                Ok(self.timed_op(now, after, OpKind::Noop, None))
            }
            ArmRequest::GetOperation { operation } => match self.op(operation) {
                Some(o) => Ok(ArmResponse::Operation {
                    status: o.status.public(),
                }),
                None => Err(rejected(
                    404,
                    codes::OPERATION_NOT_FOUND,
                    format!("operation {} was not found", operation.0),
                )),
            },
            ArmRequest::GetDatabase { server, name } => {
                let sid = self.find_server(&server)?;
                let db = self.find_database(sid, &name)?;
                Ok(ArmResponse::Database {
                    info: self.info(db),
                })
            }
            ArmRequest::GetServer { server } => {
                let sid = self.find_server(&server)?;
                let s = &self.servers[sid.0 as usize];
                Ok(ArmResponse::Server {
                    region: s.region,
                    ready: s.state == Provisioning::Ready,
                })
            }
            ArmRequest::ListDatabases { server } => {
                let sid = self.find_server(&server)?;
                let databases = self
                    .databases_by_name(sid)
                    .into_iter()
                    .map(|db| self.info(db))
                    .collect();
                Ok(ArmResponse::Databases { databases })
            }
            ArmRequest::ListElasticPools { server } => {
                let sid = self.find_server(&server)?;
                let pools = self
                    .pools_by_name(sid)
                    .into_iter()
                    .map(|pid| PoolInfo {
                        id: pid,
                        state: match self.pools[pid.0 as usize].state {
                            Provisioning::InProgress => PoolState::Creating,
                            Provisioning::Ready => PoolState::Ready,
                            Provisioning::Failed => PoolState::Failed,
                        },
                    })
                    .collect();
                Ok(ArmResponse::ElasticPools { pools })
            }
        }
    }

    pub(super) fn info(&self, db: DbId) -> DatabaseInfo {
        let d = &self.databases[db.0 as usize];
        DatabaseInfo {
            created_ms: d.created_ms,
            id: db,
            state: d.state,
            pool: d.pool,
            size_gb: d.size_gb,
        }
    }

    fn create_server(&mut self, now: u64, name: Name, region: Region) -> Reply {
        if region == Region::Origin && !self.origin_available {
            return Err(rejected(
                503,
                codes::SERVICE_UNAVAILABLE,
                "the origin region is unavailable".to_owned(),
            ));
        }
        if let Some(&sid) = self.server_names.get(&*name) {
            let s = &self.servers[sid.0 as usize];
            if s.region != region {
                return Err(rejected(
                    409,
                    codes::SERVER_NAME_ALREADY_EXISTS,
                    format!("server name '{name}' is already in use in another region"),
                ));
            }
            return match s.state {
                Provisioning::Ready => Ok(self.timed_op(now, 0, OpKind::Noop, None)),
                _ => Err(rejected(
                    409,
                    codes::ANOTHER_OPERATION_IN_PROGRESS,
                    format!("server '{name}' is being created"),
                )),
            };
        }
        let mut draws = self.draws(&["server_create", &name]);
        let after = durations::lognormal_ms(&mut draws, self.params.server_create);
        let sid = self.insert_server(name.to_string(), region, Provisioning::InProgress);
        let response = self.timed_op(now, after, OpKind::CreateServer(sid), None);
        if let ArmResponse::Accepted { operation } = response {
            self.servers[sid.0 as usize].op = Some(operation);
        }
        Ok(response)
    }

    fn create_pool(&mut self, now: u64, server: &str, name: Name) -> Reply {
        let sid = self.ready_server(server)?;
        let existing = self.servers[sid.0 as usize].pools.get(&*name).copied();
        let pid = match existing {
            Some(pid) => match self.pools[pid.0 as usize].state {
                Provisioning::Ready => return Ok(self.timed_op(now, 0, OpKind::Noop, None)),
                Provisioning::InProgress => {
                    return Err(rejected(
                        409,
                        codes::ANOTHER_OPERATION_IN_PROGRESS,
                        format!("elastic pool '{name}' on server '{server}' is being created"),
                    ));
                }
                Provisioning::Failed => pid,
            },
            None => {
                let pid = PoolId(u32::try_from(self.pools.len()).unwrap_or(u32::MAX));
                self.servers[sid.0 as usize]
                    .pools
                    .insert(Name::clone(&name), pid);
                self.pools.push(Pool {
                    server: sid,
                    name: Name::clone(&name),
                    state: Provisioning::InProgress,
                    op: None,
                    queue: RestoreQueue::new(
                        self.params.pool_restore_slots,
                        self.params.pool_restore_max_submitted,
                    ),
                    databases: 0,
                    created_ms: now,
                });
                pid
            }
        };
        let mut draws = self.draws(&["pool_create", server, &name]);
        let (after, fails) = durations::pool_create(&self.params, &mut draws);
        let outcome = fails.then_some(Failure::PoolProvisioning);
        let response = self.timed_op(now, after, OpKind::CreatePool(pid), outcome);
        let p = &mut self.pools[pid.0 as usize];
        p.state = Provisioning::InProgress;
        if let ArmResponse::Accepted { operation } = response {
            p.op = Some(operation);
        }
        Ok(response)
    }

    fn restore(
        &mut self,
        now: u64,
        server: &str,
        name: Name,
        pool: Option<&str>,
        source: &DbRef,
    ) -> Reply {
        let sid = self.ready_server(server)?;
        let src_index = self
            .server_names
            .get(&*source.server)
            .and_then(|s| self.servers[s.0 as usize].databases.get(&source.name))
            .and_then(|db| self.databases[db.0 as usize].source)
            .ok_or_else(|| {
                rejected(
                    404,
                    codes::RESOURCE_NOT_FOUND,
                    format!(
                        "recoverable database '{}' was not found on server '{}'",
                        source.name, source.server
                    ),
                )
            })?;
        let pid = self.optional_pool(sid, pool)?;
        self.room_for(sid, &name, pid)?;
        let src = &self.sources[src_index as usize];
        let (size_gb, unrestorable, stream) = (src.size_gb, src.unrestorable, src.restore_stream);
        self.queue_restore(now, sid, name, pid, size_gb, unrestorable, stream)
    }

    /// Queues a restore of `size_gb` into `sid/name` (in pool `pid`) once
    /// its request is validated: admission to the pool's (or standalone)
    /// restore queue, then its attempt drawn from `stream` (the restore
    /// duration law), the database (`RestoreQueued`) and the operation,
    /// started at once if a slot is free. `unrestorable` fails it for good.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn queue_restore(
        &mut self,
        now: u64,
        sid: ServerId,
        name: Name,
        pid: Option<PoolId>,
        size_gb: f64,
        unrestorable: bool,
        stream: u64,
    ) -> Reply {
        let queue = pid.map_or(QueueId::Standalone, QueueId::Pool);
        let op = OpHandle(self.ops.len() as u64);
        let admission = self.queue_mut(queue).admit(op).map_err(|full| {
            rejected(
                409,
                codes::RESTORE_QUEUE_FULL,
                format!(
                    "too many concurrent restore requests: {} already submitted to this {}",
                    full.max_submitted,
                    match queue {
                        QueueId::Pool(_) => "elastic pool",
                        QueueId::Standalone => "subscription (standalone databases)",
                    }
                ),
            )
        })?;
        let mut draws = self.stream_draws(stream);
        let attempt =
            durations::restore_attempt(&self.params, size_gb, self.contention, &mut draws);
        let (planned_ms, outcome) = if unrestorable {
            (attempt.fail_after_ms, Some(Failure::RestoreFailed))
        } else if attempt.transient_failure {
            (attempt.fail_after_ms, Some(Failure::Internal))
        } else {
            (attempt.duration_ms, None)
        };
        let db = self.insert_database(Database {
            server: sid,
            name,
            pool: pid,
            size_gb,
            state: DbState::RestoreQueued,
            alive: true,
            op: Some(op),
            partner: None,
            source: None,
            created_ms: self.now_ms,
        });
        let created = self.new_op(OpKind::Restore { db, queue }, outcome);
        debug_assert_eq!(created, op);
        if let Some(o) = self.op_mut(op) {
            o.planned_ms = planned_ms;
        }
        self.stats.restores_accepted += 1;
        if admission == Admission::Started {
            self.start_restore(now, op);
        }
        self.sample(now, queue);
        Ok(ArmResponse::Accepted { operation: op })
    }

    fn create_secondary(
        &mut self,
        now: u64,
        server: &str,
        name: Name,
        pool: Option<&str>,
        primary: &DbRef,
    ) -> Reply {
        let sid = self.ready_server(server)?;
        let psid = self.find_server(&primary.server)?;
        let pdb = self.find_database(psid, &primary.name)?;
        let p = &self.databases[pdb.0 as usize];
        // The same geo-secondary asked again (a client that lost the
        // answer): it exists; the client follows it.
        if let Some(partner) = p.partner {
            let d = &self.databases[partner.0 as usize];
            if d.alive && d.server == sid && *d.name == *name {
                return Err(rejected(
                    409,
                    codes::DATABASE_ALREADY_EXISTS,
                    format!(
                        "database '{name}' already exists on server '{server}' as a geo-secondary of '{}'",
                        primary.name
                    ),
                ));
            }
        }
        if p.state != DbState::Online || p.partner.is_some() {
            return Err(rejected(
                409,
                codes::INVALID_DATABASE_STATE,
                format!(
                    "database '{}' on server '{}' must be an online primary without a geo-replica",
                    primary.name, primary.server
                ),
            ));
        }
        let size_gb = p.size_gb;
        let pid = self.optional_pool(sid, pool)?;
        self.room_for(sid, &name, pid)?;
        let mut draws = self.draws(&["seeding", server, &name]);
        let after = durations::seeding_ms(&self.params, size_gb, &mut draws);
        let op = OpHandle(self.ops.len() as u64);
        let db = self.insert_database(Database {
            server: sid,
            name,
            pool: pid,
            size_gb,
            state: DbState::Seeding,
            alive: true,
            op: Some(op),
            partner: Some(pdb),
            source: None,
            created_ms: self.now_ms,
        });
        self.databases[pdb.0 as usize].partner = Some(db);
        self.repatriation
            .seeded(server, &self.databases[db.0 as usize].name);
        Ok(self.timed_op(now, after, OpKind::CreateSecondary { db }, None))
    }

    fn failover(&mut self, now: u64, server: &str, name: &str) -> Reply {
        let sid = self.find_server(server)?;
        let db = self.find_database(sid, name)?;
        let d = &self.databases[db.0 as usize];
        let partner = match (d.state, d.partner) {
            (DbState::Secondary, Some(p)) => p,
            (DbState::FailingOver, Some(_)) => {
                return Err(rejected(
                    409,
                    codes::ANOTHER_OPERATION_IN_PROGRESS,
                    format!("a failover of database '{name}' on server '{server}' is in progress"),
                ));
            }
            _ => {
                return Err(rejected(
                    409,
                    codes::INVALID_DATABASE_STATE,
                    format!("database '{name}' on server '{server}' is not a seeded geo-secondary"),
                ));
            }
        };
        let psid = self.databases[partner.0 as usize].server;
        self.available(psid)?;
        let mut draws = self.draws(&["failover", server, name]);
        let after = durations::lognormal_ms(&mut draws, self.params.planned_failover);
        let response = self.timed_op(now, after, OpKind::Failover { db }, None);
        if let ArmResponse::Accepted { operation } = response {
            self.repatriation.failed_over(server, name);
            for id in [db, partner] {
                let x = &mut self.databases[id.0 as usize];
                x.state = DbState::FailingOver;
                x.op = Some(operation);
                self.touch(id);
            }
        }
        Ok(response)
    }

    fn delete_database(&mut self, now: u64, server: &str, name: &str) -> Reply {
        let Some(&sid) = self.server_names.get(server) else {
            return Ok(ArmResponse::Completed);
        };
        self.available(sid)?;
        let Some(&db) = self.servers[sid.0 as usize].databases.get(name) else {
            return Ok(ArmResponse::Completed);
        };
        self.note_preoutage_delete(server, name);
        self.note_dropped(now, db);
        self.drop_database(now, db);
        let mut draws = self.draws(&["database_delete", server, name]);
        let after = durations::lognormal_ms(&mut draws, self.params.database_delete);
        Ok(self.timed_op(now, after, OpKind::Noop, None))
    }

    fn delete_server(&mut self, now: u64, server: &str) -> Reply {
        let Some(&sid) = self.server_names.get(server) else {
            return Ok(ArmResponse::Completed);
        };
        self.available(sid)?;
        let mut dbs = self.databases_by_name(sid);
        // Queued restores first, so canceling a processing one does not
        // start a restore that is about to be deleted.
        dbs.sort_by_key(|db| self.databases[db.0 as usize].state != DbState::RestoreQueued);
        for db in dbs {
            self.drop_database(now, db);
        }
        for pid in self.pools_by_name(sid) {
            let op = self.pools[pid.0 as usize].op.take();
            if let Some((op, _)) = self.in_progress(op) {
                self.finish(now, op, Status::Canceled);
            }
        }
        let s = &mut self.servers[sid.0 as usize];
        s.alive = false;
        s.pools.clear();
        let op = s.op.take();
        if let Some((op, _)) = self.in_progress(op) {
            self.finish(now, op, Status::Canceled);
        }
        self.server_names.remove(server);
        // Dropping a server drops its DNS aliases.
        for alias in &mut self.aliases {
            if *alias == Some(sid) {
                *alias = None;
            }
        }
        let mut draws = self.draws(&["server_delete", server]);
        let after = durations::lognormal_ms(&mut draws, self.params.server_delete);
        Ok(self.timed_op(now, after, OpKind::Noop, None))
    }

    fn move_to_pool(&mut self, now: u64, server: &str, name: &str, pool: &str) -> Reply {
        let sid = self.ready_server(server)?;
        let db = self.find_database(sid, name)?;
        let pid = self.ready_pool(sid, pool)?;
        let d = &self.databases[db.0 as usize];
        if d.state != DbState::Online {
            return Err(rejected(
                409,
                codes::INVALID_DATABASE_STATE,
                format!("database '{name}' on server '{server}' is not online"),
            ));
        }
        if d.pool == Some(pid) {
            return Ok(self.timed_op(now, 0, OpKind::Noop, None));
        }
        let size_gb = d.size_gb;
        if self.pools[pid.0 as usize].databases >= self.params.max_databases_per_pool {
            return Err(rejected(
                409,
                codes::DATABASE_LIMIT_REACHED,
                format!("elastic pool '{pool}' holds its maximum number of databases"),
            ));
        }
        let after = durations::move_to_pool_ms(&self.params, size_gb);
        let response = self.timed_op(now, after, OpKind::Move { db, pool: pid }, None);
        if let ArmResponse::Accepted { operation } = response {
            let d = &mut self.databases[db.0 as usize];
            d.state = DbState::Moving;
            d.op = Some(operation);
            self.touch(db);
        }
        Ok(response)
    }

    fn acquire_alias(&mut self, now: u64, alias: Name, server: &str) -> Reply {
        let sid = self.ready_server(server)?;
        let index = intern(&mut self.alias_names, &mut self.aliases, &alias, None);
        let mut draws = self.draws(&["dns_alias", &alias]);
        let after = draws.uniform_u64(self.params.dns_alias_min_ms, self.params.dns_alias_max_ms);
        Ok(self.timed_op(
            now,
            after.min(MAX_DURATION_MS),
            OpKind::DnsAlias {
                alias: index,
                server: sid,
            },
            None,
        ))
    }

    fn set_endpoint(&mut self, now: u64, endpoint: Name, enabled: bool) -> Reply {
        let index = intern(
            &mut self.endpoint_names,
            &mut self.endpoints,
            &endpoint,
            None,
        );
        let mut draws = self.draws(&["traffic_manager", &endpoint]);
        let after = draws.uniform_u64(
            self.params.traffic_manager_min_ms,
            self.params.traffic_manager_max_ms,
        );
        Ok(self.timed_op(
            now,
            after.min(MAX_DURATION_MS),
            OpKind::Endpoint {
                endpoint: index,
                enabled,
            },
            None,
        ))
    }

    fn create_web_app(&mut self, now: u64, name: Name, region: Region) -> Reply {
        if region == Region::Origin && !self.origin_available {
            return Err(rejected(
                503,
                codes::SERVICE_UNAVAILABLE,
                "the origin region is unavailable".to_owned(),
            ));
        }
        if let Some(&app) = self.web_app_names.get(&*name) {
            return match self.web_apps[app as usize] {
                Provisioning::Ready => Ok(self.timed_op(now, 0, OpKind::Noop, None)),
                _ => Err(rejected(
                    409,
                    codes::ANOTHER_OPERATION_IN_PROGRESS,
                    format!("web app '{name}' is being created"),
                )),
            };
        }
        let index = intern(
            &mut self.web_app_names,
            &mut self.web_apps,
            &name,
            Provisioning::InProgress,
        );
        let mut draws = self.draws(&["web_app", &name]);
        let after = durations::lognormal_ms(&mut draws, self.params.web_app_create);
        Ok(self.timed_op(now, after, OpKind::WebApp(index), None))
    }
}

/// Looks `name` up in `names`, appending `initial` to `items` the first
/// time; returns its index.
fn intern<T>(names: &mut FastMap<Name, u32>, items: &mut Vec<T>, name: &Name, initial: T) -> u32 {
    if let Some(&i) = names.get(&**name) {
        return i;
    }
    let i = u32::try_from(items.len()).unwrap_or(u32::MAX);
    names.insert(Name::clone(name), i);
    items.push(initial);
    i
}
