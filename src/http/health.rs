//! Liveness, readiness and metrics.

use actix_web::{HttpResponse, web};
use serde::Serialize;

use super::AppState;
use super::error::ApiError;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    /// `ok`
    pub status: &'static str,
}

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "health", responses((status = 200, body = Health)))]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health { status: "ok" })
}

/// The database answers.
#[utoipa::path(
    get, path = "/readyz", tag = "health",
    responses((status = 200, body = Health), (status = 503, body = super::error::Problem, content_type = "application/problem+json"))
)]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = state.ctx.db.clone();
    web::block(move || db.ping()).await.map_err(ApiError::internal)?.map_err(ApiError::unavailable)?;
    Ok(HttpResponse::Ok().json(Health { status: "ok" }))
}

/// Prometheus text format: requests by route and status, latencies, pool use, outbox depth.
#[utoipa::path(get, path = "/metrics", tag = "health", responses((status = 200, body = String, content_type = "text/plain")))]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let ctx = state.ctx.clone();
    // A database that cannot answer leaves the last value; /readyz reports the outage.
    if let Ok(Ok(depth)) = web::block(move || crate::service::notifications::depth(&ctx)).await {
        state.metrics.set_outbox_depth(depth);
    }
    let text = state.metrics.render(state.ctx.db.pool_state());
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(text)
}
