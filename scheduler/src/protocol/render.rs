//! Rendering: an operation's current step as a complete ARM request (or a
//! catalog call), from the fleet. Nothing else in the project builds ARM
//! requests for the scheduler's actions.

use arm::Request;
use arm::body::{
    Database, DatabaseProperties, ElasticPool, ElasticPoolProperties, PerDatabaseSettings,
    ResourceGroup, Server, ServerAdministrators, ServerFarm, ServerProperties, Site,
    SiteProperties, Sku,
};
use serde::{Deserialize, Serialize};

use super::names::Names;
use super::step::Step;
use crate::command::{Action, DbCopy, Placement, Region};
use crate::fleet::{DbId, PoolCapacity, PoolId};

/// What the caller carries out for one command: everything needed is in
/// it (like quinn-proto's `Transmit`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Work {
    /// Send this ARM request and report what came back with
    /// [`crate::Event::Response`] (or [`crate::Event::TransportFailed`]).
    Arm(Request),
    /// Run this call against the tenant catalog and report
    /// [`crate::Event::Succeeded`] or [`crate::Event::Failed`]
    /// ([`crate::Event::Changed`] for [`CatalogCall::CheckChanged`]).
    Catalog(CatalogCall),
}

/// A call to the tenant catalog (SQL, not ARM).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "call", rename_all = "snake_case")]
pub enum CatalogCall {
    /// Mark the tenant offline (shard-map mapping offline).
    MarkOffline {
        /// Tenant key.
        tenant_id: String,
    },
    /// Mark the tenant online.
    MarkOnline {
        /// Tenant key.
        tenant_id: String,
    },
    /// Point the tenant's shard-map entry at `server`/`database`.
    Route {
        /// Tenant key.
        tenant_id: String,
        /// Fully qualified server name, e.g. `x-recovery.database.windows.net`.
        server: String,
        /// Database name.
        database: String,
    },
    /// Whether the tenant's data changed since it came online in recovery.
    CheckChanged {
        /// Tenant key.
        tenant_id: String,
    },
}

/// The public DNS suffix of Azure SQL servers.
pub const SQL_DNS_SUFFIX: &str = ".database.windows.net";

/// Renders `step` of `action`. `link` is the replication link found by a
/// [`Step::FindLink`] step (for the failover step after it); `poll` the URL
/// a poll reads.
pub(crate) fn render(
    names: &Names<'_>,
    action: &Action,
    step: Step,
    link: Option<&str>,
    poll: Option<&str>,
) -> Work {
    match step {
        Step::ResourceGroup => {
            let group = names.group(Region::Recovery);
            return Work::Arm(Request::put_resource_group(
                &group,
                ResourceGroup {
                    location: Some(names.location(Region::Recovery)),
                    ..ResourceGroup::default()
                },
            ));
        }
        Step::Plan => return Work::Arm(put_plan(names)),
        Step::DeletePlan => return Work::Arm(Request::delete(names.plan())),
        Step::FindLink => {
            let secondary = match action {
                Action::Failover { db } => names.database(*db, Region::Origin),
                _ => names.catalog(Region::Origin),
            };
            return Work::Arm(Request::list_replication_links(&secondary));
        }
        Step::Main => {}
    }
    let fleet = &names.estate.fleet;
    let catalog = |db: DbId, call: fn(String) -> CatalogCall| {
        let tenant_id = names
            .estate
            .fleet
            .databases
            .get(db.0 as usize)
            .map_or_else(String::new, |d| d.tenant_id.clone());
        Work::Catalog(call(tenant_id))
    };
    let request = match *action {
        Action::SetEndpoint { region, enabled } => {
            Request::patch_endpoint_status(&names.endpoint(region), enabled)
        }
        Action::CreateServer { server } => {
            let (id, region) = names.server_ref(server);
            Request::put_server(&id, server_body(names, region))
        }
        Action::CreatePool { pool } => put_pool(names, pool, Region::Recovery),
        Action::CreateOriginNewTenantPool => {
            put_pool(names, names.estate.new_tenant_pool, Region::Origin)
        }
        Action::CreateWebApp => {
            let body = Site {
                location: Some(names.location(Region::Recovery)),
                properties: Some(SiteProperties {
                    server_farm_id: Some(names.plan().path()),
                    ..SiteProperties::default()
                }),
                ..Site::default()
            };
            Request::put_site(&names.site(), body)
        }
        Action::RestoreCatalog => {
            let source = names
                .server_named(&fleet.catalog.server, Region::Origin)
                .recoverable_database(fleet.catalog.database.clone());
            let mut body = Database::geo_restore(names.location(Region::Recovery), &source, None);
            body.sku = Some(Sku::named(&fleet.recovery.catalog_service_objective));
            Request::put_database(&names.catalog(Region::Recovery), body)
        }
        Action::RestoreDatabase { db, placement } => {
            let origin = names.database(db, Region::Origin);
            let source = origin.server.recoverable_database(origin.name.clone());
            let location = names.location(Region::Recovery);
            let body = match placement {
                Placement::Pool(pool) => Database::geo_restore(
                    location,
                    &source,
                    Some(&names.pool(pool, Region::Recovery)),
                ),
                Placement::Standalone => {
                    let info = names.estate.fleet.databases.get(db.0 as usize);
                    let objective = match info {
                        Some(d) if d.pool.is_none() => d
                            .service_objective
                            .clone()
                            .unwrap_or_else(|| fleet.recovery.fast_lane_service_objective.clone()),
                        _ => fleet.recovery.fast_lane_service_objective.clone(),
                    };
                    let mut body = Database::geo_restore(location, &source, None);
                    body.sku = Some(Sku::named(&objective));
                    body
                }
            };
            Request::put_database(&names.database(db, Region::Recovery), body)
        }
        Action::PollServer { server, region } => {
            Request::list_databases(&names.server(server, region))
        }
        Action::PollPools { server, region } => {
            Request::list_elastic_pools(&names.server(server, region))
        }
        Action::PollOperation { .. } => match poll.map(Request::get_url) {
            Some(Ok(request)) => request,
            // No status URL (the answer carried none, or it is unreadable):
            // nothing to read; the caller reports the failure it gets.
            _ => Request::get_url("/").unwrap_or_else(|_| {
                Request::list_databases(&names.server(crate::fleet::ServerId(0), Region::Recovery))
            }),
        },
        Action::MoveAlias { alias, to } => {
            let from = match to {
                Region::Origin => Region::Recovery,
                Region::Recovery => Region::Origin,
            };
            Request::acquire_dns_alias(&names.alias(alias, to), &names.alias(alias, from))
        }
        Action::SetRouting { db, to } => {
            let tenant_id = names
                .estate
                .fleet
                .databases
                .get(db.0 as usize)
                .map_or_else(String::new, |d| d.tenant_id.clone());
            let id = names.database(db, to);
            return Work::Catalog(CatalogCall::Route {
                tenant_id,
                server: format!("{}{SQL_DNS_SUFFIX}", id.server.name),
                database: id.name,
            });
        }
        Action::SetTenantOnline { db, online } => {
            return if online {
                catalog(db, |tenant_id| CatalogCall::MarkOnline { tenant_id })
            } else {
                catalog(db, |tenant_id| CatalogCall::MarkOffline { tenant_id })
            };
        }
        Action::CheckChanged { db } => {
            return catalog(db, |tenant_id| CatalogCall::CheckChanged { tenant_id });
        }
        Action::RenameOriginCopy { db } => {
            Request::rename_database(&names.database(db, Region::Origin), &names.preoutage(db))
        }
        Action::ReplicateToOrigin { db } => {
            let pool = names
                .estate
                .is_new_tenant(db)
                .then(|| names.pool(names.estate.new_tenant_pool, Region::Origin));
            let body = Database::geo_secondary(
                names.location(Region::Origin),
                &names.database(db, Region::Recovery),
                pool.as_ref(),
            );
            Request::put_database(&names.database(db, Region::Origin), body)
        }
        Action::Failover { db } => {
            let secondary = names.database(db, Region::Origin);
            Request::failover(&secondary.replication_link(link.unwrap_or_default()))
        }
        Action::MoveToPool { db } => {
            let pool = names
                .estate
                .fleet
                .databases
                .get(db.0 as usize)
                .and_then(|d| d.pool)
                .map(|p| names.pool(p, Region::Recovery).path());
            let body = Database {
                location: Some(names.location(Region::Recovery)),
                properties: Some(DatabaseProperties {
                    elastic_pool_id: pool,
                    ..DatabaseProperties::default()
                }),
                ..Database::default()
            };
            Request::put_database(&names.database(db, Region::Recovery), body)
        }
        Action::DeleteDatabase { db, copy } => match copy {
            DbCopy::Recovery => Request::delete(names.database(db, Region::Recovery)),
            DbCopy::OriginPreOutage => Request::delete(names.preoutage(db)),
        },
        Action::RenameOriginCatalog => {
            let origin = names.catalog(Region::Origin);
            let aside = origin
                .server
                .database(fleet.preoutage_name(&fleet.catalog.database));
            Request::rename_database(&origin, &aside)
        }
        Action::ReplicateCatalogToOrigin => {
            let body = Database::geo_secondary(
                names.location(Region::Origin),
                &names.catalog(Region::Recovery),
                None,
            );
            Request::put_database(&names.catalog(Region::Origin), body)
        }
        Action::FailoverCatalog => Request::failover(
            &names
                .catalog(Region::Origin)
                .replication_link(link.unwrap_or_default()),
        ),
        Action::DeleteOriginCatalogCopy => {
            let origin = names.catalog(Region::Origin);
            Request::delete(
                origin
                    .server
                    .database(fleet.preoutage_name(&fleet.catalog.database)),
            )
        }
        Action::DeletePool { pool } => Request::delete(names.pool(pool, Region::Recovery)),
        Action::DeleteServer { server } => Request::delete(names.server_ref(server).0),
        Action::DeleteWebApp => Request::delete(names.site()),
    };
    Work::Arm(request)
}

/// The PUT body of a server the recovery creates: Entra-only, with the
/// fleet's administrator when it names one.
fn server_body(names: &Names<'_>, region: Region) -> Server {
    let administrators =
        names
            .estate
            .fleet
            .administrator
            .as_ref()
            .map(|admin| ServerAdministrators {
                administrator_type: Some("ActiveDirectory".to_owned()),
                principal_type: Some(admin.principal_type.clone()),
                login: Some(admin.login.clone()),
                sid: Some(admin.object_id.clone()),
                tenant_id: admin.tenant_id.clone(),
                azure_ad_only_authentication: Some(true),
                ..ServerAdministrators::default()
            });
    Server {
        location: Some(names.location(region)),
        properties: Some(ServerProperties {
            administrators,
            version: Some("12.0".to_owned()),
            ..ServerProperties::default()
        }),
        ..Server::default()
    }
}

/// PUT of a pool's mirror (same SKU, per-database limits, storage, zone
/// redundancy as the origin pool).
fn put_pool(names: &Names<'_>, pool: PoolId, region: Region) -> Request {
    let id = names.pool(pool, region);
    let body = match names.estate.fleet.pools.get(pool.0 as usize) {
        Some(p) => {
            let sku = Sku {
                name: p.sku.name.clone(),
                tier: Some(p.sku.tier.clone()),
                family: p.sku.family.clone(),
                capacity: Some(p.sku.capacity),
                ..Sku::default()
            };
            let per_db_max = p.per_db_max.or(Some(match p.capacity {
                PoolCapacity::Dtu(c) | PoolCapacity::VCores(c) => f64::from(c),
            }));
            ElasticPool {
                properties: Some(ElasticPoolProperties {
                    per_database_settings: Some(PerDatabaseSettings {
                        min_capacity: Some(p.per_db_min),
                        max_capacity: per_db_max,
                        ..PerDatabaseSettings::default()
                    }),
                    max_size_bytes: p
                        .storage_gb
                        .map(|gb| arm::body::ByteCount(u64::from(gb) << 30)),
                    zone_redundant: Some(p.zone_redundant),
                    ..ElasticPoolProperties::default()
                }),
                ..ElasticPool::new(names.location(region), Some(sku))
            }
        }
        None => ElasticPool::new(names.location(region), None),
    };
    Request::put_elastic_pool(&id, body)
}

/// PUT of the recovery web app's App Service plan.
fn put_plan(names: &Names<'_>) -> Request {
    let fleet = &names.estate.fleet;
    let body = ServerFarm {
        location: Some(names.location(Region::Recovery)),
        sku: Some(Sku::named(&fleet.app.app_service_plan_sku)),
        ..ServerFarm::default()
    };
    Request::put_server_farm(&names.plan(), body)
}
