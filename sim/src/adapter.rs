//! Translates the scheduler's [`scheduler::Command`]s into the model's [`ArmRequest`]s.
//!
//! Names follow the fleet: an origin resource keeps its name, its recovery
//! mirror is `<name><recovery_suffix>` ([`scheduler::fleet::Fleet::mirror_name`]).
//! Origin databases are registered without their pools (the model only needs
//! the geo-backup), so a geo-replica sent home lands as a single database on
//! the origin server, except for new tenants, whose origin pool the
//! repatriation creates.

use scheduler::fleet::DbId;
use scheduler::{Action, AliasRef, Copy, Estate, Placement, Region, ServerRef};

use crate::request::{ArmRequest, CatalogAction, DbRef, Region as ModelRegion};

/// A database's origin server name and its own name.
pub fn origin_ref(estate: &Estate, db: DbId) -> DbRef {
    let d = estate.database(db);
    DbRef {
        server: estate.server(d.server).name.clone(),
        name: d.name.clone(),
    }
}

/// A database's recovery-region server (the mirror) and name.
pub fn recovery_ref(estate: &Estate, db: DbId) -> DbRef {
    let d = estate.database(db);
    DbRef {
        server: estate.fleet.mirror_name(&estate.server(d.server).name),
        name: d.name.clone(),
    }
}

fn server_name(estate: &Estate, server: ServerRef) -> String {
    estate.server_ref_name(server)
}

fn server_region(server: ServerRef) -> ModelRegion {
    match server {
        ServerRef::OriginNewTenants => ModelRegion::Origin,
        ServerRef::Mirror(_) | ServerRef::Catalog => ModelRegion::Recovery,
    }
}

fn catalog(estate: &Estate, db: DbId, action: CatalogAction) -> ArmRequest {
    ArmRequest::CatalogUpdate {
        tenant: estate.database(db).tenant_id.clone(),
        action,
    }
}

fn alias_target(estate: &Estate, alias: AliasRef, to: Region) -> (String, String) {
    let fleet = &estate.fleet;
    let (name, origin_server) = match alias {
        AliasRef::Catalog => (fleet.catalog.alias.clone(), fleet.catalog.server.clone()),
        AliasRef::NewTenants => (
            fleet.new_tenants.alias.clone(),
            fleet.new_tenants.server.clone(),
        ),
        AliasRef::Server(s) => {
            let server = estate.server(s);
            (fleet.server_alias(server), server.name.clone())
        }
    };
    let server = match to {
        Region::Origin => origin_server,
        Region::Recovery => fleet.mirror_name(&origin_server),
    };
    (name, server)
}

/// The request that carries out `action` against the model.
///
/// Every action maps to exactly one request. Catalog work (routing, online
/// marks, change checks) becomes a [`ArmRequest::CatalogUpdate`] (a SQL call,
/// no ARM token); everything else is one ARM request of the class
/// [`Action::arm_class`] names.
pub fn to_request(estate: &Estate, action: &Action) -> ArmRequest {
    let fleet = &estate.fleet;
    match *action {
        Action::SetEndpoint { region, enabled } => ArmRequest::SetEndpointStatus {
            endpoint: match region {
                Region::Origin => fleet.app.origin_endpoint.clone(),
                Region::Recovery => fleet.app.recovery_endpoint.clone(),
            },
            enabled,
        },
        Action::CreateServer { server } => ArmRequest::CreateServer {
            server: server_name(estate, server),
            region: server_region(server),
        },
        Action::CreatePool { pool } => {
            let p = estate.pool(pool);
            ArmRequest::CreateElasticPool {
                server: fleet.mirror_name(&estate.server(p.server).name),
                pool: p.name.clone(),
            }
        }
        Action::CreateOriginNewTenantPool => ArmRequest::CreateElasticPool {
            server: fleet.new_tenants.server.clone(),
            pool: fleet.new_tenants.pool.clone(),
        },
        Action::CreateWebApp => ArmRequest::CreateWebApp {
            name: fleet.app.recovery_web_app.clone(),
            region: ModelRegion::Recovery,
        },
        Action::RestoreCatalog => ArmRequest::RestoreDatabase {
            server: fleet.mirror_name(&fleet.catalog.server),
            name: fleet.catalog.database.clone(),
            pool: None,
            source: DbRef {
                server: fleet.catalog.server.clone(),
                name: fleet.catalog.database.clone(),
            },
        },
        Action::RestoreDatabase { db, placement } => {
            let target = recovery_ref(estate, db);
            ArmRequest::RestoreDatabase {
                server: target.server,
                name: target.name,
                pool: match placement {
                    Placement::Pool(p) => Some(estate.pool(p).name.clone()),
                    Placement::Standalone => None,
                },
                source: origin_ref(estate, db),
            }
        }
        Action::PollServer { server, region } => ArmRequest::ListDatabases {
            server: match region {
                Region::Origin => estate.server(server).name.clone(),
                Region::Recovery => fleet.mirror_name(&estate.server(server).name),
            },
        },
        Action::MoveAlias { alias, to } => {
            let (alias, server) = alias_target(estate, alias, to);
            ArmRequest::AcquireDnsAlias { alias, server }
        }
        Action::SetRouting { db, .. } => catalog(estate, db, CatalogAction::UpdateShardPointer),
        Action::SetTenantOnline { db, online } => catalog(
            estate,
            db,
            if online {
                CatalogAction::MarkOnline
            } else {
                CatalogAction::MarkOffline
            },
        ),
        Action::CheckChanged { db } => catalog(estate, db, CatalogAction::CheckChanged),
        Action::RenameOriginCopy { db } => {
            let origin = origin_ref(estate, db);
            ArmRequest::RenameDatabase {
                new_name: fleet.preoutage_name(&origin.name),
                server: origin.server,
                name: origin.name,
            }
        }
        Action::ReplicateToOrigin { db } => {
            let origin = origin_ref(estate, db);
            let pool = estate
                .is_new_tenant(db)
                .then(|| fleet.new_tenants.pool.clone());
            ArmRequest::CreateSecondary {
                server: origin.server,
                name: origin.name,
                pool,
                primary: recovery_ref(estate, db),
            }
        }
        Action::Failover { db } => {
            let origin = origin_ref(estate, db);
            ArmRequest::Failover {
                server: origin.server,
                name: origin.name,
            }
        }
        Action::MoveToPool { db } => {
            let target = recovery_ref(estate, db);
            let pool = estate
                .database(db)
                .pool
                .map(|p| estate.pool(p).name.clone())
                .unwrap_or_default();
            ArmRequest::MoveDatabaseToPool {
                server: target.server,
                name: target.name,
                pool,
            }
        }
        Action::DeleteDatabase { db, copy } => {
            let target = match copy {
                Copy::Recovery => recovery_ref(estate, db),
                Copy::OriginPreOutage => {
                    let origin = origin_ref(estate, db);
                    DbRef {
                        server: origin.server,
                        name: fleet.preoutage_name(&origin.name),
                    }
                }
            };
            ArmRequest::DeleteDatabase {
                server: target.server,
                name: target.name,
            }
        }
        Action::RenameOriginCatalog => ArmRequest::RenameDatabase {
            server: fleet.catalog.server.clone(),
            name: fleet.catalog.database.clone(),
            new_name: fleet.preoutage_name(&fleet.catalog.database),
        },
        Action::ReplicateCatalogToOrigin => ArmRequest::CreateSecondary {
            server: fleet.catalog.server.clone(),
            name: fleet.catalog.database.clone(),
            pool: None,
            primary: DbRef {
                server: fleet.mirror_name(&fleet.catalog.server),
                name: fleet.catalog.database.clone(),
            },
        },
        Action::FailoverCatalog => ArmRequest::Failover {
            server: fleet.catalog.server.clone(),
            name: fleet.catalog.database.clone(),
        },
        Action::DeleteOriginCatalogCopy => ArmRequest::DeleteDatabase {
            server: fleet.catalog.server.clone(),
            name: fleet.preoutage_name(&fleet.catalog.database),
        },
        Action::DeletePool { pool } => {
            let p = estate.pool(pool);
            ArmRequest::DeleteElasticPool {
                server: fleet.mirror_name(&estate.server(p.server).name),
                pool: p.name.clone(),
            }
        }
        Action::DeleteServer { server } => ArmRequest::DeleteServer {
            server: server_name(estate, server),
        },
        Action::DeleteWebApp => ArmRequest::DeleteWebApp {
            name: fleet.app.recovery_web_app.clone(),
        },
    }
}
