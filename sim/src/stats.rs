//! Counters the model keeps for reports.

use serde::Serialize;

use crate::arm::OpClass;
use crate::request::QueueId;
use crate::submission::SubmissionTracker;

/// A restore queue's occupancy at a moment; recorded each time it changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QueueSample {
    /// When (model time, ms).
    pub at_ms: u64,
    /// Which queue.
    pub queue: QueueId,
    /// Restores processing after the change.
    pub processing: u32,
    /// Restores waiting after the change.
    pub queued: u32,
}

/// Report counters. All counts start at 0 and only grow; vectors are in
/// model-time order.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Stats {
    /// ARM requests received per class (accepted, rejected or throttled),
    /// indexed by [`OpClass::index`] (reads, writes, deletes).
    pub requests: [u64; 3],
    /// Requests answered 429, per class.
    pub throttled: [u64; 3],
    /// Requests of a class that arrived before the end of a `Retry-After`
    /// announced for that class (a client that does not wait as told),
    /// per class. Part of `throttled`.
    pub early: [u64; 3],
    /// Requests answered with a 4xx/5xx rejection (not 429).
    pub rejected: u64,
    /// Catalog (SQL) calls; they use no ARM token.
    pub sql_requests: u64,
    /// `GetOperation` reads received (part of the reads in `requests`).
    pub operation_gets: u64,
    /// `ListElasticPools` reads received (part of the reads in `requests`).
    pub pool_lists: u64,
    /// Restore requests accepted.
    pub restores_accepted: u64,
    /// Restores that came online.
    pub restores_succeeded: u64,
    /// Restore attempts that failed retryably.
    pub restores_failed_transient: u64,
    /// Restore attempts that failed permanently.
    pub restores_failed_permanent: u64,
    /// Restores canceled by deleting their database.
    pub restores_canceled: u64,
    /// Restore processing durations drawn (successful or not), in ms, in
    /// the order restores started.
    pub restore_durations_ms: Vec<u64>,
    /// Queue occupancy, one sample per change.
    pub queue_samples: Vec<QueueSample>,
    /// Every write-class request (those in `requests[1]`), for the
    /// restore-submission window ([`SubmissionTracker::window`]).
    pub submission: SubmissionTracker,
}

impl Stats {
    /// Restores that ended: came online, failed (either way) or were
    /// canceled. Once a run is over, every accepted restore has ended
    /// exactly once: this equals `restores_accepted`.
    pub fn restores_ended(&self) -> u64 {
        self.restores_succeeded
            + self.restores_failed_transient
            + self.restores_failed_permanent
            + self.restores_canceled
    }

    /// Requests received of `class`.
    pub fn requests_of(&self, class: OpClass) -> u64 {
        self.requests[class.index()]
    }

    /// Requests of `class` answered 429.
    pub fn throttled_of(&self, class: OpClass) -> u64 {
        self.throttled[class.index()]
    }
}
