//! Scheduler cost per handled event, every command succeeding at once
//! (`scheduler::plan::dry_run`), so the time measured is the scheduler's own.
//! Reported per event: total time / events handed to `Scheduler::handle`.
//!
//! - `scheduler_100k_dbs_2000_pools`: 100,000 databases in 2,000 pools (50
//!   per pool, 40 servers), catalog routing, three strategies;
//! - `scheduler_server_alias_10x10k`: 100,000 databases on 10 servers
//!   (10,000 tenants each, in 200 pools of 50), `routing = "server-alias"`,
//!   so every server's alias waits for all of its 10,000 tenants.
//!
//! Run: `cargo bench --bench scheduler` (or add a group name as a filter).

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use scheduler::fleet::Fleet;
use scheduler::fleet::file::Spanned;
use scheduler::fleet::file::{self, FleetFile, Routing};
use scheduler::plan::{PlanOptions, dry_run};
use scheduler::strategy::by_name;
use scheduler::{Config, SplitMix64};

/// The shape of a generated fleet.
#[derive(Clone, Copy)]
struct Shape {
    servers: usize,
    pools_per_server: usize,
    dbs_per_pool: usize,
    routing: Routing,
}

/// 40 servers × 50 pools × 50 databases, catalog routing.
const CATALOG_100K: Shape = Shape {
    servers: 40,
    pools_per_server: 50,
    dbs_per_pool: 50,
    routing: Routing::Catalog,
};

/// 10 servers × 10,000 tenants (200 pools × 50 databases), server aliases.
const SERVER_ALIAS_10X10K: Shape = Shape {
    servers: 10,
    pools_per_server: 200,
    dbs_per_pool: 50,
    routing: Routing::ServerAlias,
};

fn fleet(shape: Shape) -> Fleet {
    let mut rng = SplitMix64::new(42);
    let tiers = file::default_tiers();
    let mut servers = Vec::new();
    let mut pools = Vec::new();
    let mut databases = Vec::new();
    let aliased = shape.routing == Routing::ServerAlias;
    for s in 0..shape.servers {
        let server = format!("tenants{s}");
        servers.push(Spanned::new(
            0..0,
            file::Server {
                name: server.clone(),
                alias: aliased.then(|| format!("tenants{s}-alias")),
            },
        ));
        for p in 0..shape.pools_per_server {
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
            for d in 0..shape.dbs_per_pool {
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
        name: format!(
            "bench-{}x{}",
            shape.servers,
            shape.pools_per_server * shape.dbs_per_pool
        ),
        subscription: "sub".into(),
        origin_region: "westus2".into(),
        recovery_region: "westcentralus".into(),
        routing: shape.routing,
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
    let recover = PlanOptions::default();
    bench_group(
        c,
        "scheduler_100k_dbs_2000_pools",
        CATALOG_100K,
        &[
            ("wingtip", "wingtip", recover),
            ("priority-pacing", "priority-pacing", recover),
            ("size-aware", "size-aware", recover),
        ],
    );
}

fn server_alias(c: &mut Criterion) {
    bench_group(
        c,
        "scheduler_server_alias_10x10k",
        SERVER_ALIAS_10X10K,
        &[
            ("priority-pacing", "priority-pacing", PlanOptions::default()),
            (
                "priority-pacing+repatriate",
                "priority-pacing",
                PlanOptions {
                    repatriate: true,
                    all_changed: false,
                },
            ),
        ],
    );
}

/// Benchmarks dry runs of `shape`, one per `(label, strategy, options)`.
fn bench_group(
    c: &mut Criterion,
    group_name: &str,
    shape: Shape,
    cases: &[(&str, &'static str, PlanOptions)],
) {
    let fleet = fleet(shape);
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    for &(label, name, options) in cases {
        // The first run also prints the per-event figure criterion cannot
        // (inside the closure, so a filtered-out benchmark does not run).
        let mut printed = false;
        group.bench_function(label, |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let fleet = fleet.clone();
                    let strategy = by_name(name).expect("strategy");
                    let start = Instant::now();
                    let run =
                        dry_run(fleet, strategy, Config::default(), options).expect("dry run");
                    let elapsed = start.elapsed();
                    total += elapsed;
                    if !printed {
                        printed = true;
                        println!(
                            "{group_name}/{label}: {} events, {} commands, {:.3} s, {:.0} ns/event",
                            run.events_handled,
                            run.commands.len(),
                            elapsed.as_secs_f64(),
                            elapsed.as_nanos() as f64 / run.events_handled as f64
                        );
                    }
                    std::hint::black_box(run.events_handled);
                }
                total
            })
        });
    }
    group.finish();
}

criterion_group!(benches, per_event, server_alias);
criterion_main!(benches);
