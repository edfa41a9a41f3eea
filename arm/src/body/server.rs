//! Microsoft.Sql logical server (`Microsoft.Sql/servers`).

use serde::{Deserialize, Serialize};

use super::common::{Extra, Secret, Tags};

/// A logical SQL server: PUT body and GET/PUT response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Server {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Server name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Sql/servers` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Region (required on PUT; ARM answers with its normalized name, e.g. `japaneast`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// `v12.0` (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Server properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ServerProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerProperties {
    /// SQL administrator login (write-once).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub administrator_login: Option<String>,
    /// SQL administrator password: request only, never returned, never shown by `Debug`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub administrator_login_password: Option<Secret>,
    /// Microsoft Entra administrator.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub administrators: Option<ServerAdministrators>,
    /// `12.0`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `Ready` once the server exists (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `<server>.database.windows.net` (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fully_qualified_domain_name: Option<String>,
    /// `Enabled` / `Disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub public_network_access: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// The Microsoft Entra administrator of a server.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerAdministrators {
    /// `ActiveDirectory`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub administrator_type: Option<String>,
    /// `User`, `Group` or `Application`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_type: Option<String>,
    /// Login name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    /// Object id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sid: Option<String>,
    /// Tenant id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// Entra-only authentication (`azureADOnlyAuthentication` on the wire).
    #[serde(
        rename = "azureADOnlyAuthentication",
        skip_serializing_if = "Option::is_none"
    )]
    pub azure_ad_only_authentication: Option<bool>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Server {
    /// A PUT body: a server in `location` with a SQL administrator.
    pub fn new(
        location: impl Into<String>,
        administrator_login: impl Into<String>,
        password: Secret,
    ) -> Self {
        Self {
            location: Some(location.into()),
            properties: Some(ServerProperties {
                administrator_login: Some(administrator_login.into()),
                administrator_login_password: Some(password),
                version: Some("12.0".to_owned()),
                ..ServerProperties::default()
            }),
            ..Self::default()
        }
    }
}
