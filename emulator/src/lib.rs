#![warn(missing_docs)]
//! georestore's emulator: an Azure Resource Manager-compatible HTTP(S)
//! server on loopback, backed by the very Azure model the simulator runs
//! ([`sim::AzureModel::serve`] through the shared [`arm`] protocol), on a
//! clock running `time_scale` times faster than real time.
//!
//! - ARM: every path the model serves (`arm::Request::from_wire` → model →
//!   status, `Azure-AsyncOperation` / `Location` made absolute on the
//!   emulator's base URL, `Retry-After`, `x-ms-ratelimit-remaining-*`,
//!   `x-ms-request-id`, JSON body); lists paged with `nextLink`
//!   (`$skipToken`); anything unknown answered in ARM's error shape.
//! - Identity ([`identity`]): a client-credentials token endpoint and the
//!   discovery documents MSAL fetches; every ARM call needs a bearer token
//!   for ARM's audience (else 401 + `WWW-Authenticate`).
//! - HTTPS ([`tls`]): a CA and certificate generated at start.
//! - `/_emulator/state` and `/_emulator/faults` ([`admin`], [`Faults`])
//!   behind their own admin token.
//!
//! ```no_run
//! # async fn demo(scenario: sim::scenario::Scenario) -> Result<(), emulator::EmulatorError> {
//! let config = emulator::EmulatorConfig { tls: true, time_scale: 1000.0, ..Default::default() };
//! let emu = emulator::Emulator::from_scenario(&scenario, config).await?;
//! println!("ARM at {}, trust {:?}", emu.base_url(), emu.ca_pem());
//! emu.shutdown().await;
//! # Ok(()) }
//! ```

pub mod admin;
pub mod app;
pub mod arm_front;
pub mod clock;
pub mod config;
pub mod emulator;
pub mod error;
pub mod faults;
pub mod identity;
pub mod reply;
pub mod server;
pub mod service;
pub mod tls;
pub mod world;

pub use config::{ClientCredential, EmulatorConfig, IdentityConfig};
pub use emulator::Emulator;
pub use error::EmulatorError;
pub use faults::Faults;
