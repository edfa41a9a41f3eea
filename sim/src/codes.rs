//! Error codes the model answers with: arm's constants ([`::arm::codes`]),
//! under the names the model uses, so the model, the ARM front end
//! ([`crate::serve`]) and a driver reading answers with
//! [`::arm::classify`] agree on every string and on what it means.
//!
//! | model name | ARM code | class ([`::arm::classify`]) |
//! |---|---|---|
//! | [`PARENT_RESOURCE_NOT_FOUND`] | `ParentResourceNotFound` (404) | NotFound |
//! | [`RESOURCE_NOT_FOUND`] | `ResourceNotFound` (404) | NotFound |
//! | [`ELASTIC_POOL_NOT_FOUND`] | `ElasticPoolNotFound` (404) | NotFound |
//! | [`OPERATION_NOT_FOUND`] | `OperationIdNotFound` (404) | NotFound |
//! | [`RESOURCE_NOT_READY`] | `ResourceNotReady` (409) | Transient |
//! | [`ANOTHER_OPERATION_IN_PROGRESS`] | `AnotherOperationInProgress` (409) | Transient |
//! | [`RESTORE_QUEUE_FULL`] | `ConcurrentRestoreLimitExceeded` (409) | Transient |
//! | [`SERVICE_UNAVAILABLE`] | `ServiceUnavailable` (503) | Transient |
//! | [`REGION_DOES_NOT_ALLOW_PROVISIONING`] | `RegionDoesNotAllowProvisioning` (async, retryable) | Transient |
//! | [`INTERNAL_SERVER_ERROR`] | `InternalServerError` (async, retryable) | Transient |
//! | [`SERVER_NAME_ALREADY_EXISTS`] | `ServerAlreadyExists` (409) | Observe |
//! | [`DATABASE_ALREADY_EXISTS`] | `DatabaseAlreadyExists` (409) | Observe |
//! | [`DATABASE_LIMIT_REACHED`] | `DatabaseLimitReached` (409) | Permanent |
//! | [`INVALID_DATABASE_STATE`] | `InvalidDatabaseState` (409) | Permanent |
//! | [`RESTORE_FAILED`] | `DatabaseRestoreFailed` (async, not retryable) | Permanent |
//! | [`OPERATION_CANCELED`] | `OperationCancelled` (async) | Permanent |
//! | [`SOURCE_DATABASE_NOT_FOUND`] | `SourceDatabaseNotFound` (400) | Permanent |
//! | [`INVALID_REQUEST_CONTENT`] | `InvalidRequestContent` (400) | Permanent |
//!
//! A server name taken in the other region is `ServerAlreadyExists`
//! (Observe): looking at the server shows it lives elsewhere.

/// Another operation on this resource is in progress. HTTP 409.
pub use ::arm::codes::ANOTHER_OPERATION_IN_PROGRESS;
/// The restore queue (2,000 per pool, 100 standalone per subscription) is
/// full. HTTP 409, retry later.
pub use ::arm::codes::CONCURRENT_RESTORE_LIMIT_EXCEEDED as RESTORE_QUEUE_FULL;
/// A database of that name already exists. HTTP 409.
pub use ::arm::codes::DATABASE_ALREADY_EXISTS;
/// The pool or server holds its maximum number of databases. HTTP 409.
pub use ::arm::codes::DATABASE_LIMIT_REACHED;
/// The geo-backup cannot be restored; not retryable. Async failure of a
/// restore.
pub use ::arm::codes::DATABASE_RESTORE_FAILED as RESTORE_FAILED;
/// The named elastic pool does not exist on the server. HTTP 404.
pub use ::arm::codes::ELASTIC_POOL_NOT_FOUND;
/// Generic retryable internal error. Async failure of a restore attempt.
pub use ::arm::codes::INTERNAL_SERVER_ERROR;
/// The database is not in a state that allows the request (e.g. failover
/// of a database that is not a seeded secondary). HTTP 409.
pub use ::arm::codes::INVALID_DATABASE_STATE;
/// The operation was canceled (its database or server was deleted).
pub use ::arm::codes::OPERATION_CANCELLED as OPERATION_CANCELED;
/// The operation id is unknown. HTTP 404.
pub use ::arm::codes::OPERATION_ID_NOT_FOUND as OPERATION_NOT_FOUND;
/// The parent resource (server) of the target does not exist. HTTP 404.
pub use ::arm::codes::PARENT_RESOURCE_NOT_FOUND;
/// No capacity to provision in this region; retryable. Async failure of
/// pool creation.
pub use ::arm::codes::REGION_DOES_NOT_ALLOW_PROVISIONING;
/// The addressed resource does not exist. HTTP 404.
pub use ::arm::codes::RESOURCE_NOT_FOUND;
/// The resource or its parent is still being provisioned, or has failed
/// provisioning. HTTP 409, retry later.
pub use ::arm::codes::RESOURCE_NOT_READY;
/// A server of that name already exists (in another region). HTTP 409.
pub use ::arm::codes::SERVER_ALREADY_EXISTS as SERVER_NAME_ALREADY_EXISTS;
/// The region is unavailable (the origin region during the outage). HTTP 503.
pub use ::arm::codes::SERVICE_UNAVAILABLE;

/// A restore's `restorePointInTime` lies outside its source's backups.
/// HTTP 400.
pub use ::arm::codes::INVALID_REQUEST_CONTENT;
/// The source of a point-in-time or dropped-database restore does not
/// exist (or its backups are past their retention). HTTP 400.
pub use ::arm::codes::SOURCE_DATABASE_NOT_FOUND;

#[cfg(test)]
mod tests {
    use super::*;
    use ::arm::{ErrorClass, classify};

    /// Every code the model answers with, with the status it answers it
    /// with (async failures: the status a `Location` poll reports) and the
    /// class the model means.
    const MODEL_CODES: &[(&str, u16, ErrorClass)] = &[
        (PARENT_RESOURCE_NOT_FOUND, 404, ErrorClass::NotFound),
        (RESOURCE_NOT_FOUND, 404, ErrorClass::NotFound),
        (ELASTIC_POOL_NOT_FOUND, 404, ErrorClass::NotFound),
        (OPERATION_NOT_FOUND, 404, ErrorClass::NotFound),
        (RESOURCE_NOT_READY, 409, ErrorClass::Transient),
        (ANOTHER_OPERATION_IN_PROGRESS, 409, ErrorClass::Transient),
        (RESTORE_QUEUE_FULL, 409, ErrorClass::Transient),
        (SERVICE_UNAVAILABLE, 503, ErrorClass::Transient),
        (
            REGION_DOES_NOT_ALLOW_PROVISIONING,
            500,
            ErrorClass::Transient,
        ),
        (INTERNAL_SERVER_ERROR, 500, ErrorClass::Transient),
        (SERVER_NAME_ALREADY_EXISTS, 409, ErrorClass::Observe),
        (DATABASE_ALREADY_EXISTS, 409, ErrorClass::Observe),
        (DATABASE_LIMIT_REACHED, 409, ErrorClass::Permanent),
        (INVALID_DATABASE_STATE, 409, ErrorClass::Permanent),
        (RESTORE_FAILED, 400, ErrorClass::Permanent),
        (OPERATION_CANCELED, 409, ErrorClass::Permanent),
        (SOURCE_DATABASE_NOT_FOUND, 400, ErrorClass::Permanent),
        (INVALID_REQUEST_CONTENT, 400, ErrorClass::Permanent),
    ];

    #[test]
    fn arm_classifies_every_model_code_as_the_model_means() {
        for &(code, status, class) in MODEL_CODES {
            assert_eq!(classify(status, code), class, "{code}");
            // By code, not by status: the class holds whatever the status.
            assert_eq!(::arm::error::classify_code(code), Some(class), "{code}");
        }
    }
}
