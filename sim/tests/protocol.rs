//! The simulator speaks ARM through the shared protocol: answers lost on
//! the wire, throttled polls, and the model's restore count.

use sim::runner::{RunOutput, Runner};

mod common;

use common::scenario;

fn run(name: &str, strategy: &str, tweak: impl FnOnce(&mut sim::runner::RunSettings)) -> RunOutput {
    let s = scenario(name);
    let mut settings = s.settings(1);
    tweak(&mut settings);
    let strategy =
        scheduler::strategy::build(strategy, &s.file.strategy.knobs()).expect("strategy");
    Runner::new(s.fleet.clone(), strategy, settings)
        .expect("runner")
        .run()
        .expect("run")
}

/// A third of ARM's answers never reach the client, though ARM acted on
/// the request. Repeated restores are answered "already exists / in
/// progress", which the scheduler follows instead of failing the tenant:
/// every tenant still comes online, and the model started exactly one
/// restore per database.
#[test]
fn lost_answers_never_start_a_second_restore_nor_fail_a_tenant() {
    let out = run("wingtip-demo", "priority-pacing", |s| {
        s.lost_answer_share = 0.3;
    });
    let status = out.scheduler.status();
    assert!(
        out.recorder.lost_answers > 10,
        "{}",
        out.recorder.lost_answers
    );
    assert_eq!(status.online_in_recovery, 20, "{status:?}");
    assert_eq!(status.failed, 0, "{:?}", out.scheduler.failures());
    assert!(
        out.scheduler.failures().is_empty(),
        "{:?}",
        out.scheduler.failures()
    );
    assert!(status.blocked.is_empty(), "{:?}", status.blocked);
    let stats = out.model.stats();
    // 20 tenants and the catalog, each restored once.
    assert_eq!(stats.restores_accepted, 21, "{stats:?}");
    assert_eq!(stats.restores_succeeded, 21, "{stats:?}");
}

/// With a read bucket a fraction of ARM's, polls are throttled: they wait
/// their Retry-After and go on; no tenant fails for it.
#[test]
fn throttled_polls_slow_down_and_never_fail_a_tenant() {
    let out = run("saas-1k", "priority-pacing", |s| {
        s.params.arm_reads.capacity = 5;
        s.params.arm_reads.refill_per_s = 1;
    });
    let stats = out.model.stats();
    let reads = sim::arm::OpClass::Reads;
    assert!(
        stats.throttled_of(reads) > 0,
        "no read was throttled: {stats:?}"
    );
    let status = out.scheduler.status();
    assert_eq!(status.failed + status.online_in_recovery, status.tenants);
    let permanent = out.model.stats().restores_failed_permanent as usize;
    assert_eq!(status.failed, permanent, "{:?}", out.scheduler.failures());
}

/// Lost answers on a larger estate, where creations take minutes: a
/// resent server or pool PUT meets "another operation in progress" (its
/// own lost request) and follows it instead of giving up.
#[test]
fn lost_answers_during_a_large_recovery_block_nothing() {
    let out = run("saas-1k", "priority-pacing", |s| {
        s.lost_answer_share = 0.1;
    });
    let status = out.scheduler.status();
    assert!(status.blocked.is_empty(), "{:?}", status.blocked);
    let stats = out.model.stats();
    let permanent = stats.restores_failed_permanent as usize;
    assert_eq!(
        out.scheduler.failures().len(),
        permanent,
        "{:?}",
        out.scheduler.failures()
    );
    assert_eq!(status.online_in_recovery + status.failed, status.tenants);
    // Every accepted restore ended exactly once, and each tenant online
    // (and the catalog) was restored once.
    assert_eq!(stats.restores_accepted, stats.restores_ended(), "{stats:?}");
    assert_eq!(
        stats.restores_succeeded as usize,
        status.online_in_recovery + 1,
        "{stats:?}"
    );
}

/// At a loss rate where many creations lose their answer, no step is
/// blocked on "another operation in progress": a resent PUT that meets
/// its own lost request follows it.
#[test]
fn a_resent_creation_follows_its_own_lost_request() {
    let out = run("saas-1k", "priority-pacing", |s| {
        s.lost_answer_share = 0.3;
    });
    let status = out.scheduler.status();
    assert!(status.blocked.is_empty(), "{:?}", status.blocked);
    assert!(
        !out.scheduler
            .failures()
            .iter()
            .any(|f| f.reason.contains("AnotherOperationInProgress")),
        "{:?}",
        out.scheduler.failures()
    );
}

/// Repatriation with lost answers: a geo-secondary PUT, a rename or a
/// planned failover whose answer was lost is followed (the secondary
/// exists; the database is read back under its new name; the failover
/// reads its replication link again, and a link already primary means it
/// is done) instead of leaving the tenant in recovery.
#[test]
fn lost_answers_during_repatriation_keep_replicas_and_renames() {
    let out = run("repatriation", "priority-pacing", |s| {
        s.lost_answer_share = 0.1;
    });
    assert!(
        out.recorder.lost_answers > 100,
        "{}",
        out.recorder.lost_answers
    );
    for failure in out.scheduler.failures() {
        assert!(
            !failure.reason.contains("ReplicateToOrigin")
                && !failure.reason.contains("RenameOriginCopy")
                && !failure.reason.contains("Failover"),
            "{failure:?}"
        );
    }
    let status = out.scheduler.status();
    assert_eq!(format!("{:?}", status.phase), "Repatriated");
    assert!(
        status
            .blocked
            .iter()
            .all(|b| !b.contains("ReplicateCatalogToOrigin") && !b.contains("RenameOriginCatalog")),
        "{:?}",
        status.blocked
    );
}

/// A driver killed at many points of a recovery (with and without its last
/// request reaching ARM) and resumed from what it observes: every tenant
/// ends online once, in recovery, routed there in the catalog, and the
/// model restored each database once (every accepted restore ended once;
/// restores that succeeded = tenants online + the catalog).
#[test]
fn a_crashed_run_resumes_with_one_restore_per_database() {
    for (name, points) in [
        ("wingtip-demo", &[3_u64, 10, 25, 40, 60, 90][..]),
        ("saas-1k", &[50, 400, 1_500, 3_000][..]),
    ] {
        for &after in points {
            for reached in [false, true] {
                let s = scenario(name);
                let settings = s.settings(1);
                let knobs = s.file.strategy.knobs();
                let strategy =
                    || scheduler::strategy::build("priority-pacing", &knobs).expect("strategy");
                let out = Runner::new(s.fleet.clone(), strategy(), settings)
                    .expect("runner")
                    .run_with_crash(after, reached, strategy())
                    .unwrap_or_else(|e| panic!("{name} after {after} ({reached}): {e}"));
                let status = out.scheduler.status();
                let stats = out.model.stats();
                let at = format!("{name}, crash after {after} commands, reached {reached}");
                assert_eq!(
                    format!("{:?}", status.phase),
                    "Recovered",
                    "{at}: {status:?}"
                );
                assert_eq!(
                    status.online_in_recovery + status.failed,
                    status.tenants,
                    "{at}: {status:?}"
                );
                assert_eq!(
                    status.failed,
                    stats.restores_failed_permanent as usize,
                    "{at}: {:?}",
                    out.scheduler.failures()
                );
                assert_eq!(
                    stats.restores_accepted,
                    stats.restores_ended(),
                    "{at}: {stats:?}"
                );
                assert_eq!(
                    stats.restores_succeeded as usize,
                    status.online_in_recovery + 1,
                    "{at}: {stats:?}"
                );
                // Resumed from what it observed, not from scratch: past the
                // preparation, nothing observed is sent again (a fresh
                // start would re-send every restore and get ~1,000 409s).
                if name == "saas-1k" && after >= 400 {
                    let writes = stats.requests_of(sim::arm::OpClass::Writes);
                    assert!(stats.rejected <= 5, "{at}: {stats:?}");
                    assert!(writes <= 1_060, "{at}: {writes} writes");
                }
            }
        }
    }
}
