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
///
/// The refill rate it assumes adapts (AIMD): every 429 halves it, since the
/// real bucket is evidently smaller or shared; each minute without one adds
/// back a tenth of the published rate, never above it.
#[derive(Debug, Clone)]
pub(crate) struct Pacer {
    limit: BucketLimit,
    /// Tokens in millionths, so any rate refills exactly at ms granularity.
    micro_tokens: u64,
    /// Assumed refill, in millionths of a token per ms (= tokens/s x 1000).
    rate_micro_per_ms: u64,
    updated_ms: u64,
    blocked_until_ms: u64,
    /// When the assumed rate last changed.
    rate_changed_ms: u64,
}

const MICRO: u64 = 1_000_000;
/// Additive increase period.
const RATE_STEP_MS: u64 = 60_000;
/// The assumed rate never drops below 0.01 token/s.
const MIN_RATE_MICRO_PER_MS: u64 = 10;

impl Pacer {
    pub(crate) fn new(limit: BucketLimit) -> Self {
        Pacer {
            limit,
            micro_tokens: u64::from(limit.capacity) * MICRO,
            rate_micro_per_ms: Self::published_rate(limit),
            updated_ms: 0,
            blocked_until_ms: 0,
            rate_changed_ms: 0,
        }
    }

    fn published_rate(limit: BucketLimit) -> u64 {
        (u64::from(limit.refill_per_s) * 1000).max(MIN_RATE_MICRO_PER_MS)
    }

    fn capacity(&self) -> u64 {
        u64::from(self.limit.capacity) * MICRO
    }

    fn refill(&mut self, now_ms: u64) {
        if now_ms <= self.updated_ms {
            return;
        }
        let added = (now_ms - self.updated_ms).saturating_mul(self.rate_micro_per_ms);
        self.micro_tokens = self.micro_tokens.saturating_add(added).min(self.capacity());
        self.updated_ms = now_ms;
        let published = Self::published_rate(self.limit);
        while self.rate_micro_per_ms < published
            && now_ms >= self.rate_changed_ms.saturating_add(RATE_STEP_MS)
        {
            self.rate_changed_ms += RATE_STEP_MS;
            self.rate_micro_per_ms = (self.rate_micro_per_ms + published / 10).min(published);
        }
    }

    /// Takes one token if one is available now.
    pub(crate) fn try_take(&mut self, now_ms: u64) -> bool {
        if now_ms < self.blocked_until_ms {
            return false;
        }
        self.refill(now_ms);
        if self.micro_tokens >= MICRO {
            self.micro_tokens -= MICRO;
            true
        } else {
            false
        }
    }

    /// Whether a token could be taken now.
    pub(crate) fn available(&self, now_ms: u64) -> bool {
        self.ready_at(now_ms) <= now_ms
    }

    /// Earliest time a token may be available (at the assumed rate).
    pub(crate) fn ready_at(&self, now_ms: u64) -> u64 {
        let mut at = now_ms.max(self.blocked_until_ms);
        let tokens_at = self.micro_tokens.saturating_add(
            at.saturating_sub(self.updated_ms)
                .saturating_mul(self.rate_micro_per_ms),
        );
        if tokens_at < MICRO {
            at = at.saturating_add((MICRO - tokens_at).div_ceil(self.rate_micro_per_ms.max(1)));
        }
        at
    }

    /// ARM reported `remaining` tokens (the `x-ms-ratelimit-remaining-*`
    /// header): that is the truth, whatever the estimate said. A Retry-After
    /// block stays in force.
    pub(crate) fn observe_remaining(&mut self, now_ms: u64, remaining: u32) {
        self.refill(now_ms);
        self.micro_tokens = (u64::from(remaining) * MICRO).min(self.capacity());
    }

    /// ARM throttled us: spend nothing before `until_ms`, assume the bucket
    /// is empty then, and halve the assumed refill rate.
    pub(crate) fn throttled(&mut self, now_ms: u64, until_ms: u64) {
        self.refill(now_ms);
        self.micro_tokens = 0;
        self.blocked_until_ms = self.blocked_until_ms.max(until_ms);
        self.updated_ms = self.updated_ms.max(until_ms);
        self.rate_micro_per_ms = (self.rate_micro_per_ms / 2).max(MIN_RATE_MICRO_PER_MS);
        self.rate_changed_ms = self.updated_ms;
    }

    /// The refill rate currently assumed, in tokens per second.
    #[cfg(test)]
    fn assumed_rate_per_s(&self) -> f64 {
        self.rate_micro_per_ms as f64 / 1000.0
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
    fn observed_remaining_replaces_the_estimate() {
        let mut pacer = Pacer::new(BucketLimit {
            capacity: 200,
            refill_per_s: 10,
        });
        pacer.observe_remaining(0, 0);
        assert!(!pacer.try_take(0));
        assert_eq!(pacer.ready_at(0), 100);
        pacer.observe_remaining(50, 500);
        assert!(pacer.try_take(50), "capped at capacity, not refused");
    }

    #[test]
    fn throttles_halve_the_assumed_rate_and_quiet_minutes_restore_it() {
        let mut pacer = Pacer::new(BucketLimit {
            capacity: 200,
            refill_per_s: 10,
        });
        pacer.throttled(0, 1_000);
        assert_eq!(pacer.assumed_rate_per_s(), 5.0);
        pacer.throttled(1_000, 2_000);
        assert_eq!(pacer.assumed_rate_per_s(), 2.5);
        assert_eq!(pacer.ready_at(2_000), 2_400, "one token at 2.5/s");
        pacer.refill(2_000 + 60_000);
        assert_eq!(pacer.assumed_rate_per_s(), 3.5);
        pacer.refill(2_000 + 10 * 60_000);
        assert_eq!(
            pacer.assumed_rate_per_s(),
            10.0,
            "never above the published rate"
        );
    }

    #[test]
    fn throttle_blocks_until_retry_after() {
        let mut pacer = Pacer::new(BucketLimit {
            capacity: 200,
            refill_per_s: 10,
        });
        pacer.throttled(1_000, 6_000);
        assert!(!pacer.try_take(5_999));
        // Empty at 6 s, refilling at the halved 5/s: one token 200 ms later.
        assert_eq!(pacer.ready_at(1_000), 6_200);
        assert!(!pacer.try_take(6_199));
        assert!(pacer.try_take(6_200));
    }
}
