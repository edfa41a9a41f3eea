//! Capped exponential backoff with jitter from a caller-seeded generator.

/// SplitMix64: a tiny, fast, seedable generator. The scheduler draws jitter
/// from it and from nothing else, so one seed gives one command sequence.
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator seeded by the caller.
    pub fn new(seed: u64) -> Self {
        SplitMix64 { state: seed }
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..bound` (`bound > 0`), by multiply-shift.
    pub fn below(&mut self, bound: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(bound)) >> 64) as u64
    }
}

/// Retry policy for transient failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Delay before the first retry.
    pub base_ms: u64,
    /// Largest delay.
    pub cap_ms: u64,
    /// Attempts before a transient failure is treated as permanent.
    pub max_attempts: u32,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base_ms: 5_000,
            cap_ms: 300_000,
            max_attempts: 8,
        }
    }
}

impl Backoff {
    /// Delay before retry number `attempt` (1-based): "equal jitter", half the
    /// capped exponential plus a uniform draw of the other half.
    pub fn delay_ms(&self, attempt: u32, rng: &mut SplitMix64) -> u64 {
        let exp = self
            .base_ms
            .saturating_mul(1u64 << attempt.saturating_sub(1).min(32));
        let capped = exp.min(self.cap_ms).max(1);
        capped / 2 + rng.below(capped - capped / 2 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_then_cap_and_stay_in_range() {
        let backoff = Backoff {
            base_ms: 1_000,
            cap_ms: 8_000,
            max_attempts: 10,
        };
        let mut rng = SplitMix64::new(7);
        for attempt in 1..=10 {
            let full = (1_000u64 << (attempt - 1)).min(8_000);
            let delay = backoff.delay_ms(attempt, &mut rng);
            assert!(
                delay >= full / 2 && delay <= full,
                "attempt {attempt}: {delay}"
            );
        }
    }

    #[test]
    fn same_seed_same_draws() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        assert_ne!(SplitMix64::new(1).next_u64(), SplitMix64::new(2).next_u64());
    }
}
