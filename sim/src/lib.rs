//! georestore's simulator core: a deterministic discrete-event engine and a
//! model of the Azure services a geo-restore recovery uses.
//!
//! - [`engine`]: the event queue ordered by (time, sequence).
//! - [`hold`]: the engine-speed workload (the event queue against a bare
//!   binary heap), timed by the engine bench and `georestore bench-gate`.
//! - [`rng`]: seeded per-component random streams.
//! - [`params`]: every model number with its default and source.
//! - [`arm`]: ARM token buckets (429 + Retry-After).
//! - [`restore_queue`]: per-pool / per-subscription restore queues.
//! - [`durations`]: how long operations take.
//! - [`model`]: [`AzureModel`], the service model, free of any event loop.
//! - [`serve`]: [`AzureModel::serve`], the model answering real ARM
//!   requests ([`::arm::Request`]) in ARM's shapes ([`::arm::Response`]).
//! - `sweep` (with `reports`): a scenario over a grid of varied keys ×
//!   seeds, sharded and merged.
//! - `capacity` (with `reports`): `plan-capacity`, the cheapest
//!   recovery-region design meeting RTO targets over a stated grid.
//!
//! Determinism: no wall clock, no threads, no hash-map iteration (hash
//! maps, [`fastmap`], serve look-ups only); every
//! random draw comes from a ChaCha8 stream derived from the seed and a
//! component name. Time is `u64` milliseconds.

#![warn(missing_docs)]
// ScenarioError is large (file, key, message, fix) but only on the error path.
#![allow(clippy::result_large_err)]

pub mod arm;
#[cfg(feature = "reports")]
pub mod capacity;
pub mod codes;
pub mod digest;
pub mod durations;
pub mod engine;
pub mod fastmap;
pub mod hold;
pub mod lower_bound;
pub mod model;
pub mod params;
#[cfg(feature = "reports")]
pub mod report;
pub mod request;
pub mod restore_queue;
#[cfg(feature = "reports")]
pub mod results;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod serve;
#[cfg(feature = "reports")]
pub mod simulate;
pub mod stats;
pub mod submission;
#[cfg(feature = "reports")]
pub mod sweep;

pub use arm::{OpClass, Throttle, TokenBucket};
pub use engine::EventQueue;
pub use model::{AzureModel, GeoLink, ModelError, OperationView, OperationWork};
pub use params::{BucketParams, LogNormalMs, ModelParams, ParamsError};
pub use request::{
    ArmRequest, ArmResponse, CatalogAction, DatabaseInfo, DbId, DbRef, DbState, ModelEvent,
    ModelEventKind, Name, OpHandle, OpStatus, PoolId, PoolInfo, PoolState, QueueId, Region,
    ServerId,
};
pub use serve::ServeContext;
pub use stats::{QueueSample, Stats};
pub use submission::{SubmissionTracker, SubmissionWindow};
