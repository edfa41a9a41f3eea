//! What the ARM front end ([`crate::serve`]) needs beyond `submit`: a token
//! charge for requests the model has no resource for, and free read-only
//! views (no token, no clock change) used to render ARM bodies.

use super::AzureModel;
use super::state::OpKind;
use crate::arm::{OpClass, Throttle};
use crate::request::{DatabaseInfo, DbId, DbState, Region};

/// A database's geo-replication link, as seen from one end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GeoLink<'a> {
    /// The partner's server.
    pub partner_server: &'a str,
    /// The partner database's name.
    pub partner_name: &'a str,
    /// The partner server's region.
    pub partner_region: Region,
    /// Whether this end is the secondary (during a planned failover: the
    /// end being promoted).
    pub is_secondary: bool,
    /// Whether the secondary is still being seeded.
    pub seeding: bool,
    /// Model time the link was made (the secondary's creation, ms).
    pub started_ms: u64,
}

impl AzureModel {
    /// Takes one ARM token of `class` at `now_ms` for a request the model
    /// keeps no resource for (a resource group, an App Service plan, a
    /// malformed request ARM still counts): `Ok(whole tokens left)`, or the
    /// throttle (429) with nothing done. Counts the request (and the
    /// refusal) in [`crate::Stats`] like [`AzureModel::submit`]; advances
    /// the clock to `now_ms` like it; has no other effect.
    pub fn charge(&mut self, class: OpClass, now_ms: u64) -> Result<u32, Throttle> {
        let now = self.sync(now_ms);
        self.stats.requests[class.index()] += 1;
        let taken = self.buckets.try_take(class, now);
        if class == OpClass::Writes {
            self.stats.submission.write(now, false, taken.is_err());
        }
        if taken.is_err() {
            self.stats.throttled[class.index()] += 1;
        }
        taken
    }

    /// The region of a live server (any provisioning state), `None` if it
    /// does not exist.
    pub fn server_region(&self, server: &str) -> Option<Region> {
        let sid = *self.server_names.get(server)?;
        Some(self.servers[sid.0 as usize].region)
    }

    /// Whether a live server is provisioned (`Some(true)`), still being
    /// created or failed (`Some(false)`); `None` if it does not exist.
    pub fn server_ready(&self, server: &str) -> Option<bool> {
        let sid = *self.server_names.get(server)?;
        let s = &self.servers[sid.0 as usize];
        s.alive
            .then_some(s.state == super::state::Provisioning::Ready)
    }

    /// Whether a web app exists and is provisioned.
    pub fn web_app_ready(&self, name: &str) -> bool {
        self.web_app_names
            .get(name)
            .and_then(|&i| self.web_apps.get(i as usize))
            .is_some_and(|p| *p == super::state::Provisioning::Ready)
    }

    /// The change log of a live server's databases: an identity of the
    /// server (a server deleted and created again has another), and every
    /// change to its databases in order (`true`: renamed). A reader that
    /// remembers how many entries it read needs only the ones after.
    pub fn database_changes(&self, server: &str) -> Option<(u32, &[(DbId, bool)])> {
        let sid = *self.server_names.get(server)?;
        Some((sid.0, &self.servers[sid.0 as usize].changes))
    }

    /// One database of the model by id: its current name, what a list
    /// shows of it, and whether it still exists.
    pub fn database_entry(&self, db: DbId) -> Option<(&str, DatabaseInfo, bool)> {
        let d = self.databases.get(db.0 as usize)?;
        Some((&d.name, self.info(db), d.alive))
    }

    /// The live databases of a server in name order (byte order of the
    /// names), with their state; `None` if the server does not exist.
    /// Free: no token, no clock change (the ARM list itself is
    /// `ArmRequest::ListDatabases`).
    pub fn databases_of(
        &self,
        server: &str,
    ) -> Option<impl ExactSizeIterator<Item = (&str, DatabaseInfo)> + '_> {
        let sid = *self.server_names.get(server)?;
        Some(
            self.servers[sid.0 as usize]
                .databases
                .iter()
                .map(|(name, &db)| (&**name, self.info(db))),
        )
    }

    /// The geo-replication link of the live database `server/name`, if it
    /// has a partner (it is a geo-secondary, or the primary of one).
    pub fn geo_link(&self, server: &str, name: &str) -> Option<GeoLink<'_>> {
        let sid = *self.server_names.get(server)?;
        let db = *self.servers[sid.0 as usize].databases.get(name)?;
        let d = &self.databases[db.0 as usize];
        let partner = d.partner?;
        let p = &self.databases[partner.0 as usize];
        let is_secondary = match d.state {
            DbState::Seeding | DbState::Secondary => true,
            DbState::FailingOver => matches!(
                d.op.and_then(|op| self.op(op)).map(|o| o.kind),
                Some(OpKind::Failover { db: target }) if target == db
            ),
            _ => false,
        };
        let partner_server = &self.servers[p.server.0 as usize];
        Some(GeoLink {
            partner_server: &partner_server.name,
            partner_name: &p.name,
            partner_region: partner_server.region,
            is_secondary,
            seeding: d.state == DbState::Seeding || p.state == DbState::Seeding,
            started_ms: d.created_ms.max(p.created_ms),
        })
    }

    /// The region of a pool's server (live or deleted pool), `None` for an
    /// unknown id. Free: no token, no clock change.
    pub fn pool_region(&self, pool: crate::request::PoolId) -> Option<Region> {
        let p = self.pools.get(pool.0 as usize)?;
        self.servers.get(p.server.0 as usize).map(|s| s.region)
    }

    /// Model time the pool was first PUT (ms), live or deleted.
    pub fn pool_created_ms(&self, pool: crate::request::PoolId) -> Option<u64> {
        self.pools.get(pool.0 as usize).map(|p| p.created_ms)
    }
}
