//! Routing one HTTP request: `/_emulator/*`, the identity endpoint, or ARM.

use std::sync::Arc;

use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::body::Incoming;
use hyper::{Method, Request};

use crate::admin;
use crate::app::App;
use crate::arm_front::{self, Reset};
use crate::reply::{self, HttpResponse};

/// The largest request body read (ARM's own limit is 4 MB).
pub const MAX_BODY: usize = 4 * 1024 * 1024;

/// Which identity-platform resource a path names, if any.
enum IdentityPath<'a> {
    Token { tenant: &'a str, v1: bool },
    OpenId { v2: bool },
    InstanceDiscovery,
}

fn identity_path(path: &str) -> Option<IdentityPath<'_>> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        [tenant, "oauth2", "v2.0", "token"] => Some(IdentityPath::Token { tenant, v1: false }),
        [tenant, "oauth2", "token"] => Some(IdentityPath::Token { tenant, v1: true }),
        [_, "v2.0", ".well-known", "openid-configuration"] => {
            Some(IdentityPath::OpenId { v2: true })
        }
        [_, ".well-known", "openid-configuration"] => Some(IdentityPath::OpenId { v2: false }),
        ["common", "discovery", "instance"] => Some(IdentityPath::InstanceDiscovery),
        _ => None,
    }
}

/// Answers one request; `Err` closes the connection without an answer.
pub async fn handle(app: Arc<App>, request: Request<Incoming>) -> Result<HttpResponse, Reset> {
    let (parts, body) = request.into_parts();
    let body: Bytes = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => {
            return Ok(reply::arm_error(
                413,
                "RequestEntityTooLarge",
                "The request body is too large or could not be read.",
                &[],
            ));
        }
    };
    let path = parts.uri.path();
    let query = parts.uri.query().unwrap_or("");
    if path.starts_with("/_emulator/") || path == "/_emulator" {
        return Ok(admin::serve(
            &app,
            &parts.method,
            path,
            query,
            &parts.headers,
            &body,
        ));
    }
    if let Some(which) = identity_path(path) {
        return Ok(match (which, &parts.method) {
            (IdentityPath::Token { tenant, v1 }, &Method::POST) => {
                let (status, value) = app.identity.token(tenant, &body, v1);
                reply::json(status, &value)
            }
            (IdentityPath::OpenId { v2 }, &Method::GET) => {
                reply::json(200, &app.identity.openid_configuration(&app.base_url, v2))
            }
            (IdentityPath::InstanceDiscovery, &Method::GET) => {
                reply::json(200, &app.identity.instance_discovery(&app.base_url))
            }
            _ => reply::json(
                405,
                &serde_json::json!({"error": "invalid_request", "error_description": "method not allowed"}),
            ),
        });
    }
    let path_and_query = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    arm_front::serve(&app, &parts.method, path_and_query, &parts.headers, &body).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_paths() {
        assert!(matches!(
            identity_path("/t1/oauth2/v2.0/token"),
            Some(IdentityPath::Token {
                tenant: "t1",
                v1: false
            })
        ));
        assert!(matches!(
            identity_path("/t1/oauth2/token"),
            Some(IdentityPath::Token { v1: true, .. })
        ));
        assert!(matches!(
            identity_path("/t1/v2.0/.well-known/openid-configuration"),
            Some(IdentityPath::OpenId { v2: true })
        ));
        assert!(matches!(
            identity_path("/common/discovery/instance"),
            Some(IdentityPath::InstanceDiscovery)
        ));
        assert!(identity_path("/subscriptions/s/resourceGroups/rg").is_none());
    }
}
