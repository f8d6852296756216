//! The case list: every filter of `GET /cases`, the caller's visibility as a `WHERE` clause, and
//! keyset pages that stay fast at a million rows (no OFFSET; each sort has its index).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::cases::CaseRow;
use super::in_list::in_texts;
use super::schema::cases;
use super::{AnyConnection, DbError, on_backend};
use crate::domain::access::Visibility;

/// A flag to filter on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FlagFilter {
    Complex,
    VeryComplex,
    RemoteArea,
    MultiSite,
    CentralList,
    FiledLate,
    Mass,
    Repeat,
    Prolonged,
    Overdue,
    DueSoon,
}

/// Which assignee to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    User(i64),
    Nobody,
}

/// Every filter of the list, already checked and normalised.
#[derive(Debug, Clone)]
pub struct CaseFilter {
    pub visibility: Visibility,
    pub statuses: Vec<String>,
    pub open_statuses: Vec<String>,
    pub kind: Option<String>,
    pub field: Option<String>,
    /// A `LIKE` pattern over the normalised locality.
    pub locality_pattern: Option<String>,
    pub assignee: Option<AssigneeFilter>,
    pub overdue: bool,
    /// Due on or before this date.
    pub due_before: Option<NaiveDate>,
    pub received_from: Option<NaiveDate>,
    pub received_to: Option<NaiveDate>,
    pub flags: Vec<FlagFilter>,
    /// A `LIKE` pattern over the normalised code, title, summary and respondent.
    pub search_pattern: Option<String>,
    pub today: NaiveDate,
    /// The last day that still counts as due soon.
    pub due_soon_until: NaiveDate,
    /// Received on or before this date counts towards `prolonged` by age.
    pub prolonged_received_before: NaiveDate,
}

/// The order of the list; ties are broken by id in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    ReceivedAsc,
    ReceivedDesc,
    DueAsc,
    DueDesc,
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "k")]
pub enum Position {
    #[serde(rename = "r")]
    Received { at: NaiveDateTime, id: i64 },
    /// `due_on` None: the page ended among the cases without a running clock, listed last.
    #[serde(rename = "d")]
    Due { due_on: Option<NaiveDate>, id: i64 },
}

impl Position {
    pub fn of(row: &CaseRow, sort: Sort) -> Self {
        match sort {
            Sort::ReceivedAsc | Sort::ReceivedDesc => Position::Received { at: row.received_at, id: row.id },
            Sort::DueAsc | Sort::DueDesc => Position::Due { due_on: row.due_on, id: row.id },
        }
    }
}

/// Every filter of `$filter` (a `&CaseFilter`) on the cases table, as a query boxed for the
/// backend `$db`, to run on that backend's own connection inside `on_backend!`: its SQL is then
/// written once a run, for the statement-cache key, rather than on every pass over the query,
/// and its rows are read without the dispatch between backends. A macro, because a function
/// generic over the backend would need a bound for every expression it boxes.
macro_rules! filtered {
    ($filter:expr, $db:ty) => {{
        let filter: &CaseFilter = $filter;
        let mut query = cases::table.into_boxed::<$db>();
        query = match filter.visibility {
            Visibility::All => query,
            Visibility::AssignedToOrUnassigned(user) => {
                query.filter(cases::assignee_id.eq(user).or(cases::assignee_id.is_null()))
            }
            Visibility::CreatedBy(user) => query.filter(cases::created_by.eq(user)),
        };
        if !filter.statuses.is_empty() {
            query = query.filter(in_texts(cases::status, &filter.statuses));
        }
        if let Some(kind) = &filter.kind {
            query = query.filter(cases::kind.eq(kind.clone()));
        }
        if let Some(field) = &filter.field {
            query = query.filter(cases::field.eq(field.clone()));
        }
        if let Some(pattern) = &filter.locality_pattern {
            query = query.filter(cases::locality_norm.like(pattern.clone()).escape('\\'));
        }
        match filter.assignee {
            Some(AssigneeFilter::User(user)) => query = query.filter(cases::assignee_id.eq(user)),
            Some(AssigneeFilter::Nobody) => query = query.filter(cases::assignee_id.is_null()),
            None => {}
        }
        if filter.overdue {
            query = query.filter(cases::due_on.lt(filter.today));
        }
        if let Some(date) = filter.due_before {
            query = query.filter(cases::due_on.le(date));
        }
        if let Some(date) = filter.received_from {
            query = query.filter(cases::received_on.ge(date));
        }
        if let Some(date) = filter.received_to {
            query = query.filter(cases::received_on.le(date));
        }
        if let Some(pattern) = &filter.search_pattern {
            query = query.filter(cases::search_text.like(pattern.clone()).escape('\\'));
        }
        // Each set of flags gives one SQL text, whatever the order or repetition in the request:
        // a connection keeps every distinct statement it prepares, and diesel's cache has no bound.
        let mut flags = filter.flags.clone();
        flags.sort_unstable();
        flags.dedup();
        for flag in &flags {
            query = match flag {
                FlagFilter::Complex => query.filter(cases::complex.eq(true)),
                FlagFilter::VeryComplex => query.filter(cases::very_complex.eq(true)),
                FlagFilter::RemoteArea => query.filter(cases::remote_area.eq(true)),
                FlagFilter::MultiSite => query.filter(cases::multi_site.eq(true)),
                FlagFilter::CentralList => query.filter(cases::central_list.eq(true)),
                FlagFilter::FiledLate => query.filter(cases::filed_late.eq(true)),
                FlagFilter::Mass => query.filter(cases::group_size.ge(crate::domain::case::MASS_GROUP_SIZE)),
                FlagFilter::Repeat => query.filter(cases::intake_count.ge(2)),
                FlagFilter::Prolonged => query.filter(in_texts(cases::status, &filter.open_statuses)).filter(
                    cases::received_on
                        .lt(filter.prolonged_received_before)
                        .or(cases::intake_after_decision.eq(true))
                        .or(cases::round.eq(2)),
                ),
                FlagFilter::Overdue => query.filter(cases::due_on.lt(filter.today)),
                FlagFilter::DueSoon => {
                    query.filter(cases::due_on.ge(filter.today)).filter(cases::due_on.le(filter.due_soon_until))
                }
            };
        }
        query
    }};
}

/// The boxed `$query` in `($column, id)` order, past `$after` (the `(value, id)` of the last row
/// of the previous page) when there is one. The plain bound beside the OR gives the planner an
/// index range to start from: without it SQLite walks the index from the first row to the cursor.
macro_rules! keyset {
    ($query:expr, $column:expr, $after:expr, $ascending:expr) => {{
        let mut query = $query;
        let ascending: bool = $ascending;
        if let Some((value, id)) = $after {
            query = if ascending {
                query.filter($column.ge(value)).filter($column.gt(value).or($column.eq(value).and(cases::id.gt(id))))
            } else {
                query.filter($column.le(value)).filter($column.lt(value).or($column.eq(value).and(cases::id.lt(id))))
            };
        }
        if ascending {
            query.order(($column.asc(), cases::id.asc()))
        } else {
            query.order(($column.desc(), cases::id.desc()))
        }
    }};
}

/// One page: `limit` rows after `after` in `sort` order (ask for one more than you show).
pub fn page(
    conn: &mut AnyConnection,
    filter: &CaseFilter,
    sort: Sort,
    after: Option<&Position>,
    limit: i64,
) -> Result<Vec<CaseRow>, DbError> {
    match sort {
        Sort::ReceivedAsc | Sort::ReceivedDesc => received_page(conn, filter, sort, after, limit),
        Sort::DueAsc | Sort::DueDesc => due_page(conn, filter, sort, after, limit),
    }
}

fn received_page(
    conn: &mut AnyConnection,
    filter: &CaseFilter,
    sort: Sort,
    after: Option<&Position>,
    limit: i64,
) -> Result<Vec<CaseRow>, DbError> {
    let ascending = sort == Sort::ReceivedAsc;
    let after = match after {
        Some(Position::Received { at, id }) => Some((*at, *id)),
        _ => None,
    };
    Ok(on_backend!(conn, |c, Db| {
        let query = keyset!(filtered!(filter, Db), cases::received_at, after, ascending);
        query.select(CaseRow::as_select()).limit(limit).load(c)?
    }))
}

/// Cases with a due date first (in order), then those without one (by id): two index-friendly
/// queries instead of one that sorts NULLs.
fn due_page(
    conn: &mut AnyConnection,
    filter: &CaseFilter,
    sort: Sort,
    after: Option<&Position>,
    limit: i64,
) -> Result<Vec<CaseRow>, DbError> {
    let ascending = sort == Sort::DueAsc;
    let (in_dated_part, after_due, after_undated) = match after {
        Some(Position::Due { due_on: Some(due), id }) => (true, Some((*due, *id)), None),
        Some(Position::Due { due_on: None, id }) => (false, None, Some(*id)),
        _ => (true, None, None),
    };
    Ok(on_backend!(conn, |c, Db| {
        let mut rows = Vec::new();
        if in_dated_part {
            let dated = filtered!(filter, Db).filter(cases::due_on.is_not_null());
            let query = keyset!(dated, cases::due_on, after_due, ascending);
            rows = query.select(CaseRow::as_select()).limit(limit).load(c)?;
            if rows.len() as i64 >= limit {
                return Ok(rows);
            }
        }
        let mut query = filtered!(filter, Db).filter(not(cases::due_on.is_not_null()));
        if let Some(id) = after_undated {
            query = if ascending { query.filter(cases::id.gt(id)) } else { query.filter(cases::id.lt(id)) };
        }
        query = if ascending { query.order(cases::id.asc()) } else { query.order(cases::id.desc()) };
        let rest: Vec<CaseRow> = query.select(CaseRow::as_select()).limit(limit - rows.len() as i64).load(c)?;
        rows.extend(rest);
        rows
    }))
}

#[cfg(test)]
mod tests {
    use diesel_migrations::MigrationHarness;

    use super::*;
    use crate::persistence::{KeptStatements, migrations};

    fn filter(flags: Vec<FlagFilter>) -> CaseFilter {
        let today = NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        CaseFilter {
            visibility: Visibility::All,
            statuses: Vec::new(),
            open_statuses: vec!["accepted".to_owned()],
            kind: None,
            field: None,
            locality_pattern: None,
            assignee: None,
            overdue: false,
            due_before: None,
            received_from: None,
            received_to: None,
            flags,
            search_pattern: None,
            today,
            due_soon_until: today,
            prolonged_received_before: today,
        }
    }

    /// A migrated in-memory SQLite database, watched for the statements it keeps.
    fn watched_database() -> (AnyConnection, KeptStatements) {
        let mut conn = AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        conn.run_pending_migrations(migrations::SQLITE).unwrap();
        let cached = KeptStatements::default();
        conn.set_instrumentation(cached.clone());
        (conn, cached)
    }

    /// The kept statements that read cases (the page queries).
    fn kept_pages(cached: &KeptStatements) -> Vec<String> {
        cached.sql().into_iter().filter(|sql| sql.contains("FROM `cases`")).collect()
    }

    #[test]
    fn the_order_and_repetition_of_flags_make_no_new_statement() {
        let (mut conn, cached) = watched_database();
        use FlagFilter::{Complex, Mass};
        for flags in [vec![Mass, Complex], vec![Complex, Mass], vec![Mass, Complex, Mass, Mass]] {
            assert!(page(&mut conn, &filter(flags), Sort::ReceivedDesc, None, 51).unwrap().is_empty());
        }
        let pages = kept_pages(&cached);
        assert_eq!(pages.len(), 1, "{pages:?}");
        // Another set of flags is another statement.
        page(&mut conn, &filter(vec![Mass]), Sort::ReceivedDesc, None, 51).unwrap();
        assert_eq!(kept_pages(&cached).len(), 2);
    }

    #[test]
    fn status_lists_of_any_length_share_one_kept_statement() {
        let (mut conn, cached) = watched_database();
        for statuses in [vec!["accepted"], vec!["accepted", "verifying"], vec!["verifying", "suspended", "received"]] {
            let mut filter = filter(vec![FlagFilter::Prolonged]);
            filter.statuses = statuses.into_iter().map(str::to_owned).collect();
            filter.open_statuses.push("verifying".to_owned());
            assert!(page(&mut conn, &filter, Sort::ReceivedDesc, None, 51).unwrap().is_empty());
        }
        let pages = kept_pages(&cached);
        assert_eq!(pages.len(), 1, "{pages:?}");
    }
}
