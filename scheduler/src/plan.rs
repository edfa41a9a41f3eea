//! Dry run: the commands the scheduler would issue if every step succeeded
//! at once. Time still advances to respect the ARM budget, so the plan also
//! shows when each command could go out at the earliest.

use crate::command::{Action, OpId};
use crate::fleet::Fleet;
use crate::{Command, Config, Event, Scheduler, SchedulerError, Strategy};

/// One planned command and the earliest time it could be sent. The
/// rendered request is not kept (a 100,000-tenant plan would hold every
/// request body); [`Command::work`] shows it while the plan runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlannedCommand {
    /// Milliseconds after the start.
    pub at_ms: u64,
    /// The operation.
    pub op: OpId,
    /// What it does.
    pub action: Action,
}

/// What to plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PlanOptions {
    /// After the recovery, repatriate every tenant.
    pub repatriate: bool,
    /// During repatriation, report every tenant as changed (the longer path).
    pub all_changed: bool,
}

/// Bound on loop iterations, so a scheduler bug cannot hang a dry run.
const MAX_STEPS: usize = 50_000_000;

/// The outcome of a dry run.
#[derive(Debug)]
pub struct DryRun {
    /// The scheduler at the end (for its status).
    pub scheduler: Scheduler,
    /// Every command, in the order it was handed out.
    pub commands: Vec<PlannedCommand>,
    /// Events handed to [`Scheduler::handle`] (outcomes and wakeups).
    pub events_handled: u64,
}

/// Runs the scheduler with every command succeeding instantly.
pub fn dry_run(
    fleet: Fleet,
    strategy: Box<dyn Strategy>,
    config: Config,
    options: PlanOptions,
) -> Result<DryRun, SchedulerError> {
    let mut scheduler = Scheduler::new(fleet, strategy, config, 0);
    let mut planned = Vec::new();
    let mut now_ms = 0;
    let mut repatriation_requested = false;
    let mut events_handled = 0;
    for _ in 0..MAX_STEPS {
        while let Some(command) = scheduler.poll_command() {
            let Command { op, action, .. } = command;
            planned.push(PlannedCommand {
                at_ms: now_ms,
                op,
                action,
            });
            match action {
                Action::CheckChanged { .. } => {
                    scheduler.handle(
                        now_ms,
                        Event::Changed {
                            op,
                            changed: options.all_changed,
                        },
                    )?;
                    events_handled += 1;
                }
                _ => {
                    scheduler.handle(now_ms, Event::Accepted { op })?;
                    scheduler.handle(now_ms, Event::Succeeded { op })?;
                    events_handled += 2;
                }
            }
        }
        if scheduler.is_finished() {
            if options.repatriate && !repatriation_requested {
                repatriation_requested = true;
                scheduler.handle(now_ms, Event::RepatriateRequested)?;
                continue;
            }
            break;
        }
        match scheduler.next_wakeup() {
            Some(at) => {
                now_ms = now_ms.max(at);
                scheduler.handle(now_ms, Event::Wakeup)?;
                events_handled += 1;
            }
            None => break,
        }
    }
    Ok(DryRun {
        scheduler,
        commands: planned,
        events_handled,
    })
}
