//! Case records: creation, reading (with the caller's view of denouncer identity), the list,
//! descriptive edits and assignment under optimistic locking, notes, intakes and the timeline.
//! Every change and its timeline entry are written in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::{Map, Value, json};

use super::{Actor, Context, ServiceError};
use crate::domain::access::{self, Access, CaseRelation, Operation};
use crate::domain::calendar::HolidayCalendar;
use crate::domain::case::{self, CaseDraft, CaseInput, CasePatch, SettableFlags};
use crate::domain::deadline::{
    self, CaseClockFacts, ClockDueDates, ClockFlags, Deadline, DeadlineError, DetailedExplanation, SuspensionSpan,
};
use crate::domain::text;
use crate::domain::validation::{FieldError, ValidationErrors, required_text};
use crate::domain::vocab::{Action, CaseKind, CaseSource, CaseStatus, Field, PersonRole, Role};
use crate::domain::workflow::{self, Caller, CaseContext, RuleSetFacts};
use crate::notifications::{self, Notification, Recipient};
use crate::persistence::audit::{self, NewAuditEntry};
use crate::persistence::case_list::{self, CaseFilter, Position, Sort};
use crate::persistence::cases::{
    self as store, CaseRow, DescriptionChanges, EventRow, NewCaseRow, NewEvent, PersonRow, SuspensionRow,
};
use crate::persistence::{AnyConnection, DbError, users};

pub const NOTE_MAX: usize = 10_000;

/// Timeline event types written by this module.
pub mod event {
    pub const CREATED: &str = "created";
    pub const EDITED: &str = "edited";
    pub const ASSIGNED: &str = "assigned";
    pub const NOTE: &str = "note";
    pub const INTAKE: &str = "intake";
}

/// A user as other objects refer to them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRef {
    pub id: i64,
    pub full_name: String,
}

/// A person on a case, as this caller may see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PersonView {
    Identified {
        citizen_id: i64,
        role: PersonRole,
        full_name: String,
        id_number: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        address: String,
    },
    /// A denouncer this caller may not know (Luật Tố cáo Art 47).
    Redacted { role: PersonRole, alias: String },
}

/// Every flag of DOMAIN.md §10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlagsView {
    pub set: SettableFlags,
    pub mass: bool,
    pub repeat: bool,
    pub prolonged: bool,
    pub filed_late: bool,
    pub overdue: bool,
    pub due_soon: bool,
}

/// A case as one caller sees it.
#[derive(Debug, Clone)]
pub struct CaseView {
    pub id: i64,
    pub code: String,
    pub kind: CaseKind,
    pub round: i32,
    pub parent_id: Option<i64>,
    pub field: Field,
    pub locality: Option<String>,
    pub title: String,
    pub summary: String,
    pub source: CaseSource,
    pub forwarded_by: Option<String>,
    pub received_at: DateTime<Utc>,
    pub status: CaseStatus,
    pub assignee: Option<UserRef>,
    pub created_by: UserRef,
    pub people: Vec<PersonView>,
    pub respondent: String,
    pub group_size: i32,
    pub intake_count: i32,
    pub flags: FlagsView,
    pub deadlines: Vec<Deadline>,
    pub due_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub version: i32,
    pub allowed_actions: Vec<Action>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CaseView {
    /// Whether this view carries a denouncer's identity (and so must be audited).
    pub fn discloses_identity(&self) -> bool {
        self.kind == CaseKind::Denunciation
            && self.people.iter().any(|p| matches!(p, PersonView::Identified { role: PersonRole::Denouncer, .. }))
    }
}

/// A timeline entry as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct EventView {
    pub id: i64,
    pub case_id: i64,
    pub case_code: String,
    pub at: DateTime<Utc>,
    pub actor: Option<UserRef>,
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub data: Value,
}

fn corrupt(what: &str, value: &str) -> DbError {
    DbError::Other(format!("unknown {what} `{value}` in the database"))
}

pub(super) fn parse<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, DbError> {
    value.parse().map_err(|_| corrupt(what, value))
}

pub(super) fn relation(actor: &Actor, row: &CaseRow) -> CaseRelation {
    CaseRelation::of(actor.user_id, row.assignee_id, Some(row.created_by))
}

/// 404 when the caller may not know the case, 403 when they may not do `operation`.
pub(super) fn require(actor: &Actor, row: &CaseRow, operation: Operation) -> Result<(), ServiceError> {
    let status: CaseStatus = parse("status", &row.status)?;
    match access::check(actor.role, operation, relation(actor, row), status) {
        Access::Allowed => Ok(()),
        Access::Hidden => Err(ServiceError::NotFound("case")),
        Access::Forbidden => Err(ServiceError::forbidden("You may not do this on this case.")),
    }
}

pub(super) fn load_visible(conn: &mut AnyConnection, actor: &Actor, id: i64) -> Result<CaseRow, ServiceError> {
    let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
    require(actor, &row, Operation::View)?;
    Ok(row)
}

/// The inputs of the clocks, from the stored case and its suspensions.
fn clock_facts(
    row: &CaseRow,
    kind: CaseKind,
    status: CaseStatus,
    suspensions: &[SuspensionRow],
) -> Result<CaseClockFacts, DbError> {
    let mut facts = CaseClockFacts::new(kind, row.round, status, row.received_on);
    facts.accepted_on = row.accepted_on;
    facts.transferred_on = row.transferred_on;
    facts.flags = ClockFlags {
        complex: row.complex,
        very_complex: row.very_complex,
        remote_area: row.remote_area,
        multi_site: row.multi_site,
    };
    facts.extensions = u32::try_from(row.extensions).unwrap_or(0);
    facts.status_before_suspension = row.status_before_suspension.as_deref().map(|s| parse("status", s)).transpose()?;
    facts.suspensions = suspensions
        .iter()
        .filter(|s| s.case_id == row.id)
        .map(|s| SuspensionSpan { effective_on: s.effective_on, resumed_on: s.resumed_on })
        .collect();
    Ok(facts)
}

/// The running clocks of a case.
pub fn deadlines_of(conn: &mut AnyConnection, ctx: &Context, row: &CaseRow) -> Result<Vec<Deadline>, ServiceError> {
    deadlines_with(conn, ctx, row, &ctx.calendar())
}

/// The running clocks of a case under a calendar the caller holds.
fn deadlines_with(
    conn: &mut AnyConnection,
    ctx: &Context,
    row: &CaseRow,
    calendar: &HolidayCalendar,
) -> Result<Vec<Deadline>, ServiceError> {
    let suspensions = store::suspensions_of(conn, &[row.id])?;
    let facts = stored_clock_facts(row, &suspensions)?;
    deadline::case_deadlines(&facts, &ctx.rules, calendar).map_err(|e| counting_failed(row, e))
}

/// The inputs of the clocks of a stored case, its kind and status read from the row.
fn stored_clock_facts(row: &CaseRow, suspensions: &[SuspensionRow]) -> Result<CaseClockFacts, ServiceError> {
    let kind: CaseKind = parse("kind", &row.kind)?;
    let status: CaseStatus = parse("status", &row.status)?;
    Ok(clock_facts(row, kind, status, suspensions)?)
}

fn counting_failed(row: &CaseRow, error: DeadlineError) -> ServiceError {
    ServiceError::Internal(format!("deadlines of case {}: {error}", row.id))
}

/// Counts the running clocks of a case again and keeps their due dates, and the one its decision
/// is held to, when they changed; returns the deadlines and whether a running clock's date moved.
pub(super) fn keep_clock_due_dates(
    conn: &mut AnyConnection,
    ctx: &Context,
    row: &mut CaseRow,
) -> Result<(Vec<Deadline>, bool), ServiceError> {
    let suspensions = store::suspensions_of(conn, &[row.id])?;
    keep_clock_due_dates_given(conn, ctx, row, &suspensions)
}

/// [`keep_clock_due_dates`] with the case's suspensions already read (those of other cases
/// among them are passed over), for recounts that read them for many cases at once.
pub(super) fn keep_clock_due_dates_given(
    conn: &mut AnyConnection,
    ctx: &Context,
    row: &mut CaseRow,
    suspensions: &[SuspensionRow],
) -> Result<(Vec<Deadline>, bool), ServiceError> {
    let facts = stored_clock_facts(row, suspensions)?;
    let counting = |e: DeadlineError| counting_failed(row, e);
    let (deadlines, decided_due_on) = {
        let calendar = ctx.calendar();
        let deadlines = deadline::case_deadlines(&facts, &ctx.rules, &calendar).map_err(counting)?;
        // Counted from the same facts as the running clocks, so that a flag edited after the
        // decision moves it as it would have moved the clock.
        let decided_due_on = match row.decided_on {
            Some(_) => deadline::resolution_due_at_decision(&facts, &ctx.rules, &calendar).map_err(counting)?,
            None => None,
        };
        (deadlines, decided_due_on)
    };
    let dates = ClockDueDates::of(&deadlines);
    let moved = ClockDueDates::from(row.clock_due_dates) != dates || row.due_on != dates.earliest();
    if moved || decided_due_on != row.decided_due_on {
        store::set_kept_due_dates(conn, row.id, &dates, decided_due_on)?;
        row.due_on = dates.earliest();
        row.clock_due_dates = dates.into();
        row.decided_due_on = decided_due_on;
    }
    Ok((deadlines, moved))
}

/// Builds the views of several cases for one caller.
pub(super) fn views(
    conn: &mut AnyConnection,
    ctx: &Context,
    actor: &Actor,
    rows: Vec<CaseRow>,
    today: NaiveDate,
    reveal_all: bool,
) -> Result<Vec<CaseView>, ServiceError> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let person_rows = store::people_of(conn, &ids)?;
    let suspensions = store::suspensions_of(conn, &ids)?;
    let mut histories = super::transitions::histories_with(conn, &rows, &person_rows, &suspensions)?;
    let mut people: HashMap<i64, Vec<PersonRow>> = HashMap::new();
    for person in person_rows {
        people.entry(person.case_id).or_default().push(person);
    }
    let mut user_ids: Vec<i64> = rows.iter().flat_map(|r| [Some(r.created_by), r.assignee_id]).flatten().collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let names: HashMap<i64, String> = store::user_names(conn, &user_ids)?.into_iter().collect();
    let user_ref = |id: i64| UserRef { id, full_name: names.get(&id).cloned().unwrap_or_default() };
    let calendar = ctx.calendar();
    let window = ctx.rules.in_force_on(today).due_soon_working_days;

    rows.into_iter()
        .map(|row| {
            let kind: CaseKind = parse("kind", &row.kind)?;
            let status: CaseStatus = parse("status", &row.status)?;
            let relation = relation(actor, &row);
            let reveal = reveal_all || access::may_see_denouncer_identity(actor.role, relation);
            let mut denouncers = 0;
            let people_view = people
                .remove(&row.id)
                .unwrap_or_default()
                .into_iter()
                .map(|p| {
                    let role: PersonRole = parse("person role", &p.role)?;
                    if case::is_confidential(kind, role) && !reveal {
                        denouncers += 1;
                        return Ok(PersonView::Redacted { role, alias: case::denouncer_alias(denouncers) });
                    }
                    Ok(PersonView::Identified {
                        citizen_id: p.citizen_id,
                        role,
                        full_name: p.full_name,
                        id_number: p.id_number,
                        phone: p.phone,
                        email: p.email,
                        address: p.address,
                    })
                })
                .collect::<Result<Vec<_>, DbError>>()?;

            let facts = clock_facts(&row, kind, status, &suspensions)?;
            let deadlines =
                deadline::case_deadlines(&facts, &ctx.rules, &calendar).map_err(|e| counting_failed(&row, e))?;
            let due_on = deadline::earliest_due_on(&deadlines);
            let overdue = due_on.is_some_and(|d| deadline::is_overdue(d, today));
            let due_soon = due_on.is_some_and(|d| deadline::is_due_soon(d, today, &calendar, window));
            let rule_set = ctx.rules.in_force_on(row.received_on);
            let context = CaseContext {
                status,
                kind,
                round: row.round,
                rules: RuleSetFacts { complaints_may_be_suspended: rule_set.complaint_suspension_allowed },
                // The same facts the transition guards use, so that the list of allowed actions
                // never offers what a transition would refuse for the case's history.
                history: histories
                    .remove(&row.id)
                    .ok_or_else(|| ServiceError::Internal(format!("the history of case {} went missing", row.id)))?,
                today,
            };
            let allowed_actions = workflow::allowed_actions(&context, &Caller { role: actor.role, relation });
            Ok(CaseView {
                id: row.id,
                code: row.code,
                kind,
                round: row.round,
                parent_id: row.parent_id,
                field: parse("field", &row.field)?,
                locality: row.locality,
                title: row.title,
                summary: row.summary,
                source: parse("source", &row.source)?,
                forwarded_by: row.forwarded_by,
                received_at: row.received_at.and_utc(),
                status,
                assignee: row.assignee_id.map(user_ref),
                created_by: user_ref(row.created_by),
                people: people_view,
                respondent: row.respondent,
                group_size: row.group_size,
                intake_count: row.intake_count,
                flags: FlagsView {
                    set: SettableFlags {
                        complex: row.complex,
                        very_complex: row.very_complex,
                        remote_area: row.remote_area,
                        multi_site: row.multi_site,
                        central_list: row.central_list,
                    },
                    mass: case::is_mass(row.group_size),
                    repeat: case::is_repeat(row.intake_count),
                    prolonged: case::is_prolonged(status, row.round, row.received_on, today, row.intake_after_decision),
                    filed_late: row.filed_late,
                    overdue,
                    due_soon,
                },
                deadlines,
                due_on,
                outcome: row.outcome,
                version: row.version,
                allowed_actions,
                created_at: row.created_at.and_utc(),
                updated_at: row.updated_at.and_utc(),
            })
        })
        .collect()
}

/// Records that `views` showed denouncers' identities to the actor (Luật Tố cáo Art 47: every
/// disclosure is traceable).
pub(super) fn audit_disclosures(
    conn: &mut AnyConnection,
    actor: &Actor,
    views: &[CaseView],
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let ip = actor.ip_text();
    for view in views.iter().filter(|v| v.discloses_identity()) {
        audit::record(
            conn,
            &NewAuditEntry {
                actor_id: Some(actor.user_id),
                event_type: "identity_disclosed",
                object_type: Some("case"),
                object_id: Some(view.id),
                ip: ip.as_deref(),
                details: json!({ "case_code": view.code }),
            },
            now,
        )?;
    }
    Ok(())
}

pub(super) fn one_view(
    conn: &mut AnyConnection,
    ctx: &Context,
    actor: &Actor,
    row: CaseRow,
    today: NaiveDate,
    reveal_all: bool,
) -> Result<CaseView, ServiceError> {
    views(conn, ctx, actor, vec![row], today, reveal_all)?
        .pop()
        .ok_or_else(|| ServiceError::Internal("a case view went missing".into()))
}

/// Creates a case inside the caller's transaction (used by `POST /cases` and by visits). The
/// creator sees the people in this one answer, whatever the confidentiality rules.
pub fn create_in(
    conn: &mut AnyConnection,
    ctx: &Context,
    actor: &Actor,
    input: CaseInput,
    visit_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<CaseView, ServiceError> {
    if !access::may_create_case(actor.role) {
        return Err(ServiceError::forbidden("Your role may not create cases."));
    }
    let draft = CaseDraft::parse(input, now)?;
    let mut errors = ValidationErrors::new();
    for (i, person) in draft.people.iter().enumerate() {
        if crate::persistence::citizens::find(conn, person.citizen_id)?.is_none() {
            errors.0.push(case::unknown_citizen(i));
        }
    }
    if let Some(parent_id) = draft.parent_id {
        match store::find(conn, parent_id)? {
            None => errors.add("parent_id", "no such case"),
            Some(parent) if parent.kind != draft.kind.as_str() => {
                errors.add("parent_id", "must be a case of the same kind")
            }
            Some(_) => {}
        }
    }
    errors.into_result()?;

    let channel = if visit_id.is_some() { "visit" } else { "letter" };
    let intake = IntakeOrigin { visit_id, channel, summary: None };
    let id = insert_case(conn, ctx, actor, &draft, &intake, Map::new(), now)?;
    let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
    one_view(conn, ctx, actor, row, crate::time::vietnam_date(now), true)
}

/// How the letter or visit that opened a new case reached the board.
pub(super) struct IntakeOrigin<'a> {
    pub(super) visit_id: Option<i64>,
    pub(super) channel: &'a str,
    pub(super) summary: Option<&'a str>,
}

/// Inserts a checked new case in `received` with its code, clocks, people, intake and `created`
/// event (whose data `created_data` completes); returns its id.
pub(super) fn insert_case(
    conn: &mut AnyConnection,
    ctx: &Context,
    actor: &Actor,
    draft: &CaseDraft,
    intake: &IntakeOrigin<'_>,
    created_data: Map<String, Value>,
    now: DateTime<Utc>,
) -> Result<i64, ServiceError> {
    let received_on = crate::time::vietnam_date(draft.received_at);
    let year = chrono::Datelike::year(&received_on);
    let number = store::next_number(conn, &case::code_scope(draft.kind, year))?;
    let code = case::format_code(draft.kind, year, number);
    let locality_norm = draft.locality.as_deref().map(text::normalise);
    let search_text = text::search_text([code.as_str(), &draft.title, &draft.summary, &draft.respondent]);

    // A second round in `received` runs processing and acceptance (complaint) or review
    // (re-denunciation, Luật Tố cáo Art 37); the deadline module knows which from the round.
    let mut facts = CaseClockFacts::new(draft.kind, draft.round, CaseStatus::Received, received_on);
    facts.flags = ClockFlags {
        complex: draft.flags.complex,
        very_complex: draft.flags.very_complex,
        remote_area: draft.flags.remote_area,
        multi_site: draft.flags.multi_site,
    };
    let due_dates = {
        let calendar = ctx.calendar();
        let deadlines = deadline::case_deadlines(&facts, &ctx.rules, &calendar)
            .map_err(|e| ServiceError::Internal(format!("deadlines of a new case: {e}")))?;
        ClockDueDates::of(&deadlines)
    };

    let id = store::insert(
        conn,
        &NewCaseRow {
            code: &code,
            kind: draft.kind.as_str(),
            round: draft.round,
            parent_id: draft.parent_id,
            field: draft.field.as_str(),
            locality: draft.locality.as_deref(),
            locality_norm: locality_norm.as_deref(),
            title: &draft.title,
            summary: &draft.summary,
            respondent: &draft.respondent,
            search_text: &search_text,
            source: draft.source.as_str(),
            forwarded_by: draft.forwarded_by.as_deref(),
            received_at: draft.received_at.naive_utc(),
            received_on,
            status: CaseStatus::Received.as_str(),
            created_by: actor.user_id,
            group_size: draft.group_size,
            complex: draft.flags.complex,
            very_complex: draft.flags.very_complex,
            remote_area: draft.flags.remote_area,
            multi_site: draft.flags.multi_site,
            central_list: draft.flags.central_list,
            due_on: due_dates.earliest(),
            processing_due_on: due_dates.processing,
            acceptance_due_on: due_dates.acceptance,
            review_due_on: due_dates.review,
            resolution_due_on: due_dates.resolution,
            reply_due_on: due_dates.reply,
            created_at: now.naive_utc(),
            updated_at: now.naive_utc(),
        },
    )?;
    for (position, person) in draft.people.iter().enumerate() {
        store::add_person(conn, id, person.citizen_id, person.role.as_str(), position as i32)?;
    }
    store::insert_intake(
        conn,
        id,
        intake.visit_id,
        intake.channel,
        draft.received_at,
        intake.summary,
        actor.user_id,
        now,
    )?;
    let mut data = Map::new();
    data.insert("code".into(), json!(code));
    data.insert("kind".into(), json!(draft.kind));
    data.insert("round".into(), json!(draft.round));
    data.insert("source".into(), json!(draft.source));
    data.insert("received_at".into(), json!(draft.received_at));
    data.insert("visit_id".into(), json!(intake.visit_id));
    data.extend(created_data);
    let created = store::append_event(
        conn,
        &NewEvent {
            case_id: id,
            actor_id: Some(actor.user_id),
            event_type: event::CREATED,
            from_status: None,
            to_status: Some(CaseStatus::Received.as_str()),
            data: Value::Object(data),
        },
        now,
    )?;
    // The receipt goes out with the case it acknowledges (REL-07), to whoever gave an e-mail
    // address; on a denunciation only to the denouncers themselves (Luật Tố cáo Art 47).
    let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
    let details = vec![("Ngày tiếp nhận".to_owned(), crate::notifications::templates::vietnamese_date(received_on))];
    super::notifications::tell_citizens(
        conn,
        &row,
        Notification::CitizenReceipt,
        details,
        &created.id.to_string(),
        now,
    )?;
    Ok(id)
}

/// Reads one case; a view that shows a denouncer is audited.
pub fn get(ctx: &Context, actor: &Actor, id: i64, now: DateTime<Utc>) -> Result<CaseView, ServiceError> {
    let today = crate::time::vietnam_date(now);
    let view = ctx.db.snapshot(|conn| {
        let row = load_visible(conn, actor, id)?;
        one_view(conn, ctx, actor, row, today, false)
    })?;
    record_disclosures(ctx, actor, std::slice::from_ref(&view), now)?;
    Ok(view)
}

/// Audits the disclosures of views read outside a write transaction. Reads stay off SQLite's
/// single writer unless they actually showed a denouncer.
fn record_disclosures(
    ctx: &Context,
    actor: &Actor,
    views: &[CaseView],
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    if views.iter().any(CaseView::discloses_identity) {
        ctx.db.write(|conn| audit_disclosures(conn, actor, views, now))?;
    }
    Ok(())
}

/// The list query as the HTTP layer hands it over.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub statuses: Vec<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub field: Option<Field>,
    pub locality: Option<String>,
    pub assignee: Option<AssigneeQuery>,
    pub overdue: bool,
    pub due_before: Option<NaiveDate>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub flags: Vec<case_list::FlagFilter>,
    pub q: Option<String>,
    pub sort: Option<Sort>,
}

/// `assignee_id=` as given: a user, `me`, or `none` (the unassigned queue).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeQuery {
    User(i64),
    Me,
    Nobody,
}

/// A page of the list.
#[derive(Debug, Clone)]
pub struct CasePage {
    pub items: Vec<CaseView>,
    pub next: Option<Position>,
}

pub fn list(
    ctx: &Context,
    actor: &Actor,
    query: &ListQuery,
    after: Option<&Position>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<CasePage, ServiceError> {
    let today = crate::time::vietnam_date(now);
    let sort = query.sort.unwrap_or(Sort::ReceivedDesc);
    if let Some(position) = after {
        let fits = matches!(
            (position, sort),
            (Position::Received { .. }, Sort::ReceivedAsc | Sort::ReceivedDesc)
                | (Position::Due { .. }, Sort::DueAsc | Sort::DueDesc)
        );
        if !fits {
            return Err(ServiceError::field("cursor", "belongs to a list in another order"));
        }
    }
    let window = ctx.rules.in_force_on(today).due_soon_working_days;
    let due_soon_until = deadline::due_soon_until(today, &ctx.calendar(), window);
    let filter = CaseFilter {
        visibility: access::visibility(actor.role, actor.user_id),
        statuses: query.statuses.iter().map(|s| s.as_str().to_owned()).collect(),
        open_statuses: CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str().to_owned()).collect(),
        kind: query.kind.map(|k| k.as_str().to_owned()),
        field: query.field.map(|f| f.as_str().to_owned()),
        locality_pattern: query.locality.as_deref().map(text::contains_pattern),
        assignee: query.assignee.map(|a| match a {
            AssigneeQuery::User(id) => case_list::AssigneeFilter::User(id),
            AssigneeQuery::Me => case_list::AssigneeFilter::User(actor.user_id),
            AssigneeQuery::Nobody => case_list::AssigneeFilter::Nobody,
        }),
        overdue: query.overdue,
        due_before: query.due_before,
        received_from: query.received_from,
        received_to: query.received_to,
        flags: query.flags.clone(),
        search_pattern: query.q.as_deref().map(text::contains_pattern),
        today,
        due_soon_until,
        prolonged_received_before: today - chrono::Duration::days(case::PROLONGED_AFTER_DAYS),
    };
    let page = ctx.db.snapshot(|conn| {
        let mut rows = case_list::page(conn, &filter, sort, after, limit + 1)?;
        let has_more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if has_more { rows.last().map(|r| Position::of(r, sort)) } else { None };
        let items = views(conn, ctx, actor, rows, today, false)?;
        Ok::<_, ServiceError>(CasePage { items, next })
    })?;
    record_disclosures(ctx, actor, &page.items, now)?;
    Ok(page)
}

/// 412 unless the case is at `expected` (the compare-and-set itself happens in the update).
pub(super) fn stale(current: i32) -> ServiceError {
    let mut extra = Map::new();
    extra.insert("current_version".into(), json!(current));
    ServiceError::Conflict {
        code: "precondition_failed",
        detail: "The case has changed since you read it.".into(),
        extra,
    }
}

/// Whether an error is the 412 of a stale version.
pub fn is_stale(err: &ServiceError) -> bool {
    matches!(err, ServiceError::Conflict { code: "precondition_failed", .. })
}

/// Changes descriptive fields, if the case is still at `expected_version`.
pub fn patch(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    patch: CasePatch,
    now: DateTime<Utc>,
) -> Result<CaseView, ServiceError> {
    ctx.db.write(|conn| {
        let row = load_visible(conn, actor, id)?;
        require(actor, &row, Operation::EditDescription)?;
        if row.version != expected_version {
            return Err(stale(row.version));
        }
        let kind: CaseKind = parse("kind", &row.kind)?;
        let patch = patch.clone().check(kind)?;
        let title = patch.title.clone().unwrap_or_else(|| row.title.clone());
        let summary = patch.summary.clone().unwrap_or_else(|| row.summary.clone());
        let respondent = patch.respondent.clone().unwrap_or_else(|| row.respondent.clone());
        let search_text = text::search_text([row.code.as_str(), &title, &summary, &respondent]);
        let locality_norm = patch.locality.as_ref().map(|l| l.as_deref().map(text::normalise));
        let changes = DescriptionChanges {
            title: patch.title.as_deref(),
            summary: patch.summary.as_deref(),
            field: patch.field.map(Field::as_str),
            locality: patch.locality.as_ref().map(|l| l.as_deref()),
            locality_norm: locality_norm.as_ref().map(|l| l.as_deref()),
            respondent: patch.respondent.as_deref(),
            search_text: Some(&search_text),
            complex: patch.flags.complex,
            very_complex: patch.flags.very_complex,
            remote_area: patch.flags.remote_area,
            multi_site: patch.flags.multi_site,
            central_list: patch.flags.central_list,
        };
        if !store::update_description(conn, id, expected_version, &changes, now)? {
            let current = store::find(conn, id)?.map(|r| r.version).unwrap_or(expected_version);
            return Err(stale(current));
        }
        let mut after = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
        let diff = description_diff(&row, &after);
        if !diff.is_empty() {
            store::append_event(
                conn,
                &NewEvent {
                    case_id: id,
                    actor_id: Some(actor.user_id),
                    event_type: event::EDITED,
                    from_status: None,
                    to_status: None,
                    data: json!({ "changes": diff }),
                },
                now,
            )?;
        }
        // A flag that moves a clock (complex, remote area, multi-site) moves the kept due dates.
        keep_clock_due_dates(conn, ctx, &mut after)?;
        let view = one_view(conn, ctx, actor, after, crate::time::vietnam_date(now), false)?;
        audit_disclosures(conn, actor, std::slice::from_ref(&view), now)?;
        Ok(view)
    })
}

fn description_diff(before: &CaseRow, after: &CaseRow) -> Map<String, Value> {
    let mut diff = Map::new();
    let mut compare = |name: &str, old: Value, new: Value| {
        if old != new {
            diff.insert(name.to_owned(), json!({ "old": old, "new": new }));
        }
    };
    compare("title", json!(before.title), json!(after.title));
    compare("summary", json!(before.summary), json!(after.summary));
    compare("field", json!(before.field), json!(after.field));
    compare("locality", json!(before.locality), json!(after.locality));
    compare("respondent", json!(before.respondent), json!(after.respondent));
    compare("flags.complex", json!(before.complex), json!(after.complex));
    compare("flags.very_complex", json!(before.very_complex), json!(after.very_complex));
    compare("flags.remote_area", json!(before.remote_area), json!(after.remote_area));
    compare("flags.multi_site", json!(before.multi_site), json!(after.multi_site));
    compare("flags.central_list", json!(before.central_list), json!(after.central_list));
    diff
}

/// A head sets (or clears) the handler, if the case is still at `expected_version`.
pub fn assign(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    expected_version: i32,
    assignee_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<CaseView, ServiceError> {
    ctx.db.write(|conn| {
        let row = load_visible(conn, actor, id)?;
        require(actor, &row, Operation::Assign)?;
        if row.version != expected_version {
            return Err(stale(row.version));
        }
        let assignee = match assignee_id {
            Some(user_id) => {
                let user = users::find(conn, user_id)?
                    .filter(|u| u.active && matches!(u.role, Role::Handler | Role::Head))
                    .ok_or_else(|| ServiceError::field("assignee_id", "must be an active handler or head"))?;
                Some(user)
            }
            None => None,
        };
        if !store::assign(conn, id, expected_version, assignee_id, now)? {
            let current = store::find(conn, id)?.map(|r| r.version).unwrap_or(expected_version);
            return Err(stale(current));
        }
        let previous_id = row.assignee_id;
        let previous = match row.assignee_id {
            Some(previous) => users::find(conn, previous)?.map(|u| json!({ "id": u.id, "full_name": u.full_name })),
            None => None,
        };
        let assigned = store::append_event(
            conn,
            &NewEvent {
                case_id: id,
                actor_id: Some(actor.user_id),
                event_type: event::ASSIGNED,
                from_status: None,
                to_status: None,
                data: json!({
                    "from": previous,
                    "to": assignee.as_ref().map(|a| json!({ "id": a.id, "full_name": a.full_name })),
                }),
            },
            now,
        )?;
        let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
        // The new handler is told in the same transaction (REL-07). The assignment event is the
        // trigger: a reassignment mails again, a replayed request cannot queue a second copy.
        if let Some(handler) = assignee.as_ref().filter(|a| assignee_changed(previous_id, a.id))
            && let Some(email) = handler.email.as_deref().filter(|e| !e.trim().is_empty())
        {
            let notification = Notification::CaseAssigned {
                case_id: row.id,
                code: row.code.clone(),
                title: row.title.clone(),
                status: row.status.parse().map_err(|e| ServiceError::Internal(format!("case status: {e}")))?,
                due_on: row.due_on,
                handler: handler.full_name.clone(),
            };
            let recipient = Recipient::user(handler.id, &handler.full_name, email);
            notifications::queue(conn, &recipient, &notification, &assigned.id.to_string(), now)?;
        }
        let view = one_view(conn, ctx, actor, row, crate::time::vietnam_date(now), false)?;
        audit_disclosures(conn, actor, std::slice::from_ref(&view), now)?;
        Ok(view)
    })
}

/// Whether an assignment gives the case to someone new (re-assigning the same handler tells
/// nobody anything).
fn assignee_changed(previous: Option<i64>, new: i64) -> bool {
    previous != Some(new)
}

/// Adds a note to the timeline.
pub fn add_note(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<EventView, ServiceError> {
    ctx.db.write(|conn| {
        let row = load_visible(conn, actor, id)?;
        require(actor, &row, Operation::AddNote)?;
        let text = required_text("text", text, NOTE_MAX)?;
        let event = store::append_event(
            conn,
            &NewEvent {
                case_id: id,
                actor_id: Some(actor.user_id),
                event_type: event::NOTE,
                from_status: None,
                to_status: None,
                data: json!({ "text": text }),
            },
            now,
        )?;
        let codes = HashMap::from([(row.id, row.code.clone())]);
        event_views(conn, vec![event], &codes).map(|mut v| v.remove(0))
    })
}

/// A letter or visit that reached an existing case, as submitted.
#[derive(Debug, Clone)]
pub struct IntakeInput {
    pub received_at: DateTime<Utc>,
    pub channel: CaseSource,
    pub summary: Option<String>,
}

/// A letter or visit to record on an existing case.
#[derive(Debug, Clone, Copy)]
pub struct NewIntake<'a> {
    pub received_at: DateTime<Utc>,
    /// `visit`, or how a letter came (`post`, `forwarded`, `online`, `walk_in`).
    pub channel: &'a str,
    pub summary: Option<&'a str>,
    pub visit_id: Option<i64>,
}

/// Adds an intake to a case inside the caller's transaction: the case becomes a repeat, and a
/// letter after a decision makes it prolonged.
pub fn add_intake_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    row: &CaseRow,
    intake: &NewIntake<'_>,
    now: DateTime<Utc>,
) -> Result<i64, ServiceError> {
    let NewIntake { received_at, channel, summary, visit_id } = *intake;
    let status: CaseStatus = parse("status", &row.status)?;
    let after_decision = row.decided_on.is_some() || matches!(status, CaseStatus::Decided | CaseStatus::Closed);
    let intake_id = store::insert_intake(conn, row.id, visit_id, channel, received_at, summary, actor.user_id, now)?;
    store::count_intake(conn, row.id, after_decision, now)?;
    store::append_event(
        conn,
        &NewEvent {
            case_id: row.id,
            actor_id: Some(actor.user_id),
            event_type: event::INTAKE,
            from_status: None,
            to_status: None,
            data: json!({
                "intake_id": intake_id,
                "channel": channel,
                "received_at": received_at,
                "visit_id": visit_id,
                "summary": summary,
            }),
        },
        now,
    )?;
    Ok(intake_id)
}

/// `POST /cases/{id}/intakes`: a new letter about the same matter.
pub fn add_intake(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    input: &IntakeInput,
    now: DateTime<Utc>,
) -> Result<CaseView, ServiceError> {
    ctx.db.write(|conn| {
        let row = load_visible(conn, actor, id)?;
        require(actor, &row, Operation::AddNote)?;
        let mut errors = ValidationErrors::new();
        let summary = match input.summary.as_deref() {
            Some(s) => {
                errors.check(crate::domain::validation::optional_text("summary", s, case::SUMMARY_MAX)).flatten()
            }
            None => None,
        };
        case::check_received_at(&mut errors, input.received_at, now);
        errors.into_result()?;
        let intake = NewIntake {
            received_at: input.received_at,
            channel: input.channel.as_str(),
            summary: summary.as_deref(),
            visit_id: None,
        };
        add_intake_in(conn, actor, &row, &intake, now)?;
        let row = store::find(conn, id)?.ok_or(ServiceError::NotFound("case"))?;
        let view = one_view(conn, ctx, actor, row, crate::time::vietnam_date(now), false)?;
        audit_disclosures(conn, actor, std::slice::from_ref(&view), now)?;
        Ok(view)
    })
}

/// An intake as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct IntakeView {
    pub id: i64,
    pub visit_id: Option<i64>,
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub summary: Option<String>,
}

pub fn intakes(ctx: &Context, actor: &Actor, id: i64) -> Result<Vec<IntakeView>, ServiceError> {
    ctx.db.read(|conn| {
        load_visible(conn, actor, id)?;
        Ok(store::intakes_of(conn, id)?
            .into_iter()
            .map(|i| IntakeView {
                id: i.id,
                visit_id: i.visit_id,
                channel: i.channel,
                received_at: i.received_at.and_utc(),
                summary: i.summary,
            })
            .collect())
    })
}

pub(super) fn event_views(
    conn: &mut AnyConnection,
    events: Vec<EventRow>,
    codes: &HashMap<i64, String>,
) -> Result<Vec<EventView>, ServiceError> {
    let mut actor_ids: Vec<i64> = events.iter().filter_map(|e| e.actor_id).collect();
    actor_ids.sort_unstable();
    actor_ids.dedup();
    let names: HashMap<i64, String> = store::user_names(conn, &actor_ids)?.into_iter().collect();
    Ok(events
        .into_iter()
        .map(|e| EventView {
            id: e.id,
            case_id: e.case_id,
            case_code: codes.get(&e.case_id).cloned().unwrap_or_default(),
            at: e.at.and_utc(),
            actor: e.actor_id.map(|id| UserRef { id, full_name: names.get(&id).cloned().unwrap_or_default() }),
            event_type: e.event_type,
            from_status: e.from_status,
            to_status: e.to_status,
            data: serde_json::from_str(&e.data).unwrap_or(Value::Null),
        })
        .collect())
}

/// The case's events, oldest first; with `include_related`, those of its linked cases that the
/// caller may see too.
pub fn timeline(ctx: &Context, actor: &Actor, id: i64, include_related: bool) -> Result<Vec<EventView>, ServiceError> {
    ctx.db.snapshot(|conn| {
        let row = load_visible(conn, actor, id)?;
        let mut codes = HashMap::from([(row.id, row.code.clone())]);
        if include_related {
            let linked = store::linked_ids(conn, &row)?;
            for other in store::find_many(conn, &linked)? {
                if require(actor, &other, Operation::View).is_ok() {
                    codes.insert(other.id, other.code.clone());
                }
            }
        }
        let ids: Vec<i64> = codes.keys().copied().collect();
        let events = store::events_of(conn, &ids)?;
        event_views(conn, events, &codes)
    })
}

/// The cases a citizen takes part in that the caller may see. A denunciation in which the
/// citizen is a denouncer is left out for callers who may not know who denounced (DOMAIN.md §9).
/// Newest receipt first, a page of `limit` after `after`.
pub fn cases_of_citizen(
    ctx: &Context,
    actor: &Actor,
    citizen_id: i64,
    after: Option<&Position>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<CasePage, ServiceError> {
    let after = match after {
        None => None,
        Some(Position::Received { at, id }) => Some((*at, *id)),
        Some(Position::Due { .. }) => return Err(ServiceError::field("cursor", "belongs to a list in another order")),
    };
    let today = crate::time::vietnam_date(now);
    let page = ctx.db.snapshot(|conn| {
        if crate::persistence::citizens::find(conn, citizen_id)?.is_none() {
            return Err(ServiceError::NotFound("citizen"));
        }
        let memberships = store::cases_of_citizen(conn, citizen_id)?;
        let mut ids: Vec<i64> = memberships.iter().map(|(id, _)| *id).collect();
        ids.dedup();
        let mut rows = store::find_many(conn, &ids)?;
        rows.sort_by(|a, b| b.received_at.cmp(&a.received_at).then(b.id.cmp(&a.id)));
        rows.retain(|row| {
            if require(actor, row, Operation::View).is_err() {
                return false;
            }
            let secret = memberships.iter().any(|(id, role)| {
                *id == row.id && row.kind == CaseKind::Denunciation.as_str() && role == PersonRole::Denouncer.as_str()
            });
            !secret || access::may_see_denouncer_identity(actor.role, relation(actor, row))
        });
        // A citizen takes part in a handful of cases: they are read whole, and only the page's
        // are turned into views.
        if let Some(after) = after {
            rows.retain(|row| (row.received_at, row.id) < after);
        }
        let has_more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if has_more { rows.last().map(|r| Position::of(r, Sort::ReceivedDesc)) } else { None };
        Ok::<_, ServiceError>(CasePage { items: views(conn, ctx, actor, rows, today, false)?, next })
    })?;
    record_disclosures(ctx, actor, &page.items, now)?;
    Ok(page)
}

/// Looks up a case the caller may see, for other use cases (visits linking to it).
pub fn visible_case(conn: &mut AnyConnection, actor: &Actor, id: i64) -> Result<CaseRow, ServiceError> {
    load_visible(conn, actor, id)
}

/// A field error for a case id the caller may not use.
pub fn unknown_case(field: String) -> FieldError {
    FieldError::new(field, "no such case")
}

/// The running clocks of a case with the derivation of each due date.
pub fn explain_deadlines(
    ctx: &Context,
    actor: &Actor,
    id: i64,
) -> Result<(CaseRow, Vec<(Deadline, DetailedExplanation)>), ServiceError> {
    ctx.db.snapshot(|conn| {
        let row = load_visible(conn, actor, id)?;
        // One calendar for the due dates and the days they skipped, even while a year is replaced.
        let calendar = ctx.calendar();
        let deadlines = deadlines_with(conn, ctx, &row, &calendar)?;
        let explained = deadlines
            .into_iter()
            .map(|deadline| {
                let detailed = deadline.explanation.detailed(&calendar);
                (deadline, detailed)
            })
            .collect();
        Ok((row, explained))
    })
}
