//! The `exec` catalog: runs the user's command once per call.
//!
//! # Protocol
//!
//! The command (program and arguments, no shell) gets one JSON object on
//! stdin, then end of file:
//!
//! - the call, in [`scheduler::CatalogCall`]'s serde form:
//!   `{"call":"mark_offline","tenant_id":"t1"}`,
//!   `{"call":"mark_online","tenant_id":"t1"}`,
//!   `{"call":"route","tenant_id":"t1","server":"s.database.windows.net","database":"d"}`,
//!   `{"call":"check_changed","tenant_id":"t1"}`;
//! - or `{"call":"list"}` for every tenant's entry.
//!
//! It answers with one JSON object on stdout and exit status 0:
//!
//! - `{"ok":true}` (marks, routes), `{"ok":true,"changed":false}`
//!   (`check_changed`), `{"ok":true,"rows":[{"tenant_id":"t1","online":true,
//!   "server":"s.database.windows.net","database":"d"}]}` (`list`);
//! - `{"ok":false,"error":"why","permanent":true}` to refuse (`permanent`:
//!   retrying cannot help, e.g. an unknown tenant; `"unknown_tenant":true`
//!   marks that case precisely).
//!
//! A non-zero exit is a transient failure carrying the command's stderr.
//! The command runs in its own process group; one that has not exited
//! and closed its output within the timeout is killed with its whole
//! group (transient failure). Calls must be idempotent: a call whose
//! answer was lost is sent again.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use scheduler::CatalogCall;
use serde::{Deserialize, Serialize};
use wait_timeout::ChildExt;

use super::{Catalog, CatalogError, TenantRow};

/// Most bytes of stdout or stderr kept in an error.
const KEEP: usize = 4096;

/// The time a call may take unless set otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What is written to the command's stdin.
#[derive(Debug, Serialize)]
#[serde(untagged)]
enum Input<'a> {
    Call(&'a CatalogCall),
    List { call: &'static str },
}

/// The command's answer.
/// Fields it does not know are ignored (room for diagnostics).
#[derive(Debug, Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    changed: Option<bool>,
    #[serde(default)]
    rows: Option<Vec<TenantRow>>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    permanent: bool,
    #[serde(default)]
    unknown_tenant: bool,
}

/// A catalog behind the user's command.
#[derive(Debug, Clone)]
pub struct ExecCatalog {
    program: PathBuf,
    args: Vec<String>,
    timeout: Duration,
}

fn keep(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim();
    match text.char_indices().nth(KEEP) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

/// Reads `pipe` to its end on a thread; the bytes arrive on the channel.
fn read_all(mut pipe: impl Read + Send + 'static) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        let _ = tx.send(buf);
    });
    rx
}

/// Kills the command and every process of its group, then reaps it.
fn kill_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: kill(2) takes plain integers and touches no memory of
        // ours (it is `unsafe` only as a foreign call). The group id is the
        // child's pid (process_group(0) at spawn); Linux hands out no pid
        // still in use as a group id, so while a member of the group lives,
        // -pid names this group and no other.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

impl ExecCatalog {
    /// Runs `program` with `args` per call, with [`DEFAULT_TIMEOUT`].
    pub fn new(program: impl Into<PathBuf>, args: Vec<String>) -> ExecCatalog {
        ExecCatalog {
            program: program.into(),
            args,
            timeout: DEFAULT_TIMEOUT,
        }
    }

    /// The same with another timeout per call.
    pub fn with_timeout(mut self, timeout: Duration) -> ExecCatalog {
        self.timeout = timeout;
        self
    }

    fn name(&self) -> String {
        self.program.display().to_string()
    }

    /// Runs the command once with `input`; its answer if it says `ok`.
    fn run(&self, input: &Input<'_>, tenant_id: Option<&str>) -> Result<Answer, CatalogError> {
        let program = self.name();
        let spawn = |cause| CatalogError::Spawn {
            program: program.clone(),
            cause,
        };
        let json = serde_json::to_vec(input).map_err(|e| spawn(std::io::Error::other(e)))?;
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Its own process group: a timeout kills what it started too, and
        // the terminal's Ctrl-C does not cut a call short (the driver decides).
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let deadline = Instant::now() + self.timeout;
        let mut child = command.spawn().map_err(spawn)?;
        let (Some(mut stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            kill_group(&mut child);
            return Err(spawn(std::io::Error::other("no pipes to the child")));
        };
        // Threads, so that neither a command that does not read its input
        // nor one that writes much output can block the other side.
        thread::spawn(move || {
            // A command may exit without reading: its exit status tells.
            let _ = stdin.write_all(&json);
        });
        let out = read_all(stdout);
        let err = read_all(stderr);
        let timeout = |child: &mut std::process::Child| {
            kill_group(child);
            CatalogError::Timeout {
                program: program.clone(),
                after: self.timeout,
            }
        };
        let Some(status) = child.wait_timeout(self.timeout).map_err(spawn)? else {
            return Err(timeout(&mut child));
        };
        // The output ends when every process holding the pipes is gone: a
        // background process the command left behind counts against the
        // same deadline.
        let left = deadline.saturating_duration_since(Instant::now());
        let (Ok(stdout), Ok(stderr)) = (out.recv_timeout(left), err.recv_timeout(left)) else {
            return Err(timeout(&mut child));
        };
        if !status.success() {
            return Err(CatalogError::Exit {
                program,
                status: status.to_string(),
                stderr: keep(&stderr),
            });
        }
        let answer: Answer =
            serde_json::from_slice(&stdout).map_err(|e| CatalogError::BadAnswer {
                program: program.clone(),
                answer: keep(&stdout),
                why: e.to_string(),
            })?;
        if answer.ok {
            return Ok(answer);
        }
        if answer.unknown_tenant
            && let Some(tenant_id) = tenant_id
        {
            return Err(CatalogError::UnknownTenant {
                tenant_id: tenant_id.to_owned(),
            });
        }
        Err(CatalogError::Refused {
            program,
            reason: answer.error.unwrap_or_else(|| "no reason given".to_owned()),
            permanent: answer.permanent,
        })
    }

    fn call(&self, call: &CatalogCall, tenant_id: &str) -> Result<Answer, CatalogError> {
        self.run(&Input::Call(call), Some(tenant_id))
    }
}

impl Catalog for ExecCatalog {
    fn mark_offline(&mut self, tenant_id: &str) -> Result<(), CatalogError> {
        let call = CatalogCall::MarkOffline {
            tenant_id: tenant_id.to_owned(),
        };
        self.call(&call, tenant_id).map(drop)
    }

    fn mark_online(&mut self, tenant_id: &str) -> Result<(), CatalogError> {
        let call = CatalogCall::MarkOnline {
            tenant_id: tenant_id.to_owned(),
        };
        self.call(&call, tenant_id).map(drop)
    }

    fn route(&mut self, tenant_id: &str, server: &str, database: &str) -> Result<(), CatalogError> {
        let call = CatalogCall::Route {
            tenant_id: tenant_id.to_owned(),
            server: server.to_owned(),
            database: database.to_owned(),
        };
        self.call(&call, tenant_id).map(drop)
    }

    fn check_changed(&mut self, tenant_id: &str) -> Result<bool, CatalogError> {
        let call = CatalogCall::CheckChanged {
            tenant_id: tenant_id.to_owned(),
        };
        let answer = self.call(&call, tenant_id)?;
        answer.changed.ok_or_else(|| CatalogError::BadAnswer {
            program: self.name(),
            answer: "{\"ok\":true} without \"changed\"".to_owned(),
            why: "check_changed must answer \"changed\": true or false".to_owned(),
        })
    }

    fn rows(&mut self) -> Result<Vec<TenantRow>, CatalogError> {
        let answer = self.run(&Input::List { call: "list" }, None)?;
        let mut rows = answer.rows.ok_or_else(|| CatalogError::BadAnswer {
            program: self.name(),
            answer: "{\"ok\":true} without \"rows\"".to_owned(),
            why: "list must answer \"rows\": [...]".to_owned(),
        })?;
        rows.sort();
        Ok(rows)
    }
}
