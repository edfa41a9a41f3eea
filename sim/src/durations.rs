//! The duration model: how long each kind of Azure operation takes.
//!
//! Every function takes the draws it needs from a [`Draws`] stream and
//! consumes a fixed number of them, so results are a pure function of the
//! parameters, the inputs and the stream.

use crate::params::{LogNormalMs, ModelParams};
use crate::rng::{Draws, to_ms};

/// Cap on any drawn duration other than restores (30 days, in ms), so that
/// extreme tails cannot overflow timestamps.
pub const MAX_DURATION_MS: u64 = 30 * 24 * 3_600_000;

/// A lognormal duration (two draws), rounded to ms, capped at
/// [`MAX_DURATION_MS`].
pub fn lognormal_ms(draws: &mut Draws, dist: LogNormalMs) -> u64 {
    to_ms(
        draws.lognormal(dist.median_ms as f64, dist.sigma),
        MAX_DURATION_MS,
    )
}

/// The median restore duration of a database of `size_gb`, before
/// contention: `restore_base_ms + restore_per_gb_ms * size_gb`.
pub fn restore_median_ms(params: &ModelParams, size_gb: f64) -> f64 {
    params.restore_base_ms as f64 + params.restore_per_gb_ms as f64 * size_gb.max(0.0)
}

/// The regional contention slow-down factor: `1 + contention`. During a
/// regional outage many customers geo-restore into the same paired region;
/// `contention` (>= 0, set by the scenario) is that intensity, 0 meaning no
/// other customer. Source for the effect: limits doc, recovery time depends
/// on "number of concurrent restore requests processed in the target region".
pub fn contention_factor(contention: f64) -> f64 {
    1.0 + contention.max(0.0)
}

/// One restore attempt as drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RestoreAttempt {
    /// Processing time if the attempt succeeds, in ms (>= 1, <= the cap).
    pub duration_ms: u64,
    /// Whether this attempt fails with a retryable error.
    pub transient_failure: bool,
    /// When a failing attempt fails, in ms after it started (<= duration).
    pub fail_after_ms: u64,
}

/// Draws one restore attempt (four draws): lognormal duration with median
/// [`restore_median_ms`] and sigma `restore_sigma`, multiplied by
/// [`contention_factor`], capped at `restore_cap_ms`; a transient failure
/// with probability `restore_transient_failure_prob`, at a uniform point of
/// the duration.
pub fn restore_attempt(
    params: &ModelParams,
    size_gb: f64,
    contention: f64,
    draws: &mut Draws,
) -> RestoreAttempt {
    let base = draws.lognormal(restore_median_ms(params, size_gb), params.restore_sigma);
    let duration_ms = to_ms(base * contention_factor(contention), params.restore_cap_ms).max(1);
    let transient_failure = draws.bernoulli(params.restore_transient_failure_prob);
    let fail_after_ms = to_ms(draws.unit() * duration_ms as f64, duration_ms);
    RestoreAttempt {
        duration_ms,
        transient_failure,
        fail_after_ms,
    }
}

/// What is fixed about a recoverable database at the outage (two draws).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SourceDraw {
    /// Age of its newest geo-replicated backup, in ms: exponential with mean
    /// `geo_backup_age_mean_ms`, capped at `geo_backup_age_max_ms`.
    pub backup_age_ms: u64,
    /// Whether every restore of it fails permanently (probability
    /// `restore_permanent_failure_prob`).
    pub unrestorable: bool,
}

/// Draws the fixed properties of one recoverable database (two draws).
pub fn source_draw(params: &ModelParams, draws: &mut Draws) -> SourceDraw {
    let age = draws.exponential(params.geo_backup_age_mean_ms as f64);
    SourceDraw {
        backup_age_ms: to_ms(age, params.geo_backup_age_max_ms),
        unrestorable: draws.bernoulli(params.restore_permanent_failure_prob),
    }
}

/// Geo-replica seeding time for `size_gb` (two draws): lognormal around
/// `seeding_base_ms + seeding_per_gb_ms * size_gb` with `seeding_sigma`.
pub fn seeding_ms(params: &ModelParams, size_gb: f64, draws: &mut Draws) -> u64 {
    let median = params.seeding_base_ms as f64 + params.seeding_per_gb_ms as f64 * size_gb.max(0.0);
    to_ms(
        draws.lognormal(median, params.seeding_sigma),
        MAX_DURATION_MS,
    )
}

/// Time to move a database of `size_gb` into a pool (no draw):
/// `move_to_pool_base_ms + move_to_pool_per_gb_ms * size_gb`.
pub fn move_to_pool_ms(params: &ModelParams, size_gb: f64) -> u64 {
    to_ms(
        params.move_to_pool_base_ms as f64
            + params.move_to_pool_per_gb_ms as f64 * size_gb.max(0.0),
        MAX_DURATION_MS,
    )
}

/// Pool creation (four draws): lognormal `pool_create`, plus an exponential
/// shortage delay with mean `pool_create_shortage_delay_mean_ms`; fails
/// (retryably) with probability `pool_create_failure_prob`. Returns the
/// duration in ms and whether it fails.
pub fn pool_create(params: &ModelParams, draws: &mut Draws) -> (u64, bool) {
    let base = lognormal_ms(draws, params.pool_create);
    let delay = to_ms(
        draws.exponential(params.pool_create_shortage_delay_mean_ms as f64),
        MAX_DURATION_MS,
    );
    let fails = draws.bernoulli(params.pool_create_failure_prob);
    (base.saturating_add(delay), fails)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::component_draws;

    #[test]
    fn most_default_restores_finish_under_12h() {
        let p = ModelParams::default();
        let twelve_h = 12 * 3_600_000;
        for size_gb in [1.0, 10.0, 50.0, 250.0] {
            let mut under = 0;
            let n = 2_000;
            for i in 0..n {
                let mut d = component_draws(3, &["t"], i);
                if restore_attempt(&p, size_gb, 0.0, &mut d).duration_ms < twelve_h {
                    under += 1;
                }
            }
            assert!(under * 10 > n * 9, "{size_gb} GB: {under}/{n} under 12 h");
        }
    }

    #[test]
    fn contention_slows_restores_and_cap_holds() {
        let p = ModelParams::default();
        let calm = restore_attempt(&p, 20.0, 0.0, &mut component_draws(1, &["x"], 0));
        let busy = restore_attempt(&p, 20.0, 2.0, &mut component_draws(1, &["x"], 0));
        let ratio = busy.duration_ms as f64 / calm.duration_ms as f64;
        assert!((ratio - 3.0).abs() < 1e-3, "ratio {ratio}");
        let huge = restore_attempt(&p, 1e9, 100.0, &mut component_draws(1, &["x"], 0));
        assert_eq!(huge.duration_ms, p.restore_cap_ms);
        assert!(huge.fail_after_ms <= huge.duration_ms);
    }

    #[test]
    fn backup_age_is_capped_at_one_hour() {
        let p = ModelParams::default();
        for i in 0..5_000 {
            let s = source_draw(&p, &mut component_draws(9, &["src"], i));
            assert!(s.backup_age_ms <= 3_600_000);
        }
    }
}
