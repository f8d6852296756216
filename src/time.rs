//! Time as the application stores it: UTC instants truncated to microseconds (PostgreSQL keeps
//! microseconds, so a value read back equals the value written), and Vietnam local dates.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SubsecRound, TimeZone, Utc};

/// The years a date given as a filter or a report's bounds may name: every record's dates lie
/// within them, and both databases store them (chrono's calendar reaches further than either).
pub const FILTER_YEARS: std::ops::RangeInclusive<i32> = 1900..=9999;

/// What is wrong with a date given as a filter or a report's bound, if it lies outside
/// [`FILTER_YEARS`].
pub fn outside_filter_years(date: NaiveDate) -> Option<String> {
    (!FILTER_YEARS.contains(&date.year()))
        .then(|| format!("must be a date in the years {} to {}", FILTER_YEARS.start(), FILTER_YEARS.end()))
}

/// Vietnam is UTC+7 all year.
pub const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS).expect("UTC+7 is a valid offset")
}

/// The current instant, truncated to microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// The Vietnam local date of an instant.
pub fn vietnam_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vietnam()).date_naive()
}

/// Today's date in Vietnam.
pub fn vietnam_today() -> NaiveDate {
    vietnam_date(now())
}

/// The UTC instant at which a Vietnam local date begins. The first day chrono knows begins
/// before the first instant it knows; that day starts at that instant rather than failing.
pub fn vietnam_day_start_utc(date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    vietnam()
        .from_local_datetime(&midnight)
        .single()
        .map_or(DateTime::<Utc>::MIN_UTC, |start| start.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnam_dates_change_at_17_00_utc() {
        let before = Utc.with_ymd_and_hms(2026, 11, 27, 16, 59, 59).unwrap();
        let after = Utc.with_ymd_and_hms(2026, 11, 27, 17, 0, 0).unwrap();
        assert_eq!(vietnam_date(before), NaiveDate::from_ymd_opt(2026, 11, 27).unwrap());
        assert_eq!(vietnam_date(after), NaiveDate::from_ymd_opt(2026, 11, 28).unwrap());
        assert_eq!(vietnam_day_start_utc(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()), after);
    }

    #[test]
    fn the_first_day_starts_at_the_first_instant() {
        assert_eq!(vietnam_day_start_utc(NaiveDate::MIN), DateTime::<Utc>::MIN_UTC);
        let last = vietnam_day_start_utc(NaiveDate::MAX);
        assert_eq!(vietnam_date(last), NaiveDate::MAX);
    }

    #[test]
    fn now_keeps_microseconds_only() {
        assert_eq!(now().timestamp_subsec_nanos() % 1_000, 0);
    }
}
