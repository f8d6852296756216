//! The reception register (sổ tiếp công dân, Form 03): recording a visit with its register
//! number and its outcome (opening a case, adding to existing ones, guidance, transfer, refusal),
//! reading one visit, and the register list.
//!
//! Receptionists, handlers and heads keep the register; every role reads it. A visit about a
//! denunciation names its denouncer, so its citizen and representatives are shown only to those
//! who may know a denouncer (DOMAIN.md §9): heads, and the handler assigned to a denunciation the
//! visit reached. The officer who recorded it sees them in the answer to the create call only.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;

use super::cases::{self, CaseView, NewIntake, UserRef};
use super::{Actor, Context, ServiceError};
use crate::domain::access::{self, Assignment, CaseRelation};
use crate::domain::validation::{FieldError, ValidationErrors};
use crate::domain::visit::{self, Disposal, VisitDraft, VisitInput};
use crate::domain::vocab::{CaseKind, VisitMode, VisitOutcome};
use crate::persistence::audit::{self, NewAuditEntry};
use crate::persistence::cases::{self as case_store, CaseRow};
use crate::persistence::visits::{self as store, LinkedCase, NewVisit, VisitFilter, VisitPosition, VisitRow};
use crate::persistence::{AnyConnection, DbError, citizens};

/// The channel an intake made by a visit is recorded with.
pub const INTAKE_CHANNEL: &str = "visit";

/// One row of the register as one caller sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitView {
    pub id: i64,
    pub year: i32,
    pub register_no: i32,
    pub received_at: DateTime<Utc>,
    pub mode: VisitMode,
    pub officer: UserRef,
    /// `None` when the identity is withheld from this caller.
    pub citizen_id: Option<i64>,
    /// Empty when the identity is withheld from this caller.
    pub representative_ids: Vec<i64>,
    pub identity_redacted: bool,
    /// The visit is about a denunciation, or reached one: its citizen may be a denouncer.
    pub names_denouncer: bool,
    pub group_size: i32,
    pub summary: String,
    pub handled_before_by: Option<String>,
    pub content_kinds: Vec<CaseKind>,
    pub outcome: VisitOutcome,
    pub document_no: Option<String>,
    pub target_body: Option<String>,
    pub refusal_ground: Option<i32>,
    /// The cases the visit opened or added to, in that order.
    pub case_ids: Vec<i64>,
    pub created_at: DateTime<Utc>,
}

impl VisitView {
    /// A group of five or more (đoàn đông người).
    pub fn is_delegation(&self) -> bool {
        visit::is_delegation(self.group_size)
    }

    /// Whether this view shows who came about a denunciation (and so must be audited).
    pub fn discloses_identity(&self) -> bool {
        self.names_denouncer && !self.identity_redacted
    }
}

/// A recorded visit, with the case it opened (if any) as its creator sees it.
#[derive(Debug, Clone)]
pub struct CreatedVisit {
    pub visit: VisitView,
    pub cases: Vec<CaseView>,
}

fn corrupt(what: &str, value: &str) -> DbError {
    DbError::Other(format!("unknown {what} `{value}` in the visits table"))
}

fn require_recorder(actor: &Actor) -> Result<(), ServiceError> {
    if visit::may_record(actor.role) {
        Ok(())
    } else {
        Err(ServiceError::forbidden("Your role may not record visits."))
    }
}

fn require_reader(actor: &Actor) -> Result<(), ServiceError> {
    if visit::may_read(actor.role) {
        Ok(())
    } else {
        Err(ServiceError::forbidden("Your role may not read the reception register."))
    }
}

/// A problem of the case being opened, renamed to its place in the visit request.
fn inside_new_case(err: ServiceError) -> ServiceError {
    match err {
        ServiceError::Validation(errors) => {
            ServiceError::Validation(ValidationErrors(errors.0.into_iter().map(visit::new_case_error).collect()))
        }
        other => other,
    }
}

/// Records a visit inside the caller's transaction (`POST /visits` runs it under its
/// `Idempotency-Key`). Everything the visit causes (its register number, the case it opens,
/// the intakes it adds) commits with it or not at all.
pub fn create_in(
    conn: &mut AnyConnection,
    ctx: &Context,
    actor: &Actor,
    input: VisitInput,
    now: DateTime<Utc>,
) -> Result<CreatedVisit, ServiceError> {
    require_recorder(actor)?;
    let draft = VisitDraft::parse(input, now)?;

    let mut errors = ValidationErrors::new();
    if citizens::find(conn, draft.citizen_id)?.is_none() {
        errors.add("citizen_id", "no such citizen");
    }
    for (i, id) in draft.representative_ids.iter().enumerate() {
        if citizens::find(conn, *id)?.is_none() {
            errors.add(format!("representative_ids[{i}]"), "no such citizen");
        }
    }
    let mut linked_rows: Vec<CaseRow> = Vec::new();
    if let Disposal::LinkedExisting(case_ids) = &draft.disposal {
        for (i, id) in case_ids.iter().enumerate() {
            match cases::visible_case(conn, actor, *id) {
                Ok(row) => linked_rows.push(row),
                // A case the caller may not see is, to them, no case at all.
                Err(ServiceError::NotFound(_) | ServiceError::Forbidden { .. }) => {
                    errors.0.push(cases::unknown_case(format!("case_ids[{i}]")))
                }
                Err(other) => return Err(other),
            }
        }
    }
    errors.into_result()?;

    let content_kinds = draft.content_kinds.clone().unwrap_or_else(|| kinds_of(&linked_rows));
    let scope = visit::register_scope(draft.year);
    let content_kinds_text = visit::content_kinds_text(&content_kinds);
    let row = store::insert(
        conn,
        &NewVisit {
            year: draft.year,
            register_scope: &scope,
            received_at: draft.received_at,
            mode: draft.mode.as_str(),
            officer_id: actor.user_id,
            citizen_id: draft.citizen_id,
            group_size: draft.group_size,
            summary: &draft.summary,
            content_kinds: &content_kinds_text,
            handled_before_by: draft.handled_before_by.as_deref(),
            outcome: draft.disposal.outcome().as_str(),
            document_no: draft.disposal.document_no(),
            target_body: draft.disposal.target_body(),
            refusal_ground: draft.disposal.refusal_ground().map(|g| g.number()),
        },
        &draft.representative_ids,
        now,
    )?;

    let mut opened = Vec::new();
    match &draft.disposal {
        Disposal::CaseOpened(case_input) => {
            let view =
                cases::create_in(conn, ctx, actor, case_input.clone(), Some(row.id), now).map_err(inside_new_case)?;
            opened.push(view);
        }
        Disposal::LinkedExisting(_) => {
            for case_row in &linked_rows {
                let intake = NewIntake {
                    received_at: draft.received_at,
                    channel: INTAKE_CHANNEL,
                    summary: Some(&draft.summary),
                    visit_id: Some(row.id),
                };
                cases::add_intake_in(conn, actor, case_row, &intake, now)?;
            }
        }
        Disposal::Guided { .. } | Disposal::Transferred { .. } | Disposal::Refused { .. } => {}
    }

    let visit = views(conn, actor, vec![row], Reveal::ToCreator)?
        .pop()
        .ok_or_else(|| ServiceError::Internal("a visit view went missing".into()))?;
    Ok(CreatedVisit { visit, cases: opened })
}

/// The distinct kinds of some cases, in their order.
fn kinds_of(rows: &[CaseRow]) -> Vec<CaseKind> {
    let mut kinds = Vec::new();
    for row in rows {
        if let Ok(kind) = row.kind.parse::<CaseKind>()
            && !kinds.contains(&kind)
        {
            kinds.push(kind);
        }
    }
    kinds
}

/// One visit of the register.
pub fn get(ctx: &Context, actor: &Actor, id: i64, now: DateTime<Utc>) -> Result<VisitView, ServiceError> {
    require_reader(actor)?;
    ctx.db.write(|conn| {
        let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("visit"))?;
        let items = views(conn, actor, vec![row], Reveal::ByAccess)?;
        audit_disclosures(conn, actor, &items, now)?;
        items.into_iter().next().ok_or(ServiceError::NotFound("visit"))
    })
}

/// The register list's filters; dates are Vietnam local dates, inclusive.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub officer_id: Option<i64>,
    pub mode: Option<VisitMode>,
}

/// A page of the register.
#[derive(Debug, Clone)]
pub struct VisitPage {
    pub items: Vec<VisitView>,
    pub next: Option<VisitPosition>,
}

/// The register, newest first, in keyset pages.
pub fn list(
    ctx: &Context,
    actor: &Actor,
    query: &ListQuery,
    after: Option<&VisitPosition>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<VisitPage, ServiceError> {
    require_reader(actor)?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(FieldError::new("to", "must not be before `from`").into());
    }
    let (received_from, received_before) = VisitFilter::local_dates(query.from, query.to);
    let filter = VisitFilter {
        received_from,
        received_before,
        officer_id: query.officer_id,
        mode: query.mode.map(|m| m.as_str().to_owned()),
    };
    ctx.db.write(|conn| {
        let mut rows = store::page(conn, &filter, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        let next = if has_more { rows.last().map(VisitPosition::of) } else { None };
        let items = views(conn, actor, rows, Reveal::ByAccess)?;
        audit_disclosures(conn, actor, &items, now)?;
        Ok(VisitPage { items, next })
    })
}

/// Whose eyes a view is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reveal {
    /// The officer recording the visit, in the answer to that call.
    ToCreator,
    /// A later reader, by the rules of denouncer confidentiality.
    ByAccess,
}

/// Whether a visit names a denouncer: it is about a denunciation, or reached one.
fn names_denouncer(content_kinds: &[CaseKind], linked: &[LinkedCase]) -> bool {
    content_kinds.contains(&CaseKind::Denunciation) || linked.iter().any(|c| c.kind == CaseKind::Denunciation.as_str())
}

/// Whether the caller may know who came about a denunciation: those who may see the
/// denouncers of any denunciation the visit reached (or, with none, of any denunciation).
fn may_see_identity(actor: &Actor, linked: &[LinkedCase]) -> bool {
    let unrelated = CaseRelation::new(Assignment::ToSomeoneElse, false);
    access::may_see_denouncer_identity(actor.role, unrelated)
        || linked.iter().filter(|c| c.kind == CaseKind::Denunciation.as_str()).any(|c| {
            access::may_see_denouncer_identity(
                actor.role,
                CaseRelation::of(actor.user_id, c.assignee_id, Some(c.created_by)),
            )
        })
}

fn views(
    conn: &mut AnyConnection,
    actor: &Actor,
    rows: Vec<VisitRow>,
    reveal: Reveal,
) -> Result<Vec<VisitView>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut representatives: HashMap<i64, Vec<i64>> = HashMap::new();
    for (visit_id, citizen_id) in store::representatives_of(conn, &ids)? {
        representatives.entry(visit_id).or_default().push(citizen_id);
    }
    let mut linked: HashMap<i64, Vec<LinkedCase>> = HashMap::new();
    for case in store::linked_cases(conn, &ids)? {
        linked.entry(case.visit_id).or_default().push(case);
    }
    let mut officer_ids: Vec<i64> = rows.iter().map(|r| r.officer_id).collect();
    officer_ids.sort_unstable();
    officer_ids.dedup();
    let names: HashMap<i64, String> = case_store::user_names(conn, &officer_ids)?.into_iter().collect();

    rows.into_iter()
        .map(|row| {
            let content_kinds = visit::parse_content_kinds(&row.content_kinds).map_err(DbError::Other)?;
            let linked = linked.remove(&row.id).unwrap_or_default();
            let sensitive = names_denouncer(&content_kinds, &linked);
            let redacted = reveal == Reveal::ByAccess && sensitive && !may_see_identity(actor, &linked);
            let representative_ids = representatives.remove(&row.id).unwrap_or_default();
            Ok(VisitView {
                id: row.id,
                year: row.year,
                register_no: row.register_no,
                received_at: row.received_at.and_utc(),
                mode: row.mode.parse().map_err(|_| corrupt("mode", &row.mode))?,
                officer: UserRef {
                    id: row.officer_id,
                    full_name: names.get(&row.officer_id).cloned().unwrap_or_default(),
                },
                citizen_id: (!redacted).then_some(row.citizen_id),
                representative_ids: if redacted { Vec::new() } else { representative_ids },
                identity_redacted: redacted,
                names_denouncer: sensitive,
                group_size: row.group_size,
                summary: row.summary,
                handled_before_by: row.handled_before_by,
                content_kinds,
                outcome: row.outcome.parse().map_err(|_| corrupt("outcome", &row.outcome))?,
                document_no: row.document_no,
                target_body: row.target_body,
                refusal_ground: row.refusal_ground,
                case_ids: linked.iter().map(|c| c.case_id).collect(),
                created_at: row.created_at.and_utc(),
            })
        })
        .collect()
}

/// Records each read that showed who came about a denunciation (Luật Tố cáo Art 47: every
/// disclosure is traceable).
fn audit_disclosures(
    conn: &mut AnyConnection,
    actor: &Actor,
    views: &[VisitView],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let ip = actor.ip_text();
    for view in views.iter().filter(|v| v.discloses_identity()) {
        audit::record(
            conn,
            &NewAuditEntry {
                actor_id: Some(actor.user_id),
                event_type: "identity_disclosed",
                object_type: Some("visit"),
                object_id: Some(view.id),
                ip: ip.as_deref(),
                details: json!({ "year": view.year, "register_no": view.register_no }),
            },
            now,
        )?;
    }
    Ok(())
}
