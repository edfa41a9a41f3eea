//! Looking at the recovery region through ARM, to resume from it: the
//! reads that fill an [`ObservedEstate`], sans-IO.
//!
//! A [`Survey`] hands out GET requests ([`Survey::poll`]) and takes back
//! what came back ([`Survey::answer`], [`Survey::transport_failed`]); the
//! caller sends them however it sends requests (HTTPS in the driver, a call
//! into the model in the simulator's crash test), so both worlds observe
//! the estate with the same code. It reads, from the fleet's names:
//!
//! - the recovery resource group;
//! - every recovery-region server the recovery creates (mirrors, the
//!   catalog's, the new-tenant one), and for each that exists its elastic
//!   pools, databases and DNS aliases (lists, every page followed);
//! - the app's two Traffic Manager endpoints, the recovery web app and its
//!   App Service plan;
//! - during a repatriation ([`Survey::including_origin`]), the origin
//!   region too (it is back up then): every origin server's database list
//!   (pre-outage copies renamed aside included, each with its geo-secondary
//!   role) and DNS aliases, the origin catalog server's and the origin
//!   new-tenant server's as well.
//!
//! A 404 means "does not exist"; a throttled or transient answer is asked
//! again after its `Retry-After` (or a short backoff), up to
//! [`MAX_ATTEMPTS`] times; anything else (e.g. 403) stops the survey with
//! an error naming the resource. Catalog rows and the journal's operations
//! are the caller's to add (they are not ARM).

use std::collections::VecDeque;

use arm::body::{Database, ElasticPool, Endpoint, List, Server, ServerDnsAlias};
use arm::{ErrorClass, Outcome, Request, Response};

use super::ObservedEstate;
use crate::command::{Region, ServerRef};
use crate::estate::Estate;
use crate::fleet::{Fleet, ServerId};
use crate::protocol::names::Names;

/// Attempts per read before the survey gives up on it.
pub const MAX_ATTEMPTS: u32 = 8;

/// Wait before asking again after a transient failure without
/// `Retry-After` (doubled per attempt).
const BACKOFF_MS: u64 = 1_000;

/// Longest wait a `Retry-After` may impose on one read.
const MOST_WAIT_MS: u64 = 10 * 60_000;

/// Most pages of one list: a `nextLink` chain longer than this (or one
/// that repeats itself) is an error, not an endless survey.
pub const MAX_PAGES: u32 = 10_000;

/// What one read is for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Probe {
    ResourceGroup,
    /// A recovery-region server (by name).
    Server(String),
    Pools(String),
    Databases(String),
    /// An origin server's database list (during a repatriation).
    OriginDatabases(String),
    Aliases(String),
    Endpoint,
    Site,
    Plan,
}

/// One read: what it is for, the request (a later page's, when paging),
/// how often it was tried, and the earliest time to send it again.
#[derive(Debug, Clone)]
struct Read {
    probe: Probe,
    request: Request,
    attempts: u32,
    not_before_ms: u64,
    /// Pages of this list read before this one.
    page: u32,
}

/// Names a read handed out by [`Survey::poll`], to answer it with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReadId(usize);

/// What to do next.
#[derive(Debug, Clone, PartialEq)]
pub enum SurveyPoll {
    /// Send this GET and answer it with its id.
    Send(ReadId, Request),
    /// Nothing to send before this time (a retry waits).
    WaitUntil(u64),
    /// Reads are out: wait for their answers.
    AwaitAnswers,
    /// Every read is answered: [`Survey::finish`].
    Done,
}

/// Why the survey cannot complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SurveyError {
    /// ARM refused a read for good (e.g. 403: the identity may not read
    /// the recovery resource group).
    #[error("reading {path}: HTTP {status} {code}: {message}")]
    Refused {
        /// The path read.
        path: String,
        /// HTTP status.
        status: u16,
        /// ARM error code.
        code: String,
        /// ARM error message.
        message: String,
    },
    /// A read kept failing (throttled, 5xx, no answer).
    #[error("reading {path}: gave up after {attempts} attempts: {last}")]
    GaveUp {
        /// The path read.
        path: String,
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        last: String,
    },
    /// An answer's body is not what the read asks for.
    #[error("reading {path}: unreadable answer: {reason}")]
    Unreadable {
        /// The path read.
        path: String,
        /// Why.
        reason: String,
    },
    /// An id the survey did not hand out, or answered twice.
    #[error("answer to a read that is not out ({0:?})")]
    UnknownRead(ReadId),
    /// [`Survey::finish`] while reads are unanswered.
    #[error("{0} reads unanswered")]
    Unfinished(usize),
}

/// A survey of the recovery region for `fleet` (see the module docs).
#[derive(Debug)]
pub struct Survey {
    observed: ObservedEstate,
    queue: VecDeque<Read>,
    out: Vec<Option<Read>>,
    /// Per server read: the server's ARM id, to list its children.
    servers: Vec<(String, arm::id::ServerId)>,
    endpoint_names: Vec<String>,
    error: Option<SurveyError>,
}

impl Survey {
    /// The reads for `fleet`'s recovery region.
    pub fn new(fleet: &Fleet) -> Self {
        Self::build(fleet, false)
    }

    /// The reads for `fleet`'s recovery region and, for a repatriation to
    /// resume, its origin region: each origin server's databases (with
    /// their geo-secondary role) and DNS aliases. A server that is not
    /// there (404) has none.
    pub fn including_origin(fleet: &Fleet) -> Self {
        Self::build(fleet, true)
    }

    fn build(fleet: &Fleet, origin: bool) -> Self {
        let estate = Estate::new(fleet.clone());
        let names = Names::new(&estate);
        let mut queue = VecDeque::new();
        let mut push = |probe, request| {
            queue.push_back(Read {
                probe,
                request,
                attempts: 0,
                not_before_ms: 0,
                page: 0,
            })
        };
        push(
            Probe::ResourceGroup,
            Request::get(names.group(Region::Recovery)),
        );
        let mut servers: Vec<arm::id::ServerId> = (0..fleet.servers.len())
            .map(|i| names.server(ServerId(i as u32), Region::Recovery))
            .collect();
        servers.push(names.server_ref(ServerRef::Catalog).0);
        servers.push(names.server_named(&fleet.new_tenants.server, Region::Recovery));
        servers.sort_by(|a, b| a.name.cmp(&b.name));
        servers.dedup_by(|a, b| a.name == b.name);
        let mut known = Vec::new();
        for server in servers {
            push(Probe::Server(server.name.clone()), Request::get(&server));
            known.push((server.name.clone(), server));
        }
        let mut endpoint_names = Vec::new();
        for region in [Region::Origin, Region::Recovery] {
            let endpoint = names.endpoint(region);
            endpoint_names.push(endpoint.name.clone());
            push(Probe::Endpoint, Request::get(&endpoint));
        }
        push(Probe::Site, Request::get(names.site()));
        push(Probe::Plan, Request::get(names.plan()));
        if origin {
            let mut servers: Vec<arm::id::ServerId> = (0..fleet.servers.len())
                .map(|i| names.server(ServerId(i as u32), Region::Origin))
                .collect();
            servers.push(names.catalog(Region::Origin).server);
            servers.push(names.server_ref(ServerRef::OriginNewTenants).0);
            servers.sort_by(|a, b| a.name.cmp(&b.name));
            servers.dedup_by(|a, b| a.name == b.name);
            for server in servers {
                push(
                    Probe::OriginDatabases(server.name.clone()),
                    Request::list_databases(&server),
                );
                push(
                    Probe::Aliases(server.name.clone()),
                    Request::list_dns_aliases(&server),
                );
            }
        }
        Self {
            observed: ObservedEstate::new(),
            queue,
            out: Vec::new(),
            servers: known,
            endpoint_names,
            error: None,
        }
    }

    /// The next thing to do at `now_ms`.
    pub fn poll(&mut self, now_ms: u64) -> SurveyPoll {
        if self.error.is_some() {
            return SurveyPoll::Done;
        }
        let ready = self.queue.iter().position(|r| r.not_before_ms <= now_ms);
        if let Some(at) = ready
            && let Some(mut read) = self.queue.remove(at)
        {
            read.attempts += 1;
            let request = read.request.clone();
            self.out.push(Some(read));
            return SurveyPoll::Send(ReadId(self.out.len() - 1), request);
        }
        if let Some(at) = self.queue.iter().map(|r| r.not_before_ms).min() {
            return SurveyPoll::WaitUntil(at);
        }
        if self.out.iter().any(Option::is_some) {
            SurveyPoll::AwaitAnswers
        } else {
            SurveyPoll::Done
        }
    }

    /// The answer to read `id`, received at `now_ms`.
    pub fn answer(
        &mut self,
        now_ms: u64,
        id: ReadId,
        response: &Response,
    ) -> Result<(), SurveyError> {
        let read = self.take(id)?;
        let result = self.read_answer(now_ms, read, response);
        self.keep(result)
    }

    /// Read `id` got no answer (connection failed, timed out).
    pub fn transport_failed(
        &mut self,
        now_ms: u64,
        id: ReadId,
        reason: &str,
    ) -> Result<(), SurveyError> {
        let read = self.take(id)?;
        let result = self.again(now_ms, read, None, reason.to_owned());
        self.keep(result)
    }

    /// The observation, once [`Self::poll`] says [`SurveyPoll::Done`].
    pub fn finish(self) -> Result<ObservedEstate, SurveyError> {
        if let Some(e) = self.error {
            return Err(e);
        }
        let unanswered = self.queue.len() + self.out.iter().filter(|r| r.is_some()).count();
        if unanswered > 0 {
            return Err(SurveyError::Unfinished(unanswered));
        }
        Ok(self.observed)
    }

    fn take(&mut self, id: ReadId) -> Result<Read, SurveyError> {
        self.out
            .get_mut(id.0)
            .and_then(Option::take)
            .ok_or(SurveyError::UnknownRead(id))
    }

    fn keep(&mut self, result: Result<(), SurveyError>) -> Result<(), SurveyError> {
        if let Err(e) = &result
            && self.error.is_none()
        {
            self.error = Some(e.clone());
        }
        result
    }

    fn again(
        &mut self,
        now_ms: u64,
        mut read: Read,
        retry_after_ms: Option<u64>,
        last: String,
    ) -> Result<(), SurveyError> {
        if read.attempts >= MAX_ATTEMPTS {
            return Err(SurveyError::GaveUp {
                path: read.request.path.clone(),
                attempts: read.attempts,
                last,
            });
        }
        let backoff = BACKOFF_MS << read.attempts.min(10);
        let wait = retry_after_ms.unwrap_or(backoff).min(MOST_WAIT_MS);
        read.not_before_ms = now_ms.saturating_add(wait);
        self.queue.push_back(read);
        Ok(())
    }

    fn read_answer(
        &mut self,
        now_ms: u64,
        read: Read,
        response: &Response,
    ) -> Result<(), SurveyError> {
        match arm::interpret(&read.request, response) {
            Outcome::Done { .. } => self.record(read, response),
            // A wrong subscription (or endpoint) is not "nothing exists".
            Outcome::Failed {
                class: ErrorClass::NotFound,
                code,
                message,
                status,
                ..
            } if code.eq_ignore_ascii_case(arm::codes::SUBSCRIPTION_NOT_FOUND)
                || code.is_empty() =>
            {
                Err(SurveyError::Refused {
                    path: read.request.path.clone(),
                    status,
                    code,
                    message,
                })
            }
            Outcome::Failed {
                class: ErrorClass::NotFound,
                ..
            } => Ok(()),
            Outcome::Throttled { retry_after_ms } => {
                // Being throttled is not a failed attempt: ARM said when.
                let mut read = read;
                read.attempts = read.attempts.saturating_sub(1);
                self.again(now_ms, read, Some(retry_after_ms), "throttled".to_owned())
            }
            Outcome::Failed {
                class: ErrorClass::Transient,
                code,
                message,
                status,
                retry_after_ms,
            } => self.again(
                now_ms,
                read,
                retry_after_ms,
                format!("HTTP {status} {code}: {message}"),
            ),
            Outcome::Failed {
                code,
                message,
                status,
                ..
            } => Err(SurveyError::Refused {
                path: read.request.path.clone(),
                status,
                code,
                message,
            }),
            // A GET is never accepted as an operation; read it as refused.
            Outcome::Accepted { .. } => Err(SurveyError::Refused {
                path: read.request.path.clone(),
                status: response.status,
                code: String::new(),
                message: "a read answered as a long-running operation".to_owned(),
            }),
        }
    }

    /// Records a 2xx answer and queues what it leads to (a server's lists,
    /// a list's next page).
    fn record(&mut self, read: Read, response: &Response) -> Result<(), SurveyError> {
        let path = read.request.path.clone();
        let unreadable = |reason: String| SurveyError::Unreadable {
            path: path.clone(),
            reason,
        };
        let next_page = |list_next: &Option<String>| -> Result<Option<Request>, SurveyError> {
            list_next
                .as_deref()
                .map(Request::get_url)
                .transpose()
                .map_err(|e| unreadable(e.to_string()))
        };
        let mut follow = None;
        match &read.probe {
            Probe::ResourceGroup => self.observed.resource_group_exists = true,
            Probe::Server(name) => {
                let server: Server = response.json().map_err(|e| unreadable(e.to_string()))?;
                self.observed.resource_group_exists = true;
                self.observed.observe_servers(&List {
                    value: vec![server],
                    next_link: None,
                });
                if let Some((_, id)) = self.servers.iter().find(|(n, _)| n == name) {
                    let id = id.clone();
                    for (probe, request) in [
                        (Probe::Pools(name.clone()), Request::list_elastic_pools(&id)),
                        (Probe::Databases(name.clone()), Request::list_databases(&id)),
                        (Probe::Aliases(name.clone()), Request::list_dns_aliases(&id)),
                    ] {
                        self.queue.push_back(Read {
                            probe,
                            request,
                            attempts: 0,
                            not_before_ms: 0,
                            page: 0,
                        });
                    }
                }
            }
            Probe::Pools(server) => {
                let list: List<ElasticPool> =
                    response.json().map_err(|e| unreadable(e.to_string()))?;
                self.observed.observe_pools(server, &list);
                follow = next_page(&list.next_link)?;
            }
            Probe::Databases(server) => {
                let list: List<Database> =
                    response.json().map_err(|e| unreadable(e.to_string()))?;
                self.observed.observe_databases(server, &list);
                follow = next_page(&list.next_link)?;
            }
            Probe::OriginDatabases(server) => {
                let list: List<Database> =
                    response.json().map_err(|e| unreadable(e.to_string()))?;
                self.observed.observe_origin_databases(server, &list);
                follow = next_page(&list.next_link)?;
            }
            Probe::Aliases(server) => {
                let list: List<ServerDnsAlias> =
                    response.json().map_err(|e| unreadable(e.to_string()))?;
                self.observed.observe_dns_aliases(server, &list);
                follow = next_page(&list.next_link)?;
            }
            Probe::Endpoint => {
                let endpoint: Endpoint = response.json().map_err(|e| unreadable(e.to_string()))?;
                let named = endpoint
                    .name
                    .as_ref()
                    .is_some_and(|n| self.endpoint_names.contains(n));
                if named {
                    self.observed.observe_endpoint(&endpoint);
                }
            }
            Probe::Site => self.observed.app_site_exists = true,
            Probe::Plan => self.observed.app_plan_exists = true,
        }
        if let Some(request) = follow {
            if read.page + 1 >= MAX_PAGES
                || request.path_and_query() == read.request.path_and_query()
            {
                return Err(SurveyError::Unreadable {
                    path: read.request.path.clone(),
                    reason: format!(
                        "the list does not end (page {}, next link {})",
                        read.page + 1,
                        request.path_and_query()
                    ),
                });
            }
            self.queue.push_back(Read {
                probe: read.probe,
                request,
                attempts: 0,
                not_before_ms: 0,
                page: read.page + 1,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arm::Response;

    fn fleet() -> Fleet {
        let text = include_str!("../../../scenarios/fleets/wingtip-demo.toml");
        Fleet::from_toml_str(text, "wingtip-demo.toml").expect("fleet")
    }

    fn not_found(code: &str) -> Response {
        Response::new(404).with_error(code, "not found")
    }

    /// Answers every read with `answer` until the survey is done.
    fn run(
        survey: &mut Survey,
        mut answer: impl FnMut(&Request) -> Response,
    ) -> Result<(), SurveyError> {
        let mut now = 0;
        for _ in 0..10_000 {
            match survey.poll(now) {
                SurveyPoll::Send(id, request) => survey.answer(now, id, &answer(&request))?,
                SurveyPoll::WaitUntil(at) => now = at,
                SurveyPoll::AwaitAnswers | SurveyPoll::Done => return Ok(()),
            }
        }
        panic!("the survey does not end");
    }

    #[test]
    fn nothing_there_is_an_empty_observation() {
        let mut survey = Survey::new(&fleet());
        run(&mut survey, |_| not_found("ResourceNotFound")).expect("survey");
        let observed = survey.finish().expect("finish");
        assert!(!observed.resource_group_exists);
        assert!(observed.servers.is_empty() && observed.databases.is_empty());
    }

    #[test]
    fn only_a_repatriation_survey_lists_the_origin_with_roles() {
        let origin_list = "/servers/tenants1-dpt-user1/databases";
        let answer = |request: &Request| {
            if request.path.ends_with(origin_list) {
                let list: List<Database> = serde_json::from_str(
                    r#"{"value":[
                        {"name":"a","properties":{"status":"Copying","secondaryType":"Geo"}},
                        {"name":"a-preoutage","properties":{"status":"Online"}}
                    ]}"#,
                )
                .expect("list");
                Response::new(200).with_payload(list)
            } else {
                not_found("ResourceNotFound")
            }
        };
        let mut asked = 0;
        let mut survey = Survey::new(&fleet());
        run(&mut survey, |request| {
            asked += usize::from(request.path.ends_with(origin_list));
            answer(request)
        })
        .expect("survey");
        assert_eq!(asked, 0, "a recovery survey does not read the origin");
        assert!(survey.finish().expect("finish").origin_databases.is_empty());
        let mut survey = Survey::including_origin(&fleet());
        run(&mut survey, answer).expect("survey");
        let observed = survey.finish().expect("finish");
        let a = observed
            .origin_database("tenants1-dpt-user1", "a")
            .expect("listed");
        assert!(a.secondary);
        assert_eq!(a.status, super::super::ObservedStatus::Restoring);
        let aside = observed
            .origin_database("tenants1-dpt-user1", "a-preoutage")
            .expect("listed");
        assert!(!aside.secondary);
        assert!(observed.databases.is_empty(), "{:?}", observed.databases);
    }

    #[test]
    fn a_wrong_subscription_or_a_bare_404_is_an_error_not_an_empty_estate() {
        for answer in [not_found("SubscriptionNotFound"), Response::new(404)] {
            let mut survey = Survey::new(&fleet());
            let err = run(&mut survey, |_| answer.clone()).expect_err("refused");
            assert!(
                matches!(err, SurveyError::Refused { status: 404, .. }),
                "{err}"
            );
            assert!(survey.finish().is_err());
        }
    }

    #[test]
    fn throttling_waits_without_using_up_attempts_and_long_waits_are_capped() {
        let mut survey = Survey::new(&fleet());
        let mut throttled = 0;
        let mut now = 0;
        let mut waits = Vec::new();
        loop {
            match survey.poll(now) {
                SurveyPoll::Send(id, _) => {
                    // Every read is throttled twice as often as MAX_ATTEMPTS
                    // before it is answered.
                    let answer = if throttled < 2 * MAX_ATTEMPTS {
                        throttled += 1;
                        Response::from_wire(429, [("Retry-After", "99999999")], "")
                    } else {
                        not_found("ResourceNotFound")
                    };
                    survey.answer(now, id, &answer).expect("not given up");
                }
                SurveyPoll::WaitUntil(at) => {
                    waits.push(at - now);
                    now = at;
                }
                SurveyPoll::AwaitAnswers | SurveyPoll::Done => break,
            }
        }
        assert!(survey.finish().is_ok());
        assert!(waits.iter().all(|w| *w <= MOST_WAIT_MS), "{waits:?}");
        assert!(waits.contains(&MOST_WAIT_MS), "{waits:?}");
    }

    #[test]
    fn transient_failures_give_up_after_max_attempts() {
        let mut survey = Survey::new(&fleet());
        let err = run(&mut survey, |_| {
            Response::new(500).with_error("InternalServerError", "boom")
        })
        .expect_err("gives up");
        assert!(
            matches!(
                err,
                SurveyError::GaveUp {
                    attempts: MAX_ATTEMPTS,
                    ..
                }
            ),
            "{err}"
        );
    }

    #[test]
    fn a_list_whose_next_link_repeats_is_an_error() {
        let mut survey = Survey::new(&fleet());
        let err = run(&mut survey, |request| {
            if request.path.ends_with("/databases") {
                let url = format!("https://management.azure.com{}", request.path_and_query());
                let page: List<Database> = List {
                    value: Vec::new(),
                    next_link: Some(url),
                };
                Response::new(200).with_payload(page)
            } else if request.path.contains("/servers/") && !request.path.contains("/servers/x") {
                let segments = request.path.split('/').count();
                if segments == 9 {
                    Response::new(200).with_payload(Server::default())
                } else {
                    not_found("ResourceNotFound")
                }
            } else {
                not_found("ResourceNotFound")
            }
        })
        .expect_err("refused");
        assert!(matches!(err, SurveyError::Unreadable { .. }), "{err}");
    }
}
