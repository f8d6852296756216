//! Dates and instants written into JSON as one string each, for a case's responses (one case, or
//! every case of a list page).
//!
//! chrono's own `Serialize` hands serde_json a `Display` that writes an instant in a dozen
//! fragments, each escaped and appended on its own; in a page of fifty cases that was a fifth of
//! the time spent writing JSON. The text is chrono's: RFC 3339 in UTC with `Z` and a fraction of
//! a second only when there is one, and `YYYY-MM-DD`.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serializer;

/// `#[serde(serialize_with = "json_time::instant")]` on a `DateTime<Utc>`.
pub fn instant<S: Serializer>(at: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&at.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// `#[serde(serialize_with = "json_time::day")]` on a `NaiveDate`.
pub fn day<S: Serializer>(day: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&day.to_string())
}

/// `#[serde(serialize_with = "json_time::maybe_day")]` on an `Option<NaiveDate>`: `null` for none.
pub fn maybe_day<S: Serializer>(value: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(date) => day(date, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    struct Ours {
        #[serde(serialize_with = "instant")]
        at: DateTime<Utc>,
        #[serde(serialize_with = "day")]
        on: NaiveDate,
        #[serde(serialize_with = "maybe_day")]
        maybe: Option<NaiveDate>,
    }

    #[derive(Serialize)]
    struct Chronos {
        at: DateTime<Utc>,
        on: NaiveDate,
        maybe: Option<NaiveDate>,
    }

    #[test]
    fn writes_what_chrono_writes() {
        let start = Utc.with_ymd_and_hms(2019, 12, 31, 23, 59, 59).unwrap();
        // Whole seconds, milli-, micro- and nanoseconds, across years, leap days and midnight.
        let steps = [0, 1_000_000, 1_000, 1, 500_000_000, 123_456_789, 999_999_999];
        let mut at = start;
        for i in 0..4_000 {
            at = at + Duration::hours(7) + Duration::minutes(13) + Duration::nanoseconds(steps[i % steps.len()]);
            let on = at.date_naive();
            let maybe = (i % 3 != 0).then_some(on);
            let ours = serde_json::to_string(&Ours { at, on, maybe }).unwrap();
            let chronos = serde_json::to_string(&Chronos { at, on, maybe }).unwrap();
            assert_eq!(ours, chronos);
        }
        let far = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap();
        let ours = serde_json::to_string(&Ours { at: start, on: far, maybe: Some(far) }).unwrap();
        let chronos = serde_json::to_string(&Chronos { at: start, on: far, maybe: Some(far) }).unwrap();
        assert_eq!(ours, chronos);
    }
}
