//! Run settings, errors, and building a run: the model with every tenant
//! database registered as recoverable, the scheduler, and the scenario's
//! timed events.

use std::collections::BTreeMap;

use scheduler::fleet::Fleet;
use scheduler::{Backoff, Config, Limits, Scheduler, SchedulerError, Strategy};
use thiserror::Error;

use super::{Own, Recorder, Runner};
use crate::engine::EventQueue;
use crate::model::{AzureModel, ModelError};
use crate::params::ModelParams;
use crate::rng::component_draws;
use crate::serve::ServeContext;

/// Tenants signing up in the recovery region during the outage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewTenantArrivals {
    /// How many.
    pub count: u32,
    /// Time between two sign-ups, ms.
    pub interval_ms: u64,
    /// When the first one signs up, ms after the start. A sign-up before
    /// the new-tenant pool exists in the recovery region is refused by the
    /// model and skipped (the app cannot create the database yet).
    pub first_at_ms: u64,
}

/// The default [`RunSettings::horizon_ms`]: 90 days. Scenario times
/// (cancel, repatriation, new-tenant sign-ups) must fall before it.
pub const DEFAULT_HORIZON_MS: u64 = 90 * 24 * 3_600_000;

/// Everything a run needs besides the fleet and the strategy.
#[derive(Debug, Clone, PartialEq)]
pub struct RunSettings {
    /// Seed of every model stream and of the scheduler's jitter.
    pub seed: u64,
    /// The Azure model's parameters.
    pub params: ModelParams,
    /// Regional contention intensity (restores take `1 + contention` longer).
    pub contention: f64,
    /// Interval between two `GetOperation` polls of one long-running
    /// operation, and between two `ListElasticPools` of one server while
    /// pool operations are pending there, ms.
    pub lro_poll_interval_ms: u64,
    /// Interval between two `PollServer` lists of one server, ms (the
    /// scheduler's `poll_interval_ms`).
    pub server_poll_interval_ms: u64,
    /// Fraction of tenants whose data changed while in the recovery region.
    pub changed_share: f64,
    /// Fraction of ARM answers lost after ARM acted on the request (the
    /// client sees a transport failure), in [0, 1).
    pub lost_answer_share: f64,
    /// When the operator cancels, ms after the start.
    pub cancel_at_ms: Option<u64>,
    /// When the operator repatriates (not before the recovery settles).
    pub repatriate_at_ms: Option<u64>,
    /// Tenants signing up during the outage.
    pub new_tenants: Option<NewTenantArrivals>,
    /// The limits the scheduler is told (usually the model's own).
    pub scheduler_limits: Limits,
    /// Virtual time after which the run is abandoned as stuck, ms.
    pub horizon_ms: u64,
    /// Bound on the runner's loop iterations; a run that has not finished
    /// by then ends with [`SimError::StepLimit`].
    pub max_steps: u64,
}

impl RunSettings {
    /// Settings with the scheduler told exactly the model's limits.
    pub fn new(seed: u64, params: ModelParams, contention: f64) -> Self {
        let scheduler_limits = limits_of(&params);
        Self {
            seed,
            params,
            contention,
            lro_poll_interval_ms: 10_000,
            server_poll_interval_ms: 10_000,
            changed_share: 0.5,
            lost_answer_share: 0.0,
            cancel_at_ms: None,
            repatriate_at_ms: None,
            new_tenants: None,
            scheduler_limits,
            horizon_ms: DEFAULT_HORIZON_MS,
            max_steps: super::MAX_STEPS,
        }
    }
}

/// The scheduler [`Limits`] matching model parameters.
pub fn limits_of(params: &ModelParams) -> Limits {
    let bucket = |b: crate::params::BucketParams| scheduler::BucketLimit {
        capacity: b.capacity,
        refill_per_s: b.refill_per_s,
    };
    Limits {
        arm_writes: bucket(params.arm_writes),
        arm_deletes: bucket(params.arm_deletes),
        arm_reads: bucket(params.arm_reads),
        pool_processing_slots: params.pool_restore_slots,
        pool_queue_max: params.pool_restore_max_submitted,
        standalone_processing_slots: params.standalone_restore_slots,
        standalone_submitted_max: params.standalone_restore_max_submitted,
    }
}

/// Why a run could not be carried out.
#[derive(Debug, Error)]
pub enum SimError {
    /// No built-in strategy has this name.
    #[error("unknown strategy `{0}`; choose one of: {names}", names = scheduler::strategy::STRATEGY_NAMES.join(", "))]
    UnknownStrategy(String),
    /// The model refused its setup.
    #[error("model setup: {0}")]
    Model(#[from] ModelError),
    /// The scheduler refused an event: a runner or scheduler bug.
    #[error("scheduler refused {event} at {at_ms} ms: {error}")]
    Scheduler {
        /// Virtual time.
        at_ms: u64,
        /// The event, rendered.
        event: String,
        /// The scheduler's error.
        error: SchedulerError,
    },
    /// The survey of the recovery region after a crash failed.
    #[error("survey after the crash: {0}")]
    Survey(scheduler::resume::survey::SurveyError),
    /// Nothing can happen any more but the scheduler is not finished.
    #[error("run stalled at {at_ms} ms with nothing scheduled; status {status}")]
    Stalled {
        /// Virtual time.
        at_ms: u64,
        /// The scheduler's status, rendered.
        status: String,
    },
    /// The runner's loop ran `max_steps` iterations without the run
    /// finishing (a stuck or far too fine-grained run): no result.
    #[error("run stopped after its step limit at {at_ms} ms; status {status}")]
    StepLimit {
        /// Virtual time when the limit was hit.
        at_ms: u64,
        /// The scheduler's status, rendered.
        status: String,
    },
    /// The run stopped at the crash its caller asked for
    /// ([`super::Runner::run_with_crash`]); never returned by a run.
    #[error("crashed on purpose")]
    Crashed,
    /// The scheduler could not be rebuilt after a crash.
    #[error("resume refused: {0}")]
    Resume(#[from] scheduler::resume::ResumeError),
    /// The run went past its horizon.
    #[error("run passed its horizon of {horizon_ms} ms; status {status}")]
    Horizon {
        /// The horizon.
        horizon_ms: u64,
        /// The scheduler's status, rendered.
        status: String,
    },
}

/// The Azure model a run starts from, and how it is named in ARM: the
/// model built from `settings` (params, seed, contention) with the
/// fleet's catalog database and then every tenant database registered as
/// recoverable in the origin region (which is down: the outage is in
/// progress), its clock at 0; and the [`ServeContext`] of the fleet's
/// subscription and regions. What a run and the emulator both start from;
/// building it draws nothing but the databases' own streams.
pub fn seed_model(
    fleet: &Fleet,
    settings: &RunSettings,
) -> Result<(AzureModel, ServeContext), SimError> {
    let mut model = AzureModel::new(settings.params.clone(), settings.seed, settings.contention)?;
    model.add_recoverable_database(
        &fleet.catalog.server,
        &fleet.catalog.database,
        fleet.catalog.size_gb,
    )?;
    for db in &fleet.databases {
        let server = &fleet.servers[db.server.0 as usize].name;
        model.add_recoverable_database(server, &db.name, db.size_mb as f64 / 1024.0)?;
    }
    let context = ServeContext {
        subscription: fleet.subscription.clone(),
        origin_location: fleet.origin_region.clone(),
        recovery_location: fleet.recovery_region.clone(),
    };
    Ok((model, context))
}

pub(super) fn build(
    fleet: Fleet,
    strategy: Box<dyn Strategy>,
    settings: RunSettings,
) -> Result<Runner, SimError> {
    let (mut model, context) = seed_model(&fleet, &settings)?;
    // The runner never reads the keys a full list entry adds (the
    // emulator, which seeds with `seed_model` too, renders them).
    model.set_lean_lists(true);
    let changed = fleet
        .databases
        .iter()
        .map(|db| {
            let server = &fleet.servers[db.server.0 as usize].name;
            let mut draws = component_draws(settings.seed, &["changed", server, &db.name], 0);
            draws.bernoulli(settings.changed_share)
        })
        .collect();
    let tenants = fleet.databases.len();
    let config = Config {
        limits: settings.scheduler_limits,
        backoff: Backoff::default(),
        poll_interval_ms: settings.server_poll_interval_ms,
        operation_poll_interval_ms: settings.lro_poll_interval_ms,
        seed: settings.seed,
        in_flight: Default::default(),
    };
    let scheduler = Scheduler::new(fleet, strategy, config, 0);
    let mut own = EventQueue::new();
    let config_kept = config;
    if let Some(t) = settings.cancel_at_ms {
        own.push(t, Own::Cancel);
    }
    if let Some(arrivals) = settings.new_tenants
        && arrivals.count > 0
    {
        own.push(arrivals.first_at_ms, Own::NewTenant { index: 0 });
    }
    let lost_answers = component_draws(settings.seed, &["lost-answers"], 0);
    Ok(Runner {
        scheduler,
        model,
        settings,
        own,
        context,
        config: config_kept,
        crash: None,
        lost_answers,
        catalog: BTreeMap::new(),
        model_events: Vec::new(),
        now_ms: 0,
        recorder: Recorder::new(tenants),
        changed,
        cancel_sent: false,
        repatriate_sent: false,
    })
}
