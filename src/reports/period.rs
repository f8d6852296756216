//! The period report in the shape of the official tables of Thông tư 01/2024/TT-TTCP
//! (DOMAIN.md §11; LAW.md §5.2): reception (Biểu 01/TCD), letter processing (Biểu 01/XLD) and
//! resolution (Biểu 01/KQGQ).
//!
//! Dates: visits, intakes and workflow events count by the Vietnam local date of their
//! timestamp; acceptance and decisions count by the dates written in them (`accepted_on`,
//! `decided_on`), which are the legal dates of those acts. An accepted letter therefore leaves
//! the "carried over" and enters "processed" on its acceptance date, so that "in competence"
//! (the accepted) is always part of "processed", as Biểu 01/XLD has it.
//!
//! A letter with several contents is split into one case per content (DOMAIN.md §4); each part
//! is given a copy of the letter's first intake, as its link to the letter. The copies are no
//! letters of their own: the letter is received once, as the split letter's, and a part is in
//! `received` from the moment it is made.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::dsl::{count_star, min, sum};
use diesel::prelude::*;
use serde::Serialize;

use super::Period;
use super::resolution::{self, count_where};
use crate::domain::case;
use crate::domain::vocab::{Action, CaseKind, CaseStatus, FileReason, Outcome, VisitMode};
use crate::persistence::schema::{case_events, cases, intakes, visits};
use crate::persistence::words::Word;
use crate::persistence::{AnyConnection, DbError};
use crate::service::{Context, ServiceError};

diesel::alias!(cases as parts: Parts, intakes as copied: Copied);

/// `intakes.id NOT IN` the split parts' copies of their letter's intake: the first intake of
/// each case made by a split (see the module's documentation).
macro_rules! not_copied {
    () => {
        intakes::id.nullable().ne_all(
            copied
                .filter(
                    copied.field(intakes::case_id).eq_any(
                        parts.filter(parts.field(cases::split_from).is_not_null()).select(parts.field(cases::id)),
                    ),
                )
                .group_by(copied.field(intakes::case_id))
                .select(min(copied.field(intakes::id))),
        )
    };
}

/// The parts of split letters received before `start` but made at or after it, and so not yet
/// in `received` at `start`. Found through the split parts' index: few cases are parts.
macro_rules! parts_made_since {
    ($start:expr) => {
        cases::id
            .eq_any(parts.filter(parts.field(cases::split_from).is_not_null()).select(parts.field(cases::id)))
            .and(cases::received_at.lt($start))
            .and(cases::created_at.ge($start))
    };
}

/// Ids per query (below every backend's parameter limit).
const CHUNK: usize = 5_000;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PeriodReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub reception: Reception,
    pub letters: Letters,
    pub resolution: Resolution,
}

/// Biểu 01/TCD.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reception {
    pub visits: i64,
    /// The sum of the visits' group sizes.
    pub persons: i64,
    /// Cases whose first intake was a visit in the period.
    pub cases_first: i64,
    /// Cases with a later intake that was a visit in the period.
    pub cases_repeat: i64,
    /// Visits of a group of 5 or more (đoàn đông người).
    pub delegations: i64,
    pub by_mode: Vec<ModeCount>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ModeCount {
    pub mode: VisitMode,
    pub visits: i64,
    pub persons: i64,
}

/// Biểu 01/XLD.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Letters {
    /// Cases in `received` when the period began.
    pub carried_over: i64,
    /// Intakes (letters and visits) in the period.
    pub received: i64,
    /// Cases that left `received` in the period.
    pub processed: i64,
    /// Received, less the intakes of cases filed as ineligible or anonymous.
    pub eligible: i64,
    pub by_kind: Vec<KindCount>,
    /// Cases accepted in the period.
    pub in_competence: i64,
    pub guided: i64,
    pub transferred: i64,
    /// `record_reply` events in the period.
    pub replies_received: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindCount {
    pub kind: CaseKind,
    pub count: i64,
}

/// Biểu 01/KQGQ.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Resolution {
    pub accepted: i64,
    /// Decided in the period.
    pub resolved: i64,
    pub outcomes: Vec<OutcomeCount>,
    /// Among the resolved: decided on or before the resolution due date.
    pub on_time: i64,
    pub late: i64,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OutcomeCount {
    pub outcome: Outcome,
    pub count: i64,
}

pub fn period_report(ctx: &Context, period: Period) -> Result<PeriodReport, ServiceError> {
    ctx.db.snapshot(|conn| {
        let letters = letters(conn, period)?;
        Ok(PeriodReport {
            from: period.from,
            to: period.to,
            reception: reception(conn, period)?,
            resolution: resolution_table(conn, period, letters.in_competence)?,
            letters,
        })
    })
}

fn reception(conn: &mut AnyConnection, period: Period) -> Result<Reception, ServiceError> {
    let (start, end) = period.instants();
    let modes: Vec<(String, i64, Option<i64>)> = visits::table
        .filter(visits::received_at.ge(start).and(visits::received_at.lt(end)))
        .group_by(visits::mode)
        .select((visits::mode, count_star(), sum(visits::group_size)))
        .load(conn)
        .map_err(DbError::from)?;
    let mut by_mode = modes
        .into_iter()
        .map(|(mode, visits, persons)| Ok(ModeCount { mode: parse(&mode)?, visits, persons: persons.unwrap_or(0) }))
        .collect::<Result<Vec<_>, ServiceError>>()?;
    by_mode.sort_by_key(|m| m.mode);
    let delegations: i64 = visits::table
        .filter(visits::received_at.ge(start).and(visits::received_at.lt(end)))
        .filter(visits::group_size.ge(case::MASS_GROUP_SIZE))
        .select(count_star())
        .first(conn)
        .map_err(DbError::from)?;

    // The visit intakes of the period; a case's first intake is its lowest id.
    let visit_intakes: Vec<(i64, i64)> = intakes::table
        .filter(intakes::received_at.ge(start).and(intakes::received_at.lt(end)))
        .filter(intakes::visit_id.is_not_null())
        .filter(not_copied!())
        .select((intakes::id, intakes::case_id))
        .load(conn)
        .map_err(DbError::from)?;
    let mut case_ids: Vec<i64> = visit_intakes.iter().map(|(_, case_id)| *case_id).collect();
    case_ids.sort_unstable();
    case_ids.dedup();
    let mut first_intake: HashMap<i64, i64> = HashMap::new();
    for chunk in case_ids.chunks(CHUNK) {
        let firsts: Vec<(i64, Option<i64>)> = intakes::table
            .filter(intakes::case_id.eq_any(chunk))
            .group_by(intakes::case_id)
            .select((intakes::case_id, min(intakes::id)))
            .load(conn)
            .map_err(DbError::from)?;
        first_intake.extend(firsts.into_iter().filter_map(|(case_id, id)| id.map(|id| (case_id, id))));
    }
    let (mut first, mut repeat) = (HashSet::new(), HashSet::new());
    for (intake_id, case_id) in visit_intakes {
        if first_intake.get(&case_id) == Some(&intake_id) {
            first.insert(case_id);
        } else {
            repeat.insert(case_id);
        }
    }

    Ok(Reception {
        visits: by_mode.iter().map(|m| m.visits).sum(),
        persons: by_mode.iter().map(|m| m.persons).sum(),
        cases_first: first.len() as i64,
        cases_repeat: repeat.len() as i64,
        delegations,
        by_mode,
    })
}

fn letters(conn: &mut AnyConnection, period: Period) -> Result<Letters, ServiceError> {
    let (start, end) = period.instants();
    let received_status = CaseStatus::Received.as_str();

    // A case leaves `received` once (no action leads back to it). It leaves on its acceptance
    // date (`accepted_on`, the date of the decision to accept) when accepted, else when the
    // step was recorded: the other steps out of `received` carry no date of their own.
    let left_unaccepted = case_events::from_status
        .eq(received_status)
        .and(case_events::to_status.ne(received_status))
        .and(case_events::event_type.ne(Action::Accept.as_str()));

    // Carried over: the cases in `received` when the period began, rebuilt from the dates
    // rather than read from today's status. A part made since then was not yet there; its
    // steps all come after it was made, so none left `received` before the period.
    let received_before = cases::table
        .filter(cases::received_at.lt(start))
        .select(count_star())
        .first::<i64>(conn)
        .map_err(DbError::from)?
        - cases::table
            .filter(parts_made_since!(start))
            .select(count_star())
            .first::<i64>(conn)
            .map_err(DbError::from)?;
    let left_unaccepted_before: i64 = case_events::table
        .filter(left_unaccepted)
        .inner_join(cases::table)
        .filter(cases::received_at.lt(start))
        .filter(case_events::at.lt(start))
        .select(count_star())
        .first(conn)
        .map_err(DbError::from)?;
    // The accepted before the period and in it, in one pass over the cases.
    let (accepted_before, in_competence) = cases::table
        .select((
            count_where(cases::received_at.lt(start).and(cases::accepted_on.lt(period.from))),
            count_where(cases::accepted_on.between(period.from, period.to)),
        ))
        .first::<(i64, i64)>(conn)
        .map_err(DbError::from)?;
    let accepted_before = accepted_before
        - cases::table
            .filter(parts_made_since!(start))
            .filter(cases::accepted_on.lt(period.from))
            .select(count_star())
            .first::<i64>(conn)
            .map_err(DbError::from)?;
    // The period's steps, in one pass over its events.
    let (processed_unaccepted, guided, transferred, replies_received) = case_events::table
        .filter(case_events::at.ge(start).and(case_events::at.lt(end)))
        .select((
            count_where(left_unaccepted),
            count_where(case_events::event_type.eq(Action::Guide.as_str())),
            count_where(case_events::event_type.eq(Action::Transfer.as_str())),
            count_where(case_events::event_type.eq(Action::RecordReply.as_str())),
        ))
        .first::<(i64, i64, i64, i64)>(conn)
        .map_err(DbError::from)?;

    let mut by_kind: Vec<KindCount> = intakes::table
        .inner_join(cases::table)
        .filter(intakes::received_at.ge(start).and(intakes::received_at.lt(end)))
        .filter(not_copied!())
        .group_by(cases::kind)
        .select((cases::kind, count_star()))
        .load::<(Word<CaseKind>, i64)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .map(|(Word(kind), count)| KindCount { kind, count })
        .collect();
    by_kind.sort_by_key(|k| k.kind);
    let received: i64 = by_kind.iter().map(|k| k.count).sum();

    // Intakes of the period on filed cases, then the filing reason from each `file` event.
    let filed: Vec<(i64, i64)> = intakes::table
        .inner_join(cases::table)
        .filter(intakes::received_at.ge(start).and(intakes::received_at.lt(end)))
        .filter(not_copied!())
        .filter(cases::status.eq(CaseStatus::Filed.as_str()))
        .group_by(intakes::case_id)
        .select((intakes::case_id, count_star()))
        .load(conn)
        .map_err(DbError::from)?;
    let filed_intakes: HashMap<i64, i64> = filed.into_iter().collect();
    let filed_ids: Vec<i64> = filed_intakes.keys().copied().collect();
    let mut ineligible = 0;
    for chunk in filed_ids.chunks(CHUNK) {
        let events: Vec<(i64, String)> = case_events::table
            .filter(case_events::case_id.eq_any(chunk))
            .filter(case_events::event_type.eq(Action::File.as_str()))
            .select((case_events::case_id, case_events::data))
            .load(conn)
            .map_err(DbError::from)?;
        for (case_id, data) in events {
            let reason = serde_json::from_str::<serde_json::Value>(&data)
                .ok()
                .and_then(|d| d.get("reason").and_then(|r| r.as_str()).and_then(|r| r.parse::<FileReason>().ok()));
            // Not eligible for processing (TT05/2021): letters filed as ineligible or anonymous.
            if matches!(reason, Some(FileReason::Ineligible | FileReason::Anonymous)) {
                ineligible += filed_intakes.get(&case_id).copied().unwrap_or(0);
            }
        }
    }

    Ok(Letters {
        carried_over: received_before - left_unaccepted_before - accepted_before,
        received,
        processed: processed_unaccepted + in_competence,
        eligible: received - ineligible,
        by_kind,
        in_competence,
        guided,
        transferred,
        replies_received,
    })
}

/// Biểu 01/KQGQ; `accepted` is the letters table's `in_competence`, the cases accepted in the
/// period.
fn resolution_table(conn: &mut AnyConnection, period: Period, accepted: i64) -> Result<Resolution, ServiceError> {
    let decided = resolution::tally_decided(conn, period.from, period.to)?;
    let mut outcomes: Vec<OutcomeCount> = cases::table
        .filter(cases::decided_on.between(period.from, period.to))
        .filter(cases::outcome.is_not_null())
        .group_by(cases::outcome)
        .select((cases::outcome.assume_not_null(), count_star()))
        .load::<(Word<Outcome>, i64)>(conn)
        .map_err(DbError::from)?
        .into_iter()
        .map(|(Word(outcome), count)| OutcomeCount { outcome, count })
        .collect();
    outcomes.sort_by_key(|o| o.outcome);
    Ok(Resolution { accepted, resolved: decided.decided, outcomes, on_time: decided.on_time, late: decided.late() })
}

fn parse<T: std::str::FromStr>(value: &str) -> Result<T, ServiceError> {
    value.parse().map_err(|_| ServiceError::Internal(format!("unknown value `{value}` in the database")))
}
