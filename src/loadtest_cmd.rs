//! `georestore loadtest`: the real driver (a child `georestore recover`
//! process, HTTPS, azure_identity tokens, journal, catalog) against the
//! emulator serving the scenario's estate, on the same scaled clock; then
//! the same scenario's simulator prediction side by side.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use emulator::{Emulator, EmulatorConfig};
use serde_json::{Value, json};

use crate::cli::LoadtestArgs;
use crate::loadtest_window::{self, window_json};

/// What the child driver process used, from `getrusage(RUSAGE_CHILDREN)`.
#[derive(Debug, Clone, Copy, Default)]
struct ChildUsage {
    max_rss_kib: u64,
    cpu_s: f64,
}

#[cfg(unix)]
fn child_usage() -> ChildUsage {
    // SAFETY: getrusage only writes the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    if rc != 0 {
        return ChildUsage::default();
    }
    let secs = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    ChildUsage {
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        cpu_s: secs(usage.ru_utime) + secs(usage.ru_stime),
    }
}

#[cfg(not(unix))]
fn child_usage() -> ChildUsage {
    ChildUsage::default()
}

pub fn run(args: &LoadtestArgs) -> Result<()> {
    let scenario = crate::input::scenario(&args.scenario)?;
    let strategy = args
        .strategy
        .clone()
        .unwrap_or_else(|| scenario.file.strategy.name.clone());
    let seed = scenario.file.seed;
    let predicted =
        sim::simulate::simulate(&scenario, &strategy, seed).context("simulating the prediction")?;

    let dir = scratch_dir()?;
    let ca = dir.join("ca.pem");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let (output, state, wall_s) = runtime.block_on(async {
        let config = EmulatorConfig {
            tls: true,
            ca_file: Some(ca.clone()),
            time_scale: f64::from(args.time_scale),
            ..EmulatorConfig::default()
        };
        let emulator = Emulator::from_scenario(&scenario, config).await?;
        let mut cmd = driver_command(args, &strategy, &emulator, &dir, &ca)?;
        let started = std::time::Instant::now();
        let output = tokio::task::spawn_blocking(move || cmd.output())
            .await
            .context("waiting for the driver")?
            .context("running the driver")?;
        let wall_s = started.elapsed().as_secs_f64();
        let state = emulator_state(&emulator, &ca).await?;
        emulator.shutdown().await;
        anyhow::Ok((output, state, wall_s))
    })?;
    let usage = child_usage();
    let _ = std::fs::remove_dir_all(&dir);
    if !output.status.success() {
        bail!(
            "the driver failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let driven: Value = serde_json::from_slice(&output.stdout).with_context(|| {
        format!(
            "reading the driver's JSON: {}",
            String::from_utf8_lossy(&output.stdout)
        )
    })?;
    let run = Run {
        usage,
        wall_s,
        time_scale: args.time_scale,
        arm_writes: scenario.file.model.arm_writes,
    };
    let report = compare(&driven, &state, &predicted, &run);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{}", table(&report, &scenario.file.name, &strategy));
    }
    Ok(())
}

fn scratch_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("georestore-loadtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    Ok(dir)
}

fn driver_command(
    args: &LoadtestArgs,
    strategy: &str,
    emulator: &Emulator,
    dir: &Path,
    ca: &Path,
) -> Result<Command> {
    let exe = std::env::current_exe().context("finding the georestore binary")?;
    let mut cmd = Command::new(exe);
    cmd.arg("recover")
        .arg(&args.scenario)
        .args(["--strategy", strategy])
        .args(["--arm-endpoint", emulator.base_url()])
        .arg("--ca-cert")
        .arg(ca)
        .args(["--auth", "client-secret"])
        .args(["--time-scale", &args.time_scale.to_string()])
        .arg("--journal")
        .arg(dir.join("journal.sqlite"))
        .arg("--catalog")
        .arg(format!("sqlite:{}", dir.join("catalog.sqlite").display()))
        .arg("--json")
        .env("AZURE_TENANT_ID", emulator.tenant_id())
        .env("AZURE_CLIENT_ID", emulator::config::DEFAULT_CLIENT_ID)
        .env(
            "AZURE_CLIENT_SECRET",
            emulator::config::DEFAULT_CLIENT_SECRET,
        )
        .env("AZURE_AUTHORITY_HOST", emulator.base_url())
        .stdin(Stdio::null());
    Ok(cmd)
}

async fn emulator_state(emulator: &Emulator, ca: &Path) -> Result<Value> {
    let pem = std::fs::read(ca).with_context(|| format!("reading {}", ca.display()))?;
    let certs = reqwest::Certificate::from_pem_bundle(&pem)?;
    let http = reqwest::Client::builder().tls_certs_merge(certs).build()?;
    let text = http
        .get(format!(
            "{}/_emulator/state?databases=false",
            emulator.base_url()
        ))
        .bearer_auth(emulator.admin_token())
        .send()
        .await?
        .text()
        .await?;
    Ok(serde_json::from_str(&text)?)
}

fn hours(ms: Option<u64>) -> Option<f64> {
    ms.map(|ms| ms as f64 / 3_600_000.0)
}

/// What the comparison needs to know about the run besides the results.
struct Run {
    usage: ChildUsage,
    wall_s: f64,
    time_scale: u32,
    /// The scenario's ARM write bucket (the emulator's and the simulator's).
    arm_writes: sim::BucketParams,
}

fn share(part: u64, whole: u64) -> f64 {
    if whole > 0 {
        part as f64 / whole as f64
    } else {
        0.0
    }
}

fn compare(
    driven: &Value,
    state: &Value,
    simulation: &sim::simulate::Simulation,
    run: &Run,
) -> Value {
    let Run {
        usage,
        wall_s,
        time_scale,
        arm_writes,
    } = *run;
    let predicted = &simulation.result;
    let makespan_ms = driven["makespan_ms"].as_u64();
    let model = &state["model"];
    let requests = ["reads", "writes", "deletes"]
        .iter()
        .map(|k| model["requests"][k].as_u64().unwrap_or(0))
        .sum::<u64>();
    let throttled = ["reads", "writes", "deletes"]
        .iter()
        .map(|k| model["throttled"][k].as_u64().unwrap_or(0))
        .sum::<u64>();
    let model_s = makespan_ms.unwrap_or(0) as f64 / 1000.0;
    let tiers: Vec<Value> = predicted
        .tier_names
        .iter()
        .map(|name| {
            let sim_p95 = predicted.tiers.get(name).and_then(|t| t.p95_s);
            let drv_p95 = driven["tiers"][name]["p95_ms"].as_u64();
            json!({
                "tier": name,
                "driver_p95_h": hours(drv_p95),
                "simulator_p95_h": sim_p95.map(|s| s / 3600.0),
            })
        })
        .collect();
    json!({
        "time_scale": time_scale,
        "wall_s": wall_s,
        "driver": {
            "ended": driven["ended"],
            "online_in_recovery": driven["online_in_recovery"],
            "failed": driven["failed"],
            "makespan_h": hours(makespan_ms),
            "requests": requests,
            "throttled": throttled,
            "throttled_share": share(throttled, requests),
            "requests_per_model_s": if model_s > 0.0 { requests as f64 / model_s } else { 0.0 },
            "requests_per_real_s": if wall_s > 0.0 { requests as f64 / wall_s } else { 0.0 },
            "transport_failures": driven["transport_failures"],
            "peak_rss_mib": usage.max_rss_kib as f64 / 1024.0,
            "cpu_s": usage.cpu_s,
            "submission": window_json(loadtest_window::from_state(state), arm_writes),
        },
        "simulator": {
            "makespan_h": predicted.makespan_s / 3600.0,
            "requests": predicted.arm.requests,
            "throttled": predicted.arm.throttled,
            "throttled_share": share(predicted.arm.throttled, predicted.arm.requests),
            "failed": predicted.failed_tenants,
            "submission": window_json(simulation.submission, arm_writes),
        },
        "tiers": tiers,
        "arm_writes": {"capacity": arm_writes.capacity, "refill_per_s": arm_writes.refill_per_s},
    })
}

/// Width of the table's label column.
const LABEL: usize = 38;

fn row(label: &str, driver: &str, simulator: &str, diff: &str) -> String {
    format!("{label:<LABEL$} {driver:>15} {simulator:>14} {diff:>10}")
        .trim_end()
        .to_owned()
        + "\n"
}

fn table(report: &Value, scenario: &str, strategy: &str) -> String {
    let d = &report["driver"];
    let s = &report["simulator"];
    let num = |v: &Value| v.as_f64().map_or("-".to_owned(), |x| format!("{x:.2}"));
    let int = |v: &Value| v.as_u64().map_or("-".to_owned(), |x| x.to_string());
    let pct = |v: &Value, digits: usize| {
        v.as_f64()
            .map_or("-".to_owned(), |x| format!("{:.digits$} %", x * 100.0))
    };
    let diff = |a: &Value, b: &Value| match (a.as_f64(), b.as_f64()) {
        (Some(a), Some(b)) if b != 0.0 => format!("{:+.1} %", (a - b) / b * 100.0),
        _ => "-".to_owned(),
    };
    let mut out = format!(
        "loadtest {scenario} | strategy {strategy} | time scale {}x | {:.1} s wall\n\n",
        report["time_scale"],
        report["wall_s"].as_f64().unwrap_or(0.0)
    );
    out.push_str(&row("", "driver+emulator", "simulator", "diff"));
    out.push_str(&row(
        "makespan (h)",
        &num(&d["makespan_h"]),
        &num(&s["makespan_h"]),
        &diff(&d["makespan_h"], &s["makespan_h"]),
    ));
    for t in report["tiers"].as_array().into_iter().flatten() {
        out.push_str(&row(
            &format!("{} p95 (h)", t["tier"].as_str().unwrap_or("?")),
            &num(&t["driver_p95_h"]),
            &num(&t["simulator_p95_h"]),
            &diff(&t["driver_p95_h"], &t["simulator_p95_h"]),
        ));
    }
    out.push_str(&row(
        "ARM requests",
        &int(&d["requests"]),
        &int(&s["requests"]),
        &diff(&d["requests"], &s["requests"]),
    ));
    out.push_str(&row(
        "429s",
        &int(&d["throttled"]),
        &int(&s["throttled"]),
        "",
    ));
    out.push_str(&row(
        "429s, share of requests",
        &pct(&d["throttled_share"], 2),
        &pct(&s["throttled_share"], 2),
        "",
    ));
    out.push_str(&row(
        "failed tenants",
        &int(&d["failed"]),
        &int(&s["failed"]),
        "",
    ));
    let (dw, sw) = (&d["submission"], &s["submission"]);
    let bucket = &report["arm_writes"];
    out.push_str(&row(
        "restore PUTs",
        &int(&dw["restore_puts"]),
        &int(&sw["restore_puts"]),
        &diff(&dw["restore_puts"], &sw["restore_puts"]),
    ));
    out.push_str(&row(
        "first to last restore PUT (h)",
        &num(&dw["window_h"]),
        &num(&sw["window_h"]),
        &diff(&dw["window_h"], &sw["window_h"]),
    ));
    out.push_str(&row(
        "ARM writes in that window",
        &int(&dw["writes"]),
        &int(&sw["writes"]),
        &diff(&dw["writes"], &sw["writes"]),
    ));
    out.push_str(&row(
        "writes/s while restores are submitted",
        &num(&dw["writes_per_s"]),
        &num(&sw["writes_per_s"]),
        &diff(&dw["writes_per_s"], &sw["writes_per_s"]),
    ));
    out.push_str(&row(
        &format!("share of refill rate ({}/s)", int(&bucket["refill_per_s"])),
        &pct(&dw["share_of_refill"], 1),
        &pct(&sw["share_of_refill"], 1),
        "",
    ));
    out.push_str(&row(
        &format!("same, past the first {} tokens", int(&bucket["capacity"])),
        &pct(&dw["share_beyond_capacity"], 1),
        &pct(&sw["share_beyond_capacity"], 1),
        "",
    ));
    out.push_str(&format!(
        "\ndriver: {} online, {} requests/s (model time), {} requests/s (real), {} without answer, peak RSS {} MiB, CPU {} s\n",
        int(&d["online_in_recovery"]),
        num(&d["requests_per_model_s"]),
        num(&d["requests_per_real_s"]),
        int(&d["transport_failures"]),
        num(&d["peak_rss_mib"]),
        num(&d["cpu_s"]),
    ));
    out
}
