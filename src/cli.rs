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
