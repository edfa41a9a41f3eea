//! Per-grid-point accumulators: an hdrhistogram per tier (time to online)
//! and one of the makespan, exact maxima, and integer sums. Adding two
//! accumulators is exact and order-free (counts and integers only), so a
//! sweep split into any shards merges back to the very same numbers.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2Serializer};
use serde::{Deserialize, Serialize};

use super::grid::GridPoint;
use super::sample::RunSample;
use crate::runner::DEFAULT_HORIZON_MS;

/// The layout every sweep histogram has (so any two can be added).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistogramSpec {
    /// Unit of the recorded values: always `"ms"`.
    pub unit: MsUnit,
    /// Lowest discernible value (1 ms; 0 ms is recorded as 1).
    pub lowest: u64,
    /// Highest trackable value (the run's 90-day horizon; larger values
    /// are recorded as this).
    pub highest: u64,
    /// Significant decimal digits: 3, i.e. any value is within 0.1 % (at
    /// most 36 s at 10 h); the `p50_s`/`p95_s` figures derived from them
    /// are the top of the holding bucket, capped at the exact maximum.
    pub significant_digits: u8,
}

/// The unit tag of [`HistogramSpec`] (milliseconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum MsUnit {
    /// Milliseconds.
    #[serde(rename = "ms")]
    Ms,
}

impl Default for HistogramSpec {
    fn default() -> Self {
        Self {
            unit: MsUnit::Ms,
            lowest: 1,
            highest: DEFAULT_HORIZON_MS,
            significant_digits: 3,
        }
    }
}

impl HistogramSpec {
    fn empty(&self) -> Histogram<u64> {
        // Constant bounds (1 <= 2 * 1 <= horizon, 3 <= 5 digits): never fails.
        Histogram::new_with_bounds(self.lowest, self.highest, self.significant_digits)
            .expect("the sweep histogram layout is valid")
    }
}

/// A distribution: the histogram plus the exact maximum.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    /// Recorded values, ms.
    pub hist: Histogram<u64>,
    /// Exact largest recorded value, ms (0 when empty).
    pub max_ms: u64,
}

impl Dist {
    fn new() -> Self {
        Self {
            hist: HistogramSpec::default().empty(),
            max_ms: 0,
        }
    }

    fn record(&mut self, ms: u64) {
        self.hist.saturating_record(ms.max(1));
        self.max_ms = self.max_ms.max(ms);
    }

    fn add(&mut self, other: &Dist) -> Result<(), String> {
        self.hist
            .add(&other.hist)
            .map_err(|e| format!("histograms of different layouts: {e:?}"))?;
        self.max_ms = self.max_ms.max(other.max_ms);
        Ok(())
    }

    /// Values recorded.
    pub fn samples(&self) -> u64 {
        self.hist.len()
    }

    /// The value at `quantile` (0..=1), seconds, capped at the exact
    /// maximum; `None` when empty.
    pub fn quantile_s(&self, quantile: f64) -> Option<f64> {
        (!self.hist.is_empty())
            .then(|| self.hist.value_at_quantile(quantile).min(self.max_ms) as f64 / 1000.0)
    }

    /// The exact maximum, seconds; `None` when empty.
    pub fn max_s(&self) -> Option<f64> {
        (!self.hist.is_empty()).then(|| self.max_ms as f64 / 1000.0)
    }

    /// The histogram in hdrhistogram's V2 serialization, base64.
    pub fn histogram_base64(&self) -> Result<String, String> {
        let mut bytes = Vec::new();
        V2Serializer::new()
            .serialize(&self.hist, &mut bytes)
            .map_err(|e| format!("serializing a histogram: {e}"))?;
        Ok(BASE64.encode(bytes))
    }

    fn to_file(&self) -> Result<DistFile, String> {
        Ok(DistFile {
            max_ms: self.max_ms,
            histogram: self.histogram_base64()?,
        })
    }

    fn from_file(f: &DistFile) -> Result<Dist, String> {
        let bytes = BASE64
            .decode(&f.histogram)
            .map_err(|e| format!("a histogram is not base64: {e}"))?;
        let hist: Histogram<u64> = Deserializer::new()
            .deserialize(&mut bytes.as_slice())
            .map_err(|e| format!("a histogram does not deserialize: {e:?}"))?;
        let spec = HistogramSpec::default();
        if hist.low() != spec.lowest
            || hist.high() != spec.highest
            || hist.sigfig() != spec.significant_digits
        {
            return Err(format!(
                "a histogram has bounds {}..{} with {} digits, not the sweep layout {}..{} with {}",
                hist.low(),
                hist.high(),
                hist.sigfig(),
                spec.lowest,
                spec.highest,
                spec.significant_digits
            ));
        }
        let mut dist = Dist::new();
        dist.hist
            .add(&hist)
            .map_err(|e| format!("a histogram does not fit the layout: {e:?}"))?;
        dist.max_ms = f.max_ms;
        Ok(dist)
    }
}

/// One tier of a point.
#[derive(Debug, Clone, PartialEq)]
pub struct TierAcc {
    /// Tier name.
    pub name: String,
    /// Fleet tenants of the tier (per run).
    pub tenants: u64,
    /// Tenants back online, summed over runs.
    pub online: u64,
    /// Times to online over all runs.
    pub time_to_online: Dist,
}

/// Everything the runs of one grid point add up to.
#[derive(Debug, Clone, PartialEq)]
pub struct PointAcc {
    /// The point's strategy.
    pub strategy: String,
    /// Runs added.
    pub runs: u64,
    /// Per tier, fleet order.
    pub tiers: Vec<TierAcc>,
    /// Makespans.
    pub makespan: Dist,
    /// 429s summed over runs.
    pub throttled_total: u64,
    /// Most 429s of one run.
    pub throttled_max: u64,
    /// Recovery-region pool-milliseconds summed over runs (see
    /// [`super::sample`]).
    pub pool_ms_total: u64,
    /// Failed tenants summed over runs.
    pub failed_total: u64,
}

impl PointAcc {
    /// An empty accumulator for `point` (its strategy and tiers).
    pub fn for_point(point: &GridPoint) -> PointAcc {
        let fleet = &point.scenario.fleet;
        let tiers = fleet
            .tiers
            .iter()
            .enumerate()
            .map(|(i, t)| TierAcc {
                name: t.name.clone(),
                tenants: fleet
                    .databases
                    .iter()
                    .filter(|d| usize::from(d.tier.0) == i)
                    .count() as u64,
                online: 0,
                time_to_online: Dist::new(),
            })
            .collect();
        PointAcc {
            strategy: point.scenario.file.strategy.name.clone(),
            runs: 0,
            tiers,
            makespan: Dist::new(),
            throttled_total: 0,
            throttled_max: 0,
            pool_ms_total: 0,
            failed_total: 0,
        }
    }

    /// Adds one run.
    pub fn add(&mut self, s: &RunSample) {
        self.runs += 1;
        for (tier, times) in self.tiers.iter_mut().zip(&s.tier_times_ms) {
            tier.online += times.len() as u64;
            for &t in times {
                tier.time_to_online.record(t);
            }
        }
        self.makespan.record(s.makespan_ms);
        self.throttled_total += s.throttled;
        self.throttled_max = self.throttled_max.max(s.throttled);
        self.pool_ms_total += s.pool_ms;
        self.failed_total += s.failed;
    }

    /// Adds another accumulator of the same point.
    ///
    /// Contract: exact and order-free; refuses (with the reason) an
    /// accumulator of another strategy or other tiers.
    pub fn merge(&mut self, o: &PointAcc) -> Result<(), String> {
        let names = |a: &PointAcc| {
            a.tiers
                .iter()
                .map(|t| (t.name.clone(), t.tenants))
                .collect::<Vec<_>>()
        };
        if self.strategy != o.strategy || names(self) != names(o) {
            return Err(format!(
                "strategy {} with tiers {:?} against strategy {} with tiers {:?}",
                self.strategy,
                names(self),
                o.strategy,
                names(o)
            ));
        }
        self.runs += o.runs;
        for (a, b) in self.tiers.iter_mut().zip(&o.tiers) {
            a.online += b.online;
            a.time_to_online.add(&b.time_to_online)?;
        }
        self.makespan.add(&o.makespan)?;
        self.throttled_total += o.throttled_total;
        self.throttled_max = self.throttled_max.max(o.throttled_max);
        self.pool_ms_total += o.pool_ms_total;
        self.failed_total += o.failed_total;
        Ok(())
    }

    /// The accumulator as stored in a shard file.
    pub fn to_file(&self) -> Result<PointAccFile, String> {
        Ok(PointAccFile {
            strategy: self.strategy.clone(),
            runs: self.runs,
            tiers: self
                .tiers
                .iter()
                .map(|t| {
                    Ok(TierAccFile {
                        name: t.name.clone(),
                        tenants: t.tenants,
                        online: t.online,
                        time_to_online: t.time_to_online.to_file()?,
                    })
                })
                .collect::<Result<_, String>>()?,
            makespan: self.makespan.to_file()?,
            throttled_total: self.throttled_total,
            throttled_max: self.throttled_max,
            pool_ms_total: self.pool_ms_total,
            failed_total: self.failed_total,
        })
    }

    /// The accumulator a shard file stores.
    pub fn from_file(f: &PointAccFile) -> Result<PointAcc, String> {
        Ok(PointAcc {
            strategy: f.strategy.clone(),
            runs: f.runs,
            tiers: f
                .tiers
                .iter()
                .map(|t| {
                    Ok(TierAcc {
                        name: t.name.clone(),
                        tenants: t.tenants,
                        online: t.online,
                        time_to_online: Dist::from_file(&t.time_to_online)?,
                    })
                })
                .collect::<Result<_, String>>()?,
            makespan: Dist::from_file(&f.makespan)?,
            throttled_total: f.throttled_total,
            throttled_max: f.throttled_max,
            pool_ms_total: f.pool_ms_total,
            failed_total: f.failed_total,
        })
    }
}

/// A distribution in a shard file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistFile {
    /// Exact maximum, ms.
    pub max_ms: u64,
    /// hdrhistogram V2 serialization, base64.
    pub histogram: String,
}

/// A tier in a shard file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TierAccFile {
    /// Tier name.
    pub name: String,
    /// Fleet tenants of the tier (per run).
    pub tenants: u64,
    /// Tenants online, summed over the shard's runs.
    pub online: u64,
    /// Times to online.
    pub time_to_online: DistFile,
}

/// A point's accumulator in a shard file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointAccFile {
    /// The point's strategy.
    pub strategy: String,
    /// Runs of this point in the shard.
    pub runs: u64,
    /// Per tier.
    pub tiers: Vec<TierAccFile>,
    /// Makespans.
    pub makespan: DistFile,
    /// 429s summed.
    pub throttled_total: u64,
    /// Most 429s of one run.
    pub throttled_max: u64,
    /// Pool-milliseconds summed.
    pub pool_ms_total: u64,
    /// Failed tenants summed.
    pub failed_total: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distributions_survive_the_file_and_add_exactly() {
        let mut a = Dist::new();
        let mut b = Dist::new();
        for k in 0..1000u64 {
            a.record(k * 37_001);
            b.record(3_600_000 + k * 11);
        }
        let mut both = a.clone();
        both.add(&b).expect("add");
        let a2 = Dist::from_file(&a.to_file().expect("file")).expect("back");
        let mut both2 = b.clone();
        both2
            .add(&Dist::from_file(&a2.to_file().expect("file")).expect("back"))
            .expect("add");
        assert_eq!(
            both.histogram_base64().expect("b64"),
            both2.histogram_base64().expect("b64")
        );
        assert_eq!(both.quantile_s(0.95), both2.quantile_s(0.95));
        assert_eq!(both.max_s(), Some(36_963.999));
        let empty = Dist::new();
        let back = Dist::from_file(&empty.to_file().expect("file")).expect("empty back");
        assert_eq!(back.samples(), 0);
        assert_eq!(back.quantile_s(0.5), None);
    }

    #[test]
    fn a_foreign_histogram_is_refused() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 1000, 2).expect("h");
        h.record(5).expect("record");
        let mut bytes = Vec::new();
        V2Serializer::new().serialize(&h, &mut bytes).expect("ser");
        let f = DistFile {
            max_ms: 5,
            histogram: BASE64.encode(bytes),
        };
        let e = Dist::from_file(&f).expect_err("foreign");
        assert!(e.contains("not the sweep layout"), "{e}");
        let e = Dist::from_file(&DistFile {
            max_ms: 0,
            histogram: "@@".into(),
        })
        .expect_err("garbage");
        assert!(e.contains("base64"), "{e}");
    }
}
