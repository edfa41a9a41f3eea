//! The model's internal records (servers, pools, databases, operations) and
//! the bookkeeping shared by the request handlers: restore-queue slots,
//! database removal and cancellation, and resource lookups that answer
//! Azure-like rejections.

use super::{AzureModel, rejected};
use crate::codes;
use crate::fastmap::FastMap;
use crate::request::{
    ArmResponse, DbId, DbState, ModelEventKind, Name, OpHandle, OpStatus, PoolId, QueueId, Region,
    ServerId,
};
use crate::restore_queue::RestoreQueue;
use crate::stats::QueueSample;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Provisioning {
    InProgress,
    Ready,
    Failed,
}

pub(super) struct Server {
    pub(super) name: String,
    pub(super) region: Region,
    pub(super) state: Provisioning,
    pub(super) alive: bool,
    pub(super) op: Option<OpHandle>,
    /// Live pools by name (look-ups only: [`AzureModel::pools_by_name`]
    /// lists them in name order).
    pub(super) pools: FastMap<Name, PoolId>,
    /// Live databases by name: in name order for lists, hashed for
    /// look-ups ([`super::database_names::DatabaseNames`]).
    pub(super) databases: super::database_names::DatabaseNames,
    /// Every change to a database of this server (created, state or pool
    /// changed, gone; `true` = renamed), in order: a list that remembers
    /// how far it read needs only what changed since.
    pub(super) changes: Vec<(DbId, bool)>,
}

pub(super) struct Pool {
    pub(super) server: ServerId,
    pub(super) name: Name,
    pub(super) state: Provisioning,
    pub(super) op: Option<OpHandle>,
    pub(super) queue: RestoreQueue<OpHandle>,
    pub(super) databases: u32,
    /// Model time its first PUT was accepted (ms).
    pub(super) created_ms: u64,
}

pub(super) struct Database {
    pub(super) server: ServerId,
    pub(super) name: Name,
    pub(super) pool: Option<PoolId>,
    pub(super) size_gb: f64,
    pub(super) state: DbState,
    pub(super) alive: bool,
    /// The in-flight operation that owns this database's state, if any.
    pub(super) op: Option<OpHandle>,
    /// Geo-replication partner.
    pub(super) partner: Option<DbId>,
    /// Index into `sources` when this is a recoverable (origin) database.
    pub(super) source: Option<u32>,
    /// Model time it was created (ms; 0 for the seeded estate).
    pub(super) created_ms: u64,
}

pub(super) struct Source {
    /// Name hash of the `["restore", server, name]` stream.
    pub(super) restore_stream: u64,
    pub(super) size_gb: f64,
    pub(super) backup_age_ms: u64,
    pub(super) unrestorable: bool,
}

#[derive(Debug, Clone, Copy)]
pub(super) enum OpKind {
    /// Succeeds with no effect (idempotent PUT of a ready resource, deletes).
    Noop,
    CreateServer(ServerId),
    CreatePool(PoolId),
    Restore {
        db: DbId,
        queue: QueueId,
    },
    CreateSecondary {
        db: DbId,
    },
    Failover {
        db: DbId,
    },
    Move {
        db: DbId,
        pool: PoolId,
    },
    DnsAlias {
        alias: u32,
        server: ServerId,
    },
    Endpoint {
        endpoint: u32,
        enabled: bool,
    },
    WebApp(u32),
}

/// How an operation fails when its timer fires (the outcomes the model
/// draws), with its Azure-like code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Failure {
    /// A pool creation refused by a capacity shortage (retryable).
    PoolProvisioning,
    /// A restore of an unrestorable geo-backup (permanent).
    RestoreFailed,
    /// A restore's transient internal error (retryable).
    Internal,
}

impl Failure {
    pub(super) fn code(self) -> &'static str {
        match self {
            Failure::PoolProvisioning => codes::REGION_DOES_NOT_ALLOW_PROVISIONING,
            Failure::RestoreFailed => codes::RESTORE_FAILED,
            Failure::Internal => codes::INTERNAL_SERVER_ERROR,
        }
    }

    pub(super) fn retryable(self) -> bool {
        !matches!(self, Failure::RestoreFailed)
    }
}

/// [`OpStatus`], compact: one record per operation ever accepted is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status {
    InProgress,
    Succeeded,
    Failed(Failure),
    Canceled,
}

impl Status {
    /// The status as a poll sees it.
    pub(super) fn public(self) -> OpStatus {
        match self {
            Status::InProgress => OpStatus::InProgress,
            Status::Succeeded => OpStatus::Succeeded,
            Status::Failed(f) => OpStatus::Failed {
                code: f.code(),
                retryable: f.retryable(),
            },
            Status::Canceled => OpStatus::Canceled,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub(super) struct Operation {
    pub(super) kind: OpKind,
    pub(super) status: Status,
    /// What happens when the timer fires: success, or this failure.
    pub(super) outcome: Option<Failure>,
    /// Processing time once started (restores wait for a slot first).
    pub(super) planned_ms: u64,
}

// One record per operation ever accepted (over 700,000 in `saas-100k`).
const _: () = assert!(std::mem::size_of::<Operation>() <= 32);

impl AzureModel {
    // ----- internals: restore queues -------------------------------------

    pub(super) fn queue_mut(&mut self, queue: QueueId) -> &mut RestoreQueue<OpHandle> {
        match queue {
            QueueId::Pool(p) => &mut self.pools[p.0 as usize].queue,
            QueueId::Standalone => &mut self.standalone,
        }
    }

    pub(super) fn sample(&mut self, at: u64, queue: QueueId) {
        let q = self.queue_mut(queue);
        let sample = QueueSample {
            at_ms: at,
            queue,
            processing: q.processing(),
            queued: q.waiting(),
        };
        self.stats.queue_samples.push(sample);
    }

    /// A restore takes a processing slot at `at`.
    pub(super) fn start_restore(&mut self, at: u64, op: OpHandle) {
        let Some(&o) = self.op(op) else { return };
        let OpKind::Restore { db, queue } = o.kind else {
            return;
        };
        self.databases[db.0 as usize].state = DbState::Restoring;
        if let Some(times) = usize::try_from(op.0)
            .ok()
            .and_then(|i| self.op_times.get_mut(i))
        {
            times.1 = at;
        }
        self.touch(db);
        self.stats.restore_durations_ms.push(o.planned_ms);
        self.timers.push(at.saturating_add(o.planned_ms), op);
        self.emit(
            at,
            ModelEventKind::RestoreStarted {
                operation: op,
                queue,
            },
        );
    }

    /// A processing restore of `queue` ended: the next waiting one starts.
    pub(super) fn release_slot(&mut self, at: u64, queue: QueueId) {
        if let Some(next) = self.queue_mut(queue).release() {
            self.start_restore(at, next);
        }
        self.sample(at, queue);
    }

    // ----- internals: resources ------------------------------------------

    pub(super) fn insert_server(
        &mut self,
        name: String,
        region: Region,
        state: Provisioning,
    ) -> ServerId {
        let sid = ServerId(u32::try_from(self.servers.len()).unwrap_or(u32::MAX));
        self.server_names.insert(name.as_str().into(), sid);
        self.servers.push(Server {
            name,
            region,
            state,
            alive: true,
            op: None,
            pools: FastMap::default(),
            databases: Default::default(),
            changes: Vec::new(),
        });
        sid
    }

    /// The live databases of a server in name order (what a list shows).
    pub(super) fn databases_by_name(&self, sid: ServerId) -> Vec<DbId> {
        self.servers[sid.0 as usize]
            .databases
            .values()
            .copied()
            .collect()
    }

    /// The live pools of a server in name order (what a list shows).
    pub(super) fn pools_by_name(&self, sid: ServerId) -> Vec<PoolId> {
        let mut pools: Vec<PoolId> = self.servers[sid.0 as usize]
            .pools
            .values()
            .copied()
            .collect();
        pools.sort_unstable_by(|a, b| {
            self.pools[a.0 as usize]
                .name
                .cmp(&self.pools[b.0 as usize].name)
        });
        pools
    }

    pub(super) fn insert_database(&mut self, d: Database) -> DbId {
        let id = DbId(u32::try_from(self.databases.len()).unwrap_or(u32::MAX));
        let server = d.server;
        let pool = d.pool;
        self.servers[server.0 as usize]
            .databases
            .insert(Name::clone(&d.name), id);
        if let Some(p) = pool {
            self.pools[p.0 as usize].databases += 1;
        }
        self.databases.push(d);
        self.touch(id);
        id
    }

    /// Notes a change to `db` in its server's change log.
    pub(super) fn touch(&mut self, db: DbId) {
        self.touch_as(db, false);
    }

    /// Notes a change (`renamed`: its name changed) to `db`.
    pub(super) fn touch_as(&mut self, db: DbId, renamed: bool) {
        if let Some(d) = self.databases.get(db.0 as usize)
            && let Some(s) = self.servers.get_mut(d.server.0 as usize)
        {
            s.changes.push((db, renamed));
        }
    }

    /// Removes a database from its server and pool (it stops existing).
    pub(super) fn unlink_database(&mut self, db: DbId) {
        let d = &mut self.databases[db.0 as usize];
        if !d.alive {
            return;
        }
        d.alive = false;
        d.op = None;
        let (server, pool, partner) = (d.server, d.pool, d.partner.take());
        self.servers[server.0 as usize].databases.remove(&d.name);
        self.touch(db);
        if let Some(p) = pool {
            let p = &mut self.pools[p.0 as usize];
            p.databases = p.databases.saturating_sub(1);
        }
        if let Some(partner) = partner {
            // The link is gone: the partner becomes a standalone primary.
            let p = &mut self.databases[partner.0 as usize];
            p.partner = None;
            if matches!(p.state, DbState::Secondary | DbState::Seeding) {
                p.state = DbState::Online;
            }
            self.touch(partner);
        }
    }

    /// Deletes a database at `at`, canceling the operation that owns it.
    pub(super) fn drop_database(&mut self, at: u64, db: DbId) {
        let d = &self.databases[db.0 as usize];
        if !d.alive {
            return;
        }
        // A geo-secondary still seeding from this database cannot finish.
        let seeding = d
            .partner
            .filter(|p| self.databases[p.0 as usize].state == DbState::Seeding);
        if let Some(p) = seeding {
            self.drop_database(at, p);
        }
        if let Some((op, o)) = self.in_progress(self.databases[db.0 as usize].op) {
            self.cancel_owned(at, op, o.kind, db);
        }
        self.unlink_database(db);
    }

    pub(super) fn cancel_owned(&mut self, at: u64, op: OpHandle, kind: OpKind, db: DbId) {
        self.finish(at, op, Status::Canceled);
        match kind {
            OpKind::Restore { queue, .. } => {
                self.stats.restores_canceled += 1;
                let state = self.databases[db.0 as usize].state;
                if state == DbState::RestoreQueued {
                    self.queue_mut(queue).remove_waiting(&op);
                    self.sample(at, queue);
                } else {
                    self.release_slot(at, queue);
                }
            }
            OpKind::Failover { db: target } => {
                // The surviving side keeps (or regains) the primary role.
                let other = if target == db {
                    self.databases[db.0 as usize].partner
                } else {
                    Some(target)
                };
                if let Some(other) = other {
                    let o = &mut self.databases[other.0 as usize];
                    o.state = DbState::Online;
                    o.op = None;
                    self.touch(other);
                }
            }
            _ => {}
        }
    }

    pub(super) fn available(&self, sid: ServerId) -> Result<(), ArmResponse> {
        let s = &self.servers[sid.0 as usize];
        if s.region == Region::Origin && !self.origin_available {
            Err(rejected(
                503,
                codes::SERVICE_UNAVAILABLE,
                format!(
                    "server '{}' is in the origin region, which is unavailable",
                    s.name
                ),
            ))
        } else {
            Ok(())
        }
    }

    /// A live, reachable server (any provisioning state).
    pub(super) fn find_server(&self, name: &str) -> Result<ServerId, ArmResponse> {
        let sid = *self.server_names.get(name).ok_or_else(|| {
            rejected(
                404,
                codes::PARENT_RESOURCE_NOT_FOUND,
                format!("server '{name}' was not found"),
            )
        })?;
        self.available(sid)?;
        Ok(sid)
    }

    /// A live, reachable, provisioned server.
    pub(super) fn ready_server(&self, name: &str) -> Result<ServerId, ArmResponse> {
        let sid = self.find_server(name)?;
        if self.servers[sid.0 as usize].state != Provisioning::Ready {
            return Err(rejected(
                409,
                codes::RESOURCE_NOT_READY,
                format!("server '{name}' is not ready"),
            ));
        }
        Ok(sid)
    }

    /// A provisioned pool of a server.
    pub(super) fn ready_pool(&self, sid: ServerId, name: &str) -> Result<PoolId, ArmResponse> {
        let s = &self.servers[sid.0 as usize];
        let pid = *s.pools.get(name).ok_or_else(|| {
            rejected(
                404,
                codes::ELASTIC_POOL_NOT_FOUND,
                format!("elastic pool '{name}' was not found on server '{}'", s.name),
            )
        })?;
        if self.pools[pid.0 as usize].state != Provisioning::Ready {
            return Err(rejected(
                409,
                codes::RESOURCE_NOT_READY,
                format!("elastic pool '{name}' on server '{}' is not ready", s.name),
            ));
        }
        Ok(pid)
    }

    pub(super) fn find_database(&self, sid: ServerId, name: &str) -> Result<DbId, ArmResponse> {
        let s = &self.servers[sid.0 as usize];
        s.databases.get(name).copied().ok_or_else(|| {
            rejected(
                404,
                codes::RESOURCE_NOT_FOUND,
                format!("database '{name}' was not found on server '{}'", s.name),
            )
        })
    }

    /// Checks that `name` is free on the server and that the server and pool
    /// have room for one more database.
    pub(super) fn room_for(
        &self,
        sid: ServerId,
        name: &str,
        pool: Option<PoolId>,
    ) -> Result<(), ArmResponse> {
        let s = &self.servers[sid.0 as usize];
        if s.databases.contains_key(name) {
            return Err(rejected(
                409,
                codes::DATABASE_ALREADY_EXISTS,
                format!("database '{name}' already exists on server '{}'", s.name),
            ));
        }
        if s.databases.len() as u64 >= u64::from(self.params.max_databases_per_server) {
            return Err(rejected(
                409,
                codes::DATABASE_LIMIT_REACHED,
                format!(
                    "server '{}' holds its maximum of {} databases",
                    s.name, self.params.max_databases_per_server
                ),
            ));
        }
        if let Some(p) = pool {
            let p = &self.pools[p.0 as usize];
            if p.databases >= self.params.max_databases_per_pool {
                return Err(rejected(
                    409,
                    codes::DATABASE_LIMIT_REACHED,
                    format!(
                        "elastic pool '{}' holds its maximum of {} databases",
                        p.name, self.params.max_databases_per_pool
                    ),
                ));
            }
        }
        Ok(())
    }

    pub(super) fn optional_pool(
        &self,
        sid: ServerId,
        pool: Option<&str>,
    ) -> Result<Option<PoolId>, ArmResponse> {
        pool.map(|p| self.ready_pool(sid, p)).transpose()
    }
}
