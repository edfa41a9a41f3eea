//! ARM error classification: what an error code means for the caller.
//!
//! | class | meaning | what to do |
//! |---|---|---|
//! | [`ErrorClass::Transient`] | the request may succeed later unchanged | retry after a delay |
//! | [`ErrorClass::Permanent`] | the request is wrong or not allowed | fail this step |
//! | [`ErrorClass::Observe`] | "already exists / already in progress / duplicate": the desired state may already be there or on its way | GET the resource and decide from what is there; never fail the tenant on this alone |
//! | [`ErrorClass::NotFound`] | the resource (or its parent) does not exist | resource-specific: gone = done for a delete, missing parent for a create |
//!
//! [`classify`] looks at the **code first** (the lists below; codes compare
//! ASCII case-insensitively), then at the status:
//! 404/410 → NotFound; 408 (request timeout) → Transient; 429 → Transient
//! (throttling itself is told apart by [`is_throttle`] before
//! classification); 5xx → Transient (ARM and the RPs use 5xx for failures
//! of their own, retrying is the documented remedy); any other status
//! (other 4xx, and unexpected 1xx/3xx) → Permanent.
//!
//! The code strings are in [`codes`]; a service model answering requests
//! must use these constants, so the driver and the model agree.
//! Codes marked *(model)* are names this project's model answers with and
//! that were not seen in the Microsoft.Sql 2023-08-01 error lists; all
//! others were (or are ARM-wide / Microsoft.Network codes).

use serde::{Deserialize, Serialize};

/// What an ARM error means for the caller (see the module docs).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ErrorClass {
    /// Retry later, unchanged.
    Transient,
    /// Do not retry.
    Permanent,
    /// Look at the resource: it may already be (becoming) what was asked.
    Observe,
    /// The resource or its parent does not exist.
    NotFound,
}

/// ARM / resource-provider error codes, as they appear in `error.code`.
pub mod codes {
    // --- throttling ---
    /// 429 (Microsoft.Sql): too many create/update requests.
    pub const SUBSCRIPTION_TOO_MANY_CREATE_UPDATE_REQUESTS: &str =
        "SubscriptionTooManyCreateUpdateRequests";
    /// 429 (Microsoft.Sql): too many requests.
    pub const SUBSCRIPTION_TOO_MANY_REQUESTS: &str = "SubscriptionTooManyRequests";
    /// 503 (Microsoft.Sql) / 429 (ARM): too many requests.
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequests";
    /// 429 (resource provider limit, e.g. "exceeded the limit ... try again after N seconds").
    pub const RESOURCE_REQUESTS_THROTTLED: &str = "ResourceRequestsThrottled";
    /// 429 (ARM subscription limit).
    pub const SUBSCRIPTION_REQUESTS_THROTTLED: &str = "SubscriptionRequestsThrottled";

    // --- transient: another operation runs, or not ready yet ---
    /// 409/400 (ARM-wide, Microsoft.Network): another operation on the resource is in progress.
    pub const ANOTHER_OPERATION_IN_PROGRESS: &str = "AnotherOperationInProgress";
    /// 409: an operation is in progress on the resource.
    pub const OPERATION_IN_PROGRESS: &str = "OperationInProgress";
    /// 409 (Microsoft.Sql): an operation is in progress on the server.
    pub const CONFLICTING_SERVER_OPERATION: &str = "ConflictingServerOperation";
    /// 409 (Microsoft.Sql): an operation is in progress on the database; wait till it is done.
    pub const CONFLICTING_DATABASE_OPERATION: &str = "ConflictingDatabaseOperation";
    /// 409 (Microsoft.Sql): a system maintenance operation is in progress.
    pub const CONFLICTING_SYSTEM_OPERATION_IN_PROGRESS: &str =
        "ConflictingSystemOperationInProgress";
    /// 429/409 (Microsoft.Network): the resource is locked by another operation.
    pub const RETRYABLE_ERROR_DUE_TO_ANOTHER_OPERATION: &str =
        "RetryableErrorDueToAnotherOperation";
    /// 409 *(model)*: the resource is not ready for this operation yet.
    pub const RESOURCE_NOT_READY: &str = "ResourceNotReady";
    /// 409 *(model)*: the server is still being created.
    pub const SERVER_NOT_READY: &str = "ServerNotReady";
    /// 409 *(model)*: the elastic pool is still being created.
    pub const ELASTIC_POOL_NOT_READY: &str = "ElasticPoolNotReady";
    /// 400 (Microsoft.Sql): a management operation runs on the pool.
    pub const ELASTIC_POOL_BUSY: &str = "ElasticPoolBusy";
    /// 409 (Microsoft.Sql): the DNS alias is busy.
    pub const SERVER_DNS_ALIAS_BUSY: &str = "ServerDnsAliasBusy";
    /// 409 (Microsoft.Sql): the database is busy with another operation.
    pub const MANAGEMENT_SERVICE_DATABASE_BUSY: &str = "ManagementServiceDatabaseBusy";
    /// 409 (Microsoft.Sql): the target pool is being updated.
    pub const TARGET_ELASTIC_POOL_BEING_UPDATED: &str = "TargetElasticPoolBeingUpdated";
    /// 409 (Microsoft.Sql): a service objective update is in progress.
    pub const UPDATE_SLO_IN_PROGRESS: &str = "UpdateSloInProgress";
    /// 409 (Microsoft.Sql): a previous SKU assignment has not completed.
    pub const SKU_ASSIGNMENT_IN_PROGRESS: &str = "SkuAssignmentInProgress";
    /// 400 (Microsoft.Sql): a copy or failover of the database is in progress.
    pub const UPDATE_NOT_ALLOWED_IF_GEO_DR_OPERATION_IN_PROGRESS: &str =
        "UpdateNotAllowedIfGeoDrOperationInProgress";
    /// 409 (Microsoft.Sql): interrupted by another operation on the same resource.
    pub const OPERATION_INTERRUPTED: &str = "OperationInterrupted";
    /// 409 (Microsoft.Sql): too many concurrent database copies.
    pub const DATABASE_COPY_LIMIT_PER_REPLICA_REACHED: &str = "DatabaseCopyLimitPerReplicaReached";
    /// 500 (Microsoft.Sql): timed out and rolled back; retry.
    pub const OPERATION_TIMED_OUT: &str = "OperationTimedOut";
    /// 500 (Microsoft.Sql): too many concurrent workflows.
    pub const ACTIVATE_OR_DEACTIVATE_WORKFLOW_THROTTLING: &str =
        "ActivateOrDeactivateWorkflowThrottling";
    /// 500 (ARM-wide): internal error.
    pub const INTERNAL_SERVER_ERROR: &str = "InternalServerError";
    /// 503 (Microsoft.Sql): the database is unavailable.
    pub const DATABASE_UNAVAILABLE: &str = "DatabaseUnavailable";
    /// 503 (Microsoft.Sql): feature temporarily unavailable.
    pub const SERVICE_TEMPORARILY_UNAVAILABLE: &str = "ServiceTemporarilyUnavailable";
    /// 504 (Microsoft.Sql): the request exceeded the allowed timeout.
    pub const REQUEST_TIMEOUT: &str = "RequestTimeout";
    /// 409 *(model)*: the restore queue (per elastic pool, or the
    /// subscription's standalone-database queue) already holds its maximum
    /// of submitted restores; retry when restores have drained.
    pub const CONCURRENT_RESTORE_LIMIT_EXCEEDED: &str = "ConcurrentRestoreLimitExceeded";
    /// 503 *(model)*: the region is unavailable (the origin region during
    /// the outage); retry later.
    pub const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";
    /// 400 *(model)*: the region accepts no new resources for now ("this
    /// may change later"). Listed in Microsoft.Sql's REST error tables
    /// (not in the 2023-08-01 lists seen); the model fails a pool creation
    /// with it when the recovery region is short of capacity.
    pub const REGION_DOES_NOT_ALLOW_PROVISIONING: &str = "RegionDoesNotAllowProvisioning";

    // --- observe: already exists / already in progress ---
    /// 409 *(model)*: a database with this name already exists on the server.
    pub const DATABASE_ALREADY_EXISTS: &str = "DatabaseAlreadyExists";
    /// 409 (Microsoft.Sql): the destination database name already exists.
    pub const REMOTE_DATABASE_EXISTS: &str = "RemoteDatabaseExists";
    /// 409 (ARM-wide): the resource already exists.
    pub const RESOURCE_ALREADY_EXISTS: &str = "ResourceAlreadyExists";
    /// 409 (Microsoft.Sql): duplicate server name. Server names are
    /// global: observing may show the name belongs to someone else (404).
    pub const SERVER_ALREADY_EXISTS: &str = "ServerAlreadyExists";
    /// 400 (Microsoft.Sql): the server already has a pool with this name.
    pub const ELASTIC_POOL_ALREADY_EXISTS: &str = "ElasticPoolAlreadyExists";
    /// 409 (Microsoft.Sql): the DNS alias already exists.
    pub const SERVER_DNS_ALIAS_ALREADY_EXISTS: &str = "ServerDnsAliasAlreadyExists";
    /// 409 (Microsoft.Sql): the databases already replicate (duplicate request).
    pub const DUPLICATE_GEO_DR_RELATION: &str = "DuplicateGeoDrRelation";
    /// 409 *(model)*: a restore of this database is already in progress.
    pub const DATABASE_RESTORE_IN_PROGRESS: &str = "DatabaseRestoreInProgress";

    // --- not found ---
    /// 404 (ARM-wide).
    pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFound";
    /// 404 (ARM-wide).
    pub const RESOURCE_GROUP_NOT_FOUND: &str = "ResourceGroupNotFound";
    /// 404 (ARM-wide): the parent resource does not exist.
    pub const PARENT_RESOURCE_NOT_FOUND: &str = "ParentResourceNotFound";
    /// 404 (Microsoft.Sql).
    pub const DATABASE_DOES_NOT_EXIST: &str = "DatabaseDoesNotExist";
    /// 404 (Microsoft.Sql).
    pub const ELASTIC_POOL_NOT_FOUND: &str = "ElasticPoolNotFound";
    /// 400 (Microsoft.Sql): the requested server was not found.
    pub const SERVER_NOT_FOUND: &str = "ServerNotFound";
    /// 404 (Microsoft.Sql).
    pub const SUBSCRIPTION_DOES_NOT_HAVE_SERVER: &str = "SubscriptionDoesNotHaveServer";
    /// 404 (Microsoft.Sql).
    pub const SERVER_NOT_IN_SUBSCRIPTION_RESOURCE_GROUP: &str =
        "ServerNotInSubscriptionResourceGroup";
    /// 404 (Microsoft.Sql): no operation with this id.
    pub const OPERATION_ID_NOT_FOUND: &str = "OperationIdNotFound";
    /// 404 (generic).
    pub const NOT_FOUND: &str = "NotFound";
    /// 404 (ARM-wide): the subscription does not exist.
    pub const SUBSCRIPTION_NOT_FOUND: &str = "SubscriptionNotFound";

    // --- permanent (examples; any unlisted code with a 4xx is permanent) ---
    /// 400 (ARM-wide): the body is invalid.
    pub const INVALID_REQUEST_CONTENT: &str = "InvalidRequestContent";
    /// 400 (Microsoft.Sql): the body is empty or invalid.
    pub const INVALID_RESOURCE_REQUEST_BODY: &str = "InvalidResourceRequestBody";
    /// 400 (ARM-wide): unsupported api-version.
    pub const INVALID_API_VERSION_PARAMETER: &str = "InvalidApiVersionParameter";
    /// 400 (ARM-wide): no api-version.
    pub const MISSING_API_VERSION_PARAMETER: &str = "MissingApiVersionParameter";
    /// 400 (ARM-wide): the path names no resource type.
    pub const INVALID_RESOURCE_TYPE: &str = "InvalidResourceType";
    /// 403 (ARM-wide).
    pub const AUTHORIZATION_FAILED: &str = "AuthorizationFailed";
    /// 400 (Microsoft.Sql): invalid SKU.
    pub const INVALID_SKU: &str = "InvalidSku";
    /// 400 (Microsoft.Sql): the source database does not exist.
    pub const SOURCE_DATABASE_NOT_FOUND: &str = "SourceDatabaseNotFound";
    /// 400 (Microsoft.Sql): the target pool does not exist.
    pub const TARGET_ELASTIC_POOL_DOES_NOT_EXIST: &str = "TargetElasticPoolDoesNotExist";
    /// 400 (Microsoft.Sql): the pool is full.
    pub const ELASTIC_POOL_DATABASE_COUNT_OVER_LIMIT: &str = "ElasticPoolDatabaseCountOverLimit";
    /// 400 (Microsoft.Sql): server quota exceeded.
    pub const SERVER_QUOTA_EXCEEDED: &str = "ServerQuotaExceeded";
    /// 409 (Microsoft.Sql): the operation was cancelled by the user.
    pub const OPERATION_CANCELLED: &str = "OperationCancelled";
    /// 409 (Microsoft.Sql): the subscription is disabled.
    pub const SUBSCRIPTION_DISABLED: &str = "SubscriptionDisabled";
    /// 409 (Microsoft.Sql): the server is disabled.
    pub const SERVER_DISABLED: &str = "ServerDisabled";
    /// 409 *(model)*: the server or elastic pool holds its maximum number
    /// of databases.
    pub const DATABASE_LIMIT_REACHED: &str = "DatabaseLimitReached";
    /// 409 *(model)*: the database is not in a state that allows the
    /// request (failover of a database that is not a seeded geo-secondary,
    /// rename of a busy database, delete of a pool that still holds
    /// databases).
    pub const INVALID_DATABASE_STATE: &str = "InvalidDatabaseState";
    /// *(model)*: a geo-restore failed because the geo-backup cannot be
    /// restored (the `error.code` of the failed operation).
    pub const DATABASE_RESTORE_FAILED: &str = "DatabaseRestoreFailed";
    /// 400 (ARM-wide): the location is not available for the resource type.
    pub const LOCATION_NOT_AVAILABLE_FOR_RESOURCE_TYPE: &str =
        "LocationNotAvailableForResourceType";
    /// 405 *(model)*: the path does not take this method (or the model
    /// does not serve this call).
    pub const METHOD_NOT_ALLOWED: &str = "MethodNotAllowed";
}

use codes::*;

/// Codes that mean "throttled": wait `Retry-After`, then resend.
pub const THROTTLE_CODES: &[&str] = &[
    SUBSCRIPTION_TOO_MANY_CREATE_UPDATE_REQUESTS,
    SUBSCRIPTION_TOO_MANY_REQUESTS,
    TOO_MANY_REQUESTS,
    RESOURCE_REQUESTS_THROTTLED,
    SUBSCRIPTION_REQUESTS_THROTTLED,
];

/// Codes that are [`ErrorClass::Transient`]: another operation is running
/// on the resource, it is not ready yet, or the service failed
/// temporarily; the same request can succeed later.
pub const TRANSIENT_CODES: &[&str] = &[
    ANOTHER_OPERATION_IN_PROGRESS,
    OPERATION_IN_PROGRESS,
    CONFLICTING_SERVER_OPERATION,
    CONFLICTING_DATABASE_OPERATION,
    CONFLICTING_SYSTEM_OPERATION_IN_PROGRESS,
    RETRYABLE_ERROR_DUE_TO_ANOTHER_OPERATION,
    RESOURCE_NOT_READY,
    SERVER_NOT_READY,
    ELASTIC_POOL_NOT_READY,
    ELASTIC_POOL_BUSY,
    SERVER_DNS_ALIAS_BUSY,
    MANAGEMENT_SERVICE_DATABASE_BUSY,
    TARGET_ELASTIC_POOL_BEING_UPDATED,
    UPDATE_SLO_IN_PROGRESS,
    SKU_ASSIGNMENT_IN_PROGRESS,
    UPDATE_NOT_ALLOWED_IF_GEO_DR_OPERATION_IN_PROGRESS,
    OPERATION_INTERRUPTED,
    DATABASE_COPY_LIMIT_PER_REPLICA_REACHED,
    OPERATION_TIMED_OUT,
    ACTIVATE_OR_DEACTIVATE_WORKFLOW_THROTTLING,
    INTERNAL_SERVER_ERROR,
    DATABASE_UNAVAILABLE,
    SERVICE_TEMPORARILY_UNAVAILABLE,
    REQUEST_TIMEOUT,
    CONCURRENT_RESTORE_LIMIT_EXCEEDED,
    SERVICE_UNAVAILABLE,
    REGION_DOES_NOT_ALLOW_PROVISIONING,
];

/// Codes that are [`ErrorClass::Observe`]: "already exists", "already in
/// progress", "duplicate request". The state asked for may already be
/// there, or on its way: look at the resource.
pub const OBSERVE_CODES: &[&str] = &[
    DATABASE_ALREADY_EXISTS,
    REMOTE_DATABASE_EXISTS,
    RESOURCE_ALREADY_EXISTS,
    SERVER_ALREADY_EXISTS,
    ELASTIC_POOL_ALREADY_EXISTS,
    SERVER_DNS_ALIAS_ALREADY_EXISTS,
    DUPLICATE_GEO_DR_RELATION,
    DATABASE_RESTORE_IN_PROGRESS,
];

/// Codes that are [`ErrorClass::NotFound`], whatever the status
/// (Microsoft.Sql sends `ServerNotFound` with 400).
pub const NOT_FOUND_CODES: &[&str] = &[
    RESOURCE_NOT_FOUND,
    RESOURCE_GROUP_NOT_FOUND,
    PARENT_RESOURCE_NOT_FOUND,
    DATABASE_DOES_NOT_EXIST,
    ELASTIC_POOL_NOT_FOUND,
    SERVER_NOT_FOUND,
    SUBSCRIPTION_DOES_NOT_HAVE_SERVER,
    SERVER_NOT_IN_SUBSCRIPTION_RESOURCE_GROUP,
    OPERATION_ID_NOT_FOUND,
    NOT_FOUND,
    SUBSCRIPTION_NOT_FOUND,
];

/// Codes that are [`ErrorClass::Permanent`] whatever the status (a few
/// well-known ones; unlisted codes fall back to the status rule).
pub const PERMANENT_CODES: &[&str] = &[
    INVALID_REQUEST_CONTENT,
    INVALID_RESOURCE_REQUEST_BODY,
    INVALID_API_VERSION_PARAMETER,
    MISSING_API_VERSION_PARAMETER,
    INVALID_RESOURCE_TYPE,
    AUTHORIZATION_FAILED,
    INVALID_SKU,
    SOURCE_DATABASE_NOT_FOUND,
    TARGET_ELASTIC_POOL_DOES_NOT_EXIST,
    ELASTIC_POOL_DATABASE_COUNT_OVER_LIMIT,
    SERVER_QUOTA_EXCEEDED,
    OPERATION_CANCELLED,
    SUBSCRIPTION_DISABLED,
    SERVER_DISABLED,
    DATABASE_LIMIT_REACHED,
    INVALID_DATABASE_STATE,
    DATABASE_RESTORE_FAILED,
    LOCATION_NOT_AVAILABLE_FOR_RESOURCE_TYPE,
    METHOD_NOT_ALLOWED,
];

fn listed(list: &[&str], code: &str) -> bool {
    list.iter().any(|c| c.eq_ignore_ascii_case(code))
}

/// Classifies by code alone; `None` if the code is in no list. Throttle
/// codes classify as [`ErrorClass::Transient`].
pub fn classify_code(code: &str) -> Option<ErrorClass> {
    if listed(THROTTLE_CODES, code) || listed(TRANSIENT_CODES, code) {
        Some(ErrorClass::Transient)
    } else if listed(OBSERVE_CODES, code) {
        Some(ErrorClass::Observe)
    } else if listed(NOT_FOUND_CODES, code) {
        Some(ErrorClass::NotFound)
    } else if listed(PERMANENT_CODES, code) {
        Some(ErrorClass::Permanent)
    } else {
        None
    }
}

/// Classifies an error response by its code, then its status (see the
/// module docs for the table and the reasons).
pub fn classify(status: u16, code: &str) -> ErrorClass {
    if let Some(class) = classify_code(code) {
        return class;
    }
    match status {
        404 | 410 => ErrorClass::NotFound,
        408 | 429 | 500..=599 => ErrorClass::Transient,
        _ => ErrorClass::Permanent,
    }
}

/// Whether an error response is throttling (wait `Retry-After`, resend):
/// any throttle code, whatever the status (Microsoft.Sql sends
/// `TooManyRequests` with 503); or status 429, unless its code is a
/// transient conflict (Microsoft.Network answers 429
/// `RetryableErrorDueToAnotherOperation` when a resource is locked: that
/// is not a rate limit).
pub fn is_throttle(status: u16, code: &str) -> bool {
    listed(THROTTLE_CODES, code) || (status == 429 && !listed(TRANSIENT_CODES, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_code_has_its_class() {
        for c in TRANSIENT_CODES {
            assert_eq!(classify(409, c), ErrorClass::Transient, "{c}");
            assert_eq!(classify(400, c), ErrorClass::Transient, "{c}");
        }
        for c in OBSERVE_CODES {
            assert_eq!(classify(409, c), ErrorClass::Observe, "{c}");
            assert_eq!(classify(400, c), ErrorClass::Observe, "{c}");
        }
        for c in NOT_FOUND_CODES {
            assert_eq!(classify(404, c), ErrorClass::NotFound, "{c}");
            assert_eq!(classify(400, c), ErrorClass::NotFound, "{c}");
        }
        for c in PERMANENT_CODES {
            assert_eq!(classify(400, c), ErrorClass::Permanent, "{c}");
            assert_eq!(classify(500, c), ErrorClass::Permanent, "{c}");
        }
        for c in THROTTLE_CODES {
            assert!(is_throttle(429, c), "{c}");
            assert!(is_throttle(503, c), "{c}");
            assert_eq!(classify(429, c), ErrorClass::Transient, "{c}");
        }
    }

    #[test]
    fn lists_are_disjoint() {
        let lists = [
            THROTTLE_CODES,
            TRANSIENT_CODES,
            OBSERVE_CODES,
            NOT_FOUND_CODES,
            PERMANENT_CODES,
        ];
        for (i, a) in lists.iter().enumerate() {
            for b in &lists[i + 1..] {
                for c in *a {
                    assert!(!listed(b, c), "{c} is in two lists");
                }
            }
        }
    }

    #[test]
    fn named_codes_from_the_brief() {
        use ErrorClass::*;
        let cases = [
            (409, "AnotherOperationInProgress", Transient),
            (409, "OperationInProgress", Transient),
            (409, "ResourceNotReady", Transient),
            (409, "ServerNotReady", Transient),
            (409, "ElasticPoolNotReady", Transient),
            (409, "ConflictingServerOperation", Transient),
            (409, "ConflictingDatabaseOperation", Transient),
            (429, "RetryableErrorDueToAnotherOperation", Transient),
            (409, "DatabaseAlreadyExists", Observe),
            (409, "ResourceAlreadyExists", Observe),
            (409, "ServerDnsAliasAlreadyExists", Observe),
            (409, "DatabaseRestoreInProgress", Observe),
            (404, "ResourceNotFound", NotFound),
            (404, "DatabaseDoesNotExist", NotFound),
            (404, "ParentResourceNotFound", NotFound),
            // case-insensitive codes
            (409, "conflictingdatabaseoperation", Transient),
        ];
        for (status, code, class) in cases {
            assert_eq!(classify(status, code), class, "{status} {code}");
        }
    }

    #[test]
    fn status_fallbacks() {
        use ErrorClass::*;
        for (status, class) in [
            (500, Transient),
            (502, Transient),
            (503, Transient),
            (504, Transient),
            (408, Transient),
            (429, Transient),
            (404, NotFound),
            (410, NotFound),
            (400, Permanent),
            (401, Permanent),
            (403, Permanent),
            (409, Permanent),
            (412, Permanent),
            (302, Permanent),
        ] {
            assert_eq!(classify(status, "SomethingUnlisted"), class, "{status}");
            assert_eq!(classify(status, ""), class, "{status}");
        }
    }

    #[test]
    fn throttle_detection() {
        assert!(is_throttle(429, ""));
        assert!(is_throttle(429, "Whatever"));
        assert!(is_throttle(503, "TooManyRequests"));
        assert!(!is_throttle(503, ""));
        assert!(!is_throttle(429, "RetryableErrorDueToAnotherOperation"));
        assert!(!is_throttle(409, "ConflictingDatabaseOperation"));
    }
}
