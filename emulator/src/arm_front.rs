//! ARM calls over HTTP: bearer check, faults, `arm::Request::from_wire`,
//! the model's answer, and the wire form of that answer (absolute status
//! URLs on the emulator's base URL, `nextLink` paging, ARM headers).

use std::time::Duration;

use arm::id::Resource;
use arm::paging;
use arm::request::RequestError;
use arm::{ArmClass, Request, Response, codes};
use hyper::HeaderMap;
use hyper::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use serde_json::Value;

use crate::app::App;
use crate::faults::Injected;
use crate::reply::{self, HttpResponse};

/// The connection is to be closed without an answer (an injected reset).
#[derive(Debug, thiserror::Error)]
#[error("connection reset by the emulator's fault injection")]
pub struct Reset;

fn class_header(class: ArmClass) -> &'static str {
    match class {
        ArmClass::Read => "x-ms-ratelimit-remaining-subscription-reads",
        ArmClass::Write => "x-ms-ratelimit-remaining-subscription-writes",
        ArmClass::Delete => "x-ms-ratelimit-remaining-subscription-deletes",
    }
}

/// Whether a route is a collection answered as a (paged) list.
fn is_list(resource: &Resource) -> bool {
    matches!(
        resource,
        Resource::Databases(_)
            | Resource::ElasticPools(_)
            | Resource::RecoverableDatabases(_)
            | Resource::DnsAliases(_)
            | Resource::ReplicationLinks(_)
            | Resource::DatabaseOperations(_)
            | Resource::ElasticPoolOperations(_)
    )
}

/// Answers one ARM call.
pub async fn serve(
    app: &App,
    method: &hyper::Method,
    path_and_query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<HttpResponse, Reset> {
    let authorization = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    if let Err(failure) = app.identity.check(authorization) {
        let challenge = app.identity.challenge(&app.base_url, &failure);
        return Ok(reply::arm_error(
            401,
            failure.code,
            &failure.message,
            &[(WWW_AUTHENTICATE.as_str(), challenge)],
        ));
    }
    let Some(arm_method) = arm::Method::parse(method.as_str()) else {
        return Ok(reply::arm_error(
            405,
            codes::METHOD_NOT_ALLOWED,
            &format!(
                "The requested resource does not support http method '{}'.",
                method.as_str()
            ),
            &[],
        ));
    };
    let class = arm_method.class();
    let (injected, latency_ms, reset) = app.world.draw_faults(class);
    if latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(latency_ms)).await;
    }
    match injected {
        Injected::None => {}
        Injected::Throttle(retry_after) => {
            return Ok(reply::arm_error(
                429,
                codes::SUBSCRIPTION_REQUESTS_THROTTLED,
                "Number of requests for subscription exceeded the limit (emulator throttle storm). Please try again later.",
                &[
                    (arm::headers::RETRY_AFTER, retry_after.to_string()),
                    (class_header(class), "0".to_owned()),
                ],
            ));
        }
        Injected::Error500 => {
            return Ok(reply::arm_error(
                500,
                codes::INTERNAL_SERVER_ERROR,
                "An unexpected error occured while processing the request (emulator fault).",
                &[],
            ));
        }
        Injected::Error503 => {
            return Ok(reply::arm_error(
                503,
                codes::SERVICE_UNAVAILABLE,
                "The service is temporarily unavailable (emulator fault). Please retry later.",
                &[(arm::headers::RETRY_AFTER, "1".to_owned())],
            ));
        }
    }
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(reply::arm_error(
            400,
            codes::INVALID_REQUEST_CONTENT,
            "The request content was invalid: the body is not UTF-8.",
            &[],
        ));
    };
    let request = match Request::from_wire(arm_method, path_and_query, Some(text)) {
        Ok(r) => r,
        // The model answers unknown paths itself, in ARM's shapes.
        Err(RequestError::Path(_)) => {
            let (path, query) = path_and_query
                .split_once('?')
                .unwrap_or((path_and_query, ""));
            Request {
                method: arm_method,
                path: path.to_owned(),
                query: query.to_owned(),
                body: None,
            }
        }
        Err(RequestError::Body(message)) => {
            return Ok(reply::arm_error(
                400,
                codes::INVALID_REQUEST_CONTENT,
                &format!(
                    "The request content was invalid and could not be deserialized: {message}"
                ),
                &[],
            ));
        }
    };
    let offset = match paging::skip_token(path_and_query) {
        Ok(o) => o,
        Err(e) => {
            return Ok(reply::arm_error(
                400,
                codes::INVALID_REQUEST_CONTENT,
                &e.to_string(),
                &[],
            ));
        }
    };
    let mut response = app.world.serve(&request);
    if let Ok(route) = request.route()
        && let Resource::OperationStatus(id) = &route.resource
        && app.world.stuck(&id.operation_id)
    {
        response = still_running(response, id.kind.is_async_operation(), path_and_query);
    }
    let answer = render(app, &request, path_and_query, response, offset);
    if reset {
        app.world.note_reset();
        return Err(Reset);
    }
    Ok(answer)
}

/// A monitor's answer for an operation stuck by the faults: an
/// `Azure-AsyncOperation` status body says `InProgress` (no end time, no
/// error); a `Location` monitor answers 202 pointing at itself. Other
/// answers (404, 429…) are left as they are.
fn still_running(mut response: Response, monitor: bool, path_and_query: &str) -> Response {
    // A `Location` monitor reports an end as 200 or as the operation's
    // error; 404 (unknown operation) and 429 are not ends.
    let ended = response.status == 200
        || (!monitor && response.status >= 400 && !matches!(response.status, 404 | 429));
    if !ended {
        return response;
    }
    if monitor {
        let Ok(mut status) = response.json::<arm::body::OperationStatus>() else {
            return response;
        };
        status.status = arm::body::AsyncStatus::InProgress;
        status.end_time = None;
        status.error = None;
        response.body = arm::ResponseBody::Text(serde_json::to_string(&status).unwrap_or_default());
        response
    } else {
        let headers = arm::Headers {
            location: Some(path_and_query.to_owned()),
            ..response.headers
        };
        Response::new(202).with_headers(headers)
    }
}

/// A URL the model handed out as a path, made absolute on the base URL.
fn absolute(base_url: &str, url: &str) -> String {
    if url.starts_with('/') {
        format!("{base_url}{url}")
    } else {
        url.to_owned()
    }
}

fn render(
    app: &App,
    request: &Request,
    path_and_query: &str,
    mut response: Response,
    offset: usize,
) -> HttpResponse {
    let h = &mut response.headers;
    h.azure_async_operation = h
        .azure_async_operation
        .as_deref()
        .map(|u| absolute(&app.base_url, u));
    h.location = h.location.as_deref().map(|u| absolute(&app.base_url, u));
    if h.request_id.is_none() {
        h.request_id = Some(reply::request_id());
    }
    let listed = response.status == 200
        && request.method == arm::Method::Get
        && request.route().is_ok_and(|r| is_list(&r.resource));
    let body = if listed {
        page_body(app, path_and_query, &response, offset)
    } else {
        response.body_text()
    };
    let headers: Vec<(&str, String)> = response.headers.to_pairs();
    reply::build(response.status, &headers, body)
}

/// Cuts the page at `offset` out of a list answer; `nextLink` (absolute)
/// when items remain.
fn page_body(
    app: &App,
    path_and_query: &str,
    response: &Response,
    offset: usize,
) -> Option<String> {
    if offset == 0 && app.page_size == 0 {
        return response.body_text();
    }
    let value: Value = response.json().ok()?;
    let items = value.get("value")?.as_array()?;
    if offset == 0 && items.len() <= app.page_size {
        return Some(value.to_string());
    }
    let base = format!("{}{path_and_query}", app.base_url);
    let page = paging::page(items, offset, app.page_size, &base);
    serde_json::to_string(&page).ok()
}
