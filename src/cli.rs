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
    /// Serve a scenario's estate as an ARM-compatible HTTP(S) server on
    /// loopback (the emulator), until Ctrl-C or SIGTERM.
    Emulate(EmulateArgs),
}

#[derive(Debug, Args)]
pub struct EmulateArgs {
    /// Scenario file (TOML), e.g. scenarios/wingtip-demo.toml.
    pub scenario: PathBuf,
    /// Address to listen on (port 0: any free port). Loopback only unless --allow-remote.
    #[arg(long, default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,
    /// Model time runs this many times faster than real time.
    #[arg(long, default_value_t = 1.0)]
    pub time_scale: f64,
    /// Also write the base URL (one line) to this file, once serving.
    #[arg(long, value_name = "FILE")]
    pub url_file: Option<PathBuf>,
    /// Serve HTTPS with a certificate generated at start.
    #[arg(long)]
    pub tls: bool,
    /// With --tls: write the CA certificate (PEM) clients must trust here
    /// (default: georestore-emulator-ca.pem in the temporary directory).
    #[arg(long, value_name = "FILE", requires = "tls")]
    pub ca_file: Option<PathBuf>,
    /// Allow listening on a non-loopback address (requires --tls).
    #[arg(long)]
    pub allow_remote: bool,
    /// Tenant (directory) id of the token endpoint.
    #[arg(long, default_value = emulator::config::DEFAULT_TENANT_ID)]
    pub tenant_id: String,
    /// Client id that may obtain tokens.
    #[arg(long, default_value = emulator::config::DEFAULT_CLIENT_ID)]
    pub client_id: String,
    /// Its client secret (default: the emulator's fixed test secret).
    #[arg(
        long,
        env = "GEORESTORE_EMULATOR_CLIENT_SECRET",
        hide_env_values = true
    )]
    pub client_secret: Option<String>,
    /// Bearer token of /_emulator/* (default: random, printed at start).
    #[arg(long, env = "GEORESTORE_EMULATOR_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Items per page of list answers (nextLink beyond); 0: one page.
    #[arg(long, default_value_t = 1000)]
    pub page_size: usize,
    /// Seed of the model (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
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
