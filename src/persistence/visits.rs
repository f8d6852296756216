//! The reception register: visits, their representatives, and the cases they reached (through
//! `intakes.visit_id`).

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::in_list::in_ids;
use super::schema::{cases, intakes, visit_representatives, visits};
use super::{AnyConnection, DbError, MultiBackend};

/// A stored visit, as its columns hold it.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = visits)]
pub struct VisitRow {
    pub id: i64,
    pub year: i32,
    pub register_no: i32,
    pub received_at: NaiveDateTime,
    pub mode: String,
    pub officer_id: i64,
    pub citizen_id: i64,
    pub group_size: i32,
    pub summary: String,
    /// Case kinds joined by commas.
    pub content_kinds: String,
    pub handled_before_by: Option<String>,
    pub outcome: String,
    pub document_no: Option<String>,
    pub target_body: Option<String>,
    pub refusal_ground: Option<i32>,
    pub created_at: NaiveDateTime,
}

/// The columns of a new visit; the register number is taken on insert.
#[derive(Debug, Clone)]
pub struct NewVisit<'a> {
    pub year: i32,
    /// The counter that numbers this year's register.
    pub register_scope: &'a str,
    pub received_at: DateTime<Utc>,
    pub mode: &'a str,
    pub officer_id: i64,
    pub citizen_id: i64,
    pub group_size: i32,
    pub summary: &'a str,
    pub content_kinds: &'a str,
    pub handled_before_by: Option<&'a str>,
    pub outcome: &'a str,
    pub document_no: Option<&'a str>,
    pub target_body: Option<&'a str>,
    pub refusal_ground: Option<i32>,
}

/// Inserts a visit with the next number of its year's register and its representatives, in the
/// caller's transaction: the counter's row lock serialises concurrent visits until commit, and a
/// rollback gives the number back, so the register stays gapless and free of duplicates.
pub fn insert(
    conn: &mut AnyConnection,
    visit: &NewVisit<'_>,
    representative_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<VisitRow, DbError> {
    let number = super::cases::next_number(conn, visit.register_scope)?;
    let register_no = i32::try_from(number)
        .map_err(|_| DbError::Other(format!("register {} is full at number {number}", visit.register_scope)))?;
    let id: i64 = diesel::insert_into(visits::table)
        .values((
            visits::year.eq(visit.year),
            visits::register_no.eq(register_no),
            visits::received_at.eq(visit.received_at.naive_utc()),
            visits::mode.eq(visit.mode),
            visits::officer_id.eq(visit.officer_id),
            visits::citizen_id.eq(visit.citizen_id),
            visits::group_size.eq(visit.group_size),
            visits::summary.eq(visit.summary),
            visits::content_kinds.eq(visit.content_kinds),
            visits::handled_before_by.eq(visit.handled_before_by),
            visits::outcome.eq(visit.outcome),
            visits::document_no.eq(visit.document_no),
            visits::target_body.eq(visit.target_body),
            visits::refusal_ground.eq(visit.refusal_ground),
            visits::created_at.eq(now.naive_utc()),
        ))
        .returning(visits::id)
        .get_result(conn)?;
    for citizen_id in representative_ids {
        diesel::insert_into(visit_representatives::table)
            .values((visit_representatives::visit_id.eq(id), visit_representatives::citizen_id.eq(citizen_id)))
            .execute(conn)?;
    }
    find(conn, id)?.ok_or(DbError::NotFound)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<VisitRow>, DbError> {
    Ok(visits::table.find(id).select(VisitRow::as_select()).first(conn).optional()?)
}

/// The representatives of several visits as `(visit_id, citizen_id)`, by citizen id within a
/// visit (the table keeps no order of its own).
pub fn representatives_of(conn: &mut AnyConnection, visit_ids: &[i64]) -> Result<Vec<(i64, i64)>, DbError> {
    Ok(visit_representatives::table
        .filter(in_ids(visit_representatives::visit_id, visit_ids))
        .order((visit_representatives::visit_id.asc(), visit_representatives::citizen_id.asc()))
        .select((visit_representatives::visit_id, visit_representatives::citizen_id))
        .load(conn)?)
}

/// A case a visit opened or added to, with what decides who may know about it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable)]
pub struct LinkedCase {
    pub visit_id: i64,
    pub case_id: i64,
    pub kind: String,
    pub assignee_id: Option<i64>,
    pub created_by: i64,
}

#[derive(Queryable)]
struct LinkedRow {
    visit_id: Option<i64>,
    case_id: i64,
    kind: String,
    assignee_id: Option<i64>,
    created_by: i64,
}

/// The cases several visits reached, in the order the visits reached them.
pub fn linked_cases(conn: &mut AnyConnection, visit_ids: &[i64]) -> Result<Vec<LinkedCase>, DbError> {
    let rows: Vec<LinkedRow> = intakes::table
        .inner_join(cases::table)
        .filter(in_ids(intakes::visit_id, visit_ids))
        .order(intakes::id.asc())
        .select((intakes::visit_id, cases::id, cases::kind, cases::assignee_id, cases::created_by))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let LinkedRow { visit_id, case_id, kind, assignee_id, created_by } = r;
            visit_id.map(|visit_id| LinkedCase { visit_id, case_id, kind, assignee_id, created_by })
        })
        .collect())
}

/// The filters of the register list. Dates are Vietnam local dates, inclusive, already turned
/// into UTC bounds.
#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    /// `received_at >= from`.
    pub received_from: Option<DateTime<Utc>>,
    /// `received_at < before`.
    pub received_before: Option<DateTime<Utc>>,
    pub officer_id: Option<i64>,
    pub mode: Option<String>,
}

impl VisitFilter {
    /// The UTC bounds of the local dates `from` to `to`, both inclusive.
    pub fn local_dates(
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        let start = from.map(crate::time::vietnam_day_start_utc);
        let end = to.and_then(|d| d.succ_opt()).map(crate::time::vietnam_day_start_utc);
        (start, end)
    }
}

/// Where a page of the register ended: newest first by `(received_at, id)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct VisitPosition {
    pub at: NaiveDateTime,
    pub id: i64,
}

impl VisitPosition {
    pub fn of(row: &VisitRow) -> Self {
        VisitPosition { at: row.received_at, id: row.id }
    }
}

/// Up to `limit` visits after `after`, newest first.
pub fn page(
    conn: &mut AnyConnection,
    filter: &VisitFilter,
    after: Option<&VisitPosition>,
    limit: i64,
) -> Result<Vec<VisitRow>, DbError> {
    let mut query = visits::table.into_boxed::<MultiBackend>();
    if let Some(from) = filter.received_from {
        query = query.filter(visits::received_at.ge(from.naive_utc()));
    }
    if let Some(before) = filter.received_before {
        query = query.filter(visits::received_at.lt(before.naive_utc()));
    }
    if let Some(officer) = filter.officer_id {
        query = query.filter(visits::officer_id.eq(officer));
    }
    if let Some(mode) = &filter.mode {
        query = query.filter(visits::mode.eq(mode.clone()));
    }
    if let Some(&VisitPosition { at, id }) = after {
        query = query.filter(visits::received_at.lt(at).or(visits::received_at.eq(at).and(visits::id.lt(id))));
    }
    Ok(query
        .order((visits::received_at.desc(), visits::id.desc()))
        .select(VisitRow::as_select())
        .limit(limit)
        .load(conn)?)
}
