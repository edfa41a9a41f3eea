//! Every ARM request the scheduler renders has the path, api-version and
//! body shape of Azure's own examples (../shared/fixtures/azure-rest), and
//! names what the fleet says: subscription, resource groups, mirror names,
//! locations, SKUs, the recoverable database a restore starts from.

use std::collections::BTreeMap;
use std::path::PathBuf;

use scheduler::arm::api_version;
use scheduler::arm::{Headers, Method, Request, Response, ResponseBody};
use scheduler::fleet::Fleet;
use scheduler::{Action, Config, Event, Scheduler, Work, strategy};
use serde_json::Value;

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

fn fixtures() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/azure-rest");
    assert!(
        dir.is_dir(),
        "{} is missing: the fixtures live in ../shared beside the checkout",
        dir.display()
    );
    dir
}

fn fixture(path: &str) -> Value {
    let text = std::fs::read_to_string(fixtures().join(path)).expect("fixture file");
    serde_json::from_str(&text).expect("fixture JSON")
}

/// The keys of a JSON object (recursively, as dotted paths).
fn keys(value: &Value, prefix: &str, out: &mut Vec<String>) {
    if let Value::Object(map) = value {
        for (k, v) in map {
            let path = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            out.push(path.clone());
            keys(v, &path, out);
        }
    }
}

fn key_set(value: &Value) -> Vec<String> {
    let mut out = Vec::new();
    keys(value, "", &mut out);
    out.sort();
    out
}

/// Drives a whole recovery and repatriation of the demo fleet, answering
/// every ARM request "200, done" (a database PUT with an online database),
/// except the replication-link lookups, which get Azure's example answer.
/// Returns every request by action kind.
fn rendered() -> (Fleet, BTreeMap<&'static str, Vec<Request>>) {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet.clone(), strategy, Config::default(), 0);
    // Azure's example lists the links of the primary; the lookup before a
    // failover reads them from the geo-secondary, which sees the roles
    // swapped.
    let mut links = fixture("Microsoft.Sql/2023-08-01/ReplicationLinkListByDatabase.json");
    let mut body = links["responses"]["200"]["body"].take();
    if let Some(items) = body["value"].as_array_mut() {
        for item in items {
            let props = &mut item["properties"];
            let role = props["role"].take();
            props["role"] = props["partnerRole"].take();
            props["partnerRole"] = role;
        }
    }
    let links = body.to_string();
    let mut out: BTreeMap<&'static str, Vec<Request>> = BTreeMap::new();
    let mut now = 0;
    let mut repatriating = false;
    for _ in 0..100_000 {
        while let Some(command) = s.poll_command() {
            let op = command.op;
            match command.work {
                Work::Catalog(_) => {
                    let event = match command.action {
                        Action::CheckChanged { .. } => Event::Changed { op, changed: true },
                        _ => Event::Succeeded { op },
                    };
                    s.handle(now, event).expect("catalog answer");
                }
                Work::Arm(request) if request.path.ends_with("/replicationLinks") => {
                    let response = Response {
                        status: 200,
                        headers: Headers::default(),
                        body: ResponseBody::Text(links.clone()),
                    };
                    out.entry("find_link").or_default().push(request);
                    s.handle(now, Event::Response { op, response })
                        .expect("links");
                }
                Work::Arm(request) => {
                    // Done at once (200); a database comes back online.
                    let online = serde_json::json!({"properties": {"status": "Online"}});
                    let body =
                        if request.method == Method::Put && request.path.contains("/databases/") {
                            ResponseBody::Text(online.to_string())
                        } else {
                            ResponseBody::Empty
                        };
                    let response = Response {
                        status: 200,
                        headers: Headers::default(),
                        body,
                    };
                    let kind = kind(&command.action);
                    out.entry(kind).or_default().push(request);
                    s.handle(now, Event::Response { op, response })
                        .expect("answer");
                }
            }
        }
        if s.status().finished {
            if repatriating {
                break;
            }
            repatriating = true;
            s.handle(now, Event::RepatriateRequested)
                .expect("repatriate");
            continue;
        }
        let Some(at) = s.next_wakeup() else { break };
        now = now.max(at);
        s.handle(now, Event::Wakeup).expect("wakeup");
    }
    (fleet, out)
}

fn kind(action: &Action) -> &'static str {
    match action {
        Action::SetEndpoint { .. } => "set_endpoint",
        Action::CreateServer { .. } => "create_server",
        Action::CreatePool { .. } | Action::CreateOriginNewTenantPool => "create_pool",
        Action::CreateWebApp => "create_web_app",
        Action::RestoreCatalog | Action::RestoreDatabase { .. } => "restore",
        Action::PollServer { .. } | Action::PollPools { .. } | Action::PollOperation { .. } => {
            "poll"
        }
        Action::MoveAlias { .. } => "move_alias",
        Action::RenameOriginCopy { .. } | Action::RenameOriginCatalog => "rename",
        Action::ReplicateToOrigin { .. } | Action::ReplicateCatalogToOrigin => "replicate",
        Action::Failover { .. } | Action::FailoverCatalog => "failover",
        Action::MoveToPool { .. } => "move_to_pool",
        Action::DeleteDatabase { .. } | Action::DeleteOriginCatalogCopy => "delete_database",
        Action::DeletePool { .. } => "delete_pool",
        Action::DeleteServer { .. } => "delete_server",
        Action::DeleteWebApp => "delete_web_app",
        _ => "other",
    }
}

fn body(request: &Request) -> Value {
    serde_json::from_str(&request.body_json().expect("a body")).expect("JSON body")
}

#[test]
fn every_request_routes_with_its_resource_api_version() {
    let (_, all) = rendered();
    let total: usize = all.values().map(Vec::len).sum();
    assert!(
        total > 60,
        "only {total} requests rendered: {:?}",
        all.keys()
    );
    for (kind, requests) in &all {
        for request in requests {
            let route = request
                .route()
                .unwrap_or_else(|e| panic!("{kind}: {} does not parse: {e}", request.path));
            assert_eq!(
                request.api_version(),
                Some(api_version::for_resource(&route.resource)),
                "{kind}: {}",
                request.path_and_query()
            );
        }
    }
}

#[test]
fn geo_restore_names_the_origin_backup_and_the_mirror_pool() {
    let (fleet, all) = rendered();
    let example = fixture("Microsoft.Sql/2014-04-01/DatabaseCreateGeoRestore.json");
    let example = &example["parameters"]["parameters"];
    let restores = &all["restore"];
    assert_eq!(restores.len(), 21, "20 tenants and the catalog");
    let sub = &fleet.subscription;
    let (origin_rg, recovery_rg) = (
        &fleet.resource_groups.origin,
        &fleet.resource_groups.recovery,
    );
    let tenant = restores
        .iter()
        .find(|r| r.path.ends_with("/databases/dogwooddojo"))
        .expect("dogwooddojo restored");
    assert_eq!(tenant.method, Method::Put);
    assert_eq!(
        tenant.path,
        format!(
            "/subscriptions/{sub}/resourceGroups/{recovery_rg}/providers/Microsoft.Sql/servers/tenants1-dpt-user1-recovery/databases/dogwooddojo"
        )
    );
    let b = body(tenant);
    // Every key of Azure's geo-restore example is there, with the meaning it has.
    for key in key_set(example) {
        assert!(key_set(&b).contains(&key), "{key} missing from {b}");
    }
    assert_eq!(b["properties"]["createMode"], "Recovery");
    assert_eq!(b["location"], fleet.recovery_region.as_str());
    assert_eq!(
        b["properties"]["sourceDatabaseId"],
        format!(
            "/subscriptions/{sub}/resourceGroups/{origin_rg}/providers/Microsoft.Sql/servers/tenants1-dpt-user1/recoverableDatabases/dogwooddojo"
        )
    );
    assert_eq!(
        b["properties"]["elasticPoolId"],
        format!(
            "/subscriptions/{sub}/resourceGroups/{recovery_rg}/providers/Microsoft.Sql/servers/tenants1-dpt-user1-recovery/elasticPools/Pool1"
        )
    );
    let catalog = restores
        .iter()
        .find(|r| r.path.ends_with("/databases/tenantcatalog"))
        .expect("catalog restored");
    let b = body(catalog);
    assert_eq!(b["sku"]["name"], "S1", "the tutorial's catalog objective");
    assert!(b["properties"].get("elasticPoolId").is_none());
}

#[test]
fn servers_are_entra_only_with_the_fleets_administrator() {
    let (fleet, all) = rendered();
    let example = fixture("Microsoft.Sql/2023-08-01/ServerCreate.json");
    let admin_keys = key_set(&example["parameters"]["parameters"]["properties"]["administrators"]);
    let servers: Vec<&Request> = all["create_server"]
        .iter()
        .filter(|r| r.path.contains("/providers/Microsoft.Sql/servers/"))
        .collect();
    assert!(servers.len() >= 3, "catalog, tenant and new-tenant mirrors");
    let groups = all["create_server"].len() - servers.len();
    assert_eq!(groups, 1, "the recovery resource group is created once");
    for request in servers {
        let b = body(request);
        assert!(
            b["properties"].get("administratorLoginPassword").is_none(),
            "no password is ever sent: {b}"
        );
        let admins = &b["properties"]["administrators"];
        assert_eq!(admins["azureADOnlyAuthentication"], true);
        assert_eq!(admins["login"], "wingtip-sql-admins");
        assert_eq!(admins["principalType"], "Group");
        for key in key_set(admins) {
            assert!(
                admin_keys.contains(&key) || key == "administratorType",
                "{key} is not in Azure's example"
            );
        }
        let location = b["location"].as_str().expect("location");
        assert!(
            [fleet.origin_region.as_str(), fleet.recovery_region.as_str()].contains(&location),
            "{location}"
        );
    }
}

#[test]
fn mirror_pools_copy_the_origin_sku() {
    let (_, all) = rendered();
    let example = fixture("Microsoft.Sql/2023-08-01/ElasticPoolGet.json");
    let example_keys = key_set(&example["responses"]["200"]["body"]);
    let pool = all["create_pool"]
        .iter()
        .find(|r| r.path.contains("-recovery/elasticPools/Pool1"))
        .expect("mirror pool");
    let b = body(pool);
    assert_eq!(b["sku"]["name"], "StandardPool");
    assert_eq!(b["sku"]["capacity"], 50);
    assert_eq!(b["properties"]["perDatabaseSettings"]["maxCapacity"], 50.0);
    assert_eq!(b["properties"]["maxSizeBytes"], 50_u64 << 30);
    for key in key_set(&b) {
        assert!(
            example_keys.contains(&key),
            "{key} is not in Azure's pool shape"
        );
    }
}

#[test]
fn alias_moves_and_endpoint_switches_have_azures_shapes() {
    let (fleet, all) = rendered();
    let example = fixture("Microsoft.Sql/2023-08-01/ServerDnsAliasAcquire.json");
    let example = &example["parameters"]["parameters"];
    let moves = &all["move_alias"];
    let catalog_move = moves
        .iter()
        .find(|r| {
            r.path
                .contains("catalog-dpt-user1-recovery/dnsAliases/catalog-dpt-user1-alias/acquire")
        })
        .expect("catalog alias moved to the recovery server");
    let b = body(catalog_move);
    assert_eq!(key_set(&b), key_set(example));
    assert!(
        b["oldServerDnsAliasId"].as_str().is_some_and(
            |id| id.ends_with("/servers/catalog-dpt-user1/dnsAliases/catalog-dpt-user1-alias")
        ),
        "{b}"
    );
    let endpoints = &all["set_endpoint"];
    let disable = &endpoints[0];
    assert_eq!(disable.method, Method::Patch);
    assert!(
        disable.path.ends_with(&format!(
            "/providers/Microsoft.Network/trafficmanagerprofiles/{}/AzureEndpoints/{}",
            fleet.app.traffic_manager_profile, fleet.app.origin_endpoint
        )),
        "{}",
        disable.path
    );
    assert_eq!(
        body(disable),
        serde_json::json!({"properties": {"endpointStatus": "Disabled"}})
    );
}

#[test]
fn repatriation_replicates_renames_and_fails_over_on_the_found_link() {
    let (fleet, all) = rendered();
    let example = fixture("Microsoft.Sql/2023-08-01/CreateDatabaseSecondaryMode.json");
    let example = &example["parameters"]["parameters"]["properties"];
    let replica = all["replicate"]
        .iter()
        .find(|r| {
            r.path
                .ends_with("/servers/tenants1-dpt-user1/databases/dogwooddojo")
        })
        .expect("dogwooddojo replicated home");
    let b = body(replica);
    for key in key_set(example) {
        assert!(
            key_set(&b["properties"]).contains(&key),
            "{key} missing: {b}"
        );
    }
    assert_eq!(b["properties"]["createMode"], "Secondary");
    assert_eq!(b["location"], fleet.origin_region.as_str());
    let rename = all["rename"]
        .iter()
        .find(|r| r.path.ends_with("/databases/dogwooddojo/move"))
        .expect("origin copy renamed aside");
    assert!(
        body(rename)["id"]
            .as_str()
            .is_some_and(|id| id.ends_with("/databases/dogwooddojo-preoutage")),
        "{rename:?}"
    );
    let failover_example = fixture("Microsoft.Sql/2024-05-01-preview/ReplicationLinkFailover.json");
    let link = failover_example["parameters"]["linkId"]
        .as_str()
        .expect("link id");
    let links = fixture("Microsoft.Sql/2023-08-01/ReplicationLinkListByDatabase.json");
    let listed = links["responses"]["200"]["body"]["value"][0]["name"]
        .as_str()
        .expect("listed link")
        .to_owned();
    let failover = all["failover"]
        .iter()
        .find(|r| r.path.contains("/databases/dogwooddojo/"))
        .expect("dogwooddojo failed over");
    assert_eq!(failover.method, Method::Post);
    assert!(
        failover.path.ends_with(&format!(
            "/databases/dogwooddojo/replicationLinks/{listed}/failover"
        )),
        "the link found by the lookup is the one failed over: {} (example link {link})",
        failover.path
    );
}
