//! From an ARM request to what to do: a model request (and how to render
//! its answer), a request the front end answers alone, or a refusal in
//! ARM's error shape. Reads the model (free queries) but changes nothing.

use ::arm::body::{
    CreateMode, Database, ElasticPool, Endpoint, EndpointProperties, Profile, ResourceGroup,
    SecondaryType, ServerFarm, Sku,
};
use ::arm::codes;
use ::arm::id::{
    Action, DatabaseId, DnsAliasId, ElasticPoolId, EndpointId, IdError, OperationStatusId,
    ProfileId, RecoverableDatabaseId, Resource, ResourceGroupId, Route, ServerFarmId, ServerId,
};
use ::arm::{Method, Request, RequestBody, api_version};
use serde::de::DeserializeOwned;

use super::{ServeContext, render};
use crate::model::AzureModel;
use crate::request::{ArmRequest, DbRef, Name, OpHandle, Region};

/// An error answer the front end decides on its own.
#[derive(Debug)]
pub(super) struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

pub(super) fn refuse(status: u16, code: &'static str, message: String) -> Refusal {
    Refusal {
        status,
        code,
        message,
    }
}

fn invalid(message: String) -> Refusal {
    refuse(400, codes::INVALID_REQUEST_CONTENT, message)
}

/// What to do with a request. Lives on the stack for one call only, so
/// its size does not matter (boxing `Model` would cost an allocation per
/// request).
#[allow(clippy::large_enum_variant)]
pub(super) enum Plan {
    /// Answer with this error (the request still takes a token).
    Refuse(Refusal),
    /// Submit to the model, then render its answer as `Then` says.
    Model(ArmRequest, Then),
    /// Answered by the front end alone (after taking a token).
    Local(Local),
}

/// How to render the model's answer.
pub(super) enum Then {
    /// An asynchronous request: `Accepted` → 202 with the status URLs
    /// (under `group`, in `region`'s location); `Completed` → 204 for a
    /// DELETE, 200 otherwise.
    Async {
        group: ResourceGroupId,
        region: Region,
        operation: &'static str,
        remember: Option<Remember>,
    },
    /// PUT or PATCH of a Traffic Manager endpoint: `Accepted` → 200 (201
    /// for a new endpoint's PUT) with this body, which the front end keeps
    /// (the change reaches DNS later, as in Azure).
    Endpoint {
        id: EndpointId,
        body: Box<Endpoint>,
        created: bool,
    },
    /// GET database.
    Database(DatabaseId),
    /// GET `{server}/databases`.
    Databases(ServerId),
    /// GET `{server}/elasticPools`.
    Pools(ServerId),
    /// GET a server.
    Server(ServerId),
    /// GET an elastic pool (after the model's list of its server's pools).
    Pool(ElasticPoolId),
    /// GET `{database}/replicationLinks` (after the model's GET database).
    Links(DatabaseId),
    /// GET of a status monitor.
    Operation {
        id: OperationStatusId,
        /// `Azure-AsyncOperation` kind (status body) rather than `Location`.
        monitor: bool,
        /// The URL polled, handed back in `Location` while running.
        url: String,
    },
}

/// What the front end remembers once the model accepted a request.
pub(super) enum Remember {
    /// The SKU a pool was created with (shown in pool lists).
    PoolSku {
        server: String,
        pool: String,
        sku: Sku,
    },
}

/// Requests the model keeps no resource for.
pub(super) enum Local {
    /// PUT resource group.
    ResourceGroup(ResourceGroupId, Box<ResourceGroup>),
    /// PUT App Service plan.
    PutServerFarm(ServerFarmId, Box<ServerFarm>),
    /// DELETE App Service plan.
    DeleteServerFarm(ServerFarmId),
    /// PATCH of an endpoint that does not change its status: 200 with the
    /// endpoint as it is (kept by the front end).
    Endpoint(EndpointId, Box<Endpoint>),
    /// PUT a Traffic Manager profile.
    PutProfile(ProfileId, Box<Profile>),
    /// GET a Traffic Manager profile (with its endpoints).
    Profile(ProfileId),
    /// GET a recoverable database (a geo-backup: readable while its
    /// region is down).
    RecoverableDatabase(RecoverableDatabaseId),
    /// GET a server's recoverable databases.
    RecoverableDatabases(ServerId),
    /// GET (or PUT again) a DNS alias that points at its server: 200.
    DnsAlias(DnsAliasId),
    /// A GET answered from what the model keeps ([`super::reads`]).
    Read(Box<::arm::Response>),
}

/// Plans `request`.
pub(super) fn plan(model: &AzureModel, ctx: &ServeContext, request: &Request) -> Plan {
    let route = match request.route() {
        Ok(route) => route,
        Err(e) => return Plan::Refuse(unknown_path(request, &e)),
    };
    let subscription = route.resource.subscription();
    if !subscription.eq_ignore_ascii_case(&ctx.subscription) {
        return Plan::Refuse(refuse(
            404,
            codes::SUBSCRIPTION_NOT_FOUND,
            format!("The subscription '{subscription}' could not be found."),
        ));
    }
    if let Err(refusal) = check_api_version(request, &route.resource) {
        return Plan::Refuse(refusal);
    }
    dispatch(model, ctx, request, route).unwrap_or_else(Plan::Refuse)
}

/// 404 for a path outside any subscription, 400 `InvalidResourceType`
/// for a path under one that names no resource type the model serves.
fn unknown_path(request: &Request, error: &IdError) -> Refusal {
    let path = request.path.as_str();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let under_subscription =
        segments.len() >= 2 && segments[0].eq_ignore_ascii_case("subscriptions");
    if !under_subscription {
        return refuse(
            404,
            codes::NOT_FOUND,
            format!("No HTTP resource was found that matches the request URI '{path}'."),
        );
    }
    let provider = segments
        .iter()
        .position(|s| s.eq_ignore_ascii_case("providers"))
        .and_then(|i| segments.get(i + 1));
    let message = match provider {
        Some(namespace) => format!(
            "The resource type of '{path}' could not be found in the namespace '{namespace}' for api version '{}' ({error}).",
            request.api_version().unwrap_or_default()
        ),
        None => format!("The resource type of '{path}' could not be found ({error})."),
    };
    refuse(400, codes::INVALID_RESOURCE_TYPE, message)
}

/// The request's api-version must be the one arm speaks for the resource
/// ([`api_version::for_resource`]); the model knows no other.
fn check_api_version(request: &Request, resource: &Resource) -> Result<(), Refusal> {
    let expected = api_version::for_resource(resource);
    match request.api_version() {
        None | Some("") => Err(refuse(
            400,
            codes::MISSING_API_VERSION_PARAMETER,
            "The api-version query parameter (?api-version=) is required for all requests."
                .to_owned(),
        )),
        Some(v) if v.eq_ignore_ascii_case(expected) => Ok(()),
        Some(v) => Err(refuse(
            400,
            codes::INVALID_API_VERSION_PARAMETER,
            format!("The api-version '{v}' is invalid. The supported versions are '{expected}'."),
        )),
    }
}

/// The typed body of `request`: `project` picks it from a typed
/// [`RequestBody`]; a JSON body is read into `T`.
fn body<T: DeserializeOwned + Clone>(
    request: &Request,
    what: &str,
    project: fn(&RequestBody) -> Option<&T>,
) -> Result<T, Refusal> {
    match &request.body {
        None => Err(invalid(format!(
            "The request content was invalid: a {what} body is required."
        ))),
        Some(RequestBody::Json(value)) => serde_json::from_value(value.clone()).map_err(|e| {
            invalid(format!(
                "The request content was invalid and could not be deserialized as a {what}: {e}."
            ))
        }),
        Some(typed) => project(typed).cloned().ok_or_else(|| {
            invalid(format!(
                "The request content was invalid: expected a {what} body."
            ))
        }),
    }
}

/// The region a body's `location` names.
fn region_of(ctx: &ServeContext, location: Option<&str>, what: &str) -> Result<Region, Refusal> {
    let Some(location) = location else {
        return Err(invalid(format!(
            "The request content was invalid: the {what} needs a location."
        )));
    };
    ctx.region(location).ok_or_else(|| {
        refuse(
            400,
            codes::LOCATION_NOT_AVAILABLE_FOR_RESOURCE_TYPE,
            format!(
                "The provided location '{location}' is not available for {what}s. Available locations: '{}', '{}'.",
                ctx.origin_location, ctx.recovery_location
            ),
        )
    })
}

fn server_region(model: &AzureModel, server: &str) -> Region {
    model.server_region(server).unwrap_or(Region::Recovery)
}

fn asynchronous(group: &ResourceGroupId, region: Region, operation: &'static str) -> Then {
    Then::Async {
        group: group.clone(),
        region,
        operation,
        remember: None,
    }
}

fn dispatch(
    model: &AzureModel,
    ctx: &ServeContext,
    request: &Request,
    route: Route,
) -> Result<Plan, Refusal> {
    use Method::{Delete, Get, Patch, Post, Put};
    let method = request.method;
    let model_plan = |r: ArmRequest, then: Then| Ok(Plan::Model(r, then));
    if method == Get
        && route.action.is_none()
        && let Some(read) = super::reads::read(model, ctx, &route.resource)
    {
        return read.map(Plan::Local);
    }
    match (method, route.resource, route.action) {
        (Put, Resource::ResourceGroup(id), None) => {
            let rg = body(request, "resource group", |b| match b {
                RequestBody::ResourceGroup(x) => Some(&**x),
                _ => None,
            })?;
            if rg.location.is_none() {
                return Err(invalid(
                    "The request content was invalid: the resource group needs a location."
                        .to_owned(),
                ));
            }
            Ok(Plan::Local(Local::ResourceGroup(id, Box::new(rg))))
        }
        (Put, Resource::ServerFarm(id), None) => {
            let farm = body(request, "server farm", |b| match b {
                RequestBody::ServerFarm(x) => Some(&**x),
                _ => None,
            })?;
            if farm.location.is_none() {
                return Err(invalid(
                    "The request content was invalid: the App Service plan needs a location."
                        .to_owned(),
                ));
            }
            Ok(Plan::Local(Local::PutServerFarm(id, Box::new(farm))))
        }
        (Delete, Resource::ServerFarm(id), None) => Ok(Plan::Local(Local::DeleteServerFarm(id))),
        (Put, Resource::Site(id), None) => {
            let site = body(request, "site", |b| match b {
                RequestBody::Site(x) => Some(&**x),
                _ => None,
            })?;
            let region = region_of(ctx, site.location.as_deref(), "site")?;
            model_plan(
                ArmRequest::CreateWebApp {
                    name: Name::from(id.name),
                    region,
                },
                asynchronous(&id.resource_group, region, "CreateWebApp"),
            )
        }
        (Delete, Resource::Site(id), None) => model_plan(
            ArmRequest::DeleteWebApp {
                name: Name::from(id.name),
            },
            asynchronous(&id.resource_group, Region::Recovery, "DeleteWebApp"),
        ),
        (Put, Resource::SqlServer(id), None) => {
            let server = body(request, "server", |b| match b {
                RequestBody::Server(x) => Some(&**x),
                _ => None,
            })?;
            let region = region_of(ctx, server.location.as_deref(), "server")?;
            model_plan(
                ArmRequest::CreateServer {
                    server: Name::from(id.name),
                    region,
                },
                asynchronous(&id.resource_group, region, "CreateLogicalServer"),
            )
        }
        (Delete, Resource::SqlServer(id), None) => {
            let region = server_region(model, &id.name);
            model_plan(
                ArmRequest::DeleteServer {
                    server: Name::from(id.name),
                },
                asynchronous(&id.resource_group, region, "DropLogicalServer"),
            )
        }
        (Put, Resource::ElasticPool(id), None) => {
            let pool: ElasticPool = body(request, "elastic pool", |b| match b {
                RequestBody::ElasticPool(x) => Some(&**x),
                _ => None,
            })?;
            let region = server_region(model, &id.server.name);
            let remember = pool.sku.map(|sku| Remember::PoolSku {
                server: id.server.name.clone(),
                pool: id.name.clone(),
                sku,
            });
            let group = id.server.resource_group;
            model_plan(
                ArmRequest::CreateElasticPool {
                    server: Name::from(id.server.name),
                    pool: Name::from(id.name),
                },
                Then::Async {
                    group,
                    region,
                    operation: "CreateElasticPool",
                    remember,
                },
            )
        }
        (Delete, Resource::ElasticPool(id), None) => {
            let region = server_region(model, &id.server.name);
            let group = id.server.resource_group;
            model_plan(
                ArmRequest::DeleteElasticPool {
                    server: Name::from(id.server.name),
                    pool: Name::from(id.name),
                },
                asynchronous(&group, region, "DropElasticPool"),
            )
        }
        (Get, Resource::RecoverableDatabase(id), None) => {
            Ok(Plan::Local(Local::RecoverableDatabase(id)))
        }
        (Get, Resource::RecoverableDatabases(server), None) => {
            Ok(Plan::Local(Local::RecoverableDatabases(server)))
        }
        (Get, Resource::SqlServer(id), None) => model_plan(
            ArmRequest::GetServer {
                server: Name::from(id.name.clone()),
            },
            Then::Server(id),
        ),
        (Get, Resource::ElasticPool(id), None) => model_plan(
            ArmRequest::ListElasticPools {
                server: Name::from(id.server.name.clone()),
            },
            Then::Pool(id),
        ),
        (Get, Resource::ElasticPools(server), None) => model_plan(
            ArmRequest::ListElasticPools {
                server: Name::from(server.name.clone()),
            },
            Then::Pools(server),
        ),
        (Put, Resource::SqlDatabase(id), None) => {
            let db: Database = body(request, "database", |b| match b {
                RequestBody::Database(x) => Some(&**x),
                _ => None,
            })?;
            put_database(model, id, db)
        }
        (Delete, Resource::SqlDatabase(id), None) => {
            let region = server_region(model, &id.server.name);
            let group = id.server.resource_group;
            model_plan(
                ArmRequest::DeleteDatabase {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                },
                asynchronous(&group, region, "DropLogicalDatabase"),
            )
        }
        (Post, Resource::SqlDatabase(id), Some(Action::Move)) => {
            let target = body(request, "move", |b| match b {
                RequestBody::Move(x) => Some(x),
                _ => None,
            })?;
            let new = match Resource::parse(&target.id) {
                Ok(Resource::SqlDatabase(new)) if new.server.name == id.server.name => new,
                _ => {
                    return Err(invalid(format!(
                        "The request content was invalid: '{}' is not a database id on server '{}'.",
                        target.id, id.server.name
                    )));
                }
            };
            let region = server_region(model, &id.server.name);
            let group = id.server.resource_group;
            model_plan(
                ArmRequest::RenameDatabase {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                    new_name: Name::from(new.name),
                },
                asynchronous(&group, region, "RenameLogicalDatabase"),
            )
        }
        (Get, Resource::SqlDatabase(id), None) => model_plan(
            ArmRequest::GetDatabase {
                server: Name::from(id.server.name.clone()),
                name: Name::from(id.name.clone()),
            },
            Then::Database(id),
        ),
        (Get, Resource::Databases(server), None) => model_plan(
            ArmRequest::ListDatabases {
                server: Name::from(server.name.clone()),
            },
            Then::Databases(server),
        ),
        (Get, Resource::ReplicationLinks(id), None) => model_plan(
            ArmRequest::GetDatabase {
                server: Name::from(id.server.name.clone()),
                name: Name::from(id.name.clone()),
            },
            Then::Links(id),
        ),
        (Post, Resource::ReplicationLink(link), Some(Action::Failover)) => {
            let db = &link.database;
            if let Some(geo) = model.geo_link(&db.server.name, &db.name) {
                let name = render::link_name(
                    (&db.server.name, &db.name),
                    (geo.partner_server, geo.partner_name),
                );
                if !name.eq_ignore_ascii_case(&link.name) {
                    return Err(link_not_found(&link.name, db));
                }
            } else if model.database(&db.server.name, &db.name).is_some() {
                return Err(link_not_found(&link.name, db));
            }
            // A missing database is the model's own 404.
            let region = server_region(model, &db.server.name);
            let group = db.server.resource_group.clone();
            let db = link.database;
            model_plan(
                ArmRequest::Failover {
                    server: Name::from(db.server.name),
                    name: Name::from(db.name),
                },
                asynchronous(&group, region, "FailoverReplicationLink"),
            )
        }
        (Get, Resource::DnsAlias(alias), None) => {
            if model.dns_alias_target(&alias.name) == Some(alias.server.name.as_str()) {
                Ok(Plan::Local(Local::DnsAlias(alias)))
            } else {
                Err(refuse(
                    404,
                    codes::RESOURCE_NOT_FOUND,
                    format!(
                        "The Resource 'Microsoft.Sql/servers/{}/dnsAliases/{}' under resource group '{}' was not found.",
                        alias.server.name, alias.name, alias.server.resource_group.name
                    ),
                ))
            }
        }
        (Put, Resource::DnsAlias(alias), None) => {
            match model.dns_alias_target(&alias.name) {
                Some(server) if server == alias.server.name => {
                    Ok(Plan::Local(Local::DnsAlias(alias)))
                }
                Some(other) => Err(refuse(
                    409,
                    codes::SERVER_DNS_ALIAS_ALREADY_EXISTS,
                    format!(
                        "The DNS alias '{}' already exists on server '{other}'; acquire it to move it.",
                        alias.name
                    ),
                )),
                // New (or not bound yet): binding it to this server is
                // the model's alias operation.
                None => {
                    let region = server_region(model, &alias.server.name);
                    let group = alias.server.resource_group;
                    model_plan(
                        ArmRequest::AcquireDnsAlias {
                            alias: Name::from(alias.name),
                            server: Name::from(alias.server.name),
                        },
                        asynchronous(&group, region, "CreateServerDnsAlias"),
                    )
                }
            }
        }
        (Post, Resource::DnsAlias(alias), Some(Action::Acquire)) => {
            let acquire = body(request, "acquire", |b| match b {
                RequestBody::AcquireDnsAlias(x) => Some(x),
                _ => None,
            })?;
            match Resource::parse(&acquire.old_server_dns_alias_id) {
                Ok(Resource::DnsAlias(old)) if old.name == alias.name => {}
                _ => {
                    return Err(invalid(format!(
                        "The request content was invalid: oldServerDnsAliasId '{}' is not the id of DNS alias '{}' on another server.",
                        acquire.old_server_dns_alias_id, alias.name
                    )));
                }
            }
            let region = server_region(model, &alias.server.name);
            let group = alias.server.resource_group;
            model_plan(
                ArmRequest::AcquireDnsAlias {
                    alias: Name::from(alias.name),
                    server: Name::from(alias.server.name),
                },
                asynchronous(&group, region, "AcquireServerDnsAlias"),
            )
        }
        (Patch, Resource::TrafficManagerEndpoint(id), None) => {
            let patch: Endpoint = body(request, "endpoint", |b| match b {
                RequestBody::Endpoint(x) => Some(&**x),
                _ => None,
            })?;
            patch_endpoint(model, id, patch)
        }
        (Put, Resource::TrafficManagerEndpoint(id), None) => {
            let put: Endpoint = body(request, "endpoint", |b| match b {
                RequestBody::Endpoint(x) => Some(&**x),
                _ => None,
            })?;
            put_endpoint(model, id, put)
        }
        (Put, Resource::TrafficManagerProfile(id), None) => {
            let profile: Profile = body(request, "profile", |b| match b {
                RequestBody::Profile(x) => Some(&**x),
                _ => None,
            })?;
            Ok(Plan::Local(Local::PutProfile(id, Box::new(profile))))
        }
        (Get, Resource::TrafficManagerProfile(id), None) => {
            if model.front.profile(&id).is_none() {
                return Err(refuse(
                    404,
                    codes::RESOURCE_NOT_FOUND,
                    format!(
                        "The Resource 'Microsoft.Network/trafficManagerProfiles/{}' under resource group '{}' was not found.",
                        id.name, id.resource_group.name
                    ),
                ));
            }
            Ok(Plan::Local(Local::Profile(id)))
        }
        (Get, Resource::OperationStatus(id), None) => {
            let Ok(handle) = id.operation_id.parse::<u64>() else {
                return Err(refuse(
                    404,
                    codes::OPERATION_ID_NOT_FOUND,
                    format!("The operation '{}' was not found.", id.operation_id),
                ));
            };
            let monitor = id.kind.is_async_operation();
            model_plan(
                ArmRequest::GetOperation {
                    operation: OpHandle(handle),
                },
                Then::Operation {
                    id,
                    monitor,
                    url: request.path_and_query(),
                },
            )
        }
        (method, resource, action) => Err(not_served(method, &resource, action)),
    }
}

fn link_not_found(link: &str, db: &DatabaseId) -> Refusal {
    refuse(
        404,
        codes::RESOURCE_NOT_FOUND,
        format!(
            "The replication link '{link}' of database '{}' on server '{}' was not found.",
            db.name, db.server.name
        ),
    )
}

/// 405: a method the path does not take, or a call the model does not serve.
fn not_served(method: Method, resource: &Resource, action: Option<Action>) -> Refusal {
    let what = match action {
        Some(a) => format!("{}/{}", resource.path(), a.as_str()),
        None => resource.path(),
    };
    refuse(
        405,
        codes::METHOD_NOT_ALLOWED,
        format!("The model does not serve {} on '{what}'.", method.as_str()),
    )
}

/// The server and name of the resource id in a body, if it is a
/// recoverable database (geo-restore source).
fn recoverable(id: &str) -> Option<DbRef> {
    match Resource::parse(id).ok()? {
        Resource::RecoverableDatabase(r) => Some(DbRef {
            server: Name::from(r.server.name),
            name: Name::from(r.name),
        }),
        _ => None,
    }
}

/// `restorePointInTime` in model ms, if given; 400 if it is not an ISO
/// 8601 time.
fn restore_point(text: Option<&str>) -> Result<Option<i64>, Refusal> {
    text.map(|t| {
        super::time::parse_iso_time(t).ok_or_else(|| {
            invalid(format!(
                "The request content was invalid: restorePointInTime '{t}' is not an ISO 8601 time."
            ))
        })
    })
    .transpose()
}

/// The server, name and deletion time (model ms) of a restorable dropped
/// database id: `.../servers/{s}/restorableDroppedDatabases/{name},{ticks}`
/// (the subscription and group are not checked: server names are global).
fn dropped(id: &str) -> Option<(DbRef, u64)> {
    const SEGMENT: &str = "/restorableDroppedDatabases/";
    let at = id
        .to_ascii_lowercase()
        .find(&SEGMENT.to_ascii_lowercase())?;
    let server = match Resource::parse(&id[..at]).ok()? {
        Resource::SqlServer(s) => s,
        _ => return None,
    };
    let (name, ticks) = id[at + SEGMENT.len()..]
        .trim_end_matches('/')
        .rsplit_once(',')?;
    if name.is_empty() || name.contains('/') {
        return None;
    }
    let deleted_ms = super::time::ms_of_ticks(ticks)?;
    Some((
        DbRef {
            server: Name::from(server.name),
            name: Name::from(name),
        },
        deleted_ms,
    ))
}

/// PUT database: geo-restore (`Recovery`), point-in-time restore
/// (`PointInTimeRestore`), restore of a dropped database (`Restore`),
/// geo-secondary (`Secondary`), or move of an existing database into a
/// pool (no create mode).
fn put_database(model: &AzureModel, id: DatabaseId, db: Database) -> Result<Plan, Refusal> {
    let props = db.properties.unwrap_or_default();
    let pool = match (&props.elastic_pool_id, &props.elastic_pool_name) {
        (Some(pool_id), _) => match Resource::parse(pool_id) {
            Ok(Resource::ElasticPool(p)) if p.server.name == id.server.name => Some(p.name),
            _ => {
                return Err(invalid(format!(
                    "The request content was invalid: elasticPoolId '{pool_id}' is not an elastic pool of server '{}'.",
                    id.server.name
                )));
            }
        },
        (None, Some(name)) => Some(name.clone()),
        (None, None) => None,
    };
    let region = server_region(model, &id.server.name);
    let group = id.server.resource_group.clone();
    match props.create_mode {
        Some(CreateMode::Recovery) => {
            let source = [
                &props.source_database_id,
                &props.recoverable_database_id,
                &props.source_resource_id,
            ]
            .into_iter()
            .flatten()
            .next()
            .ok_or_else(|| {
                invalid(
                    "The request content was invalid: createMode Recovery needs sourceDatabaseId (or recoverableDatabaseId / sourceResourceId) naming a recoverable database."
                        .to_owned(),
                )
            })?;
            let source = recoverable(source).ok_or_else(|| {
                invalid(format!(
                    "The request content was invalid: '{source}' is not a recoverable database id (.../servers/{{server}}/recoverableDatabases/{{database}})."
                ))
            })?;
            Ok(Plan::Model(
                ArmRequest::RestoreDatabase {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                    pool: pool.map(Name::from),
                    source,
                },
                asynchronous(&group, region, "CreateLogicalDatabase"),
            ))
        }
        Some(CreateMode::PointInTimeRestore) => {
            let source = props
                .source_database_id
                .as_deref()
                .or(props.source_resource_id.as_deref())
                .ok_or_else(|| {
                    invalid(
                        "The request content was invalid: createMode PointInTimeRestore needs sourceDatabaseId naming the database to restore."
                            .to_owned(),
                    )
                })?;
            let source = match Resource::parse(source) {
                Ok(Resource::SqlDatabase(d)) => DbRef {
                    server: Name::from(d.server.name),
                    name: Name::from(d.name),
                },
                _ => {
                    return Err(invalid(format!(
                        "The request content was invalid: sourceDatabaseId '{source}' is not a database id (.../servers/{{server}}/databases/{{database}})."
                    )));
                }
            };
            let point_ms = restore_point(props.restore_point_in_time.as_deref())?.ok_or_else(|| {
                invalid(
                    "The request content was invalid: createMode PointInTimeRestore needs restorePointInTime (ISO 8601)."
                        .to_owned(),
                )
            })?;
            Ok(Plan::Model(
                ArmRequest::RestorePointInTime {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                    pool: pool.map(Name::from),
                    source,
                    point_ms,
                },
                asynchronous(&group, region, "CreateLogicalDatabase"),
            ))
        }
        Some(CreateMode::Restore) => {
            let source = [
                &props.restorable_dropped_database_id,
                &props.source_resource_id,
                &props.source_database_id,
            ]
            .into_iter()
            .flatten()
            .next()
            .ok_or_else(|| {
                invalid(
                    "The request content was invalid: createMode Restore needs sourceResourceId (or restorableDroppedDatabaseId / sourceDatabaseId) naming a restorable dropped database."
                        .to_owned(),
                )
            })?;
            let (source, deleted_ms) = dropped(source).ok_or_else(|| {
                invalid(format!(
                    "The request content was invalid: '{source}' is not a restorable dropped database id (.../servers/{{server}}/restorableDroppedDatabases/{{database}},{{deletion time in file time ticks}})."
                ))
            })?;
            let point_ms = restore_point(props.restore_point_in_time.as_deref())?;
            Ok(Plan::Model(
                ArmRequest::RestoreDropped {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                    pool: pool.map(Name::from),
                    source,
                    deleted_ms,
                    point_ms,
                },
                asynchronous(&group, region, "CreateLogicalDatabase"),
            ))
        }
        Some(CreateMode::Secondary) => {
            if props
                .secondary_type
                .as_ref()
                .is_some_and(|t| *t != SecondaryType::Geo)
            {
                return Err(invalid(
                    "The request content was invalid: the model serves geo-secondaries only (secondaryType Geo)."
                        .to_owned(),
                ));
            }
            let primary = props
                .source_database_id
                .as_deref()
                .and_then(|s| match Resource::parse(s) {
                    Ok(Resource::SqlDatabase(p)) => Some(DbRef {
                        server: Name::from(p.server.name),
                        name: Name::from(p.name),
                    }),
                    _ => None,
                })
                .ok_or_else(|| {
                    invalid(
                        "The request content was invalid: createMode Secondary needs sourceDatabaseId naming the primary database."
                            .to_owned(),
                    )
                })?;
            Ok(Plan::Model(
                ArmRequest::CreateSecondary {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                    pool: pool.map(Name::from),
                    primary,
                },
                asynchronous(&group, region, "CreateLogicalDatabase"),
            ))
        }
        None | Some(CreateMode::Default) => match pool {
            Some(pool) if model.database(&id.server.name, &id.name).is_some() => Ok(Plan::Model(
                ArmRequest::MoveDatabaseToPool {
                    server: Name::from(id.server.name),
                    name: Name::from(id.name),
                    pool: Name::from(pool),
                },
                asynchronous(&group, region, "UpdateLogicalDatabase"),
            )),
            Some(_) => Err(invalid(format!(
                "The request content was invalid: database '{}' does not exist on server '{}'; the model creates databases only by geo-restore (createMode Recovery) or as geo-secondaries (createMode Secondary).",
                id.name, id.server.name
            ))),
            None => Err(invalid(
                "The request content was invalid: the model updates an existing database only to move it into an elastic pool (properties.elasticPoolId)."
                    .to_owned(),
            )),
        },
        Some(other) => Err(invalid(format!(
            "The request content was invalid: createMode '{other}' is not served by the model; it serves Recovery (geo-restore), PointInTimeRestore, Restore (dropped database), Secondary (geo-replica) and moves of an existing database into an elastic pool."
        ))),
    }
}

/// PATCH endpoint: `endpointStatus` changes go to the model; any other
/// change is accepted and not modelled.
/// The `endpointStatus` a body asks for: `Some(true)` Enabled,
/// `Some(false)` Disabled, `None` absent; another value is refused.
fn requested_status(props: Option<&EndpointProperties>) -> Result<Option<bool>, Refusal> {
    props
        .and_then(|p| p.endpoint_status.as_ref())
        .map(|s| match s {
            ::arm::body::EndpointStatus::Enabled => Ok(true),
            ::arm::body::EndpointStatus::Disabled => Ok(false),
            ::arm::body::EndpointStatus::Other(v) => Err(invalid(format!(
                "The request content was invalid: endpointStatus '{v}' is neither Enabled nor Disabled."
            ))),
        })
        .transpose()
}

/// PATCH: the endpoint as the front end keeps it (if it was PUT) with the
/// patch's properties over it; a status change is the model's.
fn patch_endpoint(model: &AzureModel, id: EndpointId, patch: Endpoint) -> Result<Plan, Refusal> {
    let requested = requested_status(patch.properties.as_ref())?;
    let props = render::overlay_endpoint(
        model.front.endpoint(&id).cloned(),
        patch.properties.unwrap_or_default(),
    );
    match requested {
        Some(enabled) => {
            let body = render::endpoint(&id, Some(props), enabled);
            Ok(Plan::Model(
                ArmRequest::SetEndpointStatus {
                    endpoint: Name::from(id.name.clone()),
                    enabled,
                },
                Then::Endpoint {
                    id,
                    body: Box::new(body),
                    created: false,
                },
            ))
        }
        None => {
            let enabled = model.endpoint_enabled(&id.name).unwrap_or(true);
            let body = render::endpoint(&id, Some(props), enabled);
            Ok(Plan::Local(Local::Endpoint(id, Box::new(body))))
        }
    }
}

/// PUT: the endpoint as given (status Enabled unless it says Disabled),
/// its status set through the model; 201 when new.
fn put_endpoint(model: &AzureModel, id: EndpointId, put: Endpoint) -> Result<Plan, Refusal> {
    let enabled = requested_status(put.properties.as_ref())?.unwrap_or(true);
    let created = model.front.endpoint(&id).is_none();
    let body = render::endpoint(&id, put.properties, enabled);
    Ok(Plan::Model(
        ArmRequest::SetEndpointStatus {
            endpoint: Name::from(id.name.clone()),
            enabled,
        },
        Then::Endpoint {
            id,
            body: Box::new(body),
            created,
        },
    ))
}
