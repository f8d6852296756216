//! `GET /api/v1/reports/backlog`, `/reports/prolonged`, `/reports/period` (heads and auditors):
//! JSON, or CSV with `Accept: text/csv` or `?format=csv`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, QueryParams};
use super::{AppState, blocking};
use crate::domain::vocab::Role;
use crate::reports::backlog::{Backlog, BacklogQuery};
use crate::reports::period::PeriodReport;
use crate::reports::prolonged::ProlongedReport;
use crate::reports::{self, Document, Format};

/// The form asked for in the query string.
#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Json,
    Csv,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BacklogParams {
    /// The day the backlog is evaluated on (Vietnam local date); today when not given.
    pub as_of: Option<NaiveDate>,
    /// Start of the on-time period; 1 January of `as_of`'s year when not given.
    pub from: Option<NaiveDate>,
    /// End of the on-time period; `as_of` when not given.
    pub to: Option<NaiveDate>,
    /// `csv` for the spreadsheet form (same as `Accept: text/csv`).
    pub format: Option<ReportFormat>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ProlongedParams {
    /// The day the flags are evaluated on; today when not given.
    pub as_of: Option<NaiveDate>,
    pub format: Option<ReportFormat>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PeriodParams {
    /// First day, inclusive (with `to`).
    pub from: Option<NaiveDate>,
    /// Last day, inclusive (with `from`).
    pub to: Option<NaiveDate>,
    /// An official period with the data cut-off of Thông tư 01/2024/TT-TTCP: a quarter `YYYY-Qn`
    /// (Q1 = 15 Dec of the previous year to 14 Mar; then 15 Mar–14 Jun, 15 Jun–14 Sep,
    /// 15 Sep–14 Dec), or `YYYY-6M`, `YYYY-9M`, `YYYY-12M` (15 Dec of the previous year to
    /// 14 Jun, 14 Sep, 14 Dec).
    pub quarter: Option<String>,
    pub format: Option<ReportFormat>,
}

/// `?format=` wins; otherwise `Accept: text/csv` asks for CSV.
fn format_of(req: &HttpRequest, asked: Option<ReportFormat>) -> Format {
    match asked {
        Some(ReportFormat::Csv) => Format::Csv,
        Some(ReportFormat::Json) => Format::Json,
        None => {
            let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
            if accept.split(',').any(|part| part.trim().to_ascii_lowercase().starts_with("text/csv")) {
                Format::Csv
            } else {
                Format::Json
            }
        }
    }
}

fn answer<T: Serialize>(document: Document<T>, name: &str) -> HttpResponse {
    match document {
        Document::Json(report) => HttpResponse::Ok().json(report),
        Document::Csv(text) => HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.csv\"")))
            .body(text),
    }
}

/// The backlog as of a date (DOMAIN.md §11).
#[utoipa::path(
    get, path = "/api/v1/reports/backlog", tag = "reports", security(("bearer" = [])), params(BacklogParams),
    responses(
        (status = 200, description = "The backlog, as JSON or as CSV (UTF-8 with a BOM)", content((Backlog = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn backlog(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    QueryParams(params): QueryParams<BacklogParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.require(&[Role::Head, Role::Auditor])?.clone();
    let format = format_of(&req, params.format);
    let as_of = params.as_of.unwrap_or_else(crate::time::vietnam_today);
    let on_time = reports::on_time_period(as_of, params.from, params.to)?;
    let ctx = state.ctx.clone();
    let document =
        blocking(move || reports::backlog_report(&ctx, Some(&actor), BacklogQuery { as_of, on_time }, format)).await?;
    Ok(answer(document, &format!("ton-dong-{as_of}")))
}

/// Cases flagged prolonged, repeat or mass, and the hotspots (DOMAIN.md §11).
#[utoipa::path(
    get, path = "/api/v1/reports/prolonged", tag = "reports", security(("bearer" = [])), params(ProlongedParams),
    responses(
        (status = 200, description = "The report, as JSON or as CSV (UTF-8 with a BOM)", content((ProlongedReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn prolonged(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    QueryParams(params): QueryParams<ProlongedParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.require(&[Role::Head, Role::Auditor])?.clone();
    let format = format_of(&req, params.format);
    let as_of = params.as_of.unwrap_or_else(crate::time::vietnam_today);
    let ctx = state.ctx.clone();
    let document = blocking(move || reports::prolonged_report(&ctx, Some(&actor), as_of, format)).await?;
    Ok(answer(document, &format!("keo-dai-{as_of}")))
}

/// The official tables of a period (Thông tư 01/2024/TT-TTCP: 01/TCD, 01/XLD, 01/KQGQ).
#[utoipa::path(
    get, path = "/api/v1/reports/period", tag = "reports", security(("bearer" = [])), params(PeriodParams),
    responses(
        (status = 200, description = "The report, as JSON or as CSV (UTF-8 with a BOM)", content((PeriodReport = "application/json"), (String = "text/csv"))),
        (status = 403, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json"),
    )
)]
pub async fn period(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    QueryParams(params): QueryParams<PeriodParams>,
) -> Result<HttpResponse, ApiError> {
    let actor = user.require(&[Role::Head, Role::Auditor])?.clone();
    let format = format_of(&req, params.format);
    let period = reports::report_period(params.from, params.to, params.quarter.as_deref())?;
    let ctx = state.ctx.clone();
    let document = blocking(move || reports::period_report(&ctx, Some(&actor), period, format)).await?;
    Ok(answer(document, &format!("bao-cao-{}-{}", period.from, period.to)))
}
