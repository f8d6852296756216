//! The audit log: who did what, append-only. Written in the same transaction as the change it
//! records. Never holds a password, a token or a denouncer's identity.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::audit_log;
use super::{AnyConnection, DbError, on_backend};

/// An entry to write.
#[derive(Debug, Clone)]
pub struct NewAuditEntry<'a> {
    pub actor_id: Option<i64>,
    pub event_type: &'a str,
    pub object_type: Option<&'a str>,
    pub object_id: Option<i64>,
    pub ip: Option<&'a str>,
    pub details: serde_json::Value,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_log)]
pub struct AuditEntry {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub event_type: String,
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub ip: Option<String>,
    pub details: String,
}

pub fn record(conn: &mut AnyConnection, entry: &NewAuditEntry<'_>, at: DateTime<Utc>) -> Result<(), DbError> {
    let details = entry.details.to_string();
    on_backend!(conn, |c| diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(at.naive_utc()),
            audit_log::actor_id.eq(entry.actor_id),
            audit_log::event_type.eq(entry.event_type),
            audit_log::object_type.eq(entry.object_type),
            audit_log::object_id.eq(entry.object_id),
            audit_log::ip.eq(entry.ip),
            audit_log::details.eq(&details),
        ))
        .execute(c))?;
    Ok(())
}

/// Filters of `GET /audit`; dates are UTC-bounded by the caller.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub event_type: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// Newest first, before the id of the previous page's last entry.
pub fn list(
    conn: &mut AnyConnection,
    filter: &AuditFilter,
    before_id: Option<i64>,
    limit: i64,
) -> Result<Vec<AuditEntry>, DbError> {
    let mut query = audit_log::table.select(AuditEntry::as_select()).into_boxed();
    if let Some(actor) = filter.actor_id {
        query = query.filter(audit_log::actor_id.eq(actor));
    }
    if let Some(kind) = &filter.event_type {
        query = query.filter(audit_log::event_type.eq(kind.clone()));
    }
    if let Some(from) = filter.from {
        query = query.filter(audit_log::at.ge(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(audit_log::at.lt(until));
    }
    if let Some(before) = before_id {
        query = query.filter(audit_log::id.lt(before));
    }
    Ok(query.order(audit_log::id.desc()).limit(limit).load(conn)?)
}

/// The UTC instant a Vietnam local date starts at (UTC+7, no daylight saving).
pub fn vietnam_day_start(date: NaiveDate) -> NaiveDateTime {
    crate::time::vietnam_day_start_utc(date).naive_utc()
}
