//! Commands: what the scheduler asks its caller to do.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::fleet::{DbId, Fleet, PoolId, ServerId};

/// Identifies one operation from the command that starts it to the events
/// that report its outcome. Unique and increasing within one scheduler; a
/// command re-issued after a throttle or a transient failure keeps its id,
/// so the caller can treat commands as idempotent by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OpId(pub u64);

/// One of the two regions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    /// Production region (the one that failed).
    Origin,
    /// Region recovered into.
    Recovery,
}

/// The ARM request budget a command spends, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArmClass {
    /// PUT/PATCH/POST: the writes bucket.
    Write,
    /// DELETE: the deletes bucket.
    Delete,
    /// GET: the reads bucket.
    Read,
}

/// A server the scheduler creates or deletes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServerRef {
    /// The recovery-region mirror of an origin server (`<name><suffix>`);
    /// the new-tenant server is the last [`ServerId`] (see [`crate::Estate`]).
    Mirror(ServerId),
    /// The new-tenant server's counterpart in the origin region, created for
    /// repatriating tenants that signed up during the outage.
    OriginNewTenants,
    /// The recovery catalog server.
    Catalog,
}

/// Where a tenant database is restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Placement {
    /// Into the mirror of its elastic pool.
    Pool(PoolId),
    /// As a standalone database on its mirror server, with its own service
    /// objective, or `S3` for a pooled database placed in the fast lane (the
    /// restore docs advise S3 or above for restoring); uses the
    /// subscription's separate standalone restore slots.
    Standalone,
}

/// A server DNS alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AliasRef {
    /// The catalog alias.
    Catalog,
    /// The new-tenant server's alias.
    NewTenants,
    /// The alias of an origin server (`routing = "server-alias"`).
    Server(ServerId),
}

/// Which copy of a tenant database a delete targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DbCopy {
    /// The copy in the recovery region (restored, restoring or geo-secondary).
    Recovery,
    /// The pre-outage origin copy, renamed aside during repatriation.
    OriginPreOutage,
}

/// What to do. Names are resolved against the fleet by the caller
/// ([`Action::describe`] renders them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Action {
    /// Enable or disable the app's Traffic Manager endpoint in a region.
    SetEndpoint {
        /// The region whose endpoint or server is meant.
        region: Region,
        /// Enable (`true`) or disable (`false`).
        enabled: bool,
    },
    /// Create (PUT) a logical server in the recovery (or origin) region.
    CreateServer {
        /// The server.
        server: ServerRef,
    },
    /// Create the mirror of an elastic pool, same edition and capacity.
    CreatePool {
        /// The elastic pool.
        pool: PoolId,
    },
    /// Create the new-tenant pool on the origin new-tenant server.
    CreateOriginNewTenantPool,
    /// Create the web app in the recovery region.
    CreateWebApp,
    /// Geo-restore the catalog database onto the recovery catalog server.
    RestoreCatalog,
    /// Geo-restore (`createMode = Recovery`) a tenant database.
    RestoreDatabase {
        /// The tenant database (and tenant).
        db: DbId,
        /// Where the copy goes.
        placement: Placement,
    },
    /// List the databases of a server in a region (one ARM read) and report
    /// the restores, replicas and moves on it that have finished. In the
    /// recovery region the server is the mirror.
    PollServer {
        /// The server.
        server: ServerId,
        /// The region whose endpoint or server is meant.
        region: Region,
    },
    /// List the elastic pools of a server in a region (one ARM read) and
    /// report the pool creations and deletions on it that have finished.
    PollPools {
        /// The server.
        server: ServerId,
        /// The region whose server is meant.
        region: Region,
    },
    /// Read the status URL of an accepted operation (one ARM read): ARM's
    /// `Azure-AsyncOperation` (or `Location`), or the resource itself when
    /// the answer named no URL.
    PollOperation {
        /// The operation followed.
        target: OpId,
    },
    /// Point a server DNS alias at its server in `to`.
    MoveAlias {
        /// Which alias.
        alias: AliasRef,
        /// The region it points at afterwards.
        to: Region,
    },
    /// Point the tenant's catalog (shard-map) entry at its copy in `to`.
    SetRouting {
        /// The tenant database (and tenant).
        db: DbId,
        /// The region it points at afterwards.
        to: Region,
    },
    /// Mark the tenant online or offline in the catalog.
    SetTenantOnline {
        /// The tenant database (and tenant).
        db: DbId,
        /// Online (`true`) or offline (`false`).
        online: bool,
    },
    /// Ask whether the tenant's data changed since it came online in recovery;
    /// answered by [`crate::Event::Changed`].
    CheckChanged {
        /// The tenant database (and tenant).
        db: DbId,
    },
    /// Rename the pre-outage origin copy aside (`<name>-preoutage`) so its
    /// replacement can take the name; it is deleted only once replaced.
    RenameOriginCopy {
        /// The tenant database (and tenant).
        db: DbId,
    },
    /// Create a geo-secondary (`createMode = Secondary`) of the recovery copy
    /// in the origin region; succeeds when seeding is done.
    ReplicateToOrigin {
        /// The tenant database (and tenant).
        db: DbId,
    },
    /// Planned failover (no data loss) making the origin replica primary.
    Failover {
        /// The tenant database (and tenant).
        db: DbId,
    },
    /// Move a database restored standalone into its mirror pool (online).
    MoveToPool {
        /// The tenant database (and tenant).
        db: DbId,
    },
    /// Delete a copy of a tenant database (cancels a restore in progress).
    /// The cancelled restore's own operation still needs its outcome
    /// reported (e.g. failed or succeeded as the platform says); until then
    /// it counts as in flight.
    DeleteDatabase {
        /// The tenant database (and tenant).
        db: DbId,
        /// Which copy.
        copy: DbCopy,
    },
    /// Repatriation: rename the pre-outage origin catalog aside.
    RenameOriginCatalog,
    /// Repatriation: geo-replicate the recovery catalog to the origin server.
    ReplicateCatalogToOrigin,
    /// Repatriation: planned failover of the catalog to its origin replica.
    FailoverCatalog,
    /// Delete the pre-outage origin catalog (renamed aside) once replaced.
    DeleteOriginCatalogCopy,
    /// Delete a mirror pool.
    DeletePool {
        /// The elastic pool.
        pool: PoolId,
    },
    /// Delete a server.
    DeleteServer {
        /// The server.
        server: ServerRef,
    },
    /// Delete the recovery web app.
    DeleteWebApp,
}

/// A command: an operation id, what it does, and the complete request (or
/// catalog call) that does it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Command {
    /// Id to report the outcome with.
    pub op: OpId,
    /// What it does, in the scheduler's terms.
    pub action: Action,
    /// What to send: ready to go, nothing to look up.
    pub work: crate::protocol::Work,
}

impl Action {
    /// The ARM budget this action spends; `None` for catalog (SQL) work.
    pub fn arm_class(&self) -> Option<ArmClass> {
        match self {
            Action::SetRouting { .. }
            | Action::SetTenantOnline { .. }
            | Action::CheckChanged { .. } => None,
            Action::PollServer { .. } | Action::PollPools { .. } | Action::PollOperation { .. } => {
                Some(ArmClass::Read)
            }
            Action::DeleteDatabase { .. }
            | Action::DeletePool { .. }
            | Action::DeleteServer { .. }
            | Action::DeleteWebApp
            | Action::DeleteOriginCatalogCopy => Some(ArmClass::Delete),
            _ => Some(ArmClass::Write),
        }
    }

    /// Whether completion is reported only after a [`Action::PollServer`]
    /// of the database's mirror server (restores, replicas, moves); other
    /// long-running operations are followed by the caller itself.
    pub fn completes_via_poll(&self) -> bool {
        matches!(
            self,
            Action::RestoreDatabase { .. }
                | Action::ReplicateToOrigin { .. }
                | Action::MoveToPool { .. }
        )
    }

    /// Human-readable one-line description with fleet names. Never panics:
    /// an id the estate does not hold (e.g. an action read back from a
    /// journal of another run) renders as `<unknown database #42>` and the like.
    pub fn describe<'a>(&'a self, estate: &'a crate::Estate) -> impl fmt::Display + 'a {
        Describe {
            action: self,
            estate,
        }
    }
}

struct Describe<'a> {
    action: &'a Action,
    estate: &'a crate::Estate,
}

fn region_name(fleet: &Fleet, region: Region) -> &str {
    match region {
        Region::Origin => &fleet.origin_region,
        Region::Recovery => &fleet.recovery_region,
    }
}

impl fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let estate = self.estate;
        let fleet = &estate.fleet;
        let db = |id: DbId| estate.db_name(id);
        let server = |s: ServerRef| estate.server_ref_name(s);
        match *self.action {
            Action::SetEndpoint { region, enabled } => {
                let endpoint = match region {
                    Region::Origin => &fleet.app.origin_endpoint,
                    Region::Recovery => &fleet.app.recovery_endpoint,
                };
                let verb = if enabled { "enable" } else { "disable" };
                write!(
                    f,
                    "{verb} traffic manager endpoint {endpoint} ({})",
                    region_name(fleet, region)
                )
            }
            Action::CreateServer { server: s } => write!(f, "create server {}", server(s)),
            Action::CreatePool { pool } => {
                write!(f, "create pool {}", estate.mirror_pool_name(pool))
            }
            Action::CreateOriginNewTenantPool => write!(
                f,
                "create pool {}/{} ({})",
                fleet.new_tenants.server, fleet.new_tenants.pool, fleet.origin_region
            ),
            Action::CreateWebApp => write!(f, "create web app {}", fleet.app.recovery_web_app),
            Action::RestoreCatalog => write!(
                f,
                "geo-restore catalog {} to {}",
                fleet.catalog.database,
                fleet.mirror_name(&fleet.catalog.server)
            ),
            Action::RestoreDatabase { db: d, placement } => match placement {
                Placement::Pool(pool) => {
                    write!(
                        f,
                        "geo-restore {} into pool {}",
                        db(d),
                        estate.pool_name(pool)
                    )
                }
                Placement::Standalone => write!(f, "geo-restore {} standalone", db(d)),
            },
            Action::PollServer { server: s, region } => match region {
                Region::Recovery => write!(f, "poll databases of {}", server(ServerRef::Mirror(s))),
                Region::Origin => write!(f, "poll databases of {}", estate.server_name(s)),
            },
            Action::PollPools { server: s, region } => match region {
                Region::Recovery => write!(f, "poll pools of {}", server(ServerRef::Mirror(s))),
                Region::Origin => write!(f, "poll pools of {}", estate.server_name(s)),
            },
            Action::PollOperation { target } => {
                write!(f, "read the status of operation {}", target.0)
            }
            Action::MoveAlias { alias, to } => {
                let name: std::borrow::Cow<'_, str> = match alias {
                    AliasRef::Catalog => fleet.catalog.alias.as_str().into(),
                    AliasRef::NewTenants => fleet.new_tenants.alias.as_str().into(),
                    AliasRef::Server(s) => match estate.server(s) {
                        Some(server) => server.alias.as_deref().unwrap_or("?").into(),
                        None => format!("<alias of unknown server #{}>", s.0).into(),
                    },
                };
                write!(f, "move alias {name} to {}", region_name(fleet, to))
            }
            Action::SetRouting { db: d, to } => {
                write!(
                    f,
                    "route tenant {} to {}",
                    estate.tenant_name(d),
                    region_name(fleet, to)
                )
            }
            Action::SetTenantOnline { db: d, online } => {
                let state = if online { "online" } else { "offline" };
                write!(f, "mark tenant {} {state}", estate.tenant_name(d))
            }
            Action::CheckChanged { db: d } => write!(f, "check whether {} changed", db(d)),
            Action::RenameOriginCopy { db: d } => {
                write!(
                    f,
                    "rename origin copy of {} to {}-preoutage",
                    db(d),
                    estate.database_name(d)
                )
            }
            Action::ReplicateToOrigin { db: d } => write!(f, "geo-replicate {} to origin", db(d)),
            Action::Failover { db: d } => write!(f, "planned failover of {} to origin", db(d)),
            Action::MoveToPool { db: d } => write!(f, "move {} into its mirror pool", db(d)),
            Action::DeleteDatabase { db: d, copy } => match copy {
                DbCopy::Recovery => write!(f, "delete recovery copy of {}", db(d)),
                DbCopy::OriginPreOutage => {
                    write!(f, "delete {}-preoutage (origin)", estate.database_name(d))
                }
            },
            Action::RenameOriginCatalog => write!(
                f,
                "rename origin catalog {} to {}-preoutage",
                fleet.catalog.database, fleet.catalog.database
            ),
            Action::ReplicateCatalogToOrigin => {
                write!(
                    f,
                    "geo-replicate catalog {} to {}",
                    fleet.catalog.database, fleet.catalog.server
                )
            }
            Action::FailoverCatalog => write!(f, "planned failover of catalog to origin"),
            Action::DeleteOriginCatalogCopy => {
                write!(f, "delete {}-preoutage (origin)", fleet.catalog.database)
            }
            Action::DeletePool { pool } => {
                write!(f, "delete pool {}", estate.mirror_pool_name(pool))
            }
            Action::DeleteServer { server: s } => write!(f, "delete server {}", server(s)),
            Action::DeleteWebApp => write!(f, "delete web app {}", fleet.app.recovery_web_app),
        }
    }
}
