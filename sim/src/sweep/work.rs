//! Work items and shards. Item `i` of a sweep of `P` points × `N` seeds is
//! point `i / N` on seed offset `i % N` (the point's scenario seed plus the
//! offset). Shard `K/N'` takes the items with `i % N' == K`: every item in
//! exactly one shard, and each shard a mix of points (so shards take
//! similar times even when points differ in cost).

use serde::{Deserialize, Serialize};

use super::SweepError;

/// Most shards of one sweep.
pub const MAX_SHARDS: u32 = 1_000_000;

/// A slice `index` of `count` (0-based, like `$JOB_COMPLETION_INDEX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShardSpec {
    /// Which slice, `0..count`.
    pub index: u32,
    /// Number of slices, 1 to [`MAX_SHARDS`].
    pub count: u32,
}

impl ShardSpec {
    /// The whole sweep (shard 0 of 1).
    pub const ALL: ShardSpec = ShardSpec { index: 0, count: 1 };

    /// Parses `K/N` with `0 <= K < N <= MAX_SHARDS`.
    pub fn parse(arg: &str) -> Result<ShardSpec, SweepError> {
        let bad = |message: String| SweepError::Shard {
            arg: arg.to_owned(),
            message,
        };
        let (k, n) = arg
            .split_once('/')
            .ok_or_else(|| bad("no `/` between K and N".into()))?;
        let parse = |s: &str, what: &str| {
            s.trim()
                .parse::<u32>()
                .map_err(|_| bad(format!("{what} `{s}` is not a whole number")))
        };
        let (index, count) = (parse(k, "K")?, parse(n, "N")?);
        if count == 0 || count > MAX_SHARDS {
            return Err(bad(format!("N is {count}; use 1 to {MAX_SHARDS} shards")));
        }
        if index >= count {
            return Err(bad(format!("K is {index}, not below N = {count}")));
        }
        Ok(ShardSpec { index, count })
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One run to make: a grid point and a seed offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkItem {
    /// Grid point index.
    pub point: usize,
    /// Added to the point's scenario seed.
    pub seed_offset: u32,
}

/// The items of `shard` of a sweep of `points` × `runs`, in item order.
pub fn items(points: usize, runs: u32, shard: ShardSpec) -> Vec<WorkItem> {
    let runs = runs.max(1) as usize;
    let count = shard.count.max(1) as usize;
    (shard.index as usize..points * runs)
        .step_by(count)
        .map(|i| WorkItem {
            point: i / runs,
            seed_offset: (i % runs) as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_items() {
        let all = items(4, 3, ShardSpec::ALL);
        assert_eq!(all.len(), 12);
        assert_eq!(
            all[4],
            WorkItem {
                point: 1,
                seed_offset: 1
            }
        );
        let mut union: Vec<(usize, u32)> = (0..5)
            .flat_map(|k| items(4, 3, ShardSpec { index: k, count: 5 }))
            .map(|w| (w.point, w.seed_offset))
            .collect();
        union.sort_unstable();
        let mut expected: Vec<(usize, u32)> =
            all.iter().map(|w| (w.point, w.seed_offset)).collect();
        expected.sort_unstable();
        assert_eq!(union, expected);
        assert!(
            items(
                1,
                1,
                ShardSpec {
                    index: 3,
                    count: 1000
                }
            )
            .is_empty()
        );
    }

    #[test]
    fn shard_arguments() {
        assert_eq!(
            ShardSpec::parse("3/10").expect("ok"),
            ShardSpec {
                index: 3,
                count: 10
            }
        );
        for (arg, needle) in [
            ("3", "no `/`"),
            ("a/2", "not a whole number"),
            ("2/2", "not below N"),
            ("0/0", "use 1 to"),
            ("-1/2", "not a whole number"),
        ] {
            let e = ShardSpec::parse(arg).expect_err(arg).to_string();
            assert!(e.contains(needle) && e.contains("fix:"), "{arg}: {e}");
        }
    }
}
