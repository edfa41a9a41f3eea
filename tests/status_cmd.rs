//! `georestore status` on a journal written through the driver's API, in a
//! real process: text, `--json`, `--journal`, and a missing journal.

use std::path::Path;
use std::process::{Command, Output};

use driver::journal::{Journal, RunInfo, default_path};
use scheduler::fleet::{DbId, Fleet};
use scheduler::{Config, Event, Notice, Region, Scheduler, Work, strategy};

const FLEET: &str = "scenarios/fleets/wingtip-demo.toml";

fn status(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_georestore"))
        .arg("status")
        .args(args)
        .output()
        .expect("run georestore")
}

/// Writes a journal for the fleet file at `fleet`: a few requests, one 202
/// with a status URL, one 429, one tenant online.
fn write_journal(fleet: &Path) {
    let text = std::fs::read_to_string(fleet).expect("fleet");
    let parsed = Fleet::from_toml_str(&text, "wingtip-demo.toml").expect("valid");
    let run = RunInfo::for_fleet(fleet, &parsed, "priority-pacing", "test").expect("run info");
    let mut s = Scheduler::new(
        parsed,
        strategy::by_name("priority-pacing").expect("strategy"),
        Config::default(),
        0,
    );
    let mut journal = Journal::open(&default_path(fleet), &run).expect("open");
    let mut sent = Vec::new();
    while let Some(c) = s.poll_command() {
        sent.push(c);
    }
    journal.record_intents(&sent).expect("intents");
    let arm: Vec<_> = sent
        .iter()
        .filter(|c| matches!(c.work, Work::Arm(_)))
        .collect();
    for (i, c) in arm.iter().enumerate() {
        let Work::Arm(request) = &c.work else {
            continue;
        };
        let response = match i {
            0 => scheduler::arm::Response::from_wire(
                202,
                [("Azure-AsyncOperation", "https://arm.test/operations/first")],
                "",
            ),
            1 => scheduler::arm::Response::new(429),
            _ => scheduler::arm::Response::new(200),
        };
        journal
            .record_response(c.op, request, &response)
            .expect("response");
        s.handle(0, Event::Response { op: c.op, response })
            .expect("handled");
        if i > 1 {
            journal.record_finished(c.op);
        }
    }
    journal
        .record_notice(
            &Notice::TenantOnline {
                db: DbId(0),
                region: Region::Recovery,
            },
            s.estate(),
        )
        .expect("notice");
    journal.flush().expect("flush");
}

#[test]
fn status_reads_a_journal_written_by_the_driver() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fleet = dir.path().join("wingtip-demo.toml");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join(FLEET), &fleet).expect("copy");
    write_journal(&fleet);
    let fleet_arg = fleet.to_str().expect("utf-8 path");

    let out = status(&[fleet_arg]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("fleet `wingtip-demo`"), "{text}");
    assert!(
        text.contains("status https://arm.test/operations/first"),
        "{text}"
    );
    assert!(text.contains("1 answered 429"), "{text}");
    assert!(text.contains("running   no"), "{text}");

    let journal = default_path(&fleet);
    let out = status(&["--journal", journal.to_str().expect("utf-8"), "--json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON output");
    assert_eq!(json["fleet"], "wingtip-demo");
    assert_eq!(json["throttled"], 1);
    assert_eq!(json["sessions"], 1);
    let online: u64 = json["tiers"]
        .as_array()
        .expect("tiers")
        .iter()
        .map(|t| t["online_in_recovery"].as_u64().expect("count"))
        .sum();
    assert_eq!(online, 1);
    let urls: Vec<_> = json["in_flight"]
        .as_array()
        .expect("in_flight")
        .iter()
        .filter_map(|o| o["status_url"].as_str())
        .collect();
    assert_eq!(urls, vec!["https://arm.test/operations/first"]);
}

#[test]
fn status_without_a_journal_says_where_it_looked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fleet = dir.path().join("nowhere.toml");
    let out = status(&[fleet.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("nowhere.toml.journal.sqlite"), "{err}");
    assert!(!dir.path().join("nowhere.toml.journal.sqlite").exists());
}
