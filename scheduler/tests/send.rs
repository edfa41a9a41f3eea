//! Compile-time checks: a scheduler, and what goes in and out of it, can
//! move to another thread (e.g. a driver's async task on a work-stealing
//! runtime). Breaking this fails the build of this test.

use scheduler::{Action, Command, Event, Scheduler, Status, Strategy};

fn assert_send<T: Send>() {}

#[test]
fn scheduler_commands_and_events_are_send() {
    assert_send::<Scheduler>();
    assert_send::<Box<dyn Strategy>>();
    assert_send::<Command>();
    assert_send::<Action>();
    assert_send::<Event>();
    assert_send::<Status>();
}

#[test]
fn a_scheduler_runs_on_another_thread() {
    let text = include_str!("../../scenarios/fleets/wingtip-demo.toml");
    let fleet = scheduler::fleet::Fleet::from_toml_str(text, "wingtip-demo.toml").expect("fleet");
    let strategy = scheduler::strategy::by_name("priority-pacing").expect("built in");
    let mut scheduler = Scheduler::new(fleet, strategy, scheduler::Config::default(), 0);
    let first = scheduler.poll_command();
    let handle = std::thread::spawn(move || {
        let second = scheduler.poll_command();
        (scheduler, second)
    });
    let (scheduler, second) = handle.join().expect("thread");
    assert!(first.is_some() && second.is_some());
    assert_eq!(scheduler.phase(), scheduler::Phase::Recovering);
}
