//! Requests: which HTTP call each recovery step becomes.
//!
//! A [`Request`] is complete data (method, wire-form path, query, typed
//! body): the transport adds only the host and the credentials. Every
//! constructor for an ARM resource adds exactly one `api-version`
//! ([`crate::api_version::for_resource`]); [`Request::get_url`] (status
//! monitors, `nextLink`) keeps the path and query ARM handed out, as given.

use serde::{Deserialize, Deserializer, Serialize};

use crate::api_version;
use crate::body::{
    AcquireDnsAlias, Database, ElasticPool, Endpoint, Profile, ResourceGroup, ResourceMove, Server,
    ServerDnsAlias, ServerFarm, Site,
};
use crate::id::{
    Action, DatabaseId, DnsAliasId, ElasticPoolId, EndpointId, IdError, ProfileId,
    ReplicationLinkId, Resource, ResourceGroupId, Route, ServerFarmId, ServerId, SiteId,
};

/// HTTP method.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    /// GET: read.
    Get,
    /// PUT: create or replace.
    Put,
    /// PATCH: update.
    Patch,
    /// POST: action.
    Post,
    /// DELETE: delete.
    Delete,
}

impl Method {
    /// The method name, upper case.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Post => "POST",
            Self::Delete => "DELETE",
        }
    }
    /// Reads a method name (case-insensitive); `None` for any other method.
    pub fn parse(name: &str) -> Option<Self> {
        [Self::Get, Self::Put, Self::Patch, Self::Post, Self::Delete]
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }
    /// The ARM throttling class of the method.
    pub fn class(self) -> ArmClass {
        match self {
            Self::Get => ArmClass::Read,
            Self::Delete => ArmClass::Delete,
            Self::Put | Self::Patch | Self::Post => ArmClass::Write,
        }
    }
}

/// How ARM counts a request against its limits
/// (`x-ms-ratelimit-remaining-subscription-{reads,writes,deletes}`):
/// GET is a read, DELETE a delete, PUT/PATCH/POST a write.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ArmClass {
    /// GET.
    Read,
    /// PUT, PATCH, POST.
    Write,
    /// DELETE.
    Delete,
}

/// A typed request body. Serializes **untagged**: exactly the JSON ARM
/// expects. Because several shapes overlap, a body is read back only
/// together with its method and path ([`RequestBody::from_value`], or
/// `Request`'s `Deserialize`), which say which shape it is.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RequestBody {
    /// PUT resource group.
    ResourceGroup(Box<ResourceGroup>),
    /// PUT/PATCH server.
    Server(Box<Server>),
    /// PUT/PATCH elastic pool.
    ElasticPool(Box<ElasticPool>),
    /// PUT/PATCH database.
    Database(Box<Database>),
    /// PUT DNS alias (`{}`).
    DnsAlias(Box<ServerDnsAlias>),
    /// POST `acquire` on a DNS alias.
    AcquireDnsAlias(AcquireDnsAlias),
    /// POST `move` on a database (rename): `{"id": <new database id>}`.
    Move(ResourceMove),
    /// PUT/PATCH Traffic Manager endpoint.
    Endpoint(Box<Endpoint>),
    /// PUT/PATCH Traffic Manager profile.
    Profile(Box<Profile>),
    /// PUT/PATCH app.
    Site(Box<Site>),
    /// PUT/PATCH App Service plan.
    ServerFarm(Box<ServerFarm>),
    /// Any other body, as JSON.
    Json(serde_json::Value),
}

impl RequestBody {
    /// Types a JSON body by what the request addresses: e.g. PUT on a
    /// database → [`RequestBody::Database`], POST `acquire` →
    /// [`RequestBody::AcquireDnsAlias`]; anything else stays
    /// [`RequestBody::Json`]. Fails if the JSON does not fit the type.
    pub fn from_value(
        method: Method,
        route: &Route,
        value: serde_json::Value,
    ) -> Result<Self, serde_json::Error> {
        use serde_json::from_value as v;
        let write = matches!(method, Method::Put | Method::Patch);
        Ok(match (&route.resource, route.action) {
            (Resource::ResourceGroup(_), None) if write => Self::ResourceGroup(v(value)?),
            (Resource::SqlServer(_), None) if write => Self::Server(v(value)?),
            (Resource::ElasticPool(_), None) if write => Self::ElasticPool(v(value)?),
            (Resource::SqlDatabase(_), None) if write => Self::Database(v(value)?),
            (Resource::DnsAlias(_), None) if write => Self::DnsAlias(v(value)?),
            (Resource::DnsAlias(_), Some(Action::Acquire)) if method == Method::Post => {
                Self::AcquireDnsAlias(v(value)?)
            }
            (Resource::SqlDatabase(_), Some(Action::Move)) if method == Method::Post => {
                Self::Move(v(value)?)
            }
            (Resource::TrafficManagerEndpoint(_), None) if write => Self::Endpoint(v(value)?),
            (Resource::TrafficManagerProfile(_), None) if write => Self::Profile(v(value)?),
            (Resource::Site(_), None) if write => Self::Site(v(value)?),
            (Resource::ServerFarm(_), None) if write => Self::ServerFarm(v(value)?),
            _ => Self::Json(value),
        })
    }

    /// The JSON text of the body, as sent on the wire.
    pub fn to_json(&self) -> String {
        // Cannot fail: every map in these types has string keys.
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A complete ARM request, minus host and credentials.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Request {
    /// HTTP method.
    pub method: Method,
    /// Path in wire form (names percent-encoded), without the query.
    pub path: String,
    /// Query string without the `?` (normally `api-version=...`).
    pub query: String,
    /// Body, for PUT/PATCH/POST that take one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<RequestBody>,
}

/// Why a URL handed out by ARM cannot become a request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum UrlError {
    /// Neither `http(s)://host/path` nor `/path`.
    #[error("{0:?} is not an absolute URL or path")]
    NotAUrl(String),
}

/// Why an incoming request (as a server sees it) is not understood.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RequestError {
    /// The path is not one this crate knows.
    #[error(transparent)]
    Path(#[from] IdError),
    /// The body is not JSON, or not the shape the path expects.
    #[error("invalid request body: {0}")]
    Body(String),
}

impl Request {
    /// A request on `resource` (plus `action`), with its api-version.
    pub fn new(
        method: Method,
        resource: &Resource,
        action: Option<Action>,
        body: Option<RequestBody>,
    ) -> Self {
        let route = Route {
            resource: resource.clone(),
            action,
        };
        Self {
            method,
            path: route.path(),
            query: format!("api-version={}", api_version::for_resource(resource)),
            body,
        }
    }

    /// GET a resource or a collection.
    pub fn get(resource: impl Into<Resource>) -> Self {
        Self::new(Method::Get, &resource.into(), None, None)
    }

    /// DELETE a resource.
    pub fn delete(resource: impl Into<Resource>) -> Self {
        Self::new(Method::Delete, &resource.into(), None, None)
    }

    /// GET a URL ARM handed out (`Azure-AsyncOperation`, `Location`,
    /// `nextLink`): the scheme and host are dropped (the transport talks to
    /// its own ARM endpoint), the path and query are kept exactly as given
    /// (no second `api-version` is added, none is added if absent), a
    /// `#fragment` is dropped.
    pub fn get_url(url: &str) -> Result<Self, UrlError> {
        let rest = if let Some(i) = url.find("://") {
            let after = &url[i + 3..];
            match after.find(['/', '?', '#']) {
                Some(j) => &after[j..],
                None => "/",
            }
        } else if url.starts_with('/') {
            url
        } else {
            return Err(UrlError::NotAUrl(url.to_owned()));
        };
        let rest = rest.split('#').next().unwrap_or_default();
        let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
        let path = if path.is_empty() { "/" } else { path };
        Ok(Self {
            method: Method::Get,
            path: path.to_owned(),
            query: query.to_owned(),
            body: None,
        })
    }

    /// GET an operation-status URL (`Azure-AsyncOperation` or `Location`);
    /// same as [`Request::get_url`].
    pub fn get_operation_status(url: &str) -> Result<Self, UrlError> {
        Self::get_url(url)
    }

    /// PUT a resource group.
    pub fn put_resource_group(id: &ResourceGroupId, body: ResourceGroup) -> Self {
        let body = RequestBody::ResourceGroup(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PUT (create or update) a server. Asynchronous: expect 201/202.
    pub fn put_server(id: &ServerId, body: Server) -> Self {
        let body = RequestBody::Server(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PUT (create or update) an elastic pool. Asynchronous.
    pub fn put_elastic_pool(id: &ElasticPoolId, body: ElasticPool) -> Self {
        let body = RequestBody::ElasticPool(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PUT a database (create, restore, geo-restore, secondary). Asynchronous.
    pub fn put_database(id: &DatabaseId, body: Database) -> Self {
        let body = RequestBody::Database(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PUT a DNS alias on a server (body `{}`).
    pub fn put_dns_alias(id: &DnsAliasId) -> Self {
        let body = RequestBody::DnsAlias(Box::default());
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// POST `{new server}/dnsAliases/{alias}/acquire` with
    /// `{"oldServerDnsAliasId": old}`: moves the alias named `id.name` from
    /// `old`'s server to `id.server`.
    pub fn acquire_dns_alias(id: &DnsAliasId, old: &DnsAliasId) -> Self {
        let body = RequestBody::AcquireDnsAlias(AcquireDnsAlias {
            old_server_dns_alias_id: old.id(),
        });
        Self::new(Method::Post, &id.into(), Some(Action::Acquire), Some(body))
    }

    /// POST `{database}/move` with `{"id": new}`: renames the database
    /// `id` to `new.name` on the same server (`Databases_Rename`).
    pub fn rename_database(id: &DatabaseId, new: &DatabaseId) -> Self {
        let body = RequestBody::Move(ResourceMove { id: new.id() });
        Self::new(Method::Post, &id.into(), Some(Action::Move), Some(body))
    }

    /// PUT a Traffic Manager endpoint.
    pub fn put_endpoint(id: &EndpointId, body: Endpoint) -> Self {
        let body = RequestBody::Endpoint(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PATCH a Traffic Manager endpoint with a partial body.
    pub fn patch_endpoint(id: &EndpointId, body: Endpoint) -> Self {
        let body = RequestBody::Endpoint(Box::new(body));
        Self::new(Method::Patch, &id.into(), None, Some(body))
    }

    /// PATCH `{"properties":{"endpointStatus":"Enabled"|"Disabled"}}`.
    pub fn patch_endpoint_status(id: &EndpointId, enabled: bool) -> Self {
        Self::patch_endpoint(id, Endpoint::status_only(enabled))
    }

    /// PUT a Traffic Manager profile.
    pub fn put_profile(id: &ProfileId, body: Profile) -> Self {
        let body = RequestBody::Profile(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PUT an App Service app.
    pub fn put_site(id: &SiteId, body: Site) -> Self {
        let body = RequestBody::Site(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// PUT an App Service plan.
    pub fn put_server_farm(id: &ServerFarmId, body: ServerFarm) -> Self {
        let body = RequestBody::ServerFarm(Box::new(body));
        Self::new(Method::Put, &id.into(), None, Some(body))
    }

    /// GET `{server}/databases` (first page).
    pub fn list_databases(server: &ServerId) -> Self {
        Self::get(Resource::Databases(server.clone()))
    }

    /// GET `{server}/elasticPools` (first page).
    pub fn list_elastic_pools(server: &ServerId) -> Self {
        Self::get(Resource::ElasticPools(server.clone()))
    }

    /// GET `{server}/recoverableDatabases` (first page).
    pub fn list_recoverable_databases(server: &ServerId) -> Self {
        Self::get(Resource::RecoverableDatabases(server.clone()))
    }

    /// GET `{server}/dnsAliases` (first page).
    pub fn list_dns_aliases(server: &ServerId) -> Self {
        Self::get(Resource::DnsAliases(server.clone()))
    }

    /// GET `{database}/replicationLinks`.
    pub fn list_replication_links(database: &DatabaseId) -> Self {
        Self::get(Resource::ReplicationLinks(database.clone()))
    }

    /// GET `{database}/operations`.
    pub fn list_database_operations(database: &DatabaseId) -> Self {
        Self::get(Resource::DatabaseOperations(database.clone()))
    }

    /// GET `{pool}/operations`.
    pub fn list_elastic_pool_operations(pool: &ElasticPoolId) -> Self {
        Self::get(Resource::ElasticPoolOperations(pool.clone()))
    }

    /// POST `{link}/failover`: planned failover (no data loss). Asynchronous.
    pub fn failover(link: &ReplicationLinkId) -> Self {
        Self::new(Method::Post, &link.into(), Some(Action::Failover), None)
    }

    /// POST `{link}/forceFailoverAllowDataLoss`. Asynchronous.
    pub fn force_failover_allow_data_loss(link: &ReplicationLinkId) -> Self {
        Self::new(
            Method::Post,
            &link.into(),
            Some(Action::ForceFailoverAllowDataLoss),
            None,
        )
    }

    /// The ARM throttling class (GET read, DELETE delete, others write).
    pub fn class(&self) -> ArmClass {
        self.method.class()
    }

    /// `path?query` (just `path` when the query is empty).
    pub fn path_and_query(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }

    /// The `api-version` query parameter, if present.
    pub fn api_version(&self) -> Option<&str> {
        self.query
            .split('&')
            .find_map(|kv| kv.strip_prefix("api-version="))
    }

    /// What the path addresses.
    pub fn route(&self) -> Result<Route, IdError> {
        Route::parse(&self.path)
    }

    /// The body as JSON text, if any.
    pub fn body_json(&self) -> Option<String> {
        self.body.as_ref().map(RequestBody::to_json)
    }

    /// A request as a server receives it: method, `path?query` as on the
    /// wire, body text. The path must be known ([`Route::parse`]); a body
    /// (empty or whitespace = none) is typed by [`RequestBody::from_value`].
    pub fn from_wire(
        method: Method,
        path_and_query: &str,
        body: Option<&str>,
    ) -> Result<Self, RequestError> {
        let (path, query) = path_and_query
            .split_once('?')
            .unwrap_or((path_and_query, ""));
        let route = Route::parse(path)?;
        let body = match body.map(str::trim) {
            None | Some("") => None,
            Some(text) => {
                let value: serde_json::Value =
                    serde_json::from_str(text).map_err(|e| RequestError::Body(e.to_string()))?;
                Some(
                    RequestBody::from_value(method, &route, value)
                        .map_err(|e| RequestError::Body(e.to_string()))?,
                )
            }
        };
        Ok(Self {
            method,
            path: path.to_owned(),
            query: query.to_owned(),
            body,
        })
    }
}

impl<'de> Deserialize<'de> for Request {
    /// Reads the form `Serialize` writes; the body is typed by the method
    /// and path (a body on an unknown path stays JSON).
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        struct Raw {
            method: Method,
            path: String,
            query: String,
            #[serde(default)]
            body: Option<serde_json::Value>,
        }
        let raw = Raw::deserialize(d)?;
        let body = match raw.body {
            None => None,
            Some(value) => Some(match Route::parse(&raw.path) {
                Ok(route) => RequestBody::from_value(raw.method, &route, value)
                    .map_err(serde::de::Error::custom)?,
                Err(_) => RequestBody::Json(value),
            }),
        };
        Ok(Self {
            method: raw.method,
            path: raw.path,
            query: raw.query,
            body,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{Secret, Sku};
    use crate::id::EndpointType;
    use serde_json::json;

    fn srv() -> ServerId {
        ServerId::new("sub", "rg", "srv")
    }

    #[test]
    fn classes_follow_the_method() {
        let db = srv().database("d");
        assert_eq!(Request::get(&db).class(), ArmClass::Read);
        assert_eq!(Request::delete(&db).class(), ArmClass::Delete);
        assert_eq!(
            Request::put_database(&db, Database::default()).class(),
            ArmClass::Write
        );
        assert_eq!(
            Request::failover(&db.replication_link("l")).class(),
            ArmClass::Write
        );
        let ep = ResourceGroupId::new("s", "g")
            .traffic_manager_profile("p")
            .endpoint(EndpointType::AzureEndpoints, "e");
        assert_eq!(
            Request::patch_endpoint_status(&ep, true).class(),
            ArmClass::Write
        );
    }

    #[test]
    fn renders_path_and_query() {
        let r = Request::list_databases(&srv());
        assert_eq!(
            r.path_and_query(),
            "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Sql/servers/srv/databases?api-version=2023-08-01"
        );
        assert_eq!(r.api_version(), Some("2023-08-01"));
        let rg = Request::put_resource_group(
            &ResourceGroupId::new("sub", "rg"),
            ResourceGroup::new("westeurope"),
        );
        assert_eq!(
            rg.path_and_query(),
            "/subscriptions/sub/resourceGroups/rg?api-version=2021-04-01"
        );
        assert_eq!(rg.body_json().unwrap(), r#"{"location":"westeurope"}"#);
        let fo = Request::failover(&srv().database("d").replication_link("l"));
        assert_eq!(fo.method, Method::Post);
        assert!(
            fo.path
                .ends_with("/databases/d/replicationLinks/l/failover")
        );
        assert!(fo.body.is_none());
    }

    #[test]
    fn status_urls_are_kept_as_given() {
        let url = "https://management.azure.com/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/locations/westeurope/databaseAzureAsyncOperation/0f?api-version=2021-05-01-preview&t=6380&c=MIIH%2B&s=x&h=y";
        let r = Request::get_operation_status(url).unwrap();
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.path,
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/locations/westeurope/databaseAzureAsyncOperation/0f"
        );
        assert_eq!(
            r.query,
            "api-version=2021-05-01-preview&t=6380&c=MIIH%2B&s=x&h=y"
        );
        assert_eq!(r.path_and_query().matches("api-version").count(), 1);
        assert_eq!(r.api_version(), Some("2021-05-01-preview"));
        // A path alone works; no api-version is invented.
        let r = Request::get_url("/a/b").unwrap();
        assert_eq!(r.path_and_query(), "/a/b");
        // Host only, fragment dropped.
        assert_eq!(Request::get_url("https://h").unwrap().path, "/");
        assert_eq!(
            Request::get_url("https://h/x?y=1#frag")
                .unwrap()
                .path_and_query(),
            "/x?y=1"
        );
        assert_eq!(
            Request::get_url("management.azure.com/x"),
            Err(UrlError::NotAUrl("management.azure.com/x".into()))
        );
        assert!(Request::get_url("").is_err());
    }

    #[test]
    fn endpoint_status_patch_body() {
        let ep = ResourceGroupId::new("s", "g")
            .traffic_manager_profile("p")
            .endpoint(EndpointType::ExternalEndpoints, "e");
        let on = Request::patch_endpoint_status(&ep, true);
        let off = Request::patch_endpoint_status(&ep, false);
        assert_eq!(on.method, Method::Patch);
        assert_eq!(
            serde_json::to_value(on.body.unwrap()).unwrap(),
            json!({"properties":{"endpointStatus":"Enabled"}})
        );
        assert_eq!(
            serde_json::to_value(off.body.unwrap()).unwrap(),
            json!({"properties":{"endpointStatus":"Disabled"}})
        );
    }

    #[test]
    fn acquire_and_geo_restore_bodies() {
        let old = ServerId::new("s", "g", "old").dns_alias("a");
        let new = ServerId::new("s", "g", "new").dns_alias("a");
        let r = Request::acquire_dns_alias(&new, &old);
        assert!(r.path.ends_with("/servers/new/dnsAliases/a/acquire"));
        assert_eq!(
            serde_json::to_value(r.body.unwrap()).unwrap(),
            json!({"oldServerDnsAliasId": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/old/dnsAliases/a"})
        );
        let src = ServerId::new("s", "prod", "p1").recoverable_database("t1");
        let pool = ServerId::new("s", "rec", "r1").elastic_pool("pool1");
        let body = Database::geo_restore("westeurope", &src, Some(&pool));
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            json!({"location":"westeurope","properties":{
                "createMode":"Recovery",
                "sourceDatabaseId":"/subscriptions/s/resourceGroups/prod/providers/Microsoft.Sql/servers/p1/recoverableDatabases/t1",
                "elasticPoolId":"/subscriptions/s/resourceGroups/rec/providers/Microsoft.Sql/servers/r1/elasticPools/pool1"}})
        );
        assert_eq!(
            Request::put_dns_alias(&new).body_json().unwrap(),
            "{}".to_owned()
        );
    }

    #[test]
    fn journal_round_trip_keeps_typed_bodies() {
        let s = srv();
        let ep = ResourceGroupId::new("s", "g")
            .traffic_manager_profile("p")
            .endpoint(EndpointType::ExternalEndpoints, "e");
        let mut pool = ElasticPool::new("westeurope", Some(Sku::new("StandardPool", "Standard")));
        pool.sku.as_mut().unwrap().capacity = Some(100);
        let requests = vec![
            Request::put_server(&s, Server::new("westeurope", "admin", Secret::new("pw"))),
            Request::put_elastic_pool(&s.elastic_pool("p"), pool),
            Request::put_database(
                &s.database("d"),
                Database::geo_restore("westeurope", &s.recoverable_database("d"), None),
            ),
            Request::put_dns_alias(&s.dns_alias("a")),
            Request::acquire_dns_alias(&s.dns_alias("a"), &srv().dns_alias("a")),
            Request::patch_endpoint_status(&ep, false),
            Request::put_resource_group(&ResourceGroupId::new("s", "g"), ResourceGroup::new("x")),
            Request::put_site(&ResourceGroupId::new("s", "g").site("app"), Site::default()),
            Request::put_server_farm(
                &ResourceGroupId::new("s", "g").server_farm("plan"),
                ServerFarm::default(),
            ),
            Request::get_url("https://h/x?api-version=1").unwrap(),
            Request::failover(&s.database("d").replication_link("l")),
        ];
        for r in requests {
            let text = serde_json::to_string(&r).unwrap();
            let back: Request = serde_json::from_str(&text).unwrap();
            assert_eq!(back, r, "{text}");
            // And as a server receives it.
            let wire = Request::from_wire(r.method, &r.path_and_query(), r.body_json().as_deref());
            if r.path == "/x" {
                assert!(wire.is_err());
            } else {
                assert_eq!(wire.unwrap(), r);
            }
        }
    }

    #[test]
    fn from_wire_rejects_what_it_cannot_read() {
        let p = srv().database("d").path();
        assert!(matches!(
            Request::from_wire(
                Method::Put,
                &format!("{p}?api-version=x"),
                Some("{not json")
            ),
            Err(RequestError::Body(_))
        ));
        assert!(matches!(
            Request::from_wire(
                Method::Put,
                &p,
                Some(r#"{"properties":{"maxSizeBytes":"many"}}"#)
            ),
            Err(RequestError::Body(_))
        ));
        assert!(matches!(
            Request::from_wire(Method::Get, "/nope", None),
            Err(RequestError::Path(IdError::Unknown(_)))
        ));
        let ok = Request::from_wire(Method::Delete, &p, Some("  ")).unwrap();
        assert_eq!(ok.body, None);
        assert_eq!(Method::parse("patch"), Some(Method::Patch));
        assert_eq!(Method::parse("HEAD"), None);
    }

    #[test]
    fn password_is_not_in_debug_output() {
        let r = Request::put_server(&srv(), Server::new("x", "admin", Secret::new("s3cr3t!")));
        assert!(!format!("{r:?}").contains("s3cr3t!"));
        assert!(r.body_json().unwrap().contains("s3cr3t!"));
    }
}
