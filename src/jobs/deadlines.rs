//! The deadline scan (DOMAIN.md §7, §8): open cases whose clocks are due within the due-soon
//! window or overdue get their reminders queued, each once per clock (overdue ones again each
//! week), with a case event. Safe to repeat and to run in several workers at once: the outbox's
//! dedupe key lets one reminder in once.

use chrono::{DateTime, NaiveDate, Utc};

use crate::service::notifications::{self as reminders, QueuedReminder};
use crate::service::{Context, ServiceError};

/// What one scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Open cases whose stored due date fell inside the window.
    pub cases_examined: usize,
    pub queued: Vec<QueuedReminder>,
}

/// Scans once as of `as_of` (a Vietnam date). Each case is its own transaction: a failure on one
/// case is logged and the scan goes on with the others.
pub fn scan(ctx: &Context, as_of: NaiveDate, now: DateTime<Utc>) -> Result<ScanReport, ServiceError> {
    // The widest due-soon window of any rule set selects the candidates; each case is then
    // judged by the rule set in force on its received date.
    let widest = ctx.rules.rule_sets().iter().map(|r| r.due_soon_working_days).max().unwrap_or(0);
    let horizon = ctx.calendar().working_days_after(as_of, widest);
    let candidates = reminders::cases_due_by(ctx, horizon)?;
    let mut report = ScanReport { cases_examined: candidates.len(), queued: Vec::new() };
    for case_id in candidates {
        match reminders::remind(ctx, case_id, as_of, now) {
            Ok(queued) => report.queued.extend(queued),
            Err(e) => tracing::error!(case_id, error = %e, "deadline reminders of a case failed"),
        }
    }
    Ok(report)
}
