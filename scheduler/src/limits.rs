//! Platform limits the scheduler is told about, and its own pacing of them.

use crate::command::ArmClass;

/// A token bucket: `capacity` tokens, refilled at `refill_per_s`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketLimit {
    /// Bucket size (burst).
    pub capacity: u32,
    /// Tokens added per second.
    pub refill_per_s: u32,
}

/// Limits the scheduler must never exceed. Defaults are Azure's published
/// figures (see the README's parameter table for sources).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// ARM subscription writes per region: 200, refilling 10/s.
    pub arm_writes: BucketLimit,
    /// ARM subscription deletes per region: 200, refilling 10/s.
    pub arm_deletes: BucketLimit,
    /// ARM subscription reads per region: 250, refilling 25/s.
    pub arm_reads: BucketLimit,
    /// Restores Azure processes at a time per elastic pool: 4.
    pub pool_processing_slots: u32,
    /// Restores Azure accepts queued per elastic pool: 2,000.
    pub pool_queue_max: u32,
    /// Standalone restores processed at a time per subscription: 30.
    pub standalone_processing_slots: u32,
    /// Standalone restores submitted at a time per subscription: 100.
    pub standalone_submitted_max: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            arm_writes: BucketLimit {
                capacity: 200,
                refill_per_s: 10,
            },
            arm_deletes: BucketLimit {
                capacity: 200,
                refill_per_s: 10,
            },
            arm_reads: BucketLimit {
                capacity: 250,
                refill_per_s: 25,
            },
            pool_processing_slots: 4,
            pool_queue_max: 2_000,
            standalone_processing_slots: 30,
            standalone_submitted_max: 100,
        }
    }
}

/// The scheduler's own estimate of an ARM bucket, so it spends the budget
/// without hitting 429s, plus a gate set by Retry-After when it does.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    limit: BucketLimit,
    /// Tokens in thousandths, to refill exactly at any ms granularity.
    milli_tokens: u64,
    updated_ms: u64,
    blocked_until_ms: u64,
}

impl Pacer {
    pub(crate) fn new(limit: BucketLimit) -> Self {
        Pacer {
            limit,
            milli_tokens: u64::from(limit.capacity) * 1000,
            updated_ms: 0,
            blocked_until_ms: 0,
        }
    }

    fn refill(&mut self, now_ms: u64) {
        if now_ms > self.updated_ms {
            let added = (now_ms - self.updated_ms) * u64::from(self.limit.refill_per_s);
            let cap = u64::from(self.limit.capacity) * 1000;
            self.milli_tokens = (self.milli_tokens + added).min(cap);
            self.updated_ms = now_ms;
        }
    }

    /// Takes one token if one is available now.
    pub(crate) fn try_take(&mut self, now_ms: u64) -> bool {
        if now_ms < self.blocked_until_ms {
            return false;
        }
        self.refill(now_ms);
        if self.milli_tokens >= 1000 {
            self.milli_tokens -= 1000;
            true
        } else {
            false
        }
    }

    /// Whether a token could be taken now.
    pub(crate) fn available(&self, now_ms: u64) -> bool {
        self.ready_at(now_ms) <= now_ms
    }

    /// Earliest time a token may be available.
    pub(crate) fn ready_at(&self, now_ms: u64) -> u64 {
        let mut at = now_ms.max(self.blocked_until_ms);
        let tokens_at = self.milli_tokens
            + at.saturating_sub(self.updated_ms) * u64::from(self.limit.refill_per_s);
        if tokens_at < 1000 {
            let rate = u64::from(self.limit.refill_per_s).max(1);
            at += (1000 - tokens_at).div_ceil(rate);
        }
        at
    }

    /// ARM throttled us: spend nothing before `until_ms`, and assume the
    /// bucket is empty then (our estimate was wrong, e.g. shared with others).
    pub(crate) fn throttled(&mut self, now_ms: u64, until_ms: u64) {
        self.refill(now_ms);
        self.milli_tokens = 0;
        self.blocked_until_ms = self.blocked_until_ms.max(until_ms);
        self.updated_ms = self.updated_ms.max(until_ms);
    }
}

/// One pacer per ARM class.
#[derive(Debug, Clone)]
pub(crate) struct ArmPacers {
    writes: Pacer,
    deletes: Pacer,
    reads: Pacer,
}

impl ArmPacers {
    pub(crate) fn new(limits: &Limits) -> Self {
        ArmPacers {
            writes: Pacer::new(limits.arm_writes),
            deletes: Pacer::new(limits.arm_deletes),
            reads: Pacer::new(limits.arm_reads),
        }
    }

    pub(crate) fn get(&mut self, class: ArmClass) -> &mut Pacer {
        match class {
            ArmClass::Write => &mut self.writes,
            ArmClass::Delete => &mut self.deletes,
            ArmClass::Read => &mut self.reads,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pacer_bursts_then_refills_at_the_rate() {
        let mut pacer = Pacer::new(BucketLimit {
            capacity: 2,
            refill_per_s: 10,
        });
        assert!(pacer.try_take(0));
        assert!(pacer.try_take(0));
        assert!(!pacer.try_take(0));
        assert_eq!(pacer.ready_at(0), 100);
        assert!(!pacer.try_take(99));
        assert!(pacer.try_take(100));
    }

    #[test]
    fn throttle_blocks_until_retry_after() {
        let mut pacer = Pacer::new(BucketLimit {
            capacity: 200,
            refill_per_s: 10,
        });
        pacer.throttled(1_000, 6_000);
        assert!(!pacer.try_take(5_999));
        assert_eq!(pacer.ready_at(1_000), 6_100);
        assert!(pacer.try_take(6_100));
    }
}
