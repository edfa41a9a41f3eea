//! Rebuilding a scheduler after a crash (`recover --resume`).
//!
//! A driver that was killed mid-recovery lists what exists in the recovery
//! region (and, during a repatriation, in the origin region), reads the
//! catalog and its journal, and records all of it, in
//! ARM names, in an [`ObservedEstate`]. [`crate::Scheduler::resume`] turns
//! that into a scheduler that finishes the recovery.
//!
//! # Design: fast-forward through the state machine
//!
//! The state machine stays the single source of truth: nothing here sets a
//! tenant or resource state directly. `resume` builds a fresh scheduler for
//! the fleet ([`crate::Scheduler::new`]) and *fast-forwards* it by answering
//! its own commands from the observation, round after round, until a round
//! answers nothing:
//!
//! - every queued command (ARM queues and catalog outbox) is rendered as
//!   usual and compared with the observation by what it would write (the
//!   server, pool, database, alias, endpoint or catalog row it names);
//! - a command whose effect is **observed done** (server `Ready`, pool
//!   `Ready`, database `Online`, alias on the wanted server, endpoint in
//!   the wanted state, catalog row marked or routed as asked) is taken,
//!   counted as handed out and answered done at once: no request is sent
//!   and no ARM budget is spent;
//! - a command whose effect is **observed running** (server `Creating`, pool
//!   `Creating`, database `Restoring` or in another non-final state), or
//!   that the journal says was sent and answered 201/202 with a status URL,
//!   is taken and treated as accepted: it is followed through the journalled
//!   status URL, or by reading the resource it writes, and restores, replicas
//!   and pool creations by their server's database or pool list, exactly as
//!   after a live 202 (or a 409 "already exists");
//! - anything else stays queued and is sent for real, paced as usual.
//!
//! Restores are picked by the dispatcher only when the write budget allows,
//! so the fast-forward takes a tenant's restore out of its lane itself
//! (regardless of the lane's depth: the restore already runs in Azure) when
//! its database is observed on its mirror server and its pool or server is
//! ready in the machine. **A database that is observed (online, restoring,
//! or in any other state) never gets a restore PUT again.** One that is not
//! observed, and has no journalled status URL, is restored for real; if a
//! lost answer hid a restore that did start, the PUT is answered 409
//! `DatabaseAlreadyExists`, which the protocol layer follows as running: no
//! second restore starts either way.
//!
//! Pacing: the fast-forward never takes from the ARM budget estimates (the
//! pacers) and never counts toward the caller's in-flight caps, so the
//! resumed scheduler starts with its full budget for what is left.
//!
//! # Phases
//!
//! - Recovery: fully (catalog server, database and alias, endpoints, web
//!   app and plan, resource group, mirror servers, pools, restores, moves
//!   into pools, routing through the catalog or through server aliases,
//!   catalog marks).
//! - Cancel in progress ([`ObservedEstate::cancel_requested`]): the recovery
//!   is fast-forwarded first (tenants already switched to the recovery
//!   region stay there), then the cancel is applied and its own commands
//!   fast-forwarded: a recovery copy that is not observed is already deleted,
//!   a tenant observed online and routed to its origin copy is home.
//! - Repatriation in progress ([`ObservedEstate::repatriate_requested`]):
//!   the survey then lists the origin region too
//!   ([`ObservedEstate::origin_databases`], each database with its
//!   geo-secondary role, the `<db>-preoutage` copies renamed aside, the
//!   origin aliases). The recovery is fast-forwarded first; a tenant (or,
//!   with server aliases, a server) whose way home is observed under way
//!   passed its recovery steps (its restore, marks and routing there are
//!   behind it). Then the repatriation is applied and fast-forwarded by
//!   what each step would write, per tenant and then for the catalog:
//!   - change check: changed if renamed aside, replicated or failed over;
//!     unchanged if no recovery copy is left (it is home: its origin copy
//!     is never renamed aside); otherwise asked for real;
//!   - rename aside: done once the pre-outage copy exists (or the
//!     failover is done and it was deleted since);
//!   - geo-replica: done if the origin copy is a seeded geo-secondary or
//!     already a primary next to the renamed-aside copy; running (followed
//!     by the origin database list) while seeding;
//!   - planned failover: done if the origin copy is an online primary and
//!     the recovery copy its geo-secondary (or gone while the pre-outage
//!     copy is still there; the protocol then takes the missing link as
//!     done); a failover under way is sent for real and its link read
//!     first, so none runs twice;
//!   - pre-outage delete: done once that copy is gone; marks, routing,
//!     aliases and endpoints as for recovery; cleanup deletes (pools,
//!     servers, the web app) done when not listed.
//!
//!   Anything else is sent for real: a geo-replica PUT whose secondary
//!   exists is answered 409 "already exists" and followed, never seeded
//!   twice. Limit: a tenant fully home (recovery and pre-outage copies
//!   deleted) leaves no trace of its repatriation and takes the cancel
//!   path to its origin copy, which ends the same.
//!
//! Names the fleet does not know (other resources in the recovery resource
//! group, tenants created during the outage) are ignored, with one line in
//! [`crate::Status::blocked`] saying which. Tenants that signed up during
//! the outage are re-announced by the driver with
//! [`crate::Event::TenantCreated`] after the resume.

mod forward;
pub mod survey;

use std::collections::BTreeMap;

use arm::PollTarget;
use arm::body::{
    Database, DatabaseStatus, ElasticPool, ElasticPoolState, List, SecondaryType, ServerDnsAlias,
};
use serde::{Deserialize, Serialize};

use crate::command::Command;

/// State of a recovery-region server as listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservedServer {
    /// Exists and is usable.
    Ready,
    /// Being created.
    Creating,
    /// Its creation failed (it is created again).
    Failed,
}

/// State of an elastic pool as listed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservedPool {
    /// Exists and is usable.
    Ready,
    /// Being created.
    Creating,
    /// Any other state, as listed (it is created again).
    Other(String),
}

/// Status of a database as listed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservedStatus {
    /// Online.
    Online,
    /// A restore or copy is under way (any non-final restore or copy
    /// state: `Restoring`, `Creating`, `Copying`, `RecoveryPending`,
    /// `Recovering`).
    Restoring,
    /// Any other status, as listed; the database exists.
    Other(String),
}

/// A database as listed on its server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ObservedDatabase {
    /// Its status.
    pub status: ObservedStatus,
    /// The elastic pool it is in (the pool's name), if any.
    pub pool: Option<String>,
    /// It is a geo-secondary (`secondaryType` `Geo`): seeding (status
    /// `Copying`, read as [`ObservedStatus::Restoring`]) or seeded
    /// (`Online`). A primary, or a database in a failover, is not.
    #[serde(default)]
    pub secondary: bool,
}

/// A tenant's row in the recovered catalog (shard map).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRow {
    /// Marked online.
    pub online: bool,
    /// The server its shard-map entry points at (name or fully qualified
    /// name; `.database.windows.net` is ignored when comparing).
    pub server: String,
}

/// What a driver observed after a crash, in ARM names (never scheduler ids),
/// for [`crate::Scheduler::resume`]. Serializable, with a format
/// [`version`](Self::version) ([`crate::FORMAT_VERSION`]).
///
/// Fill it from the very answers of the driver's list calls with the
/// `observe_*` helpers; every map is keyed by name, so the order the lists
/// came in does not matter. Unknown names are allowed (and ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ObservedEstate {
    /// Format version; [`ObservedEstate::new`] sets [`crate::FORMAT_VERSION`].
    pub version: u32,
    /// The recovery resource group exists.
    #[serde(default)]
    pub resource_group_exists: bool,
    /// Recovery-region servers that exist, by name.
    #[serde(default)]
    pub servers: BTreeMap<String, ObservedServer>,
    /// Elastic pools, by server name, then pool name.
    #[serde(default)]
    pub pools: BTreeMap<String, BTreeMap<String, ObservedPool>>,
    /// Databases, by server name, then database name.
    #[serde(default)]
    pub databases: BTreeMap<String, BTreeMap<String, ObservedDatabase>>,
    /// Origin-region databases, by origin server name, then database name
    /// (pre-outage copies renamed aside included), read only during a
    /// repatriation (when the origin region is back); empty otherwise.
    #[serde(default)]
    pub origin_databases: BTreeMap<String, BTreeMap<String, ObservedDatabase>>,
    /// Server DNS aliases: alias name -> name of the server it points at
    /// (recovery-region servers; origin servers too during a repatriation).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    /// Traffic Manager endpoints: endpoint name -> enabled.
    #[serde(default)]
    pub endpoints: BTreeMap<String, bool>,
    /// The recovery web app exists.
    #[serde(default)]
    pub app_site_exists: bool,
    /// The recovery web app's App Service plan exists.
    #[serde(default)]
    pub app_plan_exists: bool,
    /// Rows of the recovered catalog, by tenant id (empty if the recovered
    /// catalog is not reachable).
    #[serde(default)]
    pub catalog: BTreeMap<String, CatalogRow>,
    /// Operations the journal says were handed out and not finished: the
    /// command as handed out, and the status URL if its 201/202 came back.
    #[serde(default)]
    pub in_flight: Vec<(Command, Option<PollTarget>)>,
    /// The journal says the operator asked to cancel the recovery.
    #[serde(default)]
    pub cancel_requested: bool,
    /// The journal says the operator asked to repatriate: the survey also
    /// reads the origin region ([`Self::origin_databases`], origin aliases).
    #[serde(default)]
    pub repatriate_requested: bool,
}

impl Default for ObservedEstate {
    fn default() -> Self {
        Self::new()
    }
}

/// Why an observation cannot be resumed from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResumeError {
    /// The observation was written in another format version.
    #[error(
        "observed estate has format version {found}, this scheduler reads version {expected}: \
         list the recovery region again with this version of georestore"
    )]
    Version {
        /// The version found.
        found: u32,
        /// The version this scheduler reads ([`crate::FORMAT_VERSION`]).
        expected: u32,
    },
    /// Resuming this phase is not supported; nothing was guessed.
    #[error("cannot resume {what}: {why}")]
    Unsupported {
        /// The phase or step.
        what: &'static str,
        /// Why, and what to do instead.
        why: String,
    },
    /// The observation contradicts itself or the fleet.
    #[error("the observation does not fit the fleet: {0}")]
    DoesNotFit(String),
    /// The state machine refused an answer during the fast-forward (a bug:
    /// please report it with the observation).
    #[error("fast-forward refused by the state machine: {0}")]
    Machine(#[from] crate::SchedulerError),
}

/// The server an ARM id path names, if it contains `/servers/<name>`.
fn name_after<'a>(path: &'a str, segment: &str) -> Option<&'a str> {
    let mut parts = path.split('/');
    while let Some(part) = parts.next() {
        if part.eq_ignore_ascii_case(segment) {
            return parts.next().filter(|s| !s.is_empty());
        }
    }
    None
}

/// Records one page of a database list into `databases`: each database's
/// status, pool and geo-secondary role. Nameless entries and `master` are
/// skipped.
fn read_databases(databases: &mut BTreeMap<String, ObservedDatabase>, list: &List<Database>) {
    for db in &list.value {
        let Some(name) = db.name.clone() else {
            continue;
        };
        if name.eq_ignore_ascii_case("master") {
            continue;
        }
        let status = match db.status() {
            Some(DatabaseStatus::Online) => ObservedStatus::Online,
            Some(
                DatabaseStatus::Restoring
                | DatabaseStatus::Creating
                | DatabaseStatus::Copying
                | DatabaseStatus::RecoveryPending
                | DatabaseStatus::Recovering,
            ) => ObservedStatus::Restoring,
            Some(other) => ObservedStatus::Other(other.as_str().to_owned()),
            None => ObservedStatus::Other(String::new()),
        };
        let pool = db.properties.as_ref().and_then(|p| {
            p.elastic_pool_id
                .as_deref()
                .and_then(|id| name_after(id, "elasticPools"))
                .map(str::to_owned)
                .or_else(|| p.elastic_pool_name.clone())
        });
        let secondary = db
            .properties
            .as_ref()
            .is_some_and(|p| p.secondary_type == Some(SecondaryType::Geo));
        databases.insert(
            name,
            ObservedDatabase {
                status,
                pool,
                secondary,
            },
        );
    }
}

impl ObservedEstate {
    /// An empty observation (nothing exists, nothing in flight) of the
    /// current format version.
    pub fn new() -> Self {
        ObservedEstate {
            version: crate::FORMAT_VERSION,
            resource_group_exists: false,
            servers: BTreeMap::new(),
            pools: BTreeMap::new(),
            databases: BTreeMap::new(),
            origin_databases: BTreeMap::new(),
            aliases: BTreeMap::new(),
            endpoints: BTreeMap::new(),
            app_site_exists: false,
            app_plan_exists: false,
            catalog: BTreeMap::new(),
            in_flight: Vec::new(),
            cancel_requested: false,
            repatriate_requested: false,
        }
    }

    /// Records the servers of one page of a server list
    /// (`Microsoft.Sql/servers` in the recovery resource group). A server
    /// without a `state` is taken as ready; `Creating`/`Provisioning`-like
    /// states as creating; any other state as failed. Nameless entries are
    /// skipped.
    pub fn observe_servers(&mut self, list: &List<arm::body::Server>) {
        for server in &list.value {
            let Some(name) = server.name.clone() else {
                continue;
            };
            let state = server.properties.as_ref().and_then(|p| p.state.as_deref());
            let state = match state {
                None => ObservedServer::Ready,
                Some(s) if s.eq_ignore_ascii_case("Ready") => ObservedServer::Ready,
                Some(s) if s.contains("reat") || s.contains("rovision") => ObservedServer::Creating,
                Some(_) => ObservedServer::Failed,
            };
            self.servers.insert(name, state);
        }
    }

    /// Records one page of `server`'s elastic-pool list, by each pool's
    /// `state` (no state: creating). Nameless entries are skipped.
    pub fn observe_pools(&mut self, server: &str, list: &List<ElasticPool>) {
        let pools = self.pools.entry(server.to_owned()).or_default();
        for pool in &list.value {
            let Some(name) = pool.name.clone() else {
                continue;
            };
            let state = match pool.properties.as_ref().and_then(|p| p.state.as_ref()) {
                Some(ElasticPoolState::Ready) => ObservedPool::Ready,
                Some(ElasticPoolState::Creating) | None => ObservedPool::Creating,
                Some(other) => ObservedPool::Other(other.as_str().to_owned()),
            };
            pools.insert(name, state);
        }
    }

    /// Records one page of `server`'s database list: each database's status
    /// ([`ObservedStatus`]) and pool (`elasticPoolId`, or the legacy
    /// `elasticPoolName`). Nameless entries (and `master`) are skipped.
    pub fn observe_databases(&mut self, server: &str, list: &List<Database>) {
        let databases = self.databases.entry(server.to_owned()).or_default();
        read_databases(databases, list);
    }

    /// Records one page of origin `server`'s database list (during a
    /// repatriation), as [`Self::observe_databases`] does, into
    /// [`Self::origin_databases`].
    pub fn observe_origin_databases(&mut self, server: &str, list: &List<Database>) {
        let databases = self.origin_databases.entry(server.to_owned()).or_default();
        read_databases(databases, list);
    }

    /// Records one page of `server`'s DNS alias list: each alias points at
    /// `server`. Nameless entries are skipped.
    pub fn observe_dns_aliases(&mut self, server: &str, list: &List<ServerDnsAlias>) {
        for alias in &list.value {
            if let Some(name) = alias.name.clone() {
                self.aliases.insert(name, server.to_owned());
            }
        }
    }

    /// Records a Traffic Manager endpoint as read (GET): enabled unless its
    /// `endpointStatus` says `Disabled`. A nameless endpoint is skipped.
    pub fn observe_endpoint(&mut self, endpoint: &arm::body::Endpoint) {
        use arm::body::EndpointStatus;
        let Some(name) = endpoint.name.clone() else {
            return;
        };
        let enabled = !matches!(
            endpoint
                .properties
                .as_ref()
                .and_then(|p| p.endpoint_status.as_ref()),
            Some(EndpointStatus::Disabled)
        );
        self.endpoints.insert(name, enabled);
    }

    /// Records a journalled command that was handed out and not finished,
    /// with the status URL of its 201/202 if one came back.
    pub fn journalled(&mut self, command: Command, poll: Option<PollTarget>) {
        self.in_flight.push((command, poll));
    }

    /// The listed database `name` on `server`.
    pub fn database(&self, server: &str, name: &str) -> Option<&ObservedDatabase> {
        self.databases.get(server)?.get(name)
    }

    /// The listed origin database `name` on origin `server` (during a
    /// repatriation).
    pub fn origin_database(&self, server: &str, name: &str) -> Option<&ObservedDatabase> {
        self.origin_databases.get(server)?.get(name)
    }

    /// The listed pool `name` on `server`.
    pub fn pool(&self, server: &str, name: &str) -> Option<&ObservedPool> {
        self.pools.get(server)?.get(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_helpers_read_arm_bodies() {
        let list: List<Database> = serde_json::from_str(
            r#"{"value":[
                {"name":"a","properties":{"status":"Online","elasticPoolId":"/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/elasticPools/Pool1"}},
                {"name":"b","properties":{"status":"Restoring"}},
                {"name":"c","properties":{"status":"Suspect"}},
                {"name":"master","properties":{"status":"Online"}},
                {"properties":{"status":"Online"}}
            ]}"#,
        )
        .expect("list");
        let mut o = ObservedEstate::new();
        o.observe_databases("x", &list);
        assert_eq!(
            o.database("x", "a"),
            Some(&ObservedDatabase {
                status: ObservedStatus::Online,
                pool: Some("Pool1".into()),
                secondary: false,
            })
        );
        assert_eq!(
            o.database("x", "b").map(|d| &d.status),
            Some(&ObservedStatus::Restoring)
        );
        assert_eq!(
            o.database("x", "c").map(|d| &d.status),
            Some(&ObservedStatus::Other("Suspect".into()))
        );
        assert_eq!(o.databases["x"].len(), 3);
        let pools: List<ElasticPool> = serde_json::from_str(
            r#"{"value":[{"name":"p","properties":{"state":"Ready"}},{"name":"q"}]}"#,
        )
        .expect("pools");
        o.observe_pools("x", &pools);
        assert_eq!(o.pool("x", "p"), Some(&ObservedPool::Ready));
        assert_eq!(o.pool("x", "q"), Some(&ObservedPool::Creating));
    }
}
