//! The identity endpoint: a Microsoft identity platform look-alike for the
//! client-credentials flow, and the bearer-token check of every ARM call.
//!
//! Served paths (`{tenant}` = [`IdentityConfig::tenant_id`]):
//! - `POST /{tenant}/oauth2/v2.0/token`, form `grant_type=client_credentials`,
//!   `client_id`, `client_secret`, `scope=<resource>/.default` (what the
//!   Rust `azure_identity` crate's `ClientSecretCredential` and MSAL send);
//! - `POST /{tenant}/oauth2/token` (v1: `resource=` instead of `scope=`);
//! - `GET /{tenant}/v2.0/.well-known/openid-configuration` and
//!   `GET /{tenant}/.well-known/openid-configuration` (MSAL's tenant
//!   discovery), `GET /common/discovery/instance` (MSAL's instance
//!   discovery).
//!
//! Tokens are opaque random strings remembered with their client,
//! audience and expiry (nothing parses them: Azure SDKs never read an
//! access token). ARM accepts a token whose audience is ARM's
//! (`https://management.azure.com/` or `https://management.core.windows.net/`)
//! and that has not expired; anything else is answered 401 with ARM's
//! `WWW-Authenticate: Bearer authorization_uri=…, error="invalid_token",
//! error_description=…` and error body.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use tokio::time::Instant;

use crate::config::IdentityConfig;

/// The audiences ARM accepts (compared without trailing slashes).
pub const ARM_AUDIENCES: [&str; 2] = [
    "https://management.azure.com",
    "https://management.core.windows.net",
];

#[derive(Debug, Clone)]
struct Issued {
    audience: String,
    expires_at: Instant,
}

/// Why ARM refuses a request's credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthFailure {
    /// ARM error code (`AuthenticationFailed`, `ExpiredAuthenticationToken`,
    /// `InvalidAuthenticationToken`, `InvalidAuthenticationTokenAudience`).
    pub code: &'static str,
    /// ARM error message (body).
    pub message: String,
    /// `error_description` of the `WWW-Authenticate` challenge.
    pub description: String,
}

/// A token endpoint answer: status and JSON body.
pub type TokenAnswer = (u16, Value);

/// Issued tokens and the configured principals.
pub struct Identity {
    config: IdentityConfig,
    tokens: Mutex<HashMap<String, Issued>>,
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    // The OS generator; if it is unavailable, the tokens are still unique
    // per process (counter below) but guessable: acceptable for loopback.
    if getrandom::fill(&mut buf).is_err() {
        static FALLBACK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let n = FALLBACK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        for (i, b) in buf.iter_mut().enumerate() {
            *b = (n >> ((i % 8) * 8)) as u8;
        }
    }
    buf.iter().map(|b| format!("{b:02x}")).collect()
}

/// A random secret of 32 bytes, hex (admin tokens).
pub fn random_secret() -> String {
    random_hex(32)
}

fn entra_error(status: u16, error: &str, code: u32, description: &str) -> TokenAnswer {
    let trace = random_hex(16);
    (
        status,
        json!({
            "error": error,
            "error_description": format!("AADSTS{code}: {description} Trace ID: {trace}"),
            "error_codes": [code],
            "timestamp": httpdate::fmt_http_date(SystemTime::now()),
            "trace_id": trace,
            "correlation_id": random_hex(16),
        }),
    )
}

fn trim_slashes(s: &str) -> &str {
    s.trim_end_matches('/')
}

impl Identity {
    /// An endpoint for `config`.
    pub fn new(config: IdentityConfig) -> Self {
        Self {
            config,
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// The tenant id served.
    pub fn tenant_id(&self) -> &str {
        &self.config.tenant_id
    }

    /// Answers a token request for `tenant` with the form body `form`;
    /// `v1` = the `/oauth2/token` endpoint (`resource=` rather than `scope=`).
    pub fn token(&self, tenant: &str, form: &[u8], v1: bool) -> TokenAnswer {
        if !tenant.eq_ignore_ascii_case(&self.config.tenant_id) {
            return entra_error(
                400,
                "invalid_request",
                90002,
                &format!("Tenant '{tenant}' not found."),
            );
        }
        let fields: HashMap<String, String> = form_urlencoded::parse(form).into_owned().collect();
        let field = |k: &str| fields.get(k).map(String::as_str).unwrap_or_default();
        if field("grant_type") != "client_credentials" {
            return entra_error(
                400,
                "unsupported_grant_type",
                70003,
                "The app requested an unsupported grant type; this emulator serves 'client_credentials' only.",
            );
        }
        let client_id = field("client_id");
        let Some(client) = self
            .config
            .clients
            .iter()
            .find(|c| c.client_id.eq_ignore_ascii_case(client_id))
        else {
            return entra_error(
                400,
                "unauthorized_client",
                700016,
                &format!(
                    "Application with identifier '{client_id}' was not found in the directory '{tenant}'."
                ),
            );
        };
        if client.secret != field("client_secret") {
            return entra_error(
                401,
                "invalid_client",
                7000215,
                "Invalid client secret provided.",
            );
        }
        let audience = if v1 {
            field("resource").to_owned()
        } else {
            let scope = field("scope");
            match scope
                .split_whitespace()
                .next()
                .and_then(|s| s.strip_suffix(".default"))
            {
                Some(resource) if !resource.is_empty() => resource.to_owned(),
                _ => {
                    return entra_error(
                        400,
                        "invalid_scope",
                        1002012,
                        &format!(
                            "The provided value for scope '{scope}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
                        ),
                    );
                }
            }
        };
        if audience.is_empty() {
            return entra_error(400, "invalid_resource", 500011, "No resource was named.");
        }
        let lifetime = self.config.token_lifetime;
        let token = format!("emu.{}", random_hex(32));
        let now = Instant::now();
        if let Ok(mut tokens) = self.tokens.lock() {
            tokens.retain(|_, t| t.expires_at > now);
            tokens.insert(
                token.clone(),
                Issued {
                    audience: audience.clone(),
                    expires_at: now + lifetime,
                },
            );
        }
        let secs = lifetime.as_secs();
        let mut body = json!({
            "token_type": "Bearer",
            "expires_in": secs,
            "ext_expires_in": secs,
            "access_token": token,
        });
        if v1 {
            let on = SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or(Duration::ZERO)
                + lifetime;
            body["resource"] = json!(audience);
            body["expires_on"] = json!(on.as_secs().to_string());
        }
        (200, body)
    }

    /// Checks an `Authorization` header value for an ARM call.
    pub fn check(&self, authorization: Option<&str>) -> Result<(), AuthFailure> {
        let Some(value) = authorization else {
            return Err(AuthFailure {
                code: "AuthenticationFailed",
                message: "Authentication failed. The 'Authorization' header is missing.".to_owned(),
                description: "The authentication failed because of missing 'Authorization' header."
                    .to_owned(),
            });
        };
        let token = match value.split_once(' ') {
            Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
            _ => {
                return Err(AuthFailure {
                    code: "InvalidAuthenticationToken",
                    message: "The access token is invalid.".to_owned(),
                    description: "The 'Authorization' header is not a Bearer token.".to_owned(),
                });
            }
        };
        let issued = self.tokens.lock().ok().and_then(|t| t.get(token).cloned());
        let Some(issued) = issued else {
            return Err(AuthFailure {
                code: "InvalidAuthenticationToken",
                message: "The access token is invalid.".to_owned(),
                description:
                    "The access token is invalid (not issued by this emulator's token endpoint)."
                        .to_owned(),
            });
        };
        if Instant::now() >= issued.expires_at {
            return Err(AuthFailure {
                code: "ExpiredAuthenticationToken",
                message: "The access token expiry UTC time is earlier than current UTC time."
                    .to_owned(),
                description: "The access token is expired.".to_owned(),
            });
        }
        let audience = trim_slashes(&issued.audience);
        if !ARM_AUDIENCES
            .iter()
            .any(|a| a.eq_ignore_ascii_case(audience))
        {
            return Err(AuthFailure {
                code: "InvalidAuthenticationTokenAudience",
                message: format!(
                    "The access token has been obtained for wrong audience or resource '{}'. It should exactly match with one of the allowed audiences 'https://management.core.windows.net/','https://management.core.windows.net','https://management.azure.com/','https://management.azure.com'.",
                    issued.audience
                ),
                description: "The access token has been obtained for wrong audience or resource."
                    .to_owned(),
            });
        }
        Ok(())
    }

    /// The `WWW-Authenticate` challenge ARM sends with a 401:
    /// `Bearer authorization_uri="{base}/{tenant}", error="invalid_token", error_description="…"`.
    pub fn challenge(&self, base_url: &str, failure: &AuthFailure) -> String {
        format!(
            "Bearer authorization_uri=\"{base_url}/{}\", error=\"invalid_token\", error_description=\"{}\"",
            self.config.tenant_id,
            failure.description.replace('"', "'")
        )
    }

    /// The OpenID configuration of the tenant (`v2` endpoints or v1).
    pub fn openid_configuration(&self, base_url: &str, v2: bool) -> Value {
        let tenant = &self.config.tenant_id;
        let (oauth, issuer) = if v2 {
            (
                format!("{base_url}/{tenant}/oauth2/v2.0"),
                format!("{base_url}/{tenant}/v2.0"),
            )
        } else {
            (
                format!("{base_url}/{tenant}/oauth2"),
                format!("{base_url}/{tenant}/"),
            )
        };
        json!({
            "token_endpoint": format!("{oauth}/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "jwks_uri": format!("{base_url}/{tenant}/discovery/v2.0/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": issuer,
            "request_uri_parameter_supported": false,
            "userinfo_endpoint": format!("{base_url}/oidc/userinfo"),
            "authorization_endpoint": format!("{oauth}/authorize"),
            "device_authorization_endpoint": format!("{oauth}/devicecode"),
            "http_logout_supported": true,
            "frontchannel_logout_supported": true,
            "end_session_endpoint": format!("{oauth}/logout"),
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid"],
            "tenant_region_scope": "WW",
            "cloud_instance_name": "georestore.emulator",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
        })
    }

    /// MSAL's instance-discovery answer: this host is its own cloud.
    pub fn instance_discovery(&self, base_url: &str) -> Value {
        let host = base_url
            .split_once("://")
            .map(|(_, h)| h)
            .unwrap_or(base_url);
        json!({
            "tenant_discovery_endpoint": format!(
                "{base_url}/{}/v2.0/.well-known/openid-configuration",
                self.config.tenant_id
            ),
            "api-version": "1.1",
            "metadata": [{
                "preferred_network": host,
                "preferred_cache": host,
                "aliases": [host],
            }],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_TENANT_ID};

    fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
            .into_bytes()
    }

    fn client_form(secret: &str, scope: &str) -> Vec<u8> {
        form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", secret),
            ("scope", scope),
        ])
    }

    fn issue(id: &Identity, scope: &str) -> String {
        let (status, body) = id.token(
            DEFAULT_TENANT_ID,
            &client_form(DEFAULT_CLIENT_SECRET, scope),
            false,
        );
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().expect("a token").to_owned()
    }

    #[test]
    fn arm_token_is_accepted_others_refused() {
        let id = Identity::new(IdentityConfig::default());
        let arm = issue(&id, "https://management.azure.com/.default");
        assert_eq!(id.check(Some(&format!("Bearer {arm}"))), Ok(()));
        assert_eq!(id.check(Some(&format!("bearer {arm}"))), Ok(()));
        let storage = issue(&id, "https://storage.azure.com/.default");
        let e = id.check(Some(&format!("Bearer {storage}"))).unwrap_err();
        assert_eq!(e.code, "InvalidAuthenticationTokenAudience");
        assert_eq!(id.check(None).unwrap_err().code, "AuthenticationFailed");
        let e = id.check(Some("Bearer forged")).unwrap_err();
        assert_eq!(e.code, "InvalidAuthenticationToken");
        let e = id.check(Some(&format!("Basic {arm}"))).unwrap_err();
        assert_eq!(e.code, "InvalidAuthenticationToken");
    }

    #[test]
    fn expired_tokens_are_refused() {
        let id = Identity::new(IdentityConfig {
            token_lifetime: Duration::ZERO,
            ..IdentityConfig::default()
        });
        let t = issue(&id, "https://management.azure.com/.default");
        let e = id.check(Some(&format!("Bearer {t}"))).unwrap_err();
        assert_eq!(e.code, "ExpiredAuthenticationToken");
    }

    #[test]
    fn wrong_secret_client_tenant_grant_and_scope_are_entra_errors() {
        let id = Identity::new(IdentityConfig::default());
        let scope = "https://management.azure.com/.default";
        let (s, b) = id.token(DEFAULT_TENANT_ID, &client_form("nope", scope), false);
        assert_eq!((s, b["error"].as_str()), (401, Some("invalid_client")));
        assert_eq!(b["error_codes"][0], 7000215);
        let (s, b) = id.token(
            "other-tenant",
            &client_form(DEFAULT_CLIENT_SECRET, scope),
            false,
        );
        assert_eq!((s, b["error"].as_str()), (400, Some("invalid_request")));
        let unknown = form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "someone-else"),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("scope", scope),
        ]);
        let (s, b) = id.token(DEFAULT_TENANT_ID, &unknown, false);
        assert_eq!((s, b["error"].as_str()), (400, Some("unauthorized_client")));
        let (s, b) = id.token(
            DEFAULT_TENANT_ID,
            &client_form(
                DEFAULT_CLIENT_SECRET,
                "https://management.azure.com/user_impersonation",
            ),
            false,
        );
        assert_eq!((s, b["error"].as_str()), (400, Some("invalid_scope")));
        let password = form(&[("grant_type", "password")]);
        let (s, b) = id.token(DEFAULT_TENANT_ID, &password, false);
        assert_eq!(
            (s, b["error"].as_str()),
            (400, Some("unsupported_grant_type"))
        );
    }

    #[test]
    fn v1_endpoint_takes_a_resource() {
        let id = Identity::new(IdentityConfig::default());
        let body = form(&[
            ("grant_type", "client_credentials"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("client_secret", DEFAULT_CLIENT_SECRET),
            ("resource", "https://management.core.windows.net/"),
        ]);
        let (s, b) = id.token(DEFAULT_TENANT_ID, &body, true);
        assert_eq!(s, 200, "{b}");
        let t = b["access_token"].as_str().expect("token");
        assert_eq!(id.check(Some(&format!("Bearer {t}"))), Ok(()));
        assert!(b["expires_on"].as_str().is_some());
    }
}
