//! Dialogues of complaints (Luật Khiếu nại Art 30, 39): scheduling, rescheduling, recording the
//! session and cancelling, under optimistic locking on the dialogue's own version, and the
//! calendar of sessions. Every change and its timeline entry on the case are written in one
//! transaction. Reading follows the case's visibility; writing needs `ManageDialogues`.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use super::cases::{load_visible, parse, require};
use super::{Actor, Context, ServiceError};
use crate::domain::access::{self, Operation};
use crate::domain::dialogue::{
    self, Change, ChangeInput, DialogueError, DialogueStatus, Invitee, Minutes, Schedule, ScheduleInput, Session,
};
use crate::domain::validation::ValidationErrors;
use crate::domain::vocab::{CaseKind, CaseStatus, DialogueRole};
use crate::notifications::{self, DialogueChange, Notification, Recipient};
use crate::persistence::cases::{self as case_store, CaseRow, NewEvent};
use crate::persistence::dialogues::{
    self as store, DialogueChanges, DialogueFilter, DialoguePosition, DialogueRow, NewDialogueRow, ParticipantRow,
};
use crate::persistence::{AnyConnection, DbError, citizens};

/// Timeline event types written by this module, on the dialogue's case.
pub mod event {
    pub const SCHEDULED: &str = "dialogue_scheduled";
    pub const RESCHEDULED: &str = "dialogue_rescheduled";
    pub const HELD: &str = "dialogue_held";
    pub const CANCELLED: &str = "dialogue_cancelled";
}

/// A participant as shown; attendance, signature and reasons once the session is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantView {
    pub name: String,
    pub role: DialogueRole,
    pub citizen_id: Option<i64>,
    pub email: Option<String>,
    pub attended: Option<bool>,
    pub signed: Option<bool>,
    pub refusal_reason: Option<String>,
    pub absence_reason: Option<String>,
}

/// A dialogue as shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialogueView {
    pub id: i64,
    pub case_id: i64,
    pub case_code: String,
    pub status: DialogueStatus,
    pub scheduled_at: DateTime<Utc>,
    pub location: String,
    pub chair: String,
    pub participants: Vec<ParticipantView>,
    pub held_at: Option<DateTime<Utc>>,
    /// Present once the session is recorded.
    pub minutes: Option<Minutes>,
    pub cancel_reason: Option<String>,
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn refusal(err: DialogueError) -> ServiceError {
    ServiceError::conflict(err.code(), err.to_string())
}

/// 412 unless the dialogue is at the expected version (the compare-and-set itself happens in the
/// update).
fn stale(current: i32) -> ServiceError {
    let mut extra = Map::new();
    extra.insert("current_version".into(), json!(current));
    ServiceError::Conflict {
        code: "precondition_failed",
        detail: "The dialogue has changed since you read it.".into(),
        extra,
    }
}

/// The dialogue and its case, if the caller may see the case; 404 names the dialogue, so that a
/// caller who may not know the case learns nothing of it.
fn load_visible_dialogue(
    conn: &mut AnyConnection,
    actor: &Actor,
    id: i64,
) -> Result<(DialogueRow, CaseRow), ServiceError> {
    let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("dialogue"))?;
    let case = load_visible(conn, actor, row.case_id).map_err(|err| match err {
        ServiceError::NotFound(_) => ServiceError::NotFound("dialogue"),
        other => other,
    })?;
    Ok((row, case))
}

/// Each participant's `citizen_id`, if given, names a registered citizen.
fn check_citizens(conn: &mut AnyConnection, participants: &[Invitee]) -> Result<(), ServiceError> {
    let mut errors = ValidationErrors::new();
    for (i, participant) in participants.iter().enumerate() {
        if let Some(id) = participant.citizen_id
            && citizens::find(conn, id)?.is_none()
        {
            errors.add(format!("participants[{i}].citizen_id"), "no such citizen");
        }
    }
    Ok(errors.into_result()?)
}

fn invitation_rows(dialogue_id: i64, participants: &[Invitee]) -> Vec<ParticipantRow> {
    participants
        .iter()
        .enumerate()
        .map(|(position, p)| ParticipantRow {
            dialogue_id,
            position: position as i32,
            name: p.name.clone(),
            role: p.role.as_str().to_owned(),
            citizen_id: p.citizen_id,
            email: p.email.clone(),
            attended: None,
            signed: None,
            refusal_reason: None,
            absence_reason: None,
        })
        .collect()
}

fn session_rows(dialogue_id: i64, session: &Session) -> Vec<ParticipantRow> {
    session
        .participants
        .iter()
        .enumerate()
        .map(|(position, line)| ParticipantRow {
            dialogue_id,
            position: position as i32,
            name: line.participant.name.clone(),
            role: line.participant.role.as_str().to_owned(),
            citizen_id: line.participant.citizen_id,
            email: line.participant.email.clone(),
            attended: Some(line.attendance.attended()),
            signed: Some(line.attendance.signed()),
            refusal_reason: line.attendance.refusal_reason().map(str::to_owned),
            absence_reason: line.attendance.absence_reason().map(str::to_owned),
        })
        .collect()
}

/// Participants as the timeline records them: names and roles, never e-mail addresses.
fn invitees_data(participants: &[Invitee]) -> Value {
    participants.iter().map(|p| json!({ "name": p.name, "role": p.role })).collect()
}

fn invitees_of(rows: &[ParticipantRow]) -> Result<Vec<Invitee>, DbError> {
    rows.iter()
        .map(|p| {
            Ok(Invitee {
                name: p.name.clone(),
                role: parse("dialogue role", &p.role)?,
                citizen_id: p.citizen_id,
                email: p.email.clone(),
            })
        })
        .collect()
}

fn views(conn: &mut AnyConnection, rows: Vec<(DialogueRow, String)>) -> Result<Vec<DialogueView>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|(r, _)| r.id).collect();
    let mut participants: HashMap<i64, Vec<ParticipantRow>> = HashMap::new();
    for participant in store::participants_of(conn, &ids)? {
        participants.entry(participant.dialogue_id).or_default().push(participant);
    }
    rows.into_iter()
        .map(|(row, case_code)| {
            let status: DialogueStatus = parse("dialogue status", &row.status)?;
            let participants = participants
                .remove(&row.id)
                .unwrap_or_default()
                .into_iter()
                .map(|p| {
                    Ok(ParticipantView {
                        role: parse("dialogue role", &p.role)?,
                        name: p.name,
                        citizen_id: p.citizen_id,
                        email: p.email,
                        attended: p.attended,
                        signed: p.signed,
                        refusal_reason: p.refusal_reason,
                        absence_reason: p.absence_reason,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;
            let minutes = match (row.minutes_opinions, row.minutes_result) {
                (Some(opinions), Some(result)) => {
                    Some(Minutes { opinions, result, agreed: row.minutes_agreed, disagreed: row.minutes_disagreed })
                }
                _ => None,
            };
            Ok(DialogueView {
                id: row.id,
                case_id: row.case_id,
                case_code,
                status,
                scheduled_at: row.scheduled_at.and_utc(),
                location: row.location,
                chair: row.chair,
                participants,
                held_at: row.held_at.map(|at| at.and_utc()),
                minutes,
                cancel_reason: row.cancel_reason,
                version: row.version,
                created_at: row.created_at.and_utc(),
                updated_at: row.updated_at.and_utc(),
            })
        })
        .collect()
}

fn one_view(conn: &mut AnyConnection, id: i64, case_code: String) -> Result<DialogueView, ServiceError> {
    let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("dialogue"))?;
    views(conn, vec![(row, case_code)])?
        .pop()
        .ok_or_else(|| ServiceError::Internal("a dialogue view went missing".into()))
}

/// `POST /cases/{id}/dialogues`: schedules a session on a complaint under resolution.
pub fn schedule(
    ctx: &Context,
    actor: &Actor,
    case_id: i64,
    input: ScheduleInput,
    now: DateTime<Utc>,
) -> Result<DialogueView, ServiceError> {
    ctx.db.write(|conn| {
        let case = load_visible(conn, actor, case_id)?;
        require(actor, &case, Operation::ManageDialogues)?;
        let kind: CaseKind = parse("kind", &case.kind)?;
        let status: CaseStatus = parse("status", &case.status)?;
        dialogue::ensure_may_schedule(kind, status).map_err(refusal)?;
        let schedule = Schedule::parse(input)?;
        check_citizens(conn, &schedule.participants)?;

        let id = store::insert(
            conn,
            &NewDialogueRow {
                case_id,
                status: DialogueStatus::Scheduled.as_str(),
                scheduled_at: schedule.scheduled_at.naive_utc(),
                location: &schedule.location,
                chair: &schedule.chair,
                created_by: actor.user_id,
                created_at: now.naive_utc(),
                updated_at: now.naive_utc(),
            },
        )?;
        store::replace_participants(conn, id, &invitation_rows(id, &schedule.participants))?;
        let scheduled = case_store::append_event(
            conn,
            &NewEvent {
                case_id,
                actor_id: Some(actor.user_id),
                event_type: event::SCHEDULED,
                from_status: None,
                to_status: None,
                data: json!({
                    "dialogue_id": id,
                    "scheduled_at": schedule.scheduled_at,
                    "location": schedule.location,
                    "chair": schedule.chair,
                    "participants": invitees_data(&schedule.participants),
                }),
            },
            now,
        )?;
        let invitation = Invitation {
            dialogue_id: id,
            change: DialogueChange::Scheduled,
            scheduled_at: schedule.scheduled_at,
            location: &schedule.location,
            chair: &schedule.chair,
        };
        invite(conn, &case, &invitation, &schedule.participants, &scheduled.id.to_string(), now)?;
        one_view(conn, id, case.code)
    })
}

/// `PATCH /dialogues/{id}`: reschedules, records the session or cancels a scheduled dialogue,
/// still at `expected_version` when one is given.
pub fn change(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    expected_version: Option<i32>,
    input: ChangeInput,
    now: DateTime<Utc>,
) -> Result<DialogueView, ServiceError> {
    ctx.db.write(|conn| {
        let (row, case) = load_visible_dialogue(conn, actor, id)?;
        require(actor, &case, Operation::ManageDialogues)?;
        if expected_version.is_some_and(|expected| expected != row.version) {
            return Err(stale(row.version));
        }
        // The update compares against the version read here, so that a change committed in
        // between is still refused.
        let expected_version = row.version;
        dialogue::ensure_open(parse("dialogue status", &row.status)?).map_err(refusal)?;
        let invited = invitees_of(&store::participants_of(conn, &[id])?)?;
        let change = Change::parse(input, &invited, now)?;

        let (event_type, data) = match &change {
            Change::Reschedule(reschedule) => {
                if let Some(participants) = &reschedule.participants {
                    check_citizens(conn, participants)?;
                }
                let changes = DialogueChanges {
                    scheduled_at: reschedule.scheduled_at.map(|at| at.naive_utc()),
                    location: reschedule.location.as_deref(),
                    chair: reschedule.chair.as_deref(),
                    ..DialogueChanges::default()
                };
                apply(conn, id, expected_version, &changes, now)?;
                if let Some(participants) = &reschedule.participants {
                    store::replace_participants(conn, id, &invitation_rows(id, participants))?;
                }
                let mut diff = Map::new();
                let mut compare = |name: &str, old: Value, new: Option<Value>| {
                    if let Some(new) = new.filter(|new| *new != old) {
                        diff.insert(name.to_owned(), json!({ "old": old, "new": new }));
                    }
                };
                compare("scheduled_at", json!(row.scheduled_at.and_utc()), reschedule.scheduled_at.map(|at| json!(at)));
                compare("location", json!(row.location), reschedule.location.as_ref().map(|l| json!(l)));
                compare("chair", json!(row.chair), reschedule.chair.as_ref().map(|c| json!(c)));
                compare("participants", invitees_data(&invited), reschedule.participants.as_deref().map(invitees_data));
                (event::RESCHEDULED, json!({ "dialogue_id": id, "changes": diff }))
            }
            Change::Record(session) => {
                let changes = DialogueChanges {
                    status: Some(DialogueStatus::Held.as_str()),
                    held_at: Some(session.held_at.naive_utc()),
                    minutes_opinions: Some(&session.minutes.opinions),
                    minutes_result: Some(&session.minutes.result),
                    minutes_agreed: Some(session.minutes.agreed.as_deref()),
                    minutes_disagreed: Some(session.minutes.disagreed.as_deref()),
                    ..DialogueChanges::default()
                };
                apply(conn, id, expected_version, &changes, now)?;
                store::replace_participants(conn, id, &session_rows(id, session))?;
                let participants: Vec<Value> = session
                    .participants
                    .iter()
                    .map(|line| {
                        json!({
                            "name": line.participant.name,
                            "role": line.participant.role,
                            "attended": line.attendance.attended(),
                            "signed": line.attendance.signed(),
                            "refusal_reason": line.attendance.refusal_reason(),
                            "absence_reason": line.attendance.absence_reason(),
                        })
                    })
                    .collect();
                let data = json!({
                    "dialogue_id": id,
                    "held_at": session.held_at,
                    "result": session.minutes.result,
                    "agreed": session.minutes.agreed,
                    "disagreed": session.minutes.disagreed,
                    "participants": participants,
                });
                (event::HELD, data)
            }
            Change::Cancel { reason } => {
                let changes = DialogueChanges {
                    status: Some(DialogueStatus::Cancelled.as_str()),
                    cancel_reason: Some(reason),
                    ..DialogueChanges::default()
                };
                apply(conn, id, expected_version, &changes, now)?;
                let data = json!({ "dialogue_id": id, "scheduled_at": row.scheduled_at.and_utc(), "reason": reason });
                (event::CANCELLED, data)
            }
        };
        let changed = case_store::append_event(
            conn,
            &NewEvent {
                case_id: case.id,
                actor_id: Some(actor.user_id),
                event_type,
                from_status: None,
                to_status: None,
                data,
            },
            now,
        )?;
        // Luật Khiếu nại Art 30: the participants are told the time and place; a moved or
        // cancelled session is told too, to the participants invited after the change.
        let told = match &change {
            Change::Reschedule(reschedule) => Some((DialogueChange::Rescheduled, reschedule.participants.as_deref())),
            Change::Cancel { .. } => Some((DialogueChange::Cancelled, None)),
            Change::Record(_) => None,
        };
        if let Some((what, new_participants)) = told {
            let after = store::find(conn, id)?.ok_or(ServiceError::NotFound("dialogue"))?;
            let invitation = Invitation {
                dialogue_id: id,
                change: what,
                scheduled_at: after.scheduled_at.and_utc(),
                location: &after.location,
                chair: &after.chair,
            };
            let participants = new_participants.unwrap_or(&invited);
            invite(conn, &case, &invitation, participants, &changed.id.to_string(), now)?;
        }
        one_view(conn, id, case.code)
    })
}

/// The session a dialogue notification is about.
struct Invitation<'a> {
    dialogue_id: i64,
    change: DialogueChange,
    scheduled_at: DateTime<Utc>,
    location: &'a str,
    chair: &'a str,
}

/// Queues a `dialogue_invitation` to each participant with an e-mail address, in the caller's
/// transaction; `trigger` is the id of the event that scheduled or changed the session.
fn invite(
    conn: &mut AnyConnection,
    case: &CaseRow,
    invitation: &Invitation<'_>,
    participants: &[Invitee],
    trigger: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let facts = super::notifications::case_facts(case)?;
    for participant in participants {
        let Some(email) = participant.email.as_deref().map(str::trim).filter(|e| !e.is_empty()) else {
            continue;
        };
        let recipient =
            Recipient { user_id: None, email: email.to_owned(), name: participant.name.clone(), confidential: false };
        let notification = Notification::DialogueInvitation {
            case: facts.clone(),
            dialogue_id: invitation.dialogue_id,
            change: invitation.change,
            scheduled_at: invitation.scheduled_at,
            location: invitation.location.to_owned(),
            chair: invitation.chair.to_owned(),
            participant: participant.name.clone(),
        };
        notifications::queue(conn, &recipient, &notification, trigger, now)?;
    }
    Ok(())
}

fn apply(
    conn: &mut AnyConnection,
    id: i64,
    expected_version: i32,
    changes: &DialogueChanges<'_>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if store::update(conn, id, expected_version, changes, now)? {
        Ok(())
    } else {
        Err(stale(store::find(conn, id)?.map(|r| r.version).unwrap_or(expected_version)))
    }
}

/// One dialogue, if the caller may see its case.
pub fn get(ctx: &Context, actor: &Actor, id: i64) -> Result<DialogueView, ServiceError> {
    ctx.db.snapshot(|conn| {
        let (row, case) = load_visible_dialogue(conn, actor, id)?;
        views(conn, vec![(row, case.code)])?.pop().ok_or(ServiceError::NotFound("dialogue"))
    })
}

/// The calendar's filters: Vietnam local dates of `scheduled_at`, inclusive.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// A page of the calendar.
#[derive(Debug, Clone)]
pub struct DialoguePage {
    pub items: Vec<DialogueView>,
    pub next: Option<DialoguePosition>,
}

/// The dialogues of the cases the caller may see, earliest first, in keyset pages.
pub fn list(
    ctx: &Context,
    actor: &Actor,
    query: &ListQuery,
    after: Option<&DialoguePosition>,
    limit: i64,
) -> Result<DialoguePage, ServiceError> {
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(ServiceError::field("to", "must not be before `from`"));
    }
    let scheduled_from = query.from.map(crate::time::vietnam_day_start_utc);
    let scheduled_before = query.to.and_then(|d| d.succ_opt()).map(crate::time::vietnam_day_start_utc);
    let filter =
        DialogueFilter { visibility: access::visibility(actor.role, actor.user_id), scheduled_from, scheduled_before };
    ctx.db.snapshot(|conn| {
        let mut rows = store::page(conn, &filter, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next = if has_more { rows.last().map(|(row, _)| DialoguePosition::of(row)) } else { None };
        Ok(DialoguePage { items: views(conn, rows)?, next })
    })
}
