//! The simulation runner: the very same [`scheduler::Scheduler`] driven
//! against [`AzureModel`] on a virtual clock.
//!
//! The runner is a transport and a clock, nothing more: it hands every
//! command's ARM request to the model ([`AzureModel::serve`]) and the
//! model's answer back to the scheduler ([`Event::Response`]), runs catalog
//! calls against the model's catalog latency, and jumps the clock to the
//! earliest of the scheduler's wakeup, the model's next internal event and
//! the scenario's own events (cancel, repatriation, new tenants). It reads
//! no status code, header or error code: what an answer means, when to poll
//! and how fast to go is the scheduler's business, as it is against Azure.

mod crash;
mod execute;
mod record;
mod setup;

use std::collections::BTreeMap;

use scheduler::fleet::{DbId, Fleet, TierId};
use scheduler::{Event, Notice, OpId, Phase, Scheduler, Strategy};

use crate::engine::EventQueue;
use crate::model::AzureModel;
use crate::request::{ModelEvent, ModelEventKind, OpHandle, OpStatus};
use crate::serve::ServeContext;

pub use record::{ArmSecond, Recorder};
pub use setup::{DEFAULT_HORIZON_MS, NewTenantArrivals, RunSettings, SimError, seed_model};

/// The scenario's own timed events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Own {
    /// The operator cancels (the origin region is back).
    Cancel,
    /// The operator asks to repatriate (the origin region is back).
    Repatriate,
    /// A tenant signs up (the `index`-th new tenant).
    NewTenant { index: u32 },
}

/// A catalog call in flight: done when the model's operation ends.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CatalogCall {
    op: OpId,
    /// The tenant whose change is checked (a `CheckChanged` call).
    check: Option<DbId>,
    /// The call, for the catalog rows a crash test keeps.
    call: scheduler::CatalogCall,
}

/// Default bound on loop iterations ([`RunSettings::max_steps`]) so a
/// stuck run ends with an error.
pub const MAX_STEPS: u64 = 200_000_000;

/// One simulated run. Build with [`Runner::new`], then [`Runner::run`].
pub struct Runner {
    scheduler: Scheduler,
    model: AzureModel,
    /// How the model's world is named in ARM.
    context: ServeContext,
    /// The scheduler's settings (a resumed scheduler gets the same).
    config: scheduler::Config,
    /// A crash asked for by [`Runner::run_with_crash`], and the catalog and
    /// journal a driver would have kept until then.
    crash: Option<crash::Crash>,
    /// Which answers the network loses ([`RunSettings::lost_answer_share`]).
    lost_answers: crate::rng::Draws,
    settings: RunSettings,
    own: EventQueue<Own>,
    /// Catalog calls in flight, by the model operation that carries them.
    catalog: BTreeMap<OpHandle, CatalogCall>,
    model_events: Vec<ModelEvent>,
    now_ms: u64,
    recorder: Recorder,
    changed: Vec<bool>,
    cancel_sent: bool,
    repatriate_sent: bool,
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
        self.run_loop()?;
        let end_ms = self.now_ms;
        Ok(RunOutput {
            scheduler: self.scheduler,
            model: self.model,
            recorder: self.recorder,
            end_ms,
        })
    }

    fn run_loop(&mut self) -> Result<(), SimError> {
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
        Ok(())
    }

    /// Feeds one event to the scheduler at the current time, logging it.
    fn handle(&mut self, event: Event) -> Result<(), SimError> {
        self.recorder.digest.record_event(self.now_ms, &event);
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

    /// Advances the model to `now` and reports the catalog calls that
    /// returned; everything else a client learns only by asking.
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
            if let Some(call) = self.catalog.remove(&handle) {
                if matches!(status, OpStatus::Succeeded) {
                    self.recorder.catalog_done(&call.call);
                }
                let event = execute::catalog_outcome(call, status, &self.changed);
                self.handle(event)?;
                self.drain()?;
            }
        }
        self.model_events = events;
        Ok(())
    }

    fn on_own(&mut self, own: Own) -> Result<(), SimError> {
        match own {
            Own::Cancel => {
                if matches!(self.phase(), Phase::Recovering | Phase::Recovered) {
                    self.model.set_origin_available(self.now_ms, true);
                    self.cancel_sent = true;
                    self.recorder.cancel_requested_at_ms = Some(self.now_ms);
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
                self.recorder.repatriate_requested_at_ms = Some(self.now_ms);
                self.recorder.commands_at_repatriation = Some(self.recorder.commands);
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
