//! HTTPS to Azure Resource Manager: sends an [`arm::Request`] as it is and
//! hands back what came back as an [`arm::Response`], untouched.
//!
//! What an answer means (accepted, throttled, failed, which error class) is
//! the shared protocol's business, read by the scheduler. The only status
//! this module looks at is 401 (authentication is the transport's): the
//! token is renewed once and the request sent again, as the Azure SDKs'
//! bearer-token policy does.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use arm::Method;
use azure_core::credentials::Secret;

use crate::credential::{AuthError, Authorizer};

/// The public cloud's ARM endpoint.
pub const PUBLIC_ARM_ENDPOINT: &str = "https://management.azure.com";

/// Why a request got no answer.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// No HTTP answer: connection refused or reset, TLS failure, timeout.
    /// Nothing is known about the request's effect; the scheduler decides
    /// about retrying ([`scheduler::Event::TransportFailed`]).
    #[error("{0}")]
    Transport(String),
    /// No token could be obtained: no request can be sent until the
    /// credentials are fixed.
    #[error(transparent)]
    Auth(#[from] AuthError),
}

/// Why the HTTPS client could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The extra CA file could not be read.
    #[error("reading the CA certificate {path}: {source}")]
    CaFile {
        /// The file.
        path: String,
        /// What the OS said.
        source: std::io::Error,
    },
    /// The CA file is not PEM, or the TLS stack refused it.
    #[error("{what}: {source}")]
    Tls {
        /// What was being set up.
        what: String,
        /// What reqwest said.
        source: reqwest::Error,
    },
}

/// Timeouts of the HTTPS client.
#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    /// To open a connection (TCP and TLS).
    pub connect: Duration,
    /// For a whole request, answer included.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// An HTTPS client (rustls) that trusts the system's roots plus, if given,
/// the CA in `ca_file` (PEM; the emulator's). Shared by ARM calls and the
/// credential's token calls.
pub fn https_client(
    ca_file: Option<&Path>,
    timeouts: Timeouts,
) -> Result<reqwest::Client, ClientError> {
    let mut builder = reqwest::Client::builder()
        .https_only(true)
        .connect_timeout(timeouts.connect)
        .timeout(timeouts.request)
        .user_agent(concat!("georestore/", env!("CARGO_PKG_VERSION")));
    if let Some(path) = ca_file {
        let pem = std::fs::read(path).map_err(|source| ClientError::CaFile {
            path: path.display().to_string(),
            source,
        })?;
        let certs =
            reqwest::Certificate::from_pem_bundle(&pem).map_err(|source| ClientError::Tls {
                what: format!("the CA certificate {} is not PEM", path.display()),
                source,
            })?;
        builder = builder.tls_certs_merge(certs);
    }
    builder.build().map_err(|source| ClientError::Tls {
        what: "building the HTTPS client".to_owned(),
        source,
    })
}

/// Sends ARM requests to one endpoint with bearer tokens.
#[derive(Debug, Clone)]
pub struct ArmClient {
    http: reqwest::Client,
    endpoint: String,
    auth: Arc<Authorizer>,
}

impl ArmClient {
    /// A client for `endpoint` (e.g. [`PUBLIC_ARM_ENDPOINT`] or the
    /// emulator's base URL; a trailing `/` is ignored).
    pub fn new(http: reqwest::Client, endpoint: &str, auth: Arc<Authorizer>) -> Self {
        Self {
            http,
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            auth,
        }
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// Sends `request` and returns the answer as received (any status), or
    /// why there is none. A 401 renews the token and sends once more.
    /// A token that cannot be had because the token endpoint is down is
    /// reported like a connection failure (the scheduler retries); bad
    /// credentials, and a 401 to a freshly renewed token, are
    /// [`SendError::Auth`] (the run stops, journal safe).
    pub async fn send(&self, request: &arm::Request) -> Result<arm::Response, SendError> {
        let token = self.auth.token().await.map_err(auth_failure)?;
        let first = self.send_with(request, &token).await?;
        if first.status != 401 {
            return Ok(first);
        }
        let token = self.auth.refresh().await.map_err(auth_failure)?;
        let second = self.send_with(request, &token).await?;
        if second.status == 401 {
            return Err(SendError::Auth(AuthError::Rejected));
        }
        Ok(second)
    }

    async fn send_with(
        &self,
        request: &arm::Request,
        token: &Secret,
    ) -> Result<arm::Response, SendError> {
        let url = format!("{}{}", self.endpoint, request.path_and_query());
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Put => reqwest::Method::PUT,
            Method::Patch => reqwest::Method::PATCH,
            Method::Post => reqwest::Method::POST,
            Method::Delete => reqwest::Method::DELETE,
        };
        let mut builder = self
            .http
            .request(method, &url)
            .bearer_auth(token.secret())
            .header("Accept", "application/json");
        match request.body_json() {
            Some(body) => {
                builder = builder
                    .header("Content-Type", "application/json")
                    .body(body);
            }
            // ARM wants a length on bodiless POSTs (acquire, failover).
            None if request.method == Method::Post => {
                builder = builder.header("Content-Length", "0");
            }
            None => {}
        }
        let answer = builder.send().await.map_err(transport_failure)?;
        let status = answer.status().as_u16();
        let headers: Vec<(String, String)> = answer
            .headers()
            .iter()
            .filter_map(|(k, v)| Some((k.as_str().to_owned(), v.to_str().ok()?.to_owned())))
            .collect();
        let body = answer.text().await.map_err(transport_failure)?;
        Ok(arm::Response::from_wire(
            status,
            headers.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            &body,
        ))
    }
}

fn auth_failure(e: AuthError) -> SendError {
    match e {
        AuthError::Unavailable(reason) => SendError::Transport(format!("signing in: {reason}")),
        other => SendError::Auth(other),
    }
}

/// A reqwest error as the scheduler should read it: what kind of failure,
/// without the URL's query (it carries no secret, but is noise).
fn transport_failure(e: reqwest::Error) -> SendError {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "connection failed"
    } else if e.is_body() || e.is_decode() {
        "answer cut off"
    } else {
        "request failed"
    };
    let e = e.without_url();
    let mut reason = format!("{kind}: {e}");
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        reason.push_str(": ");
        reason.push_str(&s.to_string());
        source = s.source();
    }
    SendError::Transport(reason)
}
