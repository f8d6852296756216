//! Cases: create, read, list, edit, assign, notes, intakes and the timeline.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, IdempotentJson, JsonBody, QueryParams, if_match, with_etag};
use super::idempotency;
use super::json_time;
use super::pagination;
use super::{AppState, blocking, json_with_capacity};
use crate::domain::calendar::NonWorkingDay;
use crate::domain::case::{CaseInput, CasePatch, FlagChanges, PersonInput};
use crate::domain::deadline::{Deadline, DetailedExplanation, ExtensionsApplied, PausedSpan, StartEvent};
use crate::domain::rounds::PartInput;
use crate::domain::vocab::{Action, CaseKind, CaseSource, CaseStatus, ClockKind, DayUnit, Field, PersonRole};
use crate::persistence::case_list::{FlagFilter, Position, Sort};
use crate::service::cases::{
    self, AssigneeQuery, CaseView, EventView, IntakeInput, IntakeView, ListQuery, PersonView, UserRef,
};
use crate::service::rounds::{self, FollowUpInput};

// ---- responses ----

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserRefResponse {
    pub id: i64,
    pub full_name: String,
}

impl From<UserRef> for UserRefResponse {
    fn from(user: UserRef) -> Self {
        UserRefResponse { id: user.id, full_name: user.full_name }
    }
}

/// A person on a case; a denouncer the caller may not know appears as `{"role","redacted","alias"}`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum PersonResponse {
    Identified {
        citizen_id: i64,
        role: PersonRole,
        full_name: String,
        id_number: Option<String>,
        phone: Option<String>,
        email: Option<String>,
        address: String,
    },
    Redacted {
        role: PersonRole,
        /// Always true.
        redacted: bool,
        /// e.g. "Người tố cáo 1".
        alias: String,
    },
}

impl From<PersonView> for PersonResponse {
    fn from(person: PersonView) -> Self {
        match person {
            PersonView::Identified { citizen_id, role, full_name, id_number, phone, email, address } => {
                PersonResponse::Identified { citizen_id, role, full_name, id_number, phone, email, address }
            }
            PersonView::Redacted { role, alias } => PersonResponse::Redacted { role, redacted: true, alias },
        }
    }
}

/// Every flag of the case, set and computed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FlagsResponse {
    pub complex: bool,
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
    pub central_list: bool,
    /// Group of 5 or more people.
    pub mass: bool,
    /// Two or more letters or visits.
    pub repeat: bool,
    /// Open over a year, a new intake after a decision, or an open second round.
    pub prolonged: bool,
    pub filed_late: bool,
    pub overdue: bool,
    pub due_soon: bool,
}

/// One running clock.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlineResponse {
    pub clock: ClockKind,
    /// Null while the clock is paused (suspension).
    #[serde(serialize_with = "json_time::maybe_day")]
    pub due_on: Option<NaiveDate>,
    pub unit: DayUnit,
    pub term: u32,
    /// The rule set (`2019`, `2026-07`) and rule that set the term.
    pub rule_set: String,
    pub rule: String,
    /// The legal source of the term.
    pub source: String,
    #[serde(serialize_with = "json_time::day")]
    pub start_on: NaiveDate,
    pub overdue: bool,
    pub paused: bool,
}

fn deadline_response(deadline: Deadline, today: NaiveDate) -> DeadlineResponse {
    DeadlineResponse {
        clock: deadline.clock,
        overdue: deadline.is_overdue(today),
        due_on: deadline.due_on,
        unit: deadline.unit,
        term: deadline.term,
        rule_set: deadline.rule_set,
        rule: deadline.rule_id,
        source: deadline.legal_source,
        start_on: deadline.start_on,
        paused: deadline.paused,
    }
}

/// A case as the caller may see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CaseResponse {
    pub id: i64,
    /// `KN-2026-000123` (complaint), `TC-…` (denunciation), `KNPA-…` (petition, feedback).
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
    #[serde(serialize_with = "json_time::instant")]
    pub received_at: DateTime<Utc>,
    pub status: CaseStatus,
    pub assignee: Option<UserRefResponse>,
    pub created_by: UserRefResponse,
    pub people: Vec<PersonResponse>,
    pub respondent: String,
    pub group_size: i32,
    /// Letters and visits that reached the case.
    pub intakes: i32,
    pub flags: FlagsResponse,
    pub deadlines: Vec<DeadlineResponse>,
    /// The earliest due date of the running clocks.
    #[serde(serialize_with = "json_time::maybe_day")]
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    pub due_soon: bool,
    pub outcome: Option<String>,
    /// Send it back in `If-Match` to change the case.
    pub version: i32,
    /// What the caller may do now (`POST /cases/{id}/transitions`).
    pub allowed_actions: Vec<Action>,
    #[serde(serialize_with = "json_time::instant")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "json_time::instant")]
    pub updated_at: DateTime<Utc>,
}

pub fn case_response(view: CaseView, today: NaiveDate) -> CaseResponse {
    CaseResponse {
        id: view.id,
        code: view.code,
        kind: view.kind,
        round: view.round,
        parent_id: view.parent_id,
        field: view.field,
        locality: view.locality,
        title: view.title,
        summary: view.summary,
        source: view.source,
        forwarded_by: view.forwarded_by,
        received_at: view.received_at,
        status: view.status,
        assignee: view.assignee.map(Into::into),
        created_by: view.created_by.into(),
        people: view.people.into_iter().map(Into::into).collect(),
        respondent: view.respondent,
        group_size: view.group_size,
        intakes: view.intake_count,
        flags: FlagsResponse {
            complex: view.flags.set.complex,
            very_complex: view.flags.set.very_complex,
            remote_area: view.flags.set.remote_area,
            multi_site: view.flags.set.multi_site,
            central_list: view.flags.set.central_list,
            mass: view.flags.mass,
            repeat: view.flags.repeat,
            prolonged: view.flags.prolonged,
            filed_late: view.flags.filed_late,
            overdue: view.flags.overdue,
            due_soon: view.flags.due_soon,
        },
        deadlines: view.deadlines.into_iter().map(|d| deadline_response(d, today)).collect(),
        due_on: view.due_on,
        overdue: view.flags.overdue,
        due_soon: view.flags.due_soon,
        outcome: view.outcome,
        version: view.version,
        allowed_actions: view.allowed_actions,
        created_at: view.created_at,
        updated_at: view.updated_at,
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CasePage {
    pub items: Vec<CaseResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventResponse {
    pub id: i64,
    pub case_id: i64,
    pub case_code: String,
    pub at: DateTime<Utc>,
    pub actor: Option<UserRefResponse>,
    /// `created`, `edited`, `assigned`, `note`, `intake`, or a workflow action.
    #[serde(rename = "type")]
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

impl From<EventView> for EventResponse {
    fn from(e: EventView) -> Self {
        EventResponse {
            id: e.id,
            case_id: e.case_id,
            case_code: e.case_code,
            at: e.at,
            actor: e.actor.map(Into::into),
            event_type: e.event_type,
            from_status: e.from_status,
            to_status: e.to_status,
            data: e.data,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Timeline {
    pub items: Vec<EventResponse>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IntakeResponse {
    pub id: i64,
    pub visit_id: Option<i64>,
    /// `visit`, or the channel of a letter (`post`, `forwarded`, `online`, `walk_in`).
    pub channel: String,
    pub received_at: DateTime<Utc>,
    pub summary: Option<String>,
}

impl From<IntakeView> for IntakeResponse {
    fn from(i: IntakeView) -> Self {
        IntakeResponse {
            id: i.id,
            visit_id: i.visit_id,
            channel: i.channel,
            received_at: i.received_at,
            summary: i.summary,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IntakeList {
    pub items: Vec<IntakeResponse>,
}

// ---- requests ----

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PersonRequest {
    pub citizen_id: i64,
    pub role: PersonRole,
}

/// Settable flags; absent ones stay as they are (false on a new case).
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagsRequest {
    pub remote_area: Option<bool>,
    pub multi_site: Option<bool>,
    pub complex: Option<bool>,
    /// Denunciations only.
    pub very_complex: Option<bool>,
    pub central_list: Option<bool>,
}

impl From<FlagsRequest> for FlagChanges {
    fn from(f: FlagsRequest) -> Self {
        FlagChanges {
            complex: f.complex,
            very_complex: f.very_complex,
            remote_area: f.remote_area,
            multi_site: f.multi_site,
            central_list: f.central_list,
        }
    }
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCaseRequest {
    pub kind: CaseKind,
    /// 1 (default) or 2; a second round needs `parent_id`.
    pub round: Option<i32>,
    pub parent_id: Option<i64>,
    pub field: Field,
    /// Commune or ward where the matter arises.
    pub locality: Option<String>,
    pub title: String,
    pub summary: String,
    pub source: CaseSource,
    /// Required when `source` is `forwarded`.
    pub forwarded_by: Option<String>,
    /// At most 10 minutes in the future and not before 2000-01-01.
    pub received_at: DateTime<Utc>,
    /// 1 to 100 people, none twice in the same role. A complaint needs a `complainant`, a
    /// denunciation a `denouncer`.
    #[schema(min_items = 1, max_items = 100)]
    pub people: Vec<PersonRequest>,
    /// The person or body complained about or denounced.
    pub respondent: String,
    pub group_size: Option<i32>,
    pub flags: Option<FlagsRequest>,
}

impl From<CreateCaseRequest> for CaseInput {
    fn from(r: CreateCaseRequest) -> Self {
        CaseInput {
            kind: r.kind,
            round: r.round,
            parent_id: r.parent_id,
            field: r.field,
            locality: r.locality,
            title: r.title,
            summary: r.summary,
            source: r.source,
            forwarded_by: r.forwarded_by,
            received_at: r.received_at,
            people: r.people.into_iter().map(|p| PersonInput { citizen_id: p.citizen_id, role: p.role }).collect(),
            respondent: r.respondent,
            group_size: r.group_size,
            flags: r.flags.unwrap_or_default().into(),
        }
    }
}

/// Descriptive fields; absent ones stay as they are, `"locality": null` clears it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchCaseRequest {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub field: Option<Field>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub locality: Option<Option<String>>,
    pub respondent: Option<String>,
    pub flags: Option<FlagsRequest>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignmentRequest {
    /// An active handler or head; null returns the case to the unassigned queue.
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteRequest {
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IntakeRequest {
    /// At most 10 minutes in the future and not before 2000-01-01.
    pub received_at: DateTime<Utc>,
    /// How the letter came: `post`, `forwarded`, `online` or `walk_in`.
    pub channel: CaseSource,
    pub summary: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListCasesQuery {
    /// Repeatable.
    #[serde(default)]
    pub status: Vec<CaseStatus>,
    pub kind: Option<CaseKind>,
    pub field: Option<Field>,
    /// Diacritics- and case-insensitive, matched anywhere in the locality.
    pub locality: Option<String>,
    /// A user id, `me`, or `none` (the unassigned queue).
    pub assignee_id: Option<String>,
    pub overdue: Option<bool>,
    /// Due on or before this date.
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub due_before: Option<NaiveDate>,
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub received_from: Option<NaiveDate>,
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub received_to: Option<NaiveDate>,
    /// Repeatable: `prolonged`, `repeat`, `mass`, `complex`, `very_complex`, `remote_area`,
    /// `multi_site`, `central_list`, `filed_late`, `overdue`, `due_soon`.
    #[serde(default)]
    pub flag: Vec<String>,
    /// Diacritics- and case-insensitive, over code, title, summary and respondent.
    pub q: Option<String>,
    /// `received_at`, `-received_at` (default), `due_on`, `-due_on`.
    pub sort: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// Also the events of linked rounds, split parts and duplicates.
    pub include_related: Option<bool>,
}

// ---- helpers ----

fn today() -> NaiveDate {
    crate::time::vietnam_today()
}

fn flag_filter(name: &str) -> Option<FlagFilter> {
    Some(match name {
        "complex" => FlagFilter::Complex,
        "very_complex" => FlagFilter::VeryComplex,
        "remote_area" => FlagFilter::RemoteArea,
        "multi_site" => FlagFilter::MultiSite,
        "central_list" => FlagFilter::CentralList,
        "filed_late" => FlagFilter::FiledLate,
        "mass" => FlagFilter::Mass,
        "repeat" => FlagFilter::Repeat,
        "prolonged" => FlagFilter::Prolonged,
        "overdue" => FlagFilter::Overdue,
        "due_soon" => FlagFilter::DueSoon,
        _ => return None,
    })
}

fn list_query(q: ListCasesQuery) -> Result<(ListQuery, Option<u32>, Option<String>), ApiError> {
    let mut errors = crate::domain::validation::ValidationErrors::new();
    let assignee = match q.assignee_id.as_deref() {
        None => None,
        Some("me") => Some(AssigneeQuery::Me),
        Some("none") => Some(AssigneeQuery::Nobody),
        Some(text) => match text.parse() {
            Ok(id) => Some(AssigneeQuery::User(id)),
            Err(_) => {
                errors.add("assignee_id", "must be a user id, `me` or `none`");
                None
            }
        },
    };
    let mut flags = Vec::new();
    for name in &q.flag {
        match flag_filter(name) {
            Some(flag) => flags.push(flag),
            None => errors.add("flag", format!("unknown flag `{name}`")),
        }
    }
    let sort = match q.sort.as_deref() {
        None => None,
        Some("received_at") => Some(Sort::ReceivedAsc),
        Some("-received_at") => Some(Sort::ReceivedDesc),
        Some("due_on") => Some(Sort::DueAsc),
        Some("-due_on") => Some(Sort::DueDesc),
        Some(_) => {
            errors.add("sort", "must be `received_at`, `-received_at`, `due_on` or `-due_on`");
            None
        }
    };
    if let (Some(from), Some(to)) = (q.received_from, q.received_to)
        && from > to
    {
        errors.add("received_to", "must not be before `received_from`");
    }
    if q.q.as_deref().is_some_and(|s| s.chars().count() > 200) {
        errors.add("q", "must be at most 200 characters");
    }
    errors.into_result().map_err(ApiError::validation)?;
    let query = ListQuery {
        statuses: q.status,
        kind: q.kind,
        field: q.field,
        locality: q.locality.filter(|l| !l.trim().is_empty()),
        assignee,
        overdue: q.overdue.unwrap_or(false),
        due_before: q.due_before,
        received_from: q.received_from,
        received_to: q.received_to,
        flags,
        q: q.q.filter(|s| !s.trim().is_empty()),
        sort,
    };
    Ok((query, q.limit, q.cursor))
}

const JSON_PROBLEM: &str = "application/problem+json";

// ---- handlers ----

/// Records a case (`received`). Receptionists, handlers and heads. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), request_body = CreateCaseRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 hours")),
    responses(
        (status = 201, body = CaseResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, description = "`validation_failed`, `idempotency_key_reused`", body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn create_case(
    state: web::Data<AppState>,
    user: CurrentUser,
    IdempotentJson(body, key): IdempotentJson<CreateCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.0;
    let ctx = state.ctx.clone();
    let now = crate::time::now();
    let response = blocking(move || {
        crate::service::idempotency::execute(&ctx, actor.user_id, key.as_ref(), 201, now, |conn| {
            let view = cases::create_in(conn, &ctx, &actor, body.clone().into(), None, now)?;
            Ok(case_response(view, crate::time::vietnam_date(now)))
        })
    })
    .await?;
    let version =
        serde_json::from_str::<serde_json::Value>(&response.body).ok().and_then(|v| v["version"].as_i64()).unwrap_or(1)
            as i32;
    Ok(with_etag(idempotency::created(response, "/api/v1/cases"), version))
}

/// One case, with `ETag: "<version>"`. Reading a denouncer's identity is audited.
#[utoipa::path(
    get, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = CaseResponse, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn get_case(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let view = blocking(move || cases::get(&ctx, &user.0, id, crate::time::now())).await?;
    let version = view.version;
    Ok(with_etag(HttpResponse::Ok().json(case_response(view, today())), version))
}

/// Room for one case in the JSON of a page (about 1.4 KB on average with its people and
/// deadlines): a page's buffer is allocated once instead of doubling its way up, copying as it
/// grows.
const CASE_JSON_BYTES: usize = 2048;

/// The cases the caller may see, filtered and sorted, in keyset pages.
#[utoipa::path(
    get, path = "/api/v1/cases", tag = "cases", security(("bearer" = [])), params(ListCasesQuery),
    responses(
        (status = 200, body = CasePage),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn list_cases(
    state: web::Data<AppState>,
    user: CurrentUser,
    QueryParams(query): QueryParams<ListCasesQuery>,
) -> Result<HttpResponse, ApiError> {
    let (query, limit, cursor) = list_query(query)?;
    let limit = pagination::limit(limit)?;
    let after: Option<Position> = pagination::decode_cursor(cursor.as_deref())?;
    let ctx = state.ctx.clone();
    let page = blocking(move || cases::list(&ctx, &user.0, &query, after.as_ref(), limit, crate::time::now())).await?;
    let today = today();
    let items = page.items.len();
    let page = CasePage {
        items: page.items.into_iter().map(|v| case_response(v, today)).collect(),
        next_cursor: page.next.as_ref().map(pagination::encode_cursor),
    };
    json_with_capacity(&page, items * CASE_JSON_BYTES)
}

/// Changes descriptive fields (`If-Match` required): the creating receptionist while
/// `received`, the assigned handler, a head.
#[utoipa::path(
    patch, path = "/api/v1/cases/{id}", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = PatchCaseRequest,
    responses(
        (status = 200, body = CaseResponse, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 412, description = "`precondition_failed` with `current_version`", body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
        (status = 428, description = "`precondition_required`", body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn patch_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchCaseRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match(&req, "case")?;
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let patch = CasePatch {
        title: body.title,
        summary: body.summary,
        field: body.field,
        locality: body.locality,
        respondent: body.respondent,
        flags: body.flags.unwrap_or_default().into(),
    };
    let view = blocking(move || cases::patch(&ctx, &user.0, id, version, patch, crate::time::now())).await?;
    let version = view.version;
    Ok(with_etag(HttpResponse::Ok().json(case_response(view, today())), version))
}

/// A head sets the handler (`If-Match` required).
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/assignment", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = AssignmentRequest,
    responses(
        (status = 200, body = CaseResponse, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 412, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
        (status = 428, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn assign_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<AssignmentRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match(&req, "case")?;
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let view =
        blocking(move || cases::assign(&ctx, &user.0, id, version, body.assignee_id, crate::time::now())).await?;
    let version = view.version;
    Ok(with_etag(HttpResponse::Ok().json(case_response(view, today())), version))
}

/// Adds a note to the timeline (receptionists, handlers and heads who see the case).
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/notes", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = NoteRequest,
    responses(
        (status = 201, body = EventResponse),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn add_note(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<NoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let event = blocking(move || cases::add_note(&ctx, &user.0, id, &body.text, crate::time::now())).await?;
    Ok(HttpResponse::Created().json(EventResponse::from(event)))
}

/// The case's history, oldest first.
#[utoipa::path(
    get, path = "/api/v1/cases/{id}/timeline", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path), TimelineQuery),
    responses((status = 200, body = Timeline), (status = 404, body = Problem, content_type = JSON_PROBLEM))
)]
pub async fn get_timeline(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    QueryParams(query): QueryParams<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let related = query.include_related.unwrap_or(false);
    let events = blocking(move || cases::timeline(&ctx, &user.0, id, related)).await?;
    Ok(HttpResponse::Ok().json(Timeline { items: events.into_iter().map(Into::into).collect() }))
}

/// The letters and visits that reached the case.
#[utoipa::path(
    get, path = "/api/v1/cases/{id}/intakes", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = IntakeList), (status = 404, body = Problem, content_type = JSON_PROBLEM))
)]
pub async fn list_intakes(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let items = blocking(move || cases::intakes(&ctx, &user.0, id)).await?;
    Ok(HttpResponse::Ok().json(IntakeList { items: items.into_iter().map(Into::into).collect() }))
}

/// Records another letter about the same matter: the case becomes a repeat.
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/intakes", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = IntakeRequest,
    responses(
        (status = 201, body = CaseResponse),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn add_intake(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<IntakeRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let input = IntakeInput { received_at: body.received_at, channel: body.channel, summary: body.summary };
    let view = blocking(move || cases::add_intake(&ctx, &user.0, id, &input, crate::time::now())).await?;
    let version = view.version;
    Ok(with_etag(HttpResponse::Created().json(case_response(view, today())), version))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CitizenCasesQuery {
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The cases a citizen takes part in that the caller may see, newest receipt first.
#[utoipa::path(
    get, path = "/api/v1/citizens/{id}/cases", tag = "citizens", security(("bearer" = [])),
    params(("id" = i64, Path), CitizenCasesQuery),
    responses(
        (status = 200, body = CasePage),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn cases_of_citizen(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    QueryParams(query): QueryParams<CitizenCasesQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after: Option<Position> = pagination::decode_cursor(query.cursor.as_deref())?;
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let page =
        blocking(move || cases::cases_of_citizen(&ctx, &user.0, id, after.as_ref(), limit, crate::time::now())).await?;
    let today = today();
    let page = CasePage {
        items: page.items.into_iter().map(|v| case_response(v, today)).collect(),
        next_cursor: page.next.as_ref().map(pagination::encode_cursor),
    };
    Ok(HttpResponse::Ok().json(page))
}

/// Takes a workflow action (`If-Match` required). The body is `{"action": "...", ...}` with the
/// data the action needs (DOMAIN.md §4). A disallowed action is 409 `invalid_transition` with
/// `allowed_actions`; a guard of the law is 409 with its own code.
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/transitions", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = crate::domain::workflow::Command,
    responses(
        (status = 200, body = CaseResponse, headers(("ETag" = String))),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 409, description = "`invalid_transition` (with `allowed_actions`), `already_guided`, `already_transferred`, `extension_limit_reached`, `dialogue_required`, `suspension_not_allowed`", body = Problem, content_type = JSON_PROBLEM),
        (status = 412, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, description = "`validation_failed`, `invalid_outcome`, `invalid_ground`, `duplicate_of_required`", body = Problem, content_type = JSON_PROBLEM),
        (status = 428, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn transition_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(command): JsonBody<crate::domain::workflow::Command>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match(&req, "case")?;
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let view = blocking(move || {
        crate::service::transitions::transition(&ctx, &user.0, id, version, &command, crate::time::now())
    })
    .await?;
    let version = view.version;
    Ok(with_etag(HttpResponse::Ok().json(case_response(view, today())), version))
}

/// How one running clock's due date was reached.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClockExplanation {
    pub clock: ClockKind,
    /// Null while the clock is paused (suspension).
    #[serde(serialize_with = "json_time::maybe_day")]
    pub due_on: Option<NaiveDate>,
    pub overdue: bool,
    /// The rule set (`2019`, `2026-07`) and the rule that set the term.
    pub rule_set: String,
    pub rule: String,
    /// The legal source of the term.
    pub source: String,
    /// The day the clock starts from, itself not counted.
    #[serde(serialize_with = "json_time::day")]
    pub start: NaiveDate,
    /// What happened on `start`: `receipt`, `acceptance` or `transfer`.
    #[schema(value_type = String)]
    pub start_event: StartEvent,
    pub unit: DayUnit,
    /// The term before extensions.
    pub base_term: u32,
    /// How extensions changed the term, if they did:
    /// `{"effect":"added_days","count","days_each","added"}` or
    /// `{"effect":"switched_to_complex","count","from_rule","from_term"}`.
    #[schema(value_type = Option<Object>)]
    pub extensions: Option<ExtensionsApplied>,
    /// The term after extensions.
    pub term: u32,
    /// Suspensions: `{"effective_on","resumed_on","days","counted"}`; `days` is null while one
    /// lasts, `counted` false for one that began after the term had run out.
    #[schema(value_type = Vec<Object>)]
    pub paused_spans: Vec<PausedSpan>,
    /// Days added for the suspensions, in the term's unit.
    pub paused_days: u32,
    /// The non-working days passed over while counting, or rolled over at the end:
    /// `{"date","reason","name"}` (`reason` `weekend` or `holiday`, `name` the holiday's).
    #[schema(value_type = Vec<Object>)]
    pub skipped: Vec<NonWorkingDay>,
}

impl ClockExplanation {
    fn new(deadline: &Deadline, detailed: DetailedExplanation, today: NaiveDate) -> Self {
        let DetailedExplanation { explanation, skipped } = detailed;
        ClockExplanation {
            clock: deadline.clock,
            due_on: deadline.due_on,
            overdue: deadline.is_overdue(today),
            rule_set: explanation.rule_set,
            rule: explanation.rule_id,
            source: explanation.legal_source,
            start: explanation.start_on,
            start_event: explanation.start_event,
            unit: explanation.unit,
            base_term: explanation.base_term,
            extensions: explanation.extensions,
            term: explanation.term,
            paused_spans: explanation.paused_spans,
            paused_days: explanation.paused_days,
            skipped,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlineExplanation {
    pub case_id: i64,
    pub code: String,
    pub status: String,
    pub received_on: NaiveDate,
    /// The rule set in force on the received date.
    pub rule_set: String,
    pub as_of: NaiveDate,
    pub clocks: Vec<ClockExplanation>,
}

/// The derivation of every running clock: rule, source, start, unit, term, days skipped with
/// holiday names, extensions and paused spans.
#[utoipa::path(
    get, path = "/api/v1/cases/{id}/deadlines/explain", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DeadlineExplanation), (status = 404, body = Problem, content_type = JSON_PROBLEM))
)]
pub async fn explain_deadlines(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let rules = state.ctx.rules.clone();
    let (row, deadlines) = blocking(move || cases::explain_deadlines(&ctx, &user.0, id)).await?;
    let today = today();
    Ok(HttpResponse::Ok().json(DeadlineExplanation {
        case_id: row.id,
        code: row.code,
        status: row.status,
        received_on: row.received_on,
        rule_set: rules.in_force_on(row.received_on).id.clone(),
        as_of: today,
        clocks: deadlines
            .into_iter()
            .map(|(deadline, detailed)| ClockExplanation::new(&deadline, detailed, today))
            .collect(),
    }))
}

/// One content of a split letter.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitPartRequest {
    pub kind: CaseKind,
    /// `corruption` for denunciations only.
    pub field: Field,
    pub title: String,
    pub summary: String,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    /// From 2 to 20 parts, one per content of the letter.
    pub parts: Vec<SplitPartRequest>,
}

/// The cases a letter was split into.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SplitResponse {
    pub cases: Vec<CaseResponse>,
}

/// Splits a letter with several contents into one case per content (`If-Match` required): the
/// assigned handler or a head, while the case is `received`. Each part copies the letter's
/// source, receipt, locality, respondent, group, flags, people (in the roles of its kind) and
/// intake; the letter's case is filed with a `split` event.
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/split", tag = "cases", security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = String, Header)),
    request_body = SplitRequest,
    responses(
        (status = 201, body = SplitResponse),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 409, description = "`split_not_allowed`: the case is no longer `received`", body = Problem, content_type = JSON_PROBLEM),
        (status = 412, description = "`precondition_failed` with `current_version`", body = Problem, content_type = JSON_PROBLEM),
        (status = 422, description = "`validation_failed`: `parts`, `parts[i].kind`, `parts[i].field`, `parts[i].title`, `parts[i].summary`", body = Problem, content_type = JSON_PROBLEM),
        (status = 428, description = "`precondition_required`", body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn split_case(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<SplitRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match(&req, "case")?;
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let parts = body
        .parts
        .into_iter()
        .map(|p| PartInput { kind: p.kind, field: p.field, title: p.title, summary: p.summary })
        .collect();
    let views = blocking(move || rounds::split(&ctx, &user.0, id, version, parts, crate::time::now())).await?;
    let today = today();
    Ok(HttpResponse::Created()
        .json(SplitResponse { cases: views.into_iter().map(|v| case_response(v, today)).collect() }))
}

/// A new letter asking for a second round.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowUpRequest {
    /// At most 10 minutes in the future and not before 2000-01-01.
    pub received_at: DateTime<Utc>,
    pub summary: String,
    pub source: CaseSource,
    /// Required when `source` is `forwarded`.
    pub forwarded_by: Option<String>,
}

/// Opens the second round of a complaint (Luật Khiếu nại Art 33) or a re-denunciation (Luật Tố
/// cáo Art 37): the assigned handler of the first round, a head, or a receptionist recording the
/// letter. Allowed when the first round is `decided` or `closed`, or its resolution deadline
/// passed before the letter arrived. The new case inherits field, locality, respondent and
/// people, not the handler; `flags.filed_late` tells whether it came after the 30-day window
/// (45 in a remote area).
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/follow-ups", tag = "cases", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = FollowUpRequest,
    responses(
        (status = 201, body = CaseResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 409, description = "`follow_up_not_allowed`", body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn create_follow_up(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<FollowUpRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let input = FollowUpInput {
        received_at: body.received_at,
        summary: body.summary,
        source: body.source,
        forwarded_by: body.forwarded_by,
    };
    let view = blocking(move || rounds::follow_up(&ctx, &user.0, id, &input, crate::time::now())).await?;
    let version = view.version;
    let location = format!("/api/v1/cases/{}", view.id);
    let response =
        HttpResponse::Created().insert_header((header::LOCATION, location)).json(case_response(view, today()));
    Ok(with_etag(response, version))
}
