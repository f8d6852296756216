//! The outbox as use cases: the worker's claims and results (each a transaction of its own, with
//! the `notification_sent` case event written together with the `sent` mark), the list heads,
//! administrators and auditors read, and the queue depth for `/metrics`. Also what the other use
//! cases call inside their own transaction to tell citizens, and the deadline reminders and the
//! weekly digest the worker queues.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use super::{Actor, Context, ServiceError};
use crate::domain::deadline;
use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind, Role};
use crate::notifications::{
    self as notify, BacklogFigures, CaseContact, CaseFacts, CitizenLetter, ClockReminder, Notification, OverdueLine,
    Recipient,
};
use crate::persistence::cases::{self as case_store, CaseRow, NewEvent};
use crate::persistence::outbox::{self, OutboxRow, status};
use crate::persistence::{AnyConnection, DbError, users};

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

/// The timeline event written with each deadline reminder queued.
pub const EVENT_DEADLINE_REMINDER_QUEUED: &str = "deadline_reminder_queued";

/// The case as its notifications name it.
pub(super) fn case_facts(row: &CaseRow) -> Result<CaseFacts, DbError> {
    Ok(CaseFacts {
        case_id: row.id,
        code: row.code.clone(),
        title: row.title.clone(),
        status: super::cases::parse("status", &row.status)?,
        due_on: row.due_on,
    })
}

/// Which citizen letter: the `Notification` variant that wraps it.
pub(super) type CitizenLetterKind = fn(CitizenLetter) -> Notification;

/// Queues a citizen letter (`make` picks the template) to each person of the case who gave an
/// e-mail address, inside the caller's transaction (REL-07); on a denunciation only to the
/// denouncers, each at their own address (`notifications::citizen_recipients`). `trigger` is the
/// id of the event that caused it. Returns how many were queued.
pub(super) fn tell_citizens(
    conn: &mut AnyConnection,
    row: &CaseRow,
    make: CitizenLetterKind,
    details: Vec<(String, String)>,
    trigger: &str,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    let kind: CaseKind = super::cases::parse("kind", &row.kind)?;
    let people = case_store::people_of(conn, &[row.id])?
        .into_iter()
        .map(|p| {
            Ok(CaseContact {
                role: super::cases::parse("person role", &p.role)?,
                full_name: p.full_name,
                email: p.email,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    let case = case_facts(row)?;
    let mut queued = 0;
    for recipient in notify::citizen_recipients(kind, &people) {
        // Each letter names its own recipient only: a denouncer's name reaches nobody else.
        let letter = CitizenLetter { case: case.clone(), citizen: recipient.name.clone(), details: details.clone() };
        if notify::queue(conn, &recipient, &make(letter), trigger, now)? {
            queued += 1;
        }
    }
    Ok(queued)
}

fn staff_recipient(user: &users::User) -> Option<Recipient> {
    let email = user.email.as_deref().map(str::trim).filter(|e| !e.is_empty())?;
    Some(Recipient::user(user.id, &user.full_name, email))
}

/// A reminder queued by the deadline scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueuedReminder {
    pub case_id: i64,
    pub code: String,
    pub clock: ClockKind,
    pub due_on: NaiveDate,
    pub template: &'static str,
    pub trigger: String,
    /// Messages queued (one per recipient).
    pub messages: usize,
}

/// Open cases whose stored due date falls on or before `horizon`, the candidates of the scan.
pub fn cases_due_by(ctx: &Context, horizon: NaiveDate) -> Result<Vec<i64>, ServiceError> {
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    let rows = ctx.db.read(|conn| case_store::open_cases(conn, &open))?;
    Ok(rows.into_iter().filter(|r| r.due_on.is_some_and(|due| due <= horizon)).map(|r| r.id).collect())
}

/// Queues the reminders one case needs on `as_of`, in one transaction with a
/// `deadline_reminder_queued` event per reminder: `deadline_soon` to the handler once per clock,
/// `deadline_overdue` to the handler and every active head once per clock and again each week
/// (DOMAIN.md §7, §8). A reminder already queued queues nothing and writes no event.
pub fn remind(
    ctx: &Context,
    case_id: i64,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<QueuedReminder>, ServiceError> {
    ctx.db.write(|conn| {
        let Some(row) = case_store::find(conn, case_id)? else {
            return Ok(Vec::new());
        };
        let status: CaseStatus = super::cases::parse("status", &row.status)?;
        if !status.is_open() {
            return Ok(Vec::new());
        }
        let window = ctx.rules.in_force_on(row.received_on).due_soon_working_days;
        let deadlines = super::cases::deadlines_of(conn, ctx, &row)?;
        let handler = match row.assignee_id {
            Some(id) => users::find(conn, id)?.filter(|u| u.active).and_then(|u| staff_recipient(&u)),
            None => None,
        };
        let case = case_facts(&row)?;
        let mut queued = Vec::new();
        let heads: Vec<Recipient> =
            users::active_with_role(conn, Role::Head)?.iter().filter_map(staff_recipient).collect();
        for clock in deadlines.iter().filter(|d| !d.paused) {
            let Some(due_on) = clock.due_on else { continue };
            let (template, trigger, mut recipients) = if deadline::is_overdue(due_on, as_of) {
                let mut to: Vec<Recipient> = handler.iter().cloned().collect();
                to.extend(heads.iter().cloned());
                (notify::template::DEADLINE_OVERDUE, notify::overdue_trigger(clock.clock, due_on, as_of), to)
            } else if deadline::is_due_soon(due_on, as_of, &ctx.calendar(), window) {
                let to: Vec<Recipient> = handler.iter().cloned().collect();
                (notify::template::DEADLINE_SOON, notify::due_soon_trigger(clock.clock, due_on), to)
            } else {
                continue;
            };
            // A head who is also the handler gets one message.
            let mut seen = std::collections::HashSet::new();
            recipients.retain(|r| seen.insert(r.email.to_lowercase()));
            let mut messages = 0;
            let mut told = Vec::new();
            for recipient in &recipients {
                let reminder = ClockReminder {
                    case: case.clone(),
                    clock: clock.clock,
                    clock_due_on: due_on,
                    days_overdue: (as_of - due_on).num_days().max(0),
                    recipient: recipient.name.clone(),
                };
                let notification = if template == notify::template::DEADLINE_OVERDUE {
                    Notification::DeadlineOverdue(reminder)
                } else {
                    Notification::DeadlineSoon(reminder)
                };
                if notify::queue(conn, recipient, &notification, &trigger, now)? {
                    messages += 1;
                    told.push(recipient.user_id);
                }
            }
            if messages == 0 {
                continue;
            }
            case_store::append_event(
                conn,
                &NewEvent {
                    case_id: row.id,
                    actor_id: None,
                    event_type: EVENT_DEADLINE_REMINDER_QUEUED,
                    from_status: None,
                    to_status: None,
                    data: json!({
                        "clock": clock.clock,
                        "due_on": due_on,
                        "template": template,
                        "trigger": trigger,
                        "recipient_user_ids": told,
                    }),
                },
                now,
            )?;
            queued.push(QueuedReminder {
                case_id: row.id,
                code: row.code.clone(),
                clock: clock.clock,
                due_on,
                template,
                trigger,
                messages,
            });
        }
        Ok(queued)
    })
}

/// How many of the most overdue cases the digest lists.
pub const DIGEST_OVERDUE_LINES: usize = 10;

/// The backlog on `as_of` (DOMAIN.md §7, §11): open cases, per kind, overdue and due-soon cases
/// (each case counted once, by its stored earliest due date) and the most overdue case codes.
/// Counts and codes only: nothing here identifies a person.
pub fn backlog_figures(
    conn: &mut AnyConnection,
    ctx: &Context,
    as_of: NaiveDate,
) -> Result<BacklogFigures, ServiceError> {
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    let rows = case_store::open_cases(conn, &open)?;
    let calendar = ctx.calendar();
    let mut figures = BacklogFigures {
        as_of: Some(as_of),
        open_total: rows.len() as i64,
        by_kind: CaseKind::ALL.iter().map(|k| (*k, 0)).collect(),
        ..BacklogFigures::default()
    };
    let mut overdue = Vec::new();
    for row in &rows {
        if let Some(entry) = figures.by_kind.iter_mut().find(|(k, _)| k.as_str() == row.kind) {
            entry.1 += 1;
        }
        let Some(due_on) = row.due_on else { continue };
        if deadline::is_overdue(due_on, as_of) {
            overdue.push(OverdueLine { code: row.code.clone(), due_on, days_overdue: (as_of - due_on).num_days() });
        } else if deadline::is_due_soon(
            due_on,
            as_of,
            &calendar,
            ctx.rules.in_force_on(row.received_on).due_soon_working_days,
        ) {
            figures.due_soon += 1;
        }
    }
    figures.overdue = overdue.len() as i64;
    overdue.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.code.cmp(&b.code)));
    overdue.truncate(DIGEST_OVERDUE_LINES);
    figures.most_overdue = overdue;
    Ok(figures)
}

/// Queues the weekly digest of `week` to every active head with an e-mail address, once per
/// head and week; returns how many were queued now.
pub fn queue_weekly_digest(
    ctx: &Context,
    week: &str,
    as_of: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    ctx.db.write(|conn| {
        let heads: Vec<Recipient> =
            users::active_with_role(conn, Role::Head)?.iter().filter_map(staff_recipient).collect();
        if heads.is_empty() {
            return Ok(0);
        }
        let figures = backlog_figures(conn, ctx, as_of)?;
        let mut queued = 0;
        for head in &heads {
            let notification = Notification::WeeklyBacklog {
                week: week.to_owned(),
                head: head.name.clone(),
                figures: figures.clone(),
            };
            if notify::queue(conn, head, &notification, week, now)? {
                queued += 1;
            }
        }
        Ok(queued)
    })
}
