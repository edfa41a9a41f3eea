//! Reading the command line's input files: a scenario, or a fleet given
//! either as a fleet file or through a scenario. One place, so that every
//! subcommand words a missing file and a file of the wrong kind the same.

use std::path::Path;

use anyhow::Result;
use scheduler::diagnostic::{InputKind, kind_of, read_input};
use scheduler::fleet::Fleet;
use sim::scenario::Scenario;

/// A fleet file, or a scenario file's fleet (loaded or generated): what
/// `plan` and `recover` run on. A scenario is told by its top-level
/// `[fleet]` table, which a fleet file never has.
pub fn fleet_of(path: &Path) -> Result<Fleet> {
    let text = read_input(path)?;
    if kind_of(&text) == InputKind::Scenario {
        Ok(scenario_from_text(path, &text)?.fleet)
    } else {
        Ok(Fleet::from_toml_str(&text, &path.display().to_string())?)
    }
}

/// A scenario file, read and validated (a fleet file given instead is
/// named as one, with the commands that take it).
pub fn scenario(path: &Path) -> Result<Scenario> {
    Ok(sim::scenario::load(path)?)
}

fn scenario_from_text(path: &Path, text: &str) -> Result<Scenario> {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(sim::scenario::parse(
        text,
        &path.display().to_string(),
        &base,
    )?)
}
