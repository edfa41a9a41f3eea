//! `GET databases/{d}/operations` and `GET elasticPools/{p}/operations`:
//! the management operations the model accepted on a database or a pool
//! ([`AzureModel::database_operations`], [`AzureModel::pool_operations`]),
//! oldest first, in the shapes of `DatabaseOperations_ListByDatabase` and
//! `ElasticPoolOperations_ListByElasticPool` (one page).
//!
//! An operation's `name` is its model handle, the same id its status
//! URLs carry. `operation` names the work as the 202 body of its request
//! did (`CreateLogicalDatabase` for restores and geo-secondaries,
//! `UpdateLogicalDatabase` for a move into a pool,
//! `FailoverReplicationLink`; pools: `CREATE`). Database states: a restore
//! waiting for a slot is `Pending`, then `InProgress`, `Succeeded`,
//! `Failed`, `Cancelled`; pool states `IN_PROGRESS`, `COMPLETED`,
//! `FAILED`, `CANCELLED` (the spelling of the pool list).

use ::arm::Response;
use ::arm::body::{
    DatabaseOperation, DatabaseOperationProperties, DatabaseOperationState, ElasticPoolOperation,
    ElasticPoolOperationProperties, ElasticPoolOperationState, List,
};
use ::arm::id::{DatabaseId, ElasticPoolId};

use super::plan::Refusal;
use super::{not_found, render};
use crate::model::{AzureModel, OperationView, OperationWork};
use crate::request::OpStatus;

const DATABASE_OPERATION_TYPE: &str = "Microsoft.Sql/servers/databases/operations";
const POOL_OPERATION_TYPE: &str = "Microsoft.Sql/servers/elasticPools/operations";

/// `(operation, operationFriendlyName)` of a database operation.
fn database_work(work: OperationWork) -> (&'static str, &'static str) {
    match work {
        OperationWork::Restore | OperationWork::CreateSecondary => {
            ("CreateLogicalDatabase", "CREATE DATABASE")
        }
        OperationWork::MoveToPool => ("UpdateLogicalDatabase", "ALTER DATABASE"),
        OperationWork::Failover => ("FailoverReplicationLink", "FAILOVER"),
        OperationWork::CreatePool => ("CREATE", "CREATE"),
    }
}

fn database_state(view: &OperationView) -> DatabaseOperationState {
    match view.status {
        OpStatus::InProgress if view.queued => DatabaseOperationState::Pending,
        OpStatus::InProgress => DatabaseOperationState::InProgress,
        OpStatus::Succeeded => DatabaseOperationState::Succeeded,
        OpStatus::Failed { .. } => DatabaseOperationState::Failed,
        OpStatus::Canceled => DatabaseOperationState::Cancelled,
    }
}

fn pool_state(status: OpStatus) -> ElasticPoolOperationState {
    match status {
        OpStatus::InProgress => ElasticPoolOperationState::InProgress,
        OpStatus::Succeeded => ElasticPoolOperationState::Completed,
        OpStatus::Failed { .. } => ElasticPoolOperationState::Other("FAILED".to_owned()),
        OpStatus::Canceled => ElasticPoolOperationState::Other("CANCELLED".to_owned()),
    }
}

/// The operations list of database `id` (404 if it does not exist).
pub(super) fn database_operations(
    model: &AzureModel,
    id: &DatabaseId,
) -> Result<Response, Refusal> {
    let views = model
        .database_operations(&id.server.name, &id.name)
        .ok_or_else(|| {
            not_found(
                &id.server.resource_group.name,
                &format!("servers/{}/databases", id.server.name),
                &id.name,
            )
        })?;
    let base = id.id();
    let value = views
        .iter()
        .map(|view| {
            let (operation, friendly) = database_work(view.work);
            let name = view.handle.0.to_string();
            let error = render::operation_error(view.status);
            DatabaseOperation {
                id: Some(format!("{base}/operations/{name}")),
                name: Some(name),
                resource_type: Some(DATABASE_OPERATION_TYPE.to_owned()),
                properties: Some(DatabaseOperationProperties {
                    database_name: Some(id.name.clone()),
                    operation: Some(operation.to_owned()),
                    operation_friendly_name: Some(friendly.to_owned()),
                    percent_complete: Some(view.percent_complete),
                    server_name: Some(id.server.name.clone()),
                    start_time: Some(render::iso_time(view.accepted_ms)),
                    state: Some(database_state(view)),
                    error_description: error.map(|e| e.message),
                    ..DatabaseOperationProperties::default()
                }),
                ..DatabaseOperation::default()
            }
        })
        .collect();
    Ok(Response::new(200).with_payload(List::new(value)))
}

/// The operations list of elastic pool `id` (404 if it does not exist).
pub(super) fn pool_operations(model: &AzureModel, id: &ElasticPoolId) -> Result<Response, Refusal> {
    let views = model
        .pool_operations(&id.server.name, &id.name)
        .ok_or_else(|| {
            not_found(
                &id.server.resource_group.name,
                &format!("servers/{}/elasticPools", id.server.name),
                &id.name,
            )
        })?;
    let base = id.id();
    let value = views
        .iter()
        .map(|view| {
            let name = view.handle.0.to_string();
            ElasticPoolOperation {
                id: Some(format!("{base}/operations/{name}")),
                name: Some(name),
                resource_type: Some(POOL_OPERATION_TYPE.to_owned()),
                properties: Some(ElasticPoolOperationProperties {
                    elastic_pool_name: Some(id.name.clone()),
                    operation: Some("CREATE".to_owned()),
                    operation_friendly_name: Some("CREATE".to_owned()),
                    percent_complete: Some(view.percent_complete),
                    server_name: Some(id.server.name.clone()),
                    start_time: Some(render::iso_time(view.accepted_ms)),
                    state: Some(pool_state(view.status)),
                    ..ElasticPoolOperationProperties::default()
                }),
                ..ElasticPoolOperation::default()
            }
        })
        .collect();
    Ok(Response::new(200).with_payload(List::new(value)))
}
