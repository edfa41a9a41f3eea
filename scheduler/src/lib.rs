#![warn(missing_docs)]
//! The georestore scheduler: one sans-IO state machine that decides every
#![allow(clippy::result_large_err)] // FileError is large but only on the error path.
//! step of recovering a database-per-tenant Azure SQL estate into another
//! region from geo-redundant backups, cancelling that recovery, and
//! repatriating afterwards.
//!
//! It performs no I/O, reads no clock and draws random numbers only from a
//! generator its caller seeds, so the simulator and the real driver run the
//! very same code. The calling protocol (after quinn-proto):
//!
//! 1. [`Scheduler::new`] with a validated [`fleet::Fleet`], a [`Strategy`]
//!    and a [`Config`];
//! 2. drain [`Scheduler::poll_command`] until `None`, carrying out each
//!    [`Command`] and reporting its outcome as an [`Event`] through
//!    [`Scheduler::handle`] (draining again after every call);
//! 3. when idle, wait until [`Scheduler::next_wakeup`] and call
//!    `handle(now, Event::Wakeup)`;
//! 4. [`Scheduler::status`] says where things stand; the run is over for
//!    now when `status().finished`.
//!
//! Every command handed out must eventually get an outcome through
//! `handle` (accepted, succeeded, throttled, failed; `Changed` for a change
//! check), even one a cancel made moot: the scheduler counts it in flight
//! until then.
//!
//! [`plan::dry_run`] is the smallest such caller: every command succeeds at once.
//!
//! ```
//! use scheduler::{Config, Event, Scheduler, fleet::Fleet, strategy};
//!
//! let text = include_str!("../../scenarios/fleets/wingtip-demo.toml");
//! let fleet = Fleet::from_toml_str(text, "wingtip-demo.toml")?;
//! let strategy = strategy::by_name("priority-pacing").expect("built in");
//! let mut scheduler = Scheduler::new(fleet, strategy, Config::default(), 0);
//! let mut now_ms = 0;
//! while !scheduler.status().finished {
//!     while let Some(command) = scheduler.poll_command() {
//!         // A real caller sends the request here and reports what came back.
//!         scheduler.handle(now_ms, Event::Accepted { op: command.op })?;
//!         scheduler.handle(now_ms, Event::Succeeded { op: command.op })?;
//!     }
//!     match scheduler.next_wakeup() {
//!         Some(at) => {
//!             now_ms = now_ms.max(at);
//!             scheduler.handle(now_ms, Event::Wakeup)?;
//!         }
//!         None => break,
//!     }
//! }
//! assert_eq!(scheduler.status().online_in_recovery, 20);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod backoff;
mod command;
pub mod diagnostic;
mod dispatch;
mod error;
mod estate;
mod event;
pub mod fleet;
mod limits;
mod machine;
mod notice;
pub mod plan;
pub mod protocol;
pub mod resume;
mod state;
pub mod strategy;

pub use arm;
pub use backoff::{Backoff, SplitMix64};
pub use command::{
    Action, AliasRef, ArmClass, Command, DbCopy, OpId, Placement, Region, ServerRef,
};
pub use error::SchedulerError;
pub use estate::Estate;
pub use event::{Event, FailureKind};
pub use limits::{BucketLimit, Limits};
pub use machine::{Config, InFlightCaps, OpState, Phase, Scheduler, Status, TenantFailure};

/// Version of the serialized shapes of [`Command`], [`Event`] and
/// [`Notice`] (their serde form), for journals that store them. Bumped on
/// any change a reader of an older journal could not follow.
pub const FORMAT_VERSION: u32 = 1;
pub use notice::Notice;
pub use protocol::{CatalogCall, Work};
pub use state::{RecoveryCopy, ResourceState, TenantState};
pub use strategy::Strategy;
