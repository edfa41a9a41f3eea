//! Load: simple GETs per second the emulator sustains on loopback with the
//! 100,000-tenant scenario loaded, and the process's memory. Ignored in
//! the normal suite (it runs ~10 s and wants a release build):
//!
//! ```sh
//! cargo test -p georestore-emulator --release --test load -- --ignored --nocapture
//! # over HTTPS:
//! LOAD_TLS=1 cargo test -p georestore-emulator --release --test load -- --ignored --nocapture
//! ```
//!
//! Bounded: `DURATION` of load from `CONNECTIONS` keep-alive connections,
//! then the emulator shuts down. The client shares the process and the
//! cores, so the figure is what one machine does with both.

mod common;

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use common::*;
use emulator::{Emulator, EmulatorConfig};

const DURATION: Duration = Duration::from_secs(8);
const CONNECTIONS: usize = 32;

fn status_kib(field: &str) -> u64 {
    let text = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    text.lines()
        .find(|l| l.starts_with(field))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "load test: run with --release --ignored --nocapture"]
async fn simple_gets_per_second_with_saas_100k() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/saas-100k.toml");
    let scenario = sim::scenario::load(&path).expect("saas-100k loads");
    let before = status_kib("VmRSS:");
    let t = Instant::now();
    let tls = std::env::var_os("LOAD_TLS").is_some();
    let config = EmulatorConfig {
        // The read bucket refills 25/s of model time: scaled so that it
        // never runs dry (the load measures serving, not throttling).
        time_scale: 10_000.0,
        tls,
        origin_back_at_ms: Some(0),
        ..EmulatorConfig::default()
    };
    let emu = Emulator::from_scenario(&scenario, config)
        .await
        .expect("starts");
    let seeded = status_kib("VmRSS:");
    println!(
        "seeded {} databases in {:.2} s; RSS {} MiB before, {} MiB after",
        scenario.fleet.databases.len(),
        t.elapsed().as_secs_f64(),
        before / 1024,
        seeded / 1024
    );
    let http = http_client(emu.ca_pem());
    let token = Arc::new(token(&http, &emu, ARM_SCOPE).await);
    let fleet = &scenario.fleet;
    let urls: Arc<Vec<String>> = Arc::new(
        fleet
            .databases
            .iter()
            .map(|db| {
                format!(
                    "{}/subscriptions/{}/resourceGroups/{}/providers/Microsoft.Sql/servers/{}/databases/{}?api-version={SQL}",
                    emu.base_url(),
                    fleet.subscription,
                    fleet.resource_groups.origin,
                    fleet.servers[db.server.0 as usize].name,
                    db.name
                )
            })
            .collect(),
    );
    let ok = Arc::new(AtomicU64::new(0));
    let other = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + DURATION;
    let mut tasks = Vec::new();
    for k in 0..CONNECTIONS {
        let (http, token, urls, ok, other) = (
            http.clone(),
            Arc::clone(&token),
            Arc::clone(&urls),
            Arc::clone(&ok),
            Arc::clone(&other),
        );
        tasks.push(tokio::spawn(async move {
            let mut i = k * 7919;
            while Instant::now() < deadline {
                let url = &urls[i % urls.len()];
                i += CONNECTIONS;
                match http.get(url).bearer_auth(token.as_str()).send().await {
                    Ok(r) if r.status() == 200 => {
                        let _ = r.bytes().await;
                        ok.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => {
                        other.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        }));
    }
    let started = Instant::now();
    for t in tasks {
        t.await.expect("client task");
    }
    let secs = started.elapsed().as_secs_f64();
    let (ok, other) = (ok.load(Ordering::Relaxed), other.load(Ordering::Relaxed));
    println!(
        "{} {CONNECTIONS} connections, {secs:.1} s: {ok} GETs answered 200 ({:.0}/s), {other} other answers or errors; RSS {} MiB, peak {} MiB",
        if tls { "HTTPS" } else { "HTTP" },
        ok as f64 / secs,
        status_kib("VmRSS:") / 1024,
        status_kib("VmHWM:") / 1024
    );
    assert!(ok > 0);
    assert_eq!(other, 0, "every GET of an origin database answers 200");
    emu.shutdown().await;
}
