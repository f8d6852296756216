//! The holiday calendar: everyone reads it; administrators replace a year, which recomputes open
//! cases' due dates. `GET /calendar/add` is the same date arithmetic the deadlines use.

use actix_web::{HttpResponse, web};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::error::{ApiError, Problem};
use super::extract::{CurrentUser, JsonBody, QueryParams};
use super::{AppState, blocking};
use crate::domain::calendar::{CalendarEntry, EntryKind, NonWorkingDay};
use crate::domain::vocab::DayUnit;
use crate::service::calendar;

const JSON_PROBLEM: &str = "application/problem+json";

/// A dated, named day.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NamedDay {
    pub date: NaiveDate,
    pub name: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// Public holidays and compensatory days off.
    pub holidays: Vec<NamedDay>,
    /// Make-up working days on Saturdays or Sundays (ngày làm bù).
    pub working_days: Vec<NamedDay>,
    /// After a replacement: open cases whose due dates changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recomputed_cases: Option<usize>,
}

fn calendar_year(year: i32, entries: Vec<CalendarEntry>, recomputed_cases: Option<usize>) -> CalendarYear {
    let (holidays, working_days): (Vec<_>, Vec<_>) = entries.into_iter().partition(|e| e.kind == EntryKind::Holiday);
    let named =
        |entries: Vec<CalendarEntry>| entries.into_iter().map(|e| NamedDay { date: e.date, name: e.name }).collect();
    CalendarYear { year, holidays: named(holidays), working_days: named(working_days), recomputed_cases }
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceCalendarRequest {
    pub holidays: Vec<NamedDay>,
    pub working_days: Vec<NamedDay>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AddQuery {
    /// The day of the event (not counted).
    pub from: NaiveDate,
    pub days: u32,
    pub unit: DayUnit,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SkippedDay {
    pub date: NaiveDate,
    /// A holiday's name, or "Thứ Bảy" / "Chủ nhật".
    pub name: String,
}

impl From<NonWorkingDay> for SkippedDay {
    fn from(day: NonWorkingDay) -> Self {
        SkippedDay { date: day.date, name: day.name }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AddResponse {
    pub due_on: NaiveDate,
    /// Non-working days skipped (working days) or rolled over at the end (calendar days).
    pub skipped: Vec<SkippedDay>,
}

/// A year's holidays and make-up working days.
#[utoipa::path(
    get, path = "/api/v1/calendar/{year}", tag = "calendar", security(("bearer" = [])), params(("year" = i32, Path)),
    responses((status = 200, body = CalendarYear), (status = 404, body = Problem, content_type = JSON_PROBLEM))
)]
pub async fn get_year(
    state: web::Data<AppState>,
    _user: CurrentUser,
    year: web::Path<i32>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let year = year.into_inner();
    let entries = blocking(move || calendar::year(&ctx, year)).await?;
    Ok(HttpResponse::Ok().json(calendar_year(year, entries, None)))
}

/// Replaces a year (admins): open cases' due dates are recomputed in the same transaction.
#[utoipa::path(
    put, path = "/api/v1/calendar/{year}", tag = "calendar", security(("bearer" = [])), params(("year" = i32, Path)),
    request_body = ReplaceCalendarRequest,
    responses(
        (status = 200, body = CalendarYear),
        (status = 403, body = Problem, content_type = JSON_PROBLEM),
        (status = 422, body = Problem, content_type = JSON_PROBLEM),
    )
)]
pub async fn replace_year(
    state: web::Data<AppState>,
    user: CurrentUser,
    year: web::Path<i32>,
    JsonBody(body): JsonBody<ReplaceCalendarRequest>,
) -> Result<HttpResponse, ApiError> {
    let ctx = state.ctx.clone();
    let year = year.into_inner();
    let entries: Vec<CalendarEntry> = body
        .holidays
        .into_iter()
        .map(|d| CalendarEntry::holiday(d.date, d.name))
        .chain(body.working_days.into_iter().map(|d| CalendarEntry::working_day(d.date, d.name)))
        .collect();
    let changed = blocking(move || {
        let changed = calendar::replace_year(&ctx, &user.0, year, &entries, crate::time::now())?;
        Ok((changed, calendar::year(&ctx, year)?))
    })
    .await?;
    Ok(HttpResponse::Ok().json(calendar_year(year, changed.1, Some(changed.0))))
}

/// `from` plus `days` in `unit`: the day of the event is not counted; a calendar-day term ending
/// on a day off ends on the next working day.
#[utoipa::path(
    get, path = "/api/v1/calendar/add", tag = "calendar", security(("bearer" = [])), params(AddQuery),
    responses((status = 200, body = AddResponse), (status = 422, body = Problem, content_type = JSON_PROBLEM))
)]
pub async fn add(
    state: web::Data<AppState>,
    _user: CurrentUser,
    QueryParams(query): QueryParams<AddQuery>,
) -> Result<HttpResponse, ApiError> {
    let addition = calendar::add(&state.ctx, query.from, query.days, query.unit)?;
    Ok(HttpResponse::Ok()
        .json(AddResponse { due_on: addition.due_on, skipped: addition.skipped.into_iter().map(Into::into).collect() }))
}
