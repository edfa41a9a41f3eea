//! Microsoft.Sql database (`Microsoft.Sql/servers/databases`), both the
//! current (2023-08-01) shape and the legacy 2014-04-01 one (`edition`,
//! `serviceLevelObjective`, `elasticPoolName`, string `maxSizeBytes`).

use serde::{Deserialize, Serialize};

use super::common::{ByteCount, Extra, Sku, Tags};
use crate::id::{DatabaseId, ElasticPoolId, RecoverableDatabaseId};
use crate::string_enum::string_enum;

string_enum! {
    /// How a database is created (`properties.createMode`).
    pub enum CreateMode {
        /// A new, empty database.
        Default = "Default",
        /// A copy of `sourceDatabaseId`.
        Copy = "Copy",
        /// A secondary (replica) of `sourceDatabaseId`.
        Secondary = "Secondary",
        /// Restore of `sourceDatabaseId` at `restorePointInTime`.
        PointInTimeRestore = "PointInTimeRestore",
        /// Restore of a dropped database (`sourceResourceId` / `restorableDroppedDatabaseId`).
        Restore = "Restore",
        /// Geo-restore from the geo-replicated backup
        /// (`sourceDatabaseId` / `recoverableDatabaseId` = a recoverable database).
        Recovery = "Recovery",
        /// Restore from an external backup.
        RestoreExternalBackup = "RestoreExternalBackup",
        /// Restore from an external backup as a secondary.
        RestoreExternalBackupSecondary = "RestoreExternalBackupSecondary",
        /// Restore from a long-term retention backup.
        RestoreLongTermRetentionBackup = "RestoreLongTermRetentionBackup",
        /// Online secondary.
        OnlineSecondary = "OnlineSecondary",
    }
}

string_enum! {
    /// Database status (`properties.status`).
    pub enum DatabaseStatus {
        /// Usable.
        Online = "Online",
        /// Being restored (geo-restore, point-in-time restore).
        Restoring = "Restoring",
        /// Recovery pending.
        RecoveryPending = "RecoveryPending",
        /// Recovering.
        Recovering = "Recovering",
        /// Suspect.
        Suspect = "Suspect",
        /// Offline.
        Offline = "Offline",
        /// Standby.
        Standby = "Standby",
        /// Shut down.
        Shutdown = "Shutdown",
        /// Emergency mode.
        EmergencyMode = "EmergencyMode",
        /// Auto-closed.
        AutoClosed = "AutoClosed",
        /// Being copied.
        Copying = "Copying",
        /// Being created.
        Creating = "Creating",
        /// Inaccessible.
        Inaccessible = "Inaccessible",
        /// Offline secondary.
        OfflineSecondary = "OfflineSecondary",
        /// Pausing.
        Pausing = "Pausing",
        /// Paused.
        Paused = "Paused",
        /// Resuming.
        Resuming = "Resuming",
        /// Changing service objective.
        Scaling = "Scaling",
        /// DW tier change, offline.
        OfflineChangingDwPerformanceTiers = "OfflineChangingDwPerformanceTiers",
        /// DW tier change, online.
        OnlineChangingDwPerformanceTiers = "OnlineChangingDwPerformanceTiers",
        /// Disabled.
        Disabled = "Disabled",
        /// Stopping.
        Stopping = "Stopping",
        /// Stopped.
        Stopped = "Stopped",
        /// Starting.
        Starting = "Starting",
    }
}

string_enum! {
    /// Kind of secondary (`properties.secondaryType`).
    pub enum SecondaryType {
        /// Geo-replica.
        Geo = "Geo",
        /// Named replica.
        Named = "Named",
        /// Standby replica.
        Standby = "Standby",
    }
}

/// A database: PUT body (create, restore, geo-restore, secondary) and
/// GET/PUT response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Database {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Database name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers/databases` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Region (required on PUT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// `v12.0,user`, `v12.0,user,vcore`, `v12.0,system` (the `master` database)...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Requested SKU (`ElasticPool` for a pooled database).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<Sku>,
    /// Database properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<DatabaseProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a database.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DatabaseProperties {
    /// Create mode (request).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_mode: Option<CreateMode>,
    /// Source database id (Copy, Secondary, PointInTimeRestore, Recovery).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_database_id: Option<String>,
    /// Source resource id (Restore, cross-subscription restores, Recovery from a geo backup).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_resource_id: Option<String>,
    /// Point in time to restore to (ISO 8601).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore_point_in_time: Option<String>,
    /// Recoverable database id (Recovery).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recoverable_database_id: Option<String>,
    /// Restorable dropped database id (Restore).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restorable_dropped_database_id: Option<String>,
    /// Elastic pool to place the database in (full resource id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elastic_pool_id: Option<String>,
    /// Kind of secondary (with createMode Secondary).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secondary_type: Option<SecondaryType>,
    /// Status (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<DatabaseStatus>,
    /// Database GUID (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_id: Option<String>,
    /// Creation date (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    /// Collation (`SQL_Latin1_General_CP1_CI_AS` by default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    /// Collation of the metadata catalog (the same default).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub catalog_collation: Option<String>,
    /// Earliest restore point (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub earliest_restore_date: Option<String>,
    /// Requested service objective (`S0`, `BC_Gen5_2`, `ElasticPool`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_service_objective_name: Option<String>,
    /// Current service objective (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_service_objective_name: Option<String>,
    /// Current SKU (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_sku: Option<Sku>,
    /// Maximum size in bytes (a number; a numeric string in 2014-04-01).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_size_bytes: Option<ByteCount>,
    /// Elastic pool name (2014-04-01 shape).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elastic_pool_name: Option<String>,
    /// Edition (2014-04-01 shape).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Service level objective (2014-04-01 shape).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_level_objective: Option<String>,
    /// Default secondary region (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_secondary_location: Option<String>,
    /// Zone redundancy.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zone_redundant: Option<bool>,
    /// Requested backup storage redundancy (`Geo`, `Local`, `Zone`, `GeoZone`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_backup_storage_redundancy: Option<String>,
    /// Current backup storage redundancy (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_backup_storage_redundancy: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Database {
    fn create(location: String, properties: DatabaseProperties) -> Self {
        Self {
            location: Some(location),
            properties: Some(properties),
            ..Self::default()
        }
    }

    /// Geo-restore PUT body: `createMode: Recovery` from the recoverable
    /// database `source` (its id goes in `sourceDatabaseId`), optionally
    /// into elastic pool `pool`.
    pub fn geo_restore(
        location: impl Into<String>,
        source: &RecoverableDatabaseId,
        pool: Option<&ElasticPoolId>,
    ) -> Self {
        Self::create(
            location.into(),
            DatabaseProperties {
                create_mode: Some(CreateMode::Recovery),
                source_database_id: Some(source.id()),
                elastic_pool_id: pool.map(ElasticPoolId::id),
                ..DatabaseProperties::default()
            },
        )
    }

    /// Geo-secondary PUT body: `createMode: Secondary`, `secondaryType: Geo`
    /// of `source` (a database on a server in another region), optionally
    /// into elastic pool `pool`.
    pub fn geo_secondary(
        location: impl Into<String>,
        source: &DatabaseId,
        pool: Option<&ElasticPoolId>,
    ) -> Self {
        Self::create(
            location.into(),
            DatabaseProperties {
                create_mode: Some(CreateMode::Secondary),
                secondary_type: Some(SecondaryType::Geo),
                source_database_id: Some(source.id()),
                elastic_pool_id: pool.map(ElasticPoolId::id),
                ..DatabaseProperties::default()
            },
        )
    }

    /// Point-in-time restore PUT body of `source` at `at` (ISO 8601).
    pub fn point_in_time_restore(
        location: impl Into<String>,
        source: &DatabaseId,
        at: impl Into<String>,
        pool: Option<&ElasticPoolId>,
    ) -> Self {
        Self::create(
            location.into(),
            DatabaseProperties {
                create_mode: Some(CreateMode::PointInTimeRestore),
                source_database_id: Some(source.id()),
                restore_point_in_time: Some(at.into()),
                elastic_pool_id: pool.map(ElasticPoolId::id),
                ..DatabaseProperties::default()
            },
        )
    }

    /// The status, if the body has one.
    pub fn status(&self) -> Option<&DatabaseStatus> {
        self.properties.as_ref()?.status.as_ref()
    }
}

/// Body of `POST {database}/move` (`Databases_Rename`): the database's id
/// after the rename (same server, new name).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceMove {
    /// The new resource id.
    pub id: String,
}
