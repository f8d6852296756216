//! Workflow transitions (`POST /cases/{id}/transitions`): the domain decides, this module loads
//! the facts it needs, writes the new status, clocks and flags, the one timeline entry and the
//! new due date, all in one transaction and only if the case is still at the expected version.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, json};

use super::cases::{CaseView, audit_disclosures, load_visible, one_view, parse, relation, stale};
use super::notifications::CitizenLetterKind;
use super::{Actor, Context, ServiceError};
use crate::domain::deadline;
use crate::domain::vocab::{Action, CaseKind, CaseStatus, ClockKind};
use crate::domain::workflow::{self, Caller, CaseContext, CaseHistory, Command, Effect, RuleSetFacts, WorkflowError};
use crate::notifications::Notification;
use crate::notifications::templates::vietnamese_date;
use crate::persistence::AnyConnection;
use crate::persistence::cases::{self as store, CaseRow, NewEvent, PersonRow, SuspensionRow, WorkflowChanges};

/// A refusal of the workflow, as a use-case error with the problem members it needs.
fn refusal(err: WorkflowError) -> ServiceError {
    let detail = err.to_string();
    match err.class() {
        workflow::ErrorClass::NotFound => ServiceError::NotFound("case"),
        workflow::ErrorClass::Forbidden => ServiceError::forbidden(detail),
        workflow::ErrorClass::Unprocessable => ServiceError::InvalidInput {
            code: err.code(),
            detail,
            errors: crate::domain::validation::ValidationErrors(err.field_errors()),
        },
        workflow::ErrorClass::Conflict => {
            let mut extra = Map::new();
            if let Some(allowed) = err.allowed_actions() {
                extra.insert("allowed_actions".into(), json!(allowed));
            }
            ServiceError::Conflict { code: err.code(), detail, extra }
        }
    }
}

/// The letter a citizen gets for an action, with the facts of the step (DOMAIN.md §8): the
/// acceptance (Luật Khiếu nại Art 27, Luật Tố cáo Art 29), the refusal, the transfer or
/// guidance with the body to turn to, and the decision.
fn citizen_letter(command: &Command) -> Option<(CitizenLetterKind, Vec<(String, String)>)> {
    let fact = |label: &str, value: &str| (label.to_owned(), value.to_owned());
    Some(match command {
        Command::Accept { decision_no, accepted_on, .. } => (
            Notification::CitizenAccepted,
            vec![fact("Số văn bản thụ lý", decision_no), fact("Ngày thụ lý", &vietnamese_date(*accepted_on))],
        ),
        Command::Reject { .. } => (Notification::CitizenNotAccepted, Vec::new()),
        Command::Transfer { target_body, document_no } => (
            Notification::CitizenTransferred,
            vec![fact("Cơ quan nhận đơn", target_body), fact("Số văn bản chuyển đơn", document_no)],
        ),
        Command::Guide { target_body, document_no } => (
            Notification::CitizenGuided,
            vec![fact("Cơ quan có thẩm quyền", target_body), fact("Số văn bản hướng dẫn", document_no)],
        ),
        Command::Decide { decision_no, decided_on, outcome, .. } => (
            Notification::CitizenDecided,
            vec![
                fact("Số quyết định / kết luận / văn bản trả lời", decision_no),
                fact("Ngày ban hành", &vietnamese_date(*decided_on)),
                fact("Kết quả", outcome.label_vi()),
            ],
        ),
        _ => return None,
    })
}

/// What the guards need to know of a case's history and its linked cases.
pub(super) fn history(conn: &mut AnyConnection, row: &CaseRow) -> Result<CaseHistory, ServiceError> {
    histories(conn, std::slice::from_ref(row))?
        .remove(&row.id)
        .ok_or_else(|| ServiceError::Internal(format!("the history of case {} went missing", row.id)))
}

/// The histories of several cases, read with a fixed number of queries however many cases
/// there are (a page of the case list shows each case's allowed actions).
pub(super) fn histories(conn: &mut AnyConnection, rows: &[CaseRow]) -> Result<HashMap<i64, CaseHistory>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let people = store::people_of(conn, &ids)?;
    // Only a suspended case needs its suspensions (the date a resumption may not precede).
    let suspended: Vec<i64> =
        rows.iter().filter(|r| r.status == CaseStatus::Suspended.as_str()).map(|r| r.id).collect();
    let suspensions = if suspended.is_empty() { Vec::new() } else { store::suspensions_of(conn, &suspended)? };
    histories_with(conn, rows, &people, &suspensions)
}

/// [`histories`] for a caller that has already read the cases' people and suspensions.
pub(super) fn histories_with(
    conn: &mut AnyConnection,
    rows: &[CaseRow],
    people: &[PersonRow],
    suspensions: &[SuspensionRow],
) -> Result<HashMap<i64, CaseHistory>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let linked = store::linked_ids_of(conn, rows)?;
    let mut related: Vec<i64> = linked.values().flatten().copied().chain(ids.iter().copied()).collect();
    related.sort_unstable();
    related.dedup();
    let past = store::events_of_type(conn, &related, &[Action::Guide.as_str(), Action::Transfer.as_str()])?;
    // Guidance is given once to the same citizen on the same matter (TT05/2021): look for a
    // guidance on a linked case that names one of this case's people.
    let mut guided_elsewhere: Vec<i64> = past
        .iter()
        .filter(|(case_id, event_type)| event_type == Action::Guide.as_str() && !ids.contains(case_id))
        .map(|(case_id, _)| *case_id)
        .collect();
    guided_elsewhere.sort_unstable();
    guided_elsewhere.dedup();
    let people_elsewhere =
        if guided_elsewhere.is_empty() { Vec::new() } else { store::people_of(conn, &guided_elsewhere)? };
    let held = crate::persistence::dialogues::held_among(conn, &ids)?;

    let mut histories = HashMap::with_capacity(rows.len());
    for row in rows {
        let status: CaseStatus = parse("status", &row.status)?;
        let mut family = linked.get(&row.id).cloned().unwrap_or_default();
        family.push(row.id);
        let in_family = |case_id: i64| family.contains(&case_id);
        let citizens: Vec<i64> = people.iter().filter(|p| p.case_id == row.id).map(|p| p.citizen_id).collect();
        let citizen_already_guided = past
            .iter()
            .filter(|(case_id, event_type)| event_type == Action::Guide.as_str() && in_family(*case_id))
            .any(|(guided, _)| {
                people.iter().chain(&people_elsewhere).any(|p| p.case_id == *guided && citizens.contains(&p.citizen_id))
            });
        let denunciation_already_transferred = row.kind == CaseKind::Denunciation.as_str()
            && past.iter().any(|(case_id, event_type)| event_type == Action::Transfer.as_str() && in_family(*case_id));
        let suspended_on = if status == CaseStatus::Suspended {
            suspensions
                .iter()
                .filter(|s| s.case_id == row.id)
                .rev()
                .find(|s| s.resumed_on.is_none())
                .map(|s| s.effective_on)
        } else {
            None
        };
        let history = CaseHistory {
            dialogue_held: held.contains(&row.id),
            citizen_already_guided,
            denunciation_already_transferred,
            extensions: u32::try_from(row.extensions).unwrap_or(0),
            complex: row.complex,
            very_complex: row.very_complex,
            status_before_suspension: row
                .status_before_suspension
                .as_deref()
                .map(|s| parse("status", s))
                .transpose()?,
            received_on: Some(row.received_on),
            accepted_on: row.accepted_on,
            suspended_on,
        };
        histories.insert(row.id, history);
    }
    Ok(histories)
}

/// Takes a workflow action on a case still at `expected_version`.
pub fn transition(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    command: &Command,
    now: DateTime<Utc>,
) -> Result<CaseView, ServiceError> {
    let today = crate::time::vietnam_date(now);
    ctx.db.write(|conn| {
        let row = load_visible(conn, actor, id)?;
        if row.version != expected_version {
            return Err(stale(row.version));
        }
        let kind: CaseKind = parse("kind", &row.kind)?;
        let status: CaseStatus = parse("status", &row.status)?;
        let rule_set = ctx.rules.in_force_on(row.received_on);
        let context = CaseContext {
            status,
            kind,
            round: row.round,
            rules: RuleSetFacts { complaints_may_be_suspended: rule_set.complaint_suspension_allowed },
            history: history(conn, &row)?,
            today,
        };
        let caller = Caller { role: actor.role, relation: relation(actor, &row) };
        let transition = workflow::transition(&context, &caller, command).map_err(refusal)?;

        let to_status = transition.to.as_str();
        let mut changes = WorkflowChanges { status: Some(to_status), ..WorkflowChanges::default() };
        for effect in &transition.effects {
            match *effect {
                Effect::StartClock { clock: ClockKind::Resolution, on } => changes.accepted_on = Some(on),
                Effect::StartClock { clock: ClockKind::Reply, on } => changes.transferred_on = Some(on),
                Effect::StartClock { .. } | Effect::StopClock { .. } => {}
                Effect::PauseClock { from, .. } => {
                    store::suspend(conn, id, from, now)?;
                    changes.status_before_suspension = Some(Some(status.as_str()));
                }
                Effect::ResumeClock { on, .. } => {
                    store::resume(conn, id, on)?;
                    changes.status_before_suspension = Some(None);
                }
                Effect::SetComplex => changes.complex = Some(true),
                Effect::SetRemoteArea => changes.remote_area = Some(true),
                Effect::CountExtension { extensions } => changes.extensions = Some(extensions as i32),
                Effect::SetRetentionUntil { date } => changes.retention_until = Some(date),
                Effect::SetDuplicateOf { case_id } => {
                    if case_id == id || store::find(conn, case_id)?.is_none() {
                        return Err(ServiceError::field("duplicate_of", "no such case"));
                    }
                    changes.duplicate_of = Some(case_id);
                }
                Effect::SetOutcome { outcome } => changes.outcome = Some(outcome.as_str()),
            }
        }
        if let Command::Decide { decided_on, .. } = command {
            changes.decided_on = Some(*decided_on);
        }
        let mut event_data = transition.event.data.clone();
        if transition.action == Action::Transfer {
            // Luật Tố cáo Art 24.2: a denunciation outside the receiver's competence is
            // transferred within 5 working days; the event records whether it was.
            let calendar = ctx.calendar();
            let on_time = deadline::transfer_on_time(kind, row.round, row.received_on, today, rule_set, &calendar)
                .map_err(|e| ServiceError::Internal(format!("transfer term of case {id}: {e}")))?;
            if let (Some(on_time), Some(data)) = (on_time, event_data.as_object_mut()) {
                data.insert("within_transfer_term".into(), json!(on_time));
            }
        }
        if !store::apply_transition(conn, id, expected_version, &changes, now)? {
            let current = store::find(conn, id)?.map(|r| r.version).unwrap_or(expected_version);
            return Err(stale(current));
        }
        let event = store::append_event(
            conn,
            &NewEvent {
                case_id: id,
                actor_id: Some(actor.user_id),
                event_type: transition.action.as_str(),
                from_status: Some(transition.from.as_str()),
                to_status: Some(to_status),
                data: event_data,
            },
            now,
        )?;
        let mut after = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
        super::cases::keep_clock_due_dates(conn, ctx, &mut after)?;
        if let Some((letter, details)) = citizen_letter(command) {
            super::notifications::tell_citizens(conn, &after, letter, details, &event.id.to_string(), now)?;
        }
        let view = one_view(conn, ctx, actor, after, today, false)?;
        audit_disclosures(conn, actor, std::slice::from_ref(&view), now)?;
        Ok(view)
    })
}
