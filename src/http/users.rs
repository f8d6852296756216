//! Account administration (admins only).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, JsonBody, QueryParams};
use super::pagination::{self, Page};
use super::{AppState, blocking, hashing};
use crate::domain::vocab::Role;
use crate::service::users::{self, CreateUser, UpdateUser, User};

/// An account as the API shows it (never the password hash).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserResponse {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub password_change_required: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<User> for UserResponse {
    fn from(user: User) -> Self {
        UserResponse {
            id: user.id,
            username: user.username,
            full_name: user.full_name,
            email: user.email,
            role: user.role,
            active: user.active,
            password_change_required: user.must_change_password,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UserPage {
    pub items: Vec<UserResponse>,
    pub next_cursor: Option<String>,
}

impl From<Page<UserResponse>> for UserPage {
    fn from(page: Page<UserResponse>) -> Self {
        UserPage { items: page.items, next_cursor: page.next_cursor }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    /// 3 to 64 lowercase letters, digits, `.`, `_`, `-`.
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    /// 12 to 128 characters; the user must change it at first login.
    pub password: String,
}

/// Absent fields stay as they are; `"email": null` clears the address.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    pub full_name: Option<String>,
    #[serde(default, deserialize_with = "super::extract::present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPasswordRequest {
    /// 12 to 128 characters; the user must change it at next login.
    pub new_password: String,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsersQuery {
    /// 1 to 200, default 50.
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

const ADMIN: &[Role] = &[Role::Admin];

/// Every account, in id order.
#[utoipa::path(
    get, path = "/api/v1/users", tag = "users", security(("bearer" = [])), params(ListUsersQuery),
    responses((status = 200, body = UserPage), (status = 403, body = Problem, content_type = "application/problem+json"))
)]
pub async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
    QueryParams(query): QueryParams<ListUsersQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(ADMIN)?;
    let limit = pagination::limit(query.limit)?;
    let after: Option<i64> = pagination::decode_cursor(query.cursor.as_deref())?;
    let ctx = state.ctx.clone();
    let rows = blocking(move || users::list(&ctx, after, limit + 1)).await?;
    let page = pagination::page_from(rows, limit, |u| u.id, UserResponse::from);
    Ok(HttpResponse::Ok().json(UserPage::from(page)))
}

/// Creates an account; the user must change the password at first login.
#[utoipa::path(
    post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses(
        (status = 201, body = UserResponse),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`username_taken`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn create_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    JsonBody(body): JsonBody<CreateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.require(ADMIN)?.clone();
    let ctx = state.ctx.clone();
    let request = CreateUser {
        username: body.username,
        full_name: body.full_name,
        email: body.email,
        role: body.role,
        password: body.password,
        must_change_password: true,
    };
    let created = hashing(&state, move || users::create(&ctx, Some(&actor), &request, crate::time::now())).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/users/{}", created.id)))
        .json(UserResponse::from(created)))
}

/// One account.
#[utoipa::path(
    get, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = UserResponse), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 404, body = Problem, content_type = "application/problem+json"))
)]
pub async fn get_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    user.require(ADMIN)?;
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let found = blocking(move || users::get(&ctx, id)).await?;
    Ok(HttpResponse::Ok().json(UserResponse::from(found)))
}

/// Changes name, e-mail, role or active state. A role change or deactivation ends the user's
/// sessions at once.
#[utoipa::path(
    patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)), request_body = UpdateUserRequest,
    responses(
        (status = 200, body = UserResponse),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`last_admin`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn update_user(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.require(ADMIN)?.clone();
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    let request = UpdateUser { full_name: body.full_name, email: body.email, role: body.role, active: body.active };
    let updated = blocking(move || users::update(&ctx, &actor, id, &request, crate::time::now())).await?;
    Ok(HttpResponse::Ok().json(UserResponse::from(updated)))
}

/// Sets a user's password; the user must change it at next login and is signed out everywhere.
#[utoipa::path(
    post, path = "/api/v1/users/{id}/password", tag = "users", security(("bearer" = [])), params(("id" = i64, Path)), request_body = SetPasswordRequest,
    responses(
        (status = 204),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 404, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn set_user_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    id: web::Path<i64>,
    JsonBody(body): JsonBody<SetPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.require(ADMIN)?.clone();
    let ctx = state.ctx.clone();
    let id = id.into_inner();
    hashing(&state, move || users::set_password(&ctx, &actor, id, &body.new_password, crate::time::now())).await?;
    Ok(HttpResponse::NoContent().finish())
}
