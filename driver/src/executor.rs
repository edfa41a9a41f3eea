//! The executor: carries out what the scheduler asks, against real ARM.
//!
//! It is the driver's twin of the simulator's runner and differs from it
//! only in transport (HTTPS, [`ArmClient`]) and clock ([`ScaledClock`]):
//! every command the scheduler hands out is recorded (its intent, durable
//! before the request leaves), sent, and its answer recorded and handed
//! back untouched as [`Event::Response`] (or [`Event::TransportFailed`]).
//! What an answer means, when to poll, how fast to go: the scheduler
//! decides, through the shared `arm` protocol crate.
//!
//! Requests run concurrently (up to the scheduler's in-flight caps, see
//! [`scheduler::InFlightCaps`]); catalog calls run one at a time, in
//! order, on the executor's thread.

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;
use scheduler::{CatalogCall, Command, Event, FailureKind, Notice, OpId, Phase, Scheduler, Work};
use tokio::sync::mpsc;

use crate::clock::ScaledClock;
use crate::credential::AuthError;
use crate::transport::{ArmClient, SendError};

/// What a catalog back end answered to one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CatalogAnswer {
    /// Done (mark, route).
    Done,
    /// The answer to a change check.
    Changed(bool),
}

/// Why a catalog call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogFailure {
    /// Whether trying again may help (the catalog was unreachable, timed
    /// out) or not (the tenant is unknown to it).
    pub transient: bool,
    /// What the catalog said.
    pub reason: String,
}

/// Carries out the scheduler's catalog calls (the tenant catalog / shard
/// map): the executor's only other side effect besides ARM.
pub trait CatalogCalls {
    /// Performs `call`; blocking is allowed (calls are short).
    fn call(&mut self, call: &CatalogCall) -> Result<CatalogAnswer, CatalogFailure>;
}

/// Where the executor writes down what it does: the journal (and any
/// progress display). `intent` must be durable when it returns: the
/// request is sent right after.
pub trait Recorder {
    /// `command` is about to be carried out at `now_ms`.
    fn intent(&mut self, now_ms: u64, command: &Command) -> Result<(), RecordError>;
    /// What came back for `op`, exactly as handed to the scheduler.
    fn outcome(&mut self, now_ms: u64, op: OpId, event: &Event) -> Result<(), RecordError>;
    /// A notice of the scheduler's (tenant online or failed, phase change,
    /// blocked step).
    fn notice(&mut self, now_ms: u64, notice: &Notice) -> Result<(), RecordError>;
}

/// A record could not be written: the run stops before sending anything
/// the journal does not know about.
#[derive(Debug, thiserror::Error)]
#[error("journal: {0}")]
pub struct RecordError(pub String);

/// What the operator asks while a run goes on.
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
    /// The journal could not be written.
    #[error(transparent)]
    Record(#[from] RecordError),
    /// The scheduler refused an event (a bug, or a journal from elsewhere).
    #[error("scheduler: {0}")]
    Scheduler(#[from] scheduler::SchedulerError),
}

/// Counters of one run, for the summary and the load test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunCounts {
    /// ARM requests sent.
    pub requests: u64,
    /// Of which answered with no HTTP answer (transport failures).
    pub transport_failures: u64,
    /// Catalog calls made.
    pub catalog_calls: u64,
    /// Most ARM requests in flight at once.
    pub peak_in_flight: usize,
}

/// The executor: one scheduler, one ARM client, one catalog, one recorder.
pub struct Executor<'a> {
    /// The scheduler it serves.
    pub scheduler: &'a mut Scheduler,
    /// The clock the scheduler reads.
    pub clock: ScaledClock,
    /// HTTPS to ARM.
    pub arm: ArmClient,
    /// The tenant catalog.
    pub catalog: &'a mut dyn CatalogCalls,
    /// The journal (and progress).
    pub recorder: &'a mut dyn Recorder,
    /// Counters so far.
    pub counts: RunCounts,
}

type Answer = (OpId, Result<arm::Response, SendError>);
type InFlight = FuturesUnordered<BoxFuture<'static, Answer>>;

impl Executor<'_> {
    /// Runs until the scheduler is finished, the operator detaches, or an
    /// error stops it. `control` carries the operator's requests (closed =
    /// none will come).
    pub async fn run(&mut self, mut control: mpsc::Receiver<Control>) -> Result<RunEnd, ExecError> {
        let mut in_flight: InFlight = FuturesUnordered::new();
        let mut control_open = true;
        loop {
            self.send_ready(&mut in_flight)?;
            self.record_notices()?;
            if self.scheduler.is_finished() && in_flight.is_empty() {
                return Ok(RunEnd::Finished(self.scheduler.phase()));
            }
            let wake = self.scheduler.next_wakeup();
            let sleep = tokio::time::sleep_until(
                wake.map(|at| self.clock.instant_of(at))
                    .unwrap_or_else(|| self.clock.instant_of(u64::MAX / 2)),
            );
            tokio::select! {
                asked = control.recv(), if control_open => match asked {
                    Some(Control::Detach) => return Ok(RunEnd::Detached),
                    Some(Control::Cancel) => {
                        self.scheduler.handle(self.clock.now_ms(), Event::CancelRequested)?;
                    }
                    None => control_open = false,
                },
                Some((op, answer)) = in_flight.next(), if !in_flight.is_empty() => {
                    self.answered(op, answer)?;
                }
                () = sleep, if wake.is_some() => {
                    self.scheduler.handle(self.clock.now_ms(), Event::Wakeup)?;
                }
            }
        }
    }

    /// Takes every command the scheduler has ready now: requests are
    /// recorded and started; catalog calls recorded, made and answered.
    fn send_ready(&mut self, in_flight: &mut InFlight) -> Result<(), ExecError> {
        loop {
            let now = self.clock.now_ms();
            let Some(command) = self.scheduler.poll_command_at(now) else {
                return Ok(());
            };
            self.recorder.intent(now, &command)?;
            let op = command.op;
            match command.work {
                Work::Arm(request) => {
                    let client = self.arm.clone();
                    self.counts.requests += 1;
                    in_flight.push(Box::pin(async move { (op, client.send(&request).await) }));
                    self.counts.peak_in_flight = self.counts.peak_in_flight.max(in_flight.len());
                }
                Work::Catalog(call) => {
                    self.counts.catalog_calls += 1;
                    let event = catalog_event(op, self.catalog.call(&call));
                    let now = self.clock.now_ms();
                    self.recorder.outcome(now, op, &event)?;
                    self.scheduler.handle(now, event)?;
                }
            }
        }
    }

    fn answered(
        &mut self,
        op: OpId,
        answer: Result<arm::Response, SendError>,
    ) -> Result<(), ExecError> {
        let event = match answer {
            Ok(response) => Event::Response { op, response },
            Err(SendError::Transport(reason)) => {
                self.counts.transport_failures += 1;
                Event::TransportFailed { op, reason }
            }
            Err(SendError::Auth(e)) => return Err(ExecError::Auth(e)),
        };
        let now = self.clock.now_ms();
        self.recorder.outcome(now, op, &event)?;
        self.scheduler.handle(now, event)?;
        Ok(())
    }

    fn record_notices(&mut self) -> Result<(), ExecError> {
        while let Some(notice) = self.scheduler.poll_notice() {
            self.recorder.notice(self.clock.now_ms(), &notice)?;
        }
        Ok(())
    }
}

/// The scheduler's event for a catalog answer.
pub fn catalog_event(op: OpId, answer: Result<CatalogAnswer, CatalogFailure>) -> Event {
    match answer {
        Ok(CatalogAnswer::Done) => Event::Succeeded { op },
        Ok(CatalogAnswer::Changed(changed)) => Event::Changed { op, changed },
        Err(f) => Event::Failed {
            op,
            kind: if f.transient {
                FailureKind::Transient
            } else {
                FailureKind::Permanent
            },
            reason: f.reason,
        },
    }
}
