//! Loading many rows at once (`tiepdan seed-bench`): multi-row inserts with ids chosen by the
//! loader, so that one statement writes hundreds of rows and the rows of one batch can refer
//! to each other. `MultiConnection` cannot batch inserts, so each statement runs on the
//! concrete connection of its backend.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use diesel::upsert::excluded;

use super::schema::{case_events, case_people, case_suspensions, cases, citizens, counters, intakes, visits};
use super::{AnyConnection, DbError};

/// Bind parameters per statement: under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS: usize = 30_000;

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = citizens, treat_none_as_default_value = false)]
pub struct CitizenRecord {
    pub id: i64,
    pub full_name: String,
    pub id_number: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<String>,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub search_text: String,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = cases, treat_none_as_default_value = false)]
pub struct CaseRecord {
    pub id: i64,
    pub code: String,
    pub kind: &'static str,
    pub round: i32,
    pub parent_id: Option<i64>,
    pub field: &'static str,
    pub locality: Option<&'static str>,
    pub locality_norm: Option<String>,
    pub title: String,
    pub summary: String,
    pub respondent: &'static str,
    pub search_text: String,
    pub source: &'static str,
    pub forwarded_by: Option<&'static str>,
    pub received_at: NaiveDateTime,
    pub received_on: NaiveDate,
    pub status: &'static str,
    pub status_before_suspension: Option<&'static str>,
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
    pub accepted_on: Option<NaiveDate>,
    pub transferred_on: Option<NaiveDate>,
    pub decided_on: Option<NaiveDate>,
    pub extensions: i32,
    pub outcome: Option<&'static str>,
    pub duplicate_of: Option<i64>,
    pub retention_until: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub split_from: Option<i64>,
    pub processing_due_on: Option<NaiveDate>,
    pub acceptance_due_on: Option<NaiveDate>,
    pub review_due_on: Option<NaiveDate>,
    pub resolution_due_on: Option<NaiveDate>,
    pub reply_due_on: Option<NaiveDate>,
    pub decided_due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = case_people, treat_none_as_default_value = false)]
pub struct PersonRecord {
    pub case_id: i64,
    pub citizen_id: i64,
    pub role: &'static str,
    pub position: i32,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = visits, treat_none_as_default_value = false)]
pub struct VisitRecord {
    pub id: i64,
    pub year: i32,
    pub register_no: i32,
    pub received_at: NaiveDateTime,
    pub mode: &'static str,
    pub officer_id: i64,
    pub citizen_id: i64,
    pub group_size: i32,
    pub summary: String,
    pub content_kinds: &'static str,
    pub handled_before_by: Option<String>,
    pub outcome: &'static str,
    pub document_no: Option<String>,
    pub target_body: Option<String>,
    pub refusal_ground: Option<i32>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = intakes, treat_none_as_default_value = false)]
pub struct IntakeRecord {
    pub id: i64,
    pub case_id: i64,
    pub visit_id: Option<i64>,
    pub channel: &'static str,
    pub received_at: NaiveDateTime,
    pub summary: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = case_events, treat_none_as_default_value = false)]
pub struct EventRecord {
    pub id: i64,
    pub case_id: i64,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub event_type: &'static str,
    pub from_status: Option<&'static str>,
    pub to_status: Option<&'static str>,
    pub data: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = case_suspensions, treat_none_as_default_value = false)]
pub struct SuspensionRecord {
    pub id: i64,
    pub case_id: i64,
    pub effective_on: NaiveDate,
    pub resumed_on: Option<NaiveDate>,
    pub created_at: NaiveDateTime,
}

/// The rows of one batch, written in one transaction in the order of their references.
#[derive(Debug, Default)]
pub struct Batch {
    pub citizens: Vec<CitizenRecord>,
    pub visits: Vec<VisitRecord>,
    pub cases: Vec<CaseRecord>,
    pub people: Vec<PersonRecord>,
    pub intakes: Vec<IntakeRecord>,
    pub events: Vec<EventRecord>,
    pub suspensions: Vec<SuspensionRecord>,
}

impl Batch {
    pub fn rows(&self) -> usize {
        self.citizens.len()
            + self.visits.len()
            + self.cases.len()
            + self.people.len()
            + self.intakes.len()
            + self.events.len()
            + self.suspensions.len()
    }
}

/// Inserts `rows` in statements of as many rows as the bind-parameter limit allows (`$columns`:
/// the number of fields of the record).
macro_rules! insert_all {
    ($conn:expr, $table:expr, $rows:expr, $columns:expr) => {{
        for chunk in $rows.chunks(MAX_PARAMETERS / $columns) {
            match &mut *$conn {
                AnyConnection::Sqlite(inner) => diesel::insert_into($table).values(chunk).execute(inner)?,
                AnyConnection::Postgresql(inner) => diesel::insert_into($table).values(chunk).execute(inner)?,
            };
        }
    }};
}

/// Writes a batch (the caller holds the transaction).
pub fn insert(conn: &mut AnyConnection, batch: &Batch) -> Result<(), DbError> {
    insert_all!(conn, citizens::table, batch.citizens, 12);
    insert_all!(conn, visits::table, batch.visits, 16);
    insert_all!(conn, cases::table, batch.cases, 47);
    insert_all!(conn, case_people::table, batch.people, 4);
    insert_all!(conn, intakes::table, batch.intakes, 8);
    insert_all!(conn, case_events::table, batch.events, 8);
    insert_all!(conn, case_suspensions::table, batch.suspensions, 5);
    Ok(())
}

/// The highest id in use per table, so that loaded rows continue after them.
#[derive(Debug, Clone, Copy, Default)]
pub struct LastIds {
    pub citizen: i64,
    pub visit: i64,
    pub case: i64,
    pub intake: i64,
    pub event: i64,
    pub suspension: i64,
}

pub fn last_ids(conn: &mut AnyConnection) -> Result<LastIds, DbError> {
    use diesel::dsl::max;
    let last = |value: Option<i64>| value.unwrap_or(0);
    Ok(LastIds {
        citizen: last(citizens::table.select(max(citizens::id)).first(conn)?),
        visit: last(visits::table.select(max(visits::id)).first(conn)?),
        case: last(cases::table.select(max(cases::id)).first(conn)?),
        intake: last(intakes::table.select(max(intakes::id)).first(conn)?),
        event: last(case_events::table.select(max(case_events::id)).first(conn)?),
        suspension: last(case_suspensions::table.select(max(case_suspensions::id)).first(conn)?),
    })
}

/// Every counter (case codes, visit register numbers) by scope.
pub fn counters(conn: &mut AnyConnection) -> Result<BTreeMap<String, i64>, DbError> {
    Ok(counters::table.select((counters::scope, counters::value)).load::<(String, i64)>(conn)?.into_iter().collect())
}

/// Stores counters so that numbers given out later continue after the loaded ones.
pub fn store_counters(conn: &mut AnyConnection, values: &BTreeMap<String, i64>) -> Result<(), DbError> {
    for (scope, value) in values {
        let row = (counters::scope.eq(scope), counters::value.eq(value));
        match &mut *conn {
            AnyConnection::Sqlite(inner) => diesel::insert_into(counters::table)
                .values(row)
                .on_conflict(counters::scope)
                .do_update()
                .set(counters::value.eq(excluded(counters::value)))
                .execute(inner)?,
            AnyConnection::Postgresql(inner) => diesel::insert_into(counters::table)
                .values(row)
                .on_conflict(counters::scope)
                .do_update()
                .set(counters::value.eq(excluded(counters::value)))
                .execute(inner)?,
        };
    }
    Ok(())
}

/// After a load on PostgreSQL: the identity sequences continue after the loaded ids (call inside
/// the write transaction). SQLite's AUTOINCREMENT follows explicit ids by itself.
pub fn finish(conn: &mut AnyConnection) -> Result<(), DbError> {
    if let AnyConnection::Postgresql(inner) = &mut *conn {
        for table in ["citizens", "visits", "cases", "intakes", "case_events", "case_suspensions"] {
            diesel::sql_query(format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT MAX(id) FROM {table}), 1))"
            ))
            .execute(inner)?;
        }
    }
    Ok(())
}

/// After a load on PostgreSQL, outside any transaction: the tables vacuumed and analyzed, as
/// autovacuum would leave them soon after (the visibility map lets the backlog read its index
/// alone; the statistics plan the rest). A SQLite database is left unanalyzed, as the server
/// keeps it: its plans come from SQLite's fixed estimates, so the loaded database is planned as a
/// province's would be.
pub fn settle(conn: &mut AnyConnection) -> Result<(), DbError> {
    if let AnyConnection::Postgresql(inner) = &mut *conn {
        diesel::sql_query("VACUUM (ANALYZE)").execute(inner)?;
    }
    Ok(())
}
