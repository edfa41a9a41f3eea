//! Helpers shared by the driver's integration tests: the shipped demo
//! fleet, and real commands from a real scheduler run on it.
#![allow(dead_code)] // each test file uses a part

use std::path::{Path, PathBuf};
use std::process::{Child, Command as Process, Stdio};

use driver::journal::RunInfo;
use scheduler::arm::Response;
use scheduler::fleet::Fleet;
use scheduler::{Command, Config, Event, Scheduler, strategy};

/// The shipped demo fleet file.
pub fn fleet_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/fleets/wingtip-demo.toml")
}

/// The demo fleet, validated.
pub fn fleet() -> Fleet {
    let text = std::fs::read_to_string(fleet_path()).expect("read the demo fleet");
    Fleet::from_toml_str(&text, "wingtip-demo.toml").expect("valid demo fleet")
}

/// The run header of the demo fleet.
pub fn run_info() -> RunInfo {
    RunInfo::for_fleet(&fleet_path(), &fleet(), "priority-pacing", "test").expect("hash fleet")
}

/// A scheduler on the demo fleet.
pub fn scheduler() -> Scheduler {
    let strategy = strategy::by_name("priority-pacing").expect("built in");
    Scheduler::new(fleet(), strategy, Config::default(), 0)
}

/// Every command a recovery of the demo fleet hands out when each one
/// succeeds at once (real requests: restores, pools, polls, catalog calls).
pub fn commands() -> Vec<Command> {
    let mut s = scheduler();
    let mut out = Vec::new();
    let mut now = 0;
    while !s.status().finished && out.len() < 10_000 {
        while let Some(c) = s.poll_command() {
            s.handle(now, Event::Accepted { op: c.op })
                .expect("accepted");
            s.handle(now, Event::Succeeded { op: c.op })
                .expect("succeeded");
            out.push(c);
        }
        match s.next_wakeup() {
            Some(at) => {
                now = now.max(at);
                s.handle(now, Event::Wakeup).expect("wakeup");
            }
            None => break,
        }
    }
    out
}

/// ARM's 202 with an `Azure-AsyncOperation` status URL.
pub fn accepted(url: &str) -> Response {
    Response::from_wire(
        202,
        [("Azure-AsyncOperation", url), ("Retry-After", "10")],
        "",
    )
}

/// Runs this very test binary's ignored test `name` in a child process
/// (the child entry points of the multi-process tests), with `env`.
pub fn spawn_child(name: &str, env: &[(&str, &Path)]) -> Child {
    let exe = std::env::current_exe().expect("test binary path");
    let mut process = Process::new(exe);
    process
        .args([
            name,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        process.env(key, value);
    }
    process.spawn().expect("spawn the test binary")
}
