//! Numbers formatted for people, shared by `report.md` and the command
//! line's summary table: hours, times against their bounds, per-tier rows.

use crate::results::RunResult;

/// Seconds as hours with two decimals: `"1.25 h"`.
pub fn hours(s: f64) -> String {
    format!("{:.2} h", s / 3600.0)
}

/// [`hours`], or `"n/a"` when there is no figure.
pub fn hours_or_na(s: Option<f64>) -> String {
    s.map_or_else(|| "n/a".to_owned(), hours)
}

/// `value / bound` with two decimals (`"1.25x"`), or `"-"` when the bound
/// is not positive.
pub fn ratio(value: f64, bound: f64) -> String {
    if bound > 0.0 {
        format!("{:.2}x", value / bound)
    } else {
        "-".to_owned()
    }
}

/// A time next to its lower bound, both in [`hours`], and their [`ratio`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersusBound {
    /// The time.
    pub value: String,
    /// Its lower bound.
    pub bound: String,
    /// Time over bound.
    pub ratio: String,
}

/// Whether `r`'s lower bounds mean anything: they are for a full recovery,
/// so not for a cancelled run (it stops early, and only some tenants came
/// online).
pub fn bounds_apply(r: &RunResult) -> bool {
    r.phase != "Cancelled"
}

/// [`versus_bound`] for a figure of `r`: bound and ratio `"n/a"` when the
/// bounds do not apply ([`bounds_apply`]).
pub fn versus_bound_of(r: &RunResult, value_s: f64, bound_s: f64) -> VersusBound {
    if bounds_apply(r) {
        versus_bound(value_s, bound_s)
    } else {
        VersusBound {
            value: hours(value_s),
            bound: "n/a".to_owned(),
            ratio: "n/a".to_owned(),
        }
    }
}

/// Formats a time (seconds) next to its lower bound (seconds).
pub fn versus_bound(value_s: f64, bound_s: f64) -> VersusBound {
    VersusBound {
        value: hours(value_s),
        bound: hours(bound_s),
        ratio: ratio(value_s, bound_s),
    }
}

/// One tier's row of the time-to-online table, times in [`hours`] (`n/a`
/// for a tier with nobody online).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierRow<'a> {
    /// Tier name.
    pub name: &'a str,
    /// Tenants back online.
    pub online: usize,
    /// Tenants in the tier.
    pub tenants: usize,
    /// Median time to online.
    pub p50: String,
    /// 95th percentile.
    pub p95: String,
    /// 99th percentile.
    pub p99: String,
    /// Maximum.
    pub max: String,
    /// Lower bound on the 95th percentile (`n/a` for a cancelled run).
    pub p95_bound: String,
}

/// The rows of the time-to-online table, most important tier first
/// (tiers without a result are left out).
pub fn tier_rows(r: &RunResult) -> impl Iterator<Item = TierRow<'_>> {
    r.tier_names.iter().filter_map(|name| {
        r.tiers.get(name).map(|t| TierRow {
            name,
            online: t.online,
            tenants: t.tenants,
            p50: hours_or_na(t.p50_s),
            p95: hours_or_na(t.p95_s),
            p99: hours_or_na(t.p99_s),
            max: hours_or_na(t.max_s),
            p95_bound: if bounds_apply(r) {
                hours(t.p95_lower_bound_s)
            } else {
                "n/a".to_owned()
            },
        })
    })
}
