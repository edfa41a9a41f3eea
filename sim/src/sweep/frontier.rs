//! The cost/time frontier of a sweep: each grid point's cost (mean
//! recovery-region pool-hours per run) against a time (the makespan's
//! p95, or a tier's time-to-online p95), and which points are
//! Pareto-optimal (no other point is at most as costly and at most as
//! slow, and better in one of the two).

use super::result::SweepResult;

/// The time a frontier puts against the cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrontierTime {
    /// The makespan's p95 over the point's runs.
    MakespanP95,
    /// The time-to-online p95 of the tier at this index (0: the most
    /// important tier).
    TierP95(usize),
}

/// One grid point on the frontier's plane.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierPoint {
    /// The grid point's index in the result.
    pub index: usize,
    /// Its `key=value ...` label.
    pub label: String,
    /// Mean recovery-region pool-hours per run.
    pub cost_pool_hours: f64,
    /// The time, hours.
    pub time_h: f64,
    /// Whether it is Pareto-optimal among the points.
    pub pareto: bool,
}

/// Which of `points` (cost, time) are Pareto-optimal when both are to be
/// small: a point is dominated when another is at most as costly and at
/// most as slow and strictly better in one. Equal points are all optimal.
pub fn pareto(points: &[(f64, f64)]) -> Vec<bool> {
    points
        .iter()
        .map(|&(c, t)| {
            !points
                .iter()
                .any(|&(oc, ot)| oc <= c && ot <= t && (oc < c || ot < t))
        })
        .collect()
}

/// The points of `result` with their cost and `time`, and which are
/// Pareto-optimal, in point order. A point without the time (no run
/// finished, nobody of the tier came online) is left out.
pub fn frontier(result: &SweepResult, time: FrontierTime) -> Vec<FrontierPoint> {
    let mut points: Vec<FrontierPoint> = result
        .points
        .iter()
        .filter_map(|p| {
            let seconds = match time {
                FrontierTime::MakespanP95 => p.makespan.p95_s,
                FrontierTime::TierP95(i) => p.tiers.get(i).and_then(|t| t.time_to_online.p95_s),
            }?;
            Some(FrontierPoint {
                index: p.index,
                label: p.label.clone(),
                cost_pool_hours: p.cost.pool_hours_mean_per_run,
                time_h: seconds / 3600.0,
                pareto: false,
            })
        })
        .collect();
    let xy: Vec<(f64, f64)> = points
        .iter()
        .map(|p| (p.cost_pool_hours, p.time_h))
        .collect();
    for (p, optimal) in points.iter_mut().zip(pareto(&xy)) {
        p.pareto = optimal;
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominated_points_are_not_optimal_and_ties_are() {
        let points = [
            (100.0, 5.0), // optimal: cheapest
            (120.0, 4.0), // optimal: faster
            (130.0, 4.0), // dominated by the second (costlier, as fast)
            (110.0, 6.0), // dominated by the first
            (90.0, 9.0),  // optimal: cheapest of all
            (120.0, 4.0), // equal to the second: optimal too
        ];
        assert_eq!(pareto(&points), [true, true, false, false, true, true]);
        assert_eq!(pareto(&[]), Vec::<bool>::new());
        assert_eq!(pareto(&[(1.0, 1.0)]), [true]);
    }
}
