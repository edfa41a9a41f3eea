//! Typed JSON bodies in Azure's own shapes, one file per resource family.
//!
//! Conventions shared by every body type:
//! - field names are camelCase as on the wire; `None` fields are not
//!   written, so a typed body serializes to the same JSON ARM sends or
//!   expects (a JSON `null` reads as `None` and is therefore not written
//!   back: ARM treats an absent and a null property alike);
//! - unknown fields are tolerated and kept in an `extra` map (flattened),
//!   so a body read and written again keeps every property, typed or not;
//! - values ARM may extend are "extensible enums" with an `Other(String)`
//!   fallback (see e.g. [`DatabaseStatus`]);
//! - dates are kept as the strings ARM sent (ISO 8601), no clock involved.

mod common;
mod database;
mod database_page;
mod dns_alias;
mod elastic_pool;
mod error_response;
mod list;
mod operation;
mod operation_status;
mod recoverable_database;
mod replication_link;
mod resource_group;
mod server;
mod traffic_manager;
mod web;

pub use common::{ByteCount, Extra, Secret, Sku, Tags};
pub use database::{
    CreateMode, Database, DatabaseProperties, DatabaseStatus, ResourceMove, SecondaryType,
};
pub use database_page::{DatabasePage, IndexDrift, Indexed};
pub use dns_alias::{AcquireDnsAlias, ServerDnsAlias, ServerDnsAliasProperties};
pub use elastic_pool::{ElasticPool, ElasticPoolProperties, ElasticPoolState, PerDatabaseSettings};
pub use error_response::{ErrorDetail, ErrorResponse};
pub use list::List;
pub use operation::{
    DatabaseOperation, DatabaseOperationProperties, DatabaseOperationState, ElasticPoolOperation,
    ElasticPoolOperationProperties, ElasticPoolOperationState,
};
pub use operation_status::{AsyncStatus, OperationStatus};
pub use recoverable_database::{RecoverableDatabase, RecoverableDatabaseProperties};
pub use replication_link::{
    ReplicationLink, ReplicationLinkProperties, ReplicationRole, ReplicationState,
};
pub use resource_group::{ResourceGroup, ResourceGroupProperties};
pub use server::{Server, ServerAdministrators, ServerProperties};
pub use traffic_manager::{
    DnsConfig, Endpoint, EndpointProperties, EndpointStatus, Profile, ProfileProperties,
};
pub use web::{ServerFarm, ServerFarmProperties, Site, SiteProperties};
