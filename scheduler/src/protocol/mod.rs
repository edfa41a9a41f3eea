//! The ARM protocol, scheduler side: every command handed out is rendered
//! here into a complete request ([`render`]), and every answer a caller
//! hands back ([`crate::Event::Response`]) is read here, through the shared
//! [`arm`] crate, into what the state machine understands (accepted,
//! succeeded, throttled, failed), with the long-running operations it
//! starts followed to their end:
//!
//! - restores, geo-replicas and moves into a pool: one list of the
//!   server's databases (`PollServer`) reports many at once, by the
//!   database's `status`; one that vanished from the list is looked up
//!   through its own status URL (`PollOperation`), never guessed;
//! - pool creations and deletions: one list of the server's elastic pools
//!   (`PollPools`) reports every pool on it, by its `state`;
//! - everything else: its `Azure-AsyncOperation` (or `Location`) URL.
//!
//! Every poll is an operation of its own, paced in the read budget like any
//! other read; a 429 on a poll slows it and is never a failure of what it
//! follows. Paged lists are followed through `nextLink`.
//!
//! Neither the simulator's runner nor the driver interprets status codes,
//! headers or error codes: they carry requests and answers.

pub(crate) mod follow;
pub(crate) mod names;
mod render;
pub(crate) mod step;

pub(crate) use render::render;
pub use render::{CatalogCall, SQL_DNS_SUFFIX, Work};
pub use step::Step;
