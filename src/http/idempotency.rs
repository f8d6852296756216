//! The `Idempotency-Key` request header (draft-ietf-httpapi-idempotency-key-header): its value
//! and the fingerprint of the body it came with.

use actix_web::{HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

use super::error::ApiError;
use crate::service::idempotency::Response;

pub const HEADER: &str = "idempotency-key";

/// The fingerprint of a request: a hash of its method, path and canonical JSON body, so that
/// spacing and member order do not make two equal requests differ.
pub fn fingerprint(method: &str, path: &str, body: &[u8]) -> String {
    let canonical = serde_json::from_slice::<serde_json::Value>(body).map(|v| v.to_string()).unwrap_or_default();
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(canonical.as_bytes());
    crate::auth::password::hex(hasher.finalize().as_slice())
}

/// The `Idempotency-Key` header's value, checked: `None` when absent.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .map(|v| v.trim().trim_matches('"').to_owned())
        .filter(|v| !v.is_empty() && v.len() <= 255 && v.chars().all(|c| c.is_ascii_graphic()))
        .map(Some)
        .ok_or_else(|| ApiError::field("Idempotency-Key", "must be 1 to 255 visible ASCII characters"))
}

/// The HTTP response for a created (or replayed) resource, with its `Location`.
pub fn created(response: Response, location_prefix: &str) -> HttpResponse {
    let id = serde_json::from_str::<serde_json::Value>(&response.body).ok().and_then(|v| v["id"].as_i64());
    let status = actix_web::http::StatusCode::from_u16(response.status).unwrap_or(actix_web::http::StatusCode::OK);
    let mut builder = HttpResponse::build(status);
    builder.content_type("application/json");
    if let Some(id) = id {
        builder.insert_header(("Location", format!("{location_prefix}/{id}")));
    }
    if response.replayed {
        builder.insert_header(("Idempotent-Replayed", "true"));
    }
    builder.body(response.body)
}
