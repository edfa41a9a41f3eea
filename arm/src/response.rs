//! Responses: status, protocol headers, and a body that is either text as
//! received (the driver) or a typed value (the simulator, which never
//! serializes). [`Response::json`] reads either the same way.

use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::body::{
    Database, DatabaseOperation, DatabasePage, ElasticPool, ElasticPoolOperation, Endpoint,
    ErrorDetail, ErrorResponse, List, OperationStatus, Profile, RecoverableDatabase,
    ReplicationLink, ResourceGroup, Server, ServerDnsAlias, ServerFarm, Site,
};
use crate::headers::Headers;

/// A page of databases shared between answers: the page and each of its
/// entries are reference-counted (copy on write with `Arc::make_mut`), and
/// the page carries a compact index of its entries' names, statuses and
/// pools ([`DatabasePage`]).
pub type SharedDatabases = Arc<DatabasePage>;

/// A typed response body. Its own serde form is **tagged** (`{"database":
/// {...}}`) so a journal reads back exactly the variant it wrote; the wire
/// JSON is [`Payload::to_value`] / [`Payload::to_json`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payload {
    /// A server.
    Server(Box<Server>),
    /// A page of servers.
    Servers(List<Server>),
    /// An elastic pool.
    ElasticPool(Box<ElasticPool>),
    /// A page of elastic pools.
    ElasticPools(List<ElasticPool>),
    /// A database.
    Database(Box<Database>),
    /// A page of databases, **shared** ([`SharedDatabases`]): a service
    /// model answers lists of ~1,000 databases hundreds of thousands of
    /// times and keeps one rendered page per server, so cloning a response
    /// must not copy the page, and changing one database of the page must
    /// not move the others (each entry is ~1 KB). Read it as a list whose
    /// items deref to [`Database`], or look entries up by name in its index
    /// ([`DatabasePage::find`], [`DatabasePage::seek`]); build one from a
    /// `List<Database>` with `into()`. Serializes exactly as
    /// `List<Database>` (the index is not written: a journal read back
    /// rebuilds it).
    Databases(SharedDatabases),
    /// A recoverable database.
    RecoverableDatabase(Box<RecoverableDatabase>),
    /// A page of recoverable databases.
    RecoverableDatabases(List<RecoverableDatabase>),
    /// A DNS alias.
    DnsAlias(Box<ServerDnsAlias>),
    /// A page of DNS aliases.
    DnsAliases(List<ServerDnsAlias>),
    /// A replication link.
    ReplicationLink(Box<ReplicationLink>),
    /// A page of replication links.
    ReplicationLinks(List<ReplicationLink>),
    /// A page of database operations.
    DatabaseOperations(List<DatabaseOperation>),
    /// A page of elastic pool operations.
    ElasticPoolOperations(List<ElasticPoolOperation>),
    /// A Traffic Manager endpoint.
    Endpoint(Box<Endpoint>),
    /// A Traffic Manager profile.
    Profile(Box<Profile>),
    /// An `Azure-AsyncOperation` status body.
    OperationStatus(Box<OperationStatus>),
    /// An error body.
    Error(Box<ErrorResponse>),
    /// A resource group.
    ResourceGroup(Box<ResourceGroup>),
    /// An App Service app.
    Site(Box<Site>),
    /// An App Service plan.
    ServerFarm(Box<ServerFarm>),
    /// Any other JSON (e.g. the `{"operation": ..., "startTime": ...}` a
    /// 202 may carry).
    Json(serde_json::Value),
}

macro_rules! payload_from {
    ($($variant:ident($ty:ty) boxed),* ; $($lvariant:ident($lty:ty)),* $(,)?) => {
        impl Payload {
            /// The wire JSON of the body.
            pub fn to_value(&self) -> serde_json::Value {
                // Cannot fail: every map in these types has string keys.
                let r = match self {
                    $( Self::$variant(b) => serde_json::to_value(b), )*
                    $( Self::$lvariant(l) => serde_json::to_value(l), )*
                    Self::Databases(l) => serde_json::to_value(l.list()),
                    Self::Json(v) => Ok(v.clone()),
                };
                r.unwrap_or_default()
            }
        }
        $(
            impl From<$ty> for Payload {
                fn from(b: $ty) -> Self {
                    Self::$variant(Box::new(b))
                }
            }
        )*
        $(
            impl From<List<$lty>> for Payload {
                fn from(l: List<$lty>) -> Self {
                    Self::$lvariant(l)
                }
            }
        )*
    };
}

payload_from! {
    Server(Server) boxed,
    ElasticPool(ElasticPool) boxed,
    Database(Database) boxed,
    RecoverableDatabase(RecoverableDatabase) boxed,
    DnsAlias(ServerDnsAlias) boxed,
    ReplicationLink(ReplicationLink) boxed,
    Endpoint(Endpoint) boxed,
    Profile(Profile) boxed,
    OperationStatus(OperationStatus) boxed,
    Error(ErrorResponse) boxed,
    ResourceGroup(ResourceGroup) boxed,
    Site(Site) boxed,
    ServerFarm(ServerFarm) boxed;
    Servers(Server),
    ElasticPools(ElasticPool),
    RecoverableDatabases(RecoverableDatabase),
    DnsAliases(ServerDnsAlias),
    ReplicationLinks(ReplicationLink),
    DatabaseOperations(DatabaseOperation),
    ElasticPoolOperations(ElasticPoolOperation),
}

impl From<List<Database>> for Payload {
    fn from(l: List<Database>) -> Self {
        Self::Databases(Arc::new(l.into()))
    }
}

impl From<DatabasePage> for Payload {
    fn from(l: DatabasePage) -> Self {
        Self::Databases(Arc::new(l))
    }
}

impl From<SharedDatabases> for Payload {
    fn from(l: SharedDatabases) -> Self {
        Self::Databases(l)
    }
}

impl Payload {
    /// The wire JSON text of the body.
    pub fn to_json(&self) -> String {
        self.to_value().to_string()
    }
}

/// A response body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseBody {
    /// No body (or an empty one).
    #[default]
    Empty,
    /// Text exactly as received on the wire.
    Text(String),
    /// A typed value (never serialized on the way from the model).
    Typed(Payload),
}

/// Why a body cannot be read as the requested type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyError {
    /// There is no body (or only whitespace).
    #[error("the response has no body")]
    Empty,
    /// The body is not JSON of the requested shape.
    #[error("the response body does not have the expected shape: {0}")]
    Shape(String),
}

/// An ARM response: status, the headers that matter, body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Protocol headers.
    pub headers: Headers,
    /// Body.
    pub body: ResponseBody,
}

impl Response {
    /// A response with `status`, no headers, no body.
    pub fn new(status: u16) -> Self {
        Self {
            status,
            ..Self::default()
        }
    }

    /// A response as the driver receives it: status, raw header pairs, body
    /// text (empty or whitespace-only text = [`ResponseBody::Empty`]).
    pub fn from_wire<'a>(
        status: u16,
        headers: impl IntoIterator<Item = (&'a str, &'a str)>,
        body: &str,
    ) -> Self {
        Self {
            status,
            headers: Headers::from_pairs(headers),
            body: if body.trim().is_empty() {
                ResponseBody::Empty
            } else {
                ResponseBody::Text(body.to_owned())
            },
        }
    }

    /// Builder: sets the headers.
    pub fn with_headers(mut self, headers: Headers) -> Self {
        self.headers = headers;
        self
    }

    /// Builder: sets a typed body.
    pub fn with_payload(mut self, payload: impl Into<Payload>) -> Self {
        self.body = ResponseBody::Typed(payload.into());
        self
    }

    /// Builder: sets an ARM error body `{"error":{"code","message"}}`.
    pub fn with_error(self, code: impl Into<String>, message: impl Into<String>) -> Self {
        self.with_payload(ErrorResponse::new(code, message))
    }

    /// Reads the body as `T`, whether it is typed (converted through JSON)
    /// or text (parsed). [`BodyError::Empty`] if there is no body.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, BodyError> {
        let shape = |e: serde_json::Error| BodyError::Shape(e.to_string());
        match &self.body {
            ResponseBody::Empty => Err(BodyError::Empty),
            ResponseBody::Text(t) if t.trim().is_empty() => Err(BodyError::Empty),
            ResponseBody::Text(t) => serde_json::from_str(t).map_err(shape),
            ResponseBody::Typed(p) => serde_json::from_value(p.to_value()).map_err(shape),
        }
    }

    /// The wire text of the body, `None` when empty (what a server sends).
    pub fn body_text(&self) -> Option<String> {
        match &self.body {
            ResponseBody::Empty => None,
            ResponseBody::Text(t) => Some(t.clone()),
            ResponseBody::Typed(p) => Some(p.to_json()),
        }
    }

    /// The ARM error in the body, read tolerantly: the standard
    /// `{"error": {...}}` shape, or a bare `{"code", "message"}` some
    /// services send. `None` if neither is there.
    pub fn error(&self) -> Option<ErrorDetail> {
        if let Ok(e) = self.json::<ErrorResponse>() {
            return Some(e.error);
        }
        self.json::<ErrorDetail>()
            .ok()
            .filter(|e| !e.code.is_empty() || !e.message.is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{AsyncStatus, DatabaseStatus};

    #[test]
    fn json_reads_typed_and_text_bodies_alike() {
        let db = Database {
            name: Some("t1".into()),
            properties: Some(crate::body::DatabaseProperties {
                status: Some(DatabaseStatus::Restoring),
                ..Default::default()
            }),
            ..Database::default()
        };
        let typed = Response::new(200).with_payload(db.clone());
        let text = Response::from_wire(200, [], &typed.body_text().unwrap());
        assert!(matches!(text.body, ResponseBody::Text(_)));
        assert_eq!(typed.json::<Database>().unwrap(), db);
        assert_eq!(text.json::<Database>().unwrap(), db);
        assert_eq!(Response::new(204).json::<Database>(), Err(BodyError::Empty));
        assert_eq!(
            Response::from_wire(200, [], "  \n").json::<Database>(),
            Err(BodyError::Empty)
        );
        assert!(matches!(
            Response::from_wire(200, [], "<html>").json::<Database>(),
            Err(BodyError::Shape(_))
        ));
    }

    #[test]
    fn error_bodies_standard_and_bare() {
        let r = Response::new(409).with_error("ConflictingDatabaseOperation", "busy");
        assert_eq!(r.error().unwrap().code, "ConflictingDatabaseOperation");
        let bare = Response::from_wire(400, [], r#"{"code":"InvalidSku","message":"no"}"#);
        assert_eq!(bare.error().unwrap().code, "InvalidSku");
        assert_eq!(Response::from_wire(500, [], "oops").error(), None);
        assert_eq!(Response::from_wire(500, [], "{}").error(), None);
    }

    #[test]
    fn journal_round_trip_keeps_the_variant() {
        let resp = Response::new(200)
            .with_payload(OperationStatus::new("op", AsyncStatus::InProgress))
            .with_headers(Headers {
                retry_after: Some("5".into()),
                ..Headers::default()
            });
        let text = serde_json::to_string(&resp).unwrap();
        let back: Response = serde_json::from_str(&text).unwrap();
        assert_eq!(back, resp);
        let list = Response::new(200).with_payload(List::new(vec![Database::default()]));
        let back: Response = serde_json::from_str(&serde_json::to_string(&list).unwrap()).unwrap();
        assert_eq!(back, list);
        // A shared page: cloning the response does not copy it.
        let entries = (0..3).map(|_| Arc::new(Database::default())).collect();
        let page: SharedDatabases = Arc::new(List::new(entries).into());
        let shared = Response::new(200).with_payload(Arc::clone(&page));
        let copy = shared.clone();
        let ResponseBody::Typed(Payload::Databases(l)) = &copy.body else {
            panic!("not a database page")
        };
        assert!(Arc::ptr_eq(l, &page));
        assert_eq!(copy.json::<List<Database>>().unwrap().value.len(), 3);
        let back: Response =
            serde_json::from_str(&serde_json::to_string(&shared).unwrap()).unwrap();
        assert_eq!(back, shared);
    }
}
