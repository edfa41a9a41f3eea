//! georestore's driver: the real recovery against Azure Resource Manager.
//!
//! The same scheduler the simulator runs, carried out over HTTPS: an
//! [`transport::ArmClient`] (reqwest, rustls) with tokens from
//! `azure_identity` ([`credential::Authorizer`]), on a monotonic clock
//! ([`clock::ScaledClock`], scaled when it runs against the emulator), by
//! the [`executor::Executor`], which records every command's intent in the
//! crash-safe [`journal`] before sending it. A [`lock`] keeps one writer
//! per journal; tenant [`catalog`] back ends carry out catalog calls;
//! [`status`] summarizes a journal. Nothing here reads a status code, an
//! ARM error code or a rate-limit header: that is the shared `arm`
//! protocol's job, read by the scheduler.

#![warn(missing_docs)]

pub mod catalog;
pub mod clock;
pub mod credential;
pub mod executor;
pub mod journal;
pub mod lock;
pub mod recover;
pub mod status;
mod time;
pub mod transport;

pub use time::{format_unix_ms, unix_ms};
