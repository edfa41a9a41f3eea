//! Command-line arguments of `bench-gate` (kept apart from `cli.rs`, which
//! only names the subcommand).

use std::path::PathBuf;

use clap::Args;

#[derive(Debug, Args)]
pub struct BenchGateArgs {
    /// Scenario files (TOML) to gate; each is compared with
    /// `<BASELINE>/<file stem>.json`. Default: the shipped scenarios
    /// (scenarios/wingtip-demo, saas-1k, saas-10k, saas-100k, tight-throttle,
    /// regional-stampede, cancel-midway and repatriation; run from the
    /// repository root).
    #[arg(value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Directory of the baseline files.
    #[arg(long, value_name = "DIR", default_value = "reports/baseline")]
    pub baseline: PathBuf,
    /// Rewrite the baselines from this run (on purpose: after an
    /// improvement, or a scenario or model change) and print what changed,
    /// old -> new per metric. Tolerances and margins already in the files
    /// are kept.
    #[arg(long)]
    pub update: bool,
    /// Print one JSON object instead of tables (the verdict and the exit
    /// code are the same).
    #[arg(long)]
    pub json: bool,
    /// Run every scenario with this strategy instead of its own (the
    /// baselines stay what they are: a way to see what a strategy change
    /// would do to them).
    #[arg(long, value_parser = crate::cli::strategy_parser())]
    pub strategy: Option<String>,
    /// Do not measure the engine's speed (`<BASELINE>/engine-speed.json`),
    /// e.g. when gating only your own scenario files.
    #[arg(long)]
    pub skip_engine_speed: bool,
}
