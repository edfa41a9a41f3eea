//! The driver's clock: monotonic, optionally scaled.
//!
//! The scheduler takes time as milliseconds from an origin the caller
//! picks. Against Azure that is the monotonic clock since the run started.
//! Against the emulator, whose model runs `N` times faster than real time,
//! the driver runs on the same scaled clock, so the scheduler's poll
//! intervals and `Retry-After` waits mean the same thing in both.

use tokio::time::{Duration, Instant};

/// Milliseconds since the run started, times a scale.
#[derive(Debug, Clone, Copy)]
pub struct ScaledClock {
    origin: Instant,
    scale: u32,
    /// Milliseconds already elapsed at `origin` (a resumed run continues
    /// its journal's time line).
    offset_ms: u64,
}

impl ScaledClock {
    /// A clock reading `offset_ms` now and running `scale` times faster
    /// than real time (`scale` 0 is taken as 1).
    pub fn start(scale: u32, offset_ms: u64) -> Self {
        Self {
            origin: Instant::now(),
            scale: scale.max(1),
            offset_ms,
        }
    }

    /// How many times faster than real time the clock runs.
    pub fn scale(&self) -> u32 {
        self.scale
    }

    /// The time now, in scaled milliseconds. Never goes backwards.
    pub fn now_ms(&self) -> u64 {
        let real = self.origin.elapsed().as_millis();
        let scaled = real.saturating_mul(u128::from(self.scale));
        self.offset_ms
            .saturating_add(u64::try_from(scaled).unwrap_or(u64::MAX))
    }

    /// The real instant at which the clock reads `at_ms` (now if past).
    pub fn instant_of(&self, at_ms: u64) -> Instant {
        let ahead = at_ms.saturating_sub(self.offset_ms);
        // Rounded up so that, once it is reached, `now_ms() >= at_ms`.
        let real_ms = ahead.div_ceil(u64::from(self.scale));
        self.origin + Duration::from_millis(real_ms)
    }

    /// Real time for `scaled_ms` of clock time (rounded up).
    pub fn real_duration(&self, scaled_ms: u64) -> Duration {
        Duration::from_millis(scaled_ms.div_ceil(u64::from(self.scale)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn scaled_time_runs_scale_times_faster_and_sleeps_reach_their_target() {
        let clock = ScaledClock::start(1000, 5_000);
        assert_eq!(clock.now_ms(), 5_000);
        tokio::time::advance(Duration::from_millis(3)).await;
        assert_eq!(clock.now_ms(), 8_000);
        // 10 s of model time is 10 ms of real time at 1000x.
        let target = 18_500;
        tokio::time::sleep_until(clock.instant_of(target)).await;
        assert!(clock.now_ms() >= target, "{}", clock.now_ms());
        assert!(clock.now_ms() < target + 1000, "{}", clock.now_ms());
        // A target in the past is now.
        assert!(clock.instant_of(0) <= Instant::now());
        assert_eq!(clock.real_duration(10_001), Duration::from_millis(11));
    }

    #[test]
    fn scale_zero_is_real_time() {
        assert_eq!(ScaledClock::start(0, 0).scale(), 1);
    }
}
