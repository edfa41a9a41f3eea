//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Recover thousands of Azure SQL tenant databases into another region from
/// geo-redundant backups, in priority order, and bring them home afterwards.
#[derive(Debug, Parser)]
#[command(name = "georestore", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the commands the scheduler would issue if every step succeeded
    /// at once (a dry run), with the earliest time the ARM budget allows.
    Plan(PlanArgs),
    /// Simulate a recovery scenario (virtual time, deterministic) and print
    /// its results.
    Simulate(SimulateArgs),
    /// Simulate a scenario with several strategies on the same seeds and
    /// compare them with the lower bounds.
    Compare(CompareArgs),
    /// Print the JSON Schema of scenario files.
    Schema,
    /// Show where a recovery stands, from its journal (while it runs or after).
    Status(StatusArgs),
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Fleet file of the recovery; its journal is `<FLEET>.journal.sqlite`.
    #[arg(required_unless_present = "journal", conflicts_with = "journal")]
    pub fleet: Option<PathBuf>,
    /// The journal file to read (instead of the fleet file's default).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Scenario file (TOML), e.g. scenarios/saas-1k.toml.
    pub scenario: PathBuf,
    /// Restore strategy (default: the scenario's).
    #[arg(long)]
    pub strategy: Option<String>,
    /// Seed of the first run (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of runs on seeds seed..seed+runs (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: Option<u32>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Write report.json, report.md and SVG charts of the first run into DIR.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Comma-separated strategies, e.g. wingtip,priority-pacing,size-aware.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "wingtip,priority-pacing,size-aware"
    )]
    pub strategies: Vec<String>,
    /// Number of runs per strategy (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub runs: Option<u32>,
    /// Seed of the first run (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Fleet file (TOML), e.g. scenarios/fleets/wingtip-demo.toml.
    pub fleet: PathBuf,
    /// Restore strategy: wingtip, wingtip-batched, priority-pacing, size-aware, fast-lane.
    #[arg(long, default_value = "priority-pacing")]
    pub strategy: String,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Also plan the repatriation after the recovery.
    #[arg(long)]
    pub repatriate: bool,
    /// With --repatriate: treat every tenant as changed (replicate and fail over).
    #[arg(long, requires = "repatriate")]
    pub all_changed: bool,
}
