//! Turning a finished run into numbers: time to online per tier (from
//! `hdrhistogram`), makespan, weighted mean, ARM traffic, failures, the
//! data-loss window, and the series the report charts.

use std::collections::BTreeMap;

use hdrhistogram::Histogram;
use serde::Serialize;

use crate::lower_bound::{LowerBound, quantile_sorted};
use crate::request::QueueId;
use crate::runner::{ArmSecond, RunOutput};

/// Time-to-online statistics of one tier, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TierResult {
    /// Fleet tenants in the tier.
    pub tenants: usize,
    /// Of those, back online in the recovery region.
    pub online: usize,
    /// Median time to online; `None` (JSON `null`) when nobody in the tier
    /// came online. Percentiles have the precision [`histogram_stats`]
    /// documents.
    pub p50_s: Option<f64>,
    /// 95th percentile (`None` when nobody came online).
    pub p95_s: Option<f64>,
    /// 99th percentile (`None` when nobody came online).
    pub p99_s: Option<f64>,
    /// Maximum, exact (`None` when nobody came online).
    pub max_s: Option<f64>,
    /// Lower bound on `p95_s` (see [`crate::lower_bound`]).
    pub p95_lower_bound_s: f64,
}

/// ARM traffic of the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArmResult {
    /// Requests sent (all classes).
    pub requests: u64,
    /// Of those, answered 429.
    pub throttled: u64,
    /// Reads sent.
    pub reads: u64,
    /// Writes sent.
    pub writes: u64,
    /// Deletes sent.
    pub deletes: u64,
    /// 429s on reads.
    pub throttled_reads: u64,
    /// 429s on writes.
    pub throttled_writes: u64,
    /// 429s on deletes.
    pub throttled_deletes: u64,
    /// Requests sent before the end of a `Retry-After` announced for their
    /// class (all classes; 0 for a client that waits as told).
    pub before_retry_after: u64,
    /// The most writes sent in one second.
    pub peak_writes_per_s: u32,
}

/// The data-loss window over tenants back in the recovery region: the age
/// of the geo-backup each was restored from, seconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct DataLoss {
    /// Largest.
    pub max: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Mean.
    pub mean: f64,
}

/// Restore counts from the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RestoreCounts {
    /// Accepted requests.
    pub accepted: u64,
    /// Came online.
    pub succeeded: u64,
    /// Attempts that failed retryably.
    pub failed_transient: u64,
    /// Attempts that failed for good.
    pub failed_permanent: u64,
    /// Canceled by deleting the database.
    pub canceled: u64,
}

/// A tenant the recovery could not serve.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FailedTenant {
    /// Database `server/name`.
    pub database: String,
    /// Why.
    pub reason: String,
}

/// Most failures listed by name in a result.
pub const FAILURES_LISTED: usize = 20;

/// The result of one run (the `simulate --json` object).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunResult {
    /// Scenario name.
    pub scenario: String,
    /// Strategy name.
    pub strategy: String,
    /// The run's seed.
    pub seed: u64,
    /// FNV-1a 64 of the event log, hex (see [`crate::digest`]).
    pub digest: String,
    /// Entries in the event log.
    pub log_entries: u64,
    /// Final phase of the scheduler.
    pub phase: String,
    /// Fleet tenants.
    pub tenants: usize,
    /// Tenants created during the outage.
    pub new_tenants: u32,
    /// Recovery makespan: until every tenant was back or failed (for a
    /// cancelled run: until the cancel finished), seconds.
    pub makespan_s: f64,
    /// End of the run (after repatriation, if any), seconds.
    pub end_s: f64,
    /// When the repatriation finished, seconds, if there was one.
    pub repatriated_s: Option<f64>,
    /// Lower bound on the makespan.
    pub lower_bound_s: f64,
    /// Priority-weighted mean time to online of tenants back in recovery.
    pub weighted_mean_time_to_online_s: f64,
    /// Tier names, most important first.
    pub tier_names: Vec<String>,
    /// Per tier name.
    pub tiers: BTreeMap<String, TierResult>,
    /// ARM traffic.
    pub arm: ArmResult,
    /// Tenants reported failed.
    pub failed_tenants: usize,
    /// The first failures, with reasons.
    pub failures: Vec<FailedTenant>,
    /// Data-loss window.
    pub data_loss_window_s: DataLoss,
    /// Restore counts.
    pub restores: RestoreCounts,
    /// Most restores ever processing at once in one pool (limit: the
    /// model's `pool_restore_slots`).
    pub max_restores_processing_per_pool: u32,
    /// Most standalone restores ever processing at once.
    pub max_standalone_processing: u32,
    /// All lower bounds.
    pub lower_bound: LowerBound,
}

/// Restores `(t_s, processing, queued)` at each change of a queue.
pub type QueuePoints = Vec<(f64, u32, u32)>;

/// A moment of the run the charts mark on their time axis (a cancel or a
/// repatriation being requested or finishing).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeMark {
    /// What happened ("cancel requested", ...).
    pub label: String,
    /// When, seconds since the start.
    pub t_s: f64,
}

/// One ARM request class's budget: the token bucket's refill rate (the
/// sustained limit) and its size (the burst a full bucket allows).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ArmBudget {
    /// Tokens added per second.
    pub refill_per_s: u32,
    /// Bucket size, tokens.
    pub capacity: u32,
}

/// Time series for the report's charts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Series {
    /// Per tier (in fleet order): name and sorted times to online, seconds.
    pub tier_times_s: Vec<(String, Vec<f64>)>,
    /// Per tier (in fleet order): the tier's fleet tenants (online or not),
    /// the denominator of the time-to-online CDF.
    pub tier_tenants: Vec<usize>,
    /// Restores processing and queued over time, summed over every pool:
    /// `(t_s, processing, queued)` at each change.
    pub restores_total: QueuePoints,
    /// Restores processing in the busiest pool: `(t_s, processing)` at
    /// each change.
    pub busiest_pool: Vec<(f64, u32)>,
    /// Pools that ever held a restore.
    pub pools_restoring: u32,
    /// Restores processed at once per pool (the model's
    /// `pool_restore_slots`).
    pub pool_restore_slots: u32,
    /// ARM traffic per second.
    pub arm_per_s: Vec<ArmSecond>,
    /// The ARM budget per class (reads, writes, deletes).
    pub arm_budgets: [ArmBudget; 3],
    /// Cancel and repatriation moments, in time order.
    pub marks: Vec<TimeMark>,
}

fn secs(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// Significant digits of the time-to-online histograms.
const SIGNIFICANT_DIGITS: u8 = 5;

/// p50, p95, p99 and max of `times_ms` (ms), in seconds; `None` when no
/// tenant of the tier came online.
///
/// Precision: the percentiles come from an `hdrhistogram` with 5
/// significant digits (buckets no wider than 1/131072 of their values), and
/// `value_at_quantile` answers the top of the bucket holding the quantile's
/// sample: each figure is never below that exact sample and at most
/// 0.00077 % above it (1.4 s at 50 h; exact below 262 s), and never above
/// the exact maximum. The maximum is exact. The histogram's range is sized
/// to the tier's largest time: ~1.3 M `u32` counters (5 MB) when the
/// slowest tenant takes 10 h, 2.2 M (9 MB) at the 90-day horizon, one tier
/// at a time and freed right after; the allocation is zeroed, so only the
/// pages the recorded values touch become resident (`simulate` of the
/// wingtip demo peaks at under 9 MB resident).
pub fn histogram_stats(times_ms: &[u64]) -> Option<(f64, f64, f64, f64)> {
    let max = times_ms.iter().copied().max()?;
    let mut h = Histogram::<u32>::new_with_bounds(1, max.max(2), SIGNIFICANT_DIGITS).ok()?;
    for &t in times_ms {
        let _ = h.record(t.max(1));
    }
    let q = |quantile: f64| secs(h.value_at_quantile(quantile).min(max));
    Some((q(0.50), q(0.95), q(0.99), secs(max)))
}

/// Summarizes a finished run.
pub fn summarize(
    scenario: &str,
    seed: u64,
    out: &RunOutput,
    bound: LowerBound,
) -> (RunResult, Series) {
    let estate = out.scheduler.estate();
    let fleet = &estate.fleet;
    let rec = &out.recorder;
    let stats = out.model.stats();
    let mut per_tier: Vec<Vec<u64>> = vec![Vec::new(); fleet.tiers.len()];
    let mut tenants_per_tier = vec![0usize; fleet.tiers.len()];
    let (mut weighted, mut weights) = (0.0, 0.0);
    let mut ages = Vec::new();
    for (i, online) in rec.online_at_ms.iter().enumerate() {
        let db = &fleet.databases[i];
        let tier = usize::from(db.tier.0);
        tenants_per_tier[tier] += 1;
        if let Some(t) = *online {
            per_tier[tier].push(t);
            let w = f64::from(fleet.weight(db.tier));
            weighted += w * t as f64;
            weights += w;
            let server = &fleet.servers[db.server.0 as usize].name;
            if let Some(age) = out.model.source_backup_age_ms(server, &db.name) {
                ages.push(age);
            }
        }
    }
    let mut tiers = BTreeMap::new();
    let mut tier_times_s = Vec::new();
    for (t, tier) in fleet.tiers.iter().enumerate() {
        let times = &mut per_tier[t];
        times.sort_unstable();
        let stats = histogram_stats(times);
        let p95_lower_bound_s = bound.tiers.get(&tier.name).map_or(0.0, |b| b.p95_s);
        tiers.insert(
            tier.name.clone(),
            TierResult {
                tenants: tenants_per_tier[t],
                online: times.len(),
                p50_s: stats.map(|s| s.0),
                p95_s: stats.map(|s| s.1),
                p99_s: stats.map(|s| s.2),
                max_s: stats.map(|s| s.3),
                p95_lower_bound_s,
            },
        );
        tier_times_s.push((tier.name.clone(), times.iter().map(|&v| secs(v)).collect()));
    }
    ages.sort_unstable();
    let data_loss = DataLoss {
        max: secs(ages.last().copied().unwrap_or(0)),
        p95: secs(quantile_sorted(&ages, 0.95)),
        mean: if ages.is_empty() {
            0.0
        } else {
            (secs(ages.iter().sum::<u64>()) / ages.len() as f64 * 1000.0).round() / 1000.0
        },
    };
    let arm = ArmResult {
        requests: stats.requests.iter().sum(),
        throttled: stats.throttled.iter().sum(),
        reads: stats.requests[0],
        writes: stats.requests[1],
        deletes: stats.requests[2],
        throttled_reads: stats.throttled[0],
        throttled_writes: stats.throttled[1],
        throttled_deletes: stats.throttled[2],
        before_retry_after: stats.early.iter().sum(),
        peak_writes_per_s: rec
            .arm_per_s
            .iter()
            .map(|s| s.requests[1])
            .max()
            .unwrap_or(0),
    };
    let queues = queue_series(out);
    let failures = out.scheduler.failures();
    let makespan_ms = rec
        .recovered_at_ms
        .or(rec.cancelled_at_ms)
        .unwrap_or(out.end_ms);
    let result = RunResult {
        scenario: scenario.to_owned(),
        strategy: out.scheduler.strategy_name().to_owned(),
        seed,
        digest: rec.digest.hex(),
        log_entries: rec.digest.entries(),
        phase: format!("{:?}", out.scheduler.status().phase),
        tenants: rec.online_at_ms.len(),
        new_tenants: rec.new_tenants,
        makespan_s: secs(makespan_ms),
        end_s: secs(out.end_ms),
        repatriated_s: rec.repatriated_at_ms.map(secs),
        lower_bound_s: bound.makespan_s,
        weighted_mean_time_to_online_s: if weights > 0.0 {
            (weighted / weights).round() / 1000.0
        } else {
            0.0
        },
        tier_names: fleet.tiers.iter().map(|t| t.name.clone()).collect(),
        tiers,
        arm,
        failed_tenants: failures.len(),
        failures: failures
            .iter()
            .take(FAILURES_LISTED)
            .map(|f| FailedTenant {
                database: estate.db_name(f.db),
                reason: f.reason.clone(),
            })
            .collect(),
        data_loss_window_s: data_loss,
        restores: RestoreCounts {
            accepted: stats.restores_accepted,
            succeeded: stats.restores_succeeded,
            failed_transient: stats.restores_failed_transient,
            failed_permanent: stats.restores_failed_permanent,
            canceled: stats.restores_canceled,
        },
        max_restores_processing_per_pool: queues.max_pool,
        max_standalone_processing: queues.max_standalone,
        lower_bound: bound,
    };
    let params = out.model.params();
    let budget = |b: crate::params::BucketParams| ArmBudget {
        refill_per_s: b.refill_per_s,
        capacity: b.capacity,
    };
    let series = Series {
        tier_times_s,
        tier_tenants: tenants_per_tier.clone(),
        restores_total: queues.total,
        busiest_pool: queues.busiest,
        pools_restoring: queues.pools_restoring,
        pool_restore_slots: params.pool_restore_slots,
        arm_per_s: rec.arm_per_s.clone(),
        arm_budgets: [
            budget(params.arm_reads),
            budget(params.arm_writes),
            budget(params.arm_deletes),
        ],
        marks: time_marks(rec),
    };
    (result, series)
}

/// The moments charts mark: cancel and repatriation, requested and done.
fn time_marks(rec: &crate::runner::Recorder) -> Vec<TimeMark> {
    let mut marks: Vec<TimeMark> = [
        ("cancel requested", rec.cancel_requested_at_ms),
        ("cancel done", rec.cancelled_at_ms),
        ("repatriation requested", rec.repatriate_requested_at_ms),
        ("repatriated", rec.repatriated_at_ms),
    ]
    .into_iter()
    .filter_map(|(label, at)| {
        at.map(|ms| TimeMark {
            label: label.to_owned(),
            t_s: secs(ms),
        })
    })
    .collect();
    marks.sort_by(|a, b| a.t_s.total_cmp(&b.t_s));
    marks
}

/// The restore queues over time, from the model's samples.
struct QueueSeries {
    /// Summed over pools.
    total: QueuePoints,
    /// The busiest pool's processing restores at each change.
    busiest: Vec<(f64, u32)>,
    /// Pools that ever held a restore.
    pools_restoring: u32,
    /// Most restores processing in one pool.
    max_pool: u32,
    /// Most standalone restores processing.
    max_standalone: u32,
}

/// Pools per processing level, so that the busiest pool's level is known
/// after each sample in `O(slots)`, whatever the fleet's size.
#[derive(Default)]
struct Levels(Vec<u32>);

impl Levels {
    fn moved(&mut self, from: u32, to: u32) {
        let top = from.max(to) as usize;
        if self.0.len() <= top {
            self.0.resize(top + 1, 0);
        }
        self.0[from as usize] = self.0[from as usize].saturating_sub(1);
        self.0[to as usize] += 1;
    }

    fn highest(&self) -> u32 {
        self.0
            .iter()
            .rposition(|&n| n > 0)
            .map_or(0, |l| u32::try_from(l).unwrap_or(u32::MAX))
    }
}

/// Appends `(t, v)` to a change series: a sample at the same time replaces
/// the last, an unchanged value is skipped.
fn push_change<V: PartialEq + Copy>(series: &mut Vec<(f64, V)>, t: f64, v: V) {
    match series.last_mut() {
        Some(last) if last.0 == t => last.1 = v,
        Some(last) if last.1 == v => {}
        _ => series.push((t, v)),
    }
}

/// Sums the model's per-queue samples into one series (pools only),
/// follows the busiest pool, and finds the largest occupancy.
fn queue_series(out: &RunOutput) -> QueueSeries {
    let samples = &out.model.stats().queue_samples;
    let pools = out.model.pool_count();
    let mut current = vec![(0u32, 0u32); pools];
    let mut touched = vec![false; pools];
    // Every pool starts at level 0.
    let mut levels = Levels(vec![u32::try_from(pools).unwrap_or(u32::MAX)]);
    let (mut processing, mut queued) = (0u32, 0u32);
    let mut total: Vec<(f64, u32, u32)> = Vec::new();
    let mut busiest: Vec<(f64, u32)> = Vec::new();
    let (mut max_pool, mut max_standalone) = (0, 0);
    for s in samples {
        match s.queue {
            QueueId::Pool(p) => {
                let Some(cur) = current.get_mut(p.0 as usize) else {
                    continue;
                };
                processing = processing - cur.0 + s.processing;
                queued = queued - cur.1 + s.queued;
                levels.moved(cur.0, s.processing);
                *cur = (s.processing, s.queued);
                if let Some(seen) = touched.get_mut(p.0 as usize) {
                    *seen = true;
                }
                max_pool = max_pool.max(s.processing);
                let t = secs(s.at_ms);
                match total.last_mut() {
                    Some(last) if last.0 == t => *last = (t, processing, queued),
                    _ => total.push((t, processing, queued)),
                }
                push_change(&mut busiest, t, levels.highest());
            }
            QueueId::Standalone => max_standalone = max_standalone.max(s.processing),
        }
    }
    QueueSeries {
        total,
        busiest,
        pools_restoring: u32::try_from(touched.iter().filter(|&&t| t).count()).unwrap_or(u32::MAX),
        max_pool,
        max_standalone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_within_five_significant_digits_above_the_exact_sample() {
        // Times of the order of hours, where 3 significant digits were up to
        // 0.1 % (seconds) high.
        let times: Vec<u64> = (1..=1_000u64)
            .map(|k| 3_600_000 + k * 12_345 + (k * k) % 977)
            .collect();
        let (p50, p95, p99, max) = histogram_stats(&times).expect("stats");
        for (q, got) in [(0.50, p50), (0.95, p95), (0.99, p99)] {
            let exact = secs(quantile_sorted(&times, q));
            assert!(got >= exact, "q {q}: {got} below the exact {exact}");
            assert!(
                got - exact <= exact * 1e-5,
                "q {q}: {got} more than 5 significant digits above {exact}"
            );
        }
        assert_eq!(max, secs(*times.last().expect("times")));
    }

    #[test]
    fn a_tier_with_nobody_online_has_no_percentiles() {
        assert_eq!(histogram_stats(&[]), None);
        let t = TierResult {
            tenants: 3,
            online: 0,
            p50_s: None,
            p95_s: None,
            p99_s: None,
            max_s: None,
            p95_lower_bound_s: 10.0,
        };
        let json = serde_json::to_value(t).expect("json");
        assert!(json["p95_s"].is_null(), "{json}");
    }
}
