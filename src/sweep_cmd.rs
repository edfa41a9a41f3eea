//! `georestore sweep`: a scenario over a grid of varied keys × seeds on
//! every core, or one shard of it; and `georestore merge`: the shards'
//! files into the result.

use std::path::Path;

use anyhow::{Context, Result, anyhow};
use sim::sweep::{Grid, ShardFile, ShardSpec, SweepResult, Vary, merge_shards};

use crate::sweep_cli::{MergeArgs, SweepArgs};

pub fn run(args: &SweepArgs) -> Result<()> {
    let varies = args
        .vary
        .iter()
        .map(|a| Vary::parse(a))
        .collect::<Result<Vec<_>, _>>()?;
    let shard = args.shard.as_deref().map(ShardSpec::parse).transpose()?;
    let grid = Grid::load(&args.scenario, &varies, args.runs)?;
    let progress = crate::progress::shown(args.quiet, args.json);
    let accs = crate::sweep_run::run(&grid, shard.unwrap_or(ShardSpec::ALL), progress)?;
    match shard {
        Some(spec) => {
            let file = ShardFile::new(&grid.id, spec, &accs)?;
            match &args.out {
                Some(path) => {
                    write_atomically(path, &file.to_json())?;
                    if !args.quiet {
                        println!(
                            "shard {spec}: {} runs of {} points x {} seeds written to {}",
                            file.runs,
                            grid.id.points,
                            grid.runs,
                            path.display()
                        );
                    }
                }
                None => print!("{}", file.to_json()),
            }
            Ok(())
        }
        None => {
            let result = SweepResult::from_accs(&grid.id, &accs).map_err(|e| anyhow!(e))?;
            emit(
                &result,
                args.json,
                args.out.as_deref(),
                args.report.as_deref(),
            )
        }
    }
}

pub fn merge(args: &MergeArgs) -> Result<()> {
    let mut files = Vec::with_capacity(args.files.len());
    for path in &args.files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(path).with_context(|| format!("reading {name}"))?;
        let file = ShardFile::parse(&text, &name)?;
        files.push((name, file));
    }
    let result = merge_shards(&files)?;
    emit(
        &result,
        args.json,
        args.out.as_deref(),
        args.report.as_deref(),
    )
}

/// Prints the result (JSON or tables), writes its JSON to `out` and its
/// report into `report`.
fn emit(result: &SweepResult, json: bool, out: Option<&Path>, report: Option<&Path>) -> Result<()> {
    let text = result.to_json();
    if let Some(path) = out {
        write_atomically(path, &text)?;
    }
    if let Some(dir) = report {
        sim::report::sweep::write(dir, result)
            .with_context(|| format!("writing the report into {}", dir.display()))?;
    }
    if json {
        print!("{text}");
    } else {
        print!("{}", crate::sweep_text::tables(result));
    }
    Ok(())
}

/// Writes `text` to `path` through a temporary file in the same directory
/// and a rename, so a reader (a merge over a shared volume) never sees
/// half a file.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".partial");
    std::fs::write(&tmp, text).with_context(|| format!("writing {}", Path::new(&tmp).display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}
