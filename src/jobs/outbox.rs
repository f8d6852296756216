//! The outbox sender (QUALITY.md REL-07, REL-08, REL-11): claims due messages under a lease,
//! renders and delivers them, and records the result. Delivery is at least once: a message is
//! marked `sent` only after the SMTP 250, so a crash between the two re-sends it once, with the
//! same `Message-ID`.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::config::{OutboxSettings, Settings};
use crate::notifications::mailer::{Mailer, OutgoingMail, SendError};
use crate::notifications::{Notification, templates};
use crate::persistence::outbox::OutboxRow;
use crate::service::{Context, ServiceError, notifications as outbox};

/// Tells running workers to stop: they finish the message in hand, give back the rest of their
/// claims and return.
#[derive(Debug, Clone)]
pub struct Shutdown(watch::Sender<bool>);

impl Shutdown {
    pub fn new() -> Self {
        Shutdown(watch::channel(false).0)
    }

    pub fn signal(&self) {
        self.0.send_replace(true);
    }

    pub fn listener(&self) -> watch::Receiver<bool> {
        self.0.subscribe()
    }
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

/// One outbox sender.
#[derive(Debug, Clone)]
pub struct OutboxWorker {
    ctx: Context,
    mailer: Mailer,
    settings: OutboxSettings,
    public_url: String,
    worker_id: String,
}

/// What one pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PassReport {
    pub claimed: usize,
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

impl OutboxWorker {
    pub fn new(ctx: Context, settings: &Settings) -> Result<Self, String> {
        let mailer = Mailer::from_settings(settings)?;
        Ok(Self::with_mailer(ctx, mailer, settings))
    }

    pub fn with_mailer(ctx: Context, mailer: Mailer, settings: &Settings) -> Self {
        let worker_id = format!("{}-{:08x}", std::process::id(), rand::random::<u32>());
        OutboxWorker {
            ctx,
            mailer,
            settings: settings.outbox.clone(),
            public_url: settings.public_url.clone(),
            worker_id,
        }
    }

    /// The name its claims carry.
    pub fn id(&self) -> &str {
        &self.worker_id
    }

    /// Polls until `shutdown` is signalled, then gives back its claims.
    pub async fn run(self, shutdown: Shutdown) {
        let mut stop = shutdown.listener();
        tracing::info!(worker = %self.worker_id, mailer = %self.mailer.describe(), "outbox worker started");
        while !*stop.borrow() {
            let busy = match self.pass(crate::time::now(), &stop).await {
                Ok(report) => report.claimed as i64 >= self.settings.batch_size,
                Err(e) => {
                    tracing::error!(worker = %self.worker_id, error = %e, "outbox pass failed");
                    false
                }
            };
            if !busy {
                tokio::select! {
                    _ = tokio::time::sleep(self.settings.poll_interval) => {}
                    _ = stop.changed() => {}
                }
            }
        }
        match self.blocking(outbox::release).await {
            Ok(released) => tracing::info!(worker = %self.worker_id, released, "outbox worker stopped"),
            Err(e) => tracing::error!(worker = %self.worker_id, error = %e, "releasing outbox claims failed"),
        }
    }

    /// Claims one batch and delivers it; stops early (leaving the rest claimed, for `run` to
    /// release) when `stop` turns true.
    pub async fn pass(&self, now: DateTime<Utc>, stop: &watch::Receiver<bool>) -> Result<PassReport, ServiceError> {
        let lease = chrono::Duration::from_std(self.settings.lease).unwrap_or(chrono::Duration::seconds(60));
        let limit = self.settings.batch_size;
        let rows = self.blocking(move |ctx, id| outbox::claim(ctx, id, now, lease, limit)).await?;
        let mut report = PassReport { claimed: rows.len(), ..PassReport::default() };
        for row in rows {
            if *stop.borrow() {
                break;
            }
            match self.deliver(&row).await {
                Ok(()) => {
                    let delivered = row.clone();
                    let at = crate::time::now();
                    if !self.blocking(move |ctx, id| outbox::record_sent(ctx, &delivered, id, at)).await? {
                        tracing::warn!(outbox_id = row.id, "message sent after its claim had expired");
                    }
                    tracing::info!(outbox_id = row.id, template = %row.template, "notification sent");
                    report.sent += 1;
                }
                Err(SendError::Transient(error)) if (row.attempts + 1) < self.settings.max_attempts as i32 => {
                    // Servers quote addresses in their answers; a denouncer's stays out of the log.
                    let error = outbox::redact_error(&row, &error);
                    let delay = retry_delay(row.attempts as u32 + 1, &self.settings, rand::random::<f64>());
                    let next = crate::time::now() + chrono::Duration::from_std(delay).unwrap_or_default();
                    tracing::warn!(outbox_id = row.id, attempt = row.attempts + 1, error = %error, "delivery failed; will retry");
                    let failed = row.clone();
                    self.blocking(move |ctx, id| outbox::record_retry(ctx, &failed, id, next, &error)).await?;
                    report.retried += 1;
                }
                Err(SendError::Transient(error) | SendError::Permanent(error)) => {
                    let error = outbox::redact_error(&row, &error);
                    tracing::error!(outbox_id = row.id, attempt = row.attempts + 1, error = %error, "delivery failed for good");
                    let failed = row.clone();
                    self.blocking(move |ctx, id| outbox::record_failed(ctx, &failed, id, &error)).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    async fn deliver(&self, row: &OutboxRow) -> Result<(), SendError> {
        let notification = Notification::from_payload(&row.payload)
            .map_err(|e| SendError::Permanent(format!("cannot read the payload: {e}")))?;
        let content = templates::render(&notification, &self.public_url);
        let mail = OutgoingMail {
            outbox_id: row.id,
            to_name: &row.recipient_name,
            to_email: &row.recipient_email,
            content: &content,
        };
        // A hard ceiling below the lease, whatever the transport does.
        let ceiling = self.settings.lease / 2;
        match tokio::time::timeout(ceiling, self.mailer.send(&mail)).await {
            Ok(result) => result,
            Err(_) => Err(SendError::Transient(format!("no answer within {} s", ceiling.as_secs()))),
        }
    }

    /// Runs database work off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Context, &str) -> Result<T, ServiceError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let ctx = self.ctx.clone();
        let id = self.worker_id.clone();
        tokio::task::spawn_blocking(move || work(&ctx, &id))
            .await
            .map_err(|e| ServiceError::Internal(format!("outbox task: {e}")))?
    }
}

/// The pause before attempt `attempt + 1` after `attempt` failed: the base delay doubling with
/// each attempt up to the maximum (5 s, 10 s, 20 s … 10 min by default), less up to a fifth at
/// random (`jitter` in [0, 1)) so that messages failed together do not come back together.
pub fn retry_delay(attempt: u32, settings: &OutboxSettings, jitter: f64) -> Duration {
    let doublings = attempt.saturating_sub(1).min(30);
    let full = settings.retry_base.saturating_mul(1u32 << doublings).min(settings.retry_max);
    full.mul_f64(1.0 - 0.2 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_start_at_five_seconds_and_double_up_to_ten_minutes() {
        let settings = OutboxSettings::default();
        let seconds = |attempt| retry_delay(attempt, &settings, 0.0).as_secs();
        assert_eq!([seconds(1), seconds(2), seconds(3), seconds(4)], [5, 10, 20, 40]);
        assert_eq!(seconds(8), 600);
        assert_eq!(seconds(40), 600);
    }

    #[test]
    fn jitter_only_shortens_the_delay_by_at_most_a_fifth() {
        let settings = OutboxSettings::default();
        let plain = retry_delay(3, &settings, 0.0);
        let jittered = retry_delay(3, &settings, 0.999);
        assert!(jittered < plain && jittered >= plain.mul_f64(0.8));
    }
}
