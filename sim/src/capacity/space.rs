//! The searched space: the knobs a user controls in the recovery region,
//! each with its values, and the designs (combinations) to try.
//!
//! Knobs ([`KNOB_KEYS`]): `recovery.databases_per_pool`,
//! `recovery.pool_capacity`, `strategy.name` and the strategies' knobs
//! (`strategy.queue_margin`, `strategy.critical_share_pct`...). Azure's
//! limits (`[model]`, e.g. the 4 restore slots per pool) and the disaster
//! are not knobs: they are what the design must cope with.
//!
//! Designs: the cartesian product of the knobs' values, the first knob
//! varying slowest; in each, a strategy knob the design's strategy does not
//! take is dropped, and a design equal to an earlier one is left out (so
//! `strategy.name=wingtip,critical-first` with
//! `strategy.critical_share_pct=10,20` gives 3 designs, not 4).
//!
//! Default space (no `--vary`), derived from the scenario:
//! `recovery.databases_per_pool` = the largest origin pool's size `m`, `m/2`,
//! `m/4`, `m/8` (rounded up; more, smaller pools restore more at once);
//! `recovery.pool_capacity` = the smallest capacity whose database limit
//! holds `m` and the origin pools' own (when every pool has one edition and
//! capacity of a DTU Basic/Standard or vCore General Purpose kind; not
//! varied otherwise); `strategy.name` = the scenario's, `priority-pacing`,
//! `critical-first`, `fast-lane`.

use serde::Serialize;

use scheduler::fleet::{Fleet, PoolCapacity};
use scheduler::strategy::{KNOB_NAMES, Knobs};

use super::PlanError;
use crate::scenario::Scenario;
use crate::scenario::recovery::databases_allowed;
use crate::sweep::Vary;
use crate::sweep::vary::show;

/// Keys a design may set (the strategy's knobs as `strategy.<knob>`).
pub const KNOB_KEYS: &[&str] = &[
    "recovery.databases_per_pool",
    "recovery.pool_capacity",
    "strategy.name",
    "strategy.queue_margin",
    "strategy.tail_tiers",
    "strategy.critical_share_pct",
    "strategy.fast_lane_tiers",
    "strategy.fast_lane_waves",
    "strategy.batch_size",
    "strategy.batch_per_pool",
    "strategy.batches_in_flight",
];

/// Strategies tried by default besides the scenario's.
pub const DEFAULT_STRATEGIES: &[&str] = &["priority-pacing", "critical-first", "fast-lane"];

/// One knob and its values.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Knob {
    /// The dotted key.
    pub key: String,
    /// Its values, in order.
    #[serde(serialize_with = "values_json")]
    pub values: Vec<toml::Value>,
}

fn values_json<S: serde::Serializer>(values: &[toml::Value], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq as _;
    let mut seq = s.serialize_seq(Some(values.len()))?;
    for v in values {
        seq.serialize_element(&crate::sweep::grid::json_of(v))?;
    }
    seq.end()
}

/// One design: the knob values it sets, in knob order.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// `(dotted key, value)`.
    pub values: Vec<(String, toml::Value)>,
}

impl Design {
    /// `key=value` joined by spaces, keys without their table
    /// (`databases_per_pool=13 pool_capacity=50 name=critical-first`
    /// reads worse than with them, so `strategy.name` shows as `strategy`).
    pub fn label(&self) -> String {
        self.values
            .iter()
            .map(|(k, v)| {
                let short = match k.as_str() {
                    "strategy.name" => "strategy",
                    other => other.rsplit_once('.').map_or(other, |(_, last)| last),
                };
                format!("{short}={}", show(v))
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The design as an overlay table (`[recovery]`, `[strategy]`).
    pub fn overlay(&self) -> toml::Table {
        let mut root = toml::Table::new();
        for (key, value) in &self.values {
            if let Some((table, name)) = key.split_once('.') {
                let t = root
                    .entry(table.to_owned())
                    .or_insert_with(|| toml::Value::Table(toml::Table::new()));
                if let toml::Value::Table(t) = t {
                    t.insert(name.to_owned(), value.clone());
                }
            }
        }
        root
    }
}

/// Parses `--vary` arguments and checks each key is a design knob.
pub fn parse_knobs(args: &[String]) -> Result<Vec<Knob>, PlanError> {
    let mut knobs: Vec<Knob> = Vec::new();
    for arg in args {
        let v = Vary::parse(arg)?;
        if !KNOB_KEYS.contains(&v.key.as_str()) {
            let why = if v.key.starts_with("model.") {
                "Azure's limits and the service model are not yours to choose"
            } else if v.key.starts_with("disaster.") {
                "the disaster is what the design must cope with"
            } else {
                "it is not a knob of the recovery design"
            };
            return Err(PlanError::Knob {
                arg: arg.clone(),
                message: format!("`{}` cannot be planned: {why}", v.key),
                fix: format!(
                    "vary the knobs a user controls: {} (use `georestore sweep` to explore other keys)",
                    KNOB_KEYS.join(", ")
                ),
            });
        }
        if knobs.iter().any(|k| k.key == v.key) {
            return Err(PlanError::Knob {
                arg: arg.clone(),
                message: format!("`{}` is varied twice", v.key),
                fix: "give each key one --vary with all its values".into(),
            });
        }
        knobs.push(Knob {
            key: v.key,
            values: v.values,
        });
    }
    Ok(knobs)
}

/// The default knobs for `scenario` (see the module doc).
pub fn default_knobs(scenario: &Scenario) -> Vec<Knob> {
    let fleet = &scenario.fleet;
    let largest = fleet
        .pools
        .iter()
        .map(|p| p.databases.len())
        .max()
        .unwrap_or(0) as i64;
    let mut knobs = Vec::new();
    if largest > 0 {
        let mut sizes: Vec<i64> = Vec::new();
        for d in [1, 2, 4, 8] {
            let v = (largest + d - 1) / d;
            if !sizes.contains(&v) {
                sizes.push(v);
            }
        }
        knobs.push(Knob {
            key: "recovery.databases_per_pool".into(),
            values: sizes.into_iter().map(toml::Value::Integer).collect(),
        });
        if let Some(values) = default_capacities(fleet, largest as usize) {
            knobs.push(Knob {
                key: "recovery.pool_capacity".into(),
                values,
            });
        }
    }
    let mut strategies = vec![scenario.file.strategy.name.clone()];
    for s in DEFAULT_STRATEGIES {
        if !strategies.iter().any(|x| x == s) {
            strategies.push((*s).to_owned());
        }
    }
    knobs.push(Knob {
        key: "strategy.name".into(),
        values: strategies.into_iter().map(toml::Value::String).collect(),
    });
    knobs
}

/// The smallest capacity holding `largest` databases, and the origin's.
fn default_capacities(fleet: &Fleet, largest: usize) -> Option<Vec<toml::Value>> {
    let first = fleet.pools.first()?;
    if fleet
        .pools
        .iter()
        .any(|p| p.edition != first.edition || p.capacity != first.capacity)
    {
        return None;
    }
    let (steps, origin): (&[u32], u32) = match first.capacity {
        PoolCapacity::Dtu(d) => (&[50, 100, 200], d),
        PoolCapacity::VCores(v) => (&[2, 4, 6], v),
    };
    let wrap = |c: u32| match first.capacity {
        PoolCapacity::Dtu(_) => PoolCapacity::Dtu(c),
        PoolCapacity::VCores(_) => PoolCapacity::VCores(c),
    };
    let smallest = steps.iter().copied().find(|&c| {
        databases_allowed(&first.edition, wrap(c)).is_some_and(|n| n as usize >= largest)
    })?;
    let mut values = vec![toml::Value::Integer(i64::from(smallest))];
    if origin != smallest {
        values.push(toml::Value::Integer(i64::from(origin)));
    }
    Some(values)
}

/// The designs of `knobs` (see the module doc): cartesian, first knob
/// slowest, foreign strategy knobs dropped, duplicates left out. `base`
/// is the scenario's strategy (for designs that do not vary it).
pub fn designs(knobs: &[Knob], base_strategy: &str) -> Vec<Design> {
    let count: usize = knobs.iter().map(|k| k.values.len().max(1)).product();
    let mut out: Vec<Design> = Vec::new();
    for mut index in 0..count {
        let mut values = vec![(String::new(), toml::Value::Boolean(false)); knobs.len()];
        for (slot, k) in values.iter_mut().zip(knobs).rev() {
            let n = k.values.len().max(1);
            if let Some(v) = k.values.get(index % n) {
                *slot = (k.key.clone(), v.clone());
            }
            index /= n;
        }
        let strategy = values
            .iter()
            .find(|(k, _)| k == "strategy.name")
            .and_then(|(_, v)| v.as_str().map(str::to_owned))
            .unwrap_or_else(|| base_strategy.to_owned());
        let takes = Knobs::accepted_by(&strategy);
        values.retain(|(k, _)| match k.strip_prefix("strategy.") {
            Some(knob) if KNOB_NAMES.contains(&knob) => takes.contains(&knob),
            _ => true,
        });
        let design = Design { values };
        if !out.contains(&design) {
            out.push(design);
        }
    }
    out
}

/// The number of combinations before dropping and de-duplicating.
pub fn combinations(knobs: &[Knob]) -> usize {
    knobs
        .iter()
        .try_fold(1usize, |n, k| n.checked_mul(k.values.len().max(1)))
        .unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn knobs(args: &[&str]) -> Vec<Knob> {
        parse_knobs(&args.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("knobs")
    }

    #[test]
    fn foreign_knobs_are_dropped_and_duplicates_left_out() {
        let k = knobs(&[
            "strategy=wingtip,critical-first",
            "strategy.critical_share_pct=10,20",
            "recovery.databases_per_pool=5",
        ]);
        assert_eq!(combinations(&k), 4);
        let d = designs(&k, "wingtip");
        let labels: Vec<String> = d.iter().map(Design::label).collect();
        assert_eq!(
            labels,
            [
                "strategy=wingtip databases_per_pool=5",
                "strategy=critical-first critical_share_pct=10 databases_per_pool=5",
                "strategy=critical-first critical_share_pct=20 databases_per_pool=5",
            ]
        );
        let overlay = d[1].overlay();
        assert_eq!(
            overlay["strategy"]["critical_share_pct"].as_integer(),
            Some(10)
        );
        assert_eq!(
            overlay["recovery"]["databases_per_pool"].as_integer(),
            Some(5)
        );
    }

    #[test]
    fn only_design_knobs_may_vary() {
        for (arg, needle) in [
            ("model.pool_restore_slots=8", "Azure's limits"),
            ("disaster.contention=0", "the disaster"),
            ("seed=1,2", "not a knob"),
        ] {
            let e = parse_knobs(&[arg.to_string()]).expect_err(arg).to_string();
            assert!(e.contains(needle) && e.contains("fix:"), "{arg}: {e}");
        }
        let e = parse_knobs(&["strategy=a".into(), "strategy.name=b".into()])
            .expect_err("twice")
            .to_string();
        assert!(e.contains("varied twice"), "{e}");
    }

    #[test]
    fn the_default_space_follows_the_scenario() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/saas-1k.toml");
        let s = crate::scenario::load(&path).expect("saas-1k");
        let k = default_knobs(&s);
        let shown: Vec<(String, Vec<String>)> = k
            .iter()
            .map(|k| (k.key.clone(), k.values.iter().map(show).collect()))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "recovery.databases_per_pool".to_string(),
                    vec!["50", "25", "13", "7"]
                        .into_iter()
                        .map(String::from)
                        .collect::<Vec<_>>()
                ),
                (
                    "recovery.pool_capacity".to_string(),
                    vec!["50".to_string(), "200".to_string()]
                ),
                (
                    "strategy.name".to_string(),
                    ["priority-pacing", "critical-first", "fast-lane"]
                        .map(String::from)
                        .to_vec()
                ),
            ]
        );
    }
}
