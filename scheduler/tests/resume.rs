//! Resume after a crash: a scripted ARM "cloud" answers the scheduler's
//! requests and keeps what exists; the driver is killed after N commands
//! (the last one may have reached the cloud with its answer lost), an
//! [`ObservedEstate`] is built from what the cloud lists plus the journal,
//! and [`Scheduler::resume`] finishes the recovery: every tenant online once,
//! exactly one started restore per database, fewer writes than a fresh start.

mod support;

use std::collections::BTreeMap;

use proptest::prelude::*;
use scheduler::arm::body::{Database, ElasticPool, Endpoint, List, Server, ServerDnsAlias};
use scheduler::arm::{Method, PollTarget, Resource, Response};
use scheduler::fleet::{Fleet, Routing};
use scheduler::resume::{ObservedEstate, ResumeError};
use scheduler::{
    Action, CatalogCall, Command, Config, Event, FORMAT_VERSION, Phase, Scheduler, Work, strategy,
};
use serde_json::{Value, json};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");
const SUFFIX: &str = ".database.windows.net";

fn demo() -> Fleet {
    Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet")
}

fn demo_alias() -> Fleet {
    let text = DEMO.replace("routing = \"catalog\"", "routing = \"server-alias\"");
    let fleet = Fleet::from_toml_str(&text, "demo.toml").expect("demo fleet");
    assert_eq!(fleet.routing, Routing::ServerAlias);
    fleet
}

fn generated(seed: u64, alias: bool) -> Fleet {
    support::make_fleet(&support::FleetShape {
        servers: 3,
        pools_per_server: 2,
        dbs_per_pool: vec![3, 2, 4, 1, 2, 3],
        standalone: 4,
        standalone_servers: 0,
        tiers: 3,
        alias_routing: alias,
        seed,
    })
}

#[derive(Debug, Clone)]
struct Db {
    ready_at: u64,
    pool: Option<String>,
}

/// A small ARM world: what exists, keyed by name, with time-driven
/// long-running operations.
#[derive(Debug, Clone, Default)]
struct Cloud {
    group: bool,
    servers: BTreeMap<String, u64>,
    pools: BTreeMap<(String, String), u64>,
    dbs: BTreeMap<(String, String), Db>,
    aliases: BTreeMap<String, String>,
    endpoints: BTreeMap<String, bool>,
    site: bool,
    plan: bool,
    catalog: BTreeMap<String, (bool, String)>,
    /// Status URLs: op number -> done at.
    ops: Vec<u64>,
    /// Restores that actually started, per `server/database`.
    restores: BTreeMap<String, u32>,
    /// Catalog marks per tenant: (offline, online).
    marks: BTreeMap<String, (u32, u32)>,
    writes: u32,
}

impl Cloud {
    fn new(fleet: &Fleet) -> Cloud {
        let mut cloud = Cloud::default();
        for db in &fleet.databases {
            let server = &fleet.servers[db.server.0 as usize].name;
            cloud
                .catalog
                .insert(db.tenant_id.clone(), (true, format!("{server}{SUFFIX}")));
        }
        cloud
            .aliases
            .insert(fleet.catalog.alias.clone(), fleet.catalog.server.clone());
        for server in &fleet.servers {
            cloud
                .aliases
                .insert(fleet.server_alias(server), server.name.clone());
        }
        cloud
            .endpoints
            .insert(fleet.app.origin_endpoint.clone(), true);
        cloud
            .endpoints
            .insert(fleet.app.recovery_endpoint.clone(), false);
        cloud
    }

    fn async_op(&mut self, done_at: u64) -> Response {
        self.ops.push(done_at);
        let url = format!(
            "https://management.azure.com/cloudops/{}?api-version=2023-08-01",
            self.ops.len() - 1
        );
        Response::from_wire(
            202,
            [("Azure-AsyncOperation", url.as_str()), ("Retry-After", "1")],
            "",
        )
    }

    fn db_body(&self, now: u64, name: &str, db: &Db) -> Value {
        let status = if now >= db.ready_at {
            "Online"
        } else {
            "Restoring"
        };
        let mut props = json!({ "status": status });
        if let Some(pool) = &db.pool {
            props["elasticPoolId"] = json!(pool);
        }
        json!({ "name": name, "properties": props })
    }

    fn server_up(&self, now: u64, name: &str) -> bool {
        self.servers.get(name).is_some_and(|&at| now >= at)
    }

    fn respond(&mut self, now: u64, command: &Command) -> Event {
        let op = command.op;
        let request = match &command.work {
            Work::Catalog(call) => {
                match call {
                    CatalogCall::MarkOffline { tenant_id } => {
                        self.marks.entry(tenant_id.clone()).or_default().0 += 1;
                        if let Some(row) = self.catalog.get_mut(tenant_id) {
                            row.0 = false;
                        }
                    }
                    CatalogCall::MarkOnline { tenant_id } => {
                        self.marks.entry(tenant_id.clone()).or_default().1 += 1;
                        if let Some(row) = self.catalog.get_mut(tenant_id) {
                            row.0 = true;
                        }
                    }
                    CatalogCall::Route {
                        tenant_id, server, ..
                    } => {
                        if let Some(row) = self.catalog.get_mut(tenant_id) {
                            row.1 = server.clone();
                        }
                    }
                    CatalogCall::CheckChanged { .. } => {
                        return Event::Changed { op, changed: false };
                    }
                }
                return Event::Succeeded { op };
            }
            Work::Arm(request) => request.clone(),
        };
        if request.method != Method::Get && request.method != Method::Delete {
            self.writes += 1;
        }
        let ok = |body: Value| Response::from_wire(200, [], &body.to_string());
        let not_found = || Response::new(404).with_error("ResourceNotFound", "not found");
        let response = if let Some(n) = request.path.strip_prefix("/cloudops/") {
            let done = n
                .parse::<usize>()
                .ok()
                .and_then(|i| self.ops.get(i))
                .is_some_and(|&at| now >= at);
            ok(json!({ "status": if done { "Succeeded" } else { "InProgress" } }))
        } else {
            let route = request
                .route()
                .expect("the scheduler renders routable requests");
            let body: Value = request
                .body_json()
                .and_then(|b| serde_json::from_str(&b).ok())
                .unwrap_or(Value::Null);
            match (request.method, route.resource) {
                (Method::Put, Resource::ResourceGroup(_)) => {
                    self.group = true;
                    ok(json!({}))
                }
                (Method::Put, Resource::SqlServer(id)) => match self.servers.get(&id.name) {
                    Some(&at) if now >= at => ok(json!({"name": id.name})),
                    Some(&at) => self.async_op(at),
                    None => {
                        self.servers.insert(id.name.clone(), now + 30_000);
                        self.async_op(now + 30_000)
                    }
                },
                (Method::Put, Resource::ElasticPool(id)) => {
                    let key = (id.server.name.clone(), id.name.clone());
                    match self.pools.get(&key) {
                        Some(&at) if now >= at => ok(json!({"name": id.name})),
                        Some(&at) => self.async_op(at),
                        None => {
                            assert!(self.server_up(now, &id.server.name), "pool before server");
                            self.pools.insert(key, now + 20_000);
                            self.async_op(now + 20_000)
                        }
                    }
                }
                (Method::Put, Resource::SqlDatabase(id)) => {
                    let key = (id.server.name.clone(), id.name.clone());
                    let pool = body["properties"]["elasticPoolId"]
                        .as_str()
                        .map(str::to_owned);
                    let restore = body["properties"]["createMode"] == "Recovery";
                    match (restore, self.dbs.get_mut(&key)) {
                        (true, Some(_)) => Response::new(409)
                            .with_error("DatabaseAlreadyExists", "The database already exists."),
                        (true, None) => {
                            assert!(
                                self.server_up(now, &id.server.name),
                                "restore before server"
                            );
                            let name = format!("{}/{}", id.server.name, id.name);
                            *self.restores.entry(name).or_default() += 1;
                            let took = 40_000 + (self.restores.len() as u64 % 7) * 10_000;
                            self.dbs.insert(
                                key,
                                Db {
                                    ready_at: now + took,
                                    pool,
                                },
                            );
                            self.async_op(now + took)
                        }
                        (false, Some(db)) => {
                            db.pool = pool;
                            let db = db.clone();
                            ok(self.db_body(now, &id.name, &db))
                        }
                        (false, None) => not_found(),
                    }
                }
                (Method::Put, Resource::Site(_)) => {
                    assert!(self.plan, "site before plan");
                    self.site = true;
                    ok(json!({}))
                }
                (Method::Put, Resource::ServerFarm(_)) => {
                    self.plan = true;
                    ok(json!({}))
                }
                (Method::Patch, Resource::TrafficManagerEndpoint(id)) => {
                    let enabled = body["properties"]["endpointStatus"] == "Enabled";
                    self.endpoints.insert(id.name.clone(), enabled);
                    ok(json!({}))
                }
                (Method::Post, Resource::DnsAlias(id)) => {
                    self.aliases.insert(id.name.clone(), id.server.name.clone());
                    ok(json!({}))
                }
                (Method::Get, Resource::Databases(server)) => {
                    let value: Vec<Value> = self
                        .dbs
                        .iter()
                        .filter(|((s, _), _)| *s == server.name)
                        .map(|((_, name), db)| self.db_body(now, name, db))
                        .collect();
                    ok(json!({ "value": value }))
                }
                (Method::Get, Resource::ElasticPools(server)) => {
                    let value: Vec<Value> = self
                        .pools
                        .iter()
                        .filter(|((s, _), _)| *s == server.name)
                        .map(|((_, name), &at)| {
                            let state = if now >= at { "Ready" } else { "Creating" };
                            json!({"name": name, "properties": {"state": state}})
                        })
                        .collect();
                    ok(json!({ "value": value }))
                }
                (Method::Get, Resource::SqlDatabase(id)) => {
                    match self.dbs.get(&(id.server.name.clone(), id.name.clone())) {
                        Some(db) => ok(self.db_body(now, &id.name, db)),
                        None => not_found(),
                    }
                }
                (Method::Get, Resource::SqlServer(id)) => match self.servers.get(&id.name) {
                    Some(_) => ok(json!({"name": id.name})),
                    None => not_found(),
                },
                (Method::Delete, Resource::SqlDatabase(id)) => {
                    self.dbs.remove(&(id.server.name.clone(), id.name.clone()));
                    ok(json!({}))
                }
                (method, resource) => panic!("the cloud does not script {method:?} {resource:?}"),
            }
        };
        Event::Response { op, response }
    }

    /// What a driver lists after a crash, through the `observe_*` helpers
    /// fed with ARM list bodies, plus the catalog if it is reachable.
    fn observe(&self, now: u64, fleet: &Fleet) -> ObservedEstate {
        let mut o = ObservedEstate::new();
        o.resource_group_exists = self.group;
        let servers: List<Server> = serde_json::from_value(json!({ "value": self
            .servers
            .iter()
            .map(|(name, &at)| json!({"name": name, "properties": {"state": if now >= at { "Ready" } else { "Creating" }}}))
            .collect::<Vec<_>>() }))
        .expect("server list");
        o.observe_servers(&servers);
        for server in self.servers.keys() {
            let value: Vec<Value> = self
                .dbs
                .iter()
                .filter(|((s, _), _)| s == server)
                .map(|((_, name), db)| self.db_body(now, name, db))
                .collect();
            let list: List<Database> =
                serde_json::from_value(json!({ "value": value })).expect("database list");
            o.observe_databases(server, &list);
            let value: Vec<Value> = self
                .pools
                .iter()
                .filter(|((s, _), _)| s == server)
                .map(|((_, name), &at)| json!({"name": name, "properties": {"state": if now >= at { "Ready" } else { "Creating" }}}))
                .collect();
            let list: List<ElasticPool> =
                serde_json::from_value(json!({ "value": value })).expect("pool list");
            o.observe_pools(server, &list);
            let value: Vec<Value> = self
                .aliases
                .iter()
                .filter(|(_, s)| *s == server)
                .map(|(name, _)| json!({"name": name}))
                .collect();
            let list: List<ServerDnsAlias> =
                serde_json::from_value(json!({ "value": value })).expect("alias list");
            o.observe_dns_aliases(server, &list);
        }
        for (name, &enabled) in &self.endpoints {
            let endpoint: Endpoint = serde_json::from_value(json!({"name": name, "properties": {
                "endpointStatus": if enabled { "Enabled" } else { "Disabled" }}}))
            .expect("endpoint");
            o.observe_endpoint(&endpoint);
        }
        o.app_site_exists = self.site;
        o.app_plan_exists = self.plan;
        // The recovered catalog answers once its alias points at it.
        let catalog_mirror = fleet.mirror_name(&fleet.catalog.server);
        if self.aliases.get(&fleet.catalog.alias) == Some(&catalog_mirror) {
            for (tenant, (online, server)) in &self.catalog {
                o.catalog.insert(
                    tenant.clone(),
                    scheduler::resume::CatalogRow {
                        online: *online,
                        server: server.clone(),
                    },
                );
            }
        }
        o
    }
}

/// How a run ended.
#[derive(Debug, PartialEq)]
enum End {
    Finished,
    Crashed,
}

/// A driver: hands every command to the cloud at once, journals accepted
/// ones with their status URL. With `crash = Some((n, acted))` it dies when
/// the n-th command is handed out; the cloud carries that one out if
/// `acted`, and its answer is lost.
struct Driver {
    now: u64,
    handed: usize,
    journal: Vec<(Command, Option<PollTarget>)>,
}

impl Driver {
    fn run(&mut self, s: &mut Scheduler, cloud: &mut Cloud, crash: Option<(usize, bool)>) -> End {
        for _ in 0..200_000 {
            while let Some(command) = s.poll_command_at(self.now) {
                self.handed += 1;
                if std::env::var_os("RESUME_TRACE").is_some() {
                    eprintln!(
                        "{} {:?} {:?}",
                        self.now,
                        command.action,
                        match &command.work {
                            Work::Arm(r) => r.path.clone(),
                            Work::Catalog(c) => format!("{c:?}"),
                        }
                    );
                }
                if let Some((n, acted)) = crash
                    && self.handed >= n
                {
                    if acted {
                        let _lost = cloud.respond(self.now, &command);
                    }
                    self.journal.push((command, None));
                    return End::Crashed;
                }
                let event = cloud.respond(self.now, &command);
                if let Event::Response { response, .. } = &event
                    && matches!(response.status, 201 | 202)
                {
                    self.journal
                        .push((command.clone(), PollTarget::from_headers(&response.headers)));
                }
                s.handle(self.now, event).expect("answer accepted");
            }
            if s.status().finished {
                return End::Finished;
            }
            let at = s.next_wakeup().expect("something to wait for");
            self.now = self.now.max(at);
            s.handle(self.now, Event::Wakeup).expect("wakeup");
        }
        panic!("the run did not end: {:?}", s.status());
    }
}

fn strategy_named(name: &str) -> Box<dyn scheduler::Strategy> {
    strategy::by_name(name).expect("built in")
}

/// A whole run without crash: the cloud's writes and the commands handed out.
fn fresh(fleet: &Fleet, strategy: &str) -> (u32, usize) {
    let mut cloud = Cloud::new(fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named(strategy),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    assert_eq!(driver.run(&mut s, &mut cloud, None), End::Finished);
    check_end(fleet, &s, &cloud);
    (cloud.writes, driver.handed)
}

/// Every tenant online in recovery (scheduler and catalog), exactly one
/// started restore per database.
fn check_end(fleet: &Fleet, s: &Scheduler, cloud: &Cloud) {
    let status = s.status();
    assert_eq!(status.phase, Phase::Recovered, "{status:?}");
    assert_eq!(
        status.online_in_recovery,
        fleet.databases.len(),
        "{status:?}"
    );
    assert_eq!(status.failed, 0, "{:?}", s.failures());
    assert_eq!(s.check_invariants(), Ok(()));
    for db in &fleet.databases {
        let origin = &fleet.servers[db.server.0 as usize];
        let mirror = fleet.mirror_name(&origin.name);
        let key = format!("{mirror}/{}", db.name);
        assert_eq!(cloud.restores.get(&key), Some(&1), "restores of {key}");
        let (online, server) = &cloud.catalog[&db.tenant_id];
        assert!(online, "{} offline in the catalog", db.tenant_id);
        assert_eq!(
            cloud.marks.get(&db.tenant_id),
            Some(&(1, 1)),
            "{} marked offline and online exactly once",
            db.tenant_id
        );
        match fleet.routing {
            Routing::Catalog => assert_eq!(server, &format!("{mirror}{SUFFIX}")),
            Routing::ServerAlias => {
                assert_eq!(
                    cloud.aliases.get(&fleet.server_alias(origin)),
                    Some(&mirror)
                )
            }
        }
    }
    let catalog = format!(
        "{}/{}",
        fleet.mirror_name(&fleet.catalog.server),
        fleet.catalog.database
    );
    assert_eq!(cloud.restores.get(&catalog), Some(&1), "catalog restores");
}

/// Crashes a run after `n` commands (the n-th reaching the cloud if
/// `acted`), resumes `gap_ms` later and runs to the end; returns the writes
/// of the resumed run.
fn crash_and_resume(fleet: &Fleet, strategy: &str, n: usize, acted: bool, gap_ms: u64) -> u32 {
    let mut cloud = Cloud::new(fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named(strategy),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    if driver.run(&mut s, &mut cloud, Some((n, acted))) == End::Finished {
        check_end(fleet, &s, &cloud);
        return 0;
    }
    drop(s);
    let now = driver.now + gap_ms;
    let mut observed = cloud.observe(now, fleet);
    observed.in_flight = std::mem::take(&mut driver.journal);
    let before = cloud.writes;
    let mut s = Scheduler::resume(
        fleet.clone(),
        strategy_named(strategy),
        Config::default(),
        now,
        &observed,
    )
    .expect("resumable");
    assert_eq!(s.check_invariants(), Ok(()), "right after resume");
    assert!(
        s.status().blocked.is_empty(),
        "nothing unknown: {:?}",
        s.status().blocked
    );
    let mut driver = Driver {
        now,
        handed: 0,
        journal: Vec::new(),
    };
    assert_eq!(driver.run(&mut s, &mut cloud, None), End::Finished);
    check_end(fleet, &s, &cloud);
    cloud.writes - before
}

/// Crash points spread over a whole run, each with and without the last
/// command reaching the cloud; late crashes save writes.
fn sweep(fleet: &Fleet, strategy: &str) {
    let (fresh_writes, total) = fresh(fleet, strategy);
    let step = (total / 40).max(1);
    for n in (1..=total).step_by(step) {
        for acted in [true, false] {
            let gap = (n as u64 % 5) * 15_000;
            let writes = crash_and_resume(fleet, strategy, n, acted, gap);
            if n > total / 2 {
                assert!(
                    writes < fresh_writes,
                    "crash after {n}/{total}: {writes} writes after resume, {fresh_writes} fresh"
                );
            }
        }
    }
}

#[test]
fn demo_fleet_resumes_from_any_crash_point() {
    sweep(&demo(), "priority-pacing");
}

#[test]
fn demo_fleet_with_server_aliases_resumes_from_any_crash_point() {
    sweep(&demo_alias(), "priority-pacing");
}

#[test]
fn generated_fleet_with_standalone_databases_resumes() {
    sweep(&generated(7, false), "priority-pacing");
    sweep(&generated(8, true), "priority-pacing");
}

/// The answer to a restore PUT is lost after the cloud started it: the
/// resumed scheduler follows the restoring database and never sends its
/// restore again (not even one answered 409).
#[test]
fn a_restore_whose_answer_was_lost_is_not_sent_again() {
    let fleet = demo();
    let mut cloud = Cloud::new(&fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    // Run until the first tenant restore is handed out, then crash with
    // the cloud having acted on it.
    let (_, total) = fresh(&fleet, "priority-pacing");
    let mut first_restore = None;
    for n in 1..total {
        let mut c = Cloud::new(&fleet);
        let mut t = Scheduler::new(
            fleet.clone(),
            strategy_named("priority-pacing"),
            Config::default(),
            0,
        );
        let mut d = Driver {
            now: 0,
            handed: 0,
            journal: Vec::new(),
        };
        if d.run(&mut t, &mut c, Some((n, true))) == End::Crashed
            && d.journal
                .last()
                .is_some_and(|(c, _)| matches!(c.action, Action::RestoreDatabase { .. }))
        {
            first_restore = Some(n);
            break;
        }
    }
    let n = first_restore.expect("a restore is handed out");
    assert_eq!(
        driver.run(&mut s, &mut cloud, Some((n, true))),
        End::Crashed
    );
    let (lost, _) = driver.journal.last().cloned().expect("journalled");
    let Work::Arm(lost_request) = &lost.work else {
        panic!("a restore is an ARM request")
    };
    let mut observed = cloud.observe(driver.now, &fleet);
    observed.in_flight = driver.journal.clone();
    let mut s = Scheduler::resume(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        driver.now,
        &observed,
    )
    .expect("resumable");
    let mut resent = 0;
    let mut now = driver.now;
    while !s.status().finished {
        while let Some(command) = s.poll_command_at(now) {
            if let Work::Arm(request) = &command.work
                && request.method == Method::Put
                && request.path == lost_request.path
            {
                resent += 1;
            }
            let event = cloud.respond(now, &command);
            s.handle(now, event).expect("answer");
        }
        let Some(at) = s.next_wakeup() else { break };
        now = now.max(at);
        s.handle(now, Event::Wakeup).expect("wakeup");
    }
    assert_eq!(resent, 0, "the lost restore was sent again");
    check_end(&fleet, &s, &cloud);
}

/// What is observed done costs no ARM budget: a fully recovered estate
/// resumes with nothing left to write, and the resumed scheduler's write
/// budget is untouched (its first write is ready at once).
#[test]
fn everything_done_resumes_finished_without_requests() {
    let fleet = demo();
    let mut cloud = Cloud::new(&fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    assert_eq!(driver.run(&mut s, &mut cloud, None), End::Finished);
    let observed = cloud.observe(driver.now, &fleet);
    let mut s = Scheduler::resume(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        driver.now,
        &observed,
    )
    .expect("resumable");
    assert_eq!(s.status().phase, Phase::Recovered, "{:?}", s.status());
    assert_eq!(s.status().online_in_recovery, 20);
    assert!(s.poll_command_at(driver.now).is_none());
    assert_eq!(s.check_invariants(), Ok(()));
}

#[test]
fn observed_estate_round_trips_through_serde() {
    let fleet = demo();
    let mut cloud = Cloud::new(&fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    assert_eq!(
        driver.run(&mut s, &mut cloud, Some((60, true))),
        End::Crashed
    );
    let mut observed = cloud.observe(driver.now, &fleet);
    observed.in_flight = driver.journal.clone();
    observed.cancel_requested = true;
    assert!(!observed.in_flight.is_empty());
    assert!(!observed.databases.is_empty());
    let text = serde_json::to_string(&observed).expect("serialize");
    let back: ObservedEstate = serde_json::from_str(&text).expect("deserialize");
    assert_eq!(back, observed);
    assert_eq!(back.version, FORMAT_VERSION);
}

#[test]
fn another_format_version_is_refused_with_a_clear_error() {
    let mut observed = ObservedEstate::new();
    observed.version = FORMAT_VERSION + 1;
    let text = serde_json::to_string(&observed).expect("serialize");
    let back: ObservedEstate = serde_json::from_str(&text).expect("deserialize");
    let error = Scheduler::resume(
        demo(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
        &back,
    )
    .expect_err("refused");
    assert_eq!(
        error,
        ResumeError::Version {
            found: FORMAT_VERSION + 1,
            expected: FORMAT_VERSION
        }
    );
    assert!(error.to_string().contains("format version"), "{error}");
}

/// A repatriation resumes (the crash-point property test over whole
/// repatriations runs on the simulator's model, which plays geo-replicas
/// and failovers: `sim/tests/repatriation_resume.rs`); a repatriation step
/// in the journal without the repatriation request does not fit.
#[test]
fn repatriation_steps_in_the_journal_need_a_repatriation_request() {
    let fleet = demo();
    let rename = Command {
        op: scheduler::OpId(7),
        action: Action::RenameOriginCopy {
            db: scheduler::fleet::DbId(0),
        },
        work: Work::Arm(scheduler::arm::Request::get_url("/somewhere").expect("url")),
    };
    let mut observed = ObservedEstate::new();
    observed.in_flight.push((rename, None));
    let error = Scheduler::resume(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
        &observed,
    )
    .expect_err("does not fit");
    assert!(matches!(error, ResumeError::DoesNotFit(_)), "{error}");
    assert!(error.to_string().contains("no repatriation"), "{error}");
    observed.repatriate_requested = true;
    let s = Scheduler::resume(
        fleet,
        strategy_named("priority-pacing"),
        Config::default(),
        0,
        &observed,
    )
    .expect("a repatriation resumes");
    assert_eq!(s.check_invariants(), Ok(()));
}

#[test]
fn unknown_names_are_ignored_with_a_note() {
    let fleet = demo();
    let mut observed = ObservedEstate::new();
    observed
        .servers
        .insert("stranger".into(), scheduler::resume::ObservedServer::Ready);
    observed
        .databases
        .entry("stranger".into())
        .or_default()
        .insert(
            "ghost".into(),
            scheduler::resume::ObservedDatabase {
                status: scheduler::resume::ObservedStatus::Other("Weird".into()),
                pool: Some("nowhere".into()),
                secondary: false,
            },
        );
    observed.pools.entry("stranger".into()).or_default().insert(
        "p".into(),
        scheduler::resume::ObservedPool::Other("Disabled".into()),
    );
    observed.aliases.insert("alias-x".into(), "nowhere".into());
    observed.endpoints.insert("ep-x".into(), true);
    observed.catalog.insert(
        "no-such-tenant".into(),
        scheduler::resume::CatalogRow {
            online: true,
            server: "".into(),
        },
    );
    // A journal entry for a request the fleet never renders.
    let command = Command {
        op: scheduler::OpId(99_999),
        action: Action::PollServer {
            server: scheduler::fleet::ServerId(77),
            region: scheduler::Region::Recovery,
        },
        work: Work::Arm(scheduler::arm::Request::get_url("/nowhere").expect("url")),
    };
    observed.in_flight.push((command, None));
    let s = Scheduler::resume(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
        &observed,
    )
    .expect("unknown names are not an error");
    let blocked = s.status().blocked;
    assert_eq!(blocked.len(), 1, "{blocked:?}");
    for name in ["stranger", "ghost", "alias-x", "ep-x", "no-such-tenant"] {
        assert!(blocked[0].contains(name), "{name} not noted: {blocked:?}");
    }
    // And the run still recovers everything.
    let mut cloud = Cloud::new(&fleet);
    let mut s = s;
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    assert_eq!(driver.run(&mut s, &mut cloud, None), End::Finished);
    check_end(&fleet, &s, &cloud);
}

/// Pacing is not consumed by the fast-forward: with a write bucket of 5,
/// a resume after much was done still hands out 5 writes at once.
#[test]
fn fast_forward_spends_no_write_budget() {
    let fleet = generated(3, false);
    let (_, total) = fresh(&fleet, "priority-pacing");
    let mut cloud = Cloud::new(&fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    assert_eq!(
        driver.run(&mut s, &mut cloud, Some((total / 3, true))),
        End::Crashed
    );
    let mut observed = cloud.observe(driver.now, &fleet);
    observed.in_flight = driver.journal.clone();
    let mut config = Config::default();
    config.limits.arm_writes = scheduler::BucketLimit {
        capacity: 5,
        refill_per_s: 1,
    };
    let mut s = Scheduler::resume(
        fleet.clone(),
        strategy_named("priority-pacing"),
        config,
        driver.now,
        &observed,
    )
    .expect("resumable");
    let mut writes = 0;
    let mut out = Vec::new();
    while let Some(command) = s.poll_command_at(driver.now) {
        if let Work::Arm(request) = &command.work
            && !matches!(request.method, Method::Get | Method::Delete)
        {
            writes += 1;
        }
        out.push(command);
    }
    assert_eq!(
        writes, 5,
        "the whole bucket is there after the fast-forward"
    );
}

/// A cancel was in progress when the driver died: the resumed scheduler
/// finishes the cancel; switched tenants stay in recovery, the others are
/// online at origin with no recovery copy left, and no restore started twice.
fn cancel_crash_and_resume(fleet: &Fleet, cancel_after: usize, more: usize, acted: bool) {
    let mut cloud = Cloud::new(fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    if driver.run(&mut s, &mut cloud, Some((cancel_after, true))) == End::Finished {
        return;
    }
    // Run again, answering in batches (several commands out at once), and
    // cancel just before that point.
    let mut cloud = Cloud::new(fleet);
    let mut s = Scheduler::new(
        fleet.clone(),
        strategy_named("priority-pacing"),
        Config::default(),
        0,
    );
    let mut driver = Driver {
        now: 0,
        handed: 0,
        journal: Vec::new(),
    };
    let mut pending = Vec::new();
    'outer: loop {
        while let Some(command) = s.poll_command_at(driver.now) {
            driver.handed += 1;
            pending.push(command);
            if driver.handed + 1 >= cancel_after {
                break 'outer;
            }
        }
        for command in pending.drain(..) {
            if std::env::var_os("RESUME_TRACE").is_some() {
                eprintln!(
                    "replay {:?} {:?}",
                    command.action,
                    match &command.work {
                        Work::Arm(r) => r.path.clone(),
                        Work::Catalog(c) => format!("{c:?}"),
                    }
                );
            }
            let event = cloud.respond(driver.now, &command);
            if let Event::Response { response, .. } = &event
                && matches!(response.status, 201 | 202)
            {
                driver
                    .journal
                    .push((command.clone(), PollTarget::from_headers(&response.headers)));
            }
            s.handle(driver.now, event).expect("answer");
        }
        let at = s.next_wakeup().expect("wakeup");
        driver.now = driver.now.max(at);
        s.handle(driver.now, Event::Wakeup).expect("wakeup");
    }
    for command in pending.drain(..) {
        if std::env::var_os("RESUME_TRACE").is_some() {
            eprintln!(
                "replay {:?} {:?}",
                command.action,
                match &command.work {
                    Work::Arm(r) => r.path.clone(),
                    Work::Catalog(c) => format!("{c:?}"),
                }
            );
        }
        let event = cloud.respond(driver.now, &command);
        if let Event::Response { response, .. } = &event
            && matches!(response.status, 201 | 202)
        {
            driver
                .journal
                .push((command.clone(), PollTarget::from_headers(&response.headers)));
        }
        s.handle(driver.now, event).expect("answer");
    }
    s.handle(driver.now, Event::CancelRequested)
        .expect("cancel");
    if std::env::var_os("RESUME_TRACE").is_some() {
        eprintln!("--- cancel after {cancel_after}, crash after {more} more (acted {acted})");
    }
    driver.handed = 0;
    let end = driver.run(&mut s, &mut cloud, Some((more, acted)));
    if end == End::Crashed {
        drop(s);
        let now = driver.now + 20_000;
        let mut observed = cloud.observe(now, fleet);
        observed.in_flight = std::mem::take(&mut driver.journal);
        observed.cancel_requested = true;
        s = Scheduler::resume(
            fleet.clone(),
            strategy_named("priority-pacing"),
            Config::default(),
            now,
            &observed,
        )
        .expect("a cancel resumes");
        assert_eq!(s.check_invariants(), Ok(()));
        driver.now = now;
        assert_eq!(driver.run(&mut s, &mut cloud, None), End::Finished);
    }
    let status = s.status();
    assert_eq!(status.phase, Phase::Cancelled, "{status:?}");
    assert_eq!(
        status.online_in_recovery + status.online_in_origin,
        fleet.databases.len(),
        "{status:?} {:?}",
        s.failures()
    );
    for (i, db) in fleet.databases.iter().enumerate() {
        let origin = &fleet.servers[db.server.0 as usize];
        let mirror = fleet.mirror_name(&origin.name);
        let key = format!("{mirror}/{}", db.name);
        assert!(
            cloud.restores.get(&key).copied().unwrap_or(0) <= 1,
            "{key} restored twice"
        );
        let copy = cloud.dbs.contains_key(&(mirror.clone(), db.name.clone()));
        let (online, server) = &cloud.catalog[&db.tenant_id];
        assert!(online, "{} offline", db.tenant_id);
        match s.tenant_state(scheduler::fleet::DbId(i as u32)) {
            Some(scheduler::TenantState::Online(scheduler::Region::Origin)) => {
                assert!(!copy, "{key}: recovery copy left behind");
                if fleet.routing == Routing::Catalog {
                    assert_eq!(server, &format!("{}{SUFFIX}", origin.name));
                }
            }
            Some(scheduler::TenantState::Online(scheduler::Region::Recovery)) => {
                assert!(copy, "{key}: switched tenant lost its copy");
            }
            other => panic!("{key}: {other:?}"),
        }
    }
}

#[test]
fn a_cancel_in_progress_resumes() {
    for fleet in [demo(), demo_alias()] {
        let (_, total) = fresh(&fleet, "priority-pacing");
        for cancel_after in (5..total).step_by((total / 8).max(1)) {
            for more in [1, 3, 8, 20] {
                for acted in [true, false] {
                    cancel_crash_and_resume(&fleet, cancel_after, more, acted);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Random fleets (catalog or alias routing, pools and standalone
    /// databases), random crash points, with or without the last command
    /// reaching the cloud, resumed after a random gap.
    #[test]
    fn any_crash_point_of_any_fleet_resumes(
        seed in 0u64..1_000,
        servers in 1usize..4,
        pools in 1usize..3,
        per_pool in proptest::collection::vec(0usize..4, 6),
        standalone in 0usize..4,
        alias in any::<bool>(),
        crash_frac in 0.0f64..1.0,
        acted in any::<bool>(),
        gap in 0u64..120_000,
        strategy in prop::sample::select(vec!["priority-pacing", "size-aware", "wingtip-batched"]),
    ) {
        let fleet = support::make_fleet(&support::FleetShape {
            servers,
            pools_per_server: pools,
            dbs_per_pool: per_pool,
            standalone,
            standalone_servers: seed as usize % 2,
            tiers: 3,
            alias_routing: alias,
            seed,
        });
        let (fresh_writes, total) = fresh(&fleet, strategy);
        let n = ((total as f64 * crash_frac) as usize).max(1);
        let writes = crash_and_resume(&fleet, strategy, n, acted, gap);
        if n > total / 2 {
            prop_assert!(writes < fresh_writes, "{writes} >= {fresh_writes} after crash {n}/{total}");
        }
    }
}
