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
    let mut accs = grid.accumulators();
    in_batches(
        &work,
        progress,
        |item| run_one(grid, item),
        |item, sample| {
            let acc = accs
                .get_mut(item.point)
                .ok_or_else(|| anyhow!("work item of point {} outside the grid", item.point))?;
            acc.add(&sample?);
            Ok(())
        },
    )?;
    Ok(accs)
}

/// Runs `run` on every item on every core (rayon), in batches, and hands
/// each result to `fold` in item order (whatever the number of threads or
/// the order runs finish in); a progress bar of runs on stderr when
/// `progress`. The batch size bounds how many results are held at once;
/// it does not change what `fold` sees. Stops at `fold`'s first error.
pub fn in_batches<T: Sync, R: Send>(
    items: &[T],
    progress: bool,
    run: impl Fn(&T) -> R + Sync,
    mut fold: impl FnMut(&T, R) -> Result<()>,
) -> Result<()> {
    let bar = if progress {
        let bar =
            ProgressBar::with_draw_target(Some(items.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template(
            "{elapsed_precise} [{bar:40}] {pos}/{len} runs, {per_sec}, eta {eta}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar
    } else {
        ProgressBar::hidden()
    };
    let batch = rayon::current_num_threads().max(1) * 16;
    for chunk in items.chunks(batch) {
        let results: Vec<R> = chunk
            .par_iter()
            .map(|item| {
                let result = run(item);
                bar.inc(1);
                result
            })
            .collect();
        for (item, result) in chunk.iter().zip(results) {
            fold(item, result)?;
        }
    }
    bar.finish_and_clear();
    Ok(())
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
