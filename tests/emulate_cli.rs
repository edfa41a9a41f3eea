//! `georestore emulate` end to end: the binary serves a shipped scenario
//! over HTTPS on loopback, writes its URL and CA, answers a token request
//! and ARM calls about the scenario's estate, and stops cleanly on SIGTERM.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// Kills the child if the test fails midway (no process left behind).
struct Guard(Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("georestore-cli-{}-{name}", std::process::id()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emulate_serves_the_scenario_over_https_until_sigterm() {
    let url_file = temp("url");
    let ca_file = temp("ca.pem");
    let _ = std::fs::remove_file(&url_file);
    let child = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "emulate",
            "scenarios/wingtip-demo.toml",
            "--tls",
            "--time-scale",
            "1000",
        ])
        .arg("--url-file")
        .arg(&url_file)
        .arg("--ca-file")
        .arg(&ca_file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("georestore runs");
    let mut guard = Guard(child);
    let started = Instant::now();
    let base = loop {
        if let Ok(text) = std::fs::read_to_string(&url_file)
            && text.ends_with('\n')
        {
            break text.trim().to_owned();
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no URL file");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let pem = std::fs::read(&ca_file).expect("the CA file");
    let http = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&pem).expect("PEM")])
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client");
    let token: Value = http
        .post(format!(
            "{base}/{}/oauth2/v2.0/token",
            emulator::config::DEFAULT_TENANT_ID
        ))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", emulator::config::DEFAULT_CLIENT_ID),
            ("client_secret", emulator::config::DEFAULT_CLIENT_SECRET),
            ("scope", "https://management.azure.com/.default"),
        ])
        .send()
        .await
        .expect("token endpoint")
        .json()
        .await
        .expect("JSON");
    let token = token["access_token"].as_str().expect("a token").to_owned();
    // The scenario's fleet: the wingtip demo's subscription and origin server.
    let sub = "00000000-0000-0000-0000-000000000000";
    let origin = format!(
        "{base}/subscriptions/{sub}/resourceGroups/wingtip-dpt-user1/providers/Microsoft.Sql/servers/tenants1-dpt-user1/databases?api-version={}",
        arm::api_version::SQL
    );
    let r = http
        .get(&origin)
        .bearer_auth(&token)
        .send()
        .await
        .expect("answers");
    // The origin region is down, as the scenario says.
    assert_eq!(r.status(), 503);
    let r = http.get(&origin).send().await.expect("answers");
    assert_eq!(r.status(), 401);
    // The URL is also the single line on standard output.
    let pid = guard.0.id().to_string();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill runs");
    assert!(killed.success());
    let stopped = Instant::now();
    let status = loop {
        if let Some(status) = guard.0.try_wait().expect("waits") {
            break status;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(20),
            "did not stop on SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
    let mut out = String::new();
    if let Some(mut stdout) = guard.0.stdout.take() {
        use std::io::Read;
        stdout.read_to_string(&mut out).expect("stdout");
    }
    assert_eq!(out, format!("{base}\n"));
    let _ = std::fs::remove_file(url_file);
    let _ = std::fs::remove_file(ca_file);
}

#[test]
fn emulate_refuses_a_remote_address_without_tls() {
    let out = Command::new(env!("CARGO_BIN_EXE_georestore"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "emulate",
            "scenarios/wingtip-demo.toml",
            "--listen",
            "0.0.0.0:0",
            "--allow-remote",
        ])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TLS"));
}
