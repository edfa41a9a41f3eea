//! Model tests: the published limits hold, responses are Azure-like, and the
//! model is deterministic and independent of how the caller steps time.

use sim::codes;
use sim::{
    ArmRequest, ArmResponse, AzureModel, CatalogAction, DbRef, DbState, ModelEvent, ModelEventKind,
    ModelParams, OpClass, OpHandle, OpStatus, QueueId, Region,
};

const RECOVERY: &str = "tenants1-recovery";
const ORIGIN: &str = "tenants1";

fn model_with(params: ModelParams, seed: u64) -> AzureModel {
    AzureModel::new(params, seed, 0.5).expect("valid params")
}

/// Advances event by event until the model is idle.
fn run_until_idle(model: &mut AzureModel) -> Vec<ModelEvent> {
    let mut out = Vec::new();
    model.advance_until_idle(&mut out);
    out
}

fn accepted(r: ArmResponse) -> OpHandle {
    match r {
        ArmResponse::Accepted { operation } => operation,
        other => panic!("expected Accepted, got {other:?}"),
    }
}

fn rejected_code(r: &ArmResponse) -> Option<(u16, &'static str)> {
    match r {
        ArmResponse::Rejected { status, code, .. } => Some((*status, *code)),
        _ => None,
    }
}

/// A ready recovery server with `pools` ready pools named `pool0..`.
fn setup(model: &mut AzureModel, pools: usize) -> u64 {
    let now = model.now_ms();
    accepted(model.submit(
        now,
        ArmRequest::CreateServer {
            server: RECOVERY.into(),
            region: Region::Recovery,
        },
    ));
    run_until_idle(model);
    let now = model.now_ms();
    for i in 0..pools {
        accepted(model.submit(
            now,
            ArmRequest::CreateElasticPool {
                server: RECOVERY.into(),
                pool: format!("pool{i}").into(),
            },
        ));
    }
    run_until_idle(model);
    model.now_ms()
}

fn add_sources(model: &mut AzureModel, n: usize) {
    for i in 0..n {
        model
            .add_recoverable_database(ORIGIN, &format!("db{i}"), 1.0 + (i % 7) as f64)
            .expect("new source");
    }
}

fn restore(i: usize, pool: Option<&str>) -> ArmRequest {
    ArmRequest::RestoreDatabase {
        server: RECOVERY.into(),
        name: format!("db{i}").into(),
        pool: pool.map(Into::into),
        source: DbRef {
            server: ORIGIN.into(),
            name: format!("db{i}").into(),
        },
    }
}

fn terminal(events: &[ModelEvent]) -> usize {
    events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                ModelEventKind::OperationSucceeded { .. }
                    | ModelEventKind::OperationFailed { .. }
                    | ModelEventKind::OperationCanceled { .. }
            )
        })
        .count()
}

fn max_processing(model: &AzureModel, queue: QueueId) -> u32 {
    model
        .stats()
        .queue_samples
        .iter()
        .filter(|s| s.queue == queue)
        .map(|s| s.processing)
        .max()
        .unwrap_or(0)
}

#[test]
fn never_more_than_four_restores_processing_per_pool() {
    let mut m = model_with(ModelParams::default(), 1);
    let now = setup(&mut m, 2);
    add_sources(&mut m, 60);
    for i in 0..60 {
        let pool = if i % 2 == 0 { "pool0" } else { "pool1" };
        accepted(m.submit(now, restore(i, Some(pool))));
    }
    let p0 = m.pool_id(RECOVERY, "pool0").expect("pool0");
    let p1 = m.pool_id(RECOVERY, "pool1").expect("pool1");
    assert_eq!(m.queue_occupancy(QueueId::Pool(p0)), Some((4, 26)));
    let events = run_until_idle(&mut m);

    // Replay the event log: processing count per pool never exceeds 4.
    let mut in_flight = std::collections::BTreeMap::new();
    let mut queue_of = std::collections::BTreeMap::new();
    for e in &events {
        match e.kind {
            ModelEventKind::RestoreStarted { operation, queue } => {
                queue_of.insert(operation, queue);
                let n = in_flight.entry(queue).or_insert(0u32);
                *n += 1;
                assert!(*n <= 4, "{queue:?} has {n} processing at {}", e.at_ms);
            }
            ModelEventKind::OperationSucceeded { operation }
            | ModelEventKind::OperationFailed { operation, .. } => {
                if let Some(q) = queue_of.get(&operation) {
                    *in_flight.entry(*q).or_insert(0) -= 1;
                }
            }
            _ => {}
        }
    }
    assert_eq!(max_processing(&m, QueueId::Pool(p0)), 4);
    assert_eq!(max_processing(&m, QueueId::Pool(p1)), 4);
    assert_eq!(terminal(&events), 60, "every restore finished");
    assert_eq!(m.queue_occupancy(QueueId::Pool(p0)), Some((0, 0)));
    let s = m.stats();
    assert_eq!(s.restores_accepted, 60);
    assert_eq!(
        s.restores_succeeded + s.restores_failed_transient + s.restores_failed_permanent,
        60
    );
    assert_eq!(s.restore_durations_ms.len(), 60);
}

#[test]
fn standalone_restores_30_processing_and_100_submitted_per_subscription() {
    let mut m = model_with(ModelParams::default(), 2);
    let now = setup(&mut m, 0);
    add_sources(&mut m, 120);
    let mut refused = 0;
    for i in 0..120 {
        let r = m.submit(now, restore(i, None));
        if i < 100 {
            accepted(r);
        } else {
            assert_eq!(rejected_code(&r), Some((409, codes::RESTORE_QUEUE_FULL)));
            refused += 1;
        }
    }
    assert_eq!(refused, 20);
    assert_eq!(m.queue_occupancy(QueueId::Standalone), Some((30, 70)));
    run_until_idle(&mut m);
    assert_eq!(max_processing(&m, QueueId::Standalone), 30);
    assert_eq!(m.stats().rejected, 20);
}

#[test]
fn pool_queue_refuses_beyond_2000_submitted() {
    let params = ModelParams {
        max_databases_per_pool: 5_000,
        arm_writes: sim::BucketParams {
            capacity: 10_000,
            refill_per_s: 10,
        },
        restore_transient_failure_prob: 0.0,
        restore_permanent_failure_prob: 0.0,
        ..ModelParams::default()
    };
    let mut m = model_with(params, 3);
    let now = setup(&mut m, 1);
    add_sources(&mut m, 2_002);
    for i in 0..2_000 {
        accepted(m.submit(now, restore(i, Some("pool0"))));
    }
    let r = m.submit(now, restore(2_000, Some("pool0")));
    assert_eq!(rejected_code(&r), Some((409, codes::RESTORE_QUEUE_FULL)));
    let pool = QueueId::Pool(m.pool_id(RECOVERY, "pool0").expect("pool"));
    assert_eq!(m.queue_occupancy(pool), Some((4, 1_996)));
    // Once one restore finishes, there is room for one more. (Collect the
    // start events first: until then the next event time is "now".)
    assert_eq!(m.next_event_time(), Some(now));
    m.advance(now);
    let first_done = m.next_event_time().expect("timers pending");
    m.advance(first_done);
    assert_eq!(m.queue_occupancy(pool), Some((4, 1_995)));
    accepted(m.submit(first_done, restore(2_000, Some("pool0"))));
    let r = m.submit(first_done, restore(2_001, Some("pool0")));
    assert_eq!(rejected_code(&r), Some((409, codes::RESTORE_QUEUE_FULL)));
}

#[test]
fn empty_bucket_answers_429_with_correct_retry_after() {
    let mut m = model_with(ModelParams::default(), 4);
    let t0 = 1_000;
    for i in 0..200 {
        accepted(m.submit(
            t0,
            ArmRequest::SetEndpointStatus {
                endpoint: format!("ep{i}").into(),
                enabled: true,
            },
        ));
    }
    assert_eq!(m.ratelimit_remaining(OpClass::Writes, t0), 0);
    let r = m.submit(
        t0,
        ArmRequest::CreateWebApp {
            name: "app".into(),
            region: Region::Recovery,
        },
    );
    // 10 tokens/s: one token in 100 ms; Retry-After rounds up to 1 s.
    assert_eq!(
        r,
        ArmResponse::Throttled {
            retry_after_ms: 100,
            retry_after_s: 1
        }
    );
    // Sent before the announced second is over: not processed, a fresh
    // Retry-After to the same moment, counted as throttled, even once a
    // token is back (100 ms).
    let web_app = || ArmRequest::CreateWebApp {
        name: "app".into(),
        region: Region::Recovery,
    };
    assert_eq!(
        m.submit(t0 + 60, web_app()),
        ArmResponse::Throttled {
            retry_after_ms: 940,
            retry_after_s: 1
        }
    );
    assert_eq!(
        m.submit(t0 + 100, web_app()),
        ArmResponse::Throttled {
            retry_after_ms: 900,
            retry_after_s: 1
        }
    );
    assert_eq!(m.stats().throttled_of(OpClass::Writes), 3);
    // The two sent before the announced second was over are recorded as
    // early; the first 429 was not.
    assert_eq!(m.stats().early, [0, 2, 0]);
    // At the Retry-After time it is processed.
    accepted(m.submit(t0 + 1_000, web_app()));
    assert_eq!(m.stats().early, [0, 2, 0]);
    // Reads and deletes have their own buckets.
    for _ in 0..250 {
        let r = m.submit(
            t0 + 100,
            ArmRequest::GetOperation {
                operation: OpHandle(0),
            },
        );
        assert!(matches!(r, ArmResponse::Operation { .. }), "{r:?}");
    }
    let r = m.submit(
        t0 + 100,
        ArmRequest::GetOperation {
            operation: OpHandle(0),
        },
    );
    assert_eq!(
        r,
        ArmResponse::Throttled {
            retry_after_ms: 40,
            retry_after_s: 1
        }
    );
    let r = m.submit(
        t0 + 100,
        ArmRequest::DeleteDatabase {
            server: "nope".into(),
            name: "x".into(),
        },
    );
    assert_eq!(r, ArmResponse::Completed);
    // Catalog updates are SQL calls: no token.
    accepted(m.submit(
        t0 + 100,
        ArmRequest::CatalogUpdate {
            tenant: "t".into(),
            action: CatalogAction::MarkOffline,
        },
    ));
    let s = m.stats();
    assert_eq!(s.requests_of(OpClass::Writes), 204);
    assert_eq!(s.throttled_of(OpClass::Writes), 3);
    assert_eq!(s.requests_of(OpClass::Reads), 251);
    assert_eq!(s.throttled_of(OpClass::Reads), 1);
    assert_eq!(s.requests_of(OpClass::Deletes), 1);
    assert_eq!(s.sql_requests, 1);
}

/// A small recovery: returns the full event log and the drawn durations.
fn scenario(seed: u64) -> (Vec<ModelEvent>, Vec<u64>, Vec<ArmResponse>) {
    let mut m = model_with(ModelParams::default(), seed);
    let mut responses = Vec::new();
    let now = setup(&mut m, 3);
    add_sources(&mut m, 40);
    for i in 0..40 {
        let pool = format!("pool{}", i % 3);
        responses.push(m.submit(now + i as u64 * 50, restore(i, Some(&pool))));
    }
    let mut events = run_until_idle(&mut m);
    responses.push(m.submit(
        m.now_ms(),
        ArmRequest::ListDatabases {
            server: RECOVERY.into(),
        },
    ));
    events.extend(m.advance(u64::MAX));
    (events, m.stats().restore_durations_ms.clone(), responses)
}

#[test]
fn same_seed_same_events_different_seed_different_durations() {
    let a = scenario(11);
    let b = scenario(11);
    assert_eq!(a.0, b.0);
    assert_eq!(a.1, b.1);
    assert_eq!(a.2, b.2);
    let c = scenario(12);
    assert_ne!(a.1, c.1);
    assert_ne!(a.0, c.0);
}

#[test]
fn stepping_time_finely_or_coarsely_gives_the_same_events() {
    let build = || {
        let mut m = model_with(ModelParams::default(), 5);
        let now = setup(&mut m, 2);
        add_sources(&mut m, 20);
        for i in 0..20 {
            let pool = format!("pool{}", i % 2);
            accepted(m.submit(now, restore(i, Some(&pool))));
        }
        m
    };
    let mut coarse = build();
    let coarse_events = coarse.advance(u64::MAX);
    let mut fine = build();
    let mut fine_events = Vec::new();
    let mut t = fine.now_ms();
    while fine.next_event_time().is_some() {
        t += 60_000;
        fine.advance_into(t, &mut fine_events);
    }
    assert_eq!(coarse_events, fine_events);
    assert_eq!(coarse.stats(), fine.stats());
}

#[test]
fn a_database_draws_do_not_depend_on_other_components() {
    // db5's restore duration is the same whether or not other databases
    // were added and restored before it.
    let alone = {
        let mut m = model_with(ModelParams::default(), 9);
        let now = setup(&mut m, 1);
        m.add_recoverable_database(ORIGIN, "db5", 3.0)
            .expect("source");
        accepted(m.submit(now, restore(5, Some("pool0"))));
        m.stats().restore_durations_ms.clone()
    };
    let crowded = {
        let mut m = model_with(ModelParams::default(), 9);
        let now = setup(&mut m, 2);
        for i in 0..5 {
            m.add_recoverable_database(ORIGIN, &format!("db{i}"), 50.0)
                .expect("source");
            accepted(m.submit(now, restore(i, Some("pool1"))));
        }
        m.add_recoverable_database(ORIGIN, "db5", 3.0)
            .expect("source");
        accepted(m.submit(now, restore(5, Some("pool0"))));
        m.stats().restore_durations_ms.clone()
    };
    assert_eq!(alone.last(), crowded.last());
}

#[test]
fn deleting_a_restoring_database_cancels_it_and_frees_the_slot() {
    let params = ModelParams {
        restore_transient_failure_prob: 0.0,
        restore_permanent_failure_prob: 0.0,
        ..ModelParams::default()
    };
    let mut m = model_with(params, 6);
    let now = setup(&mut m, 1);
    add_sources(&mut m, 6);
    let ops: Vec<OpHandle> = (0..6)
        .map(|i| accepted(m.submit(now, restore(i, Some("pool0")))))
        .collect();
    let pool = QueueId::Pool(m.pool_id(RECOVERY, "pool0").expect("pool"));
    assert_eq!(m.queue_occupancy(pool), Some((4, 2)));
    assert_eq!(
        m.database(RECOVERY, "db5").map(|d| d.state),
        Some(DbState::RestoreQueued)
    );
    m.advance(now);
    // Delete a processing one: canceled; db4 (first waiting) starts at once.
    let del = ArmRequest::DeleteDatabase {
        server: RECOVERY.into(),
        name: "db0".into(),
    };
    accepted(m.submit(now + 10, del));
    let events = m.advance(now + 10);
    assert!(events.contains(&ModelEvent {
        at_ms: now + 10,
        kind: ModelEventKind::OperationCanceled { operation: ops[0] },
    }));
    assert!(events.contains(&ModelEvent {
        at_ms: now + 10,
        kind: ModelEventKind::RestoreStarted {
            operation: ops[4],
            queue: pool,
        },
    }));
    assert_eq!(m.queue_occupancy(pool), Some((4, 1)));
    // Delete a waiting one: canceled, never starts.
    accepted(m.submit(
        now + 20,
        ArmRequest::DeleteDatabase {
            server: RECOVERY.into(),
            name: "db5".into(),
        },
    ));
    assert_eq!(m.queue_occupancy(pool), Some((4, 0)));
    let rest = m.advance(u64::MAX);
    assert!(!rest.iter().any(|e| matches!(
        e.kind,
        ModelEventKind::RestoreStarted { operation, .. } if operation == ops[5]
    )));
    assert_eq!(m.operation_status(ops[0]), Some(OpStatus::Canceled));
    assert_eq!(m.operation_status(ops[5]), Some(OpStatus::Canceled));
    assert_eq!(m.operation_status(ops[1]), Some(OpStatus::Succeeded));
    assert_eq!(m.database(RECOVERY, "db0"), None);
    assert_eq!(
        m.database(RECOVERY, "db1").map(|d| d.state),
        Some(DbState::Online)
    );
    assert_eq!(m.stats().restores_canceled, 2);
}

#[test]
fn bad_requests_are_rejected_with_azure_like_codes() {
    let mut m = model_with(ModelParams::default(), 7);
    add_sources(&mut m, 2);
    let r = m.submit(0, restore(0, Some("pool0")));
    assert_eq!(
        rejected_code(&r),
        Some((404, codes::PARENT_RESOURCE_NOT_FOUND))
    );
    accepted(m.submit(
        0,
        ArmRequest::CreateServer {
            server: RECOVERY.into(),
            region: Region::Recovery,
        },
    ));
    let r = m.submit(0, restore(0, None));
    assert_eq!(rejected_code(&r), Some((409, codes::RESOURCE_NOT_READY)));
    run_until_idle(&mut m);
    let now = m.now_ms();
    let r = m.submit(now, restore(0, Some("pool0")));
    assert_eq!(
        rejected_code(&r),
        Some((404, codes::ELASTIC_POOL_NOT_FOUND))
    );
    accepted(m.submit(
        now,
        ArmRequest::CreateElasticPool {
            server: RECOVERY.into(),
            pool: "pool0".into(),
        },
    ));
    let r = m.submit(now, restore(0, Some("pool0")));
    assert_eq!(rejected_code(&r), Some((409, codes::RESOURCE_NOT_READY)));
    let r = m.submit(now, restore(9, None));
    assert_eq!(rejected_code(&r), Some((404, codes::RESOURCE_NOT_FOUND)));
    accepted(m.submit(now, restore(0, None)));
    let r = m.submit(now, restore(0, None));
    assert_eq!(
        rejected_code(&r),
        Some((409, codes::DATABASE_ALREADY_EXISTS))
    );
    // The origin region is down: its resources answer 503.
    let r = m.submit(
        now,
        ArmRequest::ListDatabases {
            server: ORIGIN.into(),
        },
    );
    assert_eq!(rejected_code(&r), Some((503, codes::SERVICE_UNAVAILABLE)));
    let r = m.submit(
        now,
        ArmRequest::CreateServer {
            server: RECOVERY.into(),
            region: Region::Origin,
        },
    );
    assert_eq!(rejected_code(&r), Some((503, codes::SERVICE_UNAVAILABLE)));
    let r = m.submit(
        now,
        ArmRequest::GetOperation {
            operation: OpHandle(999),
        },
    );
    assert_eq!(rejected_code(&r), Some((404, codes::OPERATION_NOT_FOUND)));
    assert_eq!(m.stats().rejected, 9);
}

#[test]
fn setup_errors_are_reported_not_panicked() {
    let e = AzureModel::new(ModelParams::default(), 0, f64::NAN).err();
    assert!(matches!(e, Some(sim::ModelError::InvalidContention(_))));
    let bad = ModelParams {
        pool_restore_slots: 0,
        ..ModelParams::default()
    };
    assert!(AzureModel::new(bad, 0, 0.0).is_err());
    let mut m = model_with(ModelParams::default(), 0);
    assert!(m.add_recoverable_database("s", "d", -1.0).is_err());
    assert!(m.add_recoverable_database("s", "d", f64::INFINITY).is_err());
    assert!(m.add_recoverable_database("s", "d", 1.0).is_ok());
    assert!(m.add_recoverable_database("s", "d", 1.0).is_err());
}

#[test]
fn failures_transient_permanent_and_pool_shortage() {
    let transient = ModelParams {
        restore_transient_failure_prob: 1.0,
        restore_permanent_failure_prob: 0.0,
        ..ModelParams::default()
    };
    let mut m = model_with(transient, 8);
    let now = setup(&mut m, 1);
    add_sources(&mut m, 1);
    let op = accepted(m.submit(now, restore(0, Some("pool0"))));
    let events = run_until_idle(&mut m);
    assert!(events.iter().any(|e| e.kind
        == ModelEventKind::OperationFailed {
            operation: op,
            code: codes::INTERNAL_SERVER_ERROR,
            retryable: true
        }));
    // The failed database is gone: the same request can be sent again.
    assert_eq!(m.database(RECOVERY, "db0"), None);
    let now = m.now_ms();
    accepted(m.submit(now, restore(0, Some("pool0"))));

    let permanent = ModelParams {
        restore_permanent_failure_prob: 1.0,
        ..ModelParams::default()
    };
    let mut m = model_with(permanent, 8);
    let now = setup(&mut m, 1);
    add_sources(&mut m, 1);
    for _ in 0..2 {
        let now = m.now_ms().max(now);
        let op = accepted(m.submit(now, restore(0, Some("pool0"))));
        run_until_idle(&mut m);
        assert_eq!(
            m.operation_status(op),
            Some(OpStatus::Failed {
                code: codes::RESTORE_FAILED,
                retryable: false
            })
        );
    }

    let shortage = ModelParams {
        pool_create_failure_prob: 1.0,
        pool_create_shortage_delay_mean_ms: 600_000,
        ..ModelParams::default()
    };
    let mut m = model_with(shortage, 8);
    accepted(m.submit(
        0,
        ArmRequest::CreateServer {
            server: RECOVERY.into(),
            region: Region::Recovery,
        },
    ));
    run_until_idle(&mut m);
    let now = m.now_ms();
    let create = ArmRequest::CreateElasticPool {
        server: RECOVERY.into(),
        pool: "p".into(),
    };
    let op = accepted(m.submit(now, create.clone()));
    run_until_idle(&mut m);
    assert_eq!(
        m.operation_status(op),
        Some(OpStatus::Failed {
            code: codes::REGION_DOES_NOT_ALLOW_PROVISIONING,
            retryable: true
        })
    );
    let now = m.now_ms();
    let again = accepted(m.submit(now, create));
    assert_ne!(again, op);
    assert_eq!(m.operation_status(again), Some(OpStatus::InProgress));
}

#[test]
fn repatriation_alias_and_endpoint_flow() {
    let params = ModelParams {
        restore_transient_failure_prob: 0.0,
        restore_permanent_failure_prob: 0.0,
        ..ModelParams::default()
    };
    let mut m = model_with(params, 10);
    let now = setup(&mut m, 1);
    add_sources(&mut m, 1);
    accepted(m.submit(now, restore(0, Some("pool0"))));
    let alias = accepted(m.submit(
        now,
        ArmRequest::AcquireDnsAlias {
            alias: "catalog".into(),
            server: RECOVERY.into(),
        },
    ));
    let ep = accepted(m.submit(
        now,
        ArmRequest::SetEndpointStatus {
            endpoint: "app-recovery".into(),
            enabled: true,
        },
    ));
    let events = run_until_idle(&mut m);
    let done_at = |op| {
        events
            .iter()
            .find(|e| e.kind == ModelEventKind::OperationSucceeded { operation: op })
            .map(|e| e.at_ms)
    };
    let alias_ms = done_at(alias).expect("alias done") - now;
    assert!((1_000..=120_000).contains(&alias_ms), "{alias_ms}");
    let ep_ms = done_at(ep).expect("endpoint done") - now;
    assert!((1_000..=60_000).contains(&ep_ms), "{ep_ms}");
    assert_eq!(m.dns_alias_target("catalog"), Some(RECOVERY));
    assert_eq!(m.endpoint_enabled("app-recovery"), Some(true));

    // Outage over: the origin copy is deleted, a geo-secondary seeded there,
    // then a planned failover makes it primary again.
    let now = m.now_ms();
    m.set_origin_available(now, true);
    accepted(m.submit(
        now,
        ArmRequest::DeleteDatabase {
            server: ORIGIN.into(),
            name: "db0".into(),
        },
    ));
    let secondary = accepted(m.submit(
        now,
        ArmRequest::CreateSecondary {
            server: ORIGIN.into(),
            name: "db0".into(),
            pool: None,
            primary: DbRef {
                server: RECOVERY.into(),
                name: "db0".into(),
            },
        },
    ));
    assert_eq!(
        m.database(ORIGIN, "db0").map(|d| d.state),
        Some(DbState::Seeding)
    );
    let r = m.submit(
        now,
        ArmRequest::Failover {
            server: ORIGIN.into(),
            name: "db0".into(),
        },
    );
    assert_eq!(
        rejected_code(&r),
        Some((409, codes::INVALID_DATABASE_STATE))
    );
    run_until_idle(&mut m);
    assert_eq!(m.operation_status(secondary), Some(OpStatus::Succeeded));
    assert_eq!(
        m.database(ORIGIN, "db0").map(|d| d.state),
        Some(DbState::Secondary)
    );
    let now = m.now_ms();
    let fo = accepted(m.submit(
        now,
        ArmRequest::Failover {
            server: ORIGIN.into(),
            name: "db0".into(),
        },
    ));
    assert_eq!(
        m.database(RECOVERY, "db0").map(|d| d.state),
        Some(DbState::FailingOver)
    );
    run_until_idle(&mut m);
    assert_eq!(m.operation_status(fo), Some(OpStatus::Succeeded));
    assert_eq!(
        m.database(ORIGIN, "db0").map(|d| d.state),
        Some(DbState::Online)
    );
    assert_eq!(
        m.database(RECOVERY, "db0").map(|d| d.state),
        Some(DbState::Secondary)
    );
    // Cleaning up the recovery server drops its alias and its databases.
    let now = m.now_ms();
    accepted(m.submit(
        now,
        ArmRequest::DeleteServer {
            server: RECOVERY.into(),
        },
    ));
    assert_eq!(m.dns_alias_target("catalog"), None);
    assert_eq!(
        m.database(ORIGIN, "db0").map(|d| d.state),
        Some(DbState::Online)
    );
    assert!(m.source_backup_age_ms(ORIGIN, "db0").is_none());
}

#[test]
fn deleting_a_server_cancels_its_queued_and_processing_restores() {
    let mut m = model_with(ModelParams::default(), 13);
    let now = setup(&mut m, 1);
    add_sources(&mut m, 10);
    let ops: Vec<OpHandle> = (0..10)
        .map(|i| accepted(m.submit(now, restore(i, Some("pool0")))))
        .collect();
    m.advance(now);
    accepted(m.submit(
        now + 1,
        ArmRequest::DeleteServer {
            server: RECOVERY.into(),
        },
    ));
    let events = m.advance(u64::MAX);
    let started_late = events
        .iter()
        .filter(|e| matches!(e.kind, ModelEventKind::RestoreStarted { .. }))
        .count();
    assert_eq!(
        started_late, 0,
        "no queued restore started during the delete"
    );
    for op in ops {
        assert_eq!(m.operation_status(op), Some(OpStatus::Canceled));
    }
    assert_eq!(m.stats().restores_canceled, 10);
}

#[test]
fn backup_age_is_within_one_hour_and_reported() {
    let mut m = model_with(ModelParams::default(), 14);
    add_sources(&mut m, 200);
    for i in 0..200 {
        let age = m
            .source_backup_age_ms(ORIGIN, &format!("db{i}"))
            .expect("source");
        assert!(age <= 3_600_000);
    }
}

#[test]
fn deleting_a_pool_while_it_is_being_created_is_refused_as_transient() {
    let mut m = model_with(ModelParams::default(), 9);
    let t = setup(&mut m, 0);
    let create = accepted(m.submit(
        t,
        ArmRequest::CreateElasticPool {
            server: RECOVERY.into(),
            pool: "p".into(),
        },
    ));
    let delete = || ArmRequest::DeleteElasticPool {
        server: RECOVERY.into(),
        pool: "p".into(),
    };
    let r = m.submit(t + 1, delete());
    assert_eq!(
        rejected_code(&r),
        Some((409, codes::ANOTHER_OPERATION_IN_PROGRESS)),
        "{r:?}"
    );
    // The creation still ends well and the pool exists.
    let events = run_until_idle(&mut m);
    assert!(
        events
            .iter()
            .any(|e| e.kind == ModelEventKind::OperationSucceeded { operation: create }),
        "{events:?}"
    );
    assert!(m.pool_id(RECOVERY, "p").is_some());
    // Once it is ready, the delete goes through.
    let now = m.now_ms();
    assert!(matches!(
        m.submit(now, delete()),
        ArmResponse::Accepted { .. }
    ));
    assert!(m.pool_id(RECOVERY, "p").is_none());
}

/// Median of the restore processing times of `n` databases of `size_gb`
/// each, restored into one pool.
fn median_restore_ms(size_gb: f64, n: usize) -> f64 {
    let params = ModelParams {
        restore_transient_failure_prob: 0.0,
        restore_permanent_failure_prob: 0.0,
        ..ModelParams::default()
    };
    let mut m = model_with(params, 11);
    setup(&mut m, 1);
    for i in 0..n {
        m.add_recoverable_database(ORIGIN, &format!("db{i}"), size_gb)
            .expect("new source");
    }
    let mut now = m.now_ms();
    for i in 0..n {
        // Paced by the write bucket: wait when throttled.
        loop {
            match m.submit(now, restore(i, Some("pool0"))) {
                ArmResponse::Accepted { .. } => break,
                ArmResponse::Throttled { retry_after_ms, .. } => now += retry_after_ms,
                other => panic!("restore {i}: {other:?}"),
            }
        }
    }
    run_until_idle(&mut m);
    let mut d = m.stats().restore_durations_ms.clone();
    assert_eq!(d.len(), n, "every restore ran once");
    d.sort_unstable();
    d[n / 2] as f64
}

#[test]
fn restore_duration_grows_with_database_size_as_the_model_says() {
    let p = ModelParams::default();
    let n = 301;
    let (small, large, huge) = (
        median_restore_ms(1.0, n),
        median_restore_ms(50.0, n),
        median_restore_ms(400.0, n),
    );
    assert!(small < large && large < huge, "{small} {large} {huge}");
    // The medians follow `base + per_gb * size` (times the contention
    // factor, the same for all three), within sampling noise.
    let law = |gb: f64| p.restore_base_ms as f64 + p.restore_per_gb_ms as f64 * gb;
    for (got, gb) in [(large, 50.0), (huge, 400.0)] {
        let ratio = (got / small) / (law(gb) / law(1.0));
        assert!(
            (0.8..1.25).contains(&ratio),
            "{gb} GB: median {got} ms vs {small} ms at 1 GB; ratio to the law {ratio:.3}"
        );
    }
}

/// The restore-submission window counts every write-class request (429s
/// too) from the first geo-restore PUT to the last, and no read.
#[test]
fn submission_window_counts_writes_between_restore_puts() {
    let mut params = ModelParams::default();
    params.arm_writes.capacity = 6;
    params.arm_writes.refill_per_s = 1;
    let mut m = model_with(params, 7);
    add_sources(&mut m, 4);
    // Before the first restore PUT: a server and a pool (2 writes).
    let t0 = setup(&mut m, 1);
    assert_eq!(m.stats().submission.window(), None);
    accepted(m.submit(t0, restore(0, Some("pool0"))));
    // A read inside: not counted.
    let _ = m.submit(
        t0 + 500,
        ArmRequest::ListDatabases {
            server: RECOVERY.into(),
        },
    );
    // A web app (write) inside: counted.
    accepted(m.submit(
        t0 + 1_000,
        ArmRequest::CreateWebApp {
            name: "app".into(),
            region: Region::Recovery,
        },
    ));
    accepted(m.submit(t0 + 2_000, restore(1, Some("pool0"))));
    accepted(m.submit(t0 + 2_000, restore(2, Some("pool0"))));
    // Restore PUTs at the same instant until the bucket is empty: the
    // throttled one still counts.
    let mut throttled = 0;
    let mut sent = 0;
    loop {
        sent += 1;
        if let ArmResponse::Throttled { .. } = m.submit(t0 + 2_000, restore(3, Some("pool0"))) {
            throttled += 1;
            break;
        }
    }
    // After the last restore PUT: a write that is outside the window.
    let _ = m.submit(
        t0 + 9_000,
        ArmRequest::CreateWebApp {
            name: "app2".into(),
            region: Region::Recovery,
        },
    );
    let w = m.stats().submission.window().expect("a window");
    assert_eq!((w.first_ms, w.last_ms), (t0, t0 + 2_000));
    assert_eq!(w.restore_puts, 3 + sent);
    assert_eq!(w.writes, 4 + sent);
    assert_eq!(w.throttled_writes, throttled);
    assert_eq!(m.stats().requests_of(OpClass::Writes), 2 + 4 + sent + 1);
}
