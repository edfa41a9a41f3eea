//! The engine-speed workload: the "hold" model (a fixed population of
//! pending events; each pop schedules one later event) run once on
//! [`EventQueue`] and once on a bare [`BinaryHeap`] of `(time, sequence)`
//! pairs, with the same pseudo-random times.
//!
//! The two loops do the same work apart from the queue, so the ratio of
//! their run times is the engine's overhead over the cheapest possible
//! event loop. Callers time them (this crate keeps no clock):
//! `sim/benches/engine.rs` under criterion, and `georestore bench-gate`
//! against the floor in `reports/baseline/engine-speed.json`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::EventQueue;

/// The size of one run of either loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldWorkload {
    /// Events popped (and as many pushed) per run.
    pub events: u64,
    /// Events pending at any time (the hold model's population).
    pub pending: u64,
}

impl HoldWorkload {
    /// The workload of the engine bench and of `bench-gate`: 100,000
    /// events over 1,000 pending.
    pub const STANDARD: HoldWorkload = HoldWorkload {
        events: 100_000,
        pending: 1_000,
    };
}

/// A fixed pseudo-random step (xorshift), so both loops see the same times.
fn next_delta(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % 10_000
}

/// The xorshift seed both loops start from.
const SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// Runs the hold model on [`EventQueue`]; returns the sum of the popped
/// times (equal to [`hold_bare_heap`]'s for the same workload: both pop
/// the same times in the same order, and neither loop can be optimized
/// away).
pub fn hold_event_queue(w: HoldWorkload) -> u64 {
    let mut q: EventQueue<u32> = EventQueue::with_capacity(w.pending as usize + 1);
    let mut rng = SEED;
    for i in 0..w.pending {
        q.push(next_delta(&mut rng), i as u32);
    }
    let mut checksum = 0u64;
    for _ in 0..w.events {
        if let Some((t, e)) = q.pop() {
            checksum = checksum.wrapping_add(t);
            q.push(t + next_delta(&mut rng), e);
        }
    }
    checksum
}

/// Runs the hold model on a bare `BinaryHeap<Reverse<(time, sequence)>>`;
/// returns the same checksum as [`hold_event_queue`].
pub fn hold_bare_heap(w: HoldWorkload) -> u64 {
    let mut q: BinaryHeap<Reverse<(u64, u64)>> = BinaryHeap::with_capacity(w.pending as usize + 1);
    let mut rng = SEED;
    let mut seq = 0u64;
    for _ in 0..w.pending {
        q.push(Reverse((next_delta(&mut rng), seq)));
        seq += 1;
    }
    let mut checksum = 0u64;
    for _ in 0..w.events {
        if let Some(Reverse((t, _))) = q.pop() {
            checksum = checksum.wrapping_add(t);
            q.push(Reverse((t + next_delta(&mut rng), seq)));
            seq += 1;
        }
    }
    checksum
}

/// The median of `samples` (the upper one for an even count); `None` when
/// there are none.
pub fn median(samples: &mut [u128]) -> Option<u128> {
    samples.sort_unstable();
    samples.get(samples.len() / 2).copied()
}

/// The engine's speed relative to the bare heap from interleaved timings:
/// the median over repetitions of `bare / ours` (each pair timed back to
/// back, so a burst of load from elsewhere hits both sides of a pair);
/// above 1 the engine is faster. `None` without a usable pair (no pairs,
/// or a zero time).
pub fn median_ratio(pairs: &[(u128, u128)]) -> Option<f64> {
    let mut ratios: Vec<f64> = pairs
        .iter()
        .filter(|&&(ours, bare)| ours > 0 && bare > 0)
        .map(|&(ours, bare)| bare as f64 / ours as f64)
        .collect();
    ratios.sort_by(f64::total_cmp);
    ratios.get(ratios.len() / 2).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_loops_pop_the_same_events() {
        let w = HoldWorkload {
            events: 5_000,
            pending: 100,
        };
        assert_eq!(hold_event_queue(w), hold_bare_heap(w));
        assert_ne!(hold_event_queue(w), 0);
    }

    #[test]
    fn the_median_is_the_middle_sample() {
        assert_eq!(median(&mut [5, 1, 3]), Some(3));
        assert_eq!(median(&mut []), None);
    }

    #[test]
    fn the_ratio_is_the_median_of_the_pairs() {
        // bare / ours: 2.0, 0.5, 1.0 (and a pair with a zero time skipped).
        let pairs = [(10, 20), (20, 10), (10, 10), (0, 5)];
        assert_eq!(median_ratio(&pairs), Some(1.0));
        assert_eq!(median_ratio(&[]), None);
    }
}
