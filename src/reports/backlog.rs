//! The backlog report (DOMAIN.md §11): the open cases as of a date.
//!
//! The backlog is the current state evaluated at `as_of`: a case counts when it was received on
//! or before `as_of` and its current status is open; `as_of` is "today" for the overdue and
//! due-soon tests, the aging buckets and the most overdue cases. (Statuses are not rebuilt from
//! the timeline here: a head reads the backlog to act on it now.)

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::resolution::{self, ClockedCase, Suspensions};
use super::{Official, Period, open_statuses};
use crate::domain::deadline;
use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind, Field};
use crate::persistence::in_list::in_ids;
use crate::persistence::schema::{cases, users};
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

/// The bucket of a case received `days` days before `as_of`.
pub fn aging_bucket(days: i64) -> &'static str {
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

    // One read of the open cases serves every count: the clocks must be computed per case in
    // any case, and counting the loaded rows is cheaper than asking the database again.
    // In no particular order (an ORDER BY would lead SQLite to walk the whole table in id
    // order); the most overdue are sorted below.
    let open_cases: Vec<ClockedCase> = cases::table
        .filter(cases::status.eq_any(open.clone()))
        .filter(cases::received_on.le(as_of))
        .select(ClockedCase::as_select())
        .load(conn)
        .map_err(DbError::from)?;
    let open_total = open_cases.len() as i64;

    let mut kind_status: BTreeMap<(CaseKind, CaseStatus), i64> = BTreeMap::new();
    let mut fields: BTreeMap<Field, i64> = BTreeMap::new();
    let mut handlers: HashMap<Option<i64>, i64> = HashMap::new();
    let mut buckets: HashMap<&'static str, i64> = HashMap::new();
    for case in &open_cases {
        *kind_status.entry((case.kind, case.status)).or_default() += 1;
        *fields.entry(case.field).or_default() += 1;
        *handlers.entry(case.assignee_id).or_default() += 1;
        *buckets.entry(aging_bucket((as_of - case.received_on).num_days())).or_default() += 1;
    }
    let by_kind_status =
        kind_status.into_iter().map(|((kind, status), count)| KindStatusCount { kind, status, count }).collect();
    let by_field = fields.into_iter().map(|(field, count)| FieldCount { field, count }).collect();
    let aging = AGING_BUCKETS
        .iter()
        .map(|(bucket, _, _)| AgingCount {
            bucket: (*bucket).to_owned(),
            count: buckets.get(bucket).copied().unwrap_or(0),
        })
        .collect();

    let suspensions = Suspensions::of_statuses(conn, &open)?;
    let calendar = ctx.calendar().clone();
    let window = ctx.rules.in_force_on(as_of).due_soon_working_days;
    let due_soon_until = deadline::due_soon_until(as_of, &calendar, window);
    let is_due_soon = |due_on: NaiveDate| deadline::is_due_soon_by(due_on, as_of, due_soon_until);
    let mut overdue_clocks: BTreeMap<ClockKind, i64> = BTreeMap::new();
    let mut due_soon_clocks: BTreeMap<ClockKind, i64> = BTreeMap::new();
    let (mut overdue_total, mut due_soon_total) = (0, 0);
    let mut overdue_by_handler: HashMap<Option<i64>, i64> = HashMap::new();
    let mut overdue_cases: Vec<(&ClockedCase, NaiveDate)> = Vec::new();
    let mut late_undecided = 0;
    for case in &open_cases {
        let dues = case.due_dates(ctx, &calendar, &suspensions)?;
        for d in &dues {
            let Some(due) = d.due_on else { continue };
            if deadline::is_overdue(due, as_of) {
                *overdue_clocks.entry(d.clock).or_default() += 1;
            } else if is_due_soon(due) {
                *due_soon_clocks.entry(d.clock).or_default() += 1;
            }
            // Undecided and past its resolution due date within the on-time period: late.
            if d.clock == ClockKind::Resolution
                && due >= query.on_time.from
                && due <= query.on_time.to
                && deadline::is_overdue(due, as_of)
            {
                late_undecided += 1;
            }
        }
        if let Some(due_on) = dues.iter().filter_map(|d| d.due_on).min() {
            if deadline::is_overdue(due_on, as_of) {
                overdue_total += 1;
                *overdue_by_handler.entry(case.assignee_id).or_default() += 1;
                overdue_cases.push((case, due_on));
            } else if is_due_soon(due_on) {
                due_soon_total += 1;
            }
        }
    }

    let decided = resolution::tally_decided(conn, ctx, &calendar, query.on_time.from, query.on_time.to)?;
    let on_time_count = decided.on_time;
    let late = decided.late() + late_undecided;

    overdue_cases.sort_by(|(a, a_due), (b, b_due)| a_due.cmp(b_due).then(a.id.cmp(&b.id)));
    overdue_cases.truncate(MOST_OVERDUE_LIMIT);

    let mut user_ids: Vec<i64> = handlers.keys().filter_map(|id| *id).collect();
    user_ids.extend(overdue_cases.iter().filter_map(|(c, _)| c.assignee_id));
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
        .map(|(id, open)| HandlerCount {
            handler: id.map(official),
            open,
            overdue: overdue_by_handler.get(&id).copied().unwrap_or(0),
        })
        .collect();
    // The officials by name, the unassigned queue last.
    by_handler.sort_by(|a, b| match (&a.handler, &b.handler) {
        (Some(a), Some(b)) => a.full_name.cmp(&b.full_name).then(a.id.cmp(&b.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });

    let overdue_ids: Vec<i64> = overdue_cases.iter().map(|(case, _)| case.id).collect();
    let descriptions: HashMap<i64, (String, String)> = cases::table
        .filter(in_ids(cases::id, &overdue_ids))
        .select((cases::id, cases::code, cases::title))
        .load::<(i64, String, String)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .map(|(id, code, title)| (id, (code, title)))
        .collect();
    let most_overdue = overdue_cases
        .into_iter()
        .map(|(case, due_on)| {
            let (code, title) = descriptions.get(&case.id).cloned().unwrap_or_default();
            OverdueCase {
                id: case.id,
                code,
                title,
                due_on,
                days_overdue: (as_of - due_on).num_days(),
                assignee: case.assignee_id.map(official),
            }
        })
        .collect();

    let counts =
        |map: BTreeMap<ClockKind, i64>| map.into_iter().map(|(clock, count)| ClockCount { clock, count }).collect();
    Ok(Backlog {
        as_of,
        open_total,
        by_kind_status,
        by_field,
        by_handler,
        overdue: ClockCounts { total: overdue_total, by_clock: counts(overdue_clocks) },
        due_soon: ClockCounts { total: due_soon_total, by_clock: counts(due_soon_clocks) },
        aging,
        on_time: OnTime {
            from: query.on_time.from,
            to: query.on_time.to,
            on_time: on_time_count,
            late,
            rate: resolution::rate(on_time_count, late),
        },
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
}
