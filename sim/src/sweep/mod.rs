//! Sweeps: one scenario run over a grid of varied scenario keys × seeds,
//! summarized per grid point with mergeable time-to-online distributions.
//!
//! - [`vary`]: `--vary key=v1,v2` / `key=a..b:step` into keys and values.
//! - [`grid`]: the cartesian grid, each point a scenario loaded through the
//!   normal validated loader after editing the parsed TOML.
//! - [`work`]: the work items (grid point, seed) and the shard slices of
//!   them (`K/N`).
//! - [`sample`]: what one run contributes (times to online, makespan, 429s,
//!   pool-hours).
//! - [`accumulate`]: per-point sums and hdrhistograms, merged by addition
//!   (order-free, all integers, so any split gives the same bytes).
//! - [`shard`]: the versioned, mergeable shard file and its merge checks.
//! - [`result`]: the final per-point result (`sweep --json`, `merge --json`).
//! - [`frontier`]: cost against time per point, and the Pareto-optimal
//!   points.
//!
//! Determinism: no threads here; a caller that runs items in parallel
//! collects them by index and folds them in item order (and the fold is
//! order-free anyway). Outputs use `Vec`s and `BTreeMap`s only.

pub mod accumulate;
mod error;
pub mod frontier;
pub mod grid;
pub mod result;
pub mod sample;
pub mod shard;
pub mod vary;
pub mod work;

pub use accumulate::PointAcc;
pub use error::SweepError;
pub use grid::{Grid, GridPoint, SweepId};
pub use result::SweepResult;
pub use sample::{RunSample, run_sample};
pub use shard::{ShardFile, merge_shards};
pub use vary::Vary;
pub use work::{ShardSpec, WorkItem};

/// Version of the shard and result files this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;
