//! Several runs at once: the seed range, written one way everywhere, and
//! the summary over runs in the names, units and row order of the
//! single-run table (hours, tier names), shared by `simulate --runs`, its
//! report and the comparison report.

use std::collections::BTreeMap;

use super::text::hours;
use crate::simulate::Stat;

/// The seeds of `runs` runs from `seed`: `"seed 7"` for one run,
/// `"seeds 7..=11"` (inclusive) for several.
pub fn seed_range(seed: u64, runs: u64) -> String {
    if runs <= 1 {
        format!("seed {seed}")
    } else {
        format!("seeds {seed}..={}", seed.wrapping_add(runs - 1))
    }
}

/// One figure of the single-run table over runs, formatted in its units.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryRow {
    /// The figure, named as in the single-run table (`makespan`,
    /// `premium p95`, `ARM requests`).
    pub name: String,
    /// Mean over the runs.
    pub mean: String,
    /// Smallest.
    pub min: String,
    /// Largest.
    pub max: String,
}

/// The unit a figure of the summary is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A time, written in hours (the figures are seconds).
    Hours,
    /// A count (the mean with one decimal).
    Count,
    /// A time written in seconds.
    Seconds,
}

impl Unit {
    /// The unit's symbol for a column heading: `h`, `s`, or `""` for a
    /// count.
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::Hours => "h",
            Unit::Count => "",
            Unit::Seconds => "s",
        }
    }

    /// `v` as a number in this unit without the unit (`"1.25"` for
    /// 4500 s in hours); a mean of counts keeps one decimal.
    pub fn number(self, v: f64, is_mean: bool) -> String {
        match self {
            Unit::Hours => format!("{:.2}", v / 3600.0),
            Unit::Count if is_mean => format!("{v:.1}"),
            Unit::Count | Unit::Seconds => format!("{v:.0}"),
        }
    }
}

fn cell(unit: Unit, v: f64, is_mean: bool) -> String {
    match unit {
        Unit::Hours => hours(v),
        Unit::Count => unit.number(v, is_mean),
        Unit::Seconds => format!("{} s", unit.number(v, is_mean)),
    }
}

/// One figure of the summary over runs, unformatted.
#[derive(Debug, Clone, PartialEq)]
pub struct SummaryFigure {
    /// The figure, named as in the single-run table.
    pub name: String,
    /// Its unit.
    pub unit: Unit,
    /// Mean, minimum and maximum over the runs (seconds for times).
    pub stat: Stat,
}

/// The figures of the summary over runs, in the single-run table's order:
/// failed tenants, makespan and its bound, weighted mean time to online
/// and its bound, each tier's p95 and its bound (most important tier
/// first, as in `tiers`), ARM requests, 429s, the data-loss window. A
/// figure no run has (a tier nobody in which came online) is left out.
pub fn summary_figures(tiers: &[String], summary: &BTreeMap<String, Stat>) -> Vec<SummaryFigure> {
    let mut wanted: Vec<(String, String, Unit)> = vec![
        (
            "failed tenants".into(),
            "failed_tenants".into(),
            Unit::Count,
        ),
        ("makespan".into(), "makespan_s".into(), Unit::Hours),
        (
            "makespan lower bound".into(),
            "lower_bound_s".into(),
            Unit::Hours,
        ),
        (
            "weighted mean TTO".into(),
            "weighted_mean_time_to_online_s".into(),
            Unit::Hours,
        ),
        (
            "weighted mean TTO lower bound".into(),
            "weighted_mean_lower_bound_s".into(),
            Unit::Hours,
        ),
    ];
    for t in tiers {
        wanted.push((format!("{t} p95"), format!("tiers.{t}.p95_s"), Unit::Hours));
        wanted.push((
            format!("{t} p95 bound"),
            format!("tiers.{t}.p95_lower_bound_s"),
            Unit::Hours,
        ));
    }
    wanted.push(("ARM requests".into(), "arm.requests".into(), Unit::Count));
    wanted.push(("429s".into(), "arm.throttled".into(), Unit::Count));
    wanted.push((
        "data-loss window max".into(),
        "data_loss_window_s.max".into(),
        Unit::Seconds,
    ));
    wanted
        .into_iter()
        .filter_map(|(name, key, unit)| {
            summary.get(&key).map(|s| SummaryFigure {
                name,
                unit,
                stat: *s,
            })
        })
        .collect()
}

/// The rows of the summary over runs ([`summary_figures`]), each figure
/// formatted with its unit.
pub fn summary_rows(tiers: &[String], summary: &BTreeMap<String, Stat>) -> Vec<SummaryRow> {
    summary_figures(tiers, summary)
        .into_iter()
        .map(|f| SummaryRow {
            mean: cell(f.unit, f.stat.mean, true),
            min: cell(f.unit, f.stat.min, false),
            max: cell(f.unit, f.stat.max, false),
            name: f.name,
        })
        .collect()
}

/// The summary as text: a heading naming the runs and their seeds, then
/// one aligned line per [`summary_rows`] row.
pub fn summary_text(
    first_seed: u64,
    runs: u64,
    tiers: &[String],
    summary: &BTreeMap<String, Stat>,
) -> String {
    let mut out = format!(
        "over {runs} runs ({}):\n{:<30} {:>12} {:>12} {:>12}\n",
        seed_range(first_seed, runs),
        "",
        "mean",
        "min",
        "max"
    );
    for row in summary_rows(tiers, summary) {
        out.push_str(&format!(
            "{:<30} {:>12} {:>12} {:>12}\n",
            row.name, row.mean, row.min, row.max
        ));
    }
    out
}

/// The summary as a Markdown table.
pub fn summary_markdown(tiers: &[String], summary: &BTreeMap<String, Stat>) -> String {
    let mut md = String::from("| figure | mean | min | max |\n|---|---|---|---|\n");
    for row in summary_rows(tiers, summary) {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.name, row.mean, row.min, row.max
        ));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_seed_is_not_a_range() {
        assert_eq!(seed_range(3, 1), "seed 3");
        assert_eq!(seed_range(1, 5), "seeds 1..=5");
    }

    #[test]
    fn rows_follow_the_single_run_table_in_hours_and_tier_names() {
        let stat = |v: f64| Stat {
            mean: v,
            min: v,
            max: v,
        };
        let summary: BTreeMap<String, Stat> = [
            ("makespan_s", 7200.0),
            ("tiers.free.p95_s", 3600.0),
            ("tiers.premium.p95_s", 1800.0),
            ("arm.requests", 10.0),
            ("failed_tenants", 1.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), stat(v)))
        .collect();
        let tiers = vec!["premium".to_owned(), "free".to_owned()];
        let rows = summary_rows(&tiers, &summary);
        let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "failed tenants",
                "makespan",
                "premium p95",
                "free p95",
                "ARM requests"
            ]
        );
        assert_eq!(rows[1].mean, "2.00 h");
        assert_eq!(rows[2].max, "0.50 h");
        assert_eq!(rows[4].mean, "10.0");
        assert_eq!(rows[4].min, "10");
    }
}
