//! The naming rules of the resources a recovery creates or renames, in one
//! place: recovery mirrors, pre-outage copies, server aliases, the recovery
//! App Service plan.

use super::{Fleet, ServerInfo};

/// The suffix a pre-outage origin copy is renamed to during repatriation.
pub const PREOUTAGE_SUFFIX: &str = "-preoutage";

impl Fleet {
    /// Name of the recovery mirror of an origin resource:
    /// `<origin name><recovery_suffix>`.
    pub fn mirror_name(&self, origin_name: &str) -> String {
        format!("{origin_name}{}", self.recovery_suffix)
    }

    /// Name an origin database is renamed to while its replacement is
    /// seeded during repatriation: `<name>-preoutage`.
    pub fn preoutage_name(&self, name: &str) -> String {
        format!("{name}{PREOUTAGE_SUFFIX}")
    }

    /// The DNS alias of an origin server: the one the fleet names, or
    /// `<server>-alias`.
    pub fn server_alias(&self, server: &ServerInfo) -> String {
        server
            .alias
            .clone()
            .unwrap_or_else(|| format!("{}-alias", server.name))
    }

    /// The App Service plan of the recovery web app: the one the fleet
    /// names, or `<recovery_web_app>-plan`.
    pub fn recovery_app_service_plan(&self) -> String {
        self.app
            .recovery_app_service_plan
            .clone()
            .unwrap_or_else(|| format!("{}-plan", self.app.recovery_web_app))
    }

    /// The resource group of the Traffic Manager profile.
    pub fn traffic_manager_resource_group(&self) -> &str {
        self.resource_groups
            .traffic_manager
            .as_deref()
            .unwrap_or(&self.resource_groups.origin)
    }
}
