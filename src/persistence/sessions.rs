//! Login sessions, which make tokens revocable, and the failed-login record behind throttling.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::dates::{MaybeStamp, Stamp};
use super::schema::{login_failures, sessions};
use super::{AnyConnection, DbError, on_backend};

/// A stored session. A token is honoured only while its session is neither revoked nor expired.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: String,
    pub user_id: i64,
    pub refresh_generation: i32,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub expires_at: NaiveDateTime,
    #[diesel(deserialize_as = MaybeStamp)]
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
}

impl Session {
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now.naive_utc()
    }
}

/// Why a session ended; stored for the operator reading the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevokeReason {
    Logout,
    PasswordChanged,
    PasswordSetByAdmin,
    RoleChanged,
    Deactivated,
    RefreshTokenReused,
}

impl RevokeReason {
    fn as_str(self) -> &'static str {
        match self {
            RevokeReason::Logout => "logout",
            RevokeReason::PasswordChanged => "password_changed",
            RevokeReason::PasswordSetByAdmin => "password_set_by_admin",
            RevokeReason::RoleChanged => "role_changed",
            RevokeReason::Deactivated => "deactivated",
            RevokeReason::RefreshTokenReused => "refresh_token_reused",
        }
    }
}

pub fn create(
    conn: &mut AnyConnection,
    id: &str,
    user_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(id),
            sessions::user_id.eq(user_id),
            sessions::refresh_generation.eq(0),
            sessions::created_at.eq(now.naive_utc()),
            sessions::expires_at.eq(expires_at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find(conn: &mut AnyConnection, id: &str) -> Result<Option<Session>, DbError> {
    Ok(on_backend!(conn, |c| sessions::table.find(id).select(Session::as_select()).first(c).optional())?)
}

/// Moves the refresh generation on, only if it still is `expected`; false when another refresh
/// got there first.
pub fn advance_refresh(conn: &mut AnyConnection, id: &str, expected: i32) -> Result<bool, DbError> {
    let updated = diesel::update(
        sessions::table
            .filter(sessions::id.eq(id))
            .filter(sessions::refresh_generation.eq(expected))
            .filter(sessions::revoked_at.is_null()),
    )
    .set(sessions::refresh_generation.eq(expected + 1))
    .execute(conn)?;
    Ok(updated == 1)
}

pub fn revoke(conn: &mut AnyConnection, id: &str, reason: RevokeReason, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(sessions::table.filter(sessions::id.eq(id)).filter(sessions::revoked_at.is_null()))
        .set((sessions::revoked_at.eq(now.naive_utc()), sessions::revoked_reason.eq(reason.as_str())))
        .execute(conn)?;
    Ok(())
}

/// Revokes every live session of a user, except `keep` (the caller's own, on a password change).
pub fn revoke_all_for_user(
    conn: &mut AnyConnection,
    user_id: i64,
    keep: Option<&str>,
    reason: RevokeReason,
    now: DateTime<Utc>,
) -> Result<usize, DbError> {
    let target = sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::revoked_at.is_null())
        .filter(sessions::id.ne(keep.unwrap_or("")));
    Ok(diesel::update(target)
        .set((sessions::revoked_at.eq(now.naive_utc()), sessions::revoked_reason.eq(reason.as_str())))
        .execute(conn)?)
}

pub fn record_login_failure(conn: &mut AnyConnection, username: &str, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::insert_into(login_failures::table)
        .values((login_failures::username.eq(username), login_failures::failed_at.eq(now.naive_utc())))
        .execute(conn)?;
    Ok(())
}

/// The times of a username's failed logins since `since`, oldest first.
pub fn login_failures_since(
    conn: &mut AnyConnection,
    username: &str,
    since: DateTime<Utc>,
) -> Result<Vec<DateTime<Utc>>, DbError> {
    let times: Vec<NaiveDateTime> = login_failures::table
        .filter(login_failures::username.eq(username))
        .filter(login_failures::failed_at.gt(since.naive_utc()))
        .order(login_failures::failed_at.asc())
        .select(login_failures::failed_at)
        .load(conn)?;
    Ok(times.into_iter().map(|t| t.and_utc()).collect())
}

/// Forgets a username's failures after a successful login, and everyone's older than `before`.
pub fn clear_login_failures(conn: &mut AnyConnection, username: &str, before: DateTime<Utc>) -> Result<(), DbError> {
    diesel::delete(
        login_failures::table
            .filter(login_failures::username.eq(username).or(login_failures::failed_at.lt(before.naive_utc()))),
    )
    .execute(conn)?;
    Ok(())
}
