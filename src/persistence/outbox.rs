//! The notification outbox (QUALITY.md REL-07, REL-08): rows written with the change that causes
//! them, claimed by workers under a lease, and marked sent, retried or failed.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use super::schema::outbox;
use super::{AnyConnection, DbError};

/// The states of a row.
pub mod status {
    /// Waiting for its `next_attempt_at`.
    pub const PENDING: &str = "pending";
    /// Claimed by a worker until `claimed_until`.
    pub const SENDING: &str = "sending";
    /// The SMTP server answered 250 (or the `.eml` file was written).
    pub const SENT: &str = "sent";
    /// A permanent error, or the last attempt failed: the dead letters.
    pub const FAILED: &str = "failed";

    pub const ALL: &[&str] = &[PENDING, SENDING, SENT, FAILED];
}

/// A stored message.
#[derive(Debug, Clone, PartialEq, Queryable, QueryableByName, Selectable)]
#[diesel(table_name = outbox)]
pub struct OutboxRow {
    pub id: i64,
    pub case_id: Option<i64>,
    pub template: String,
    pub trigger_key: String,
    pub dedupe_key: String,
    pub recipient_user_id: Option<i64>,
    pub recipient_email: String,
    pub recipient_name: String,
    pub confidential_recipient: bool,
    pub payload: String,
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub claimed_by: Option<String>,
    pub claimed_until: Option<NaiveDateTime>,
    pub sent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub case_id: Option<i64>,
    pub template: &'a str,
    /// What caused it (an event id, a clock and date…): with the case, the template and the
    /// recipient it makes the message unique.
    pub trigger_key: &'a str,
    pub recipient_user_id: Option<i64>,
    pub recipient_email: &'a str,
    pub recipient_name: &'a str,
    pub confidential_recipient: bool,
    /// JSON text.
    pub payload: &'a str,
}

impl NewMessage<'_> {
    /// One (case, template, trigger, recipient) is queued once (DOMAIN.md §8). One text column
    /// instead of a four-column constraint, because the backends disagree about NULLs in unique
    /// constraints and the case is optional.
    pub fn dedupe_key(&self) -> String {
        let case = self.case_id.map(|id| id.to_string()).unwrap_or_else(|| "-".to_owned());
        format!("{case}|{}|{}|{}", self.template, self.trigger_key, self.recipient_email.trim().to_lowercase())
    }
}

/// Queues a message, due at once; `false` when the same message was queued before.
pub fn enqueue(conn: &mut AnyConnection, message: &NewMessage<'_>, now: DateTime<Utc>) -> Result<bool, DbError> {
    let now = now.naive_utc();
    let dedupe_key = message.dedupe_key();
    let values = (
        outbox::case_id.eq(message.case_id),
        outbox::template.eq(message.template),
        outbox::trigger_key.eq(message.trigger_key),
        outbox::dedupe_key.eq(&dedupe_key),
        outbox::recipient_user_id.eq(message.recipient_user_id),
        outbox::recipient_email.eq(message.recipient_email),
        outbox::recipient_name.eq(message.recipient_name),
        outbox::confidential_recipient.eq(message.confidential_recipient),
        outbox::payload.eq(message.payload),
        outbox::status.eq(status::PENDING),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
        outbox::created_at.eq(now),
    );
    // The upsert forms are backend-specific; only a duplicate key is ignored, every other
    // constraint still refuses the row.
    let inserted = match conn {
        AnyConnection::Sqlite(inner) => diesel::insert_into(outbox::table)
            .values(values)
            .on_conflict(outbox::dedupe_key)
            .do_nothing()
            .execute(inner)?,
        AnyConnection::Postgresql(inner) => diesel::insert_into(outbox::table)
            .values(values)
            .on_conflict(outbox::dedupe_key)
            .do_nothing()
            .execute(inner)?,
    };
    Ok(inserted == 1)
}

/// Claims up to `limit` due rows for `worker_id` until `now + lease`: pending rows whose
/// `next_attempt_at` has come, and rows whose previous claim has expired (a worker that died).
///
/// Call it inside `Database::write`. On PostgreSQL one statement with `FOR UPDATE SKIP LOCKED`
/// lets several workers claim at once without waiting for or taking each other's rows
/// (REL-08); on SQLite the write transaction (`BEGIN IMMEDIATE`) serialises claimers.
pub fn claim_batch(
    conn: &mut AnyConnection,
    worker_id: &str,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    let now_naive = now.naive_utc();
    let until = (now + lease).naive_utc();
    match conn {
        AnyConnection::Postgresql(inner) => {
            let mut rows: Vec<OutboxRow> = diesel::sql_query(
                "UPDATE outbox SET status = 'sending', claimed_by = $1, claimed_until = $2 \
             WHERE id IN ( \
                 SELECT id FROM outbox \
                 WHERE (status = 'pending' AND next_attempt_at <= $3) \
                    OR (status = 'sending' AND claimed_until < $3) \
                 ORDER BY id LIMIT $4 \
                 FOR UPDATE SKIP LOCKED) \
             RETURNING *",
            )
            .bind::<Text, _>(worker_id)
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(now_naive)
            .bind::<BigInt, _>(limit)
            .load(inner)?;
            // RETURNING gives no order; the worker sends oldest first.
            rows.sort_by_key(|r| r.id);
            Ok(rows)
        }
        AnyConnection::Sqlite(_) => {
            let ids: Vec<i64> = outbox::table
                .filter(
                    outbox::status
                        .eq(status::PENDING)
                        .and(outbox::next_attempt_at.le(now_naive))
                        .or(outbox::status.eq(status::SENDING).and(outbox::claimed_until.lt(now_naive))),
                )
                .order(outbox::id.asc())
                .limit(limit)
                .select(outbox::id)
                .load(conn)?;
            if ids.is_empty() {
                return Ok(Vec::new());
            }
            diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
                .set((
                    outbox::status.eq(status::SENDING),
                    outbox::claimed_by.eq(worker_id),
                    outbox::claimed_until.eq(until),
                ))
                .execute(conn)?;
            Ok(outbox::table
                .filter(outbox::id.eq_any(&ids))
                .order(outbox::id.asc())
                .select(OutboxRow::as_select())
                .load(conn)?)
        }
    }
}

/// The rows this worker still holds.
fn held_by(id: i64, worker_id: &str) -> diesel::dsl::Filter<outbox::table, HeldBy<'_>> {
    outbox::table
        .filter(outbox::id.eq(id).and(outbox::status.eq(status::SENDING)).and(outbox::claimed_by.eq(worker_id)))
}

type HeldBy<'a> = diesel::dsl::And<
    diesel::dsl::And<diesel::dsl::Eq<outbox::id, i64>, diesel::dsl::Eq<outbox::status, &'static str>>,
    diesel::dsl::Eq<outbox::claimed_by, &'a str>,
>;

/// Records a delivery; `false` if the worker no longer held the row (its lease ran out and
/// another worker took it over). `claimed_by` stays, naming the worker that sent it.
pub fn mark_sent(conn: &mut AnyConnection, id: i64, worker_id: &str, now: DateTime<Utc>) -> Result<bool, DbError> {
    let updated = diesel::update(held_by(id, worker_id))
        .set((
            outbox::status.eq(status::SENT),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::sent_at.eq(Some(now.naive_utc())),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Records a failed attempt that will be tried again at `next_attempt_at`.
pub fn mark_retry(
    conn: &mut AnyConnection,
    id: i64,
    worker_id: &str,
    next_attempt_at: DateTime<Utc>,
    error: &str,
) -> Result<bool, DbError> {
    let updated = diesel::update(held_by(id, worker_id))
        .set((
            outbox::status.eq(status::PENDING),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(Some(error)),
            outbox::next_attempt_at.eq(next_attempt_at.naive_utc()),
            outbox::claimed_by.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Records the last failed attempt: the row becomes a dead letter.
pub fn mark_failed(conn: &mut AnyConnection, id: i64, worker_id: &str, error: &str) -> Result<bool, DbError> {
    let updated = diesel::update(held_by(id, worker_id))
        .set((
            outbox::status.eq(status::FAILED),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(Some(error)),
            outbox::claimed_by.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Gives back every row this worker still holds (at shutdown, REL-11), due at once for the next
/// worker; returns how many.
pub fn release_claims(conn: &mut AnyConnection, worker_id: &str) -> Result<usize, DbError> {
    Ok(diesel::update(outbox::table.filter(outbox::status.eq(status::SENDING).and(outbox::claimed_by.eq(worker_id))))
        .set((
            outbox::status.eq(status::PENDING),
            outbox::claimed_by.eq(None::<String>),
            outbox::claimed_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<OutboxRow>, DbError> {
    Ok(outbox::table.find(id).select(OutboxRow::as_select()).first(conn).optional()?)
}

/// Rows newest first, optionally of one status, with ids below `before` (keyset pagination).
pub fn list(
    conn: &mut AnyConnection,
    status_filter: Option<&str>,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<OutboxRow>, DbError> {
    let mut query = outbox::table.select(OutboxRow::as_select()).order(outbox::id.desc()).limit(limit).into_boxed();
    if let Some(status) = status_filter {
        query = query.filter(outbox::status.eq(status.to_owned()));
    }
    if let Some(before) = before {
        query = query.filter(outbox::id.lt(before));
    }
    Ok(query.load(conn)?)
}

/// Messages not delivered yet (pending and being sent), for `/metrics`.
pub fn depth(conn: &mut AnyConnection) -> Result<i64, DbError> {
    Ok(outbox::table.filter(outbox::status.eq_any([status::PENDING, status::SENDING])).count().get_result(conn)?)
}
