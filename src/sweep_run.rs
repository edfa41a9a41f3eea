//! Running a sweep's work items on every core (rayon): items are run in
//! batches, each batch collected by index and folded into the points'
//! accumulators in item order, so the result never depends on the number
//! of threads or on which finished first.

use anyhow::{Result, anyhow};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use sim::sweep::work::items;
use sim::sweep::{Grid, PointAcc, ShardSpec, SweepError, WorkItem, run_sample};

/// Runs `shard` of `grid`; a progress bar on stderr when `progress`.
pub fn run(grid: &Grid, shard: ShardSpec, progress: bool) -> Result<Vec<PointAcc>> {
    let work = items(grid.points.len(), grid.runs, shard);
    let bar = if progress {
        let bar =
            ProgressBar::with_draw_target(Some(work.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} runs, {per_sec}, eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let mut accs = grid.accumulators();
    // The batch size bounds memory (a batch's samples are held at once);
    // it does not change the result.
    let batch = rayon::current_num_threads().max(1) * 16;
    for chunk in work.chunks(batch) {
        let samples: Vec<_> = chunk
            .par_iter()
            .map(|item| {
                let sample = run_one(grid, item);
                bar.inc(1);
                sample
            })
            .collect();
        for (item, sample) in chunk.iter().zip(samples) {
            let acc = accs
                .get_mut(item.point)
                .ok_or_else(|| anyhow!("work item of point {} outside the grid", item.point))?;
            acc.add(&sample?);
        }
    }
    bar.finish_and_clear();
    Ok(accs)
}

fn run_one(grid: &Grid, item: &WorkItem) -> Result<sim::sweep::RunSample, SweepError> {
    let point = &grid.points[item.point];
    let seed = point
        .scenario
        .file
        .seed
        .wrapping_add(u64::from(item.seed_offset));
    run_sample(&point.scenario, seed).map_err(|source| SweepError::Run {
        point: item.point,
        values: point.label(),
        seed,
        source: Box::new(source),
    })
}
