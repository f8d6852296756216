//! Writing and reading the audit log.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Actor, Context, ServiceError};
pub use crate::persistence::audit::AuditEntry;
use crate::persistence::audit::{self, AuditFilter, NewAuditEntry};
use crate::persistence::{AnyConnection, DbError};

/// Audit event types, as stored and as filtered on by `GET /audit?type=`.
pub mod event {
    pub const LOGIN_SUCCEEDED: &str = "login_succeeded";
    pub const LOGIN_FAILED: &str = "login_failed";
    pub const LOGOUT: &str = "logout";
    pub const REFRESH_TOKEN_REUSED: &str = "refresh_token_reused";
    pub const PASSWORD_CHANGED: &str = "password_changed";
    pub const PASSWORD_SET: &str = "password_set";
    pub const USER_CREATED: &str = "user_created";
    pub const USER_UPDATED: &str = "user_updated";
    pub const REPORT_EXPORTED: &str = crate::reports::REPORT_EXPORTED;
    pub const DATABASE_EXPORTED: &str = crate::persistence::dump::EXPORTED_EVENT;
    pub const CITIZEN_UPDATED: &str = "citizen_updated";
    pub const CALENDAR_REPLACED: &str = "calendar_replaced";
}

/// Records an action of `actor` on a user account.
pub fn record_user_event(
    conn: &mut AnyConnection,
    actor: Option<&Actor>,
    event_type: &str,
    user_id: i64,
    details: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    record_event(conn, actor, event_type, ("user", user_id), details, at)
}

/// Records an action of `actor` (`None`: an operator at the command line) on an object.
pub fn record_event(
    conn: &mut AnyConnection,
    actor: Option<&Actor>,
    event_type: &str,
    object: (&str, i64),
    details: serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), DbError> {
    let ip = actor.and_then(Actor::ip_text);
    audit::record(
        conn,
        &NewAuditEntry {
            actor_id: actor.map(|a| a.user_id),
            event_type,
            object_type: Some(object.0),
            object_id: Some(object.1),
            ip: ip.as_deref(),
            details,
        },
        at,
    )
}

/// Filters of the audit list, in Vietnam local dates.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub actor_id: Option<i64>,
    pub event_type: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub fn list(
    ctx: &Context,
    query: &AuditQuery,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, ServiceError> {
    let filter = AuditFilter {
        actor_id: query.actor_id,
        event_type: query.event_type.clone(),
        from: query.from.map(audit::vietnam_day_start),
        until: query.to.and_then(|d| d.succ_opt()).map(audit::vietnam_day_start),
    };
    Ok(ctx.db.read(|conn| audit::list(conn, &filter, before_id, limit))?)
}
