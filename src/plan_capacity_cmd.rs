//! `georestore plan-capacity`: the cheapest recovery-region design meeting
//! RTO targets, over a stated grid, run on every core (rayon). Runs are
//! collected by index and folded in item order, so the answer never
//! depends on the number of threads.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use sim::capacity::space::parse_knobs;
use sim::capacity::{DEFAULT_BUDGET, Search, overlay_file};

#[derive(Debug, Args)]
pub struct PlanCapacityArgs {
    /// Scenario file (TOML), e.g. scenarios/saas-1k.toml.
    pub scenario: PathBuf,
    /// An RTO target, met when its 95th percentile over the seeds (nearest
    /// rank) is at most the bound: TIER.METRIC <= DURATION (TIER a tier
    /// name or `all`, METRIC p50|p95|p99|max|mean) or makespan <= DURATION;
    /// durations 3600s, 90m, 1.5h, 1d. Repeat for several.
    #[arg(long, value_name = "TARGET", required = true)]
    pub target: Vec<String>,
    /// A knob of the recovery design and its values (KEY=v1,v2,... or
    /// KEY=a..b:step): recovery.databases_per_pool, recovery.pool_capacity,
    /// strategy.name (`strategy` for short) or a strategy knob
    /// (strategy.queue_margin, strategy.critical_share_pct...). Repeat for
    /// a grid (the first varies slowest). Without any: the default grid
    /// (printed up front).
    #[arg(long, value_name = "KEY=VALUES")]
    pub vary: Vec<String>,
    /// Seeds per design, 1 to 1000 (default: the scenario's `runs` if above
    /// 1, else 10).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(sim::scenario::MAX_RUNS)))]
    pub runs: Option<u32>,
    /// The most runs (designs x seeds) the search may make.
    #[arg(long, default_value_t = DEFAULT_BUDGET)]
    pub budget: u64,
    /// Write the recommended design as a TOML overlay to FILE (apply it
    /// with `georestore simulate SCENARIO --overlay FILE`).
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
    /// Print one JSON object instead of tables; no progress.
    #[arg(long)]
    pub json: bool,
    /// No progress bar (there is none anyway unless stderr is a terminal).
    #[arg(long)]
    pub quiet: bool,
}

pub fn run(args: &PlanCapacityArgs) -> Result<()> {
    let knobs = if args.vary.is_empty() {
        None
    } else {
        Some(parse_knobs(&args.vary)?)
    };
    let search = Search::prepare(&args.scenario, &args.target, knobs, args.runs, args.budget)?;
    if !args.json {
        print!("{}", crate::plan_capacity_text::header(&search));
    }
    let progress = crate::progress::shown(args.quiet, args.json);
    let outcomes = run_all(&search, progress)?;
    let report = search.finish(outcomes)?;
    if args.json {
        let mut text = serde_json::to_string_pretty(&report)?;
        text.push('\n');
        print!("{text}");
    } else {
        print!("{}", crate::plan_capacity_text::body(&report));
    }
    let Some(best) = report.recommended.and_then(|i| report.designs.get(i)) else {
        bail!(crate::plan_capacity_text::unmet(&report));
    };
    if let Some(path) = &args.overlay {
        std::fs::write(path, overlay_file(&report, best))
            .with_context(|| format!("writing the overlay {}", path.display()))?;
        if !args.json {
            println!(
                "overlay written to {} (apply: georestore simulate {} --overlay {} --runs {})",
                path.display(),
                args.scenario.display(),
                path.display(),
                report.search.runs
            );
        }
    }
    Ok(())
}

/// Runs every (design, seed) item on every core, results in item order.
fn run_all(search: &Search, progress: bool) -> Result<Vec<sim::capacity::RunOutcome>> {
    let items = search.items();
    let mut outcomes = Vec::with_capacity(items.len());
    crate::sweep_run::in_batches(
        &items,
        progress,
        |&(design, offset)| search.run(design, offset),
        |_, outcome| {
            outcomes.push(outcome?);
            Ok(())
        },
    )?;
    Ok(outcomes)
}
