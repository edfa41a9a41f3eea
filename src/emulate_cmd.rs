//! `georestore emulate`: serve a scenario's estate as an ARM-compatible
//! HTTP(S) server on loopback until Ctrl-C or SIGTERM.
//!
//! Standard output carries exactly one line, the base URL, once the
//! server is listening (and the CA file, with `--tls`, is written); what a
//! client needs besides (tenant, client id, CA file, admin token) goes to
//! standard error.

use std::time::Duration;

use anyhow::{Context, Result};
use emulator::{ClientCredential, Emulator, EmulatorConfig, IdentityConfig};

use crate::cli::EmulateArgs;

pub fn run(args: &EmulateArgs) -> Result<()> {
    let mut scenario = crate::input::scenario(&args.scenario)?;
    if let Some(seed) = args.seed {
        scenario.file.seed = seed;
    }
    let ca_file = args.tls.then(|| {
        args.ca_file
            .clone()
            .unwrap_or_else(|| std::env::temp_dir().join("georestore-emulator-ca.pem"))
    });
    let secret = args
        .client_secret
        .clone()
        .unwrap_or_else(|| emulator::config::DEFAULT_CLIENT_SECRET.to_owned());
    let config = EmulatorConfig {
        listen: args.listen,
        time_scale: args.time_scale,
        tls: args.tls,
        ca_file: ca_file.clone(),
        allow_remote: args.allow_remote,
        identity: IdentityConfig {
            tenant_id: args.tenant_id.clone(),
            clients: vec![ClientCredential {
                client_id: args.client_id.clone(),
                secret,
            }],
            ..IdentityConfig::default()
        },
        admin_token: args.admin_token.clone(),
        page_size: args.page_size,
        origin_back_at_ms: None,
        shutdown_grace: Duration::from_secs(10),
        faults: emulator::Faults::default(),
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async move {
        let emu = Emulator::from_scenario(&scenario, config).await?;
        if let Some(path) = &args.url_file {
            std::fs::write(path, format!("{}\n", emu.base_url()))
                .with_context(|| format!("writing the base URL to {}", path.display()))?;
        }
        println!("{}", emu.base_url());
        eprintln!(
            "georestore emulator: scenario {} ({} tenant databases on {} servers in {}, down; recovery region {}), time x{}",
            scenario.file.name,
            scenario.fleet.databases.len(),
            scenario.fleet.servers.len(),
            scenario.fleet.origin_region,
            scenario.fleet.recovery_region,
            args.time_scale
        );
        eprintln!("  ARM endpoint and authority host: {}", emu.base_url());
        eprintln!(
            "  subscription {}, tenant {}, client id {}",
            scenario.fleet.subscription,
            emu.tenant_id(),
            args.client_id
        );
        eprintln!("  token endpoint: {}", emu.token_url());
        if let Some(ca) = &ca_file {
            eprintln!("  CA certificate to trust: {}", ca.display());
        }
        if args.admin_token.is_none() {
            eprintln!("  admin token (/_emulator/*): {}", emu.admin_token());
        }
        eprintln!("  Ctrl-C or SIGTERM stops it.");
        wait_for_stop().await?;
        eprintln!("georestore emulator: stopping (answering requests in flight)");
        emu.shutdown().await;
        Ok(())
    })
}

/// Returns on Ctrl-C (SIGINT) or, on Unix, SIGTERM.
async fn wait_for_stop() -> Result<()> {
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .context("listening for SIGTERM")?;
        tokio::select! {
            r = tokio::signal::ctrl_c() => r.context("listening for Ctrl-C")?,
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    tokio::signal::ctrl_c()
        .await
        .context("listening for Ctrl-C")?;
    Ok(())
}
