//! The on-time count of decided cases, and the counting helper the reports share.

use chrono::NaiveDate;
use diesel::dsl::{case_when, count, count_star};
use diesel::expression::Expression;
use diesel::helper_types::case_when as CaseWhen;
use diesel::prelude::*;
use diesel::sql_types::{BoolOrNullableBool, Integer};

use crate::persistence::schema::cases;
use crate::persistence::{AnyConnection, DbError};

/// `COUNT(CASE WHEN condition THEN 1 END)`: how many of the rows meet `condition`, beside other
/// counts of the same rows.
pub fn count_where<C>(condition: C) -> diesel::dsl::count<CaseWhen<C, i32, Integer>>
where
    C: Expression,
    C::SqlType: BoolOrNullableBool,
{
    count(case_when::<_, _, Integer>(condition, 1))
}

/// The cases decided within a period, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DecidedTally {
    pub decided: i64,
    /// Decided on or before the resolution due date they were held to.
    pub on_time: i64,
}

impl DecidedTally {
    pub fn late(&self) -> i64 {
        self.decided - self.on_time
    }
}

/// Counts the cases decided within a period, and those decided on or before the resolution due
/// date kept at their decision; a case with no resolution clock had none to miss.
pub fn tally_decided(conn: &mut AnyConnection, from: NaiveDate, to: NaiveDate) -> Result<DecidedTally, DbError> {
    let (decided, on_time) = cases::table
        .filter(cases::decided_on.between(from, to))
        .select((
            count_star(),
            count_where(cases::decided_due_on.is_null().or(cases::decided_on.le(cases::decided_due_on))),
        ))
        .first::<(i64, i64)>(conn)?;
    Ok(DecidedTally { decided, on_time })
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
