//! After a 429 with `Retry-After: N`, no request of that class leaves
//! before N seconds have passed (the scheduler alone, every other answer
//! instant and successful).

use scheduler::arm::{ArmClass, Method, Response};
use scheduler::fleet::Fleet;
use scheduler::{Config, Event, Scheduler, Work, strategy};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

/// Runs the demo recovery; the `throttle_at`-th write is answered 429 with
/// `Retry-After: retry_s`. Returns when that happened and the times at
/// which later writes and reads were handed out.
fn run(throttle_at: usize, retry_s: u64) -> (u64, Vec<u64>, Vec<u64>) {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut now = 0u64;
    let mut writes = 0usize;
    let mut throttled_at = None;
    let (mut later_writes, mut later_reads) = (Vec::new(), Vec::new());
    for _ in 0..100_000 {
        while let Some(command) = s.poll_command_at(now) {
            let op = command.op;
            match command.work {
                Work::Catalog(_) => s.handle(now, Event::Succeeded { op }).expect("catalog"),
                Work::Arm(request) => {
                    let class = request.class();
                    if throttled_at.is_some() {
                        match class {
                            ArmClass::Write => later_writes.push(now),
                            ArmClass::Read => later_reads.push(now),
                            ArmClass::Delete => {}
                        }
                    }
                    let response = if class == ArmClass::Write {
                        writes += 1;
                        if writes == throttle_at {
                            throttled_at = Some(now);
                            let retry = retry_s.to_string();
                            Response::from_wire(429, [("Retry-After", retry.as_str())], "")
                                .with_error("TooManyRequests", "slow down")
                        } else if request.method == Method::Put
                            && request.path.contains("/databases/")
                        {
                            Response::from_wire(200, [], r#"{"properties":{"status":"Online"}}"#)
                        } else {
                            Response::new(200)
                        }
                    } else {
                        Response::new(200)
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
    (
        throttled_at.expect("a write was throttled"),
        later_writes,
        later_reads,
    )
}

#[test]
fn no_write_leaves_before_retry_after_has_passed() {
    for (throttle_at, retry_s) in [(3, 30), (8, 7), (15, 120)] {
        let (at, writes, reads) = run(throttle_at, retry_s);
        let until = at + retry_s * 1000;
        assert!(
            writes.iter().all(|t| *t >= until),
            "write #{throttle_at} throttled at {at} ms for {retry_s} s, yet writes left at {:?}",
            writes.iter().filter(|t| **t < until).collect::<Vec<_>>()
        );
        // Not vacuous: writes did resume afterwards.
        assert!(
            writes.iter().any(|t| *t >= until),
            "no write after the wait"
        );
        // (Every answer here is final, so no reads follow: the read class
        // is exercised by the simulator's throttled-poll tests.)
        assert!(reads.is_empty(), "{reads:?}");
    }
}
