//! The shared world: the Azure model behind a mutex, advanced to the
//! scaled clock before every request, plus what the emulator counts
//! about the traffic (for `/_emulator/state`) and the active faults.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard};

use arm::body::CreateMode;
use arm::id::Resource;
use arm::{ArmClass, Method, Request, RequestBody, Response};
use serde::Serialize;
use serde_json::{Value, json};
use sim::request::ModelEvent;
use sim::{AzureModel, DbId, ServeContext};
use tokio::time::Instant;

use crate::clock::ModelClock;
use crate::faults::{Draws, Faults, Injected};

/// Restore PUTs one target database received, and how many of them the
/// model accepted as a new restore (202).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RestoreCount {
    /// `PUT` with `createMode: Recovery` received.
    pub puts: u64,
    /// Of those, answered 202: a restore started.
    pub started: u64,
}

/// Request counters.
#[derive(Debug, Clone, Default, Serialize)]
struct Counters {
    reads: u64,
    writes: u64,
    deletes: u64,
    by_status: BTreeMap<u16, u64>,
    throttled: u64,
    injected_429: u64,
    injected_500: u64,
    injected_503: u64,
    injected_resets: u64,
}

struct Inner {
    model: AzureModel,
    events: Vec<ModelEvent>,
    origin_back_at_ms: Option<u64>,
    origin_available: bool,
    counters: Counters,
    restores: BTreeMap<String, RestoreCount>,
    aliases: BTreeSet<String>,
    endpoints: BTreeSet<String>,
    faults: Faults,
    storm_until: Option<Instant>,
    draws: Draws,
}

impl Inner {
    /// Advances the model to `now`, bringing the origin back on the way
    /// if its time has come.
    fn advance(&mut self, now_ms: u64) {
        if let Some(at) = self.origin_back_at_ms
            && !self.origin_available
            && at <= now_ms
        {
            self.model.advance_into(at, &mut self.events);
            self.model.set_origin_available(at, true);
            self.origin_available = true;
        }
        self.model.advance_into(now_ms, &mut self.events);
        // Clients learn outcomes only by asking: the events are not kept.
        self.events.clear();
    }
}

/// The model, its ARM naming, the clock and the traffic counters.
pub struct World {
    inner: Mutex<Inner>,
    ctx: ServeContext,
    clock: ModelClock,
}

fn is_restore(request: &Request) -> bool {
    request.method == Method::Put
        && matches!(
            &request.body,
            Some(RequestBody::Database(db))
                if db.properties.as_ref().and_then(|p| p.create_mode.as_ref())
                    == Some(&CreateMode::Recovery)
        )
}

impl World {
    /// A world serving `model` as `ctx` says, on `clock`, with the origin
    /// coming back at `origin_back_at_ms` (model time) if given.
    pub fn new(
        model: AzureModel,
        ctx: ServeContext,
        clock: ModelClock,
        origin_back_at_ms: Option<u64>,
    ) -> Self {
        Self {
            inner: Mutex::new(Inner {
                model,
                events: Vec::new(),
                origin_back_at_ms,
                origin_available: false,
                counters: Counters::default(),
                restores: BTreeMap::new(),
                aliases: BTreeSet::new(),
                endpoints: BTreeSet::new(),
                faults: Faults::default(),
                storm_until: None,
                draws: Draws::new(0x6765_6f72_6573_746f),
            }),
            ctx,
            clock,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // The model never panics by contract; if a panic poisoned the lock
        // anyway, keep serving what is there.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The model's ARM naming.
    pub fn context(&self) -> &ServeContext {
        &self.ctx
    }

    /// The faults in force and how to apply them to one ARM call: the
    /// injected answer (if any), the added latency, and whether to reset
    /// the connection after the model answered.
    pub fn draw_faults(&self, class: ArmClass) -> (Injected, u64, bool) {
        let mut g = self.lock();
        let latency = g.faults.latency_ms;
        let reset = g.faults.reset_rate > 0.0 && {
            let r = g.faults.reset_rate;
            g.draws.uniform() < r
        };
        let storm = g.storm_until.is_some_and(|until| Instant::now() < until);
        let injected = if storm {
            Injected::Throttle(g.faults.throttle_retry_after_s.max(1))
        } else {
            let (p500, p503) = (g.faults.error_500_rate, g.faults.error_503_rate);
            if p500 + p503 > 0.0 {
                let u = g.draws.uniform();
                if u < p500 {
                    Injected::Error500
                } else if u < p500 + p503 {
                    Injected::Error503
                } else {
                    Injected::None
                }
            } else {
                Injected::None
            }
        };
        if injected != Injected::None {
            count_class(&mut g.counters, class);
        }
        match injected {
            Injected::Throttle(_) => {
                g.counters.injected_429 += 1;
                g.counters.throttled += 1;
                *g.counters.by_status.entry(429).or_default() += 1;
            }
            Injected::Error500 => {
                g.counters.injected_500 += 1;
                *g.counters.by_status.entry(500).or_default() += 1;
            }
            Injected::Error503 => {
                g.counters.injected_503 += 1;
                *g.counters.by_status.entry(503).or_default() += 1;
            }
            Injected::None => {}
        }
        (injected, latency, reset)
    }

    /// Whether the operation `operation_id` is stuck by the faults in force.
    pub fn stuck(&self, operation_id: &str) -> bool {
        self.lock().faults.stuck(operation_id)
    }

    /// Counts a connection reset injected after the model answered.
    pub fn note_reset(&self) {
        self.lock().counters.injected_resets += 1;
    }

    /// Serves one ARM request at the current model time: advances the
    /// model, lets it answer, and counts the call.
    pub fn serve(&self, request: &Request) -> Response {
        let now = self.clock.now_ms();
        let mut g = self.lock();
        g.advance(now);
        let response = g.model.serve(&self.ctx, now, request);
        note(&mut g, request, &response);
        response
    }

    /// Replaces the faults in force (already validated); a storm starts now.
    pub fn set_faults(&self, faults: Faults) {
        let mut g = self.lock();
        g.storm_until = (faults.throttle_storm_s > 0.0)
            .then(|| Instant::now() + std::time::Duration::from_secs_f64(faults.throttle_storm_s));
        if let Some(s) = faults.origin_back_at_s {
            g.origin_back_at_ms = Some((s * 1000.0) as u64);
        }
        g.faults = faults;
    }

    /// The faults in force.
    pub fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    /// The introspection document of `/_emulator/state`; with
    /// `databases`, every database of the model (large for big fleets).
    pub fn state(&self, databases: bool) -> Value {
        let now = self.clock.now_ms();
        let mut g = self.lock();
        g.advance(now);
        let g = &*g;
        let model = &g.model;
        let mut dbs = Vec::new();
        if databases {
            let mut id = 0u32;
            while let Some((name, info, alive)) = model.database_entry(DbId(id)) {
                id += 1;
                let server = model.database_name(info.id).map(|(s, _)| s).unwrap_or("");
                let location = model.server_region(server).map(|r| self.ctx.location(r));
                let pool = info
                    .pool
                    .and_then(|p| model.pool_name(p))
                    .map(|(_, p)| p.to_owned());
                dbs.push(json!({
                    "server": server,
                    "name": name,
                    "alive": alive,
                    "state": info.state,
                    "location": location,
                    "pool": pool,
                }));
            }
        }
        let aliases: BTreeMap<&str, Option<&str>> = g
            .aliases
            .iter()
            .map(|a| (a.as_str(), model.dns_alias_target(a)))
            .collect();
        let endpoints: BTreeMap<&str, Option<bool>> = g
            .endpoints
            .iter()
            .map(|e| (e.as_str(), model.endpoint_enabled(e)))
            .collect();
        let stats = model.stats();
        json!({
            "model_time_ms": model.now_ms(),
            "time_scale": self.clock.scale(),
            "subscription": self.ctx.subscription,
            "origin_location": self.ctx.origin_location,
            "recovery_location": self.ctx.recovery_location,
            "origin_available": g.origin_available,
            "origin_back_at_ms": g.origin_back_at_ms,
            "databases": if databases { Value::from(dbs) } else { Value::Null },
            "restores": g.restores,
            "aliases": aliases,
            "endpoints": endpoints,
            "requests": g.counters,
            "model": {
                "requests": {"reads": stats.requests[0], "writes": stats.requests[1], "deletes": stats.requests[2]},
                "throttled": {"reads": stats.throttled[0], "writes": stats.throttled[1], "deletes": stats.throttled[2]},
                "rejected": stats.rejected,
                "restores_accepted": stats.restores_accepted,
                "restores_succeeded": stats.restores_succeeded,
                "restores_failed_transient": stats.restores_failed_transient,
                "restores_failed_permanent": stats.restores_failed_permanent,
                "restores_canceled": stats.restores_canceled,
                "submission_window": stats.submission.window(),
            },
            "faults": g.faults,
        })
    }
}

fn count_class(c: &mut Counters, class: ArmClass) {
    match class {
        ArmClass::Read => c.reads += 1,
        ArmClass::Write => c.writes += 1,
        ArmClass::Delete => c.deletes += 1,
    }
}

fn note(g: &mut Inner, request: &Request, response: &Response) {
    count_class(&mut g.counters, request.class());
    *g.counters.by_status.entry(response.status).or_default() += 1;
    if response.status == 429 {
        g.counters.throttled += 1;
    }
    let Ok(route) = request.route() else {
        return;
    };
    match &route.resource {
        Resource::SqlDatabase(db) if is_restore(request) => {
            let entry = g
                .restores
                .entry(format!("{}/{}", db.server.name, db.name))
                .or_default();
            entry.puts += 1;
            if response.status == 202 {
                entry.started += 1;
            }
        }
        Resource::DnsAlias(alias) if !g.aliases.contains(&alias.name) => {
            g.aliases.insert(alias.name.clone());
        }
        Resource::TrafficManagerEndpoint(e) if !g.endpoints.contains(&e.name) => {
            g.endpoints.insert(e.name.clone());
        }
        _ => {}
    }
}
