//! Date and timestamp columns on the read paths that matter: every request's session and user,
//! each row of a list page, a year of cases in a report. SQLite stores them as text
//! (`YYYY-MM-DD`, `YYYY-MM-DD HH:MM:SS[.fraction]`), which diesel reads with chrono's general
//! parser, driven by a format string it interprets on every value; [`Day`], [`MaybeDay`],
//! [`Stamp`] and [`MaybeStamp`] read the stored form directly and hand anything else to
//! diesel's reader.
//! PostgreSQL's binary values go through diesel as usual. Each reads alike through
//! `AnyConnection` and on the backend's own connection (`on_backend!`).
//!
//! Use them in a `Queryable` struct with `#[diesel(deserialize_as = Day)]` on a `NaiveDate`
//! field, `MaybeDay` on an `Option<NaiveDate>`, `Stamp` on a `NaiveDateTime` and `MaybeStamp`
//! on an `Option<NaiveDateTime>`.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::pg::{Pg, PgValue};
use diesel::sql_types::{Date, Nullable, Timestamp};
use diesel::sqlite::{Sqlite, SqliteValue};

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

/// A `TIMESTAMP NOT NULL` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Stamp(pub NaiveDateTime);

/// A nullable `TIMESTAMP` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct MaybeStamp(pub Option<NaiveDateTime>);

impl From<Stamp> for NaiveDateTime {
    fn from(stamp: Stamp) -> Self {
        stamp.0
    }
}

impl From<MaybeStamp> for Option<NaiveDateTime> {
    fn from(stamp: MaybeStamp) -> Self {
        stamp.0
    }
}

/// SQLite's stored `YYYY-MM-DD`; anything else goes through diesel's own reader and its errors.
fn date_on_sqlite(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<NaiveDate> {
    match parse_iso_date(value.read_text()) {
        Some(date) => Ok(date),
        None => <NaiveDate as FromSql<Date, Sqlite>>::from_sql(value),
    }
}

/// SQLite's stored `YYYY-MM-DD HH:MM:SS[.fraction]`; anything else goes through diesel's reader.
fn stamp_on_sqlite(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<NaiveDateTime> {
    match parse_stored_stamp(value.read_text()) {
        Some(stamp) => Ok(stamp),
        None => <NaiveDateTime as FromSql<Timestamp, Sqlite>>::from_sql(value),
    }
}

/// The readings of a column wrapper: SQLite's text by `$on_sqlite`, PostgreSQL's binary value
/// by diesel, and through `MultiBackend` each value by its own backend's reading.
macro_rules! readings {
    (required: $wrapper:ident, $sql:ty, $value:ty, $on_sqlite:path) => {
        impl FromSql<$sql, Sqlite> for $wrapper {
            fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                $on_sqlite(value).map($wrapper)
            }
        }

        impl FromSql<$sql, Pg> for $wrapper {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                <$value as FromSql<$sql, Pg>>::from_sql(value).map($wrapper)
            }
        }

        impl FromSql<$sql, MultiBackend> for $wrapper {
            fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
                match value {
                    MultiRawValue::Sqlite(value) => <Self as FromSql<$sql, Sqlite>>::from_sql(value),
                    MultiRawValue::Postgresql(value) => <Self as FromSql<$sql, Pg>>::from_sql(value),
                }
            }
        }
    };
    (nullable: $wrapper:ident, $sql:ty, $value:ty, $on_sqlite:path) => {
        impl FromSql<Nullable<$sql>, Sqlite> for $wrapper {
            fn from_sql(value: SqliteValue<'_, '_, '_>) -> deserialize::Result<Self> {
                $on_sqlite(value).map(|value| $wrapper(Some(value)))
            }

            fn from_nullable_sql(value: Option<SqliteValue<'_, '_, '_>>) -> deserialize::Result<Self> {
                value.map_or(Ok($wrapper(None)), <Self as FromSql<Nullable<$sql>, Sqlite>>::from_sql)
            }
        }

        impl FromSql<Nullable<$sql>, Pg> for $wrapper {
            fn from_sql(value: PgValue<'_>) -> deserialize::Result<Self> {
                <$value as FromSql<$sql, Pg>>::from_sql(value).map(|value| $wrapper(Some(value)))
            }

            fn from_nullable_sql(value: Option<PgValue<'_>>) -> deserialize::Result<Self> {
                value.map_or(Ok($wrapper(None)), <Self as FromSql<Nullable<$sql>, Pg>>::from_sql)
            }
        }

        impl FromSql<Nullable<$sql>, MultiBackend> for $wrapper {
            fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
                match value {
                    MultiRawValue::Sqlite(value) => <Self as FromSql<Nullable<$sql>, Sqlite>>::from_sql(value),
                    MultiRawValue::Postgresql(value) => <Self as FromSql<Nullable<$sql>, Pg>>::from_sql(value),
                }
            }

            fn from_nullable_sql(value: Option<MultiRawValue<'_>>) -> deserialize::Result<Self> {
                value.map_or(Ok($wrapper(None)), <Self as FromSql<Nullable<$sql>, MultiBackend>>::from_sql)
            }
        }
    };
}

pub(super) use readings;

readings!(required: Day, Date, NaiveDate, date_on_sqlite);
readings!(nullable: MaybeDay, Date, NaiveDate, date_on_sqlite);
readings!(required: Stamp, Timestamp, NaiveDateTime, stamp_on_sqlite);
readings!(nullable: MaybeStamp, Timestamp, NaiveDateTime, stamp_on_sqlite);

/// The digits of `bytes` as a number, if they are all digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// `YYYY-MM-DD HH:MM:SS`, optionally with `.` and one to nine digits of a second (the form
/// diesel writes), or `None`.
fn parse_stored_stamp(text: &str) -> Option<NaiveDateTime> {
    let bytes = text.as_bytes();
    if bytes.len() < 19 || bytes[10] != b' ' || bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let date = parse_iso_date(text.get(..10)?)?;
    let nanos = match &bytes[19..] {
        [] => 0,
        [b'.', fraction @ ..] if (1..=9).contains(&fraction.len()) => {
            digits(fraction)? * 10u32.pow(9 - fraction.len() as u32)
        }
        _ => return None,
    };
    let time =
        NaiveTime::from_hms_nano_opt(digits(&bytes[11..13])?, digits(&bytes[14..16])?, digits(&bytes[17..19])?, nanos)?;
    Some(date.and_time(time))
}

/// `YYYY-MM-DD` with four-digit year, or `None`.
fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(digits(&bytes[0..4])?).ok()?, digits(&bytes[5..7])?, digits(&bytes[8..10])?)
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

    #[test]
    fn reads_stored_timestamps_as_diesel_writes_them() {
        let at = |h, m, s, nano| NaiveDate::from_ymd_opt(2026, 11, 28).unwrap().and_hms_nano_opt(h, m, s, nano);
        assert_eq!(parse_stored_stamp("2026-11-28 06:30:00"), at(6, 30, 0, 0));
        assert_eq!(parse_stored_stamp("2026-11-28 23:59:59.5"), at(23, 59, 59, 500_000_000));
        assert_eq!(parse_stored_stamp("2026-11-28 00:00:01.000123"), at(0, 0, 1, 123_000));
        assert_eq!(parse_stored_stamp("2026-11-28 12:00:00.123456789"), at(12, 0, 0, 123_456_789));
        // Other forms go to diesel's own reader.
        for other in [
            "2026-11-28T06:30:00",
            "2026-11-28 06:30",
            "2026-11-28 06:30:00Z",
            "2026-11-28 06:30:00+07:00",
            "2026-11-28 06:30:00.",
            "2026-11-28 06:30:00.1234567890",
            "2026-11-28 24:00:00",
            "2026-11-28 06:60:00",
            "2026-11-28 06:30:60",
            "2026-02-30 06:30:00",
            "2026-11-28 6:30:00",
            "2026-11-28 06:30:0é",
            "2026-11-28\u{a0}06:30:00",
            "",
        ] {
            assert_eq!(parse_stored_stamp(other), None, "{other}");
        }
        // Whatever chrono writes in diesel's format (whole seconds, milli-, micro- and
        // nanoseconds) reads back unchanged.
        let start = NaiveDate::from_ymd_opt(2024, 2, 28).unwrap().and_hms_opt(0, 0, 0).unwrap();
        let fractions = [0, 250_000_000, 123_000, 987_654_321];
        for step in 0..5_000i64 {
            let stamp = start
                + chrono::Duration::seconds(step * 7_919)
                + chrono::Duration::nanoseconds(fractions[step as usize % fractions.len()]);
            let written = stamp.format("%F %T%.f").to_string();
            assert_eq!(parse_stored_stamp(&written), Some(stamp), "{written}");
        }
    }

    #[test]
    fn other_stored_forms_read_as_diesel_reads_them() {
        use diesel::dsl::sql;
        use diesel::prelude::*;

        use crate::persistence::AnyConnection;

        let mut conn = AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        for stored in
            ["2026-11-28 06:30:00.25", "2026-11-28T06:30:00", "2026-11-28 06:30", "2026-12-31 23:59:60.5", "2461007.5"]
        {
            let literal = format!("'{stored}'");
            let ours: Stamp = diesel::select(sql::<Timestamp>(&literal)).get_result(&mut conn).unwrap();
            let diesels: NaiveDateTime = diesel::select(sql::<Timestamp>(&literal)).get_result(&mut conn).unwrap();
            assert_eq!(ours.0, diesels, "{stored}");
        }
        let none: MaybeStamp = diesel::select(sql::<Nullable<Timestamp>>("NULL")).get_result(&mut conn).unwrap();
        assert_eq!(none, MaybeStamp(None));
        let bad = diesel::select(sql::<Timestamp>("'not a time'")).get_result::<Stamp>(&mut conn);
        assert!(bad.is_err());
    }

    /// Each reader gives the same values through `AnyConnection` and on each backend's own
    /// connection (`on_backend!`), NULLs included; PostgreSQL when `TEST_DATABASE_URL` is set.
    #[test]
    fn reads_alike_through_either_connection() {
        use diesel::dsl::sql;
        use diesel::prelude::*;

        use crate::persistence::{AnyConnection, on_backend};

        type Row = (Day, MaybeDay, MaybeDay, Stamp, MaybeStamp, MaybeStamp);
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let expected: Row = (
            Day(day(2026, 11, 28)),
            MaybeDay(Some(day(2024, 2, 29))),
            MaybeDay(None),
            Stamp(day(2026, 11, 28).and_hms_milli_opt(6, 30, 0, 250).unwrap()),
            MaybeStamp(Some(day(2026, 11, 28).and_hms_opt(23, 59, 59).unwrap())),
            MaybeStamp(None),
        );
        type Sql = (Date, Nullable<Date>, Nullable<Date>, Timestamp, Nullable<Timestamp>, Nullable<Timestamp>);

        let mut connections = vec![AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap())];
        if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
            connections.push(AnyConnection::Postgresql(diesel::PgConnection::establish(&url).unwrap()));
        }
        for mut conn in connections {
            // SQLite keeps dates and timestamps as text; PostgreSQL needs the types named.
            let columns = match conn {
                AnyConnection::Sqlite(_) => {
                    "'2026-11-28', '2024-02-29', NULL, '2026-11-28 06:30:00.25', '2026-11-28 23:59:59', NULL"
                }
                AnyConnection::Postgresql(_) => {
                    "DATE '2026-11-28', DATE '2024-02-29', NULL::date, TIMESTAMP '2026-11-28 06:30:00.25', \
                     TIMESTAMP '2026-11-28 23:59:59', NULL::timestamp"
                }
            };
            let through_any: Row = diesel::select(sql::<Sql>(columns)).get_result(&mut conn).unwrap();
            let own: Row = on_backend!(&mut conn, |c| diesel::select(sql::<Sql>(columns)).get_result(c)).unwrap();
            assert_eq!(through_any, expected);
            assert_eq!(own, expected);
        }
    }
}
