//! Conformance with Azure's own REST examples (`x-ms-examples`), read at
//! test time from `../shared/fixtures/azure-rest/` (never copied here).
//!
//! For every fixture file (each must have an entry in [`expectation`];
//! an unknown file fails the test, and so does an entry whose file is gone):
//! - the request the crate renders from the fixture's parameters has the
//!   method, path (the swagger template filled in, names percent-encoded)
//!   and api-version expected, and a server reading it back
//!   (`Request::from_wire`) gets the same request;
//! - the request body (`parameters.parameters`) read into the crate's typed
//!   body and written again equals the fixture, and so does the body of the
//!   request the crate builds with it;
//! - every response body read into its typed body and written again equals
//!   the fixture (also through `Payload` and `Response::json`), and every
//!   `id` in it parses to a resource of the right kind;
//! - every response status (with its headers) fed to `interpret` gives the
//!   expected outcome.
//!
//! JSON is compared as values, with these documented exceptions only:
//! 1. **null = absent**: object members whose value is `null` are dropped
//!    on both sides (ARM treats them alike; typed `None` fields are not
//!    written). Affects `kind: null` (elastic pools), `elasticPoolName:
//!    null` (recoverable database, 2014 database), `sampleName` and
//!    `failoverGroupId` (2014 database).
//! 2. **numbers by value**: numbers compare as `f64`, so `0` equals `0.0`
//!    (typed `f64` capacities such as `perDatabaseSettings.minCapacity`).
//! 3. per file, listed in [`FILE_EXCEPTIONS`].
//!
//! The api-version of two files differs from the one the crate sends; they
//! are listed in [`API_VERSION_EXCEPTIONS`].

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::{Path, PathBuf};

use arm::body::{
    AcquireDnsAlias, Database, DatabaseOperation, ElasticPool, ElasticPoolOperation, Endpoint,
    List, Profile, RecoverableDatabase, ReplicationLink, Server, ServerDnsAlias,
};
use arm::id::{EndpointType, Resource, ResourceGroupId, ServerId};
use arm::lro::PollKind;
use arm::request::{Method, Request};
use arm::response::{Payload, Response};
use arm::{Outcome, Route, interpret};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Files whose JSON needs one more, file-specific exception.
const FILE_EXCEPTIONS: &[(&str, &str)] = &[(
    "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json",
    "properties.maxSizeBytes is a numeric string in the 2014-04-01 shape; the crate reads it \
     (ByteCount) and writes the number, as 2023-08-01 does",
)];

/// Files whose `api-version` is not the one the crate sends for that call.
const API_VERSION_EXCEPTIONS: &[(&str, &str)] = &[
    (
        "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json",
        "legacy 2014-04-01 geo-restore example; the crate speaks 2023-08-01, whose Recovery body is the same",
    ),
    (
        "Microsoft.Sql/2024-05-01-preview/ReplicationLinkFailover.json",
        "the 2023-08-01 failover example is not in the store; the preview one has the same path and responses",
    ),
];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/azure-rest")
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read fixture directory {}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------
// Expectations
// ---------------------------------------------------------------------------

/// The typed body a JSON value must fit.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Server,
    ElasticPool,
    Database,
    Databases,
    RecoverableDatabase,
    DnsAlias,
    AcquireDnsAlias,
    ReplicationLink,
    ReplicationLinks,
    DatabaseOperations,
    ElasticPoolOperations,
    Endpoint,
    Profile,
}

/// The outcome class `interpret` must give for a status.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Done,
    Accepted(PollKind),
}

struct Expectation {
    method: Method,
    /// Swagger path template (`{name}` = a fixture parameter).
    template: &'static str,
    /// The api-version the crate sends.
    api_version: &'static str,
    /// Kind of `parameters.parameters`, if the call has a body.
    request_body: Option<Kind>,
    /// Kind of the response bodies.
    response_body: Kind,
    /// Expected outcome per response status (exactly the fixture's statuses).
    outcomes: &'static [(u16, Expect)],
    /// Builds the request from the parameters and the typed request body.
    build: fn(&Params, Option<&Value>) -> Request,
}

const SRV: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Sql/servers/{serverName}";
const TM: &str = "/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.Network/trafficmanagerprofiles/{profileName}";

use Expect::{Accepted, Done};
const CREATE: &[(u16, Expect)] = &[
    (200, Done),
    (201, Done),
    (202, Accepted(PollKind::Resource)),
];
const GET: &[(u16, Expect)] = &[(200, Done)];

struct Params(Value);

impl Params {
    fn s(&self, name: &str) -> String {
        self.0[name]
            .as_str()
            .unwrap_or_else(|| panic!("fixture parameter {name} missing"))
            .to_owned()
    }
    fn server(&self) -> ServerId {
        ServerId::new(
            self.s("subscriptionId"),
            self.s("resourceGroupName"),
            self.s("serverName"),
        )
    }
    fn endpoint(&self) -> arm::EndpointId {
        let ty = EndpointType::parse(&self.s("endpointType")).expect("endpoint type");
        ResourceGroupId::new(self.s("subscriptionId"), self.s("resourceGroupName"))
            .traffic_manager_profile(self.s("profileName"))
            .endpoint(ty, self.s("endpointName"))
    }
}

fn typed<T: DeserializeOwned>(v: Option<&Value>) -> T {
    serde_json::from_value(v.expect("request body").clone()).expect("typed request body")
}

fn put_database(p: &Params, b: Option<&Value>) -> Request {
    Request::put_database(&p.server().database(p.s("databaseName")), typed(b))
}

fn expectation(file: &str) -> Expectation {
    let sql = arm::api_version::SQL;
    let tm = arm::api_version::TRAFFIC_MANAGER;
    let db = || format!("{SRV}/databases/{{databaseName}}");
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    match file {
        "Microsoft.Sql/2023-08-01/ServerCreate.json" => Expectation {
            method: Method::Put,
            template: SRV,
            api_version: sql,
            request_body: Some(Kind::Server),
            response_body: Kind::Server,
            outcomes: CREATE,
            build: |p, b| Request::put_server(&p.server(), typed(b)),
        },
        "Microsoft.Sql/2023-08-01/ServerGet.json" => Expectation {
            method: Method::Get,
            template: SRV,
            api_version: sql,
            request_body: None,
            response_body: Kind::Server,
            outcomes: GET,
            build: |p, _| Request::get(p.server()),
        },
        "Microsoft.Sql/2023-08-01/ElasticPoolCreateOrUpdateMin.json" => Expectation {
            method: Method::Put,
            template: leak(format!("{SRV}/elasticPools/{{elasticPoolName}}")),
            api_version: sql,
            request_body: Some(Kind::ElasticPool),
            response_body: Kind::ElasticPool,
            outcomes: CREATE,
            build: |p, b| {
                Request::put_elastic_pool(
                    &p.server().elastic_pool(p.s("elasticPoolName")),
                    typed(b),
                )
            },
        },
        "Microsoft.Sql/2023-08-01/ElasticPoolGet.json" => Expectation {
            method: Method::Get,
            template: leak(format!("{SRV}/elasticPools/{{elasticPoolName}}")),
            api_version: sql,
            request_body: None,
            response_body: Kind::ElasticPool,
            outcomes: GET,
            build: |p, _| Request::get(p.server().elastic_pool(p.s("elasticPoolName"))),
        },
        "Microsoft.Sql/2023-08-01/CreateDatabasePITRMode.json"
        | "Microsoft.Sql/2023-08-01/CreateDwDatabaseCrossSubscriptionRestore.json"
        | "Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json"
        | "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json" => Expectation {
            method: Method::Put,
            template: leak(db()),
            api_version: sql,
            request_body: Some(Kind::Database),
            response_body: Kind::Database,
            outcomes: CREATE,
            build: put_database,
        },
        "Microsoft.Sql/2023-08-01/GetVCoreDatabase.json" => Expectation {
            method: Method::Get,
            template: leak(db()),
            api_version: sql,
            request_body: None,
            response_body: Kind::Database,
            outcomes: GET,
            build: |p, _| Request::get(p.server().database(p.s("databaseName"))),
        },
        "Microsoft.Sql/2023-08-01/ListVCoreDatabasesByServer.json" => Expectation {
            method: Method::Get,
            template: leak(format!("{SRV}/databases")),
            api_version: sql,
            request_body: None,
            response_body: Kind::Databases,
            outcomes: GET,
            build: |p, _| Request::list_databases(&p.server()),
        },
        "Microsoft.Sql/2023-08-01/DeleteDatabase.json" => Expectation {
            method: Method::Delete,
            template: leak(db()),
            api_version: sql,
            request_body: None,
            response_body: Kind::Database,
            outcomes: &[
                (200, Done),
                (204, Done),
                (202, Accepted(PollKind::Resource)),
            ],
            build: |p, _| Request::delete(p.server().database(p.s("databaseName"))),
        },
        "Microsoft.Sql/2023-08-01/RecoverableDatabaseGet.json" => Expectation {
            method: Method::Get,
            template: leak(format!("{SRV}/recoverableDatabases/{{databaseName}}")),
            api_version: sql,
            request_body: None,
            response_body: Kind::RecoverableDatabase,
            outcomes: GET,
            build: |p, _| Request::get(p.server().recoverable_database(p.s("databaseName"))),
        },
        "Microsoft.Sql/2023-08-01/ServerDnsAliasCreateOrUpdate.json" => Expectation {
            method: Method::Put,
            template: leak(format!("{SRV}/dnsAliases/{{dnsAliasName}}")),
            api_version: sql,
            request_body: Some(Kind::DnsAlias),
            response_body: Kind::DnsAlias,
            outcomes: CREATE,
            build: |p, _| Request::put_dns_alias(&p.server().dns_alias(p.s("dnsAliasName"))),
        },
        "Microsoft.Sql/2023-08-01/ServerDnsAliasAcquire.json" => Expectation {
            method: Method::Post,
            template: leak(format!("{SRV}/dnsAliases/{{dnsAliasName}}/acquire")),
            api_version: sql,
            request_body: Some(Kind::AcquireDnsAlias),
            response_body: Kind::DnsAlias,
            outcomes: &[(200, Done), (202, Accepted(PollKind::Resource))],
            build: |p, b| {
                let body: AcquireDnsAlias = typed(b);
                let Ok(Resource::DnsAlias(old)) = Resource::parse(&body.old_server_dns_alias_id)
                else {
                    panic!("oldServerDnsAliasId is not a DNS alias id")
                };
                Request::acquire_dns_alias(&p.server().dns_alias(p.s("dnsAliasName")), &old)
            },
        },
        "Microsoft.Sql/2023-08-01/ReplicationLinkListByDatabase.json" => Expectation {
            method: Method::Get,
            template: leak(format!("{}/replicationLinks", db())),
            api_version: sql,
            request_body: None,
            response_body: Kind::ReplicationLinks,
            outcomes: GET,
            build: |p, _| {
                Request::list_replication_links(&p.server().database(p.s("databaseName")))
            },
        },
        "Microsoft.Sql/2023-08-01/ListDatabaseOperations.json" => Expectation {
            method: Method::Get,
            template: leak(format!("{}/operations", db())),
            api_version: sql,
            request_body: None,
            response_body: Kind::DatabaseOperations,
            outcomes: GET,
            build: |p, _| {
                Request::list_database_operations(&p.server().database(p.s("databaseName")))
            },
        },
        "Microsoft.Sql/2023-08-01/ListElasticPoolOperations.json" => Expectation {
            method: Method::Get,
            template: leak(format!("{SRV}/elasticPools/{{elasticPoolName}}/operations")),
            api_version: sql,
            request_body: None,
            response_body: Kind::ElasticPoolOperations,
            outcomes: GET,
            build: |p, _| {
                Request::list_elastic_pool_operations(
                    &p.server().elastic_pool(p.s("elasticPoolName")),
                )
            },
        },
        "Microsoft.Sql/2024-05-01-preview/ReplicationLinkFailover.json" => Expectation {
            method: Method::Post,
            template: leak(format!("{}/replicationLinks/{{linkId}}/failover", db())),
            api_version: sql,
            request_body: None,
            response_body: Kind::ReplicationLink,
            outcomes: &[(200, Done), (202, Accepted(PollKind::Location))],
            build: |p, _| {
                Request::failover(
                    &p.server()
                        .database(p.s("databaseName"))
                        .replication_link(p.s("linkId")),
                )
            },
        },
        "Microsoft.Network/2022-04-01/Endpoint-PUT-External-WithLocation.json" => Expectation {
            method: Method::Put,
            template: leak(format!("{TM}/{{endpointType}}/{{endpointName}}")),
            api_version: tm,
            request_body: Some(Kind::Endpoint),
            response_body: Kind::Endpoint,
            outcomes: &[(200, Done), (201, Done)],
            build: |p, b| Request::put_endpoint(&p.endpoint(), typed(b)),
        },
        "Microsoft.Network/2022-04-01/Endpoint-PATCH-External-Target.json" => Expectation {
            method: Method::Patch,
            template: leak(format!("{TM}/{{endpointType}}/{{endpointName}}")),
            api_version: tm,
            request_body: Some(Kind::Endpoint),
            response_body: Kind::Endpoint,
            outcomes: GET,
            build: |p, b| Request::patch_endpoint(&p.endpoint(), typed(b)),
        },
        "Microsoft.Network/2022-04-01/Profile-GET-WithEndpoints.json" => Expectation {
            method: Method::Get,
            template: TM,
            api_version: tm,
            request_body: None,
            response_body: Kind::Profile,
            outcomes: GET,
            build: |p, _| {
                Request::get(
                    ResourceGroupId::new(p.s("subscriptionId"), p.s("resourceGroupName"))
                        .traffic_manager_profile(p.s("profileName")),
                )
            },
        },
        other => panic!(
            "fixture {other} has no expectation in arm/tests/fixtures.rs: add one (method, path, bodies, outcomes)"
        ),
    }
}

/// Every file `expectation` knows: a fixture that disappears fails too.
const KNOWN: &[&str] = &[
    "Microsoft.Network/2022-04-01/Endpoint-PATCH-External-Target.json",
    "Microsoft.Network/2022-04-01/Endpoint-PUT-External-WithLocation.json",
    "Microsoft.Network/2022-04-01/Profile-GET-WithEndpoints.json",
    "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json",
    "Microsoft.Sql/2023-08-01/CreateDatabasePITRMode.json",
    "Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json",
    "Microsoft.Sql/2023-08-01/CreateDwDatabaseCrossSubscriptionRestore.json",
    "Microsoft.Sql/2023-08-01/DeleteDatabase.json",
    "Microsoft.Sql/2023-08-01/ElasticPoolCreateOrUpdateMin.json",
    "Microsoft.Sql/2023-08-01/ElasticPoolGet.json",
    "Microsoft.Sql/2023-08-01/GetVCoreDatabase.json",
    "Microsoft.Sql/2023-08-01/ListDatabaseOperations.json",
    "Microsoft.Sql/2023-08-01/ListElasticPoolOperations.json",
    "Microsoft.Sql/2023-08-01/ListVCoreDatabasesByServer.json",
    "Microsoft.Sql/2023-08-01/RecoverableDatabaseGet.json",
    "Microsoft.Sql/2023-08-01/ReplicationLinkListByDatabase.json",
    "Microsoft.Sql/2023-08-01/ServerCreate.json",
    "Microsoft.Sql/2023-08-01/ServerDnsAliasAcquire.json",
    "Microsoft.Sql/2023-08-01/ServerDnsAliasCreateOrUpdate.json",
    "Microsoft.Sql/2023-08-01/ServerGet.json",
    "Microsoft.Sql/2024-05-01-preview/ReplicationLinkFailover.json",
];

// ---------------------------------------------------------------------------
// JSON comparison
// ---------------------------------------------------------------------------

/// Exceptions 1 and 2 (see the module docs), and 3 when `file_exception`.
fn normalize(v: &Value, file_exception: bool) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| {
                    if file_exception
                        && k == "maxSizeBytes"
                        && let Some(n) = v.as_str().and_then(|s| s.parse::<u64>().ok())
                    {
                        return (k.clone(), normalize(&Value::from(n), false));
                    }
                    (k.clone(), normalize(v, file_exception))
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| normalize(v, file_exception)).collect()),
        Value::Number(n) => n.as_f64().map_or(v.clone(), Value::from),
        other => other.clone(),
    }
}

fn assert_same_json(file: &str, what: &str, fixture: &Value, ours: &Value) {
    let exception = FILE_EXCEPTIONS.iter().any(|(f, _)| *f == file);
    let (a, b) = (normalize(fixture, exception), normalize(ours, exception));
    assert!(
        a == b,
        "{file}: {what} differs after a typed round trip\nfixture: {}\nours:    {}",
        serde_json::to_string_pretty(&a).unwrap_or_default(),
        serde_json::to_string_pretty(&b).unwrap_or_default()
    );
}

fn roundtrip<T: DeserializeOwned + Serialize>(file: &str, what: &str, v: &Value) -> T {
    let t: T = serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{file}: {what} does not parse as the typed body: {e}"));
    let back = serde_json::to_value(&t).expect("serialize");
    assert_same_json(file, what, v, &back);
    t
}

/// Response bodies: typed round trip, through `Payload`, and `Response::json`.
fn check_response<T>(file: &str, what: &str, v: &Value)
where
    T: DeserializeOwned + Serialize + Into<Payload> + PartialEq + Debug + Clone,
{
    let t: T = roundtrip(file, what, v);
    let payload: Payload = t.clone().into();
    assert_same_json(file, what, v, &payload.to_value());
    let as_text = Response::from_wire(200, [], &v.to_string());
    assert_eq!(
        as_text.json::<T>().expect("json from text"),
        t,
        "{file}: {what}"
    );
    let as_typed = Response::new(200).with_payload(payload);
    assert_eq!(
        as_typed.json::<T>().expect("json from typed"),
        t,
        "{file}: {what}"
    );
}

fn check_body(kind: Kind, file: &str, what: &str, v: &Value) {
    match kind {
        Kind::Server => check_response::<Server>(file, what, v),
        Kind::ElasticPool => check_response::<ElasticPool>(file, what, v),
        Kind::Database => check_response::<Database>(file, what, v),
        Kind::Databases => check_response::<List<Database>>(file, what, v),
        Kind::RecoverableDatabase => check_response::<RecoverableDatabase>(file, what, v),
        Kind::DnsAlias => check_response::<ServerDnsAlias>(file, what, v),
        Kind::AcquireDnsAlias => {
            roundtrip::<AcquireDnsAlias>(file, what, v);
        }
        Kind::ReplicationLink => check_response::<ReplicationLink>(file, what, v),
        Kind::ReplicationLinks => check_response::<List<ReplicationLink>>(file, what, v),
        Kind::DatabaseOperations => check_response::<List<DatabaseOperation>>(file, what, v),
        Kind::ElasticPoolOperations => check_response::<List<ElasticPoolOperation>>(file, what, v),
        Kind::Endpoint => check_response::<Endpoint>(file, what, v),
        Kind::Profile => check_response::<Profile>(file, what, v),
    }
}

/// Every `"id"` member in a response body parses to a known resource whose
/// rendering matches it (case-insensitively: fixed segments are spelled
/// differently in ids, e.g. `trafficManagerProfiles/externalEndpoints`).
fn check_ids(file: &str, v: &Value, count: &mut usize) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == "id"
                    && let Some(id) = v.as_str()
                    && (id.contains("/providers/Microsoft.Sql/servers/")
                        || id.contains("/providers/Microsoft.Network/trafficManagerProfiles/"))
                    // Sub-resources the crate does not address: private endpoint
                    // connections, and single management operations (only their
                    // list, `{database|pool}/operations`, is a resource here).
                    && !id.contains("/privateEndpointConnections/")
                    && !id.contains("/operations/")
                {
                    let r = Resource::parse(id)
                        .unwrap_or_else(|e| panic!("{file}: id {id:?} does not parse: {e}"));
                    assert!(
                        r.id().eq_ignore_ascii_case(id),
                        "{file}: id {id:?} renders as {:?}",
                        r.id()
                    );
                    *count += 1;
                }
                check_ids(file, v, count);
            }
        }
        Value::Array(a) => a.iter().for_each(|v| check_ids(file, v, count)),
        _ => {}
    }
}

/// A path segment as an SDK encodes it (the few characters the fixtures need).
fn encode(s: &str) -> String {
    s.replace(' ', "%20")
        .replace('{', "%7B")
        .replace('}', "%7D")
}

fn fill(template: &str, params: &Value) -> String {
    let mut out = template.to_owned();
    if let Value::Object(m) = params {
        for (k, v) in m {
            if let Some(s) = v.as_str() {
                out = out.replace(&format!("{{{k}}}"), &encode(s));
            }
        }
    }
    assert!(
        !out.contains('{'),
        "template {template} has an unfilled parameter: {out}"
    );
    out
}

// ---------------------------------------------------------------------------
// The test
// ---------------------------------------------------------------------------

#[test]
fn every_fixture_conforms() {
    let dir = fixtures_dir();
    assert!(
        dir.is_dir(),
        "fixture directory {} is missing: the tests read Azure's REST examples from \
         ../shared/fixtures/azure-rest relative to the workspace",
        dir.display()
    );
    let mut files = Vec::new();
    collect(&dir, &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no *.json fixture under {}",
        dir.display()
    );

    let mut visited = BTreeSet::new();
    let mut ids = 0;
    for path in &files {
        let rel = path
            .strip_prefix(&dir)
            .expect("under the fixture dir")
            .to_string_lossy()
            .replace('\\', "/");
        let text = std::fs::read_to_string(path).expect("readable fixture");
        let fixture: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{rel}: not JSON: {e}"));
        let exp = expectation(&rel);
        let params = Params(fixture["parameters"].clone());
        let request_body = fixture["parameters"].get("parameters");

        // --- request ---
        if let Some(kind) = exp.request_body {
            let body = request_body.unwrap_or_else(|| panic!("{rel}: expected a request body"));
            check_body(kind, &rel, "request body", body);
        } else {
            assert!(request_body.is_none(), "{rel}: unexpected request body");
        }
        let request = (exp.build)(&params, request_body);
        assert_eq!(request.method, exp.method, "{rel}: method");
        assert_eq!(request.path, fill(exp.template, &params.0), "{rel}: path");
        assert_eq!(
            request.api_version(),
            Some(exp.api_version),
            "{rel}: api-version"
        );
        assert_eq!(
            request.path_and_query(),
            format!("{}?api-version={}", request.path, exp.api_version),
            "{rel}: exactly one api-version"
        );
        let fixture_version = params.s("api-version");
        if fixture_version != exp.api_version {
            assert!(
                API_VERSION_EXCEPTIONS.iter().any(|(f, _)| *f == rel),
                "{rel}: fixture api-version {fixture_version} differs from {} and is not a listed exception",
                exp.api_version
            );
        }
        if let Some(body) = request_body {
            let ours = serde_json::to_value(&request.body).expect("serialize body");
            assert_same_json(&rel, "rendered request body", body, &ours);
        }
        // The path parses back to what was rendered; a server reads the same request.
        let route = Route::parse(&request.path).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert_eq!(route.path(), request.path, "{rel}: route round trip");
        let received = Request::from_wire(
            request.method,
            &request.path_and_query(),
            request.body_json().as_deref(),
        )
        .unwrap_or_else(|e| panic!("{rel}: server cannot read the request: {e}"));
        assert_eq!(received, request, "{rel}: from_wire");
        let journal: Request = serde_json::from_str(&serde_json::to_string(&request).unwrap())
            .expect("journal round trip");
        assert_eq!(journal, request, "{rel}: journal round trip");

        // --- responses ---
        let responses = fixture["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{rel}: no responses"));
        let statuses: BTreeSet<u16> = responses
            .keys()
            .map(|k| k.parse().expect("numeric status"))
            .collect();
        let expected: BTreeSet<u16> = exp.outcomes.iter().map(|(s, _)| *s).collect();
        assert_eq!(statuses, expected, "{rel}: statuses covered");
        for (status, expect) in exp.outcomes {
            let resp = &responses[&status.to_string()];
            let headers: Vec<(String, String)> = resp
                .get("headers")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                        .collect()
                })
                .unwrap_or_default();
            let body = resp.get("body");
            if let Some(b) = body {
                check_body(exp.response_body, &rel, &format!("{status} body"), b);
                check_ids(&rel, b, &mut ids);
            }
            let response = Response::from_wire(
                *status,
                headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
                &body.map(Value::to_string).unwrap_or_default(),
            );
            let outcome = interpret(&request, &response);
            match (expect, &outcome) {
                (Done, Outcome::Done { status: s }) => assert_eq!(s, status, "{rel}"),
                (Accepted(kind), Outcome::Accepted { poll }) => {
                    assert_eq!(poll.kind, *kind, "{rel}: {status} poll kind");
                    let next = poll.request().expect("poll request");
                    assert_eq!(next.method, Method::Get);
                    match kind {
                        PollKind::Resource => {
                            // The resource itself, without the action.
                            let route = Route::parse(&request.path).expect("route");
                            assert_eq!(next.path, route.resource.path(), "{rel}");
                            assert_eq!(next.api_version(), Some(exp.api_version), "{rel}");
                        }
                        PollKind::Location | PollKind::AsyncOperation => {
                            let header = headers
                                .iter()
                                .find(|(k, _)| k.eq_ignore_ascii_case("Location"))
                                .map(|(_, v)| v.clone())
                                .expect("Location header");
                            assert_eq!(poll.url, header, "{rel}: poll URL as given");
                            assert!(header.ends_with(&next.path_and_query()), "{rel}");
                            assert!(
                                matches!(
                                    Resource::parse(&next.path),
                                    Ok(Resource::OperationStatus(_))
                                ),
                                "{rel}: the monitor path parses"
                            );
                        }
                    }
                }
                _ => panic!("{rel}: status {status} gave {outcome:?}, expected {expect:?}"),
            }
        }
        visited.insert(rel);
    }

    let known: BTreeSet<String> = KNOWN.iter().map(|s| (*s).to_owned()).collect();
    assert_eq!(
        visited, known,
        "the fixture files and the expectations listed in KNOWN differ"
    );
    assert!(ids >= 20, "only {ids} resource ids checked");
    for (f, _) in FILE_EXCEPTIONS.iter().chain(API_VERSION_EXCEPTIONS) {
        assert!(known.contains(*f), "exception for unknown file {f}");
    }
}

/// The 2014 example's subscription id ends with a space: the path keeps it
/// (encoded), and parsing gives it back.
#[test]
fn trailing_space_subscription_round_trips() {
    let file = fixtures_dir().join("Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json");
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display())),
    )
    .expect("json");
    let params = Params(fixture["parameters"].clone());
    let sub = params.s("subscriptionId");
    assert!(sub.ends_with(' '), "the fixture changed");
    let request = put_database(&params, fixture["parameters"].get("parameters"));
    assert!(
        request
            .path
            .starts_with("/subscriptions/00000000-1111-2222-3333-444444444444%20/")
    );
    let Ok(Resource::SqlDatabase(db)) = Resource::parse(&request.path) else {
        panic!("not a database path")
    };
    assert_eq!(db.server.resource_group.subscription, sub);
    // The source id in the body (raw space) parses too, as a recoverable database.
    let source = fixture["parameters"]["parameters"]["properties"]["sourceDatabaseId"]
        .as_str()
        .expect("sourceDatabaseId");
    let Ok(Resource::RecoverableDatabase(rd)) = Resource::parse(source) else {
        panic!("not a recoverable database id")
    };
    assert_eq!(rd.server.resource_group.subscription, sub);
    assert_eq!(rd.id(), source);
}

fn load(rel: &str) -> Value {
    let file = fixtures_dir().join(rel);
    serde_json::from_str(
        &std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display())),
    )
    .expect("json")
}

fn response_body<T: DeserializeOwned>(rel: &str, status: &str) -> T {
    serde_json::from_value(load(rel)["responses"][status]["body"].clone()).expect("typed")
}

/// The round trips above would pass even if a field only went through the
/// `extra` map; this reads the fields the recovery relies on through their
/// typed accessors.
#[test]
fn typed_fields_are_read_from_the_fixtures() {
    use arm::body::{
        AsyncStatus, CreateMode, DatabaseOperationState, DatabaseStatus, ElasticPoolOperationState,
        ElasticPoolState, EndpointStatus, ReplicationRole, ReplicationState, SecondaryType,
    };
    let sql = "Microsoft.Sql/2023-08-01/";

    let s: Server = response_body(&format!("{sql}ServerCreate.json"), "201");
    let p = s.properties.expect("properties");
    assert_eq!(p.state.as_deref(), Some("Ready"));
    let admins = p.administrators.expect("administrators");
    assert_eq!(admins.azure_ad_only_authentication, Some(true));
    assert_eq!(
        admins.tenant_id.as_deref(),
        Some("00000011-1111-2222-2222-123456789111")
    );
    let req: Server = serde_json::from_value(
        load(&format!("{sql}ServerCreate.json"))["parameters"]["parameters"].clone(),
    )
    .expect("server body");
    let rp = req.properties.expect("properties");
    assert_eq!(
        rp.administrator_login_password.as_ref().map(|s| s.expose()),
        Some("PLACEHOLDER")
    );
    assert!(!format!("{rp:?}").contains("PLACEHOLDER"));
    let s: Server = response_body(&format!("{sql}ServerGet.json"), "200");
    assert_eq!(
        s.properties
            .and_then(|p| p.fully_qualified_domain_name)
            .as_deref(),
        Some("sqlcrudtest-4645.database.windows.net")
    );

    let pool: ElasticPool = response_body(&format!("{sql}ElasticPoolGet.json"), "200");
    let pp = pool.properties.expect("properties");
    assert_eq!(pp.state, Some(ElasticPoolState::Ready));
    assert_eq!(pp.zone_redundant, Some(true));
    assert_eq!(pp.max_size_bytes.map(|b| b.0), Some(5_242_880_000));
    let per_db = pp.per_database_settings.expect("perDatabaseSettings");
    assert_eq!(
        (per_db.min_capacity, per_db.max_capacity),
        (Some(0.25), Some(1.0))
    );
    assert_eq!(pool.sku.expect("sku").capacity, Some(2));

    let pitr = load(&format!("{sql}CreateDatabasePITRMode.json"));
    let body: Database =
        serde_json::from_value(pitr["parameters"]["parameters"].clone()).expect("db body");
    let bp = body.properties.expect("properties");
    assert_eq!(bp.create_mode, Some(CreateMode::PointInTimeRestore));
    assert_eq!(
        bp.restore_point_in_time.as_deref(),
        Some("2020-10-22T05:35:31.503Z")
    );
    let sec = load(&format!("{sql}CreateDatabaseSecondaryMode.json"));
    let body: Database =
        serde_json::from_value(sec["parameters"]["parameters"].clone()).expect("db body");
    assert_eq!(body.sku.as_ref().map(|s| s.name.as_str()), Some("S0"));
    let bp = body.properties.expect("properties");
    assert_eq!(bp.create_mode, Some(CreateMode::Secondary));
    assert_eq!(bp.secondary_type, Some(SecondaryType::Geo));
    let dw = load(&format!(
        "{sql}CreateDwDatabaseCrossSubscriptionRestore.json"
    ));
    let body: Database =
        serde_json::from_value(dw["parameters"]["parameters"].clone()).expect("db body");
    assert!(
        body.properties
            .and_then(|p| p.source_resource_id)
            .is_some_and(|id| id.ends_with("restorableDroppedDatabases/srcdw,131403269876900000"))
    );

    let db: Database = response_body(&format!("{sql}GetVCoreDatabase.json"), "200");
    assert_eq!(db.status(), Some(&DatabaseStatus::Online));
    let dp = db.properties.expect("properties");
    assert_eq!(dp.current_backup_storage_redundancy.as_deref(), Some("Geo"));
    assert_eq!(dp.max_size_bytes.map(|b| b.0), Some(268_435_456_000));
    assert_eq!(dp.current_sku.map(|s| s.name), Some("BC_Gen5".to_owned()));

    let legacy = "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json";
    let body: Database =
        serde_json::from_value(load(legacy)["parameters"]["parameters"].clone()).expect("db");
    assert_eq!(
        body.properties.and_then(|p| p.create_mode),
        Some(CreateMode::Recovery)
    );
    let db: Database = response_body(legacy, "200");
    let dp = db.properties.expect("properties");
    assert_eq!(dp.max_size_bytes.map(|b| b.0), Some(268_435_456_000));
    assert_eq!(dp.service_level_objective.as_deref(), Some("S0"));
    assert_eq!(dp.edition.as_deref(), Some("Standard"));

    let list: List<Database> =
        response_body(&format!("{sql}ListVCoreDatabasesByServer.json"), "200");
    assert_eq!(list.value.len(), 2);
    assert_eq!(list.next_link, None);
    assert!(
        list.value
            .iter()
            .any(|d| d.kind.as_deref() == Some("v12.0,system"))
    );

    let rd: RecoverableDatabase =
        response_body(&format!("{sql}RecoverableDatabaseGet.json"), "200");
    assert_eq!(
        rd.properties
            .and_then(|p| p.last_available_backup_date)
            .as_deref(),
        Some("2017-05-26T01:06:29.78Z")
    );

    let alias: ServerDnsAlias = response_body(&format!("{sql}ServerDnsAliasAcquire.json"), "200");
    assert_eq!(
        alias.properties.and_then(|p| p.azure_dns_record).as_deref(),
        Some("dns-alias-name-1.database.windows.net")
    );

    let links: List<ReplicationLink> =
        response_body(&format!("{sql}ReplicationLinkListByDatabase.json"), "200");
    let lp = links.value[0].properties.clone().expect("properties");
    assert_eq!(lp.role, Some(ReplicationRole::Primary));
    assert_eq!(lp.partner_role, Some(ReplicationRole::Secondary));
    assert_eq!(lp.replication_state, Some(ReplicationState::CatchUp));
    assert_eq!(lp.partner_server.as_deref(), Some("testsvr"));

    let ops: List<DatabaseOperation> =
        response_body(&format!("{sql}ListDatabaseOperations.json"), "200");
    let states: Vec<_> = ops
        .value
        .iter()
        .filter_map(|o| o.properties.as_ref()?.state.clone())
        .collect();
    assert_eq!(
        states,
        [
            DatabaseOperationState::Succeeded,
            DatabaseOperationState::InProgress
        ]
    );
    assert!(states[0].is_terminal() && !states[1].is_terminal());
    let ops: List<ElasticPoolOperation> =
        response_body(&format!("{sql}ListElasticPoolOperations.json"), "200");
    let states: Vec<_> = ops
        .value
        .iter()
        .filter_map(|o| o.properties.as_ref()?.state.clone())
        .collect();
    assert_eq!(
        states,
        [
            ElasticPoolOperationState::Completed,
            ElasticPoolOperationState::InProgress
        ]
    );

    let ep: Endpoint = response_body(
        "Microsoft.Network/2022-04-01/Endpoint-PUT-External-WithLocation.json",
        "201",
    );
    let epp = ep.properties.expect("properties");
    assert_eq!(epp.endpoint_status, Some(EndpointStatus::Enabled));
    assert_eq!(epp.endpoint_location.as_deref(), Some("North Europe"));
    let profile: Profile = response_body(
        "Microsoft.Network/2022-04-01/Profile-GET-WithEndpoints.json",
        "200",
    );
    let pp = profile.properties.expect("properties");
    assert_eq!(pp.dns_config.and_then(|d| d.ttl), Some(35));
    assert_eq!(pp.endpoints.map(|e| e.len()), Some(1));

    // Not a fixture body, but the same status vocabulary: the INDEX's
    // Azure-AsyncOperation body shape reads into OperationStatus.
    let st: arm::body::OperationStatus = serde_json::from_value(serde_json::json!({
        "id": "/subscriptions/s/providers/Microsoft.Sql/locations/w/databaseAzureAsyncOperation/1",
        "name": "1", "status": "InProgress", "startTime": "2021-11-30T00:00:00Z",
        "percentComplete": 0
    }))
    .expect("status body");
    assert_eq!(st.status, AsyncStatus::InProgress);
}
