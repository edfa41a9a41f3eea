//! What an emulator is started with.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::EmulatorError;
use crate::faults::Faults;

/// One service principal the token endpoint knows: a client id and its
/// secret (client-credentials flow).
#[derive(Clone, PartialEq, Eq)]
pub struct ClientCredential {
    /// The application (client) id.
    pub client_id: String,
    /// The client secret.
    pub secret: String,
}

impl std::fmt::Debug for ClientCredential {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientCredential")
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// The identity endpoint's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityConfig {
    /// The directory (tenant) id the token endpoint serves
    /// (`/{tenant}/oauth2/v2.0/token`). Requests for another tenant are
    /// refused as Entra ID refuses an unknown tenant.
    pub tenant_id: String,
    /// The service principals that may obtain tokens.
    pub clients: Vec<ClientCredential>,
    /// Lifetime of the access tokens issued (`expires_in`). Zero issues
    /// tokens that are already expired (for tests).
    pub token_lifetime: Duration,
}

/// The default tenant id.
pub const DEFAULT_TENANT_ID: &str = "00000000-0000-0000-0000-00000000e111";
/// The default client id.
pub const DEFAULT_CLIENT_ID: &str = "00000000-0000-0000-0000-0000000c1e47";
/// The default client secret (the emulator is for loopback tests only).
pub const DEFAULT_CLIENT_SECRET: &str = "georestore-emulator-secret";

impl Default for IdentityConfig {
    /// Tenant [`DEFAULT_TENANT_ID`], one client [`DEFAULT_CLIENT_ID`] /
    /// [`DEFAULT_CLIENT_SECRET`], tokens valid for one hour (as Entra ID's).
    fn default() -> Self {
        Self {
            tenant_id: DEFAULT_TENANT_ID.to_owned(),
            clients: vec![ClientCredential {
                client_id: DEFAULT_CLIENT_ID.to_owned(),
                secret: DEFAULT_CLIENT_SECRET.to_owned(),
            }],
            token_lifetime: Duration::from_secs(3600),
        }
    }
}

/// Everything an [`crate::Emulator`] starts with besides the model.
#[derive(Debug, Clone, PartialEq)]
pub struct EmulatorConfig {
    /// Address to bind; port 0 picks a free port. Loopback only unless
    /// [`EmulatorConfig::allow_remote`].
    pub listen: SocketAddr,
    /// Model milliseconds per real millisecond (finite, > 0).
    pub time_scale: f64,
    /// Serve HTTPS with a certificate generated at start.
    pub tls: bool,
    /// Where to write the CA certificate (PEM) clients must trust, with
    /// `tls`. The PEM is also returned by [`crate::Emulator::ca_pem`].
    pub ca_file: Option<PathBuf>,
    /// Allow a non-loopback `listen` address (requires `tls`).
    pub allow_remote: bool,
    /// The token endpoint's tenant and clients.
    pub identity: IdentityConfig,
    /// Bearer token for `/_emulator/*`; `None` generates a random one
    /// ([`crate::Emulator::admin_token`]).
    pub admin_token: Option<String>,
    /// Items per page of a list answer (`nextLink` beyond); 0 = one page.
    pub page_size: usize,
    /// When the origin region comes back, model ms from the start
    /// (`None`: it stays down).
    pub origin_back_at_ms: Option<u64>,
    /// How long [`crate::Emulator::shutdown`] waits for in-flight requests.
    pub shutdown_grace: Duration,
    /// The faults in force from the start (`POST /_emulator/faults`
    /// replaces them; a storm starts with the server).
    pub faults: Faults,
}

impl Default for EmulatorConfig {
    /// `127.0.0.1:0`, real time, plain HTTP, default identity, pages of
    /// 1,000 items (as Azure SQL lists), origin down for good, 10 s grace.
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            time_scale: 1.0,
            tls: false,
            ca_file: None,
            allow_remote: false,
            identity: IdentityConfig::default(),
            admin_token: None,
            page_size: 1000,
            origin_back_at_ms: None,
            shutdown_grace: Duration::from_secs(10),
            faults: Faults::default(),
        }
    }
}

impl EmulatorConfig {
    /// Checks the settings: a finite positive time scale, a loopback
    /// address unless `allow_remote` (and then TLS), at least one client,
    /// a non-empty tenant, faults in range.
    pub fn validate(&self) -> Result<(), EmulatorError> {
        if !(self.time_scale.is_finite() && self.time_scale > 0.0) {
            return Err(EmulatorError::Config(format!(
                "time scale {} must be a finite number > 0",
                self.time_scale
            )));
        }
        if !self.listen.ip().is_loopback() {
            if !self.allow_remote {
                return Err(EmulatorError::Config(format!(
                    "{} is not a loopback address; pass allow_remote (--allow-remote) to listen there",
                    self.listen
                )));
            }
            if !self.tls {
                return Err(EmulatorError::Config(
                    "listening on a non-loopback address requires TLS (--tls)".to_owned(),
                ));
            }
        }
        if self.identity.tenant_id.trim().is_empty() {
            return Err(EmulatorError::Config("the tenant id is empty".to_owned()));
        }
        if let Err(e) = self.faults.validate() {
            return Err(EmulatorError::Config(e.to_string()));
        }
        if self.identity.clients.is_empty() {
            return Err(EmulatorError::Config(
                "no client id/secret is configured for the token endpoint".to_owned(),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_valid() {
        assert!(EmulatorConfig::default().validate().is_ok());
    }

    #[test]
    fn remote_needs_the_flag_and_tls() {
        let mut c = EmulatorConfig {
            listen: SocketAddr::from(([0, 0, 0, 0], 0)),
            ..EmulatorConfig::default()
        };
        assert!(c.validate().is_err());
        c.allow_remote = true;
        assert!(c.validate().is_err());
        c.tls = true;
        assert!(c.validate().is_ok());
    }

    #[test]
    fn bad_scale_and_identity_are_refused() {
        for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let c = EmulatorConfig {
                time_scale: scale,
                ..EmulatorConfig::default()
            };
            assert!(c.validate().is_err(), "{scale}");
        }
        let mut c = EmulatorConfig::default();
        c.identity.clients.clear();
        assert!(c.validate().is_err());
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let c = EmulatorConfig::default();
        assert!(!format!("{c:?}").contains(DEFAULT_CLIENT_SECRET));
    }
}
