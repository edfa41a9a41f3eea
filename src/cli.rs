//! Command-line arguments (clap derive).

use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Strategy names, checked by clap and listed in `--help`.
pub fn strategy_parser() -> PossibleValuesParser {
    PossibleValuesParser::new(scheduler::strategy::STRATEGY_NAMES)
}

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
    /// Print the JSON Schema of scenario files (default) or fleet files.
    Schema(SchemaArgs),
    /// Show where a recovery stands, from its journal (while it runs or after).
    Status(StatusArgs),
    /// Recover the fleet into the recovery region against Azure Resource
    /// Manager (or the emulator), journaled; `--resume` finishes a run that
    /// was stopped or killed.
    Recover(RecoverArgs),
    /// Ask a running recovery to cancel (tenants go back to the origin
    /// region); with none running, the next `recover --resume` cancels.
    Cancel(StatusArgs),
    /// Load test: the real driver against the emulator serving the
    /// scenario's estate on a scaled clock, next to the simulator's
    /// prediction for the same scenario and seed.
    Loadtest(LoadtestArgs),
    /// Serve a scenario's estate as an ARM-compatible HTTP(S) server on
    /// loopback (the emulator), until Ctrl-C or SIGTERM.
    Emulate(EmulateArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or
    /// powershell.
    Completions(CompletionsArgs),
    /// Run a scenario over a grid of varied keys x seeds on every core
    /// (or one shard of it), with time-to-online distributions per point.
    Sweep(crate::sweep_cli::SweepArgs),
    /// Merge the shard files of a sweep (`sweep --shard K/N`) into its
    /// result.
    Merge(crate::sweep_cli::MergeArgs),
    /// Find the cheapest recovery-region design (pool split and capacity,
    /// strategy and its knobs) meeting RTO targets at p95 over the seeds,
    /// over a stated grid; print the cost/RTO frontier and the design as an
    /// overlay `simulate --overlay` applies.
    PlanCapacity(crate::plan_capacity_cmd::PlanCapacityArgs),
    /// Regression gate: run scenarios, compare their quality metrics and
    /// the engine's speed with the baselines under reports/baseline; exit
    /// 1 on a regression (`--update` rewrites the baselines).
    BenchGate(crate::bench_gate::cli::BenchGateArgs),
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Which file's schema: `scenario` (the default) or `fleet`.
    #[arg(value_enum, default_value_t = SchemaKind::Scenario)]
    pub kind: SchemaKind,
}

/// The files `georestore schema` describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaKind {
    /// Scenario files (`scenarios/*.toml`).
    Scenario,
    /// Fleet files (`scenarios/fleets/*.toml`).
    Fleet,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for, e.g. `georestore completions bash >
    /// ~/.local/share/bash-completion/completions/georestore`.
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct LoadtestArgs {
    /// Scenario file (TOML), e.g. scenarios/saas-1k.toml.
    pub scenario: PathBuf,
    /// Restore strategy (default: the scenario's).
    #[arg(long, value_parser = strategy_parser())]
    pub strategy: Option<String>,
    /// Model milliseconds per real millisecond, for the emulator and the
    /// driver alike.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub time_scale: u32,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// Fleet file (TOML), e.g. scenarios/fleets/wingtip-demo.toml, or a
    /// scenario file (its fleet, loaded or generated).
    pub fleet: PathBuf,
    /// Restore strategy.
    #[arg(long, default_value = "priority-pacing", value_parser = strategy_parser())]
    pub strategy: String,
    /// Finish the run the journal holds (after a stop, a crash or kill -9):
    /// what exists in the recovery region is listed first; nothing that
    /// exists or is being restored is restored again.
    #[arg(long)]
    pub resume: bool,
    /// Print the plan (every command, if every step succeeded at once) and
    /// send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The journal (default: `<FLEET>.journal.sqlite`).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// The tenant catalog: `sqlite:PATH` (default `sqlite:<FLEET>.catalog.sqlite`,
    /// created and seeded from the fleet if missing) or `exec:PROGRAM`
    /// (runs PROGRAM per change with the call as JSON on stdin).
    #[arg(long, value_name = "KIND:WHERE")]
    pub catalog: Option<String>,
    /// Azure Resource Manager endpoint (the emulator's base URL in tests).
    #[arg(long, value_name = "URL", default_value = driver::transport::PUBLIC_ARM_ENDPOINT)]
    pub arm_endpoint: String,
    /// Trust this CA certificate (PEM) as well, for ARM and for sign-in
    /// (the emulator's `--ca-file`).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,
    /// How to sign in to Microsoft Entra ID. Settings come from the Azure
    /// SDKs' variables: AZURE_TENANT_ID, AZURE_CLIENT_ID,
    /// AZURE_CLIENT_SECRET, AZURE_AUTHORITY_HOST, AZURE_FEDERATED_TOKEN_FILE.
    #[arg(long, default_value = "default", value_parser = ["cli", "managed-identity", "workload-identity", "client-secret", "default"])]
    pub auth: String,
    /// Run the clock N times faster than real time (only against the
    /// emulator, started with the same `--time-scale`).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub time_scale: u32,
    /// Most ARM reads in flight at once.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_reads_in_flight: u32,
    /// Most ARM writes and deletes in flight at once.
    #[arg(long, default_value_t = 64, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_writes_in_flight: u32,
    /// Print one JSON object at the end instead of text; no progress.
    #[arg(long)]
    pub json: bool,
    /// No progress display.
    #[arg(long)]
    pub quiet: bool,
    /// Log lines on stderr (level from RUST_LOG, default `warn`; e.g.
    /// RUST_LOG=driver=debug shows every request and answer): `text` or
    /// `json`. Logs never contain tokens or secrets.
    #[arg(long, default_value = "text", value_parser = ["text", "json"])]
    pub log_format: String,
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
    /// Restore strategy (default: the scenario's; not with --overlay,
    /// whose design names its strategy and knobs).
    #[arg(long, value_parser = strategy_parser(), conflicts_with = "overlay")]
    pub strategy: Option<String>,
    /// Override a scenario key, e.g. `--set strategy.critical_share_pct=12`
    /// or `--set model.pool_restore_slots=8` (dotted keys as in the
    /// scenario file; checked like the file). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE", conflicts_with = "overlay")]
    pub set: Vec<String>,
    /// Seed of the first run (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of runs, on seeds seed..=seed+runs-1, 1 to 1000 (default: the
    /// scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(sim::scenario::MAX_RUNS)))]
    pub runs: Option<u32>,
    /// Print one JSON object instead of a table; no progress.
    #[arg(long)]
    pub json: bool,
    /// Write report.json, report.md and SVG charts into DIR. With --runs:
    /// the details and charts are the first run's (the report says which
    /// seed), and the report adds the summary over all runs.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// No progress display (shown on stderr, only when it is a terminal,
    /// with --runs above 1).
    #[arg(long)]
    pub quiet: bool,
    /// Apply a design overlay (`plan-capacity --overlay FILE`: [recovery]
    /// and [strategy] keys) to the scenario first.
    #[arg(long, value_name = "FILE")]
    pub overlay: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// Comma-separated strategies, e.g. wingtip,priority-pacing,size-aware.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "wingtip,priority-pacing,size-aware,critical-first",
        value_parser = strategy_parser()
    )]
    pub strategies: Vec<String>,
    /// Override a scenario key, e.g. `--set strategy.critical_share_pct=12`
    /// or `--set model.pool_restore_slots=8` (dotted keys as in the
    /// scenario file; checked like the file). Repeatable.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Number of runs per strategy, 1 to 1000 (default: the scenario's).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=i64::from(sim::scenario::MAX_RUNS)))]
    pub runs: Option<u32>,
    /// Seed of the first run (default: the scenario's).
    #[arg(long)]
    pub seed: Option<u64>,
    /// Print JSON instead of a table; no progress.
    #[arg(long)]
    pub json: bool,
    /// Write a comparison report into DIR: report.md and report.json (every
    /// strategy's summary over the runs), and per strategy a directory with
    /// the report of its first run (seed of the first run) and its charts.
    #[arg(long, value_name = "DIR")]
    pub report: Option<PathBuf>,
    /// No progress display (shown on stderr, only when it is a terminal).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Fleet file (TOML), e.g. scenarios/fleets/wingtip-demo.toml, or a
    /// scenario file (its fleet, loaded or generated).
    pub fleet: PathBuf,
    /// Restore strategy.
    #[arg(long, default_value = "priority-pacing", value_parser = strategy_parser())]
    pub strategy: String,
    /// Print one JSON object instead of a table; no progress.
    #[arg(long)]
    pub json: bool,
    /// No progress display (shown on stderr, only when it is a terminal,
    /// for fleets above 10,000 tenants).
    #[arg(long)]
    pub quiet: bool,
    /// Also plan the repatriation after the recovery.
    #[arg(long)]
    pub repatriate: bool,
    /// With --repatriate: treat every tenant as changed (replicate and fail over).
    #[arg(long, requires = "repatriate")]
    pub all_changed: bool,
}
