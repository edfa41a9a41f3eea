//! The `api-version` each resource provider is spoken with.
//!
//! One constant per provider (or resource type), and [`for_resource`] to
//! pick it. Every request this crate renders carries exactly one
//! `api-version`; status and `nextLink` URLs handed out by ARM already carry
//! their own and are kept as given.

use crate::id::Resource;

/// Microsoft.Sql (servers, databases, elastic pools, recoverable databases,
/// DNS aliases, replication links, operations, operation-status monitors):
/// the newest stable version, which the fixtures use.
pub const SQL: &str = "2023-08-01";

/// Microsoft.Network Traffic Manager profiles and endpoints
/// (the version of the Traffic Manager fixtures).
pub const TRAFFIC_MANAGER: &str = "2022-04-01";

/// Microsoft.Web sites and server farms. **Assumed**: there is no fixture
/// for this provider; 2023-12-01 is a stable Microsoft.Web version.
pub const WEB: &str = "2023-12-01";

/// Microsoft.Resources resource groups.
pub const RESOURCE_GROUPS: &str = "2021-04-01";

/// The api-version requests on `resource` are sent with.
pub fn for_resource(resource: &Resource) -> &'static str {
    match resource {
        Resource::ResourceGroup(_) => RESOURCE_GROUPS,
        Resource::SqlServer(_)
        | Resource::SqlDatabase(_)
        | Resource::ElasticPool(_)
        | Resource::RecoverableDatabase(_)
        | Resource::DnsAlias(_)
        | Resource::ReplicationLink(_)
        | Resource::Databases(_)
        | Resource::ElasticPools(_)
        | Resource::RecoverableDatabases(_)
        | Resource::DnsAliases(_)
        | Resource::ReplicationLinks(_)
        | Resource::DatabaseOperations(_)
        | Resource::ElasticPoolOperations(_)
        | Resource::OperationStatus(_) => SQL,
        Resource::TrafficManagerProfile(_) | Resource::TrafficManagerEndpoint(_) => TRAFFIC_MANAGER,
        Resource::Site(_) | Resource::ServerFarm(_) => WEB,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::id::{EndpointType, ResourceGroupId, ServerId};

    #[test]
    fn each_provider_has_its_version() {
        let g = ResourceGroupId::new("s", "g");
        let srv = ServerId::new("s", "g", "x");
        assert_eq!(for_resource(&g.clone().into()), "2021-04-01");
        assert_eq!(for_resource(&srv.database("d").into()), "2023-08-01");
        assert_eq!(for_resource(&Resource::Databases(srv)), "2023-08-01");
        let p = g.traffic_manager_profile("p");
        assert_eq!(for_resource(&p.clone().into()), "2022-04-01");
        assert_eq!(
            for_resource(&p.endpoint(EndpointType::AzureEndpoints, "e").into()),
            "2022-04-01"
        );
        assert_eq!(for_resource(&g.site("a").into()), "2023-12-01");
        assert_eq!(for_resource(&g.server_farm("f").into()), "2023-12-01");
    }
}
