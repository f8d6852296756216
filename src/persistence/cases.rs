//! Cases, the people on them, their intakes and their timeline.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::dates::{Day, MaybeDay, Stamp};
use super::in_list::{in_ids, in_texts};
use super::schema::{case_events, case_people, case_suspensions, cases, citizens, counters, intakes, users};
use super::texts::{AsBytes, MaybeUtf8, Utf8};
use super::{AnyConnection, DbError, on_backend};
use crate::domain::deadline::ClockDueDates;

/// A stored case, as its columns hold it, less the normalized copies written for searching
/// (`locality_norm`, `search_text`), which only queries of their own filter or group on: a page
/// reads up to two hundred of these.
///
/// Its free-text columns are selected through [`AsBytes`], so that SQLite's bytes are checked as
/// UTF-8 with SIMD (see `texts`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct CaseRow {
    pub id: i64,
    pub code: String,
    pub kind: String,
    pub round: i32,
    pub parent_id: Option<i64>,
    pub field: String,
    #[diesel(select_expression = AsBytes(cases::locality), select_expression_type = AsBytes<cases::locality>)]
    #[diesel(deserialize_as = MaybeUtf8)]
    pub locality: Option<String>,
    #[diesel(select_expression = AsBytes(cases::title), select_expression_type = AsBytes<cases::title>)]
    #[diesel(deserialize_as = Utf8)]
    pub title: String,
    #[diesel(select_expression = AsBytes(cases::summary), select_expression_type = AsBytes<cases::summary>)]
    #[diesel(deserialize_as = Utf8)]
    pub summary: String,
    #[diesel(select_expression = AsBytes(cases::respondent), select_expression_type = AsBytes<cases::respondent>)]
    #[diesel(deserialize_as = Utf8)]
    pub respondent: String,
    pub source: String,
    #[diesel(select_expression = AsBytes(cases::forwarded_by), select_expression_type = AsBytes<cases::forwarded_by>)]
    #[diesel(deserialize_as = MaybeUtf8)]
    pub forwarded_by: Option<String>,
    #[diesel(deserialize_as = Stamp)]
    pub received_at: NaiveDateTime,
    #[diesel(deserialize_as = Day)]
    pub received_on: NaiveDate,
    pub status: String,
    pub status_before_suspension: Option<String>,
    pub assignee_id: Option<i64>,
    pub created_by: i64,
    pub group_size: i32,
    pub complex: bool,
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
    pub central_list: bool,
    pub filed_late: bool,
    pub intake_count: i32,
    pub intake_after_decision: bool,
    #[diesel(deserialize_as = MaybeDay)]
    pub accepted_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub transferred_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub decided_on: Option<NaiveDate>,
    pub extensions: i32,
    pub outcome: Option<String>,
    pub duplicate_of: Option<i64>,
    #[diesel(deserialize_as = MaybeDay)]
    pub retention_until: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub due_on: Option<NaiveDate>,
    #[diesel(embed)]
    pub clock_due_dates: ClockDueColumns,
    #[diesel(deserialize_as = MaybeDay)]
    pub decided_due_on: Option<NaiveDate>,
    pub version: i32,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    pub updated_at: NaiveDateTime,
}

/// The kept due date of each clock (`ClockDueDates`), the earliest of which is `due_on`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = cases)]
pub struct ClockDueColumns {
    #[diesel(deserialize_as = MaybeDay)]
    pub processing_due_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub acceptance_due_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub review_due_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub resolution_due_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub reply_due_on: Option<NaiveDate>,
}

impl From<ClockDueColumns> for ClockDueDates {
    fn from(c: ClockDueColumns) -> Self {
        ClockDueDates {
            processing: c.processing_due_on,
            acceptance: c.acceptance_due_on,
            review: c.review_due_on,
            resolution: c.resolution_due_on,
            reply: c.reply_due_on,
        }
    }
}

impl From<ClockDueDates> for ClockDueColumns {
    fn from(d: ClockDueDates) -> Self {
        ClockDueColumns {
            processing_due_on: d.processing,
            acceptance_due_on: d.acceptance,
            review_due_on: d.review,
            resolution_due_on: d.resolution,
            reply_due_on: d.reply,
        }
    }
}

/// The columns of a new case.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cases)]
pub struct NewCaseRow<'a> {
    pub code: &'a str,
    pub kind: &'a str,
    pub round: i32,
    pub parent_id: Option<i64>,
    pub field: &'a str,
    pub locality: Option<&'a str>,
    pub locality_norm: Option<&'a str>,
    pub title: &'a str,
    pub summary: &'a str,
    pub respondent: &'a str,
    pub search_text: &'a str,
    pub source: &'a str,
    pub forwarded_by: Option<&'a str>,
    pub received_at: NaiveDateTime,
    pub received_on: NaiveDate,
    pub status: &'a str,
    pub created_by: i64,
    pub group_size: i32,
    pub complex: bool,
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
    pub central_list: bool,
    pub due_on: Option<NaiveDate>,
    pub processing_due_on: Option<NaiveDate>,
    pub acceptance_due_on: Option<NaiveDate>,
    pub review_due_on: Option<NaiveDate>,
    pub resolution_due_on: Option<NaiveDate>,
    pub reply_due_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Takes the next number of a gapless counter (visit register, case codes). The row lock taken
/// by the update serialises concurrent writers until commit, and a rollback returns the number.
pub fn next_number(conn: &mut AnyConnection, scope: &str) -> Result<i64, DbError> {
    // Make sure the row exists without failing when a concurrent transaction creates it first
    // (PostgreSQL waits for that transaction, then does nothing).
    let start = (counters::scope.eq(scope), counters::value.eq(0_i64));
    match conn {
        AnyConnection::Sqlite(inner) => {
            diesel::insert_or_ignore_into(counters::table).values(start).execute(inner)?;
        }
        AnyConnection::Postgresql(inner) => {
            diesel::insert_into(counters::table).values(start).on_conflict_do_nothing().execute(inner)?;
        }
    }
    Ok(diesel::update(counters::table.filter(counters::scope.eq(scope)))
        .set(counters::value.eq(counters::value + 1))
        .returning(counters::value)
        .get_result(conn)?)
}

pub fn insert(conn: &mut AnyConnection, row: &NewCaseRow<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(cases::table).values(row).returning(cases::id).get_result(conn)?)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<CaseRow>, DbError> {
    Ok(cases::table.find(id).select(CaseRow::as_select()).first(conn).optional()?)
}

pub fn find_many(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<CaseRow>, DbError> {
    Ok(cases::table.filter(in_ids(cases::id, ids)).select(CaseRow::as_select()).load(conn)?)
}

/// A person on a case, with the citizen's details.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct PersonRow {
    pub case_id: i64,
    pub citizen_id: i64,
    pub role: String,
    pub position: i32,
    #[diesel(deserialize_as = Utf8)]
    pub full_name: String,
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[diesel(deserialize_as = Utf8)]
    pub address: String,
}

pub fn add_person(
    conn: &mut AnyConnection,
    case_id: i64,
    citizen_id: i64,
    role: &str,
    position: i32,
) -> Result<(), DbError> {
    diesel::insert_into(case_people::table)
        .values((
            case_people::case_id.eq(case_id),
            case_people::citizen_id.eq(citizen_id),
            case_people::role.eq(role),
            case_people::position.eq(position),
        ))
        .execute(conn)?;
    Ok(())
}

/// The people of several cases, in their order on each case.
pub fn people_of(conn: &mut AnyConnection, case_ids: &[i64]) -> Result<Vec<PersonRow>, DbError> {
    Ok(on_backend!(conn, |c| case_people::table
        .inner_join(citizens::table)
        .filter(in_ids(case_people::case_id, case_ids))
        .order((case_people::case_id.asc(), case_people::position.asc()))
        .select((
            case_people::case_id,
            case_people::citizen_id,
            case_people::role,
            case_people::position,
            AsBytes(citizens::full_name),
            citizens::id_number,
            citizens::phone,
            citizens::email,
            AsBytes(citizens::address),
        ))
        .load(c))?)
}

/// The ids of the cases a citizen takes part in, with the role, newest first.
pub fn cases_of_citizen(conn: &mut AnyConnection, citizen_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    Ok(case_people::table
        .filter(case_people::citizen_id.eq(citizen_id))
        .order(case_people::case_id.desc())
        .select((case_people::case_id, case_people::role))
        .load(conn)?)
}

/// Full names of users, for `assignee` and `actor` members.
pub fn user_names(conn: &mut AnyConnection, ids: &[i64]) -> Result<Vec<(i64, String)>, DbError> {
    Ok(on_backend!(conn, |c| users::table
        .filter(in_ids(users::id, ids))
        .select((users::id, users::full_name))
        .load(c))?)
}

/// Descriptive columns a PATCH may change.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = cases)]
pub struct DescriptionChanges<'a> {
    pub title: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub field: Option<&'a str>,
    pub locality: Option<Option<&'a str>>,
    pub locality_norm: Option<Option<&'a str>>,
    pub respondent: Option<&'a str>,
    pub search_text: Option<&'a str>,
    pub complex: Option<bool>,
    pub very_complex: Option<bool>,
    pub remote_area: Option<bool>,
    pub multi_site: Option<bool>,
    pub central_list: Option<bool>,
}

/// Applies changes only if the case is still at `version`; false when someone else changed it
/// first (the compare-and-set behind `If-Match`).
pub fn update_description(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &DescriptionChanges<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let updated = diesel::update(cases::table.filter(cases::id.eq(id)).filter(cases::version.eq(version)))
        .set((changes, cases::version.eq(version + 1), cases::updated_at.eq(now.naive_utc())))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Sets the assignee if the case is still at `version`.
pub fn assign(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    assignee_id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let updated = diesel::update(cases::table.filter(cases::id.eq(id)).filter(cases::version.eq(version)))
        .set((
            cases::assignee_id.eq(assignee_id),
            cases::version.eq(version + 1),
            cases::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Counts one more intake on a case; a letter after a decision marks the case prolonged.
pub fn count_intake(
    conn: &mut AnyConnection,
    id: i64,
    after_decision: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set((
            cases::intake_count.eq(cases::intake_count + 1),
            cases::version.eq(cases::version + 1),
            cases::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if after_decision {
        diesel::update(cases::table.find(id)).set(cases::intake_after_decision.eq(true)).execute(conn)?;
    }
    Ok(())
}

/// One letter or visit that reached a case.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = intakes)]
pub struct IntakeRow {
    pub id: i64,
    pub case_id: i64,
    pub visit_id: Option<i64>,
    pub channel: String,
    pub received_at: NaiveDateTime,
    pub summary: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

#[allow(clippy::too_many_arguments)]
pub fn insert_intake(
    conn: &mut AnyConnection,
    case_id: i64,
    visit_id: Option<i64>,
    channel: &str,
    received_at: DateTime<Utc>,
    summary: Option<&str>,
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<i64, DbError> {
    Ok(diesel::insert_into(intakes::table)
        .values((
            intakes::case_id.eq(case_id),
            intakes::visit_id.eq(visit_id),
            intakes::channel.eq(channel),
            intakes::received_at.eq(received_at.naive_utc()),
            intakes::summary.eq(summary),
            intakes::created_by.eq(created_by),
            intakes::created_at.eq(now.naive_utc()),
        ))
        .returning(intakes::id)
        .get_result(conn)?)
}

pub fn intakes_of(conn: &mut AnyConnection, case_id: i64) -> Result<Vec<IntakeRow>, DbError> {
    Ok(intakes::table
        .filter(intakes::case_id.eq(case_id))
        .order((intakes::received_at.asc(), intakes::id.asc()))
        .select(IntakeRow::as_select())
        .load(conn)?)
}

/// A timeline entry to append.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub case_id: i64,
    pub actor_id: Option<i64>,
    pub event_type: &'a str,
    pub from_status: Option<&'a str>,
    pub to_status: Option<&'a str>,
    pub data: serde_json::Value,
}

/// A stored timeline entry.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = case_events)]
pub struct EventRow {
    pub id: i64,
    pub case_id: i64,
    #[diesel(deserialize_as = Stamp)]
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub event_type: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub data: String,
}

pub fn append_event(conn: &mut AnyConnection, event: &NewEvent<'_>, at: DateTime<Utc>) -> Result<EventRow, DbError> {
    let id: i64 = diesel::insert_into(case_events::table)
        .values((
            case_events::case_id.eq(event.case_id),
            case_events::at.eq(at.naive_utc()),
            case_events::actor_id.eq(event.actor_id),
            case_events::event_type.eq(event.event_type),
            case_events::from_status.eq(event.from_status),
            case_events::to_status.eq(event.to_status),
            case_events::data.eq(event.data.to_string()),
        ))
        .returning(case_events::id)
        .get_result(conn)?;
    Ok(case_events::table.find(id).select(EventRow::as_select()).first(conn)?)
}

/// The events of some cases, oldest first.
pub fn events_of(conn: &mut AnyConnection, case_ids: &[i64]) -> Result<Vec<EventRow>, DbError> {
    Ok(case_events::table
        .filter(in_ids(case_events::case_id, case_ids))
        .order(case_events::id.asc())
        .select(EventRow::as_select())
        .load(conn)?)
}

/// Ids of the cases linked to one: its parent and children (rounds), duplicates, both ways, and
/// the parts of a split letter (the original, its parts, and a part's sibling parts).
pub fn linked_ids(conn: &mut AnyConnection, case: &CaseRow) -> Result<Vec<i64>, DbError> {
    Ok(linked_ids_of(conn, std::slice::from_ref(case))?.remove(&case.id).unwrap_or_default())
}

/// The linked cases of each of `cases` (see [`linked_ids`]), read with four queries however
/// many cases there are.
pub fn linked_ids_of(conn: &mut AnyConnection, cases: &[CaseRow]) -> Result<HashMap<i64, Vec<i64>>, DbError> {
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let split_from: HashMap<i64, i64> = on_backend!(&mut *conn, |c| cases::table
        .filter(in_ids(cases::id, &ids))
        .filter(cases::split_from.is_not_null())
        .select((cases::id, cases::split_from.assume_not_null()))
        .load::<(i64, i64)>(c))?
    .into_iter()
    .collect();
    let originals: Vec<i64> = cases.iter().map(|c| split_from.get(&c.id).copied().unwrap_or(c.id)).collect();
    // Three lookups, one per index: SQLite answers an OR of these columns with a full scan.
    let mut followers: HashMap<i64, Vec<i64>> = HashMap::new();
    let children: Vec<(i64, Option<i64>)> = on_backend!(&mut *conn, |c| cases::table
        .filter(in_ids(cases::parent_id, &ids))
        .select((cases::id, cases::parent_id))
        .load(c))?;
    let duplicates: Vec<(i64, Option<i64>)> = on_backend!(&mut *conn, |c| cases::table
        .filter(in_ids(cases::duplicate_of, &ids))
        .select((cases::id, cases::duplicate_of))
        .load(c))?;
    for (id, target) in children.into_iter().chain(duplicates) {
        if let Some(target) = target {
            followers.entry(target).or_default().push(id);
        }
    }
    let mut parts: HashMap<i64, Vec<i64>> = HashMap::new();
    let split: Vec<(i64, Option<i64>)> = on_backend!(&mut *conn, |c| cases::table
        .filter(in_ids(cases::split_from, &originals))
        .select((cases::id, cases::split_from))
        .load(c))?;
    for (id, original) in split {
        if let Some(original) = original {
            parts.entry(original).or_default().push(id);
        }
    }
    Ok(cases
        .iter()
        .zip(originals)
        .map(|(case, original)| {
            let mut linked: Vec<i64> = followers.get(&case.id).into_iter().flatten().copied().collect();
            linked.extend(parts.get(&original).into_iter().flatten().copied());
            linked.extend(case.parent_id);
            linked.extend(case.duplicate_of);
            linked.push(original);
            linked.sort_unstable();
            linked.dedup();
            linked.retain(|id| *id != case.id);
            (case.id, linked)
        })
        .collect())
}

/// Keeps the due date of each running clock, their earliest as `due_on`, and the resolution due
/// date a decision is held to.
pub fn set_kept_due_dates(
    conn: &mut AnyConnection,
    id: i64,
    dates: &ClockDueDates,
    decided_due_on: Option<NaiveDate>,
) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set((
            cases::due_on.eq(dates.earliest()),
            cases::decided_due_on.eq(decided_due_on),
            cases::processing_due_on.eq(dates.processing),
            cases::acceptance_due_on.eq(dates.acceptance),
            cases::review_due_on.eq(dates.review),
            cases::resolution_due_on.eq(dates.resolution),
            cases::reply_due_on.eq(dates.reply),
        ))
        .execute(conn)?;
    Ok(())
}

/// A suspension of a case's resolution.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = case_suspensions)]
pub struct SuspensionRow {
    pub id: i64,
    pub case_id: i64,
    #[diesel(deserialize_as = Day)]
    pub effective_on: NaiveDate,
    #[diesel(deserialize_as = MaybeDay)]
    pub resumed_on: Option<NaiveDate>,
    #[diesel(deserialize_as = Stamp)]
    pub created_at: NaiveDateTime,
}

/// The suspensions of some cases, oldest first.
pub fn suspensions_of(conn: &mut AnyConnection, case_ids: &[i64]) -> Result<Vec<SuspensionRow>, DbError> {
    Ok(on_backend!(conn, |c| case_suspensions::table
        .filter(in_ids(case_suspensions::case_id, case_ids))
        .order((case_suspensions::case_id.asc(), case_suspensions::effective_on.asc(), case_suspensions::id.asc()))
        .select(SuspensionRow::as_select())
        .load(c))?)
}

pub fn suspend(
    conn: &mut AnyConnection,
    case_id: i64,
    effective_on: NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(case_suspensions::table)
        .values((
            case_suspensions::case_id.eq(case_id),
            case_suspensions::effective_on.eq(effective_on),
            case_suspensions::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Ends the open suspension of a case.
pub fn resume(conn: &mut AnyConnection, case_id: i64, resumed_on: NaiveDate) -> Result<(), DbError> {
    diesel::update(
        case_suspensions::table
            .filter(case_suspensions::case_id.eq(case_id))
            .filter(case_suspensions::resumed_on.is_null()),
    )
    .set(case_suspensions::resumed_on.eq(resumed_on))
    .execute(conn)?;
    Ok(())
}

/// The workflow columns a transition may change.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = cases)]
pub struct WorkflowChanges<'a> {
    pub status: Option<&'a str>,
    pub status_before_suspension: Option<Option<&'a str>>,
    pub accepted_on: Option<NaiveDate>,
    pub transferred_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub complex: Option<bool>,
    pub remote_area: Option<bool>,
    pub extensions: Option<i32>,
    pub outcome: Option<&'a str>,
    pub duplicate_of: Option<i64>,
    pub retention_until: Option<NaiveDate>,
}

/// Applies a transition if the case is still at `version`.
pub fn apply_transition(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &WorkflowChanges<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let updated = diesel::update(cases::table.filter(cases::id.eq(id)).filter(cases::version.eq(version)))
        .set((changes, cases::version.eq(version + 1), cases::updated_at.eq(now.naive_utc())))
        .execute(conn)?;
    Ok(updated == 1)
}

/// The case and type of each event of the given types on some cases, oldest first (history
/// facts of the guards).
pub fn events_of_type(
    conn: &mut AnyConnection,
    case_ids: &[i64],
    types: &[&str],
) -> Result<Vec<(i64, String)>, DbError> {
    Ok(on_backend!(conn, |c| case_events::table
        .filter(in_ids(case_events::case_id, case_ids))
        .filter(in_texts(case_events::event_type, types))
        .order(case_events::id.asc())
        .select((case_events::case_id, case_events::event_type))
        .load(c))?)
}

/// The ids of the next `limit` decided cases after case `after_id`, in id order; with
/// `due_from`, only those held to a resolution due date on or after it.
pub fn decided_ids_after(
    conn: &mut AnyConnection,
    after_id: i64,
    limit: i64,
    due_from: Option<NaiveDate>,
) -> Result<Vec<i64>, DbError> {
    let mut query = cases::table
        .filter(cases::decided_on.is_not_null())
        .filter(cases::id.gt(after_id))
        .order(cases::id.asc())
        .limit(limit)
        .select(cases::id)
        .into_boxed();
    if let Some(due_from) = due_from {
        query = query.filter(cases::decided_due_on.ge(due_from));
    }
    Ok(query.load(conn)?)
}

/// Holds some cases until the write transaction ends, so that what is read of them next is not
/// changed meanwhile by another transaction (PostgreSQL; SQLite's write transactions already run
/// one at a time).
pub fn lock(conn: &mut AnyConnection, ids: &[i64]) -> Result<(), DbError> {
    if let AnyConnection::Postgresql(inner) = conn {
        cases::table
            .filter(cases::id.eq_any(ids))
            .order(cases::id.asc())
            .select(cases::id)
            .for_update()
            .load::<i64>(inner)?;
    }
    Ok(())
}

/// The ids of the cases in one of `statuses`, in id order.
pub fn ids_in_statuses(conn: &mut AnyConnection, statuses: &[&str]) -> Result<Vec<i64>, DbError> {
    Ok(cases::table.filter(cases::status.eq_any(statuses)).order(cases::id.asc()).select(cases::id).load(conn)?)
}

/// Every case in one of `statuses` (the open ones, for recomputation).
pub fn open_cases(conn: &mut AnyConnection, statuses: &[&str]) -> Result<Vec<CaseRow>, DbError> {
    Ok(cases::table
        .filter(cases::status.eq_any(statuses))
        .order(cases::id.asc())
        .select(CaseRow::as_select())
        .load(conn)?)
}

/// Records that a new case is a part of the letter of case `original`.
pub fn set_split_from(conn: &mut AnyConnection, id: i64, original: i64) -> Result<(), DbError> {
    diesel::update(cases::table.find(id)).set(cases::split_from.eq(Some(original))).execute(conn)?;
    Ok(())
}

/// Records whether a second round came after the window the law gives for it.
pub fn set_filed_late(conn: &mut AnyConnection, id: i64, filed_late: bool) -> Result<(), DbError> {
    diesel::update(cases::table.find(id)).set(cases::filed_late.eq(filed_late)).execute(conn)?;
    Ok(())
}

/// Marks a decided case as reached by a new letter after its decision (it becomes prolonged).
pub fn mark_intake_after_decision(conn: &mut AnyConnection, id: i64, now: DateTime<Utc>) -> Result<(), DbError> {
    diesel::update(cases::table.find(id))
        .set((
            cases::intake_after_decision.eq(true),
            cases::version.eq(cases::version + 1),
            cases::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
