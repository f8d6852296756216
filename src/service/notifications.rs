//! The outbox as use cases: the worker's claims and results (each a transaction of its own, with
//! the `notification_sent` case event written together with the `sent` mark), the list heads,
//! administrators and auditors read, and the queue depth for `/metrics`.

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::{Actor, Context, ServiceError};
use crate::domain::vocab::Role;
use crate::persistence::cases::{self as case_store, NewEvent};
use crate::persistence::outbox::{self, OutboxRow, status};

/// The timeline event written when a message has been delivered (DOMAIN.md §2, "notification
/// sent").
pub const EVENT_NOTIFICATION_SENT: &str = "notification_sent";

/// How the recipient of mail addressed to a denouncer appears to everyone but heads
/// (DOMAIN.md §8, Luật Tố cáo Art 47).
pub const CONFIDENTIAL_ALIAS: &str = "Người tố cáo";

/// Who may read the outbox.
pub const READERS: &[Role] = &[Role::Admin, Role::Head, Role::Auditor];

/// A message in the outbox, as the caller may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotificationView {
    pub id: i64,
    pub case_id: Option<i64>,
    pub template: String,
    /// `Name <address>`, or the alias for a denouncer's own address.
    pub recipient: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

fn view(row: OutboxRow, sees_confidential: bool) -> NotificationView {
    let recipient = if row.confidential_recipient && !sees_confidential {
        CONFIDENTIAL_ALIAS.to_owned()
    } else {
        format!("{} <{}>", row.recipient_name, row.recipient_email)
    };
    NotificationView {
        id: row.id,
        case_id: row.case_id,
        template: row.template,
        recipient,
        status: row.status,
        attempts: row.attempts,
        last_error: row.last_error,
        next_attempt_at: row.next_attempt_at.and_utc(),
        sent_at: row.sent_at.map(|t| t.and_utc()),
        created_at: row.created_at.and_utc(),
    }
}

/// The outbox, newest first, optionally of one status; `before` is the keyset position.
pub fn list(
    ctx: &Context,
    actor: &Actor,
    status_filter: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<NotificationView>, ServiceError> {
    if !READERS.contains(&actor.role) {
        return Err(ServiceError::forbidden("Only administrators, heads and auditors may read the outbox."));
    }
    if let Some(wanted) = status_filter
        && !status::ALL.contains(&wanted)
    {
        return Err(ServiceError::field("status", format!("must be one of {}", status::ALL.join(", "))));
    }
    let rows = ctx.db.read(|conn| outbox::list(conn, status_filter, before, limit))?;
    let heads_see = actor.role == Role::Head;
    Ok(rows.into_iter().map(|row| view(row, heads_see)).collect())
}

/// Messages not delivered yet.
pub fn depth(ctx: &Context) -> Result<i64, ServiceError> {
    Ok(ctx.db.read(outbox::depth)?)
}

/// Claims due rows for a worker (see `persistence::outbox::claim_batch`).
pub fn claim(
    ctx: &Context,
    worker_id: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<OutboxRow>, ServiceError> {
    Ok(ctx.db.write(|conn| outbox::claim_batch(conn, worker_id, now, lease, limit))?)
}

/// Marks a delivered message `sent` and records it on the case's timeline, in one transaction.
/// The event names the template and the recipient's user id, never an address (a denouncer's
/// address must not reach the timeline). Returns `false` if the worker had lost the row.
pub fn record_sent(ctx: &Context, row: &OutboxRow, worker_id: &str, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    ctx.db.write(|conn| {
        if !outbox::mark_sent(conn, row.id, worker_id, now)? {
            return Ok(false);
        }
        if let Some(case_id) = row.case_id {
            case_store::append_event(
                conn,
                &NewEvent {
                    case_id,
                    actor_id: None,
                    event_type: EVENT_NOTIFICATION_SENT,
                    from_status: None,
                    to_status: None,
                    data: json!({
                        "template": row.template,
                        "notification_id": row.id,
                        "recipient_user_id": row.recipient_user_id,
                    }),
                },
                now,
            )?;
        }
        Ok(true)
    })
}

/// Records a failed attempt to be tried again at `next_attempt_at`.
pub fn record_retry(
    ctx: &Context,
    row: &OutboxRow,
    worker_id: &str,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> Result<bool, ServiceError> {
    let error = redact_error(row, error);
    Ok(ctx.db.write(|conn| outbox::mark_retry(conn, row.id, worker_id, next_attempt_at, &error))?)
}

/// Records the last failed attempt: the message is a dead letter.
pub fn record_failed(ctx: &Context, row: &OutboxRow, worker_id: &str, error: &str) -> Result<bool, ServiceError> {
    let error = redact_error(row, error);
    Ok(ctx.db.write(|conn| outbox::mark_failed(conn, row.id, worker_id, &error))?)
}

/// Gives back what a stopping worker still holds (REL-11).
pub fn release(ctx: &Context, worker_id: &str) -> Result<usize, ServiceError> {
    Ok(ctx.db.write(|conn| outbox::release_claims(conn, worker_id))?)
}

/// SMTP servers often quote the recipient's address in their answers; a denouncer's address
/// must not reach the list that administrators and auditors read, so it is replaced.
pub fn redact_error(row: &OutboxRow, error: &str) -> String {
    let mut text: String = error.chars().take(1_000).collect();
    if row.confidential_recipient && !row.recipient_email.is_empty() {
        text = text.replace(&row.recipient_email, CONFIDENTIAL_ALIAS);
    }
    text
}
