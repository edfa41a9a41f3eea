//! Full simulated recoveries of the shipped `saas-10k` and `saas-100k`
//! scenarios (scenario loaded once; each iteration builds the model and
//! scheduler and runs to the end).

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use sim::scenario::{Scenario, load};
use sim::simulate::simulate;

fn scenario(name: &str) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scenarios")
        .join(format!("{name}.toml"));
    match load(&path) {
        Ok(s) => s,
        Err(e) => panic!("{e}"),
    }
}

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
