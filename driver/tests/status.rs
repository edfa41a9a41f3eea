//! `Summary` read from a real journal, while its writer runs and after.

use driver::journal::{Journal, OperatorRequest, request_operator};
use driver::status::Summary;
use scheduler::arm::Response;
use scheduler::fleet::DbId;
use scheduler::{Notice, Phase, Region, Work};

mod common;

#[test]
fn summary_counts_tenants_per_tier_requests_429s_and_in_flight_urls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let scheduler = common::scheduler();
    let estate = scheduler.estate();
    let fleet = &estate.fleet;
    let tier_of = |db: u32| {
        fleet.tiers[usize::from(fleet.databases[db as usize].tier.0)]
            .name
            .clone()
    };
    let commands = common::commands();
    let arm: Vec<_> = commands
        .iter()
        .filter(|c| matches!(c.work, Work::Arm(_)))
        .take(5)
        .cloned()
        .collect();
    let catalog: Vec<_> = commands
        .iter()
        .filter(|c| matches!(c.work, Work::Catalog(_)))
        .take(2)
        .cloned()
        .collect();
    let mut journal = Journal::open(&path, &common::run_info()).expect("open");
    journal.record_intents(&arm).expect("intents");
    journal.record_intents(&catalog).expect("intents");
    let request = |i: usize| match &arm[i].work {
        Work::Arm(r) => r.clone(),
        Work::Catalog(_) => unreachable!(),
    };
    journal
        .record_response(arm[0].op, &request(0), &Response::new(429))
        .expect("429");
    journal.record_intent(&arm[0]).expect("retry");
    journal
        .record_response(
            arm[0].op,
            &request(0),
            &common::accepted("https://arm/op/zero"),
        )
        .expect("202");
    journal
        .record_response(arm[1].op, &request(1), &Response::new(200))
        .expect("200");
    journal.record_finished(arm[1].op);
    journal
        .record_transport_failure(arm[2].op, "timed out")
        .expect("failure");
    for c in &catalog {
        journal.record_finished(c.op);
    }
    let notices = [
        Notice::TenantOnline {
            db: DbId(0),
            region: Region::Recovery,
        },
        Notice::TenantFailed {
            db: DbId(1),
            reason: "restore failed: DatabaseRestoreFailed".into(),
        },
        // The latest notice of a tenant counts: 2 fails, then comes online.
        Notice::TenantFailed {
            db: DbId(2),
            reason: "transient".into(),
        },
        Notice::TenantOnline {
            db: DbId(2),
            region: Region::Recovery,
        },
        Notice::PhaseChanged {
            from: Phase::Recovering,
            to: Phase::Cancelling,
        },
        Notice::StepBlocked {
            what: "pool Pool1-recovery could not be created".into(),
        },
    ];
    for n in &notices {
        journal.record_notice(n, estate).expect("notice");
    }
    journal.flush().expect("flush");
    request_operator(&path, OperatorRequest::Cancel).expect("cancel");

    // While the writer holds the journal.
    let summary = Summary::read(&path).expect("summary");
    assert_eq!(
        summary.running.as_ref().map(|o| o.pid),
        Some(std::process::id())
    );
    assert_eq!(summary.fleet, "wingtip-demo");
    assert_eq!(summary.sessions, 1);
    assert_eq!(summary.phase, Some(Phase::Cancelling));
    assert!(summary.cancel_requested && !summary.repatriate_requested);
    assert_eq!(summary.requests_sent, 6, "5 requests and one retry");
    assert_eq!(summary.catalog_calls, 2);
    assert_eq!(summary.throttled, 1);
    assert_eq!(summary.transport_failures, 1);
    assert!(summary.last_activity_ms.is_some());
    assert_eq!(
        summary.blocked,
        vec!["pool Pool1-recovery could not be created".to_owned()]
    );
    let total: u64 = summary.tiers.iter().map(|t| t.tenants).sum();
    assert_eq!(total, 20);
    assert_eq!(summary.tiers.len(), 3);
    let online: u64 = summary.tiers.iter().map(|t| t.online_in_recovery).sum();
    let failed: u64 = summary.tiers.iter().map(|t| t.failed).sum();
    let in_progress: u64 = summary.tiers.iter().map(|t| t.in_progress).sum();
    assert_eq!((online, failed, in_progress), (2, 1, 17));
    let tier = summary
        .tiers
        .iter()
        .find(|t| t.name == tier_of(1))
        .expect("tier of db 1");
    assert!(tier.failed == 1);
    assert_eq!(summary.failed_tenants.len(), 1);
    assert_eq!(summary.failed_tenants[0].tenant, fleet.databases[1].tenant);
    assert!(
        summary.failed_tenants[0]
            .reason
            .contains("DatabaseRestoreFailed")
    );
    let ops: Vec<u64> = summary.in_flight.iter().map(|o| o.op).collect();
    let expected: Vec<u64> = [0, 2, 3, 4].iter().map(|&i| arm[i].op.0).collect();
    let mut sorted = ops.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, expected);
    let zero = summary
        .in_flight
        .iter()
        .find(|o| o.op == arm[0].op.0)
        .expect("op 0");
    assert_eq!(zero.status_url.as_deref(), Some("https://arm/op/zero"));
    assert!(
        zero.request.starts_with("PUT /subscriptions/") || zero.request.starts_with("PATCH "),
        "{}",
        zero.request
    );

    let text = summary.to_string();
    assert!(
        text.contains("phase     cancelling (cancel requested)"),
        "{text}"
    );
    assert!(text.contains("status https://arm/op/zero"), "{text}");
    assert!(
        text.contains(&format!("running   yes: pid {}", std::process::id())),
        "{text}"
    );
    let json = serde_json::to_value(&summary).expect("json");
    assert_eq!(json["throttled"], 1);

    // After the writer is gone.
    drop(journal);
    let after = Summary::read(&path).expect("summary");
    assert_eq!(after.running, None);
    assert_eq!(after.in_flight.len(), 4);
    assert!(after.to_string().contains("running   no"));
}
