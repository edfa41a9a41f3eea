//! `kill -9` campaign: a real `georestore recover` child process against
//! the emulator (HTTPS on loopback, tokens from the emulator's token
//! endpoint through azure_identity), killed at seeded random moments, then
//! `recover --resume` until it finishes. Afterwards every tenant is online
//! in the recovery region and the emulator counts exactly one started
//! restore per database.
//!
//! `GEORESTORE_KILL_POINTS` sets how many kills (default 20).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use emulator::{Emulator, EmulatorConfig};
use serde_json::Value;

/// Model ms per real ms (the same for the emulator and the driver).
const TIME_SCALE: u32 = 4000;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// SplitMix64: seeded kill times, reproducible.
fn next(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

struct Setup {
    _dir: tempfile::TempDir,
    fleet: PathBuf,
    ca: PathBuf,
}

/// A fresh directory with the wingtip-demo fleet file and the emulator
/// serving `scenario` over HTTPS (its CA written beside the fleet), the
/// origin region back at `origin_back_at_ms` if given, `latency_ms` real
/// milliseconds added before every ARM answer.
async fn world(
    scenario: &sim::scenario::Scenario,
    origin_back_at_ms: Option<u64>,
    latency_ms: u64,
) -> (Setup, Emulator) {
    let dir = tempfile::tempdir().expect("tempdir");
    let fleet = dir.path().join("fleet.toml");
    std::fs::copy(repo("scenarios/fleets/wingtip-demo.toml"), &fleet).expect("fleet");
    let ca = dir.path().join("ca.pem");
    let config = EmulatorConfig {
        tls: true,
        ca_file: Some(ca.clone()),
        time_scale: f64::from(TIME_SCALE),
        origin_back_at_ms,
        faults: emulator::faults::Faults {
            latency_ms,
            ..emulator::faults::Faults::default()
        },
        ..EmulatorConfig::default()
    };
    let emulator = Emulator::from_scenario(scenario, config)
        .await
        .expect("emulator");
    let setup = Setup {
        _dir: dir,
        fleet,
        ca,
    };
    (setup, emulator)
}

fn recover(setup: &Setup, emulator: &Emulator, resume: bool) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_georestore"));
    cmd.arg("recover")
        .arg(&setup.fleet)
        .args(["--arm-endpoint", emulator.base_url()])
        .arg("--ca-cert")
        .arg(&setup.ca)
        .args(["--auth", "client-secret"])
        .args(["--time-scale", &TIME_SCALE.to_string()])
        .arg("--json")
        .env("AZURE_TENANT_ID", emulator.tenant_id())
        .env("AZURE_CLIENT_ID", emulator::config::DEFAULT_CLIENT_ID)
        .env(
            "AZURE_CLIENT_SECRET",
            emulator::config::DEFAULT_CLIENT_SECRET,
        )
        .env("AZURE_AUTHORITY_HOST", emulator.base_url())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if resume {
        cmd.arg("--resume");
    }
    cmd
}

async fn state(emulator: &Emulator, ca: &Path) -> Value {
    let pem = std::fs::read(ca).expect("CA");
    let certs = reqwest::Certificate::from_pem_bundle(&pem).expect("PEM");
    let http = reqwest::Client::builder()
        .tls_certs_merge(certs)
        .build()
        .expect("client");
    let text = http
        .get(format!("{}/_emulator/state", emulator.base_url()))
        .bearer_auth(emulator.admin_token())
        .send()
        .await
        .expect("state")
        .text()
        .await
        .expect("state body");
    serde_json::from_str(&text).expect("state JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_recoveries_resume_with_every_tenant_online_once() {
    let points: u64 = std::env::var("GEORESTORE_KILL_POINTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let scenario = sim::scenario::load(&repo("scenarios/wingtip-demo.toml")).expect("scenario");
    let tenants = scenario.fleet.databases.len();
    let mut rng = 20261202_u64;
    let mut resumed_runs = 0;
    let mut open_restores = 0;
    for point in 0..points {
        // Even points: killed at a seeded moment in the first ~1.2 s (the
        // whole run takes ~2 s): provisioning, restore submission or
        // following. Odd points: every answer is held back 40 ms and the
        // kill comes as soon as the journal shows a restore sent with no
        // answer, so a restore is caught between its PUT and a journaled
        // answer by construction, not by luck of timing.
        let at_open_restore = point % 2 == 1;
        let latency_ms = if at_open_restore { 40 } else { 0 };
        let (setup, emulator) = world(&scenario, None, latency_ms).await;
        let journal = driver::journal::default_path(&setup.fleet);
        let kill_after = Duration::from_millis(30 + next(&mut rng) % 1200);
        let mut child = recover(&setup, &emulator, false).spawn().expect("spawn");
        if at_open_restore {
            let deadline = std::time::Instant::now() + Duration::from_secs(60);
            while open_restores_in(&journal) == 0 {
                assert!(
                    std::time::Instant::now() < deadline,
                    "point {point}: no restore was ever sent"
                );
                tokio::time::sleep(Duration::from_millis(2)).await;
            }
        } else {
            tokio::time::sleep(kill_after).await;
        }
        let killed = child.try_wait().expect("try_wait").is_none();
        // SIGKILL on Unix: no chance to flush or clean up.
        let _ = child.kill();
        let _ = child.wait();
        // Restores whose PUT may be on the wire with no answer journaled:
        // the case a resume must not restore twice.
        open_restores += open_restores_in(&journal);

        // Resume until it says it finished (a resume may itself find
        // nothing left to do).
        let resumed = tokio::task::spawn_blocking({
            let mut cmd = recover(&setup, &emulator, true);
            move || cmd.output()
        })
        .await
        .expect("join")
        .expect("resume runs");
        let stdout = String::from_utf8_lossy(&resumed.stdout);
        let stderr = String::from_utf8_lossy(&resumed.stderr);
        assert!(
            resumed.status.success(),
            "point {point} (kill after {kill_after:?}): resume failed: {stderr}"
        );
        let end: Value = serde_json::from_str(&stdout)
            .unwrap_or_else(|e| panic!("point {point}: {e}: {stdout} {stderr}"));
        assert_eq!(end["ended"], "recovered", "point {point}: {end}");
        assert_eq!(
            end["online_in_recovery"].as_u64().unwrap_or(0) + end["failed"].as_u64().unwrap_or(0),
            tenants as u64,
            "point {point}: {end}"
        );
        if killed {
            resumed_runs += 1;
        }

        let state = state(&emulator, &setup.ca).await;
        let restores = state["restores"].as_object().expect("restores");
        // Every tenant and the catalog database, each started once.
        assert_eq!(restores.len(), tenants + 1, "point {point}: {restores:?}");
        for (target, count) in restores {
            assert_eq!(
                count["started"], 1,
                "point {point} (kill after {kill_after:?}): {target}: {count}"
            );
        }
        emulator.shutdown().await;
        drop(setup);
    }
    // The campaign killed runs mid-way, not only finished ones, and some
    // kills fell between a restore PUT and its journaled answer.
    assert!(
        resumed_runs * 2 >= points,
        "only {resumed_runs} of {points} kills hit a running recovery"
    );
    assert!(
        open_restores >= (points / 2) as usize,
        "only {open_restores} restores caught between their PUT and a journaled answer in {points} kills"
    );
    eprintln!(
        "{resumed_runs} of {points} kills hit a running recovery; {open_restores} restores were sent with no answer journaled"
    );
}

/// Restores in the journal at `path` that were handed out with no answer
/// journaled (0 when there is no journal yet).
fn open_restores_in(path: &Path) -> usize {
    let Ok(reader) = driver::journal::JournalReader::open(path) else {
        return 0;
    };
    reader
        .unfinished()
        .unwrap_or_default()
        .iter()
        .filter(|u| {
            u.status_url.is_none()
                && matches!(u.command.action, scheduler::Action::RestoreDatabase { .. })
        })
        .count()
}

/// Every file and stream a run writes, as bytes.
fn everything_written(setup: &Setup, out: &std::process::Output) -> Vec<(String, Vec<u8>)> {
    let mut all = vec![
        ("stdout".to_owned(), out.stdout.clone()),
        ("stderr".to_owned(), out.stderr.clone()),
    ];
    let dir = setup.fleet.parent().expect("fleet dir");
    for entry in std::fs::read_dir(dir).expect("dir").flatten() {
        let path = entry.path();
        if path == setup.fleet || path == setup.ca {
            continue;
        }
        all.push((
            path.display().to_string(),
            std::fs::read(&path).unwrap_or_default(),
        ));
    }
    all
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logs_journal_catalog_and_output_never_hold_the_secret_or_a_token() {
    let scenario = sim::scenario::load(&repo("scenarios/wingtip-demo.toml")).expect("scenario");
    let (setup, emulator) = world(&scenario, None, 0).await;
    let out = tokio::task::spawn_blocking({
        let mut cmd = recover(&setup, &emulator, false);
        cmd.env("RUST_LOG", "trace").args(["--log-format", "json"]);
        move || cmd.output()
    })
    .await
    .expect("join")
    .expect("recover runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let written = everything_written(&setup, &out);
    // Not vacuous: the logs show the traffic, the journal its commands.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"send\""),
        "no request logged: {stderr:.400}"
    );
    assert!(
        written
            .iter()
            .any(|(name, _)| name.ends_with(".journal.sqlite")),
        "{:?}",
        written.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    let secret = emulator::config::DEFAULT_CLIENT_SECRET.as_bytes();
    for (name, bytes) in &written {
        assert!(!contains(bytes, secret), "the client secret is in {name}");
        // The emulator's access tokens are `emu.<64 hex digits>`.
        let token = bytes
            .windows(36)
            .any(|w| w.starts_with(b"emu.") && w[4..].iter().all(u8::is_ascii_hexdigit));
        assert!(!token, "an access token is in {name}");
    }
    emulator.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancel_at_any_point_leaves_every_tenant_on_a_live_database() {
    let scenario = sim::scenario::load(&repo("scenarios/wingtip-demo.toml")).expect("scenario");
    let mut rng = 7_u64;
    let mut cancelled = 0;
    for point in 0..4 {
        // The origin region is back: that is why the operator cancels.
        let (setup, emulator) = world(&scenario, Some(0), 0).await;
        let child = recover(&setup, &emulator, false).spawn().expect("spawn");
        let cancel_after = Duration::from_millis(100 + next(&mut rng) % 1200);
        // A cancel needs the journal the run writes (on a loaded machine
        // the child may take a while to create it).
        let journal = driver::journal::default_path(&setup.fleet);
        let started = std::time::Instant::now();
        while !journal.exists() && started.elapsed() < Duration::from_secs(30) {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        tokio::time::sleep(cancel_after).await;
        // A journal still being created is refused: ask again shortly.
        let ask = || {
            Command::new(env!("CARGO_BIN_EXE_georestore"))
                .arg("cancel")
                .arg(&setup.fleet)
                .output()
                .expect("cancel runs")
        };
        let mut cancel = ask();
        for _ in 0..50 {
            if cancel.status.success() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            cancel = ask();
        }
        assert!(
            cancel.status.success(),
            "{}",
            String::from_utf8_lossy(&cancel.stderr)
        );
        let out = tokio::task::spawn_blocking(move || child.wait_with_output())
            .await
            .expect("join")
            .expect("recover ends");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "point {point}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let end: Value = serde_json::from_str(&stdout).expect("JSON");
        // A cancel that came after the recovery finished changes nothing.
        let ended = end["ended"].as_str().unwrap_or_default();
        assert!(
            ended == "cancelled" || ended == "recovered",
            "point {point} ({cancel_after:?}): {end}"
        );
        cancelled += usize::from(ended == "cancelled");

        let state = state(&emulator, &setup.ca).await;
        let model = &state["model"];
        let started = model["restores_accepted"].as_u64().unwrap_or(0);
        let ended_restores = [
            "restores_succeeded",
            "restores_failed_transient",
            "restores_failed_permanent",
            "restores_canceled",
        ]
        .iter()
        .map(|k| model[k].as_u64().unwrap_or(0))
        .sum::<u64>();
        assert_eq!(
            started, ended_restores,
            "point {point}: a restore is left running: {model}"
        );
        // Every catalog row points at a database that exists and is online.
        let live: Vec<(String, String)> = state["databases"]
            .as_array()
            .expect("databases")
            .iter()
            .filter(|d| {
                d["alive"] == true
                    && d["state"]
                        .as_str()
                        .is_some_and(|s| s.eq_ignore_ascii_case("online"))
            })
            .map(|d| {
                (
                    d["server"].as_str().unwrap_or_default().to_owned(),
                    d["name"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let catalog = rusqlite_rows(&setup.fleet);
        assert_eq!(catalog.len(), scenario.fleet.databases.len());
        for (tenant, server, database, online) in catalog {
            let server = server.trim_end_matches(".database.windows.net").to_owned();
            assert!(
                live.contains(&(server.clone(), database.clone())),
                "point {point} ({cancel_after:?}, {ended}): {tenant} routes to {server}/{database}, which is not online"
            );
            assert!(online, "point {point}: {tenant} is marked offline");
        }
        emulator.shutdown().await;
    }
    assert!(cancelled >= 2, "only {cancelled} of 4 cancels came mid-run");
}

/// The embedded catalog's rows: tenant, server, database, online.
fn rusqlite_rows(fleet: &Path) -> Vec<(String, String, String, bool)> {
    let mut catalog = driver::catalog::SqliteCatalog::open(&driver::catalog::default_path(fleet))
        .expect("catalog");
    driver::catalog::Catalog::rows(&mut catalog)
        .expect("rows")
        .into_iter()
        .map(|r| (r.tenant_id, r.server, r.database, r.online))
        .collect()
}
