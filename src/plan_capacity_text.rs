//! `plan-capacity` as text: the search stated up front, the frontier
//! table, the rates used, the recommendation or why there is none.

use sim::capacity::target::show_duration;
use sim::capacity::{DesignReport, PlanReport, Search};
use sim::sweep::vary::show;

fn seeds(first: u64, runs: u32) -> String {
    format!(
        "seeds {first}..={}",
        first.wrapping_add(u64::from(runs.max(1)) - 1)
    )
}

/// The search, before any run: targets, knobs, designs, runs, budget.
pub fn header(search: &Search) -> String {
    let s = &search.space;
    let mut out = format!(
        "plan-capacity {} | {} target(s), each met when its p95 over {} runs ({}, nearest rank) is within the bound\n",
        search.base.file.name,
        search.targets.len(),
        s.runs,
        seeds(s.seed, s.runs)
    );
    for t in &search.targets {
        out.push_str(&format!("  {}\n", t.text));
    }
    let knobs = s
        .knobs
        .iter()
        .map(|k| {
            let values: Vec<String> = k.values.iter().map(show).collect();
            format!("{} {{{}}}", k.key, values.join(", "))
        })
        .collect::<Vec<_>>()
        .join(" x ");
    out.push_str(&format!(
        "search: grid of {knobs}{} = {} combinations, {} designs ({} skipped) x {} seeds = {} runs (budget {})\n",
        if s.default_knobs { " (default knobs)" } else { "" },
        s.combinations,
        s.designs,
        s.skipped,
        s.runs,
        s.total_runs,
        s.budget
    ));
    out
}

fn value(v: Option<f64>) -> String {
    v.map_or_else(|| "none".to_owned(), show_duration)
}

/// The frontier table, rates, skipped designs and the recommendation.
pub fn body(r: &PlanReport) -> String {
    let mut out = format!(
        "\nfrontier: {} of {} designs are Pareto-optimal over cost and the targets (p95 over the seeds), cheapest first\n",
        r.frontier.len(),
        r.designs.len()
    );
    let mut head = format!("{:>5}  {:>12}", "#", format!("cost ({})", r.currency));
    for t in &r.targets {
        head.push_str(&format!("  {:>14}", t.measure()));
    }
    head.push_str(&format!(
        "  {:>13}  {:<5}  design\n",
        "makespan p95", "meets"
    ));
    out.push_str(&head);
    for &i in &r.frontier {
        let d = &r.designs[i];
        let mut line = format!("{:>5}  {:>12.2}", format!("#{i}"), d.outcome.cost_mean);
        for a in &d.outcome.targets {
            line.push_str(&format!("  {:>14}", value(a.p95_over_runs_s)));
        }
        line.push_str(&format!(
            "  {:>13}  {:<5}  {}\n",
            show_duration(d.outcome.makespan_p95_s),
            if d.outcome.meets_all { "yes" } else { "no" },
            d.label
        ));
        out.push_str(&line);
    }
    out.push_str("cost: mean per recovery of capacity x hours from each recovery pool's creation to the end of the recovery x the rate (standalone databases, such as the fast lane's, are not costed)\n");
    for rate in &r.rates {
        out.push_str(&format!(
            "rate: {} {} per {}-hour, {}\n",
            rate.edition,
            rate.rate,
            rate.unit,
            match rate.source {
                sim::scenario::prices::RateSource::Scenario => "from the scenario's [prices]".to_owned(),
                sim::scenario::prices::RateSource::BuiltIn => format!(
                    "built-in and illustrative (no published price): set [prices] {}.{} in the scenario",
                    if rate.unit == "eDTU" { "edtu_hour" } else { "vcore_hour" },
                    rate.edition
                ),
            }
        ));
    }
    for s in &r.skipped {
        let reason = s.reason.lines().next().unwrap_or_default();
        out.push_str(&format!("skipped {}: {reason}\n", s.design));
    }
    if let Some(d) = r.recommended.and_then(|i| r.designs.get(i)) {
        out.push_str(&format!(
            "\nrecommended: #{} {}\n  {}\n",
            d.index,
            d.label,
            achieved(r, d)
        ));
        if strategy_of(&d.overlay).as_deref() == Some("fast-lane") {
            out.push_str(
                "  note: fast-lane's standalone restores are not costed, so this design's cost is understated; compare it with the next design on the frontier\n",
            );
        }
    }
    out
}

/// The strategy an overlay names, if any.
fn strategy_of(overlay: &str) -> Option<String> {
    let table: toml::Table = overlay.parse().ok()?;
    let name = table.get("strategy")?.get("name")?.as_str()?;
    Some(name.to_owned())
}

fn achieved(r: &PlanReport, d: &DesignReport) -> String {
    let mut parts = vec![format!(
        "cost {:.2} {} per recovery (mean over {} seeds)",
        d.outcome.cost_mean, r.currency, r.search.runs
    )];
    for (a, t) in d.outcome.targets.iter().zip(&r.targets) {
        parts.push(format!(
            "{} {} {} {}",
            t.measure(),
            value(a.p95_over_runs_s),
            if a.met { "<=" } else { ">" },
            show_duration(a.bound_s)
        ));
    }
    parts.join("; ")
}

/// Why nothing is recommended, with the closest design.
pub fn unmet(r: &PlanReport) -> String {
    let missed: Vec<&str> = r
        .targets
        .iter()
        .enumerate()
        .filter(|(i, _)| {
            !r.designs
                .iter()
                .any(|d| d.outcome.targets.get(*i).is_some_and(|a| a.met))
        })
        .map(|(_, t)| t.text.as_str())
        .collect();
    let what = if missed.is_empty() {
        "all targets at once".to_owned()
    } else {
        missed.join(", ")
    };
    let closest = r
        .closest
        .and_then(|i| r.designs.get(i))
        .map(|d| format!("; closest is #{} {}: {}", d.index, d.label, achieved(r, d)))
        .unwrap_or_default();
    format!(
        "no design in the searched space meets {what}{closest}\n  fix: relax the target, or widen the search with --vary (e.g. --vary recovery.databases_per_pool=... with smaller pools)"
    )
}
