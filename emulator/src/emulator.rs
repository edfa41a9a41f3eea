//! [`Emulator`]: start, address, shut down.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use sim::scenario::Scenario;
use sim::{AzureModel, ServeContext};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::app::App;
use crate::clock::ModelClock;
use crate::config::EmulatorConfig;
use crate::error::EmulatorError;
use crate::identity::{self, Identity};
use crate::world::World;
use crate::{server, tls};

/// A running emulator: an ARM-compatible HTTP(S) server on loopback over
/// an Azure model, with a token endpoint and `/_emulator/*`.
///
/// Start it inside a tokio runtime; it serves on tasks of that runtime
/// until [`Emulator::shutdown`] (or until dropped, which stops accepting
/// without waiting).
pub struct Emulator {
    base_url: String,
    local_addr: SocketAddr,
    ca_pem: Option<String>,
    admin_token: String,
    tenant_id: String,
    stop: watch::Sender<bool>,
    task: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Emulator {
    /// Never prints the admin token.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

/// The base URL of a bound address: `http(s)://127.0.0.1:port` or
/// `http(s)://[::1]:port`; an unspecified address is named by loopback.
fn base_url(addr: SocketAddr, tls: bool) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    let scheme = if tls { "https" } else { "http" };
    format!("{scheme}://{}", SocketAddr::new(ip, addr.port()))
}

impl Emulator {
    /// Binds `config.listen`, generates the certificate (with `tls`, and
    /// writes the CA to `config.ca_file`), and serves `model` (named in
    /// ARM as `ctx` says) with its clock starting now at model time 0
    /// (`model`'s own clock should be at 0 too). Fails on an invalid
    /// config, a bind error or a certificate/file error.
    pub async fn start(
        model: AzureModel,
        ctx: ServeContext,
        config: EmulatorConfig,
    ) -> Result<Self, EmulatorError> {
        config.validate()?;
        let listener =
            TcpListener::bind(config.listen)
                .await
                .map_err(|source| EmulatorError::Io {
                    what: format!("binding {}", config.listen),
                    source,
                })?;
        let local_addr = listener.local_addr().map_err(|source| EmulatorError::Io {
            what: "reading the bound address".to_owned(),
            source,
        })?;
        let (acceptor, ca_pem) = if config.tls {
            let tls = tls::generate(Some(local_addr.ip()))?;
            if let Some(path) = &config.ca_file {
                tokio::fs::write(path, &tls.ca_pem)
                    .await
                    .map_err(|source| EmulatorError::Io {
                        what: format!("writing the CA certificate to {}", path.display()),
                        source,
                    })?;
            }
            (Some(tls.acceptor), Some(tls.ca_pem))
        } else {
            (None, None)
        };
        let base_url = base_url(local_addr, config.tls);
        let admin_token = config
            .admin_token
            .clone()
            .unwrap_or_else(identity::random_secret);
        let tenant_id = config.identity.tenant_id.clone();
        let clock = ModelClock::start(config.time_scale);
        let world = World::new(model, ctx, clock, config.origin_back_at_ms);
        world.set_faults(config.faults.clone());
        let app = Arc::new(App {
            world,
            identity: Identity::new(config.identity.clone()),
            base_url: base_url.clone(),
            admin_token: admin_token.clone(),
            page_size: config.page_size,
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(server::run(
            listener,
            acceptor,
            app,
            stopped,
            config.shutdown_grace,
        ));
        Ok(Self {
            base_url,
            local_addr,
            ca_pem,
            admin_token,
            tenant_id,
            stop,
            task: Some(task),
        })
    }

    /// Seeds the model from `scenario` (its fleet's origin estate as
    /// recoverable databases, the origin region down, its model
    /// parameters and contention, seed `scenario.file.seed`) and starts.
    /// The origin comes back at `config.origin_back_at_ms` if set, else
    /// at the scenario's earliest of `disaster.cancel_at_s` and
    /// `disaster.repatriate_at_s` (model time), else never. The scenario's
    /// `disaster.lost_answer_share` becomes the connection-reset rate
    /// (answers lost after the model acted) unless `config.faults` sets one.
    pub async fn from_scenario(
        scenario: &Scenario,
        mut config: EmulatorConfig,
    ) -> Result<Self, EmulatorError> {
        let settings = scenario.settings(scenario.file.seed);
        let (model, ctx) = sim::runner::seed_model(&scenario.fleet, &settings)?;
        if config.origin_back_at_ms.is_none() {
            config.origin_back_at_ms = [settings.cancel_at_ms, settings.repatriate_at_ms]
                .into_iter()
                .flatten()
                .min();
        }
        if config.faults.reset_rate == 0.0 {
            config.faults.reset_rate = settings.lost_answer_share;
        }
        Self::start(model, ctx, config).await
    }

    /// `http(s)://127.0.0.1:port` (no trailing slash): the ARM endpoint and
    /// the authority host of the token endpoint.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound socket address.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The CA certificate (PEM) clients must trust, with TLS.
    pub fn ca_pem(&self) -> Option<&str> {
        self.ca_pem.as_deref()
    }

    /// The bearer token of `/_emulator/*`.
    pub fn admin_token(&self) -> &str {
        &self.admin_token
    }

    /// The tenant id of the token endpoint.
    pub fn tenant_id(&self) -> &str {
        &self.tenant_id
    }

    /// The token endpoint of the client-credentials flow.
    pub fn token_url(&self) -> String {
        format!("{}/{}/oauth2/v2.0/token", self.base_url, self.tenant_id)
    }

    /// Stops accepting connections, answers the requests in flight (at
    /// most the config's `shutdown_grace`), and returns once the server
    /// task has ended.
    pub async fn shutdown(mut self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    /// Stops accepting (without waiting for connections to finish).
    fn drop(&mut self) {
        let _ = self.stop.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        let v4: SocketAddr = "127.0.0.1:8443".parse().expect("addr");
        assert_eq!(base_url(v4, true), "https://127.0.0.1:8443");
        let v6: SocketAddr = "[::1]:80".parse().expect("addr");
        assert_eq!(base_url(v6, false), "http://[::1]:80");
        let any: SocketAddr = "0.0.0.0:1".parse().expect("addr");
        assert_eq!(base_url(any, true), "https://127.0.0.1:1");
    }
}
