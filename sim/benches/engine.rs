//! Engine throughput against a bare `BinaryHeap` loop on the same trivial
//! events (the goal: ratio >= 0.3), and the service model on a
//! 10,000-restore recovery.
//!
//! Run: `cargo bench -p georestore-sim --bench engine`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use sim::hold::{HoldWorkload, hold_bare_heap, hold_event_queue, median};
use sim::{ArmRequest, AzureModel, DbRef, ModelParams, Region};

/// The workload `georestore bench-gate` times too (sim/src/hold.rs).
const WORKLOAD: HoldWorkload = HoldWorkload::STANDARD;

/// Prints the throughput ratio EventQueue / bare heap, measured in one run
/// with the two loops interleaved (criterion reports each alone).
fn print_ratio() {
    let (mut ours, mut bare) = (Vec::new(), Vec::new());
    for _ in 0..21 {
        let start = std::time::Instant::now();
        black_box(hold_event_queue(black_box(WORKLOAD)));
        ours.push(start.elapsed().as_nanos());
        let start = std::time::Instant::now();
        black_box(hold_bare_heap(black_box(WORKLOAD)));
        bare.push(start.elapsed().as_nanos());
    }
    let (ours, bare) = (
        median(&mut ours).unwrap_or(0),
        median(&mut bare).unwrap_or(0),
    );
    println!(
        "engine throughput ratio (EventQueue / bare BinaryHeap, {} events, median of 21 interleaved runs): {:.2} ({ours} ns vs {bare} ns)",
        WORKLOAD.events,
        bare as f64 / ours.max(1) as f64
    );
}

fn engine(c: &mut Criterion) {
    print_ratio();
    let mut g = c.benchmark_group("engine_hold");
    g.throughput(Throughput::Elements(WORKLOAD.events));
    g.bench_function(BenchmarkId::new("event_queue", WORKLOAD.events), |b| {
        b.iter(|| black_box(hold_event_queue(black_box(WORKLOAD))))
    });
    g.bench_function(BenchmarkId::new("bare_binary_heap", WORKLOAD.events), |b| {
        b.iter(|| black_box(hold_bare_heap(black_box(WORKLOAD))))
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
