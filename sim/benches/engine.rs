//! Engine throughput against a bare `BinaryHeap` loop on the same trivial
//! events (the goal: ratio >= 0.3), and the service model on a
//! 10,000-restore recovery.
//!
//! Run: `cargo bench -p georestore-sim --bench engine`.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim::{ArmRequest, AzureModel, DbRef, EventQueue, ModelParams, Region};

/// Events processed per iteration.
const EVENTS: u64 = 100_000;
/// Events pending at any time (the "hold" model's population).
const PENDING: u64 = 1_000;

/// A fixed pseudo-random step (xorshift), so both loops see the same times.
fn next_delta(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state % 10_000
}

fn hold_event_queue() -> u64 {
    let mut q: EventQueue<u32> = EventQueue::with_capacity(PENDING as usize + 1);
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    for i in 0..PENDING {
        q.push(next_delta(&mut rng), i as u32);
    }
    let mut checksum = 0u64;
    for _ in 0..EVENTS {
        if let Some((t, e)) = q.pop() {
            checksum = checksum.wrapping_add(t ^ u64::from(e));
            q.push(t + next_delta(&mut rng), e);
        }
    }
    checksum
}

fn hold_bare_heap() -> u64 {
    let mut q: BinaryHeap<Reverse<(u64, u64)>> = BinaryHeap::with_capacity(PENDING as usize + 1);
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut seq = 0u64;
    for _ in 0..PENDING {
        q.push(Reverse((next_delta(&mut rng), seq)));
        seq += 1;
    }
    let mut checksum = 0u64;
    for _ in 0..EVENTS {
        if let Some(Reverse((t, s))) = q.pop() {
            checksum = checksum.wrapping_add(t ^ s);
            q.push(Reverse((t + next_delta(&mut rng), seq)));
            seq += 1;
        }
    }
    checksum
}

/// The median of wall-time samples, in ns.
fn median_ns(samples: &mut [u128]) -> u128 {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// Prints the throughput ratio EventQueue / bare heap, measured in one run
/// with the two loops interleaved (criterion reports each alone).
fn print_ratio() {
    let (mut ours, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..21 {
        let start = std::time::Instant::now();
        black_box(hold_event_queue());
        ours.push(start.elapsed().as_nanos());
        let start = std::time::Instant::now();
        black_box(hold_bare_heap());
        bare.push(start.elapsed().as_nanos());
    }
    let (ours, bare) = (median_ns(&mut ours), median_ns(&mut bare));
    println!(
        "engine throughput ratio (EventQueue / bare BinaryHeap, {EVENTS} events, median of 21 interleaved runs): {:.2} ({ours} ns vs {bare} ns)",
        bare as f64 / ours.max(1) as f64
    );
}

fn engine(c: &mut Criterion) {
    print_ratio();
    let mut g = c.benchmark_group("engine_hold");
    g.throughput(Throughput::Elements(EVENTS));
    g.bench_function(BenchmarkId::new("event_queue", EVENTS), |b| {
        b.iter(|| black_box(hold_event_queue()))
    });
    g.bench_function(BenchmarkId::new("bare_binary_heap", EVENTS), |b| {
        b.iter(|| black_box(hold_bare_heap()))
    });
    g.finish();
}

/// Submits `tenants` restores over `pools` pools and runs to completion.
fn recovery(tenants: usize, pools: usize) -> usize {
    let params = ModelParams {
        arm_writes: sim::BucketParams {
            capacity: 1_000_000,
            refill_per_s: 10,
        },
        ..ModelParams::default()
    };
    let Ok(mut m) = AzureModel::new(params, 1, 0.5) else {
        return 0;
    };
    let servers = pools.div_ceil(50);
    for s in 0..servers {
        m.submit(
            0,
            ArmRequest::CreateServer {
                server: format!("r{s}").into(),
                region: Region::Recovery,
            },
        );
    }
    let mut events = Vec::new();
    m.advance_until_idle(&mut events);
    let now = m.now_ms();
    for p in 0..pools {
        m.submit(
            now,
            ArmRequest::CreateElasticPool {
                server: format!("r{}", p % servers).into(),
                pool: format!("p{p}").into(),
            },
        );
    }
    m.advance_until_idle(&mut events);
    let now = m.now_ms();
    for t in 0..tenants {
        let _ = m.add_recoverable_database("origin", &format!("t{t}"), 2.0);
        let p = t % pools;
        m.submit(
            now,
            ArmRequest::RestoreDatabase {
                server: format!("r{}", p % servers).into(),
                name: format!("t{t}").into(),
                pool: Some(format!("p{p}").into()),
                source: DbRef {
                    server: "origin".into(),
                    name: format!("t{t}").into(),
                },
            },
        );
    }
    m.advance_until_idle(&mut events);
    events.len()
}

fn model(c: &mut Criterion) {
    let mut g = c.benchmark_group("model");
    g.sample_size(10);
    g.bench_function("recovery_10k_restores_200_pools", |b| {
        b.iter(|| black_box(recovery(10_000, 200)))
    });
    g.finish();
}

criterion_group!(benches, engine, model);
criterion_main!(benches);
