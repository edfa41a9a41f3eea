#![warn(missing_docs)]
//! georestore's real driver, the synchronous foundations: the crash-safe
//! [`journal`], the single-writer [`lock`], the tenant [`catalog`] back ends
//! and the [`status`] summary read from a journal.
//!
//! The executor, the HTTPS transport and the credentials plug into these
//! pieces; nothing here interprets ARM status codes or headers on its own
//! (the status URL of an accepted operation comes from [`arm::interpret`]).
//!
//! How an executor uses them, one round (the transport is faked here: every
//! ARM request is answered 200):
//!
//! ```
//! use driver::catalog::{Catalog, SqliteCatalog};
//! use driver::journal::{Journal, RunInfo, default_path};
//! use scheduler::{Config, Event, OpState, Scheduler, Work, fleet::Fleet, strategy};
//!
//! # let dir = tempfile::tempdir()?;
//! # let fleet_path = dir.path().join("wingtip-demo.toml");
//! # std::fs::write(&fleet_path, include_str!("../../scenarios/fleets/wingtip-demo.toml"))?;
//! let text = std::fs::read_to_string(&fleet_path)?;
//! let fleet = Fleet::from_toml_str(&text, "wingtip-demo.toml")?;
//! let run = RunInfo::for_fleet(&fleet_path, &fleet, "priority-pacing", "0.1.0")?;
//! // Refused if another process runs this recovery, or the journal is another fleet's.
//! let mut journal = Journal::open(&default_path(&fleet_path), &run)?;
//! let mut catalog = SqliteCatalog::open(&driver::catalog::default_path(&fleet_path))?;
//! catalog.seed_from_fleet(&fleet)?;
//! let strategy = strategy::by_name("priority-pacing").ok_or("no such strategy")?;
//! let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
//!
//! // Drain what the scheduler hands out, journal the intents (one fsync for
//! // the whole batch), and only then send.
//! let batch: Vec<_> = std::iter::from_fn(|| s.poll_command()).collect();
//! journal.record_intents(&batch)?;
//! for command in &batch {
//!     let op = command.op;
//!     let event = match &command.work {
//!         Work::Arm(request) => {
//!             let response = arm::Response::new(200); // what the transport got back
//!             journal.record_response(op, request, &response)?;
//!             Event::Response { op, response }
//!         }
//!         Work::Catalog(call) => match catalog.apply(call) {
//!             Ok(answer) => {
//!                 journal.record_catalog_outcome(op, &answer.to_outcome())?;
//!                 answer.to_event(op)
//!             }
//!             Err(err) => {
//!                 journal.record_catalog_outcome(op, &err.to_outcome())?;
//!                 err.to_event(op)
//!             }
//!         },
//!     };
//!     s.handle(0, event)?;
//!     if matches!(s.op_state(op), Some(OpState::Done | OpState::Dropped)) {
//!         journal.record_finished(op);
//!     }
//! }
//! while let Some(notice) = s.poll_notice() {
//!     journal.record_notice(&notice, s.estate())?;
//! }
//! journal.flush()?; // before waiting for the next wakeup
//!
//! let summary = driver::status::Summary::read(journal.path())?;
//! assert_eq!((summary.requests_sent + summary.catalog_calls) as usize, batch.len());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod catalog;
pub mod journal;
pub mod lock;
pub mod status;
mod time;

pub use time::{format_unix_ms, unix_ms};
