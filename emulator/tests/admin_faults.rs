//! `/_emulator/state` and `/_emulator/faults` over HTTP, and a clean
//! shutdown that answers the request in flight.

mod common;

use std::time::{Duration, Instant};

use common::*;
use emulator::{Emulator, EmulatorConfig};
use reqwest::Method;
use serde_json::{Value, json};

fn origin_db() -> String {
    sub_path(&format!(
        "/resourceGroups/prod-rg/providers/Microsoft.Sql/servers/prod1/databases/t0?api-version={SQL}"
    ))
}

async fn admin(
    c: &Client,
    emu: &Emulator,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut b = c
        .http
        .request(method, format!("{}{path}", emu.base_url()))
        .bearer_auth(emu.admin_token());
    if let Some(body) = body {
        b = b.json(&body);
    }
    let r = b.send().await.expect("answers");
    let status = r.status().as_u16();
    (status, r.json().await.expect("JSON"))
}

async fn set_faults(c: &Client, emu: &Emulator, faults: Value) {
    let (status, body) = admin(c, emu, Method::POST, "/_emulator/faults", Some(faults)).await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_shows_databases_counts_and_faults() {
    let (emu, c) = start(
        model(&[("prod1", "t0"), ("prod1", "t1")]),
        ctx("West Europe", "North Europe"),
        EmulatorConfig::default(),
    )
    .await;
    // The origin is down: its databases answer 503.
    let r = c.get(&origin_db()).await;
    assert_eq!(r.status, 503, "{r:?}");
    let (status, s) = admin(&c, &emu, Method::GET, "/_emulator/state", None).await;
    assert_eq!(status, 200);
    let dbs = s["databases"].as_array().expect("databases");
    assert_eq!(dbs.len(), 2);
    assert_eq!(dbs[0]["server"], "prod1");
    assert_eq!(dbs[0]["location"], "westeurope");
    assert_eq!(s["origin_available"], false);
    assert_eq!(s["requests"]["reads"], 1);
    assert_eq!(s["requests"]["by_status"]["503"], 1);
    let (_, small) = admin(
        &c,
        &emu,
        Method::GET,
        "/_emulator/state?databases=false",
        None,
    )
    .await;
    assert!(small["databases"].is_null());
    // Wrong or missing admin token.
    let r = c
        .http
        .get(format!("{}/_emulator/state", emu.base_url()))
        .send()
        .await
        .expect("answers");
    assert_eq!(r.status(), 401);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_503_500_storms_latency_resets_and_the_origin_coming_back() {
    let (emu, c) = start(
        model(&[("prod1", "t0")]),
        ctx("West Europe", "North Europe"),
        EmulatorConfig::default(),
    )
    .await;
    let list = sub_path(&format!(
        "/resourceGroups/g/providers/Microsoft.Sql/servers/nope/databases?api-version={SQL}"
    ));
    set_faults(&c, &emu, json!({"error_503_rate": 1.0})).await;
    let r = c.get(&list).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (503, Some("ServiceUnavailable"))
    );
    set_faults(&c, &emu, json!({"error_500_rate": 1.0})).await;
    let r = c.get(&list).await;
    assert_eq!(
        (r.status, r.body["error"]["code"].as_str()),
        (500, Some("InternalServerError"))
    );
    set_faults(
        &c,
        &emu,
        json!({"throttle_storm_s": 30, "throttle_retry_after_s": 7}),
    )
    .await;
    let r = c.get(&list).await;
    assert_eq!(r.status, 429, "{r:?}");
    assert_eq!(r.header("Retry-After"), Some("7"));
    assert_eq!(
        r.header("x-ms-ratelimit-remaining-subscription-reads"),
        Some("0")
    );
    set_faults(&c, &emu, json!({"latency_ms": 150})).await;
    let t = Instant::now();
    let r = c.get(&list).await;
    assert_eq!(r.status, 404);
    assert!(
        t.elapsed() >= Duration::from_millis(150),
        "{:?}",
        t.elapsed()
    );
    set_faults(&c, &emu, json!({"reset_rate": 1.0})).await;
    let lost = c
        .http
        .get(format!("{}{list}", c.base))
        .bearer_auth(&c.token)
        .send()
        .await;
    assert!(lost.is_err(), "{lost:?}");
    set_faults(&c, &emu, json!({})).await;
    let (_, s) = admin(
        &c,
        &emu,
        Method::GET,
        "/_emulator/state?databases=false",
        None,
    )
    .await;
    let counts = &s["requests"];
    assert_eq!(counts["injected_503"], 1);
    assert_eq!(counts["injected_500"], 1);
    assert_eq!(counts["injected_429"], 1);
    assert_eq!(counts["injected_resets"], 1);
    // The reset call reached the model (a lost answer, not a lost request).
    assert_eq!(s["model"]["requests"]["reads"], 2);
    // Unknown or out-of-range faults are refused.
    let (status, e) = admin(
        &c,
        &emu,
        Method::POST,
        "/_emulator/faults",
        Some(json!({"never_finish_rate": 1})),
    )
    .await;
    assert_eq!(status, 400, "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("supported"))
    );
    let (status, _) = admin(
        &c,
        &emu,
        Method::POST,
        "/_emulator/faults",
        Some(json!({"error_503_rate": 2})),
    )
    .await;
    assert_eq!(status, 400);
    // The origin comes back.
    assert_eq!(c.get(&origin_db()).await.status, 503);
    set_faults(&c, &emu, json!({"origin_back_at_s": 0})).await;
    let r = c.get(&origin_db()).await;
    assert_eq!(r.status, 200, "{r:?}");
    let (_, s) = admin(
        &c,
        &emu,
        Method::GET,
        "/_emulator/state?databases=false",
        None,
    )
    .await;
    assert_eq!(s["origin_available"], true);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_answers_the_request_in_flight_then_refuses_connections() {
    let (emu, c) = start(
        model(&[]),
        ctx("West Europe", "North Europe"),
        EmulatorConfig::default(),
    )
    .await;
    set_faults(&c, &emu, json!({"latency_ms": 400})).await;
    let url = format!(
        "{}{}",
        c.base,
        sub_path(&format!(
            "/resourceGroups/g/providers/Microsoft.Sql/servers/s/databases?api-version={SQL}"
        ))
    );
    let base = c.base.clone();
    let in_flight = {
        let http = c.http.clone();
        let token = c.token.clone();
        tokio::spawn(async move {
            http.get(url)
                .bearer_auth(token)
                .send()
                .await
                .map(|r| r.status().as_u16())
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let t = Instant::now();
    tokio::time::timeout(Duration::from_secs(10), emu.shutdown())
        .await
        .expect("shuts down in time");
    // Shutting down waited for the answer (~300 ms of latency left).
    assert!(
        t.elapsed() >= Duration::from_millis(200),
        "{:?}",
        t.elapsed()
    );
    let status = in_flight.await.expect("joins").expect("answered");
    assert_eq!(status, 404);
    let after = http_client(None)
        .get(format!("{base}/_emulator/state"))
        .send()
        .await;
    assert!(after.is_err(), "{after:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scenario_sets_lost_answers_and_when_the_origin_comes_back() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let text = "name = \"t\"\n\n[fleet]\nfile = \"fleets/wingtip-demo.toml\"\n\n[disaster]\nlost_answer_share = 0.25\ncancel_at_s = 60\n";
    let scenario = sim::scenario::parse(text, "t.toml", &dir).expect("a scenario");
    let config = EmulatorConfig {
        time_scale: 1000.0,
        ..EmulatorConfig::default()
    };
    let emu = Emulator::from_scenario(&scenario, config)
        .await
        .expect("starts");
    let http = http_client(None);
    let state = |http: reqwest::Client, url: String, token: String| async move {
        let r = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .expect("answers");
        r.json::<Value>().await.expect("JSON")
    };
    let url = format!("{}/_emulator/state?databases=false", emu.base_url());
    let s = state(http.clone(), url.clone(), emu.admin_token().to_owned()).await;
    assert_eq!(s["faults"]["reset_rate"], 0.25);
    assert_eq!(s["origin_back_at_ms"], 60_000);
    assert_eq!(s["subscription"], scenario.fleet.subscription.as_str());
    // 60 model seconds are 60 ms here.
    tokio::time::sleep(Duration::from_millis(150)).await;
    let s = state(http, url, emu.admin_token().to_owned()).await;
    assert_eq!(s["origin_available"], true, "{s}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stuck_operations_never_report_an_end_while_the_fault_is_set() {
    let config = EmulatorConfig {
        time_scale: 10_000.0,
        ..EmulatorConfig::default()
    };
    let (emu, c) = start(
        model(&[("prod1", "t0")]),
        ctx("West Europe", "North Europe"),
        config,
    )
    .await;
    let server = sub_path("/resourceGroups/rec/providers/Microsoft.Sql/servers/rec1");
    let body = json!({"location": "North Europe", "properties": {"administratorLogin": "a", "administratorLoginPassword": "p"}});
    c.complete(
        Method::PUT,
        &format!("{server}?api-version={SQL}"),
        Some(&body),
    )
    .await;
    set_faults(&c, &emu, json!({"stuck_operations_rate": 1.0})).await;
    let db = format!("{server}/databases/t0?api-version={SQL}");
    let restore = json!({"location": "North Europe", "properties": {
        "createMode": "Recovery",
        "sourceDatabaseId": sub_path("/resourceGroups/prod/providers/Microsoft.Sql/servers/prod1/recoverableDatabases/t0"),
    }});
    let r = c.put(&db, &restore).await;
    assert_eq!(r.status, 202, "{r:?}");
    let monitor = r
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let location = r.header("Location").expect("location").to_owned();
    // The model finishes the restore (the database comes online) ...
    let mut online = false;
    for _ in 0..500 {
        if c.get(&db).await.body["properties"]["status"] == "Online" {
            online = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(online, "the restore did not finish in the model");
    // ... but its monitors never say so.
    let m = c.get_url(&monitor).await;
    assert_eq!(
        (m.status, m.body["status"].as_str()),
        (200, Some("InProgress")),
        "{m:?}"
    );
    assert!(m.body.get("endTime").is_none());
    let l = c.get_url(&location).await;
    assert_eq!(l.status, 202, "{l:?}");
    assert_eq!(l.header("Location"), Some(location.as_str()));
    // Lifted: the outcome shows.
    set_faults(&c, &emu, json!({})).await;
    let m = c.get_url(&monitor).await;
    assert_eq!(m.body["status"], "Succeeded", "{m:?}");
    assert_eq!(c.get_url(&location).await.status, 200);
    emu.shutdown().await;
}
