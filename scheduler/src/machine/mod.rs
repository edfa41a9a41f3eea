//! The scheduler: a sans-IO state machine over the whole recovery lifecycle.
//!
//! Shaped like quinn-proto: [`Scheduler::handle`] takes what happened (with
//! the caller's clock), [`Scheduler::poll_command`] hands out what to do next
//! until it returns `None`, [`Scheduler::next_wakeup`] says when to call back
//! with [`Event::Wakeup`], and [`Scheduler::status`] tells the caller where
//! things stand. It never reads a clock, does no I/O and draws random numbers
//! only from the generator seeded in [`Config::seed`].

mod cancel;
mod infra;
mod ops;
mod recovery;
mod repatriate;
mod tally;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use crate::SchedulerError;
use crate::backoff::{Backoff, SplitMix64};
use crate::command::{Action, ArmClass, Command, OpId, Placement, Region};
use crate::dispatch::{Dispatcher, LaneId};
use crate::estate::Estate;
use crate::event::Event;
use crate::fleet::{DbId, Fleet, ServerId};
use crate::limits::{ArmPacers, Limits};
use crate::notice::Notice;
use crate::state::{RecoveryCopy, ResourceState, TenantState};
use crate::strategy::{OrderInput, Strategy, Where};

pub use ops::OpState;

/// Settings of one scheduler run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// Platform limits never to exceed.
    pub limits: Limits,
    /// Retry policy for transient failures.
    pub backoff: Backoff,
    /// Time between two polls of a server with operations in flight. The
    /// tutorial checks every 10 s.
    pub poll_interval_ms: u64,
    /// Least time between two reads of an operation's status URL, and
    /// between two lists of a server's elastic pools (a longer
    /// `Retry-After` from ARM wins).
    pub operation_poll_interval_ms: u64,
    /// Seed of the jitter generator.
    pub seed: u64,
    /// Most commands handed out and not yet answered, per kind (the
    /// caller's back-pressure); `None` = no cap.
    pub in_flight: InFlightCaps,
}

/// Caps on commands handed out and not yet answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InFlightCaps {
    /// ARM reads (GET).
    pub reads: Option<u32>,
    /// ARM writes (PUT, PATCH, POST).
    pub writes: Option<u32>,
    /// ARM deletes.
    pub deletes: Option<u32>,
    /// Catalog (SQL) calls.
    pub catalog: Option<u32>,
}

impl InFlightCaps {
    /// The cap of an in-flight lane.
    fn of(&self, lane: usize) -> Option<u32> {
        match lane {
            l if l == ArmClass::Read as usize => self.reads,
            l if l == ArmClass::Write as usize => self.writes,
            l if l == ArmClass::Delete as usize => self.deletes,
            _ => self.catalog,
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            limits: Limits::default(),
            backoff: Backoff::default(),
            poll_interval_ms: 10_000,
            operation_poll_interval_ms: 10_000,
            seed: 0,
            in_flight: InFlightCaps::default(),
        }
    }
}

/// Where the whole run stands.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// Restoring tenants into the recovery region.
    Recovering,
    /// Every tenant is online in recovery or reported failed.
    Recovered,
    /// Cancel requested: unswitched tenants going back to origin.
    Cancelling,
    /// Cancel finished.
    Cancelled,
    /// Bringing every tenant home.
    Repatriating,
    /// Every tenant is home (or reported) and recovery resources are removed.
    Repatriated,
}

/// A tenant the recovery could not serve, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TenantFailure {
    /// The tenant's database.
    pub db: DbId,
    /// Why, as reported by the platform or the scheduler.
    pub reason: String,
}

/// A summary for the caller (and for humans).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// Phase of the run.
    pub phase: Phase,
    /// Tenants in the estate (including ones created during the outage).
    pub tenants: usize,
    /// Online, served from the recovery region.
    pub online_in_recovery: usize,
    /// Online, served from the origin region.
    pub online_in_origin: usize,
    /// Reported failed.
    pub failed: usize,
    /// Restores submitted and not finished.
    pub restores_in_flight: usize,
    /// Operations issued and not finished.
    pub ops_in_flight: usize,
    /// Steps that cannot go on (e.g. a pool that could not be created).
    pub blocked: Vec<String>,
    /// Nothing more will happen without a new request (cancel, repatriate).
    pub finished: bool,
}

/// Per-tenant bookkeeping.
#[derive(Debug, Clone)]
pub(crate) struct Tenant {
    pub(crate) state: TenantState,
    /// Its server (the database's, kept here for the per-server tallies).
    pub(crate) server: ServerId,
    pub(crate) copy: RecoveryCopy,
    pub(crate) lane: LaneId,
    pub(crate) placement: Placement,
    pub(crate) restore_op: Option<OpId>,
    /// Restored standalone and not yet moved into its mirror pool.
    pub(crate) needs_move: bool,
    /// Repatriation asked for it; starts once it is online in recovery.
    pub(crate) repatriate: bool,
    /// Its pre-outage origin copy was renamed aside.
    pub(crate) renamed_aside: bool,
    /// Repatriation found its data changed (or it is new): it fails over.
    pub(crate) changed: bool,
    /// Repatriation: its origin side is ready for the switch.
    pub(crate) home_ready: bool,
    /// Repatriation failed for it: it stays in the recovery region.
    pub(crate) stays: bool,
    /// Its restore failed while it was being marked offline; it fails once
    /// the mark lands, so no catalog write of its is left in flight.
    pub(crate) pending_failure: Option<String>,
    /// Its routing (catalog pointer or server alias) points at the recovery copy.
    pub(crate) routed_to_recovery: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Timer {
    Retry(OpId),
    Poll(ServerId, Region),
    /// Read the status URL of an accepted operation.
    PollOp(OpId),
    /// List the elastic pools of a server with pool operations pending.
    PollPools(ServerId, Region),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum PollState {
    #[default]
    Idle,
    Scheduled,
    InFlight,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ServerPolls {
    pub(crate) ops_in_flight: u32,
    pub(crate) state: PollState,
}

/// The recovery state machine. See the module docs for the calling protocol.
#[derive(Debug)]
pub struct Scheduler {
    pub(crate) estate: Estate,
    pub(crate) config: Config,
    pub(crate) strategy: Box<dyn Strategy>,
    /// How the recovery region is prepared (from the strategy's policy).
    pub(crate) preparation: crate::strategy::Preparation,
    pub(crate) rng: SplitMix64,
    pub(crate) pacers: ArmPacers,
    pub(crate) dispatcher: Dispatcher,
    pub(crate) phase: Phase,
    pub(crate) now_ms: u64,
    pub(crate) ops: ops::OpTable,
    pub(crate) outbox: VecDeque<OpId>,
    pub(crate) queues: [VecDeque<OpId>; 3],
    pub(crate) timers: BinaryHeap<Reverse<(u64, Timer)>>,
    pub(crate) tenants: Vec<Tenant>,
    /// Per server: counts of its tenants by what the server-alias barriers
    /// ask about (see `tally`).
    pub(crate) tallies: Vec<tally::ServerTally>,
    pub(crate) infra: infra::Infra,
    pub(crate) polls: Vec<[ServerPolls; 2]>,
    pub(crate) failures: Vec<TenantFailure>,
    pub(crate) blocked: Vec<String>,
    pub(crate) restores_in_flight: usize,
    /// Tenants in `Online(_)` or `Failed` (the end states of recovery and
    /// cancel; repatriation's intermediate online states do not count).
    pub(crate) settled: usize,
    pub(crate) final_stage: repatriate::FinalStage,
    /// What the protocol layer follows ([`crate::protocol`]).
    pub(crate) following: crate::protocol::follow::Following,
    /// Notices not yet handed out, in order ([`Self::poll_notice`]).
    pub(crate) notices: VecDeque<Notice>,
    /// How many of `failures` and `blocked` were turned into notices.
    pub(crate) noticed: (usize, usize),
}

impl Scheduler {
    /// A scheduler for `fleet`, starting the recovery at time `now_ms`.
    /// The first commands (disable the origin endpoint, create the recovery
    /// catalog server, app, mirror servers...) are ready to poll at once.
    pub fn new(
        fleet: Fleet,
        strategy: Box<dyn Strategy>,
        config: Config,
        now_ms: u64,
    ) -> Scheduler {
        let estate = Estate::new(fleet);
        let mut policy = strategy.policy(&config.limits);
        // Whatever a strategy asks, Azure's queue limits hold.
        policy.pool_depth = policy.pool_depth.min(config.limits.pool_queue_max);
        policy.standalone_depth = policy
            .standalone_depth
            .min(config.limits.standalone_submitted_max);
        let fleet = &estate.fleet;
        let pool_lanes = fleet.pools.len() as u32;
        let server_lanes = fleet.servers.len() as u32;
        let mut dispatcher = Dispatcher::new(
            policy,
            pool_lanes,
            server_lanes,
            config.limits.standalone_submitted_max,
        );
        let tier_count = fleet.tiers.len() as u8;
        let mut pool_size_mb = vec![0u64; fleet.pools.len()];
        for db in &fleet.databases {
            if let Some(pool) = db.pool {
                pool_size_mb[pool.0 as usize] += db.size_mb;
            }
        }
        let keys: Vec<u64> = (0..fleet.databases.len())
            .map(|i| {
                let db = &fleet.databases[i];
                strategy.order_key(&OrderInput {
                    db,
                    index: DbId(i as u32),
                    tier_rank: db.tier.0,
                    tier_count,
                    weight: fleet.weight(db.tier),
                    pool_size_mb: db.pool.map_or(0, |p| pool_size_mb[p.0 as usize]),
                })
            })
            .collect();
        let fast_lane = fast_lane_members(fleet, strategy.as_ref(), &keys, &config.limits);
        let mut tenants = Vec::with_capacity(fleet.databases.len());
        for (i, db) in fleet.databases.iter().enumerate() {
            let index = DbId(i as u32);
            let key = keys[i];
            let (lane, placement, needs_move) = match (db.pool, fast_lane[i]) {
                (Some(pool), false) => (LaneId(pool.0), Placement::Pool(pool), false),
                (Some(_), true) => (
                    LaneId(pool_lanes + db.server.0),
                    Placement::Standalone,
                    true,
                ),
                (None, _) => (
                    LaneId(pool_lanes + db.server.0),
                    Placement::Standalone,
                    false,
                ),
            };
            dispatcher.add(lane, key, index);
            tenants.push(Tenant {
                state: TenantState::Unmarked,
                server: db.server,
                copy: RecoveryCopy::Waiting,
                lane,
                placement,
                restore_op: None,
                needs_move,
                repatriate: false,
                renamed_aside: false,
                changed: false,
                home_ready: false,
                stays: false,
                pending_failure: None,
                routed_to_recovery: false,
            });
        }
        dispatcher.sort();
        let servers = fleet.servers.len();
        let mut tallies = vec![tally::ServerTally::default(); servers];
        for tenant in &tenants {
            tallies[tenant.server.0 as usize].add(tenant);
        }
        let infra = infra::Infra::new(fleet.servers.len(), fleet.pools.len());
        let mut scheduler = Scheduler {
            rng: SplitMix64::new(config.seed),
            pacers: ArmPacers::new(&config.limits),
            dispatcher,
            phase: Phase::Recovering,
            now_ms,
            ops: ops::OpTable::default(),
            outbox: VecDeque::new(),
            queues: Default::default(),
            timers: BinaryHeap::new(),
            tenants,
            tallies,
            infra,
            polls: vec![Default::default(); servers],
            failures: Vec::new(),
            blocked: Vec::new(),
            restores_in_flight: 0,
            settled: 0,
            final_stage: repatriate::FinalStage::Tenants,
            notices: VecDeque::new(),
            noticed: (0, 0),
            following: crate::protocol::follow::Following::new(
                servers,
                !estate.fleet.resource_groups.create_recovery,
            ),
            estate,
            config,
            strategy,
            preparation: policy.preparation,
        };
        scheduler.start_recovery();
        scheduler
    }

    /// The next notice (tenant online or failed, phase changed, step
    /// blocked), in the order things happened, or `None`. Notices queue up
    /// until taken: a caller should drain them after every [`Self::handle`].
    pub fn poll_notice(&mut self) -> Option<Notice> {
        self.collect_notices();
        self.notices.pop_front()
    }

    /// Turns failures and blocked steps recorded since the last call into
    /// notices (they are append-only lists).
    fn collect_notices(&mut self) {
        let (failures, blocked) = self.noticed;
        for failure in self.failures.iter().skip(failures) {
            self.notices.push_back(Notice::TenantFailed {
                db: failure.db,
                reason: failure.reason.clone(),
            });
        }
        for what in self.blocked.iter().skip(blocked) {
            self.notices
                .push_back(Notice::StepBlocked { what: what.clone() });
        }
        self.noticed = (self.failures.len(), self.blocked.len());
    }

    /// Enters `next`, noting the change.
    pub(crate) fn set_phase(&mut self, next: Phase) {
        if next != self.phase {
            self.collect_notices();
            self.notices.push_back(Notice::PhaseChanged {
                from: self.phase,
                to: next,
            });
            self.phase = next;
        }
    }

    /// The phase of the run; O(1), unlike [`Self::status`].
    pub fn phase(&self) -> Phase {
        self.phase
    }

    /// The caller spent one request of `class` outside the scheduler's
    /// commands (e.g. polling a long-running operation it follows itself);
    /// the scheduler's estimate of that ARM budget goes down accordingly so
    /// its own requests do not run into 429s.
    pub fn spent(&mut self, now_ms: u64, class: ArmClass) {
        let now_ms = now_ms.max(self.now_ms);
        self.pacers.get(class).try_take(now_ms);
    }

    /// The caller read how many requests of `class` ARM still allows (the
    /// `x-ms-ratelimit-remaining-subscription-*` response header); the
    /// scheduler paces its next requests by that instead of its estimate.
    pub fn observe_remaining(&mut self, now_ms: u64, class: ArmClass, remaining: u32) {
        let now_ms = now_ms.max(self.now_ms);
        self.pacers.get(class).observe_remaining(now_ms, remaining);
    }

    /// The estate being recovered (fleet plus new-tenant resources).
    pub fn estate(&self) -> &Estate {
        &self.estate
    }

    /// The strategy's name.
    pub fn strategy_name(&self) -> &'static str {
        self.strategy.name()
    }

    /// The tenant's current state.
    pub fn tenant_state(&self, db: DbId) -> Option<TenantState> {
        self.tenants.get(db.0 as usize).map(|t| t.state)
    }

    /// Where the tenant's database is restored (the strategy's choice after
    /// the scheduler's caps, e.g. on the fast lane).
    pub fn placement(&self, db: DbId) -> Option<Placement> {
        self.tenants.get(db.0 as usize).map(|t| t.placement)
    }

    /// The state of the tenant's recovery-region copy.
    pub fn recovery_copy(&self, db: DbId) -> Option<RecoveryCopy> {
        self.tenants.get(db.0 as usize).map(|t| t.copy)
    }

    /// Tenants reported failed, in the order they failed.
    pub fn failures(&self) -> &[TenantFailure] {
        &self.failures
    }

    /// The action of an operation, if the scheduler issued it.
    pub fn action(&self, op: OpId) -> Option<Action> {
        self.ops.get(op).map(|o| o.action)
    }

    /// Where an operation stands, if the scheduler issued it. A caller that
    /// journals its commands records an operation finished once this says
    /// [`OpState::Done`] or [`OpState::Dropped`].
    pub fn op_state(&self, op: OpId) -> Option<OpState> {
        self.ops.get(op).map(|o| o.state)
    }

    /// A summary of where the run stands.
    pub fn status(&self) -> Status {
        let mut status = Status {
            phase: self.phase,
            tenants: self.tenants.len(),
            online_in_recovery: 0,
            online_in_origin: 0,
            failed: 0,
            restores_in_flight: self.restores_in_flight,
            ops_in_flight: self.ops.in_flight(),
            blocked: self.blocked.clone(),
            finished: self.is_finished(),
        };
        for tenant in &self.tenants {
            match tenant.state {
                TenantState::Online(Region::Recovery)
                | TenantState::CheckingChanges
                | TenantState::Replicating => status.online_in_recovery += 1,
                TenantState::Online(Region::Origin) => status.online_in_origin += 1,
                TenantState::Failed => status.failed += 1,
                _ => {}
            }
        }
        status
    }

    /// Applies what happened at `now_ms` (never earlier than a previous call).
    /// Due timers run first. An error means the event does not fit (unknown
    /// or finished operation, wrong kind of outcome, illegal transition):
    /// it is refused, the scheduler stays consistent and usable, and the
    /// caller should log it.
    pub fn handle(&mut self, now_ms: u64, event: Event) -> Result<(), SchedulerError> {
        if now_ms < self.now_ms {
            return Err(SchedulerError::TimeWentBackwards {
                now_ms,
                last_ms: self.now_ms,
            });
        }
        self.now_ms = now_ms;
        self.run_timers();
        match event {
            Event::Wakeup => Ok(()),
            Event::Accepted { op } => self.on_accepted(op),
            Event::Succeeded { op } => self.on_succeeded(op),
            Event::Throttled { op, retry_after_ms } => self.on_throttled(op, retry_after_ms),
            Event::Failed { op, kind, reason } => self.on_failed(op, kind, reason),
            Event::Changed { op, changed } => self.on_changed(op, changed),
            Event::Response { op, response } => self.on_response(op, response),
            Event::TransportFailed { op, reason } => self.on_transport_failed(op, reason),
            Event::CancelRequested => {
                self.cancel();
                Ok(())
            }
            Event::RepatriateRequested => {
                self.repatriate();
                Ok(())
            }
            Event::TenantCreated { name, tier } => self.tenant_created(&name, tier),
        }?;
        self.check_finished();
        Ok(())
    }

    /// The next command to carry out now, or `None`. Call until `None` after
    /// every [`Self::handle`]. Commands that spend ARM budget come out only
    /// when the scheduler's estimate of the budget allows.
    pub fn poll_command(&mut self) -> Option<Command> {
        if !self.at_cap(ops::CATALOG_LANE)
            && let Some(op) = self.outbox.pop_front()
        {
            return self.send(op);
        }
        for class in [ArmClass::Delete, ArmClass::Read, ArmClass::Write] {
            if self.at_cap(class as usize) {
                continue;
            }
            if let Some(op) = self.pop_paced(class) {
                return self.send(op);
            }
        }
        if matches!(self.phase, Phase::Recovering)
            && !self.at_cap(ArmClass::Write as usize)
            && self.pacers.get(ArmClass::Write).available(self.now_ms)
            && let Some((db, _lane)) = self.dispatcher.next()
        {
            self.pacers.get(ArmClass::Write).try_take(self.now_ms);
            let op = self.submit_restore(db);
            return self.send(op);
        }
        None
    }

    /// [`Self::poll_command`] at the caller's `now_ms` (never earlier than
    /// the last time it gave): ARM budget is spent at the moment the caller
    /// takes the command to send it, and timers due by then run first.
    pub fn poll_command_at(&mut self, now_ms: u64) -> Option<Command> {
        if now_ms > self.now_ms {
            self.now_ms = now_ms;
            self.run_timers();
        }
        self.poll_command()
    }

    /// Whether a lane has as many commands out as the caller allows.
    fn at_cap(&self, lane: usize) -> bool {
        self.config
            .in_flight
            .of(lane)
            .is_some_and(|cap| self.ops.sent_in(lane) >= cap)
    }

    /// When to call [`Self::handle`] with [`Event::Wakeup`] if nothing else
    /// happens first; `None` when only an outside event can move things on
    /// (an answer to a command out, when its lane is at its cap).
    pub fn next_wakeup(&mut self) -> Option<u64> {
        if !self.outbox.is_empty() && !self.at_cap(ops::CATALOG_LANE) {
            return Some(self.now_ms);
        }
        let mut at: Option<u64> = self.timers.peek().map(|Reverse((t, _))| *t);
        let mut consider = |t: u64| at = Some(at.map_or(t, |a| a.min(t)));
        for class in [ArmClass::Delete, ArmClass::Read, ArmClass::Write] {
            if !self.queues[class as usize].is_empty() && !self.at_cap(class as usize) {
                consider(self.pacers.get(class).ready_at(self.now_ms));
            }
        }
        if matches!(self.phase, Phase::Recovering)
            && self.dispatcher.has_ready()
            && !self.at_cap(ArmClass::Write as usize)
        {
            consider(self.pacers.get(ArmClass::Write).ready_at(self.now_ms));
        }
        at
    }

    fn pop_paced(&mut self, class: ArmClass) -> Option<OpId> {
        loop {
            let &op = self.queues[class as usize].front()?;
            if self.ops.is_dropped(op) {
                self.queues[class as usize].pop_front();
                continue;
            }
            if !self.pacers.get(class).try_take(self.now_ms) {
                return None;
            }
            return self.queues[class as usize].pop_front();
        }
    }

    fn run_timers(&mut self) {
        while let Some(&Reverse((at, timer))) = self.timers.peek() {
            if at > self.now_ms {
                break;
            }
            self.timers.pop();
            match timer {
                Timer::Retry(op) => self.retry_due(op),
                Timer::Poll(server, region) => self.poll_due(server, region),
                Timer::PollOp(op) => self.status_read_due(op),
                Timer::PollPools(server, region) => self.pool_list_due(server, region),
            }
        }
    }

    /// Whether nothing more will happen without a new request.
    pub fn is_finished(&self) -> bool {
        matches!(
            self.phase,
            Phase::Recovered | Phase::Cancelled | Phase::Repatriated
        )
    }

    /// Debug check of the invariants that must hold between any two calls;
    /// returns the first one broken. Cost O(tenants). It also recounts the
    /// per-server tallies the server-alias barriers rely on and reports any
    /// that differs.
    pub fn check_invariants(&self) -> Result<(), String> {
        self.check_tallies()?;
        for (i, tenant) in self.tenants.iter().enumerate() {
            let name = self.estate.db_name(DbId(i as u32));
            match tenant.state {
                TenantState::Online(Region::Recovery)
                | TenantState::MarkingOnline(Region::Recovery)
                | TenantState::CheckingChanges
                | TenantState::Replicating
                    if tenant.copy != RecoveryCopy::Online =>
                {
                    return Err(format!(
                        "{name} is {:?} but its recovery copy is {:?}",
                        tenant.state, tenant.copy
                    ));
                }
                _ => {}
            }
            if tenant.copy == RecoveryCopy::Online && tenant.restore_op.is_some() {
                let ready =
                    self.infra
                        .pool_or_server_ready(&self.estate, DbId(i as u32), tenant.placement);
                if !ready {
                    return Err(format!("{name} restored before its pool or server existed"));
                }
            }
        }
        Ok(())
    }

    pub(crate) fn tenant(&self, db: DbId) -> &Tenant {
        &self.tenants[db.0 as usize]
    }

    /// Moves a tenant to `next`, checking the transition.
    pub(crate) fn set_tenant(&mut self, db: DbId, next: TenantState) -> Result<(), SchedulerError> {
        let tenant = &mut self.tenants[db.0 as usize];
        if !tenant.state.can_become(next) {
            return Err(SchedulerError::IllegalTransition {
                what: format!("tenant {}", self.estate.db_name(db)),
                from: format!("{:?}", tenant.state),
                to: format!("{next:?}"),
            });
        }
        self.force_tenant(db, next);
        Ok(())
    }

    /// Sets a tenant's state without the transition check (callers have
    /// checked it, or are recording a failure), keeping `settled` and the
    /// server's tally exact.
    pub(crate) fn force_tenant(&mut self, db: DbId, next: TenantState) {
        if let TenantState::Online(region) = next
            && self.tenants[db.0 as usize].state != next
        {
            self.notices.push_back(Notice::TenantOnline { db, region });
        }
        let was =
            is_settled(self.update_tenant(db, |tenant| std::mem::replace(&mut tenant.state, next)));
        self.settled = self.settled + usize::from(is_settled(next)) - usize::from(was);
    }

    /// Moves a tenant's recovery copy to `next`, checking the transition.
    pub(crate) fn set_copy(&mut self, db: DbId, next: RecoveryCopy) -> Result<(), SchedulerError> {
        let tenant = &mut self.tenants[db.0 as usize];
        if !tenant.copy.can_become(next) {
            return Err(SchedulerError::IllegalTransition {
                what: format!("recovery copy of {}", self.estate.db_name(db)),
                from: format!("{:?}", tenant.copy),
                to: format!("{next:?}"),
            });
        }
        let was = tenant.copy.in_flight();
        tenant.copy = next;
        match (was, next.in_flight()) {
            (false, true) => self.restores_in_flight += 1,
            (true, false) => self.restores_in_flight -= 1,
            _ => {}
        }
        Ok(())
    }

    pub(crate) fn resource_transition(
        what: &str,
        state: &mut ResourceState,
        next: ResourceState,
    ) -> Result<(), SchedulerError> {
        if !state.can_become(next) {
            return Err(SchedulerError::IllegalTransition {
                what: what.to_owned(),
                from: format!("{state:?}"),
                to: format!("{next:?}"),
            });
        }
        *state = next;
        Ok(())
    }

    pub(crate) fn fail_tenant(&mut self, db: DbId, reason: String) {
        if self.tenants[db.0 as usize]
            .state
            .can_become(TenantState::Failed)
        {
            self.force_tenant(db, TenantState::Failed);
            self.failures.push(TenantFailure { db, reason });
            if self.phase == Phase::Recovering {
                // With server aliases, the others may now be able to move.
                self.server_alias_barrier(self.estate.known_database(db).server);
            }
        }
    }
}

/// Which databases go through the fast lane: those the strategy places
/// there, at most `fast_lane_max` of them, lowest order key first.
fn fast_lane_members(
    fleet: &Fleet,
    strategy: &dyn Strategy,
    keys: &[u64],
    limits: &Limits,
) -> Vec<bool> {
    let mut wanted: Vec<(u64, usize)> = fleet
        .databases
        .iter()
        .enumerate()
        .filter(|(_, db)| db.pool.is_some() && strategy.placement(db, db.tier.0) == Where::FastLane)
        .map(|(i, _)| (keys[i], i))
        .collect();
    wanted.sort_unstable();
    let mut members = vec![false; fleet.databases.len()];
    for &(_, i) in wanted.iter().take(strategy.fast_lane_max(limits)) {
        members[i] = true;
    }
    members
}

fn is_settled(state: TenantState) -> bool {
    matches!(state, TenantState::Online(_) | TenantState::Failed)
}
