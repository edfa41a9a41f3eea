//! The engine's speed measured in-process: the hold workload of
//! `sim::hold` on the engine's `EventQueue` and on a bare `BinaryHeap`,
//! timed alternately, the ratio the median over the pairs. A ratio, not a
//! time, so that a slower or busier machine moves both sides alike.

use std::hint::black_box;
use std::time::Instant;

use serde::Serialize;
use sim::hold::{HoldWorkload, hold_bare_heap, hold_event_queue, median, median_ratio};

use super::baseline::SpeedWorkload;

/// Interleaved pairs per measurement (after one pair of warm-up).
pub const REPETITIONS: u32 = 15;

/// The workload as recorded in `engine-speed.json`.
pub fn workload() -> SpeedWorkload {
    let w = HoldWorkload::STANDARD;
    SpeedWorkload {
        events: w.events,
        pending: w.pending,
        repetitions: REPETITIONS,
    }
}

/// The build profile the floors are per: `debug` (debug assertions on,
/// e.g. `cargo run`, `cargo test`) or `release`.
pub fn profile() -> &'static str {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
}

/// One measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SpeedSample {
    /// Median of bare / engine over the pairs (higher: the engine is faster).
    pub ratio: f64,
    /// Median time of the engine's loop, ns.
    pub engine_ns: u128,
    /// Median time of the bare heap's loop, ns.
    pub bare_ns: u128,
}

/// Measurements `--update` takes; it records their median ratio, so one
/// unlucky measurement does not set the floor.
pub const UPDATE_MEASUREMENTS: usize = 5;

/// [`UPDATE_MEASUREMENTS`] measurements; the one with the median ratio.
pub fn measure_for_update() -> Option<SpeedSample> {
    let mut samples: Vec<SpeedSample> = (0..UPDATE_MEASUREMENTS)
        .filter_map(|_| measure(REPETITIONS))
        .collect();
    samples.sort_by(|a, b| a.ratio.total_cmp(&b.ratio));
    samples.get(samples.len() / 2).copied()
}

/// Times the two loops alternately, `repetitions` pairs after a warm-up
/// pair, and returns the median ratio (`None` if the clock gave no usable
/// pair).
pub fn measure(repetitions: u32) -> Option<SpeedSample> {
    let w = HoldWorkload::STANDARD;
    black_box(hold_event_queue(black_box(w)));
    black_box(hold_bare_heap(black_box(w)));
    let mut pairs = Vec::with_capacity(repetitions as usize);
    for _ in 0..repetitions {
        let start = Instant::now();
        black_box(hold_event_queue(black_box(w)));
        let ours = start.elapsed().as_nanos();
        let start = Instant::now();
        black_box(hold_bare_heap(black_box(w)));
        pairs.push((ours, start.elapsed().as_nanos()));
    }
    let ratio = median_ratio(&pairs)?;
    let mut ours: Vec<u128> = pairs.iter().map(|p| p.0).collect();
    let mut bare: Vec<u128> = pairs.iter().map(|p| p.1).collect();
    Some(SpeedSample {
        ratio,
        engine_ns: median(&mut ours)?,
        bare_ns: median(&mut bare)?,
    })
}
