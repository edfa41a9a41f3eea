//! `/_emulator/*`: introspection and faults, behind the admin token.
//!
//! - `GET /_emulator/state[?databases=false]`: the world as JSON
//!   ([`crate::world::World::state`]);
//! - `GET /_emulator/faults`: the faults in force;
//! - `POST /_emulator/faults` with a [`crate::Faults`] JSON body: replaces
//!   them (400 for an unknown or out-of-range setting).
//!
//! Every call needs `Authorization: Bearer <admin token>`
//! ([`crate::Emulator::admin_token`]); ARM tokens are not accepted here.

use hyper::header::AUTHORIZATION;
use hyper::{HeaderMap, Method};
use serde_json::json;

use crate::app::App;
use crate::faults::Faults;
use crate::reply::{self, HttpResponse};

fn error(status: u16, code: &str, message: &str) -> HttpResponse {
    reply::json(
        status,
        &json!({"error": {"code": code, "message": message}}),
    )
}

/// Answers a call under `/_emulator/`.
pub fn serve(
    app: &App,
    method: &Method,
    path: &str,
    query: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> HttpResponse {
    let token = headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if token != Some(app.admin_token.as_str()) {
        return error(
            401,
            "AuthenticationFailed",
            "/_emulator/* needs 'Authorization: Bearer <admin token>'.",
        );
    }
    match (method, path.trim_end_matches('/')) {
        (&Method::GET, "/_emulator/state") => {
            let databases = !query
                .split('&')
                .any(|kv| kv.eq_ignore_ascii_case("databases=false"));
            reply::json(200, &app.world.state(databases))
        }
        (&Method::GET, "/_emulator/faults") => reply::json(200, &json!(app.world.faults())),
        (&Method::POST, "/_emulator/faults") => {
            let faults: Faults = match serde_json::from_slice(body) {
                Ok(f) => f,
                Err(e) => {
                    return error(
                        400,
                        "InvalidFaults",
                        &format!(
                            "{e} (supported: throttle_storm_s, throttle_retry_after_s, error_500_rate, error_503_rate, reset_rate, latency_ms, origin_back_at_s, stuck_operations_rate)"
                        ),
                    );
                }
            };
            if let Err(e) = faults.validate() {
                return error(400, "InvalidFaults", &e.to_string());
            }
            app.world.set_faults(faults.clone());
            reply::json(200, &json!(faults))
        }
        (_, "/_emulator/state" | "/_emulator/faults") => error(
            405,
            "MethodNotAllowed",
            &format!("{method} is not served on {path}."),
        ),
        _ => error(
            404,
            "NotFound",
            &format!("No emulator resource at '{path}'."),
        ),
    }
}
