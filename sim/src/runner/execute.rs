//! Carrying out one command: an ARM request goes to the model's ARM
//! surface and its answer, untouched, back to the scheduler; a catalog call
//! runs against the model's catalog latency.

use scheduler::{CatalogCall as Call, Event, FailureKind, OpId, Work};

use super::{CatalogCall, Runner, SimError};
use crate::arm::OpClass;
use crate::codes;
use crate::request::{ArmRequest, ArmResponse, CatalogAction, OpStatus};

/// The event that ends a catalog call whose model operation ended with
/// `status` (the answer to a change check is the scenario's draw).
pub(super) fn catalog_outcome(call: CatalogCall, status: OpStatus, changed: &[bool]) -> Event {
    let op = call.op;
    match (status, call.check) {
        (OpStatus::Succeeded | OpStatus::InProgress, Some(db)) => Event::Changed {
            op,
            changed: changed.get(db.0 as usize).copied().unwrap_or(true),
        },
        (OpStatus::Succeeded | OpStatus::InProgress, None) => Event::Succeeded { op },
        (OpStatus::Failed { code, retryable }, _) => Event::Failed {
            op,
            kind: if retryable {
                FailureKind::Transient
            } else {
                FailureKind::Permanent
            },
            reason: code.to_owned(),
        },
        (OpStatus::Canceled, _) => Event::Failed {
            op,
            kind: FailureKind::Permanent,
            reason: codes::OPERATION_CANCELED.to_owned(),
        },
    }
}

/// The model's class of an ARM request.
fn op_class(class: scheduler::arm::ArmClass) -> OpClass {
    match class {
        scheduler::arm::ArmClass::Read => OpClass::Reads,
        scheduler::arm::ArmClass::Write => OpClass::Writes,
        scheduler::arm::ArmClass::Delete => OpClass::Deletes,
    }
}

impl Runner {
    /// Carries out every command the scheduler has ready.
    pub(super) fn drain(&mut self) -> Result<(), SimError> {
        while let Some(command) = self.scheduler.poll_command() {
            self.recorder.digest.record_command(self.now_ms, &command);
            self.recorder.commands += 1;
            if let Some(crash) = &mut self.crash
                && crash.due()
            {
                // The driver dies now: with or without its request on the wire.
                if crash.reached
                    && let Work::Arm(request) = &command.work
                {
                    let _ = self.model.serve(&self.context, self.now_ms, request);
                    crash.lost = Some(command.clone());
                }
                return Err(SimError::Crashed);
            }
            match command.work {
                Work::Arm(request) => {
                    let response = self.model.serve(&self.context, self.now_ms, &request);
                    self.recorder.arm_request(
                        self.now_ms,
                        op_class(request.class()),
                        // What the shared protocol calls throttled (the
                        // runner reads no status code of its own).
                        matches!(
                            scheduler::arm::interpret(&request, &response),
                            scheduler::arm::Outcome::Throttled { .. }
                        ),
                    );
                    let share = self.settings.lost_answer_share;
                    let event = if share > 0.0 && self.lost_answers.bernoulli(share) {
                        self.recorder.lost_answers += 1;
                        Event::TransportFailed {
                            op: command.op,
                            reason: "connection reset before the answer arrived".to_owned(),
                        }
                    } else {
                        Event::Response {
                            op: command.op,
                            response,
                        }
                    };
                    let status = match &event {
                        Event::Response { response, .. } => response.status,
                        _ => 0,
                    };
                    self.recorder
                        .digest
                        .record_response(self.now_ms, command.op, status);
                    self.scheduler.handle(self.now_ms, event).map_err(|error| {
                        SimError::Scheduler {
                            at_ms: self.now_ms,
                            event: format!("response to {:?}", command.action),
                            error,
                        }
                    })?;
                    self.take_notices();
                }
                Work::Catalog(call) => self.catalog_call(command.op, call)?,
            }
        }
        Ok(())
    }

    /// Starts a catalog call; it returns when the model's catalog latency
    /// has passed.
    fn catalog_call(&mut self, op: OpId, call: Call) -> Result<(), SimError> {
        let kept = call.clone();
        let (tenant, action, check) = match call {
            Call::MarkOffline { tenant_id } => (tenant_id, CatalogAction::MarkOffline, false),
            Call::MarkOnline { tenant_id } => (tenant_id, CatalogAction::MarkOnline, false),
            Call::Route { tenant_id, .. } => (tenant_id, CatalogAction::UpdateShardPointer, false),
            Call::CheckChanged { tenant_id } => (tenant_id, CatalogAction::CheckChanged, true),
        };
        let check = if check {
            match self.scheduler.action(op) {
                Some(scheduler::Action::CheckChanged { db }) => Some(db),
                _ => None,
            }
        } else {
            None
        };
        match self.model.submit(
            self.now_ms,
            ArmRequest::CatalogUpdate {
                tenant: tenant.into(),
                action,
            },
        ) {
            ArmResponse::Accepted { operation } => {
                self.catalog.insert(
                    operation,
                    CatalogCall {
                        op,
                        check,
                        call: kept,
                    },
                );
                Ok(())
            }
            other => self.handle(Event::Failed {
                op,
                kind: FailureKind::Transient,
                reason: format!("catalog call refused: {other:?}"),
            }),
        }
    }
}
