//! Microsoft Entra ID tokens for ARM, from the `azure_identity` crate.
//!
//! The driver never makes or parses a token itself: it picks one of
//! `azure_identity`'s credentials ([`AuthMethod`]), points it at an
//! authority host (the public cloud's, or the emulator's token endpoint)
//! over an HTTPS client that trusts the same extra CA as the ARM client,
//! and asks it for a token for `{arm endpoint}/.default`. The credential
//! caches the token and renews it five minutes before it expires.
//! [`Authorizer::refresh`] builds the credential anew (an empty cache) for
//! the one retry after a 401.
//!
//! Secrets (the client secret, tokens) are held in `azure_core`'s
//! [`Secret`], whose `Debug` prints nothing of them, and never reach a log,
//! the journal or an error message.

use std::fmt;
use std::sync::Arc;

use azure_core::cloud::{CloudConfiguration, CustomConfiguration};
use azure_core::credentials::{Secret, TokenCredential};
use azure_core::http::{ClientOptions, Transport};
use azure_identity::{
    AzureCliCredential, ClientAssertionCredentialOptions, ClientSecretCredential,
    ClientSecretCredentialOptions, ManagedIdentityCredential, ManagedIdentityCredentialOptions,
    WorkloadIdentityCredential, WorkloadIdentityCredentialOptions,
};
use tokio::sync::Mutex;

/// How the driver signs in (`--auth`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AuthMethod {
    /// The Azure CLI's signed-in account (`az account get-access-token`).
    Cli,
    /// The managed identity of the machine, App Service or container.
    ManagedIdentity,
    /// Workload identity federation (`AZURE_FEDERATED_TOKEN_FILE`, as on
    /// AKS).
    WorkloadIdentity,
    /// A service principal's client secret (`AZURE_TENANT_ID`,
    /// `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`).
    ClientSecret,
    /// The first that the environment configures: client secret, then
    /// workload identity, then managed identity (when `IDENTITY_ENDPOINT`
    /// or `MSI_ENDPOINT` is set), else the Azure CLI.
    Default,
}

impl AuthMethod {
    /// Every method with its `--auth` name.
    pub const NAMES: [(&'static str, AuthMethod); 5] = [
        ("cli", AuthMethod::Cli),
        ("managed-identity", AuthMethod::ManagedIdentity),
        ("workload-identity", AuthMethod::WorkloadIdentity),
        ("client-secret", AuthMethod::ClientSecret),
        ("default", AuthMethod::Default),
    ];

    /// The method named `name` (as in [`Self::NAMES`]).
    pub fn parse(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| *m)
    }
}

/// What a credential needs besides the method. Read from the Azure SDKs'
/// usual environment variables by [`CredentialSettings::from_env`].
#[derive(Clone, Default)]
pub struct CredentialSettings {
    /// Directory (tenant) id (`AZURE_TENANT_ID`).
    pub tenant_id: Option<String>,
    /// Application (client) id (`AZURE_CLIENT_ID`).
    pub client_id: Option<String>,
    /// Client secret (`AZURE_CLIENT_SECRET`).
    pub client_secret: Option<Secret>,
    /// Authority host, e.g. `https://login.microsoftonline.com` or the
    /// emulator's base URL (`AZURE_AUTHORITY_HOST`). `None`: public cloud.
    pub authority_host: Option<String>,
}

impl fmt::Debug for CredentialSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialSettings")
            .field("tenant_id", &self.tenant_id)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("authority_host", &self.authority_host)
            .finish()
    }
}

impl CredentialSettings {
    /// From `AZURE_TENANT_ID`, `AZURE_CLIENT_ID`, `AZURE_CLIENT_SECRET`
    /// and `AZURE_AUTHORITY_HOST` (unset or empty = `None`).
    pub fn from_env() -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            tenant_id: var("AZURE_TENANT_ID"),
            client_id: var("AZURE_CLIENT_ID"),
            client_secret: var("AZURE_CLIENT_SECRET").map(Secret::new),
            authority_host: var("AZURE_AUTHORITY_HOST"),
        }
    }
}

/// Why no credential could be built or no token obtained. Never carries a
/// secret: `azure_core` errors are reduced to their kind and message,
/// which name the failing step, not the request body.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// A setting the method needs is missing.
    #[error("--auth {method}: {what} is not set (set {env})")]
    Missing {
        /// The `--auth` name.
        method: &'static str,
        /// What is missing.
        what: &'static str,
        /// The environment variable to set.
        env: &'static str,
    },
    /// `azure_identity` refused to build the credential or get a token
    /// (wrong secret, unknown client, no CLI login...): fix the
    /// credentials, then `--resume`.
    #[error("{0}")]
    Identity(String),
    /// The token endpoint could not be reached or failed on its side
    /// (connection, timeout, 429, 5xx): worth trying again later.
    #[error("{0}")]
    Unavailable(String),
    /// ARM refused the token again right after it was renewed (401).
    #[error("ARM refused a freshly issued token (HTTP 401): check the identity's access")]
    Rejected,
}

/// Whether `e` (or what caused it) is the token endpoint being
/// unreachable or failing on its side, rather than the credentials.
fn transient(e: &azure_core::Error) -> bool {
    use azure_core::error::ErrorKind;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(az) = c.downcast_ref::<azure_core::Error>() {
            match az.kind() {
                ErrorKind::Io | ErrorKind::Connection => return true,
                ErrorKind::HttpResponse { status, .. } => {
                    let code = u16::from(*status);
                    if code == 429 || code >= 500 {
                        return true;
                    }
                }
                _ => {}
            }
        }
        if c.downcast_ref::<reqwest::Error>()
            .is_some_and(|r| r.is_connect() || r.is_timeout())
        {
            return true;
        }
        cause = c.source();
    }
    false
}

fn identity_error(e: azure_core::Error) -> AuthError {
    let text = format!("Microsoft Entra ID: {e}");
    if transient(&e) {
        AuthError::Unavailable(text)
    } else {
        AuthError::Identity(text)
    }
}

/// Builds credentials of one method and hands out bearer tokens for one
/// scope. Cheap to share (`Arc`); `Send + Sync`.
pub struct Authorizer {
    method: AuthMethod,
    settings: CredentialSettings,
    http: reqwest::Client,
    scope: String,
    credential: Mutex<Arc<dyn TokenCredential>>,
}

impl fmt::Debug for Authorizer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authorizer")
            .field("method", &self.method)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

impl Authorizer {
    /// A credential of `method`, talking to the authority host over `http`
    /// (so it trusts the same CAs as the ARM client), for tokens of
    /// `scope` (e.g. `https://management.azure.com/.default`).
    pub fn new(
        method: AuthMethod,
        settings: CredentialSettings,
        http: reqwest::Client,
        scope: String,
    ) -> Result<Self, AuthError> {
        let credential = build(method, &settings, &http)?;
        Ok(Self {
            method,
            settings,
            http,
            scope,
            credential: Mutex::new(credential),
        })
    }

    /// A bearer token (cached by the credential until 5 minutes before it
    /// expires).
    pub async fn token(&self) -> Result<Secret, AuthError> {
        let credential = Arc::clone(&*self.credential.lock().await);
        let token = credential
            .get_token(&[self.scope.as_str()], None)
            .await
            .map_err(identity_error)?;
        Ok(token.token)
    }

    /// Drops the cached token (a fresh credential) and gets a new one:
    /// after ARM answered 401 to a token the cache still thought valid.
    pub async fn refresh(&self) -> Result<Secret, AuthError> {
        let fresh = build(self.method, &self.settings, &self.http)?;
        *self.credential.lock().await = fresh;
        self.token().await
    }
}

fn client_options(settings: &CredentialSettings, http: &reqwest::Client) -> ClientOptions {
    let mut options = ClientOptions {
        transport: Some(Transport::new(Arc::new(http.clone()))),
        ..ClientOptions::default()
    };
    if let Some(host) = &settings.authority_host {
        let mut custom = CustomConfiguration::default();
        custom.authority_host = host.trim_end_matches('/').to_owned();
        options.cloud = Some(Arc::new(CloudConfiguration::Custom(custom)));
    }
    options
}

fn build(
    method: AuthMethod,
    settings: &CredentialSettings,
    http: &reqwest::Client,
) -> Result<Arc<dyn TokenCredential>, AuthError> {
    let env_set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    match method {
        AuthMethod::ClientSecret => {
            let missing = |what, env| AuthError::Missing {
                method: "client-secret",
                what,
                env,
            };
            let tenant = settings
                .tenant_id
                .as_deref()
                .ok_or_else(|| missing("the tenant id", "AZURE_TENANT_ID"))?;
            let client = settings
                .client_id
                .clone()
                .ok_or_else(|| missing("the client id", "AZURE_CLIENT_ID"))?;
            let secret = settings
                .client_secret
                .clone()
                .ok_or_else(|| missing("the client secret", "AZURE_CLIENT_SECRET"))?;
            let options = ClientSecretCredentialOptions {
                client_options: client_options(settings, http),
            };
            let credential = ClientSecretCredential::new(tenant, client, secret, Some(options))
                .map_err(identity_error)?;
            Ok(credential)
        }
        AuthMethod::WorkloadIdentity => {
            let options = WorkloadIdentityCredentialOptions {
                credential_options: ClientAssertionCredentialOptions {
                    client_options: client_options(settings, http),
                },
                client_id: settings.client_id.clone(),
                tenant_id: settings.tenant_id.clone(),
                ..WorkloadIdentityCredentialOptions::default()
            };
            Ok(WorkloadIdentityCredential::new(Some(options)).map_err(identity_error)?)
        }
        AuthMethod::ManagedIdentity => {
            let options = ManagedIdentityCredentialOptions {
                client_options: client_options(settings, http),
                ..ManagedIdentityCredentialOptions::default()
            };
            Ok(ManagedIdentityCredential::new(Some(options)).map_err(identity_error)?)
        }
        AuthMethod::Cli => Ok(AzureCliCredential::new(None).map_err(identity_error)?),
        AuthMethod::Default => {
            let next = if settings.client_secret.is_some() {
                AuthMethod::ClientSecret
            } else if env_set("AZURE_FEDERATED_TOKEN_FILE") {
                AuthMethod::WorkloadIdentity
            } else if env_set("IDENTITY_ENDPOINT") || env_set("MSI_ENDPOINT") {
                AuthMethod::ManagedIdentity
            } else {
                AuthMethod::Cli
            };
            build(next, settings, http)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_unknown_names_are_refused() {
        for (name, method) in AuthMethod::NAMES {
            assert_eq!(AuthMethod::parse(name), Some(method));
        }
        assert_eq!(AuthMethod::parse("password"), None);
    }

    #[test]
    fn a_missing_client_secret_names_the_variable_and_debug_hides_secrets() {
        let settings = CredentialSettings {
            tenant_id: Some("00000000-0000-0000-0000-000000000001".into()),
            client_id: Some("app".into()),
            client_secret: None,
            authority_host: None,
        };
        let err = Authorizer::new(
            AuthMethod::ClientSecret,
            settings.clone(),
            reqwest::Client::new(),
            "https://management.azure.com/.default".into(),
        )
        .err()
        .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("--auth client-secret: the client secret is not set (set AZURE_CLIENT_SECRET)")
        );
        let with_secret = CredentialSettings {
            client_secret: Some(Secret::new("hunter2-very-secret")),
            ..settings
        };
        let shown = format!("{with_secret:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("***"), "{shown}");
    }
}
