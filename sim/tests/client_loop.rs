//! A naive polling client driving the model through the event queue: the
//! shape of the simulator loop. Checks that polls cost read tokens, that 429s
//! are survivable by honouring Retry-After, and that the whole run is
//! deterministic.

use sim::{
    ArmRequest, ArmResponse, AzureModel, DbRef, EventQueue, ModelParams, OpClass, OpHandle,
    OpStatus, Region,
};

#[derive(Debug, Clone, Copy)]
enum Action {
    Submit(usize),
    Poll(usize, OpHandle),
}

#[derive(Debug, PartialEq)]
struct Outcome {
    end_ms: u64,
    online: usize,
    failed: usize,
    reads: u64,
    throttled_reads: u64,
    durations_ms: Vec<u64>,
}

const POLL_MS: u64 = 5_000;

fn run(seed: u64, tenants: usize, pools: usize) -> Outcome {
    let mut m = AzureModel::new(ModelParams::default(), seed, 0.0).expect("valid params");
    // Provision (directly: not what is under test here).
    m.submit(
        0,
        ArmRequest::CreateServer {
            server: "rec".into(),
            region: Region::Recovery,
        },
    );
    m.advance_until_idle(&mut Vec::new());
    let t = m.now_ms();
    for p in 0..pools {
        m.submit(
            t,
            ArmRequest::CreateElasticPool {
                server: "rec".into(),
                pool: format!("p{p}").into(),
            },
        );
    }
    m.advance_until_idle(&mut Vec::new());
    for i in 0..tenants {
        m.add_recoverable_database("org", &format!("t{i}"), (i % 13) as f64)
            .expect("source");
    }

    let start = m.now_ms();
    let mut client: EventQueue<Action> = EventQueue::new();
    for i in 0..tenants {
        client.push(start, Action::Submit(i));
    }
    let (mut online, mut failed) = (0, 0);
    let mut model_events = Vec::new();
    let mut end_ms = start;
    while let Some(t) = client.peek_time() {
        // The model's internal timers up to t happen first.
        m.advance_into(t, &mut model_events);
        let Some((now, action)) = client.pop() else {
            break;
        };
        end_ms = now;
        let request = match action {
            Action::Submit(i) => ArmRequest::RestoreDatabase {
                server: "rec".into(),
                name: format!("t{i}").into(),
                pool: Some(format!("p{}", i % pools).into()),
                source: DbRef {
                    server: "org".into(),
                    name: format!("t{i}").into(),
                },
            },
            Action::Poll(_, op) => ArmRequest::GetOperation { operation: op },
        };
        match (action, m.submit(now, request)) {
            (_, ArmResponse::Throttled { retry_after_s, .. }) => {
                client.push(now + retry_after_s * 1_000, action);
            }
            (Action::Submit(i), ArmResponse::Accepted { operation }) => {
                client.push(now + POLL_MS, Action::Poll(i, operation));
            }
            (Action::Poll(i, op), ArmResponse::Operation { status }) => match status {
                OpStatus::InProgress => client.push(now + POLL_MS, Action::Poll(i, op)),
                OpStatus::Succeeded => online += 1,
                OpStatus::Failed {
                    retryable: true, ..
                } => client.push(now, Action::Submit(i)),
                OpStatus::Failed { .. } | OpStatus::Canceled => failed += 1,
            },
            (a, r) => panic!("unexpected answer to {a:?}: {r:?}"),
        }
    }
    let s = m.stats();
    Outcome {
        end_ms,
        online,
        failed,
        reads: s.requests_of(OpClass::Reads),
        throttled_reads: s.throttled_of(OpClass::Reads),
        durations_ms: s.restore_durations_ms.clone(),
    }
}

#[test]
fn polling_client_recovers_everything_despite_read_throttling() {
    let a = run(21, 200, 20);
    assert_eq!(a.online + a.failed, 200);
    // 200 operations polled every 5 s is 40 reads/s against a 25/s refill.
    assert!(a.throttled_reads > 0, "{a:?}");
    assert!(a.reads > 200);
    // 200 restores over 20 pools x 4 slots: several waves of restores.
    assert!(a.end_ms > 3_600_000, "{}", a.end_ms);
    let b = run(21, 200, 20);
    assert_eq!(a, b);
    let c = run(22, 200, 20);
    assert_ne!(a.durations_ms, c.durations_ms);
}
