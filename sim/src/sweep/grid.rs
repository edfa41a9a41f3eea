//! The grid: every combination of the `--vary` values (the first `--vary`
//! varies slowest), each a scenario loaded through the normal validated
//! loader ([`crate::scenario::parse`]) after the parsed TOML was edited, so
//! every check and message of scenario files applies to varied values.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::accumulate::{HistogramSpec, PointAcc};
use super::vary::{Vary, show};
use super::{FORMAT_VERSION, SweepError};
use crate::rng::Fnv1a;
use crate::scenario::{HashWriter, Scenario, feed_digest};

/// A varied key and its values, as recorded in shard and result files.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaryId {
    /// Dotted scenario key.
    pub key: String,
    /// Its values in order (JSON of the TOML values).
    pub values: Vec<serde_json::Value>,
}

/// What identifies a sweep: two shard files merge only when these are
/// equal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepId {
    /// Scenario name.
    pub scenario: String,
    /// FNV-1a 64 (hex) of every grid point's validated scenario (the
    /// parsed file as JSON, then the fleet's `Debug` rendering), in point
    /// order: a changed scenario or fleet file changes it.
    pub digest: String,
    /// Seeds per grid point (`--runs`).
    pub runs: u32,
    /// The varied keys, first slowest.
    pub vary: Vec<VaryId>,
    /// Grid points (product of the value counts; 1 without `--vary`).
    pub points: usize,
    /// Layout of every histogram in the files.
    pub histogram: HistogramSpec,
    /// Version of the `georestore-sim` crate that ran the sweep.
    pub sim_version: String,
    /// File format version ([`FORMAT_VERSION`]).
    pub format_version: u32,
}

/// One grid point: its values and its validated scenario.
#[derive(Debug, Clone)]
pub struct GridPoint {
    /// `(key, value)` per `--vary`, in `--vary` order.
    pub values: Vec<(String, toml::Value)>,
    /// The scenario with those values.
    pub scenario: Scenario,
}

impl GridPoint {
    /// `key=value` per varied key, joined by spaces (empty without
    /// `--vary`).
    pub fn label(&self) -> String {
        label(&self.values)
    }
}

fn label(values: &[(String, toml::Value)]) -> String {
    values
        .iter()
        .map(|(k, v)| format!("{k}={}", show(v)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A loaded grid.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The points, first `--vary` slowest.
    pub points: Vec<GridPoint>,
    /// Seeds per point.
    pub runs: u32,
    /// The identity written into shard and result files.
    pub id: SweepId,
}

/// Most grid points of one sweep: each point holds a histogram per tier
/// and one of the makespan, ~200 KB each, in every process of a sweep.
pub const MAX_POINTS: usize = 1_000;

impl Grid {
    /// Loads `path` once per combination of `varies`, each point to run
    /// `runs` seeds (at least 1; `None`: the first point's `runs`).
    ///
    /// Contract: a key given twice, a grid of more than [`MAX_POINTS`]
    /// points, and any value the scenario loader refuses (an unknown key, a
    /// wrong type, a value out of range) are errors naming the key and the
    /// fix; the point's values stand in the error's file name
    /// (`FILE with key=value`).
    pub fn load(path: &Path, varies: &[Vary], runs: Option<u32>) -> Result<Grid, SweepError> {
        let file = path.display().to_string();
        let input = |message: String| SweepError::Input {
            file: file.clone(),
            message,
        };
        for (i, v) in varies.iter().enumerate() {
            if varies[..i].iter().any(|w| w.key == v.key) {
                return Err(SweepError::Vary {
                    arg: format!("{}=...", v.key),
                    message: format!("`{}` is varied twice", v.key),
                    fix: "give each key one --vary with all its values".into(),
                });
            }
        }
        let count = varies
            .iter()
            .try_fold(1usize, |n, v| n.checked_mul(v.values.len()))
            .filter(|&n| n <= MAX_POINTS)
            .ok_or_else(|| SweepError::Vary {
                arg: varies
                    .iter()
                    .map(|v| v.key.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                message: format!("the grid has more than {MAX_POINTS} points"),
                fix: "vary fewer keys or fewer values".into(),
            })?;
        let text = scheduler::diagnostic::read_input(path)
            .map_err(|e| SweepError::Scenario(Box::new(e)))?;
        let base_dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        let table: toml::Table = if varies.is_empty() {
            toml::Table::new()
        } else {
            text.parse()
                .map_err(|e| input(format!("not valid TOML: {e}")))?
        };
        let mut points = Vec::with_capacity(count);
        for index in 0..count {
            let values = values_of(varies, index);
            let scenario = if values.is_empty() {
                crate::scenario::parse(&text, &file, &base_dir)
                    .map_err(|e| SweepError::Scenario(Box::new(e)))?
            } else {
                load_point(&table, &values, &file, &base_dir)?
            };
            points.push(GridPoint { values, scenario });
        }
        let runs = runs
            .or_else(|| points.first().map(|p| p.scenario.file.runs))
            .unwrap_or(1)
            .max(1);
        let id = SweepId {
            scenario: points
                .first()
                .map(|p| p.scenario.file.name.clone())
                .unwrap_or_default(),
            digest: format!("{:016x}", digest(&points)),
            runs,
            vary: varies
                .iter()
                .map(|v| VaryId {
                    key: v.key.clone(),
                    values: v.values.iter().map(json_of).collect(),
                })
                .collect(),
            points: points.len(),
            histogram: HistogramSpec::default(),
            sim_version: env!("CARGO_PKG_VERSION").to_owned(),
            format_version: FORMAT_VERSION,
        };
        Ok(Grid { points, runs, id })
    }

    /// Empty accumulators, one per point, in point order.
    pub fn accumulators(&self) -> Vec<PointAcc> {
        self.points.iter().map(PointAcc::for_point).collect()
    }
}

/// The values of point `index`: mixed radix over the value counts, the
/// first `--vary` the most significant digit.
fn values_of(varies: &[Vary], mut index: usize) -> Vec<(String, toml::Value)> {
    let mut values = vec![(String::new(), toml::Value::Boolean(false)); varies.len()];
    for (slot, v) in values.iter_mut().zip(varies).rev() {
        let n = v.values.len().max(1);
        if let Some(value) = v.values.get(index % n) {
            *slot = (v.key.clone(), value.clone());
        }
        index /= n;
    }
    values
}

/// The labels (`key=value ...`) of every point of a sweep, from its id.
pub fn labels(id: &SweepId) -> Vec<String> {
    let varies: Vec<Vary> = id
        .vary
        .iter()
        .map(|v| Vary {
            key: v.key.clone(),
            values: v
                .values
                .iter()
                .map(|j| toml_of(j).unwrap_or_else(|| toml::Value::String(j.to_string())))
                .collect(),
        })
        .collect();
    (0..id.points)
        .map(|i| label(&values_of(&varies, i)))
        .collect()
}

/// A TOML value as JSON (TOML dates become strings).
pub fn json_of(value: &toml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or_else(|_| serde_json::Value::String(value.to_string()))
}

fn toml_of(value: &serde_json::Value) -> Option<toml::Value> {
    serde_json::from_value(value.clone()).ok()
}

/// Sets `key` (dotted) to `value` in `table`, creating missing tables.
fn edit(table: &mut toml::Table, key: &str, value: toml::Value) -> Result<(), String> {
    let mut segments: Vec<&str> = key.split('.').collect();
    let last = segments.pop().unwrap_or_default();
    let mut at = table;
    let mut path = String::new();
    for segment in segments {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(segment);
        let next = at
            .entry(segment)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        at = match next {
            toml::Value::Table(t) => t,
            other => {
                return Err(format!(
                    "`{path}` is a value ({}) in the scenario, not a table, so it has no key `{key}`",
                    other.type_str()
                ));
            }
        };
    }
    at.insert(last.to_owned(), value);
    Ok(())
}

fn load_point(
    table: &toml::Table,
    values: &[(String, toml::Value)],
    file: &str,
    base_dir: &Path,
) -> Result<Scenario, SweepError> {
    let mut table = table.clone();
    for (key, value) in values {
        edit(&mut table, key, value.clone()).map_err(|message| SweepError::Vary {
            arg: format!("{key}={}", show(value)),
            message,
            fix: "name a key of the scenario file (see `georestore schema`), in dotted form".into(),
        })?;
    }
    let text = toml::to_string(&table).map_err(|e| SweepError::Input {
        file: file.to_owned(),
        message: format!("cannot write the edited scenario: {e}"),
    })?;
    let name = format!("{file} with {}", label(values));
    crate::scenario::parse(&text, &name, base_dir).map_err(|mut e| {
        // Lines would point into the edited text, not the file.
        e.line = None;
        e.column = None;
        SweepError::Scenario(Box::new(e))
    })
}

fn digest(points: &[GridPoint]) -> u64 {
    let mut h = HashWriter(Fnv1a::new());
    for p in points {
        feed_digest(&mut h, &p.scenario);
    }
    h.0.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../scenarios/{name}.toml"))
    }

    fn vary(arg: &str) -> Vary {
        Vary::parse(arg).expect("vary")
    }

    #[test]
    fn the_first_vary_varies_slowest_and_values_reach_the_scenario() {
        let grid = Grid::load(
            &scenario("saas-1k"),
            &[
                vary("strategy=wingtip,size-aware"),
                vary("model.pool_restore_slots=2..6:2"),
            ],
            Some(2),
        )
        .expect("grid");
        assert_eq!(grid.points.len(), 6);
        let got: Vec<(String, u32)> = grid
            .points
            .iter()
            .map(|p| {
                (
                    p.scenario.file.strategy.name.clone(),
                    p.scenario.file.model.pool_restore_slots,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("wingtip".into(), 2),
                ("wingtip".into(), 4),
                ("wingtip".into(), 6),
                ("size-aware".into(), 2),
                ("size-aware".into(), 4),
                ("size-aware".into(), 6)
            ]
        );
        assert_eq!(
            labels(&grid.id)[4],
            "strategy.name=size-aware model.pool_restore_slots=4"
        );
        assert_eq!(grid.points[4].label(), labels(&grid.id)[4]);
        // Other values of the file stay as they were.
        assert_eq!(grid.points[0].scenario.file.disaster.contention, 0.5);
    }

    #[test]
    fn the_digest_follows_the_scenario() {
        let a = Grid::load(&scenario("saas-1k"), &[], None).expect("grid");
        let b = Grid::load(
            &scenario("saas-1k"),
            &[vary("disaster.contention=0.5")],
            None,
        )
        .expect("grid");
        let c = Grid::load(
            &scenario("saas-1k"),
            &[vary("disaster.contention=0.6")],
            None,
        )
        .expect("grid");
        assert_eq!(a.id.digest, b.id.digest, "same values, same scenario");
        assert_ne!(b.id.digest, c.id.digest);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_the_loaders_errors() {
        let path = scenario("wingtip-demo");
        for (arg, needles) in [
            (
                "model.pool_restore_slotz=3",
                &["key `model.pool_restore_slotz`", "unknown field", "fix:"][..],
            ),
            (
                "model.pool_restore_slots=0",
                &[
                    "with model.pool_restore_slots=0",
                    "pool_restore_slots",
                    "fix:",
                ][..],
            ),
            (
                "model.pool_restore_slots=many",
                &["model.pool_restore_slots", "fix:"][..],
            ),
            (
                "strategy=fastest",
                &["unknown strategy `fastest`", "fix:"][..],
            ),
            (
                "seed.x=1",
                &[
                    "`seed` is a value (integer) in the scenario, not a table",
                    "fix:",
                ][..],
            ),
        ] {
            let e = Grid::load(&path, &[vary(arg)], None)
                .expect_err(arg)
                .to_string();
            for n in needles {
                assert!(e.contains(n), "{arg}: `{n}` not in {e}");
            }
        }
        let e = Grid::load(&path, &[vary("seed=1"), vary("seed=2")], None)
            .expect_err("twice")
            .to_string();
        assert!(e.contains("varied twice"), "{e}");
    }
}
