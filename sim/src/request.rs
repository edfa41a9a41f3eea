//! What a client sends to the model and what it gets back.
//!
//! These types are the model's own vocabulary; the simulator and the HTTP
//! emulator translate to and from them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::arm::OpClass;

/// A resource name in a request. Shared (`Arc<str>`), so a client that
/// sends the same names over and over (the simulator's runner) hands out
/// references instead of copying strings; build one with `"name".into()`
/// or `String::into`.
pub type Name = Arc<str>;

/// The region a resource lives in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// The failed (primary) region; unavailable while the outage lasts.
    Origin,
    /// The paired region the estate is recovered into.
    Recovery,
}

/// A database addressed by server name and database name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DbRef {
    /// The logical server's name (globally unique, like Azure's DNS names).
    pub server: Name,
    /// The database's name on that server.
    pub name: Name,
}

/// What a catalog (SQL) update does; the model only charges its latency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CatalogAction {
    /// Mark the tenant offline in the catalog.
    MarkOffline,
    /// Mark the tenant online in the catalog.
    MarkOnline,
    /// Point the tenant's shard-map entry at another server.
    UpdateShardPointer,
    /// Read whether the tenant's data changed since a point in time (a
    /// query; the answer is the caller's to model).
    CheckChanged,
}

/// A request to Azure, as a client would send it.
///
/// Each request except [`ArmRequest::CatalogUpdate`] costs one ARM token of
/// its [`ArmRequest::class`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmRequest {
    /// PUT a logical server (write). Idempotent: a ready server succeeds at once.
    CreateServer {
        /// Server name (globally unique).
        server: Name,
        /// Region to create it in.
        region: Region,
    },
    /// PUT an elastic pool on a server (write). Idempotent on a ready pool; a
    /// failed pool is re-provisioned.
    CreateElasticPool {
        /// The pool's server.
        server: Name,
        /// Pool name on that server.
        pool: Name,
    },
    /// PUT a database with `createMode=Recovery` (geo-restore) from the
    /// geo-backup of `source` (write). Queued by the pool's (or the
    /// subscription's standalone) restore queue.
    RestoreDatabase {
        /// Target server.
        server: Name,
        /// Target database name.
        name: Name,
        /// Target elastic pool on `server`, or `None` for a standalone database.
        pool: Option<Name>,
        /// The recoverable database (origin server and name).
        source: DbRef,
    },
    /// PUT a database with `createMode=PointInTimeRestore` (write): a new
    /// database from the backups of the live database `source` as they
    /// were at `point_ms` (model time; within the retention,
    /// [`crate::model::PITR_RETENTION_MS`]). Queued like a geo-restore.
    RestorePointInTime {
        /// Target server.
        server: Name,
        /// Target database name.
        name: Name,
        /// Target elastic pool on `server`, or `None`.
        pool: Option<Name>,
        /// The live source database.
        source: DbRef,
        /// The point in time restored (model ms; may be negative).
        point_ms: i64,
    },
    /// PUT a database with `createMode=Restore` from a dropped database
    /// (write): `source` as it was when deleted at `deleted_ms`, or at
    /// `point_ms`. Queued like a geo-restore.
    RestoreDropped {
        /// Target server.
        server: Name,
        /// Target database name.
        name: Name,
        /// Target elastic pool on `server`, or `None`.
        pool: Option<Name>,
        /// The dropped database's server and name.
        source: DbRef,
        /// When it was dropped (model ms).
        deleted_ms: u64,
        /// The point in time restored, if not its deletion.
        point_ms: Option<i64>,
    },
    /// PUT a database with `createMode=Secondary` (geo-replica of `primary`,
    /// used to repatriate) (write). Succeeds when seeding completes.
    CreateSecondary {
        /// Server for the secondary.
        server: Name,
        /// Secondary database name.
        name: Name,
        /// Elastic pool on `server`, or `None`.
        pool: Option<Name>,
        /// The primary database.
        primary: DbRef,
    },
    /// POST a planned (no data loss) failover to the secondary `server/name`
    /// (write). On success it becomes primary and its partner secondary.
    Failover {
        /// The secondary's server.
        server: Name,
        /// The secondary database.
        name: Name,
    },
    /// DELETE a database (delete). Deleting a restoring or seeding database
    /// cancels that operation. A missing database answers `Completed` (204).
    DeleteDatabase {
        /// Server.
        server: Name,
        /// Database.
        name: Name,
    },
    /// DELETE a server with all its pools and databases (delete); cancels
    /// their restores.
    DeleteServer {
        /// Server.
        server: Name,
    },
    /// POST `databases/{name}/move`: rename a database on its server
    /// (write). Rejected when the database is busy or `new_name` is taken.
    RenameDatabase {
        /// Server.
        server: Name,
        /// Current database name.
        name: Name,
        /// New database name.
        new_name: Name,
    },
    /// DELETE an elastic pool (delete). Its databases must be gone or moved
    /// out first (409 otherwise); a missing pool answers `Completed`.
    DeleteElasticPool {
        /// Server.
        server: Name,
        /// Pool.
        pool: Name,
    },
    /// DELETE a web app (delete); a missing app answers `Completed`.
    DeleteWebApp {
        /// App name.
        name: Name,
    },
    /// PUT a database's `elasticPoolId` to move it into a pool (write).
    MoveDatabaseToPool {
        /// Server.
        server: Name,
        /// Database.
        name: Name,
        /// Pool on the same server.
        pool: Name,
    },
    /// POST `dnsAliases/{alias}/acquire`: point a server DNS alias at
    /// `server` (write). Takes effect after the DNS latency.
    AcquireDnsAlias {
        /// Alias name.
        alias: Name,
        /// Server that acquires it.
        server: Name,
    },
    /// PATCH a Traffic Manager endpoint's status (write).
    SetEndpointStatus {
        /// Endpoint name.
        endpoint: Name,
        /// `true` = Enabled, `false` = Disabled.
        enabled: bool,
    },
    /// PUT an app instance (web app) in a region (write).
    CreateWebApp {
        /// App name.
        name: Name,
        /// Region.
        region: Region,
    },
    /// A SQL call to the tenant catalog: not ARM, costs no token. The
    /// operation's success event is the moment the synchronous call returns.
    CatalogUpdate {
        /// Tenant key.
        tenant: Name,
        /// What is updated.
        action: CatalogAction,
    },
    /// GET an async operation's status (read): what a client's poll sees.
    GetOperation {
        /// The operation.
        operation: OpHandle,
    },
    /// GET one database (read).
    GetDatabase {
        /// Server.
        server: Name,
        /// Database.
        name: Name,
    },
    /// GET the databases of a server (read).
    ListDatabases {
        /// Server.
        server: Name,
    },
    /// GET the elastic pools of a server with their state (read;
    /// `ElasticPools_ListByServer`): one read follows every pool creation
    /// or deletion on that server.
    ListElasticPools {
        /// Server.
        server: Name,
    },
    /// GET a server (read; `Servers_Get`): its region and whether it is
    /// provisioned.
    GetServer {
        /// Server.
        server: Name,
    },
}

impl ArmRequest {
    /// The ARM bucket this request draws from; `None` for the SQL catalog call.
    pub fn class(&self) -> Option<OpClass> {
        match self {
            ArmRequest::CreateServer { .. }
            | ArmRequest::CreateElasticPool { .. }
            | ArmRequest::RestoreDatabase { .. }
            | ArmRequest::RestorePointInTime { .. }
            | ArmRequest::RestoreDropped { .. }
            | ArmRequest::CreateSecondary { .. }
            | ArmRequest::Failover { .. }
            | ArmRequest::MoveDatabaseToPool { .. }
            | ArmRequest::RenameDatabase { .. }
            | ArmRequest::AcquireDnsAlias { .. }
            | ArmRequest::SetEndpointStatus { .. }
            | ArmRequest::CreateWebApp { .. } => Some(OpClass::Writes),
            ArmRequest::DeleteDatabase { .. }
            | ArmRequest::DeleteServer { .. }
            | ArmRequest::DeleteElasticPool { .. }
            | ArmRequest::DeleteWebApp { .. } => Some(OpClass::Deletes),
            ArmRequest::GetOperation { .. }
            | ArmRequest::GetDatabase { .. }
            | ArmRequest::ListDatabases { .. }
            | ArmRequest::ListElasticPools { .. }
            | ArmRequest::GetServer { .. } => Some(OpClass::Reads),
            ArmRequest::CatalogUpdate { .. } => None,
        }
    }
}

/// An asynchronous operation's id. Allocated sequentially from 0 per model;
/// the raw value is stable for a given request sequence (usable in URLs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct OpHandle(pub u64);

/// A logical server's id within a model (dense, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServerId(pub u32);

/// An elastic pool's id within a model (dense, from 0).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct PoolId(pub u32);

/// A database's id within a model (dense, from 0; never reused, a recreated
/// name gets a new id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DbId(pub u32);

/// Which restore queue a restore waits in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QueueId {
    /// An elastic pool's queue (4 processing / 2,000 submitted by default).
    Pool(PoolId),
    /// The subscription's standalone-database queue (30 / 100 by default).
    Standalone,
}

/// An async operation's status, as a poll sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpStatus {
    /// Accepted and not finished (a restore may be queued or processing).
    InProgress,
    /// Finished successfully.
    Succeeded,
    /// Finished with an error.
    Failed {
        /// Azure-like error code (see [`crate::codes`]).
        code: &'static str,
        /// Whether sending the same request again may succeed.
        retryable: bool,
    },
    /// Canceled (its database was deleted).
    Canceled,
}

/// A database's state, as a GET sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DbState {
    /// A restore was accepted and waits for a processing slot.
    RestoreQueued,
    /// A restore is processing.
    Restoring,
    /// A geo-secondary is being seeded.
    Seeding,
    /// Online primary.
    Online,
    /// Seeded geo-secondary (readable, can be failed over to).
    Secondary,
    /// A planned failover involving this database is in progress.
    FailingOver,
    /// Moving into an elastic pool (online meanwhile).
    Moving,
}

/// One database, as a GET or list returns it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DatabaseInfo {
    /// Its id (names via [`crate::AzureModel::database_name`]).
    pub id: DbId,
    /// Its state.
    pub state: DbState,
    /// Its pool, if any.
    pub pool: Option<PoolId>,
    /// Its size in GB.
    pub size_gb: f64,
    /// Model time it was created (ms; a restore: when it was accepted).
    pub created_ms: u64,
}

/// An elastic pool's provisioning state, as a list sees it (`state`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PoolState {
    /// Being created (or re-provisioned after a failed creation).
    Creating,
    /// Provisioned: databases can be restored into it.
    Ready,
    /// The last creation attempt failed; a new PUT re-provisions it.
    Failed,
}

/// One elastic pool, as a list returns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolInfo {
    /// Its id (names via [`crate::AzureModel::pool_name`]).
    pub id: PoolId,
    /// Its provisioning state.
    pub state: PoolState,
}

/// The model's answer to one request, as a client would see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmResponse {
    /// 201/202: accepted; follow `operation` (poll with `GetOperation`).
    Accepted {
        /// The async operation.
        operation: OpHandle,
    },
    /// 200/204 with no body: done synchronously (e.g. deleting a database
    /// that does not exist).
    Completed,
    /// 200: an operation's status (answer to `GetOperation`).
    Operation {
        /// The status.
        status: OpStatus,
    },
    /// 200: one database (answer to `GetDatabase`).
    Database {
        /// The database.
        info: DatabaseInfo,
    },
    /// 200: a server's databases in name order (answer to `ListDatabases`).
    Databases {
        /// The databases.
        databases: Vec<DatabaseInfo>,
    },
    /// 200: a server's elastic pools in name order (answer to
    /// `ListElasticPools`); deleted pools are absent.
    ElasticPools {
        /// The pools.
        pools: Vec<PoolInfo>,
    },
    /// 200: one server (answer to `GetServer`).
    Server {
        /// Its region.
        region: Region,
        /// Provisioned (`false`: still being created, or its creation failed).
        ready: bool,
    },
    /// 429: the bucket of the request's class is empty; nothing was done.
    Throttled {
        /// Exact time until a token is available, in ms (model detail).
        retry_after_ms: u64,
        /// The `Retry-After` header a real client sees: whole seconds,
        /// rounded up.
        retry_after_s: u64,
    },
    /// 4xx/5xx: refused; nothing was done.
    Rejected {
        /// HTTP status.
        status: u16,
        /// Azure-like error code (see [`crate::codes`]).
        code: &'static str,
        /// Human-readable message naming the resource.
        message: String,
    },
}

/// Something that happened inside the model at `at_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelEvent {
    /// When it happened (model time, ms).
    pub at_ms: u64,
    /// What happened.
    pub kind: ModelEventKind,
}

/// The kinds of [`ModelEvent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ModelEventKind {
    /// A restore left its queue and started processing (not visible to a
    /// real client; for reports).
    RestoreStarted {
        /// The restore operation.
        operation: OpHandle,
        /// The queue it was in.
        queue: QueueId,
    },
    /// An operation finished successfully.
    OperationSucceeded {
        /// The operation.
        operation: OpHandle,
    },
    /// An operation failed.
    OperationFailed {
        /// The operation.
        operation: OpHandle,
        /// Azure-like error code.
        code: &'static str,
        /// Whether retrying may succeed.
        retryable: bool,
    },
    /// An operation was canceled (its database or server was deleted).
    OperationCanceled {
        /// The operation.
        operation: OpHandle,
    },
}
