//! The model answering **real ARM requests in ARM's shapes**:
//! [`AzureModel::serve`] takes an [`::arm::Request`] (method, wire path,
//! query, typed body) and returns the [`::arm::Response`] ARM would
//! (status, protocol headers, typed body), so the simulator's runner and an
//! HTTPS emulator speak the very same protocol as a driver talking to
//! Azure. Depends only on the model, `arm` and serde.
//!
//! # Mapping
//!
//! | request | model | answer |
//! |---|---|---|
//! | `PUT …/resourceGroups/{rg}` | (token only) | 201, then 200, `ResourceGroup` |
//! | `PUT …/Microsoft.Web/serverfarms/{f}` | (token only) | 201, then 200, `ServerFarm` |
//! | `DELETE …/serverfarms/{f}` | (token only) | 200 if it was created, else 204 |
//! | `PUT …/Microsoft.Web/sites/{s}` | `CreateWebApp` (region of `location`) | 202 |
//! | `DELETE …/sites/{s}` | `DeleteWebApp` | 202 / 204 |
//! | `PUT servers/{s}` | `CreateServer` (region of `location`) | 202 |
//! | `DELETE servers/{s}` | `DeleteServer` | 202 / 204 |
//! | `PUT elasticPools/{p}` | `CreateElasticPool` | 202 |
//! | `DELETE elasticPools/{p}` | `DeleteElasticPool` | 202 / 204 |
//! | `GET servers/{s}/recoverableDatabases/{d}` | (free query: the geo-backup, readable while the origin is down) | 200 `RecoverableDatabase` |
//! | `GET servers/{s}/recoverableDatabases` | (same) | 200 `List<RecoverableDatabase>` |
//! | `GET servers/{s}` | `GetServer` | 200 `Server` (404 while it is being created) |
//! | `GET servers/{s}/elasticPools` | `ListElasticPools` | 200 `List<ElasticPool>` |
//! | `GET elasticPools/{p}` | `ListElasticPools` | 200 `ElasticPool` (404 if not among them) |
//! | `PUT databases/{d}`, createMode `Recovery` | `RestoreDatabase` | 202 |
//! | `PUT databases/{d}`, createMode `PointInTimeRestore` (`sourceDatabaseId` a live database, `restorePointInTime` ISO 8601) | `RestorePointInTime` | 202 |
//! | `PUT databases/{d}`, createMode `Restore` (`sourceResourceId` / `restorableDroppedDatabaseId` = `…/restorableDroppedDatabases/{name},{deletion file time}`) | `RestoreDropped` | 202 |
//! | `PUT databases/{d}`, createMode `Secondary` | `CreateSecondary` | 202 |
//! | `PUT databases/{d}`, no createMode / `Default`, `elasticPoolId`, existing database | `MoveDatabaseToPool` | 202 |
//! | `DELETE databases/{d}` | `DeleteDatabase` | 202 / 204 |
//! | `POST databases/{d}/move` `{"id"}` | `RenameDatabase` | 202 |
//! | `GET databases/{d}` | `GetDatabase` | 200 `Database` |
//! | `GET servers/{s}/databases` | `ListDatabases` | 200 `List<Database>` |
//! | `GET databases/{d}/operations` | (free query: every operation accepted on it, [`operations`]) | 200 `List<DatabaseOperation>` |
//! | `GET elasticPools/{p}/operations` | (same, for the pool) | 200 `List<ElasticPoolOperation>` |
//! | `GET databases/{d}/replicationLinks` | `GetDatabase` | 200 `List<ReplicationLink>` (0 or 1) |
//! | `POST …/replicationLinks/{l}/failover` | `Failover` | 202 (404 for another link name) |
//! | `PUT dnsAliases/{a}` | `AcquireDnsAlias` if the alias is new; 200 if it already points at this server; 409 `ServerDnsAliasAlreadyExists` if at another | 202 / 200 / 409 |
//! | `GET dnsAliases/{a}` | (free query) | 200 `ServerDnsAlias` once it points at this server, else 404 |
//! | `POST dnsAliases/{a}/acquire` | `AcquireDnsAlias` (to the path's server) | 202 |
//! | `PATCH trafficmanagerprofiles/{p}/{type}/{e}` | `SetEndpointStatus` | 200 `Endpoint` (the endpoint as last written, patched) |
//! | `PUT trafficmanagerprofiles/{p}/{type}/{e}` | `SetEndpointStatus` (Enabled unless the body says Disabled) | 201 new / 200 `Endpoint` |
//! | `PUT trafficmanagerprofiles/{p}` | (kept by the front end) | 201 new / 200 `Profile` |
//! | `GET trafficmanagerprofiles/{p}` | (same) | 200 `Profile` with its endpoints, 404 if never PUT |
//! | `GET …/locations/{loc}/databaseAzureAsyncOperation/{id}` | `GetOperation` | 200 `OperationStatus` |
//! | `GET …/locations/{loc}/databaseOperationResults/{id}` | `GetOperation` | 202 running, 200 done, error status failed |
//!
//! Any other monitor kind (`…AzureAsyncOperation` / `…OperationResults`)
//! is answered the same way; the location segment of a monitor is not
//! checked (operation ids are the model's, unique across regions).
//!
//! # Answers
//!
//! - `Accepted` → **202** with `Azure-AsyncOperation` (the
//!   `databaseAzureAsyncOperation/{op}?api-version=2023-08-01` monitor
//!   under the request's subscription and resource group, in the location
//!   of the resource's region), `Location` (the `databaseOperationResults`
//!   twin), `x-ms-request-id` = the operation number, and a body
//!   `{"operation": …, "startTime": …}` as Azure sends. URLs are paths; a
//!   transport prefixes its own scheme and host. Exception: an endpoint
//!   PATCH answers 200 with the endpoint at once (Azure's Traffic Manager
//!   is synchronous; the change reaches DNS later, which the model's
//!   operation times).
//! - `Completed` → 204 for a DELETE (nothing to delete), 200 otherwise.
//! - `Throttled` → **429** with `Retry-After` and
//!   `SubscriptionTooManyCreateUpdateRequests` (writes) or
//!   `SubscriptionTooManyRequests` (reads, deletes).
//! - `Rejected` → its status with `{"error": {"code", "message"}}`.
//! - Every answer but a 429 carries
//!   `x-ms-ratelimit-remaining-subscription-{reads|writes|deletes}` for the
//!   request's class (GET, PUT/PATCH/POST, DELETE).
//!
//! Bodies name resources with the request's subscription and resource
//! group, and `location` is the normalized location name (`japaneast`) of
//! the resource's region. Database `properties.status`: RestoreQueued →
//! `Creating`, Restoring → `Restoring`, Seeding → `Copying` (+
//! `secondaryType: Geo`), Online → `Online`, Secondary → `Online` (+
//! `secondaryType: Geo`), FailingOver → `Online`, Moving → `Scaling`;
//! `elasticPoolId` when in a pool. **Lists are one page in name order**
//! (byte order of the names; no `nextLink`, no `master` database).
//! Pools show `properties.state` Creating / Ready / Disabled (a failed
//! creation), `creationDate`, the SKU of their PUT (ARM's default
//! `StandardPool`/100 when it had none) and `perDatabaseSettings` (0 to
//! the SKU's capacity). Databases also show `databaseId` (a GUID fixed by
//! server and model id), `creationDate` (model time of their creation)
//! and the default `collation` / `catalogCollation`; replication links
//! their `startTime` (the secondary's creation).
//!
//! # Errors
//!
//! Checked in this order, each in ARM's error shape (never a panic):
//! a path that is not under `/subscriptions/{id}` → 404 `NotFound`; an
//! unknown resource type under a subscription → 400
//! `InvalidResourceType`; another subscription than the model's → 404
//! `SubscriptionNotFound`; no `api-version` → 400
//! `MissingApiVersionParameter`; another api-version than
//! [`::arm::api_version::for_resource`] → 400
//! `InvalidApiVersionParameter`; a method the path does not take, or a
//! call the model does not serve (list of DNS aliases, forced
//! failover…) → 405
//! `MethodNotAllowed`; a body that does not fit → 400
//! `InvalidRequestContent`; a `location` that is neither region → 400
//! `LocationNotAvailableForResourceType`. These requests still take a
//! token of their method's class (ARM counts requests before routing
//! them), so they too can answer 429.
//!
//! Not modelled: resource groups are not required to exist for the
//! resources in them (only `PUT resourceGroups` itself is tracked, for
//! 201/200); a database PUT's `location` is not checked against its
//! server's; Traffic Manager endpoints are keyed by endpoint name alone;
//! `POST …/operations/{id}/cancel` is not routed (no example shows it;
//! it answers 400 `InvalidResourceType`); `restorableDroppedDatabases`
//! cannot be listed (a client builds the id from the DELETE's
//! `startTime`); a point-in-time restore may target another server.

mod lists;
mod operations;
mod plan;
mod reads;
mod render;
mod time;

use std::collections::{BTreeMap, BTreeSet};

use ::arm::body::{
    ElasticPool, Endpoint, EndpointProperties, List, Profile, ResourceGroup,
    ResourceGroupProperties, ServerFarm, ServerFarmProperties, Sku,
};
use ::arm::id::{EndpointId, ProfileId};
use ::arm::{Headers, Method, Payload, Request, Response};

use crate::arm::OpClass;
use crate::model::AzureModel;
use crate::request::{ArmRequest, ArmResponse, OpStatus, PoolId, Region};

use plan::{Local, Plan, Refusal, Remember, Then};

/// How the model's world is named in ARM: the subscription, and the
/// location names of the two regions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServeContext {
    /// The one subscription the model serves.
    pub subscription: String,
    /// Location name of [`Region::Origin`] (e.g. `"West Europe"`).
    pub origin_location: String,
    /// Location name of [`Region::Recovery`] (e.g. `"North Europe"`).
    pub recovery_location: String,
}

impl ServeContext {
    /// The region a location name denotes: compared with the two
    /// locations case-insensitively, spaces ignored; `None` for any other.
    pub fn region(&self, location: &str) -> Option<Region> {
        if render::same_location(location, &self.recovery_location) {
            Some(Region::Recovery)
        } else if render::same_location(location, &self.origin_location) {
            Some(Region::Origin)
        } else {
            None
        }
    }

    /// The location of a region as ARM writes it in bodies and URLs:
    /// lower case, no spaces (`"North Europe"` → `"northeurope"`).
    pub fn location(&self, region: Region) -> String {
        render::normalize_location(match region {
            Region::Origin => &self.origin_location,
            Region::Recovery => &self.recovery_location,
        })
    }
}

/// The front end's own state, kept inside the model: what the model has
/// no resource for, and the rendered database pages.
#[derive(Default)]
pub(crate) struct ServeState {
    /// `(subscription, group)`, lower case, of resource groups PUT so far.
    resource_groups: BTreeSet<(String, String)>,
    /// `(subscription, group, plan)`, lower case, of App Service plans.
    server_farms: BTreeSet<(String, String, String)>,
    /// SKU of each pool's last PUT that had one.
    pool_skus: BTreeMap<PoolId, Sku>,
    /// Traffic Manager profiles PUT so far, by lower-case id.
    profiles: BTreeMap<String, (ProfileId, Profile)>,
    /// Traffic Manager endpoints PUT or PATCHed so far, by lower-case id:
    /// their properties as last written (the status is the model's).
    endpoints: BTreeMap<String, (EndpointId, EndpointProperties)>,
    pages: lists::DatabasePages,
    /// List pages hold lean database entries ([`AzureModel::set_lean_lists`]).
    pub(crate) lean_lists: bool,
}

impl ServeState {
    /// The SKU tier of a pool's PUT, if it named one.
    pub(crate) fn pool_tier(&self, pool: PoolId) -> Option<String> {
        self.pool_skus.get(&pool).and_then(|s| s.tier.clone())
    }

    /// A profile PUT so far.
    pub(crate) fn profile(&self, id: &ProfileId) -> Option<&Profile> {
        self.profiles.get(&lower(&id.id())).map(|(_, p)| p)
    }

    /// An endpoint's properties as last written.
    pub(crate) fn endpoint(&self, id: &EndpointId) -> Option<&EndpointProperties> {
        self.endpoints.get(&lower(&id.id())).map(|(_, p)| p)
    }

    fn keep_endpoint(&mut self, id: &EndpointId, body: &Endpoint) {
        let props = body.properties.clone().unwrap_or_default();
        self.endpoints.insert(lower(&id.id()), (id.clone(), props));
    }
}

/// The throttling class of a method.
fn class_of(method: Method) -> OpClass {
    match method {
        Method::Get => OpClass::Reads,
        Method::Delete => OpClass::Deletes,
        Method::Put | Method::Patch | Method::Post => OpClass::Writes,
    }
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

impl AzureModel {
    /// Whether database list pages (`GET {server}/databases`) render lean
    /// entries: only what a recovery reads (id, name, type, location,
    /// kind, status, `elasticPoolId`), without `databaseId`,
    /// `creationDate`, collations and the pooled SKU. Off by default (the
    /// emulator's answers have ARM's keys); the simulator, which never
    /// reads those keys and renders hundreds of thousands of entries,
    /// turns it on. Set it before the first list.
    pub fn set_lean_lists(&mut self, lean: bool) {
        self.front.lean_lists = lean;
    }

    /// Answers one ARM request arriving at `now_ms`, as ARM would: status,
    /// headers, typed body. See the [module docs](crate::serve) for the
    /// mapping. Never panics; anything it does not understand is answered
    /// with an ARM error.
    pub fn serve(&mut self, ctx: &ServeContext, now_ms: u64, request: &Request) -> Response {
        let class = class_of(request.method);
        match plan::plan(self, ctx, request) {
            Plan::Refuse(refusal) => match self.charge(class, now_ms) {
                Err(t) => render::throttled(class, &ctx.subscription, t.retry_after_s()),
                Ok(left) => render::with_remaining(error(refusal), class, left),
            },
            Plan::Local(local) => match self.charge(class, now_ms) {
                Err(t) => render::throttled(class, &ctx.subscription, t.retry_after_s()),
                Ok(left) => render::with_remaining(self.local(local), class, left),
            },
            Plan::Model(arm_request, then) => {
                let answer = if matches!(arm_request, ArmRequest::ListDatabases { .. }) {
                    // The page is the front end's own (see `lists`).
                    self.submit_without_list_body(now_ms, arm_request)
                } else {
                    self.submit(now_ms, arm_request)
                };
                if let ArmResponse::Throttled { retry_after_s, .. } = answer {
                    return render::throttled(class, &ctx.subscription, retry_after_s);
                }
                let response = self.answer(ctx, request.method, answer, then);
                let left = self.ratelimit_remaining(class, now_ms);
                render::with_remaining(response, class, left)
            }
        }
    }

    /// Requests the model keeps no resource for.
    fn local(&mut self, local: Local) -> Response {
        match local {
            Local::ResourceGroup(id, body) => {
                let key = (lower(&id.subscription), lower(&id.name));
                let created = self.front.resource_groups.insert(key);
                let body = ResourceGroup {
                    id: Some(id.id()),
                    name: Some(id.name.clone()),
                    resource_type: Some("Microsoft.Resources/resourceGroups".to_owned()),
                    location: body.location.as_deref().map(render::normalize_location),
                    tags: body.tags,
                    managed_by: body.managed_by,
                    properties: Some(ResourceGroupProperties {
                        provisioning_state: Some("Succeeded".to_owned()),
                        ..ResourceGroupProperties::default()
                    }),
                    ..ResourceGroup::default()
                };
                Response::new(if created { 201 } else { 200 }).with_payload(body)
            }
            Local::PutServerFarm(id, body) => {
                let group = &id.resource_group;
                let key = (
                    lower(&group.subscription),
                    lower(&group.name),
                    lower(&id.name),
                );
                let created = self.front.server_farms.insert(key);
                let body = ServerFarm {
                    id: Some(id.id()),
                    name: Some(id.name.clone()),
                    resource_type: Some("Microsoft.Web/serverfarms".to_owned()),
                    location: body.location.as_deref().map(render::normalize_location),
                    tags: body.tags,
                    kind: body.kind,
                    sku: body.sku,
                    properties: Some(ServerFarmProperties {
                        status: Some("Ready".to_owned()),
                        ..ServerFarmProperties::default()
                    }),
                    ..ServerFarm::default()
                };
                Response::new(if created { 201 } else { 200 }).with_payload(body)
            }
            Local::DeleteServerFarm(id) => {
                let group = &id.resource_group;
                let key = (
                    lower(&group.subscription),
                    lower(&group.name),
                    lower(&id.name),
                );
                let existed = self.front.server_farms.remove(&key);
                Response::new(if existed { 200 } else { 204 })
            }
            Local::Endpoint(id, body) => {
                self.front.keep_endpoint(&id, &body);
                Response::new(200).with_payload(*body)
            }
            Local::PutProfile(id, body) => {
                let created = self.front.profile(&id).is_none();
                self.front
                    .profiles
                    .insert(lower(&id.id()), (id.clone(), *body));
                Response::new(if created { 201 } else { 200 })
                    .with_payload(self.render_profile(&id))
            }
            Local::Profile(id) => Response::new(200).with_payload(self.render_profile(&id)),
            Local::DnsAlias(id) => Response::new(200).with_payload(render::dns_alias(&id)),
            Local::RecoverableDatabase(id) => {
                match self.source_backup_age_ms(&id.server.name, &id.name) {
                    Some(age) => Response::new(200).with_payload(render::recoverable_database(
                        &id.server.id(),
                        &id.name,
                        age,
                    )),
                    None => {
                        let kind = format!("servers/{}/recoverableDatabases", id.server.name);
                        error(not_found(&id.server.resource_group.name, &kind, &id.name))
                    }
                }
            }
            Local::RecoverableDatabases(server) => {
                let Some(databases) = self.databases_of(&server.name) else {
                    return error(not_found(
                        &server.resource_group.name,
                        "servers",
                        &server.name,
                    ));
                };
                let names: Vec<String> = databases.map(|(name, _)| name.to_owned()).collect();
                let server_id = server.id();
                let value = names
                    .iter()
                    .filter_map(|name| {
                        let age = self.source_backup_age_ms(&server.name, name)?;
                        Some(render::recoverable_database(&server_id, name, age))
                    })
                    .collect();
                Response::new(200).with_payload(List::new(value))
            }
            Local::Read(response) => *response,
        }
    }

    /// Renders the model's answer (never `Throttled`: handled by `serve`).
    fn answer(
        &mut self,
        ctx: &ServeContext,
        method: Method,
        answer: ArmResponse,
        then: Then,
    ) -> Response {
        match (answer, then) {
            (
                ArmResponse::Rejected {
                    status,
                    code,
                    message,
                },
                _,
            ) => error(Refusal {
                status,
                code,
                message,
            }),
            (ArmResponse::Throttled { retry_after_s, .. }, _) => {
                render::throttled(class_of(method), &ctx.subscription, retry_after_s)
            }
            (
                ArmResponse::Accepted { operation },
                Then::Async {
                    group,
                    region,
                    operation: name,
                    remember,
                },
            ) => {
                self.remember(remember);
                let (monitor, result) =
                    render::status_urls(&group, &ctx.location(region), operation);
                let started = render::iso_time(self.now_ms());
                Response::new(202)
                    .with_headers(Headers {
                        azure_async_operation: Some(monitor),
                        location: Some(result),
                        request_id: Some(operation.0.to_string()),
                        ..Headers::default()
                    })
                    .with_payload(Payload::Json(serde_json::json!({
                        "operation": name,
                        "startTime": started,
                    })))
            }
            (ArmResponse::Accepted { operation }, Then::Endpoint { id, body, created }) => {
                self.front.keep_endpoint(&id, &body);
                Response::new(if created { 201 } else { 200 })
                    .with_headers(Headers {
                        request_id: Some(operation.0.to_string()),
                        ..Headers::default()
                    })
                    .with_payload(*body)
            }
            (ArmResponse::Completed, then) => {
                if let Then::Async { remember, .. } = then {
                    self.remember(remember);
                }
                Response::new(if method == Method::Delete { 204 } else { 200 })
            }
            (ArmResponse::Operation { status }, Then::Operation { id, monitor, url }) => {
                if monitor {
                    let body = render::operation_status(id.path(), &id.operation_id, status);
                    return Response::new(200).with_payload(body);
                }
                match status {
                    OpStatus::InProgress => Response::new(202).with_headers(Headers {
                        location: Some(url),
                        ..Headers::default()
                    }),
                    OpStatus::Succeeded => Response::new(200),
                    ended => {
                        let e = render::operation_error(ended).unwrap_or_default();
                        Response::new(render::failed_poll_status(ended))
                            .with_error(e.code, e.message)
                    }
                }
            }
            (ArmResponse::Database { info }, Then::Database(id)) => {
                let region = self
                    .server_region(&id.server.name)
                    .unwrap_or(Region::Recovery);
                let server_id = id.server.id();
                let pool = info.pool.and_then(|p| {
                    let (_, name) = self.pool_name(p)?;
                    Some(render::Pooled {
                        id: format!("{server_id}/elasticPools/{name}"),
                        tier: self.front.pool_tier(p),
                    })
                });
                let body = render::database(
                    &server_id,
                    &id.name,
                    &ctx.location(region),
                    &info,
                    pool,
                    true,
                );
                Response::new(200).with_payload(body)
            }
            (ArmResponse::Database { .. }, Then::Links(id)) => {
                let links = match self.geo_link(&id.server.name, &id.name) {
                    None => Vec::new(),
                    Some(geo) => {
                        let name = render::link_name(
                            (&id.server.name, &id.name),
                            (geo.partner_server, geo.partner_name),
                        );
                        vec![render::replication_link(render::LinkView {
                            id: id.replication_link(name.clone()).id(),
                            name,
                            partner_server: geo.partner_server,
                            partner_database: geo.partner_name,
                            partner_location: ctx.location(geo.partner_region),
                            is_secondary: geo.is_secondary,
                            seeding: geo.seeding,
                            started_ms: geo.started_ms,
                        })]
                    }
                };
                Response::new(200).with_payload(List::new(links))
            }
            (ArmResponse::Databases { .. }, Then::Databases(server)) => {
                let region = self.server_region(&server.name).unwrap_or(Region::Recovery);
                let location = ctx.location(region);
                // The pages live in the model; take them out to read the
                // model while updating them.
                let mut pages = std::mem::take(&mut self.front.pages);
                let page = pages.page(self, &server, &location);
                self.front.pages = pages;
                Response::new(200).with_payload(page)
            }
            (ArmResponse::ElasticPools { pools }, Then::Pools(server)) => {
                let region = self.server_region(&server.name).unwrap_or(Region::Recovery);
                let location = ctx.location(region);
                let server_id = server.id();
                let value: Vec<ElasticPool> = pools
                    .iter()
                    .filter_map(|p| {
                        let (_, name) = self.pool_name(p.id)?;
                        let sku = self.front.pool_skus.get(&p.id).cloned();
                        let created = self.pool_created_ms(p.id).unwrap_or_default();
                        Some(render::elastic_pool(
                            &server_id, name, &location, p.state, sku, created,
                        ))
                    })
                    .collect();
                Response::new(200).with_payload(List::new(value))
            }
            (ArmResponse::Server { region, ready }, Then::Server(id)) => {
                if !ready {
                    return error(not_found(&id.resource_group.name, "servers", &id.name));
                }
                Response::new(200).with_payload(render::server(&id, &ctx.location(region)))
            }
            (ArmResponse::ElasticPools { pools }, Then::Pool(id)) => {
                let found = pools.iter().find_map(|p| {
                    let (_, name) = self.pool_name(p.id)?;
                    (name == id.name).then_some((p.id, p.state))
                });
                let Some((pool, state)) = found else {
                    let what = format!("servers/{}/elasticPools", id.server.name);
                    return error(not_found(&id.server.resource_group.name, &what, &id.name));
                };
                let region = self
                    .server_region(&id.server.name)
                    .unwrap_or(Region::Recovery);
                let sku = self.front.pool_skus.get(&pool).cloned();
                let body = render::elastic_pool(
                    &id.server.id(),
                    &id.name,
                    &ctx.location(region),
                    state,
                    sku,
                    self.pool_created_ms(pool).unwrap_or_default(),
                );
                Response::new(200).with_payload(body)
            }
            // Cannot happen (each plan expects its answer); stay an answer.
            (other, _) => error(Refusal {
                status: 500,
                code: ::arm::codes::INTERNAL_SERVER_ERROR,
                message: format!("The model gave an unexpected answer: {other:?}."),
            }),
        }
    }

    /// A profile as GET shows it: as PUT, with Azure's read-only fields
    /// and every endpoint kept under it (status as the model has it).
    fn render_profile(&self, id: &ProfileId) -> Profile {
        let stored = self.front.profile(id).cloned().unwrap_or_default();
        let prefix = lower(&format!("{}/", id.id()));
        let endpoints: Vec<Endpoint> = self
            .front
            .endpoints
            .range(prefix.clone()..)
            .take_while(|(k, _)| k.starts_with(&prefix))
            .map(|(_, (eid, props))| {
                let enabled = self.endpoint_enabled(&eid.name).unwrap_or(
                    props.endpoint_status != Some(::arm::body::EndpointStatus::Disabled),
                );
                render::endpoint(eid, Some(props.clone()), enabled)
            })
            .collect();
        render::profile(id, stored, endpoints)
    }

    fn remember(&mut self, remember: Option<Remember>) {
        match remember {
            Some(Remember::PoolSku { server, pool, sku }) => {
                if let Some(id) = self.pool_id(&server, &pool) {
                    self.front.pool_skus.insert(id, sku);
                }
            }
            None => {}
        }
    }
}

/// ARM's 404 for a resource of `kind` (`servers`, `servers/{s}/elasticPools`)
/// that does not exist (or, for a server, is not provisioned yet).
fn not_found(group: &str, kind: &str, name: &str) -> Refusal {
    Refusal {
        status: 404,
        code: ::arm::codes::RESOURCE_NOT_FOUND,
        message: format!(
            "The Resource 'Microsoft.Sql/{kind}/{name}' under resource group '{group}' was not found."
        ),
    }
}

/// An ARM error answer.
fn error(refusal: Refusal) -> Response {
    Response::new(refusal.status).with_error(refusal.code, refusal.message)
}
