//! ARM traffic per second grouped into buckets for the chart: the mean
//! rate, the busiest second and the 429s of each bucket, so that bursts
//! stay visible however long the run.

use crate::runner::ArmSecond;

/// Bucket widths the chart may use, seconds.
const WIDTHS: [usize; 14] = [
    1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200,
];

/// The narrowest width from a fixed list (1 s, 2 s, 5 s, ... 2 h, then
/// whole hours) that cuts `seconds` into at most `max_buckets` buckets.
pub fn bucket_width(seconds: usize, max_buckets: usize) -> usize {
    let max_buckets = max_buckets.max(1);
    WIDTHS
        .iter()
        .copied()
        .find(|&w| seconds.div_ceil(w) <= max_buckets)
        .unwrap_or_else(|| seconds.div_ceil(max_buckets).div_ceil(3600) * 3600)
}

/// One bucket of one request class.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ArmBucket {
    /// Start, seconds.
    pub start_s: f64,
    /// End, seconds.
    pub end_s: f64,
    /// Requests per second, averaged over the bucket.
    pub mean_per_s: f64,
    /// Requests in the bucket's busiest second.
    pub peak_per_s: u32,
    /// 429 answers in the bucket.
    pub throttled: u32,
    /// 429 answers in the bucket's second with the most of them.
    pub peak_throttled_per_s: u32,
}

/// Buckets of `width_s` seconds (at least 1) of class `class` (0 reads,
/// 1 writes, 2 deletes); the last bucket may be shorter.
pub fn arm_buckets(per_s: &[ArmSecond], class: usize, width_s: usize) -> Vec<ArmBucket> {
    per_s
        .chunks(width_s.max(1))
        .enumerate()
        .map(|(k, chunk)| {
            let requests = chunk
                .iter()
                .map(|s| s.requests.get(class).copied().unwrap_or(0));
            let throttled = chunk
                .iter()
                .map(|s| s.throttled.get(class).copied().unwrap_or(0));
            let start_s = (k * width_s.max(1)) as f64;
            ArmBucket {
                start_s,
                end_s: start_s + chunk.len() as f64,
                mean_per_s: requests.clone().map(f64::from).sum::<f64>() / chunk.len() as f64,
                peak_per_s: requests.max().unwrap_or(0),
                throttled: throttled.clone().sum(),
                peak_throttled_per_s: throttled.max().unwrap_or(0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn second(reads: u32, throttled: u32) -> ArmSecond {
        ArmSecond {
            requests: [reads, 0, 0],
            throttled: [throttled, 0, 0],
        }
    }

    #[test]
    fn a_burst_of_one_second_shows_as_the_buckets_peak() {
        let mut per_s = vec![second(1, 0); 120];
        per_s[70] = second(200, 3);
        let b = arm_buckets(&per_s, 0, 60);
        assert_eq!(b.len(), 2);
        assert_eq!(b[1].peak_per_s, 200);
        assert_eq!(b[0].peak_per_s, 1);
        assert_eq!(b[1].throttled, 3);
        assert!((b[1].mean_per_s - (59.0 + 200.0) / 60.0).abs() < 1e-9);
        assert_eq!(b[1].start_s, 60.0);
    }

    #[test]
    fn the_last_bucket_averages_over_its_own_seconds() {
        let per_s = vec![second(4, 0); 90];
        let b = arm_buckets(&per_s, 0, 60);
        assert_eq!(b[1].end_s, 90.0);
        assert!((b[1].mean_per_s - 4.0).abs() < 1e-9);
    }

    #[test]
    fn widths_keep_the_bucket_count_under_the_cap() {
        for seconds in [1, 59, 600, 3_601, 40_000, 400_000, 7_776_000] {
            let w = bucket_width(seconds, 400);
            assert!(seconds.div_ceil(w) <= 400, "{seconds} s in {w} s buckets");
            if let Some(narrower) = WIDTHS.iter().rev().find(|&&n| n < w) {
                assert!(
                    seconds.div_ceil(*narrower) > 400,
                    "{seconds}: {narrower} would do"
                );
            }
        }
    }
}
