//! Shard files: what `sweep --shard K/N` writes, versioned, with the
//! sweep's identity, so that [`merge_shards`] combines the shards of one
//! sweep and refuses anything else (shards of another sweep, a shard given
//! twice, a missing shard, a file that is not a shard) with the reason.

use serde::{Deserialize, Serialize};

use super::accumulate::{PointAcc, PointAccFile};
use super::grid::SweepId;
use super::result::SweepResult;
use super::work::ShardSpec;
use super::{FORMAT_VERSION, SweepError};

/// `format` of shard files.
pub const SHARD_FORMAT: &str = "georestore-sweep-shard";

/// A shard file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardFile {
    /// [`SHARD_FORMAT`].
    pub format: String,
    /// [`FORMAT_VERSION`] of the writer.
    pub version: u32,
    /// The sweep it is a slice of.
    pub sweep: SweepId,
    /// Which slice.
    pub shard: ShardSpec,
    /// Runs in this shard.
    pub runs: u64,
    /// Every point's accumulator over this shard's runs (all points, even
    /// those with no run here), in point order.
    pub points: Vec<PointAccFile>,
}

fn merge_error(message: String) -> SweepError {
    SweepError::Merge(message)
}

impl ShardFile {
    /// The shard file of `accs` (one per point of `id`).
    pub fn new(id: &SweepId, shard: ShardSpec, accs: &[PointAcc]) -> Result<ShardFile, SweepError> {
        Ok(ShardFile {
            format: SHARD_FORMAT.to_owned(),
            version: FORMAT_VERSION,
            sweep: id.clone(),
            shard,
            runs: accs.iter().map(|a| a.runs).sum(),
            points: accs
                .iter()
                .map(PointAcc::to_file)
                .collect::<Result<_, String>>()
                .map_err(merge_error)?,
        })
    }

    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Reads a shard file's text; `name` names it in errors.
    ///
    /// Contract: a file of another format, another version or another
    /// shape is an error saying which.
    pub fn parse(text: &str, name: &str) -> Result<ShardFile, SweepError> {
        let value: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| merge_error(format!("{name}: not JSON ({e}); give the files `georestore sweep --shard K/N --out FILE` wrote")))?;
        let format = value.get("format").and_then(|f| f.as_str()).unwrap_or("");
        if format != SHARD_FORMAT {
            let what = if format == super::result::RESULT_FORMAT {
                "a sweep result, not a shard (a result is already complete)".to_owned()
            } else {
                format!("not a sweep shard file (format `{format}`)")
            };
            return Err(merge_error(format!(
                "{name}: {what}; give the files `georestore sweep --shard K/N --out FILE` wrote"
            )));
        }
        let version = value.get("version").and_then(|v| v.as_u64());
        if version != Some(u64::from(FORMAT_VERSION)) {
            return Err(merge_error(format!(
                "{name}: shard format version {}, this georestore reads version {FORMAT_VERSION}; merge with the georestore that wrote the shards",
                version.map_or_else(|| "missing".to_owned(), |v| v.to_string())
            )));
        }
        serde_json::from_value(value).map_err(|e| {
            merge_error(format!("{name}: not a valid shard file ({e}); write it again with `georestore sweep --shard K/N --out FILE`"))
        })
    }
}

/// The first field in which two sweep ids differ, with both values.
fn difference(a: &SweepId, b: &SweepId) -> String {
    let show = |s: &str| format!("`{s}`");
    let fields: [(&str, String, String); 8] = [
        ("scenario", show(&a.scenario), show(&b.scenario)),
        (
            "digest (scenario and fleet contents)",
            show(&a.digest),
            show(&b.digest),
        ),
        ("runs", a.runs.to_string(), b.runs.to_string()),
        ("vary", json(&a.vary), json(&b.vary)),
        ("points", a.points.to_string(), b.points.to_string()),
        ("histogram layout", json(&a.histogram), json(&b.histogram)),
        ("sim version", show(&a.sim_version), show(&b.sim_version)),
        (
            "format version",
            a.format_version.to_string(),
            b.format_version.to_string(),
        ),
    ];
    fields.into_iter().find(|(_, x, y)| x != y).map_or_else(
        || "they differ".to_owned(),
        |(field, x, y)| format!("{field} {x} against {y}"),
    )
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_default()
}

/// Merges the shard files `files` (`(name, file)`) of one sweep into its
/// result.
///
/// Contract: the files must be every shard `0..N` of one sweep, each once;
/// otherwise an error names the files and what is wrong (another sweep:
/// the first differing field; a duplicate; the missing shards). The
/// result is byte-identical (as [`SweepResult::to_json`]) to the unsharded
/// sweep's.
pub fn merge_shards(files: &[(String, ShardFile)]) -> Result<SweepResult, SweepError> {
    let Some((first_name, first)) = files.first() else {
        return Err(merge_error("no shard files given".into()));
    };
    let count = first.shard.count;
    let mut by_index: Vec<Option<&str>> = vec![None; count as usize];
    for (name, f) in files {
        if f.sweep != first.sweep {
            return Err(merge_error(format!(
                "{name} is a shard of another sweep than {first_name}: {}; merge only the shards of one `georestore sweep` command",
                difference(&first.sweep, &f.sweep)
            )));
        }
        if f.shard.count != count {
            return Err(merge_error(format!(
                "{name} is shard {} but {first_name} is shard {}: the sweep was split in {} and in {} shards; merge the shards of one split",
                f.shard, first.shard, f.shard.count, count
            )));
        }
        let slot = by_index
            .get_mut(f.shard.index as usize)
            .ok_or_else(|| merge_error(format!("{name}: shard {} is out of range", f.shard)))?;
        if let Some(other) = slot {
            return Err(merge_error(format!(
                "{other} and {name} are both shard {}; give each shard once",
                f.shard
            )));
        }
        *slot = Some(name);
        if f.points.len() != f.sweep.points {
            return Err(merge_error(format!(
                "{name}: {} points, but the sweep has {}; write it again",
                f.points.len(),
                f.sweep.points
            )));
        }
    }
    let missing: Vec<String> = by_index
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(k, _)| k.to_string())
        .collect();
    if !missing.is_empty() {
        const SHOWN: usize = 10;
        let more = if missing.len() > SHOWN {
            format!(" and {} more", missing.len() - SHOWN)
        } else {
            String::new()
        };
        return Err(merge_error(format!(
            "missing {} of {count} shards: {}{more}; run them (georestore sweep ... --shard {}/{count}) and give every shard file",
            missing.len(),
            missing[..missing.len().min(SHOWN)].join(", "),
            missing[0]
        )));
    }
    let mut ordered: Vec<&(String, ShardFile)> = files.iter().collect();
    ordered.sort_by_key(|(_, f)| f.shard.index);
    let mut accs: Vec<PointAcc> = Vec::with_capacity(first.sweep.points);
    for p in 0..first.sweep.points {
        let mut acc: Option<PointAcc> = None;
        for (name, f) in &ordered {
            let err = |e: String| merge_error(format!("{name}: point {p}: {e}"));
            let point = f.points.get(p).ok_or_else(|| err("missing".into()))?;
            let part = PointAcc::from_file(point).map_err(err)?;
            match &mut acc {
                None => acc = Some(part),
                Some(a) => a.merge(&part).map_err(err)?,
            }
        }
        let acc = acc.ok_or_else(|| merge_error("no shard files given".into()))?;
        if acc.runs != u64::from(first.sweep.runs) {
            return Err(merge_error(format!(
                "point {p} has {} runs over all shards, not {}: a shard file was altered; write the shards again",
                acc.runs, first.sweep.runs
            )));
        }
        accs.push(acc);
    }
    SweepResult::from_accs(&first.sweep, &accs).map_err(merge_error)
}
