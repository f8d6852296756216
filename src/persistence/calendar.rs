//! The holiday calendar as stored: public holidays and make-up working days, one row per date.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::schema::calendar_days;
use super::{AnyConnection, DbError};

/// One stored day: `kind` is `holiday` or `working_day`.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = calendar_days)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub kind: String,
    pub name: String,
}

pub fn all(conn: &mut AnyConnection) -> Result<Vec<CalendarDay>, DbError> {
    Ok(calendar_days::table.order(calendar_days::date.asc()).select(CalendarDay::as_select()).load(conn)?)
}

pub fn count(conn: &mut AnyConnection) -> Result<i64, DbError> {
    Ok(calendar_days::table.count().get_result(conn)?)
}

/// The days of one year, in date order.
pub fn year(conn: &mut AnyConnection, year: i32) -> Result<Vec<CalendarDay>, DbError> {
    let (first, last) = year_bounds(year)?;
    Ok(calendar_days::table
        .filter(calendar_days::date.between(first, last))
        .order(calendar_days::date.asc())
        .select(CalendarDay::as_select())
        .load(conn)?)
}

/// Replaces the days of one year.
pub fn replace_year(conn: &mut AnyConnection, year: i32, days: &[CalendarDay]) -> Result<(), DbError> {
    let (first, last) = year_bounds(year)?;
    diesel::delete(calendar_days::table.filter(calendar_days::date.between(first, last))).execute(conn)?;
    for day in days {
        insert(conn, day)?;
    }
    Ok(())
}

pub fn insert(conn: &mut AnyConnection, day: &CalendarDay) -> Result<(), DbError> {
    diesel::insert_into(calendar_days::table)
        .values((
            calendar_days::date.eq(day.date),
            calendar_days::kind.eq(&day.kind),
            calendar_days::name.eq(&day.name),
        ))
        .execute(conn)?;
    Ok(())
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate), DbError> {
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| DbError::Other(format!("year {year}")))?;
    let last = NaiveDate::from_ymd_opt(year, 12, 31).ok_or_else(|| DbError::Other(format!("year {year}")))?;
    Ok((first, last))
}
