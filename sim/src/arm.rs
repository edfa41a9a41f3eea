//! Azure Resource Manager throttling: one token bucket per operation class.
//!
//! Source: Azure Resource Manager "Understand how Azure Resource Manager
//! throttles requests" (regional token-bucket model, 2024+): per subscription,
//! per principal, per operation type; reads 250 + 25/s, writes 200 + 10/s,
//! deletes 200 + 10/s. An empty bucket answers HTTP 429 with `Retry-After` in
//! seconds; a request sent before that is not processed and gets a new
//! Retry-After.

use serde::{Deserialize, Serialize};

/// Millitokens per token: buckets count in thousandths of a token, so a
/// refill of `r` tokens per second is exactly `r` millitokens per millisecond
/// and the arithmetic is exact integer arithmetic (no float drift).
const MILLI: u64 = 1_000;

/// The ARM operation class a request is counted against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpClass {
    /// GET requests (`x-ms-ratelimit-remaining-subscription-reads`).
    Reads,
    /// PUT / PATCH / POST requests (`...-writes`).
    Writes,
    /// DELETE requests (`...-deletes`).
    Deletes,
}

impl OpClass {
    /// All classes, in the fixed order used to index per-class arrays.
    pub const ALL: [OpClass; 3] = [OpClass::Reads, OpClass::Writes, OpClass::Deletes];

    /// The index of this class in [`OpClass::ALL`] (0, 1 or 2).
    pub const fn index(self) -> usize {
        match self {
            OpClass::Reads => 0,
            OpClass::Writes => 1,
            OpClass::Deletes => 2,
        }
    }
}

/// A refused request: how long until a request of its class is processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    /// Exact time until a request of this class is processed again, in ms
    /// (>= 1): until the bucket holds one whole token, and not before the
    /// `Retry-After` already announced has passed.
    pub retry_after_ms: u64,
}

impl Throttle {
    /// The `Retry-After` header value ARM sends: whole seconds, rounded up
    /// (so a client honouring it never retries too early). Always >= 1.
    pub const fn retry_after_s(self) -> u64 {
        self.retry_after_ms.div_ceil(1_000)
    }
}

/// A token bucket of `capacity` tokens refilled at `refill_per_s` tokens per
/// second, starting full.
///
/// Contract: tokens are tracked in millitokens with integer arithmetic; the
/// bucket never holds more than `capacity` tokens; each accepted request
/// takes exactly one token. Times earlier than the last time seen are treated
/// as that last time (the bucket's clock never goes backwards).
///
/// Retry-After is enforced as ARM documents it: once a request is refused
/// with `Retry-After: n`, every request arriving before those `n` whole
/// seconds have passed is refused too (not processed, no token taken) with a
/// fresh Retry-After counting to the same moment, even if tokens have
/// refilled in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBucket {
    capacity: u32,
    refill_per_s: u32,
    millitokens: u64,
    last_ms: u64,
    /// Requests before this time are refused (the announced Retry-After).
    blocked_until_ms: u64,
}

impl TokenBucket {
    /// A full bucket. `refill_per_s == 0` means the bucket never refills
    /// (Retry-After is then `u64::MAX` ms); `capacity == 0` refuses
    /// everything.
    pub fn new(capacity: u32, refill_per_s: u32) -> Self {
        Self {
            capacity,
            refill_per_s,
            millitokens: u64::from(capacity) * MILLI,
            last_ms: 0,
            blocked_until_ms: 0,
        }
    }

    /// The bucket size in tokens.
    pub fn capacity(&self) -> u32 {
        self.capacity
    }

    /// The refill rate in tokens per second.
    pub fn refill_per_s(&self) -> u32 {
        self.refill_per_s
    }

    fn refill(&mut self, now_ms: u64) {
        if now_ms > self.last_ms {
            let elapsed = now_ms - self.last_ms;
            let added = elapsed.saturating_mul(u64::from(self.refill_per_s));
            let max = u64::from(self.capacity) * MILLI;
            self.millitokens = self.millitokens.saturating_add(added).min(max);
            self.last_ms = now_ms;
        }
    }

    /// Whole tokens available at `now_ms` (refilling first), without taking
    /// one: the value of the `x-ms-ratelimit-remaining-*` header.
    pub fn remaining(&mut self, now_ms: u64) -> u32 {
        self.refill(now_ms);
        // millitokens <= capacity * 1000, so the quotient fits in u32.
        u32::try_from(self.millitokens / MILLI).unwrap_or(u32::MAX)
    }

    /// Takes one token at `now_ms`. `Ok(remaining)` gives the whole tokens
    /// left afterwards; `Err` says how long until a token is available.
    ///
    /// A request before the end of a Retry-After this bucket announced is
    /// refused whatever the tokens, with the time left as its Retry-After.
    /// A refusal for want of a token announces `Retry-After` (whole seconds,
    /// rounded up) and blocks the class until then.
    pub fn try_take(&mut self, now_ms: u64) -> Result<u32, Throttle> {
        self.refill(now_ms);
        let now_ms = now_ms.max(self.last_ms);
        if now_ms < self.blocked_until_ms {
            return Err(Throttle {
                retry_after_ms: self.blocked_until_ms - now_ms,
            });
        }
        if self.millitokens >= MILLI {
            self.millitokens -= MILLI;
            Ok(u32::try_from(self.millitokens / MILLI).unwrap_or(u32::MAX))
        } else {
            let missing = MILLI - self.millitokens;
            let retry_after_ms = if self.refill_per_s == 0 || self.capacity == 0 {
                u64::MAX
            } else {
                missing.div_ceil(u64::from(self.refill_per_s))
            };
            let throttle = Throttle { retry_after_ms };
            self.blocked_until_ms =
                now_ms.saturating_add(throttle.retry_after_s().saturating_mul(1_000));
            Err(throttle)
        }
    }

    /// The end of the Retry-After last announced, ms (0 if none).
    pub fn blocked_until_ms(&self) -> u64 {
        self.blocked_until_ms
    }
}

/// The three buckets of one subscription (reads, writes, deletes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmBuckets {
    buckets: [TokenBucket; 3],
}

impl ArmBuckets {
    /// Buckets for reads, writes and deletes, each given as
    /// `(capacity, refill_per_s)`.
    pub fn new(reads: (u32, u32), writes: (u32, u32), deletes: (u32, u32)) -> Self {
        Self {
            buckets: [
                TokenBucket::new(reads.0, reads.1),
                TokenBucket::new(writes.0, writes.1),
                TokenBucket::new(deletes.0, deletes.1),
            ],
        }
    }

    /// The bucket of `class`.
    pub fn bucket_mut(&mut self, class: OpClass) -> &mut TokenBucket {
        &mut self.buckets[class.index()]
    }

    /// Takes a token of `class` at `now_ms` (see [`TokenBucket::try_take`]).
    pub fn try_take(&mut self, class: OpClass, now_ms: u64) -> Result<u32, Throttle> {
        self.bucket_mut(class).try_take(now_ms)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empties_then_refills_exactly() {
        let mut b = TokenBucket::new(250, 25);
        for i in 0..250u32 {
            assert_eq!(b.try_take(0), Ok(249 - i));
        }
        // Empty: one token takes 1000/25 = 40 ms; Retry-After rounds up to 1 s.
        let t = b.try_take(0).unwrap_err();
        assert_eq!(t.retry_after_ms, 40);
        assert_eq!(t.retry_after_s(), 1);
        // Before the announced second is over every request is refused with
        // a fresh Retry-After to the same moment, though a token is back
        // at 40 ms.
        let t = b.try_take(39).unwrap_err();
        assert_eq!((t.retry_after_ms, t.retry_after_s()), (961, 1));
        assert_eq!(b.try_take(40).unwrap_err().retry_after_ms, 960);
        assert_eq!(b.remaining(999), 24);
        assert_eq!(b.try_take(999).unwrap_err().retry_after_ms, 1);
        // At the Retry-After time the request is processed.
        assert_eq!(b.try_take(1_000), Ok(24));
        // Refill goes on: 40 ms later one more token.
        assert_eq!(b.remaining(1_040), 25);
        // Never above capacity.
        assert_eq!(b.remaining(1_000_000), 250);
    }

    #[test]
    fn writes_bucket_retry_after_is_ceil_seconds() {
        let mut b = TokenBucket::new(200, 10);
        for _ in 0..200 {
            assert!(b.try_take(5).is_ok());
        }
        let t = b.try_take(5).unwrap_err();
        assert_eq!(t.retry_after_ms, 100);
        assert_eq!(t.retry_after_s(), 1);
        // After 10 s: 100 tokens back, no drift.
        assert_eq!(b.remaining(10_005), 100);
    }

    #[test]
    fn long_sustained_rate_has_no_drift() {
        // Take a token every 100 ms for an hour at 10/s: always accepted.
        let mut b = TokenBucket::new(1, 10);
        for k in 0..36_000u64 {
            assert!(b.try_take(k * 100).is_ok(), "refused at step {k}");
        }
        assert!(b.try_take(3_600_000 - 100).is_err());
    }

    #[test]
    fn clock_going_backwards_does_not_refill() {
        let mut b = TokenBucket::new(1, 1);
        assert!(b.try_take(10_000).is_ok());
        assert!(b.try_take(5_000).is_err());
        assert_eq!(b.try_take(10_500).unwrap_err().retry_after_ms, 500);
    }

    #[test]
    fn an_early_retry_is_refused_with_a_fresh_retry_after() {
        // One token, 10/s: a refusal at 0 announces 1 s (100 ms exact).
        let mut b = TokenBucket::new(1, 10);
        assert_eq!(b.try_take(0), Ok(0));
        let t = b.try_take(0).unwrap_err();
        assert_eq!((t.retry_after_ms, t.retry_after_s()), (100, 1));
        assert_eq!(b.blocked_until_ms(), 1_000);
        // 100 ms later the token is back but the Retry-After is not over.
        let t = b.try_take(100).unwrap_err();
        assert_eq!((t.retry_after_ms, t.retry_after_s()), (900, 1));
        // A client honouring the fresh Retry-After is served.
        assert_eq!(b.try_take(100 + 1_000), Ok(0));
    }

    #[test]
    fn zero_refill_never_recovers() {
        let mut b = TokenBucket::new(0, 0);
        assert_eq!(b.try_take(0).unwrap_err().retry_after_ms, u64::MAX);
    }
}
