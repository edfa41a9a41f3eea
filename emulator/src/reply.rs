//! Building HTTP answers: JSON bodies, ARM error bodies, request ids.

use std::sync::atomic::{AtomicU64, Ordering};

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{CONTENT_TYPE, HeaderName, HeaderValue};

/// The HTTP response type every handler returns.
pub type HttpResponse = hyper::Response<Full<Bytes>>;

/// `application/json; charset=utf-8`.
pub const JSON: &str = "application/json; charset=utf-8";

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

/// A fresh `x-ms-request-id` (GUID-shaped, unique per process).
pub fn request_id() -> String {
    let n = REQUEST_IDS.fetch_add(1, Ordering::Relaxed);
    format!("e0000000-0000-4000-8000-{:012x}", n & 0xffff_ffff_ffff)
}

/// An answer with `status`, `headers` and an optional JSON `body` text.
/// Header values that are not valid HTTP are dropped (never a panic).
pub fn build(status: u16, headers: &[(&str, String)], body: Option<String>) -> HttpResponse {
    let mut response =
        hyper::Response::new(Full::new(body.clone().map(Bytes::from).unwrap_or_default()));
    *response.status_mut() =
        hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let map = response.headers_mut();
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(n, v);
        }
    }
    if body.is_some() {
        map.insert(CONTENT_TYPE, HeaderValue::from_static(JSON));
    }
    response
}

/// A JSON answer.
pub fn json(status: u16, value: &serde_json::Value) -> HttpResponse {
    build(status, &[], Some(value.to_string()))
}

/// An ARM error answer `{"error": {"code", "message"}}` with a request id
/// and any `extra` headers.
pub fn arm_error(status: u16, code: &str, message: &str, extra: &[(&str, String)]) -> HttpResponse {
    let body = arm::body::ErrorResponse::new(code, message);
    let text = serde_json::to_string(&body).unwrap_or_default();
    let mut headers: Vec<(&str, String)> = vec![(arm::headers::REQUEST_ID, request_id())];
    headers.extend(extra.iter().cloned());
    build(status, &headers, Some(text))
}
