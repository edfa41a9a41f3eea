//! Carrying out one command: send its request to the model at `now` and
//! turn the answer into the event a real client would report.

use scheduler::{Action, Event, FailureKind, OpId, Region};

use super::{Follow, Own, PoolList, Runner, SimError};
use crate::adapter;
use crate::codes;
use crate::request::{ArmRequest, ArmResponse, OpHandle, OpStatus};

/// The event for an operation that ended with `status`.
pub(super) fn outcome_event(op: OpId, status: OpStatus) -> Event {
    match status {
        OpStatus::Succeeded | OpStatus::InProgress => Event::Succeeded { op },
        OpStatus::Failed { code, retryable } => Event::Failed {
            op,
            kind: if retryable {
                FailureKind::Transient
            } else {
                FailureKind::Permanent
            },
            reason: code.to_owned(),
        },
        OpStatus::Canceled => Event::Failed {
            op,
            kind: FailureKind::Permanent,
            reason: codes::OPERATION_CANCELED.to_owned(),
        },
    }
}

/// Whether a refusal is worth retrying: 5xx, and 409s that only mean
/// "not yet" (a resource still provisioning, a full restore queue).
fn rejection_kind(status: u16, code: &str) -> FailureKind {
    let not_yet = matches!(
        code,
        codes::RESOURCE_NOT_READY
            | codes::ANOTHER_OPERATION_IN_PROGRESS
            | codes::RESTORE_QUEUE_FULL
    );
    if status >= 500 || not_yet {
        FailureKind::Transient
    } else {
        FailureKind::Permanent
    }
}

impl Runner {
    /// Hands every ready command to the model, answering each at once.
    pub(super) fn drain(&mut self) -> Result<(), SimError> {
        while let Some(command) = self.scheduler.poll_command() {
            self.recorder.digest.record(self.now_ms, 'C', &command);
            self.execute(command.op, command.action)?;
        }
        Ok(())
    }

    /// Submits `request`, counting ARM traffic.
    fn submit(&mut self, request: ArmRequest) -> ArmResponse {
        let class = request.class();
        let response = self.model.submit_without_list_body(self.now_ms, request);
        if let Some(class) = class {
            let throttled = matches!(response, ArmResponse::Throttled { .. });
            self.recorder.arm_request(self.now_ms, class, throttled);
            if let ArmResponse::Throttled { retry_after_s, .. } = response {
                // What the client learns from Retry-After: no request of
                // this class before then (ARM would refuse it again).
                let until = self
                    .now_ms
                    .saturating_add(retry_after_s.max(1).saturating_mul(1000));
                let slot = &mut self.retry_after_until_ms[class.index()];
                *slot = (*slot).max(until);
            }
            if !throttled {
                // What a client reads off x-ms-ratelimit-remaining-*.
                let remaining = self.model.ratelimit_remaining(class, self.now_ms);
                self.scheduler
                    .observe_remaining(self.now_ms, arm_class(class), remaining);
            }
        }
        response
    }

    fn execute(&mut self, op: OpId, action: Action) -> Result<(), SimError> {
        let request = adapter::to_request(self.scheduler.estate(), &action);
        let catalog = matches!(request, ArmRequest::CatalogUpdate { .. });
        let pool_list = match &request {
            ArmRequest::CreateElasticPool { server, .. }
            | ArmRequest::DeleteElasticPool { server, .. } => Some(self.pool_list_index(server)),
            _ => None,
        };
        let response = self.submit(request);
        match response {
            ArmResponse::Throttled { retry_after_s, .. } => self.handle(Event::Throttled {
                op,
                retry_after_ms: retry_after_s.saturating_mul(1000),
            }),
            ArmResponse::Rejected {
                status,
                code,
                message,
            } => self.handle(Event::Failed {
                op,
                kind: rejection_kind(status, code),
                reason: format!("{status} {code}: {message}"),
            }),
            ArmResponse::Completed => {
                self.handle(Event::Accepted { op })?;
                self.handle(Event::Succeeded { op })
            }
            ArmResponse::Databases { .. } => self.listed(op, action),
            ArmResponse::Accepted { operation } => {
                if let Some(list) = pool_list {
                    self.follow_pool_operation(op, operation, list);
                    return self.handle(Event::Accepted { op });
                }
                if catalog {
                    let check = match action {
                        Action::CheckChanged { db } => Some(db),
                        _ => None,
                    };
                    self.follow.insert(operation, Follow::Catalog { op, check });
                    return Ok(());
                }
                if action.completes_via_poll() {
                    let list = list_index(&action, self.scheduler.estate());
                    self.follow.insert(operation, Follow::ByList { op, list });
                } else {
                    self.own.push(
                        self.now_ms
                            .saturating_add(self.settings.lro_poll_interval_ms),
                        Own::PollOperation {
                            op,
                            handle: operation,
                        },
                    );
                }
                self.handle(Event::Accepted { op })
            }
            ArmResponse::Operation { .. }
            | ArmResponse::Database { .. }
            | ArmResponse::ElasticPools { .. } => self.handle(Event::Succeeded { op }),
        }
    }

    /// The index of `server`'s pool list, made on first use.
    fn pool_list_index(&mut self, server: &str) -> usize {
        if let Some(&list) = self.pool_list_of.get(server) {
            return list;
        }
        let list = self.pool_lists.len();
        self.pool_lists.push(PoolList {
            server: server.to_owned(),
            ..PoolList::default()
        });
        self.pool_list_of.insert(server.to_owned(), list);
        list
    }

    /// Follows an accepted pool creation or deletion through its server's
    /// `ListElasticPools`, scheduling that list unless one is due already.
    fn follow_pool_operation(&mut self, op: OpId, operation: OpHandle, list: usize) {
        let Some(pools) = self.pool_lists.get_mut(list) else {
            return;
        };
        pools.pending += 1;
        self.follow
            .insert(operation, Follow::ByPoolList { op, list });
        if !pools.scheduled {
            pools.scheduled = true;
            self.own.push(
                self.now_ms
                    .saturating_add(self.settings.lro_poll_interval_ms),
                Own::PollPools { list },
            );
        }
    }

    /// A `PollServer` list came back: report every polled operation of that
    /// server that ended since the last list, then the poll itself.
    fn listed(&mut self, op: OpId, action: Action) -> Result<(), SimError> {
        if let Action::PollServer { server, region } = action {
            let list = 2 * server.0 as usize + region_index(region);
            let done = self
                .finished_by_list
                .get_mut(list)
                .map(std::mem::take)
                .unwrap_or_default();
            for (target, status) in done {
                self.handle(outcome_event(target, status))?;
            }
        }
        self.handle(Event::Succeeded { op })
    }

    /// How long the runner's own read (a `GetOperation` or
    /// `ListElasticPools` poll) must wait, if at all: until the end of the
    /// last Retry-After ARM sent for reads, or one poll interval while the
    /// read budget (the last `x-ms-ratelimit-remaining-subscription-reads`)
    /// is below half the bucket, a reserve kept for the scheduler's lists.
    fn read_poll_delay(&mut self) -> Option<u64> {
        let blocked = self.retry_after_until_ms[crate::arm::OpClass::Reads.index()];
        if self.now_ms < blocked {
            return Some(blocked - self.now_ms);
        }
        let remaining = self
            .model
            .ratelimit_remaining(crate::arm::OpClass::Reads, self.now_ms);
        (remaining < self.settings.params.arm_reads.capacity / 2)
            .then_some(self.settings.lro_poll_interval_ms)
    }

    /// A `ListElasticPools` of a server with pending pool operations is due:
    /// one read reports every pool creation or deletion there that ended
    /// since the last list (what the pools' `state` shows: ready, failed or
    /// gone), then the list is scheduled again while some are pending.
    ///
    /// Paced like [`Runner::poll_operation`] ([`Runner::read_poll_delay`]).
    /// A 404 (the server is gone, and so are its pools) reports the same
    /// way; other refusals (5xx) show nothing and the list is tried again
    /// one interval later.
    pub(super) fn poll_pools(&mut self, list: usize) -> Result<(), SimError> {
        let interval = self.settings.lro_poll_interval_ms;
        let Some(pools) = self.pool_lists.get_mut(list) else {
            return Ok(());
        };
        if pools.pending == 0 {
            pools.scheduled = false;
            return Ok(());
        }
        let server = pools.server.clone();
        if let Some(delay) = self.read_poll_delay() {
            self.own
                .push(self.now_ms.saturating_add(delay), Own::PollPools { list });
            return Ok(());
        }
        let response = self.submit(ArmRequest::ListElasticPools { server });
        let after_ms = match response {
            ArmResponse::Throttled { retry_after_s, .. } => {
                Some(retry_after_s.max(1).saturating_mul(1000))
            }
            ArmResponse::Rejected { status, .. } if status != 404 => Some(interval),
            _ => None,
        };
        let Some(pools) = self.pool_lists.get_mut(list) else {
            return Ok(());
        };
        if let Some(after_ms) = after_ms {
            self.own.push(
                self.now_ms.saturating_add(after_ms),
                Own::PollPools { list },
            );
            return Ok(());
        }
        let done = std::mem::take(&mut pools.finished);
        let reported = u32::try_from(done.len()).unwrap_or(u32::MAX);
        pools.pending = pools.pending.saturating_sub(reported);
        pools.scheduled = pools.pending > 0;
        if pools.scheduled {
            self.own.push(
                self.now_ms.saturating_add(interval),
                Own::PollPools { list },
            );
        }
        for (target, status) in done {
            self.handle(outcome_event(target, status))?;
        }
        Ok(())
    }

    /// A `GetOperation` poll of a long-running operation is due.
    ///
    /// The runner paces these polls as a careful client does
    /// ([`Runner::read_poll_delay`]): never before a Retry-After ARM
    /// announced for reads has passed, and one interval later while the
    /// read budget is below the reserve kept for the scheduler's lists.
    pub(super) fn poll_operation(&mut self, op: OpId, handle: OpHandle) -> Result<(), SimError> {
        let again = |runner: &mut Runner, after_ms: u64| {
            runner.own.push(
                runner.now_ms.saturating_add(after_ms),
                Own::PollOperation { op, handle },
            );
        };
        if let Some(delay) = self.read_poll_delay() {
            again(self, delay);
            return Ok(());
        }
        let response = self.submit(ArmRequest::GetOperation { operation: handle });
        match response {
            ArmResponse::Operation {
                status: OpStatus::InProgress,
            } => {
                again(self, self.settings.lro_poll_interval_ms);
                Ok(())
            }
            ArmResponse::Operation { status } => self.handle(outcome_event(op, status)),
            ArmResponse::Throttled { retry_after_s, .. } => {
                again(self, retry_after_s.max(1).saturating_mul(1000));
                Ok(())
            }
            ArmResponse::Rejected { status, code, .. } => self.handle(Event::Failed {
                op,
                kind: rejection_kind(status, code),
                reason: format!("{status} {code}"),
            }),
            _ => self.handle(Event::Succeeded { op }),
        }
    }
}

/// The scheduler's name for a model request class.
fn arm_class(class: crate::arm::OpClass) -> scheduler::ArmClass {
    match class {
        crate::arm::OpClass::Reads => scheduler::ArmClass::Read,
        crate::arm::OpClass::Writes => scheduler::ArmClass::Write,
        crate::arm::OpClass::Deletes => scheduler::ArmClass::Delete,
    }
}

fn region_index(region: Region) -> usize {
    match region {
        Region::Origin => 0,
        Region::Recovery => 1,
    }
}

/// The `(server, region)` list that reports a polled action's outcome.
fn list_index(action: &Action, estate: &scheduler::Estate) -> usize {
    let (db, region) = match *action {
        Action::RestoreDatabase { db, .. } | Action::MoveToPool { db } => (db, Region::Recovery),
        Action::ReplicateToOrigin { db } => (db, Region::Origin),
        _ => return usize::MAX,
    };
    2 * estate.database(db).server.0 as usize + region_index(region)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arm::OpClass;

    fn runner() -> Runner {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/wingtip-demo.toml");
        let s = crate::scenario::load(&path).expect("wingtip-demo");
        let strategy =
            scheduler::strategy::build("wingtip", &s.file.strategy.knobs()).expect("wingtip");
        Runner::new(s.fleet.clone(), strategy, s.settings(1)).expect("runner")
    }

    #[test]
    fn the_runners_own_polls_wait_for_a_read_retry_after() {
        let mut r = runner();
        let capacity = r.settings.params.arm_reads.capacity;
        let get = || ArmRequest::GetOperation {
            operation: OpHandle(0),
        };
        for _ in 0..capacity {
            assert!(!matches!(r.submit(get()), ArmResponse::Throttled { .. }));
        }
        // 25 reads/s: one token in 40 ms, announced as Retry-After: 1.
        assert!(matches!(
            r.submit(get()),
            ArmResponse::Throttled {
                retry_after_s: 1,
                ..
            }
        ));
        r.now_ms = 100;
        assert_eq!(r.read_poll_delay(), Some(900));
        let sent = r.model.stats().requests_of(OpClass::Reads);
        r.poll_operation(OpId(0), OpHandle(0)).expect("poll");
        assert_eq!(
            r.model.stats().requests_of(OpClass::Reads),
            sent,
            "a poll was sent before the Retry-After"
        );
        assert_eq!(r.own.peek_time(), Some(1_000));
        // After it, only the reserve pacing applies (the bucket holds 25 of
        // 250 tokens then, under the reserve of half): one interval.
        r.now_ms = 1_000;
        assert_eq!(r.read_poll_delay(), Some(r.settings.lro_poll_interval_ms));
    }
}
