//! A driver killed during a repatriation (with and without its last request
//! reaching ARM, so between a PUT being sent and its answer) and resumed
//! from what it observes in both regions: the repatriation finishes with
//! every tenant online once in the origin region, served by a live primary
//! under its own name, routed there; the model seeded at most one
//! geo-replica and ran at most one failover per database, restored each
//! database once, and deleted no pre-outage copy before its replacement
//! failed over.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};

use proptest::prelude::*;
use scheduler::fleet::Routing;
use sim::request::DbState;
use sim::runner::{RunOutput, Runner};

mod common;

use common::scenario;

/// The fleets: the repatriation scenario (catalog routing, half the
/// tenants changed) and the demo with a repatriation, routed through the
/// catalog or through server aliases. New sign-ups are left out (a resumed
/// driver re-announces them; the crash harness does not).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Case {
    Repatriation,
    Demo,
    DemoAliases,
}

fn runner(case: Case) -> (Runner, impl Fn() -> Box<dyn scheduler::Strategy>) {
    let name = match case {
        Case::Repatriation => "repatriation",
        Case::Demo | Case::DemoAliases => "wingtip-demo",
    };
    let s = scenario(name);
    let mut settings = s.settings(1);
    settings.new_tenants = None;
    settings.repatriate_at_ms.get_or_insert(0);
    if settings.changed_share == 0.0 {
        settings.changed_share = 0.5;
    }
    let mut fleet = s.fleet.clone();
    if case == Case::DemoAliases {
        fleet.routing = Routing::ServerAlias;
    }
    let knobs = s.file.strategy.knobs();
    let strategy = move || scheduler::strategy::build("priority-pacing", &knobs).expect("strategy");
    let runner = Runner::new(fleet, strategy(), settings).expect("runner");
    (runner, strategy)
}

/// Commands handed out before the repatriation was requested, and in all,
/// in a run without crash (computed once per case).
fn counts(case: Case) -> (u64, u64) {
    static COUNTS: OnceLock<Mutex<BTreeMap<Case, (u64, u64)>>> = OnceLock::new();
    let map = COUNTS.get_or_init(|| Mutex::new(BTreeMap::new()));
    if let Some(&c) = map.lock().expect("counts").get(&case) {
        return c;
    }
    let (runner, _) = runner(case);
    let out = runner.run().expect("run");
    check(&out, "no crash");
    let c = (
        out.recorder.commands_at_repatriation.expect("repatriated"),
        out.recorder.commands,
    );
    map.lock().expect("counts").insert(case, c);
    c
}

/// The end of a repatriation, checked against the model and the catalog.
fn check(out: &RunOutput, at: &str) {
    let status = out.scheduler.status();
    let estate = out.scheduler.estate();
    let fleet = &estate.fleet;
    let tenants = estate.fleet_databases;
    assert_eq!(
        format!("{:?}", status.phase),
        "Repatriated",
        "{at}: {status:?}"
    );
    let stats = out.model.stats();
    // Every tenant is home (one whose restore failed for good goes back to
    // its untouched origin copy).
    assert_eq!(status.failed, 0, "{at}: {:?}", out.scheduler.failures());
    assert_eq!(
        status.online_in_origin,
        tenants,
        "{at}: {status:?} {:?}",
        out.scheduler.failures()
    );
    let log = out.model.repatriation_log();
    for (db, n) in log.seedings.iter().chain(&log.failovers) {
        assert!(
            *n <= 1,
            "{at}: {db} seeded or failed over {n} times: {log:?}"
        );
    }
    assert!(
        log.early_preoutage_deletes.is_empty(),
        "{at}: pre-outage copies deleted before their replacement failed over: {:?}",
        log.early_preoutage_deletes
    );
    assert_eq!(
        stats.restores_accepted,
        stats.restores_ended(),
        "{at}: every accepted restore ended once"
    );
    assert_eq!(
        stats.restores_succeeded + stats.restores_failed_permanent,
        tenants as u64 + 1,
        "{at}: one restore per database and the catalog (succeeded {}, failed {})",
        stats.restores_succeeded,
        stats.restores_failed_permanent
    );
    let rows = out.recorder.catalog_rows.as_ref();
    for (i, db) in fleet.databases[..tenants].iter().enumerate() {
        assert_eq!(
            out.scheduler.tenant_state(scheduler::fleet::DbId(i as u32)),
            Some(scheduler::TenantState::Online(scheduler::Region::Origin)),
            "{at}: {}",
            db.tenant_id
        );
        let server = &fleet.servers[db.server.0 as usize];
        let live = out.model.database(&server.name, &db.name);
        assert_eq!(
            live.map(|d| d.state),
            Some(DbState::Online),
            "{at}: {}/{} not an online primary",
            server.name,
            db.name
        );
        let aside = fleet.preoutage_name(&db.name);
        assert!(
            out.model.database(&server.name, &aside).is_none(),
            "{at}: {}/{aside} left behind",
            server.name
        );
        if let Some(rows) = rows {
            let row = &rows[&db.tenant_id];
            assert!(row.online, "{at}: {} offline in the catalog", db.tenant_id);
            let routed = row
                .server
                .strip_suffix(".database.windows.net")
                .unwrap_or(&row.server);
            assert_eq!(
                routed, server.name,
                "{at}: {} routed elsewhere",
                db.tenant_id
            );
        }
        if fleet.routing == Routing::ServerAlias {
            assert_eq!(
                out.model.dns_alias_target(&fleet.server_alias(server)),
                Some(server.name.as_str()),
                "{at}: alias of {}",
                server.name
            );
        }
    }
}

/// Crashes `case` after `after` commands (the last reaching ARM if
/// `reached`), resumes, runs to the end and checks it.
fn crash_and_resume(case: Case, after: u64, reached: bool) {
    let (runner, strategy) = runner(case);
    let at = format!("{case:?}, crash after {after} commands, reached {reached}");
    let out = runner
        .run_with_crash(after, reached, strategy())
        .unwrap_or_else(|e| panic!("{at}: {e}"));
    check(&out, &at);
}

/// Every crash point of the demo's repatriation (catalog and server-alias
/// routing) with the last request on the wire and its answer lost (so
/// every rename, geo-replica PUT, failover and delete is caught between
/// being sent and its answer), and every fifth without it reaching ARM.
#[test]
fn a_repatriation_resumes_from_every_crash_point_of_the_demo() {
    for case in [Case::Demo, Case::DemoAliases] {
        let (start, total) = counts(case);
        for after in start..total {
            crash_and_resume(case, after, true);
            if after % 5 == 0 {
                crash_and_resume(case, after, false);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    /// Random crash points during the repatriation of random cases.
    #[test]
    fn any_crash_point_of_a_repatriation_resumes(
        case in prop::sample::select(vec![Case::Repatriation, Case::Demo, Case::DemoAliases]),
        frac in 0.0f64..1.0,
        reached in any::<bool>(),
    ) {
        let (start, total) = counts(case);
        let after = start + ((total - start) as f64 * frac) as u64;
        crash_and_resume(case, after, reached);
    }
}
