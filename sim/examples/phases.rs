//! Wall time of each phase of one simulated run of a scenario, next to the
//! scheduler alone on the same fleet (`scheduler::plan::dry_run`: every
//! command succeeds at once, so the time is the scheduler's own).
//!
//! Run: `cargo run --release -p georestore-sim --example phases -- scenarios/saas-100k.toml`
//! (prints the minimum over `--repeat N` runs, default 3). With
//! `--write-fleet PATH` it also writes the scenario's fleet as a fleet file,
//! for `georestore plan PATH` (the scheduler alone through the CLI).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use scheduler::Config;
use scheduler::fleet::file::{self, FleetFile, Spanned};
use scheduler::fleet::{Fleet, PoolCapacity};
use scheduler::plan::{PlanOptions, dry_run};
use sim::lower_bound;
use sim::results::summarize;
use sim::runner::Runner;

fn main() {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut repeat = 3u32;
    let mut write_fleet = None;
    while let Some(arg) = args.next() {
        if arg == "--repeat" {
            repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
        } else if arg == "--write-fleet" {
            write_fleet = args.next().map(PathBuf::from);
        } else {
            path = Some(PathBuf::from(arg));
        }
    }
    let path = path.unwrap_or_else(|| PathBuf::from("scenarios/saas-10k.toml"));
    if let Some(out) = write_fleet {
        let scenario = sim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        let text = toml::to_string(&fleet_file(&scenario.fleet)).expect("fleet as TOML");
        std::fs::write(&out, text).expect("writing the fleet file");
        println!("wrote {}", out.display());
    }
    let mut best = [Duration::MAX; 6];
    for _ in 0..repeat.max(1) {
        let mut times = [Duration::ZERO; 6];
        let t = Instant::now();
        let scenario = sim::scenario::load(&path).unwrap_or_else(|e| panic!("{e}"));
        times[0] = t.elapsed();
        let knobs = scenario.file.strategy.knobs();
        let name = scenario.file.strategy.name.clone();
        let strategy = || scheduler::strategy::build(&name, &knobs).expect("strategy");
        let settings = scenario.settings(scenario.file.seed);

        let t = Instant::now();
        let config = Config {
            limits: settings.scheduler_limits,
            poll_interval_ms: settings.server_poll_interval_ms,
            seed: settings.seed,
            ..Config::default()
        };
        let plan = dry_run(
            scenario.fleet.clone(),
            strategy(),
            config,
            PlanOptions::default(),
        )
        .expect("dry run");
        times[1] = t.elapsed();
        let commands = plan.commands.len();
        drop(plan);

        let t = Instant::now();
        let runner = Runner::new(scenario.fleet.clone(), strategy(), settings)
            .unwrap_or_else(|e| panic!("{e}"));
        times[2] = t.elapsed();
        let t = Instant::now();
        let bound = lower_bound::compute(&scenario.fleet, runner.model(), runner.scheduler());
        times[3] = t.elapsed();
        let t = Instant::now();
        let out = runner.run().unwrap_or_else(|e| panic!("{e}"));
        times[4] = t.elapsed();
        let t = Instant::now();
        let (result, _series) = summarize(&scenario.file.name, scenario.file.seed, &out, bound);
        times[5] = t.elapsed();
        println!(
            "digest {} | dry-run commands {commands} | {}",
            result.digest,
            fmt(&times)
        );
        for (b, t) in best.iter_mut().zip(times) {
            *b = (*b).min(t);
        }
    }
    println!("min   {}", fmt(&best));
}

fn fmt(times: &[Duration; 6]) -> String {
    let names = [
        "load",
        "scheduler alone",
        "setup",
        "lower bound",
        "run",
        "summarize",
    ];
    names
        .iter()
        .zip(times)
        .map(|(n, t)| format!("{n} {:.3} s", t.as_secs_f64()))
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The fleet file describing `fleet` (sizes rounded to the MB).
fn fleet_file(fleet: &Fleet) -> FleetFile {
    let server = |s: scheduler::fleet::ServerId| fleet.servers[s.0 as usize].name.clone();
    FleetFile {
        name: fleet.name.clone(),
        subscription: fleet.subscription.clone(),
        origin_region: fleet.origin_region.clone(),
        recovery_region: fleet.recovery_region.clone(),
        routing: fleet.routing,
        recovery_suffix: fleet.recovery_suffix.clone(),
        resource_groups: fleet.resource_groups.clone(),
        tiers: fleet.tiers.clone(),
        catalog: fleet.catalog.clone(),
        app: fleet.app.clone(),
        new_tenants: fleet.new_tenants.clone(),
        administrator: None,
        recovery: Default::default(),
        servers: fleet
            .servers
            .iter()
            .map(|s| {
                Spanned::new(
                    0..0,
                    file::Server {
                        name: s.name.clone(),
                        alias: s.alias.clone(),
                    },
                )
            })
            .collect(),
        pools: fleet
            .pools
            .iter()
            .map(|p| {
                let (dtu, vcores) = match p.capacity {
                    PoolCapacity::Dtu(d) => (Some(d), None),
                    PoolCapacity::VCores(v) => (None, Some(v)),
                };
                Spanned::new(
                    0..0,
                    file::Pool {
                        server: server(p.server),
                        name: p.name.clone(),
                        edition: p.edition.clone(),
                        dtu,
                        vcores,
                        per_db_min: p.per_db_min,
                        per_db_max: p.per_db_max,
                        storage_gb: p.storage_gb,
                        sku: None,
                        family: None,
                        zone_redundant: false,
                    },
                )
            })
            .collect(),
        databases: fleet
            .databases
            .iter()
            .map(|d| {
                Spanned::new(
                    0..0,
                    file::Database {
                        name: d.name.clone(),
                        server: server(d.server),
                        pool: d.pool.map(|p| fleet.pools[p.0 as usize].name.clone()),
                        service_objective: d.service_objective.clone(),
                        size_gb: d.size_mb as f64 / 1024.0,
                        tenant: Some(d.tenant.clone()),
                        tenant_id: Some(d.tenant_id.clone()),
                        tier: fleet.tiers[d.tier.0 as usize].name.clone(),
                    },
                )
            })
            .collect(),
    }
}
