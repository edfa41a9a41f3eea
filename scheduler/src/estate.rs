//! The estate under recovery: the fleet plus what the recovery adds to it.

use std::borrow::Cow;

use crate::command::ServerRef;
use crate::fleet::{
    DatabaseInfo, DbId, Fleet, PoolCapacity, PoolId, PoolInfo, PoolSku, ServerId, ServerInfo,
    TierId,
};

/// The fleet extended with the new-tenant server and pool (the last server
/// and pool) and with tenants that sign up during the outage (appended to the
/// databases). Ids stay dense, so every table is a plain vector.
///
/// Lookups by id are fallible ([`Estate::database`], [`Estate::server`],
/// [`Estate::pool`] return `None` for an id the estate does not hold, e.g.
/// one read back from a journal of another run), and names render an unknown
/// id as `<unknown database #42>` instead of panicking.
#[derive(Debug, Clone)]
pub struct Estate {
    /// The fleet, with the extra server, pool and databases appended.
    pub fleet: Fleet,
    /// The new-tenant server's id (no origin counterpart before repatriation).
    pub new_tenant_server: ServerId,
    /// The new-tenant pool's id.
    pub new_tenant_pool: PoolId,
    /// Number of databases that came from the fleet file; later ones are new.
    pub fleet_databases: usize,
}

impl Estate {
    /// Extends `fleet` with the new-tenant server and pool.
    pub fn new(mut fleet: Fleet) -> Self {
        let new_tenant_server = ServerId(fleet.servers.len() as u32);
        let new_tenant_pool = PoolId(fleet.pools.len() as u32);
        let template = fleet.pools.first().cloned();
        let given = &fleet.new_tenants;
        let (edition, capacity, sku) = match (&given.edition, given.dtu, &template) {
            (None, None, Some(t)) => (t.edition.clone(), t.capacity, t.sku.clone()),
            (edition, dtu, _) => {
                let edition = edition.clone().unwrap_or_else(|| "Standard".to_owned());
                let dtu = dtu.unwrap_or(100);
                let sku = PoolSku::dtu(&edition, dtu, None);
                (edition, PoolCapacity::Dtu(dtu), sku)
            }
        };
        fleet.servers.push(ServerInfo {
            name: fleet.new_tenants.server.clone(),
            alias: Some(fleet.new_tenants.alias.clone()),
            pools: vec![new_tenant_pool],
            databases: Vec::new(),
        });
        fleet.pools.push(PoolInfo {
            server: new_tenant_server,
            name: fleet.new_tenants.pool.clone(),
            edition,
            capacity,
            per_db_min: template.as_ref().map_or(0.0, |p| p.per_db_min),
            per_db_max: template.as_ref().and_then(|p| p.per_db_max),
            storage_gb: template.as_ref().and_then(|p| p.storage_gb),
            sku,
            zone_redundant: template.as_ref().is_some_and(|p| p.zone_redundant),
            databases: Vec::new(),
        });
        let fleet_databases = fleet.databases.len();
        Estate {
            fleet,
            new_tenant_server,
            new_tenant_pool,
            fleet_databases,
        }
    }

    /// Appends a tenant created in the recovery region during the outage.
    pub fn add_new_tenant(&mut self, name: &str, tier: TierId) -> DbId {
        let id = DbId(self.fleet.databases.len() as u32);
        self.fleet.databases.push(DatabaseInfo {
            name: name.to_owned(),
            server: self.new_tenant_server,
            pool: Some(self.new_tenant_pool),
            service_objective: None,
            size_mb: 0,
            tenant: name.to_owned(),
            tenant_id: name.to_owned(),
            tier,
        });
        if let Some(server) = self
            .fleet
            .servers
            .get_mut(self.new_tenant_server.0 as usize)
        {
            server.databases.push(id);
        }
        if let Some(pool) = self.fleet.pools.get_mut(self.new_tenant_pool.0 as usize) {
            pool.databases.push(id);
        }
        id
    }

    /// Whether a database was created during the outage (no origin copy).
    pub fn is_new_tenant(&self, db: DbId) -> bool {
        db.0 as usize >= self.fleet_databases
    }

    /// A server by id; `None` if the estate has no such server.
    pub fn server(&self, id: ServerId) -> Option<&ServerInfo> {
        self.fleet.servers.get(id.0 as usize)
    }

    /// A pool by id; `None` if the estate has no such pool.
    pub fn pool(&self, id: PoolId) -> Option<&PoolInfo> {
        self.fleet.pools.get(id.0 as usize)
    }

    /// A database by id; `None` if the estate has no such database.
    pub fn database(&self, id: DbId) -> Option<&DatabaseInfo> {
        self.fleet.databases.get(id.0 as usize)
    }

    /// A server the scheduler holds the id of (ids it got from the fleet
    /// are valid by construction; outside ids go through [`Self::server`]).
    pub(crate) fn known_server(&self, id: ServerId) -> &ServerInfo {
        &self.fleet.servers[id.0 as usize]
    }

    /// A pool the scheduler holds the id of (see [`Self::known_server`]).
    pub(crate) fn known_pool(&self, id: PoolId) -> &PoolInfo {
        &self.fleet.pools[id.0 as usize]
    }

    /// A database the scheduler holds the id of (see [`Self::known_server`]).
    pub(crate) fn known_database(&self, id: DbId) -> &DatabaseInfo {
        &self.fleet.databases[id.0 as usize]
    }

    /// The server's name in the origin region, or `<unknown server #N>`.
    pub fn server_name(&self, id: ServerId) -> Cow<'_, str> {
        match self.server(id) {
            Some(server) => Cow::Borrowed(&server.name),
            None => Cow::Owned(unknown("server", id.0)),
        }
    }

    /// The pool's name, or `<unknown pool #N>`.
    pub fn pool_name(&self, id: PoolId) -> Cow<'_, str> {
        match self.pool(id) {
            Some(pool) => Cow::Borrowed(&pool.name),
            None => Cow::Owned(unknown("pool", id.0)),
        }
    }

    /// The database's own name (without its server), or `<unknown database #N>`.
    pub fn database_name(&self, id: DbId) -> Cow<'_, str> {
        match self.database(id) {
            Some(db) => Cow::Borrowed(&db.name),
            None => Cow::Owned(unknown("database", id.0)),
        }
    }

    /// `server/database` as named in the origin region, or
    /// `<unknown database #N>`.
    pub fn db_name(&self, id: DbId) -> String {
        match self.database(id) {
            Some(db) => format!("{}/{}", self.server_name(db.server), db.name),
            None => unknown("database", id.0),
        }
    }

    /// The tenant's display name, or `<unknown tenant #N>`.
    pub fn tenant_name(&self, id: DbId) -> Cow<'_, str> {
        match self.database(id) {
            Some(db) => Cow::Borrowed(&db.tenant),
            None => Cow::Owned(unknown("tenant", id.0)),
        }
    }

    /// The recovery-region mirror of a pool as `mirror-server/pool`, or
    /// `<unknown pool #N>`.
    pub fn mirror_pool_name(&self, id: PoolId) -> String {
        match self.pool(id) {
            Some(pool) => format!(
                "{}/{}",
                self.fleet.mirror_name(&self.server_name(pool.server)),
                pool.name
            ),
            None => unknown("pool", id.0),
        }
    }

    /// The name of a server the scheduler manages (`<unknown server #N>`
    /// for a mirror of a server the estate does not hold).
    pub fn server_ref_name(&self, server: ServerRef) -> String {
        match server {
            ServerRef::Mirror(id) => match self.server(id) {
                Some(server) => self.fleet.mirror_name(&server.name),
                None => unknown("server", id.0),
            },
            ServerRef::OriginNewTenants => self.fleet.new_tenants.server.clone(),
            ServerRef::Catalog => self.fleet.mirror_name(&self.fleet.catalog.server),
        }
    }
}

/// How a name renders for an id the estate does not hold.
fn unknown(kind: &str, id: u32) -> String {
    format!("<unknown {kind} #{id}>")
}
