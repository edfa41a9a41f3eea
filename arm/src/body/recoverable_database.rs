//! Microsoft.Sql recoverable database (`Microsoft.Sql/servers/recoverableDatabases`):
//! the latest geo-replicated backup of a database, the source of a geo-restore.

use serde::{Deserialize, Serialize};

use super::common::Extra;

/// A recoverable database (GET response).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverableDatabase {
    /// Resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Database name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers/recoverableDatabases`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<RecoverableDatabaseProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a recoverable database.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecoverableDatabaseProperties {
    /// Edition of the backed-up database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Service level objective of the backed-up database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_level_objective: Option<String>,
    /// Elastic pool of the backed-up database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elastic_pool_name: Option<String>,
    /// Time of the last geo-replicated backup (the data-loss bound).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_available_backup_date: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}
