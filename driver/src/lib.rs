#![warn(missing_docs)]
//! georestore's real driver, the synchronous foundations: the crash-safe
//! [`journal`], the single-writer [`lock`], the tenant [`catalog`] back ends
//! and the [`status`] summary read from a journal.
//!
//! The executor, the HTTPS transport and the credentials plug into these
//! pieces; nothing here interprets ARM status codes or headers on its own
//! (the status URL of an accepted operation comes from [`arm::interpret`]).

pub mod catalog;
pub mod journal;
pub mod lock;
pub mod status;
mod time;

pub use time::{format_unix_ms, unix_ms};
