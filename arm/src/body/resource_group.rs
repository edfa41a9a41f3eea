//! Microsoft.Resources resource group.

use serde::{Deserialize, Serialize};

use super::common::{Extra, Tags};

/// A resource group: PUT body (`{"location": ...}`) and response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroup {
    /// Resource id (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Resources/resourceGroups` (responses).
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Region (required on PUT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// Managing resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
    /// Properties (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ResourceGroupProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a resource group.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceGroupProperties {
    /// `Succeeded`, `Deleting`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioning_state: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl ResourceGroup {
    /// A PUT body: a resource group in `location`.
    pub fn new(location: impl Into<String>) -> Self {
        Self {
            location: Some(location.into()),
            ..Self::default()
        }
    }
}
