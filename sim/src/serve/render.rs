//! ARM bodies, status URLs, headers and error answers, built from the
//! model's state. Pure functions: no model access here.

use ::arm::body::{
    AsyncStatus, Database, DatabaseProperties, DatabaseStatus, ElasticPool, ElasticPoolProperties,
    ElasticPoolState, Endpoint, EndpointProperties, EndpointStatus, ErrorDetail, OperationStatus,
    PerDatabaseSettings, Profile, RecoverableDatabase, RecoverableDatabaseProperties,
    ReplicationLink, ReplicationLinkProperties, ReplicationRole, ReplicationState, SecondaryType,
    Server, ServerDnsAlias, ServerDnsAliasProperties, ServerProperties, Sku,
};
use ::arm::codes;
use ::arm::id::{
    DnsAliasId, EndpointId, EndpointType, OperationStatusId, ProfileId, ResourceGroupId, ServerId,
    StatusKind,
};
use ::arm::{Headers, Response, api_version};

use crate::arm::OpClass;
use crate::codes as model_codes;
use crate::request::{DatabaseInfo, DbState, OpHandle, OpStatus, PoolState};
use crate::rng::fnv1a_64_parts;

/// `type` of a database.
pub(super) const DATABASE_TYPE: &str = "Microsoft.Sql/servers/databases";
/// `type` of an elastic pool.
pub(super) const POOL_TYPE: &str = "Microsoft.Sql/servers/elasticPools";
/// `type` of a server.
pub(super) const SERVER_TYPE: &str = "Microsoft.Sql/servers";
/// `type` of a replication link.
pub(super) const LINK_TYPE: &str = "Microsoft.Sql/servers/databases/replicationLinks";
/// `kind` of a user database.
const DATABASE_KIND: &str = "v12.0,user";

/// A location name as ARM writes it in bodies and URLs: lower case,
/// spaces removed (`"Japan East"` → `"japaneast"`).
pub(super) fn normalize_location(location: &str) -> String {
    location
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two location names denote the same region (case-insensitive,
/// spaces ignored), without allocating.
pub(super) fn same_location(a: &str, b: &str) -> bool {
    let strip = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect::<Vec<_>>()
    };
    // Locations are short; the comparison is not on a hot path.
    strip(a) == strip(b)
}

// ----- databases ---------------------------------------------------------

/// `properties.status` of a database in `state`.
pub(super) fn database_status(state: DbState) -> DatabaseStatus {
    match state {
        DbState::RestoreQueued => DatabaseStatus::Creating,
        DbState::Restoring => DatabaseStatus::Restoring,
        DbState::Seeding => DatabaseStatus::Copying,
        DbState::Online | DbState::Secondary | DbState::FailingOver => DatabaseStatus::Online,
        DbState::Moving => DatabaseStatus::Scaling,
    }
}

/// `properties.secondaryType` of a database in `state`: `Geo` for a
/// geo-secondary (seeded or being seeded).
fn secondary_type(state: DbState) -> Option<SecondaryType> {
    matches!(state, DbState::Secondary | DbState::Seeding).then_some(SecondaryType::Geo)
}

/// A database body. `server_id` is the server's resource id (as in JSON
/// bodies), `pool_id` the elastic pool's resource id when in a pool.
/// The elastic pool a database is in, as its body shows it.
pub(super) struct Pooled {
    /// The pool's resource id.
    pub id: String,
    /// The pool's SKU tier, if its PUT named one.
    pub tier: Option<String>,
}

pub(super) fn database(
    server_id: &str,
    name: &str,
    location: &str,
    info: &DatabaseInfo,
    pool: Option<Pooled>,
    detail: bool,
) -> Database {
    if !detail {
        return lean_database(server_id, name, location, info, pool.map(|p| p.id));
    }
    let (pool_id, tier) = match pool {
        Some(p) => (Some(p.id), Some(p.tier)),
        None => (None, None),
    };
    let mut db = Database {
        id: Some(format!("{server_id}/databases/{name}")),
        name: Some(name.to_owned()),
        resource_type: Some(DATABASE_TYPE.to_owned()),
        location: Some(location.to_owned()),
        kind: Some(DATABASE_KIND.to_owned()),
        properties: Some(DatabaseProperties {
            status: Some(database_status(info.state)),
            secondary_type: secondary_type(info.state),
            elastic_pool_id: pool_id,
            database_id: Some(database_guid(server_id, info.id.0)),
            creation_date: Some(iso_time(info.created_ms)),
            collation: Some(DEFAULT_COLLATION.to_owned()),
            catalog_collation: Some(DEFAULT_COLLATION.to_owned()),
            ..DatabaseProperties::default()
        }),
        ..Database::default()
    };
    if let Some(tier) = tier {
        set_pool_sku(&mut db, Some(tier));
    }
    db
}

/// A database body with only what a recovery reads (id, name, type,
/// location, kind, status, pool): what list pages hold when
/// [`crate::AzureModel::set_lean_lists`] asked for it.
fn lean_database(
    server_id: &str,
    name: &str,
    location: &str,
    info: &DatabaseInfo,
    pool_id: Option<String>,
) -> Database {
    Database {
        id: Some(format!("{server_id}/databases/{name}")),
        name: Some(name.to_owned()),
        resource_type: Some(DATABASE_TYPE.to_owned()),
        location: Some(location.to_owned()),
        kind: Some(DATABASE_KIND.to_owned()),
        properties: Some(DatabaseProperties {
            status: Some(database_status(info.state)),
            secondary_type: secondary_type(info.state),
            elastic_pool_id: pool_id,
            ..DatabaseProperties::default()
        }),
        ..Database::default()
    }
}

/// The service objective and SKU of a database in an elastic pool
/// (`Some(tier)`: `ElasticPool`, the pool's tier, capacity 0: it shares
/// the pool's), or none (`None`: the model knows no SKU for a standalone
/// database).
fn set_pool_sku(db: &mut Database, pool_tier: Option<Option<String>>) {
    let in_pool = pool_tier.is_some();
    let sku = pool_tier.map(|tier| Sku {
        name: POOLED_OBJECTIVE.to_owned(),
        tier,
        capacity: Some(0),
        ..Sku::default()
    });
    let objective = in_pool.then(|| POOLED_OBJECTIVE.to_owned());
    let props = db
        .properties
        .get_or_insert_with(DatabaseProperties::default);
    props.current_sku.clone_from(&sku);
    props.current_service_objective_name.clone_from(&objective);
    props.requested_service_objective_name = objective;
    db.sku = sku;
}

/// The service objective of a database in an elastic pool.
const POOLED_OBJECTIVE: &str = "ElasticPool";

/// The collation of every database (Azure's default; the model creates
/// databases by restores, which keep their source's, and sources have
/// the default).
const DEFAULT_COLLATION: &str = "SQL_Latin1_General_CP1_CI_AS";

/// `databaseId`: a GUID fixed by the database's server and model id (kept
/// by a rename; a database recreated under the same name gets a new one).
fn database_guid(server_id: &str, id: u32) -> String {
    let hi = fnv1a_64_parts(&["database_id", server_id]);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        (hi >> 48) ^ u64::from(id >> 16),
        u64::from(id) & 0xffff_ffff_ffff
    )
}

/// Updates a rendered database body to a new state and pool (`pool` is
/// only read when `pool_changed`).
pub(super) fn set_database_state(
    db: &mut Database,
    state: DbState,
    pool_changed: bool,
    pool: impl FnOnce() -> Option<Pooled>,
    detail: bool,
) {
    let props = db
        .properties
        .get_or_insert_with(DatabaseProperties::default);
    props.status = Some(database_status(state));
    props.secondary_type = secondary_type(state);
    if pool_changed {
        let (id, tier) = match pool() {
            Some(p) => (Some(p.id), Some(p.tier)),
            None => (None, None),
        };
        props.elastic_pool_id = id;
        if detail {
            set_pool_sku(db, tier);
        }
    }
}

// ----- DNS aliases -------------------------------------------------------

/// A server DNS alias as `ServerDnsAliases_Get` shows it.
pub(super) fn dns_alias(id: &DnsAliasId) -> ServerDnsAlias {
    ServerDnsAlias {
        id: Some(id.id()),
        name: Some(id.name.clone()),
        resource_type: Some("Microsoft.Sql/servers/dnsAliases".to_owned()),
        properties: Some(ServerDnsAliasProperties {
            azure_dns_record: Some(format!("{}.database.windows.net", id.name)),
            ..ServerDnsAliasProperties::default()
        }),
        ..ServerDnsAlias::default()
    }
}

// ----- recoverable databases ---------------------------------------------

/// `type` of a recoverable database.
const RECOVERABLE_TYPE: &str = "Microsoft.Sql/servers/recoverableDatabases";

/// A recoverable database (geo-backup) as `RecoverableDatabases_Get`
/// shows it: `lastAvailableBackupDate` is `age_ms` before the model's
/// start (the outage); the model keeps no edition, objective or pool of
/// the origin database, so `elasticPoolName` is null and the others are
/// absent.
pub(super) fn recoverable_database(
    server_id: &str,
    name: &str,
    age_ms: u64,
) -> RecoverableDatabase {
    RecoverableDatabase {
        id: Some(format!("{server_id}/recoverableDatabases/{name}")),
        name: Some(name.to_owned()),
        resource_type: Some(RECOVERABLE_TYPE.to_owned()),
        properties: Some(RecoverableDatabaseProperties {
            last_available_backup_date: Some(iso_time_signed(
                -i64::try_from(age_ms).unwrap_or(i64::MAX),
            )),
            ..RecoverableDatabaseProperties::default()
        }),
        ..RecoverableDatabase::default()
    }
}

// ----- servers -------------------------------------------------------------

/// A provisioned server as `Servers_Get` shows it: Azure's id, name, type,
/// `kind: v12.0` and `properties` `version`, `state: Ready`,
/// `fullyQualifiedDomainName` and `publicNetworkAccess`. The model keeps
/// no administrator, so none is shown.
pub(super) fn server(id: &ServerId, location: &str) -> Server {
    Server {
        id: Some(id.id()),
        name: Some(id.name.clone()),
        resource_type: Some(SERVER_TYPE.to_owned()),
        location: Some(location.to_owned()),
        kind: Some("v12.0".to_owned()),
        properties: Some(ServerProperties {
            version: Some("12.0".to_owned()),
            state: Some("Ready".to_owned()),
            fully_qualified_domain_name: Some(format!("{}.database.windows.net", id.name)),
            public_network_access: Some("Enabled".to_owned()),
            ..ServerProperties::default()
        }),
        ..Server::default()
    }
}

// ----- elastic pools -----------------------------------------------------

/// An elastic pool body (list item).
///
/// `sku` is the one of its PUT, else ARM's default for a PUT without one
/// (`StandardPool`, 100 DTU, as the ElasticPoolCreateOrUpdateMin example
/// answers); `perDatabaseSettings` the SKU's default (0 to the pool's
/// capacity per database); `creationDate` its first PUT in model time.
pub(super) fn elastic_pool(
    server_id: &str,
    name: &str,
    location: &str,
    state: PoolState,
    sku: Option<Sku>,
    created_ms: u64,
) -> ElasticPool {
    let sku = sku.unwrap_or_else(|| Sku {
        name: "StandardPool".to_owned(),
        tier: Some("Standard".to_owned()),
        capacity: Some(100),
        ..Sku::default()
    });
    let per_database = PerDatabaseSettings {
        min_capacity: Some(0.0),
        max_capacity: sku.capacity.map(f64::from),
        ..PerDatabaseSettings::default()
    };
    ElasticPool {
        id: Some(format!("{server_id}/elasticPools/{name}")),
        name: Some(name.to_owned()),
        resource_type: Some(POOL_TYPE.to_owned()),
        location: Some(location.to_owned()),
        sku: Some(sku),
        properties: Some(ElasticPoolProperties {
            state: Some(match state {
                PoolState::Creating => ElasticPoolState::Creating,
                PoolState::Ready => ElasticPoolState::Ready,
                PoolState::Failed => ElasticPoolState::Disabled,
            }),
            creation_date: Some(iso_time(created_ms)),
            per_database_settings: Some(per_database),
            ..ElasticPoolProperties::default()
        }),
        ..ElasticPool::default()
    }
}

// ----- replication links -------------------------------------------------

/// The name (GUID-shaped) of the replication link between two databases,
/// the same from both ends and after a failover: FNV-1a of the two
/// `(server, database)` ends in a fixed order.
pub(super) fn link_name(a: (&str, &str), b: (&str, &str)) -> String {
    let (x, y) = if a <= b { (a, b) } else { (b, a) };
    let hi = fnv1a_64_parts(&["replication_link", x.0, x.1, y.0, y.1]);
    let lo = fnv1a_64_parts(&["replication_link:2", x.0, x.1, y.0, y.1]);
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

/// What a replication link body says.
pub(super) struct LinkView<'a> {
    pub id: String,
    pub name: String,
    pub partner_server: &'a str,
    pub partner_database: &'a str,
    pub partner_location: String,
    pub is_secondary: bool,
    pub seeding: bool,
    pub started_ms: u64,
}

/// A replication link body.
pub(super) fn replication_link(view: LinkView<'_>) -> ReplicationLink {
    let (role, partner_role) = if view.is_secondary {
        (ReplicationRole::Secondary, ReplicationRole::Primary)
    } else {
        (ReplicationRole::Primary, ReplicationRole::Secondary)
    };
    ReplicationLink {
        id: Some(view.id),
        name: Some(view.name),
        resource_type: Some(LINK_TYPE.to_owned()),
        properties: Some(ReplicationLinkProperties {
            partner_server: Some(view.partner_server.to_owned()),
            partner_database: Some(view.partner_database.to_owned()),
            partner_location: Some(view.partner_location),
            role: Some(role),
            partner_role: Some(partner_role),
            replication_mode: Some("ASYNC".to_owned()),
            percent_complete: Some(if view.seeding { 0 } else { 100 }),
            replication_state: Some(if view.seeding {
                ReplicationState::Seeding
            } else {
                ReplicationState::CatchUp
            }),
            is_termination_allowed: Some(true),
            link_type: Some("GEO".to_owned()),
            start_time: Some(iso_time(view.started_ms)),
            ..ReplicationLinkProperties::default()
        }),
        ..ReplicationLink::default()
    }
}

// ----- Traffic Manager ---------------------------------------------------

/// An endpoint body: the request's properties (if any) with `endpointStatus`.
/// `patch`'s properties over `base`'s (`None`: `patch` alone); unknown
/// properties merge the same way.
pub(super) fn overlay_endpoint(
    base: Option<EndpointProperties>,
    patch: EndpointProperties,
) -> EndpointProperties {
    let Some(base) = base else {
        return patch;
    };
    let mut extra = base.extra;
    extra.extend(patch.extra);
    EndpointProperties {
        target_resource_id: patch.target_resource_id.or(base.target_resource_id),
        target: patch.target.or(base.target),
        endpoint_status: patch.endpoint_status.or(base.endpoint_status),
        weight: patch.weight.or(base.weight),
        priority: patch.priority.or(base.priority),
        endpoint_location: patch.endpoint_location.or(base.endpoint_location),
        endpoint_monitor_status: patch
            .endpoint_monitor_status
            .or(base.endpoint_monitor_status),
        extra,
    }
}

/// A Traffic Manager profile as GET shows it: the PUT body with its id,
/// name, type, `location: global`, `profileStatus` (Enabled unless given),
/// the DNS name's `fqdn` (`<relativeName>.trafficmanager.net`) and
/// `endpoints`.
pub(super) fn profile(id: &ProfileId, stored: Profile, endpoints: Vec<Endpoint>) -> Profile {
    let mut props = stored.properties.unwrap_or_default();
    props
        .profile_status
        .get_or_insert_with(|| "Enabled".to_owned());
    if let Some(dns) = props.dns_config.as_mut()
        && dns.fqdn.is_none()
        && let Some(relative) = &dns.relative_name
    {
        dns.fqdn = Some(format!("{relative}.trafficmanager.net"));
    }
    props.endpoints = Some(endpoints);
    Profile {
        id: Some(id.id()),
        name: Some(id.name.clone()),
        resource_type: Some("Microsoft.Network/trafficManagerProfiles".to_owned()),
        location: Some("global".to_owned()),
        tags: stored.tags,
        properties: Some(props),
        extra: stored.extra,
    }
}

pub(super) fn endpoint(
    id: &EndpointId,
    props: Option<EndpointProperties>,
    enabled: bool,
) -> Endpoint {
    let segment = match id.endpoint_type {
        EndpointType::AzureEndpoints => "azureEndpoints",
        EndpointType::ExternalEndpoints => "externalEndpoints",
        EndpointType::NestedEndpoints => "nestedEndpoints",
    };
    let mut props = props.unwrap_or_default();
    props.endpoint_status = Some(if enabled {
        EndpointStatus::Enabled
    } else {
        EndpointStatus::Disabled
    });
    // What Azure fills in: the monitor's view, and the default routing
    // weight and priority.
    let monitor = match props.endpoint_monitor_status.take() {
        _ if !enabled => "Disabled".to_owned(),
        Some(m) if m != "Disabled" => m,
        _ => "CheckingEndpoint".to_owned(),
    };
    props.endpoint_monitor_status = Some(monitor);
    props.weight.get_or_insert(1);
    props.priority.get_or_insert(1);
    Endpoint {
        id: Some(id.id()),
        name: Some(id.name.clone()),
        resource_type: Some(format!(
            "Microsoft.Network/trafficManagerProfiles/{segment}"
        )),
        properties: Some(props),
        ..Endpoint::default()
    }
}

// ----- operations --------------------------------------------------------

/// The two monitors of an accepted operation: (`Azure-AsyncOperation`,
/// `Location`), as paths with their api-version (a transport prefixes its
/// own scheme and host).
pub(super) fn status_urls(
    group: &ResourceGroupId,
    location: &str,
    op: OpHandle,
) -> (String, String) {
    let mut id = OperationStatusId {
        subscription: group.subscription.clone(),
        resource_group: Some(group.name.clone()),
        location: location.to_owned(),
        kind: StatusKind::DatabaseAzureAsyncOperation,
        operation_id: op.0.to_string(),
    };
    let monitor = format!("{}?api-version={}", id.path(), api_version::SQL);
    id.kind = StatusKind::DatabaseOperationResults;
    let result = format!("{}?api-version={}", id.path(), api_version::SQL);
    (monitor, result)
}

/// `"YYYY-MM-DDTHH:MM:SS.mmmZ"` of model time `ms` (the model's clock
/// counts from the Unix epoch here; only differences matter).
pub(super) fn iso_time(ms: u64) -> String {
    iso_time_signed(i64::try_from(ms).unwrap_or(i64::MAX))
}

/// [`iso_time`] of a model time that may lie before its start (negative).
pub(super) fn iso_time_signed(ms: i64) -> String {
    let secs = ms.div_euclid(1_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60,
        ms.rem_euclid(1_000)
    )
}

/// A readable message for an operation's failure code.
fn failure_message(code: &str) -> String {
    let what = match code {
        model_codes::RESTORE_FAILED => "The geo-backup could not be restored.",
        model_codes::INTERNAL_SERVER_ERROR => {
            "An unexpected error occurred while processing the request; it can be retried."
        }
        model_codes::REGION_DOES_NOT_ALLOW_PROVISIONING => {
            "The region does not allow provisioning at this time; it can be retried later."
        }
        _ => "The operation failed.",
    };
    format!("{what} ({code})")
}

/// The `error` of a failed or cancelled operation, `None` otherwise.
pub(super) fn operation_error(status: OpStatus) -> Option<ErrorDetail> {
    let (code, message) = match status {
        OpStatus::Failed { code, .. } => (code, failure_message(code)),
        OpStatus::Canceled => (
            model_codes::OPERATION_CANCELED,
            "The operation was cancelled: its resource was deleted.".to_owned(),
        ),
        OpStatus::InProgress | OpStatus::Succeeded => return None,
    };
    Some(ErrorDetail {
        code: code.to_owned(),
        message,
        ..ErrorDetail::default()
    })
}

/// An `Azure-AsyncOperation` status body.
pub(super) fn operation_status(id: String, op: &str, status: OpStatus) -> OperationStatus {
    let mut body = OperationStatus::new(
        op,
        match status {
            OpStatus::InProgress => AsyncStatus::InProgress,
            OpStatus::Succeeded => AsyncStatus::Succeeded,
            OpStatus::Failed { .. } => AsyncStatus::Failed,
            OpStatus::Canceled => AsyncStatus::Canceled,
        },
    );
    body.id = Some(id);
    body.error = operation_error(status);
    body
}

/// The HTTP status a `Location` poll answers for an ended operation that
/// did not succeed: 500 for a retryable failure, 400 for a permanent
/// one, 409 for a cancellation (`OperationCancelled`).
pub(super) fn failed_poll_status(status: OpStatus) -> u16 {
    match status {
        OpStatus::Failed {
            retryable: true, ..
        } => 500,
        OpStatus::Failed { .. } => 400,
        _ => 409,
    }
}

// ----- answers -----------------------------------------------------------

/// Sets the `x-ms-ratelimit-remaining-subscription-{class}` header.
pub(super) fn with_remaining(mut response: Response, class: OpClass, remaining: u32) -> Response {
    let limits = &mut response.headers.rate_limits;
    let slot = match class {
        OpClass::Reads => &mut limits.subscription_reads,
        OpClass::Writes => &mut limits.subscription_writes,
        OpClass::Deletes => &mut limits.subscription_deletes,
    };
    *slot = Some(remaining);
    response
}

/// 429: `Retry-After` and ARM's throttling error for the class.
pub(super) fn throttled(class: OpClass, subscription: &str, retry_after_s: u64) -> Response {
    let (code, kind) = match class {
        OpClass::Writes => (codes::SUBSCRIPTION_TOO_MANY_CREATE_UPDATE_REQUESTS, "write"),
        OpClass::Reads => (codes::SUBSCRIPTION_TOO_MANY_REQUESTS, "read"),
        OpClass::Deletes => (codes::SUBSCRIPTION_TOO_MANY_REQUESTS, "delete"),
    };
    Response::new(429)
        .with_headers(Headers {
            retry_after: Some(retry_after_s.to_string()),
            ..Headers::default()
        })
        .with_error(
            code,
            format!(
                "The number of {kind} requests for subscription '{subscription}' exceeded the limit. Please try again after '{retry_after_s}' seconds."
            ),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_time_is_a_civil_date() {
        assert_eq!(iso_time(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(iso_time(1_234), "1970-01-01T00:00:01.234Z");
        // 2000-03-01 (after a leap day) = 11017 days.
        assert_eq!(
            iso_time(11_017 * 86_400_000 + 3_723_004),
            "2000-03-01T01:02:03.004Z"
        );
        assert!(iso_time(u64::MAX).ends_with('Z'));
        // Before the start: the day before the epoch.
        assert_eq!(iso_time_signed(-1), "1969-12-31T23:59:59.999Z");
        assert_eq!(iso_time_signed(-86_400_000), "1969-12-31T00:00:00.000Z");
    }

    #[test]
    fn lean_entries_leave_out_what_full_ones_add() {
        let info = DatabaseInfo {
            id: crate::request::DbId(7),
            state: DbState::Online,
            pool: None,
            size_gb: 1.0,
            created_ms: 86_400_000,
        };
        let pooled = || {
            Some(Pooled {
                id: "/p".to_owned(),
                tier: Some("GeneralPurpose".to_owned()),
            })
        };
        let full = database("/s", "db", "x", &info, pooled(), true);
        let props = full.properties.clone().unwrap_or_default();
        assert_eq!(
            props.creation_date.as_deref(),
            Some("1970-01-02T00:00:00.000Z")
        );
        assert_eq!(props.collation.as_deref(), Some(DEFAULT_COLLATION));
        assert_eq!(
            full.sku.and_then(|s| s.tier).as_deref(),
            Some("GeneralPurpose")
        );
        let lean = database("/s", "db", "x", &info, pooled(), false);
        let props = lean.properties.clone().unwrap_or_default();
        assert_eq!(props.elastic_pool_id.as_deref(), Some("/p"));
        assert!(props.creation_date.is_none() && props.database_id.is_none());
        assert!(lean.sku.is_none());
    }

    #[test]
    fn link_names_are_guids_and_symmetric() {
        let a = link_name(("s1", "db"), ("s2", "db"));
        assert_eq!(a, link_name(("s2", "db"), ("s1", "db")));
        assert_ne!(a, link_name(("s1", "db"), ("s3", "db")));
        let parts: Vec<usize> = a.split('-').map(str::len).collect();
        assert_eq!(parts, [8, 4, 4, 4, 12]);
        assert!(a.chars().all(|c| c == '-' || c.is_ascii_hexdigit()));
    }

    #[test]
    fn locations_compare_loosely() {
        assert_eq!(normalize_location("Japan East"), "japaneast");
        assert!(same_location("Japan East", "japaneast"));
        assert!(same_location(" North  Europe", "NORTHEUROPE"));
        assert!(!same_location("North Europe", "West Europe"));
    }
}
