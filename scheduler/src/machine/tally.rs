//! Per-server counts of tenants, kept up to date by every tenant transition,
//! so that the server-alias barriers (recovery and repatriation) are O(1)
//! checks instead of scans of the server's tenants.
//!
//! Every change of a tenant's state, `home_ready` or `stays` goes through
//! [`Scheduler::force_tenant`], [`Scheduler::set_home_ready`] or
//! [`Scheduler::set_stays`], which take the tenant's contribution out of its
//! server's tally before the change and put it back after.
//! [`Scheduler::check_invariants`] recounts and compares.

use crate::command::Region;
use crate::fleet::ServerId;
use crate::state::TenantState;

use super::{Scheduler, Tenant};

/// How many tenants of one server are in each situation a barrier asks about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct ServerTally {
    /// In `Routing(Recovery)`: waiting for the alias to move to recovery.
    pub(crate) routing_recovery: u32,
    /// In `Routing(Origin)`: waiting for the alias to come home.
    pub(crate) routing_origin: u32,
    /// `Failed`.
    pub(crate) failed: u32,
    /// `Online(Origin)`.
    pub(crate) online_origin: u32,
    /// `Replicating` with its origin side ready: waiting for its server-mates
    /// to go home together.
    pub(crate) ready_to_go_home: u32,
    /// Must stay in the recovery region (repatriation failed for it).
    pub(crate) stays: u32,
}

impl ServerTally {
    /// The counts for the tenants `tenants` (a recount).
    pub(crate) fn of<'a>(tenants: impl IntoIterator<Item = &'a Tenant>) -> ServerTally {
        let mut tally = ServerTally::default();
        for tenant in tenants {
            tally.add(tenant);
        }
        tally
    }

    /// Counts `tenant` in.
    pub(crate) fn add(&mut self, tenant: &Tenant) {
        self.each(tenant, |count| *count += 1);
    }

    /// Counts `tenant` out (saturating: a wrong count is reported by
    /// `check_invariants`, never a panic).
    pub(crate) fn remove(&mut self, tenant: &Tenant) {
        self.each(tenant, |count| *count = count.saturating_sub(1));
    }

    fn each(&mut self, tenant: &Tenant, mut apply: impl FnMut(&mut u32)) {
        match tenant.state {
            TenantState::Routing(Region::Recovery) => apply(&mut self.routing_recovery),
            TenantState::Routing(Region::Origin) => apply(&mut self.routing_origin),
            TenantState::Failed => apply(&mut self.failed),
            TenantState::Online(Region::Origin) => apply(&mut self.online_origin),
            TenantState::Replicating if tenant.home_ready => apply(&mut self.ready_to_go_home),
            _ => {}
        }
        if tenant.stays {
            apply(&mut self.stays);
        }
    }
}

impl Scheduler {
    /// The tally of `server`'s tenants.
    pub(crate) fn tally(&self, server: ServerId) -> ServerTally {
        self.tallies
            .get(server.0 as usize)
            .copied()
            .unwrap_or_default()
    }

    /// Changes one tenant through `change`, keeping its server's tally exact.
    pub(crate) fn update_tenant<R>(
        &mut self,
        db: crate::fleet::DbId,
        change: impl FnOnce(&mut Tenant) -> R,
    ) -> R {
        let tenant = &mut self.tenants[db.0 as usize];
        let tally = &mut self.tallies[tenant.server.0 as usize];
        tally.remove(tenant);
        let result = change(tenant);
        tally.add(tenant);
        result
    }

    /// Marks the tenant's origin side ready for the switch.
    pub(crate) fn set_home_ready(&mut self, db: crate::fleet::DbId) {
        self.update_tenant(db, |t| t.home_ready = true);
    }

    /// Marks the tenant as staying in the recovery region.
    pub(crate) fn set_stays(&mut self, db: crate::fleet::DbId) {
        self.update_tenant(db, |t| t.stays = true);
    }

    /// Recounts every server's tally from its tenants; the first server
    /// whose kept counts differ, as an error message.
    pub(crate) fn check_tallies(&self) -> Result<(), String> {
        let servers = &self.estate.fleet.servers;
        if self.tallies.len() != servers.len() {
            return Err(format!(
                "{} server tallies for {} servers",
                self.tallies.len(),
                servers.len()
            ));
        }
        for (i, (server, kept)) in servers.iter().zip(&self.tallies).enumerate() {
            let mut members = Vec::with_capacity(server.databases.len());
            for &db in &server.databases {
                let Some(tenant) = self.tenants.get(db.0 as usize) else {
                    return Err(format!(
                        "server {} lists database #{} that has no tenant",
                        server.name, db.0
                    ));
                };
                if tenant.server.0 as usize != i {
                    return Err(format!(
                        "{} is listed on server {} but counted on server #{}",
                        self.estate.db_name(db),
                        server.name,
                        tenant.server.0
                    ));
                }
                members.push(tenant);
            }
            let recount = ServerTally::of(members);
            if recount != *kept {
                return Err(format!(
                    "server {}: kept counts {kept:?} differ from a recount {recount:?}",
                    server.name
                ));
            }
        }
        let listed: usize = servers.iter().map(|s| s.databases.len()).sum();
        if listed != self.tenants.len() {
            return Err(format!(
                "servers list {listed} databases but there are {} tenants",
                self.tenants.len()
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::fleet::Fleet;
    use crate::plan::{PlanOptions, dry_run};
    use crate::strategy::by_name;
    use crate::{Config, Phase};

    const DEMO: &str = include_str!("../../../scenarios/fleets/wingtip-demo.toml");

    fn alias_fleet() -> Fleet {
        let text = DEMO.replace("routing = \"catalog\"", "routing = \"server-alias\"");
        Fleet::from_toml_str(&text, "demo.toml").expect("demo fleet")
    }

    /// A tally that disagrees with the tenants is reported by
    /// `check_invariants`, whichever count is wrong.
    #[test]
    fn check_invariants_reports_a_wrong_tally() {
        let options = PlanOptions {
            repatriate: true,
            all_changed: true,
        };
        let strategy = by_name("priority-pacing").expect("built in");
        let run = dry_run(alias_fleet(), strategy, Config::default(), options).expect("dry run");
        let mut scheduler = run.scheduler;
        assert_eq!(scheduler.phase(), Phase::Repatriated);
        assert_eq!(scheduler.check_invariants(), Ok(()));
        let kept = scheduler.tallies[0];
        assert_eq!(
            kept.online_origin as usize,
            scheduler.estate.fleet.servers[0].databases.len()
        );
        let corruptions: [fn(&mut super::ServerTally); 6] = [
            |t| t.routing_recovery += 1,
            |t| t.routing_origin += 1,
            |t| t.failed += 1,
            |t| t.online_origin -= 1,
            |t| t.ready_to_go_home += 1,
            |t| t.stays += 1,
        ];
        for corrupt in corruptions {
            corrupt(&mut scheduler.tallies[0]);
            let error = scheduler
                .check_invariants()
                .expect_err("wrong tally reported");
            assert!(error.contains("differ from a recount"), "{error}");
            scheduler.tallies[0] = kept;
        }
        scheduler.tallies.pop();
        let error = scheduler
            .check_invariants()
            .expect_err("missing tally reported");
        assert!(error.contains("server tallies"), "{error}");
    }
}
