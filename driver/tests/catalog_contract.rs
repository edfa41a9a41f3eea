//! One contract, two catalogs: the embedded SQLite catalog and the `exec`
//! back end driving a real script (`fixtures/json_catalog.py`, rows in a
//! JSON file) pass the same suite; then what only each back end does.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use driver::catalog::{
    Catalog, CatalogAnswer, CatalogError, ExecCatalog, SqliteCatalog, TenantRow,
};
use scheduler::{CatalogCall, Event, FailureKind, OpId};

mod common;

fn seed_rows() -> Vec<TenantRow> {
    ["alpha", "bravo", "charlie"]
        .iter()
        .map(|t| TenantRow {
            tenant_id: (*t).to_owned(),
            online: true,
            server: "tenants1.database.windows.net".to_owned(),
            database: format!("{t}db"),
        })
        .collect()
}

/// A back end under test: makes a catalog holding `rows` in `dir`, and
/// opens it again (a new process would) from the same storage.
trait Backend {
    fn create(&self, dir: &Path, rows: &[TenantRow]) -> Box<dyn Catalog>;
    fn reopen(&self, dir: &Path) -> Box<dyn Catalog>;
}

/// The contract every catalog keeps.
fn contract(backend: &dyn Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows = seed_rows();
    let mut c = backend.create(dir.path(), &rows);

    // Listing: every row, ordered by tenant key.
    assert_eq!(c.rows().expect("rows"), rows);

    // Marks: only the tenant named changes; repeating is fine.
    c.mark_offline("bravo").expect("offline");
    c.mark_offline("bravo").expect("offline again");
    let now = c.rows().expect("rows");
    assert!(!now[1].online && now[0].online && now[2].online, "{now:?}");
    c.mark_online("bravo").expect("online");
    assert!(c.rows().expect("rows")[1].online);

    // Routing: server and database change, the mark does not.
    c.mark_offline("charlie").expect("offline");
    c.route(
        "charlie",
        "tenants1-recovery.database.windows.net",
        "charliedb",
    )
    .expect("route");
    let charlie = &c.rows().expect("rows")[2];
    assert_eq!(charlie.server, "tenants1-recovery.database.windows.net");
    assert_eq!(charlie.database, "charliedb");
    assert!(!charlie.online);

    // Change checks: nothing changed in a fresh catalog.
    assert!(!c.check_changed("alpha").expect("check"));

    // Unknown tenants: permanent, named, for every call.
    let calls = [
        CatalogCall::MarkOffline {
            tenant_id: "zulu".into(),
        },
        CatalogCall::MarkOnline {
            tenant_id: "zulu".into(),
        },
        CatalogCall::Route {
            tenant_id: "zulu".into(),
            server: "s".into(),
            database: "d".into(),
        },
        CatalogCall::CheckChanged {
            tenant_id: "zulu".into(),
        },
    ];
    for call in &calls {
        let err = c.apply(call).expect_err("unknown tenant");
        assert!(
            matches!(err, CatalogError::UnknownTenant { .. }),
            "{call:?}: {err}"
        );
        assert_eq!(err.kind(), FailureKind::Permanent);
        assert!(err.to_string().contains("zulu"), "{err}");
        assert!(matches!(
            err.to_event(OpId(7)),
            Event::Failed {
                op: OpId(7),
                kind: FailureKind::Permanent,
                ..
            }
        ));
    }

    // `apply` dispatches every scheduler call to its method.
    let answer = c
        .apply(&CatalogCall::MarkOffline {
            tenant_id: "alpha".into(),
        })
        .expect("apply");
    assert_eq!(answer, CatalogAnswer::Done);
    assert_eq!(answer.to_event(OpId(1)), Event::Succeeded { op: OpId(1) });
    assert!(!c.rows().expect("rows")[0].online);
    c.apply(&CatalogCall::Route {
        tenant_id: "alpha".into(),
        server: "x-recovery.database.windows.net".into(),
        database: "alphadb".into(),
    })
    .expect("apply route");
    c.apply(&CatalogCall::MarkOnline {
        tenant_id: "alpha".into(),
    })
    .expect("apply online");
    let answer = c
        .apply(&CatalogCall::CheckChanged {
            tenant_id: "alpha".into(),
        })
        .expect("apply check");
    assert_eq!(
        answer.to_event(OpId(2)),
        Event::Changed {
            op: OpId(2),
            changed: false
        }
    );

    // What a resume reads: the same rows, in the scheduler's shape.
    let observed = c.observed_rows().expect("observed");
    assert_eq!(observed.len(), 3);
    assert!(observed["alpha"].online);
    assert_eq!(observed["alpha"].server, "x-recovery.database.windows.net");
    assert!(!observed["charlie"].online);

    // Durable: another instance on the same storage sees every change.
    let before = c.rows().expect("rows");
    drop(c);
    let mut again = backend.reopen(dir.path());
    assert_eq!(again.rows().expect("rows"), before);
}

struct Sqlite;

impl Backend for Sqlite {
    fn create(&self, dir: &Path, rows: &[TenantRow]) -> Box<dyn Catalog> {
        let mut c = SqliteCatalog::open(&dir.join("catalog.sqlite")).expect("open");
        for row in rows {
            c.put(row).expect("seed");
        }
        Box::new(c)
    }
    fn reopen(&self, dir: &Path) -> Box<dyn Catalog> {
        Box::new(SqliteCatalog::open(&dir.join("catalog.sqlite")).expect("reopen"))
    }
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/json_catalog.py")
}

fn exec_catalog(dir: &Path, flags: &[&str]) -> ExecCatalog {
    let mut args = vec![dir.join("rows.json").display().to_string()];
    args.extend(flags.iter().map(|f| (*f).to_owned()));
    ExecCatalog::new(script(), args).with_timeout(Duration::from_secs(20))
}

struct Exec;

impl Backend for Exec {
    fn create(&self, dir: &Path, rows: &[TenantRow]) -> Box<dyn Catalog> {
        let map: serde_json::Map<String, serde_json::Value> = rows
            .iter()
            .map(|r| {
                (
                    r.tenant_id.clone(),
                    serde_json::json!({"online": r.online, "server": r.server, "database": r.database}),
                )
            })
            .collect();
        std::fs::write(
            dir.join("rows.json"),
            serde_json::to_vec(&map).expect("json"),
        )
        .expect("write rows");
        Box::new(exec_catalog(dir, &[]))
    }
    fn reopen(&self, dir: &Path) -> Box<dyn Catalog> {
        Box::new(exec_catalog(dir, &[]))
    }
}

#[test]
fn sqlite_catalog_keeps_the_contract() {
    contract(&Sqlite);
}

#[test]
fn exec_catalog_keeps_the_contract() {
    contract(&Exec);
}

#[test]
fn sqlite_catalog_is_seeded_from_the_fleet_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = SqliteCatalog::open(&dir.path().join("c.sqlite")).expect("open");
    let fleet = common::fleet();
    assert_eq!(
        c.seed_from_fleet(&fleet).expect("seed"),
        fleet.databases.len()
    );
    let rows = c.rows().expect("rows");
    assert_eq!(rows.len(), 20);
    let contoso = fleet
        .databases
        .iter()
        .find(|d| d.name == "contosoconcerthall")
        .expect("demo tenant");
    let row = rows
        .iter()
        .find(|r| r.tenant_id == contoso.tenant_id)
        .expect("its row");
    assert!(row.online);
    assert_eq!(row.server, "tenants1-dpt-user1.database.windows.net");
    assert_eq!(row.database, "contosoconcerthall");
    // Seeding again keeps what the recovery changed.
    let before = driver::unix_ms();
    c.mark_offline(&contoso.tenant_id).expect("offline");
    let stamped: i64 = rusqlite::Connection::open(dir.path().join("c.sqlite"))
        .and_then(|conn| {
            conn.query_row(
                "SELECT updated_at_ms FROM tenants WHERE tenant_id = ?1",
                [&contoso.tenant_id],
                |r| r.get(0),
            )
        })
        .expect("updated_at_ms");
    assert!((stamped - before).abs() < 60_000, "{stamped} vs {before}");
    assert_eq!(c.seed_from_fleet(&fleet).expect("seed again"), 0);
    assert!(!c.observed_rows().expect("rows")[&contoso.tenant_id].online);
    // The changed flag is what check_changed answers.
    c.set_changed(&contoso.tenant_id, true).expect("set");
    assert!(c.check_changed(&contoso.tenant_id).expect("check"));
}

#[test]
fn exec_catalog_reports_a_failing_command_with_its_stderr() {
    let dir = tempfile::tempdir().expect("tempdir");
    Exec.create(dir.path(), &seed_rows());
    let mut c = exec_catalog(dir.path(), &["--fail"]);
    let err = c.mark_online("alpha").expect_err("fails");
    assert!(matches!(err, CatalogError::Exit { .. }), "{err}");
    assert_eq!(err.kind(), FailureKind::Transient);
    let text = err.to_string();
    assert!(text.contains("login failed for user 'catalog'"), "{text}");
    assert!(text.contains("exit status: 3"), "{text}");
}

/// Whether process `pid` is gone (or a zombie waiting for its reaper).
fn gone(pid: &str) -> bool {
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Err(_) => true,
        Ok(stat) => stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
    }
}

/// The sleeper the script started (`--spawn-sleeper`) must be killed.
fn assert_sleeper_killed(dir: &Path) {
    let pid = std::fs::read_to_string(dir.join("rows.json.sleeper")).expect("sleeper pid");
    let deadline = Instant::now() + Duration::from_secs(5);
    while !gone(pid.trim()) {
        assert!(Instant::now() < deadline, "sleeper {pid} survived");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn exec_catalog_kills_a_command_that_outlives_its_timeout() {
    let dir = tempfile::tempdir().expect("tempdir");
    Exec.create(dir.path(), &seed_rows());
    let mut c = exec_catalog(dir.path(), &["--spawn-sleeper", "--sleep", "30"])
        .with_timeout(Duration::from_millis(1500));
    let start = Instant::now();
    let err = c.mark_online("alpha").expect_err("times out");
    let took = start.elapsed();
    assert!(matches!(err, CatalogError::Timeout { .. }), "{err}");
    assert_eq!(err.kind(), FailureKind::Transient);
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_sleeper_killed(dir.path());
}

#[test]
fn exec_catalog_does_not_wait_past_its_timeout_for_what_a_command_left_running() {
    let dir = tempfile::tempdir().expect("tempdir");
    Exec.create(dir.path(), &seed_rows());
    // The script answers and exits; its sleeper keeps the output open.
    let mut c =
        exec_catalog(dir.path(), &["--spawn-sleeper"]).with_timeout(Duration::from_millis(1500));
    let start = Instant::now();
    let err = c.mark_online("alpha").expect_err("output never closes");
    let took = start.elapsed();
    assert!(matches!(err, CatalogError::Timeout { .. }), "{err}");
    assert!(took < Duration::from_secs(10), "took {took:?}");
    assert_sleeper_killed(dir.path());
}

#[test]
fn exec_catalog_refuses_an_answer_that_is_not_the_protocol() {
    let dir = tempfile::tempdir().expect("tempdir");
    Exec.create(dir.path(), &seed_rows());
    let mut c = exec_catalog(dir.path(), &["--garbage"]);
    let err = c.rows().expect_err("garbage");
    assert!(matches!(err, CatalogError::BadAnswer { .. }), "{err}");
    assert!(err.to_string().contains("this is not JSON"), "{err}");

    let mut missing = ExecCatalog::new(dir.path().join("no-such-program"), Vec::new());
    let err = missing.rows().expect_err("no program");
    assert!(matches!(err, CatalogError::Spawn { .. }), "{err}");
    assert!(err.to_string().contains("no-such-program"), "{err}");
}

#[test]
fn exec_catalog_passes_on_a_refusal_and_whether_to_retry() {
    let dir = tempfile::tempdir().expect("tempdir");
    Exec.create(dir.path(), &seed_rows());
    let mut c = exec_catalog(dir.path(), &["--refuse"]);
    let err = c.mark_offline("alpha").expect_err("refused");
    assert!(
        matches!(
            err,
            CatalogError::Refused {
                permanent: false,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(err.kind(), FailureKind::Transient);
    assert!(
        err.to_string().contains("read-only during its failover"),
        "{err}"
    );
}
