//! Scenario files (TOML): a fleet (a fleet file or a generator), model
//! overrides, the disaster, the strategy, the seed and the number of runs.
//!
//! The types below are the file's shape (serde, `deny_unknown_fields`); a
//! JSON Schema is generated from them ([`json_schema`]). [`load`] parses
//! and validates a file into a [`Scenario`], with errors that name the
//! file, line, key and a fix ([`ScenarioError`]).

mod digest;
mod error;
mod generate;
mod load;
pub mod prices;
pub mod recovery;
#[cfg(feature = "schema")]
mod schema;

use std::path::PathBuf;

#[cfg(feature = "schema")]
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::params::ModelParams;

pub use digest::digest;
// Sweeps hash their grid points' scenarios the same way.
#[cfg(feature = "reports")]
pub(crate) use digest::{HashWriter, feed as feed_digest};
pub use error::ScenarioError;
pub use generate::generate_fleet;
pub use load::{MAX_RUNS, Scenario, load, parse};
pub use prices::Prices;
pub use recovery::RecoveryDesign;
#[cfg(feature = "schema")]
pub use schema::json_schema;

/// A scenario file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Scenario name, used in reports.
    pub name: String,
    /// What the scenario shows.
    #[serde(default)]
    pub description: String,
    /// Seed of the first run; run `k` uses `seed + k`.
    #[serde(default)]
    pub seed: u64,
    /// Number of runs (seeds `seed..=seed + runs - 1`), 1 to 1000.
    #[serde(default = "one")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 1000)))]
    pub runs: u32,
    /// The estate.
    pub fleet: FleetSource,
    /// Overrides of the Azure model's parameters (see `sim::ModelParams`).
    #[serde(default)]
    pub model: ModelParams,
    /// The disaster.
    #[serde(default)]
    pub disaster: Disaster,
    /// The restore strategy and the client's knobs.
    #[serde(default)]
    pub strategy: StrategySection,
    /// The recovery region's design (pool split and capacity); without it
    /// the recovery region mirrors the origin pools.
    #[serde(default, skip_serializing_if = "is_default_design")]
    pub recovery: RecoveryDesign,
    /// Hourly prices of recovery-region pool capacity (`plan-capacity`).
    #[serde(default, skip_serializing_if = "is_default_prices")]
    pub prices: Prices,
}

fn is_default_design(d: &RecoveryDesign) -> bool {
    !d.is_set()
}

fn is_default_prices(p: &Prices) -> bool {
    *p == Prices::default()
}

fn one() -> u32 {
    1
}

/// Where the fleet comes from: exactly one of `file` and `generate`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FleetSource {
    /// A fleet file, relative to the scenario file.
    #[serde(default)]
    pub file: Option<PathBuf>,
    /// A generated fleet.
    #[serde(default)]
    pub generate: Option<Generator>,
}

/// A generated database-per-tenant fleet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Generator {
    /// Number of tenants (one database each). At least 1.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub tenants: u32,
    /// Databases per elastic pool (the last pool may hold fewer). 1..=500.
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 500)))]
    pub databases_per_pool: u32,
    /// Elastic pools per logical server. At least 1.
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub pools_per_server: u32,
    /// Fraction of tenants on standalone databases (spread over the
    /// servers), in [0, 1].
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub standalone_share: f64,
    /// Database size distribution.
    #[serde(default)]
    pub size_gb: SizeDistribution,
    /// Priority tiers, most important first.
    #[serde(default = "default_tiers")]
    #[cfg_attr(feature = "schema", schemars(length(min = 1, max = 255)))]
    pub tiers: Vec<GeneratedTier>,
    /// Routing: `catalog` or `server-alias`.
    #[serde(default = "default_routing")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::routing"))]
    pub routing: String,
    /// Seed of the fleet's own draws (sizes, tiers); independent of the run
    /// seed so every run sees the same fleet.
    #[serde(default)]
    pub seed: u64,
}

fn default_routing() -> String {
    "catalog".to_owned()
}

fn default_tiers() -> Vec<GeneratedTier> {
    vec![
        GeneratedTier {
            name: "premium".into(),
            weight: 100,
            share: 0.1,
        },
        GeneratedTier {
            name: "standard".into(),
            weight: 10,
            share: 0.3,
        },
        GeneratedTier {
            name: "free".into(),
            weight: 1,
            share: 0.6,
        },
    ]
}

/// Lognormal database sizes: `median_gb * exp(sigma * Z)`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SizeDistribution {
    /// Median size in GB (> 0).
    pub median_gb: f64,
    /// Log standard deviation, in [0, 5].
    pub sigma: f64,
    /// Largest size in GB (sizes are capped here). Default 1024.
    #[serde(default = "default_max_gb")]
    pub max_gb: f64,
}

fn default_max_gb() -> f64 {
    1024.0
}

impl Default for SizeDistribution {
    fn default() -> Self {
        Self {
            median_gb: 2.0,
            sigma: 1.0,
            max_gb: default_max_gb(),
        }
    }
}

/// A tier of a generated fleet.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct GeneratedTier {
    /// Tier name.
    pub name: String,
    /// Weight in the weighted mean time to online (>= 1).
    #[cfg_attr(feature = "schema", schemars(range(min = 1)))]
    pub weight: u32,
    /// Fraction of tenants in this tier; the shares must add up to 1.
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub share: f64,
}

/// The disaster and what the operator does during it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Disaster {
    /// Regional contention intensity (>= 0): other customers geo-restoring
    /// into the same region make restores `1 + contention` times slower.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 0)))]
    pub contention: f64,
    /// Cancel the recovery this many seconds after the start (the origin
    /// region is back). Below the run's 90-day horizon (7776000 s).
    #[serde(default)]
    pub cancel_at_s: Option<f64>,
    /// Repatriate this many seconds after the start, and never before the
    /// recovery has settled (the origin region is back). Below the run's
    /// 90-day horizon (7776000 s).
    #[serde(default)]
    pub repatriate_at_s: Option<f64>,
    /// Fraction of tenants whose data changed while served from the
    /// recovery region (they are geo-replicated home), in [0, 1].
    #[serde(default = "half")]
    #[cfg_attr(feature = "schema", schemars(range(min = 0, max = 1)))]
    pub changed_share: f64,
    /// Tenants signing up during the outage.
    #[serde(default)]
    pub new_tenants: Option<NewTenants>,
    /// Fraction of ARM answers lost on the way back (connection reset after
    /// the request reached ARM), in [0, 1): the client sees a transport
    /// failure although ARM acted on the request. 0 by default.
    #[serde(default)]
    pub lost_answer_share: f64,
}

fn half() -> f64 {
    0.5
}

impl Default for Disaster {
    fn default() -> Self {
        Self {
            contention: 0.0,
            cancel_at_s: None,
            repatriate_at_s: None,
            changed_share: half(),
            new_tenants: None,
            lost_answer_share: 0.0,
        }
    }
}

/// New tenants during the outage.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewTenants {
    /// How many sign up.
    pub count: u32,
    /// Sign-ups per hour, in [0.01, 3600000]. The last sign-up
    /// (`first_at_s + (count - 1) * 3600 / per_hour`) must fall within the
    /// run's 90-day horizon.
    #[cfg_attr(feature = "schema", schemars(range(min = 0.01, max = 3_600_000)))]
    pub per_hour: f64,
    /// When the first one signs up, seconds after the start (sign-ups
    /// before the new-tenant pool exists are refused and skipped).
    #[serde(default = "default_first_s")]
    pub first_at_s: f64,
}

fn default_first_s() -> f64 {
    1_800.0
}

/// The strategy and the client's knobs.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StrategySection {
    /// One of `scheduler::strategy::STRATEGY_NAMES`.
    #[serde(default = "default_strategy")]
    #[cfg_attr(feature = "schema", schemars(schema_with = "schema::strategy_name"))]
    pub name: String,
    /// Seconds between two polls of a long-running operation the runner
    /// follows: `GetOperation` per operation (servers, aliases, web app...),
    /// one `ListElasticPools` per server for pool creations and deletions. In
    /// [1, 86400] (ARM answers in whole seconds).
    #[serde(default = "ten")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 86_400)))]
    pub lro_poll_interval_s: f64,
    /// Seconds between two database lists of one server (restore polls). In
    /// [1, 86400].
    #[serde(default = "ten")]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 86_400)))]
    pub server_poll_interval_s: f64,
    /// Tell the scheduler Azure's published ARM limits instead of the
    /// model's (to see how it copes with 429s when the real buckets are
    /// smaller than it believes).
    #[serde(default)]
    pub assume_published_limits: bool,
    /// `priority-pacing`, `size-aware`, `fast-lane`: restores kept queued
    /// per pool beyond its 4 processing slots (default 2).
    #[serde(default)]
    pub queue_margin: Option<u32>,
    /// `size-aware`, `critical-first`: least important tiers ordered
    /// largest first (default 1).
    #[serde(default)]
    pub tail_tiers: Option<u8>,
    /// `critical-first`: share of its pool's total size, in percent, from
    /// which a database goes first in its pool (default 20; 1 to 100).
    #[serde(default)]
    #[cfg_attr(feature = "schema", schemars(range(min = 1, max = 100)))]
    pub critical_share_pct: Option<u8>,
    /// `fast-lane`: top tiers eligible for the fast lane (default 1).
    #[serde(default)]
    pub fast_lane_tiers: Option<u8>,
    /// `fast-lane`: fast-lane databases, in waves of the 30 standalone
    /// restore slots (default 1).
    #[serde(default)]
    pub fast_lane_waves: Option<u32>,
    /// `wingtip-batched`: databases per batch (default 15).
    #[serde(default)]
    pub batch_size: Option<u32>,
    /// `wingtip-batched`: databases per pool per batch (default 5).
    #[serde(default)]
    pub batch_per_pool: Option<u32>,
    /// `wingtip-batched`: batches in flight (default 5).
    #[serde(default)]
    pub batches_in_flight: Option<u32>,
}

impl StrategySection {
    /// The strategy knobs this section sets.
    pub fn knobs(&self) -> scheduler::strategy::Knobs {
        scheduler::strategy::Knobs {
            queue_margin: self.queue_margin,
            tail_tiers: self.tail_tiers,
            critical_share_pct: self.critical_share_pct,
            fast_lane_tiers: self.fast_lane_tiers,
            fast_lane_waves: self.fast_lane_waves,
            batch_size: self.batch_size,
            batch_per_pool: self.batch_per_pool,
            batches_in_flight: self.batches_in_flight,
        }
    }
}

fn default_strategy() -> String {
    "priority-pacing".to_owned()
}

fn ten() -> f64 {
    10.0
}

impl Default for StrategySection {
    fn default() -> Self {
        Self {
            name: default_strategy(),
            lro_poll_interval_s: ten(),
            server_poll_interval_s: ten(),
            assume_published_limits: false,
            queue_margin: None,
            tail_tiers: None,
            critical_share_pct: None,
            fast_lane_tiers: None,
            fast_lane_waves: None,
            batch_size: None,
            batch_per_pool: None,
            batches_in_flight: None,
        }
    }
}
