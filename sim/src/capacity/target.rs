//! RTO targets: `TIER.METRIC <= DURATION` or `makespan <= DURATION`.
//!
//! `TIER` is a tier name of the fleet or `all` (every tenant); `METRIC` is
//! `p50`, `p95`, `p99`, `max` or `mean` of the tier's times to online in
//! one run. Durations: a number and a unit, `s`, `m`, `h` or `d`
//! (`3600s`, `90m`, `1.5h`, `2h`, `1d`). Spaces are optional.

use serde::Serialize;

use super::PlanError;

/// The grammar, for error messages.
pub const GRAMMAR: &str = "write TIER.METRIC <= DURATION or makespan <= DURATION, with TIER a tier name or `all`, METRIC one of p50, p95, p99, max, mean, and DURATION a number with s, m, h or d (e.g. 'premium.p95 <= 2h', 'all.max <= 12h', 'makespan <= 90m')";

/// A statistic of one run's times to online.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Metric {
    /// Median.
    P50,
    /// 95th percentile.
    P95,
    /// 99th percentile.
    P99,
    /// Largest.
    Max,
    /// Arithmetic mean.
    Mean,
}

impl Metric {
    fn parse(s: &str) -> Option<Metric> {
        Some(match s {
            "p50" => Metric::P50,
            "p95" => Metric::P95,
            "p99" => Metric::P99,
            "max" => Metric::Max,
            "mean" => Metric::Mean,
            _ => return None,
        })
    }

    /// The name as written in a target.
    pub fn name(self) -> &'static str {
        match self {
            Metric::P50 => "p50",
            Metric::P95 => "p95",
            Metric::P99 => "p99",
            Metric::Max => "max",
            Metric::Mean => "mean",
        }
    }
}

/// What a target measures in one run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// A tier's times to online (`tier` is its name).
    Tier {
        /// Tier name.
        tier: String,
        /// Statistic.
        metric: Metric,
    },
    /// Every tenant's times to online.
    All {
        /// Statistic.
        metric: Metric,
    },
    /// The run's makespan.
    Makespan,
}

/// One target: a run statistic and its bound.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    /// What is measured.
    pub scope: Scope,
    /// The bound, seconds (met when the value is at most this).
    pub bound_s: f64,
    /// The target as given, normalized (`premium.p95 <= 2h`).
    pub text: String,
}

fn bad(arg: &str, message: impl Into<String>) -> PlanError {
    PlanError::Target {
        arg: arg.to_owned(),
        message: message.into(),
        fix: GRAMMAR.to_owned(),
    }
}

/// Parses a duration: a finite number > 0 and a unit `s`, `m`, `h`, `d`.
pub fn parse_duration(text: &str) -> Option<f64> {
    let text = text.trim();
    let unit = text.chars().next_back()?;
    let number = &text[..text.len() - unit.len_utf8()];
    let scale = match unit {
        's' => 1.0,
        'm' => 60.0,
        'h' => 3600.0,
        'd' => 86_400.0,
        _ => return None,
    };
    let v: f64 = number.trim().parse().ok()?;
    (v.is_finite() && v > 0.0).then_some(v * scale)
}

/// A duration as a target shows it: hours to two decimals when at least
/// an hour, else minutes, else seconds.
pub fn show_duration(s: f64) -> String {
    if s >= 3600.0 {
        format!("{:.2} h", s / 3600.0)
    } else if s >= 60.0 {
        format!("{:.1} min", s / 60.0)
    } else {
        format!("{s:.0} s")
    }
}

impl Target {
    /// Parses one `--target`; `tiers` are the fleet's tier names.
    ///
    /// Contract: exactly one `<=`; the left side `makespan`, `all.METRIC` or
    /// `TIER.METRIC` with a tier of `tiers`; the right side a duration
    /// ([`parse_duration`]). Errors name the argument, what is wrong and
    /// the grammar.
    pub fn parse(arg: &str, tiers: &[String]) -> Result<Target, PlanError> {
        let Some((left, right)) = arg.split_once("<=") else {
            return Err(bad(arg, "no `<=` between the measure and the bound"));
        };
        if right.contains("<=") {
            return Err(bad(arg, "more than one `<=`"));
        }
        let left = left.trim();
        let bound_s = parse_duration(right)
            .ok_or_else(|| bad(arg, format!("`{}` is not a duration", right.trim())))?;
        let scope = if left == "makespan" {
            Scope::Makespan
        } else {
            let Some((tier, metric)) = left.rsplit_once('.') else {
                return Err(bad(arg, format!("`{left}` is not TIER.METRIC or makespan")));
            };
            let metric = Metric::parse(metric.trim()).ok_or_else(|| {
                bad(
                    arg,
                    format!("`{}` is not one of p50, p95, p99, max, mean", metric.trim()),
                )
            })?;
            let tier = tier.trim();
            if tier == "all" {
                Scope::All { metric }
            } else if tiers.iter().any(|t| t == tier) {
                Scope::Tier {
                    tier: tier.to_owned(),
                    metric,
                }
            } else {
                return Err(PlanError::Target {
                    arg: arg.to_owned(),
                    message: format!("the fleet has no tier `{tier}`"),
                    fix: format!(
                        "use `all` or one of the fleet's tiers: {}",
                        tiers.join(", ")
                    ),
                });
            }
        };
        let text = format!("{} <= {}", scope_name(&scope), right.trim());
        Ok(Target {
            scope,
            bound_s,
            text,
        })
    }

    /// The measured side, e.g. `premium.p95` or `makespan`.
    pub fn measure(&self) -> String {
        scope_name(&self.scope)
    }
}

fn scope_name(scope: &Scope) -> String {
    match scope {
        Scope::Tier { tier, metric } => format!("{tier}.{}", metric.name()),
        Scope::All { metric } => format!("all.{}", metric.name()),
        Scope::Makespan => "makespan".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiers() -> Vec<String> {
        ["premium", "standard", "free"].map(String::from).to_vec()
    }

    #[test]
    fn targets_and_durations_parse() {
        let t = Target::parse("premium.p95 <= 2h", &tiers()).expect("ok");
        assert_eq!(
            t.scope,
            Scope::Tier {
                tier: "premium".into(),
                metric: Metric::P95
            }
        );
        assert_eq!(t.bound_s, 7200.0);
        assert_eq!(t.text, "premium.p95 <= 2h");
        let t = Target::parse("all.max<=1.5h", &tiers()).expect("ok");
        assert_eq!(
            t.scope,
            Scope::All {
                metric: Metric::Max
            }
        );
        assert_eq!(t.bound_s, 5400.0);
        assert_eq!(t.measure(), "all.max");
        let t = Target::parse(" makespan <= 90m ", &tiers()).expect("ok");
        assert_eq!((t.scope.clone(), t.bound_s), (Scope::Makespan, 5400.0));
        assert_eq!(parse_duration("3600s"), Some(3600.0));
        assert_eq!(parse_duration("1d"), Some(86_400.0));
        // A unit outside ASCII is refused, not sliced through.
        assert_eq!(parse_duration("2ч"), None);
        assert_eq!(parse_duration("ч"), None);
        assert_eq!(parse_duration(""), None);
        assert_eq!(
            Target::parse("free.mean <= 30m", &tiers())
                .expect("ok")
                .scope,
            Scope::Tier {
                tier: "free".into(),
                metric: Metric::Mean
            }
        );
        assert_eq!(show_duration(5400.0), "1.50 h");
        assert_eq!(show_duration(90.0), "1.5 min");
    }

    #[test]
    fn bad_targets_say_the_grammar() {
        for (arg, needle) in [
            ("premium.p95 < 2h", "no `<=`"),
            ("premium.p95 <= 2", "not a duration"),
            ("premium.p95 <= 2 hours", "not a duration"),
            ("premium.p95 <= -1h", "not a duration"),
            ("premium.p95 <= 0h", "not a duration"),
            ("premium <= 2h", "not TIER.METRIC"),
            ("premium.p90 <= 2h", "not one of p50"),
            ("gold.p95 <= 2h", "no tier `gold`"),
            ("a <= 1h <= 2h", "more than one"),
        ] {
            let e = Target::parse(arg, &tiers()).expect_err(arg).to_string();
            assert!(e.contains(needle), "{arg}: {e}");
            assert!(e.contains("fix:"), "{arg}: {e}");
        }
        let e = Target::parse("x.p95 <= 1h", &tiers())
            .expect_err("tier")
            .to_string();
        assert!(e.contains("premium, standard, free"), "{e}");
        let e = Target::parse("x <= 1h", &tiers())
            .expect_err("grammar")
            .to_string();
        assert!(e.contains("TIER.METRIC <= DURATION"), "{e}");
    }
}
