//! The journal on real SQLite files: what is kept, what is refused, and
//! what a resume gets back.

mod common;

use driver::journal::{
    CatalogOutcome, Journal, JournalError, JournalReader, OperatorRequest, RunInfo,
    request_operator,
};
use scheduler::arm::{PollKind, Response};
use scheduler::resume::ObservedEstate;
use scheduler::{Action, Command, Work};

fn arm_commands(n: usize) -> Vec<Command> {
    let all: Vec<Command> = common::commands()
        .into_iter()
        .filter(|c| matches!(c.work, Work::Arm(_)))
        .collect();
    assert!(
        all.len() >= n,
        "the demo fleet gives {} ARM commands",
        all.len()
    );
    all.into_iter().take(n).collect()
}

fn request(c: &Command) -> &scheduler::arm::Request {
    match &c.work {
        Work::Arm(r) => r,
        Work::Catalog(_) => panic!("not an ARM command"),
    }
}

#[test]
fn unfinished_ops_come_back_with_the_status_url_of_their_latest_intent() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let cmds = arm_commands(4);
    {
        let mut j = Journal::open(&path, &common::run_info()).expect("open");
        assert_eq!(j.session(), 1);
        j.record_intents(&cmds).expect("intents");
        // 0: accepted with a status URL, still running.
        j.record_response(
            cmds[0].op,
            request(&cmds[0]),
            &common::accepted("https://arm/op/0"),
        )
        .expect("response");
        // 1: done and finished.
        j.record_response(cmds[1].op, request(&cmds[1]), &Response::new(200))
            .expect("response");
        j.record_finished(cmds[1].op);
        // 2: lost answer.
        j.record_transport_failure(cmds[2].op, "connection reset")
            .expect("failure");
        // 3: accepted, then sent again (a retry): the old URL is not its.
        j.record_response(
            cmds[3].op,
            request(&cmds[3]),
            &common::accepted("https://arm/op/3"),
        )
        .expect("response");
        j.record_intent(&cmds[3]).expect("retry intent");
        j.flush().expect("flush");
    }
    let reader = JournalReader::open(&path).expect("reader");
    let unfinished = reader.unfinished().expect("unfinished");
    let ops: Vec<_> = unfinished.iter().map(|u| u.op).collect();
    assert_eq!(ops, vec![cmds[0].op, cmds[2].op, cmds[3].op]);
    assert_eq!(unfinished[0].command, cmds[0]);
    let url = unfinished[0].status_url.as_ref().expect("status URL kept");
    assert_eq!(url.url, "https://arm/op/0");
    assert_eq!(url.kind, PollKind::AsyncOperation);
    assert_eq!(url.retry_after_ms, Some(10_000));
    assert_eq!(unfinished[1].status_url, None);
    assert_eq!(
        unfinished[2].status_url, None,
        "the retry has no answer yet"
    );

    let input = reader.resume_input().expect("resume input");
    let mut observed = ObservedEstate::new();
    input.apply_to(&mut observed);
    assert_eq!(observed.in_flight.len(), 3);
    assert_eq!(observed.in_flight[0].0, cmds[0]);
    assert!(!observed.cancel_requested);
}

#[test]
fn buffered_records_become_visible_with_the_next_intents() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let cmds = arm_commands(2);
    let mut j = Journal::open(&path, &common::run_info()).expect("open");
    j.record_intent(&cmds[0]).expect("intent");
    j.record_finished(cmds[0].op);
    assert_eq!(j.pending(), 1, "a finish is buffered");
    let reader = JournalReader::open(&path).expect("reader");
    assert_eq!(
        reader.unfinished().expect("read").len(),
        1,
        "not visible yet"
    );
    j.record_intent(&cmds[1]).expect("intent");
    assert_eq!(j.pending(), 0, "committed with the intent");
    let left: Vec<_> = reader
        .unfinished()
        .expect("read")
        .iter()
        .map(|u| u.op)
        .collect();
    assert_eq!(left, vec![cmds[1].op]);
}

#[test]
fn catalog_outcomes_and_unknown_ops() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let catalog: Command = common::commands()
        .into_iter()
        .find(|c| matches!(c.work, Work::Catalog(_)))
        .expect("a catalog call");
    let mut j = Journal::open(&path, &common::run_info()).expect("open");
    let err = j
        .record_catalog_outcome(catalog.op, &CatalogOutcome::Succeeded)
        .expect_err("no intent yet");
    assert!(matches!(err, JournalError::UnknownOp { .. }), "{err}");
    j.record_intent(&catalog).expect("intent");
    j.record_catalog_outcome(catalog.op, &CatalogOutcome::Succeeded)
        .expect("outcome");
    j.record_finished(catalog.op);
    j.flush().expect("flush");
    assert!(j.unfinished().expect("read").is_empty());
}

#[test]
fn a_journal_of_another_fleet_or_format_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    drop(Journal::open(&path, &common::run_info()).expect("create"));

    let other = RunInfo {
        fleet_sha256: "00".repeat(32),
        fleet_path: "other.toml".into(),
        ..common::run_info()
    };
    let err = Journal::open(&path, &other).expect_err("another fleet");
    assert!(matches!(err, JournalError::OtherFleet { .. }), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("wingtip-demo") && text.contains("other.toml"),
        "{text}"
    );

    let conn = rusqlite::Connection::open(&path).expect("raw open");
    conn.execute("UPDATE header SET format_version = 999", [])
        .expect("tamper");
    drop(conn);
    let err = Journal::open(&path, &common::run_info()).expect_err("another format");
    assert!(
        matches!(
            err,
            JournalError::Version {
                found_format: 999,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("999"), "{err}");
}

#[test]
fn a_file_that_is_not_a_journal_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(
        &garbage,
        b"this is not an SQLite database at all, not even close....",
    )
    .expect("write");
    let err = Journal::open(&garbage, &common::run_info()).expect_err("garbage");
    assert!(matches!(err, JournalError::Sqlite { .. }), "{err}");
    assert!(err.to_string().contains("garbage.sqlite"), "{err}");

    let empty = dir.path().join("empty.sqlite");
    rusqlite::Connection::open(&empty)
        .and_then(|c| c.execute_batch("CREATE TABLE t (x)"))
        .expect("other db");
    let err = JournalReader::open(&empty).expect_err("no header");
    assert!(matches!(err, JournalError::NotAJournal { .. }), "{err}");
    let err = request_operator(&empty, OperatorRequest::Cancel).expect_err("no header");
    assert!(matches!(err, JournalError::NotAJournal { .. }), "{err}");
    // Looking at someone else's database changed nothing in it.
    let mode: String = rusqlite::Connection::open(&empty)
        .and_then(|c| c.query_row("PRAGMA journal_mode", [], |r| r.get(0)))
        .expect("mode");
    assert_eq!(mode, "delete");

    let err = JournalReader::open(&dir.path().join("missing.sqlite")).expect_err("missing");
    assert!(matches!(err, JournalError::Missing { .. }), "{err}");
    assert!(
        !dir.path().join("missing.sqlite").exists(),
        "a reader creates nothing"
    );
}

#[test]
fn sessions_count_and_unfinished_ops_carry_over_to_the_next_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let cmds = arm_commands(2);
    {
        let mut j = Journal::open(&path, &common::run_info()).expect("open");
        j.record_intent(&cmds[0]).expect("intent");
        j.record_response(
            cmds[0].op,
            request(&cmds[0]),
            &common::accepted("https://arm/x"),
        )
        .expect("response");
    } // dropped: buffered records flushed
    let mut j = Journal::open(&path, &common::run_info()).expect("reopen");
    assert_eq!(j.session(), 2);
    assert_eq!(j.header().fleet_name, "wingtip-demo");
    let left = j.unfinished().expect("read");
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].session, 1);
    assert_eq!(
        left[0].status_url.as_ref().map(|t| t.url.as_str()),
        Some("https://arm/x")
    );
    // The same op id in session 2 is another operation.
    j.record_intent(&cmds[0]).expect("intent in session 2");
    j.record_finished(cmds[0].op);
    let left = j.unfinished().expect("read");
    assert_eq!(left.len(), 1, "session 1's op is still unfinished");
    assert_eq!(left[0].session, 1);
    // Once the resumed run is finished, session 1's leftovers are closed;
    // this session's unfinished ops are not touched.
    j.record_intent(&cmds[1]).expect("another op in session 2");
    assert_eq!(j.close_earlier_sessions().expect("close"), 1);
    assert_eq!(j.close_earlier_sessions().expect("again"), 0);
    let left: Vec<_> = j
        .unfinished()
        .expect("read")
        .iter()
        .map(|u| (u.session, u.op))
        .collect();
    assert_eq!(left, vec![(2, cmds[1].op)]);
}

#[test]
fn a_cancel_from_another_process_reaches_the_running_journal_and_the_resume() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let j = Journal::open(&path, &common::run_info()).expect("open");
    assert!(j.operator_requests(0).expect("read").is_empty());
    let record = request_operator(&path, OperatorRequest::Cancel).expect("cancel");
    let seen = j.operator_requests(0).expect("read");
    assert_eq!(seen, vec![record.clone()]);
    assert!(j.operator_requests(record.seq).expect("read").is_empty());
    let input = JournalReader::open(&path)
        .and_then(|r| r.resume_input())
        .expect("input");
    assert!(input.cancel_requested && !input.repatriate_requested);
    let err = request_operator(&dir.path().join("none.sqlite"), OperatorRequest::Cancel)
        .expect_err("no journal");
    assert!(matches!(err, JournalError::Missing { .. }), "{err}");
}

#[test]
fn the_resumed_scheduler_accepts_what_the_journal_gives() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let restore = common::commands()
        .into_iter()
        .find(|c| matches!(c.action, Action::RestoreDatabase { .. }))
        .expect("a restore");
    {
        let mut j = Journal::open(&path, &common::run_info()).expect("open");
        j.record_intent(&restore).expect("intent");
        j.record_response(
            restore.op,
            request(&restore),
            &common::accepted("https://arm/r"),
        )
        .expect("response");
    }
    let mut observed = ObservedEstate::new();
    JournalReader::open(&path)
        .and_then(|r| r.resume_input())
        .expect("input")
        .apply_to(&mut observed);
    assert_eq!(observed.in_flight.len(), 1);
    let strategy = scheduler::strategy::by_name("priority-pacing").expect("strategy");
    let resumed = scheduler::Scheduler::resume(
        common::fleet(),
        strategy,
        scheduler::Config::default(),
        0,
        &observed,
    );
    assert!(resumed.is_ok(), "{:?}", resumed.err());
}

#[test]
fn operator_requests_of_the_running_process_are_durable_and_resumed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let mut j = Journal::open(&path, &common::run_info()).expect("open");
    let record = j
        .record_operator_request(OperatorRequest::Repatriate)
        .expect("request");
    assert_eq!(record.request, OperatorRequest::Repatriate);
    assert_eq!(record.by_pid, std::process::id());
    let input = JournalReader::open(&path)
        .and_then(|r| r.resume_input())
        .expect("input");
    assert!(input.repatriate_requested && !input.cancel_requested);
}

#[test]
fn the_writer_can_move_to_another_thread() {
    fn send<T: Send>(_: &T) {}
    let dir = tempfile::tempdir().expect("tempdir");
    let j = Journal::open(&dir.path().join("j.sqlite"), &common::run_info()).expect("open");
    send(&j);
    std::thread::spawn(move || drop(j)).join().expect("thread");
}
