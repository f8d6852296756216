//! Problem details (RFC 9457) for every error the API returns, with a stable snake_case `code`.
//! 5xx answers never carry internals: the cause is logged once, here, at the boundary.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::domain::validation::{FieldError, ValidationErrors};
use crate::service::ServiceError;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// One field problem in a 422 answer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, utoipa::ToSchema)]
pub struct ProblemField {
    /// The JSON path of the field, e.g. `people[0].role`.
    pub field: String,
    pub message: String,
}

/// The body of every error answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// Always `about:blank`: `code` identifies the problem.
    #[serde(rename = "type")]
    pub problem_type: &'static str,
    pub title: String,
    pub status: u16,
    /// Stable machine-readable code, e.g. `invalid_transition`.
    pub code: &'static str,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// Members some codes add (`existing_id`, `current_version`, `allowed_actions`).
    #[serde(flatten)]
    #[schema(value_type = Object)]
    pub extra: Map<String, Value>,
}

/// An error answer.
#[derive(Debug, Clone)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
    errors: Vec<ProblemField>,
    extra: Map<String, Value>,
    retry_after_seconds: Option<u64>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}: {}", self.status.as_u16(), self.code, self.detail)
    }
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            extra: Map::new(),
            retry_after_seconds: None,
        }
    }

    pub fn with_errors(mut self, errors: ValidationErrors) -> Self {
        self.errors =
            errors.0.into_iter().map(|FieldError { field, message }| ProblemField { field, message }).collect();
        self
    }

    pub fn with_member(mut self, name: &str, value: Value) -> Self {
        self.extra.insert(name.to_owned(), value);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn code(&self) -> &'static str {
        self.code
    }

    pub fn validation(errors: ValidationErrors) -> Self {
        let detail = if errors.0.len() == 1 {
            format!("The field `{}` {}.", errors.0[0].field, errors.0[0].message)
        } else {
            format!("{} fields are invalid.", errors.0.len())
        };
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", detail).with_errors(errors)
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::validation(FieldError::new(field, message).into())
    }

    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", "No such resource.")
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", detail)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// A fault of ours: logged with its cause, answered without it.
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_error",
            "An internal error occurred; it has been logged.",
        )
    }

    /// A dependency is down: logged with its cause, answered without it.
    pub fn unavailable(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "service unavailable");
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "service_unavailable",
            "The service is temporarily unavailable; try again shortly.",
        )
        .retry_after(5)
    }

    pub fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after_seconds = Some(seconds);
        self
    }

    pub fn to_problem(&self) -> Problem {
        Problem {
            problem_type: "about:blank",
            title: self.status.canonical_reason().unwrap_or("Error").to_owned(),
            status: self.status.as_u16(),
            code: self.code,
            detail: self.detail.clone(),
            errors: self.errors.clone(),
            extra: self.extra.clone(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let Some(seconds) = self.retry_after_seconds {
            response.insert_header((header::RETRY_AFTER, seconds.to_string()));
        }
        if self.status == StatusCode::UNAUTHORIZED {
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
        }
        response.body(serde_json::to_vec(&self.to_problem()).unwrap_or_default())
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        match err {
            ServiceError::Validation(errors) => ApiError::validation(errors),
            ServiceError::InvalidInput { code, detail, errors } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, detail).with_errors(errors)
            }
            ServiceError::Unauthorized { code, detail } => ApiError::new(StatusCode::UNAUTHORIZED, code, detail),
            ServiceError::Forbidden { code, detail } => ApiError::new(StatusCode::FORBIDDEN, code, detail),
            ServiceError::NotFound(what) => {
                ApiError::new(StatusCode::NOT_FOUND, "not_found", format!("No such {what}."))
            }
            ServiceError::Conflict { code, detail, extra } => {
                // A stale `If-Match` is a failed precondition, not a state conflict.
                let status =
                    if code == "precondition_failed" { StatusCode::PRECONDITION_FAILED } else { StatusCode::CONFLICT };
                let mut error = ApiError::new(status, code, detail);
                error.extra = extra;
                error
            }
            ServiceError::TooManyRequests { code, detail, retry_after_seconds } => {
                ApiError::new(StatusCode::TOO_MANY_REQUESTS, code, detail).retry_after(retry_after_seconds)
            }
            ServiceError::Unavailable(cause) => ApiError::unavailable(cause),
            ServiceError::Internal(cause) => ApiError::internal(cause),
        }
    }
}
