//! The fleet: the production estate to recover.
//!
//! A fleet file (TOML, see [`file::FleetFile`]) is parsed and validated into a
//! [`Fleet`]: servers, pools and databases in dense vectors addressed by
//! [`ServerId`], [`PoolId`] and [`DbId`], so the scheduler never hashes a name
//! on its hot path and iteration order is the file's order.

pub mod file;
mod load;
mod naming;
#[cfg(feature = "schema")]
mod schema;
pub mod size;
mod sku;

/// A fleet file that cannot be used: file, line, key and a fix.
pub type FleetError = crate::diagnostic::FileError;
pub use file::{
    Administrator, App, Catalog, NewTenants, RecoverySettings, ResourceGroups, Routing, Tier,
};
pub use naming::PREOUTAGE_SUFFIX;
#[cfg(feature = "schema")]
pub use schema::json_schema;
pub use sku::PoolSku;

/// Index of an origin logical server in [`Fleet::servers`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct ServerId(pub u32);

/// Index of an elastic pool in [`Fleet::pools`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct PoolId(pub u32);

/// Index of a tenant database in [`Fleet::databases`]; also the tenant's id,
/// since every tenant has exactly one database.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct DbId(pub u32);

/// Index of a priority tier in [`Fleet::tiers`]; 0 is the most important.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(transparent)]
pub struct TierId(pub u8);

/// A validated fleet.
#[derive(Debug, Clone)]
pub struct Fleet {
    /// Estate name.
    pub name: String,
    /// Subscription id.
    pub subscription: String,
    /// Failed (production) region.
    pub origin_region: String,
    /// Region recovered into.
    pub recovery_region: String,
    /// How tenants are routed.
    pub routing: Routing,
    /// Suffix naming recovery mirrors (`<origin name><suffix>`).
    pub recovery_suffix: String,
    /// Resource groups.
    pub resource_groups: ResourceGroups,
    /// Priority tiers, most important first; at most 255.
    pub tiers: Vec<Tier>,
    /// Tenant catalog.
    pub catalog: Catalog,
    /// Web app and Traffic Manager.
    pub app: App,
    /// New-tenant server and pool.
    pub new_tenants: NewTenants,
    /// Entra administrator of the servers the recovery creates, if given.
    pub administrator: Option<Administrator>,
    /// Service objectives the recovery chooses.
    pub recovery: RecoverySettings,
    /// Origin servers.
    pub servers: Vec<ServerInfo>,
    /// Elastic pools.
    pub pools: Vec<PoolInfo>,
    /// Tenant databases.
    pub databases: Vec<DatabaseInfo>,
}

/// An origin server and what it holds.
#[derive(Debug, Clone)]
pub struct ServerInfo {
    /// Name in the origin region.
    pub name: String,
    /// Its DNS alias, if any.
    pub alias: Option<String>,
    /// Pools on it, in file order.
    pub pools: Vec<PoolId>,
    /// Databases on it, in file order.
    pub databases: Vec<DbId>,
}

/// Capacity of an elastic pool.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PoolCapacity {
    /// DTU model, in eDTU.
    Dtu(u32),
    /// vCore model, in vCores.
    VCores(u32),
}

/// An elastic pool and its databases.
#[derive(Debug, Clone)]
pub struct PoolInfo {
    /// Server holding it.
    pub server: ServerId,
    /// Pool name.
    pub name: String,
    /// Edition.
    pub edition: String,
    /// Pool capacity.
    pub capacity: PoolCapacity,
    /// Per-database minimum.
    pub per_db_min: f64,
    /// Per-database maximum.
    pub per_db_max: Option<f64>,
    /// Storage.
    pub storage_gb: Option<u32>,
    /// Its ARM SKU (copied to its mirror).
    pub sku: PoolSku,
    /// Zone redundant (copied to its mirror).
    pub zone_redundant: bool,
    /// Databases in it, in file order.
    pub databases: Vec<DbId>,
}

/// A tenant database.
#[derive(Debug, Clone)]
pub struct DatabaseInfo {
    /// Database name.
    pub name: String,
    /// Server holding it.
    pub server: ServerId,
    /// Pool, or `None` for a standalone database.
    pub pool: Option<PoolId>,
    /// Service objective of a standalone database.
    pub service_objective: Option<String>,
    /// Used size in megabytes (integral so ordering is exact).
    pub size_mb: u64,
    /// Tenant display name.
    pub tenant: String,
    /// Tenant key in the catalog.
    pub tenant_id: String,
    /// Priority tier.
    pub tier: TierId,
}

impl Fleet {
    /// Parses and validates a fleet from TOML text; `file` names the source in errors.
    pub fn from_toml_str(text: &str, file: &str) -> Result<Fleet, FleetError> {
        load::parse(text, file)
    }

    /// Validates an in-memory fleet file (e.g. a generated one). Errors carry
    /// no line numbers unless the file's spans point into `source_text`.
    pub fn from_file(fleet: file::FleetFile, source_name: &str) -> Result<Fleet, FleetError> {
        load::validate(fleet, source_name, "")
    }

    /// Weight of a tier.
    pub fn weight(&self, tier: TierId) -> u32 {
        self.tiers[usize::from(tier.0)].weight
    }
}
