//! Stored responses of POST requests that carried an `Idempotency-Key`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::schema::idempotency_keys;
use super::{AnyConnection, DbError};

/// A response kept for replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub fingerprint: String,
    pub status: u16,
    pub body: String,
}

/// The stored response for a user's key, if it was stored after `since`.
pub fn find(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    since: DateTime<Utc>,
) -> Result<Option<StoredResponse>, DbError> {
    let row: Option<(String, i32, String)> = idempotency_keys::table
        .filter(idempotency_keys::user_id.eq(user_id))
        .filter(idempotency_keys::key.eq(key))
        .filter(idempotency_keys::created_at.gt(since.naive_utc()))
        .select((idempotency_keys::fingerprint, idempotency_keys::status, idempotency_keys::body))
        .first(conn)
        .optional()?;
    Ok(row.map(|(fingerprint, status, body)| StoredResponse {
        fingerprint,
        status: u16::try_from(status).unwrap_or(500),
        body,
    }))
}

/// Forgets a user's key stored before `before` (expired), so that it may be used afresh.
pub fn forget_expired(conn: &mut AnyConnection, user_id: i64, key: &str, before: DateTime<Utc>) -> Result<(), DbError> {
    diesel::delete(
        idempotency_keys::table
            .filter(idempotency_keys::user_id.eq(user_id))
            .filter(idempotency_keys::key.eq(key))
            .filter(idempotency_keys::created_at.le(before.naive_utc())),
    )
    .execute(conn)?;
    Ok(())
}

pub fn insert(
    conn: &mut AnyConnection,
    user_id: i64,
    key: &str,
    response: &StoredResponse,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(idempotency_keys::table)
        .values((
            idempotency_keys::user_id.eq(user_id),
            idempotency_keys::key.eq(key),
            idempotency_keys::fingerprint.eq(&response.fingerprint),
            idempotency_keys::status.eq(i32::from(response.status)),
            idempotency_keys::body.eq(&response.body),
            idempotency_keys::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
