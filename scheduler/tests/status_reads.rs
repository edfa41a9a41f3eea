//! Status reads stay one chain per operation, whatever the lists show.

use std::collections::BTreeMap;

use scheduler::arm::{Method, Response};
use scheduler::fleet::Fleet;
use scheduler::{Action, Config, Event, Scheduler, Work, strategy};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

/// Restores are accepted (202 + Azure-AsyncOperation) and run for a long
/// time; the server's database list does not show them for one round (ARM
/// list lag), then shows them `Restoring`. Reads of each restore's status
/// URL per 10 s window must stay bounded (one chain per operation).
#[test]
fn status_reads_do_not_multiply_when_a_database_is_absent_from_a_list() {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut now = 0u64;
    // status reads per target op per 10-s window
    let mut reads: BTreeMap<u64, BTreeMap<u64, u32>> = BTreeMap::new();
    let mut lists = 0u32;
    let mut accepted: u64 = 0;
    for _ in 0..200_000 {
        while let Some(command) = s.poll_command() {
            let op = command.op;
            match command.work {
                Work::Catalog(_) => {
                    s.handle(now, Event::Succeeded { op }).expect("catalog");
                }
                Work::Arm(request) => {
                    let response = match command.action {
                        Action::RestoreDatabase { .. } if request.method == Method::Put => {
                            accepted += 1;
                            let url = format!(
                                "/subscriptions/s/providers/Microsoft.Sql/locations/x/databaseAzureAsyncOperation/{}?api-version=2023-08-01",
                                op.0
                            );
                            Response::from_wire(
                                202,
                                [
                                    ("Azure-AsyncOperation", url.as_str()),
                                    ("Retry-After", "10"),
                                ],
                                "",
                            )
                        }
                        Action::PollServer { .. } => {
                            lists += 1;
                            // First round after acceptance: nothing listed yet.
                            Response::from_wire(200, [], r#"{"value":[]}"#)
                        }
                        Action::PollOperation { target } => {
                            *reads
                                .entry(now / 10_000)
                                .or_default()
                                .entry(target.0)
                                .or_default() += 1;
                            Response::from_wire(
                                200,
                                [("Retry-After", "13")],
                                r#"{"status":"InProgress"}"#,
                            )
                        }
                        _ => {
                            let body = if request.method == Method::Put
                                && request.path.contains("/databases/")
                            {
                                r#"{"properties":{"status":"Online"}}"#
                            } else {
                                ""
                            };
                            Response::from_wire(200, [], body)
                        }
                    };
                    s.handle(now, Event::Response { op, response })
                        .expect("answer");
                }
            }
        }
        let Some(at) = s.next_wakeup() else { break };
        now = now.max(at);
        if now > 3_600_000 {
            break;
        }
        s.handle(now, Event::Wakeup).expect("wakeup");
    }
    let max_per_window = reads
        .values()
        .flat_map(|m| m.values().copied())
        .max()
        .unwrap_or(0);
    let last = reads
        .iter()
        .next_back()
        .map(|(w, m)| (*w, m.values().sum::<u32>(), m.len()));
    assert!(
        accepted >= 6 && lists > 100,
        "accepted {accepted}, lists {lists}"
    );
    assert!(last.is_some(), "the status URLs were never read");
    assert!(
        max_per_window <= 2,
        "one restore's status URL read {max_per_window} times in one 10 s window"
    );
}
