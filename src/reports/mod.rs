//! Reports for heads and auditors (DOMAIN.md §11): read models over cases, their intakes, visits
//! and events, answered as JSON or CSV. They have their own queries, read in one snapshot, and
//! flat result types; they never reuse write-side types and never carry anyone's identity (no
//! citizen appears in any of them; handlers appear by their official name only).

pub mod backlog;
pub mod csv;
pub mod period;
pub mod prolonged;
mod resolution;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::vocab::{CaseStatus, Role};
use crate::persistence::audit::{self, NewAuditEntry};
use crate::service::{Actor, Context, ServiceError};

/// The audit event of every report handed out (DOMAIN.md §2: "every export").
pub const REPORT_EXPORTED: &str = "report_exported";

/// The statuses in which a case still counts in the backlog (DOMAIN.md §4, "Open?").
pub fn open_statuses() -> Vec<&'static str> {
    CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect()
}

/// The statuses that end a case.
pub fn closed_statuses() -> Vec<&'static str> {
    CaseStatus::ALL.iter().filter(|s| !s.is_open()).map(|s| s.as_str()).collect()
}

/// A user as a report names them: the official's id and name, never a citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Official {
    pub id: i64,
    pub full_name: String,
}

/// The form a report is handed out in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
}

impl Format {
    pub const fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// An inclusive range of Vietnam local dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The period, refused when it ends before it starts.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, ServiceError> {
        if to < from {
            return Err(ServiceError::field("to", "must not be before `from`"));
        }
        Ok(Period { from, to })
    }

    /// An official reporting period with the data cut-off of Thông tư 01/2024/TT-TTCP (LAW.md
    /// §5.1, "thời gian chốt số liệu"): a quarter `YYYY-Qn`, where Q1 runs from 15 December of
    /// the previous year to 14 March and Q2, Q3 and Q4 from the 15th of the last month of the
    /// previous quarter to the 14th of the quarter's last month (15 Mar–14 Jun, 15 Jun–14 Sep,
    /// 15 Sep–14 Dec); or the six-month, nine-month and annual periods `YYYY-6M`, `YYYY-9M`,
    /// `YYYY-12M`, from 15 December of the previous year to 14 June, 14 September, 14 December.
    pub fn official(text: &str) -> Option<Self> {
        let (year, part) = text.trim().split_once(['-', ' '])?;
        let year: i32 = year.parse().ok()?;
        let digits = |text: Option<&str>| text.and_then(|t| t.parse::<u32>().ok());
        let (last_month, cumulative) = if let Some(quarter) = digits(part.strip_prefix(['Q', 'q'])) {
            ((1..=4).contains(&quarter).then_some(quarter * 3)?, quarter == 1)
        } else {
            let months = digits(part.strip_suffix(['M', 'm']))?;
            (matches!(months, 6 | 9 | 12).then_some(months)?, true)
        };
        let to = NaiveDate::from_ymd_opt(year, last_month, 14)?;
        let from = if cumulative {
            NaiveDate::from_ymd_opt(year.checked_sub(1)?, 12, 15)?
        } else {
            NaiveDate::from_ymd_opt(year, last_month - 3, 15)?
        };
        // Both ends within the years a report may name (Q1 and the cumulative periods begin in
        // the year before).
        [from, to].iter().all(|d| crate::time::FILTER_YEARS.contains(&d.year())).then_some(Period { from, to })
    }

    /// 1 January of `as_of`'s year to `as_of`: the default on-time period of the backlog.
    pub fn year_to_date(as_of: NaiveDate) -> Self {
        let from = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).expect("1 January exists");
        Period { from, to: as_of }
    }

    /// The UTC instants `[start, end)` that the local dates cover (timestamps are stored in UTC).
    pub fn instants(&self) -> (NaiveDateTime, NaiveDateTime) {
        (day_start(self.from), day_start(self.to.succ_opt().unwrap_or(self.to)))
    }
}

/// The UTC instant at which a Vietnam local date begins, as stored.
pub fn day_start(date: NaiveDate) -> NaiveDateTime {
    crate::time::vietnam_day_start_utc(date).naive_utc()
}

/// Heads and auditors read reports (DOMAIN.md §1).
pub fn require_reader(actor: &Actor) -> Result<(), ServiceError> {
    if matches!(actor.role, Role::Head | Role::Auditor) {
        Ok(())
    } else {
        Err(ServiceError::forbidden("Only heads and auditors may read reports."))
    }
}

/// Records that a report left the system (DOMAIN.md §2: every export is audited). The command
/// line has no signed-in user; its entries have no actor.
pub fn record_export(
    ctx: &Context,
    actor: Option<&Actor>,
    report: &str,
    format: Format,
    parameters: Value,
) -> Result<(), ServiceError> {
    let ip = actor.and_then(Actor::ip_text);
    let entry = NewAuditEntry {
        actor_id: actor.map(|a| a.user_id),
        event_type: REPORT_EXPORTED,
        object_type: Some("report"),
        object_id: None,
        ip: ip.as_deref(),
        details: json!({ "report": report, "format": format.as_str(), "parameters": parameters }),
    };
    ctx.db.write(|conn| audit::record(conn, &entry, crate::time::now()))?;
    Ok(())
}

/// A report as handed out: its JSON document, or its CSV text.
#[derive(Debug, Clone)]
pub enum Document<T> {
    Json(T),
    Csv(String),
}

/// Checks that the caller may read reports, builds the report, renders it in `format` and
/// audits the export. `actor` is `None` for the command line, which is run by the operator.
fn hand_out<T>(
    ctx: &Context,
    actor: Option<&Actor>,
    report: &str,
    format: Format,
    parameters: Value,
    build: impl FnOnce() -> Result<T, ServiceError>,
    render_csv: impl FnOnce(&T) -> String,
) -> Result<Document<T>, ServiceError> {
    if let Some(actor) = actor {
        require_reader(actor)?;
    }
    let built = build()?;
    let document = match format {
        Format::Json => Document::Json(built),
        Format::Csv => Document::Csv(render_csv(&built)),
    };
    record_export(ctx, actor, report, format, parameters)?;
    Ok(document)
}

/// Refuses a date outside [`crate::time::FILTER_YEARS`], naming the parameter it came in: dates
/// far outside them are valid calendar dates but no case's, and the deadline arithmetic of a
/// report is not defined near the calendar's ends.
fn within_report_years(field: &'static str, date: NaiveDate) -> Result<(), ServiceError> {
    match crate::time::outside_filter_years(date) {
        Some(problem) => Err(ServiceError::field(field, problem)),
        None => Ok(()),
    }
}

/// The backlog report (`GET /reports/backlog`, `tiepdan report backlog`).
pub fn backlog_report(
    ctx: &Context,
    actor: Option<&Actor>,
    query: backlog::BacklogQuery,
    format: Format,
) -> Result<Document<backlog::Backlog>, ServiceError> {
    within_report_years("as_of", query.as_of)?;
    within_report_years("from", query.on_time.from)?;
    within_report_years("to", query.on_time.to)?;
    let parameters = json!({ "as_of": query.as_of, "from": query.on_time.from, "to": query.on_time.to });
    hand_out(ctx, actor, "backlog", format, parameters, || backlog::backlog(ctx, query), csv::backlog)
}

/// The prolonged cases report (`GET /reports/prolonged`, `tiepdan report prolonged`).
pub fn prolonged_report(
    ctx: &Context,
    actor: Option<&Actor>,
    as_of: NaiveDate,
    format: Format,
) -> Result<Document<prolonged::ProlongedReport>, ServiceError> {
    within_report_years("as_of", as_of)?;
    hand_out(
        ctx,
        actor,
        "prolonged",
        format,
        json!({ "as_of": as_of }),
        || prolonged::prolonged_report(ctx, as_of),
        csv::prolonged,
    )
}

/// The period report (`GET /reports/period`, `tiepdan report period`).
pub fn period_report(
    ctx: &Context,
    actor: Option<&Actor>,
    period: Period,
    format: Format,
) -> Result<Document<period::PeriodReport>, ServiceError> {
    within_report_years("from", period.from)?;
    within_report_years("to", period.to)?;
    hand_out(
        ctx,
        actor,
        "period",
        format,
        json!({ "from": period.from, "to": period.to }),
        || period::period_report(ctx, period),
        csv::period,
    )
}

/// The on-time period of the backlog from optional bounds: 1 January of `as_of`'s year and
/// `as_of` stand in for a missing start and end (DOMAIN.md §11).
pub fn on_time_period(
    as_of: NaiveDate,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Period, ServiceError> {
    let default = Period::year_to_date(as_of);
    Period::new(from.unwrap_or(default.from), to.unwrap_or(default.to))
}

/// The period of the period report: `quarter` (official cut-off) or both `from` and `to`.
pub fn report_period(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    quarter: Option<&str>,
) -> Result<Period, ServiceError> {
    match (quarter, from, to) {
        (Some(quarter), None, None) => Period::official(quarter).ok_or_else(|| {
            ServiceError::field(
                "quarter",
                "must be an official period: a year and a quarter, e.g. 2026-Q1, or 2026-6M, 2026-9M, 2026-12M",
            )
        }),
        (Some(_), _, _) => Err(ServiceError::field("quarter", "give either `quarter` or `from` and `to`, not both")),
        (None, Some(from), Some(to)) => Period::new(from, to),
        (None, None, _) => Err(ServiceError::field("from", "is required (or give `quarter`)")),
        (None, Some(_), None) => Err(ServiceError::field("to", "is required (or give `quarter`)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn official_periods_cut_off_on_the_fourteenth() {
        let q = |t: &str| Period::official(t).map(|p| (p.from, p.to));
        assert_eq!(q("2026-Q1"), Some((d("2025-12-15"), d("2026-03-14"))));
        assert_eq!(q("2026-Q2"), Some((d("2026-03-15"), d("2026-06-14"))));
        assert_eq!(q("2026-Q3"), Some((d("2026-06-15"), d("2026-09-14"))));
        assert_eq!(q("2026-Q4"), Some((d("2026-09-15"), d("2026-12-14"))));
        assert_eq!(q("2024-q1"), Some((d("2023-12-15"), d("2024-03-14"))));
        assert_eq!(q("9999-Q4"), Some((d("9999-09-15"), d("9999-12-14"))));
        assert_eq!(q("1900-Q2"), Some((d("1900-03-15"), d("1900-06-14"))));
        // The six-month, nine-month and annual reports count from the start of Q1.
        assert_eq!(q("2026-6M"), Some((d("2025-12-15"), d("2026-06-14"))));
        assert_eq!(q("2026-9m"), Some((d("2025-12-15"), d("2026-09-14"))));
        assert_eq!(q("2026-12M"), Some((d("2025-12-15"), d("2026-12-14"))));
        for bad in [
            "2026-Q5",
            "2026-Q0",
            "2026",
            "Q1-2026",
            "abcd-Q1",
            "2026-Q",
            "2026-3M",
            "2026-M",
            "2026-Q1M",
            "1900-Q1",
            "1900-6M",
            "10000-Q1",
            "-2147483648-Q1",
        ] {
            assert_eq!(q(bad), None, "{bad}");
        }
    }

    #[test]
    fn periods_cover_whole_vietnam_days() {
        let period = Period::new(d("2026-01-01"), d("2026-01-31")).unwrap();
        let (start, end) = period.instants();
        assert_eq!(start.to_string(), "2025-12-31 17:00:00");
        assert_eq!(end.to_string(), "2026-01-31 17:00:00");
        assert!(Period::new(d("2026-02-01"), d("2026-01-31")).is_err());
        assert_eq!(Period::year_to_date(d("2026-05-09")), Period { from: d("2026-01-01"), to: d("2026-05-09") });
    }
}
