//! Requests the repatriation and cleanup steps need (rename, delete pool,
//! delete web app) and the application-side creation of new tenants.

use super::state::{Database, OpKind, Provisioning};
use super::{AzureModel, Reply, rejected};
use crate::codes;
use crate::durations;
use crate::request::{ArmResponse, DbId, DbState, Name};

impl AzureModel {
    /// Renames an online, idle database. Takes a metadata-operation time
    /// drawn like a database delete (`database_delete`, no separate figure).
    pub(super) fn rename_database(
        &mut self,
        now: u64,
        server: &str,
        name: &str,
        new_name: Name,
    ) -> Reply {
        let sid = self.find_server(server)?;
        let db = self.find_database(sid, name)?;
        let d = &self.databases[db.0 as usize];
        if d.op.is_some() || !matches!(d.state, DbState::Online | DbState::Secondary) {
            return Err(rejected(
                409,
                codes::INVALID_DATABASE_STATE,
                format!("database '{name}' on server '{server}' is busy"),
            ));
        }
        if self.servers[sid.0 as usize]
            .databases
            .contains_key(&new_name)
        {
            return Err(rejected(
                409,
                codes::DATABASE_ALREADY_EXISTS,
                format!("database '{new_name}' already exists on server '{server}'"),
            ));
        }
        let s = &mut self.servers[sid.0 as usize];
        s.databases.remove(name);
        s.databases.insert(Name::clone(&new_name), db);
        self.databases[db.0 as usize].name = new_name;
        self.touch_as(db, true);
        let mut draws = self.draws(&["rename", server, name]);
        let after = durations::lognormal_ms(&mut draws, self.params.database_delete);
        Ok(self.timed_op(now, after, OpKind::Noop, None))
    }

    /// Deletes an empty elastic pool; 409 while databases remain in it, and
    /// 409 `AnotherOperationInProgress` (retry later) while its creation is
    /// still running, as ARM refuses a second operation on a resource
    /// being provisioned.
    pub(super) fn delete_pool(&mut self, now: u64, server: &str, pool: &str) -> Reply {
        let Some(&sid) = self.server_names.get(server) else {
            return Ok(ArmResponse::Completed);
        };
        self.available(sid)?;
        let Some(&pid) = self.servers[sid.0 as usize].pools.get(pool) else {
            return Ok(ArmResponse::Completed);
        };
        if self.pools[pid.0 as usize].state == Provisioning::InProgress {
            return Err(rejected(
                409,
                codes::ANOTHER_OPERATION_IN_PROGRESS,
                format!("elastic pool '{pool}' on server '{server}' is being created"),
            ));
        }
        if self.pools[pid.0 as usize].databases > 0 {
            return Err(rejected(
                409,
                codes::INVALID_DATABASE_STATE,
                format!("elastic pool '{pool}' on server '{server}' still holds databases"),
            ));
        }
        self.servers[sid.0 as usize].pools.remove(pool);
        let mut draws = self.draws(&["pool_delete", server, pool]);
        let after = durations::lognormal_ms(&mut draws, self.params.database_delete);
        Ok(self.timed_op(now, after, OpKind::Noop, None))
    }

    /// Deletes a web app; a missing app answers `Completed`.
    pub(super) fn delete_web_app(&mut self, now: u64, name: &str) -> Reply {
        if self.web_app_names.remove(name).is_none() {
            return Ok(ArmResponse::Completed);
        }
        let mut draws = self.draws(&["web_app_delete", name]);
        let after = durations::lognormal_ms(&mut draws, self.params.database_delete);
        Ok(self.timed_op(now, after, OpKind::Noop, None))
    }

    /// A tenant that signed up during the outage: the application created
    /// its database (online, `size_gb` 0) in `pool` on the recovery-region
    /// `server` at `now_ms`. Costs no ARM token (the app's own deployment
    /// identity is outside this subscription's budget in the model). Fails
    /// with the Azure-like rejection when the server or pool is not ready,
    /// the name is taken or the pool is full.
    pub fn create_tenant_database(
        &mut self,
        now_ms: u64,
        server: &str,
        name: &str,
        pool: &str,
    ) -> Result<DbId, ArmResponse> {
        self.sync(now_ms);
        let sid = self.ready_server(server)?;
        let pid = self.ready_pool(sid, pool)?;
        self.room_for(sid, name, Some(pid))?;
        Ok(self.insert_database(Database {
            server: sid,
            name: name.into(),
            pool: Some(pid),
            size_gb: 0.0,
            state: DbState::Online,
            alive: true,
            op: None,
            partner: None,
            source: None,
            created_ms: self.now_ms,
        }))
    }
}
