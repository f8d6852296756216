//! Sign-in, token refresh, sign-out, and the caller's own account.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{JsonBody, SessionUser, peer_ip};
use super::{AppState, blocking, hashing};
use crate::domain::vocab::Role;
use crate::service::accounts::{self, Credentials, TokenPair};
use crate::service::{Actor, ServiceError};

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TokenResponse {
    /// JWT for `Authorization: Bearer`, valid `expires_in` seconds.
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    pub expires_in: i64,
    /// Single use: exchange it at `/auth/refresh` for a new pair.
    pub refresh_token: String,
    /// When true every endpoint but `/me`, `/me/password`, refresh and logout answers 403 until
    /// the password is changed.
    pub password_change_required: bool,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        TokenResponse {
            access_token: pair.access_token,
            token_type: "Bearer",
            expires_in: pair.expires_in,
            refresh_token: pair.refresh_token,
            password_change_required: pair.password_change_required,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct MeResponse {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub password_change_required: bool,
}

impl From<&Actor> for MeResponse {
    fn from(actor: &Actor) -> Self {
        MeResponse {
            id: actor.user_id,
            username: actor.username.clone(),
            full_name: actor.full_name.clone(),
            email: actor.email.clone(),
            role: actor.role,
            active: true,
            password_change_required: actor.must_change_password,
        }
    }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    pub current_password: String,
    /// 12 to 128 characters.
    pub new_password: String,
}

/// Signs in. Unknown user, wrong password and deactivated account answer alike.
#[utoipa::path(
    post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "`invalid_credentials`", body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_login_attempts`, with `Retry-After`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.username.len() > 256
        || body.username.trim().chars().any(char::is_control)
        || body.password.chars().count() > crate::domain::account::PASSWORD_MAX_CHARS
    {
        // Never hash unbounded input, nor look up a name no account can have: such credentials
        // cannot be valid anyway.
        return Err(ApiError::from(ServiceError::Unauthorized {
            code: "invalid_credentials",
            detail: "The username or password is incorrect.".into(),
        }));
    }
    let now = crate::time::now();
    let ip = peer_ip(&req);
    let ctx = state.ctx.clone();
    let username = body.username.clone();
    blocking(move || accounts::check_throttle(&ctx, &username, now)).await?;
    let ctx = state.ctx.clone();
    let pair = hashing(&state, move || {
        accounts::login(&ctx, &Credentials { username: &body.username, password: &body.password, ip }, now)
    })
    .await?;
    Ok(HttpResponse::Ok().json(TokenResponse::from(pair)))
}

/// Exchanges a refresh token for a new pair; a spent token ends the session.
#[utoipa::path(
    post, path = "/api/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, body = TokenResponse),
        (status = 401, description = "`invalid_token` or `refresh_token_reused`", body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn refresh(
    state: web::Data<AppState>,
    JsonBody(body): JsonBody<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let now = crate::time::now();
    let pair = blocking(move || accounts::refresh(&ctx, &body.refresh_token, now)).await?;
    Ok(HttpResponse::Ok().json(TokenResponse::from(pair)))
}

/// Ends the caller's session.
#[utoipa::path(
    post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])),
    responses((status = 204), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
pub async fn logout(state: web::Data<AppState>, SessionUser(actor): SessionUser) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    blocking(move || accounts::logout(&ctx, &actor, crate::time::now())).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's account.
#[utoipa::path(
    get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = MeResponse), (status = 401, body = Problem, content_type = "application/problem+json"))
)]
pub async fn get_me(SessionUser(actor): SessionUser) -> HttpResponse {
    HttpResponse::Ok().json(MeResponse::from(&actor))
}

/// Changes the caller's password; the caller's other sessions end.
#[utoipa::path(
    post, path = "/api/v1/me/password", tag = "auth", security(("bearer" = [])), request_body = ChangePasswordRequest,
    responses(
        (status = 204),
        (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` or `current_password_incorrect`", body = Problem, content_type = "application/problem+json"),
        (status = 429, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn change_password(
    state: web::Data<AppState>,
    SessionUser(actor): SessionUser,
    JsonBody(body): JsonBody<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    if body.current_password.chars().count() > crate::domain::account::PASSWORD_MAX_CHARS {
        return Err(ApiError::field("current_password", "is not the current password"));
    }
    let ctx = state.ctx.clone();
    hashing(&state, move || {
        accounts::change_own_password(&ctx, &actor, &body.current_password, &body.new_password, crate::time::now())
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
