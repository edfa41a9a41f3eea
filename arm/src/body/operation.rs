//! Management operations listed under a database or an elastic pool
//! (`.../databases/{d}/operations`, `.../elasticPools/{p}/operations`).
//!
//! The two lists spell `state` differently: databases use `InProgress` /
//! `Succeeded`, elastic pools `IN_PROGRESS` / `COMPLETED`.

use serde::{Deserialize, Serialize};

use super::common::Extra;
use crate::string_enum::string_enum;

string_enum! {
    /// State of a database management operation.
    pub enum DatabaseOperationState {
        /// Queued.
        Pending = "Pending",
        /// Running.
        InProgress = "InProgress",
        /// Done.
        Succeeded = "Succeeded",
        /// Failed.
        Failed = "Failed",
        /// Being cancelled.
        CancelInProgress = "CancelInProgress",
        /// Cancelled.
        Cancelled = "Cancelled",
    }
}

impl DatabaseOperationState {
    /// Whether the operation has ended (succeeded, failed or cancelled).
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed | Self::Cancelled)
    }
}

string_enum! {
    /// State of an elastic pool management operation. Only the two values
    /// in the examples are known; anything else is `Other`.
    pub enum ElasticPoolOperationState {
        /// Running.
        InProgress = "IN_PROGRESS",
        /// Done.
        Completed = "COMPLETED",
    }
}

/// A database management operation (list item).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseOperation {
    /// Resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Operation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers/databases/operations`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<DatabaseOperationProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a database management operation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseOperationProperties {
    /// Database name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_name: Option<String>,
    /// Operation (`UpdateLogicalDatabase`, `DropLogicalDatabase`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Friendly name (`ALTER DATABASE`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_friendly_name: Option<String>,
    /// Progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<u32>,
    /// Server name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// Start time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// State.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<DatabaseOperationState>,
    /// Error code, if failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<i64>,
    /// Error description, if failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// An elastic pool management operation (list item).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElasticPoolOperation {
    /// Resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Operation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers/elasticPools/operations`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ElasticPoolOperationProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of an elastic pool management operation.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ElasticPoolOperationProperties {
    /// Pool name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elastic_pool_name: Option<String>,
    /// Operation (`UPDATE`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// Friendly name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_friendly_name: Option<String>,
    /// Progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<u32>,
    /// Server name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_name: Option<String>,
    /// Start time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// State (`IN_PROGRESS`, `COMPLETED`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<ElasticPoolOperationState>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}
