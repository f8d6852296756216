//! Splitting a letter with several contents into one case per content, and opening the second
//! round of a complaint or a re-denunciation (DOMAIN.md §3, §4). Each use case is one
//! transaction: the new cases, their people, intakes and `created` events, and the change to the
//! original or first-round case commit together or not at all.

use chrono::{DateTime, Utc};
use serde_json::{Map, json};

use super::cases::{
    self, CaseView, IntakeOrigin, audit_disclosures, insert_case, load_visible, one_view, parse, relation, require,
    stale, views,
};
use super::{Actor, Context, ServiceError};
use crate::domain::access::{self, Access, Operation};
use crate::domain::case::{CaseDraft, CaseInput, FlagChanges, PersonInput};
use crate::domain::rounds::{self, FirstRound, FollowUpRefusal, PartInput};
use crate::domain::vocab::{CaseKind, CaseSource, CaseStatus, ClockKind, PersonRole};
use crate::persistence::AnyConnection;
use crate::persistence::cases::{self as store, CaseRow, NewEvent, WorkflowChanges};

/// Timeline event types written by this module.
pub mod event {
    /// On the original letter's case, when it is split (it is filed with it).
    pub const SPLIT: &str = "split";
    /// On the first-round case, when a second round follows it.
    pub const FOLLOW_UP: &str = "follow_up";
}

/// The 409 of a split asked for a case that is no longer `received`.
pub const SPLIT_NOT_ALLOWED: &str = "split_not_allowed";

/// The people of a stored case, as a new case takes them.
fn people_of(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<PersonInput>, ServiceError> {
    store::people_of(conn, &[case_id])?
        .into_iter()
        .map(|p| Ok(PersonInput { citizen_id: p.citizen_id, role: parse::<PersonRole>("person role", &p.role)? }))
        .collect()
}

/// `POST /cases/{id}/split`: the assigned handler or a head divides a letter still `received`
/// into one case per content. Each part keeps the letter's source, receipt, place, respondent,
/// group, flags, people (in the roles of its kind) and intake, and points back to the letter;
/// the letter's own case is then filed with a `split` event naming the parts.
pub fn split(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    parts: Vec<PartInput>,
    now: DateTime<Utc>,
) -> Result<Vec<CaseView>, ServiceError> {
    let today = crate::time::vietnam_date(now);
    ctx.db.write(|conn| {
        let original = load_visible(conn, actor, id)?;
        if original.version != expected_version {
            return Err(stale(original.version));
        }
        // Who may split is asked as if the letter were still `received`, so that a caller who
        // may never split hears 403 and one who comes too late hears 409.
        if access::check(actor.role, Operation::Split, relation(actor, &original), CaseStatus::Received)
            != Access::Allowed
        {
            return Err(ServiceError::forbidden("Only the assigned handler or a head may split this letter."));
        }
        let status: CaseStatus = parse("status", &original.status)?;
        if status != CaseStatus::Received {
            return Err(ServiceError::conflict(
                SPLIT_NOT_ALLOWED,
                format!("A letter is split while it is `received`; this case is `{status}`."),
            ));
        }
        let kind: CaseKind = parse("kind", &original.kind)?;
        let people = people_of(conn, id)?;
        let parts = rounds::check_parts(&people, parts.clone())?;
        let first_intake = store::intakes_of(conn, id)?.into_iter().next();
        let intake = IntakeOrigin {
            visit_id: first_intake.as_ref().and_then(|i| i.visit_id),
            channel: first_intake.as_ref().map_or("letter", |i| i.channel.as_str()),
            summary: first_intake.as_ref().and_then(|i| i.summary.as_deref()),
        };

        let mut part_ids = Vec::with_capacity(parts.len());
        let mut codes = Vec::with_capacity(parts.len());
        for part in parts {
            // A part of the same kind as a second-round letter stays in that round.
            let (round, parent_id) =
                if part.kind == kind { (Some(original.round), original.parent_id) } else { (None, None) };
            let input = CaseInput {
                kind: part.kind,
                round,
                parent_id,
                field: part.field,
                locality: original.locality.clone(),
                title: part.title,
                summary: part.summary,
                source: parse("source", &original.source)?,
                forwarded_by: original.forwarded_by.clone(),
                received_at: original.received_at.and_utc(),
                people: part.people,
                respondent: original.respondent.clone(),
                group_size: Some(original.group_size),
                flags: FlagChanges {
                    complex: Some(original.complex),
                    // Very complex is a grade of denunciations only (Nghị định 31/2019 Art 3.3).
                    very_complex: Some(original.very_complex && part.kind == CaseKind::Denunciation),
                    remote_area: Some(original.remote_area),
                    multi_site: Some(original.multi_site),
                    central_list: Some(original.central_list),
                },
            };
            let draft = CaseDraft::parse(input, now)?;
            let mut data = Map::new();
            data.insert("split_from".into(), json!(original.id));
            data.insert("split_from_code".into(), json!(original.code));
            let part_id = insert_case(conn, ctx, actor, &draft, &intake, data, now)?;
            store::set_split_from(conn, part_id, original.id)?;
            let part_row = store::find(conn, part_id)?.ok_or(ServiceError::NotFound("case"))?;
            codes.push(part_row.code);
            part_ids.push(part_id);
        }

        // The letter itself is kept on file for a year like any filed letter (Thông tư
        // 05/2021/TT-TTCP Art 28); its contents live on in the parts.
        let changes = WorkflowChanges {
            status: Some(CaseStatus::Filed.as_str()),
            retention_until: Some(rounds::retention_until(today)),
            ..WorkflowChanges::default()
        };
        if !store::apply_transition(conn, id, expected_version, &changes, now)? {
            let current = store::find(conn, id)?.map(|r| r.version).unwrap_or(expected_version);
            return Err(stale(current));
        }
        store::append_event(
            conn,
            &NewEvent {
                case_id: id,
                actor_id: Some(actor.user_id),
                event_type: event::SPLIT,
                from_status: Some(CaseStatus::Received.as_str()),
                to_status: Some(CaseStatus::Filed.as_str()),
                data: json!({ "parts": codes }),
            },
            now,
        )?;
        let mut filed = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
        cases::keep_clock_due_dates(conn, ctx, &mut filed)?;

        let mut rows = store::find_many(conn, &part_ids)?;
        rows.sort_by_key(|r| r.id);
        let items = views(conn, ctx, actor, rows, today, false)?;
        audit_disclosures(conn, actor, &items, now)?;
        Ok(items)
    })
}

/// A new letter that asks for a second round, as submitted.
#[derive(Debug, Clone)]
pub struct FollowUpInput {
    pub received_at: DateTime<Utc>,
    pub summary: String,
    pub source: CaseSource,
    pub forwarded_by: Option<String>,
}

/// What the rules of a second round need to know of the first.
fn first_round(conn: &mut AnyConnection, ctx: &Context, parent: &CaseRow) -> Result<FirstRound, ServiceError> {
    let resolution_due_on = cases::deadlines_of(conn, ctx, parent)?
        .into_iter()
        .find(|d| d.clock == ClockKind::Resolution)
        .and_then(|d| d.due_on);
    Ok(FirstRound {
        kind: parse("kind", &parent.kind)?,
        round: parent.round,
        status: parse("status", &parent.status)?,
        decided_on: parent.decided_on,
        resolution_due_on,
        remote_area: parent.remote_area,
    })
}

/// `POST /cases/{id}/follow-ups`: a second-round complaint (Luật Khiếu nại Art 33) or a
/// re-denunciation (Luật Tố cáo Art 37) about the matter of case `parent_id`. It inherits the
/// field, place, respondent, people and group of the first round, not its handler, and records
/// whether it came after the window (`filed_late`).
pub fn follow_up(
    ctx: &Context,
    actor: &Actor,
    parent_id: i64,
    input: &FollowUpInput,
    now: DateTime<Utc>,
) -> Result<CaseView, ServiceError> {
    let today = crate::time::vietnam_date(now);
    let received_on = crate::time::vietnam_date(input.received_at);
    ctx.db.write(|conn| {
        let parent = load_visible(conn, actor, parent_id)?;
        require(actor, &parent, Operation::CreateFollowUp)?;
        if !access::may_create_case(actor.role) {
            return Err(ServiceError::forbidden("Your role may not create cases."));
        }
        let first = first_round(conn, ctx, &parent)?;
        rounds::follow_up_allowed(&first, received_on)
            .map_err(|refusal| ServiceError::conflict(FollowUpRefusal::CODE, refusal.to_string()))?;

        let input = CaseInput {
            kind: first.kind,
            round: Some(2),
            parent_id: Some(parent.id),
            field: parse("field", &parent.field)?,
            locality: parent.locality.clone(),
            title: rounds::follow_up_title(first.kind, &parent.title),
            summary: input.summary.clone(),
            source: input.source,
            forwarded_by: input.forwarded_by.clone(),
            received_at: input.received_at,
            people: people_of(conn, parent.id)?,
            respondent: parent.respondent.clone(),
            group_size: Some(parent.group_size),
            // The place-bound flags carry over (a remote area lengthens the round-2 term too,
            // Luật Khiếu nại Art 37); complexity is judged afresh by the second round's handler.
            flags: FlagChanges {
                remote_area: Some(parent.remote_area),
                multi_site: Some(parent.multi_site),
                central_list: Some(parent.central_list),
                ..FlagChanges::default()
            },
        };
        let draft = CaseDraft::parse(input, now)?;
        let (filed_late, window) = {
            let calendar = ctx.calendar();
            (rounds::filed_late(&first, received_on, &calendar), rounds::follow_up_window(&first, &calendar))
        };
        let mut data = Map::new();
        data.insert("parent_id".into(), json!(parent.id));
        data.insert("parent_code".into(), json!(parent.code));
        data.insert("filed_late".into(), json!(filed_late));
        data.insert("window_ends_on".into(), json!(window.map(|w| w.ends_on)));
        let intake = IntakeOrigin { visit_id: None, channel: draft.source.as_str(), summary: None };
        let id = insert_case(conn, ctx, actor, &draft, &intake, data, now)?;
        store::set_filed_late(conn, id, filed_late)?;

        // A new letter after the first decision makes the matter prolonged (DOMAIN.md §10).
        let parent_decided =
            parent.decided_on.is_some() || matches!(first.status, CaseStatus::Decided | CaseStatus::Closed);
        if parent_decided {
            store::mark_intake_after_decision(conn, parent.id, now)?;
        }
        let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
        store::append_event(
            conn,
            &NewEvent {
                case_id: parent.id,
                actor_id: Some(actor.user_id),
                event_type: event::FOLLOW_UP,
                from_status: None,
                to_status: None,
                data: json!({ "case_id": row.id, "code": row.code, "round": row.round, "filed_late": filed_late }),
            },
            now,
        )?;
        let view = one_view(conn, ctx, actor, row, today, false)?;
        audit_disclosures(conn, actor, std::slice::from_ref(&view), now)?;
        Ok(view)
    })
}
