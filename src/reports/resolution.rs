//! The clocks as the reports see them: the clock facts of many cases read at once, and the
//! resolution due date a decided case had when it was decided.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::{self, CaseClockFacts, ClockDue, ClockFlags, SuspensionSpan};
use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind, Field};
use crate::persistence::dates::{Day, MaybeDay};
use crate::persistence::schema::{case_suspensions, cases};
use crate::persistence::words::{MaybeWord, Word};
use crate::persistence::{AnyConnection, DbError};
use crate::service::{Context, ServiceError};

/// The columns the clocks and the backlog's counts need (tens of thousands of rows are read at
/// once, so no descriptive text).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases, check_for_backend(crate::persistence::MultiBackend))]
pub struct ClockedCase {
    pub id: i64,
    #[diesel(deserialize_as = Word<CaseKind>)]
    pub kind: CaseKind,
    #[diesel(deserialize_as = Word<Field>)]
    pub field: Field,
    pub round: i32,
    #[diesel(deserialize_as = Word<CaseStatus>)]
    pub status: CaseStatus,
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
    #[diesel(deserialize_as = MaybeWord<CaseStatus>)]
    pub status_before_suspension: Option<CaseStatus>,
    pub assignee_id: Option<i64>,
}

impl ClockedCase {
    /// The facts of the clocks in the case's current status.
    fn facts(&self, suspensions: &[SuspensionSpan]) -> CaseClockFacts {
        let mut facts = CaseClockFacts::new(self.kind, self.round, self.status, self.received_on);
        facts.accepted_on = self.accepted_on;
        facts.transferred_on = self.transferred_on;
        facts.flags = ClockFlags {
            complex: self.complex,
            very_complex: self.very_complex,
            remote_area: self.remote_area,
            multi_site: self.multi_site,
        };
        facts.extensions = u32::try_from(self.extensions).unwrap_or(0);
        facts.status_before_suspension = self.status_before_suspension;
        facts.suspensions = suspensions.to_vec();
        facts
    }

    /// The due dates of the running clocks of the case in its current status.
    pub fn due_dates(
        &self,
        ctx: &Context,
        calendar: &HolidayCalendar,
        suspensions: &Suspensions,
    ) -> Result<Vec<ClockDue>, ServiceError> {
        deadline::case_due_dates(&self.facts(suspensions.of(self.id)), &ctx.rules, calendar)
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

/// The columns the resolution clock of a decided case needs (a year's decided cases are read in
/// one go, so nothing more).
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = cases, check_for_backend(crate::persistence::MultiBackend))]
pub struct DecidedCase {
    pub id: i64,
    #[diesel(deserialize_as = Word<CaseKind>)]
    pub kind: CaseKind,
    pub round: i32,
    #[diesel(deserialize_as = Day)]
    pub received_on: NaiveDate,
    #[diesel(deserialize_as = MaybeDay)]
    pub accepted_on: Option<NaiveDate>,
    #[diesel(deserialize_as = MaybeDay)]
    pub decided_on: Option<NaiveDate>,
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
        let mut facts = CaseClockFacts::new(self.kind, self.round, CaseStatus::Accepted, self.received_on);
        facts.accepted_on = Some(accepted_on);
        facts.flags = ClockFlags {
            complex: self.complex,
            very_complex: self.very_complex,
            remote_area: self.remote_area,
            multi_site: self.multi_site,
        };
        facts.extensions = u32::try_from(self.extensions).unwrap_or(0);
        facts.suspensions = suspensions.of(self.id).iter().copied().filter(|s| s.resumed_on.is_some()).collect();
        let dues = deadline::case_due_dates(&facts, &ctx.rules, calendar)
            .map_err(|e| ServiceError::Internal(format!("resolution deadline of case {}: {e}", self.id)))?;
        Ok(dues.into_iter().find(|d| d.clock == ClockKind::Resolution).and_then(|d| d.due_on))
    }

    /// Decided on or before its resolution due date; a case with no resolution clock has none
    /// to miss.
    fn on_time(
        &self,
        ctx: &Context,
        calendar: &HolidayCalendar,
        suspensions: &Suspensions,
    ) -> Result<bool, ServiceError> {
        Ok(match (self.decided_on, self.resolution_due_on(ctx, calendar, suspensions)?) {
            (Some(decided_on), Some(due_on)) => decided_on <= due_on,
            _ => true,
        })
    }
}

/// The cases decided within a period, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecidedTally {
    pub decided: i64,
    /// Decided on or before their resolution due date.
    pub on_time: i64,
}

impl DecidedTally {
    pub fn late(&self) -> i64 {
        self.decided - self.on_time
    }
}

/// Counts the cases decided within a period, and those decided on or before their resolution
/// due date. The rows are counted as they are read (a year of them at a million cases is tens
/// of thousands). One calendar serves the whole report, so that a year replaced meanwhile cannot
/// split it.
pub fn tally_decided(
    conn: &mut AnyConnection,
    ctx: &Context,
    calendar: &HolidayCalendar,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<DecidedTally, ServiceError> {
    let suspensions = Suspensions::of_decided(conn, from, to)?;
    let rows = cases::table
        .filter(cases::decided_on.between(from, to))
        .select(DecidedCase::as_select())
        .load_iter::<DecidedCase, diesel::connection::DefaultLoadingMode>(conn)
        .map_err(DbError::from)?;
    let mut tally = DecidedTally::default();
    for row in rows {
        let row = row.map_err(DbError::from)?;
        tally.decided += 1;
        if row.on_time(ctx, calendar, &suspensions)? {
            tally.on_time += 1;
        }
    }
    Ok(tally)
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
