//! The weekly backlog digest to every active head, Monday 07:00 Vietnam time (DOMAIN.md §8).
//! The worker asks at each pass whether this week's digest is due; the outbox's dedupe key (the
//! ISO week) makes the second and later asks queue nothing.

use chrono::{DateTime, Datelike, NaiveTime, Utc, Weekday};

use crate::service::{Context, ServiceError, notifications as digest};

/// The hour of Monday, Vietnam time, from which the week's digest is due.
pub const SEND_AT_HOUR: u32 = 7;

/// The ISO week (`2026-W49`) whose digest is due at `now`, or `None` before Monday 07:00 Vietnam
/// time. From then until the week ends the same key comes back, so a worker that was down on
/// Monday morning still sends the week's digest when it starts.
pub fn is_due(now: DateTime<Utc>) -> Option<String> {
    let local = now.with_timezone(&crate::time::vietnam());
    let send_at = NaiveTime::from_hms_opt(SEND_AT_HOUR, 0, 0)?;
    if local.weekday() == Weekday::Mon && local.time() < send_at {
        return None;
    }
    let week = local.iso_week();
    Some(format!("{}-W{:02}", week.year(), week.week()))
}

/// Queues this week's digest if it is due; returns how many messages were queued now.
pub fn run(ctx: &Context, now: DateTime<Utc>) -> Result<usize, ServiceError> {
    match is_due(now) {
        Some(week) => digest::queue_weekly_digest(ctx, &week, crate::time::vietnam_date(now), now),
        None => Ok(0),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn the_digest_is_due_from_monday_07_00_vietnam_time() {
        // 2026-11-29 is a Sunday; 23:59 UTC is Monday 06:59 in Vietnam.
        let before = Utc.with_ymd_and_hms(2026, 11, 29, 23, 59, 59).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 30, 0, 0, 0).unwrap();
        assert_eq!(is_due(before), None);
        assert_eq!(is_due(at).as_deref(), Some("2026-W49"));
        // Later in the week the same week is due (once, by the dedupe key).
        let thursday = Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap();
        assert_eq!(is_due(thursday).as_deref(), Some("2026-W49"));
        // Sunday evening in Vietnam still belongs to the week before.
        let sunday_evening = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        assert_eq!(is_due(sunday_evening).as_deref(), Some("2026-W48"));
    }

    #[test]
    fn weeks_are_iso_weeks_across_the_new_year() {
        // Monday 2026-12-28 07:00 in Vietnam: ISO week 53 of 2026; 2027-01-04 is W01 of 2027.
        assert_eq!(is_due(Utc.with_ymd_and_hms(2026, 12, 28, 0, 0, 0).unwrap()).as_deref(), Some("2026-W53"));
        assert_eq!(is_due(Utc.with_ymd_and_hms(2027, 1, 4, 0, 30, 0).unwrap()).as_deref(), Some("2027-W01"));
        assert_eq!(is_due(Utc.with_ymd_and_hms(2027, 1, 3, 23, 30, 0).unwrap()), None);
    }
}
