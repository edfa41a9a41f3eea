//! ARM resource ids of everything a recovery touches, from the estate and
//! the fleet's naming rules ([`crate::fleet::Fleet::mirror_name`] and
//! friends). One place: the renderer and the list readers both use it.

use arm::id::{
    DatabaseId, DnsAliasId, ElasticPoolId, EndpointId, EndpointType, ResourceGroupId, ServerFarmId,
    ServerId as ArmServer, SiteId,
};

use crate::command::{AliasRef, Region, ServerRef};
use crate::estate::Estate;
use crate::fleet::{DbId, PoolId, ServerId};

/// Resource ids of one estate.
pub(crate) struct Names<'a> {
    pub(crate) estate: &'a Estate,
}

impl<'a> Names<'a> {
    pub(crate) fn new(estate: &'a Estate) -> Self {
        Names { estate }
    }

    /// The resource group of a region.
    pub(crate) fn group(&self, region: Region) -> ResourceGroupId {
        let fleet = &self.estate.fleet;
        let name = match region {
            Region::Origin => &fleet.resource_groups.origin,
            Region::Recovery => &fleet.resource_groups.recovery,
        };
        ResourceGroupId::new(fleet.subscription.clone(), name.clone())
    }

    /// The location (region name) of a region.
    pub(crate) fn location(&self, region: Region) -> String {
        let fleet = &self.estate.fleet;
        match region {
            Region::Origin => fleet.origin_region.clone(),
            Region::Recovery => fleet.recovery_region.clone(),
        }
    }

    /// A fleet server in a region: its origin self or its recovery mirror.
    pub(crate) fn server(&self, server: ServerId, region: Region) -> ArmServer {
        let name = self
            .estate
            .fleet
            .servers
            .get(server.0 as usize)
            .map_or_else(
                || format!("unknown-server-{}", server.0),
                |s| s.name.clone(),
            );
        self.server_named(&name, region)
    }

    /// An origin-form server name in a region.
    pub(crate) fn server_named(&self, origin_name: &str, region: Region) -> ArmServer {
        let name = match region {
            Region::Origin => origin_name.to_owned(),
            Region::Recovery => self.estate.fleet.mirror_name(origin_name),
        };
        self.group(region).sql_server(name)
    }

    /// A server the scheduler creates or deletes, and its region.
    pub(crate) fn server_ref(&self, server: ServerRef) -> (ArmServer, Region) {
        let fleet = &self.estate.fleet;
        match server {
            ServerRef::Mirror(id) => (self.server(id, Region::Recovery), Region::Recovery),
            ServerRef::OriginNewTenants => (
                self.server_named(&fleet.new_tenants.server, Region::Origin),
                Region::Origin,
            ),
            ServerRef::Catalog => (
                self.server_named(&fleet.catalog.server, Region::Recovery),
                Region::Recovery,
            ),
        }
    }

    /// A tenant database's copy in a region (the recovery copy sits on the
    /// mirror of its server).
    pub(crate) fn database(&self, db: DbId, region: Region) -> DatabaseId {
        match self.estate.fleet.databases.get(db.0 as usize) {
            Some(d) => self.server(d.server, region).database(d.name.clone()),
            None => self
                .group(region)
                .sql_server("unknown-server")
                .database(format!("unknown-database-{}", db.0)),
        }
    }

    /// The pre-outage origin copy of a tenant database, renamed aside.
    pub(crate) fn preoutage(&self, db: DbId) -> DatabaseId {
        let id = self.database(db, Region::Origin);
        let name = self.estate.fleet.preoutage_name(&id.name);
        id.server.database(name)
    }

    /// The catalog database in a region.
    pub(crate) fn catalog(&self, region: Region) -> DatabaseId {
        let fleet = &self.estate.fleet;
        self.server_named(&fleet.catalog.server, region)
            .database(fleet.catalog.database.clone())
    }

    /// A fleet pool's mirror (or, for the new-tenant pool in the origin
    /// region, the pool repatriation creates there).
    pub(crate) fn pool(&self, pool: PoolId, region: Region) -> ElasticPoolId {
        match self.estate.fleet.pools.get(pool.0 as usize) {
            Some(p) => self.server(p.server, region).elastic_pool(p.name.clone()),
            None => self
                .group(region)
                .sql_server("unknown-server")
                .elastic_pool(format!("unknown-pool-{}", pool.0)),
        }
    }

    /// A server DNS alias on the server it points at in `region`.
    pub(crate) fn alias(&self, alias: AliasRef, region: Region) -> DnsAliasId {
        let fleet = &self.estate.fleet;
        let (name, server) = match alias {
            AliasRef::Catalog => (fleet.catalog.alias.clone(), fleet.catalog.server.clone()),
            AliasRef::NewTenants => (
                fleet.new_tenants.alias.clone(),
                fleet.new_tenants.server.clone(),
            ),
            AliasRef::Server(s) => match self.estate.fleet.servers.get(s.0 as usize) {
                Some(info) => (fleet.server_alias(info), info.name.clone()),
                None => (
                    format!("unknown-alias-{}", s.0),
                    format!("unknown-server-{}", s.0),
                ),
            },
        };
        self.server_named(&server, region).dns_alias(name)
    }

    /// The app's Traffic Manager endpoint of a region.
    pub(crate) fn endpoint(&self, region: Region) -> EndpointId {
        let fleet = &self.estate.fleet;
        let profile = ResourceGroupId::new(
            fleet.subscription.clone(),
            fleet.traffic_manager_resource_group().to_owned(),
        )
        .traffic_manager_profile(fleet.app.traffic_manager_profile.clone());
        let name = match region {
            Region::Origin => &fleet.app.origin_endpoint,
            Region::Recovery => &fleet.app.recovery_endpoint,
        };
        profile.endpoint(EndpointType::AzureEndpoints, name.clone())
    }

    /// The recovery web app.
    pub(crate) fn site(&self) -> SiteId {
        self.group(Region::Recovery)
            .site(self.estate.fleet.app.recovery_web_app.clone())
    }

    /// The recovery web app's App Service plan.
    pub(crate) fn plan(&self) -> ServerFarmId {
        self.group(Region::Recovery)
            .server_farm(self.estate.fleet.recovery_app_service_plan())
    }
}
