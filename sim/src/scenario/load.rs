//! Reading and validating scenario files.

use std::path::{Path, PathBuf};

use scheduler::fleet::Fleet;
use scheduler::fleet::size::check_tenants;
use scheduler::strategy::STRATEGY_NAMES;

use scheduler::diagnostic::{
    InputKind, deserialize_toml, fleet_given_for_scenario, in_words, kind_of, read_input,
};

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
    let text = read_input(path)?;
    let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
    parse(&text, &name, &base)
}

/// Parses and validates scenario text; `file` names it in errors and
/// `base_dir` resolves a relative fleet file.
pub fn parse(text: &str, file: &str, base_dir: &Path) -> Result<Scenario, ScenarioError> {
    let parsed: ScenarioFile = deserialize_toml(text, file).map_err(|e| {
        // A fleet file fails on its first fleet-only key; say what it is.
        if kind_of(text) == InputKind::Fleet {
            fleet_given_for_scenario(file, text)
        } else {
            in_accepted_range(e)
        }
    })?;
    let err = |key: &str, message: String, fix: &str| ScenarioError {
        file: file.to_owned(),
        line: locate(text, key),
        column: None,
        key: key.to_owned(),
        message,
        fix: fix.to_owned(),
    };
    validate(&parsed, &err)?;
    check_size(&parsed, None, &err)?;
    let fleet = match (&parsed.fleet.file, &parsed.fleet.generate) {
        (Some(path), None) => load_fleet(&base_dir.join(path), &err)?,
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
    check_size(&parsed, Some(&fleet), &err)?;
    check_database_limits(&parsed, &fleet, &err)?;
    let fleet = parsed
        .recovery
        .apply(fleet)
        .map_err(|(key, message, fix)| err(&format!("recovery.{key}"), message, &fix))?;
    Ok(Scenario {
        file: parsed,
        fleet,
        source: file.to_owned(),
    })
}

/// Refuses an estate larger than this tool takes (see
/// [`scheduler::fleet::size`]): checked before a fleet is generated (from
/// the generator's `tenants`), and again once loaded (`fleet`), new
/// tenants included, so nothing per tenant is allocated first.
fn check_size(
    s: &ScenarioFile,
    fleet: Option<&Fleet>,
    err: &ErrFn<'_>,
) -> Result<(), ScenarioError> {
    let new = s.disaster.new_tenants.map_or(0, |n| u64::from(n.count));
    let (key, existing) = match (fleet, &s.fleet.generate) {
        (Some(fleet), _) => ("fleet.file", fleet.databases.len() as u64),
        (None, Some(g)) => ("fleet.generate.tenants", u64::from(g.tenants)),
        (None, None) => ("fleet", 0),
    };
    let key = if new > existing {
        "disaster.new_tenants.count"
    } else {
        key
    };
    match check_tenants(existing + new) {
        Some((message, fix)) => Err(err(key, message, &fix)),
        None => Ok(()),
    }
}

/// Refuses a fleet the model could not hold: a pool with more databases
/// than `max_databases_per_pool`, a server with more than
/// `max_databases_per_server` (after the `[model]` overrides), or more new
/// tenants than the new-tenant pool (or server) takes. The model would
/// refuse the extra restores with `DatabaseLimitReached`, those tenants
/// would fail, and the lower bound (which assumes every tenant restores)
/// would no longer bound anything.
fn check_database_limits(
    s: &ScenarioFile,
    fleet: &Fleet,
    err: &ErrFn<'_>,
) -> Result<(), ScenarioError> {
    let per_pool = s.model.max_databases_per_pool;
    let per_server = s.model.max_databases_per_server;
    let generated = s.fleet.generate.is_some();
    let fleet_file = s
        .fleet
        .file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let override_hint = |key: &str, default: u32, value: u32| {
        if value == default {
            String::new()
        } else {
            format!(" (or raise model.{key}, now {value}, default {default})")
        }
    };
    let defaults = crate::params::ModelParams::default();
    if let Some(pool) = fleet
        .pools
        .iter()
        .find(|p| p.databases.len() as u64 > u64::from(per_pool))
    {
        let held = pool.databases.len();
        let hint = override_hint(
            "max_databases_per_pool",
            defaults.max_databases_per_pool,
            per_pool,
        );
        let (key, fix) = if generated {
            (
                "fleet.generate.databases_per_pool",
                format!("use databases_per_pool <= {per_pool}{hint}"),
            )
        } else {
            (
                "fleet.file",
                format!(
                    "split pool `{}` in {fleet_file} into pools of at most {per_pool} databases{hint}",
                    pool.name
                ),
            )
        };
        return Err(err(
            key,
            format!(
                "elastic pool `{}` holds {held} databases but the model's pools take at most {per_pool} (max_databases_per_pool); the extra restores would fail with DatabaseLimitReached",
                pool.name
            ),
            &fix,
        ));
    }
    let catalog_server = fleet
        .servers
        .iter()
        .position(|srv| srv.name == fleet.catalog.server);
    for (index, server) in fleet.servers.iter().enumerate() {
        let held = server.databases.len() + usize::from(catalog_server == Some(index));
        if held as u64 <= u64::from(per_server) {
            continue;
        }
        let hint = override_hint(
            "max_databases_per_server",
            defaults.max_databases_per_server,
            per_server,
        );
        let (key, fix) = if generated {
            (
                "fleet.generate.pools_per_server",
                format!(
                    "use fewer pools_per_server (or databases_per_pool) so that a server holds at most {per_server} databases, standalone ones included{hint}"
                ),
            )
        } else {
            (
                "fleet.file",
                format!(
                    "spread server `{}` in {fleet_file} over servers of at most {per_server} databases{hint}",
                    server.name
                ),
            )
        };
        return Err(err(
            key,
            format!(
                "server `{}` holds {held} databases but the model's servers take at most {per_server} (max_databases_per_server); the extra restores would fail with DatabaseLimitReached",
                server.name
            ),
            &fix,
        ));
    }
    if let Some(n) = s.disaster.new_tenants {
        let room = per_pool.min(per_server);
        if n.count > room {
            return Err(err(
                "disaster.new_tenants.count",
                format!(
                    "{} new tenants but the new-tenant pool `{}` takes at most {room} databases; later sign-ups would be refused",
                    n.count, fleet.new_tenants.pool
                ),
                &format!("use count <= {room}"),
            ));
        }
    }
    Ok(())
}

/// Loads the scenario's fleet file; an unreadable one is an error at the
/// scenario's `fleet.file` line, a scenario named there is refused.
fn load_fleet(path: &PathBuf, err: &ErrFn<'_>) -> Result<Fleet, ScenarioError> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| {
        err(
            "fleet.file",
            format!("cannot read the fleet file {name}: {e}"),
            "give the path of a fleet file relative to the scenario file",
        )
    })?;
    if kind_of(&text) == InputKind::Scenario {
        return Err(err(
            "fleet.file",
            format!("{name} is a scenario file, not a fleet file"),
            "name a fleet file (such as fleets/wingtip-demo.toml) here",
        ));
    }
    Fleet::from_toml_str(&text, &name)
}

/// Most runs of one scenario (`runs`, `--runs`): every run is a whole
/// simulation, so a thousand runs of a large estate already take hours.
pub const MAX_RUNS: u32 = 1000;

/// Fewest new-tenant sign-ups per hour accepted (one every 100 h).
const MIN_PER_HOUR: f64 = 0.01;
/// Most new-tenant sign-ups per hour accepted (one per ms).
const MAX_PER_HOUR: f64 = 3_600_000.0;

/// The range of a whole-number key checked by [`validate`], where it is
/// narrower than its type's: the type as serde names it, and the range in
/// words.
fn accepted_range(key: &str) -> Option<(&'static str, String)> {
    match key {
        "runs" => Some(("u32", format!("a whole number from 1 to {MAX_RUNS}"))),
        "strategy.critical_share_pct" => Some(("u8", "a whole number from 1 to 100".to_owned())),
        _ => None,
    }
}

/// A type error on a key of [`accepted_range`] names the range the
/// scenario accepts, not the range of the key's type (`runs = "three"`:
/// "from 1 to 1000", not "from 0 to 4294967295").
fn in_accepted_range(mut e: ScenarioError) -> ScenarioError {
    if let Some((ty, words)) = accepted_range(&e.key) {
        let typed = in_words(ty);
        e.message = e.message.replace(&typed, &words);
        e.fix = e.fix.replace(&typed, &words);
    }
    e
}

type ErrFn<'a> = dyn Fn(&str, String, &str) -> ScenarioError + 'a;

fn validate(s: &ScenarioFile, err: &ErrFn<'_>) -> Result<(), ScenarioError> {
    if !(1..=MAX_RUNS).contains(&s.runs) {
        return Err(err(
            "runs",
            format!(
                "runs is {}; a scenario runs 1 to {MAX_RUNS} times (each run is a whole simulation)",
                s.runs
            ),
            &format!("use runs from 1 to {MAX_RUNS}"),
        ));
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
    if let Some(pct) = s.strategy.knobs().critical_share_pct
        && !(1..=100).contains(&pct)
    {
        return Err(err(
            "strategy.critical_share_pct",
            format!(
                "critical_share_pct is {pct}; it is a share of a pool's data in percent, from 1 to 100"
            ),
            "use critical_share_pct from 1 to 100 (default 20; 100 puts first only a database holding its whole pool)",
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
        // At least 1 s: ARM's Retry-After and its token buckets work in
        // whole seconds, so a client polling faster learns nothing new, and
        // every poll is one step of the runner's loop: at 1 ms a long
        // restore alone takes millions of steps and the run ends at the
        // step limit instead of with a result.
        if !(v.is_finite() && (1.0..=86_400.0).contains(&v)) {
            return Err(err(
                key,
                format!("{key} is {v} s; polls must be at least 1 s apart"),
                "use a number of seconds in [1, 86400] (ARM answers in whole seconds; 10 is typical)",
            ));
        }
    }
    if let Err(e) = s.model.validate() {
        return Err(err(
            &format!("model.{}", e.field),
            e.to_string(),
            &format!(
                "see the `{}` row of the [model] table in README.md (section \"[model]: the Azure service model\", column \"allowed\") for its range and default",
                e.field
            ),
        ));
    }
    if let Err((key, message, fix)) = s.prices.validate() {
        return Err(err(&key, message, &fix));
    }
    if s.recovery.is_set() && s.disaster.repatriate_at_s.is_some() {
        return Err(err(
            "recovery",
            "a scenario that repatriates cannot redesign the recovery region: the repatriation's pool sync back to the origin is modelled for mirrors of the origin pools only".into(),
            "remove [recovery] or disaster.repatriate_at_s (plan the recovery without the repatriation)",
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
    if !(d.lost_answer_share.is_finite() && (0.0..1.0).contains(&d.lost_answer_share)) {
        return Err(err(
            "disaster.lost_answer_share",
            format!("lost_answer_share is {}", d.lost_answer_share),
            "use a fraction in [0, 1) (0 = every answer arrives)",
        ));
    }
    let horizon_s = crate::runner::DEFAULT_HORIZON_MS as f64 / 1000.0;
    for (key, v) in [
        ("disaster.cancel_at_s", d.cancel_at_s),
        ("disaster.repatriate_at_s", d.repatriate_at_s),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..horizon_s).contains(&v))
        {
            return Err(err(
                key,
                format!("{key} is {v}; the run's horizon is {horizon_s} s (90 days)"),
                &format!("use seconds after the start, >= 0 and < {horizon_s}"),
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
    if let Some(n) = d.new_tenants {
        if !(n.per_hour.is_finite() && (MIN_PER_HOUR..=MAX_PER_HOUR).contains(&n.per_hour)) {
            return Err(err(
                "disaster.new_tenants.per_hour",
                format!("new tenants at {} per hour", n.per_hour),
                &format!("use per_hour in [{MIN_PER_HOUR}, {MAX_PER_HOUR}]"),
            ));
        }
        if !(n.first_at_s.is_finite() && (0.0..horizon_s).contains(&n.first_at_s)) {
            return Err(err(
                "disaster.new_tenants.first_at_s",
                format!(
                    "the first new tenant signs up at {} s; the run's horizon is {horizon_s} s (90 days)",
                    n.first_at_s
                ),
                &format!("use first_at_s >= 0 and < {horizon_s}"),
            ));
        }
        let last_s = n.first_at_s + f64::from(n.count.saturating_sub(1)) * 3600.0 / n.per_hour;
        if n.count > 0 && last_s >= horizon_s {
            return Err(err(
                "disaster.new_tenants",
                format!(
                    "the last of {} new tenants at {} per hour from {} s signs up at {last_s} s, after the run's horizon of {horizon_s} s (90 days)",
                    n.count, n.per_hour, n.first_at_s
                ),
                "raise per_hour or lower count (first_at_s + (count - 1) * 3600 / per_hour must stay below the horizon)",
            ));
        }
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
        settings.lost_answer_share = f.disaster.lost_answer_share;
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
