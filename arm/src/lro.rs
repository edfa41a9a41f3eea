//! Long-running operations: where to poll, and what a poll answer means.
//!
//! ARM's rules (see the fixtures' INDEX): an asynchronous operation first
//! answers 201 or 202. If `Azure-AsyncOperation` is present, poll it (a
//! status monitor: 200 with a status body until `Succeeded`, `Failed` or
//! `Canceled`); only if it is absent, poll `Location` (202 while running,
//! then 200/204, or the operation's error). Wait `Retry-After` between
//! polls; without it, the caller's own interval applies (this crate then
//! says `None`). Polling is decided and paced by the caller (the
//! scheduler); this module only reads answers.

use serde::{Deserialize, Serialize};

use crate::body::OperationStatus;
use crate::error::{ErrorClass, classify, classify_code, is_throttle};
use crate::headers::Headers;
use crate::outcome::DEFAULT_THROTTLE_RETRY_MS;
use crate::request::{Request, UrlError};
use crate::response::Response;

/// What kind of URL a poll goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PollKind {
    /// An `Azure-AsyncOperation` status monitor.
    AsyncOperation,
    /// A `Location` result URL.
    Location,
    /// No monitor was given (a bare 202): the resource itself is polled
    /// with GET, which is ARM's default for PUT (`final-state-via`
    /// original URI). What its state means is resource-specific.
    Resource,
}

/// Where and how to poll an accepted operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PollTarget {
    /// The URL as ARM gave it (absolute), or the resource's
    /// `path?api-version=...` for [`PollKind::Resource`].
    pub url: String,
    /// What kind of URL it is.
    pub kind: PollKind,
    /// `Retry-After` of the accepting response, in milliseconds; `None`
    /// means "use your own interval".
    pub retry_after_ms: Option<u64>,
}

impl PollTarget {
    /// The monitor the headers name: `Azure-AsyncOperation` if present
    /// (preferred), else `Location`; `None` if neither.
    pub fn from_headers(headers: &Headers) -> Option<Self> {
        let retry_after_ms = headers.retry_after_ms();
        if let Some(url) = &headers.azure_async_operation {
            Some(Self {
                url: url.clone(),
                kind: PollKind::AsyncOperation,
                retry_after_ms,
            })
        } else {
            headers.location.as_ref().map(|url| Self {
                url: url.clone(),
                kind: PollKind::Location,
                retry_after_ms,
            })
        }
    }

    /// The GET to send for the next poll (the URL's path and query as given).
    pub fn request(&self) -> Result<Request, UrlError> {
        Request::get_operation_status(&self.url)
    }
}

/// What a poll answer means.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PollOutcome {
    /// Still running; poll again after `retry_after_ms` (`None` = caller's interval).
    InProgress {
        /// `Retry-After` of this answer, in milliseconds.
        retry_after_ms: Option<u64>,
    },
    /// The operation ended well. For [`PollKind::Location`] the body may
    /// hold the final resource; for [`PollKind::Resource`] it is the
    /// resource as it is now (inspect its state).
    Succeeded,
    /// The operation ended badly.
    Failed {
        /// What the failure means ([`crate::error::classify`]).
        class: ErrorClass,
        /// Error code (empty if none).
        code: String,
        /// Error message (empty if none).
        message: String,
    },
    /// The operation was cancelled.
    Canceled {
        /// Error code (empty if none).
        code: String,
        /// Error message (empty if none).
        message: String,
    },
    /// The poll itself was throttled; poll again after the delay
    /// (`Retry-After`, or [`DEFAULT_THROTTLE_RETRY_MS`]).
    Throttled {
        /// Delay in milliseconds.
        retry_after_ms: u64,
    },
    /// The poll request failed; this says nothing about the operation.
    /// `Transient` → poll again later; `NotFound` → the monitor is gone,
    /// observe the resource; otherwise give up polling this URL.
    PollError {
        /// What the poll failure means.
        class: ErrorClass,
        /// Error code (empty if none).
        code: String,
        /// Error message (or a description of the unreadable body).
        message: String,
        /// HTTP status of the poll.
        status: u16,
    },
}

/// Reads an answer to a poll of a `kind` URL.
///
/// For every kind: throttling ([`is_throttle`]) → `Throttled`; 202 →
/// `InProgress`.
/// - `AsyncOperation`: other 2xx → the status body decides: `Succeeded`;
///   `Failed` (class from the error code, `Permanent` if unlisted);
///   `Canceled`/`Cancelled`; any other value → `InProgress`. An
///   unreadable body → `PollError` (Transient). Error statuses → `PollError`.
/// - `Location`: 200/201/204 (any other 2xx) → `Succeeded`; an error
///   status is the operation's own failure → `Failed`.
/// - `Resource`: other 2xx → `Succeeded` (the resource exists: inspect
///   it); 404 → `Failed` with class `NotFound` (for a delete: gone =
///   done); other errors → `PollError`.
pub fn interpret_poll(kind: PollKind, response: &Response) -> PollOutcome {
    let status = response.status;
    let headers = &response.headers;
    let error = if status >= 300 {
        response.error()
    } else {
        None
    };
    let (code, message) = match error {
        Some(e) => (e.code, e.message),
        None if status >= 300 => (String::new(), format!("HTTP {status}")),
        None => (String::new(), String::new()),
    };
    if status >= 300 && is_throttle(status, &code) {
        return PollOutcome::Throttled {
            retry_after_ms: headers
                .retry_after_ms()
                .unwrap_or(DEFAULT_THROTTLE_RETRY_MS),
        };
    }
    if status == 202 {
        return PollOutcome::InProgress {
            retry_after_ms: headers.retry_after_ms(),
        };
    }
    let success = (200..300).contains(&status);
    match kind {
        PollKind::AsyncOperation if success => match response.json::<OperationStatus>() {
            Ok(body) => {
                let (code, message) = body.error.map(|e| (e.code, e.message)).unwrap_or_default();
                if body.status == crate::body::AsyncStatus::Succeeded {
                    PollOutcome::Succeeded
                } else if body.status == crate::body::AsyncStatus::Failed {
                    PollOutcome::Failed {
                        class: classify_code(&code).unwrap_or(ErrorClass::Permanent),
                        code,
                        message,
                    }
                } else if body.status.is_canceled() {
                    PollOutcome::Canceled { code, message }
                } else {
                    PollOutcome::InProgress {
                        retry_after_ms: headers.retry_after_ms(),
                    }
                }
            }
            Err(e) => PollOutcome::PollError {
                class: ErrorClass::Transient,
                code: String::new(),
                message: format!("unreadable operation status: {e}"),
                status,
            },
        },
        PollKind::Location | PollKind::Resource if success => PollOutcome::Succeeded,
        PollKind::Location => PollOutcome::Failed {
            class: classify(status, &code),
            code,
            message,
        },
        PollKind::Resource if status == 404 => PollOutcome::Failed {
            class: ErrorClass::NotFound,
            code,
            message,
        },
        PollKind::AsyncOperation | PollKind::Resource => PollOutcome::PollError {
            class: classify(status, &code),
            code,
            message,
            status,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::{AsyncStatus, ErrorDetail};
    use serde_json::json;

    fn status_body(v: serde_json::Value) -> Response {
        Response::from_wire(200, [("Retry-After", "3")], &v.to_string())
    }

    #[test]
    fn async_operation_prefers_azure_async_operation_over_location() {
        let both = Headers::from_pairs([
            ("Location", "https://m/loc?api-version=1"),
            ("Azure-AsyncOperation", "https://m/aao?api-version=1"),
            ("Retry-After", "0"),
        ]);
        let t = PollTarget::from_headers(&both).unwrap();
        assert_eq!(t.kind, PollKind::AsyncOperation);
        assert_eq!(t.url, "https://m/aao?api-version=1");
        assert_eq!(t.retry_after_ms, Some(0));
        let loc = Headers::from_pairs([("Location", "https://m/loc?api-version=1")]);
        let t = PollTarget::from_headers(&loc).unwrap();
        assert_eq!(t.kind, PollKind::Location);
        assert_eq!(t.retry_after_ms, None);
        assert_eq!(t.request().unwrap().path_and_query(), "/loc?api-version=1");
        assert_eq!(PollTarget::from_headers(&Headers::default()), None);
    }

    #[test]
    fn status_bodies_for_each_state() {
        let k = PollKind::AsyncOperation;
        assert_eq!(
            interpret_poll(
                k,
                &status_body(json!({"name":"op","status":"InProgress","percentComplete":40}))
            ),
            PollOutcome::InProgress {
                retry_after_ms: Some(3000)
            }
        );
        // An RP-specific non-terminal value is in progress.
        assert_eq!(
            interpret_poll(k, &status_body(json!({"status":"Restoring"}))),
            PollOutcome::InProgress {
                retry_after_ms: Some(3000)
            }
        );
        assert_eq!(
            interpret_poll(
                k,
                &status_body(json!({"status":"Succeeded","endTime":"2024-01-01T00:00:00Z"}))
            ),
            PollOutcome::Succeeded
        );
        assert_eq!(
            interpret_poll(k, &status_body(json!({"status":"succeeded"}))),
            PollOutcome::Succeeded
        );
        assert_eq!(
            interpret_poll(
                k,
                &status_body(
                    json!({"status":"Failed","error":{"code":"OperationTimedOut","message":"rolled back"}})
                )
            ),
            PollOutcome::Failed {
                class: ErrorClass::Transient,
                code: "OperationTimedOut".into(),
                message: "rolled back".into()
            }
        );
        assert_eq!(
            interpret_poll(
                k,
                &status_body(
                    json!({"status":"Failed","error":{"code":"InvalidSku","message":"no"}})
                )
            ),
            PollOutcome::Failed {
                class: ErrorClass::Permanent,
                code: "InvalidSku".into(),
                message: "no".into()
            }
        );
        assert_eq!(
            interpret_poll(k, &status_body(json!({"status":"Failed"}))),
            PollOutcome::Failed {
                class: ErrorClass::Permanent,
                code: String::new(),
                message: String::new()
            }
        );
        for spelling in ["Canceled", "Cancelled"] {
            assert_eq!(
                interpret_poll(
                    k,
                    &status_body(
                        json!({"status":spelling,"error":{"code":"OperationCancelled","message":"by user"}})
                    )
                ),
                PollOutcome::Canceled {
                    code: "OperationCancelled".into(),
                    message: "by user".into()
                }
            );
        }
        // Typed bodies read the same.
        let mut st = OperationStatus::new("op", AsyncStatus::Failed);
        st.error = Some(ErrorDetail {
            code: "DatabaseAlreadyExists".into(),
            ..ErrorDetail::default()
        });
        assert!(matches!(
            interpret_poll(k, &Response::new(200).with_payload(st)),
            PollOutcome::Failed {
                class: ErrorClass::Observe,
                ..
            }
        ));
    }

    #[test]
    fn async_operation_poll_errors_are_not_operation_failures() {
        let k = PollKind::AsyncOperation;
        assert!(matches!(
            interpret_poll(k, &Response::from_wire(200, [], "<html>")),
            PollOutcome::PollError {
                class: ErrorClass::Transient,
                status: 200,
                ..
            }
        ));
        assert!(matches!(
            interpret_poll(k, &Response::from_wire(200, [], "")),
            PollOutcome::PollError {
                class: ErrorClass::Transient,
                ..
            }
        ));
        assert!(matches!(
            interpret_poll(k, &Response::new(500)),
            PollOutcome::PollError {
                class: ErrorClass::Transient,
                status: 500,
                ..
            }
        ));
        assert!(matches!(
            interpret_poll(
                k,
                &Response::new(404).with_error("OperationIdNotFound", "gone")
            ),
            PollOutcome::PollError {
                class: ErrorClass::NotFound,
                ..
            }
        ));
        assert_eq!(
            interpret_poll(k, &Response::from_wire(429, [("Retry-After", "7")], "")),
            PollOutcome::Throttled {
                retry_after_ms: 7000
            }
        );
        assert_eq!(
            interpret_poll(k, &Response::new(429)),
            PollOutcome::Throttled {
                retry_after_ms: DEFAULT_THROTTLE_RETRY_MS
            }
        );
    }

    #[test]
    fn location_polls() {
        let k = PollKind::Location;
        assert_eq!(
            interpret_poll(k, &Response::from_wire(202, [("Retry-After", "10")], "")),
            PollOutcome::InProgress {
                retry_after_ms: Some(10_000)
            }
        );
        assert_eq!(
            interpret_poll(k, &Response::new(202)),
            PollOutcome::InProgress {
                retry_after_ms: None
            }
        );
        assert_eq!(
            interpret_poll(k, &Response::new(200)),
            PollOutcome::Succeeded
        );
        assert_eq!(
            interpret_poll(k, &Response::new(204)),
            PollOutcome::Succeeded
        );
        assert_eq!(
            interpret_poll(
                k,
                &Response::new(409).with_error("ConflictingDatabaseOperation", "busy")
            ),
            PollOutcome::Failed {
                class: ErrorClass::Transient,
                code: "ConflictingDatabaseOperation".into(),
                message: "busy".into()
            }
        );
        assert_eq!(
            interpret_poll(k, &Response::new(400)),
            PollOutcome::Failed {
                class: ErrorClass::Permanent,
                code: String::new(),
                message: "HTTP 400".into()
            }
        );
    }

    #[test]
    fn resource_polls() {
        let k = PollKind::Resource;
        assert_eq!(
            interpret_poll(k, &Response::new(200)),
            PollOutcome::Succeeded
        );
        assert!(matches!(
            interpret_poll(k, &Response::new(404).with_error("ResourceNotFound", "x")),
            PollOutcome::Failed {
                class: ErrorClass::NotFound,
                ..
            }
        ));
        assert!(matches!(
            interpret_poll(k, &Response::new(503)),
            PollOutcome::PollError {
                class: ErrorClass::Transient,
                ..
            }
        ));
    }
}
