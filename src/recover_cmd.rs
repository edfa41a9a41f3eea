//! `georestore recover` and `georestore cancel`: the real recovery, wired
//! from the command line (credentials, HTTPS client, journal, catalog,
//! signals, progress) to [`driver::recover::run`].

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use driver::catalog::{Catalog, ExecCatalog, SqliteCatalog};
use driver::credential::{AuthMethod, Authorizer, CredentialSettings};
use driver::executor::{Control, Progress, RunCounts, RunEnd};
use driver::journal::{OperatorRequest, default_path, request_operator};
use driver::recover::{Recovery, RecoveryEnd, nearest_rank};
use driver::transport::{ArmClient, Timeouts, https_client};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use scheduler::{Config, InFlightCaps, Notice, Scheduler};
use serde_json::json;
use tokio::sync::mpsc;

use crate::cli::{RecoverArgs, StatusArgs};
use crate::input::fleet_of;
use crate::plan_cmd::strategy;

/// The audience of ARM tokens, whatever the endpoint.
const ARM_SCOPE: &str = "https://management.azure.com/.default";

/// Logs on stderr, filtered by RUST_LOG (default `warn`).
fn init_logs(format: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    // Ignored if a subscriber is already set (tests).
    let _ = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

pub fn run(args: &RecoverArgs) -> Result<()> {
    init_logs(&args.log_format);
    let fleet = fleet_of(&args.fleet)?;
    let config = Config {
        in_flight: InFlightCaps {
            reads: Some(args.max_reads_in_flight),
            writes: Some(args.max_writes_in_flight),
            deletes: Some(args.max_writes_in_flight),
            catalog: None,
        },
        ..Config::default()
    };
    if args.dry_run {
        let options = scheduler::plan::PlanOptions::default();
        let run = scheduler::plan::dry_run(fleet, strategy(&args.strategy)?, config, options)?;
        print!(
            "{}",
            crate::plan_cmd::render(&run.scheduler, &run.commands, args.json)
        );
        return Ok(());
    }
    if args.time_scale > 1 && !is_loopback(&args.arm_endpoint) {
        bail!(
            "--time-scale {} is for the emulator on this machine; {} is not a loopback address",
            args.time_scale,
            args.arm_endpoint
        );
    }
    let method =
        AuthMethod::parse(&args.auth).with_context(|| format!("unknown --auth {}", args.auth))?;
    let http = https_client(args.ca_cert.as_deref(), Timeouts::default())?;
    let auth = Authorizer::new(
        method,
        CredentialSettings::from_env(),
        http.clone(),
        ARM_SCOPE.to_owned(),
    )?;
    let arm = ArmClient::new(http, &args.arm_endpoint, Arc::new(auth));
    let mut catalog = open_catalog(args, &fleet)?;
    let recovery = Recovery {
        fleet,
        fleet_path: args.fleet.clone(),
        strategy: args.strategy.clone(),
        config,
        arm,
        journal_path: journal_path(args.journal.as_deref(), &args.fleet),
        time_scale: args.time_scale,
        resume: args.resume,
    };
    let show = !args.json && !args.quiet && std::io::stderr().is_terminal();
    let mut progress = Bar::new(show);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let end = runtime.block_on(async {
        let (control, rx) = mpsc::channel(4);
        tokio::spawn(signals(control));
        driver::recover::run(recovery, catalog.as_mut(), &mut progress, rx).await
    });
    // Do not wait for a prompt still reading stdin.
    runtime.shutdown_background();
    let end = end?;
    progress.bar.finish_and_clear();
    report(&end, args.json)
}

/// Ctrl-C: on a terminal, asks whether to cancel the recovery or only
/// stop this process; otherwise (and on SIGTERM) stops, journal safe.
async fn signals(control: mpsc::Sender<Control>) {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    loop {
        #[cfg(unix)]
        let terminated = async {
            match term.as_mut() {
                Some(t) => t.recv().await,
                None => std::future::pending().await,
            }
        };
        #[cfg(not(unix))]
        let terminated = std::future::pending::<Option<()>>();
        let asked = tokio::select! {
            r = tokio::signal::ctrl_c() => match r {
                // A second Ctrl-C while asking stops the process.
                Ok(()) => tokio::select! {
                    a = ask() => a,
                    _ = tokio::signal::ctrl_c() => Control::Detach,
                },
                Err(_) => return,
            },
            _ = terminated => Control::Detach,
        };
        if control.send(asked).await.is_err() {
            return;
        }
    }
}

async fn ask() -> Control {
    if !std::io::stdin().is_terminal() {
        return Control::Detach;
    }
    eprintln!(
        "\ninterrupted: [c] cancel the recovery (tenants go back to the origin region), \
         [s] stop this process and resume later (default)?"
    );
    let answer = tokio::task::spawn_blocking(|| {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line).map(|_| line)
    })
    .await;
    match answer {
        Ok(Ok(line)) if line.trim().eq_ignore_ascii_case("c") => Control::Cancel,
        _ => Control::Detach,
    }
}

/// Whether `url`'s host is 127.0.0.1, ::1 or localhost.
fn is_loopback(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    let host = rest.split('/').next().unwrap_or_default();
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.rsplit_once(':').map_or(host, |(h, _)| h),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

fn journal_path(given: Option<&Path>, fleet: &Path) -> PathBuf {
    given.map_or_else(|| default_path(fleet), Path::to_path_buf)
}

fn open_catalog(args: &RecoverArgs, fleet: &scheduler::fleet::Fleet) -> Result<Box<dyn Catalog>> {
    let spec = args.catalog.clone().unwrap_or_else(|| {
        format!(
            "sqlite:{}",
            driver::catalog::default_path(&args.fleet).display()
        )
    });
    match spec.split_once(':') {
        Some(("sqlite", path)) => {
            // Seeding inserts missing tenants only (never changes a row),
            // so a catalog left empty by a crash while it was created is
            // filled, and a used one is kept as it is.
            let mut catalog = SqliteCatalog::open(Path::new(path))?;
            catalog.seed_from_fleet(fleet)?;
            Ok(Box::new(catalog))
        }
        Some(("exec", program)) if !program.is_empty() => {
            Ok(Box::new(ExecCatalog::new(program, Vec::new())))
        }
        _ => bail!("--catalog {spec}: give sqlite:PATH or exec:PROGRAM"),
    }
}

fn report(end: &RecoveryEnd, as_json: bool) -> Result<()> {
    let s = &end.status;
    let c: &RunCounts = &end.counts;
    let ended = match end.end {
        RunEnd::Finished(phase) => format!("{phase:?}").to_lowercase(),
        RunEnd::Detached => "stopped (resume with --resume)".to_owned(),
    };
    if as_json {
        let value = json!({
            "ended": ended,
            "resumed": end.resumed,
            "tenants": s.tenants,
            "online_in_recovery": s.online_in_recovery,
            "online_in_origin": s.online_in_origin,
            "failed": s.failed,
            "blocked": s.blocked,
            "requests": c.requests,
            "throttled": c.throttled,
            "transport_failures": c.transport_failures,
            "catalog_calls": c.catalog_calls,
            "peak_in_flight": c.peak_in_flight,
            "elapsed_ms": end.elapsed_ms,
            "makespan_ms": makespan_ms(end),
            "tiers": end.tier_online_ms.iter().map(|(name, times)| (name.clone(), json!({
                "online": times.len(),
                "p50_ms": nearest_rank(times, 0.5),
                "p95_ms": nearest_rank(times, 0.95),
                "max_ms": times.last(),
            }))).collect::<serde_json::Map<_, _>>(),
        });
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else {
        println!(
            "{ended}{}: {} of {} tenants online in the recovery region, {} in the origin region, {} failed",
            if end.resumed { " (resumed)" } else { "" },
            s.online_in_recovery,
            s.tenants,
            s.online_in_origin,
            s.failed
        );
        println!(
            "{} ARM requests ({} throttled, {} without an answer), {} catalog calls, {:.1} min",
            c.requests,
            c.throttled,
            c.transport_failures,
            c.catalog_calls,
            end.elapsed_ms as f64 / 60_000.0
        );
        for line in &s.blocked {
            println!("blocked: {line}");
        }
    }
    Ok(())
}

/// When the last tenant came online (scheduler time), if any did.
pub fn makespan_ms(end: &RecoveryEnd) -> Option<u64> {
    end.tier_online_ms
        .iter()
        .filter_map(|(_, times)| times.last().copied())
        .max()
}

/// `georestore cancel`: records the request in the journal; a running
/// recovery reads it within a second, a later `--resume` applies it.
pub fn cancel(args: &StatusArgs) -> Result<()> {
    let path = crate::status_cmd::journal_of(args)?;
    let record = request_operator(&path, OperatorRequest::Cancel)?;
    if args.json {
        println!("{}", json!({"requested": "cancel", "seq": record.seq}));
    } else {
        println!(
            "cancel requested in {}: a running recovery cancels within a second; \
             otherwise `georestore recover --resume` cancels",
            path.display()
        );
    }
    Ok(())
}

/// The progress line on stderr (hidden when not a terminal).
struct Bar {
    bar: ProgressBar,
    /// When the line was last redrawn ([`Scheduler::status`] is O(tenants)).
    drawn: Option<std::time::Instant>,
}

impl Bar {
    fn new(show: bool) -> Self {
        let bar = if show {
            ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} online (eta {eta}) {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Self { bar, drawn: None }
    }
}

impl Progress for Bar {
    fn notice(&mut self, _now_ms: u64, notice: &Notice, scheduler: &Scheduler) {
        if let Notice::TenantFailed { db, reason } = notice {
            let name = scheduler
                .estate()
                .database(*db)
                .map_or_else(|| format!("#{}", db.0), |d| d.name.clone());
            self.bar.println(format!("failed: {name}: {reason}"));
        }
        if let Notice::StepBlocked { what } = notice {
            self.bar.println(format!("blocked: {what}"));
        }
    }

    fn tick(&mut self, _now_ms: u64, scheduler: &Scheduler, counts: &RunCounts) {
        let due = self
            .drawn
            .is_none_or(|t| t.elapsed() >= std::time::Duration::from_millis(250));
        if self.bar.is_hidden() || !due {
            return;
        }
        self.drawn = Some(std::time::Instant::now());
        let s = scheduler.status();
        self.bar.set_length(s.tenants as u64);
        self.bar.set_position(s.online_in_recovery as u64);
        self.bar.set_message(format!(
            "| {:?} | {} restoring | {} failed | {} requests, {} throttled",
            s.phase, s.restores_in_flight, s.failed, counts.requests, counts.throttled
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::is_loopback;

    #[test]
    fn only_loopback_endpoints_are_loopback() {
        assert!(is_loopback("https://127.0.0.1:4443"));
        assert!(is_loopback("https://[::1]:4443/"));
        assert!(is_loopback("https://localhost:1"));
        assert!(!is_loopback("https://management.azure.com"));
        assert!(!is_loopback("https://10.0.0.1:443"));
        assert!(!is_loopback("https://127.0.0.1.evil.example"));
    }
}
