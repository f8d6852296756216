//! `Idempotency-Key` on creating requests: the first request runs and its response is stored in
//! the same transaction; a retry with the same key and body within 24 hours gets the stored
//! response and creates nothing; the same key with another body is refused.

use chrono::{DateTime, Duration, Utc};

use super::{Context, ServiceError};
use crate::domain::validation::FieldError;
use crate::persistence::idempotency::{self, StoredResponse};
use crate::persistence::{AnyConnection, DbError};

/// How long a stored response is replayed.
pub const REPLAY_WINDOW: Duration = Duration::hours(24);

/// A client's key and the fingerprint of the request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub fingerprint: String,
}

/// A response to send: freshly made or replayed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub status: u16,
    pub body: String,
    pub replayed: bool,
}

/// Runs `create` in one write transaction, storing its response under the key if there is one.
pub fn execute<T: serde::Serialize>(
    ctx: &Context,
    user_id: i64,
    key: Option<&IdempotencyKey>,
    status: u16,
    now: DateTime<Utc>,
    create: impl Fn(&mut AnyConnection) -> Result<T, ServiceError>,
) -> Result<Response, ServiceError> {
    let attempt = || {
        ctx.db.write(|conn| {
            if let Some(key) = key {
                if let Some(stored) = idempotency::find(conn, user_id, &key.key, now - REPLAY_WINDOW)? {
                    return replay(stored, key);
                }
                idempotency::forget_expired(conn, user_id, &key.key, now - REPLAY_WINDOW)?;
            }
            let body = serde_json::to_string(&create(conn)?)
                .map_err(|e| ServiceError::Internal(format!("response not serialisable: {e}")))?;
            if let Some(key) = key {
                let stored = StoredResponse { fingerprint: key.fingerprint.clone(), status, body: body.clone() };
                idempotency::insert(conn, user_id, &key.key, &stored, now).map_err(|e| match e {
                    DbError::UniqueViolation(_) => in_flight(),
                    other => other.into(),
                })?;
            }
            Ok(Response { status, body, replayed: false })
        })
    };
    match attempt() {
        // A concurrent request with the same key committed first (PostgreSQL makes us wait for
        // it on the key's unique index): all of ours rolled back; answer with its response.
        Err(ServiceError::Conflict { code: IN_FLIGHT, .. }) => attempt(),
        other => other,
    }
}

const IN_FLIGHT: &str = "idempotency_key_in_flight";

fn in_flight() -> ServiceError {
    ServiceError::conflict(IN_FLIGHT, "A request with this Idempotency-Key is being processed; retry shortly.")
}

fn replay(stored: StoredResponse, key: &IdempotencyKey) -> Result<Response, ServiceError> {
    if stored.fingerprint != key.fingerprint {
        return Err(ServiceError::InvalidInput {
            code: "idempotency_key_reused",
            detail: "This Idempotency-Key was used with a different request body.".into(),
            errors: FieldError::new("Idempotency-Key", "was used with a different request").into(),
        });
    }
    Ok(Response { status: stored.status, body: stored.body, replayed: true })
}
