//! Reading answers and following long-running operations.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::BTreeSet;

use arm::body::{
    Database, DatabasePage, DatabaseStatus, ElasticPool, ElasticPoolState, List, ReplicationRole,
};
use arm::error::ErrorClass;
use arm::lro::{PollKind, PollOutcome, PollTarget, interpret_poll};
use arm::outcome::Outcome;
use arm::response::{Payload, Response, ResponseBody};
use arm::{Method, Request};

use super::names::Names;
use super::step::{self, Step};
use super::{Work, render};
use crate::SchedulerError;
use crate::command::{Action, ArmClass, OpId, Region};
use crate::event::FailureKind;
use crate::fleet::ServerId;
use crate::machine::{OpState, Scheduler, Timer};

/// What the protocol layer follows, per server and region.
#[derive(Debug, Clone, Default)]
pub(crate) struct Following {
    /// The recovery resource group exists (or the fleet says it is made
    /// beforehand): [`Step::ResourceGroup`] steps are skipped.
    pub(crate) group_ready: bool,
    /// Per `[server][region]`: operations reported by the server's
    /// database list (restores, geo-replicas, moves into a pool).
    pub(crate) by_database_list: Vec<[Listed; 2]>,
    /// Per `[server][region]`: pool creations and deletions reported by
    /// the server's elastic-pool list.
    pub(crate) by_pool_list: Vec<[Listed; 2]>,
    /// Operations with a status-URL read queued or in flight (so a target
    /// is never looked up twice at once).
    pub(crate) looking_up: BTreeSet<OpId>,
    /// The first-page list requests of each `(server, region, databases?)`
    /// already rendered (they never change).
    pub(crate) list_requests: std::collections::BTreeMap<(ServerId, Region, bool), Request>,
    /// Failovers a resume observed done with the recovery copy already
    /// deleted ([`crate::resume`]): their link is gone with it, so a
    /// link-less answer to their [`Step::FindLink`] means done, not "not
    /// seeded yet". A failover cannot be undone, so this never goes stale.
    pub(crate) failed_over_without_link: BTreeSet<Action>,
}

/// Operations one list reports, and what the pages of the current round
/// of that list showed so far.
#[derive(Debug, Clone, Default)]
pub(crate) struct Listed {
    pub(crate) pending: OpSet,
    /// Database lists: the pending operations by their database's name, so
    /// a page in name order is read in one forward pass.
    pub(crate) by_name: ByName,
    /// Pending operations seen on a page of this round (in any order,
    /// possibly twice: sorted when the round ends).
    pub(crate) seen: Vec<OpId>,
    /// A `PollPools` is scheduled or in flight (pool lists only; database
    /// lists are scheduled by the state machine's own poll timers).
    pub(crate) scheduled: bool,
    /// A page other than the last one of the current round was read: the
    /// round spans pages, so what it did not show is known only at its end.
    pub(crate) paged: bool,
}

/// A set of operations in one sorted vector: a list's sets are small
/// (tens to thousands) and read whole every round, which a vector does
/// without chasing pointers.
#[derive(Debug, Clone, Default)]
pub(crate) struct OpSet(Vec<OpId>);

impl OpSet {
    /// Adds `op`.
    pub(crate) fn insert(&mut self, op: OpId) {
        if let Err(i) = self.0.binary_search(&op) {
            self.0.insert(i, op);
        }
    }

    /// Removes `op`.
    pub(crate) fn remove(&mut self, op: &OpId) {
        if let Ok(i) = self.0.binary_search(op) {
            self.0.remove(i);
        }
    }

    /// Whether the set is empty.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The operations, in ascending order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = OpId> + '_ {
        self.0.iter().copied()
    }

    /// How many operations.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether `op` is in the set.
    pub(crate) fn contains(&self, op: OpId) -> bool {
        self.0.binary_search(&op).is_ok()
    }
}

/// Followed operations by their database's name, in name order: the names
/// in one buffer and the operations (with their actions) in one vector, so
/// a pass over them touches no other memory.
#[derive(Debug, Clone, Default)]
pub(crate) struct ByName {
    /// The names, back to back; also holds removed names until compacted.
    names: String,
    /// Bytes of `names` the entries point at.
    live: usize,
    /// In name order.
    entries: Vec<Named>,
}

/// One entry of [`ByName`].
#[derive(Debug, Clone, Copy)]
struct Named {
    /// The name: `names[at..at + len]`.
    at: usize,
    len: usize,
    op: OpId,
    /// `op`'s action.
    action: Action,
    /// The rank the name had on the last page read ([`ByName::for_each`]):
    /// where the next search starts. Any value gives the same answers, only
    /// slower (a list of several pages leaves ranks on its last page).
    hint: u32,
}

impl ByName {
    fn name(&self, entry: &Named) -> &str {
        self.names
            .get(entry.at..entry.at + entry.len)
            .unwrap_or_default()
    }

    fn search(&self, name: &str) -> Result<usize, usize> {
        self.entries.binary_search_by(|e| self.name(e).cmp(name))
    }

    /// Follows `op` (doing `action`) by `name`, replacing the operation
    /// followed by that name, if any.
    pub(crate) fn insert(&mut self, name: &str, op: OpId, action: Action) {
        match self.search(name) {
            Ok(i) => {
                self.entries[i].op = op;
                self.entries[i].action = action;
            }
            Err(i) => {
                let at = self.names.len();
                self.names.push_str(name);
                self.live += name.len();
                let len = name.len();
                // Names before it had ranks at least theirs.
                let hint = i.checked_sub(1).map_or(0, |k| self.entries[k].hint);
                self.entries.insert(
                    i,
                    Named {
                        at,
                        len,
                        op,
                        action,
                        hint,
                    },
                );
            }
        }
    }

    /// The operation followed by `name`.
    pub(crate) fn get(&self, name: &str) -> Option<OpId> {
        self.search(name).ok().map(|i| self.entries[i].op)
    }

    /// Stops following `name`.
    pub(crate) fn remove(&mut self, name: &str) {
        let Ok(i) = self.search(name) else {
            return;
        };
        let gone = self.entries.remove(i);
        self.live -= gone.len;
        if self.names.len() > 4096 && self.names.len() > 2 * self.live {
            let mut names = String::with_capacity(2 * self.live);
            for e in &mut self.entries {
                let at = names.len();
                names.push_str(self.names.get(e.at..e.at + e.len).unwrap_or_default());
                e.at = at;
            }
            self.names = names;
        }
    }

    /// How many operations are followed.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// Calls `f(name, operation, action, hint)` in name order, where
    /// `hint` is the rank `f` returned for that name last time (for a name
    /// followed since, the hint of the name before it, or 0), and keeps the
    /// rank `f` returns as the name's next hint.
    pub(crate) fn for_each(&mut self, mut f: impl FnMut(&str, OpId, Action, usize) -> usize) {
        let ByName { names, entries, .. } = self;
        for e in entries {
            let name = names.get(e.at..e.at + e.len).unwrap_or_default();
            let rank = f(name, e.op, e.action, e.hint as usize);
            e.hint = u32::try_from(rank).unwrap_or(u32::MAX);
        }
    }
}

impl Following {
    pub(crate) fn new(servers: usize, group_ready: bool) -> Self {
        Following {
            group_ready,
            by_database_list: vec![Default::default(); servers],
            by_pool_list: vec![Default::default(); servers],
            looking_up: BTreeSet::new(),
            list_requests: std::collections::BTreeMap::new(),
            failed_over_without_link: BTreeSet::new(),
        }
    }
}

/// What a resume observation says about an operation's current request
/// ([`Scheduler::answer_from_observation`]).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Known {
    /// Its effect is observed: done.
    Done,
    /// It runs: follow it (through this status URL, if journalled).
    Running(Option<PollTarget>),
}

/// What a page of a list says about one followed operation.
#[derive(Clone, Copy)]
enum Seen {
    /// Done.
    Done,
    /// Still running.
    Running,
    /// Not there: look it up.
    Absent,
    /// There in a state that says it failed: look it up for the reason.
    Broken,
}

fn failure_kind(class: ErrorClass) -> FailureKind {
    match class {
        ErrorClass::Transient | ErrorClass::Observe => FailureKind::Transient,
        ErrorClass::Permanent | ErrorClass::NotFound => FailureKind::Permanent,
    }
}

/// A failure reason for reports: `<status> <code>: <message>`, without the
/// status for an operation's own failure (status 0: read from its status
/// body, not from an HTTP error).
fn reason(status: u16, code: &str, message: &str) -> String {
    let head = match (status, code.is_empty()) {
        (0, true) => String::new(),
        (0, false) => code.to_owned(),
        (_, true) => format!("HTTP {status}"),
        (_, false) => format!("{status} {code}"),
    };
    match (head.is_empty(), message.is_empty()) {
        (true, true) => "failed without a reason".to_owned(),
        (false, true) => head,
        (true, false) => message.to_owned(),
        (false, false) => format!("{head}: {message}"),
    }
}

/// The ARM class a response header names for the scheduler's class.
fn arm_class(class: ArmClass) -> arm::ArmClass {
    match class {
        ArmClass::Read => arm::ArmClass::Read,
        ArmClass::Write => arm::ArmClass::Write,
        ArmClass::Delete => arm::ArmClass::Delete,
    }
}

/// A page of a list: a typed page is borrowed (its producer keeps it in
/// name order, the contract of [`Payload::ElasticPools`] pages served by
/// this project's model); a text page is parsed, with no order assumed.
fn page<'r, T: serde::de::DeserializeOwned + Clone>(
    response: &'r Response,
    typed: impl Fn(&'r Payload) -> Option<&'r List<T>>,
) -> Option<(Cow<'r, List<T>>, bool)> {
    match &response.body {
        ResponseBody::Typed(payload) => typed(payload).map(|l| (Cow::Borrowed(l), true)),
        _ => response
            .json::<List<T>>()
            .ok()
            .map(|l| (Cow::Owned(l), false)),
    }
}

/// A page of a server's database list with its name index: a typed page
/// is borrowed (its producer keeps the index, and in debug builds checks
/// it as it changes it, amortized); a text page is parsed and indexed (its
/// names sorted once), and in debug builds its index is checked here.
fn database_page_of(response: &Response) -> Option<Cow<'_, DatabasePage>> {
    match &response.body {
        ResponseBody::Typed(Payload::Databases(page)) => Some(Cow::Borrowed(&**page)),
        ResponseBody::Typed(_) => None,
        _ => {
            let page = response.json::<DatabasePage>().ok()?;
            page.debug_check();
            Some(Cow::Owned(page))
        }
    }
}

/// Name-sorted references to a page's items, for binary search: sorted
/// here unless the page is `in_order` already.
fn by_name<T>(items: &[T], in_order: bool, name: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut refs: Vec<&T> = items.iter().collect();
    debug_assert!(!in_order || refs.is_sorted_by(|a, b| name(a) <= name(b)));
    if !in_order {
        refs.sort_by(|a, b| name(a).cmp(name(b)));
    }
    refs
}

fn find<'a, T>(sorted: &[&'a T], name: &str, key: impl Fn(&T) -> &str) -> Option<&'a T> {
    sorted
        .binary_search_by(|item| key(item).cmp(name))
        .ok()
        .map(|i| sorted[i])
}

/// For a rename (`POST {database}/move`), the GET URL of the database under
/// its new name.
fn rename_target(request: &Request) -> Option<String> {
    let Some(arm::RequestBody::Move(target)) = &request.body else {
        return None;
    };
    let resource = arm::id::Resource::parse(&target.id).ok()?;
    Some(format!(
        "{}?api-version={}",
        resource.path(),
        arm::api_version::for_resource(&resource)
    ))
}

/// The state of a pool or database read back, if it says the operation
/// behind it failed (`Disabled` pool; `Offline`, `Suspect`, `Inaccessible`
/// or `Disabled` database).
fn broken_state(response: &Response) -> Option<String> {
    match &response.body {
        ResponseBody::Typed(Payload::ElasticPool(pool)) => pool_broken(pool),
        ResponseBody::Typed(Payload::Database(db)) => database_broken(db),
        ResponseBody::Text(_) => {
            if let Ok(pool) = response.json::<ElasticPool>()
                && pool.properties.as_ref().is_some_and(|p| p.state.is_some())
            {
                return pool_broken(&pool);
            }
            response
                .json::<Database>()
                .ok()
                .and_then(|db| database_broken(&db))
        }
        _ => None,
    }
}

fn pool_broken(pool: &ElasticPool) -> Option<String> {
    match pool.properties.as_ref()?.state.as_ref()? {
        ElasticPoolState::Ready | ElasticPoolState::Creating => None,
        other => Some(other.as_str().to_owned()),
    }
}

fn database_broken(db: &Database) -> Option<String> {
    match db.status()? {
        status @ (DatabaseStatus::Offline
        | DatabaseStatus::Suspect
        | DatabaseStatus::Inaccessible
        | DatabaseStatus::Disabled) => Some(status.as_str().to_owned()),
        _ => None,
    }
}

/// Whether the `elasticPoolId` `id` names the pool `pool`: it ends with
/// `/elasticPools/<pool>`.
fn in_named_pool(id: &str, pool: &str) -> bool {
    id.strip_suffix(pool)
        .is_some_and(|rest| rest.ends_with("/elasticPools/"))
}

/// The name a followed database operation's database has in its list.
fn listed_name(estate: &crate::estate::Estate, action: Action) -> Option<&str> {
    match action {
        Action::RestoreDatabase { db, .. }
        | Action::ReplicateToOrigin { db }
        | Action::MoveToPool { db } => estate.database(db).map(|d| d.name.as_str()),
        _ => None,
    }
}

/// The name of the pool a move of `db` must have put it in
/// ([`in_named_pool`]).
fn expected_pool(estate: &crate::estate::Estate, db: crate::fleet::DbId) -> Option<&str> {
    let pool = estate.pool(estate.database(db)?.pool?)?;
    Some(pool.name.as_str())
}

fn pool_name(pool: &ElasticPool) -> &str {
    pool.name.as_deref().unwrap_or_default()
}

impl Scheduler {
    /// The step an operation is at.
    pub(crate) fn step_of(&self, op: OpId) -> Step {
        self.ops
            .get(op)
            .map_or(Step::Main, |o| step::at(&o.action, o.step))
    }

    /// Renders what the caller carries out for `op` at its current step,
    /// skipping a resource-group step once the group exists.
    pub(crate) fn render_work(&mut self, op: OpId) -> Option<Work> {
        let group_ready = self.following.group_ready;
        let entry = self.ops.get_mut(op)?;
        // Only a step about to be sent is skipped: re-rendering the request
        // an answer is for (a resource-group PUT answered after another
        // operation's made the group exist) must not move the step on, or
        // the step after it would be skipped too.
        let skip = group_ready && entry.state == OpState::Queued;
        while skip && step::at(&entry.action, entry.step) == Step::ResourceGroup {
            entry.step += 1;
        }
        let entry = self.ops.get(op)?;
        let action = entry.action;
        let step = step::at(&action, entry.step);
        let names = Names::new(&self.estate);
        let work = match action {
            Action::PollOperation { target } => {
                let request = self
                    .ops
                    .get(target)
                    .and_then(|t| t.poll.as_deref())
                    .and_then(|p| p.request().ok());
                match request {
                    Some(request) => Work::Arm(request),
                    None => Work::Arm(self.resource_read(target)),
                }
            }
            Action::PollServer { server, region } | Action::PollPools { server, region } => {
                match entry.poll.as_deref().map(|p| Request::get_url(&p.url)) {
                    // A later page: its `nextLink`.
                    Some(Ok(request)) => Work::Arm(request),
                    _ => {
                        // The most frequent requests: rendered once per
                        // server and region, then copied.
                        let databases = matches!(action, Action::PollServer { .. });
                        let key = (server, region, databases);
                        if let Some(request) = self.following.list_requests.get(&key) {
                            return Some(Work::Arm(request.clone()));
                        }
                        let work = render(&names, &action, step, None, None);
                        if let Work::Arm(request) = &work {
                            self.following.list_requests.insert(key, request.clone());
                        }
                        work
                    }
                }
            }
            _ => render(&names, &action, step, entry.link.as_deref(), None),
        };
        Some(work)
    }

    /// The request `op` sent at its current step (rendered again).
    fn sent_request(&self, op: OpId) -> Request {
        let step = self.ops.get(op).map(|o| step::at(&o.action, o.step));
        self.rendered(op, step)
    }

    /// GET of the resource an operation's main step writes (how an
    /// operation without a status URL is looked up): for a POST action
    /// (`acquire`, `move`, `failover`) the resource it acts on, not the
    /// action's URL.
    fn resource_read(&self, target: OpId) -> Request {
        let request = self.rendered(target, Some(Step::Main));
        Request::get_url(&arm::resource_url(&request)).unwrap_or(Request {
            method: Method::Get,
            body: None,
            ..request
        })
    }

    /// `op`'s request at `step`; a bare `GET /` (answered as an error) for
    /// an operation the table does not hold or a catalog call.
    fn rendered(&self, op: OpId, step: Option<Step>) -> Request {
        let names = Names::new(&self.estate);
        let rendered = self
            .ops
            .get(op)
            .zip(step)
            .map(|(o, step)| render(&names, &o.action, step, o.link.as_deref(), None));
        match rendered {
            Some(Work::Arm(request)) => request,
            _ => Request {
                method: Method::Get,
                path: "/".to_owned(),
                query: String::new(),
                body: None,
            },
        }
    }

    /// Reads an answer to `op`'s current request.
    pub(crate) fn on_response(
        &mut self,
        op: OpId,
        response: Response,
    ) -> Result<(), SchedulerError> {
        let (action, _) = self.open_op(op)?;
        let step = self.step_of(op);
        let Some(class) = step.class(&action) else {
            return Err(SchedulerError::Mismatch {
                op,
                event: "Response",
                action: format!("{action:?} (a catalog call)"),
            });
        };
        if let Some(remaining) = response.headers.remaining(arm_class(class)) {
            let now = self.now_ms;
            self.pacers.get(class).observe_remaining(now, remaining);
        }
        if let Action::PollOperation { target } = action {
            return self.poll_answered(op, target, &response);
        }
        // The request is rendered again only where the answer's meaning
        // depends on it (rare): most answers are read without it.
        let request = || self.sent_request(op);
        match arm::interpret_lazily(&response, request) {
            Outcome::Done { .. } => self.step_done(op, action, step, &response),
            Outcome::Accepted { poll } => self.step_accepted(op, action, step, poll),
            Outcome::Throttled { retry_after_ms } => self.on_throttled(op, retry_after_ms),
            Outcome::Failed {
                class,
                code,
                message,
                status,
                ..
            } => {
                let why = reason(status, &code, &message);
                let list = matches!(action, Action::PollServer { .. } | Action::PollPools { .. });
                // After a lost answer, "an operation is in progress" on the
                // resource is most likely the request that was lost: look.
                let lost = self.ops.get(op).is_some_and(|o| o.answer_lost);
                let class = if lost
                    && (code.eq_ignore_ascii_case(arm::codes::ANOTHER_OPERATION_IN_PROGRESS)
                        || code.eq_ignore_ascii_case(arm::codes::OPERATION_IN_PROGRESS))
                {
                    ErrorClass::Observe
                } else {
                    class
                };
                let failover = matches!(action, Action::Failover { .. } | Action::FailoverCatalog);
                if failover
                    && (class == ErrorClass::Observe
                        || code.eq_ignore_ascii_case(arm::codes::ANOTHER_OPERATION_IN_PROGRESS))
                {
                    // A failover under way (the lost one): read the link
                    // again after a backoff; primary there means done.
                    if let Some(entry) = self.ops.get_mut(op) {
                        entry.step = 0;
                    }
                    return self.on_failed(op, FailureKind::Transient, why);
                }
                let request = self.sent_request(op);
                if lost
                    && class == ErrorClass::NotFound
                    && let Some(renamed) = rename_target(&request)
                {
                    // The source is gone: the lost rename may have done it.
                    // Read the new name; there, it is done.
                    let poll = PollTarget {
                        url: renamed,
                        kind: PollKind::Resource,
                        retry_after_ms: None,
                    };
                    return self.step_accepted(op, action, step, poll);
                }
                match class {
                    // The server is gone, and everything on it: an empty list.
                    ErrorClass::NotFound if list => {
                        let empty = Response {
                            status: 200,
                            headers: response.headers.clone(),
                            body: ResponseBody::Text(r#"{"value":[]}"#.to_owned()),
                        };
                        self.step_done(op, action, step, &empty)
                    }
                    ErrorClass::Observe => self.observe(op, action, step, &request),
                    ErrorClass::NotFound if request.method == Method::Delete => {
                        self.step_done(op, action, step, &response)
                    }
                    class => self.on_failed(op, failure_kind(class), why),
                }
            }
        }
    }

    /// The caller could not get an answer (connection refused or reset,
    /// timeout). Nothing is known about what the request did: it is sent
    /// again after a backoff (every request here is idempotent, and a
    /// repeated restore is answered "already exists"); a lost poll is
    /// simply read again later.
    pub(crate) fn on_transport_failed(
        &mut self,
        op: OpId,
        reason: String,
    ) -> Result<(), SchedulerError> {
        let (action, _) = self.open_op(op)?;
        if let Action::PollOperation { target } = action {
            self.ops.set(op, OpState::Done);
            self.status_read_failed(target);
            return Ok(());
        }
        if let Some(entry) = self.ops.get_mut(op) {
            entry.answer_lost = true;
            // A failover whose answer was lost reads its link again before
            // acting: a link already primary means it was done.
            if matches!(
                entry.action,
                Action::Failover { .. } | Action::FailoverCatalog
            ) {
                entry.step = 0;
            }
        }
        self.on_failed(op, FailureKind::Transient, reason)
    }

    /// The current step finished at once (200/201/204).
    fn step_done(
        &mut self,
        op: OpId,
        action: Action,
        step: Step,
        response: &Response,
    ) -> Result<(), SchedulerError> {
        match (step, action) {
            (Step::Main, Action::PollServer { server, region }) => {
                self.database_page(op, server, region, response)
            }
            (Step::Main, Action::PollPools { server, region }) => {
                self.pool_page(op, server, region, response)
            }
            (Step::Main, _) if action.completes_via_poll() => {
                let online = matches!(
                    response
                        .json::<Database>()
                        .ok()
                        .as_ref()
                        .and_then(Database::status),
                    Some(DatabaseStatus::Online)
                );
                self.on_accepted(op)?;
                if online {
                    self.on_succeeded(op)
                } else {
                    self.follow_accepted(op, action);
                    Ok(())
                }
            }
            (Step::Main, _) => {
                if self.ops.get(op).is_some_and(|o| o.state == OpState::Sent) {
                    self.on_accepted(op)?;
                }
                self.on_succeeded(op)
            }
            (Step::FindLink, _) => {
                let link = page(response, |p| match p {
                    Payload::ReplicationLinks(l) => Some(l),
                    _ => None,
                })
                .and_then(|(links, _)| {
                    // The link to the recovery copy; the first one if no
                    // link names its partner.
                    let partner = self.failover_partner(action);
                    let to_partner = links.value.iter().find(|l| {
                        l.properties
                            .as_ref()
                            .and_then(|p| p.partner_server.as_deref())
                            .is_some_and(|s| Some(s) == partner.as_deref())
                    });
                    let link = to_partner.or(links.value.first())?;
                    let primary = link
                        .properties
                        .as_ref()
                        .and_then(|p| p.role.as_ref())
                        .is_some_and(|r| *r == ReplicationRole::Primary);
                    link.name
                        .clone()
                        .map(|name| (name.into_boxed_str(), primary))
                });
                match link {
                    // This end is primary already: the failover was done
                    // (its answer was lost, or it ran before a crash).
                    Some((_, true)) => {
                        if self.ops.get(op).is_some_and(|o| o.state == OpState::Sent) {
                            self.on_accepted(op)?;
                        }
                        self.on_succeeded(op)
                    }
                    Some((link, false)) => {
                        if let Some(entry) = self.ops.get_mut(op) {
                            entry.link = Some(link);
                        }
                        self.next_step(op)
                    }
                    // Observed done at resume, the recovery copy deleted
                    // since: no link is left to read.
                    None if self.following.failed_over_without_link.contains(&action) => {
                        if self.ops.get(op).is_some_and(|o| o.state == OpState::Sent) {
                            self.on_accepted(op)?;
                        }
                        self.on_succeeded(op)
                    }
                    // The geo-secondary has no link (yet): not seeded, or
                    // gone. Try again later.
                    None => self.on_failed(
                        op,
                        FailureKind::Transient,
                        "no replication link on the secondary".to_owned(),
                    ),
                }
            }
            (Step::ResourceGroup, _) => {
                self.following.group_ready = true;
                self.next_step(op)
            }
            (Step::Plan | Step::DeletePlan, _) => self.next_step(op),
        }
    }

    /// The server a failover's replication link must point at: the
    /// recovery copy's (mirror) server.
    fn failover_partner(&self, action: Action) -> Option<String> {
        let names = Names::new(&self.estate);
        match action {
            Action::Failover { db } => Some(names.database(db, Region::Recovery).server.name),
            Action::FailoverCatalog => Some(names.catalog(Region::Recovery).server.name),
            _ => None,
        }
    }

    /// Moves `op` to its next step (queued behind that step's budget), or
    /// reports it succeeded after its last.
    fn next_step(&mut self, op: OpId) -> Result<(), SchedulerError> {
        let Some(entry) = self.ops.get_mut(op) else {
            return Ok(());
        };
        let last = step::program(&entry.action).len();
        if usize::from(entry.step) + 1 >= last {
            if entry.state == OpState::Sent {
                self.on_accepted(op)?;
            }
            return self.on_succeeded(op);
        }
        entry.step += 1;
        entry.poll = None;
        entry.attempts = 0;
        entry.answer_lost = false;
        self.ops.set(op, OpState::Queued);
        self.enqueue(op);
        Ok(())
    }

    /// The current step runs asynchronously: follow it.
    fn step_accepted(
        &mut self,
        op: OpId,
        action: Action,
        step: Step,
        poll: PollTarget,
    ) -> Result<(), SchedulerError> {
        let retry_after = poll.retry_after_ms;
        if let Some(entry) = self.ops.get_mut(op) {
            entry.poll = Some(Box::new(poll));
        }
        if step != Step::Main {
            self.ops.release_lane(op);
            self.schedule_status_read(op, retry_after);
            return Ok(());
        }
        self.on_accepted(op)?;
        self.follow_accepted(op, action);
        if !action.completes_via_poll() && self.pool_list_of(action).is_none() {
            self.schedule_status_read(op, retry_after);
        }
        Ok(())
    }

    /// Resume ([`crate::resume`]): answers the handed-out `op` from what a
    /// driver observed instead of from a wire answer. `Done` ends it as a
    /// success (no request was sent); `Running` follows it as if its
    /// current request had been accepted: through the journalled status
    /// URL, or (`None`) by reading the resource the request writes, and for
    /// restores and pool creations by the lists that report them.
    pub(crate) fn answer_from_observation(
        &mut self,
        op: OpId,
        known: Known,
    ) -> Result<(), SchedulerError> {
        let (action, state) = self.open_op(op)?;
        let step = self.step_of(op);
        match known {
            Known::Done => {
                if state == OpState::Sent && step.class(&action).is_some() {
                    self.on_accepted(op)?;
                }
                self.on_succeeded(op)
            }
            Known::Running(poll) => {
                let poll = match poll {
                    Some(poll) => poll,
                    None => match self.render_work(op) {
                        Some(Work::Arm(request)) => PollTarget {
                            url: request.path_and_query(),
                            kind: PollKind::Resource,
                            retry_after_ms: None,
                        },
                        // A catalog call cannot be running: it is sent again.
                        _ => {
                            self.ops.set(op, OpState::Queued);
                            self.enqueue(op);
                            return Ok(());
                        }
                    },
                };
                self.step_accepted(op, action, step, poll)
            }
        }
    }

    /// "Already exists" or "already in progress": what was asked may be
    /// (becoming) true. Follow it as if accepted, by the list that reports
    /// it or by reading the resource; never a failure of the tenant.
    fn observe(
        &mut self,
        op: OpId,
        action: Action,
        step: Step,
        request: &Request,
    ) -> Result<(), SchedulerError> {
        let poll = PollTarget {
            url: arm::resource_url(request),
            kind: PollKind::Resource,
            retry_after_ms: None,
        };
        self.step_accepted(op, action, step, poll)
    }

    /// Registers an accepted main step with the list that reports it.
    fn follow_accepted(&mut self, op: OpId, action: Action) {
        if let Some((server, region)) = self.database_list_of(action) {
            let Self {
                estate, following, ..
            } = self;
            let name = listed_name(estate, action);
            if let Some(lists) = following.by_database_list.get_mut(server.0 as usize) {
                let list = &mut lists[region as usize];
                list.pending.insert(op);
                if let Some(name) = name {
                    list.by_name.insert(name, op, action);
                }
            }
        } else if let Some((server, region)) = self.pool_list_of(action)
            && let Some(lists) = self.following.by_pool_list.get_mut(server.0 as usize)
        {
            let list = &mut lists[region as usize];
            list.pending.insert(op);
            if !list.scheduled {
                list.scheduled = true;
                let at = self
                    .now_ms
                    .saturating_add(self.config.operation_poll_interval_ms);
                self.timers
                    .push(Reverse((at, Timer::PollPools(server, region))));
            }
        }
    }

    /// The database list that reports an action's outcome.
    fn database_list_of(&self, action: Action) -> Option<(ServerId, Region)> {
        let (db, region) = match action {
            Action::RestoreDatabase { db, .. } | Action::MoveToPool { db } => {
                (db, Region::Recovery)
            }
            Action::ReplicateToOrigin { db } => (db, Region::Origin),
            _ => return None,
        };
        Some((
            self.estate.fleet.databases.get(db.0 as usize)?.server,
            region,
        ))
    }

    /// The pool list that reports a pool creation or deletion.
    fn pool_list_of(&self, action: Action) -> Option<(ServerId, Region)> {
        match action {
            Action::CreatePool { pool } | Action::DeletePool { pool } => Some((
                self.estate.fleet.pools.get(pool.0 as usize)?.server,
                Region::Recovery,
            )),
            Action::CreateOriginNewTenantPool => {
                Some((self.estate.new_tenant_server, Region::Origin))
            }
            _ => None,
        }
    }

    /// Stops following an operation that ended (by any path).
    pub(crate) fn unfollow(&mut self, op: OpId, action: Action) {
        self.following.looking_up.remove(&op);
        if let Some((server, region)) = self.database_list_of(action) {
            let Self {
                estate, following, ..
            } = self;
            let name = listed_name(estate, action);
            if let Some(lists) = following.by_database_list.get_mut(server.0 as usize) {
                let list = &mut lists[region as usize];
                list.pending.remove(&op);
                list.seen.retain(|&o| o != op);
                if let Some(name) = name
                    && list.by_name.get(name) == Some(op)
                {
                    list.by_name.remove(name);
                }
            }
        }
        if let Some((server, region)) = self.pool_list_of(action)
            && let Some(lists) = self.following.by_pool_list.get_mut(server.0 as usize)
        {
            let list = &mut lists[region as usize];
            list.pending.remove(&op);
            list.seen.retain(|&o| o != op);
        }
    }

    /// Reads `target`'s status URL after `retry_after_ms` (at least one
    /// poll interval).
    fn schedule_status_read(&mut self, target: OpId, retry_after_ms: Option<u64>) {
        match self.ops.get_mut(target) {
            Some(entry) if !entry.read_scheduled => entry.read_scheduled = true,
            _ => return,
        }
        let delay = retry_after_ms
            .unwrap_or(0)
            .max(self.config.operation_poll_interval_ms);
        let at = self.now_ms.saturating_add(delay);
        self.timers.push(Reverse((at, Timer::PollOp(target))));
    }

    /// A status read of `target` is due.
    pub(crate) fn status_read_due(&mut self, target: OpId) {
        if let Some(entry) = self.ops.get_mut(target) {
            entry.read_scheduled = false;
        }
        let open = self
            .ops
            .get(target)
            .is_some_and(|o| matches!(o.state, OpState::Sent | OpState::Accepted));
        if open {
            self.look_up(target);
        }
    }

    /// Reads `target`'s status URL now (paced as a read), unless a read of
    /// it is already on its way.
    fn look_up(&mut self, target: OpId) {
        if self.following.looking_up.insert(target) {
            self.issue(Action::PollOperation { target });
        }
    }

    /// A pool list of `(server, region)` is due.
    pub(crate) fn pool_list_due(&mut self, server: ServerId, region: Region) {
        let Some(lists) = self.following.by_pool_list.get_mut(server.0 as usize) else {
            return;
        };
        let list = &mut lists[region as usize];
        if list.pending.is_empty() {
            list.scheduled = false;
            return;
        }
        self.issue(Action::PollPools { server, region });
    }

    /// Reads the answer to a status read of `target`.
    fn poll_answered(
        &mut self,
        op: OpId,
        target: OpId,
        response: &Response,
    ) -> Result<(), SchedulerError> {
        let kind = self
            .ops
            .get(target)
            .and_then(|t| t.poll.as_deref())
            .map_or(PollKind::Resource, |p| p.kind);
        let outcome = interpret_poll(kind, response);
        if let PollOutcome::Throttled { retry_after_ms } = outcome {
            // The poll waits its turn again; what it follows is untouched.
            return self.on_throttled(op, retry_after_ms);
        }
        self.ops.set(op, OpState::Done);
        self.following.looking_up.remove(&target);
        let Some(target_entry) = self.ops.get(target) else {
            return Ok(());
        };
        if !matches!(target_entry.state, OpState::Sent | OpState::Accepted) {
            return Ok(());
        }
        let action = target_entry.action;
        let step = step::at(&action, target_entry.step);
        match outcome {
            PollOutcome::InProgress { retry_after_ms } => {
                // What a list follows is read again only when the list
                // misses it; the rest by its own status URL.
                let by_list = step == Step::Main
                    && (action.completes_via_poll() || self.pool_list_of(action).is_some());
                if !by_list {
                    self.schedule_status_read(target, retry_after_ms);
                }
                Ok(())
            }
            PollOutcome::Succeeded => {
                let by_list = step == Step::Main
                    && (action.completes_via_poll() || self.pool_list_of(action).is_some());
                if kind == PollKind::Resource && by_list {
                    // It exists: its list says when it is done, unless what
                    // was read shows it failed (a pool that could not be
                    // provisioned, a database that went offline): then it
                    // is sent again.
                    if let Some(state) = broken_state(response) {
                        return self.on_failed(
                            target,
                            FailureKind::Transient,
                            format!("read back in state {state}"),
                        );
                    }
                    return Ok(());
                }
                match step {
                    Step::Main => {
                        if target_entry.state == OpState::Sent {
                            self.on_accepted(target)?;
                        }
                        self.on_succeeded(target)
                    }
                    Step::ResourceGroup => {
                        self.following.group_ready = true;
                        self.next_step(target)
                    }
                    _ => self.next_step(target),
                }
            }
            PollOutcome::Failed {
                class: ErrorClass::NotFound,
                ..
            } if matches!(self.render_work(target), Some(Work::Arm(r)) if r.method == Method::Delete) =>
            {
                // What was deleted is gone.
                self.next_step(target)
            }
            // Looked up and gone (e.g. a restore that failed and was
            // removed): nothing runs, so the request is sent again.
            PollOutcome::Failed {
                class: ErrorClass::NotFound,
                code,
                message,
            } if kind == PollKind::Resource => {
                self.on_failed(target, FailureKind::Transient, reason(0, &code, &message))
            }
            PollOutcome::Failed {
                class,
                code,
                message,
            } => self.on_failed(target, failure_kind(class), reason(0, &code, &message)),
            PollOutcome::Canceled { code, message } => self.on_failed(
                target,
                FailureKind::Permanent,
                format!("canceled: {}", reason(0, &code, &message)),
            ),
            PollOutcome::PollError {
                class: ErrorClass::Transient,
                ..
            } => {
                self.schedule_status_read(target, None);
                Ok(())
            }
            PollOutcome::PollError {
                code,
                message,
                status,
                ..
            } => {
                // The monitor is gone or unreadable: nothing says what the
                // request did, so it is sent again (idempotent).
                self.on_failed(
                    target,
                    FailureKind::Transient,
                    format!("status unreadable: {}", reason(status, &code, &message)),
                )
            }
            PollOutcome::Throttled { .. } => Ok(()),
        }
    }

    /// A page of a server's database list: reports the followed
    /// operations it shows finished; on the last page, looks up those it
    /// does not show.
    fn database_page(
        &mut self,
        op: OpId,
        server: ServerId,
        region: Region,
        response: &Response,
    ) -> Result<(), SchedulerError> {
        let Some(list) = database_page_of(response) else {
            return self.on_failed(
                op,
                FailureKind::Transient,
                "unreadable list of databases".to_owned(),
            );
        };
        let last_page = list.next_link.is_none();
        let Scheduler {
            following,
            estate,
            ops,
            ..
        } = self;
        let Some(listed) = following
            .by_database_list
            .get_mut(server.0 as usize)
            .map(|l| &mut l[region as usize])
        else {
            drop(list);
            return self.on_succeeded(op);
        };
        // A round of one page whose every pending operation is followed by
        // name: what the page does not show is known now, so only what
        // needs doing is kept (most pending operations are still running).
        // `by_name`'s operations are pending ones (followed together;
        // `unfollow` drops a name only with its operation), so equal sizes
        // mean the same set.
        let whole = last_page && !listed.paged && listed.pending.len() == listed.by_name.len();
        let Listed {
            pending, by_name, ..
        } = listed;
        let mut seen = Vec::with_capacity(if whole { 0 } else { by_name.len() });
        let mut absent = Vec::new();
        // Both in name order: one forward pass, each name searched from
        // where it was on the last page (no entry is touched). The action
        // is kept with the name: the operation table (large, out of cache)
        // is not read for each pending operation.
        let mut from = 0;
        by_name.for_each(|name, target, action, hint| {
            debug_assert!(pending.contains(target), "followed by name, not pending");
            debug_assert_eq!(ops.get(target).map(|o| o.action), Some(action));
            let (at, found) = list.seek_status(from, hint, name);
            from = at;
            let state = match found {
                None => Seen::Absent,
                Some((position, status)) => match status {
                    Some(DatabaseStatus::Online) => match action {
                        Action::MoveToPool { db: moved } => {
                            let pool_id = list.indexed(position).and_then(|d| d.elastic_pool_id);
                            let in_pool =
                                |pool: &str| pool_id.is_some_and(|id| in_named_pool(id, pool));
                            match expected_pool(estate, moved) {
                                Some(pool) if !in_pool(pool) => Seen::Running,
                                _ => Seen::Done,
                            }
                        }
                        _ => Seen::Done,
                    },
                    Some(
                        DatabaseStatus::Offline
                        | DatabaseStatus::Suspect
                        | DatabaseStatus::Inaccessible
                        | DatabaseStatus::Disabled,
                    ) => Seen::Broken,
                    _ => Seen::Running,
                },
            };
            match (whole, state) {
                (true, Seen::Running) => {}
                (true, Seen::Absent) => absent.push(target),
                _ => seen.push((target, state)),
            }
            // Found: its rank; absent: where it would be.
            if found.is_some() { at - 1 } else { at }
        });
        let next = list.next_link.clone();
        drop(list);
        if whole {
            return self.apply_whole_page(op, (server, region), seen, absent);
        }
        self.apply_page(op, (server, region), seen, (last_page, next), true)
    }

    /// Reports what a page showed of each followed operation, then ends the
    /// page ([`Self::list_page_end`]). A refused outcome must not leave the
    /// list half read: the page is finished first, the first refusal
    /// reported after.
    fn apply_page(
        &mut self,
        op: OpId,
        (server, region): (ServerId, Region),
        seen: Vec<(OpId, Seen)>,
        (last_page, next): (bool, Option<String>),
        databases: bool,
    ) -> Result<(), SchedulerError> {
        let refused = self.report_seen((server, region), seen, Some(databases));
        self.list_page_end(op, server, region, last_page, next, databases)?;
        refused
    }

    /// Reports what a page showed: finishes the operations it shows done
    /// (the first refusal returned, after all) and looks up those it shows
    /// broken. `note`: `Some(databases)` also notes the running and broken
    /// ones as seen in this round of the server's database list (`true`)
    /// or pool list (`false`), for [`Self::list_page_end`]; `None` for a
    /// round of one page ([`Self::apply_whole_page`]), which needs no note.
    fn report_seen(
        &mut self,
        (server, region): (ServerId, Region),
        seen: Vec<(OpId, Seen)>,
        note: Option<bool>,
    ) -> Result<(), SchedulerError> {
        let mut refused = Ok(());
        for (target, state) in seen {
            if let (Seen::Running | Seen::Broken, Some(databases)) = (state, note) {
                self.mark_seen(server, region, target, databases);
            }
            match state {
                Seen::Done => {
                    let outcome = self.on_succeeded(target);
                    if refused.is_ok() {
                        refused = outcome;
                    }
                }
                Seen::Broken => self.look_up(target),
                Seen::Running | Seen::Absent => {}
            }
        }
        refused
    }

    /// Reports what the only page of a round of a server's database list
    /// showed: as [`Self::apply_page`] then [`Self::list_page_end`] on the
    /// last page, given the operations that finished or broke (`seen`, in
    /// name order) and those it did not show (`absent`), without noting
    /// the running ones.
    fn apply_whole_page(
        &mut self,
        op: OpId,
        (server, region): (ServerId, Region),
        seen: Vec<(OpId, Seen)>,
        mut absent: Vec<OpId>,
    ) -> Result<(), SchedulerError> {
        let refused = self.report_seen((server, region), seen, None);
        // Looked up in operation order, those still followed (as
        // `list_page_end` does).
        absent.sort_unstable();
        let lists = self.following.by_database_list.get(server.0 as usize);
        absent.retain(|&t| lists.is_some_and(|l| l[region as usize].pending.contains(t)));
        for target in absent {
            self.look_up(target);
        }
        self.on_succeeded(op)?;
        refused
    }

    /// Notes that a page of this round showed `target` (on a database list,
    /// or a pool list).
    fn mark_seen(&mut self, server: ServerId, region: Region, target: OpId, databases: bool) {
        let lists = if databases {
            &mut self.following.by_database_list
        } else {
            &mut self.following.by_pool_list
        };
        if let Some(lists) = lists.get_mut(server.0 as usize) {
            lists[region as usize].seen.push(target);
        }
    }

    /// Ends one page of a list: on the last page looks up every followed
    /// operation no page showed and finishes the poll; otherwise reads
    /// the next page.
    fn list_page_end(
        &mut self,
        op: OpId,
        server: ServerId,
        region: Region,
        last_page: bool,
        next: Option<String>,
        databases: bool,
    ) -> Result<(), SchedulerError> {
        let lists = if databases {
            &mut self.following.by_database_list
        } else {
            &mut self.following.by_pool_list
        };
        let Some(list) = lists
            .get_mut(server.0 as usize)
            .map(|l| &mut l[region as usize])
        else {
            return self.on_succeeded(op);
        };
        list.paged = !last_page;
        if !last_page {
            let action = self.ops.get(op).map(|o| o.action);
            self.ops.set(op, OpState::Done);
            if let Some(action) = action {
                let next_op = self.issue(action);
                if let (Some(entry), Some(url)) = (self.ops.get_mut(next_op), next) {
                    entry.poll = Some(Box::new(PollTarget {
                        url,
                        kind: PollKind::Location,
                        retry_after_ms: None,
                    }));
                }
            }
            return Ok(());
        }
        list.seen.sort_unstable();
        let unseen: Vec<OpId> = list
            .pending
            .iter()
            .filter(|op| list.seen.binary_search(op).is_err())
            .collect();
        list.seen.clear();
        for target in unseen {
            self.look_up(target);
        }
        if databases {
            self.on_succeeded(op)
        } else {
            self.ops.set(op, OpState::Done);
            self.pool_list_finished(server, region);
            Ok(())
        }
    }

    /// A page of a server's elastic-pool list: creations done when their
    /// pool is `Ready`, deletions when it is gone.
    fn pool_page(
        &mut self,
        op: OpId,
        server: ServerId,
        region: Region,
        response: &Response,
    ) -> Result<(), SchedulerError> {
        let Some((list, in_order)) = page(response, |p| match p {
            Payload::ElasticPools(l) => Some(l),
            _ => None,
        }) else {
            self.ops.set(op, OpState::Done);
            self.pool_list_finished(server, region);
            return Ok(());
        };
        let pending: Vec<OpId> = self
            .following
            .by_pool_list
            .get(server.0 as usize)
            .map(|l| l[region as usize].pending.iter().collect())
            .unwrap_or_default();
        let sorted = by_name(&list.value, in_order, pool_name);
        let mut seen = Vec::with_capacity(pending.len());
        for target in pending {
            let Some(action) = self.ops.get(target).map(|o| o.action) else {
                continue;
            };
            let name = match action {
                Action::CreatePool { pool } | Action::DeletePool { pool } => self
                    .estate
                    .fleet
                    .pools
                    .get(pool.0 as usize)
                    .map(|p| p.name.clone()),
                Action::CreateOriginNewTenantPool => {
                    Some(self.estate.fleet.new_tenants.pool.clone())
                }
                _ => None,
            };
            let Some(name) = name else { continue };
            let found = find(&sorted, &name, pool_name);
            let state = match (action, found) {
                (Action::DeletePool { .. }, None) => Seen::Done,
                (Action::DeletePool { .. }, Some(_)) => Seen::Running,
                (_, None) => Seen::Absent,
                (_, Some(pool)) => match pool.properties.as_ref().and_then(|p| p.state.as_ref()) {
                    Some(ElasticPoolState::Ready) => Seen::Done,
                    Some(ElasticPoolState::Creating) | None => Seen::Running,
                    Some(_) => Seen::Broken,
                },
            };
            seen.push((target, state));
        }
        let last_page = list.next_link.is_none();
        let next = list.next_link.clone();
        drop(list);
        self.apply_page(op, (server, region), seen, (last_page, next), false)
    }

    /// A round of a pool list ended: list again while some are pending.
    /// Also after a pool list failed for good (or its retries ended).
    pub(crate) fn pool_list_finished(&mut self, server: ServerId, region: Region) {
        let interval = self.config.operation_poll_interval_ms;
        let Some(lists) = self.following.by_pool_list.get_mut(server.0 as usize) else {
            return;
        };
        let list = &mut lists[region as usize];
        list.scheduled = !list.pending.is_empty();
        if list.scheduled {
            let at = self.now_ms.saturating_add(interval);
            self.timers
                .push(Reverse((at, Timer::PollPools(server, region))));
        }
    }

    /// A status read failed for good: read again one interval later.
    pub(crate) fn status_read_failed(&mut self, target: OpId) {
        self.following.looking_up.remove(&target);
        self.schedule_status_read(target, None);
    }
}
