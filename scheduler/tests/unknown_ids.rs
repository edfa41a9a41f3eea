//! Ids from outside the scheduler (e.g. actions read back from a journal of
//! another run) never make the estate or `Action::describe` panic: lookups
//! give `None` and names render as `<unknown database #N>` and the like.

use scheduler::fleet::{DbId, Fleet, PoolId, ServerId};
use scheduler::{
    Action, AliasRef, DbCopy, Estate, Placement, Region, Scheduler, ServerRef, strategy,
};

const DEMO: &str = include_str!("../../scenarios/fleets/wingtip-demo.toml");

fn estate() -> Estate {
    Estate::new(Fleet::from_toml_str(DEMO, "demo.toml").expect("demo fleet"))
}

/// Every action that names a database, pool or server, with the given ids.
fn actions(db: DbId, pool: PoolId, server: ServerId) -> Vec<Action> {
    vec![
        Action::CreateServer {
            server: ServerRef::Mirror(server),
        },
        Action::CreatePool { pool },
        Action::RestoreDatabase {
            db,
            placement: Placement::Pool(pool),
        },
        Action::RestoreDatabase {
            db,
            placement: Placement::Standalone,
        },
        Action::PollServer {
            server,
            region: Region::Origin,
        },
        Action::PollServer {
            server,
            region: Region::Recovery,
        },
        Action::MoveAlias {
            alias: AliasRef::Server(server),
            to: Region::Recovery,
        },
        Action::SetRouting {
            db,
            to: Region::Recovery,
        },
        Action::SetTenantOnline { db, online: true },
        Action::CheckChanged { db },
        Action::RenameOriginCopy { db },
        Action::ReplicateToOrigin { db },
        Action::Failover { db },
        Action::MoveToPool { db },
        Action::DeleteDatabase {
            db,
            copy: DbCopy::Recovery,
        },
        Action::DeleteDatabase {
            db,
            copy: DbCopy::OriginPreOutage,
        },
        Action::DeletePool { pool },
        Action::DeleteServer {
            server: ServerRef::Mirror(server),
        },
    ]
}

#[test]
fn estate_lookups_of_unknown_ids_are_none() {
    let estate = estate();
    let db = DbId(estate.fleet.databases.len() as u32);
    let pool = PoolId(estate.fleet.pools.len() as u32);
    let server = ServerId(estate.fleet.servers.len() as u32);
    assert!(estate.database(db).is_none());
    assert!(estate.pool(pool).is_none());
    assert!(estate.server(server).is_none());
    assert!(estate.database(DbId(u32::MAX)).is_none());
    assert_eq!(estate.db_name(DbId(42)), "<unknown database #42>");
    assert_eq!(estate.database_name(DbId(42)), "<unknown database #42>");
    assert_eq!(estate.tenant_name(DbId(42)), "<unknown tenant #42>");
    assert_eq!(estate.pool_name(PoolId(7)), "<unknown pool #7>");
    assert_eq!(estate.mirror_pool_name(PoolId(7)), "<unknown pool #7>");
    assert_eq!(estate.server_name(ServerId(9)), "<unknown server #9>");
    assert_eq!(
        estate.server_ref_name(ServerRef::Mirror(ServerId(9))),
        "<unknown server #9>"
    );
    // Known ids still resolve.
    assert!(estate.database(DbId(0)).is_some());
    assert!(!estate.db_name(DbId(0)).contains("unknown"));
}

#[test]
fn describe_renders_unknown_ids_instead_of_panicking() {
    let estate = estate();
    for (db, pool, server) in [
        (DbId(42), PoolId(4_000), ServerId(300)),
        (DbId(u32::MAX), PoolId(u32::MAX), ServerId(u32::MAX)),
    ] {
        for action in actions(db, pool, server) {
            let text = action.describe(&estate).to_string();
            assert!(
                text.contains(&format!("#{}", db.0))
                    || text.contains(&format!("#{}", pool.0))
                    || text.contains(&format!("#{}", server.0)),
                "{action:?} rendered as {text:?}"
            );
            assert!(text.contains("<unknown") || text.contains("<alias of unknown"));
        }
    }
    let text = Action::SetRouting {
        db: DbId(42),
        to: Region::Origin,
    }
    .describe(&estate)
    .to_string();
    assert!(
        text.starts_with("route tenant <unknown tenant #42> to "),
        "{text}"
    );
    let text = Action::DeleteDatabase {
        db: DbId(42),
        copy: DbCopy::Recovery,
    }
    .describe(&estate)
    .to_string();
    assert_eq!(text, "delete recovery copy of <unknown database #42>");
}

#[test]
fn known_ids_describe_as_before() {
    let estate = estate();
    let db = DbId(0);
    let info = estate.database(db).expect("first database").clone();
    let server = estate.server(info.server).expect("its server");
    let text = Action::DeleteDatabase {
        db,
        copy: DbCopy::Recovery,
    }
    .describe(&estate)
    .to_string();
    assert_eq!(
        text,
        format!("delete recovery copy of {}/{}", server.name, info.name)
    );
}

#[test]
fn a_scheduler_reports_unknown_ids_as_absent() {
    let fleet = Fleet::from_toml_str(DEMO, "demo.toml").expect("demo fleet");
    let scheduler = Scheduler::new(
        fleet,
        strategy::by_name("priority-pacing").expect("built in"),
        scheduler::Config::default(),
        0,
    );
    assert_eq!(scheduler.tenant_state(DbId(u32::MAX)), None);
    assert_eq!(scheduler.placement(DbId(u32::MAX)), None);
    assert_eq!(scheduler.recovery_copy(DbId(u32::MAX)), None);
    assert_eq!(scheduler.action(scheduler::OpId(u64::MAX)), None);
    assert!(scheduler.estate().database(DbId(u32::MAX)).is_none());
}
