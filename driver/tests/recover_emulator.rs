//! The driver against the emulator over HTTPS on loopback: a whole
//! recovery with tokens from the real `azure_identity` client-secret
//! credential, the real journal and the SQLite catalog; then the
//! emulator's own account of what happened is checked.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use driver::catalog::{Catalog, SqliteCatalog};
use driver::credential::{AuthMethod, Authorizer, CredentialSettings};
use driver::executor::{Quiet, RunEnd};
use driver::recover::{self, Recovery, RecoveryEnd};
use driver::transport::{ArmClient, Timeouts, https_client};
use emulator::{Emulator, EmulatorConfig};
use scheduler::{Config, Phase};
use serde_json::Value;

/// Model milliseconds per real millisecond: a restore of ~20 model
/// minutes takes ~1 real second.
const TIME_SCALE: u32 = 1000;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)
}

struct World {
    emulator: Emulator,
    dir: tempfile::TempDir,
    arm: ArmClient,
    http: reqwest::Client,
}

async fn start(scenario: &str) -> (World, sim::scenario::Scenario) {
    start_with(scenario, emulator::IdentityConfig::default()).await
}

/// The emulator on `scenario` over HTTPS, with the token endpoint's
/// `identity`, and an ARM client signed in through azure_identity.
async fn start_with(
    scenario: &str,
    identity: emulator::IdentityConfig,
) -> (World, sim::scenario::Scenario) {
    let scenario = sim::scenario::load(&repo(scenario)).expect("scenario");
    let dir = tempfile::tempdir().expect("tempdir");
    let ca = dir.path().join("ca.pem");
    let config = EmulatorConfig {
        tls: true,
        ca_file: Some(ca.clone()),
        time_scale: f64::from(TIME_SCALE),
        identity,
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::from_scenario(&scenario, config)
        .await
        .expect("emulator");
    let http = https_client(Some(&ca), Timeouts::default()).expect("client");
    let settings = CredentialSettings {
        tenant_id: Some(emulator.tenant_id().to_owned()),
        client_id: Some(emulator::config::DEFAULT_CLIENT_ID.to_owned()),
        client_secret: Some(emulator::config::DEFAULT_CLIENT_SECRET.into()),
        authority_host: Some(emulator.base_url().to_owned()),
    };
    let auth = Authorizer::new(
        AuthMethod::ClientSecret,
        settings,
        http.clone(),
        "https://management.azure.com/.default".to_owned(),
    )
    .expect("credential");
    let arm = ArmClient::new(http.clone(), emulator.base_url(), Arc::new(auth));
    (
        World {
            emulator,
            dir,
            arm,
            http,
        },
        scenario,
    )
}

impl World {
    /// Copies `file` (a fleet or scenario file of the repository) into the
    /// world's directory, seeds a SQLite catalog from `scenario`'s fleet and
    /// runs a fresh recovery with `strategy` (journal beside the copy, or
    /// at `journal`), within `limit`.
    async fn recover(
        &self,
        scenario: &sim::scenario::Scenario,
        file: &str,
        strategy: &str,
        journal: Option<&str>,
        limit: Duration,
    ) -> (RecoveryEnd, SqliteCatalog) {
        let name = Path::new(file).file_name().expect("a file name");
        let fleet_path = self.dir.path().join(name);
        std::fs::copy(repo(file), &fleet_path).expect("copy the fleet");
        let mut catalog =
            SqliteCatalog::open(&self.dir.path().join("catalog.sqlite")).expect("catalog");
        catalog.seed_from_fleet(&scenario.fleet).expect("seed");
        let journal_path = journal.map_or_else(
            || driver::journal::default_path(&fleet_path),
            |j| self.dir.path().join(j),
        );
        let recovery = Recovery {
            fleet: scenario.fleet.clone(),
            fleet_path,
            strategy: strategy.to_owned(),
            config: config(scenario),
            arm: self.arm.clone(),
            journal_path,
            time_scale: TIME_SCALE,
            resume: false,
        };
        let (_control, rx) = tokio::sync::mpsc::channel(1);
        let end = tokio::time::timeout(limit, recover::run(recovery, &mut catalog, &mut Quiet, rx))
            .await
            .unwrap_or_else(|_| panic!("the recovery ends within {limit:?}"))
            .expect("the recovery runs");
        (end, catalog)
    }

    async fn state(&self) -> Value {
        self.http
            .get(format!("{}/_emulator/state", self.emulator.base_url()))
            .bearer_auth(self.emulator.admin_token())
            .send()
            .await
            .expect("state")
            .text()
            .await
            .map(|t| serde_json::from_str(&t).expect("state JSON"))
            .expect("state body")
    }
}

fn config(scenario: &sim::scenario::Scenario) -> Config {
    let settings = scenario.settings(scenario.file.seed);
    Config {
        poll_interval_ms: settings.server_poll_interval_ms,
        operation_poll_interval_ms: settings.lro_poll_interval_ms,
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wingtip_demo_recovers_over_https_with_one_restore_per_database() {
    let (world, scenario) = start("scenarios/wingtip-demo.toml").await;
    let (end, mut catalog) = world
        .recover(
            &scenario,
            "scenarios/fleets/wingtip-demo.toml",
            "priority-pacing",
            None,
            Duration::from_secs(120),
        )
        .await;

    assert_eq!(end.end, RunEnd::Finished(Phase::Recovered), "{end:?}");
    let tenants = scenario.fleet.databases.len();
    assert_eq!(
        end.status.online_in_recovery + end.status.failed,
        end.status.tenants,
        "{:?}",
        end.status
    );
    assert!(end.status.online_in_recovery >= tenants - end.status.failed);
    assert_eq!(end.counts.transport_failures, 0, "{:?}", end.counts);
    // Every tenant online is timed, per tier.
    let timed: usize = end.tier_online_ms.iter().map(|(_, t)| t.len()).sum();
    assert_eq!(
        timed, end.status.online_in_recovery,
        "{:?}",
        end.tier_online_ms
    );

    // The emulator's account: one restore started per tenant database,
    // each of them now online in the recovery region.
    let state = world.state().await;
    let restores = state["restores"].as_object().expect("restores");
    // Every tenant database and the catalog database.
    assert_eq!(restores.len(), tenants + 1, "{restores:?}");
    for (target, count) in restores {
        assert_eq!(count["started"], 1, "{target}: {count}");
    }
    let recovery_location = state["recovery_location"].as_str().expect("location");
    let online_in_recovery = state["databases"]
        .as_array()
        .expect("databases")
        .iter()
        .filter(|d| {
            let text = |v: &Value| {
                v.as_str()
                    .unwrap_or_default()
                    .to_lowercase()
                    .replace(' ', "")
            };
            d["alive"] == true
                && text(&d["state"]) == "online"
                && text(&d["location"]) == text(&Value::from(recovery_location))
        })
        .count();
    // Tenants plus the catalog database.
    assert!(
        online_in_recovery > end.status.online_in_recovery,
        "{online_in_recovery} online in {recovery_location}, scheduler says {}",
        end.status.online_in_recovery
    );

    // Routing switched: the catalog's alias points at the recovery catalog
    // server; Traffic Manager sends users to the recovery app.
    let fleet = &scenario.fleet;
    let mirror = |server: &str| format!("{server}{}", fleet.recovery_suffix);
    assert_eq!(
        state["aliases"][&fleet.catalog.alias].as_str(),
        Some(mirror(&fleet.catalog.server).as_str()),
        "{}",
        state["aliases"]
    );
    assert_eq!(
        state["endpoints"][&fleet.app.origin_endpoint], false,
        "{}",
        state["endpoints"]
    );
    assert_eq!(
        state["endpoints"][&fleet.app.recovery_endpoint], true,
        "{}",
        state["endpoints"]
    );
    // The recovery app and the new-tenant pool exist (read through ARM,
    // as the survey reads them).
    let observed = recover::survey(
        &world.arm,
        fleet,
        &driver::clock::ScaledClock::start(TIME_SCALE, 0),
    )
    .await
    .expect("survey");
    assert!(
        observed.app_site_exists && observed.app_plan_exists,
        "{observed:?}"
    );
    let new_tenant_server = mirror(&fleet.new_tenants.server);
    assert!(
        observed
            .pools
            .get(&new_tenant_server)
            .is_some_and(|p| !p.is_empty()),
        "no new-tenant pool on {new_tenant_server}: {:?}",
        observed.pools
    );

    // The catalog: every recovered tenant online and routed to recovery.
    let rows = catalog.rows().expect("rows");
    let routed = rows
        .iter()
        .filter(|r| r.online && r.server.contains(scenario.fleet.recovery_suffix.as_str()))
        .count();
    assert_eq!(routed, end.status.online_in_recovery, "{rows:?}");
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_slow_the_recovery_down_but_lose_nothing() {
    // azure_identity renews 5 minutes before expiry: these tokens are
    // renewed about every real second of the run.
    let identity = emulator::IdentityConfig {
        token_lifetime: Duration::from_secs(301),
        ..emulator::IdentityConfig::default()
    };
    let (world, scenario) = start_with("scenarios/wingtip-demo.toml", identity).await;
    let faults = serde_json::json!({
        "throttle_storm_s": 0.3,
        "throttle_retry_after_s": 2,
        "error_500_rate": 0.05,
        "error_503_rate": 0.02,
        "reset_rate": 0.03,
        "latency_ms": 1,
    });
    let set = world
        .http
        .post(format!("{}/_emulator/faults", world.emulator.base_url()))
        .bearer_auth(world.emulator.admin_token())
        .header("Content-Type", "application/json")
        .body(faults.to_string())
        .send()
        .await
        .expect("faults");
    assert_eq!(set.status().as_u16(), 200);
    let (end, _catalog) = world
        .recover(
            &scenario,
            "scenarios/fleets/wingtip-demo.toml",
            "priority-pacing",
            None,
            Duration::from_secs(180),
        )
        .await;
    assert_eq!(end.end, RunEnd::Finished(Phase::Recovered), "{end:?}");
    // Every tenant online, or failed with a reason (the model's own
    // permanent restore failures); none lost.
    assert_eq!(
        end.status.online_in_recovery + end.status.failed,
        end.status.tenants,
        "{:?}",
        end.status
    );
    let state = world.state().await;
    let requests = &state["requests"];
    // The faults happened.
    assert!(
        requests["injected_500"].as_u64().unwrap_or(0) > 0,
        "{requests}"
    );
    assert!(
        requests["injected_resets"].as_u64().unwrap_or(0) > 0,
        "{requests}"
    );
    assert!(
        requests["injected_429"].as_u64().unwrap_or(0) > 0,
        "{requests}"
    );
    assert!(end.counts.transport_failures > 0, "{:?}", end.counts);
    // Lost answers never started a second restore.
    for (target, count) in state["restores"].as_object().expect("restores") {
        assert_eq!(count["started"], 1, "{target}: {count}");
    }
    world.emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn saas_1k_recovers_over_https_with_one_restore_per_database() {
    // A generated fleet: the scenario file stands for the fleet file.
    let (world, scenario) = start("scenarios/saas-1k.toml").await;
    let strategy = scenario.file.strategy.name.clone();
    let (end, _catalog) = world
        .recover(
            &scenario,
            "scenarios/saas-1k.toml",
            &strategy,
            Some("journal.sqlite"),
            Duration::from_secs(240),
        )
        .await;
    assert_eq!(end.end, RunEnd::Finished(Phase::Recovered), "{end:?}");
    let tenants = scenario.fleet.databases.len();
    assert_eq!(end.status.tenants, tenants);
    assert_eq!(
        end.status.online_in_recovery + end.status.failed,
        tenants,
        "{:?}",
        end.status
    );
    // The model's own permanent restore failures (0.1 %), no more.
    assert!(end.status.failed <= 5, "{:?}", end.status);
    let state = world.state().await;
    let restores = state["restores"].as_object().expect("restores");
    assert_eq!(restores.len(), tenants + 1);
    // A restore the model fails transiently (its database is dropped) is
    // started again, by design; every other start is one per database.
    let started: u64 = restores
        .values()
        .map(|c| c["started"].as_u64().unwrap_or(0))
        .sum();
    let retried = state["model"]["restores_failed_transient"]
        .as_u64()
        .unwrap_or(0);
    assert_eq!(started, tenants as u64 + 1 + retried, "{}", state["model"]);
    assert!(restores.values().all(|c| c["started"].as_u64() >= Some(1)));
    world.emulator.shutdown().await;
}
