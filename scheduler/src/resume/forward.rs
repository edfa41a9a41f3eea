//! The fast-forward: answering a fresh scheduler's own commands from an
//! [`ObservedEstate`] (see the module docs of [`super`]).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use arm::PollTarget;

use super::{ObservedEstate, ObservedPool, ObservedServer, ObservedStatus, ResumeError};
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

/// The observation, with the journal indexed by request.
struct View<'a> {
    obs: &'a ObservedEstate,
    /// `(method, path)` of journalled ARM requests -> their status URL.
    journal: BTreeMap<(&'static str, String), Option<PollTarget>>,
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
        View { obs, journal }
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
        let seen = match *action {
            Action::SetEndpoint { region, enabled } => {
                flag(obs.endpoints.get(&names.endpoint(region).name) == Some(&enabled))
            }
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
                flag(obs.aliases.get(&id.name) == Some(&id.server.name))
            }
            Action::SetRouting { db, to } => flag(self.routed(s, db, to)),
            Action::SetTenantOnline { db, online } => {
                let Some(row) = self.row(s, db) else {
                    return Some(Seen::NotDone);
                };
                let done = row.online == online
                    || (!online
                        && row.online
                        // Marked offline, routed and marked online again:
                        // the tenant is past this mark.
                        && (self.routed(s, db, Region::Recovery)
                            // A cancel already brought it home: the mark
                            // online it asks for next is observed too.
                            || (s.phase == Phase::Cancelling
                                && self.routed(s, db, Region::Origin))));
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
    /// [`ResumeError::Unsupported`] when a repatriation was requested or
    /// the journal holds repatriation steps; [`ResumeError::DoesNotFit`]
    /// when the journal holds cancel steps but no cancel was requested.
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
        if observed.repatriate_requested {
            return Err(ResumeError::Unsupported {
                what: "a repatriation",
                why: "renamed-aside origin copies, seeded replicas and failovers already done \
                      cannot be told apart safely; finish it from the origin region by hand, \
                      or resume the recovery first and request the repatriation again"
                    .to_owned(),
            });
        }
        for (command, _) in &observed.in_flight {
            if repatriation_only(&command.action) {
                return Err(ResumeError::Unsupported {
                    what: "a repatriation",
                    why: format!(
                        "the journal holds a repatriation step in flight ({:?})",
                        command.action
                    ),
                });
            }
            if cancel_only(&command.action) && !observed.cancel_requested {
                return Err(ResumeError::DoesNotFit(format!(
                    "the journal holds a cancel step in flight ({:?}) but no cancel was requested",
                    command.action
                )));
            }
        }
        let mut s = Scheduler::new(fleet, strategy, config, now_ms);
        s.following.group_ready |= observed.resource_group_exists;
        let view = View::new(observed);
        s.fast_forward(&view)?;
        if observed.cancel_requested {
            s.cancel();
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
