//! Citizens: registration, reading, correction and search. Every role may read and search;
//! receptionists, handlers and heads may register and change.

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, IdempotentJson, JsonBody, QueryParams};
use super::pagination::{self, Page};
use super::{AppState, blocking};
use crate::domain::citizen::{CitizenInput, CitizenPatch};
use crate::domain::vocab::Gender;
use crate::service::citizens::{self, Citizen};

/// A citizen as the API shows it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CitizenResponse {
    pub id: i64,
    pub full_name: String,
    /// CCCD (12 digits), CMND (9 digits) or passport number (uppercase).
    pub id_number: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub address: String,
    /// Digits only, e.g. `0912345678`.
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Citizen> for CitizenResponse {
    fn from(citizen: Citizen) -> Self {
        CitizenResponse {
            id: citizen.id,
            full_name: citizen.full_name,
            id_number: citizen.id_number,
            date_of_birth: citizen.date_of_birth,
            gender: citizen.gender,
            address: citizen.address,
            phone: citizen.phone,
            email: citizen.email,
            created_at: citizen.created_at,
            updated_at: citizen.updated_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CitizenPage {
    pub items: Vec<CitizenResponse>,
    pub next_cursor: Option<String>,
}

impl From<Page<CitizenResponse>> for CitizenPage {
    fn from(page: Page<CitizenResponse>) -> Self {
        CitizenPage { items: page.items, next_cursor: page.next_cursor }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCitizenRequest {
    /// At most 200 characters.
    pub full_name: String,
    /// CCCD of 12 digits, CMND of 9 digits, or passport of 6 to 12 letters and digits with at
    /// least one letter. Must not belong to a registered citizen (409 `citizen_exists`).
    pub id_number: Option<String>,
    /// Not in the future, not before 1900-01-01.
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    /// At most 500 characters.
    pub address: String,
    /// A Vietnamese mobile (10 digits, `03`/`05`/`07`/`08`/`09`) or landline (11 digits, `02`)
    /// number; spaces, dots, hyphens and a leading `+84` are allowed and removed.
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl From<CreateCitizenRequest> for CitizenInput {
    fn from(body: CreateCitizenRequest) -> Self {
        CitizenInput {
            full_name: body.full_name,
            id_number: body.id_number,
            date_of_birth: body.date_of_birth,
            gender: body.gender,
            address: body.address,
            phone: body.phone,
            email: body.email,
        }
    }
}

/// Absent fields stay as they are; `null` clears an optional field. The rules are those of
/// registration; `full_name` and `address` cannot be cleared.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCitizenRequest {
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub id_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<NaiveDate>)]
    pub date_of_birth: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<Gender>)]
    pub gender: Option<Option<Gender>>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
}

impl From<UpdateCitizenRequest> for CitizenPatch {
    fn from(body: UpdateCitizenRequest) -> Self {
        CitizenPatch {
            full_name: body.full_name,
            id_number: body.id_number,
            date_of_birth: body.date_of_birth,
            gender: body.gender,
            address: body.address,
            phone: body.phone,
            email: body.email,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchCitizensQuery {
    /// Part of a name, ID number or phone number, without regard to diacritics or case
    /// (`duc` finds `Đức`); a phone number may be written with spaces, dots, hyphens or `+84`.
    /// Absent or blank: every citizen.
    pub q: Option<String>,
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Registers a citizen.
#[utoipa::path(
    post, path = "/api/v1/citizens", tag = "citizens", security(("bearer" = [])), request_body = CreateCitizenRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Replays the first response for 24 hours")),
    responses(
        (status = 201, body = CitizenResponse, headers(("Location" = String, description = "The new citizen's URL"))),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a receptionist, handler or head", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`citizen_exists`: the ID number is registered; `existing_id` names that citizen", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_citizen(
    state: web::Data<AppState>,
    user: CurrentUser,
    IdempotentJson(body, key): IdempotentJson<CreateCitizenRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let actor = user.0;
    let input = CitizenInput::from(body);
    let now = crate::time::now();
    let Some(key) = key else {
        let created = blocking(move || citizens::create(&ctx, &actor, &input, now)).await?;
        return Ok(HttpResponse::Created()
            .insert_header(("Location", format!("/api/v1/citizens/{}", created.id)))
            .json(CitizenResponse::from(created)));
    };
    let response = blocking(move || {
        crate::service::idempotency::execute(&ctx, actor.user_id, Some(&key), 201, now, |conn| {
            Ok(CitizenResponse::from(citizens::create_in(conn, &actor, &input, now)?))
        })
    })
    .await?;
    Ok(super::idempotency::created(response, "/api/v1/citizens"))
}

/// Citizens whose name, ID number or phone contains `q`, in id order; every citizen without `q`.
#[utoipa::path(
    get, path = "/api/v1/citizens", tag = "citizens", security(("bearer" = [])), params(SearchCitizensQuery),
    responses(
        (status = 200, body = CitizenPage),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn search_citizens(
    state: web::Data<AppState>,
    _user: CurrentUser,
    QueryParams(query): QueryParams<SearchCitizensQuery>,
) -> Result<HttpResponse, ApiError> {
    let limit = pagination::limit(query.limit)?;
    let after: Option<i64> = pagination::decode_cursor(query.cursor.as_deref())?;
    let ctx = state.ctx.clone();
    let rows = blocking(move || citizens::search(&ctx, query.q.as_deref(), after, limit + 1)).await?;
    let page = pagination::page_from(rows, limit, |c| c.id, CitizenResponse::from);
    Ok(HttpResponse::Ok().json(CitizenPage::from(page)))
}

/// One citizen.
#[utoipa::path(
    get, path = "/api/v1/citizens/{id}", tag = "citizens", security(("bearer" = [])), params(("id" = i64, Path)),
    responses(
        (status = 200, body = CitizenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn get_citizen(
    state: web::Data<AppState>,
    _user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let found = blocking(move || citizens::get(&ctx, id)).await?;
    Ok(HttpResponse::Ok().json(CitizenResponse::from(found)))
}

/// Corrects a citizen's details.
#[utoipa::path(
    patch, path = "/api/v1/citizens/{id}", tag = "citizens", security(("bearer" = [])), params(("id" = i64, Path)), request_body = UpdateCitizenRequest,
    responses(
        (status = 200, body = CitizenResponse),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Not a receptionist, handler or head", body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`citizen_exists`: another citizen holds the ID number; `existing_id` names that citizen", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_citizen(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<UpdateCitizenRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let actor = user.0;
    let id = id.into_inner();
    let patch = CitizenPatch::from(body);
    let updated = blocking(move || citizens::update(&ctx, &actor, id, &patch, crate::time::now())).await?;
    Ok(HttpResponse::Ok().json(CitizenResponse::from(updated)))
}
