//! The due dates kept beside each case (`due_on`, one per running clock, and the one a decision
//! was held to), which the case list filters on and the reports count in SQL.
//!
//! Every write that moves a clock keeps them; a calendar change recomputes them for the open
//! cases and the decided cases held to a date in the year changed. What else they depend on, the
//! rule sets, is read at start: the database records the fingerprint of the rule sets they were
//! counted under, and a start under other rule sets (an operator's correction, or the columns
//! just added) counts every case again.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use sha2::{Digest, Sha256};

use super::cases::keep_clock_due_dates_given;
use super::{Context, ServiceError};
use crate::domain::deadline::RuleBook;
use crate::domain::vocab::CaseStatus;
use crate::persistence::cases::{self as store, CaseRow, NewEvent, SuspensionRow};
use crate::persistence::{AnyConnection, settings};

/// Timeline event of a case whose due dates moved without an action on it.
pub const DEADLINES_RECOMPUTED: &str = "deadlines_recomputed";
pub const CALENDAR_CHANGED: &str = "calendar_changed";
pub const RULES_CHANGED: &str = "rules_changed";

/// The setting holding the fingerprint of the rule sets the kept dates were counted under.
const COUNTED_UNDER: &str = "clock_due_dates";

/// Decided cases read at a time.
const DECIDED_BATCH: i64 = 5_000;

/// Why due dates were recomputed, and by whom, for the timeline of each case whose dates moved.
#[derive(Debug, Clone, Copy)]
pub struct Recomputed {
    pub reason: &'static str,
    pub actor_id: Option<i64>,
}

/// The fingerprint of a rule book: a digest of its rule sets as the application reads them.
pub fn fingerprint(rules: &RuleBook) -> Result<String, ServiceError> {
    let text = serde_json::to_string(rules.rule_sets())
        .map_err(|e| ServiceError::Internal(format!("the rule sets cannot be written: {e}")))?;
    Ok(format!("sha256:{}", crate::auth::password::hex(Sha256::digest(text.as_bytes()).as_slice())))
}

/// How many cases a recount went through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recounted {
    pub open: usize,
    /// Every case with a decision, open (`decided`) or closed since.
    pub decided: usize,
}

/// Counts the kept due dates of every case again when they were counted under other rule sets
/// than the context's (or not at all), in one transaction; `None` when they were current.
pub fn keep_current(ctx: &Context, now: DateTime<Utc>) -> Result<Option<Recounted>, ServiceError> {
    let current = fingerprint(&ctx.rules)?;
    if ctx.db.read(|conn| settings::get(conn, COUNTED_UNDER))?.as_deref() == Some(current.as_str()) {
        return Ok(None);
    }
    ctx.db.write(|conn| {
        // Another instance starting beside this one waits here, then finds the work done.
        let counted_under = settings::get_for_update(conn, COUNTED_UNDER)?;
        if counted_under.as_deref() == Some(current.as_str()) {
            return Ok(None);
        }
        // Dates moved by a change of rules are told on the cases' timelines; dates counted for
        // the first time did not move.
        let told = counted_under
            .is_some_and(|under| under.starts_with("sha256:"))
            .then_some(Recomputed { reason: RULES_CHANGED, actor_id: None });
        let open = recompute_open_cases(conn, ctx, told, now)?.counted;
        let decided = recompute_decided_cases(conn, ctx, None)?;
        settings::put(conn, COUNTED_UNDER, &current)?;
        Ok(Some(Recounted { open, decided }))
    })
}

/// How many open cases were counted, and on how many some date moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecomputedCases {
    pub counted: usize,
    pub moved: usize,
}

/// Recomputes the kept due dates of every open case, with a timeline entry on each case whose
/// dates moved when `told` says why.
pub fn recompute_open_cases(
    conn: &mut AnyConnection,
    ctx: &Context,
    told: Option<Recomputed>,
    now: DateTime<Utc>,
) -> Result<RecomputedCases, ServiceError> {
    let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.as_str()).collect();
    let mut result = RecomputedCases { counted: 0, moved: 0 };
    let ids = store::ids_in_statuses(conn, &open)?;
    for (mut row, suspensions) in locked_with_suspensions(conn, &ids)? {
        // Closed meanwhile: the transition that closed it kept its dates.
        if !row.status.parse::<CaseStatus>().is_ok_and(|status| status.is_open()) {
            continue;
        }
        result.counted += 1;
        let old_due_on = row.due_on;
        let (deadlines, moved) = keep_clock_due_dates_given(conn, ctx, &mut row, &suspensions)?;
        if !moved {
            continue;
        }
        result.moved += 1;
        let Some(Recomputed { reason, actor_id }) = told else { continue };
        store::append_event(
            conn,
            &NewEvent {
                case_id: row.id,
                actor_id,
                event_type: DEADLINES_RECOMPUTED,
                from_status: None,
                to_status: None,
                data: json!({
                    "reason": reason,
                    "due_on": { "old": old_due_on, "new": row.due_on },
                    "deadlines": deadlines.iter().map(|d| json!({ "clock": d.clock, "due_on": d.due_on })).collect::<Vec<_>>(),
                }),
            },
            now,
        )?;
    }
    Ok(result)
}

/// Recomputes the resolution due date decided cases are held to (with the rest of their kept
/// dates): every one, or those whose kept date is on or after `due_from`; returns how many were
/// counted.
pub fn recompute_decided_cases(
    conn: &mut AnyConnection,
    ctx: &Context,
    due_from: Option<NaiveDate>,
) -> Result<usize, ServiceError> {
    let (mut counted, mut after_id) = (0, 0);
    loop {
        let ids = store::decided_ids_after(conn, after_id, DECIDED_BATCH, due_from)?;
        let Some(&last) = ids.last() else { break };
        after_id = last;
        for (mut row, suspensions) in locked_with_suspensions(conn, &ids)? {
            keep_clock_due_dates_given(conn, ctx, &mut row, &suspensions)?;
            counted += 1;
        }
    }
    Ok(counted)
}

/// Some cases, locked first so that a transition committed meanwhile elsewhere is read rather than
/// overwritten, in id order, each with its suspensions.
fn locked_with_suspensions(
    conn: &mut AnyConnection,
    ids: &[i64],
) -> Result<Vec<(CaseRow, Vec<SuspensionRow>)>, ServiceError> {
    store::lock(conn, ids)?;
    let mut rows = store::find_many(conn, ids)?;
    rows.sort_by_key(|row| row.id);
    let mut suspensions: HashMap<i64, Vec<SuspensionRow>> = HashMap::new();
    for suspension in store::suspensions_of(conn, ids)? {
        suspensions.entry(suspension.case_id).or_default().push(suspension);
    }
    Ok(rows
        .into_iter()
        .map(|row| {
            let of_row = suspensions.remove(&row.id).unwrap_or_default();
            (row, of_row)
        })
        .collect())
}
