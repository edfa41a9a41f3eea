//! Notices tell a caller what happened without peeking at tenant states.

use scheduler::fleet::Fleet;
use scheduler::{Action, Config, Event, FailureKind, Notice, Phase, Region, Scheduler, strategy};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

/// Runs the demo fleet to the end, failing the restore of `fail` for good;
/// returns every notice in order.
fn run(fail: Option<&str>) -> (Scheduler, Vec<Notice>) {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut notices = Vec::new();
    let mut now = 0;
    while !s.status().finished {
        while let Some(command) = s.poll_command() {
            let failing = matches!(command.action, Action::RestoreDatabase { db, .. }
                if s.estate().database(db).map(|d| d.name.as_str()) == fail);
            s.handle(now, Event::Accepted { op: command.op })
                .expect("accepted");
            let outcome = if failing {
                Event::Failed {
                    op: command.op,
                    kind: FailureKind::Permanent,
                    reason: "SourceDatabaseNotFound".into(),
                }
            } else {
                Event::Succeeded { op: command.op }
            };
            s.handle(now, outcome).expect("outcome");
            notices.extend(std::iter::from_fn(|| s.poll_notice()));
        }
        match s.next_wakeup() {
            Some(at) => {
                now = now.max(at);
                s.handle(now, Event::Wakeup).expect("wakeup");
                notices.extend(std::iter::from_fn(|| s.poll_notice()));
            }
            None => break,
        }
    }
    (s, notices)
}

#[test]
fn every_tenant_is_announced_online_once_and_the_phase_change_last() {
    let (s, notices) = run(None);
    let online: Vec<_> = notices
        .iter()
        .filter_map(|n| match n {
            Notice::TenantOnline { db, region } => Some((*db, *region)),
            _ => None,
        })
        .collect();
    assert_eq!(online.len(), 20, "{notices:?}");
    assert!(online.iter().all(|(_, r)| *r == Region::Recovery));
    let mut dbs: Vec<_> = online.iter().map(|(db, _)| db.0).collect();
    dbs.sort_unstable();
    dbs.dedup();
    assert_eq!(dbs.len(), 20, "a tenant was announced twice");
    assert_eq!(
        notices.last(),
        Some(&Notice::PhaseChanged {
            from: Phase::Recovering,
            to: Phase::Recovered
        })
    );
    assert_eq!(s.status().online_in_recovery, 20);
}

#[test]
fn a_failed_tenant_is_announced_with_its_reason() {
    let (s, notices) = run(Some("dogwooddojo"));
    let failed: Vec<_> = notices
        .iter()
        .filter_map(|n| match n {
            Notice::TenantFailed { db, reason } => Some((s.estate().db_name(*db), reason.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(failed.len(), 1, "{notices:?}");
    assert!(failed[0].0.contains("dogwooddojo"), "{failed:?}");
    assert!(failed[0].1.contains("SourceDatabaseNotFound"), "{failed:?}");
    let online = notices
        .iter()
        .filter(|n| matches!(n, Notice::TenantOnline { .. }))
        .count();
    assert_eq!(online, 19);
}
