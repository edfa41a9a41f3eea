//! `georestore plan-capacity`: the cheapest recovery-region design meeting
//! RTO targets, over a stated grid, run on every core (rayon). Runs are
//! collected by index and folded in item order, so the answer never
//! depends on the number of threads.

use std::io::IsTerminal as _;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
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
    let progress = !args.quiet && !args.json && std::io::stderr().is_terminal();
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

/// Runs every (design, seed) item in parallel batches, collected by index.
fn run_all(search: &Search, progress: bool) -> Result<Vec<sim::capacity::RunOutcome>> {
    let items = search.items();
    let bar = if progress {
        let bar =
            ProgressBar::with_draw_target(Some(items.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} runs, {per_sec}, eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut outcomes = Vec::with_capacity(items.len());
    // The batch bounds how many runs are held at once; not the result.
    let batch = rayon::current_num_threads().max(1) * 16;
    for chunk in items.chunks(batch) {
        let done: Vec<_> = chunk
            .par_iter()
            .map(|&(design, offset)| {
                let outcome = search.run(design, offset);
                bar.inc(1);
                outcome
            })
            .collect();
        for outcome in done {
            outcomes.push(outcome?);
        }
    }
    bar.finish_and_clear();
    Ok(outcomes)
}
