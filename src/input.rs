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
/// value (a TOML literal, or the rest of the argument as a string, commas
/// included); a key set twice and a list of numbers (`4,8`: a sweep) are
/// refused with the fix, and so is anything the loader refuses. With
/// `strategy` (the `--strategy` flag) and a strategy knob set but no
/// `strategy.name`, the knob is checked against that strategy, not the
/// file's. No `set`: [`scenario`].
pub fn scenario_with(path: &Path, sets: &[String], strategy: Option<&str>) -> Result<Scenario> {
    if sets.is_empty() {
        return scenario(path);
    }
    let mut varies = parse_sets(path, sets)?;
    let named = varies.iter().any(|v| v.key == "strategy.name");
    if let (Some(name), false, true) = (strategy, named, sets_knob(&varies)) {
        varies.insert(0, strategy_name(name));
    }
    load_with(path, &varies)
}

/// The `--set`s parsed, in order (errors as [`scenario_with`] says).
pub fn parse_sets(path: &Path, sets: &[String]) -> Result<Vec<Vary>> {
    let mut varies: Vec<Vary> = Vec::with_capacity(sets.len());
    for set in sets {
        let several = Vary::parse(set).map(|v| v.values).unwrap_or_default();
        if several.len() > 1 && several.iter().all(|v| !v.is_str()) {
            bail!(
                "--set {set}: {} values; --set takes one\n  fix: give one value, or run `georestore sweep {} --vary {set}` to try each",
                several.len(),
                path.display()
            );
        }
        let vary = Vary::parse_one(set).map_err(|e| match e {
            SweepError::Vary { message, fix, .. } => {
                anyhow!("--set {set}: {message}\n  fix: {fix}")
            }
            other => anyhow!(other),
        })?;
        if varies.iter().any(|v| v.key == vary.key) {
            bail!(
                "--set {set}: `{}` is set twice\n  fix: give each key one --set",
                vary.key
            );
        }
        varies.push(vary);
    }
    Ok(varies)
}

/// Whether a strategy knob (not a scheduler setting such as
/// `strategy.lro_poll_interval_s`) is among the sets.
pub fn sets_knob(varies: &[Vary]) -> bool {
    knobs_of(varies).next().is_some()
}

/// The strategy knobs set, by name (`critical_share_pct`).
pub fn knobs_of(varies: &[Vary]) -> impl Iterator<Item = &str> {
    varies.iter().filter_map(|v| {
        v.key
            .strip_prefix("strategy.")
            .filter(|k| scheduler::strategy::KNOB_NAMES.contains(k))
    })
}

/// `strategy.name=NAME` as a set.
pub fn strategy_name(name: &str) -> Vary {
    Vary {
        key: "strategy.name".to_owned(),
        values: vec![toml::Value::String(name.to_owned())],
    }
}

/// The scenario with `varies` written into it, validated.
pub fn load_with(path: &Path, varies: &[Vary]) -> Result<Scenario> {
    let grid = Grid::load(path, varies, Some(1))?;
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
