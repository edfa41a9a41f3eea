//! Restores from a region's own backups (not geo-backups): point-in-time
//! restore of a live database (`createMode: PointInTimeRestore`) and
//! restore of a dropped database (`createMode: Restore`). Both are queued
//! like geo-restores (the target pool's, or the standalone, restore
//! queue) and take the restore duration law for the source's size, drawn
//! from their own streams (so geo-restores draw exactly as before).
//!
//! Backups are kept [`PITR_RETENTION_MS`] (Azure's default short-term
//! retention, 7 days): a live database can be restored to any point from
//! `max(created, now - retention)` to now; a dropped one, within the
//! retention after its deletion, to any point from `max(created,
//! deleted - retention)` to its deletion (the default).

use super::state::{Database, Provisioning};
use super::{AzureModel, Reply, rejected};
use crate::codes;
use crate::request::{DbId, DbRef, DbState, Name};
use crate::rng::fnv1a_64_parts;

/// How long a database's own backups are kept (ms): 7 days.
pub const PITR_RETENTION_MS: u64 = 7 * 86_400_000;

impl AzureModel {
    /// Notes that `db` was dropped at `at` by a DELETE: restorable while
    /// its backups are kept, if it had any (it was online).
    pub(super) fn note_dropped(&mut self, at: u64, db: DbId) {
        let d = &self.databases[db.0 as usize];
        if matches!(
            d.state,
            DbState::Online | DbState::Secondary | DbState::FailingOver | DbState::Moving
        ) {
            self.dropped.push((db, at));
        }
    }

    /// `createMode: PointInTimeRestore` of the live database `source` to
    /// `point_ms` (model time) into `server/name`.
    pub(super) fn restore_point_in_time(
        &mut self,
        now: u64,
        server: &str,
        name: Name,
        pool: Option<&str>,
        source: &DbRef,
        point_ms: i64,
    ) -> Reply {
        let sid = self.ready_server(server)?;
        let ssid = self.find_server(&source.server)?;
        let db = *self.servers[ssid.0 as usize]
            .databases
            .get(&source.name)
            .ok_or_else(|| source_not_found(&source.server, &source.name))?;
        let d = &self.databases[db.0 as usize];
        if matches!(
            d.state,
            DbState::RestoreQueued | DbState::Restoring | DbState::Seeding
        ) {
            return Err(rejected(
                409,
                codes::INVALID_DATABASE_STATE,
                format!(
                    "database '{}' on server '{}' has no backups yet (it is still being created)",
                    source.name, source.server
                ),
            ));
        }
        let earliest = d.created_ms.max(now.saturating_sub(PITR_RETENTION_MS));
        check_point(point_ms, earliest, now)?;
        let size_gb = d.size_gb;
        let pid = self.optional_pool(sid, pool)?;
        self.room_for(sid, &name, pid)?;
        let stream = fnv1a_64_parts(&["pitr_restore", server, &name]);
        self.queue_restore(now, sid, name, pid, size_gb, false, stream)
    }

    /// `createMode: Restore` of the database `source` dropped at
    /// `deleted_ms`, to `point_ms` (its deletion when `None`), into
    /// `server/name`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn restore_dropped(
        &mut self,
        now: u64,
        server: &str,
        name: Name,
        pool: Option<&str>,
        source: &DbRef,
        deleted_ms: u64,
        point_ms: Option<i64>,
    ) -> Reply {
        let sid = self.ready_server(server)?;
        let found = self.dropped.iter().rev().find(|&&(db, at)| {
            at == deleted_ms
                && self
                    .database_name(db)
                    .is_some_and(|(s, n)| s == &*source.server && n == &*source.name)
        });
        let Some(&(db, _)) = found else {
            return Err(source_not_found(&source.server, &source.name));
        };
        if deleted_ms.saturating_add(PITR_RETENTION_MS) < now {
            return Err(source_not_found(&source.server, &source.name));
        }
        let Database {
            created_ms,
            size_gb,
            server: source_server,
            ..
        } = self.databases[db.0 as usize];
        if self.servers[source_server.0 as usize].state != Provisioning::Ready {
            return Err(source_not_found(&source.server, &source.name));
        }
        if let Some(point) = point_ms {
            let earliest = created_ms.max(deleted_ms.saturating_sub(PITR_RETENTION_MS));
            check_point(point, earliest, deleted_ms)?;
        }
        let pid = self.optional_pool(sid, pool)?;
        self.room_for(sid, &name, pid)?;
        let stream = fnv1a_64_parts(&["dropped_restore", server, &name]);
        self.queue_restore(now, sid, name, pid, size_gb, false, stream)
    }

    /// The backups a dropped database left, as `(server, name,
    /// deleted_ms)`, oldest deletion first (restorable ones only).
    pub fn restorable_dropped_databases(&self) -> Vec<(&str, &str, u64)> {
        let now = self.now_ms;
        self.dropped
            .iter()
            .filter(|(_, at)| at.saturating_add(PITR_RETENTION_MS) >= now)
            .filter_map(|&(db, at)| {
                let (s, n) = self.database_name(db)?;
                Some((s, n, at))
            })
            .collect()
    }
}

fn source_not_found(server: &str, name: &str) -> crate::request::ArmResponse {
    rejected(
        400,
        codes::SOURCE_DATABASE_NOT_FOUND,
        format!("the source database '{name}' on server '{server}' has no restorable backups"),
    )
}

/// `point` must lie within `[earliest, latest]` (model ms).
fn check_point(point: i64, earliest: u64, latest: u64) -> Result<(), crate::request::ArmResponse> {
    let as_i64 = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    if point < as_i64(earliest) || point > as_i64(latest) {
        return Err(rejected(
            400,
            codes::INVALID_REQUEST_CONTENT,
            format!(
                "restorePointInTime is {point} ms (model time); it must lie between the earliest restore point ({earliest} ms) and the latest ({latest} ms)"
            ),
        ));
    }
    Ok(())
}
