//! Command-line arguments of `sweep` and `merge` (kept apart from
//! `cli.rs`, which only names the two subcommands).

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct SweepArgs {
    /// Scenario file (TOML), e.g. scenarios/saas-1k.toml.
    pub scenario: PathBuf,
    /// Runs (seeds seed..seed+N-1) per grid point, 1 to 1000 (default: the
    /// scenario's `runs`).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(sim::scenario::MAX_RUNS)))]
    pub runs: Option<u32>,
    /// Vary a scenario key (dotted, e.g. strategy.name,
    /// model.pool_restore_slots, disaster.contention): KEY=v1,v2,... or
    /// KEY=a..b:step. Repeat for a grid (the first varies slowest).
    /// `strategy` is short for `strategy.name`.
    #[arg(long, value_name = "KEY=VALUES")]
    pub vary: Vec<String>,
    /// Run only slice K of N (0-based, like $JOB_COMPLETION_INDEX) of the
    /// (grid point, seed) runs and print (or --out) a shard file for
    /// `georestore merge`.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Print the result as one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Also write the JSON result to FILE; with --shard, write the shard
    /// file to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write a report into DIR: report.json (the result), report.html
    /// (per-point tables, cost against makespan p95 and against the top
    /// tier's p95 with the Pareto points) and the frontier charts (SVG).
    #[arg(long, value_name = "DIR", conflicts_with = "shard")]
    pub report: Option<PathBuf>,
    /// No progress bar (there is none anyway unless stderr is a terminal).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shard files of one sweep (`sweep --shard K/N --out FILE`), all N.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Print the result as one JSON object instead of tables.
    #[arg(long)]
    pub json: bool,
    /// Also write the JSON result to FILE.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Write a report into DIR, as `sweep --report` does.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}
