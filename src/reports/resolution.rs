//! The clocks as the reports see them: the clock facts of many cases read at once, and the
//! resolution due date a decided case had when it was decided.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, CaseClockFacts, ClockFlags, Deadline, SuspensionSpan};
use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind};
use crate::persistence::dates::{Day, MaybeDay};
use crate::persistence::schema::{case_suspensions, cases};
use crate::persistence::{AnyConnection, DbError};
use crate::service::{Context, ServiceError};

/// The columns the clocks and the backlog's counts need (tens of thousands of rows are read at
/// once, so no descriptive text).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases, check_for_backend(crate::persistence::MultiBackend))]
pub struct ClockedCase {
    pub id: i64,
    pub kind: String,
    pub field: String,
    pub round: i32,
    pub status: String,
    #[diesel(deserialize_as = Day)]
    pub received_on: NaiveDate,
    #[diesel(deserialize_as = MaybeDay)]
    pub accepted_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub transferred_on: Option<NaiveDate>,
    pub complex: bool,
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
    pub extensions: i32,
    pub status_before_suspension: Option<String>,
    pub assignee_id: Option<i64>,
}

fn parse<T: std::str::FromStr>(what: &str, value: &str) -> Result<T, ServiceError> {
    value.parse().map_err(|_| ServiceError::Internal(format!("unknown {what} `{value}` in the database")))
}

impl ClockedCase {
    pub fn status(&self) -> Result<CaseStatus, ServiceError> {
        parse("status", &self.status)
    }

    /// The facts of the clocks in the case's current status.
    fn facts(&self, suspensions: &[SuspensionSpan]) -> Result<CaseClockFacts, ServiceError> {
        let kind: CaseKind = parse("kind", &self.kind)?;
        let mut facts = CaseClockFacts::new(kind, self.round, self.status()?, self.received_on);
        facts.accepted_on = self.accepted_on;
        facts.transferred_on = self.transferred_on;
        facts.flags = ClockFlags {
            complex: self.complex,
            very_complex: self.very_complex,
            remote_area: self.remote_area,
            multi_site: self.multi_site,
        };
        facts.extensions = u32::try_from(self.extensions).unwrap_or(0);
        facts.status_before_suspension =
            self.status_before_suspension.as_deref().map(|s| parse("status", s)).transpose()?;
        facts.suspensions = suspensions.to_vec();
        Ok(facts)
    }

    /// The running clocks of the case in its current status.
    pub fn deadlines(
        &self,
        ctx: &Context,
        calendar: &HolidayCalendar,
        suspensions: &Suspensions,
    ) -> Result<Vec<Deadline>, ServiceError> {
        let facts = self.facts(suspensions.of(self.id))?;
        deadline::case_deadlines(&facts, &ctx.rules, calendar)
            .map_err(|e| ServiceError::Internal(format!("deadlines of case {}: {e}", self.id)))
    }
}

/// Suspensions of a set of cases, by case.
#[derive(Debug, Default)]
pub struct Suspensions(HashMap<i64, Vec<SuspensionSpan>>);

impl Suspensions {
    fn of(&self, case_id: i64) -> &[SuspensionSpan] {
        self.0.get(&case_id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The suspensions of every case whose status is one of `statuses`.
    pub fn of_statuses(conn: &mut AnyConnection, statuses: &[&str]) -> Result<Self, DbError> {
        let case_ids = cases::table.filter(cases::status.eq_any(statuses.to_vec())).select(cases::id);
        Self::load(conn, case_suspensions::table.filter(case_suspensions::case_id.eq_any(case_ids)).into_boxed())
    }

    /// The suspensions of every case decided within `[from, to]`.
    pub fn of_decided(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> Result<Self, DbError> {
        let case_ids = cases::table.filter(cases::decided_on.between(from, to)).select(cases::id);
        Self::load(conn, case_suspensions::table.filter(case_suspensions::case_id.eq_any(case_ids)).into_boxed())
    }

    fn load(
        conn: &mut AnyConnection,
        query: case_suspensions::BoxedQuery<'_, crate::persistence::MultiBackend>,
    ) -> Result<Self, DbError> {
        let rows: Vec<(i64, NaiveDate, Option<NaiveDate>)> = query
            .order((case_suspensions::case_id, case_suspensions::effective_on, case_suspensions::id))
            .select((case_suspensions::case_id, case_suspensions::effective_on, case_suspensions::resumed_on))
            .load(conn)?;
        let mut by_case: HashMap<i64, Vec<SuspensionSpan>> = HashMap::new();
        for (case_id, effective_on, resumed_on) in rows {
            by_case.entry(case_id).or_default().push(SuspensionSpan { effective_on, resumed_on });
        }
        Ok(Suspensions(by_case))
    }
}

/// The columns the resolution clock of a decided case needs, and its outcome (a year's decided
/// cases are read at once, so nothing more).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases, check_for_backend(crate::persistence::MultiBackend))]
pub struct DecidedCase {
    pub id: i64,
    pub kind: String,
    pub round: i32,
    #[diesel(deserialize_as = Day)]
    pub received_on: NaiveDate,
    #[diesel(deserialize_as = MaybeDay)]
    pub accepted_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub decided_on: Option<NaiveDate>,
    pub outcome: Option<String>,
    pub complex: bool,
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
    pub extensions: i32,
}

impl DecidedCase {
    /// The resolution due date the case had while it was being resolved. The stored facts
    /// (acceptance date, flags, extensions, suspensions) are those of the decision, since
    /// extensions and suspensions are only possible before it (DOMAIN.md §4); the clock is
    /// recomputed with the case taken back to `accepted`, with every suspension ended.
    fn resolution_due_on(
        &self,
        ctx: &Context,
        calendar: &HolidayCalendar,
        suspensions: &Suspensions,
    ) -> Result<Option<NaiveDate>, ServiceError> {
        let Some(accepted_on) = self.accepted_on else {
            return Ok(None);
        };
        let kind: CaseKind = parse("kind", &self.kind)?;
        let mut facts = CaseClockFacts::new(kind, self.round, CaseStatus::Accepted, self.received_on);
        facts.accepted_on = Some(accepted_on);
        facts.flags = ClockFlags {
            complex: self.complex,
            very_complex: self.very_complex,
            remote_area: self.remote_area,
            multi_site: self.multi_site,
        };
        facts.extensions = u32::try_from(self.extensions).unwrap_or(0);
        facts.suspensions = suspensions.of(self.id).iter().copied().filter(|s| s.resumed_on.is_some()).collect();
        let deadlines = deadline::case_deadlines(&facts, &ctx.rules, calendar)
            .map_err(|e| ServiceError::Internal(format!("resolution deadline of case {}: {e}", self.id)))?;
        Ok(deadlines.into_iter().find(|d| d.clock == ClockKind::Resolution).and_then(|d| d.due_on))
    }
}

/// Cases decided within a period, each with whether it was decided on or before its
/// resolution due date (in no particular order). One calendar serves the whole report, so that a
/// year replaced meanwhile cannot split it.
pub fn decided_in(
    conn: &mut AnyConnection,
    ctx: &Context,
    calendar: &HolidayCalendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(DecidedCase, bool)>, ServiceError> {
    let rows: Vec<DecidedCase> = cases::table
        .filter(cases::decided_on.between(from, to))
        .select(DecidedCase::as_select())
        .load(conn)
        .map_err(DbError::from)?;
    let suspensions = Suspensions::of_decided(conn, from, to)?;
    rows.into_iter()
        .map(|row| {
            let due_on = row.resolution_due_on(ctx, calendar, &suspensions)?;
            let on_time = match (row.decided_on, due_on) {
                (Some(decided_on), Some(due_on)) => decided_on <= due_on,
                // No resolution clock to miss.
                _ => true,
            };
            Ok((row, on_time))
        })
        .collect()
}

/// On time ÷ (on time + late), or nothing when there is nothing to rate (DOMAIN.md §11).
pub fn rate(on_time: i64, late: i64) -> Option<f64> {
    let total = on_time + late;
    (total > 0).then(|| on_time as f64 / total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_is_empty_without_cases_to_rate() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(rate(3, 1), Some(0.75));
        assert_eq!(rate(0, 2), Some(0.0));
        assert_eq!(rate(5, 0), Some(1.0));
    }
}
