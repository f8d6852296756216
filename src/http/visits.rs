//! The reception register: record a visit, read one, list the register.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::cases::{CaseResponse, FlagsRequest, PersonRequest, UserRefResponse, case_response};
use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, IdempotentJson, QueryParams};
use super::idempotency;
use super::pagination;
use super::{AppState, blocking};
use crate::domain::case::PersonInput;
use crate::domain::visit::{NewCaseInput, VisitInput};
use crate::domain::vocab::{CaseKind, Field, VisitMode, VisitOutcome};
use crate::persistence::visits::VisitPosition;
use crate::service::visits::{self, CreatedVisit, ListQuery, VisitView};

const JSON_PROBLEM: &str = "application/problem+json";

// ---- responses ----

/// One row of the reception register (Form 03 of Thông tư 04/2021/TT-TTCP).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VisitResponse {
    pub id: i64,
    /// The register's year: the Vietnam calendar year of `received_at`.
    pub year: i32,
    /// The number in the year's register: 1, 2, 3… without gaps, restarting each 1 January.
    pub register_no: i32,
    pub received_at: DateTime<Utc>,
    pub mode: VisitMode,
    /// The officer who received the citizen.
    pub officer: UserRefResponse,
    /// The citizen received (for a group, the one recorded for it). Null when
    /// `identity_redacted`.
    pub citizen_id: Option<i64>,
    /// Number of people who came with the same content.
    pub group_size: i32,
    /// A group of five or more (đoàn đông người).
    pub delegation: bool,
    /// The group's representatives, by citizen id. Empty when `identity_redacted`.
    pub representative_ids: Vec<i64>,
    /// True when the visit concerns a denunciation and the caller may not know who denounced
    /// (Luật Tố cáo Art 47): heads and the assigned handler of the denunciation see the people.
    pub identity_redacted: bool,
    pub summary: String,
    /// Bodies that already handled the matter.
    pub handled_before_by: Option<String>,
    /// The kind of each content: given, or that of the case opened or added to.
    pub content_kinds: Vec<CaseKind>,
    pub outcome: VisitOutcome,
    /// The guidance or transfer document; for a refusal, the head's refusal notice if any.
    pub document_no: Option<String>,
    /// The body the citizen was guided or the matter transferred to.
    pub target_body: Option<String>,
    /// Luật Tiếp công dân Art 9: 1 intoxicated or lacking capacity, 2 threats or disorder,
    /// 3 matter finally resolved and deliberately prolonged, 4 other.
    pub refusal_ground: Option<i32>,
    /// The cases the visit opened or added to.
    pub case_ids: Vec<i64>,
    /// Only in the answer to `POST /visits` with `case_opened`: the case opened, as its creator
    /// sees it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cases: Option<Vec<CaseResponse>>,
    pub created_at: DateTime<Utc>,
}

fn visit_response(view: VisitView, cases: Option<Vec<CaseResponse>>) -> VisitResponse {
    VisitResponse {
        delegation: view.is_delegation(),
        id: view.id,
        year: view.year,
        register_no: view.register_no,
        received_at: view.received_at,
        mode: view.mode,
        officer: view.officer.into(),
        citizen_id: view.citizen_id,
        group_size: view.group_size,
        representative_ids: view.representative_ids,
        identity_redacted: view.identity_redacted,
        summary: view.summary,
        handled_before_by: view.handled_before_by,
        content_kinds: view.content_kinds,
        outcome: view.outcome,
        document_no: view.document_no,
        target_body: view.target_body,
        refusal_ground: view.refusal_ground,
        case_ids: view.case_ids,
        cases,
        created_at: view.created_at,
    }
}

fn created_response(created: CreatedVisit, today: NaiveDate) -> VisitResponse {
    let cases =
        (!created.cases.is_empty()).then(|| created.cases.into_iter().map(|view| case_response(view, today)).collect());
    visit_response(created.visit, cases)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VisitPage {
    pub items: Vec<VisitResponse>,
    pub next_cursor: Option<String>,
}

// ---- requests ----

/// The case a visit opens: a case body without `source` (always `walk_in`) and `received_at`
/// (the visit's).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCaseRequest {
    pub kind: CaseKind,
    /// 1 (default) or 2; a second round needs `parent_id`.
    pub round: Option<i32>,
    pub parent_id: Option<i64>,
    pub field: Field,
    pub locality: Option<String>,
    pub title: String,
    pub summary: String,
    /// 1 to 100 people. Default: the visit's citizen in the kind's principal role
    /// (`complainant`, `denouncer`, `petitioner`), then each representative as `representative`.
    #[schema(min_items = 1, max_items = 100)]
    pub people: Option<Vec<PersonRequest>>,
    pub respondent: String,
    /// The number of people the case is brought for; the visit's `group_size` when not given.
    pub group_size: Option<i32>,
    /// The body that forwarded a letter the citizen brings, if any.
    pub forwarded_by: Option<String>,
    pub flags: Option<FlagsRequest>,
}

impl From<NewCaseRequest> for NewCaseInput {
    fn from(r: NewCaseRequest) -> Self {
        NewCaseInput {
            kind: r.kind,
            round: r.round,
            parent_id: r.parent_id,
            field: r.field,
            locality: r.locality,
            title: r.title,
            summary: r.summary,
            people: r.people.map(|people| {
                people.into_iter().map(|p| PersonInput { citizen_id: p.citizen_id, role: p.role }).collect()
            }),
            respondent: r.respondent,
            group_size: r.group_size,
            forwarded_by: r.forwarded_by,
            flags: r.flags.unwrap_or_default().into(),
        }
    }
}

/// A visit to record. Each `outcome` takes its own fields and refuses the others':
/// `case_opened` → `new_case`; `linked_existing` → `case_ids`; `guided`, `transferred` →
/// `target_body` and `document_no`; `refused` → `refusal_ground` (and optionally `document_no`,
/// the head's refusal notice).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVisitRequest {
    /// At most 10 minutes in the future and not before 2000-01-01. Its Vietnam date's year
    /// picks the register.
    pub received_at: DateTime<Utc>,
    pub mode: VisitMode,
    pub citizen_id: i64,
    /// Default 1; five or more is a delegation.
    pub group_size: Option<i32>,
    /// Only for a group; each citizen once, `citizen_id` among them or not, no more people with
    /// `citizen_id` than `group_size`, and at most 100 people with `citizen_id`.
    #[schema(max_items = 100)]
    pub representative_ids: Option<Vec<i64>>,
    /// At most 20000 characters.
    pub summary: String,
    /// At most 500 characters.
    pub handled_before_by: Option<String>,
    /// The kind of each content, each once. Default: the kind of the new case, or of the cases
    /// added to.
    pub content_kinds: Option<Vec<CaseKind>>,
    pub outcome: VisitOutcome,
    /// `linked_existing`: 1 to 100 cases the caller may see, each once; each gets an intake and
    /// becomes a repeat.
    #[schema(max_items = 100)]
    pub case_ids: Option<Vec<i64>>,
    /// `case_opened`: the case to open.
    pub new_case: Option<NewCaseRequest>,
    /// `guided`, `transferred` (required); `refused` (optional). At most 100 characters.
    pub document_no: Option<String>,
    /// `guided`, `transferred`: the competent body. At most 300 characters.
    pub target_body: Option<String>,
    /// `refused`: 1 to 4 (Luật Tiếp công dân Art 9), as a number or as `/meta` lists it (`"1"`).
    #[serde(default, deserialize_with = "refusal_ground")]
    #[schema(value_type = Option<i32>)]
    pub refusal_ground: Option<i32>,
}

/// A refusal ground as a number, or as the text `/meta` lists it.
fn refusal_ground<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<i32>, D::Error> {
    struct Ground;
    impl serde::de::Visitor<'_> for Ground {
        type Value = Option<i32>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a ground from 1 to 4")
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<Self::Value, E> {
            i32::try_from(value).map(Some).map_err(|_| E::custom("must be a ground from 1 to 4"))
        }
        fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<Self::Value, E> {
            i32::try_from(value).map(Some).map_err(|_| E::custom("must be a ground from 1 to 4"))
        }
        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Self::Value, E> {
            value.trim().parse().map(Some).map_err(|_| E::custom("must be a ground from 1 to 4"))
        }
    }
    deserializer.deserialize_any(Ground)
}

impl From<CreateVisitRequest> for VisitInput {
    fn from(r: CreateVisitRequest) -> Self {
        VisitInput {
            received_at: r.received_at,
            mode: r.mode,
            citizen_id: r.citizen_id,
            group_size: r.group_size,
            representative_ids: r.representative_ids.unwrap_or_default(),
            summary: r.summary,
            handled_before_by: r.handled_before_by,
            content_kinds: r.content_kinds,
            outcome: r.outcome,
            case_ids: r.case_ids.unwrap_or_default(),
            new_case: r.new_case.map(Into::into),
            document_no: r.document_no,
            target_body: r.target_body,
            refusal_ground: r.refusal_ground,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListVisitsQuery {
    /// Received on or after this Vietnam date.
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub from: Option<NaiveDate>,
    /// Received on or before this Vietnam date.
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub to: Option<NaiveDate>,
    /// The receiving officer.
    pub officer_id: Option<i64>,
    pub mode: Option<VisitMode>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

// ---- handlers ----

/// Records a visit in the register with the next number of its year, and its outcome: opens a
/// case (`walk_in`), adds an intake to existing cases, or records guidance, transfer or refusal.
/// Receptionists, handlers and heads. Honours `Idempotency-Key`.
#[utoipa::path(
    post, path = "/api/v1/visits", tag = "visits", security(("bearer" = [])), request_body = CreateVisitRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 hours")),
    responses(
        (status = 201, body = VisitResponse, headers(("Location" = String, description = "The new visit's URL"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = JSON_PROBLEM),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, description = "Not a receptionist, handler or head", body = Problem, content_type = JSON_PROBLEM),
        (status = 422, description = "`validation_failed` (each field named, `new_case.…` inside the case), `idempotency_key_reused`", body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn create_visit(
    state: web::Data<AppState>,
    user: CurrentUser,
    IdempotentJson(body, key): IdempotentJson<CreateVisitRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.0;
    let ctx = state.ctx.clone();
    let now = crate::time::now();
    let response = blocking(move || {
        crate::service::idempotency::execute(&ctx, actor.user_id, key.as_ref(), 201, now, |conn| {
            let created = visits::create_in(conn, &ctx, &actor, body.clone().into(), now)?;
            Ok(created_response(created, crate::time::vietnam_date(now)))
        })
    })
    .await?;
    Ok(idempotency::created(response, "/api/v1/visits"))
}

/// One visit of the register. Every role may read it.
#[utoipa::path(
    get, path = "/api/v1/visits/{id}", tag = "visits", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = VisitResponse),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn get_visit(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let view = blocking(move || visits::get(&ctx, &user.0, id, crate::time::now())).await?;
    Ok(HttpResponse::Ok().json(visit_response(view, None)))
}

/// The register, newest first (by reception time, then id), filtered, in keyset pages. Every
/// role may read it.
#[utoipa::path(
    get, path = "/api/v1/visits", tag = "visits", security(("bearer" = [])), params(ListVisitsQuery),
    responses(
        (status = 200, body = VisitPage),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn list_visits(
    state: web::Data<AppState>,
    user: CurrentUser,
    QueryParams(query): QueryParams<ListVisitsQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after: Option<VisitPosition> = pagination::decode_cursor(query.cursor.as_deref())?;
    let filters = ListQuery { from: query.from, to: query.to, officer_id: query.officer_id, mode: query.mode };
    let ctx = state.ctx.clone();
    let page =
        blocking(move || visits::list(&ctx, &user.0, &filters, after.as_ref(), limit, crate::time::now())).await?;
    Ok(HttpResponse::Ok().json(VisitPage {
        items: page.items.into_iter().map(|view| visit_response(view, None)).collect(),
        next_cursor: page.next.as_ref().map(pagination::encode_cursor),
    }))
}
