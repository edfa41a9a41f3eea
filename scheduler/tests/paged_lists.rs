//! A server's database list answered in one page, in pages of a few
//! entries (`nextLink`), or out of name order: the scheduler reads the same
//! thing from each, so the same tenants come online at the same times.
//! One page in name order takes the scheduler's one-page path; the others
//! take the general one (what real ARM pages, and the emulator, serve).

use std::collections::BTreeMap;

use scheduler::arm::{Method, Response};
use scheduler::fleet::Fleet;
use scheduler::{Action, Config, Event, Notice, Phase, Scheduler, Work, strategy};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

/// How the fake ARM answers a server's database list.
#[derive(Clone, Copy, Debug)]
enum Paging {
    /// One page, in name order.
    One,
    /// Pages of this many entries, in name order.
    Pages(usize),
    /// One page, in reverse name order.
    Reversed,
}

/// What a run showed: when each tenant came online, how many list pages
/// were read, restores sent, and status URLs read (a restore is looked up
/// only when no page of a round showed it).
struct Seen {
    online: BTreeMap<u32, u64>,
    pages: u32,
    restores: u32,
    status_reads: u32,
}

/// A restore of `name` accepted at `at` ends this long after (30 s to
/// 93 s, from the name), so restores end between list reads and in an
/// order unrelated to their names.
fn duration_ms(name: &str) -> u64 {
    let h = name
        .bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b)));
    30_000 + 7_000 * (h % 10)
}

fn run(paging: Paging) -> Seen {
    let fleet = Fleet::from_toml_str(DEMO, "wingtip-demo.toml").expect("demo fleet");
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut now = 0u64;
    // (server segment, database name) -> when its restore ends.
    let mut restores: BTreeMap<(String, String), u64> = BTreeMap::new();
    let mut seen = Seen {
        online: BTreeMap::new(),
        pages: 0,
        restores: 0,
        status_reads: 0,
    };
    for _ in 0..100_000 {
        while let Some(command) = s.poll_command() {
            let op = command.op;
            let request = match command.work {
                Work::Catalog(_) => {
                    s.handle(now, Event::Succeeded { op }).expect("catalog");
                    continue;
                }
                Work::Arm(request) => request,
            };
            let segments: Vec<&str> = request.path.split('/').collect();
            let server_of = |i: usize| segments.get(i).copied().unwrap_or_default().to_owned();
            let response = match command.action {
                Action::RestoreDatabase { .. } if request.method == Method::Put => {
                    // .../servers/{server}/databases/{name}
                    let n = segments.len();
                    let key = (server_of(n - 3), server_of(n - 1));
                    let ends = now + duration_ms(&key.1);
                    restores.entry(key).or_insert(ends);
                    seen.restores += 1;
                    let url = format!(
                        "/subscriptions/s/providers/Microsoft.Sql/locations/x/databaseAzureAsyncOperation/{}?api-version=2023-08-01",
                        op.0
                    );
                    Response::from_wire(202, [("Azure-AsyncOperation", url.as_str())], "")
                }
                Action::PollServer { .. } => {
                    seen.pages += 1;
                    // .../servers/{server}/databases
                    let server = server_of(segments.len() - 2);
                    let mut listed: Vec<String> = restores
                        .iter()
                        .filter(|((srv, _), _)| *srv == server)
                        .map(|((_, name), ends)| {
                            let status = if now >= *ends { "Online" } else { "Restoring" };
                            format!(r#"{{"name":"{name}","properties":{{"status":"{status}"}}}}"#)
                        })
                        .collect();
                    let skip: usize = request
                        .query
                        .split('&')
                        .find_map(|p| p.strip_prefix("$skiptoken="))
                        .map_or(0, |k| k.parse().expect("skiptoken"));
                    let (page, next) = match paging {
                        Paging::One => (listed, None),
                        Paging::Reversed => {
                            listed.reverse();
                            (listed, None)
                        }
                        Paging::Pages(size) => {
                            let end = (skip + size).min(listed.len());
                            let next = (end < listed.len()).then(|| {
                                format!(
                                    "https://management.azure.com{}?api-version=2023-08-01&$skiptoken={end}",
                                    request.path
                                )
                            });
                            (listed[skip.min(end)..end].to_vec(), next)
                        }
                    };
                    let next = next.map_or(String::new(), |n| format!(r#","nextLink":"{n}""#));
                    let body = format!(r#"{{"value":[{}]{next}}}"#, page.join(","));
                    Response::from_wire(200, [], &body)
                }
                Action::PollOperation { .. } => {
                    seen.status_reads += 1;
                    Response::from_wire(200, [("Retry-After", "13")], r#"{"status":"InProgress"}"#)
                }
                _ => {
                    let body =
                        if request.method == Method::Put && request.path.contains("/databases/") {
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
        while let Some(notice) = s.poll_notice() {
            if let Notice::TenantOnline { db, .. } = notice {
                assert!(
                    seen.online.insert(db.0, now).is_none(),
                    "{paging:?}: tenant {} online twice",
                    db.0
                );
            }
        }
        if s.phase() == Phase::Recovered {
            break;
        }
        let Some(at) = s.next_wakeup() else { break };
        now = now.max(at);
        s.handle(now, Event::Wakeup).expect("wakeup");
    }
    assert_eq!(s.phase(), Phase::Recovered, "{paging:?}");
    seen
}

#[test]
fn lists_in_pages_or_out_of_order_bring_tenants_online_when_one_page_does() {
    let one = run(Paging::One);
    let tenants = Fleet::from_toml_str(DEMO, "wingtip-demo.toml")
        .expect("demo fleet")
        .databases
        .len();
    assert_eq!(one.online.len(), tenants, "every tenant online once");
    // Restores end at different times, seen a list read or more later.
    let times: std::collections::BTreeSet<u64> = one.online.values().copied().collect();
    assert!(times.len() >= 5, "online times {times:?}");
    assert_eq!(one.restores as usize, tenants, "one restore per tenant");
    assert_eq!(one.status_reads, 0, "every restore was on its list");
    for paging in [
        Paging::Pages(1),
        Paging::Pages(2),
        Paging::Pages(3),
        Paging::Reversed,
    ] {
        let other = run(paging);
        assert_eq!(other.online, one.online, "{paging:?}");
        assert_eq!(other.restores, one.restores, "{paging:?}");
        assert_eq!(other.status_reads, one.status_reads, "{paging:?}");
        if let Paging::Pages(_) = paging {
            assert!(other.pages > one.pages, "{paging:?}: pages were read");
        }
    }
}
