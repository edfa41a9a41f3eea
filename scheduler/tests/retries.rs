//! Transient failures are retried after the backoff their attempt number
//! implies; only permanent failures fail tenants.

use std::collections::BTreeMap;

use scheduler::arm::{Method, Response};
use scheduler::fleet::{DbId, Fleet};
use scheduler::{Action, Backoff, Config, Event, Scheduler, Work, strategy};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

/// How the platform answers a tenant's `attempt`-th restore PUT (1-based).
type Answer = dyn Fn(DbId, u32) -> Response;

fn online() -> Response {
    Response::from_wire(200, [], r#"{"properties":{"status":"Online"}}"#)
}

/// Runs the demo recovery; returns the scheduler and, per tenant, the
/// times of its restore PUTs.
fn run(answer: &Answer) -> (Scheduler, BTreeMap<DbId, Vec<u64>>) {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut now = 0u64;
    let mut puts: BTreeMap<DbId, Vec<u64>> = BTreeMap::new();
    for _ in 0..200_000 {
        while let Some(command) = s.poll_command_at(now) {
            let op = command.op;
            match command.work {
                Work::Catalog(_) => s.handle(now, Event::Succeeded { op }).expect("catalog"),
                Work::Arm(request) => {
                    let response = match command.action {
                        Action::RestoreDatabase { db, .. } if request.method == Method::Put => {
                            let times = puts.entry(db).or_default();
                            times.push(now);
                            answer(db, times.len() as u32)
                        }
                        _ if request.method == Method::Put
                            && request.path.contains("/databases/") =>
                        {
                            online()
                        }
                        _ => Response::new(200),
                    };
                    s.handle(now, Event::Response { op, response })
                        .expect("answer");
                }
            }
        }
        if s.is_finished() {
            break;
        }
        match s.next_wakeup() {
            Some(at) => now = at.max(now + 1),
            None => break,
        }
        s.handle(now, Event::Wakeup).expect("wakeup");
    }
    assert!(s.is_finished(), "{:?}", s.status());
    (s, puts)
}

fn transient() -> Response {
    Response::new(500).with_error("InternalServerError", "try again")
}

#[test]
fn transient_failures_only_bring_every_tenant_online_after_backoffs() {
    let failures = 4;
    let (s, puts) = run(&move |db, attempt| {
        // Every third tenant fails `failures` times, the others once.
        let fails = if db.0 % 3 == 0 { failures } else { 1 };
        if attempt <= fails {
            transient()
        } else {
            online()
        }
    });
    let status = s.status();
    assert_eq!(status.failed, 0, "{status:?}");
    assert_eq!(status.online_in_recovery, status.tenants);
    let backoff = Backoff::default();
    for (db, times) in &puts {
        let fails = if db.0 % 3 == 0 { failures } else { 1 };
        assert_eq!(times.len() as u32, fails + 1, "tenant {db:?}: {times:?}");
        for (k, pair) in times.windows(2).enumerate() {
            let attempt = k as u32 + 1;
            let full = (backoff.base_ms << (attempt - 1)).min(backoff.cap_ms);
            let waited = pair[1] - pair[0];
            // Equal jitter: at least half the capped exponential; at most
            // all of it plus what the write budget may add.
            assert!(
                waited >= full / 2 && waited <= full + 5_000,
                "tenant {db:?} retry {attempt}: waited {waited} ms, backoff {full} ms"
            );
        }
    }
}

#[test]
fn only_permanent_failures_fail_tenants() {
    let (s, _) = run(&|db, attempt| {
        if db.0 % 5 == 0 {
            Response::new(400).with_error("InvalidRequestContent", "never")
        } else if attempt == 1 {
            transient()
        } else {
            online()
        }
    });
    let status = s.status();
    let permanent = (0..status.tenants as u32).filter(|i| i % 5 == 0).count();
    assert_eq!(status.failed, permanent, "{status:?}");
    assert_eq!(status.online_in_recovery, status.tenants - permanent);
}
