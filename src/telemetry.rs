//! Logging: tracing to standard error, as text or JSON lines.

use tracing::{Level, Metadata, Subscriber};
use tracing_subscriber::filter::{EnvFilter, FilterExt, filter_fn};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, fmt, registry};

use crate::config::LogFormat;

/// Installs the global subscriber once; later calls (tests starting several servers) are no-ops.
pub fn init(filter: &str, format: LogFormat) {
    drop(subscriber(filter, format, std::io::stderr).try_init());
}

/// What `init` installs, writing to `writer`.
fn subscriber<W>(filter: &str, format: LogFormat, writer: W) -> impl Subscriber + Send + Sync
where
    W: for<'w> MakeWriter<'w> + Send + Sync + 'static,
{
    let configured = EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let filter = configured.and(filter_fn(|meta| !is_mail_conversation(meta)));
    let layer = match format {
        LogFormat::Json => fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .with_target(false)
            .with_writer(writer)
            .with_filter(filter)
            .boxed(),
        LogFormat::Text => fmt::layer().with_target(false).with_writer(writer).with_filter(filter).boxed(),
    };
    registry().with(layer)
}

/// lettre's debug and trace lines are the SMTP conversation itself: the recipients (a
/// denouncer's address among them), the messages and the AUTH exchange. They never reach a log,
/// whatever filter is configured (DOMAIN.md §9); its errors and warnings still do.
fn is_mail_conversation(meta: &Metadata<'_>) -> bool {
    meta.target().starts_with("lettre") && *meta.level() > Level::INFO
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    use super::*;

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    impl<'w> MakeWriter<'w> for Captured {
        type Writer = Captured;

        fn make_writer(&'w self) -> Self::Writer {
            self.clone()
        }
    }

    #[test]
    fn the_smtp_conversation_never_reaches_the_log_even_at_trace() {
        for (filter, format, debug_shown) in [
            ("trace", LogFormat::Json, true),
            ("info,lettre=trace", LogFormat::Text, false),
            ("debug", LogFormat::Text, true),
        ] {
            let captured = Captured::default();
            tracing::subscriber::with_default(subscriber(filter, format, captured.clone()), || {
                tracing::debug!(target: "lettre::transport::smtp::client::connection", "Wrote: RCPT TO:<to-cao@example.vn>");
                tracing::trace!(target: "lettre::transport::smtp", "Wrote: AUTH PLAIN c2VjcmV0");
                tracing::warn!(target: "lettre::transport::smtp", "connection refused");
                tracing::debug!(target: "tiepdan::jobs::outbox", "pass finished");
            });
            let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
            assert!(!text.contains("to-cao@example.vn") && !text.contains("AUTH"), "{filter}: {text}");
            assert!(text.contains("connection refused"), "{filter}: lettre's warnings are kept: {text}");
            assert_eq!(text.contains("pass finished"), debug_shown, "{filter}: the rest follows the filter: {text}");
        }
    }

    #[test]
    fn the_configured_filter_still_applies() {
        let captured = Captured::default();
        tracing::subscriber::with_default(subscriber("warn", LogFormat::Text, captured.clone()), || {
            tracing::info!(target: "tiepdan::app", "starting");
            tracing::warn!(target: "tiepdan::app", "disk nearly full");
        });
        let text = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        assert!(!text.contains("starting") && text.contains("disk nearly full"), "{text}");
    }
}
