//! Operations in flight: issuing, sending, and the events that end them.

use crate::SchedulerError;
use crate::command::{Action, ArmClass, Command, OpId};
use crate::event::FailureKind;

use super::{Scheduler, Timer};

/// Lifecycle of one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpState {
    /// Waiting for its turn (ARM budget, or a retry's backoff).
    Queued,
    /// Handed to the caller; no answer yet.
    Sent,
    /// Accepted by the platform, running.
    Accepted,
    /// Finished (succeeded or failed).
    Done,
    /// Dropped before it was sent (cancel).
    Dropped,
}

#[derive(Debug, Clone)]
pub(crate) struct Op {
    pub(crate) action: Action,
    pub(crate) state: OpState,
    pub(crate) attempts: u32,
    /// Index of its current step ([`crate::protocol::step::program`]).
    pub(crate) step: u8,
    /// Where its running request is followed (status URL), or, for a later
    /// page of a list, the page's URL.
    pub(crate) poll: Option<Box<arm::PollTarget>>,
    /// The replication link a failover found in its first step.
    pub(crate) link: Option<Box<str>>,
    /// While handed out: the in-flight lane it counts in ([`lane`]).
    pub(crate) lane: Option<u8>,
    /// An answer to one of its requests was lost: ARM may have acted on it,
    /// so "an operation is in progress" on its resource is taken as its own.
    pub(crate) answer_lost: bool,
    /// A status read of it is scheduled (one at a time).
    pub(crate) read_scheduled: bool,
}

/// The in-flight lane of a command: its ARM class, or [`CATALOG_LANE`].
pub(crate) fn lane(class: Option<ArmClass>) -> usize {
    class.map_or(CATALOG_LANE, |c| c as usize)
}

/// The in-flight lane of catalog calls.
pub(crate) const CATALOG_LANE: usize = 3;

/// All operations, indexed by id (ids are dense and increasing).
#[derive(Debug, Clone, Default)]
pub(crate) struct OpTable {
    ops: Vec<Op>,
    in_flight: usize,
    /// Commands handed out and not answered, per lane ([`lane`]).
    sent: [u32; 4],
}

impl OpTable {
    fn push(&mut self, action: Action) -> OpId {
        let id = OpId(self.ops.len() as u64);
        self.ops.push(Op {
            action,
            state: OpState::Queued,
            attempts: 0,
            step: 0,
            poll: None,
            link: None,
            lane: None,
            answer_lost: false,
            read_scheduled: false,
        });
        self.in_flight += 1;
        id
    }

    pub(crate) fn get(&self, op: OpId) -> Option<&Op> {
        self.ops.get(usize::try_from(op.0).ok()?)
    }

    pub(crate) fn get_mut(&mut self, op: OpId) -> Option<&mut Op> {
        self.ops.get_mut(usize::try_from(op.0).ok()?)
    }

    pub(crate) fn set(&mut self, op: OpId, state: OpState) {
        if let Some(entry) = self.get_mut(op) {
            let was_open = !matches!(entry.state, OpState::Done | OpState::Dropped);
            let now_open = !matches!(state, OpState::Done | OpState::Dropped);
            entry.state = state;
            if state != OpState::Sent
                && let Some(lane) = entry.lane.take()
                && let Some(count) = self.sent.get_mut(usize::from(lane))
            {
                *count = count.saturating_sub(1);
            }
            match (was_open, now_open) {
                (true, false) => self.in_flight -= 1,
                (false, true) => self.in_flight += 1,
                _ => {}
            }
        }
    }

    pub(crate) fn is_dropped(&self, op: OpId) -> bool {
        self.get(op).is_some_and(|o| o.state == OpState::Dropped)
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight
    }

    /// Commands of a lane handed out and not answered.
    pub(crate) fn sent_in(&self, lane: usize) -> u32 {
        self.sent.get(lane).copied().unwrap_or(0)
    }

    /// Frees `op`'s in-flight lane while it stays open (an accepted step
    /// that is not its last: it runs in Azure, not on the wire).
    pub(crate) fn release_lane(&mut self, op: OpId) {
        if let Some(entry) = self.get_mut(op)
            && let Some(lane) = entry.lane.take()
            && let Some(count) = self.sent.get_mut(usize::from(lane))
        {
            *count = count.saturating_sub(1);
        }
    }

    /// Counts `op` as handed out in `lane`.
    fn mark_sent(&mut self, op: OpId, lane: usize) {
        self.set(op, OpState::Sent);
        if let (Some(entry), Some(count)) = (
            self.ops
                .get_mut(usize::try_from(op.0).unwrap_or(usize::MAX)),
            self.sent.get_mut(lane),
        ) {
            entry.lane = u8::try_from(lane).ok();
            *count += 1;
        }
    }

    /// Operations issued so far.
    pub(crate) fn len(&self) -> usize {
        self.ops.len()
    }
}

impl Scheduler {
    /// Records a new operation and queues it behind its ARM budget.
    pub(crate) fn issue(&mut self, action: Action) -> OpId {
        let op = self.ops.push(action);
        self.enqueue(op);
        op
    }

    /// Records a new operation that is sent at once (its budget is paid).
    pub(crate) fn record(&mut self, action: Action) -> OpId {
        self.ops.push(action)
    }

    /// Queues an operation behind the ARM budget of its current step
    /// (catalog work: none).
    pub(crate) fn enqueue(&mut self, op: OpId) {
        match self.op_class(op) {
            None => self.outbox.push_back(op),
            Some(class) => self.queues[class as usize].push_back(op),
        }
    }

    /// The ARM budget the current step of `op` spends.
    pub(crate) fn op_class(&self, op: OpId) -> Option<ArmClass> {
        let entry = self.ops.get(op)?;
        self.step_of(op).class(&entry.action)
    }

    /// Hands an operation to the caller, rendered complete; `None` only
    /// for an id the table does not hold (never issued).
    pub(crate) fn send(&mut self, op: OpId) -> Option<Command> {
        let work = self.render_work(op)?;
        let action = self.ops.get(op)?.action;
        let lane = lane(self.op_class(op));
        self.ops.mark_sent(op, lane);
        Some(Command { op, action, work })
    }

    /// Drops a queued operation (cancel): it will never be sent.
    pub(crate) fn drop_op(&mut self, op: OpId) {
        if self.ops.get(op).is_some_and(|o| o.state == OpState::Queued) {
            self.ops.set(op, OpState::Dropped);
        }
    }

    /// Looks an operation up for an event, refusing unknown or finished ones.
    pub(crate) fn open_op(&self, op: OpId) -> Result<(Action, OpState), SchedulerError> {
        let entry = self.ops.get(op).ok_or(SchedulerError::UnknownOp(op))?;
        match entry.state {
            OpState::Done | OpState::Dropped => Err(SchedulerError::FinishedOp(op)),
            OpState::Queued => Err(SchedulerError::Mismatch {
                op,
                event: "an outcome",
                action: format!("{:?} (not sent yet)", entry.action),
            }),
            state => Ok((entry.action, state)),
        }
    }

    pub(crate) fn on_accepted(&mut self, op: OpId) -> Result<(), SchedulerError> {
        let (action, state) = self.open_op(op)?;
        if state == OpState::Accepted {
            return Ok(());
        }
        self.ops.set(op, OpState::Accepted);
        self.accepted(action)
    }

    pub(crate) fn on_succeeded(&mut self, op: OpId) -> Result<(), SchedulerError> {
        let (action, state) = self.open_op(op)?;
        if matches!(action, Action::CheckChanged { .. }) {
            return Err(SchedulerError::Mismatch {
                op,
                event: "Succeeded",
                action: format!("{action:?}"),
            });
        }
        self.ops.set(op, OpState::Done);
        self.unfollow(op, action);
        if state == OpState::Accepted && action.completes_via_poll() {
            self.poll_target_done(action);
        }
        if self.restore_obsolete(action) {
            return Ok(());
        }
        self.succeeded(action)
    }

    pub(crate) fn on_throttled(
        &mut self,
        op: OpId,
        retry_after_ms: u64,
    ) -> Result<(), SchedulerError> {
        let (action, state) = self.open_op(op)?;
        let Some(class) = self.op_class(op) else {
            return Err(SchedulerError::Mismatch {
                op,
                event: "Throttled",
                action: format!("{action:?}"),
            });
        };
        if state != OpState::Sent {
            return Err(SchedulerError::Mismatch {
                op,
                event: "Throttled",
                action: format!("{action:?} (accepted)"),
            });
        }
        let until = self.now_ms.saturating_add(retry_after_ms.max(1));
        self.pacers.get(class).throttled(self.now_ms, until);
        if !self.still_wanted(action) {
            self.ops.set(op, OpState::Dropped);
            self.retry_dropped(action);
            return Ok(());
        }
        self.ops.set(op, OpState::Queued);
        self.queues[class as usize].push_front(op);
        Ok(())
    }

    pub(crate) fn on_failed(
        &mut self,
        op: OpId,
        kind: FailureKind,
        reason: String,
    ) -> Result<(), SchedulerError> {
        let (action, state) = self.open_op(op)?;
        self.unfollow(op, action);
        if state == OpState::Accepted && action.completes_via_poll() {
            self.poll_target_done(action);
        }
        if self.restore_obsolete(action) {
            self.ops.set(op, OpState::Done);
            return Ok(());
        }
        let attempts = self.ops.get(op).map_or(0, |o| o.attempts) + 1;
        if let Some(entry) = self.ops.get_mut(op) {
            entry.attempts = attempts;
            // A retry sends its request again: what followed the last one is moot.
            entry.poll = None;
        }
        if kind == FailureKind::Transient && attempts < self.config.backoff.max_attempts {
            let delay = self.config.backoff.delay_ms(attempts, &mut self.rng);
            self.ops.set(op, OpState::Queued);
            self.timers.push(std::cmp::Reverse((
                self.now_ms.saturating_add(delay),
                Timer::Retry(op),
            )));
            return self.retrying(action);
        }
        self.ops.set(op, OpState::Done);
        let reason = if kind == FailureKind::Transient {
            format!("{reason} (gave up after {attempts} attempts)")
        } else {
            reason
        };
        self.failed_for_good(action, reason)
    }

    pub(crate) fn on_changed(&mut self, op: OpId, changed: bool) -> Result<(), SchedulerError> {
        let (action, _) = self.open_op(op)?;
        let Action::CheckChanged { db } = action else {
            return Err(SchedulerError::Mismatch {
                op,
                event: "Changed",
                action: format!("{action:?}"),
            });
        };
        self.ops.set(op, OpState::Done);
        self.change_checked(db, changed)
    }

    /// A retry's backoff ended: queue the operation again, unless cancel dropped it.
    pub(crate) fn retry_due(&mut self, op: OpId) {
        let Some(entry) = self.ops.get(op) else {
            return;
        };
        if entry.state != OpState::Queued {
            return;
        }
        let action = entry.action;
        if !self.still_wanted(action) {
            self.ops.set(op, OpState::Dropped);
            self.retry_dropped(action);
            return;
        }
        if let Action::RestoreDatabase { db, .. } = action {
            // Backoff -> Submitted: the same operation goes out again.
            let _ = self.set_copy(db, crate::state::RecoveryCopy::Submitted);
        }
        self.enqueue(op);
    }

    /// Operations issued so far (for tests and reports).
    pub fn ops_issued(&self) -> usize {
        self.ops.len()
    }
}
