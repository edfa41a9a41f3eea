//! The fast-forward: answering a fresh scheduler's own commands from an
//! [`ObservedEstate`] (see the module docs of [`super`]).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use arm::PollTarget;

use super::{
    ObservedDatabase, ObservedEstate, ObservedPool, ObservedServer, ObservedStatus, ResumeError,
};
use crate::command::{Action, AliasRef, DbCopy, OpId, Region, ServerRef};
use crate::fleet::{DbId, Fleet, Routing, ServerId};
use crate::machine::{Config, OpState, Phase, Scheduler};
use crate::protocol::follow::Known;
use crate::protocol::names::Names;
use crate::protocol::step::Step;
use crate::protocol::{SQL_DNS_SUFFIX, Work};
use crate::state::RecoveryCopy;
use crate::strategy::Strategy;

/// What the observation says about one effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// It is there.
    Done,
    /// It is on its way.
    Running,
    /// It is not there (or nothing can be told).
    NotDone,
}

/// What the observation shows of one database's way home during a
/// repatriation: its copy under its own name in the origin region, whether
/// the pre-outage copy renamed aside exists there, and its recovery copy.
#[derive(Debug, Clone, Copy)]
struct Home<'a> {
    origin: Option<&'a ObservedDatabase>,
    aside: bool,
    recovery: Option<&'a ObservedDatabase>,
}

impl Home<'_> {
    /// The planned failover is done: the origin copy is an online primary
    /// and the recovery copy is its geo-secondary, or gone while the
    /// pre-outage copy is still there (before the failover, a recovery
    /// copy is a primary; it is deleted only once the tenant is home).
    fn failed_over(&self) -> bool {
        let origin_primary = self
            .origin
            .is_some_and(|o| !o.secondary && o.status == ObservedStatus::Online);
        origin_primary
            && match self.recovery {
                Some(r) => r.secondary,
                None => self.aside,
            }
    }

    /// The pre-outage copy was renamed aside (only that rename makes it;
    /// it is deleted only after the failover).
    fn renamed(&self) -> bool {
        self.aside || self.failed_over()
    }

    /// The geo-replica to the origin: seeded (or already failing or failed
    /// over: a primary under the original name next to the renamed-aside
    /// copy), seeding, or not there.
    fn replica(&self) -> Seen {
        match self.origin {
            _ if self.failed_over() => Seen::Done,
            Some(o) if o.secondary && o.status == ObservedStatus::Online => Seen::Done,
            Some(o) if o.secondary => Seen::Running,
            Some(_) if self.aside => Seen::Done,
            _ => Seen::NotDone,
        }
    }

    /// Its way home has started: renamed aside, replica there, or failed
    /// over. (An unchanged tenant leaves no such trace; it is sent again,
    /// which is harmless.)
    fn under_way(&self) -> bool {
        self.aside || self.origin.is_some_and(|o| o.secondary) || self.failed_over()
    }
}

/// The observation, with the journal indexed by request.
struct View<'a> {
    obs: &'a ObservedEstate,
    /// `(method, path)` of journalled ARM requests -> their status URL.
    journal: BTreeMap<(&'static str, String), Option<PollTarget>>,
    /// During a repatriation: the servers with a tenant whose way home is
    /// under way (computed once, see [`View::note_servers_under_way`]).
    servers_under_way: BTreeSet<ServerId>,
}

/// A server name without the public DNS suffix.
fn bare(server: &str) -> &str {
    server.strip_suffix(SQL_DNS_SUFFIX).unwrap_or(server)
}

/// Actions only a repatriation issues.
fn repatriation_only(action: &Action) -> bool {
    matches!(
        action,
        Action::CheckChanged { .. }
            | Action::RenameOriginCopy { .. }
            | Action::ReplicateToOrigin { .. }
            | Action::Failover { .. }
            | Action::CreateServer {
                server: ServerRef::OriginNewTenants
            }
            | Action::CreateOriginNewTenantPool
            | Action::RenameOriginCatalog
            | Action::ReplicateCatalogToOrigin
            | Action::FailoverCatalog
            | Action::DeleteOriginCatalogCopy
            | Action::DeletePool { .. }
            | Action::DeleteServer { .. }
            | Action::DeleteWebApp
            | Action::SetRouting {
                to: Region::Origin,
                ..
            }
            | Action::MoveAlias {
                to: Region::Origin,
                ..
            }
            | Action::DeleteDatabase {
                copy: DbCopy::OriginPreOutage,
                ..
            }
    )
}

/// Actions only a cancel (or a repatriation) issues.
fn cancel_only(action: &Action) -> bool {
    matches!(
        action,
        Action::DeleteDatabase { .. }
            | Action::SetEndpoint {
                region: Region::Origin,
                enabled: true
            }
    )
}

impl<'a> View<'a> {
    fn new(obs: &'a ObservedEstate) -> Self {
        let mut journal = BTreeMap::new();
        for (command, poll) in &obs.in_flight {
            if let Work::Arm(request) = &command.work {
                let key = (request.method.as_str(), request.path.clone());
                // A URL wins over none (a later entry for the same request
                // may be its retry, not yet answered).
                let entry = journal.entry(key).or_insert(None);
                if poll.is_some() {
                    *entry = poll.clone();
                }
            }
        }
        View {
            obs,
            journal,
            servers_under_way: BTreeSet::new(),
        }
    }

    /// Notes, once, the servers with a tenant whose way home is observed
    /// under way (a server alias moved their tenants together).
    fn note_servers_under_way(&mut self, s: &Scheduler) {
        for i in 0..s.estate.fleet_databases {
            let db = DbId(i as u32);
            if let Some(info) = s.estate.database(db)
                && self.home(s, db).under_way()
            {
                self.servers_under_way.insert(info.server);
            }
        }
    }

    /// The journalled status URL of `work`'s request.
    fn url(&self, work: &Work) -> Option<PollTarget> {
        let Work::Arm(request) = work else {
            return None;
        };
        self.journal
            .get(&(request.method.as_str(), request.path.clone()))
            .cloned()
            .flatten()
    }

    /// Whether `db` is routed to its copy in `region` (its catalog row, or
    /// its server's alias with `routing = "server-alias"`).
    fn routed(&self, s: &Scheduler, db: DbId, region: Region) -> bool {
        let names = Names::new(&s.estate);
        let alias_routed =
            s.estate.fleet.routing == Routing::ServerAlias && !s.estate.is_new_tenant(db);
        if alias_routed {
            let Some(info) = s.estate.database(db) else {
                return false;
            };
            let id = names.alias(AliasRef::Server(info.server), Region::Recovery);
            let in_recovery = self.obs.aliases.get(&id.name) == Some(&id.server.name);
            return in_recovery == (region == Region::Recovery);
        }
        let Some(row) = self.row(s, db) else {
            return false;
        };
        bare(&row.server).eq_ignore_ascii_case(&names.database(db, region).server.name)
    }

    fn row(&self, s: &Scheduler, db: DbId) -> Option<&'a super::CatalogRow> {
        let tenant_id = &s.estate.database(db)?.tenant_id;
        self.obs.catalog.get(tenant_id)
    }

    /// A tenant database's way home, as observed.
    fn home(&self, s: &Scheduler, db: DbId) -> Home<'a> {
        let names = Names::new(&s.estate);
        let origin = names.database(db, Region::Origin);
        let aside = names.preoutage(db);
        let recovery = names.database(db, Region::Recovery);
        Home {
            origin: self.obs.origin_database(&origin.server.name, &origin.name),
            aside: self
                .obs
                .origin_database(&aside.server.name, &aside.name)
                .is_some(),
            recovery: self.obs.database(&recovery.server.name, &recovery.name),
        }
    }

    /// The catalog's way home, as observed.
    fn catalog_home(&self, s: &Scheduler) -> Home<'a> {
        let names = Names::new(&s.estate);
        let origin = names.catalog(Region::Origin);
        let aside = s.estate.fleet.preoutage_name(&origin.name);
        let recovery = names.catalog(Region::Recovery);
        Home {
            origin: self.obs.origin_database(&origin.server.name, &origin.name),
            aside: self
                .obs
                .origin_database(&origin.server.name, &aside)
                .is_some(),
            recovery: self.obs.database(&recovery.server.name, &recovery.name),
        }
    }

    /// While the recovery is fast-forwarded before a repatriation: `db`'s
    /// way home is observed under way, so it did pass every recovery step
    /// (its recovery marks and routing are behind it, not ahead). With
    /// server aliases a server's tenants switched together: when a
    /// server-mate's way home is under way, a tenant passed its recovery
    /// too if its recovery copy is there or it is marked online (home
    /// already, its copy deleted; a tenant whose restore failed is not
    /// marked online).
    fn past_recovery(&self, s: &Scheduler, db: DbId) -> bool {
        if !self.obs.repatriate_requested || s.phase != Phase::Recovering {
            return false;
        }
        let home = self.home(s, db);
        if home.under_way() {
            return true;
        }
        let online = self.row(s, db).is_some_and(|r| r.online);
        if !s.alias_routed(db) || (home.recovery.is_none() && !online) {
            return false;
        }
        s.estate
            .database(db)
            .is_some_and(|info| self.servers_under_way.contains(&info.server))
    }

    /// The same for the catalog (and what comes after the tenants: the
    /// catalog moves home only once every tenant is settled).
    fn catalog_past_recovery(&self, s: &Scheduler) -> bool {
        self.obs.repatriate_requested
            && s.phase == Phase::Recovering
            && self.catalog_home(s).under_way()
    }

    /// The answer to a change check, if the observation tells: a tenant
    /// whose way home is under way was changed (only changed tenants are
    /// renamed aside and replicated); one without a recovery copy has
    /// nothing to bring back (it is home, its copy deleted): its origin
    /// copy must never be renamed aside, so it is answered unchanged.
    fn changed(&self, s: &Scheduler, action: &Action) -> Option<bool> {
        let Action::CheckChanged { db } = *action else {
            return None;
        };
        let home = self.home(s, db);
        if home.under_way() {
            Some(true)
        } else if home.recovery.is_none() {
            Some(false)
        } else {
            None
        }
    }

    fn database_seen(&self, server: &str, name: &str) -> Seen {
        match self.obs.database(server, name).map(|d| &d.status) {
            Some(ObservedStatus::Online) => Seen::Done,
            Some(_) => Seen::Running,
            None => Seen::NotDone,
        }
    }

    /// What the observation says about `action`'s effect; `None` when it
    /// cannot tell (the command is sent for real).
    fn seen(&self, s: &Scheduler, action: &Action) -> Option<Seen> {
        let names = Names::new(&s.estate);
        let obs = self.obs;
        let flag = |done: bool| if done { Seen::Done } else { Seen::NotDone };
        // A tenant whose way home is observed under way did pass its
        // recovery: its restore (the copy may be deleted already), move,
        // marks and routing there are behind it.
        let recovery_step = match *action {
            Action::RestoreDatabase { db, .. }
            | Action::MoveToPool { db }
            | Action::SetTenantOnline { db, .. }
            | Action::SetRouting {
                db,
                to: Region::Recovery,
            } => Some(db),
            _ => None,
        };
        if let Some(db) = recovery_step
            && self.past_recovery(s, db)
        {
            return Some(Seen::Done);
        }
        let seen = match *action {
            Action::SetEndpoint { region, enabled } => flag(
                obs.endpoints.get(&names.endpoint(region).name) == Some(&enabled)
                    || (region == Region::Recovery && enabled && self.catalog_past_recovery(s)),
            ),
            Action::CreateServer {
                server: server @ (ServerRef::Mirror(_) | ServerRef::Catalog),
            } => match obs.servers.get(&names.server_ref(server).0.name) {
                Some(ObservedServer::Ready) => Seen::Done,
                Some(ObservedServer::Creating) => Seen::Running,
                Some(ObservedServer::Failed) | None => Seen::NotDone,
            },
            Action::CreatePool { pool } => {
                let id = names.pool(pool, Region::Recovery);
                match obs.pool(&id.server.name, &id.name) {
                    Some(ObservedPool::Ready) => Seen::Done,
                    Some(ObservedPool::Creating) => Seen::Running,
                    Some(ObservedPool::Other(_)) | None => Seen::NotDone,
                }
            }
            Action::CreateWebApp => flag(obs.app_site_exists),
            Action::RestoreCatalog => {
                let id = names.catalog(Region::Recovery);
                self.database_seen(&id.server.name, &id.name)
            }
            Action::RestoreDatabase { db, .. } => {
                let id = names.database(db, Region::Recovery);
                self.database_seen(&id.server.name, &id.name)
            }
            Action::MoveToPool { db } => {
                let id = names.database(db, Region::Recovery);
                let pool = s
                    .estate
                    .database(db)
                    .and_then(|d| d.pool)
                    .and_then(|p| s.estate.pool(p))
                    .map(|p| p.name.as_str());
                let there = obs.database(&id.server.name, &id.name);
                flag(there.is_some_and(|d| {
                    d.status == ObservedStatus::Online
                        && d.pool.as_deref() == pool
                        && pool.is_some()
                }))
            }
            Action::MoveAlias { alias, to } => {
                let id = names.alias(alias, to);
                let past = to == Region::Recovery
                    && match alias {
                        AliasRef::Catalog => self.catalog_past_recovery(s),
                        AliasRef::Server(server) => s.estate.server(server).is_some_and(|info| {
                            info.databases.iter().any(|&db| self.past_recovery(s, db))
                        }),
                        AliasRef::NewTenants => false,
                    };
                flag(obs.aliases.get(&id.name) == Some(&id.server.name) || past)
            }
            Action::SetRouting { db, to } => flag(self.routed(s, db, to)),
            Action::SetTenantOnline { db, online } => {
                let Some(row) = self.row(s, db) else {
                    return Some(Seen::NotDone);
                };
                // Marked offline, routed and marked online again: the
                // tenant is past this mark.
                let past_mark = match s.phase {
                    Phase::Recovering => self.routed(s, db, Region::Recovery),
                    // A cancel already brought it home: the mark online it
                    // asks for next is observed too.
                    Phase::Cancelling => {
                        self.routed(s, db, Region::Recovery) || self.routed(s, db, Region::Origin)
                    }
                    // Routed home (and marked online again) by the
                    // repatriation.
                    Phase::Repatriating => self.routed(s, db, Region::Origin),
                    _ => false,
                };
                let done = row.online == online || (!online && row.online && past_mark);
                flag(done)
            }
            Action::DeleteDatabase {
                db,
                copy: DbCopy::Recovery,
            } => {
                let id = names.database(db, Region::Recovery);
                match obs.database(&id.server.name, &id.name) {
                    None => Seen::Done,
                    Some(_) => Seen::NotDone,
                }
            }
            Action::RenameOriginCopy { db } => flag(self.home(s, db).renamed()),
            Action::ReplicateToOrigin { db } => self.home(s, db).replica(),
            Action::Failover { db } => flag(self.home(s, db).failed_over()),
            Action::DeleteDatabase {
                db,
                copy: DbCopy::OriginPreOutage,
            } => flag(!self.home(s, db).aside),
            Action::RenameOriginCatalog => flag(self.catalog_home(s).renamed()),
            Action::ReplicateCatalogToOrigin => self.catalog_home(s).replica(),
            Action::FailoverCatalog => flag(self.catalog_home(s).failed_over()),
            Action::DeleteOriginCatalogCopy => flag(!self.catalog_home(s).aside),
            Action::DeletePool { pool } => {
                let id = names.pool(pool, Region::Recovery);
                flag(obs.pool(&id.server.name, &id.name).is_none())
            }
            Action::DeleteServer {
                server: server @ (ServerRef::Mirror(_) | ServerRef::Catalog),
            } => flag(!obs.servers.contains_key(&names.server_ref(server).0.name)),
            Action::DeleteWebApp => flag(!obs.app_site_exists && !obs.app_plan_exists),
            _ => return None,
        };
        Some(seen)
    }

    /// What to answer for `action` at `step`, rendered as `work`; `None`:
    /// send it for real.
    fn decide(&self, s: &Scheduler, action: &Action, step: Step, work: &Work) -> Option<Known> {
        let seen = self.seen(s, action).unwrap_or(Seen::NotDone);
        let url = self.url(work);
        // Without a status URL, only a list tells when it is done (a read
        // of a resource still being created would say it exists): others
        // are sent again, which is idempotent (a restore is answered 409
        // and followed, never started twice).
        let listed = matches!(
            action,
            Action::RestoreDatabase { .. } | Action::MoveToPool { .. } | Action::CreatePool { .. }
        );
        match (seen, step, url) {
            (Seen::Done, _, _) => Some(Known::Done),
            (Seen::Running, Step::Main, None) if listed => Some(Known::Running(None)),
            (_, _, Some(url)) => Some(Known::Running(Some(url))),
            _ => None,
        }
    }
}

impl Scheduler {
    /// Rebuilds a scheduler after a crash from what a driver observed (see
    /// [`crate::resume`]): a fresh scheduler for `fleet` fast-forwarded by
    /// answering its own commands from `observed`. What is observed done is
    /// never sent again and spends no ARM budget; a restore whose database
    /// is observed (in any state) is never sent again; the rest is left to
    /// be sent for real. The result is used like any scheduler: drain
    /// [`Self::poll_command`], and so on.
    ///
    /// Errors: [`ResumeError::Version`] for another format version;
    /// [`ResumeError::DoesNotFit`] when the journal holds repatriation
    /// steps but no repatriation was requested, or cancel steps but
    /// neither a cancel nor a repatriation was requested.
    /// Names the fleet does not know are ignored (noted in
    /// [`crate::Status::blocked`]), never a panic.
    pub fn resume(
        fleet: Fleet,
        strategy: Box<dyn Strategy>,
        config: Config,
        now_ms: u64,
        observed: &ObservedEstate,
    ) -> Result<Scheduler, ResumeError> {
        if observed.version != crate::FORMAT_VERSION {
            return Err(ResumeError::Version {
                found: observed.version,
                expected: crate::FORMAT_VERSION,
            });
        }
        for (command, _) in &observed.in_flight {
            if repatriation_only(&command.action) && !observed.repatriate_requested {
                return Err(ResumeError::DoesNotFit(format!(
                    "the journal holds a repatriation step in flight ({:?}) but no repatriation \
                     was requested",
                    command.action
                )));
            }
            if cancel_only(&command.action)
                && !observed.cancel_requested
                && !observed.repatriate_requested
            {
                return Err(ResumeError::DoesNotFit(format!(
                    "the journal holds a cancel step in flight ({:?}) but no cancel was requested",
                    command.action
                )));
            }
        }
        let mut s = Scheduler::new(fleet, strategy, config, now_ms);
        s.following.group_ready |= observed.resource_group_exists;
        let mut view = View::new(observed);
        if observed.repatriate_requested {
            view.note_servers_under_way(&s);
        }
        s.fast_forward(&view)?;
        if observed.cancel_requested {
            s.cancel();
            s.fast_forward(&view)?;
        }
        if observed.repatriate_requested {
            s.note_linkless_failovers(&view);
            s.repatriate();
            s.fast_forward(&view)?;
        }
        s.note_unknown_names(observed);
        s.check_finished();
        Ok(s)
    }

    /// Answers from `view` every command it can tell about, round after
    /// round, until a round answers nothing. Returns how many it answered.
    fn fast_forward(&mut self, view: &View<'_>) -> Result<usize, ResumeError> {
        let mut answered = 0;
        loop {
            let before = answered;
            let outbox: Vec<OpId> = self.outbox.drain(..).collect();
            let kept = self.forward_queue(view, outbox, &mut answered)?;
            let mut rest: VecDeque<OpId> = kept.into();
            rest.extend(self.outbox.drain(..));
            self.outbox = rest;
            for class in 0..self.queues.len() {
                let queued: Vec<OpId> = self.queues[class].drain(..).collect();
                let kept = self.forward_queue(view, queued, &mut answered)?;
                let mut rest: VecDeque<OpId> = kept.into();
                rest.extend(self.queues[class].drain(..));
                self.queues[class] = rest;
            }
            self.forward_restores(view, &mut answered)?;
            if answered == before {
                return Ok(answered);
            }
        }
    }

    /// Answers what `view` tells about among `ops`; returns the rest, in order.
    fn forward_queue(
        &mut self,
        view: &View<'_>,
        ops: Vec<OpId>,
        answered: &mut usize,
    ) -> Result<Vec<OpId>, ResumeError> {
        let mut kept = Vec::new();
        for op in ops {
            let Some(entry) = self.ops.get(op) else {
                continue;
            };
            if entry.state == OpState::Dropped {
                continue;
            }
            if entry.state != OpState::Queued {
                kept.push(op);
                continue;
            }
            let action = entry.action;
            // The plan of a web app that is not there yet may be.
            if view.obs.app_plan_exists
                && let Some(entry) = self.ops.get_mut(op)
                && crate::protocol::step::at(&entry.action, entry.step) == Step::Plan
            {
                entry.step += 1;
            }
            let Some(work) = self.render_work(op) else {
                kept.push(op);
                continue;
            };
            if let Some(changed) = view.changed(self, &action) {
                self.send(op);
                self.on_changed(op, changed)?;
                *answered += 1;
                continue;
            }
            let step = self.step_of(op);
            match view.decide(self, &action, step, &work) {
                None => kept.push(op),
                Some(known) => {
                    self.send(op);
                    self.answer_from_observation(op, known)?;
                    *answered += 1;
                }
            }
        }
        Ok(kept)
    }

    /// Takes out of their lanes the restores whose databases are observed,
    /// once their pool or server is ready, and answers them.
    fn forward_restores(
        &mut self,
        view: &View<'_>,
        answered: &mut usize,
    ) -> Result<(), ResumeError> {
        if self.phase != Phase::Recovering {
            return Ok(());
        }
        for i in 0..self.tenants.len() {
            let db = DbId(i as u32);
            let tenant = &self.tenants[i];
            if tenant.copy != RecoveryCopy::Waiting {
                continue;
            }
            let (placement, lane) = (tenant.placement, tenant.lane);
            let action = Action::RestoreDatabase { db, placement };
            let work = {
                let names = Names::new(&self.estate);
                crate::protocol::render(&names, &action, Step::Main, None, None)
            };
            let Some(known) = view.decide(self, &action, Step::Main, &work) else {
                continue;
            };
            if !self.infra.pool_or_server_ready(&self.estate, db, placement)
                || !self.dispatcher.take(lane, db)
            {
                continue;
            }
            let op = self.submit_restore(db);
            self.send(op);
            self.answer_from_observation(op, known)?;
            *answered += 1;
        }
        Ok(())
    }

    /// Failovers observed done whose recovery copy is deleted already: the
    /// protocol takes a link-less answer to their link look-up as done
    /// (they may be asked after the fast-forward, behind a server's alias
    /// barrier).
    fn note_linkless_failovers(&mut self, view: &View<'_>) {
        let linkless = |home: Home<'_>| home.failed_over() && home.recovery.is_none();
        for i in 0..self.estate.fleet_databases {
            let db = DbId(i as u32);
            if linkless(view.home(self, db)) {
                self.following
                    .failed_over_without_link
                    .insert(Action::Failover { db });
            }
        }
        if linkless(view.catalog_home(self)) {
            self.following
                .failed_over_without_link
                .insert(Action::FailoverCatalog);
        }
    }

    /// Notes, in one line of `blocked`, the observed names the fleet does
    /// not know.
    fn note_unknown_names(&mut self, obs: &ObservedEstate) {
        let names = Names::new(&self.estate);
        let fleet = &self.estate.fleet;
        let mut servers = BTreeSet::new();
        let mut pools = BTreeSet::new();
        let mut databases = BTreeSet::new();
        let mut aliases = BTreeSet::new();
        let catalog = names.catalog(Region::Recovery);
        servers.insert(catalog.server.name.clone());
        databases.insert((catalog.server.name.clone(), catalog.name.clone()));
        aliases.insert(fleet.catalog.alias.clone());
        aliases.insert(fleet.new_tenants.alias.clone());
        for i in 0..fleet.servers.len() {
            let server = ServerId(i as u32);
            servers.insert(names.server(server, Region::Recovery).name);
            if server != self.estate.new_tenant_server {
                aliases.insert(names.alias(AliasRef::Server(server), Region::Recovery).name);
            }
        }
        for i in 0..fleet.pools.len() {
            let id = names.pool(crate::fleet::PoolId(i as u32), Region::Recovery);
            pools.insert((id.server.name, id.name));
        }
        for i in 0..fleet.databases.len() {
            let id = names.database(DbId(i as u32), Region::Recovery);
            databases.insert((id.server.name, id.name));
        }
        let tenants: BTreeSet<&str> = fleet
            .databases
            .iter()
            .map(|d| d.tenant_id.as_str())
            .collect();
        let endpoints = [&fleet.app.origin_endpoint, &fleet.app.recovery_endpoint];
        let mut unknown: Vec<String> = Vec::new();
        for name in obs.servers.keys() {
            if !servers.contains(name) {
                unknown.push(format!("server {name}"));
            }
        }
        for (server, listed) in &obs.pools {
            for name in listed.keys() {
                if !pools.contains(&(server.clone(), name.clone())) {
                    unknown.push(format!("pool {server}/{name}"));
                }
            }
        }
        for (server, listed) in &obs.databases {
            for name in listed.keys() {
                if !databases.contains(&(server.clone(), name.clone())) {
                    unknown.push(format!("database {server}/{name}"));
                }
            }
        }
        for name in obs.aliases.keys() {
            if !aliases.contains(name) {
                unknown.push(format!("alias {name}"));
            }
        }
        for name in obs.endpoints.keys() {
            if !endpoints.contains(&name) {
                unknown.push(format!("endpoint {name}"));
            }
        }
        for tenant in obs.catalog.keys() {
            if !tenants.contains(tenant.as_str()) {
                unknown.push(format!("tenant {tenant}"));
            }
        }
        if unknown.is_empty() {
            return;
        }
        const SHOWN: usize = 10;
        let more = unknown.len().saturating_sub(SHOWN);
        let mut line = format!(
            "resume ignored {} observed name(s) the fleet does not know: {}",
            unknown.len(),
            unknown[..unknown.len().min(SHOWN)].join(", ")
        );
        if more > 0 {
            line.push_str(&format!(" and {more} more"));
        }
        self.blocked.push(line);
    }
}
