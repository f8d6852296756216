//! Date columns read for bulk work. SQLite stores a date as `YYYY-MM-DD` text, which diesel
//! reads through chrono's general format parser; the reports read a year of cases at once, so
//! their rows take dates through [`Day`] and [`MaybeDay`], which read that text directly.
//! PostgreSQL's binary dates go through diesel as usual.
//!
//! Use them in a `Queryable` struct with `#[diesel(deserialize_as = Day)]` on a `NaiveDate`
//! field and `#[diesel(deserialize_as = MaybeDay)]` on an `Option<NaiveDate>` field.

use chrono::NaiveDate;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::{Date, Nullable};

use super::{MultiBackend, MultiRawValue};

/// A `DATE NOT NULL` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Day(pub NaiveDate);

/// A nullable `DATE` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct MaybeDay(pub Option<NaiveDate>);

impl From<Day> for NaiveDate {
    fn from(day: Day) -> Self {
        day.0
    }
}

impl From<MaybeDay> for Option<NaiveDate> {
    fn from(day: MaybeDay) -> Self {
        day.0
    }
}

fn read(value: MultiRawValue<'_>) -> deserialize::Result<NaiveDate> {
    match value {
        MultiRawValue::Sqlite(mut value) => {
            let text = value.read_text();
            // Anything but the stored form goes through diesel's own reader and its errors.
            match parse_iso_date(text) {
                Some(date) => Ok(date),
                None => <NaiveDate as FromSql<Date, diesel::sqlite::Sqlite>>::from_sql(value),
            }
        }
        MultiRawValue::Postgresql(value) => <NaiveDate as FromSql<Date, diesel::pg::Pg>>::from_sql(value),
    }
}

impl FromSql<Date, MultiBackend> for Day {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        read(value).map(Day)
    }
}

impl FromSql<Nullable<Date>, MultiBackend> for MaybeDay {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        read(value).map(|date| MaybeDay(Some(date)))
    }

    fn from_nullable_sql(value: Option<MultiRawValue<'_>>) -> deserialize::Result<Self> {
        value.map_or(Ok(MaybeDay(None)), Self::from_sql)
    }
}

/// `YYYY-MM-DD` with four-digit year, or `None`.
fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
    };
    NaiveDate::from_ymd_opt(i32::try_from(number(0..4)?).ok()?, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use chrono::Datelike;

    use super::*;

    #[test]
    fn reads_the_stored_form_and_refuses_the_rest() {
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(parse_iso_date("2026-11-28"), d(2026, 11, 28));
        assert_eq!(parse_iso_date("2024-02-29"), d(2024, 2, 29));
        assert_eq!(parse_iso_date("0001-01-01"), d(1, 1, 1));
        for bad in ["2025-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "2026/11/28", "2026-11-2x", "+2026-11-2", ""]
        {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        // Every day of a few years, against chrono's own reading.
        let mut day = NaiveDate::from_ymd_opt(2019, 12, 25).unwrap();
        while day.year() < 2029 {
            assert_eq!(parse_iso_date(&day.to_string()), Some(day));
            day = day.succ_opt().unwrap();
        }
    }
}
