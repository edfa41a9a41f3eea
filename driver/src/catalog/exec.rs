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
//! A non-zero exit is a transient failure carrying the command's stderr;
//! a command running past its timeout is killed (transient). Calls must be
//! idempotent: a call whose answer was lost is sent again.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;

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
        let mut child = Command::new(&self.program)
            .args(&self.args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(spawn)?;
        let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(spawn(std::io::Error::other("no pipes to the child")));
        };
        // Threads, so that neither a command that does not read its input
        // nor one that writes much output can block the other side.
        let writer = thread::spawn(move || {
            // A command may exit without reading: its exit status tells.
            let _ = stdin.write_all(&json);
        });
        let out = thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stdout.read_to_end(&mut buf);
            buf
        });
        let err = thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = stderr.read_to_end(&mut buf);
            buf
        });
        let status = match child.wait_timeout(self.timeout).map_err(spawn)? {
            Some(status) => status,
            None => {
                let _ = child.kill();
                let _ = child.wait();
                // The readers end when the pipes close; one held open by a
                // grandchild is left to finish on its own (not joined).
                return Err(CatalogError::Timeout {
                    program,
                    after: self.timeout,
                });
            }
        };
        let _ = writer.join();
        let stdout = out.join().unwrap_or_default();
        let stderr = err.join().unwrap_or_default();
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
