//! Microsoft.Sql replication link (`Microsoft.Sql/servers/databases/replicationLinks`).

use serde::{Deserialize, Serialize};

use super::common::Extra;
use crate::string_enum::string_enum;

string_enum! {
    /// Role of a database in a replication relationship.
    pub enum ReplicationRole {
        /// Primary.
        Primary = "Primary",
        /// Readable secondary.
        Secondary = "Secondary",
        /// Non-readable secondary.
        NonReadableSecondary = "NonReadableSecondary",
        /// Source of a copy.
        Source = "Source",
        /// Copy.
        Copy = "Copy",
    }
}

string_enum! {
    /// Replication state of a link.
    pub enum ReplicationState {
        /// Seeding not started.
        Pending = "PENDING",
        /// Initial seeding.
        Seeding = "SEEDING",
        /// Replicating; the secondary is transactionally consistent.
        CatchUp = "CATCH_UP",
        /// Suspended.
        Suspended = "SUSPENDED",
    }
}

/// A replication link (list item, GET and failover response).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationLink {
    /// Resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Link id (a GUID).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Type (absent in the list example).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ReplicationLinkProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a replication link.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReplicationLinkProperties {
    /// Partner server name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_server: Option<String>,
    /// Partner database name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_database: Option<String>,
    /// Partner database id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_database_id: Option<String>,
    /// Partner region.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_location: Option<String>,
    /// Role of this database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<ReplicationRole>,
    /// Role of the partner database.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partner_role: Option<ReplicationRole>,
    /// `ASYNC` / `SYNC`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_mode: Option<String>,
    /// Link start time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// Seeding progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<u32>,
    /// Replication state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replication_state: Option<ReplicationState>,
    /// Whether the link may be terminated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_termination_allowed: Option<bool>,
    /// `GEO`, `NAMED`, `STANDBY`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link_type: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}
