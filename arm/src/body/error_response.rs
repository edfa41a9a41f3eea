//! The ARM error body: `{"error": {"code", "message", "target"?, "details"?}}`.

use serde::{Deserialize, Serialize};

use super::common::Extra;

/// An ARM error response body.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ErrorResponse {
    /// The error.
    pub error: ErrorDetail,
}

/// An ARM error (also the `error` of an operation status body).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Machine-readable code (`ResourceNotFound`, `ConflictingDatabaseOperation`...);
    /// empty if the service sent none.
    #[serde(default)]
    pub code: String,
    /// Human-readable message; empty if the service sent none.
    #[serde(default)]
    pub message: String,
    /// What the error is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Nested errors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Vec<ErrorDetail>>,
    /// Untyped properties (`additionalInfo`...).
    #[serde(flatten)]
    pub extra: Extra,
}

impl ErrorResponse {
    /// An error body with `code` and `message`.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            error: ErrorDetail {
                code: code.into(),
                message: message.into(),
                ..ErrorDetail::default()
            },
        }
    }
}
