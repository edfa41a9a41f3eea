//! The estate under recovery: the fleet plus what the recovery adds to it.

use crate::command::ServerRef;
use crate::fleet::{
    DatabaseInfo, DbId, Fleet, PoolCapacity, PoolId, PoolInfo, PoolSku, ServerId, ServerInfo,
    TierId,
};

/// The fleet extended with the new-tenant server and pool (the last server
/// and pool) and with tenants that sign up during the outage (appended to the
/// databases). Ids stay dense, so every table is a plain vector.
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
        self.fleet.servers[self.new_tenant_server.0 as usize]
            .databases
            .push(id);
        self.fleet.pools[self.new_tenant_pool.0 as usize]
            .databases
            .push(id);
        id
    }

    /// Whether a database was created during the outage (no origin copy).
    pub fn is_new_tenant(&self, db: DbId) -> bool {
        db.0 as usize >= self.fleet_databases
    }

    /// A server by id.
    pub fn server(&self, id: ServerId) -> &ServerInfo {
        &self.fleet.servers[id.0 as usize]
    }

    /// A pool by id.
    pub fn pool(&self, id: PoolId) -> &PoolInfo {
        &self.fleet.pools[id.0 as usize]
    }

    /// A database by id.
    pub fn database(&self, id: DbId) -> &DatabaseInfo {
        &self.fleet.databases[id.0 as usize]
    }

    /// `server/database` as named in the origin region.
    pub fn db_name(&self, id: DbId) -> String {
        let db = self.database(id);
        format!("{}/{}", self.server(db.server).name, db.name)
    }

    /// The tenant's display name.
    pub fn tenant_name(&self, id: DbId) -> &str {
        &self.database(id).tenant
    }

    /// The name of a server the scheduler manages.
    pub fn server_ref_name(&self, server: ServerRef) -> String {
        match server {
            ServerRef::Mirror(id) => self.fleet.mirror_name(&self.server(id).name),
            ServerRef::OriginNewTenants => self.fleet.new_tenants.server.clone(),
            ServerRef::Catalog => self.fleet.mirror_name(&self.fleet.catalog.server),
        }
    }
}
