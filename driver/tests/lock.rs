//! One writer per journal, across real processes: a second `recover` is
//! refused with the first one's pid, host and start time, and a writer
//! killed with SIGKILL leaves no stale lock.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use driver::journal::{Journal, JournalError};
use driver::lock::{self, LockError};

mod common;

const ENV: &str = "GEORESTORE_TEST_LOCK_JOURNAL";

#[test]
#[ignore = "child process of a_second_writer_is_refused_naming_the_first (started by it)"]
fn lock_child_try_open() {
    let Some(path) = std::env::var_os(ENV) else {
        return;
    };
    match Journal::open(Path::new(&path), &common::run_info()) {
        Ok(_) => println!("acquired"),
        Err(JournalError::Lock(err @ LockError::Held { .. })) => println!("refused: {err}"),
        Err(other) => println!("error: {other}"),
    }
}

#[test]
#[ignore = "child process of a_killed_writer_leaves_no_stale_lock (started by it)"]
fn lock_child_hold() {
    let Some(path) = std::env::var_os(ENV) else {
        return;
    };
    let _journal = Journal::open(Path::new(&path), &common::run_info()).expect("open");
    println!("locked {}", std::process::id());
    std::io::stdout().flush().expect("stdout");
    // Held until killed (or a bounded while, should the parent vanish).
    std::thread::sleep(Duration::from_secs(60));
}

#[test]
fn a_second_writer_is_refused_naming_the_first() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let journal = Journal::open(&path, &common::run_info()).expect("open");
    let output = common::spawn_child("lock_child_try_open", &[(ENV, &path)])
        .wait_with_output()
        .expect("child");
    let text = String::from_utf8_lossy(&output.stdout);
    let me = journal.lock().owner();
    assert!(text.contains("refused:"), "{text}");
    assert!(
        text.contains(&format!("pid {}", std::process::id())),
        "{text}"
    );
    assert!(text.contains(&format!("host {}", me.host)), "{text}");
    assert!(
        text.contains(&driver::format_unix_ms(me.started_at_ms)),
        "{text}"
    );
    drop(journal);
    let output = common::spawn_child("lock_child_try_open", &[(ENV, &path)])
        .wait_with_output()
        .expect("child");
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains("acquired"), "{text}");
}

#[test]
fn a_killed_writer_leaves_no_stale_lock() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("j.sqlite");
    let mut child = common::spawn_child("lock_child_hold", &[(ENV, &path)]);
    let pid = child.id();
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let line = lines.next().expect("child exited early").expect("read");
        if line.contains(&format!("locked {pid}")) {
            break;
        }
        assert!(Instant::now() < deadline, "child never locked");
    }
    assert_eq!(lock::holder(&path).map(|o| o.pid), Some(pid));
    match Journal::open(&path, &common::run_info()) {
        Err(JournalError::Lock(LockError::Held { owner, .. })) => assert_eq!(owner.pid, pid),
        other => panic!("expected a refusal naming pid {pid}, got {other:?}"),
    }
    child.kill().expect("kill -9");
    child.wait().expect("wait");
    assert_eq!(lock::holder(&path), None, "the kernel released the lock");
    let journal = Journal::open(&path, &common::run_info()).expect("taken over");
    assert_eq!(journal.session(), 2);
    assert_eq!(lock::holder(&path).map(|o| o.pid), Some(std::process::id()));
}
