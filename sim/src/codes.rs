//! Error codes the model answers with, shaped like Azure's.
//!
//! Codes that Azure is known to use are marked "Azure"; the others are
//! model-chosen names for situations whose real code is not published.

/// Azure: the parent resource (server) of the target does not exist. HTTP 404.
pub const PARENT_RESOURCE_NOT_FOUND: &str = "ParentResourceNotFound";
/// Azure: the addressed resource does not exist. HTTP 404.
pub const RESOURCE_NOT_FOUND: &str = "ResourceNotFound";
/// Azure SQL: the named elastic pool does not exist on the server. HTTP 404.
pub const ELASTIC_POOL_NOT_FOUND: &str = "ElasticPoolNotFound";
/// Model-chosen: the resource or its parent is still being provisioned, or
/// has failed provisioning. HTTP 409.
pub const RESOURCE_NOT_READY: &str = "ResourceNotReady";
/// Azure-like: another operation on this resource is in progress. HTTP 409.
pub const ANOTHER_OPERATION_IN_PROGRESS: &str = "AnotherOperationInProgress";
/// Azure: a server of that name already exists (in another region). HTTP 409.
pub const SERVER_NAME_ALREADY_EXISTS: &str = "ServerNameAlreadyExists";
/// Model-chosen: a database of that name already exists. HTTP 409.
pub const DATABASE_ALREADY_EXISTS: &str = "DatabaseAlreadyExists";
/// Model-chosen: the restore queue (2,000 per pool, 100 standalone per
/// subscription) is full. HTTP 409.
pub const RESTORE_QUEUE_FULL: &str = "ConcurrentRestoreLimitExceeded";
/// Model-chosen: the pool or server holds its maximum number of databases.
/// HTTP 409.
pub const DATABASE_LIMIT_REACHED: &str = "DatabaseLimitReached";
/// Model-chosen: the database is not in a state that allows the request
/// (e.g. failover of a database that is not a seeded secondary). HTTP 409.
pub const INVALID_DATABASE_STATE: &str = "InvalidDatabaseState";
/// Azure: the region is unavailable (the origin region during the outage).
/// HTTP 503.
pub const SERVICE_UNAVAILABLE: &str = "ServiceUnavailable";
/// Azure: no capacity to provision in this region; retryable. Async failure
/// of pool creation.
pub const REGION_DOES_NOT_ALLOW_PROVISIONING: &str = "RegionDoesNotAllowProvisioning";
/// Azure: generic retryable internal error. Async failure of a restore
/// attempt.
pub const INTERNAL_SERVER_ERROR: &str = "InternalServerError";
/// Model-chosen: the geo-backup cannot be restored; not retryable. Async
/// failure of a restore.
pub const RESTORE_FAILED: &str = "DatabaseRestoreFailed";
/// Model-chosen: the operation id is unknown. HTTP 404.
pub const OPERATION_NOT_FOUND: &str = "OperationNotFound";
/// Model-chosen: the operation was canceled (its database was deleted).
pub const OPERATION_CANCELED: &str = "OperationCanceled";
