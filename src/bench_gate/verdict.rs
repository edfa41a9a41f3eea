//! Comparing what a scenario measured with its baseline: a verdict per
//! metric and one per scenario.

use std::collections::BTreeMap;

use serde::Serialize;

use super::baseline::{MetricBaseline, ScenarioBaseline};
use super::metrics::{Measured, RATIO, label, rank, show};

/// One metric's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "verdict")]
pub enum Verdict {
    /// Exactly the baseline's value.
    Same,
    /// Lower than the baseline: run `--update` to lock it in.
    Improved,
    /// Higher than the baseline, but not above its limit.
    WorseWithinTolerance {
        /// The highest value that passes.
        limit: f64,
    },
    /// Above the limit: the gate fails.
    Regressed {
        /// The highest value that passes.
        limit: f64,
    },
    /// In the baseline, but this run has none (e.g. a tier with nobody
    /// online): the gate fails.
    Missing,
    /// Not in the baseline (`--update` adds it); passes.
    New,
    /// The scenario changed since the baseline: the numbers are shown, not
    /// judged.
    NotJudged,
}

impl Verdict {
    /// Of `now` against `base`.
    pub fn of(base: &MetricBaseline, now: f64) -> Verdict {
        let limit = base.limit();
        if now > limit {
            Verdict::Regressed { limit }
        } else if now > base.value {
            Verdict::WorseWithinTolerance { limit }
        } else if now < base.value {
            Verdict::Improved
        } else {
            Verdict::Same
        }
    }

    /// Whether the gate fails on it.
    pub fn fails(&self) -> bool {
        matches!(self, Verdict::Regressed { .. } | Verdict::Missing)
    }
}

/// One row of a scenario's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// Metric key (as in the baseline file).
    pub metric: String,
    /// Its name for people.
    pub label: String,
    /// The baseline's value.
    pub baseline: Option<f64>,
    /// This run's value.
    pub now: Option<f64>,
    /// now / baseline - 1, in percent (when both exist and the baseline is
    /// not 0).
    pub change_pct: Option<f64>,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl Row {
    /// The verdict in words, e.g. `REGRESSED: above the limit 1.010 h
    /// (tolerance 1 %)`.
    pub fn words(&self, base: Option<&MetricBaseline>) -> String {
        let tol = base.map_or_else(String::new, |b| {
            if b.tolerance_abs > 0.0 {
                format!(
                    "tolerance {} % or {}",
                    b.tolerance_pct,
                    show(&self.metric, b.tolerance_abs)
                )
            } else {
                format!("tolerance {} %", b.tolerance_pct)
            }
        });
        match self.verdict {
            Verdict::Same => "same".to_owned(),
            Verdict::Improved => "improved - run --update to lock it in".to_owned(),
            Verdict::WorseWithinTolerance { limit } => {
                format!("worse, within {tol} (limit {})", show(&self.metric, limit))
            }
            Verdict::Regressed { limit } => {
                let mut w = format!(
                    "REGRESSED: above the limit {} ({tol})",
                    show(&self.metric, limit)
                );
                if self.metric == RATIO && self.baseline.is_some_and(|b| b < 1.0) {
                    w.push_str("; the baseline is below the lower bound, which no run can reach: was it edited?");
                }
                w
            }
            Verdict::Missing => "REGRESSED: this run has no value".to_owned(),
            Verdict::New => "new - not in the baseline; --update adds it".to_owned(),
            Verdict::NotJudged => "not judged (scenario changed)".to_owned(),
        }
    }
}

/// A scenario's standing against its baseline.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Every metric passes.
    Pass,
    /// At least one metric regressed.
    Regressed,
    /// The scenario's digest differs from the baseline's: the numbers are
    /// shown but not judged; re-baseline with `--update`.
    ScenarioChanged,
    /// No baseline file: create it with `--update`.
    NoBaseline,
}

/// Every metric of `now` and of `base`, in table order ([`rank`]), with its verdict
/// ([`Verdict::NotJudged`] for all when `judged` is false).
pub fn rows(base: &ScenarioBaseline, now: &Measured, judged: bool) -> Vec<Row> {
    let mut keys: BTreeMap<(usize, &str), ()> = BTreeMap::new();
    for k in base.metrics.keys().chain(now.metrics.keys()) {
        keys.insert((rank(k, &now.tiers), k), ());
    }
    keys.into_keys()
        .map(|(_, k)| {
            let b = base.metrics.get(k);
            let n = now.metrics.get(k).copied();
            let verdict = match (b, n) {
                _ if !judged => Verdict::NotJudged,
                (Some(b), Some(n)) => Verdict::of(b, n),
                (Some(_), None) => Verdict::Missing,
                _ => Verdict::New,
            };
            let change_pct = match (b, n) {
                (Some(b), Some(n)) if b.value != 0.0 => {
                    Some(((n / b.value - 1.0) * 100.0 * 100.0).round() / 100.0)
                }
                _ => None,
            };
            Row {
                metric: k.to_owned(),
                label: label(k),
                baseline: b.map(|b| b.value),
                now: n,
                change_pct,
                verdict,
            }
        })
        .collect()
}

/// The scenario's status from its rows (when the digests agree).
pub fn status(rows: &[Row]) -> Status {
    if rows.iter().any(|r| r.verdict.fails()) {
        Status::Regressed
    } else {
        Status::Pass
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(value: f64) -> MetricBaseline {
        MetricBaseline::new("makespan_s", value)
    }

    #[test]
    fn verdicts_follow_the_limit() {
        assert_eq!(Verdict::of(&base(100.0), 100.0), Verdict::Same);
        assert_eq!(Verdict::of(&base(100.0), 99.0), Verdict::Improved);
        assert_eq!(
            Verdict::of(&base(100.0), 101.0),
            Verdict::WorseWithinTolerance { limit: 101.0 }
        );
        assert_eq!(
            Verdict::of(&base(100.0), 101.5),
            Verdict::Regressed { limit: 101.0 }
        );
        assert!(Verdict::Missing.fails());
        assert!(!Verdict::New.fails());
    }
}
