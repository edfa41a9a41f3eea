//! Overlays: a recovery design as a small TOML file of `[recovery]` and
//! `[strategy]` keys, applied on top of a scenario.
//!
//! Applying: each key of the overlay replaces the scenario's key of the
//! same name (other keys stay); when the overlay names a strategy
//! (`[strategy] name`), the scenario's strategy knobs that strategy does
//! not take are dropped (they belonged to the scenario's strategy). The
//! result is loaded by the normal scenario loader, so every check applies.
//! `plan-capacity` builds every design this way, and `simulate --overlay`
//! too: the same overlay on the same scenario is the same run.

use std::path::Path;

use scheduler::strategy::{KNOB_NAMES, Knobs};

use super::PlanError;
use crate::scenario::{Scenario, ScenarioError};

/// The tables an overlay may set: the user's knobs of the recovery region.
pub const OVERLAY_TABLES: &[&str] = &["recovery", "strategy"];

/// Applies `overlay` to the parsed scenario `base` (see the module doc).
///
/// Contract: `Err(message)` for a top-level key other than
/// [`OVERLAY_TABLES`] or one that is not a table; otherwise every overlay
/// key is set in `base`.
pub fn apply(base: &mut toml::Table, overlay: &toml::Table) -> Result<(), String> {
    for (name, value) in overlay {
        if !OVERLAY_TABLES.contains(&name.as_str()) {
            return Err(format!(
                "`{name}` is not a table an overlay sets (it sets {} only)",
                OVERLAY_TABLES.join(" and ")
            ));
        }
        let toml::Value::Table(keys) = value else {
            return Err(format!("`{name}` is a {}, not a table", value.type_str()));
        };
        let target = base
            .entry(name.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        let toml::Value::Table(target) = target else {
            return Err(format!("the scenario's `{name}` is not a table"));
        };
        if name == "strategy"
            && let Some(strategy) = keys.get("name").and_then(toml::Value::as_str)
        {
            let takes = Knobs::accepted_by(strategy);
            target.retain(|k, _| {
                let k: &str = k;
                !KNOB_NAMES.contains(&k) || takes.contains(&k)
            });
        }
        for (k, v) in keys {
            target.insert(k.clone(), v.clone());
        }
    }
    Ok(())
}

/// Loads the scenario at `path` with `overlay` applied; `label` names the
/// overlay in errors (`FILE with LABEL`).
pub fn scenario_with(
    path: &Path,
    overlay: &toml::Table,
    label: &str,
) -> Result<Scenario, PlanError> {
    let file = path.display().to_string();
    let text = scheduler::diagnostic::read_input(path)?;
    let mut table: toml::Table = text.parse().map_err(|e| PlanError::Overlay {
        file: file.clone(),
        message: format!("not valid TOML: {e}"),
        fix: "fix the scenario file (georestore simulate names the line)".into(),
    })?;
    apply(&mut table, overlay).map_err(|message| PlanError::Overlay {
        file: label.to_owned(),
        message,
        fix: "an overlay holds [recovery] and [strategy] keys only (see `georestore plan-capacity --help`)".into(),
    })?;
    let edited = toml::to_string(&table).map_err(|e| PlanError::Overlay {
        file: file.clone(),
        message: format!("cannot write the edited scenario: {e}"),
        fix: "report this as a bug".into(),
    })?;
    let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
    crate::scenario::parse(&edited, &format!("{file} with {label}"), &base_dir).map_err(
        |mut e: ScenarioError| {
            // Lines would point into the edited text, not the file.
            e.line = None;
            e.column = None;
            PlanError::Scenario(Box::new(e))
        },
    )
}

/// Reads an overlay file (TOML).
pub fn read(path: &Path) -> Result<toml::Table, PlanError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| PlanError::Overlay {
        file: file.clone(),
        message: format!("cannot read the overlay: {e}"),
        fix: "give the file `plan-capacity --overlay FILE` wrote".into(),
    })?;
    text.parse().map_err(|e| PlanError::Overlay {
        file,
        message: format!("not valid TOML: {e}"),
        fix: "an overlay is TOML with [recovery] and [strategy] tables".into(),
    })
}

/// Loads `scenario` with the overlay file `overlay` applied.
pub fn load_with_overlay(scenario: &Path, overlay: &Path) -> Result<Scenario, PlanError> {
    let table = read(overlay)?;
    scenario_with(scenario, &table, &overlay.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> toml::Table {
        text.parse().expect("toml")
    }

    #[test]
    fn keys_replace_and_a_new_strategy_drops_foreign_knobs() {
        let mut base = table(
            "name = \"x\"\n[strategy]\nname = \"critical-first\"\ncritical_share_pct = 30\nlro_poll_interval_s = 5\n",
        );
        apply(
            &mut base,
            &table("[strategy]\nname = \"fast-lane\"\nfast_lane_waves = 2\n[recovery]\ndatabases_per_pool = 10\n"),
        )
        .expect("applies");
        let s = base["strategy"].as_table().expect("table");
        assert_eq!(s.get("critical_share_pct"), None);
        assert_eq!(s["fast_lane_waves"].as_integer(), Some(2));
        assert_eq!(s["lro_poll_interval_s"].as_integer(), Some(5));
        assert_eq!(
            base["recovery"]["databases_per_pool"].as_integer(),
            Some(10)
        );
        let e = apply(&mut base, &table("[model]\npool_restore_slots = 8\n")).expect_err("model");
        assert!(e.contains("`model` is not a table an overlay sets"), "{e}");
        let e = apply(&mut base, &table("recovery = 3\n")).expect_err("value");
        assert!(e.contains("not a table"), "{e}");
    }
}
