//! The simulation runner: the very same [`scheduler::Scheduler`] driven
//! against [`AzureModel`] on a virtual clock.
//!
//! The loop ([`Runner::run`]): hand every command the scheduler has to the
//! model (through [`crate::adapter`]) and feed the answers back as events;
//! then jump the clock to the earliest of the scheduler's wakeup, the model's
//! next internal event and the runner's own events (operation polls, the
//! scenario's cancel / repatriation / new tenants), and repeat. The
//! scheduler learns only what a real client would: answers to its requests,
//! restore outcomes through its own `PollServer` lists, elastic-pool
//! creations and deletions through one `ListElasticPools` read per server
//! per interval, other long-running operations through `GetOperation` polls
//! at a fixed interval, and catalog calls when the SQL call returns.

mod execute;
mod record;
mod setup;

use std::collections::BTreeMap;

use scheduler::fleet::{DbId, Fleet, TierId};
use scheduler::{Event, Notice, OpId, Phase, Scheduler, Strategy};

use crate::engine::EventQueue;
use crate::model::AzureModel;
use crate::request::{ModelEvent, ModelEventKind, OpHandle, OpStatus};

pub use record::{ArmSecond, Recorder};
pub use setup::{DEFAULT_HORIZON_MS, NewTenantArrivals, RunSettings, SimError};

/// The runner's own timed events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Own {
    /// Poll a long-running operation with `GetOperation`.
    PollOperation { op: OpId, handle: OpHandle },
    /// List the elastic pools of a server (index into `pool_lists`).
    PollPools { list: usize },
    /// The operator cancels (the origin region is back).
    Cancel,
    /// The operator asks to repatriate (the origin region is back).
    Repatriate,
    /// A tenant signs up (the `index`-th new tenant).
    NewTenant { index: u32 },
}

/// How the runner follows an accepted operation's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Follow {
    /// A catalog SQL call: done when the model's operation ends.
    Catalog { op: OpId, check: Option<DbId> },
    /// Reported through the `PollServer` of `(server, region)` (index).
    ByList { op: OpId, list: usize },
    /// A pool creation or deletion, reported through the runner's own
    /// `ListElasticPools` of its server (index into `pool_lists`).
    ByPoolList { op: OpId, list: usize },
}

/// The pool operations the runner follows on one server with
/// `ListElasticPools`.
#[derive(Debug, Clone, Default)]
struct PoolList {
    /// The server's name (what the list request names).
    server: String,
    /// Accepted pool operations not yet reported to the scheduler.
    pending: u32,
    /// Those that ended since the last list, in the order they ended.
    finished: Vec<(OpId, OpStatus)>,
    /// Whether a `PollPools` of this server is in the runner's queue.
    scheduled: bool,
}

/// Default bound on loop iterations ([`RunSettings::max_steps`]) so a
/// stuck run ends with an error.
pub const MAX_STEPS: u64 = 200_000_000;

/// One simulated run. Build with [`Runner::new`], then [`Runner::run`].
pub struct Runner {
    scheduler: Scheduler,
    model: AzureModel,
    settings: RunSettings,
    own: EventQueue<Own>,
    follow: BTreeMap<OpHandle, Follow>,
    /// Per `(server, region)` list (index `2 * server + region`): operations
    /// whose outcome the next list shows, in the order they ended.
    finished_by_list: Vec<Vec<(OpId, OpStatus)>>,
    /// Per server the runner lists pools of: what it follows there.
    pool_lists: Vec<PoolList>,
    /// Server name → index into `pool_lists`.
    pool_list_of: BTreeMap<String, usize>,
    model_events: Vec<ModelEvent>,
    now_ms: u64,
    recorder: Recorder,
    changed: Vec<bool>,
    cancel_sent: bool,
    repatriate_sent: bool,
    /// Per ARM class ([`crate::arm::OpClass::index`]): the end of the last
    /// Retry-After ARM answered, ms; the runner's own polls wait for it.
    retry_after_until_ms: [u64; 3],
}

/// Everything a finished run leaves for the results.
pub struct RunOutput {
    /// The scheduler at the end (status, failures, estate).
    pub scheduler: Scheduler,
    /// The model at the end (stats, backup ages).
    pub model: AzureModel,
    /// What the runner recorded.
    pub recorder: Recorder,
    /// Virtual time at the end, ms.
    pub end_ms: u64,
}

impl Runner {
    /// A run of `fleet` with `strategy` under `settings`: registers every
    /// tenant database (and the catalog) as recoverable in a fresh model.
    pub fn new(
        fleet: Fleet,
        strategy: Box<dyn Strategy>,
        settings: RunSettings,
    ) -> Result<Self, SimError> {
        setup::build(fleet, strategy, settings)
    }

    /// The model before the run (for lower bounds on its draws).
    pub fn model(&self) -> &AzureModel {
        &self.model
    }

    /// The scheduler (for its estate and strategy).
    pub fn scheduler(&self) -> &Scheduler {
        &self.scheduler
    }

    /// Runs until the scheduler is finished and nothing the scenario asked
    /// for is left, or the horizon is reached.
    pub fn run(mut self) -> Result<RunOutput, SimError> {
        let mut steps: u64 = 0;
        loop {
            self.drain()?;
            self.note_phase();
            if self.scheduler.is_finished() && self.own.is_empty() {
                break;
            }
            if steps >= self.settings.max_steps {
                return Err(SimError::StepLimit {
                    at_ms: self.now_ms,
                    status: format!("{:?}", self.scheduler.status()),
                });
            }
            steps += 1;
            let wakeup = self.scheduler.next_wakeup();
            let next = [wakeup, self.model.next_event_time(), self.own.peek_time()]
                .into_iter()
                .flatten()
                .min();
            let Some(next) = next else {
                return Err(SimError::Stalled {
                    at_ms: self.now_ms,
                    status: format!("{:?}", self.scheduler.status()),
                });
            };
            if next > self.settings.horizon_ms {
                return Err(SimError::Horizon {
                    horizon_ms: self.settings.horizon_ms,
                    status: format!("{:?}", self.scheduler.status()),
                });
            }
            self.now_ms = self.now_ms.max(next);
            self.advance_model()?;
            while let Some((_, own)) = self.own.pop_until(self.now_ms) {
                self.on_own(own)?;
                self.drain()?;
            }
            if wakeup.is_some_and(|w| w <= self.now_ms) {
                self.handle(Event::Wakeup)?;
            }
        }
        let end_ms = self.now_ms;
        Ok(RunOutput {
            scheduler: self.scheduler,
            model: self.model,
            recorder: self.recorder,
            end_ms,
        })
    }

    /// Feeds one event to the scheduler at the current time, logging it.
    fn handle(&mut self, event: Event) -> Result<(), SimError> {
        self.recorder.digest.record(self.now_ms, 'E', &event);
        self.scheduler
            .handle(self.now_ms, event.clone())
            .map_err(|error| SimError::Scheduler {
                at_ms: self.now_ms,
                event: format!("{event:?}"),
                error,
            })?;
        self.take_notices();
        Ok(())
    }

    /// Records when each fleet tenant first came online in the recovery
    /// region during the recovery (new tenants and the ways home are not
    /// counted), from the scheduler's notices.
    fn take_notices(&mut self) {
        while let Some(notice) = self.scheduler.poll_notice() {
            if let Notice::TenantOnline {
                db,
                region: scheduler::Region::Recovery,
            } = notice
                && !self.cancel_sent
                && !self.repatriate_sent
                && let Some(slot) = self.recorder.online_at_ms.get_mut(db.0 as usize)
                && slot.is_none()
            {
                *slot = Some(self.now_ms);
            }
        }
    }

    /// The scheduler's phase.
    fn phase(&self) -> Phase {
        self.scheduler.phase()
    }

    fn note_phase(&mut self) {
        if !self.scheduler.is_finished() {
            return;
        }
        let at = Some(self.now_ms);
        match self.phase() {
            Phase::Recovered if self.recorder.recovered_at_ms.is_none() => {
                self.recorder.recovered_at_ms = at;
                if let Some(t) = self.settings.repatriate_at_ms {
                    self.own.push(t.max(self.now_ms), Own::Repatriate);
                }
            }
            Phase::Cancelled if self.recorder.cancelled_at_ms.is_none() => {
                self.recorder.cancelled_at_ms = at;
            }
            Phase::Repatriated if self.recorder.repatriated_at_ms.is_none() => {
                self.recorder.repatriated_at_ms = at;
            }
            _ => {}
        }
    }

    /// Advances the model to `now` and reports what a client learns from
    /// it right away (catalog calls returning); restores and other
    /// operations wait for the client's polls.
    fn advance_model(&mut self) -> Result<(), SimError> {
        let mut events = std::mem::take(&mut self.model_events);
        self.model.advance_into(self.now_ms, &mut events);
        for event in events.drain(..) {
            let (handle, status) = match event.kind {
                ModelEventKind::RestoreStarted { .. } => continue,
                ModelEventKind::OperationSucceeded { operation } => {
                    (operation, OpStatus::Succeeded)
                }
                ModelEventKind::OperationFailed {
                    operation,
                    code,
                    retryable,
                } => (operation, OpStatus::Failed { code, retryable }),
                ModelEventKind::OperationCanceled { operation } => (operation, OpStatus::Canceled),
            };
            match self.follow.get(&handle).copied() {
                Some(Follow::Catalog { op, check }) => {
                    self.follow.remove(&handle);
                    let event = match check {
                        Some(db) => Event::Changed {
                            op,
                            changed: self.changed.get(db.0 as usize).copied().unwrap_or(true),
                        },
                        None => execute::outcome_event(op, status),
                    };
                    self.handle(event)?;
                    self.drain()?;
                }
                Some(Follow::ByList { op, list }) => {
                    self.follow.remove(&handle);
                    if let Some(done) = self.finished_by_list.get_mut(list) {
                        done.push((op, status));
                    }
                }
                Some(Follow::ByPoolList { op, list }) => {
                    self.follow.remove(&handle);
                    if let Some(pools) = self.pool_lists.get_mut(list) {
                        pools.finished.push((op, status));
                    }
                }
                None => {}
            }
        }
        self.model_events = events;
        Ok(())
    }

    fn on_own(&mut self, own: Own) -> Result<(), SimError> {
        match own {
            Own::PollOperation { op, handle } => self.poll_operation(op, handle),
            Own::PollPools { list } => self.poll_pools(list),
            Own::Cancel => {
                if matches!(self.phase(), Phase::Recovering | Phase::Recovered) {
                    self.model.set_origin_available(self.now_ms, true);
                    self.cancel_sent = true;
                    self.handle(Event::CancelRequested)?;
                }
                Ok(())
            }
            Own::Repatriate => {
                if self.repatriate_sent || self.cancel_sent {
                    return Ok(());
                }
                self.model.set_origin_available(self.now_ms, true);
                self.repatriate_sent = true;
                self.handle(Event::RepatriateRequested)
            }
            Own::NewTenant { index } => self.new_tenant(index),
        }
    }

    fn new_tenant(&mut self, index: u32) -> Result<(), SimError> {
        let Some(arrivals) = self.settings.new_tenants else {
            return Ok(());
        };
        if !matches!(self.phase(), Phase::Recovering | Phase::Recovered) {
            return Ok(());
        }
        let estate = self.scheduler.estate();
        let fleet = &estate.fleet;
        let name = format!("newtenant{index:05}");
        let server = fleet.mirror_name(&fleet.new_tenants.server);
        let pool = fleet.new_tenants.pool.clone();
        let tiers = fleet.tiers.len();
        let tier = TierId(u8::try_from(index as usize % tiers.max(1)).unwrap_or(0));
        if self
            .model
            .create_tenant_database(self.now_ms, &server, &name, &pool)
            .is_ok()
        {
            self.recorder.new_tenants += 1;
            self.handle(Event::TenantCreated { name, tier })?;
        }
        if index + 1 < arrivals.count {
            self.own.push(
                self.now_ms.saturating_add(arrivals.interval_ms),
                Own::NewTenant { index: index + 1 },
            );
        }
        Ok(())
    }
}
