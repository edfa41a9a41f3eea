//! The fleet file's on-disk shape (TOML, serde).
//!
//! These types mirror the file one to one; [`super::Fleet`] is the validated,
//! indexed form the scheduler works with. Databases are written one per line
//! as inline tables so that a 100k-database estate stays a readable file.

use serde::{Deserialize, Serialize};
pub use toml::Spanned;

/// How the application finds a tenant's database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Routing {
    /// Per-tenant catalog (shard-map) pointer naming the server: switched per
    /// tenant as soon as that tenant's database is online (the Wingtip way).
    Catalog,
    /// One server DNS alias per origin server: switched once every tenant of
    /// that server is restored (an alias names a server, not a database).
    ServerAlias,
}

/// The whole fleet file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FleetFile {
    /// Human name of the estate, used in reports.
    pub name: String,
    /// Azure subscription id holding every resource.
    pub subscription: String,
    /// Region of production (the one that failed).
    pub origin_region: String,
    /// Region recovered into (usually the Azure paired region).
    pub recovery_region: String,
    /// How tenants are routed to their database.
    pub routing: Routing,
    /// Suffix appended to an origin resource's name to name its recovery mirror.
    #[serde(default = "default_recovery_suffix")]
    pub recovery_suffix: String,
    /// Resource groups in both regions.
    pub resource_groups: ResourceGroups,
    /// Priority tiers, highest first; a database names its tier.
    #[serde(default = "default_tiers")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 255)))]
    pub tiers: Vec<Tier>,
    /// The tenant catalog (shard map) and its DNS alias.
    pub catalog: Catalog,
    /// The web application and its Traffic Manager profile.
    pub app: App,
    /// Server and pool that take tenants signing up during the outage.
    pub new_tenants: NewTenants,
    /// Microsoft Entra administrator of every server the recovery creates.
    /// Servers are created Entra-only: a fleet file never holds a password.
    #[serde(default)]
    pub administrator: Option<Administrator>,
    /// Settings of the recovery itself (service objectives it chooses).
    #[serde(default)]
    pub recovery: RecoverySettings,
    /// Logical servers holding tenant databases.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Server>"))]
    pub servers: Vec<Spanned<Server>>,
    /// Elastic pools.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Pool>"))]
    pub pools: Vec<Spanned<Pool>>,
    /// Tenant databases, one tenant each.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(with = "Vec<Database>"))]
    pub databases: Vec<Spanned<Database>>,
}

fn default_recovery_suffix() -> String {
    "-recovery".to_owned()
}

/// The tutorial's three service plans, highest first.
pub fn default_tiers() -> Vec<Tier> {
    vec![
        Tier {
            name: "premium".into(),
            weight: 100,
        },
        Tier {
            name: "standard".into(),
            weight: 10,
        },
        Tier {
            name: "free".into(),
            weight: 1,
        },
    ]
}

/// Resource group names.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ResourceGroups {
    /// Resource group in the origin region.
    pub origin: String,
    /// Resource group created in the recovery region.
    pub recovery: String,
    /// Resource group of the Traffic Manager profile; defaults to `origin`.
    #[serde(default)]
    pub traffic_manager: Option<String>,
    /// Whether the recovery creates (PUT) the recovery resource group
    /// before anything else; `false` when it is created beforehand.
    #[serde(default = "yes")]
    pub create_recovery: bool,
}

fn yes() -> bool {
    true
}

/// The Microsoft Entra principal made administrator of every server the
/// recovery creates (`administrators` with `azureADOnlyAuthentication`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Administrator {
    /// Display name of the user, group or application (`login`).
    pub login: String,
    /// Its object id in Microsoft Entra (`sid`).
    pub object_id: String,
    /// `User`, `Group` or `Application`.
    #[serde(default = "default_principal_type")]
    pub principal_type: String,
    /// The Entra tenant id; omitted means the subscription's tenant.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

fn default_principal_type() -> String {
    "Group".to_owned()
}

/// Service objectives the recovery chooses itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RecoverySettings {
    /// Service objective of a pooled database restored standalone on the
    /// fast lane (the restore docs advise S3 or above for restoring).
    #[serde(default = "default_fast_lane_objective")]
    pub fast_lane_service_objective: String,
    /// Service objective of the restored catalog (the tutorial's template
    /// uses S1).
    #[serde(default = "default_catalog_objective")]
    pub catalog_service_objective: String,
}

impl Default for RecoverySettings {
    fn default() -> Self {
        RecoverySettings {
            fast_lane_service_objective: default_fast_lane_objective(),
            catalog_service_objective: default_catalog_objective(),
        }
    }
}

fn default_fast_lane_objective() -> String {
    "S3".to_owned()
}

fn default_catalog_objective() -> String {
    "S1".to_owned()
}

/// A priority tier (service plan).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Tier {
    /// Tier name as databases refer to it, e.g. `premium`.
    pub name: String,
    /// Relative importance; weighted time-to-online uses it. Must be > 0.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub weight: u32,
}

/// The catalog database and its alias.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Origin catalog server.
    pub server: String,
    /// Catalog database name.
    pub database: String,
    /// Server DNS alias the app connects through.
    pub alias: String,
    /// Catalog size.
    #[serde(default = "default_catalog_size_gb")]
    pub size_gb: f64,
}

fn default_catalog_size_gb() -> f64 {
    0.1
}

/// The web app in each region behind one Traffic Manager profile.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct App {
    /// Web app serving from the origin region.
    pub origin_web_app: String,
    /// Web app to create in the recovery region.
    pub recovery_web_app: String,
    /// Traffic Manager profile name.
    pub traffic_manager_profile: String,
    /// Endpoint of the origin web app.
    pub origin_endpoint: String,
    /// Endpoint of the recovery web app.
    pub recovery_endpoint: String,
    /// App Service plan of the recovery web app; defaults to
    /// `<recovery_web_app>-plan`.
    #[serde(default)]
    pub recovery_app_service_plan: Option<String>,
    /// SKU of that plan, e.g. `S1`.
    #[serde(default = "default_plan_sku")]
    pub app_service_plan_sku: String,
}

fn default_plan_sku() -> String {
    "S1".to_owned()
}

/// Where new tenants go during the outage.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTenants {
    /// Server name (origin form; the recovery instance gets the suffix).
    pub server: String,
    /// Pool name on that server.
    pub pool: String,
    /// Server DNS alias pointing at the new-tenant server.
    pub alias: String,
    /// Edition of the new-tenant pool; defaults to the first pool's
    /// (`Standard` in a fleet without pools).
    #[serde(default)]
    pub edition: Option<String>,
    /// eDTU of the new-tenant pool (DTU model); defaults to the first
    /// pool's capacity (100 eDTU in a fleet without pools).
    #[serde(default)]
    pub dtu: Option<u32>,
}

/// A logical server in the origin region.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Server {
    /// Server name, unique in the fleet.
    pub name: String,
    /// Server DNS alias (used with `routing = "server-alias"`).
    #[serde(default)]
    pub alias: Option<String>,
}

/// An elastic pool.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Pool {
    /// Server holding the pool.
    pub server: String,
    /// Pool name, unique on its server.
    pub name: String,
    /// Edition, e.g. `Standard`, `Premium`, `GeneralPurpose`.
    pub edition: String,
    /// eDTU (DTU model); give this or `vcores`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub dtu: Option<u32>,
    /// vCores (vCore model); give this or `dtu`.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub vcores: Option<u32>,
    /// Per-database minimum (eDTU or vCores).
    #[serde(default)]
    pub per_db_min: f64,
    /// Per-database maximum (eDTU or vCores).
    #[serde(default)]
    pub per_db_max: Option<f64>,
    /// Pool storage.
    #[serde(default)]
    pub storage_gb: Option<u32>,
    /// ARM SKU name, e.g. `StandardPool` or `GP_Gen5`; derived from the
    /// edition when omitted (see [`super::PoolSku`]).
    #[serde(default)]
    pub sku: Option<String>,
    /// Hardware family of a vCore pool, e.g. `Gen5` (the default for vCores).
    #[serde(default)]
    pub family: Option<String>,
    /// Whether the pool is zone redundant (copied to its mirror).
    #[serde(default)]
    pub zone_redundant: bool,
}

/// A tenant database (database-per-tenant: one tenant each).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Database {
    /// Database name, unique on its server.
    pub name: String,
    /// Server holding the database.
    pub server: String,
    /// Elastic pool; omit for a standalone database.
    #[serde(default)]
    pub pool: Option<String>,
    /// Service objective of a standalone database, e.g. `S3`.
    #[serde(default)]
    pub service_objective: Option<String>,
    /// Used size.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1_048_576)))]
    pub size_gb: f64,
    /// Tenant display name; defaults to the database name.
    #[serde(default)]
    pub tenant: Option<String>,
    /// Tenant key in the catalog; defaults to the database name.
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// Priority tier (service plan), one of `tiers`.
    pub tier: String,
}
