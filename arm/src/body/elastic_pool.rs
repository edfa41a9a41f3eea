//! Microsoft.Sql elastic pool (`Microsoft.Sql/servers/elasticPools`).

use serde::{Deserialize, Serialize};

use super::common::{ByteCount, Extra, Sku, Tags};
use crate::string_enum::string_enum;

string_enum! {
    /// Elastic pool state.
    pub enum ElasticPoolState {
        /// Being created.
        Creating = "Creating",
        /// Usable.
        Ready = "Ready",
        /// Disabled.
        Disabled = "Disabled",
    }
}

/// An elastic pool: PUT body and GET/PUT response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElasticPool {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Pool name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers/elasticPools` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Region (required on PUT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// Kind (the examples send `null`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// SKU, e.g. `StandardPool`/100 or `GP_Gen5`/2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<Sku>,
    /// Pool properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ElasticPoolProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of an elastic pool.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElasticPoolProperties {
    /// State.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<ElasticPoolState>,
    /// Creation date (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    /// Storage limit in bytes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size_bytes: Option<ByteCount>,
    /// Per-database capacity bounds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub per_database_settings: Option<PerDatabaseSettings>,
    /// Zone redundancy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_redundant: Option<bool>,
    /// `LicenseIncluded` / `BasePrice`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license_type: Option<String>,
    /// Maintenance configuration id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maintenance_configuration_id: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Per-database min/max capacity in a pool (DTUs or vCores; vCore
/// values may be fractional, e.g. 0.25).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PerDatabaseSettings {
    /// Minimum capacity per database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_capacity: Option<f64>,
    /// Maximum capacity per database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_capacity: Option<f64>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ElasticPool {
    /// A PUT body: a pool in `location`, with `sku` if given (ARM picks a
    /// default SKU otherwise, as in the ElasticPoolCreateOrUpdateMin example).
    pub fn new(location: impl Into<String>, sku: Option<Sku>) -> Self {
        Self {
            location: Some(location.into()),
            sku,
            ..Self::default()
        }
    }
}
