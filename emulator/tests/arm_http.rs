//! ARM over real HTTP on loopback: long-running operations in model time,
//! idempotent restore PUTs, paging, throttling, ARM error shapes.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use emulator::EmulatorConfig;
use reqwest::Method;
use serde_json::{Value, json};

const RG: &str = "/resourceGroups/rec-rg";

fn server_path() -> String {
    sub_path(&format!("{RG}/providers/Microsoft.Sql/servers/prod1-rec"))
}

fn sql(path: &str) -> String {
    format!("{path}?api-version={SQL}")
}

fn restore_body(name: &str) -> Value {
    json!({
        "location": "North Europe",
        "properties": {
            "createMode": "Recovery",
            "sourceDatabaseId": sub_path(&format!("/resourceGroups/prod-rg/providers/Microsoft.Sql/servers/prod1/recoverableDatabases/{name}")),
            "elasticPoolId": format!("{}/elasticPools/pool1", server_path()),
        }
    })
}

/// A recovery server with a pool, created over HTTP, and `n` recoverable
/// databases `t0..` on the origin server `prod1`.
async fn world(n: usize, config: EmulatorConfig) -> (emulator::Emulator, Client) {
    let names: Vec<String> = (0..n).map(|i| format!("t{i}")).collect();
    let dbs: Vec<(&str, &str)> = names.iter().map(|s| ("prod1", s.as_str())).collect();
    let (emu, c) = start(model(&dbs), ctx("West Europe", "North Europe"), config).await;
    let rg = c
        .put(
            &format!(
                "{}?api-version={}",
                sub_path(RG),
                arm::api_version::RESOURCE_GROUPS
            ),
            &json!({"location": "North Europe"}),
        )
        .await;
    assert_eq!(rg.status, 201, "{rg:?}");
    let server = json!({"location": "North Europe", "properties": {"administratorLogin": "a", "administratorLoginPassword": "p"}});
    c.complete(Method::PUT, &sql(&server_path()), Some(&server))
        .await;
    let pool = json!({"location": "North Europe"});
    c.complete(
        Method::PUT,
        &sql(&format!("{}/elasticPools/pool1", server_path())),
        Some(&pool),
    )
    .await;
    (emu, c)
}

fn fast() -> EmulatorConfig {
    EmulatorConfig {
        time_scale: 1000.0,
        ..EmulatorConfig::default()
    }
}

async fn state(c: &Client, emu: &emulator::Emulator) -> Value {
    let r = c
        .http
        .get(format!("{}/_emulator/state", emu.base_url()))
        .bearer_auth(emu.admin_token())
        .send()
        .await
        .expect("state");
    assert_eq!(r.status(), 200);
    r.json().await.expect("JSON")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn geo_restore_is_accepted_then_succeeds_in_model_time() {
    let (emu, c) = world(1, fast()).await;
    let put = c
        .put(
            &sql(&format!("{}/databases/t0", server_path())),
            &restore_body("t0"),
        )
        .await;
    assert_eq!(put.status, 202, "{put:?}");
    let monitor = put
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    let location = put.header("Location").expect("location").to_owned();
    let base = emu.base_url();
    for url in [&monitor, &location] {
        assert!(url.starts_with(&format!("{base}/subscriptions/{SUB}/resourceGroups/rec-rg/providers/Microsoft.Sql/locations/northeurope/")), "{url}");
    }
    assert!(put.header("x-ms-request-id").is_some());
    assert!(
        put.header("x-ms-ratelimit-remaining-subscription-writes")
            .is_some()
    );
    assert_eq!(put.body["operation"], "CreateLogicalDatabase");
    // A restore takes at least 10 model minutes: 0.6 s here.
    let first = c.get_url(&monitor).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["status"], "InProgress", "{first:?}");
    assert!(
        first
            .header("x-ms-ratelimit-remaining-subscription-reads")
            .is_some()
    );
    let running = c.get_url(&location).await;
    assert_eq!(running.status, 202, "{running:?}");
    let done = c
        .poll_until_done(&monitor, Duration::from_millis(50), 400)
        .await;
    assert_eq!(done["status"], "Succeeded", "{done}");
    let result = c.get_url(&location).await;
    assert_eq!(result.status, 200, "{result:?}");
    let db = c
        .get(&sql(&format!("{}/databases/t0", server_path())))
        .await;
    assert_eq!(db.status, 200);
    assert_eq!(db.body["properties"]["status"], "Online", "{db:?}");
    assert_eq!(db.body["location"], "northeurope");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_restore_put_never_starts_a_second_restore() {
    let (emu, c) = world(1, fast()).await;
    let path = sql(&format!("{}/databases/t0", server_path()));
    let first = c.put(&path, &restore_body("t0")).await;
    assert_eq!(first.status, 202, "{first:?}");
    let again = c.put(&path, &restore_body("t0")).await;
    assert_eq!(again.status, 409, "{again:?}");
    assert!(again.body["error"]["code"].as_str().is_some());
    let s = state(&c, &emu).await;
    assert_eq!(
        s["restores"]["prod1-rec/t0"],
        json!({"puts": 2, "started": 1})
    );
    assert_eq!(s["model"]["restores_accepted"], 1);
    // And once it is online, a third PUT starts nothing either.
    let monitor = first
        .header("Azure-AsyncOperation")
        .expect("monitor")
        .to_owned();
    c.poll_until_done(&monitor, Duration::from_millis(50), 400)
        .await;
    let third = c.put(&path, &restore_body("t0")).await;
    assert_ne!(third.status, 202, "{third:?}");
    let s = state(&c, &emu).await;
    assert_eq!(s["restores"]["prod1-rec/t0"]["started"], 1);
    assert_eq!(s["model"]["restores_accepted"], 1);
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_are_paged_with_absolute_next_links() {
    let config = EmulatorConfig {
        page_size: 3,
        ..fast()
    };
    let (emu, c) = world(8, config).await;
    for i in 0..8 {
        let r = c
            .put(
                &sql(&format!("{}/databases/t{i}", server_path())),
                &restore_body(&format!("t{i}")),
            )
            .await;
        assert_eq!(r.status, 202, "{r:?}");
    }
    let mut url = format!(
        "{}{}",
        emu.base_url(),
        sql(&format!("{}/databases", server_path()))
    );
    let mut names = Vec::new();
    let mut pages = 0;
    loop {
        pages += 1;
        assert!(pages <= 10, "paging does not end");
        let r = c.get_url(&url).await;
        assert_eq!(r.status, 200, "{r:?}");
        let items = r.body["value"].as_array().expect("value");
        assert!(items.len() <= 3);
        names.extend(
            items
                .iter()
                .map(|d| d["name"].as_str().expect("name").to_owned()),
        );
        match r.body["nextLink"].as_str() {
            Some(next) => {
                assert!(next.starts_with(emu.base_url()), "{next}");
                assert!(next.contains("$skipToken="), "{next}");
                assert!(next.contains(&format!("api-version={SQL}")), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(names.len(), 8, "{names:?}");
    assert_eq!(unique.len(), 8, "{names:?}");
    let bad = c
        .get(&format!(
            "{}&$skipToken=banana",
            sql(&format!("{}/databases", server_path()))
        ))
        .await;
    assert_eq!(bad.status, 400, "{bad:?}");
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_empty_read_bucket_answers_429_with_retry_after() {
    // Real time: the read bucket (250, 25/s) empties under a burst.
    let (emu, c) = start(
        model(&[]),
        ctx("West Europe", "North Europe"),
        EmulatorConfig::default(),
    )
    .await;
    let list = sql(&format!("{}/databases", server_path()));
    let mut remaining = Vec::new();
    let mut throttled = None;
    for _ in 0..600 {
        let r = c.get(&list).await;
        if r.status == 429 {
            throttled = Some(r);
            break;
        }
        let left: u32 = r
            .header("x-ms-ratelimit-remaining-subscription-reads")
            .expect("remaining reads")
            .parse()
            .expect("a number");
        remaining.push(left);
    }
    let r = throttled.expect("a 429 within 600 reads");
    let retry: u64 = r
        .header("Retry-After")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!(retry >= 1);
    assert_eq!(
        r.body["error"]["code"], "SubscriptionTooManyRequests",
        "{r:?}"
    );
    assert!(remaining.len() >= 200, "{}", remaining.len());
    assert!(remaining.first() > remaining.last(), "{remaining:?}");
    let s = state(&c, &emu).await;
    assert!(s["requests"]["throttled"].as_u64() >= Some(1));
    assert!(s["model"]["throttled"]["reads"].as_u64() >= Some(1));
    emu.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_versions_methods_and_bodies_are_arm_errors() {
    let (emu, c) = world(0, fast()).await;
    let cases: Vec<(Method, String, Option<Value>, u16, &str)> = vec![
        (
            Method::GET,
            "/nothing/here".to_owned(),
            None,
            404,
            "NotFound",
        ),
        (
            Method::GET,
            sub_path("/resourceGroups/x/providers/Microsoft.Foo/bars/b?api-version=1"),
            None,
            400,
            "InvalidResourceType",
        ),
        (
            Method::GET,
            format!("{}?api-version=1999-01-01", server_path() + "/databases"),
            None,
            400,
            "InvalidApiVersionParameter",
        ),
        (
            Method::GET,
            server_path() + "/databases",
            None,
            400,
            "MissingApiVersionParameter",
        ),
        (
            Method::GET,
            format!(
                "/subscriptions/someone-else/resourceGroups/x/providers/Microsoft.Sql/servers/s/databases?api-version={SQL}"
            ),
            None,
            404,
            "SubscriptionNotFound",
        ),
        (
            Method::OPTIONS,
            sql(&server_path()),
            None,
            405,
            "MethodNotAllowed",
        ),
        (
            Method::PUT,
            sql(&format!("{}/databases/t0", server_path())),
            Some(json!({"properties": {"maxSizeBytes": "many"}})),
            400,
            "InvalidRequestContent",
        ),
    ];
    for (method, path, body, status, code) in cases {
        let r = c.send(method.clone(), &path, body.as_ref()).await;
        assert_eq!(r.status, status, "{method} {path}: {r:?}");
        assert_eq!(r.body["error"]["code"], code, "{method} {path}: {r:?}");
        assert!(
            r.body["error"]["message"]
                .as_str()
                .is_some_and(|m| !m.is_empty())
        );
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{path}"
        );
    }
    // A body that is not JSON at all.
    let raw = c
        .http
        .put(format!(
            "{}{}",
            c.base,
            sql(&format!("{}/databases/t0", server_path()))
        ))
        .bearer_auth(&c.token)
        .body("{not json")
        .send()
        .await
        .expect("answer");
    assert_eq!(raw.status(), 400);
    emu.shutdown().await;
}
