//! What the answer to a request means: [`interpret`].

use serde::{Deserialize, Serialize};

use crate::api_version;
use crate::error::{ErrorClass, classify, is_throttle};
use crate::lro::{PollKind, PollTarget};
use crate::request::Request;
use crate::response::Response;

/// Delay used for a throttled answer that carries no readable
/// `Retry-After`: 5 s. ARM normally sends `Retry-After`; 5 s is long
/// enough for the token buckets (10–25 tokens/s refill) to recover a few
/// tokens and short enough not to stall a recovery.
pub const DEFAULT_THROTTLE_RETRY_MS: u64 = 5_000;

/// What the answer to a request means.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Outcome {
    /// Finished: 200, 204, a 201 without an LRO header, any other 2xx.
    /// Includes 204 on DELETE of a resource that does not exist. A 200 is
    /// final even if it carries an LRO header (ARM starts asynchronous
    /// operations with 201 or 202 only).
    Done {
        /// HTTP status.
        status: u16,
    },
    /// Accepted, running: 201/202 with `Azure-AsyncOperation` (preferred)
    /// or `Location`. A 202 with neither polls the resource itself
    /// ([`PollKind::Resource`], the request's resource with its api-version).
    Accepted {
        /// Where to poll.
        poll: PollTarget,
    },
    /// Throttled (429, or a throttle code such as 503 `TooManyRequests`):
    /// resend after the delay (`Retry-After`, or [`DEFAULT_THROTTLE_RETRY_MS`]).
    Throttled {
        /// Delay in milliseconds.
        retry_after_ms: u64,
    },
    /// Failed; `class` says what to do ([`crate::error`]).
    Failed {
        /// What the failure means.
        class: ErrorClass,
        /// ARM error code (empty if the body had none).
        code: String,
        /// ARM error message (`HTTP <status>` if the body had none).
        message: String,
        /// HTTP status.
        status: u16,
        /// `Retry-After` of the answer, if any (e.g. on a 503).
        retry_after_ms: Option<u64>,
    },
}

/// Says what `response` means as the answer to `request`.
pub fn interpret(request: &Request, response: &Response) -> Outcome {
    interpret_with(response, || resource_url(request))
}

/// [`interpret`] for a caller that builds the request only when the
/// meaning depends on it (a bare 202, whose resource is then polled):
/// `request` is called at most once.
pub fn interpret_lazily(response: &Response, request: impl FnOnce() -> Request) -> Outcome {
    interpret_with(response, || resource_url(&request()))
}

fn interpret_with(response: &Response, resource: impl FnOnce() -> String) -> Outcome {
    let status = response.status;
    let headers = &response.headers;
    if (200..300).contains(&status) {
        if status == 201 || status == 202 {
            if let Some(poll) = PollTarget::from_headers(headers) {
                return Outcome::Accepted { poll };
            }
            if status == 202 {
                return Outcome::Accepted {
                    poll: PollTarget {
                        url: resource(),
                        kind: PollKind::Resource,
                        retry_after_ms: headers.retry_after_ms(),
                    },
                };
            }
        }
        return Outcome::Done { status };
    }
    let (code, message) = match response.error() {
        Some(e) => (e.code, e.message),
        None => (String::new(), format!("HTTP {status}")),
    };
    if is_throttle(status, &code) {
        return Outcome::Throttled {
            retry_after_ms: headers
                .retry_after_ms()
                .unwrap_or(DEFAULT_THROTTLE_RETRY_MS),
        };
    }
    Outcome::Failed {
        class: classify(status, &code),
        code,
        message,
        status,
        retry_after_ms: headers.retry_after_ms(),
    }
}

/// GET URL of the resource a request addresses (its action dropped), with
/// the resource's api-version; the request's own path and query if the
/// path is not one this crate knows.
pub fn resource_url(request: &Request) -> String {
    match request.route() {
        Ok(route) => format!(
            "{}?api-version={}",
            route.resource.path(),
            api_version::for_resource(&route.resource)
        ),
        Err(_) => request.path_and_query(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::body::Database;
    use crate::id::ServerId;
    use crate::response::ResponseBody;

    fn put() -> Request {
        Request::put_database(
            &ServerId::new("s", "g", "x").database("d"),
            Database::default(),
        )
    }

    #[test]
    fn success_statuses() {
        let r = put();
        assert_eq!(
            interpret(&r, &Response::new(200).with_payload(Database::default())),
            Outcome::Done { status: 200 }
        );
        assert_eq!(
            interpret(&r, &Response::new(201).with_payload(Database::default())),
            Outcome::Done { status: 201 }
        );
        let del = Request::delete(ServerId::new("s", "g", "x").database("d"));
        assert_eq!(
            interpret(&del, &Response::new(204)),
            Outcome::Done { status: 204 }
        );
    }

    #[test]
    fn accepted_prefers_azure_async_operation() {
        let r = put();
        let resp = Response::from_wire(
            202,
            [
                (
                    "Location",
                    "https://m/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/locations/w/databaseOperationResults/1?api-version=2023-08-01",
                ),
                (
                    "Azure-AsyncOperation",
                    "https://m/subscriptions/s/resourceGroups/g/providers/Microsoft.Sql/locations/w/databaseAzureAsyncOperation/1?api-version=2023-08-01",
                ),
                ("Retry-After", "0"),
            ],
            r#"{"operation":"DropLogicalDatabase","startTime":"2021-11-30T00:00:00Z"}"#,
        );
        let Outcome::Accepted { poll } = interpret(&r, &resp) else {
            panic!()
        };
        assert_eq!(poll.kind, PollKind::AsyncOperation);
        assert!(poll.url.contains("databaseAzureAsyncOperation"));
        assert_eq!(poll.retry_after_ms, Some(0));
        // 201 with a header is accepted too.
        let resp = Response::from_wire(201, [("Location", "https://m/loc")], "{}");
        assert!(
            matches!(interpret(&r, &resp), Outcome::Accepted { poll } if poll.kind == PollKind::Location)
        );
    }

    #[test]
    fn bare_202_polls_the_resource() {
        let alias = ServerId::new("s", "g", "new").dns_alias("a");
        let old = ServerId::new("s", "g", "old").dns_alias("a");
        let r = Request::acquire_dns_alias(&alias, &old);
        let Outcome::Accepted { poll } = interpret(&r, &Response::new(202)) else {
            panic!()
        };
        assert_eq!(poll.kind, PollKind::Resource);
        assert_eq!(poll.url, format!("{}?api-version=2023-08-01", alias.path()));
        assert_eq!(poll.retry_after_ms, None);
        let odd = Request::get_url("https://m/odd?x=1").unwrap();
        let Outcome::Accepted { poll } = interpret(&odd, &Response::new(202)) else {
            panic!()
        };
        assert_eq!(poll.url, "/odd?x=1");
    }

    #[test]
    fn throttling() {
        let r = put();
        assert_eq!(
            interpret(&r, &Response::from_wire(429, [("Retry-After", "17")], "")),
            Outcome::Throttled {
                retry_after_ms: 17_000
            }
        );
        assert_eq!(
            interpret(
                &r,
                &Response::new(429)
                    .with_error("SubscriptionTooManyCreateUpdateRequests", "slow down")
            ),
            Outcome::Throttled {
                retry_after_ms: DEFAULT_THROTTLE_RETRY_MS
            }
        );
        assert_eq!(
            interpret(
                &r,
                &Response::new(503).with_error("TooManyRequests", "busy")
            ),
            Outcome::Throttled {
                retry_after_ms: DEFAULT_THROTTLE_RETRY_MS
            }
        );
        assert!(matches!(
            interpret(
                &r,
                &Response::new(429).with_error("RetryableErrorDueToAnotherOperation", "locked")
            ),
            Outcome::Failed {
                class: ErrorClass::Transient,
                status: 429,
                ..
            }
        ));
    }

    #[test]
    fn failures() {
        let r = put();
        let resp = Response::from_wire(
            409,
            [],
            r#"{"error":{"code":"DatabaseAlreadyExists","message":"exists"}}"#,
        );
        assert_eq!(
            interpret(&r, &resp),
            Outcome::Failed {
                class: ErrorClass::Observe,
                code: "DatabaseAlreadyExists".into(),
                message: "exists".into(),
                status: 409,
                retry_after_ms: None
            }
        );
        let resp = Response::from_wire(503, [("Retry-After", "2")], "Service Unavailable");
        assert_eq!(
            interpret(&r, &resp),
            Outcome::Failed {
                class: ErrorClass::Transient,
                code: String::new(),
                message: "HTTP 503".into(),
                status: 503,
                retry_after_ms: Some(2000)
            }
        );
        let resp = Response {
            status: 404,
            body: ResponseBody::Empty,
            ..Response::default()
        };
        assert!(matches!(
            interpret(&r, &resp),
            Outcome::Failed {
                class: ErrorClass::NotFound,
                ..
            }
        ));
        assert!(matches!(
            interpret(&r, &Response::new(400)),
            Outcome::Failed {
                class: ErrorClass::Permanent,
                ..
            }
        ));
        assert!(matches!(
            interpret(&r, &Response::new(408)),
            Outcome::Failed {
                class: ErrorClass::Transient,
                ..
            }
        ));
    }
}
