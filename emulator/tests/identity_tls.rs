//! Identity and HTTPS over real loopback connections: the token endpoint,
//! discovery documents, ARM's 401 for missing / expired / wrong-audience
//! / forged tokens, and TLS with the generated CA.

mod common;

use std::time::Duration;

use common::*;
use emulator::{Emulator, EmulatorConfig, IdentityConfig};
use serde_json::Value;

fn list_path() -> String {
    sub_path(&format!(
        "/resourceGroups/rg/providers/Microsoft.Sql/servers/s1/databases?api-version={SQL}"
    ))
}

async fn plain() -> Emulator {
    Emulator::start(
        model(&[]),
        ctx("West Europe", "North Europe"),
        EmulatorConfig::default(),
    )
    .await
    .expect("starts")
}

async fn arm_get(http: &reqwest::Client, emu: &Emulator, token: Option<&str>) -> reqwest::Response {
    let mut b = http.get(format!("{}{}", emu.base_url(), list_path()));
    if let Some(t) = token {
        b = b.bearer_auth(t);
    }
    b.send().await.expect("answers")
}

/// A 401 as ARM sends it: the challenge names this emulator as the
/// authority, `error="invalid_token"`, and the body has `code`.
async fn assert_refused(r: reqwest::Response, emu: &Emulator, code: &str) {
    assert_eq!(r.status(), 401);
    let challenge = r
        .headers()
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .expect("WWW-Authenticate")
        .to_owned();
    assert!(
        challenge.starts_with(&format!(
            "Bearer authorization_uri=\"{}/{}\"",
            emu.base_url(),
            emu.tenant_id()
        )),
        "{challenge}"
    );
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    assert!(challenge.contains("error_description=\""), "{challenge}");
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["error"]["code"], code, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn arm_calls_need_a_valid_arm_token() {
    let emu = plain().await;
    let http = http_client(None);
    assert_refused(
        arm_get(&http, &emu, None).await,
        &emu,
        "AuthenticationFailed",
    )
    .await;
    assert_refused(
        arm_get(&http, &emu, Some("forged")).await,
        &emu,
        "InvalidAuthenticationToken",
    )
    .await;
    let storage = token(&http, &emu, "https://storage.azure.com/.default").await;
    assert_refused(
        arm_get(&http, &emu, Some(&storage)).await,
        &emu,
        "InvalidAuthenticationTokenAudience",
    )
    .await;
    let arm = token(&http, &emu, ARM_SCOPE).await;
    let ok = arm_get(&http, &emu, Some(&arm)).await;
    // The server does not exist: the model's own 404, past authentication.
    assert_eq!(ok.status(), 404);
    // The admin endpoints take the admin token only, not an ARM token.
    let admin = http
        .get(format!("{}/_emulator/state", emu.base_url()))
        .bearer_auth(&arm)
        .send()
        .await
        .expect("answers");
    assert_eq!(admin.status(), 401);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_tokens_are_refused() {
    let config = EmulatorConfig {
        identity: IdentityConfig {
            token_lifetime: Duration::ZERO,
            ..IdentityConfig::default()
        },
        ..EmulatorConfig::default()
    };
    let emu = Emulator::start(model(&[]), ctx("West Europe", "North Europe"), config)
        .await
        .expect("starts");
    let http = http_client(None);
    let t = token(&http, &emu, ARM_SCOPE).await;
    assert_refused(
        arm_get(&http, &emu, Some(&t)).await,
        &emu,
        "ExpiredAuthenticationToken",
    )
    .await;
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn token_endpoint_and_discovery_documents() {
    let emu = plain().await;
    let http = http_client(None);
    let base = emu.base_url();
    let tenant = emu.tenant_id();
    let r = http
        .post(emu.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", emulator::config::DEFAULT_CLIENT_ID),
            ("client_secret", emulator::config::DEFAULT_CLIENT_SECRET),
            ("scope", ARM_SCOPE),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert!(body["access_token"].as_str().is_some_and(|t| t.len() > 32));
    let wrong = http
        .post(emu.token_url())
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", emulator::config::DEFAULT_CLIENT_ID),
            ("client_secret", "wrong"),
            ("scope", ARM_SCOPE),
        ])
        .send()
        .await
        .expect("answers");
    assert_eq!(wrong.status(), 401);
    let e: Value = wrong.json().await.expect("JSON");
    assert_eq!(e["error"], "invalid_client");
    assert!(e["error_codes"].as_array().is_some_and(|c| !c.is_empty()));
    let oidc: Value = http
        .get(format!(
            "{base}/{tenant}/v2.0/.well-known/openid-configuration"
        ))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(oidc["token_endpoint"], emu.token_url());
    assert_eq!(oidc["issuer"], format!("{base}/{tenant}/v2.0"));
    let instance: Value = http
        .get(format!("{base}/common/discovery/instance?api-version=1.1&authorization_endpoint={base}/common/oauth2/v2.0/authorize"))
        .send()
        .await
        .expect("answers")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        instance["tenant_discovery_endpoint"],
        format!("{base}/{tenant}/v2.0/.well-known/openid-configuration")
    );
    emu.shutdown().await;
}

fn temp_file(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("georestore-emu-{}-{name}", std::process::id()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_with_the_generated_ca() {
    let ca_file = temp_file("ca.pem");
    let config = EmulatorConfig {
        tls: true,
        ca_file: Some(ca_file.clone()),
        ..EmulatorConfig::default()
    };
    let (emu, c) = start(model(&[]), ctx("West Europe", "North Europe"), config).await;
    assert!(emu.base_url().starts_with("https://127.0.0.1:"));
    let written = std::fs::read_to_string(&ca_file).expect("the CA file");
    assert_eq!(Some(written.as_str()), emu.ca_pem());
    // The token came over HTTPS (start); an ARM call too.
    let r = c.get(&list_path()[..]).await;
    assert_eq!(r.status, 404, "{r:?}");
    // By name as well as by address.
    let by_name = emu.base_url().replace("127.0.0.1", "localhost");
    let r = c
        .http
        .get(format!("{by_name}{}", list_path()))
        .bearer_auth(&c.token)
        .send()
        .await
        .expect("localhost is in the certificate");
    assert_eq!(r.status(), 404);
    // A client that does not trust the CA cannot connect.
    let untrusting = reqwest::Client::builder()
        .use_rustls_tls()
        .tls_built_in_root_certs(false)
        .timeout(TIMEOUT)
        .build()
        .expect("client");
    assert!(untrusting.get(emu.base_url()).send().await.is_err());
    // Plain HTTP to the TLS port gets no answer.
    let plain = emu.base_url().replace("https://", "http://");
    let r = http_client(None)
        .get(format!("{plain}{}", list_path()))
        .send()
        .await;
    assert!(r.is_err() || r.is_ok_and(|r| r.status() != 404));
    emu.shutdown().await;
    let _ = std::fs::remove_file(ca_file);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn remote_addresses_need_allow_remote_and_tls() {
    let config = EmulatorConfig {
        listen: "0.0.0.0:0".parse().expect("addr"),
        ..EmulatorConfig::default()
    };
    let refused = Emulator::start(model(&[]), ctx("a", "b"), config.clone()).await;
    assert!(refused.is_err());
    let no_tls = EmulatorConfig {
        allow_remote: true,
        ..config
    };
    assert!(
        Emulator::start(model(&[]), ctx("a", "b"), no_tls)
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_on_ipv6_loopback() {
    let config = EmulatorConfig {
        listen: "[::1]:0".parse().expect("addr"),
        tls: true,
        ..EmulatorConfig::default()
    };
    let (emu, c) = start(model(&[]), ctx("West Europe", "North Europe"), config).await;
    assert!(
        emu.base_url().starts_with("https://[::1]:"),
        "{}",
        emu.base_url()
    );
    // The token came over HTTPS on ::1 (start); an ARM call too, and its
    // 404 names nothing outside the emulator.
    let r = c.get(&list_path()).await;
    assert_eq!(r.status, 404, "{r:?}");
    emu.shutdown().await;
}
