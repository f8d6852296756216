//! `GET /api/v1/notifications`: the outbox, newest first (admins, heads, auditors).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, QueryParams};
use super::pagination;
use super::{AppState, blocking};
use crate::service::notifications::{self, NotificationView, READERS};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationResponse {
    pub id: i64,
    pub case_id: Option<i64>,
    /// e.g. `case_assigned`.
    pub template: String,
    /// `Name <address>`; a denouncer's own address shows as `Người tố cáo` to everyone but heads.
    pub recipient: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<NotificationView> for NotificationResponse {
    fn from(view: NotificationView) -> Self {
        NotificationResponse {
            id: view.id,
            case_id: view.case_id,
            template: view.template,
            recipient: view.recipient,
            status: view.status,
            attempts: view.attempts,
            last_error: view.last_error,
            next_attempt_at: view.next_attempt_at,
            sent_at: view.sent_at,
            created_at: view.created_at,
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct NotificationListQuery {
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: Option<String>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The notification outbox, newest first: what is waiting, what was sent, what failed.
#[utoipa::path(
    get, path = "/api/v1/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationListQuery),
    responses((status = 200, body = NotificationPage), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
pub async fn list_notifications(
    state: web::Data<AppState>,
    user: CurrentUser,
    QueryParams(query): QueryParams<NotificationListQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(READERS)?;
    let limit = pagination::limit(query.limit)?;
    let before: Option<i64> = pagination::decode_cursor(query.cursor.as_deref())?;
    let actor = user.0.clone();
    let ctx = state.ctx.clone();
    let status = query.status;
    let rows = blocking(move || notifications::list(&ctx, &actor, status.as_deref(), before, limit + 1)).await?;
    let page = pagination::page_from(rows, limit, |n| n.id, NotificationResponse::from);
    Ok(HttpResponse::Ok().json(NotificationPage { items: page.items, next_cursor: page.next_cursor }))
}
