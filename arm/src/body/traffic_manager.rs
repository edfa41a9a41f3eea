//! Microsoft.Network Traffic Manager profile and endpoint.

use serde::{Deserialize, Serialize};

use super::common::{Extra, Tags};
use crate::string_enum::string_enum;

string_enum! {
    /// Whether an endpoint takes traffic (`properties.endpointStatus`).
    pub enum EndpointStatus {
        /// Takes traffic (subject to health probes).
        Enabled = "Enabled",
        /// Takes no traffic.
        Disabled = "Disabled",
    }
}

/// A Traffic Manager endpoint: PUT/PATCH body and response.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// Resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Endpoint name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Network/trafficManagerProfiles/externalEndpoints`...
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<EndpointProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of an endpoint.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EndpointProperties {
    /// Target Azure resource (AzureEndpoints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_resource_id: Option<String>,
    /// Target host name (ExternalEndpoints).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Enabled / Disabled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_status: Option<EndpointStatus>,
    /// Weight (weighted routing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<u32>,
    /// Priority (priority routing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u32>,
    /// Region of the endpoint (performance routing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_location: Option<String>,
    /// Health (`CheckingEndpoint`, `Online`, `Degraded`...), responses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoint_monitor_status: Option<String>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl Endpoint {
    /// A PATCH body that only sets `endpointStatus`:
    /// `{"properties":{"endpointStatus":"Enabled"|"Disabled"}}`.
    pub fn status_only(enabled: bool) -> Self {
        Self {
            properties: Some(EndpointProperties {
                endpoint_status: Some(if enabled {
                    EndpointStatus::Enabled
                } else {
                    EndpointStatus::Disabled
                }),
                ..EndpointProperties::default()
            }),
            ..Self::default()
        }
    }
}

/// A Traffic Manager profile (GET response, PUT body).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    /// Resource id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Profile name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `Microsoft.Network/trafficManagerProfiles`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub resource_type: Option<String>,
    /// `global`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Tags>,
    /// Properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<ProfileProperties>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// `properties` of a profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProfileProperties {
    /// `Enabled` / `Disabled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile_status: Option<String>,
    /// `Performance`, `Priority`, `Weighted`...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub traffic_routing_method: Option<String>,
    /// DNS settings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<DnsConfig>,
    /// Health probe settings (kept untyped).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitor_config: Option<serde_json::Value>,
    /// The profile's endpoints.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub endpoints: Option<Vec<Endpoint>>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

/// DNS settings of a profile.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DnsConfig {
    /// Relative DNS name (`<name>.trafficmanager.net`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative_name: Option<String>,
    /// Fully qualified name (responses).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    /// DNS TTL in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl: Option<u32>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}
