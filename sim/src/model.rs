//! The Azure service model: state, request handling and internal timers.
//!
//! The model does not own a clock. A caller tells it "this request arrived at
//! t" ([`AzureModel::submit`]) and "advance to t" ([`AzureModel::advance`]);
//! it reports what happened as [`ModelEvent`]s and says when it next has
//! something to do ([`AzureModel::next_event_time`]). The simulator drives it
//! on a virtual clock; the emulator can drive it on a scaled real-time clock.

use thiserror::Error;

mod arm_view;
mod database_names;
mod extra;
mod handlers;
mod op_list;
mod queries;
mod repatriation_log;
mod restores;
mod state;

use state::{Database, Failure, OpKind, Operation, Pool, Provisioning, Server, Source, Status};

pub use arm_view::GeoLink;
pub use op_list::{OperationView, OperationWork};
pub use repatriation_log::RepatriationLog;
pub use restores::PITR_RETENTION_MS;

use crate::arm::{ArmBuckets, OpClass};
use crate::durations;
use crate::engine::EventQueue;
use crate::fastmap::FastMap;
use crate::params::{ModelParams, ParamsError};
use crate::request::{
    ArmRequest, ArmResponse, DatabaseInfo, DbId, DbState, ModelEvent, ModelEventKind, Name,
    OpHandle, OpStatus, PoolId, QueueId, Region, ServerId,
};
use crate::restore_queue::RestoreQueue;
use crate::rng::{Draws, fnv1a_64_parts, stream_rng};
use crate::stats::Stats;

/// Errors of the model's setup calls (not of requests: those are answered
/// with [`ArmResponse::Rejected`]).
#[derive(Debug, Clone, PartialEq, Error)]
pub enum ModelError {
    /// A parameter is out of range.
    #[error(transparent)]
    Params(#[from] ParamsError),
    /// Contention must be finite and >= 0.
    #[error("contention is {0}; use a finite value >= 0 (0 = no other customer restoring)")]
    InvalidContention(f64),
    /// A database size must be finite and >= 0 GB.
    #[error("database {server}/{name} has size {size_gb} GB; use a finite size >= 0")]
    InvalidSize {
        /// Server name.
        server: String,
        /// Database name.
        name: String,
        /// The size given.
        size_gb: f64,
    },
    /// The database was already added.
    #[error("database {server}/{name} already exists")]
    DuplicateDatabase {
        /// Server name.
        server: String,
        /// Database name.
        name: String,
    },
    /// Recoverable databases live on origin-region servers.
    #[error(
        "server {server} is in the recovery region; recoverable databases live in the origin region"
    )]
    NotOriginServer {
        /// Server name.
        server: String,
    },
}

/// The Azure service model. See the module docs for how to drive it.
///
/// Contract: deterministic — the same params, seed, contention and sequence
/// of calls (with the same arguments and times) produce the same responses
/// and events. Times passed in that are earlier than the model's clock are
/// treated as the model's clock (it never goes backwards). No request can
/// make it panic.
pub struct AzureModel {
    params: ModelParams,
    seed: u64,
    contention: f64,
    now_ms: u64,
    origin_available: bool,
    buckets: ArmBuckets,
    timers: EventQueue<OpHandle>,
    pending: Vec<ModelEvent>,
    ops: Vec<Operation>,
    /// `(accepted, started)` model times of each operation, by handle
    /// (kept apart from `ops` to keep its records small; a restore starts
    /// when it takes a slot).
    op_times: Vec<(u64, u64)>,
    servers: Vec<Server>,
    /// Name → id of live servers (look-ups only, like every name map).
    server_names: FastMap<Name, ServerId>,
    pools: Vec<Pool>,
    databases: Vec<Database>,
    /// Databases dropped by a DELETE, with the time (restorable within
    /// the backup retention).
    dropped: Vec<(DbId, u64)>,
    sources: Vec<Source>,
    standalone: RestoreQueue<OpHandle>,
    aliases: Vec<Option<ServerId>>,
    alias_names: FastMap<Name, u32>,
    endpoints: Vec<Option<bool>>,
    endpoint_names: FastMap<Name, u32>,
    web_apps: Vec<Provisioning>,
    web_app_names: FastMap<Name, u32>,
    /// Draws taken so far per stream name hash.
    draw_counts: FastMap<u64, u64>,
    stats: Stats,
    /// Seedings, failovers and early pre-outage deletes per database.
    repatriation: RepatriationLog,
    /// The ARM front end's own state ([`AzureModel::serve`]).
    pub(crate) front: crate::serve::ServeState,
}

type Reply = Result<ArmResponse, ArmResponse>;

fn rejected(status: u16, code: &'static str, message: String) -> ArmResponse {
    ArmResponse::Rejected {
        status,
        code,
        message,
    }
}

impl AzureModel {
    /// A model with no resources, the origin region unavailable (the outage
    /// is in progress), full ARM buckets and its clock at 0.
    ///
    /// `seed` derives every random stream; `contention` (finite, >= 0) is the
    /// regional contention intensity: restores take `1 + contention` times
    /// longer. Fails if the params or contention are out of range.
    pub fn new(params: ModelParams, seed: u64, contention: f64) -> Result<Self, ModelError> {
        params.validate()?;
        if !contention.is_finite() || contention < 0.0 {
            return Err(ModelError::InvalidContention(contention));
        }
        let buckets = ArmBuckets::new(
            (params.arm_reads.capacity, params.arm_reads.refill_per_s),
            (params.arm_writes.capacity, params.arm_writes.refill_per_s),
            (params.arm_deletes.capacity, params.arm_deletes.refill_per_s),
        );
        let standalone = RestoreQueue::new(
            params.standalone_restore_slots,
            params.standalone_restore_max_submitted,
        );
        Ok(Self {
            params,
            seed,
            contention,
            now_ms: 0,
            origin_available: false,
            buckets,
            timers: EventQueue::new(),
            pending: Vec::new(),
            ops: Vec::new(),
            op_times: Vec::new(),
            servers: Vec::new(),
            server_names: FastMap::default(),
            pools: Vec::new(),
            databases: Vec::new(),
            dropped: Vec::new(),
            sources: Vec::new(),
            standalone,
            aliases: Vec::new(),
            alias_names: FastMap::default(),
            endpoints: Vec::new(),
            endpoint_names: FastMap::default(),
            web_apps: Vec::new(),
            web_app_names: FastMap::default(),
            draw_counts: FastMap::default(),
            stats: Stats::default(),
            repatriation: RepatriationLog::default(),
            front: crate::serve::ServeState::default(),
        })
    }

    // ----- setup -------------------------------------------------------

    /// Registers a database of the failed origin region whose geo-backup can
    /// be restored (`recoverableDatabases/{name}`); creates its origin
    /// server (ready) on first use. Draws its geo-backup age and whether it
    /// is unrestorable from its own stream `["source", server, name]`.
    pub fn add_recoverable_database(
        &mut self,
        server: &str,
        name: &str,
        size_gb: f64,
    ) -> Result<DbId, ModelError> {
        self.add_source(server, name, || name.into(), size_gb)
    }

    /// [`AzureModel::add_recoverable_database`] keeping `name` itself (the
    /// same allocation as the caller's, so a request naming the database
    /// with that [`Name`] finds it without reading another copy).
    pub fn add_recoverable_database_named(
        &mut self,
        server: &str,
        name: &Name,
        size_gb: f64,
    ) -> Result<DbId, ModelError> {
        self.add_source(server, name, || Name::clone(name), size_gb)
    }

    fn add_source(
        &mut self,
        server: &str,
        name: &str,
        shared: impl FnOnce() -> Name,
        size_gb: f64,
    ) -> Result<DbId, ModelError> {
        if !size_gb.is_finite() || size_gb < 0.0 {
            return Err(ModelError::InvalidSize {
                server: server.to_owned(),
                name: name.to_owned(),
                size_gb,
            });
        }
        let sid = match self.server_names.get(server) {
            Some(&sid) => {
                if self.servers[sid.0 as usize].region != Region::Origin {
                    return Err(ModelError::NotOriginServer {
                        server: server.to_owned(),
                    });
                }
                sid
            }
            None => self.insert_server(server.to_owned(), Region::Origin, Provisioning::Ready),
        };
        if self.servers[sid.0 as usize].databases.contains_key(name) {
            return Err(ModelError::DuplicateDatabase {
                server: server.to_owned(),
                name: name.to_owned(),
            });
        }
        let mut draws = self.draws(&["source", server, name]);
        let drawn = durations::source_draw(&self.params, &mut draws);
        let source_index = u32::try_from(self.sources.len()).unwrap_or(u32::MAX);
        let restore_stream = fnv1a_64_parts(&["restore", server, name]);
        let db = self.insert_database(Database {
            server: sid,
            name: shared(),
            pool: None,
            size_gb,
            state: DbState::Online,
            alive: true,
            op: None,
            partner: None,
            source: Some(source_index),
            created_ms: self.now_ms,
        });
        self.sources.push(Source {
            restore_stream,
            size_gb,
            backup_age_ms: drawn.backup_age_ms,
            unrestorable: drawn.unrestorable,
        });
        Ok(db)
    }

    /// Makes the origin region reachable (`true`, the outage is over) or not,
    /// from `now_ms` on. Requests touching origin resources while it is
    /// unreachable are answered 503 `ServiceUnavailable`.
    pub fn set_origin_available(&mut self, now_ms: u64, available: bool) {
        self.sync(now_ms);
        self.origin_available = available;
    }

    // ----- driving -----------------------------------------------------

    /// The model's clock (ms): the latest time it was advanced or submitted to.
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }

    /// When the model next has something to report: the earliest internal
    /// timer, or the current time when events are waiting to be collected
    /// by [`AzureModel::advance`]. `None` when idle.
    pub fn next_event_time(&self) -> Option<u64> {
        if self.pending.is_empty() {
            self.timers.peek_time()
        } else {
            Some(self.now_ms)
        }
    }

    /// Runs internal timers up to and including `to_ms` and appends, in time
    /// order, every event that happened since the last call (including those
    /// caused by `submit`) to `out`.
    pub fn advance_into(&mut self, to_ms: u64, out: &mut Vec<ModelEvent>) {
        self.sync(to_ms);
        out.append(&mut self.pending);
    }

    /// Runs every internal timer until none is left, leaving the clock at
    /// the last event's time (not at infinity, unlike `advance(u64::MAX)`),
    /// and appends the events to `out`. Terminates: timers never re-arm
    /// themselves without a request.
    pub fn advance_until_idle(&mut self, out: &mut Vec<ModelEvent>) {
        while let Some(t) = self.next_event_time() {
            self.advance_into(t, out);
        }
    }

    /// [`AzureModel::advance_into`] returning a new vector.
    pub fn advance(&mut self, to_ms: u64) -> Vec<ModelEvent> {
        let mut out = Vec::new();
        self.advance_into(to_ms, &mut out);
        out
    }

    /// Handles one request arriving at `now_ms` and answers it as Azure
    /// would. ARM requests first take a token of their class (429 when the
    /// bucket is empty, with nothing done); catalog updates take none.
    /// Events caused by the request are collected by the next `advance`.
    pub fn submit(&mut self, now_ms: u64, request: ArmRequest) -> ArmResponse {
        self.submit_with(now_ms, request, true)
    }

    /// [`AzureModel::submit`] for a caller that does not read list bodies
    /// (the simulator learns outcomes from the model's events): identical
    /// accounting, tokens, state changes and status, but a
    /// [`ArmResponse::Databases`] or [`ArmResponse::ElasticPools`] answer
    /// comes back with an empty list, so a list of a large server costs
    /// nothing to build.
    pub fn submit_without_list_body(&mut self, now_ms: u64, request: ArmRequest) -> ArmResponse {
        self.submit_with(now_ms, request, false)
    }

    fn submit_with(&mut self, now_ms: u64, request: ArmRequest, list_body: bool) -> ArmResponse {
        let now = self.sync(now_ms);
        match request {
            ArmRequest::GetOperation { .. } => self.stats.operation_gets += 1,
            ArmRequest::ListElasticPools { .. } => self.stats.pool_lists += 1,
            _ => {}
        }
        match request.class() {
            Some(class) => {
                self.stats.requests[class.index()] += 1;
                if now < self.buckets.bucket_mut(class).blocked_until_ms() {
                    self.stats.early[class.index()] += 1;
                }
                let taken = self.buckets.try_take(class, now);
                if class == OpClass::Writes {
                    let restore_put = matches!(request, ArmRequest::RestoreDatabase { .. });
                    self.stats
                        .submission
                        .write(now, restore_put, taken.is_err());
                }
                if let Err(throttle) = taken {
                    self.stats.throttled[class.index()] += 1;
                    return ArmResponse::Throttled {
                        retry_after_ms: throttle.retry_after_ms,
                        retry_after_s: throttle.retry_after_s(),
                    };
                }
            }
            None => self.stats.sql_requests += 1,
        }
        let reply = match request {
            ArmRequest::ListDatabases { server } if !list_body => {
                self.find_server(&server).map(|_| ArmResponse::Databases {
                    databases: Vec::new(),
                })
            }
            ArmRequest::ListElasticPools { server } if !list_body => self
                .find_server(&server)
                .map(|_| ArmResponse::ElasticPools { pools: Vec::new() }),
            request => self.handle(now, request),
        };
        match reply {
            Ok(response) => response,
            Err(response) => {
                self.stats.rejected += 1;
                response
            }
        }
    }

    /// Whole tokens left in the `class` bucket at `now_ms` (the
    /// `x-ms-ratelimit-remaining-subscription-*` header value). Does not
    /// consume a token or advance the model.
    pub fn ratelimit_remaining(&mut self, class: OpClass, now_ms: u64) -> u32 {
        let now = now_ms.max(self.now_ms);
        self.buckets.bucket_mut(class).remaining(now)
    }

    // ----- queries (free: no token, for reports and tests) ---------------

    /// The parameters in force.
    pub fn params(&self) -> &ModelParams {
        &self.params
    }

    /// The contention intensity in force.
    pub fn contention(&self) -> f64 {
        self.contention
    }

    /// Report counters.
    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// An operation's status, or `None` for an unknown handle.
    pub fn operation_status(&self, op: OpHandle) -> Option<OpStatus> {
        self.op(op).map(|o| o.status.public())
    }

    /// A live database by server and name.
    pub fn database(&self, server: &str, name: &str) -> Option<DatabaseInfo> {
        let sid = *self.server_names.get(server)?;
        let db = *self.servers[sid.0 as usize].databases.get(name)?;
        Some(self.info(db))
    }

    /// `(server, name)` of a database id (live or deleted).
    pub fn database_name(&self, db: DbId) -> Option<(&str, &str)> {
        let d = self.databases.get(db.0 as usize)?;
        Some((self.servers[d.server.0 as usize].name.as_str(), &d.name))
    }

    /// The id of a live pool.
    pub fn pool_id(&self, server: &str, pool: &str) -> Option<PoolId> {
        let sid = *self.server_names.get(server)?;
        self.servers[sid.0 as usize].pools.get(pool).copied()
    }

    /// `(server, pool)` names of a pool id (live or deleted).
    pub fn pool_name(&self, pool: PoolId) -> Option<(&str, &str)> {
        let p = self.pools.get(pool.0 as usize)?;
        Some((self.servers[p.server.0 as usize].name.as_str(), &p.name))
    }

    /// Number of pools ever created (ids are `0..pool_count()`).
    pub fn pool_count(&self) -> usize {
        self.pools.len()
    }

    /// `(processing, queued)` restores of a queue, or `None` for an unknown pool.
    pub fn queue_occupancy(&self, queue: QueueId) -> Option<(u32, u32)> {
        let q = match queue {
            QueueId::Pool(p) => &self.pools.get(p.0 as usize)?.queue,
            QueueId::Standalone => &self.standalone,
        };
        Some((q.processing(), q.waiting()))
    }

    /// The geo-backup age (data-loss window, ms) of a recoverable database.
    pub fn source_backup_age_ms(&self, server: &str, name: &str) -> Option<u64> {
        let sid = *self.server_names.get(server)?;
        let db = *self.servers[sid.0 as usize].databases.get(name)?;
        let src = self.databases[db.0 as usize].source?;
        self.sources.get(src as usize).map(|s| s.backup_age_ms)
    }

    /// The server a DNS alias currently resolves to, once an acquire took
    /// effect; `None` if unknown or unbound.
    pub fn dns_alias_target(&self, alias: &str) -> Option<&str> {
        let a = *self.alias_names.get(alias)?;
        let sid = self.aliases[a as usize]?;
        Some(self.servers[sid.0 as usize].name.as_str())
    }

    /// The DNS aliases pointing at `server`, in name order.
    pub fn aliases_on(&self, server: &str) -> Vec<&str> {
        let mut names: Vec<&str> = self
            .alias_names
            .iter()
            .filter(|(_, a)| {
                self.aliases[**a as usize]
                    .is_some_and(|sid| self.servers[sid.0 as usize].name.as_str() == server)
            })
            .map(|(name, _)| name.as_ref())
            .collect();
        names.sort_unstable();
        names
    }

    /// A Traffic Manager endpoint's effective status (`Some(true)` =
    /// enabled) once a change took effect; `None` if never set.
    pub fn endpoint_enabled(&self, endpoint: &str) -> Option<bool> {
        let e = *self.endpoint_names.get(endpoint)?;
        self.endpoints[e as usize]
    }

    // ----- internals: clock and timers ----------------------------------

    /// Moves the clock to `max(now, to_ms)`, firing due timers into
    /// `pending`; returns the new clock.
    fn sync(&mut self, to_ms: u64) -> u64 {
        while let Some((at, op)) = self.timers.pop_until(to_ms) {
            self.now_ms = self.now_ms.max(at);
            self.fire(at, op);
        }
        self.now_ms = self.now_ms.max(to_ms);
        self.now_ms
    }

    fn draws(&mut self, parts: &[&str]) -> Draws {
        self.stream_draws(fnv1a_64_parts(parts))
    }

    /// [`AzureModel::draws`] for the stream whose name hash is `hash`.
    fn stream_draws(&mut self, hash: u64) -> Draws {
        let count = self.draw_counts.entry(hash).or_insert(0);
        let index = *count;
        *count += 1;
        Draws::new(stream_rng(self.seed, hash, index))
    }

    fn op(&self, op: OpHandle) -> Option<&Operation> {
        usize::try_from(op.0).ok().and_then(|i| self.ops.get(i))
    }

    /// `op` and its record if it exists and is still in progress.
    fn in_progress(&self, op: Option<OpHandle>) -> Option<(OpHandle, Operation)> {
        let op = op?;
        let o = *self.op(op)?;
        (o.status == Status::InProgress).then_some((op, o))
    }

    fn op_mut(&mut self, op: OpHandle) -> Option<&mut Operation> {
        usize::try_from(op.0).ok().and_then(|i| self.ops.get_mut(i))
    }

    fn emit(&mut self, at_ms: u64, kind: ModelEventKind) {
        self.pending.push(ModelEvent { at_ms, kind });
    }

    /// Records a new in-progress operation.
    fn new_op(&mut self, kind: OpKind, outcome: Option<Failure>) -> OpHandle {
        let handle = OpHandle(self.ops.len() as u64);
        self.ops.push(Operation {
            kind,
            status: Status::InProgress,
            outcome,
            planned_ms: 0,
        });
        self.op_times.push((self.now_ms, self.now_ms));
        handle
    }

    /// A new operation that finishes `after_ms` from `now`.
    fn timed_op(
        &mut self,
        now: u64,
        after_ms: u64,
        kind: OpKind,
        outcome: Option<Failure>,
    ) -> ArmResponse {
        let op = self.new_op(kind, outcome);
        if let Some(o) = self.op_mut(op) {
            o.planned_ms = after_ms;
        }
        self.timers.push(now.saturating_add(after_ms), op);
        ArmResponse::Accepted { operation: op }
    }

    fn finish(&mut self, at: u64, op: OpHandle, status: Status) {
        let Some(o) = self.op_mut(op) else { return };
        o.status = status;
        let kind = match status {
            Status::Succeeded => ModelEventKind::OperationSucceeded { operation: op },
            Status::Failed(failure) => ModelEventKind::OperationFailed {
                operation: op,
                code: failure.code(),
                retryable: failure.retryable(),
            },
            Status::Canceled => ModelEventKind::OperationCanceled { operation: op },
            Status::InProgress => return,
        };
        self.emit(at, kind);
    }

    fn fire(&mut self, at: u64, op: OpHandle) {
        let Some(&o) = self.op(op) else { return };
        if o.status != Status::InProgress {
            return; // canceled meanwhile
        }
        let status = match o.outcome {
            None => Status::Succeeded,
            Some(failure) => Status::Failed(failure),
        };
        match o.kind {
            OpKind::Noop => {}
            OpKind::CreateServer(sid) => {
                let s = &mut self.servers[sid.0 as usize];
                s.state = Provisioning::Ready;
                s.op = None;
            }
            OpKind::CreatePool(pid) => {
                let p = &mut self.pools[pid.0 as usize];
                p.state = if o.outcome.is_some() {
                    Provisioning::Failed
                } else {
                    Provisioning::Ready
                };
                p.op = None;
            }
            OpKind::Restore { db, queue } => {
                self.finish(at, op, status);
                match o.outcome {
                    None => {
                        self.stats.restores_succeeded += 1;
                        let d = &mut self.databases[db.0 as usize];
                        d.state = DbState::Online;
                        d.op = None;
                        self.touch(db);
                    }
                    Some(failure) => {
                        if failure.retryable() {
                            self.stats.restores_failed_transient += 1;
                        } else {
                            self.stats.restores_failed_permanent += 1;
                        }
                        self.unlink_database(db);
                    }
                }
                self.release_slot(at, queue);
                return;
            }
            OpKind::CreateSecondary { db } => {
                let d = &mut self.databases[db.0 as usize];
                d.state = DbState::Secondary;
                d.op = None;
                self.touch(db);
            }
            OpKind::Failover { db } => {
                let partner = self.databases[db.0 as usize].partner;
                let d = &mut self.databases[db.0 as usize];
                d.state = DbState::Online;
                d.op = None;
                self.touch(db);
                if let Some(partner) = partner {
                    let p = &mut self.databases[partner.0 as usize];
                    p.state = DbState::Secondary;
                    p.op = None;
                    self.touch(partner);
                }
            }
            OpKind::Move { db, pool } => {
                let old = self.databases[db.0 as usize].pool;
                if let Some(old) = old {
                    let old_pool = &mut self.pools[old.0 as usize];
                    old_pool.databases = old_pool.databases.saturating_sub(1);
                }
                self.pools[pool.0 as usize].databases += 1;
                let d = &mut self.databases[db.0 as usize];
                d.pool = Some(pool);
                d.state = DbState::Online;
                d.op = None;
                self.touch(db);
            }
            OpKind::DnsAlias { alias, server } => {
                let target = self.servers[server.0 as usize].alive.then_some(server);
                self.aliases[alias as usize] = target;
            }
            OpKind::Endpoint { endpoint, enabled } => {
                self.endpoints[endpoint as usize] = Some(enabled);
            }
            OpKind::WebApp(app) => {
                self.web_apps[app as usize] = Provisioning::Ready;
            }
        }
        self.finish(at, op, status);
    }
}
