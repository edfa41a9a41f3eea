//! Reading the command line's input files: a scenario, or a fleet given
//! either as a fleet file or through a scenario. One place, so that every
//! subcommand words a missing file and a file of the wrong kind the same.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use scheduler::diagnostic::{InputKind, kind_of, read_input};
use scheduler::fleet::Fleet;
use sim::scenario::Scenario;
use sim::sweep::{Grid, SweepError, Vary};

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

/// A scenario file with `--set KEY=VALUE` overrides written into its TOML
/// before it is validated (the way a `sweep` grid point is made), so every
/// check and message of the loader applies to the edited file.
///
/// Contract: each `set` is `KEY=VALUE` with a dotted scenario key and one
/// value (a TOML literal or a bare string); a key set twice, a list or
/// range of values, and anything the loader refuses are errors naming the
/// argument and the fix. No `set`: [`scenario`].
pub fn scenario_with(path: &Path, sets: &[String]) -> Result<Scenario> {
    if sets.is_empty() {
        return scenario(path);
    }
    let mut varies = Vec::with_capacity(sets.len());
    for set in sets {
        let vary = Vary::parse(set).map_err(|e| match e {
            SweepError::Vary { message, .. } => anyhow!(
                "--set {set}: {message}\n  fix: write --set KEY=VALUE with a dotted scenario key such as strategy.queue_margin or model.pool_restore_slots (`georestore schema` lists them)"
            ),
            other => anyhow!(other),
        })?;
        if vary.values.len() != 1 {
            bail!(
                "--set {set}: {} values; --set takes one\n  fix: give one value, or run `georestore sweep {} --vary {set}` to try each",
                vary.values.len(),
                path.display()
            );
        }
        if varies.iter().any(|v: &Vary| v.key == vary.key) {
            bail!(
                "--set {set}: `{}` is set twice\n  fix: give each key one --set",
                vary.key
            );
        }
        varies.push(vary);
    }
    let grid = Grid::load(path, &varies, Some(1))?;
    grid.points
        .into_iter()
        .next()
        .map(|p| p.scenario)
        .ok_or_else(|| anyhow!("{}: no scenario", path.display()))
}

fn scenario_from_text(path: &Path, text: &str) -> Result<Scenario> {
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Ok(sim::scenario::parse(
        text,
        &path.display().to_string(),
        &base,
    )?)
}
