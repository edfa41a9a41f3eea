//! `georestore`: the command-line interface. Parses, wires and prints; the
//! work happens in the `scheduler` and `driver` crates.

// Regression gate against checked-in baselines.
mod bench_gate;
mod bench_gate_cmd;
mod cli;
mod compare_cmd;
mod completions_cmd;
mod emulate_cmd;
mod input;
mod loadtest_cmd;
mod loadtest_window;
mod plan_capacity_cmd;
mod plan_capacity_text;
mod plan_cmd;
mod progress;
mod recover_cmd;
mod schema_cmd;
mod simulate_cmd;
mod status_cmd;
// Sweeps (issue 12).
mod sweep_cli;
mod sweep_cmd;
mod sweep_run;
mod sweep_text;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    let result = match cli.command {
        cli::Command::Plan(args) => plan_cmd::run(&args),
        cli::Command::Simulate(args) => simulate_cmd::run(&args),
        cli::Command::Compare(args) => compare_cmd::run(&args),
        cli::Command::Schema(args) => schema_cmd::run(&args),
        cli::Command::Status(args) => status_cmd::run(&args),
        cli::Command::Recover(args) => recover_cmd::run(&args),
        cli::Command::Cancel(args) => recover_cmd::cancel(&args),
        cli::Command::Loadtest(args) => loadtest_cmd::run(&args),
        cli::Command::Emulate(args) => emulate_cmd::run(&args),
        cli::Command::Completions(args) => completions_cmd::run(&args),
        cli::Command::Sweep(args) => sweep_cmd::run(&args),
        cli::Command::Merge(args) => sweep_cmd::merge(&args),
        cli::Command::PlanCapacity(args) => plan_capacity_cmd::run(&args),
        cli::Command::BenchGate(args) => bench_gate_cmd::run(&args),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
