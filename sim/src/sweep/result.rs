//! The result of a sweep (`sweep --json`, `merge --json`): per grid point,
//! the time-to-online distribution of every tier, the makespan
//! distribution, the 429s, the cost and the failed tenants.
//!
//! Built from the points' accumulators only, so a sweep run whole and the
//! merge of its shards serialize to the same bytes.

use serde::Serialize;

use super::accumulate::{Dist, PointAcc};
use super::grid::{SweepId, labels};

/// `format` of result files.
pub const RESULT_FORMAT: &str = "georestore-sweep-result";

/// A distribution over every run of a point, seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Distribution {
    /// Values recorded (tenants online, or runs for the makespan).
    pub samples: u64,
    /// Median (`null` without samples); within the histogram's precision
    /// ([`super::accumulate::HistogramSpec`]).
    pub p50_s: Option<f64>,
    /// 95th percentile (`null` without samples).
    pub p95_s: Option<f64>,
    /// Exact maximum (`null` without samples).
    pub max_s: Option<f64>,
    /// The histogram (ms), hdrhistogram V2 serialization, base64.
    pub histogram_v2_base64: String,
}

impl Distribution {
    fn of(d: &Dist) -> Result<Distribution, String> {
        Ok(Distribution {
            samples: d.samples(),
            p50_s: d.quantile_s(0.50),
            p95_s: d.quantile_s(0.95),
            max_s: d.max_s(),
            histogram_v2_base64: d.histogram_base64()?,
        })
    }
}

/// One tier of a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierSummary {
    /// Tier name.
    pub name: String,
    /// Fleet tenants of the tier (per run).
    pub tenants: u64,
    /// Tenants back online, summed over runs.
    pub online: u64,
    /// Time to online of every tenant back online, over every run.
    pub time_to_online: Distribution,
}

/// A count per run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Count {
    /// Summed over runs.
    pub total: u64,
    /// Mean per run (3 decimals).
    pub mean_per_run: f64,
    /// Most in one run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_per_run: Option<u64>,
}

/// The cost of a point (see [`super::sample`] for the measure).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    /// The measure's name: `recovery-region elastic pool-hours`.
    pub measure: &'static str,
    /// Mean per run, hours (3 decimals).
    pub pool_hours_mean_per_run: f64,
    /// Summed over runs, hours (3 decimals).
    pub pool_hours_total: f64,
}

/// One grid point's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointResult {
    /// Point index (first `--vary` slowest).
    pub index: usize,
    /// `key=value ...` of the point (empty without `--vary`).
    pub label: String,
    /// The point's strategy.
    pub strategy: String,
    /// Runs (seeds) of the point.
    pub runs: u64,
    /// Per tier, most important first.
    pub tiers: Vec<TierSummary>,
    /// Recovery makespan over runs.
    pub makespan: Distribution,
    /// ARM requests answered 429.
    pub arm_429s: Count,
    /// Cost.
    pub cost: Cost,
    /// Tenants reported failed.
    pub failed_tenants: Count,
}

/// A whole sweep's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepResult {
    /// [`RESULT_FORMAT`].
    pub format: &'static str,
    /// The sweep.
    pub sweep: SweepId,
    /// Per grid point, in point order.
    pub points: Vec<PointResult>,
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// Name of the cost measure.
pub const COST_MEASURE: &str = "recovery-region elastic pool-hours";

impl SweepResult {
    /// The result of `accs` (one per point, in point order) of sweep `id`.
    pub fn from_accs(id: &SweepId, accs: &[PointAcc]) -> Result<SweepResult, String> {
        let labels = labels(id);
        let points = accs
            .iter()
            .enumerate()
            .map(|(index, a)| {
                let runs = a.runs.max(1) as f64;
                let hours = a.pool_ms_total as f64 / 3_600_000.0;
                Ok(PointResult {
                    index,
                    label: labels.get(index).cloned().unwrap_or_default(),
                    strategy: a.strategy.clone(),
                    runs: a.runs,
                    tiers: a
                        .tiers
                        .iter()
                        .map(|t| {
                            Ok(TierSummary {
                                name: t.name.clone(),
                                tenants: t.tenants,
                                online: t.online,
                                time_to_online: Distribution::of(&t.time_to_online)?,
                            })
                        })
                        .collect::<Result<_, String>>()?,
                    makespan: Distribution::of(&a.makespan)?,
                    arm_429s: Count {
                        total: a.throttled_total,
                        mean_per_run: round3(a.throttled_total as f64 / runs),
                        max_per_run: Some(a.throttled_max),
                    },
                    cost: Cost {
                        measure: COST_MEASURE,
                        pool_hours_mean_per_run: round3(hours / runs),
                        pool_hours_total: round3(hours),
                    },
                    failed_tenants: Count {
                        total: a.failed_total,
                        mean_per_run: round3(a.failed_total as f64 / runs),
                        max_per_run: None,
                    },
                })
            })
            .collect::<Result<_, String>>()?;
        Ok(SweepResult {
            format: RESULT_FORMAT,
            sweep: id.clone(),
            points,
        })
    }

    /// Pretty JSON with a final newline: the bytes `sweep --json` and
    /// `merge --json` print.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
