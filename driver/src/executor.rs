//! The executor: carries out what the scheduler asks, against real ARM.
//!
//! It is the driver's twin of the simulator's runner and differs from it
//! only in transport (HTTPS, [`ArmClient`]) and clock ([`ScaledClock`]).
//! Each round it takes every command the scheduler has ready, records their
//! intents in the [`Journal`] (one fsync'd transaction: nothing leaves that
//! the journal does not know), then sends the ARM requests (concurrently,
//! up to the scheduler's in-flight caps, [`scheduler::InFlightCaps`]) and
//! makes the catalog calls (in order, on this thread). Every answer goes
//! back to the scheduler untouched ([`Event::Response`], or
//! [`Event::TransportFailed`]): what it means, when to poll, how fast to
//! go, the scheduler decides through the shared `arm` protocol crate.
//!
//! Outcomes, finished operations and notices are buffered by the journal
//! and committed with the next intents, or every [`FLUSH_EVERY`] of real
//! time while waiting; a crash loses at most those, which resume handles
//! (see [`crate::journal`]).

use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use scheduler::{Command, Event, Notice, OpId, OpState, Phase, Scheduler, Work};
use tokio::sync::mpsc;
use tokio::time::Instant;

use crate::catalog::Catalog;
use crate::clock::ScaledClock;
use crate::credential::AuthError;
use crate::journal::{Journal, JournalError, OperatorRequest};
use crate::transport::{ArmClient, SendError};

/// Most real time between two commits of buffered records (and between
/// two reads of operator requests from the journal) while a run waits.
pub const FLUSH_EVERY: Duration = Duration::from_millis(500);

/// What the operator asks while a run goes on (Ctrl-C, or `georestore
/// cancel` through the journal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Cancel the recovery (the origin region is back): the scheduler's
    /// cancel semantics; the run goes on until the cancel is done.
    Cancel,
    /// Stop this process now; the journal is safe, `--resume` finishes.
    Detach,
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunEnd {
    /// The scheduler has nothing left to do, in this phase.
    Finished(Phase),
    /// [`Control::Detach`]: stopped with operations possibly in flight.
    Detached,
}

/// Why a run stopped early.
#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    /// No token: nothing can be sent until credentials are fixed.
    #[error("cannot authenticate to ARM: {0}")]
    Auth(#[from] AuthError),
    /// The journal could not be written: nothing more is sent.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The scheduler refused an event (a bug, or a journal from elsewhere).
    #[error("scheduler: {0}")]
    Scheduler(#[from] scheduler::SchedulerError),
    /// Nothing is in flight, nothing is due, and the scheduler is not
    /// finished: a bug; the journal is safe, `--resume` may get further.
    #[error("the run stalled with nothing to wait for; scheduler status {0}")]
    Stalled(String),
}

/// Counters of one run, for the summary and the load test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// ARM requests sent.
    pub requests: u64,
    /// Of which got no HTTP answer (transport failures).
    pub transport_failures: u64,
    /// Answers the shared protocol reads as throttled.
    pub throttled: u64,
    /// Catalog calls made.
    pub catalog_calls: u64,
    /// Most ARM requests in flight at once.
    pub peak_in_flight: usize,
}

/// Something that wants to see notices as they come (a progress display).
pub trait Progress {
    /// `notice` happened at scheduler time `now_ms`.
    fn notice(&mut self, now_ms: u64, notice: &Notice, scheduler: &Scheduler);
    /// A round ended (called often; keep it cheap).
    fn tick(&mut self, _now_ms: u64, _scheduler: &Scheduler, _counts: &RunCounts) {}
}

/// A [`Progress`] that shows nothing.
#[derive(Debug, Default)]
pub struct Quiet;

impl Progress for Quiet {
    fn notice(&mut self, _: u64, _: &Notice, _: &Scheduler) {}
}

type Answer = (OpId, arm::Request, Result<arm::Response, SendError>);
type InFlight = FuturesUnordered<BoxFuture<'static, Answer>>;

/// The executor: one scheduler, one ARM client, one catalog, one journal.
pub struct Executor<'a> {
    /// The scheduler it serves.
    pub scheduler: &'a mut Scheduler,
    /// The clock the scheduler reads.
    pub clock: ScaledClock,
    /// HTTPS to ARM.
    pub arm: ArmClient,
    /// The tenant catalog.
    pub catalog: &'a mut dyn Catalog,
    /// The journal.
    pub journal: &'a mut Journal,
    /// Who sees notices.
    pub progress: &'a mut dyn Progress,
    /// Counters so far.
    pub counts: RunCounts,
    /// The last operator request read from the journal.
    pub operator_seq: i64,
    /// Every [`Notice::TenantOnline`] so far: the tenant and when
    /// (scheduler time).
    pub online_at: Vec<(scheduler::fleet::DbId, u64)>,
}

impl Executor<'_> {
    /// Runs until the scheduler is finished, the operator detaches, or an
    /// error stops it. `control` carries the operator's requests from this
    /// process (closed = none will come); requests written to the journal
    /// by another process (`georestore cancel`) are read as well.
    pub async fn run(&mut self, control: mpsc::Receiver<Control>) -> Result<RunEnd, ExecError> {
        let result = self.run_loop(control).await;
        if result.is_err() {
            // Keep what is buffered (outcomes, finished operations) for
            // the resume; the error that stopped the run is what matters.
            let _ = self.settle();
        }
        result
    }

    async fn run_loop(
        &mut self,
        mut control: mpsc::Receiver<Control>,
    ) -> Result<RunEnd, ExecError> {
        let mut in_flight: InFlight = FuturesUnordered::new();
        let mut control_open = true;
        let mut last_flush = Instant::now();
        loop {
            // Due timers first, through `handle` (it also notices that the
            // phase is over, which `poll_command_at` alone does not).
            let now = self.clock.now_ms();
            if self.scheduler.next_wakeup().is_some_and(|w| w <= now) {
                self.handle(now, Event::Wakeup)?;
            }
            self.send_ready(&mut in_flight)?;
            self.notices()?;
            let now = self.clock.now_ms();
            self.progress.tick(now, self.scheduler, &self.counts);
            if self.scheduler.is_finished() && in_flight.is_empty() {
                self.settle()?;
                return Ok(RunEnd::Finished(self.scheduler.phase()));
            }
            if in_flight.is_empty() && self.scheduler.next_wakeup().is_none() {
                self.handle(now, Event::Wakeup)?;
                if !self.scheduler.is_finished() && self.scheduler.next_wakeup().is_none() {
                    return Err(ExecError::Stalled(format!("{:?}", self.scheduler.status())));
                }
                continue;
            }
            if last_flush.elapsed() >= FLUSH_EVERY {
                self.settle()?;
                self.operator_requests()?;
                last_flush = Instant::now();
            }
            let wake = self.scheduler.next_wakeup();
            let wake_at = wake.map(|at| self.clock.instant_of(at));
            // Wake up for the journal's periodic commit as well.
            let flush_at = last_flush + FLUSH_EVERY;
            let until = wake_at.map_or(flush_at, |w| w.min(flush_at));
            tokio::select! {
                asked = control.recv(), if control_open => match asked {
                    Some(Control::Detach) => {
                        self.settle()?;
                        return Ok(RunEnd::Detached);
                    }
                    Some(Control::Cancel) => {
                        // Durable first: a resume after a crash cancels too.
                        let record = self.journal.record_operator_request(OperatorRequest::Cancel)?;
                        self.operator_seq = self.operator_seq.max(record.seq);
                        self.cancel()?;
                    }
                    None => control_open = false,
                },
                Some((op, request, answer)) = in_flight.next(), if !in_flight.is_empty() => {
                    self.answered(op, &request, answer)?;
                }
                () = tokio::time::sleep_until(until) => {
                    if wake_at.is_some_and(|w| w <= Instant::now()) {
                        self.handle(self.clock.now_ms(), Event::Wakeup)?;
                    }
                }
            }
        }
    }

    /// Takes every command the scheduler has ready now, records their
    /// intents durably, then starts the requests and makes the catalog
    /// calls.
    fn send_ready(&mut self, in_flight: &mut InFlight) -> Result<(), ExecError> {
        loop {
            let now = self.clock.now_ms();
            let mut ready: Vec<Command> = Vec::new();
            while let Some(command) = self.scheduler.poll_command_at(now) {
                ready.push(command);
            }
            if ready.is_empty() {
                return Ok(());
            }
            self.journal.record_intents(&ready)?;
            for command in ready {
                let op = command.op;
                match command.work {
                    Work::Arm(request) => {
                        tracing::debug!(op = op.0, method = request.method.as_str(), path = %request.path, "send");
                        let client = self.arm.clone();
                        self.counts.requests += 1;
                        in_flight.push(Box::pin(async move {
                            let answer = client.send(&request).await;
                            (op, request, answer)
                        }));
                        self.counts.peak_in_flight =
                            self.counts.peak_in_flight.max(in_flight.len());
                    }
                    Work::Catalog(call) => {
                        self.counts.catalog_calls += 1;
                        let (event, outcome) = match self.catalog.apply(&call) {
                            Ok(answer) => (answer.to_event(op), answer.to_outcome()),
                            Err(e) => (e.to_event(op), e.to_outcome()),
                        };
                        self.journal.record_catalog_outcome(op, &outcome)?;
                        self.handle(self.clock.now_ms(), event)?;
                    }
                }
            }
        }
    }

    fn answered(
        &mut self,
        op: OpId,
        request: &arm::Request,
        answer: Result<arm::Response, SendError>,
    ) -> Result<(), ExecError> {
        let event = match answer {
            Ok(response) => {
                tracing::debug!(op = op.0, status = response.status, path = %request.path, "answer");
                self.journal.record_response(op, request, &response)?;
                // Counted for the summary, as the shared protocol reads it.
                if matches!(
                    arm::interpret(request, &response),
                    arm::Outcome::Throttled { .. }
                ) {
                    self.counts.throttled += 1;
                }
                Event::Response { op, response }
            }
            Err(SendError::Transport(reason)) => {
                tracing::warn!(op = op.0, path = %request.path, %reason, "no answer");
                self.counts.transport_failures += 1;
                self.journal.record_transport_failure(op, &reason)?;
                Event::TransportFailed { op, reason }
            }
            Err(SendError::Auth(e)) => {
                self.settle()?;
                return Err(ExecError::Auth(e));
            }
        };
        self.handle(self.clock.now_ms(), event)
    }

    /// Hands `event` to the scheduler. A refused event (an answer that no
    /// longer fits, e.g. to an operation a cancel dropped) leaves the
    /// scheduler consistent and usable (its contract): it is logged and the
    /// run goes on; only the clock going backwards is fatal.
    fn handle(&mut self, now: u64, event: Event) -> Result<(), ExecError> {
        match self.scheduler.handle(now, event) {
            Ok(()) => Ok(()),
            Err(e @ scheduler::SchedulerError::TimeWentBackwards { .. }) => Err(e.into()),
            Err(e) => {
                tracing::error!(error = %e, "the scheduler refused an event");
                Ok(())
            }
        }
    }

    fn cancel(&mut self) -> Result<(), ExecError> {
        if matches!(self.scheduler.phase(), Phase::Recovering | Phase::Recovered) {
            self.handle(self.clock.now_ms(), Event::CancelRequested)?;
        }
        Ok(())
    }

    /// Reads cancel (or repatriate) requests another process wrote to the
    /// journal since the last read.
    fn operator_requests(&mut self) -> Result<(), ExecError> {
        for record in self.journal.operator_requests(self.operator_seq)? {
            self.operator_seq = self.operator_seq.max(record.seq);
            match record.request {
                OperatorRequest::Cancel => self.cancel()?,
                OperatorRequest::Repatriate => {
                    if matches!(self.scheduler.phase(), Phase::Recovered) {
                        self.handle(self.clock.now_ms(), Event::RepatriateRequested)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn notices(&mut self) -> Result<(), ExecError> {
        while let Some(notice) = self.scheduler.poll_notice() {
            self.journal
                .record_notice(&notice, self.scheduler.estate())?;
            if let Notice::TenantOnline { db, .. } = &notice {
                self.online_at.push((*db, self.clock.now_ms()));
            }
            match &notice {
                Notice::TenantOnline { db, region } => {
                    tracing::info!(
                        tenant = self.scheduler.estate().db_name(*db),
                        ?region,
                        "tenant online"
                    );
                }
                Notice::TenantFailed { db, reason } => {
                    tracing::warn!(tenant = self.scheduler.estate().db_name(*db), %reason, "tenant failed");
                }
                Notice::PhaseChanged { from, to } => tracing::info!(?from, ?to, "phase"),
                Notice::StepBlocked { what } => tracing::warn!(%what, "blocked"),
            }
            self.progress
                .notice(self.clock.now_ms(), &notice, self.scheduler);
        }
        Ok(())
    }

    /// Marks the operations the scheduler finished and commits everything
    /// buffered.
    fn settle(&mut self) -> Result<(), ExecError> {
        let scheduler = &*self.scheduler;
        self.journal.finish_where(|op| {
            matches!(
                scheduler.op_state(op),
                Some(OpState::Done | OpState::Dropped) | None
            )
        });
        self.journal.flush()?;
        Ok(())
    }
}
