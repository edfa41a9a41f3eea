//! Microsoft.Web app (`sites`) and App Service plan (`serverfarms`), minimal.
//! No fixture backs these shapes; they follow the public REST reference.

use serde::{Deserialize, Serialize};

use super::common::{Extra, Sku, Tags};

/// An App Service app: PUT body and response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Web/sites` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Region (required on PUT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// `app`, `app,linux`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<SiteProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of an app.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SiteProperties {
    /// The plan's resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_farm_id: Option<String>,
    /// `Running`, `Stopped` (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `<app>.azurewebsites.net` (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default_host_name: Option<String>,
    /// Untyped properties (`siteConfig`...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// An App Service plan: PUT body and response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerFarm {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Web/serverfarms` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Region (required on PUT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// `app`, `linux`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Pricing tier (`{name: "S1", tier: "Standard", capacity: 1}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sku: Option<Sku>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ServerFarmProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerFarmProperties {
    /// `Ready`, `Pending` (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}
