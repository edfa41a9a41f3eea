//! Model time from wall time: `model_now_ms = elapsed × time_scale`.

use tokio::time::Instant;

/// A monotonic clock running `scale` times faster than real time, from 0
/// at its start. Never goes backwards (it reads tokio's monotonic
/// [`Instant`]).
#[derive(Debug, Clone, Copy)]
pub struct ModelClock {
    start: Instant,
    scale: f64,
}

impl ModelClock {
    /// A clock starting now at model time 0. `scale` must be finite and
    /// positive (checked by [`crate::EmulatorConfig::validate`]).
    pub fn start(scale: f64) -> Self {
        Self {
            start: Instant::now(),
            scale,
        }
    }

    /// Model milliseconds elapsed since the start.
    pub fn now_ms(&self) -> u64 {
        let real_ms = self.start.elapsed().as_secs_f64() * 1000.0;
        // Saturating float-to-int conversion: a clock past u64::MAX ms stays there.
        (real_ms * self.scale) as u64
    }

    /// The scale: model milliseconds per real millisecond.
    pub fn scale(&self) -> f64 {
        self.scale
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn runs_scale_times_faster() {
        let clock = ModelClock::start(1000.0);
        assert_eq!(clock.now_ms(), 0);
        tokio::time::advance(std::time::Duration::from_millis(7)).await;
        assert_eq!(clock.now_ms(), 7000);
        tokio::time::advance(std::time::Duration::from_secs(2)).await;
        assert_eq!(clock.now_ms(), 2_007_000);
    }
}
