//! Regression tests for edge cases a review found: late outcomes around a
//! cancel or a repatriation, failures of single steps, sign-ups at the wrong
//! time, extreme inputs. Each drives the scheduler by hand on the demo fleet.

use scheduler::fleet::{DbId, Fleet, TierId};
use scheduler::strategy::{Knobs, build};
use scheduler::{
    Action, AliasRef, Command, Config, Event, FailureKind, Phase, Region, Scheduler,
    SchedulerError, TenantState,
};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

struct Harness {
    scheduler: Scheduler,
    pending: Vec<Command>,
    /// Every command handed out, with the phase at that moment.
    log: Vec<(Phase, Command)>,
    now_ms: u64,
}

impl Harness {
    fn new(alias_routing: bool, strategy: &str) -> Harness {
        let text = if alias_routing {
            DEMO.replace("routing = \"catalog\"", "routing = \"server-alias\"")
        } else {
            DEMO.to_owned()
        };
        let fleet = Fleet::from_toml_str(&text, "demo.toml").expect("demo fleet");
        let strategy = build(strategy, &Knobs::default()).expect("strategy");
        Harness {
            scheduler: Scheduler::new(fleet, strategy, Config::default(), 0),
            pending: Vec::new(),
            log: Vec::new(),
            now_ms: 0,
        }
    }

    fn event(&mut self, event: Event) {
        self.scheduler
            .handle(self.now_ms, event)
            .expect("event accepted");
    }

    fn pump(&mut self) {
        while let Some(command) = self.scheduler.poll_command() {
            self.log.push((self.scheduler.phase(), command.clone()));
            self.pending.push(command);
        }
    }

    fn succeed(&mut self, command: Command) {
        if let Action::CheckChanged { .. } = command.action {
            self.event(Event::Changed {
                op: command.op,
                changed: true,
            });
        } else {
            self.event(Event::Accepted { op: command.op });
            self.event(Event::Succeeded { op: command.op });
        }
    }

    fn fail(&mut self, command: Command) {
        let reason = "boom".to_owned();
        self.event(Event::Failed {
            op: command.op,
            kind: FailureKind::Permanent,
            reason,
        });
    }

    /// Lets every command not `held` succeed until nothing moves.
    fn settle(&mut self, held: impl Fn(&Action) -> bool) {
        for _ in 0..100_000 {
            self.pump();
            let (go, keep): (Vec<_>, Vec<_>) =
                self.pending.drain(..).partition(|c| !held(&c.action));
            self.pending = keep;
            if !go.is_empty() {
                go.into_iter().for_each(|c| self.succeed(c));
                continue;
            }
            match self.scheduler.next_wakeup() {
                Some(at) if at > self.now_ms => {
                    self.now_ms = at;
                    self.event(Event::Wakeup);
                }
                _ => return,
            }
        }
        panic!("did not settle");
    }

    fn take(&mut self, wanted: impl Fn(&Action) -> bool) -> Command {
        self.pump();
        let at = self
            .pending
            .iter()
            .position(|c| wanted(&c.action))
            .expect("command pending");
        self.pending.remove(at)
    }

    fn sent_since(&self, from: usize) -> Vec<Action> {
        self.log[from..].iter().map(|(_, c)| c.action).collect()
    }

    fn state(&self, db: u32) -> TenantState {
        self.scheduler.tenant_state(DbId(db)).expect("tenant")
    }
}

#[test]
fn a_catalog_restored_after_a_cancel_is_not_switched_to() {
    let mut h = Harness::new(false, "priority-pacing");
    h.settle(|a| matches!(a, Action::RestoreCatalog | Action::CreateWebApp));
    let from = h.log.len();
    h.event(Event::CancelRequested);
    h.settle(|_| false);
    let after = h.sent_since(from);
    assert!(
        !after.contains(&Action::MoveAlias {
            alias: AliasRef::Catalog,
            to: Region::Recovery
        }),
        "{after:?}"
    );
    assert!(
        !after.contains(&Action::SetEndpoint {
            region: Region::Recovery,
            enabled: true
        }),
        "{after:?}"
    );
    assert_eq!(h.scheduler.phase(), Phase::Cancelled);
    assert_eq!(h.scheduler.status().online_in_origin, 20);
}

#[test]
fn a_routing_step_failing_during_a_cancel_sends_the_tenant_home() {
    let mut h = Harness::new(false, "priority-pacing");
    h.settle(|a| matches!(a, Action::SetRouting { db, .. } if db.0 == 0));
    let routing = h.take(|a| matches!(a, Action::SetRouting { db, .. } if db.0 == 0));
    h.event(Event::CancelRequested);
    h.fail(routing);
    h.settle(|_| false);
    assert_eq!(h.scheduler.phase(), Phase::Cancelled);
    assert_eq!(h.state(0), TenantState::Online(Region::Origin));
}

#[test]
fn a_failed_alias_move_does_not_strand_the_server_on_cancel() {
    let mut h = Harness::new(true, "priority-pacing");
    let is_alias = |a: &Action| {
        matches!(
            a,
            Action::MoveAlias {
                alias: AliasRef::Server(_),
                ..
            }
        )
    };
    h.settle(is_alias);
    let alias = h.take(is_alias);
    h.fail(alias);
    h.settle(|_| false);
    assert!(h.scheduler.status().failed > 0);
    assert!(
        !h.scheduler.status().blocked.is_empty(),
        "the alias failure is reported"
    );
    h.event(Event::CancelRequested);
    h.settle(|_| false);
    let status = h.scheduler.status();
    assert_eq!(status.phase, Phase::Cancelled);
    assert_eq!(status.online_in_origin, 20, "{status:?}");
}

#[test]
fn a_failed_move_into_the_pool_does_not_stop_repatriation() {
    let mut h = Harness::new(false, "fast-lane");
    let is_move = |a: &Action| matches!(a, Action::MoveToPool { db } if db.0 == 0);
    h.settle(is_move);
    let mv = h.take(is_move);
    h.event(Event::RepatriateRequested);
    h.event(Event::Accepted { op: mv.op });
    h.fail(mv);
    h.settle(|_| false);
    assert_eq!(h.scheduler.phase(), Phase::Repatriated);
    assert_eq!(h.state(0), TenantState::Online(Region::Origin));
}

#[test]
fn a_late_pool_failure_during_repatriation_still_brings_the_catalog_home() {
    let mut h = Harness::new(false, "priority-pacing");
    let new_pool = |a: &Action| matches!(a, Action::CreatePool { pool } if pool.0 == 1);
    h.settle(new_pool);
    let pool = h.take(new_pool);
    h.event(Event::RepatriateRequested);
    let from = h.log.len();
    h.fail(pool);
    h.settle(|_| false);
    assert_eq!(h.scheduler.phase(), Phase::Repatriated);
    let after = h.sent_since(from);
    assert!(
        after.contains(&Action::MoveAlias {
            alias: AliasRef::Catalog,
            to: Region::Origin
        }),
        "{after:?}"
    );
}

#[test]
fn sign_ups_are_refused_when_they_cannot_be_taken() {
    let mut h = Harness::new(false, "wingtip");
    // The tutorial's preparation creates the new-tenant pool only after the catalog.
    let refused = h.scheduler.handle(
        0,
        Event::TenantCreated {
            name: "early".into(),
            tier: TierId(0),
        },
    );
    assert!(
        matches!(refused, Err(SchedulerError::SignUpRefused(_))),
        "{refused:?}"
    );
    h.settle(|_| false);
    h.event(Event::TenantCreated {
        name: "late".into(),
        tier: TierId(0),
    });
    let again = h.scheduler.handle(
        h.now_ms,
        Event::TenantCreated {
            name: "late".into(),
            tier: TierId(0),
        },
    );
    assert!(
        matches!(again, Err(SchedulerError::SignUpRefused(_))),
        "duplicate name: {again:?}"
    );
    h.event(Event::RepatriateRequested);
    h.settle(|_| false);
    assert_eq!(h.scheduler.phase(), Phase::Repatriated);
    let after = h.scheduler.handle(
        h.now_ms,
        Event::TenantCreated {
            name: "after".into(),
            tier: TierId(0),
        },
    );
    assert!(
        matches!(after, Err(SchedulerError::SignUpRefused(_))),
        "{after:?}"
    );
    assert_eq!(h.scheduler.status().online_in_origin, 21);
}

#[test]
fn extreme_knobs_and_times_do_not_panic() {
    let fleet = Fleet::from_toml_str(DEMO, "demo.toml").expect("demo fleet");
    let knobs = Knobs {
        queue_margin: Some(u32::MAX),
        ..Knobs::default()
    };
    let strategy = build("priority-pacing", &knobs).expect("strategy");
    let mut scheduler = Scheduler::new(fleet, strategy, Config::default(), u64::MAX - 10);
    while let Some(command) = scheduler.poll_command() {
        let _ = scheduler.handle(
            u64::MAX - 5,
            Event::Failed {
                op: command.op,
                kind: FailureKind::Transient,
                reason: "x".into(),
            },
        );
    }
    let _ = scheduler.next_wakeup();
    scheduler
        .handle(u64::MAX, Event::Wakeup)
        .expect("wakeup at the end of time");
}
