//! Reading and validating scenario files.

use std::path::{Path, PathBuf};

use scheduler::fleet::Fleet;
use scheduler::strategy::STRATEGY_NAMES;

use scheduler::diagnostic::deserialize_toml;

use super::error::locate;
use super::{ScenarioError, ScenarioFile, generate_fleet};

/// A validated scenario with its fleet built.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file as parsed.
    pub file: ScenarioFile,
    /// The fleet (loaded or generated, validated).
    pub fleet: Fleet,
    /// Where the scenario came from (for messages).
    pub source: String,
}

/// Reads, parses and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: name.clone(),
        line: None,
        column: None,
        key: String::new(),
        message: format!("cannot read the scenario: {e}"),
        fix: "check the path (scenarios live in scenarios/)".into(),
    })?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, &name, &base)
}

/// Parses and validates scenario text; `file` names it in errors and
/// `base_dir` resolves a relative fleet file.
pub fn parse(text: &str, file: &str, base_dir: &Path) -> Result<Scenario, ScenarioError> {
    let parsed: ScenarioFile = deserialize_toml(text, file)?;
    let err = |key: &str, message: String, fix: &str| ScenarioError {
        file: file.to_owned(),
        line: locate(text, key),
        column: None,
        key: key.to_owned(),
        message,
        fix: fix.to_owned(),
    };
    validate(&parsed, &err)?;
    let fleet = match (&parsed.fleet.file, &parsed.fleet.generate) {
        (Some(path), None) => load_fleet(&base_dir.join(path))?,
        (None, Some(generator)) => generate_fleet(&parsed.name, generator)
            .map_err(|(key, message, fix)| err(&format!("fleet.generate.{key}"), message, &fix))?,
        _ => {
            return Err(err(
                "fleet",
                "the fleet must give exactly one of `file` and `generate`".into(),
                "write file = \"fleets/<name>.toml\" or a [fleet.generate] table, not both",
            ));
        }
    };
    Ok(Scenario {
        file: parsed,
        fleet,
        source: file.to_owned(),
    })
}

fn load_fleet(path: &PathBuf) -> Result<Fleet, ScenarioError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| ScenarioError {
        file: name.clone(),
        line: None,
        column: None,
        key: "fleet.file".into(),
        message: format!("cannot read the fleet file: {e}"),
        fix: "give a path relative to the scenario file".into(),
    })?;
    Fleet::from_toml_str(&text, &name)
}

type ErrFn<'a> = dyn Fn(&str, String, &str) -> ScenarioError + 'a;

fn validate(s: &ScenarioFile, err: &ErrFn<'_>) -> Result<(), ScenarioError> {
    if s.runs == 0 {
        return Err(err("runs", "runs is 0".into(), "use runs = 1 or more"));
    }
    if !STRATEGY_NAMES.contains(&s.strategy.name.as_str()) {
        return Err(err(
            "strategy.name",
            format!("unknown strategy `{}`", s.strategy.name),
            &format!("use one of {}", STRATEGY_NAMES.join(", ")),
        ));
    }
    if let Err(knob) = s.strategy.knobs().check(&s.strategy.name) {
        let takes = scheduler::strategy::Knobs::accepted_by(&s.strategy.name);
        return Err(err(
            &format!("strategy.{knob}"),
            format!("strategy `{}` has no knob `{knob}`", s.strategy.name),
            &if takes.is_empty() {
                format!("remove it: `{}` takes no knobs", s.strategy.name)
            } else {
                format!(
                    "remove it; `{}` takes {}",
                    s.strategy.name,
                    takes.join(", ")
                )
            },
        ));
    }
    for (key, v) in [
        (
            "strategy.lro_poll_interval_s",
            s.strategy.lro_poll_interval_s,
        ),
        (
            "strategy.server_poll_interval_s",
            s.strategy.server_poll_interval_s,
        ),
    ] {
        if !(v.is_finite() && v > 0.0 && v <= 86_400.0) {
            return Err(err(
                key,
                format!("{key} is {v}"),
                "use a number of seconds in (0, 86400]",
            ));
        }
    }
    if let Err(e) = s.model.validate() {
        return Err(err(
            &format!("model.{}", e.field),
            e.to_string(),
            "see the parameter table in sim/README.md for ranges and defaults",
        ));
    }
    let d = &s.disaster;
    if !(d.contention.is_finite() && d.contention >= 0.0) {
        return Err(err(
            "disaster.contention",
            format!("contention is {}", d.contention),
            "use a finite number >= 0 (0 = nobody else restoring, 1 = restores take twice as long)",
        ));
    }
    if !(d.changed_share.is_finite() && (0.0..=1.0).contains(&d.changed_share)) {
        return Err(err(
            "disaster.changed_share",
            format!("changed_share is {}", d.changed_share),
            "use a fraction in [0, 1]",
        ));
    }
    for (key, v) in [
        ("disaster.cancel_at_s", d.cancel_at_s),
        ("disaster.repatriate_at_s", d.repatriate_at_s),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..1e9).contains(&v))
        {
            return Err(err(
                key,
                format!("{key} is {v}"),
                "use seconds after the start, >= 0",
            ));
        }
    }
    if d.cancel_at_s.is_some() && d.repatriate_at_s.is_some() {
        return Err(err(
            "disaster.repatriate_at_s",
            "a scenario either cancels or repatriates, not both".into(),
            "remove cancel_at_s or repatriate_at_s",
        ));
    }
    if let Some(n) = d.new_tenants
        && !(n.per_hour.is_finite()
            && n.per_hour > 0.0
            && n.first_at_s.is_finite()
            && n.first_at_s >= 0.0)
    {
        return Err(err(
            "disaster.new_tenants.per_hour",
            format!(
                "new tenants at {} per hour from {} s",
                n.per_hour, n.first_at_s
            ),
            "use per_hour > 0 and first_at_s >= 0",
        ));
    }
    Ok(())
}

impl Scenario {
    /// The run settings for `seed` (the scenario's model, disaster and
    /// client knobs).
    pub fn settings(&self, seed: u64) -> crate::runner::RunSettings {
        let f = &self.file;
        let ms = |s: f64| (s * 1000.0).round() as u64;
        let mut settings =
            crate::runner::RunSettings::new(seed, f.model.clone(), f.disaster.contention);
        settings.lro_poll_interval_ms = ms(f.strategy.lro_poll_interval_s).max(1);
        settings.server_poll_interval_ms = ms(f.strategy.server_poll_interval_s).max(1);
        settings.changed_share = f.disaster.changed_share;
        settings.cancel_at_ms = f.disaster.cancel_at_s.map(ms);
        settings.repatriate_at_ms = f.disaster.repatriate_at_s.map(ms);
        settings.new_tenants = f
            .disaster
            .new_tenants
            .map(|n| crate::runner::NewTenantArrivals {
                count: n.count,
                interval_ms: ms(3600.0 / n.per_hour).max(1),
                first_at_ms: ms(n.first_at_s),
            });
        if f.strategy.assume_published_limits {
            settings.scheduler_limits = scheduler::Limits::default();
        }
        settings
    }
}
