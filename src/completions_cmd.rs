//! `georestore completions SHELL`: a completion script from the same clap
//! definition the binary parses with.

use std::io::Write;

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs};

/// Prints the completion script for the shell asked for on stdout (built
/// in memory first: a closed pipe is an error, not a panic).
pub fn run(args: &CompletionsArgs) -> Result<()> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "georestore", &mut script);
    std::io::stdout()
        .write_all(&script)
        .context("writing the completion script")
}
