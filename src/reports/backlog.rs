//! The backlog report (DOMAIN.md §11): the open cases as of a date.
//!
//! The backlog is the current state evaluated at `as_of`: a case counts when it was received on
//! or before `as_of` and its current status is open; `as_of` is "today" for the overdue and
//! due-soon tests, the aging buckets and the most overdue cases. (Statuses are not rebuilt from
//! the timeline here: a head reads the backlog to act on it now.)

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;

use super::resolution::{self, count_where};
use super::{Official, Period, open_statuses};
use crate::domain::deadline;
use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind, Field};
use crate::persistence::dates::Day;
use crate::persistence::in_list::in_ids;
use crate::persistence::schema::{cases, users};
use crate::persistence::words::Word;
use crate::persistence::{AnyConnection, DbError};
use crate::service::{Context, ServiceError};

/// How many of the most overdue cases the report lists.
pub const MOST_OVERDUE_LIMIT: usize = 20;

/// The aging buckets, in days since receipt (inclusive bounds; the last has none).
pub const AGING_BUCKETS: &[(&str, i64, Option<i64>)] = &[
    ("0-30", 0, Some(30)),
    ("31-60", 31, Some(60)),
    ("61-90", 61, Some(90)),
    ("91-180", 91, Some(180)),
    ("181-365", 181, Some(365)),
    ("366+", 366, None),
];

/// The receipt dates of the cases of a bucket of [`AGING_BUCKETS`] as of a date: from the
/// earliest (none for the last bucket) to the latest, both inclusive.
fn receipt_dates(as_of: NaiveDate, bucket: usize) -> (Option<NaiveDate>, NaiveDate) {
    let (_, low, high) = AGING_BUCKETS[bucket];
    (high.map(|high| as_of - Duration::days(high)), as_of - Duration::days(low))
}

/// The bucket of a case received `days` days before `as_of`.
#[cfg(test)]
fn aging_bucket(days: i64) -> &'static str {
    AGING_BUCKETS
        .iter()
        .find(|(_, low, high)| days >= *low && high.is_none_or(|h| days <= h))
        .map_or(AGING_BUCKETS[0].0, |(name, _, _)| *name)
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Backlog {
    pub as_of: NaiveDate,
    pub open_total: i64,
    pub by_kind_status: Vec<KindStatusCount>,
    pub by_field: Vec<FieldCount>,
    pub by_handler: Vec<HandlerCount>,
    pub overdue: ClockCounts,
    pub due_soon: ClockCounts,
    pub aging: Vec<AgingCount>,
    pub on_time: OnTime,
    pub most_overdue: Vec<OverdueCase>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindStatusCount {
    pub kind: CaseKind,
    pub status: CaseStatus,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FieldCount {
    pub field: Field,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HandlerCount {
    /// Null for the unassigned queue.
    pub handler: Option<Official>,
    pub open: i64,
    pub overdue: i64,
}

/// Cases counted once in `total`; clocks counted in `by_clock` (DOMAIN.md §7).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockCounts {
    pub total: i64,
    pub by_clock: Vec<ClockCount>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockCount {
    pub clock: ClockKind,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AgingCount {
    pub bucket: String,
    pub count: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OnTime {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub on_time: i64,
    pub late: i64,
    /// On time ÷ (on time + late); null when there is nothing to rate.
    pub rate: Option<f64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OverdueCase {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
    pub assignee: Option<Official>,
}

/// What the backlog is asked for.
#[derive(Debug, Clone, Copy)]
pub struct BacklogQuery {
    pub as_of: NaiveDate,
    /// The on-time period; 1 January of `as_of`'s year to `as_of` when not given.
    pub on_time: Period,
}

pub fn backlog(ctx: &Context, query: BacklogQuery) -> Result<Backlog, ServiceError> {
    ctx.db.snapshot(|conn| build(conn, ctx, query))
}

fn build(conn: &mut AnyConnection, ctx: &Context, query: BacklogQuery) -> Result<Backlog, ServiceError> {
    let as_of = query.as_of;
    let open = open_statuses();
    // The open cases as of the date; every count below is of these, by the database, from the due
    // dates kept beside each case.
    let open_cases = || cases::table.filter(cases::status.eq_any(open.clone())).filter(cases::received_on.le(as_of));

    let mut by_kind_status: Vec<KindStatusCount> = open_cases()
        .group_by((cases::kind, cases::status))
        .select((cases::kind, cases::status, count_star()))
        .load::<(Word<CaseKind>, Word<CaseStatus>, i64)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .map(|(Word(kind), Word(status), count)| KindStatusCount { kind, status, count })
        .collect();
    by_kind_status.sort_by_key(|c| (c.kind, c.status));
    let mut by_field: Vec<FieldCount> = open_cases()
        .group_by(cases::field)
        .select((cases::field, count_star()))
        .load::<(Word<Field>, i64)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .map(|(Word(field), count)| FieldCount { field, count })
        .collect();
    by_field.sort_by_key(|c| c.field);
    let handlers: Vec<(Option<i64>, i64, i64)> = open_cases()
        .group_by(cases::assignee_id)
        .select((cases::assignee_id, count_star(), count_where(cases::due_on.lt(as_of))))
        .load(conn)
        .map_err(DbError::from)?;

    let calendar = ctx.calendar().clone();
    let window = ctx.rules.in_force_on(as_of).due_soon_working_days;
    let until = deadline::due_soon_until(as_of, &calendar, window);
    let received = |bucket: usize| receipt_dates(as_of, bucket);
    let received_within = |bucket: usize| {
        let (earliest, latest) = received(bucket);
        cases::received_on.between(earliest.unwrap_or(latest), latest)
    };
    let ages: [i64; 7] = open_cases()
        .select((
            count_star(),
            count_where(received_within(0)),
            count_where(received_within(1)),
            count_where(received_within(2)),
            count_where(received_within(3)),
            count_where(received_within(4)),
            count_where(cases::received_on.le(received(5).1)),
        ))
        .first::<(i64, i64, i64, i64, i64, i64, i64)>(conn)
        .map_err(DbError::from)?
        .into();
    let open_total = ages[0];
    let aging = AGING_BUCKETS
        .iter()
        .zip(&ages[1..])
        .map(|((bucket, _, _), count)| AgingCount { bucket: (*bucket).to_owned(), count: *count })
        .collect();

    // Overdue: due before `as_of` (a term ends with its last day); due soon: due from `as_of` to
    // the end of the window.
    let (from, to) = (query.on_time.from, query.on_time.to);
    let (overdue_total, due_soon_total, processing, acceptance, resolution_clock, review, reply, late_undecided) =
        open_cases()
            .select((
                count_where(cases::due_on.lt(as_of)),
                count_where(cases::due_on.between(as_of, until)),
                (
                    count_where(cases::processing_due_on.lt(as_of)),
                    count_where(cases::processing_due_on.between(as_of, until)),
                ),
                (
                    count_where(cases::acceptance_due_on.lt(as_of)),
                    count_where(cases::acceptance_due_on.between(as_of, until)),
                ),
                (
                    count_where(cases::resolution_due_on.lt(as_of)),
                    count_where(cases::resolution_due_on.between(as_of, until)),
                ),
                (count_where(cases::review_due_on.lt(as_of)), count_where(cases::review_due_on.between(as_of, until))),
                (count_where(cases::reply_due_on.lt(as_of)), count_where(cases::reply_due_on.between(as_of, until))),
                // Undecided and past a resolution due date within the on-time period: late.
                count_where(cases::resolution_due_on.lt(as_of).and(cases::resolution_due_on.between(from, to))),
            ))
            .first::<(i64, i64, (i64, i64), (i64, i64), (i64, i64), (i64, i64), (i64, i64), i64)>(conn)
            .map_err(DbError::from)?;
    let clocks = [
        (ClockKind::Processing, processing),
        (ClockKind::Acceptance, acceptance),
        (ClockKind::Resolution, resolution_clock),
        (ClockKind::Review, review),
        (ClockKind::Reply, reply),
    ];
    let by_clock = |pick: fn((i64, i64)) -> i64| {
        clocks
            .iter()
            .map(|&(clock, counts)| ClockCount { clock, count: pick(counts) })
            .filter(|c| c.count > 0)
            .collect()
    };
    let overdue = ClockCounts { total: overdue_total, by_clock: by_clock(|(overdue, _)| overdue) };
    let due_soon = ClockCounts { total: due_soon_total, by_clock: by_clock(|(_, due_soon)| due_soon) };

    let decided = resolution::tally_decided(conn, from, to)?;
    let on_time_count = decided.on_time;
    let late = decided.late() + late_undecided;

    let overdue_cases: Vec<(i64, String, String, NaiveDate, Option<i64>)> = open_cases()
        .filter(cases::due_on.lt(as_of))
        .order((cases::due_on.asc(), cases::id.asc()))
        .limit(MOST_OVERDUE_LIMIT as i64)
        .select((cases::id, cases::code, cases::title, cases::due_on.assume_not_null(), cases::assignee_id))
        .load::<(i64, String, String, Day, Option<i64>)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .map(|(id, code, title, Day(due_on), assignee_id)| (id, code, title, due_on, assignee_id))
        .collect();

    let mut user_ids: Vec<i64> = handlers.iter().filter_map(|(id, _, _)| *id).collect();
    user_ids.extend(overdue_cases.iter().filter_map(|c| c.4));
    user_ids.sort_unstable();
    user_ids.dedup();
    let names: HashMap<i64, String> = users::table
        .filter(in_ids(users::id, &user_ids))
        .select((users::id, users::full_name))
        .load::<(i64, String)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .collect();
    let official = |id: i64| Official { id, full_name: names.get(&id).cloned().unwrap_or_default() };

    let mut by_handler: Vec<HandlerCount> = handlers
        .into_iter()
        .map(|(id, open, overdue)| HandlerCount { handler: id.map(official), open, overdue })
        .collect();
    // The officials by name, the unassigned queue last.
    by_handler.sort_by(|a, b| match (&a.handler, &b.handler) {
        (Some(a), Some(b)) => a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });

    let most_overdue = overdue_cases
        .into_iter()
        .map(|(id, code, title, due_on, assignee_id)| OverdueCase {
            id,
            code,
            title,
            due_on,
            days_overdue: (as_of - due_on).num_days(),
            assignee: assignee_id.map(official),
        })
        .collect();

    Ok(Backlog {
        as_of,
        open_total,
        by_kind_status,
        by_field,
        by_handler,
        overdue,
        due_soon,
        aging,
        on_time: OnTime { from, to, on_time: on_time_count, late, rate: resolution::rate(on_time_count, late) },
        most_overdue,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aging_buckets_have_inclusive_bounds() {
        let cases = [
            (0, "0-30"),
            (30, "0-30"),
            (31, "31-60"),
            (60, "31-60"),
            (61, "61-90"),
            (90, "61-90"),
            (91, "91-180"),
            (180, "91-180"),
            (181, "181-365"),
            (365, "181-365"),
            (366, "366+"),
            (5000, "366+"),
        ];
        for (days, bucket) in cases {
            assert_eq!(aging_bucket(days), bucket, "{days} days");
        }
    }

    #[test]
    fn each_age_falls_in_the_receipt_dates_of_its_bucket_alone() {
        let as_of = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        for days in 0..2000 {
            let received_on = as_of - Duration::days(days);
            let holding: Vec<&str> = (0..AGING_BUCKETS.len())
                .filter(|&bucket| {
                    let (earliest, latest) = receipt_dates(as_of, bucket);
                    earliest.is_none_or(|e| e <= received_on) && received_on <= latest
                })
                .map(|bucket| AGING_BUCKETS[bucket].0)
                .collect();
            assert_eq!(holding, [aging_bucket(days)], "{days} days");
        }
    }
}
