//! `GET /api/v1/audit`: the audit log, newest first (admins, heads, auditors).

use actix_web::{HttpResponse, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, QueryParams};
use super::pagination;
use super::{AppState, blocking};
use crate::domain::vocab::Role;
use crate::service::audit::{self, AuditEntry, AuditQuery};

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditEntryResponse {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_id: Option<i64>,
    /// e.g. `login_succeeded`, `login_failed`, `user_created`, `user_updated`, `password_set`.
    #[serde(rename = "type")]
    pub event_type: String,
    pub object_type: Option<String>,
    pub object_id: Option<i64>,
    pub ip: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl From<AuditEntry> for AuditEntryResponse {
    fn from(entry: AuditEntry) -> Self {
        AuditEntryResponse {
            id: entry.id,
            at: entry.at.and_utc(),
            actor_id: entry.actor_id,
            event_type: entry.event_type,
            object_type: entry.object_type,
            object_id: entry.object_id,
            ip: entry.ip,
            details: serde_json::from_str(&entry.details).unwrap_or(serde_json::Value::Null),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditPage {
    pub items: Vec<AuditEntryResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AuditListQuery {
    pub actor_id: Option<i64>,
    /// An event type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// Vietnam local date, inclusive.
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub from: Option<NaiveDate>,
    /// Vietnam local date, inclusive.
    #[serde(default, deserialize_with = "super::extract::filter_date")]
    pub to: Option<NaiveDate>,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// The audit log, newest first.
#[utoipa::path(
    get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])), params(AuditListQuery),
    responses((status = 200, body = AuditPage), (status = 403, body = Problem, content_type = "application/problem+json"), (status = 422, body = Problem, content_type = "application/problem+json"))
)]
pub async fn list_audit(
    state: web::Data<AppState>,
    user: CurrentUser,
    QueryParams(query): QueryParams<AuditListQuery>,
) -> Result<HttpResponse, ApiError> {
    user.require(&[Role::Admin, Role::Head, Role::Auditor])?;
    let limit = pagination::limit(query.limit)?;
    let before: Option<i64> = pagination::decode_cursor(query.cursor.as_deref())?;
    if let (Some(from), Some(to)) = (query.from, query.to)
        && from > to
    {
        return Err(ApiError::field("to", "must not be before `from`"));
    }
    let filter = AuditQuery { actor_id: query.actor_id, event_type: query.event_type, from: query.from, to: query.to };
    let ctx = state.ctx.clone();
    let rows = blocking(move || audit::list(&ctx, &filter, before, limit + 1)).await?;
    let page = pagination::page_from(rows, limit, |e| e.id, AuditEntryResponse::from);
    Ok(HttpResponse::Ok().json(AuditPage { items: page.items, next_cursor: page.next_cursor }))
}
