//! Back-pressure: a caller that caps commands in flight per kind never
//! gets more than that from the scheduler, and the recovery still ends.

use std::collections::VecDeque;

use scheduler::arm::{Headers, Method, Response, ResponseBody};
use scheduler::fleet::Fleet;
use scheduler::{
    Action, ArmClass, Command, Config, Event, InFlightCaps, Scheduler, Work, strategy,
};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

fn lane(command: &Command) -> usize {
    match &command.work {
        Work::Catalog(_) => 3,
        Work::Arm(request) => match request.method {
            Method::Get => ArmClass::Read as usize,
            Method::Delete => ArmClass::Delete as usize,
            _ => ArmClass::Write as usize,
        },
    }
}

fn answer(command: &Command) -> Event {
    let op = command.op;
    match &command.work {
        Work::Catalog(_) => match command.action {
            Action::CheckChanged { .. } => Event::Changed { op, changed: false },
            _ => Event::Succeeded { op },
        },
        Work::Arm(request) => {
            let body = if request.method == Method::Put && request.path.contains("/databases/") {
                ResponseBody::Text(r#"{"properties":{"status":"Online"}}"#.to_owned())
            } else {
                ResponseBody::Empty
            };
            Event::Response {
                op,
                response: Response {
                    status: 200,
                    headers: Headers::default(),
                    body,
                },
            }
        }
    }
}

/// Runs the demo recovery answering the oldest command every 100 ms;
/// returns the most commands seen out at once per lane.
fn run(caps: InFlightCaps) -> ([usize; 4], Scheduler) {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let config = Config {
        in_flight: caps,
        ..Config::default()
    };
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, config, 0);
    let mut out: VecDeque<Command> = VecDeque::new();
    let mut most = [0usize; 4];
    let mut now = 0;
    for _ in 0..100_000 {
        while let Some(command) = s.poll_command_at(now) {
            out.push_back(command);
            let mut counts = [0usize; 4];
            for c in &out {
                counts[lane(c)] += 1;
            }
            for (m, c) in most.iter_mut().zip(counts) {
                *m = (*m).max(c);
            }
        }
        if s.status().finished && out.is_empty() {
            break;
        }
        now += 100;
        match out.pop_front() {
            Some(command) => s.handle(now, answer(&command)).expect("answer"),
            None => {
                let at = s.next_wakeup().expect("something to wait for");
                now = now.max(at);
                s.handle(now, Event::Wakeup).expect("wakeup");
            }
        }
    }
    (most, s)
}

#[test]
fn caps_hold_and_the_recovery_still_ends() {
    let caps = InFlightCaps {
        reads: Some(1),
        writes: Some(2),
        deletes: Some(1),
        catalog: Some(3),
    };
    let (most, s) = run(caps);
    assert!(most[ArmClass::Write as usize] <= 2, "{most:?}");
    assert!(most[ArmClass::Read as usize] <= 1, "{most:?}");
    assert!(most[3] <= 3, "{most:?}");
    assert_eq!(s.status().online_in_recovery, 20, "{:?}", s.status());
    // Without caps the same caller gets far more out at once: the caps,
    // not the caller's pace, held the line.
    let (free, _) = run(InFlightCaps::default());
    assert!(free[ArmClass::Write as usize] > 2, "{free:?}");
    assert!(free[3] > 3, "{free:?}");
}
