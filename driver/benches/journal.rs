//! Journal throughput on a real file: intents committed (fsync'd) one at a
//! time, in batches of 64 and 512, and the whole cycle of an operation
//! (intent in a batch of 64, its 202 with a status URL, finished).
//!
//! `cargo bench -p georestore-driver --bench journal`; the figures are
//! elements (records or operations) per second.

use std::path::{Path, PathBuf};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use driver::journal::{Journal, RunInfo};
use scheduler::arm::Response;
use scheduler::fleet::Fleet;
use scheduler::{Command, Config, Event, OpId, Scheduler, Work, strategy};

fn fleet_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/fleets/wingtip-demo.toml")
}

fn setup() -> (RunInfo, Vec<Command>) {
    let path = fleet_path();
    let text = std::fs::read_to_string(&path).expect("fleet");
    let fleet = Fleet::from_toml_str(&text, "wingtip-demo.toml").expect("valid");
    let run = RunInfo::for_fleet(&path, &fleet, "priority-pacing", "bench").expect("hash");
    let strategy = strategy::by_name("priority-pacing").expect("strategy");
    let mut s = Scheduler::new(fleet, strategy, Config::default(), 0);
    let mut commands = Vec::new();
    let mut now = 0;
    while !s.status().finished {
        while let Some(c) = s.poll_command() {
            s.handle(now, Event::Accepted { op: c.op })
                .expect("accepted");
            s.handle(now, Event::Succeeded { op: c.op })
                .expect("succeeded");
            commands.push(c);
        }
        match s.next_wakeup() {
            Some(at) => {
                now = now.max(at);
                s.handle(now, Event::Wakeup).expect("wakeup");
            }
            None => break,
        }
    }
    // ARM commands only: restores and the like, with their bodies.
    commands.retain(|c| matches!(c.work, Work::Arm(_)));
    (run, commands)
}

fn batch(templates: &[Command], next: &mut u64, size: usize) -> Vec<Command> {
    (0..size)
        .map(|_| {
            let mut c = templates[*next as usize % templates.len()].clone();
            c.op = OpId(*next);
            *next += 1;
            c
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let (run, templates) = setup();
    let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir");
    let mut group = c.benchmark_group("journal");
    group.sample_size(10);
    for size in [1usize, 64, 512] {
        let path = dir.path().join(format!("intents-{size}.sqlite"));
        let mut journal = Journal::open(&path, &run).expect("open");
        let mut next = 0;
        group.throughput(Throughput::Elements(size as u64));
        group.bench_with_input(
            BenchmarkId::new("intents_per_commit", size),
            &size,
            |b, &size| {
                b.iter(|| {
                    let commands = batch(&templates, &mut next, size);
                    journal.record_intents(&commands).expect("intents");
                });
            },
        );
    }
    let path = dir.path().join("cycle.sqlite");
    let mut journal = Journal::open(&path, &run).expect("open");
    let mut next = 0;
    let accepted = Response::from_wire(
        202,
        [
            (
                "Azure-AsyncOperation",
                "https://management.azure.com/subscriptions/s/providers/Microsoft.Sql/locations/westcentralus/databaseOperationResults/00000000-0000-0000-0000-000000000000?api-version=2023-08-01",
            ),
            ("Retry-After", "10"),
        ],
        "",
    );
    group.throughput(Throughput::Elements(64));
    group.bench_function("operation_cycle_batch_64", |b| {
        b.iter(|| {
            let commands = batch(&templates, &mut next, 64);
            journal.record_intents(&commands).expect("intents");
            for c in &commands {
                if let Work::Arm(request) = &c.work {
                    journal
                        .record_response(c.op, request, &accepted)
                        .expect("response");
                }
                journal.record_finished(c.op);
            }
        });
    });
    journal.flush().expect("flush");
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
