//! The holiday calendar: seeded with the defaults on an empty database, loaded into memory for
//! every date computation, and replaced a year at a time by an administrator — which recomputes
//! every open case's due dates in the same transaction, with a timeline entry on each case whose
//! dates moved.

use chrono::{DateTime, NaiveDate, Utc};

use super::clocks::{CALENDAR_CHANGED, Recomputed, recompute_decided_cases, recompute_open_cases};
use super::{Actor, Context, ServiceError};
use crate::domain::calendar::{self, CalendarEntry, DateAddition, EntryKind, HolidayCalendar};
use crate::domain::vocab::{DayUnit, Role};
use crate::persistence::DbError;
use crate::persistence::calendar::{self as store, CalendarDay};

fn entry(day: CalendarDay) -> Result<CalendarEntry, DbError> {
    let kind = match day.kind.as_str() {
        "holiday" => EntryKind::Holiday,
        "working_day" => EntryKind::WorkingDay,
        other => return Err(DbError::Other(format!("unknown calendar day kind `{other}`"))),
    };
    Ok(CalendarEntry { date: day.date, kind, name: day.name })
}

fn day(entry: &CalendarEntry) -> CalendarDay {
    CalendarDay { date: entry.date, kind: entry.kind.as_str().to_owned(), name: entry.name.clone() }
}

/// Stores the default calendar when the table is empty; returns how many days it stored.
pub fn seed_if_empty(ctx: &Context) -> Result<usize, ServiceError> {
    ctx.db.write(|conn| {
        if store::count(conn)? > 0 {
            return Ok(0);
        }
        let entries = HolidayCalendar::default_calendar().entries();
        for entry in &entries {
            store::insert(conn, &day(entry))?;
        }
        Ok(entries.len())
    })
}

/// Reads the stored calendar into the context.
pub fn load(ctx: &Context) -> Result<(), ServiceError> {
    let entries = ctx.db.read(|conn| store::all(conn)?.into_iter().map(entry).collect::<Result<Vec<_>, DbError>>())?;
    let loaded = HolidayCalendar::from_entries(&entries)
        .map_err(|e| ServiceError::Internal(format!("the stored calendar is inconsistent: {e}")))?;
    *ctx.calendar.write().unwrap_or_else(|p| p.into_inner()) = loaded;
    Ok(())
}

/// The holidays and make-up working days of a year.
pub fn year(ctx: &Context, year: i32) -> Result<Vec<CalendarEntry>, ServiceError> {
    check_year(year)?;
    Ok(ctx.db.read(|conn| store::year(conn, year))?.into_iter().map(entry).collect::<Result<Vec<_>, _>>()?)
}

fn check_year(year: i32) -> Result<(), ServiceError> {
    if (1990..=2200).contains(&year) { Ok(()) } else { Err(ServiceError::NotFound("calendar year")) }
}

/// Replaces a year (admins), recomputing the kept due dates of the open cases and those decided
/// cases were held to. Returns the number of open cases whose due dates changed.
pub fn replace_year(
    ctx: &Context,
    actor: &Actor,
    year: i32,
    entries: &[CalendarEntry],
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    if actor.role != Role::Admin {
        return Err(ServiceError::forbidden("Only administrators change the calendar."));
    }
    replace_year_by(ctx, Some(actor), year, entries, now)
}

/// Replaces a year on behalf of `actor` (`None`: an operator at the command line).
pub fn replace_year_by(
    ctx: &Context,
    actor: Option<&Actor>,
    year: i32,
    entries: &[CalendarEntry],
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    check_year(year)?;
    calendar::validate_year(year, entries)
        .and_then(|()| calendar::check_names(entries))
        .map_err(|e| ServiceError::field("holidays", e.to_string()))?;
    let mut updated = ctx.calendar().clone();
    updated.replace_year(year, entries).map_err(|e| ServiceError::field("holidays", e.to_string()))?;

    // The new calendar is used for the recomputation, then installed once the transaction has
    // committed.
    let staged = Context { calendar: std::sync::Arc::new(std::sync::RwLock::new(updated.clone())), ..ctx.clone() };
    let changed = ctx.db.write(|conn| {
        store::replace_year(conn, year, &entries.iter().map(day).collect::<Vec<_>>())?;
        let actor_id = actor.map(|a| a.user_id);
        let open = recompute_open_cases(conn, &staged, Some(Recomputed { reason: CALENDAR_CHANGED, actor_id }), now)?;
        // A clock that ran out before the year began did not count its days.
        let first_day = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(ServiceError::NotFound("calendar year"))?;
        recompute_decided_cases(conn, &staged, Some(first_day))?;
        let holidays = entries.iter().filter(|e| e.kind == EntryKind::Holiday).count();
        let details = serde_json::json!({
            "holidays": holidays,
            "working_days": entries.len() - holidays,
            "open_cases_recomputed": open.moved,
        });
        super::audit::record_event(
            conn,
            actor,
            super::audit::event::CALENDAR_REPLACED,
            ("calendar", year.into()),
            details,
            now,
        )?;
        Ok::<_, ServiceError>(open.moved)
    })?;
    *ctx.calendar.write().unwrap_or_else(|p| p.into_inner()) = updated;
    Ok(changed)
}

/// Replaces every year found in `entries` (the CLI's `calendar import`); returns, per year, the
/// number of open cases whose due dates changed.
pub fn import(ctx: &Context, entries: &[CalendarEntry], now: DateTime<Utc>) -> Result<Vec<(i32, usize)>, ServiceError> {
    let mut years: Vec<i32> = entries.iter().map(|e| chrono::Datelike::year(&e.date)).collect();
    years.sort_unstable();
    years.dedup();
    let mut changed = Vec::new();
    for year in years {
        let of_year: Vec<CalendarEntry> =
            entries.iter().filter(|e| chrono::Datelike::year(&e.date) == year).cloned().collect();
        changed.push((year, replace_year_by(ctx, None, year, &of_year, now)?));
    }
    Ok(changed)
}

/// `from` plus `days` in `unit`, with the days that shaped the result.
pub fn add(ctx: &Context, from: NaiveDate, days: u32, unit: DayUnit) -> Result<DateAddition, ServiceError> {
    ctx.calendar().try_add_explained(from, days, unit).map_err(|e| ServiceError::field("days", e.to_string()))
}
