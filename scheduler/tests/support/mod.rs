//! A randomized, checking world for the scheduler: it carries out commands
//! with random outcomes and timings, and asserts the safety properties on
//! every step. Shared by the property tests. Set `WORLD_TRACE=1` to print
//! every command and outcome (with `-- --nocapture`).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

use scheduler::fleet::file::{self, FleetFile};
use scheduler::fleet::{DbId, Fleet, PoolId, Routing, ServerId};
use scheduler::{
    Action, AliasRef, ArmClass, Command, Config, DbCopy, Event, FailureKind, Limits, OpId, Phase,
    Placement, Region, Scheduler, ServerRef, SplitMix64, Strategy,
};
use toml::Spanned;

/// Shape of a random fleet.
#[derive(Debug, Clone)]
pub struct FleetShape {
    pub servers: usize,
    pub pools_per_server: usize,
    pub dbs_per_pool: Vec<usize>,
    pub standalone: usize,
    /// Extra servers holding only standalone databases (no pool), two each.
    pub standalone_servers: usize,
    pub tiers: usize,
    pub alias_routing: bool,
    pub seed: u64,
}

pub fn make_fleet(shape: &FleetShape) -> Fleet {
    let mut rng = SplitMix64::new(shape.seed ^ 0xF1EE7);
    let tiers: Vec<file::Tier> = (0..shape.tiers.max(1))
        .map(|i| file::Tier {
            name: format!("t{i}"),
            weight: 10u32.pow((shape.tiers - i) as u32),
        })
        .collect();
    let pooled_servers = shape.servers.max(1);
    let servers: Vec<_> = (0..pooled_servers + shape.standalone_servers)
        .map(|s| {
            Spanned::new(
                0..0,
                file::Server {
                    name: format!("srv{s}"),
                    alias: Some(format!("srv{s}-alias")),
                },
            )
        })
        .collect();
    let mut pools = Vec::new();
    let mut databases = Vec::new();
    let mut n = 0;
    for s in 0..pooled_servers {
        for p in 0..shape.pools_per_server.max(1) {
            pools.push(Spanned::new(
                0..0,
                file::Pool {
                    server: format!("srv{s}"),
                    name: format!("pool{p}"),
                    edition: "Standard".into(),
                    dtu: Some(100),
                    vcores: None,
                    per_db_min: 0.0,
                    per_db_max: Some(100.0),
                    storage_gb: None,
                    sku: None,
                    family: None,
                    zone_redundant: false,
                },
            ));
            let count = shape
                .dbs_per_pool
                .get(pools.len() - 1)
                .copied()
                .unwrap_or(2);
            for _ in 0..count {
                databases.push(db(n, s, Some(format!("pool{p}")), &tiers, &mut rng));
                n += 1;
            }
        }
    }
    for i in 0..shape.standalone {
        databases.push(db(n, i % pooled_servers, None, &tiers, &mut rng));
        n += 1;
    }
    for s in pooled_servers..servers.len() {
        for _ in 0..2 {
            databases.push(db(n, s, None, &tiers, &mut rng));
            n += 1;
        }
    }
    let fleet = FleetFile {
        name: "random".into(),
        subscription: "sub".into(),
        origin_region: "westus2".into(),
        recovery_region: "westcentralus".into(),
        routing: if shape.alias_routing {
            Routing::ServerAlias
        } else {
            Routing::Catalog
        },
        recovery_suffix: "-recovery".into(),
        resource_groups: file::ResourceGroups {
            origin: "rg".into(),
            recovery: "rg-recovery".into(),
            traffic_manager: None,
            create_recovery: true,
        },
        tiers,
        catalog: file::Catalog {
            server: "catalog".into(),
            database: "tenantcatalog".into(),
            alias: "catalog-alias".into(),
            size_gb: 0.1,
        },
        app: file::App {
            origin_web_app: "app-o".into(),
            recovery_web_app: "app-r".into(),
            traffic_manager_profile: "tm".into(),
            origin_endpoint: "ep-o".into(),
            recovery_endpoint: "ep-r".into(),
            recovery_app_service_plan: None,
            app_service_plan_sku: "S1".into(),
        },
        new_tenants: file::NewTenants {
            server: "newsrv".into(),
            pool: "newpool".into(),
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
    Fleet::from_file(fleet, "random").expect("generated fleet is valid")
}

fn db(
    n: usize,
    server: usize,
    pool: Option<String>,
    tiers: &[file::Tier],
    rng: &mut SplitMix64,
) -> Spanned<file::Database> {
    let tier = &tiers[rng.below(tiers.len() as u64) as usize];
    Spanned::new(
        0..0,
        file::Database {
            name: format!("db{n}"),
            server: format!("srv{server}"),
            service_objective: if pool.is_none() {
                Some("S3".into())
            } else {
                None
            },
            pool,
            size_gb: (rng.below(5000) as f64) / 100.0,
            tenant: None,
            tenant_id: None,
            tier: tier.name.clone(),
        },
    )
}

/// Probabilities (per mille) of outcomes.
#[derive(Debug, Clone, Copy)]
pub struct Chaos {
    pub throttle: u64,
    pub transient: u64,
    pub permanent: u64,
    /// Step at which to cancel (if any).
    pub cancel_at_step: Option<usize>,
    /// Repatriate after the recovery (or cancel) settles.
    pub repatriate: bool,
    /// Tenants signing up during the outage.
    pub new_tenants: usize,
}

/// What the world knows about the platform's side.
#[derive(Default)]
pub struct World {
    pub now_ms: u64,
    pub log: Vec<(u64, Command)>,
    pending: Vec<(Command, bool)>,
    pools_created: BTreeSet<PoolId>,
    servers_created: BTreeSet<ServerId>,
    restored: BTreeSet<DbId>,
    routing_recovery: BTreeSet<DbId>,
    alias_recovery: BTreeSet<ServerId>,
    online: BTreeMap<DbId, bool>,
    outstanding_pool: BTreeMap<PoolId, u32>,
    outstanding_standalone: u32,
    /// The platform's ARM buckets (writes, deletes, reads), in thousandths.
    buckets_milli: [i64; 3],
    buckets_updated_ms: u64,
    region_back: bool,
    restore_of: BTreeMap<OpId, (DbId, Placement)>,
    pub max_pool_outstanding: u32,
    delete_sent: BTreeSet<DbId>,
    /// Pooled databases restored standalone (fast lane) and not yet moved.
    pub awaiting_move: BTreeSet<DbId>,
    /// Tenants whose geo-replica in the origin region is seeded.
    seeded: BTreeSet<DbId>,
    /// Tenants whose origin replica was failed over to (now primary).
    failed_over: BTreeSet<DbId>,
    /// Pre-outage origin copies deleted.
    pub preoutage_deleted: BTreeSet<DbId>,
}

pub struct Outcome {
    pub scheduler: Scheduler,
    pub world: World,
}

const MAX_STEPS: usize = 200_000;

/// Runs a whole recovery under chaos, asserting safety on every step.
pub fn run(fleet: Fleet, strategy: Box<dyn Strategy>, seed: u64, chaos: Chaos) -> Outcome {
    let limits = Limits::default();
    let config = Config {
        seed,
        poll_interval_ms: 10_000,
        operation_poll_interval_ms: 10_000,
        ..Config::default()
    };
    let mut scheduler = Scheduler::new(fleet, strategy, config, 0);
    let mut world = World {
        buckets_milli: [limits.arm_writes, limits.arm_deletes, limits.arm_reads]
            .map(|b| i64::from(b.capacity) * 1000),
        ..World::default()
    };
    let mut rng = SplitMix64::new(seed ^ 0xC4A05);
    let mut cancelled = false;
    let mut repatriated = false;
    let mut created = 0;
    for step in 0..MAX_STEPS {
        while let Some(command) = scheduler.poll_command() {
            world.sent(&scheduler, command, &limits);
        }
        if chaos.cancel_at_step == Some(step) && !cancelled {
            cancelled = true;
            world.region_back = true;
            scheduler
                .handle(world.now_ms, Event::CancelRequested)
                .expect("cancel");
            continue;
        }
        if created < chaos.new_tenants
            && scheduler.status().phase == Phase::Recovering
            && world.new_tenant_ready(&scheduler)
            && rng.below(50) == 0
        {
            created += 1;
            scheduler
                .handle(
                    world.now_ms,
                    Event::TenantCreated {
                        name: format!("new{created}"),
                        tier: scheduler::fleet::TierId(0),
                    },
                )
                .expect("tenant created");
            let db = DbId(scheduler.estate().fleet.databases.len() as u32 - 1);
            world.restored.insert(db);
            world.routing_recovery.insert(db);
            world.online.insert(db, true);
            continue;
        }
        if world.pending.is_empty() {
            if scheduler.is_finished() {
                if chaos.repatriate && !repatriated {
                    repatriated = true;
                    world.region_back = true;
                    scheduler
                        .handle(world.now_ms, Event::RepatriateRequested)
                        .expect("repatriate");
                    continue;
                }
                break;
            }
            match scheduler.next_wakeup() {
                Some(at) => {
                    assert!(at >= world.now_ms, "wakeup in the past");
                    world.now_ms = at.max(world.now_ms);
                    scheduler
                        .handle(world.now_ms, Event::Wakeup)
                        .expect("wakeup");
                    continue;
                }
                None => break,
            }
        }
        // Deliver an outcome for a random pending command, a little later.
        world.now_ms += rng.below(2_000);
        let index = rng.below(world.pending.len() as u64) as usize;
        let (command, accepted) = world.pending.swap_remove(index);
        let event = world.outcome(&command, accepted, &chaos, &mut rng);
        let done = !matches!(event, Event::Accepted { .. });
        if !done {
            world.pending.push((command.clone(), true));
        }
        if std::env::var("WORLD_TRACE").is_ok() {
            eprintln!(
                "{} {:?} -> {:?} [{}]",
                world.now_ms,
                command.action,
                event,
                command.action.describe(scheduler.estate())
            );
        }
        world.apply(&scheduler, &command, &event);
        scheduler
            .handle(world.now_ms, event)
            .expect("scheduler accepts every well-formed outcome");
        if let Err(broken) = scheduler.check_invariants() {
            panic!("invariant broken at step {step} (seed {seed}): {broken}");
        }
    }
    Outcome { scheduler, world }
}

impl World {
    fn new_tenant_ready(&self, scheduler: &Scheduler) -> bool {
        self.pools_created
            .contains(&scheduler.estate().new_tenant_pool)
    }

    fn refill(&mut self, limits: &Limits) {
        let elapsed = (self.now_ms - self.buckets_updated_ms) as i64;
        let limits = [limits.arm_writes, limits.arm_deletes, limits.arm_reads];
        for (tokens, limit) in self.buckets_milli.iter_mut().zip(limits) {
            let cap = i64::from(limit.capacity) * 1000;
            *tokens = (*tokens + elapsed * i64::from(limit.refill_per_s)).min(cap);
        }
        self.buckets_updated_ms = self.now_ms;
    }

    /// A command was handed out: check it against what exists and the limits.
    fn sent(&mut self, scheduler: &Scheduler, command: Command, limits: &Limits) {
        self.log.push((self.now_ms, command.clone()));
        if std::env::var("WORLD_TRACE").is_ok() {
            eprintln!("SENT {} {:?}", self.now_ms, command);
        }
        if let Some(class) = command.action.arm_class() {
            self.refill(limits);
            let bucket = match class {
                ArmClass::Write => 0,
                ArmClass::Delete => 1,
                ArmClass::Read => 2,
            };
            self.buckets_milli[bucket] -= 1000;
            assert!(
                self.buckets_milli[bucket] >= 0,
                "ARM {class:?} budget exceeded by {command:?}"
            );
        }
        let estate = scheduler.estate();
        match command.action {
            Action::RestoreDatabase { db, placement } => {
                assert!(
                    !self.region_back,
                    "restore submitted after cancel: {command:?}"
                );
                match placement {
                    Placement::Pool(pool) => {
                        assert!(
                            self.pools_created.contains(&pool),
                            "restore before its pool exists: {command:?}"
                        );
                        let n = self.outstanding_pool.entry(pool).or_default();
                        *n += 1;
                        self.max_pool_outstanding = self.max_pool_outstanding.max(*n);
                        assert!(*n <= limits.pool_queue_max, "pool queue limit exceeded");
                    }
                    Placement::Standalone => {
                        if estate.database(db).is_some_and(|d| d.pool.is_some()) {
                            self.awaiting_move.insert(db);
                        }
                        let server = estate.database(db).expect("known database").server;
                        assert!(
                            self.servers_created.contains(&server),
                            "standalone restore before its server exists"
                        );
                        self.outstanding_standalone += 1;
                        assert!(
                            self.outstanding_standalone <= limits.standalone_submitted_max,
                            "standalone limit exceeded"
                        );
                    }
                }
                self.restore_of.insert(command.op, (db, placement));
                self.delete_sent.remove(&db);
            }
            Action::DeleteDatabase {
                db,
                copy: DbCopy::Recovery,
            } => {
                self.delete_sent.insert(db);
            }
            Action::DeleteDatabase {
                db,
                copy: DbCopy::OriginPreOutage,
            } => {
                // Repatriation drops the tenant's pre-outage data only once
                // its replacement is seeded and serves as the primary.
                assert!(
                    self.seeded.contains(&db) && self.failed_over.contains(&db),
                    "pre-outage copy of {db:?} deleted before its replacement was seeded ({}) and failed over ({})",
                    self.seeded.contains(&db),
                    self.failed_over.contains(&db)
                );
                self.preoutage_deleted.insert(db);
            }
            Action::SetTenantOnline { db, online: true } => {
                if self.routing_recovery.contains(&db) || self.alias_points_recovery(scheduler, db)
                {
                    assert!(
                        self.restored.contains(&db),
                        "tenant marked online while routed to a missing copy"
                    );
                } else {
                    assert!(
                        self.region_back,
                        "tenant marked online at origin during the outage"
                    );
                }
            }
            _ => {}
        }
        self.pending.push((command, false));
    }

    fn alias_points_recovery(&self, scheduler: &Scheduler, db: DbId) -> bool {
        let estate = scheduler.estate();
        estate.fleet.routing == Routing::ServerAlias
            && !estate.is_new_tenant(db)
            && estate
                .database(db)
                .is_some_and(|d| self.alias_recovery.contains(&d.server))
    }

    /// Where the tenant is routed now points at a live copy.
    pub fn routes_to_live_copy(&self, scheduler: &Scheduler, db: DbId) -> bool {
        if self.routing_recovery.contains(&db) || self.alias_points_recovery(scheduler, db) {
            self.restored.contains(&db)
        } else {
            self.region_back
        }
    }

    pub fn is_online(&self, db: DbId) -> bool {
        self.online.get(&db).copied().unwrap_or(false)
    }

    /// The tenant's catalog "online" flag: as last set, or as it was before
    /// the outage (online) if the recovery never touched it.
    pub fn catalog_says_online(&self, db: DbId) -> bool {
        self.online.get(&db).copied().unwrap_or(true)
    }

    fn outcome(
        &self,
        command: &Command,
        accepted: bool,
        chaos: &Chaos,
        rng: &mut SplitMix64,
    ) -> Event {
        let op = command.op;
        if let Action::CheckChanged { .. } = command.action {
            return Event::Changed {
                op,
                changed: rng.below(2) == 0,
            };
        }
        let arm = command.action.arm_class().is_some();
        if !accepted {
            let roll = rng.below(1000);
            if arm && roll < chaos.throttle {
                return Event::Throttled {
                    op,
                    retry_after_ms: 1_000 * (1 + rng.below(10)),
                };
            }
            if roll < chaos.throttle + chaos.transient {
                return Event::Failed {
                    op,
                    kind: FailureKind::Transient,
                    reason: "InternalServerError".into(),
                };
            }
            if roll < chaos.throttle + chaos.transient + chaos.permanent {
                return Event::Failed {
                    op,
                    kind: FailureKind::Permanent,
                    reason: "Conflict".into(),
                };
            }
            if command.action.completes_via_poll() || rng.below(2) == 0 {
                return Event::Accepted { op };
            }
        }
        let roll = rng.below(1000);
        if matches!(command.action, Action::RestoreDatabase { .. }) && roll < chaos.transient {
            return Event::Failed {
                op,
                kind: FailureKind::Transient,
                reason: "restore interrupted".into(),
            };
        }
        Event::Succeeded { op }
    }

    /// What the platform now looks like after `event`.
    fn apply(&mut self, scheduler: &Scheduler, command: &Command, event: &Event) {
        let ended = matches!(
            event,
            Event::Succeeded { .. } | Event::Failed { .. } | Event::Throttled { .. }
        );
        if ended && let Some((_, placement)) = self.restore_of.remove(&command.op) {
            match placement {
                Placement::Pool(pool) => *self.outstanding_pool.entry(pool).or_default() -= 1,
                Placement::Standalone => self.outstanding_standalone -= 1,
            }
        }
        if !matches!(event, Event::Succeeded { .. }) {
            return;
        }
        let estate = scheduler.estate();
        match command.action {
            Action::CreatePool { pool } => {
                self.pools_created.insert(pool);
            }
            Action::CreateServer {
                server: ServerRef::Mirror(server),
            } => {
                self.servers_created.insert(server);
            }
            // Deleting a restoring database cancels its restore.
            Action::RestoreDatabase { db, .. } if !self.delete_sent.contains(&db) => {
                self.restored.insert(db);
            }
            Action::DeleteDatabase {
                db,
                copy: DbCopy::Recovery,
            } => {
                assert!(
                    !(self.is_online(db)
                        && (self.routing_recovery.contains(&db)
                            || self.alias_points_recovery(scheduler, db))),
                    "deleted the copy an online tenant is served from"
                );
                self.restored.remove(&db);
            }
            Action::SetRouting { db, to } => {
                if to == Region::Recovery {
                    self.routing_recovery.insert(db);
                } else {
                    self.routing_recovery.remove(&db);
                }
            }
            Action::MoveAlias {
                alias: AliasRef::Server(server),
                to,
            } => {
                if to == Region::Recovery {
                    for &db in &estate.server(server).expect("known server").databases {
                        if self.is_online(db) {
                            assert!(
                                self.restored.contains(&db),
                                "alias moved under an online tenant without a copy"
                            );
                        }
                    }
                    self.alias_recovery.insert(server);
                } else {
                    self.alias_recovery.remove(&server);
                }
            }
            Action::SetTenantOnline { db, online } => {
                self.online.insert(db, online);
            }
            Action::MoveToPool { db } => {
                self.awaiting_move.remove(&db);
            }
            Action::Failover { db } => {
                // The origin replica is now the primary: routing home is safe.
                assert!(
                    self.seeded.contains(&db),
                    "failover of {db:?} before seeding"
                );
                self.failed_over.insert(db);
            }
            Action::ReplicateToOrigin { db } => {
                self.seeded.insert(db);
            }
            _ => {}
        }
    }
}
