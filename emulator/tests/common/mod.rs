//! Shared test helpers: an emulator over a small model, a real HTTP
//! client over loopback (bounded by timeouts), token acquisition, and a
//! structural JSON comparison.
#![allow(dead_code)]

use std::time::Duration;

use emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::Value;
use sim::{AzureModel, ModelParams, ServeContext};

/// The subscription of the test worlds (the fixtures' own).
pub const SUB: &str = "00000000-1111-2222-3333-444444444444";
/// The SQL api-version the model serves.
pub const SQL: &str = arm::api_version::SQL;
/// Bound on every HTTP exchange of a test.
pub const TIMEOUT: Duration = Duration::from_secs(20);

/// No random failures, so a world ends as the test expects.
pub fn params() -> ModelParams {
    ModelParams {
        restore_transient_failure_prob: 0.0,
        restore_permanent_failure_prob: 0.0,
        pool_create_failure_prob: 0.0,
        ..ModelParams::default()
    }
}

/// The world's naming: origin and recovery locations.
pub fn ctx(origin: &str, recovery: &str) -> ServeContext {
    ServeContext {
        subscription: SUB.to_owned(),
        origin_location: origin.to_owned(),
        recovery_location: recovery.to_owned(),
    }
}

/// A model with `databases` (server, name) registered as recoverable.
pub fn model(databases: &[(&str, &str)]) -> AzureModel {
    let mut m = AzureModel::new(params(), 11, 0.0).expect("valid params");
    for (server, name) in databases {
        m.add_recoverable_database(server, name, 2.0)
            .expect("registered");
    }
    m
}

/// An answer as the client saw it.
#[derive(Debug)]
pub struct Reply {
    /// Status.
    pub status: u16,
    /// Headers.
    pub headers: reqwest::header::HeaderMap,
    /// Body as JSON (`Null` when empty).
    pub body: Value,
}

impl Reply {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A client of one emulator with an ARM token.
pub struct Client {
    /// The HTTP client.
    pub http: reqwest::Client,
    /// The emulator's base URL.
    pub base: String,
    /// The bearer token sent with ARM calls.
    pub token: String,
}

/// A reqwest client (rustls; trusting `ca_pem` only, when given).
pub fn http_client(ca_pem: Option<&str>) -> reqwest::Client {
    let mut b = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(Duration::from_secs(5))
        .use_rustls_tls();
    if let Some(pem) = ca_pem {
        let cert = reqwest::Certificate::from_pem(pem.as_bytes()).expect("a PEM certificate");
        b = b.tls_built_in_root_certs(false).add_root_certificate(cert);
    }
    b.build().expect("a client")
}

/// Obtains a token for `scope` with the default client credentials.
pub async fn token(http: &reqwest::Client, emu: &Emulator, scope: &str) -> String {
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", emulator::config::DEFAULT_CLIENT_ID),
        ("client_secret", emulator::config::DEFAULT_CLIENT_SECRET),
        ("scope", scope),
    ];
    let r = http
        .post(emu.token_url())
        .form(&form)
        .send()
        .await
        .expect("token endpoint answers");
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("JSON");
    v["access_token"].as_str().expect("a token").to_owned()
}

/// The ARM scope.
pub const ARM_SCOPE: &str = "https://management.azure.com/.default";

/// Starts an emulator over `model` and a client with an ARM token.
pub async fn start(
    model: AzureModel,
    ctx: ServeContext,
    config: EmulatorConfig,
) -> (Emulator, Client) {
    let emu = Emulator::start(model, ctx, config).await.expect("starts");
    let http = http_client(emu.ca_pem());
    let token = token(&http, &emu, ARM_SCOPE).await;
    let client = Client {
        http,
        base: emu.base_url().to_owned(),
        token,
    };
    (emu, client)
}

async fn reply(r: reqwest::Response) -> Reply {
    let status = r.status().as_u16();
    let headers = r.headers().clone();
    let text = r.text().await.expect("a body");
    let body = if text.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
    };
    Reply {
        status,
        headers,
        body,
    }
}

impl Client {
    /// Sends `method path_and_query` with an optional JSON body.
    pub async fn send(&self, method: Method, path_and_query: &str, body: Option<&Value>) -> Reply {
        self.send_url(method, &format!("{}{path_and_query}", self.base), body)
            .await
    }

    /// Sends to an absolute URL (a status monitor, a nextLink).
    pub async fn send_url(&self, method: Method, url: &str, body: Option<&Value>) -> Reply {
        let mut b = self.http.request(method, url).bearer_auth(&self.token);
        if let Some(body) = body {
            b = b.json(body);
        }
        reply(b.send().await.expect("the emulator answers")).await
    }

    /// GET.
    pub async fn get(&self, path_and_query: &str) -> Reply {
        self.send(Method::GET, path_and_query, None).await
    }

    /// GET an absolute URL.
    pub async fn get_url(&self, url: &str) -> Reply {
        self.send_url(Method::GET, url, None).await
    }

    /// PUT.
    pub async fn put(&self, path_and_query: &str, body: &Value) -> Reply {
        self.send(Method::PUT, path_and_query, Some(body)).await
    }

    /// Polls an `Azure-AsyncOperation` URL until its status is terminal
    /// (at most `max_polls` polls `every` apart); returns the last body.
    pub async fn poll_until_done(&self, url: &str, every: Duration, max_polls: u32) -> Value {
        for _ in 0..max_polls {
            let r = self.get_url(url).await;
            assert_eq!(r.status, 200, "{r:?}");
            match r.body["status"].as_str() {
                Some("Succeeded" | "Failed" | "Canceled") => return r.body,
                _ => tokio::time::sleep(every).await,
            }
        }
        panic!("{url} did not finish after {max_polls} polls");
    }

    /// Sends an LRO request that must be accepted (202) and polls it to
    /// `Succeeded`.
    pub async fn complete(&self, method: Method, path_and_query: &str, body: Option<&Value>) {
        let r = self.send(method, path_and_query, body).await;
        assert_eq!(r.status, 202, "{path_and_query}: {r:?}");
        let monitor = r
            .header("Azure-AsyncOperation")
            .expect("a monitor")
            .to_owned();
        let done = self
            .poll_until_done(&monitor, Duration::from_millis(20), 500)
            .await;
        assert_eq!(done["status"], "Succeeded", "{path_and_query}: {done}");
    }
}

/// A path under the test subscription.
pub fn sub_path(rest: &str) -> String {
    format!("/subscriptions/{SUB}{rest}")
}

/// Differences in structure between `ours` and the fixture's `theirs`:
/// every key `theirs` has (recursively) must be in `ours` with the same
/// JSON type (a `null` in `theirs` accepts anything, a missing key too);
/// arrays are compared through their first elements. Keys only `ours`
/// has are allowed (e.g. the `{operation, startTime}` body of a 202 that
/// the fixtures show as `{}`).
pub fn shape_diff(ours: &Value, theirs: &Value, at: &str, out: &mut Vec<String>) {
    use Value::*;
    match (ours, theirs) {
        (_, Null) => {}
        (Object(a), Object(b)) => {
            for (k, tv) in b {
                let path = format!("{at}.{k}");
                match a.get(k) {
                    None if tv.is_null() => {}
                    None => out.push(format!("{path}: missing")),
                    Some(ov) => shape_diff(ov, tv, &path, out),
                }
            }
        }
        (Array(a), Array(b)) => {
            if let (Some(x), Some(y)) = (a.first(), b.first()) {
                shape_diff(x, y, &format!("{at}[0]"), out);
            } else if a.is_empty() && !b.is_empty() {
                out.push(format!("{at}: empty array, the fixture has items"));
            }
        }
        (Bool(_), Bool(_)) | (Number(_), Number(_)) | (String(_), String(_)) => {}
        (o, t) => out.push(format!(
            "{at}: {} where the fixture has {}",
            kind(o),
            kind(t)
        )),
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[test]
fn shape_diff_finds_missing_keys_and_type_changes() {
    let theirs = serde_json::json!({"a": 1, "b": {"c": "x", "d": [ {"e": true} ]}, "n": null});
    let same = serde_json::json!({"a": 2, "b": {"c": "y", "d": [ {"e": false} ], "extra": 1}});
    let mut out = Vec::new();
    shape_diff(&same, &theirs, "", &mut out);
    assert!(out.is_empty(), "{out:?}");
    let wrong = serde_json::json!({"a": "2", "b": {"d": [ {"e": 1} ]}});
    shape_diff(&wrong, &theirs, "", &mut out);
    assert_eq!(
        out,
        [
            ".a: a string where the fixture has a number",
            ".b.c: missing",
            ".b.d[0].e: a number where the fixture has a boolean"
        ]
    );
}
