//! Dialogues of complaints: schedule, reschedule, record, cancel, read and the calendar.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, JsonBody, QueryParams};
use super::pagination;
use super::{AppState, blocking};
use crate::domain::dialogue::{ChangeInput, DialogueStatus, MinutesInput, ParticipantInput, ScheduleInput};
use crate::domain::vocab::DialogueRole;
use crate::persistence::dialogues::DialoguePosition;
use crate::service::dialogues::{self, DialogueView, ListQuery, ParticipantView};

const JSON_PROBLEM: &str = "application/problem+json";

impl utoipa::PartialSchema for DialogueStatus {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).enum_values(Some(DialogueStatus::NAMES.iter().copied())).into()
    }
}

impl utoipa::ToSchema for DialogueStatus {}

// ---- responses ----

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ParticipantResponse {
    pub name: String,
    pub role: DialogueRole,
    pub citizen_id: Option<i64>,
    /// Where the invitation is sent.
    pub email: Option<String>,
    /// Null until the session is recorded.
    pub attended: Option<bool>,
    /// Null until the session is recorded.
    pub signed: Option<bool>,
    /// Why a participant who attended did not sign (Luật Khiếu nại Art 30.4).
    pub refusal_reason: Option<String>,
    pub absence_reason: Option<String>,
}

impl From<ParticipantView> for ParticipantResponse {
    fn from(p: ParticipantView) -> Self {
        ParticipantResponse {
            name: p.name,
            role: p.role,
            citizen_id: p.citizen_id,
            email: p.email,
            attended: p.attended,
            signed: p.signed,
            refusal_reason: p.refusal_reason,
            absence_reason: p.absence_reason,
        }
    }
}

/// The minutes (biên bản đối thoại).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MinutesResponse {
    pub opinions: String,
    pub result: String,
    pub agreed: Option<String>,
    pub disagreed: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DialogueResponse {
    pub id: i64,
    pub case_id: i64,
    pub case_code: String,
    pub status: DialogueStatus,
    pub scheduled_at: DateTime<Utc>,
    pub location: String,
    pub chair: String,
    pub participants: Vec<ParticipantResponse>,
    pub held_at: Option<DateTime<Utc>>,
    /// Null until the session is recorded.
    pub minutes: Option<MinutesResponse>,
    pub cancel_reason: Option<String>,
    /// Send it back in `If-Match` to change the dialogue.
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DialogueView> for DialogueResponse {
    fn from(d: DialogueView) -> Self {
        DialogueResponse {
            id: d.id,
            case_id: d.case_id,
            case_code: d.case_code,
            status: d.status,
            scheduled_at: d.scheduled_at,
            location: d.location,
            chair: d.chair,
            participants: d.participants.into_iter().map(Into::into).collect(),
            held_at: d.held_at,
            minutes: d.minutes.map(|m| MinutesResponse {
                opinions: m.opinions,
                result: m.result,
                agreed: m.agreed,
                disagreed: m.disagreed,
            }),
            cancel_reason: d.cancel_reason,
            version: d.version,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DialoguePage {
    pub items: Vec<DialogueResponse>,
    pub next_cursor: Option<String>,
}

// ---- requests ----

/// A person invited to the session.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteeRequest {
    pub name: String,
    pub role: DialogueRole,
    /// A registered citizen, if the participant is one.
    pub citizen_id: Option<i64>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScheduleDialogueRequest {
    pub scheduled_at: DateTime<Utc>,
    pub location: String,
    /// Who chairs the session (name and title).
    pub chair: String,
    /// At least one.
    pub participants: Vec<InviteeRequest>,
}

/// A participant in a PATCH: name and role always; attendance, signature and the reasons when
/// recording the session (`status: held`).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantRequest {
    pub name: Option<String>,
    pub role: Option<DialogueRole>,
    pub citizen_id: Option<i64>,
    pub email: Option<String>,
    pub attended: Option<bool>,
    /// Required for a participant who attended.
    pub signed: Option<bool>,
    /// Required for a participant who attended and did not sign.
    pub refusal_reason: Option<String>,
    /// For a participant who did not attend, if a reason was given.
    pub absence_reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MinutesRequest {
    /// The opinions of the participants (required).
    pub opinions: Option<String>,
    /// The result of the dialogue (required).
    pub result: Option<String>,
    pub agreed: Option<String>,
    pub disagreed: Option<String>,
}

/// One of three forms, told apart by `status`: absent (or `scheduled`) reschedules with any of
/// `scheduled_at`, `location`, `chair`, `participants` (the whole new list); `held` records the
/// session with `held_at`, `minutes` and every participant with `attended`; `cancelled` cancels
/// with `reason`.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PatchDialogueRequest {
    pub status: Option<DialogueStatus>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub chair: Option<String>,
    pub participants: Option<Vec<ParticipantRequest>>,
    pub held_at: Option<DateTime<Utc>>,
    pub minutes: Option<MinutesRequest>,
    pub reason: Option<String>,
}

impl From<ParticipantRequest> for ParticipantInput {
    fn from(p: ParticipantRequest) -> Self {
        ParticipantInput {
            name: p.name,
            role: p.role,
            citizen_id: p.citizen_id,
            email: p.email,
            attended: p.attended,
            signed: p.signed,
            refusal_reason: p.refusal_reason,
            absence_reason: p.absence_reason,
        }
    }
}

impl From<ScheduleDialogueRequest> for ScheduleInput {
    fn from(r: ScheduleDialogueRequest) -> Self {
        ScheduleInput {
            scheduled_at: r.scheduled_at,
            location: r.location,
            chair: r.chair,
            participants: r
                .participants
                .into_iter()
                .map(|p| ParticipantInput {
                    name: Some(p.name),
                    role: Some(p.role),
                    citizen_id: p.citizen_id,
                    email: p.email,
                    ..ParticipantInput::default()
                })
                .collect(),
        }
    }
}

impl From<PatchDialogueRequest> for ChangeInput {
    fn from(r: PatchDialogueRequest) -> Self {
        ChangeInput {
            status: r.status,
            scheduled_at: r.scheduled_at,
            location: r.location,
            chair: r.chair,
            participants: r.participants.map(|list| list.into_iter().map(Into::into).collect()),
            held_at: r.held_at,
            minutes: r.minutes.map(|m| MinutesInput {
                opinions: m.opinions,
                result: m.result,
                agreed: m.agreed,
                disagreed: m.disagreed,
            }),
            reason: r.reason,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListDialoguesQuery {
    /// Sessions scheduled on or after this local date (Vietnam).
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub from: Option<NaiveDate>,
    /// Sessions scheduled on or before this local date (Vietnam).
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub to: Option<NaiveDate>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

// ---- helpers ----

/// The dialogue as JSON with `ETag: "<version>"`.
fn answer(mut response: actix_web::HttpResponseBuilder, view: DialogueView) -> HttpResponse {
    let version = view.version;
    super::extract::with_etag(response.json(DialogueResponse::from(view)), version)
}

// ---- handlers ----

/// Schedules a dialogue on a complaint being resolved (accepted or verifying): the assigned
/// handler or a head (Luật Khiếu nại Art 30, 39).
#[utoipa::path(
    post, path = "/api/v1/cases/{id}/dialogues", tag = "dialogues", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = ScheduleDialogueRequest,
    responses(
        (status = 201, body = DialogueResponse, headers(("Location" = String), ("ETag" = String))),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 409, description = "`dialogue_not_applicable` (not a complaint), `case_not_in_resolution`", body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn schedule_dialogue(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<ScheduleDialogueRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let case_id = id.into_inner();
    let view = blocking(move || dialogues::schedule(&ctx, &user.0, case_id, body.into(), crate::time::now())).await?;
    let mut response = HttpResponse::Created();
    response.insert_header((header::LOCATION, format!("/api/v1/dialogues/{}", view.id)));
    Ok(answer(response, view))
}

/// Reschedules, records the session (`status: held`) or cancels (`status: cancelled`) a
/// scheduled dialogue; with `If-Match`, only at that version.
#[utoipa::path(
    patch, path = "/api/v1/dialogues/{id}", tag = "dialogues", security(("bearer" = [])),
    params(("id" = i64, Path), ("If-Match" = Option<String>, Header, description = "Optional: the dialogue's version, checked when sent")),
    request_body = PatchDialogueRequest,
    responses(
        (status = 200, body = DialogueResponse, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
        (status = 409, description = "`dialogue_closed` (held or cancelled)", body = Problem, content_type = JSON_PROBLEM),
        (status = 412, description = "`precondition_failed` with `current_version`", body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn patch_dialogue(
    req: HttpRequest,
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<PatchDialogueRequest>,
) -> Result<HttpResponse, ApiError> {
    let version = super::extract::optional_if_match(&req);
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let view = blocking(move || dialogues::change(&ctx, &user.0, id, version, body.into(), crate::time::now())).await?;
    Ok(answer(HttpResponse::Ok(), view))
}

/// One dialogue, with `ETag: "<version>"`, if the caller may see its case.
#[utoipa::path(
    get, path = "/api/v1/dialogues/{id}", tag = "dialogues", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = DialogueResponse, headers(("ETag" = String))),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 404, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn get_dialogue(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let view = blocking(move || dialogues::get(&ctx, &user.0, id)).await?;
    Ok(answer(HttpResponse::Ok(), view))
}

/// The dialogues of the cases the caller may see, by scheduled time then id, in keyset pages.
#[utoipa::path(
    get, path = "/api/v1/dialogues", tag = "dialogues", security(("bearer" = [])), params(ListDialoguesQuery),
    responses(
        (status = 200, body = DialoguePage),
        (status = 401, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn list_dialogues(
    state: web::Data<AppState>,
    user: CurrentUser,
    QueryParams(query): QueryParams<ListDialoguesQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after: Option<DialoguePosition> = pagination::decode_cursor(query.cursor.as_deref())?;
    let filters = ListQuery { from: query.from, to: query.to };
    let ctx = state.ctx.clone();
    let page = blocking(move || dialogues::list(&ctx, &user.0, &filters, after.as_ref(), limit)).await?;
    Ok(HttpResponse::Ok().json(DialoguePage {
        items: page.items.into_iter().map(Into::into).collect(),
        next_cursor: page.next.as_ref().map(pagination::encode_cursor),
    }))
}
