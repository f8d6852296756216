//! Signing in and out, token refresh, and a user's own password.
//!
//! Failed logins are counted per username (not per address, which an attacker can change);
//! after five within fifteen minutes the username is refused with 429 until the oldest of them
//! leaves the window. Unknown usernames get the same answer, and the same work, as a wrong
//! password.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::audit::{event, record_user_event};
use super::{Actor, Context, ServiceError};
use crate::auth::password::{Verification, hex};
use crate::auth::tokens::{ACCESS_TTL, AccessClaims, SESSION_TTL};
use crate::domain::account;
use crate::persistence::sessions::{self, RevokeReason, Session};
use crate::persistence::users::User;
use crate::persistence::{AnyConnection, DbError, audit, users};

pub const THROTTLE_WINDOW: Duration = Duration::minutes(15);
pub const THROTTLE_LIMIT: usize = 5;

/// The tokens handed out at login and refresh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
    pub password_change_required: bool,
}

/// What a login attempt presents.
#[derive(Debug, Clone)]
pub struct Credentials<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub ip: Option<String>,
}

fn normalise_username(username: &str) -> String {
    username.trim().to_lowercase()
}

fn invalid_credentials() -> ServiceError {
    ServiceError::Unauthorized { code: "invalid_credentials", detail: "The username or password is incorrect.".into() }
}

fn invalid_token() -> ServiceError {
    ServiceError::Unauthorized { code: "invalid_token", detail: "The token is invalid, expired or revoked.".into() }
}

/// Refuses a username that failed too often recently, with the seconds until it may try again.
pub fn check_throttle(ctx: &Context, username: &str, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let username = normalise_username(username);
    let failures = ctx.db.read(|conn| sessions::login_failures_since(conn, &username, now - THROTTLE_WINDOW))?;
    throttle_verdict(&failures, now)
}

fn throttle_verdict(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), ServiceError> {
    if failures.len() < THROTTLE_LIMIT {
        return Ok(());
    }
    // The username is free again once enough failures have left the window.
    let release = failures[failures.len() - THROTTLE_LIMIT] + THROTTLE_WINDOW;
    let retry_after_seconds = (release - now).num_seconds().max(1) as u64;
    Err(ServiceError::TooManyRequests {
        code: "too_many_login_attempts",
        detail: format!("Too many failed logins for this username; try again in {retry_after_seconds} seconds."),
        retry_after_seconds,
    })
}

/// Checks the credentials and opens a session. CPU-heavy (one Argon2 verification): run it off
/// the async threads, under the hashing limit.
pub fn login(ctx: &Context, credentials: &Credentials<'_>, now: DateTime<Utc>) -> Result<TokenPair, ServiceError> {
    let username = normalise_username(credentials.username);
    check_throttle(ctx, &username, now)?;
    let user = ctx.db.read(|conn| users::find_by_username(conn, &username))?;

    let verified = match &user {
        Some(user) => match ctx.hasher.verify(credentials.password, &user.password_hash) {
            Verification::Valid { needs_rehash } if user.active => Some((user, needs_rehash)),
            _ => None,
        },
        None => {
            ctx.hasher.verify_dummy(credentials.password);
            None
        }
    };

    let Some((user, needs_rehash)) = verified else {
        ctx.db.write(|conn| {
            sessions::record_login_failure(conn, &username, now)?;
            audit::record(
                conn,
                &audit::NewAuditEntry {
                    actor_id: None,
                    event_type: event::LOGIN_FAILED,
                    object_type: Some("user"),
                    object_id: user.as_ref().map(|u| u.id),
                    ip: credentials.ip.as_deref(),
                    details: json!({ "username": username }),
                },
                now,
            )
        })?;
        return Err(invalid_credentials());
    };

    let upgraded_hash = if needs_rehash {
        Some(ctx.hasher.hash(credentials.password).map_err(|e| ServiceError::Internal(e.to_string()))?)
    } else {
        None
    };
    let session_id = new_session_id();
    let expires_at = now + SESSION_TTL;
    ctx.db.write(|conn| -> Result<(), DbError> {
        sessions::clear_login_failures(conn, &username, now - THROTTLE_WINDOW)?;
        if let Some(hash) = &upgraded_hash {
            users::upgrade_password_hash(conn, user.id, hash)?;
        }
        sessions::create(conn, &session_id, user.id, now, expires_at)?;
        audit::record(
            conn,
            &audit::NewAuditEntry {
                actor_id: Some(user.id),
                event_type: event::LOGIN_SUCCEEDED,
                object_type: Some("user"),
                object_id: Some(user.id),
                ip: credentials.ip.as_deref(),
                details: json!({ "username": username, "session_id": session_id }),
            },
            now,
        )
    })?;
    Ok(token_pair(ctx, user.id, &session_id, 0, now, expires_at, user.must_change_password))
}

fn token_pair(
    ctx: &Context,
    user_id: i64,
    session_id: &str,
    generation: i32,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    password_change_required: bool,
) -> TokenPair {
    TokenPair {
        access_token: ctx.tokens.issue_access(user_id, session_id, now),
        refresh_token: ctx.tokens.issue_refresh(user_id, session_id, generation, now, expires_at),
        expires_in: ACCESS_TTL.num_seconds(),
        password_change_required,
    }
}

fn new_session_id() -> String {
    let bytes: [u8; 16] = rand::random();
    hex(&bytes)
}

enum RefreshOutcome {
    Renewed(TokenPair),
    Reused,
    Refused,
}

/// Exchanges a refresh token for a new pair. The old refresh token is spent; presenting a spent
/// one again revokes the whole session (RFC 9700 §4.14: a stolen token and its owner cannot
/// both keep using it).
pub fn refresh(ctx: &Context, refresh_token: &str, now: DateTime<Utc>) -> Result<TokenPair, ServiceError> {
    let claims = ctx.tokens.verify_refresh(refresh_token).map_err(|_| invalid_token())?;
    let outcome = ctx.db.write(|conn| -> Result<RefreshOutcome, DbError> {
        let Some(session) = sessions::find(conn, &claims.session_id)? else {
            return Ok(RefreshOutcome::Refused);
        };
        if session.user_id != claims.user_id || !session.is_live(now) {
            return Ok(RefreshOutcome::Refused);
        }
        let Some(user) = users::find(conn, session.user_id)?.filter(|u| u.active) else {
            return Ok(RefreshOutcome::Refused);
        };
        let advanced = claims.generation == session.refresh_generation
            && sessions::advance_refresh(conn, &session.id, session.refresh_generation)?;
        if !advanced {
            sessions::revoke(conn, &session.id, RevokeReason::RefreshTokenReused, now)?;
            record_user_event(
                conn,
                None,
                event::REFRESH_TOKEN_REUSED,
                user.id,
                json!({ "session_id": session.id }),
                now,
            )?;
            return Ok(RefreshOutcome::Reused);
        }
        let expires_at = session.expires_at.and_utc();
        Ok(RefreshOutcome::Renewed(token_pair(
            ctx,
            user.id,
            &session.id,
            claims.generation + 1,
            now,
            expires_at,
            user.must_change_password,
        )))
    })?;
    match outcome {
        RefreshOutcome::Renewed(pair) => Ok(pair),
        RefreshOutcome::Reused => Err(ServiceError::Unauthorized {
            code: "refresh_token_reused",
            detail: "This refresh token was already used; the session has been ended. Sign in again.".into(),
        }),
        RefreshOutcome::Refused => Err(invalid_token()),
    }
}

/// Ends the caller's session.
pub fn logout(ctx: &Context, actor: &Actor, now: DateTime<Utc>) -> Result<(), ServiceError> {
    ctx.db.write(|conn| -> Result<(), DbError> {
        sessions::revoke(conn, &actor.session_id, RevokeReason::Logout, now)?;
        record_user_event(
            conn,
            Some(actor),
            event::LOGOUT,
            actor.user_id,
            json!({ "session_id": actor.session_id }),
            now,
        )
    })?;
    Ok(())
}

/// The access token's claims, if its signature, audience and times are right. A CPU check
/// only: the session it names is read by [`authenticate`].
pub fn access_claims(ctx: &Context, access_token: &str) -> Option<AccessClaims> {
    ctx.tokens.verify_access(access_token).ok()
}

/// The actor of a verified token, if its session is live and its user active.
pub fn authenticate(ctx: &Context, claims: &AccessClaims, now: DateTime<Utc>) -> Result<Option<Actor>, ServiceError> {
    let found = ctx.db.read(|conn| live_session(conn, claims, now))?;
    Ok(found.map(actor_of))
}

/// [`authenticate`] if it can be done without waiting for a connection
/// (`Database::read_at_once`): every request reads its session and user by their keys, which on
/// SQLite costs less than a trip through the blocking pool. `None` when the caller must use
/// [`authenticate`] there instead.
pub fn authenticate_at_once(
    ctx: &Context,
    claims: &AccessClaims,
    now: DateTime<Utc>,
) -> Option<Result<Option<Actor>, ServiceError>> {
    let found = ctx.db.read_at_once(|conn| live_session(conn, claims, now))?;
    Some(found.map(|found| found.map(actor_of)).map_err(ServiceError::from))
}

/// The token's session and its user, if the session is live and the user active.
fn live_session(
    conn: &mut AnyConnection,
    claims: &AccessClaims,
    now: DateTime<Utc>,
) -> Result<Option<(Session, User)>, DbError> {
    let Some(session) = sessions::find(conn, &claims.session_id)? else {
        return Ok(None);
    };
    if session.user_id != claims.user_id || !session.is_live(now) {
        return Ok(None);
    }
    Ok(users::find(conn, session.user_id)?.filter(|u| u.active).map(|u| (session, u)))
}

fn actor_of((session, user): (Session, User)) -> Actor {
    Actor {
        user_id: user.id,
        username: user.username,
        full_name: user.full_name,
        email: user.email,
        role: user.role,
        must_change_password: user.must_change_password,
        session_id: session.id,
        ip: None,
    }
}

/// The caller changes their own password; their other sessions end.
pub fn change_own_password(
    ctx: &Context,
    actor: &Actor,
    current_password: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    account::password("new_password", new_password)?;
    if current_password == new_password {
        return Err(ServiceError::field("new_password", "must differ from the current password"));
    }
    check_throttle(ctx, &actor.username, now)?;
    let user = ctx.db.read(|conn| users::get(conn, actor.user_id))?;
    if ctx.hasher.verify(current_password, &user.password_hash) == Verification::Invalid {
        ctx.db.write(|conn| sessions::record_login_failure(conn, &user.username, now))?;
        return Err(ServiceError::InvalidInput {
            code: "current_password_incorrect",
            detail: "The current password is incorrect.".into(),
            errors: crate::domain::validation::FieldError::new("current_password", "is not the current password")
                .into(),
        });
    }
    let hash = ctx.hasher.hash(new_password).map_err(|e| ServiceError::Internal(e.to_string()))?;
    ctx.db.write(|conn| -> Result<(), DbError> {
        users::set_password(conn, user.id, &hash, false, now)?;
        sessions::revoke_all_for_user(conn, user.id, Some(&actor.session_id), RevokeReason::PasswordChanged, now)?;
        record_user_event(conn, Some(actor), event::PASSWORD_CHANGED, user.id, json!({}), now)
    })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn throttling_starts_at_the_fifth_failure_and_ends_when_it_leaves_the_window() {
        let t0 = Utc.with_ymd_and_hms(2026, 11, 28, 8, 0, 0).unwrap();
        let failures: Vec<_> = (0..4).map(|i| t0 + Duration::minutes(i)).collect();
        assert!(throttle_verdict(&failures, t0 + Duration::minutes(5)).is_ok());
        let mut five = failures.clone();
        five.push(t0 + Duration::minutes(4));
        match throttle_verdict(&five, t0 + Duration::minutes(5)) {
            Err(ServiceError::TooManyRequests { retry_after_seconds, .. }) => assert_eq!(retry_after_seconds, 10 * 60),
            other => panic!("expected 429, got {other:?}"),
        }
    }

    #[test]
    fn usernames_are_compared_in_lowercase() {
        assert_eq!(normalise_username("  Admin "), "admin");
    }
}
