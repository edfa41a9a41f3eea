//! Restore strategies: which tenant database to restore next, and where.
//!
//! A strategy is a small type that answers three questions, once per
//! recovery (never on the hot path): in what order the databases of a pool go
//! ([`Strategy::order_key`]), where each database is restored
//! ([`Strategy::placement`]), and how the dispatcher admits restores
//! ([`Strategy::policy`]: barrier, per-pool depth, cross-pool order,
//! batching). The scheduler's dispatcher executes that plan incrementally and
//! always enforces the platform [`crate::Limits`] on top, whatever the strategy.

mod critical_first;
mod knobs;
mod priority_pacing;
mod size_aware;
mod wingtip;
mod wingtip_batched;

pub use critical_first::CriticalFirst;
pub use knobs::{KNOB_NAMES, Knobs, build};
pub use priority_pacing::PriorityPacing;
pub use size_aware::SizeAware;
pub use wingtip::Wingtip;
pub use wingtip_batched::WingtipBatched;

use crate::Limits;
use crate::fleet::{DatabaseInfo, DbId};

/// When a database may be submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gate {
    /// Only once every mirror pool exists (the tutorial's barrier).
    AllPools,
    /// As soon as the database's own mirror pool (or server) exists.
    OwnPool,
}

/// How the next pool to submit from is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrossPool {
    /// Rounds over pools in fleet order, one database per pool per round.
    RoundRobin,
    /// The pool whose next database has the lowest order key, fleet-wide.
    LowestKey,
}

/// How the recovery region is prepared before restores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Preparation {
    /// Everything at once: catalog, app, new-tenant resources and every
    /// mirror server; each server's pools as soon as that server exists.
    Eager,
    /// As the tutorial's scripts: the catalog first (blocking), then the
    /// app, new-tenant resources and mirror servers; the mirror pools only
    /// once every mirror server exists (one server deployment).
    Tutorial,
}

/// Batches of restores submitted together, a new batch only when a slot frees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Batching {
    /// Databases per batch.
    pub total_max: u32,
    /// Databases per pool per batch.
    pub per_pool_max: u32,
    /// Batches in flight at once.
    pub concurrent_max: u32,
}

/// How the dispatcher admits restores for a strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// When restores may start.
    pub gate: Gate,
    /// Order across pools.
    pub cross_pool: CrossPool,
    /// Most restores submitted but not finished per pool (capped by the
    /// pool's Azure queue limit).
    pub pool_depth: u32,
    /// Most standalone restores submitted but not finished (capped by the
    /// subscription's standalone submission limit).
    pub standalone_depth: u32,
    /// Optional batching (the tutorial's earlier script).
    pub batching: Option<Batching>,
    /// How the recovery region is prepared.
    pub preparation: Preparation,
}

impl Policy {
    /// The tutorial's admission: its preparation order, then, after every
    /// pool exists, round-robin over pools, everything submitted up to
    /// Azure's own queue limits.
    pub fn tutorial(limits: &Limits, batching: Option<Batching>) -> Policy {
        Policy {
            gate: Gate::AllPools,
            cross_pool: CrossPool::RoundRobin,
            pool_depth: limits.pool_queue_max,
            standalone_depth: limits.standalone_submitted_max,
            batching,
            preparation: Preparation::Tutorial,
        }
    }

    /// Paced admission: each pool starts when it exists; its Azure queue is
    /// kept `queue_margin` deeper than its processing slots (standalone:
    /// twice that over the subscription's slots); fleet-wide lowest key first.
    pub fn paced(limits: &Limits, queue_margin: u32) -> Policy {
        Policy {
            gate: Gate::OwnPool,
            cross_pool: CrossPool::LowestKey,
            pool_depth: limits.pool_processing_slots.saturating_add(queue_margin),
            standalone_depth: limits
                .standalone_processing_slots
                .saturating_add(queue_margin.saturating_mul(2)),
            batching: None,
            preparation: Preparation::Eager,
        }
    }
}

/// Where a database is restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// Its mirror pool (or, for a standalone database, its mirror server).
    Home,
    /// Standalone on its mirror server ("fast lane"), moved into its mirror
    /// pool once its tenant is online.
    FastLane,
}

/// What a strategy may look at to order one database.
#[derive(Debug, Clone, Copy)]
pub struct OrderInput<'a> {
    /// The database.
    pub db: &'a DatabaseInfo,
    /// Its id (position in the fleet: catalog order).
    pub index: DbId,
    /// Its tier's position, 0 = most important.
    pub tier_rank: u8,
    /// Number of tiers in the fleet.
    pub tier_count: u8,
    /// Its tier's weight.
    pub weight: u32,
    /// Total size of the databases in its pool, in MB (0 for a standalone
    /// database): what its pool's slots must get through.
    pub pool_size_mb: u64,
}

/// A restore strategy. Implementations must be deterministic functions of
/// their inputs (no clock, no global RNG), and `Send`, so that a
/// [`crate::Scheduler`] (which owns its strategy) can move between threads.
pub trait Strategy: Send + std::fmt::Debug {
    /// Name used on the command line.
    fn name(&self) -> &'static str;
    /// Dispatcher settings, given the platform limits.
    fn policy(&self, limits: &Limits) -> Policy;
    /// Order key: lower goes first (within a pool, and across pools for
    /// [`CrossPool::LowestKey`]).
    fn order_key(&self, input: &OrderInput<'_>) -> u64;
    /// Where the database is restored.
    fn placement(&self, _db: &DatabaseInfo, _tier_rank: u8) -> Where {
        Where::Home
    }

    /// Most databases placed in the fast lane; those with the lowest order
    /// keys win, the others are restored into their pool.
    fn fast_lane_max(&self, _limits: &Limits) -> usize {
        0
    }
}

/// Names of the built-in strategies, for `--strategy`.
pub const STRATEGY_NAMES: &[&str] = &[
    "wingtip",
    "wingtip-batched",
    "priority-pacing",
    "size-aware",
    "fast-lane",
    "critical-first",
];

/// Builds a built-in strategy by name with its default knobs.
pub fn by_name(name: &str) -> Option<Box<dyn Strategy>> {
    build(name, &Knobs::default())
}

/// Packs (tier rank, 40-bit secondary) into one key, tier first.
pub(crate) fn tier_then(tier_rank: u8, secondary: u64) -> u64 {
    (u64::from(tier_rank) << 40) | (secondary & ((1 << 40) - 1))
}
