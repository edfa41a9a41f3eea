//! Conformance with Azure's REST examples in
//! `../shared/fixtures/azure-rest/` (read at test time, never copied):
//! every example's request is sent over real HTTP (names rewritten only
//! where they must exist in the seeded world; the two examples of other
//! api-versions are sent with the one the model serves), and the answer
//! must have a status the example lists and the example's structure
//! ([`common::shape_diff`]: every key of the example, recursively, with
//! the same JSON type). After a PUT completes, the resource read back is
//! compared with the example's 200 body the same way.
//!
//! Every example is served ([`SERVED`]; the test fails if one on disk is
//! not listed there). Keys the model does not render are listed
//! per example in [`KNOWN_GAPS`]; the test fails if one more goes
//! missing, and also if one listed comes back (update the list).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use arm::id::{EndpointType, Resource, ResourceGroupId, ServerId};
use common::*;
use emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::{Value, json};
use sim::{AzureModel, ServeContext};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/azure-rest")
}

fn fixture(rel: &str) -> Value {
    let path = fixtures_dir().join(rel);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read fixture {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("fixture {rel}: {e}"))
}

fn param(fx: &Value, name: &str) -> String {
    fx["parameters"][name]
        .as_str()
        .unwrap_or_else(|| panic!("parameter {name}"))
        .to_owned()
}

fn statuses(fx: &Value) -> Vec<u16> {
    fx["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .map(|k| k.parse().expect("a status"))
        .collect()
}

/// Examples served and checked here.
const SERVED: &[&str] = &[
    "Microsoft.Sql/2023-08-01/ServerCreate.json",
    "Microsoft.Sql/2023-08-01/ElasticPoolCreateOrUpdateMin.json",
    "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json",
    "Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json",
    "Microsoft.Sql/2023-08-01/ReplicationLinkListByDatabase.json",
    "Microsoft.Sql/2024-05-01-preview/ReplicationLinkFailover.json",
    "Microsoft.Sql/2023-08-01/DeleteDatabase.json",
    "Microsoft.Sql/2023-08-01/ServerDnsAliasAcquire.json",
    "Microsoft.Network/2022-04-01/Endpoint-PATCH-External-Target.json",
    "Microsoft.Sql/2023-08-01/ListVCoreDatabasesByServer.json",
    "Microsoft.Sql/2023-08-01/GetVCoreDatabase.json",
    "Microsoft.Sql/2023-08-01/ServerGet.json",
    "Microsoft.Sql/2023-08-01/ElasticPoolGet.json",
    "Microsoft.Sql/2023-08-01/RecoverableDatabaseGet.json",
    "Microsoft.Sql/2023-08-01/ServerDnsAliasCreateOrUpdate.json",
    "Microsoft.Network/2022-04-01/Endpoint-PUT-External-WithLocation.json",
    "Microsoft.Network/2022-04-01/Profile-GET-WithEndpoints.json",
    "Microsoft.Sql/2023-08-01/ListDatabaseOperations.json",
    "Microsoft.Sql/2023-08-01/ListElasticPoolOperations.json",
    "Microsoft.Sql/2023-08-01/CreateDatabasePITRMode.json",
    "Microsoft.Sql/2023-08-01/CreateDwDatabaseCrossSubscriptionRestore.json",
];

/// Keys of an example (path as `shape_diff` writes it, without its
/// `: missing`) the model's answer does not have, per example and body
/// (`"answer"`: the direct answer; `"read back"`: the resource after the
/// operation; `"status answer"`: the endpoint after a status-only PATCH).
/// The model renders what a recovery reads (ids, names, locations,
/// states, pools) and not the rest.
const KNOWN_GAPS: &[(&str, &str, &[&str])] = &[
    (
        "Microsoft.Network/2022-04-01/Endpoint-PATCH-External-Target.json",
        "status answer",
        &[".properties.endpointLocation"],
    ),
    (
        "Microsoft.Network/2022-04-01/Endpoint-PATCH-External-Target.json",
        "answer",
        &[".properties.endpointLocation"],
    ),
    (
        "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json",
        "read back",
        &[
            ".properties.containmentState",
            ".properties.currentServiceObjectiveId",
            ".properties.defaultSecondaryLocation",
            ".properties.earliestRestoreDate",
            ".properties.edition",
            ".properties.maxSizeBytes",
            ".properties.readScale",
            ".properties.requestedServiceObjectiveId",
            ".properties.requestedServiceObjectiveName",
            ".properties.serviceLevelObjective",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json",
        "read back",
        &[
            ".properties.currentBackupStorageRedundancy",
            ".properties.currentServiceObjectiveName",
            ".properties.currentSku",
            ".properties.defaultSecondaryLocation",
            ".properties.earliestRestoreDate",
            ".properties.isInfraEncryptionEnabled",
            ".properties.isLedgerOn",
            ".properties.maxSizeBytes",
            ".properties.readScale",
            ".properties.requestedBackupStorageRedundancy",
            ".properties.requestedServiceObjectiveName",
            ".properties.zoneRedundant",
            ".sku",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/ElasticPoolCreateOrUpdateMin.json",
        "read back",
        &[".properties.maxSizeBytes"],
    ),
    (
        "Microsoft.Sql/2023-08-01/GetVCoreDatabase.json",
        "answer",
        &[
            ".properties.currentBackupStorageRedundancy",
            ".properties.defaultSecondaryLocation",
            ".properties.earliestRestoreDate",
            ".properties.isInfraEncryptionEnabled",
            ".properties.isLedgerOn",
            ".properties.licenseType",
            ".properties.maintenanceConfigurationId",
            ".properties.maxLogSizeBytes",
            ".properties.maxSizeBytes",
            ".properties.readScale",
            ".properties.requestedBackupStorageRedundancy",
            ".properties.zoneRedundant",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/ListVCoreDatabasesByServer.json",
        "answer",
        &[
            ".value[0].properties.currentBackupStorageRedundancy",
            ".value[0].properties.defaultSecondaryLocation",
            ".value[0].properties.earliestRestoreDate",
            ".value[0].properties.isInfraEncryptionEnabled",
            ".value[0].properties.isLedgerOn",
            ".value[0].properties.licenseType",
            ".value[0].properties.maxLogSizeBytes",
            ".value[0].properties.maxSizeBytes",
            ".value[0].properties.readScale",
            ".value[0].properties.requestedBackupStorageRedundancy",
            ".value[0].properties.zoneRedundant",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/ElasticPoolGet.json",
        "answer",
        &[
            ".properties.licenseType",
            ".properties.maintenanceConfigurationId",
            ".properties.maxSizeBytes",
            ".properties.zoneRedundant",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/RecoverableDatabaseGet.json",
        "answer",
        &[".properties.edition", ".properties.serviceLevelObjective"],
    ),
    (
        "Microsoft.Sql/2023-08-01/ServerGet.json",
        "answer",
        &[
            ".properties.administratorLogin",
            ".properties.privateEndpointConnections",
            ".properties.restrictOutboundNetworkAccess",
            ".properties.workspaceFeature",
            ".tags",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/CreateDatabasePITRMode.json",
        "read back",
        &[
            ".properties.currentBackupStorageRedundancy",
            ".properties.currentServiceObjectiveName",
            ".properties.currentSku",
            ".properties.defaultSecondaryLocation",
            ".properties.earliestRestoreDate",
            ".properties.isInfraEncryptionEnabled",
            ".properties.isLedgerOn",
            ".properties.maxSizeBytes",
            ".properties.readScale",
            ".properties.requestedBackupStorageRedundancy",
            ".properties.requestedServiceObjectiveName",
            ".properties.zoneRedundant",
            ".sku",
        ],
    ),
    (
        "Microsoft.Sql/2023-08-01/CreateDwDatabaseCrossSubscriptionRestore.json",
        "read back",
        &[
            ".properties.currentBackupStorageRedundancy",
            ".properties.currentServiceObjectiveName",
            ".properties.currentSku",
            ".properties.defaultSecondaryLocation",
            ".properties.maxSizeBytes",
            ".properties.readScale",
            ".properties.requestedServiceObjectiveName",
            ".sku",
        ],
    ),
];

fn known_gaps(file: &str, what: &str) -> BTreeSet<String> {
    KNOWN_GAPS
        .iter()
        .filter(|(f, w, _)| *f == file && *w == what)
        .flat_map(|(_, _, keys)| keys.iter().map(|k| format!("{k}: missing")))
        .collect()
}

/// The structure check of one body against the example's body for
/// `status`, allowing exactly the known gaps.
fn check_shape(file: &str, what: &str, ours: &Value, theirs: &Value) {
    let mut diffs = Vec::new();
    shape_diff(ours, theirs, "", &mut diffs);
    let found: BTreeSet<String> = diffs.into_iter().collect();
    let known = known_gaps(file, what);
    assert_eq!(
        found, known,
        "{file} ({what}): structure differs from the example.\nours: {ours:#}"
    );
}

/// Checks a direct answer: a status the example lists, and the example's
/// body shape for that status (if it shows one).
fn check_answer(file: &str, fx: &Value, r: &Reply) {
    assert!(
        statuses(fx).contains(&r.status),
        "{file}: status {} is not among {:?}: {r:?}",
        r.status,
        statuses(fx)
    );
    let theirs = &fx["responses"][r.status.to_string()]["body"];
    if !theirs.is_null() {
        check_shape(file, "answer", &r.body, theirs);
    }
}

fn ctx_of(subscription: &str, origin: &str, recovery: &str) -> ServeContext {
    ServeContext {
        subscription: subscription.to_owned(),
        origin_location: origin.to_owned(),
        recovery_location: recovery.to_owned(),
    }
}

fn fast() -> EmulatorConfig {
    EmulatorConfig {
        time_scale: 100_000.0,
        ..EmulatorConfig::default()
    }
}

async fn emulator(model: AzureModel, ctx: ServeContext) -> (Emulator, Client) {
    start(model, ctx, fast()).await
}

fn sql(path: &str) -> String {
    format!("{path}?api-version={SQL}")
}

/// Creates `server` in `location` and waits until it is ready.
async fn put_server(c: &Client, server: &ServerId, location: &str) {
    let body = json!({"location": location, "properties": {"administratorLogin": "a", "administratorLoginPassword": "p"}});
    c.complete(Method::PUT, &sql(&server.path()), Some(&body))
        .await;
}

/// Reads `path` back and compares it with the example's 200 body.
async fn check_read_back(c: &Client, file: &str, fx: &Value, path: &str) -> Value {
    let got = c.get(&sql(path)).await;
    assert_eq!(got.status, 200, "{file}: read back {got:?}");
    check_shape(
        file,
        "read back",
        &got.body,
        &fx["responses"]["200"]["body"],
    );
    got.body
}

fn server_of(fx: &Value) -> ServerId {
    ServerId::new(
        param(fx, "subscriptionId").trim(),
        param(fx, "resourceGroupName"),
        param(fx, "serverName"),
    )
}

#[test]
fn every_example_is_served() {
    let mut on_disk = BTreeSet::new();
    for provider in std::fs::read_dir(fixtures_dir()).expect("fixtures") {
        let provider = provider.expect("entry").path();
        if !provider.is_dir() {
            continue;
        }
        for version in std::fs::read_dir(&provider).expect("dir") {
            for file in std::fs::read_dir(version.expect("entry").path()).expect("dir") {
                let path = file.expect("entry").path();
                let rel = path.strip_prefix(fixtures_dir()).expect("inside");
                on_disk.insert(rel.to_string_lossy().into_owned());
            }
        }
    }
    let listed: BTreeSet<String> = SERVED.iter().copied().map(str::to_owned).collect();
    assert_eq!(on_disk, listed);
    assert_eq!(listed.len(), SERVED.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_create() {
    let file = "Microsoft.Sql/2023-08-01/ServerCreate.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let body = &fx["parameters"]["parameters"];
    let location = body["location"].as_str().expect("location");
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(&server.resource_group.subscription, "West Europe", location),
    )
    .await;
    let r = c.put(&sql(&server.path()), body).await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elastic_pool_create_min() {
    let file = "Microsoft.Sql/2023-08-01/ElasticPoolCreateOrUpdateMin.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let pool = server.elastic_pool(param(&fx, "elasticPoolName"));
    let body = &fx["parameters"]["parameters"];
    let location = body["location"].as_str().expect("location");
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(&server.resource_group.subscription, "West Europe", location),
    )
    .await;
    put_server(&c, &server, location).await;
    let r = c.put(&sql(&pool.path()), body).await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    // The pool as the list shows it, against the example's 200 body.
    let list = c
        .get(&sql(&format!("{}/elasticPools", server.path())))
        .await;
    assert_eq!(list.status, 200);
    let ours = list.body["value"][0].clone();
    check_shape(file, "read back", &ours, &fx["responses"]["200"]["body"]);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn geo_restore_2014() {
    let file = "Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json";
    let fx = fixture(file);
    let raw_sub = param(&fx, "subscriptionId");
    let server = server_of(&fx);
    let id = server.database(param(&fx, "databaseName"));
    let mut body = fx["parameters"]["parameters"].clone();
    // The example's subscription has a trailing space; its body names it too.
    let source = body["properties"]["sourceDatabaseId"]
        .as_str()
        .expect("source")
        .replace(&raw_sub, raw_sub.trim());
    body["properties"]["sourceDatabaseId"] = json!(source);
    let Ok(Resource::RecoverableDatabase(src)) = Resource::parse(&source) else {
        panic!("the source is a recoverable database")
    };
    let location = body["location"].as_str().expect("location").to_owned();
    let (emu, c) = emulator(
        model(&[(&src.server.name, &src.name)]),
        ctx_of(raw_sub.trim(), "Japan West", &location),
    )
    .await;
    put_server(&c, &server, &location).await;
    // Sent with the api-version the model serves (2023-08-01, same body).
    let r = c.put(&sql(&id.path()), &body).await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    check_read_back(&c, file, &fx, &id.path()).await;
    emu.shutdown().await;
}

/// The CreateDatabaseSecondaryMode world: a primary restored in the
/// recovery region (North Europe) and the secondary's server in the origin
/// (southeastasia), which is up (repatriation).
async fn secondary_world() -> (Emulator, Client, arm::DatabaseId, arm::DatabaseId, Value) {
    let fx = fixture("Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json");
    let secondary_server = server_of(&fx);
    let secondary = secondary_server.database(param(&fx, "databaseName"));
    let source = fx["parameters"]["parameters"]["properties"]["sourceDatabaseId"]
        .as_str()
        .expect("source");
    let Ok(Resource::SqlDatabase(primary)) = Resource::parse(source) else {
        panic!("the source is a database")
    };
    let mut m = model(&[(&secondary_server.name, "seed")]);
    m.set_origin_available(0, true);
    let (emu, c) = emulator(
        m,
        ctx_of(
            &secondary_server.resource_group.subscription,
            "southeastasia",
            "North Europe",
        ),
    )
    .await;
    put_server(&c, &primary.server, "North Europe").await;
    let body = json!({"location": "northeurope", "properties": {
        "createMode": "Recovery",
        "sourceDatabaseId": secondary_server.recoverable_database("seed").id(),
    }});
    c.complete(Method::PUT, &sql(&primary.path()), Some(&body))
        .await;
    (emu, c, primary, secondary, fx)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn create_secondary_list_links_and_fail_over() {
    let file = "Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json";
    let (emu, c, primary, secondary, fx) = secondary_world().await;
    let r = c
        .put(&sql(&secondary.path()), &fx["parameters"]["parameters"])
        .await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    check_read_back(&c, file, &fx, &secondary.path()).await;

    // The links, from the primary's side (the example's database names
    // another server: the same request on our primary).
    let links_file = "Microsoft.Sql/2023-08-01/ReplicationLinkListByDatabase.json";
    let links_fx = fixture(links_file);
    let r = c
        .get(&sql(&format!("{}/replicationLinks", primary.path())))
        .await;
    check_answer(links_file, &links_fx, &r);
    let link = r.body["value"][0]["name"]
        .as_str()
        .expect("a link")
        .to_owned();

    // Planned failover, from the secondary's side (2024-05-01-preview in
    // the example; sent with the model's api-version).
    let fo_file = "Microsoft.Sql/2024-05-01-preview/ReplicationLinkFailover.json";
    let fo_fx = fixture(fo_file);
    let r = c
        .send(
            Method::POST,
            &sql(&format!(
                "{}/replicationLinks/{link}/failover",
                secondary.path()
            )),
            None,
        )
        .await;
    check_answer(fo_file, &fo_fx, &r);
    assert!(
        r.header("Location")
            .is_some_and(|l| l.starts_with(emu.base_url()))
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delete_database() {
    let file = "Microsoft.Sql/2023-08-01/DeleteDatabase.json";
    let fx = fixture(file);
    let (emu, c, primary, secondary, _) = secondary_world().await;
    // The example deletes testsvr/testdb: make it exist (as the secondary).
    let body = json!({"location": "southeastasia", "properties": {
        "createMode": "Secondary", "sourceDatabaseId": primary.id()}});
    c.complete(Method::PUT, &sql(&secondary.path()), Some(&body))
        .await;
    let id = server_of(&fx).database(param(&fx, "databaseName"));
    assert_eq!(id, secondary);
    let r = c.send(Method::DELETE, &sql(&id.path()), None).await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    c.poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    let again = c.send(Method::DELETE, &sql(&id.path()), None).await;
    assert_eq!(again.status, 204);
    check_answer(file, &fx, &again);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_alias_acquire() {
    let file = "Microsoft.Sql/2023-08-01/ServerDnsAliasAcquire.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let alias = server.dns_alias(param(&fx, "dnsAliasName"));
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    put_server(&c, &server, "North Europe").await;
    let r = c
        .send(
            Method::POST,
            &sql(&format!("{}/acquire", alias.path())),
            Some(&fx["parameters"]["parameters"]),
        )
        .await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_patch() {
    let file = "Microsoft.Network/2022-04-01/Endpoint-PATCH-External-Target.json";
    let fx = fixture(file);
    let id = ResourceGroupId::new(
        param(&fx, "subscriptionId"),
        param(&fx, "resourceGroupName"),
    )
    .traffic_manager_profile(param(&fx, "profileName"))
    .endpoint(
        EndpointType::parse(&param(&fx, "endpointType")).expect("a type"),
        param(&fx, "endpointName"),
    );
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &id.profile.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    let path = format!(
        "{}?api-version={}",
        id.path(),
        arm::api_version::TRAFFIC_MANAGER
    );
    let r = c
        .send(Method::PATCH, &path, Some(&fx["parameters"]["parameters"]))
        .await;
    check_answer(file, &fx, &r);
    // The status PATCH a recovery sends.
    let off = json!({"properties": {"endpointStatus": "Disabled"}});
    let r = c.send(Method::PATCH, &path, Some(&off)).await;
    assert_eq!(r.status, 200);
    check_shape(
        file,
        "status answer",
        &r.body,
        &fx["responses"]["200"]["body"],
    );
    assert_eq!(r.body["properties"]["endpointStatus"], "Disabled");
    emu.shutdown().await;
}

/// A recovery server named like the list/get examples, with `testdb` and
/// two more databases restored into a pool.
async fn vcore_world(fx: &Value) -> (Emulator, Client, ServerId) {
    let server = server_of(fx);
    let names = ["testdb", "zeta", "alpha"];
    let dbs: Vec<(&str, &str)> = names.iter().map(|n| ("origin1", *n)).collect();
    let (emu, c) = emulator(
        model(&dbs),
        ctx_of(
            &server.resource_group.subscription,
            "North Europe",
            "southeastasia",
        ),
    )
    .await;
    put_server(&c, &server, "southeastasia").await;
    let pool = server.elastic_pool("pool1");
    let body = json!({"location": "southeastasia", "sku": {"name": "GP_Gen5", "tier": "GeneralPurpose", "capacity": 2}});
    c.complete(Method::PUT, &sql(&pool.path()), Some(&body))
        .await;
    for name in names {
        let body = json!({"location": "southeastasia", "properties": {
            "createMode": "Recovery",
            "sourceDatabaseId": ServerId::new(&server.resource_group.subscription, "prod", "origin1").recoverable_database(name).id(),
            "elasticPoolId": pool.id(),
        }});
        c.complete(
            Method::PUT,
            &sql(&server.database(name).path()),
            Some(&body),
        )
        .await;
    }
    (emu, c, server)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_databases() {
    let file = "Microsoft.Sql/2023-08-01/ListVCoreDatabasesByServer.json";
    let fx = fixture(file);
    let (emu, c, server) = vcore_world(&fx).await;
    let r = c.get(&sql(&format!("{}/databases", server.path()))).await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_database() {
    let file = "Microsoft.Sql/2023-08-01/GetVCoreDatabase.json";
    let fx = fixture(file);
    let (emu, c, server) = vcore_world(&fx).await;
    let r = c
        .get(&sql(&server.database(param(&fx, "databaseName")).path()))
        .await;
    check_answer(file, &fx, &r);
    // In the pool: its objective, with the pool's tier.
    assert_eq!(r.body["sku"]["name"], "ElasticPool", "{r:?}");
    assert_eq!(r.body["sku"]["tier"], "GeneralPurpose", "{r:?}");
    assert_eq!(
        r.body["properties"]["currentServiceObjectiveName"],
        "ElasticPool"
    );
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_get() {
    let file = "Microsoft.Sql/2023-08-01/ServerGet.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let location = fx["responses"]["200"]["body"]["location"]
        .as_str()
        .expect("location")
        .to_owned();
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            &location,
        ),
    )
    .await;
    put_server(&c, &server, &location).await;
    let r = c.get(&sql(&server.path())).await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn elastic_pool_get() {
    let file = "Microsoft.Sql/2023-08-01/ElasticPoolGet.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let pool = server.elastic_pool(param(&fx, "elasticPoolName"));
    let theirs = &fx["responses"]["200"]["body"];
    let location = theirs["location"].as_str().expect("location").to_owned();
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            &location,
        ),
    )
    .await;
    put_server(&c, &server, &location).await;
    let body = json!({"location": location, "sku": theirs["sku"]});
    c.complete(Method::PUT, &sql(&pool.path()), Some(&body))
        .await;
    let r = c.get(&sql(&pool.path())).await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn recoverable_database_get() {
    let file = "Microsoft.Sql/2023-08-01/RecoverableDatabaseGet.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let name = param(&fx, "databaseName");
    let (emu, c) = emulator(
        model(&[(&server.name, &name)]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    // The origin region is down; its geo-backups are readable.
    let r = c.get(&sql(&server.recoverable_database(name).path())).await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dns_alias_create() {
    let file = "Microsoft.Sql/2023-08-01/ServerDnsAliasCreateOrUpdate.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let alias = server.dns_alias(param(&fx, "dnsAliasName"));
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    put_server(&c, &server, "North Europe").await;
    let r = c
        .put(&sql(&alias.path()), &fx["parameters"]["parameters"])
        .await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    check_read_back(&c, file, &fx, &alias.path()).await;
    let again = c
        .put(&sql(&alias.path()), &fx["parameters"]["parameters"])
        .await;
    check_answer(file, &fx, &again);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn endpoint_put() {
    let file = "Microsoft.Network/2022-04-01/Endpoint-PUT-External-WithLocation.json";
    let fx = fixture(file);
    let id = ResourceGroupId::new(
        param(&fx, "subscriptionId"),
        param(&fx, "resourceGroupName"),
    )
    .traffic_manager_profile(param(&fx, "profileName"))
    .endpoint(
        EndpointType::parse(&param(&fx, "endpointType")).expect("a type"),
        param(&fx, "endpointName"),
    );
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &id.profile.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    let path = format!(
        "{}?api-version={}",
        id.path(),
        arm::api_version::TRAFFIC_MANAGER
    );
    let r = c.put(&path, &fx["parameters"]["parameters"]).await;
    assert_eq!(r.status, 201, "{r:?}");
    check_answer(file, &fx, &r);
    let again = c.put(&path, &fx["parameters"]["parameters"]).await;
    assert_eq!(again.status, 200, "{again:?}");
    check_answer(file, &fx, &again);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn profile_get() {
    let file = "Microsoft.Network/2022-04-01/Profile-GET-WithEndpoints.json";
    let fx = fixture(file);
    let id = ResourceGroupId::new(
        param(&fx, "subscriptionId"),
        param(&fx, "resourceGroupName"),
    )
    .traffic_manager_profile(param(&fx, "profileName"));
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &id.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    let theirs = &fx["responses"]["200"]["body"];
    // The profile as the example shows it, then its endpoint.
    let mut profile = theirs.clone();
    if let Some(props) = profile["properties"].as_object_mut() {
        props.remove("endpoints");
    }
    let version = arm::api_version::TRAFFIC_MANAGER;
    let r = c
        .put(&format!("{}?api-version={version}", id.path()), &profile)
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    let endpoint = &theirs["properties"]["endpoints"][0];
    let eid = id.endpoint(
        EndpointType::ExternalEndpoints,
        endpoint["name"].as_str().expect("a name"),
    );
    let r = c
        .put(
            &format!("{}?api-version={version}", eid.path()),
            &json!({"properties": endpoint["properties"]}),
        )
        .await;
    assert_eq!(r.status, 201, "{r:?}");
    let r = c.get(&format!("{}?api-version={version}", id.path())).await;
    check_answer(file, &fx, &r);
    emu.shutdown().await;
}

/// The operation id at the end of a monitor URL (before its query).
fn operation_id(monitor: &str) -> String {
    let path = monitor.split('?').next().unwrap_or_default();
    path.rsplit('/').next().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_database_operations() {
    let file = "Microsoft.Sql/2023-08-01/ListDatabaseOperations.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let name = param(&fx, "databaseName");
    let id = server.database(&name);
    let (emu, c) = emulator(
        model(&[("origin1", &name)]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    put_server(&c, &server, "North Europe").await;
    let operations = sql(&format!("{}/operations", id.path()));
    // No database yet: ARM's 404.
    let r = c.get(&operations).await;
    assert_eq!(r.status, 404, "{r:?}");
    let body = json!({"location": "northeurope", "properties": {
        "createMode": "Recovery",
        "sourceDatabaseId": ServerId::new(&server.resource_group.subscription, "prod", "origin1").recoverable_database(&name).id(),
    }});
    let r = c.put(&sql(&id.path()), &body).await;
    assert_eq!(r.status, 202, "{r:?}");
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    let r = c.get(&operations).await;
    check_answer(file, &fx, &r);
    let ops = r.body["value"].as_array().expect("a list");
    assert_eq!(ops.len(), 1, "{r:?}");
    assert_eq!(ops[0]["name"], operation_id(&monitor).as_str());
    assert_eq!(ops[0]["properties"]["state"], "Succeeded");
    assert_eq!(ops[0]["properties"]["percentComplete"], 100);
    assert_eq!(ops[0]["properties"]["operation"], "CreateLogicalDatabase");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_elastic_pool_operations() {
    let file = "Microsoft.Sql/2023-08-01/ListElasticPoolOperations.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let pool = server.elastic_pool(param(&fx, "elasticPoolName"));
    let (emu, c) = emulator(
        model(&[]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            "North Europe",
        ),
    )
    .await;
    put_server(&c, &server, "North Europe").await;
    let operations = sql(&format!("{}/operations", pool.path()));
    let r = c.get(&operations).await;
    assert_eq!(r.status, 404, "{r:?}");
    c.complete(
        Method::PUT,
        &sql(&pool.path()),
        Some(&json!({"location": "northeurope"})),
    )
    .await;
    let r = c.get(&operations).await;
    check_answer(file, &fx, &r);
    let ops = r.body["value"].as_array().expect("a list");
    assert_eq!(ops.len(), 1, "{r:?}");
    assert_eq!(ops[0]["properties"]["state"], "COMPLETED");
    assert_eq!(ops[0]["properties"]["percentComplete"], 100);
    emu.shutdown().await;
}

/// Windows file time ticks (100 ns since 1601-01-01) of an ISO time
/// `YYYY-MM-DDTHH:MM:SS.mmmZ` the emulator wrote (model time counts from
/// the Unix epoch): what a restorable dropped database id carries.
fn file_time_ticks(iso: &str) -> u128 {
    let (date, clock) = iso.trim_end_matches('Z').split_once('T').expect("a time");
    let d: Vec<i64> = date.split('-').map(|x| x.parse().expect("date")).collect();
    let (y, m, day) = (d[0], d[1], d[2]);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * ((m + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    let (hms, ms) = clock.split_once('.').expect("millis");
    let t: Vec<i64> = hms.split(':').map(|x| x.parse().expect("clock")).collect();
    let millis = ((days * 86_400 + t[0] * 3_600 + t[1] * 60 + t[2]) * 1_000)
        + ms.parse::<i64>().expect("ms");
    u128::try_from(millis).expect("after the epoch") * 10_000 + 116_444_736_000_000_000
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn point_in_time_restore() {
    let file = "Microsoft.Sql/2023-08-01/CreateDatabasePITRMode.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let id = server.database(param(&fx, "databaseName"));
    let mut body = fx["parameters"]["parameters"].clone();
    let source = body["properties"]["sourceDatabaseId"]
        .as_str()
        .expect("source")
        .to_owned();
    let Ok(Resource::SqlDatabase(src)) = Resource::parse(&source) else {
        panic!("the source is a database")
    };
    let location = body["location"].as_str().expect("location").to_owned();
    let (emu, c) = emulator(
        model(&[("origin1", &src.name)]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            &location,
        ),
    )
    .await;
    put_server(&c, &server, &location).await;
    // The source database the example restores: geo-restored here first.
    let seed = json!({"location": location, "properties": {
        "createMode": "Recovery",
        "sourceDatabaseId": ServerId::new(&server.resource_group.subscription, "prod", "origin1").recoverable_database(&src.name).id(),
    }});
    let r = c.put(&sql(&src.path()), &seed).await;
    assert_eq!(r.status, 202, "{r:?}");
    let created = r.body["startTime"].as_str().expect("a start").to_owned();
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    c.poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    // ARM's validation: a time outside the backups, a time that is not
    // one, a source that does not exist.
    for (point, source_id, code) in [
        (
            "1969-12-31T00:00:00.000Z",
            source.as_str(),
            "InvalidRequestContent",
        ),
        (
            "2999-01-01T00:00:00.000Z",
            source.as_str(),
            "InvalidRequestContent",
        ),
        ("yesterday", source.as_str(), "InvalidRequestContent"),
        (
            created.as_str(),
            &server.database("nope").id(),
            "SourceDatabaseNotFound",
        ),
    ] {
        let mut bad = body.clone();
        bad["properties"]["restorePointInTime"] = json!(point);
        bad["properties"]["sourceDatabaseId"] = json!(source_id);
        let r = c.put(&sql(&id.path()), &bad).await;
        assert_eq!(r.status, 400, "{point}: {r:?}");
        assert_eq!(r.body["error"]["code"], code, "{point}: {r:?}");
    }
    // The example's time (2020) is outside the model's clock: the
    // source's creation instead.
    body["properties"]["restorePointInTime"] = json!(created);
    let r = c.put(&sql(&id.path()), &body).await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    check_read_back(&c, file, &fx, &id.path()).await;
    // A second PUT of the same restore starts nothing new.
    let again = c.put(&sql(&id.path()), &body).await;
    assert_eq!(again.status, 409, "{again:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dropped_database_restore() {
    let file = "Microsoft.Sql/2023-08-01/CreateDwDatabaseCrossSubscriptionRestore.json";
    let fx = fixture(file);
    let server = server_of(&fx);
    let id = server.database(param(&fx, "databaseName"));
    let mut body = fx["parameters"]["parameters"].clone();
    let source = body["properties"]["sourceResourceId"]
        .as_str()
        .expect("source")
        .to_owned();
    // `.../servers/srcsvr/restorableDroppedDatabases/srcdw,{ticks}`.
    let (prefix, dropped) = source
        .split_once("/restorableDroppedDatabases/")
        .expect("a dropped database id");
    let (name, _) = dropped.split_once(',').expect("name,ticks");
    let src_server = prefix.rsplit('/').next().expect("a server").to_owned();
    let location = body["location"].as_str().expect("location").to_owned();
    let (emu, c) = emulator(
        model(&[("origin1", name)]),
        ctx_of(
            &server.resource_group.subscription,
            "West Europe",
            &location,
        ),
    )
    .await;
    put_server(&c, &server, &location).await;
    // The source server lives in our subscription (server names are global).
    let src_server = ServerId::new(SUB, "rg", src_server);
    put_server(&c, &src_server, &location).await;
    let src = src_server.database(name);
    let seed = json!({"location": location, "properties": {
        "createMode": "Recovery",
        "sourceDatabaseId": ServerId::new(SUB, "prod", "origin1").recoverable_database(name).id(),
    }});
    c.complete(Method::PUT, &sql(&src.path()), Some(&seed))
        .await;
    let r = c.send(Method::DELETE, &sql(&src.path()), None).await;
    assert_eq!(r.status, 202, "{r:?}");
    let deleted = r.body["startTime"].as_str().expect("a start").to_owned();
    let ticks = file_time_ticks(&deleted);
    // Another deletion time than the database's: not restorable.
    let mut bad = body.clone();
    bad["properties"]["sourceResourceId"] = json!(format!(
        "{prefix}/restorableDroppedDatabases/{name},{}",
        ticks + 10_000
    ));
    let r = c.put(&sql(&id.path()), &bad).await;
    assert_eq!(r.status, 400, "{r:?}");
    assert_eq!(r.body["error"]["code"], "SourceDatabaseNotFound");
    bad["properties"]["sourceResourceId"] = json!(format!("{prefix}/databases/{name}"));
    let r = c.put(&sql(&id.path()), &bad).await;
    assert_eq!(r.status, 400, "{r:?}");
    assert_eq!(r.body["error"]["code"], "InvalidRequestContent");
    // The example's id with the deletion time of ours (the subscription
    // of the example's source stays: another subscription's server).
    body["properties"]["sourceResourceId"] = json!(format!(
        "{prefix}/restorableDroppedDatabases/{name},{ticks}"
    ));
    let r = c.put(&sql(&id.path()), &body).await;
    check_answer(file, &fx, &r);
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(20), 500)
        .await;
    assert_eq!(done["status"], "Succeeded");
    check_read_back(&c, file, &fx, &id.path()).await;
    emu.shutdown().await;
}
