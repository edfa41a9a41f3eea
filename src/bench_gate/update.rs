//! `bench-gate --update`: the baselines rewritten from this run, and what
//! changed in them (old -> new per metric), so a re-baseline is a decision
//! someone can read in the log and in the commit's diff.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::baseline::{self, ScenarioBaseline, SpeedBaseline};
use super::metrics::{Measured, label, rank, show};
use super::speed::{SpeedSample, profile, workload};

/// One file written.
#[derive(Debug, Clone, Serialize)]
pub struct Written {
    /// The file.
    pub file: String,
    /// It did not exist (or could not be read).
    pub created: bool,
    /// What changed, one line each (`makespan 1.776 h -> 1.590 h (-10.47 %)`).
    pub changes: Vec<String>,
}

impl Written {
    /// The file and its changes, for people.
    pub fn text(&self) -> String {
        let head = if self.created {
            "created"
        } else if self.changes.is_empty() {
            "unchanged"
        } else {
            "updated"
        };
        let mut out = format!("{}: {head}\n", self.file);
        for c in &self.changes {
            out.push_str(&format!("  {c}\n"));
        }
        out
    }
}

/// The old file at `path`, or `None` with a note on stderr when it cannot
/// be read (it is replaced).
fn old_of<T: serde::de::DeserializeOwned + baseline::Checked>(path: &Path) -> Option<T> {
    match baseline::read::<T>(path) {
        Ok(old) => old,
        Err(e) => {
            eprintln!("note: replacing {} ({e:#})", path.display());
            None
        }
    }
}

/// Rewrites the baseline of `now` at `path`.
pub fn scenario(path: &Path, now: &Measured) -> Result<Written> {
    let old: Option<ScenarioBaseline> = old_of(path);
    let new = ScenarioBaseline::of(now, old.as_ref());
    baseline::write(path, &new)?;
    let mut keys: Vec<&String> = new.metrics.keys().collect();
    keys.sort_by_key(|k| (rank(k, &now.tiers), k.as_str()));
    let mut changes = Vec::new();
    if let Some(old) = &old {
        if old.scenario_digest != new.scenario_digest {
            changes.push(format!(
                "scenario digest {} -> {}",
                old.scenario_digest, new.scenario_digest
            ));
        }
        if old.strategy != new.strategy {
            changes.push(format!("strategy {} -> {}", old.strategy, new.strategy));
        }
        for k in &keys {
            let m = &new.metrics[*k];
            match old.metrics.get(*k) {
                Some(o) if o.value == m.value => {}
                Some(o) => {
                    let pct = if o.value != 0.0 {
                        format!(" ({:+.2} %)", (m.value / o.value - 1.0) * 100.0)
                    } else {
                        String::new()
                    };
                    changes.push(format!(
                        "{} {} -> {}{pct}",
                        label(k),
                        show(k, o.value),
                        show(k, m.value)
                    ));
                }
                None => changes.push(format!("{} (new) {}", label(k), show(k, m.value))),
            }
        }
        for (k, o) in &old.metrics {
            if !new.metrics.contains_key(k) {
                changes.push(format!("{} {} -> (removed)", label(k), show(k, o.value)));
            }
        }
    } else {
        changes.extend(
            keys.iter()
                .map(|k| format!("{} {}", label(k), show(k, new.metrics[*k].value))),
        );
    }
    Ok(Written {
        file: path.display().to_string(),
        created: old.is_none(),
        changes,
    })
}

/// Sets the floor of this build profile in `path` from `sample`.
pub fn speed(path: &Path, sample: &SpeedSample) -> Result<Written> {
    let old: Option<SpeedBaseline> = old_of(path);
    let new = SpeedBaseline::with(old.as_ref(), workload(), profile(), sample.ratio);
    baseline::write(path, &new)?;
    let p = profile();
    let mut changes = Vec::new();
    if let Some(f) = new.profiles.get(p) {
        let before = old
            .as_ref()
            .filter(|o| o.workload == new.workload)
            .and_then(|o| o.profiles.get(p))
            .map_or("none".to_owned(), |o| format!("{:.2}", o.floor));
        changes.push(format!(
            "{p} floor {before} -> {:.2} (measured ratio {:.3}, margin {} %)",
            f.floor, f.measured, f.margin_pct
        ));
    }
    Ok(Written {
        file: path.display().to_string(),
        created: old.is_none(),
        changes,
    })
}
