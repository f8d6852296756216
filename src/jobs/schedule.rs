//! The periodic jobs of the worker: every `TIEPDAN_DEADLINE_SCAN_SECONDS` (10 minutes by
//! default) the deadline scan, then the weekly digest's check. The first pass comes one interval
//! after the start, so restarts do not crowd the database.

use std::time::Duration;

use tokio::sync::watch;

use super::{deadlines, digest};
use crate::service::Context;

/// Runs the periodic jobs until `stop` turns true.
pub async fn run(ctx: Context, interval: Duration, mut stop: watch::Receiver<bool>) {
    tracing::info!(interval_seconds = interval.as_secs(), "deadline scan scheduled");
    loop {
        tokio::select! {
            _ = tokio::time::sleep(interval) => {}
            changed = stop.changed() => {
                // The sender is gone: nobody can stop us any more, so stop now.
                if changed.is_err() {
                    break;
                }
            }
        }
        if *stop.borrow() {
            break;
        }
        let pass_ctx = ctx.clone();
        let outcome = tokio::task::spawn_blocking(move || pass(&pass_ctx)).await;
        if let Err(e) = outcome {
            tracing::error!(error = %e, "the periodic jobs ended abnormally");
        }
    }
}

/// One pass: the scan as of today in Vietnam, then the digest if this week's is due.
pub fn pass(ctx: &Context) {
    let now = crate::time::now();
    match deadlines::scan(ctx, crate::time::vietnam_date(now), now) {
        Ok(report) if !report.queued.is_empty() => {
            tracing::info!(cases = report.cases_examined, reminders = report.queued.len(), "deadline reminders queued")
        }
        Ok(_) => {}
        Err(e) => tracing::error!(error = %e, "deadline scan failed"),
    }
    match digest::run(ctx, now) {
        Ok(0) => {}
        Ok(queued) => tracing::info!(messages = queued, "weekly digest queued"),
        Err(e) => tracing::error!(error = %e, "weekly digest failed"),
    }
}
