//! Cross-cutting request handling: a request id, one log line and metrics per request, and the
//! problem+json bodies for the framework's own 404 and 405 answers.

use std::time::Instant;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderName, HeaderValue};
use actix_web::middleware::{ErrorHandlerResponse, Next};
use actix_web::{Error, ResponseError, web};
use tracing::Instrument;

use super::AppState;
use super::error::ApiError;

pub const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

fn request_id(req: &ServiceRequest) -> String {
    req.headers()
        .get(&REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| crate::auth::password::hex(&rand::random::<[u8; 8]>()))
}

/// Logs each request once (method, route pattern, status, latency; never the query string,
/// which may hold a citizen's name) and records it in the metrics.
pub async fn observe(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let started = Instant::now();
    let id = request_id(&req);
    let method = req.method().to_string();
    let route = req.match_pattern().unwrap_or_else(|| "(unmatched)".to_owned());
    let metrics = req.app_data::<web::Data<AppState>>().map(|s| s.metrics.clone());
    let span = tracing::info_span!("request", request_id = %id, method = %method, route = %route);

    let result = next.call(req).instrument(span.clone()).await;
    let mut response = match result {
        Ok(res) => res.map_into_boxed_body(),
        Err(err) => return Err(err),
    };
    let status = response.status().as_u16();
    let latency = started.elapsed();
    span.in_scope(|| {
        tracing::info!(status, latency_ms = latency.as_secs_f64() * 1000.0, "request served");
    });
    if let Some(metrics) = metrics {
        metrics.observe_request(&method, &route, status, latency.as_secs_f64());
    }
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    // JSON is UTF-8 by definition; saying so keeps older clients from guessing otherwise.
    let content_type = response.headers().get(CONTENT_TYPE);
    if content_type.is_some_and(|v| v.as_bytes() == b"application/json") {
        response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    }
    Ok(response)
}

/// Replaces the framework's empty 404/405 bodies with problem documents.
pub fn problem_for_bare_error<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(super::error::PROBLEM_JSON.as_bytes()));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let error = match res.status() {
        StatusCode::METHOD_NOT_ALLOWED => {
            ApiError::new(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "This method is not allowed here.")
        }
        _ => ApiError::not_found(),
    };
    // The framework's 405 names the methods the resource has (`Allow`, RFC 9110 §15.5.6).
    let allow = res.headers().get(actix_web::http::header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut response = error.error_response();
    if let Some(allow) = allow {
        response.headers_mut().insert(actix_web::http::header::ALLOW, allow);
    }
    Ok(ErrorHandlerResponse::Response(ServiceResponse::new(req, response.map_into_right_body())))
}
