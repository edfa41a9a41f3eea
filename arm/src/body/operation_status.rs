//! The `Azure-AsyncOperation` status body:
//! `{id, name, status, startTime, endTime, percentComplete, properties, error: {code, message}}`.

use serde::{Deserialize, Serialize};

use super::common::Extra;
use super::error_response::ErrorDetail;
use crate::string_enum::string_enum;

string_enum! {
    /// `status` of an asynchronous operation. `Succeeded`, `Failed` and
    /// `Canceled` are terminal; any other value (`InProgress` or an
    /// RP-specific one) means still running.
    pub enum AsyncStatus {
        /// Still running (the usual non-terminal value).
        InProgress = "InProgress",
        /// Ended well.
        Succeeded = "Succeeded",
        /// Ended badly; `error` says why.
        Failed = "Failed",
        /// Cancelled (also read from the spelling `Cancelled`).
        Canceled = "Canceled",
    }
}

impl AsyncStatus {
    /// Whether this is `Canceled` or its British spelling `Cancelled`.
    pub fn is_canceled(&self) -> bool {
        match self {
            Self::Canceled => true,
            Self::Other(s) => s.eq_ignore_ascii_case("Cancelled"),
            _ => false,
        }
    }
    /// Whether the operation has ended.
    pub fn is_terminal(&self) -> bool {
        matches!(self, Self::Succeeded | Self::Failed) || self.is_canceled()
    }
}

/// An `Azure-AsyncOperation` status body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationStatus {
    /// Status URL / id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Operation id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Status.
    pub status: AsyncStatus,
    /// Start time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_time: Option<String>,
    /// End time (terminal states).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_time: Option<String>,
    /// Progress, 0 to 100.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub percent_complete: Option<f64>,
    /// RP-specific properties.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<serde_json::Value>,
    /// Why it failed or was cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
    /// Untyped properties.
    #[serde(flatten)]
    pub extra: Extra,
}

impl OperationStatus {
    /// A status body with only `name` and `status` set.
    pub fn new(name: impl Into<String>, status: AsyncStatus) -> Self {
        Self {
            id: None,
            name: Some(name.into()),
            status,
            start_time: None,
            end_time: None,
            percent_complete: None,
            properties: None,
            error: None,
            extra: Extra::new(),
        }
    }
}
