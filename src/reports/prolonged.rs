//! The prolonged cases report (DOMAIN.md §10, §11; LAW.md §5.4): every case flagged
//! `prolonged`, `repeat` or `mass`, and the hotspots (điểm nóng) where they gather.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Days, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::{count_star, max, min};
use diesel::prelude::*;
use diesel::sql_types::Bool;
use serde::Serialize;

use super::{Official, closed_statuses, open_statuses};
use crate::domain::case;
use crate::domain::vocab::{CaseKind, CaseStatus, Field};
use crate::persistence::cases::{self as case_store, CaseRow};
use crate::persistence::schema::{case_events, cases, intakes, users};
use crate::persistence::{AnyConnection, DbError, MultiBackend};
use crate::service::{Context, ServiceError};

/// Ids per query of the per-case figures (below every backend's parameter limit).
const CHUNK: usize = 5_000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProlongedReport {
    pub as_of: NaiveDate,
    pub items: Vec<ProlongedCase>,
    pub hotspots: Vec<Hotspot>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProlongedCase {
    pub id: i64,
    pub code: String,
    pub kind: CaseKind,
    pub round: i32,
    pub status: CaseStatus,
    /// Which of `prolonged`, `repeat`, `mass` apply.
    pub flags: Vec<String>,
    /// The earliest letter or visit about the case.
    pub first_received_at: DateTime<Utc>,
    /// Days from receipt to `as_of`, or to the day the case ended.
    pub days_open: i64,
    /// Intakes that were visits.
    pub visits: i64,
    /// Intakes that were letters.
    pub letters: i64,
    pub assignee: Option<Official>,
    pub linked: Vec<LinkedCase>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LinkedCase {
    pub id: i64,
    pub code: String,
    pub round: i32,
    pub status: CaseStatus,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Hotspot {
    pub field: Field,
    /// The locality as written on the cases (spellings that differ only in diacritics, case or
    /// spacing are one hotspot, shown by the first of them in code-point order); null when not
    /// given.
    pub locality: Option<String>,
    pub open: i64,
    pub repeat: i64,
    pub mass: i64,
    pub prolonged: i64,
}

/// A condition on a case row.
type Condition = Box<dyn BoxableExpression<cases::table, MultiBackend, SqlType = Bool>>;

/// Received by `as_of`.
fn received_by(as_of: NaiveDate) -> Condition {
    Box::new(cases::received_on.le(as_of))
}

/// `prolonged` as `domain::case::is_prolonged` decides it: open, and open for more than a year,
/// or a new intake after a decision, or a second round.
fn prolonged(as_of: NaiveDate) -> Condition {
    let a_year_before = as_of - Days::new(case::PROLONGED_AFTER_DAYS as u64);
    Box::new(
        cases::status
            .eq_any(open_statuses())
            .and(cases::received_on.lt(a_year_before).or(cases::intake_after_decision.eq(true)).or(cases::round.eq(2))),
    )
}

fn open() -> Condition {
    Box::new(cases::status.eq_any(open_statuses()))
}

fn repeat() -> Condition {
    Box::new(cases::intake_count.ge(2))
}

fn mass() -> Condition {
    Box::new(cases::group_size.ge(case::MASS_GROUP_SIZE))
}

pub fn prolonged_report(ctx: &Context, as_of: NaiveDate) -> Result<ProlongedReport, ServiceError> {
    ctx.db.snapshot(|conn| build(conn, as_of))
}

fn build(conn: &mut AnyConnection, as_of: NaiveDate) -> Result<ProlongedReport, ServiceError> {
    let rows: Vec<CaseRow> = cases::table
        .filter(received_by(as_of))
        .filter(repeat().or(mass()).or(prolonged(as_of)))
        .order(cases::id)
        .select(CaseRow::as_select())
        .load(conn)
        .map_err(DbError::from)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();

    let mut first_intake: HashMap<i64, NaiveDateTime> = HashMap::new();
    let mut intake_totals: HashMap<i64, i64> = HashMap::new();
    let mut visit_totals: HashMap<i64, i64> = HashMap::new();
    let mut ended_at: HashMap<i64, NaiveDateTime> = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let totals: Vec<(i64, i64, Option<NaiveDateTime>)> = intakes::table
            .filter(intakes::case_id.eq_any(chunk))
            .group_by(intakes::case_id)
            .select((intakes::case_id, count_star(), min(intakes::received_at)))
            .load(conn)
            .map_err(DbError::from)?;
        for (id, count, first) in totals {
            intake_totals.insert(id, count);
            if let Some(first) = first {
                first_intake.insert(id, first);
            }
        }
        let visits: Vec<(i64, i64)> = intakes::table
            .filter(intakes::case_id.eq_any(chunk))
            .filter(intakes::visit_id.is_not_null())
            .group_by(intakes::case_id)
            .select((intakes::case_id, count_star()))
            .load(conn)
            .map_err(DbError::from)?;
        visit_totals.extend(visits);
        // The last move into a closed status ends the time a closed case was open.
        let ends: Vec<(i64, Option<NaiveDateTime>)> = case_events::table
            .filter(case_events::case_id.eq_any(chunk))
            .filter(case_events::to_status.eq_any(closed_statuses()))
            .group_by(case_events::case_id)
            .select((case_events::case_id, max(case_events::at)))
            .load(conn)
            .map_err(DbError::from)?;
        ended_at.extend(ends.into_iter().filter_map(|(id, at)| at.map(|at| (id, at))));
    }

    let mut linked_ids: HashMap<i64, Vec<i64>> = HashMap::new();
    for chunk in rows.chunks(CHUNK) {
        linked_ids.extend(case_store::linked_ids_of(conn, chunk)?);
    }
    let mut wanted: Vec<i64> = linked_ids.values().flatten().copied().collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut linked_rows: HashMap<i64, LinkedCase> = HashMap::new();
    for chunk in wanted.chunks(CHUNK) {
        let found: Vec<(i64, String, i32, String)> = cases::table
            .filter(cases::id.eq_any(chunk))
            .select((cases::id, cases::code, cases::round, cases::status))
            .load(conn)
            .map_err(DbError::from)?;
        for (id, code, round, status) in found {
            linked_rows.insert(id, LinkedCase { id, code, round, status: parse(&status)? });
        }
    }

    let mut user_ids: Vec<i64> = rows.iter().filter_map(|r| r.assignee_id).collect();
    user_ids.sort_unstable();
    user_ids.dedup();
    let names: HashMap<i64, String> = users::table
        .filter(users::id.eq_any(user_ids))
        .select((users::id, users::full_name))
        .load::<(i64, String)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .collect();

    let items = rows
        .into_iter()
        .map(|row| {
            let status: CaseStatus = parse(&row.status)?;
            let mut flags = Vec::new();
            if case::is_prolonged(status, row.round, row.received_on, as_of, row.intake_after_decision) {
                flags.push("prolonged".to_owned());
            }
            if case::is_repeat(row.intake_count) {
                flags.push("repeat".to_owned());
            }
            if case::is_mass(row.group_size) {
                flags.push("mass".to_owned());
            }
            let until = if status.is_open() {
                as_of
            } else {
                ended_at.get(&row.id).map_or(as_of, |at| crate::time::vietnam_date(at.and_utc())).min(as_of)
            };
            let intakes_total = intake_totals.get(&row.id).copied().unwrap_or(0);
            let visits = visit_totals.get(&row.id).copied().unwrap_or(0);
            let first = first_intake.get(&row.id).copied().map_or(row.received_at, |at| at.min(row.received_at));
            Ok(ProlongedCase {
                id: row.id,
                code: row.code,
                kind: parse(&row.kind)?,
                round: row.round,
                status,
                flags,
                first_received_at: first.and_utc(),
                days_open: (until - row.received_on).num_days().max(0),
                visits,
                letters: intakes_total - visits,
                assignee: row
                    .assignee_id
                    .map(|id| Official { id, full_name: names.get(&id).cloned().unwrap_or_default() }),
                linked: linked_ids
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|id| linked_rows.get(&id).cloned())
                    .collect(),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;

    Ok(ProlongedReport { as_of, items, hotspots: hotspots(conn, as_of)? })
}

/// Field × normalised locality, counted in SQL: open cases, and the cases flagged repeat, mass
/// and prolonged. Only the pairs with a flagged case are hotspots; the most open first, then
/// the most repeat, mass and prolonged cases.
fn hotspots(conn: &mut AnyConnection, as_of: NaiveDate) -> Result<Vec<Hotspot>, ServiceError> {
    type Key = (String, Option<String>);
    // Grouped by spelling too, so that the spelling shown is chosen here, in code-point order,
    // and not by a database's collation.
    type Group = (String, Option<String>, Option<String>, i64);
    let grouped = |conn: &mut AnyConnection, condition: Condition| -> Result<Vec<Group>, DbError> {
        Ok(cases::table
            .filter(received_by(as_of))
            .filter(condition)
            .group_by((cases::field, cases::locality_norm, cases::locality))
            .select((cases::field, cases::locality_norm, cases::locality, count_star()))
            .load(conn)?)
    };
    let open = grouped(conn, open())?;
    let repeat = grouped(conn, repeat())?;
    let mass = grouped(conn, mass())?;
    let prolonged = grouped(conn, prolonged(as_of))?;

    // Per pair: the spelling shown, and the open, repeat, mass and prolonged counts.
    let mut pairs: BTreeMap<Key, (Option<String>, [i64; 4])> = BTreeMap::new();
    for (slot, rows) in [(1, repeat), (2, mass), (3, prolonged)] {
        for (field, norm, spelling, count) in rows {
            let (shown, counts) = pairs.entry((field, norm)).or_default();
            counts[slot] += count;
            keep_first(shown, spelling);
        }
    }
    for (field, norm, spelling, count) in open {
        if let Some((shown, counts)) = pairs.get_mut(&(field, norm)) {
            counts[0] += count;
            keep_first(shown, spelling);
        }
    }
    let mut ranked = pairs
        .into_iter()
        .map(|((field, norm), (locality, [open, repeat, mass, prolonged]))| {
            Ok((norm, Hotspot { field: parse(&field)?, locality, open, repeat, mass, prolonged }))
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    ranked.sort_by(|(norm_a, a), (norm_b, b)| {
        (b.open, b.repeat, b.mass, b.prolonged)
            .cmp(&(a.open, a.repeat, a.mass, a.prolonged))
            .then(a.field.cmp(&b.field))
            .then(norm_a.cmp(norm_b))
    });
    Ok(ranked.into_iter().map(|(_, hotspot)| hotspot).collect())
}

/// Keeps the first spelling in code-point order, so a hotspot's name does not depend on which
/// count saw it.
fn keep_first(shown: &mut Option<String>, spelling: Option<String>) {
    if let Some(spelling) = spelling
        && shown.as_ref().is_none_or(|current| spelling < *current)
    {
        *shown = Some(spelling);
    }
}

fn parse<T: std::str::FromStr>(value: &str) -> Result<T, ServiceError> {
    value.parse().map_err(|_| ServiceError::Internal(format!("unknown value `{value}` in the database")))
}
