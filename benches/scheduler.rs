//! Scheduler cost per handled event on a 100,000-database estate in 2,000
//! pools (50 per pool, 40 servers), every command succeeding at once
//! (`scheduler::plan::dry_run`), so the time measured is the scheduler's own.
//! Reported per event: total time / events handed to `Scheduler::handle`.
//!
//! Run: `cargo bench --bench scheduler`.

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use scheduler::fleet::Fleet;
use scheduler::fleet::file::Spanned;
use scheduler::fleet::file::{self, FleetFile, Routing};
use scheduler::plan::{PlanOptions, dry_run};
use scheduler::strategy::by_name;
use scheduler::{Config, SplitMix64};

const SERVERS: usize = 40;
const POOLS_PER_SERVER: usize = 50;
const DBS_PER_POOL: usize = 50;

fn fleet() -> Fleet {
    let mut rng = SplitMix64::new(42);
    let tiers = file::default_tiers();
    let mut servers = Vec::new();
    let mut pools = Vec::new();
    let mut databases = Vec::new();
    for s in 0..SERVERS {
        let server = format!("tenants{s}");
        servers.push(Spanned::new(
            0..0,
            file::Server {
                name: server.clone(),
                alias: None,
            },
        ));
        for p in 0..POOLS_PER_SERVER {
            let pool = format!("pool{p}");
            pools.push(Spanned::new(
                0..0,
                file::Pool {
                    server: server.clone(),
                    name: pool.clone(),
                    edition: "Standard".into(),
                    dtu: Some(200),
                    vcores: None,
                    per_db_min: 0.0,
                    per_db_max: Some(50.0),
                    storage_gb: Some(200),
                    sku: None,
                    family: None,
                    zone_redundant: false,
                },
            ));
            for d in 0..DBS_PER_POOL {
                let roll = rng.below(100);
                let tier = if roll < 10 {
                    0
                } else if roll < 40 {
                    1
                } else {
                    2
                };
                databases.push(Spanned::new(
                    0..0,
                    file::Database {
                        name: format!("t{s}-{p}-{d}"),
                        server: server.clone(),
                        pool: Some(pool.clone()),
                        service_objective: None,
                        size_gb: rng.below(20_000) as f64 / 100.0,
                        tenant: None,
                        tenant_id: None,
                        tier: tiers[tier].name.clone(),
                    },
                ));
            }
        }
    }
    let file = FleetFile {
        name: "bench-100k".into(),
        subscription: "sub".into(),
        origin_region: "westus2".into(),
        recovery_region: "westcentralus".into(),
        routing: Routing::Catalog,
        recovery_suffix: "-recovery".into(),
        resource_groups: file::ResourceGroups {
            origin: "rg".into(),
            recovery: "rg-r".into(),
            traffic_manager: None,
            create_recovery: true,
        },
        tiers,
        catalog: file::Catalog {
            server: "catalog".into(),
            database: "tenantcatalog".into(),
            alias: "catalog-alias".into(),
            size_gb: 1.0,
        },
        app: file::App {
            origin_web_app: "app".into(),
            recovery_web_app: "app-r".into(),
            traffic_manager_profile: "tm".into(),
            origin_endpoint: "app".into(),
            recovery_endpoint: "app-r".into(),
            recovery_app_service_plan: None,
            app_service_plan_sku: "S1".into(),
        },
        new_tenants: file::NewTenants {
            server: "newtenants".into(),
            pool: "pool".into(),
            alias: "new-alias".into(),
            edition: None,
            dtu: None,
        },
        administrator: None,
        recovery: Default::default(),
        servers,
        pools,
        databases,
    };
    Fleet::from_file(file, "bench").expect("generated fleet is valid")
}

fn per_event(c: &mut Criterion) {
    let fleet = fleet();
    let mut group = c.benchmark_group("scheduler_100k_dbs_2000_pools");
    group.sample_size(10);
    for name in ["wingtip", "priority-pacing", "size-aware"] {
        // One run up front to print the per-event figure criterion cannot.
        let start = Instant::now();
        let run = dry_run(
            fleet.clone(),
            by_name(name).expect("strategy"),
            Config::default(),
            PlanOptions::default(),
        )
        .expect("dry run");
        let elapsed = start.elapsed();
        println!(
            "{name}: {} events, {} commands, {:.3} s, {:.0} ns/event",
            run.events_handled,
            run.commands.len(),
            elapsed.as_secs_f64(),
            elapsed.as_nanos() as f64 / run.events_handled as f64
        );
        group.bench_function(name, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let fleet = fleet.clone();
                    let strategy = by_name(name).expect("strategy");
                    let start = Instant::now();
                    let run = dry_run(fleet, strategy, Config::default(), PlanOptions::default())
                        .expect("dry run");
                    total += start.elapsed();
                    std::hint::black_box(run.events_handled);
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, per_event);
criterion_main!(benches);
