//! The error of a use case: what went wrong in terms a client can act on. The HTTP layer turns
//! it into a problem document; the CLI prints it.

use serde_json::{Map, Value};

use crate::domain::validation::{FieldError, ValidationErrors};
use crate::persistence::DbError;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// Input fields are missing or malformed (422).
    #[error("invalid input: {0}")]
    Validation(ValidationErrors),
    /// A specific, named input problem (422 with its own code).
    #[error("{detail}")]
    InvalidInput { code: &'static str, detail: String, errors: ValidationErrors },
    /// No credentials, or credentials that are not (or no longer) valid (401).
    #[error("{detail}")]
    Unauthorized { code: &'static str, detail: String },
    /// The caller may not do this (403).
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    /// The object does not exist, or the caller may not know that it does (404).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request conflicts with the current state (409); `extra` adds members to the problem.
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String, extra: Map<String, Value> },
    /// Too many attempts (429).
    #[error("{detail}")]
    TooManyRequests { code: &'static str, detail: String, retry_after_seconds: u64 },
    /// A dependency is down or saturated (503).
    #[error("service unavailable: {0}")]
    Unavailable(String),
    /// A fault of ours (500); the message is for the log only.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn conflict(code: &'static str, detail: impl Into<String>) -> Self {
        ServiceError::Conflict { code, detail: detail.into(), extra: Map::new() }
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ServiceError::Forbidden { code: "forbidden", detail: detail.into() }
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ServiceError::Validation(FieldError::new(field, message).into())
    }
}

impl From<DbError> for ServiceError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::NotFound => ServiceError::NotFound("object"),
            DbError::Unavailable(m) => ServiceError::Unavailable(m),
            other => ServiceError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ServiceError {
    fn from(err: diesel::result::Error) -> Self {
        DbError::from(err).into()
    }
}

impl From<ValidationErrors> for ServiceError {
    fn from(errors: ValidationErrors) -> Self {
        ServiceError::Validation(errors)
    }
}

impl From<FieldError> for ServiceError {
    fn from(error: FieldError) -> Self {
        ServiceError::Validation(error.into())
    }
}
