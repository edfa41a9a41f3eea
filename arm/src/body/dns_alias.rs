//! Microsoft.Sql server DNS alias (`Microsoft.Sql/servers/dnsAliases`) and
//! its `acquire` action.

use serde::{Deserialize, Serialize};

use super::common::Extra;

/// A server DNS alias. The PUT body is empty (`{}` = `ServerDnsAlias::default()`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerDnsAlias {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Alias name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers/dnsAliases` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ServerDnsAliasProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a DNS alias.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerDnsAliasProperties {
    /// `<alias>.database.windows.net`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure_dns_record: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// Body of `POST {server}/dnsAliases/{alias}/acquire`: moves the alias
/// from the server in `old_server_dns_alias_id` to the server in the path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AcquireDnsAlias {
    /// Id of the alias on its current (old) server.
    pub old_server_dns_alias_id: String,
}
