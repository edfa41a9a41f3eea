//! Crash safety: a real child process writes the journal flat out and is
//! killed with SIGKILL at random points; after each kill the journal must
//! open, be consistent, and hold every intent the child had reported
//! durable (the child prints an op only after `record_intents` returned,
//! i.e. where a driver would send the request). Before each kill, the
//! status summary is read while the child writes (WAL readers).

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use driver::journal::{CatalogOutcome, Journal, JournalReader};
use driver::status::Summary;
use scheduler::arm::Response;
use scheduler::{Command, OpId, Work};

mod common;

const ENV: &str = "GEORESTORE_TEST_CRASH_JOURNAL";
const ROUNDS: usize = 20;
/// Markers of the child's lines (libtest writes its own lines too).
const SESSION: &str = "@@crash-session ";
const SENT: &str = "@@crash-sent ";
/// A child left alone stops by itself after this long.
const CHILD_LIMIT: Duration = Duration::from_secs(20);

#[test]
#[ignore = "child process of journal_survives_kill_9_at_random_points (started by it)"]
fn crash_child_writer() {
    let Some(path) = std::env::var_os(ENV) else {
        return;
    };
    let mut journal = Journal::open(Path::new(&path), &common::run_info()).expect("open");
    let templates = common::commands();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "{SESSION}{}", journal.session()).expect("stdout");
    out.flush().expect("stdout");
    let start = Instant::now();
    let mut next = 0u64;
    while start.elapsed() < CHILD_LIMIT {
        let size = 1 + (next % 13);
        let batch: Vec<Command> = (next..next + size)
            .map(|op| {
                let mut c = templates[op as usize % templates.len()].clone();
                c.op = OpId(op);
                c
            })
            .collect();
        journal.record_intents(&batch).expect("intents");
        // Durable: this is where the requests would go out.
        writeln!(out, "{SENT}{} {}", next, next + size - 1).expect("stdout");
        out.flush().expect("stdout");
        for c in &batch {
            match &c.work {
                Work::Arm(request) => match c.op.0 % 3 {
                    0 => {
                        let url = format!("https://arm.test/operations/{}", c.op.0);
                        journal
                            .record_response(c.op, request, &common::accepted(&url))
                            .expect("response");
                    }
                    1 => {
                        journal
                            .record_response(c.op, request, &Response::new(200))
                            .expect("response");
                        journal.record_finished(c.op);
                    }
                    _ => journal
                        .record_transport_failure(c.op, "connection reset")
                        .expect("failure"),
                },
                Work::Catalog(_) => {
                    journal
                        .record_catalog_outcome(c.op, &CatalogOutcome::Succeeded)
                        .expect("outcome");
                    journal.record_finished(c.op);
                }
            }
        }
        if next.is_multiple_of(5) {
            journal.flush().expect("flush");
        }
        next += size;
    }
}

/// xorshift64*: the kill points, reproducible from the seed printed.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) % n
    }
}

/// Checks the journal after a kill: it opens, SQLite finds it intact,
/// every answer points at an intent, every intent the child reported sent
/// in `session` (the latest) is there, and every command parses back.
fn check(path: &Path, session: u32, sent: &[(u64, u64)]) {
    let reader = JournalReader::open(path).expect("the journal opens after kill -9");
    let conn = rusqlite::Connection::open(path).expect("raw open");
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(integrity, "ok");
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).expect(sql) };
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM outcomes o LEFT JOIN intents i ON i.seq = o.intent WHERE i.seq IS NULL"
        ),
        0,
        "an outcome without its intent"
    );
    assert_eq!(
        count(
            "SELECT COUNT(*) FROM status_urls u LEFT JOIN intents i ON i.seq = u.intent WHERE i.seq IS NULL"
        ),
        0,
        "a status URL without its intent"
    );
    assert_eq!(
        count("SELECT MAX(session) FROM sessions"),
        i64::from(session),
        "the killed child's session is the latest"
    );
    for &(first, last) in sent {
        let found: i64 = conn
            .query_row(
                "SELECT COUNT(DISTINCT op) FROM intents WHERE session = ?1 AND op BETWEEN ?2 AND ?3",
                rusqlite::params![session, first, last],
                |r| r.get(0),
            )
            .expect("count intents");
        assert_eq!(
            found as u64,
            last - first + 1,
            "session {session}: intents {first}..={last} were reported durable and are missing"
        );
    }
    reader
        .unfinished()
        .expect("every unfinished command parses");
}

#[test]
fn journal_survives_kill_9_at_random_points() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path: PathBuf = dir.path().join("crash.journal.sqlite");
    let seed = 0x9e37_79b9_7f4a_7c15;
    let mut rng = Rng(seed);
    let mut killed_while_writing = 0;
    let mut total_sent = 0;
    let mut last_session = 0;
    for round in 0..ROUNDS {
        let mut child = common::spawn_child("crash_child_writer", &[(ENV, &path)]);
        let stdout = child.stdout.take().expect("child stdout");
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        // Every fourth kill lands early: while the child starts, creates
        // or opens the journal, or right after.
        let early = round % 4 == 3;
        let mut lines = Vec::new();
        let delay = if early {
            Duration::from_micros(rng.below(40_000))
        } else {
            let deadline = Instant::now() + Duration::from_secs(30);
            loop {
                let left = deadline.saturating_duration_since(Instant::now());
                let line = rx
                    .recv_timeout(left)
                    .unwrap_or_else(|e| panic!("round {round}: the child did not start: {e}"));
                let started = line.contains(SESSION);
                lines.push(line);
                if started {
                    break;
                }
            }
            Duration::from_micros(rng.below(60_000))
        };
        std::thread::sleep(delay);
        if !early {
            // `georestore status` reads the journal while the child writes it.
            let summary = Summary::read(&path).expect("status while the child writes");
            assert_eq!(summary.running.map(|o| o.pid), Some(child.id()));
        }
        child.kill().expect("kill -9");
        let status = child.wait().expect("wait");
        reader.join().expect("reader");
        lines.extend(rx.try_iter());
        assert!(!status.success(), "round {round}: the child was not killed");
        let session: Option<u32> = lines.iter().find_map(|line| {
            let at = line.find(SESSION)?;
            line[at + SESSION.len()..].trim().parse().ok()
        });
        let sent: Vec<(u64, u64)> = lines
            .iter()
            .filter_map(|line| {
                let at = line.find(SENT)?;
                let mut parts = line[at + SENT.len()..].split_whitespace();
                Some((parts.next()?.parse().ok()?, parts.next()?.parse().ok()?))
            })
            .collect();
        if !sent.is_empty() {
            killed_while_writing += 1;
        }
        total_sent += sent.iter().map(|(a, b)| b - a + 1).sum::<u64>();
        // A child killed before it said which session it had has nothing
        // to check here; the next child (or the final open) must open it.
        if let Some(session) = session {
            check(&path, session, &sent);
            last_session = last_session.max(session);
        }
        eprintln!(
            "round {round}: killed after {delay:?}{}, session {session:?}, {} batches reported durable",
            if early { " from spawn" } else { "" },
            sent.len()
        );
    }
    // The kills must land in the middle of writing, not before it starts.
    assert!(
        killed_while_writing >= ROUNDS / 2,
        "only {killed_while_writing} of {ROUNDS} kills hit a writing child (seed {seed:#x})"
    );
    assert!(total_sent > 0);
    // And a writer takes over at once: no stale lock, no damage.
    let journal = Journal::open(&path, &common::run_info()).expect("reopen for writing");
    assert!(journal.session() > last_session);
}
