//! Full simulated recoveries of the shipped `saas-10k` and `saas-100k`
//! scenarios (scenario loaded once; each iteration builds the model and
//! scheduler and runs to the end).

use criterion::{Criterion, criterion_group, criterion_main};
use sim::simulate::simulate;

#[path = "../tests/common/mod.rs"]
mod common;

use common::scenario;

fn recovery(c: &mut Criterion) {
    let mut group = c.benchmark_group("recovery");
    group.sample_size(10);
    for name in ["saas-10k", "saas-100k"] {
        let s = scenario(name);
        let strategy = s.file.strategy.name.clone();
        group.bench_function(name, |b| {
            b.iter(|| match simulate(&s, &strategy, s.file.seed) {
                Ok(sim) => sim.result.makespan_s,
                Err(e) => panic!("{e}"),
            })
        });
    }
    group.finish();
}

criterion_group!(benches, recovery);
criterion_main!(benches);
