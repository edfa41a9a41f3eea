//! Pool creations are followed with one `ListElasticPools` read per server
//! per poll interval, not one `GetOperation` per pool: the reads spent on
//! them scale with servers, and every pool still becomes known.

use std::path::Path;

use sim::runner::Runner;
use sim::scenario::parse;
use sim::{ArmRequest, ArmResponse, AzureModel, ModelParams, PoolState, Region};

/// 4,000 tenants in 400 pools of 10 on 4 servers (100 pools per server).
const MANY_POOLS: &str = r#"
name = "many-pools"
seed = 1
runs = 1

[strategy]
name = "priority-pacing"

[fleet.generate]
tenants = 4000
databases_per_pool = 10
pools_per_server = 100
standalone_share = 0.0
routing = "catalog"
seed = 3
size_gb = { median_gb = 1.0, sigma = 0.5, max_gb = 20.0 }
tiers = [
  { name = "premium", weight = 100, share = 0.1 },
  { name = "standard", weight = 10, share = 0.3 },
  { name = "free", weight = 1, share = 0.6 },
]
"#;

#[test]
fn pool_creations_cost_reads_per_server_not_per_pool() {
    let scenario = parse(MANY_POOLS, "many-pools.toml", Path::new(".")).expect("scenario");
    let fleet = scenario.fleet.clone();
    let servers = fleet.servers.len() as u64;
    let pools = fleet.pools.len() as u64;
    assert!(pools >= 20 * servers, "{pools} pools on {servers} servers");
    let settings = scenario.settings(1);
    let interval_ms = settings.lro_poll_interval_ms;
    let strategy = scheduler::strategy::build("priority-pacing", &scenario.file.strategy.knobs())
        .expect("strategy");
    let runner = Runner::new(fleet.clone(), strategy, settings).expect("runner");

    // What one GetOperation per pool per interval would cost at least:
    // every poll before each creation ends, and the longest creation.
    let (mut per_pool_reads, mut longest_ms) = (0, 0);
    for pool in &fleet.pools {
        let server = fleet.mirror_name(&fleet.servers[pool.server.0 as usize].name);
        let ms = runner.model().first_pool_create_ms(&server, &pool.name);
        per_pool_reads += ms / interval_ms;
        longest_ms = longest_ms.max(ms);
    }

    let out = runner.run().expect("run");
    let status = out.scheduler.status();
    assert_eq!(format!("{:?}", status.phase), "Recovered", "{status:?}");
    assert!(status.blocked.is_empty(), "{status:?}");
    assert_eq!(status.ops_in_flight, 0, "{status:?}");
    assert_eq!(
        status.online_in_recovery + status.failed,
        status.tenants,
        "{status:?}"
    );

    let stats = out.model.stats();
    // One list per server per interval while its pools are being made
    // (the slack covers the servers' creations starting a little apart).
    let polls = longest_ms.div_ceil(interval_ms) + 3;
    assert!(stats.pool_lists >= servers, "{stats:?}");
    assert!(
        stats.pool_lists <= servers * polls,
        "{} pool lists > {servers} servers x {polls} polls",
        stats.pool_lists
    );
    assert!(
        stats.pool_lists * 10 <= per_pool_reads,
        "{} pool lists vs {per_pool_reads} per-pool polls",
        stats.pool_lists
    );
    // GetOperation follows only the few other operations (servers, web
    // app, alias, endpoint), not the pools.
    assert!(stats.operation_gets < pools, "{}", stats.operation_gets);
}

#[test]
fn list_elastic_pools_shows_each_pool_state_and_costs_one_read() {
    let mut m = AzureModel::new(ModelParams::default(), 5, 0.0).expect("model");
    let server = "rec".to_owned();
    m.submit(
        0,
        ArmRequest::CreateServer {
            server: server.as_str().into(),
            region: Region::Recovery,
        },
    );
    m.advance_until_idle(&mut Vec::new());
    let t = m.now_ms();
    for p in ["b", "a"] {
        let r = m.submit(
            t,
            ArmRequest::CreateElasticPool {
                server: server.as_str().into(),
                pool: p.into(),
            },
        );
        assert!(matches!(r, ArmResponse::Accepted { .. }), "{r:?}");
    }
    let list = |m: &mut AzureModel| match m.submit(
        m.now_ms(),
        ArmRequest::ListElasticPools {
            server: server.as_str().into(),
        },
    ) {
        ArmResponse::ElasticPools { pools } => pools,
        other => panic!("expected ElasticPools, got {other:?}"),
    };
    let reads = m.stats().requests_of(sim::OpClass::Reads);
    let creating = list(&mut m);
    assert_eq!(m.stats().requests_of(sim::OpClass::Reads), reads + 1);
    assert_eq!(m.stats().pool_lists, 1);
    assert_eq!(creating.len(), 2);
    assert!(creating.iter().all(|p| p.state == PoolState::Creating));
    // Name order: "a" was created second.
    assert_eq!(Some(creating[0].id), m.pool_id("rec", "a"));
    m.advance_until_idle(&mut Vec::new());
    let ready = list(&mut m);
    assert!(
        ready.iter().all(|p| p.state == PoolState::Ready),
        "{ready:?}"
    );
    // Without the body: same status and accounting, nothing built.
    let r = m.submit_without_list_body(
        m.now_ms(),
        ArmRequest::ListElasticPools {
            server: server.as_str().into(),
        },
    );
    assert_eq!(r, ArmResponse::ElasticPools { pools: Vec::new() });
    assert_eq!(m.stats().pool_lists, 3);
    let r = m.submit(
        m.now_ms(),
        ArmRequest::DeleteElasticPool {
            server: server.as_str().into(),
            pool: "a".into(),
        },
    );
    assert!(matches!(r, ArmResponse::Accepted { .. }), "{r:?}");
    let left = list(&mut m);
    assert_eq!(left.len(), 1);
    assert_eq!(Some(left[0].id), m.pool_id("rec", "b"));
    let missing = m.submit(
        m.now_ms(),
        ArmRequest::ListElasticPools {
            server: "nope".into(),
        },
    );
    assert!(
        matches!(missing, ArmResponse::Rejected { status: 404, .. }),
        "{missing:?}"
    );
}
