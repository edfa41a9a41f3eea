//! Resource ids: typed parts, rendered as ARM paths and parsed back.
//!
//! Every id type renders (`path()`, `Display`) the path ARM uses for it,
//! with the canonical segment spelling of the resource provider's REST API
//! (e.g. `Microsoft.Network/trafficmanagerprofiles`). [`Route::parse`] and
//! [`Resource::parse`] read such a path back, matching the fixed segments
//! (`subscriptions`, `resourceGroups`, `providers`, provider namespaces and
//! resource types) ASCII case-insensitively, as ARM does, and keeping names
//! exactly as written.
//!
//! **Paths are in wire form.** Names are percent-encoded when rendered
//! (every byte outside RFC 3986 `pchar` is escaped, e.g. a space becomes
//! `%20`, `/` becomes `%2F`, `%` becomes `%25`) and decoded when parsed, so
//! `parse(render(x)) == x` for every name, including the example
//! subscription id with a trailing space. A `%` not followed by two hex
//! digits is kept literally when parsing.

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::string_enum::string_enum;

/// Why a path is not an ARM resource path this crate knows.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum IdError {
    /// The path does not start with `/`.
    #[error("resource path {0:?} does not start with '/'")]
    NotAbsolute(String),
    /// A segment is empty (`//`, or a trailing `/`).
    #[error("resource path {0:?} has an empty segment")]
    EmptySegment(String),
    /// A percent-escape decodes to bytes that are not UTF-8.
    #[error("resource path {0:?} has percent-escapes that are not UTF-8")]
    BadEscape(String),
    /// The path is well-formed but names no resource type this crate knows.
    #[error("unknown resource path {0:?}")]
    Unknown(String),
}

/// Traffic Manager endpoint type: the `{endpointType}` path segment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum EndpointType {
    /// `AzureEndpoints`: an Azure resource (app, public IP...).
    AzureEndpoints,
    /// `ExternalEndpoints`: any host name or IP address.
    ExternalEndpoints,
    /// `NestedEndpoints`: another Traffic Manager profile.
    NestedEndpoints,
}

impl EndpointType {
    /// The path segment, as the Traffic Manager REST API spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AzureEndpoints => "AzureEndpoints",
            Self::ExternalEndpoints => "ExternalEndpoints",
            Self::NestedEndpoints => "NestedEndpoints",
        }
    }

    /// Reads a path segment (case-insensitive); `None` if it is none of the three.
    pub fn parse(segment: &str) -> Option<Self> {
        [
            Self::AzureEndpoints,
            Self::ExternalEndpoints,
            Self::NestedEndpoints,
        ]
        .into_iter()
        .find(|t| t.as_str().eq_ignore_ascii_case(segment))
    }
}

string_enum! {
    /// The kind of a regional operation-status resource
    /// (`.../providers/Microsoft.Sql/locations/{region}/{kind}/{operationId}`).
    /// Kinds ending in `AzureAsyncOperation` are `Azure-AsyncOperation`
    /// status monitors (200 + status body); kinds ending in
    /// `OperationResults` are `Location` monitors (202 while running).
    pub enum StatusKind {
        /// Status monitor of a database operation.
        DatabaseAzureAsyncOperation = "databaseAzureAsyncOperation",
        /// Location monitor of a database operation.
        DatabaseOperationResults = "databaseOperationResults",
        /// Status monitor of an elastic pool operation.
        ElasticPoolAzureAsyncOperation = "elasticPoolAzureAsyncOperation",
        /// Location monitor of an elastic pool operation.
        ElasticPoolOperationResults = "elasticPoolOperationResults",
        /// Status monitor of a server operation.
        ServerAzureAsyncOperation = "serverAzureAsyncOperation",
        /// Location monitor of a server operation.
        ServerOperationResults = "serverOperationResults",
        /// Status monitor of a server DNS alias operation.
        DnsAliasAzureAsyncOperation = "serverDnsAliasAzureAsyncOperation",
        /// Location monitor of a server DNS alias operation.
        DnsAliasOperationResults = "serverDnsAliasOperationResults",
        /// Status monitor of a replication link operation.
        ReplicationLinksAzureAsyncOperation = "replicationLinksAzureAsyncOperation",
        /// Location monitor of a replication link operation (seen in the
        /// ReplicationLinkFailover example).
        ReplicationLinksOperationResults = "replicationLinksOperationResults",
    }
}

impl StatusKind {
    /// Whether this kind is an `Azure-AsyncOperation` status monitor
    /// (as opposed to a `Location` monitor), judged by the segment suffix.
    pub fn is_async_operation(&self) -> bool {
        ends_with_ignore_case(self.as_str(), "AzureAsyncOperation")
    }

    /// Whether `segment` looks like an operation-status kind at all
    /// (ends in `AzureAsyncOperation` or `OperationResults`).
    pub fn is_status_segment(segment: &str) -> bool {
        ends_with_ignore_case(segment, "AzureAsyncOperation")
            || ends_with_ignore_case(segment, "OperationResults")
    }
}

fn ends_with_ignore_case(s: &str, suffix: &str) -> bool {
    s.len() >= suffix.len()
        && s.is_char_boundary(s.len() - suffix.len())
        && s[s.len() - suffix.len()..].eq_ignore_ascii_case(suffix)
}

/// A trailing action segment of a POST (`.../acquire`, `.../failover`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Action {
    /// `acquire` on a server DNS alias: move the alias to this server.
    Acquire,
    /// `failover` on a replication link: planned failover, no data loss.
    Failover,
    /// `forceFailoverAllowDataLoss` on a replication link.
    ForceFailoverAllowDataLoss,
    /// `move` on a database: rename it on its server (`Databases_Rename`).
    Move,
}

impl Action {
    /// The path segment.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Acquire => "acquire",
            Self::Failover => "failover",
            Self::ForceFailoverAllowDataLoss => "forceFailoverAllowDataLoss",
            Self::Move => "move",
        }
    }
}

// ---------------------------------------------------------------------------
// Typed ids
// ---------------------------------------------------------------------------

/// `/subscriptions/{subscription}/resourceGroups/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ResourceGroupId {
    /// Subscription id (kept exactly, even with surrounding spaces).
    pub subscription: String,
    /// Resource group name.
    pub name: String,
}

/// `{resource group}/providers/Microsoft.Sql/servers/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ServerId {
    /// The resource group holding the server.
    pub resource_group: ResourceGroupId,
    /// Server name.
    pub name: String,
}

/// `{server}/databases/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DatabaseId {
    /// The server holding the database.
    pub server: ServerId,
    /// Database name.
    pub name: String,
}

/// `{server}/elasticPools/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ElasticPoolId {
    /// The server holding the pool.
    pub server: ServerId,
    /// Pool name.
    pub name: String,
}

/// `{server}/recoverableDatabases/{name}`: the latest geo-replicated backup
/// of a database, the source of a geo-restore (`createMode: Recovery`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RecoverableDatabaseId {
    /// The (source) server the backup belongs to.
    pub server: ServerId,
    /// Database name.
    pub name: String,
}

/// `{server}/dnsAliases/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DnsAliasId {
    /// The server the alias points at.
    pub server: ServerId,
    /// Alias name (the `{alias}.database.windows.net` host label).
    pub name: String,
}

/// `{database}/replicationLinks/{name}` (the link name is a GUID).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ReplicationLinkId {
    /// The database the link belongs to.
    pub database: DatabaseId,
    /// Link id.
    pub name: String,
}

/// `{resource group}/providers/Microsoft.Network/trafficmanagerprofiles/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProfileId {
    /// The resource group holding the profile.
    pub resource_group: ResourceGroupId,
    /// Profile name.
    pub name: String,
}

/// `{profile}/{endpointType}/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EndpointId {
    /// The Traffic Manager profile.
    pub profile: ProfileId,
    /// Endpoint type segment.
    pub endpoint_type: EndpointType,
    /// Endpoint name.
    pub name: String,
}

/// `{resource group}/providers/Microsoft.Web/sites/{name}`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SiteId {
    /// The resource group holding the app.
    pub resource_group: ResourceGroupId,
    /// App name.
    pub name: String,
}

/// `{resource group}/providers/Microsoft.Web/serverfarms/{name}` (App Service plan).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ServerFarmId {
    /// The resource group holding the plan.
    pub resource_group: ResourceGroupId,
    /// Plan name.
    pub name: String,
}

/// A regional operation-status resource handed out by Microsoft.Sql:
/// `/subscriptions/{sub}[/resourceGroups/{rg}]/providers/Microsoft.Sql/locations/{location}/{kind}/{operation_id}`.
/// The resource group is absent in some monitors (e.g. the failover
/// example's `replicationLinksOperationResults`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OperationStatusId {
    /// Subscription id.
    pub subscription: String,
    /// Resource group, when the monitor sits under one.
    pub resource_group: Option<String>,
    /// Region segment as ARM wrote it (e.g. `JapanWest`, `westeurope`).
    pub location: String,
    /// Monitor kind.
    pub kind: StatusKind,
    /// Operation id.
    pub operation_id: String,
}

/// Every resource (or collection) this crate can address: what a request
/// path parses to, so a server can route by `match`.
///
/// This is the crate's "resource id": build one from the typed ids
/// (`ServerId::new(..).database("db").into()`), render it with
/// [`Resource::path`], read one with [`Resource::parse`].
#[doc(alias = "ResourceId")]
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Resource {
    /// A resource group (Microsoft.Resources).
    ResourceGroup(ResourceGroupId),
    /// A logical SQL server.
    SqlServer(ServerId),
    /// A database.
    SqlDatabase(DatabaseId),
    /// An elastic pool.
    ElasticPool(ElasticPoolId),
    /// A recoverable (geo-backup) database.
    RecoverableDatabase(RecoverableDatabaseId),
    /// A server DNS alias.
    DnsAlias(DnsAliasId),
    /// A replication link.
    ReplicationLink(ReplicationLinkId),
    /// Collection `{server}/databases` (list).
    Databases(ServerId),
    /// Collection `{server}/elasticPools` (list).
    ElasticPools(ServerId),
    /// Collection `{server}/recoverableDatabases` (list).
    RecoverableDatabases(ServerId),
    /// Collection `{server}/dnsAliases` (list).
    DnsAliases(ServerId),
    /// Collection `{database}/replicationLinks` (list).
    ReplicationLinks(DatabaseId),
    /// Collection `{database}/operations` (list of management operations).
    DatabaseOperations(DatabaseId),
    /// Collection `{pool}/operations` (list of management operations).
    ElasticPoolOperations(ElasticPoolId),
    /// A Traffic Manager profile.
    TrafficManagerProfile(ProfileId),
    /// A Traffic Manager endpoint.
    TrafficManagerEndpoint(EndpointId),
    /// An App Service app.
    Site(SiteId),
    /// An App Service plan.
    ServerFarm(ServerFarmId),
    /// A Microsoft.Sql regional operation-status monitor.
    OperationStatus(OperationStatusId),
}

/// A parsed request path: the resource plus the trailing action, if any.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Route {
    /// The addressed resource or collection.
    pub resource: Resource,
    /// The POST action after the resource (`acquire`, `failover`...).
    pub action: Option<Action>,
}

// ---------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------

impl ResourceGroupId {
    /// Resource group `name` in `subscription`.
    pub fn new(subscription: impl Into<String>, name: impl Into<String>) -> Self {
        Self {
            subscription: subscription.into(),
            name: name.into(),
        }
    }
    /// SQL server `name` in this group.
    pub fn sql_server(&self, name: impl Into<String>) -> ServerId {
        ServerId {
            resource_group: self.clone(),
            name: name.into(),
        }
    }
    /// Traffic Manager profile `name` in this group.
    pub fn traffic_manager_profile(&self, name: impl Into<String>) -> ProfileId {
        ProfileId {
            resource_group: self.clone(),
            name: name.into(),
        }
    }
    /// App Service app `name` in this group.
    pub fn site(&self, name: impl Into<String>) -> SiteId {
        SiteId {
            resource_group: self.clone(),
            name: name.into(),
        }
    }
    /// App Service plan `name` in this group.
    pub fn server_farm(&self, name: impl Into<String>) -> ServerFarmId {
        ServerFarmId {
            resource_group: self.clone(),
            name: name.into(),
        }
    }
}

impl ServerId {
    /// Server `name` in resource group `resource_group` of `subscription`.
    pub fn new(
        subscription: impl Into<String>,
        resource_group: impl Into<String>,
        name: impl Into<String>,
    ) -> Self {
        ResourceGroupId::new(subscription, resource_group).sql_server(name)
    }
    /// Database `name` on this server.
    pub fn database(&self, name: impl Into<String>) -> DatabaseId {
        DatabaseId {
            server: self.clone(),
            name: name.into(),
        }
    }
    /// Elastic pool `name` on this server.
    pub fn elastic_pool(&self, name: impl Into<String>) -> ElasticPoolId {
        ElasticPoolId {
            server: self.clone(),
            name: name.into(),
        }
    }
    /// Recoverable database `name` of this server.
    pub fn recoverable_database(&self, name: impl Into<String>) -> RecoverableDatabaseId {
        RecoverableDatabaseId {
            server: self.clone(),
            name: name.into(),
        }
    }
    /// DNS alias `name` on this server.
    pub fn dns_alias(&self, name: impl Into<String>) -> DnsAliasId {
        DnsAliasId {
            server: self.clone(),
            name: name.into(),
        }
    }
}

impl DatabaseId {
    /// Replication link `name` (a GUID) of this database.
    pub fn replication_link(&self, name: impl Into<String>) -> ReplicationLinkId {
        ReplicationLinkId {
            database: self.clone(),
            name: name.into(),
        }
    }
}

impl ProfileId {
    /// Endpoint `name` of type `endpoint_type` in this profile.
    pub fn endpoint(&self, endpoint_type: EndpointType, name: impl Into<String>) -> EndpointId {
        EndpointId {
            profile: self.clone(),
            endpoint_type,
            name: name.into(),
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

/// Percent-encodes one path segment: every byte outside RFC 3986 `pchar`
/// (unreserved, sub-delims, `:` and `@`) becomes `%XX`.
pub fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for &b in segment.as_bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b':'
                    | b'@'
            );
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes the percent-escapes of one path segment. A `%` not followed by
/// two hex digits is kept as is; escapes that decode to invalid UTF-8 are
/// an error (`None`).
pub fn decode_segment(segment: &str) -> Option<String> {
    decode_segment_borrowed(segment).map(Cow::into_owned)
}

/// [`decode_segment`] without a copy when there is nothing to decode.
fn decode_segment_borrowed(segment: &str) -> Option<Cow<'_, str>> {
    if !segment.contains('%') {
        return Some(Cow::Borrowed(segment));
    }
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hi = bytes.get(i + 1).and_then(|c| char::from(*c).to_digit(16));
            let lo = bytes.get(i + 2).and_then(|c| char::from(*c).to_digit(16));
            if let (Some(hi), Some(lo)) = (hi, lo) {
                out.push((hi * 16 + lo) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8(out).ok().map(Cow::Owned)
}

struct PathBuf {
    s: String,
    encode: bool,
}

impl PathBuf {
    fn new(encode: bool) -> Self {
        Self {
            s: String::new(),
            encode,
        }
    }
    /// A fixed segment (written as is).
    fn lit(mut self, seg: &str) -> Self {
        self.s.push('/');
        self.s.push_str(seg);
        self
    }
    /// A name segment (percent-encoded in wire form).
    fn name(mut self, seg: &str) -> Self {
        self.s.push('/');
        if self.encode {
            self.s.push_str(&encode_segment(seg));
        } else {
            self.s.push_str(seg);
        }
        self
    }
}

/// `path()` (wire form) and `id()` (as ARM writes ids in JSON bodies) for
/// a type with a `buf(encode)` renderer.
macro_rules! renderers {
    ($($ty:ident),* $(,)?) => {$(
        impl $ty {
            /// The request path of this resource, names percent-encoded
            /// (wire form, no query).
            pub fn path(&self) -> String {
                self.buf(true).s
            }
            /// The resource id as ARM writes it in JSON bodies (`id`,
            /// `sourceDatabaseId`...): the same path, names not encoded.
            pub fn id(&self) -> String {
                self.buf(false).s
            }
        }
    )*};
}

renderers!(
    ResourceGroupId,
    ServerId,
    DatabaseId,
    ElasticPoolId,
    RecoverableDatabaseId,
    DnsAliasId,
    ReplicationLinkId,
    ProfileId,
    EndpointId,
    SiteId,
    ServerFarmId,
    OperationStatusId,
    Resource,
);

impl ResourceGroupId {
    fn buf(&self, enc: bool) -> PathBuf {
        PathBuf::new(enc)
            .lit("subscriptions")
            .name(&self.subscription)
            .lit("resourceGroups")
            .name(&self.name)
    }
}

impl ServerId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.resource_group
            .buf(enc)
            .lit("providers")
            .lit("Microsoft.Sql")
            .lit("servers")
            .name(&self.name)
    }
}

impl DatabaseId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.server.buf(enc).lit("databases").name(&self.name)
    }
}

impl ElasticPoolId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.server.buf(enc).lit("elasticPools").name(&self.name)
    }
}

impl RecoverableDatabaseId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.server
            .buf(enc)
            .lit("recoverableDatabases")
            .name(&self.name)
    }
}

impl DnsAliasId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.server.buf(enc).lit("dnsAliases").name(&self.name)
    }
}

impl ReplicationLinkId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.database
            .buf(enc)
            .lit("replicationLinks")
            .name(&self.name)
    }
}

impl ProfileId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.resource_group
            .buf(enc)
            .lit("providers")
            .lit("Microsoft.Network")
            .lit("trafficmanagerprofiles")
            .name(&self.name)
    }
}

impl EndpointId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.profile
            .buf(enc)
            .lit(self.endpoint_type.as_str())
            .name(&self.name)
    }
}

impl SiteId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.resource_group
            .buf(enc)
            .lit("providers")
            .lit("Microsoft.Web")
            .lit("sites")
            .name(&self.name)
    }
}

impl ServerFarmId {
    fn buf(&self, enc: bool) -> PathBuf {
        self.resource_group
            .buf(enc)
            .lit("providers")
            .lit("Microsoft.Web")
            .lit("serverfarms")
            .name(&self.name)
    }
}

impl OperationStatusId {
    fn buf(&self, enc: bool) -> PathBuf {
        let mut b = PathBuf::new(enc)
            .lit("subscriptions")
            .name(&self.subscription);
        if let Some(rg) = &self.resource_group {
            b = b.lit("resourceGroups").name(rg);
        }
        b.lit("providers")
            .lit("Microsoft.Sql")
            .lit("locations")
            .name(&self.location)
            .name(self.kind.as_str())
            .name(&self.operation_id)
    }
}

impl Resource {
    fn buf(&self, enc: bool) -> PathBuf {
        match self {
            Self::ResourceGroup(id) => id.buf(enc),
            Self::SqlServer(id) => id.buf(enc),
            Self::SqlDatabase(id) => id.buf(enc),
            Self::ElasticPool(id) => id.buf(enc),
            Self::RecoverableDatabase(id) => id.buf(enc),
            Self::DnsAlias(id) => id.buf(enc),
            Self::ReplicationLink(id) => id.buf(enc),
            Self::Databases(s) => s.buf(enc).lit("databases"),
            Self::ElasticPools(s) => s.buf(enc).lit("elasticPools"),
            Self::RecoverableDatabases(s) => s.buf(enc).lit("recoverableDatabases"),
            Self::DnsAliases(s) => s.buf(enc).lit("dnsAliases"),
            Self::ReplicationLinks(d) => d.buf(enc).lit("replicationLinks"),
            Self::DatabaseOperations(d) => d.buf(enc).lit("operations"),
            Self::ElasticPoolOperations(p) => p.buf(enc).lit("operations"),
            Self::TrafficManagerProfile(id) => id.buf(enc),
            Self::TrafficManagerEndpoint(id) => id.buf(enc),
            Self::Site(id) => id.buf(enc),
            Self::ServerFarm(id) => id.buf(enc),
            Self::OperationStatus(id) => id.buf(enc),
        }
    }

    /// The subscription the resource belongs to.
    pub fn subscription(&self) -> &str {
        match self {
            Self::ResourceGroup(id) => &id.subscription,
            Self::SqlServer(s)
            | Self::Databases(s)
            | Self::ElasticPools(s)
            | Self::RecoverableDatabases(s)
            | Self::DnsAliases(s) => &s.resource_group.subscription,
            Self::SqlDatabase(d) | Self::ReplicationLinks(d) | Self::DatabaseOperations(d) => {
                &d.server.resource_group.subscription
            }
            Self::ElasticPool(p) | Self::ElasticPoolOperations(p) => {
                &p.server.resource_group.subscription
            }
            Self::RecoverableDatabase(id) => &id.server.resource_group.subscription,
            Self::DnsAlias(id) => &id.server.resource_group.subscription,
            Self::ReplicationLink(id) => &id.database.server.resource_group.subscription,
            Self::TrafficManagerProfile(id) => &id.resource_group.subscription,
            Self::TrafficManagerEndpoint(id) => &id.profile.resource_group.subscription,
            Self::Site(id) => &id.resource_group.subscription,
            Self::ServerFarm(id) => &id.resource_group.subscription,
            Self::OperationStatus(id) => &id.subscription,
        }
    }

    /// Parses a path (wire form; a `?query` is ignored) with no trailing action.
    pub fn parse(path: &str) -> Result<Self, IdError> {
        let route = Route::parse(path)?;
        match route.action {
            None => Ok(route.resource),
            Some(_) => Err(IdError::Unknown(path.to_owned())),
        }
    }
}

impl fmt::Display for Resource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.path())
    }
}

macro_rules! id_conversions {
    ($($ty:ident => $variant:ident),* $(,)?) => {$(
        impl From<$ty> for Resource {
            fn from(id: $ty) -> Self {
                Self::$variant(id)
            }
        }
        impl From<&$ty> for Resource {
            fn from(id: &$ty) -> Self {
                Self::$variant(id.clone())
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.path())
            }
        }
    )*};
}

id_conversions! {
    ResourceGroupId => ResourceGroup,
    ServerId => SqlServer,
    DatabaseId => SqlDatabase,
    ElasticPoolId => ElasticPool,
    RecoverableDatabaseId => RecoverableDatabase,
    DnsAliasId => DnsAlias,
    ReplicationLinkId => ReplicationLink,
    ProfileId => TrafficManagerProfile,
    EndpointId => TrafficManagerEndpoint,
    SiteId => Site,
    ServerFarmId => ServerFarm,
    OperationStatusId => OperationStatus,
}

impl From<&Resource> for Resource {
    fn from(r: &Resource) -> Self {
        r.clone()
    }
}

// ---------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------

fn is(segment: &str, literal: &str) -> bool {
    segment.eq_ignore_ascii_case(literal)
}

impl Route {
    /// Parses a request path (wire form). A `?query` or `#fragment` is
    /// ignored. Fixed segments match case-insensitively; names are decoded
    /// and kept as written. Unknown shapes are [`IdError::Unknown`].
    pub fn parse(path: &str) -> Result<Self, IdError> {
        let bare = path.split(['?', '#']).next().unwrap_or_default();
        let Some(rest) = bare.strip_prefix('/') else {
            return Err(IdError::NotAbsolute(path.to_owned()));
        };
        // Every known route has at most this many segments; longer paths
        // are unknown, and are not copied to find that out.
        const MOST: usize = 14;
        let mut segs: [Cow<'_, str>; MOST] = Default::default();
        let mut n = 0;
        for raw in rest.split('/') {
            if raw.is_empty() {
                return Err(IdError::EmptySegment(path.to_owned()));
            }
            let Some(slot) = segs.get_mut(n) else {
                return Err(IdError::Unknown(path.to_owned()));
            };
            *slot =
                decode_segment_borrowed(raw).ok_or_else(|| IdError::BadEscape(path.to_owned()))?;
            n += 1;
        }
        let mut s: [&str; MOST] = [""; MOST];
        for (to, from) in s.iter_mut().zip(&segs[..n]) {
            *to = from;
        }
        parse_segments(&s[..n]).ok_or_else(|| IdError::Unknown(path.to_owned()))
    }

    /// Renders the route back to its path (resource path plus action).
    pub fn path(&self) -> String {
        match self.action {
            None => self.resource.path(),
            Some(a) => format!("{}/{}", self.resource.path(), a.as_str()),
        }
    }
}

fn route(resource: Resource) -> Option<Route> {
    Some(Route {
        resource,
        action: None,
    })
}

fn parse_segments(s: &[&str]) -> Option<Route> {
    let [subs, sub, rest @ ..] = s else {
        return None;
    };
    if !is(subs, "subscriptions") {
        return None;
    }
    match rest {
        [providers, ns, locations, location, kind, op]
            if is(providers, "providers")
                && is(ns, "Microsoft.Sql")
                && is(locations, "locations")
                && StatusKind::is_status_segment(kind) =>
        {
            route(Resource::OperationStatus(OperationStatusId {
                subscription: (*sub).to_owned(),
                resource_group: None,
                location: (*location).to_owned(),
                kind: StatusKind::from(*kind),
                operation_id: (*op).to_owned(),
            }))
        }
        [rgs, rg, rest @ ..] if is(rgs, "resourceGroups") => {
            let group = ResourceGroupId::new(*sub, *rg);
            match rest {
                [] => route(Resource::ResourceGroup(group)),
                [providers, ns, rest @ ..] if is(providers, "providers") => {
                    if is(ns, "Microsoft.Sql") {
                        parse_sql(group, rest)
                    } else if is(ns, "Microsoft.Network") {
                        parse_network(group, rest)
                    } else if is(ns, "Microsoft.Web") {
                        parse_web(group, rest)
                    } else {
                        None
                    }
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn parse_sql(group: ResourceGroupId, s: &[&str]) -> Option<Route> {
    match s {
        [locations, location, kind, op] if is(locations, "locations") => {
            if !StatusKind::is_status_segment(kind) {
                return None;
            }
            route(Resource::OperationStatus(OperationStatusId {
                subscription: group.subscription,
                resource_group: Some(group.name),
                location: (*location).to_owned(),
                kind: StatusKind::from(*kind),
                operation_id: (*op).to_owned(),
            }))
        }
        [servers, server, rest @ ..] if is(servers, "servers") => {
            let server = group.sql_server(*server);
            parse_server_child(server, rest)
        }
        _ => None,
    }
}

fn parse_server_child(server: ServerId, s: &[&str]) -> Option<Route> {
    let r = |resource| route(resource);
    match s {
        [] => r(Resource::SqlServer(server)),
        [t] if is(t, "databases") => r(Resource::Databases(server)),
        [t] if is(t, "elasticPools") => r(Resource::ElasticPools(server)),
        [t] if is(t, "recoverableDatabases") => r(Resource::RecoverableDatabases(server)),
        [t] if is(t, "dnsAliases") => r(Resource::DnsAliases(server)),
        [t, name, rest @ ..] if is(t, "databases") => {
            let db = server.database(*name);
            match rest {
                [] => r(Resource::SqlDatabase(db)),
                [a] if is(a, Action::Move.as_str()) => Some(Route {
                    resource: Resource::SqlDatabase(db),
                    action: Some(Action::Move),
                }),
                [t] if is(t, "replicationLinks") => r(Resource::ReplicationLinks(db)),
                [t] if is(t, "operations") => r(Resource::DatabaseOperations(db)),
                [t, link, rest @ ..] if is(t, "replicationLinks") => {
                    let link = db.replication_link(*link);
                    let action = match rest {
                        [] => None,
                        [a] if is(a, Action::Failover.as_str()) => Some(Action::Failover),
                        [a] if is(a, Action::ForceFailoverAllowDataLoss.as_str()) => {
                            Some(Action::ForceFailoverAllowDataLoss)
                        }
                        _ => return None,
                    };
                    Some(Route {
                        resource: Resource::ReplicationLink(link),
                        action,
                    })
                }
                _ => None,
            }
        }
        [t, name, rest @ ..] if is(t, "elasticPools") => {
            let pool = server.elastic_pool(*name);
            match rest {
                [] => r(Resource::ElasticPool(pool)),
                [t] if is(t, "operations") => r(Resource::ElasticPoolOperations(pool)),
                _ => None,
            }
        }
        [t, name] if is(t, "recoverableDatabases") => r(Resource::RecoverableDatabase(
            server.recoverable_database(*name),
        )),
        [t, name, rest @ ..] if is(t, "dnsAliases") => {
            let alias = server.dns_alias(*name);
            let action = match rest {
                [] => None,
                [a] if is(a, Action::Acquire.as_str()) => Some(Action::Acquire),
                _ => return None,
            };
            Some(Route {
                resource: Resource::DnsAlias(alias),
                action,
            })
        }
        _ => None,
    }
}

fn parse_network(group: ResourceGroupId, s: &[&str]) -> Option<Route> {
    match s {
        [t, name, rest @ ..] if is(t, "trafficmanagerprofiles") => {
            let profile = group.traffic_manager_profile(*name);
            match rest {
                [] => route(Resource::TrafficManagerProfile(profile)),
                [ty, name] => {
                    let ty = EndpointType::parse(ty)?;
                    route(Resource::TrafficManagerEndpoint(
                        profile.endpoint(ty, *name),
                    ))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

fn parse_web(group: ResourceGroupId, s: &[&str]) -> Option<Route> {
    match s {
        [t, name] if is(t, "sites") => route(Resource::Site(group.site(*name))),
        [t, name] if is(t, "serverfarms") => route(Resource::ServerFarm(group.server_farm(*name))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> ServerId {
        ServerId::new("sub-1", "rg-1", "srv-1")
    }

    fn all() -> Vec<Route> {
        let s = server();
        let db = s.database("db-1");
        let pool = s.elastic_pool("pool-1");
        let link = db.replication_link("fb92de60-eb87-4a58-b250-3362d0cfdf26");
        let group = ResourceGroupId::new("sub-1", "rg-1");
        let profile = group.traffic_manager_profile("tm");
        let plain = |r: Resource| Route {
            resource: r,
            action: None,
        };
        vec![
            plain(group.clone().into()),
            plain(s.clone().into()),
            plain(db.clone().into()),
            plain(pool.clone().into()),
            plain(s.recoverable_database("db-1").into()),
            plain(s.dns_alias("alias").into()),
            plain(link.clone().into()),
            plain(Resource::Databases(s.clone())),
            plain(Resource::ElasticPools(s.clone())),
            plain(Resource::RecoverableDatabases(s.clone())),
            plain(Resource::DnsAliases(s.clone())),
            plain(Resource::ReplicationLinks(db.clone())),
            plain(Resource::DatabaseOperations(db.clone())),
            plain(Resource::ElasticPoolOperations(pool.clone())),
            plain(profile.clone().into()),
            plain(
                profile
                    .endpoint(EndpointType::ExternalEndpoints, "e1")
                    .into(),
            ),
            plain(profile.endpoint(EndpointType::AzureEndpoints, "e2").into()),
            plain(profile.endpoint(EndpointType::NestedEndpoints, "e3").into()),
            plain(group.site("app").into()),
            plain(group.server_farm("plan").into()),
            plain(Resource::OperationStatus(OperationStatusId {
                subscription: "sub-1".into(),
                resource_group: Some("rg-1".into()),
                location: "westeurope".into(),
                kind: StatusKind::DatabaseAzureAsyncOperation,
                operation_id: "op-1".into(),
            })),
            plain(Resource::OperationStatus(OperationStatusId {
                subscription: "sub-1".into(),
                resource_group: None,
                location: "JapanWest".into(),
                kind: StatusKind::ReplicationLinksOperationResults,
                operation_id: "op-2".into(),
            })),
            Route {
                resource: s.dns_alias("alias").into(),
                action: Some(Action::Acquire),
            },
            Route {
                resource: link.clone().into(),
                action: Some(Action::Failover),
            },
            Route {
                resource: link.into(),
                action: Some(Action::ForceFailoverAllowDataLoss),
            },
        ]
    }

    #[test]
    fn every_route_round_trips() {
        for r in all() {
            let path = r.path();
            assert_eq!(Route::parse(&path), Ok(r.clone()), "{path}");
            // with a query string too
            assert_eq!(
                Route::parse(&format!("{path}?api-version=2023-08-01")),
                Ok(r),
                "{path}"
            );
        }
    }

    #[test]
    fn renders_the_documented_paths() {
        let db = server().database("db-1");
        assert_eq!(
            db.path(),
            "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers/srv-1/databases/db-1"
        );
        let ep = ResourceGroupId::new("s", "g")
            .traffic_manager_profile("p")
            .endpoint(EndpointType::ExternalEndpoints, "e");
        assert_eq!(
            ep.path(),
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/trafficmanagerprofiles/p/ExternalEndpoints/e"
        );
        assert_eq!(
            Resource::Databases(server()).path(),
            "/subscriptions/sub-1/resourceGroups/rg-1/providers/Microsoft.Sql/servers/srv-1/databases"
        );
    }

    #[test]
    fn type_segments_are_case_insensitive_and_names_keep_their_case() {
        let p = "/SUBSCRIPTIONS/Sub-A/resourcegroups/RG-Mixed/PROVIDERS/microsoft.sql/Servers/SrvX/DATABASES/DbY";
        let r = Resource::parse(p).unwrap();
        assert_eq!(
            r,
            Resource::SqlDatabase(ServerId::new("Sub-A", "RG-Mixed", "SrvX").database("DbY"))
        );
        // The fixture ids spell the TM type "trafficManagerProfiles/externalEndpoints".
        let id = "/subscriptions/{subscription-id}/resourceGroups/g/providers/Microsoft.Network/trafficManagerProfiles/azsmnet6386/externalEndpoints/azsmnet7187";
        let Resource::TrafficManagerEndpoint(ep) = Resource::parse(id).unwrap() else {
            panic!("not an endpoint")
        };
        assert_eq!(ep.endpoint_type, EndpointType::ExternalEndpoints);
        assert_eq!(ep.profile.resource_group.subscription, "{subscription-id}");
        assert_eq!(ep.name, "azsmnet7187");
        // Status kinds are recognised whatever their case.
        let st = Resource::parse(
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/locations/westeurope/DATABASEAZUREASYNCOPERATION/x",
        )
        .unwrap();
        let Resource::OperationStatus(st) = st else {
            panic!()
        };
        assert_eq!(st.kind, StatusKind::DatabaseAzureAsyncOperation);
        assert!(st.kind.is_async_operation());
        assert!(!StatusKind::DatabaseOperationResults.is_async_operation());
    }

    #[test]
    fn names_with_spaces_and_slashes_round_trip() {
        let s = ServerId::new("00000000-1111-2222-3333-444444444444 ", "rg", "srv");
        let ep = ResourceGroupId::new("s", "g")
            .traffic_manager_profile("p")
            .endpoint(EndpointType::ExternalEndpoints, "My external/endpoint 100%");
        assert_eq!(
            s.path(),
            "/subscriptions/00000000-1111-2222-3333-444444444444%20/resourceGroups/rg/providers/Microsoft.Sql/servers/srv"
        );
        assert_eq!(
            s.id(),
            "/subscriptions/00000000-1111-2222-3333-444444444444 /resourceGroups/rg/providers/Microsoft.Sql/servers/srv"
        );
        assert_eq!(Resource::parse(&s.id()), Ok(Resource::SqlServer(s.clone())));
        assert_eq!(Resource::parse(&s.path()), Ok(Resource::SqlServer(s)));
        assert!(ep.path().ends_with("/My%20external%2Fendpoint%20100%25"));
        assert_eq!(
            Resource::parse(&ep.path()),
            Ok(Resource::TrafficManagerEndpoint(ep))
        );
        // A raw (unencoded) space is accepted as well.
        let raw = "/subscriptions/a b/resourceGroups/g";
        assert_eq!(
            Resource::parse(raw),
            Ok(Resource::ResourceGroup(ResourceGroupId::new("a b", "g")))
        );
        // A stray % is kept.
        assert_eq!(decode_segment("100%"), Some("100%".to_owned()));
        assert_eq!(decode_segment("%zz"), Some("%zz".to_owned()));
        assert_eq!(decode_segment("%ff"), None);
        // The longest known route parses; one segment more is unknown.
        let failover = format!("{}/failover", s_db().replication_link("l").path());
        assert_eq!(failover.split('/').count() - 1, 13);
        assert!(Route::parse(&failover).is_ok());
        assert!(matches!(
            Route::parse(&format!("{failover}/x")),
            Err(IdError::Unknown(_))
        ));
        let deep = format!("{failover}{}", "/x".repeat(20));
        assert!(matches!(Route::parse(&deep), Err(IdError::Unknown(_))));
    }

    fn s_db() -> DatabaseId {
        ServerId::new("s", "g", "srv").database("d%1")
    }

    #[test]
    fn unknown_paths_are_errors() {
        let cases = [
            ("", IdError::NotAbsolute(String::new())),
            (
                "subscriptions/s",
                IdError::NotAbsolute("subscriptions/s".into()),
            ),
            ("/", IdError::EmptySegment("/".into())),
            (
                "/subscriptions//resourceGroups/g",
                IdError::EmptySegment("/subscriptions//resourceGroups/g".into()),
            ),
            (
                "/subscriptions/s/resourceGroups/g/",
                IdError::EmptySegment("/subscriptions/s/resourceGroups/g/".into()),
            ),
            ("/%ff", IdError::BadEscape("/%ff".into())),
        ];
        for (p, e) in cases {
            assert_eq!(Route::parse(p), Err(e), "{p:?}");
        }
        for p in [
            "/subscriptions/s",
            "/subscriptions/s/resourceGroups",
            "/tenants/t/resourceGroups/g",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/a",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/firewallRules/r",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/databases/d/extra/e",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/databases/d/failover",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/servers/x/dnsAliases/a/failover",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/locations/w/somethingElse/1",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Network/trafficmanagerprofiles/p/OtherEndpoints/e",
            "/subscriptions/s/resourceGroups/g/providers/Microsoft.Web/sites/a/slots/b",
        ] {
            assert_eq!(Route::parse(p), Err(IdError::Unknown(p.to_owned())), "{p}");
        }
        // An action is not a plain resource.
        let acquire = format!("{}/acquire", server().dns_alias("a").path());
        assert!(Route::parse(&acquire).is_ok());
        assert_eq!(Resource::parse(&acquire), Err(IdError::Unknown(acquire)));
    }

    #[test]
    fn subscription_accessor() {
        for r in all() {
            assert_eq!(r.resource.subscription(), "sub-1");
        }
    }
}
