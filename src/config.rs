//! Configuration from the environment (and an optional `.env` file), as OPERATIONS.md lists it.
//! Every value is checked at start; a bad one stops the start with a message naming the variable.

use std::fmt;
use std::net::ToSocketAddrs;
use std::path::PathBuf;
use std::time::Duration;

use crate::persistence::{DatabaseSettings, DatabaseUrl, SqliteSynchronous};

/// A value that must never reach a log.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Log line format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// Everything the process needs to start.
#[derive(Debug, Clone)]
pub struct Settings {
    pub database: DatabaseSettings,
    pub bind: String,
    pub jwt_secret: Option<Secret>,
    pub smtp_url: Option<Secret>,
    pub mail_from: String,
    /// Where `.eml` files go when no SMTP server is configured.
    pub mail_dir: PathBuf,
    /// The address users reach the application at, for links in mail; no trailing slash.
    pub public_url: String,
    pub outbox: OutboxSettings,
    pub log_filter: String,
    pub log_format: LogFormat,
    pub max_body_bytes: usize,
}

/// How the outbox worker polls and retries (DOMAIN.md §8, QUALITY.md REL-08).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxSettings {
    /// Pause between polls when there is nothing to send (at most 2 seconds by the spec).
    pub poll_interval: Duration,
    /// Attempts before a message is marked `failed`.
    pub max_attempts: u32,
    /// Delay before the first retry; it doubles with every further attempt…
    pub retry_base: Duration,
    /// …up to this.
    pub retry_max: Duration,
    /// How long a claimed row stays reserved for its worker; longer than one SMTP exchange may
    /// take, so that no other worker takes a row that is still being sent.
    pub lease: Duration,
    /// Rows claimed at once.
    pub batch_size: i64,
    /// Pause between the worker's deadline scans (and weekly-digest checks).
    pub deadline_scan_interval: Duration,
}

impl Default for OutboxSettings {
    fn default() -> Self {
        OutboxSettings {
            poll_interval: Duration::from_secs(2),
            max_attempts: 10,
            retry_base: Duration::from_secs(5),
            retry_max: Duration::from_secs(600),
            lease: Duration::from_secs(60),
            batch_size: 20,
            deadline_scan_interval: Duration::from_secs(600),
        }
    }
}

/// A bad configuration value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("configuration error in {variable}: {message}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub message: String,
}

fn bad(variable: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError { variable, message: message.into() }
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/tiepdan.db";
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
pub const DEFAULT_MAIL_FROM: &str = "Ban Tiep cong dan <no-reply@localhost>";
pub const DEFAULT_MAX_BODY_BYTES: usize = 1_048_576;
pub const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl Settings {
    /// Reads `.env` if present, then the process environment (which wins).
    pub fn from_env() -> Result<Self, ConfigError> {
        match dotenvy::dotenv() {
            Ok(_) => {}
            Err(e) if e.not_found() => {}
            Err(e) => return Err(bad("(.env file)", e.to_string())),
        }
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Builds the settings from any source of variables; an empty value counts as unset.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());

        let url_text = get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let url = DatabaseUrl::parse(&url_text).map_err(|m| bad("DATABASE_URL", m))?;

        let pool_size = match get("TIEPDAN_DB_POOL_SIZE") {
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (1..=256).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "TIEPDAN_DB_POOL_SIZE",
                        format!("expected a whole number from 1 to 256, got `{text}`"),
                    ));
                }
            },
            None => DatabaseSettings::default_pool_size(url.backend()),
        };

        let sqlite_synchronous = match get("TIEPDAN_SQLITE_SYNCHRONOUS")
            .as_deref()
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            None | Some("full") => SqliteSynchronous::Full,
            Some("normal") => SqliteSynchronous::Normal,
            Some(other) => {
                return Err(bad("TIEPDAN_SQLITE_SYNCHRONOUS", format!("expected `full` or `normal`, got `{other}`")));
            }
        };

        let bind = get("TIEPDAN_BIND").unwrap_or_else(|| DEFAULT_BIND.to_owned());
        match bind.to_socket_addrs().map(|mut addrs| addrs.next()) {
            Ok(Some(_)) => {}
            _ => return Err(bad("TIEPDAN_BIND", format!("expected an address such as 127.0.0.1:8080, got `{bind}`"))),
        }

        let jwt_secret = match get("TIEPDAN_JWT_SECRET") {
            Some(secret) if secret.len() >= crate::auth::tokens::MIN_SECRET_BYTES => Some(Secret::new(secret)),
            Some(_) => {
                return Err(bad(
                    "TIEPDAN_JWT_SECRET",
                    format!("must be at least {} bytes of random text", crate::auth::tokens::MIN_SECRET_BYTES),
                ));
            }
            None => None,
        };

        let smtp_url = match get("TIEPDAN_SMTP_URL") {
            Some(url) if url.starts_with("smtp://") || url.starts_with("smtps://") => Some(Secret::new(url)),
            Some(_) => return Err(bad("TIEPDAN_SMTP_URL", "expected smtp://… or smtps://… (lettre URL syntax)")),
            None => None,
        };

        let mail_from = get("TIEPDAN_MAIL_FROM").unwrap_or_else(|| DEFAULT_MAIL_FROM.to_owned());
        if !mail_from.contains('@') || mail_from.chars().any(|c| c.is_control()) {
            return Err(bad(
                "TIEPDAN_MAIL_FROM",
                "expected a mailbox such as `Ban Tiep cong dan <no-reply@example.gov.vn>`",
            ));
        }

        let mail_dir = match get("TIEPDAN_MAIL_DIR") {
            Some(dir) => PathBuf::from(dir),
            // Beside the SQLite file (`data/mail` with the default URL).
            None => match &url {
                DatabaseUrl::Sqlite(path) => {
                    path.parent().filter(|p| !p.as_os_str().is_empty()).map(|p| p.join("mail")).unwrap_or("mail".into())
                }
                DatabaseUrl::Postgres(_) => PathBuf::from("data/mail"),
            },
        };

        let public_url = get("TIEPDAN_PUBLIC_URL").unwrap_or_else(|| DEFAULT_PUBLIC_URL.to_owned());
        let public_url = public_url.trim_end_matches('/').to_owned();
        let host = public_url.strip_prefix("https://").or_else(|| public_url.strip_prefix("http://"));
        if host.is_none_or(|h| h.is_empty() || h.starts_with('/'))
            || public_url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '"' | '<' | '>'))
        {
            return Err(bad(
                "TIEPDAN_PUBLIC_URL",
                format!(
                    "expected an http:// or https:// address such as https://tiepdan.example.gov.vn, got `{public_url}`"
                ),
            ));
        }

        let millis =
            |variable: &'static str, default: Duration, range: std::ops::RangeInclusive<u64>| match get(variable) {
                Some(text) => match text.parse::<u64>() {
                    Ok(n) if range.contains(&n) => Ok(Duration::from_millis(n)),
                    _ => Err(bad(
                        variable,
                        format!("expected milliseconds from {} to {}, got `{text}`", range.start(), range.end()),
                    )),
                },
                None => Ok(default),
            };
        let defaults = OutboxSettings::default();
        let poll_interval = millis("TIEPDAN_OUTBOX_POLL_MS", defaults.poll_interval, 10..=2_000)?;
        let retry_base = millis("TIEPDAN_OUTBOX_RETRY_BASE_MS", defaults.retry_base, 1..=3_600_000)?;
        let retry_max = millis("TIEPDAN_OUTBOX_RETRY_MAX_MS", defaults.retry_max, 1..=86_400_000)?;
        if retry_max < retry_base {
            return Err(bad("TIEPDAN_OUTBOX_RETRY_MAX_MS", "must not be below TIEPDAN_OUTBOX_RETRY_BASE_MS"));
        }
        let max_attempts = match get("TIEPDAN_OUTBOX_MAX_ATTEMPTS") {
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (1..=100).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "TIEPDAN_OUTBOX_MAX_ATTEMPTS",
                        format!("expected a whole number from 1 to 100, got `{text}`"),
                    ));
                }
            },
            None => defaults.max_attempts,
        };
        let deadline_scan_interval = match get("TIEPDAN_DEADLINE_SCAN_SECONDS") {
            Some(text) => match text.parse::<u64>() {
                Ok(n) if (1..=86_400).contains(&n) => Duration::from_secs(n),
                _ => {
                    return Err(bad(
                        "TIEPDAN_DEADLINE_SCAN_SECONDS",
                        format!("expected seconds from 1 to 86400, got `{text}`"),
                    ));
                }
            },
            None => defaults.deadline_scan_interval,
        };
        let outbox =
            OutboxSettings { poll_interval, max_attempts, retry_base, retry_max, deadline_scan_interval, ..defaults };

        let log_filter = get("TIEPDAN_LOG").unwrap_or_else(|| "info".to_owned());
        if let Err(e) = tracing_subscriber::EnvFilter::try_new(&log_filter) {
            return Err(bad("TIEPDAN_LOG", format!("not a valid filter: {e}")));
        }
        let log_format = match get("TIEPDAN_LOG_FORMAT").as_deref() {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => return Err(bad("TIEPDAN_LOG_FORMAT", format!("expected `text` or `json`, got `{other}`"))),
        };

        let max_body_bytes = match get("TIEPDAN_MAX_BODY_BYTES") {
            Some(text) => match text.parse::<usize>() {
                Ok(n) if (1_024..=64 * 1_048_576).contains(&n) => n,
                _ => {
                    return Err(bad(
                        "TIEPDAN_MAX_BODY_BYTES",
                        format!("expected a number of bytes from 1024 to 67108864, got `{text}`"),
                    ));
                }
            },
            None => DEFAULT_MAX_BODY_BYTES,
        };

        Ok(Settings {
            database: DatabaseSettings { url, pool_size, sqlite_synchronous },
            bind,
            jwt_secret,
            smtp_url,
            mail_from,
            mail_dir,
            public_url,
            outbox,
            log_filter,
            log_format,
            max_body_bytes,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_lookup(|name| map.get(name).cloned())
    }

    #[test]
    fn defaults_match_the_operations_guide() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.database.url, DatabaseUrl::parse("sqlite://data/tiepdan.db").unwrap());
        assert_eq!(s.database.pool_size, 8);
        assert_eq!(s.database.sqlite_synchronous, SqliteSynchronous::Full);
        assert_eq!(s.bind, "127.0.0.1:8080");
        assert_eq!(s.mail_from, DEFAULT_MAIL_FROM);
        assert_eq!(s.max_body_bytes, 1_048_576);
        assert_eq!(s.log_format, LogFormat::Text);
        assert!(s.jwt_secret.is_none() && s.smtp_url.is_none());
        assert_eq!(s.public_url, "http://127.0.0.1:8080");
        assert_eq!(s.mail_dir, PathBuf::from("data/mail"));
        assert_eq!(s.outbox, OutboxSettings::default());
        assert_eq!(s.outbox.poll_interval, Duration::from_secs(2));
        assert_eq!((s.outbox.max_attempts, s.outbox.retry_base.as_secs(), s.outbox.retry_max.as_secs()), (10, 5, 600));
        let pg = settings(&[("DATABASE_URL", "postgres://u@h/db")]).unwrap();
        assert_eq!(pg.database.pool_size, 16);
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        let cases = [
            ("DATABASE_URL", "mysql://x"),
            ("TIEPDAN_DB_POOL_SIZE", "zero"),
            ("TIEPDAN_DB_POOL_SIZE", "0"),
            ("TIEPDAN_SQLITE_SYNCHRONOUS", "off"),
            ("TIEPDAN_BIND", "not an address"),
            ("TIEPDAN_JWT_SECRET", "short"),
            ("TIEPDAN_SMTP_URL", "http://mail"),
            ("TIEPDAN_MAIL_FROM", "nobody"),
            ("TIEPDAN_LOG", "[[["),
            ("TIEPDAN_LOG_FORMAT", "xml"),
            ("TIEPDAN_MAX_BODY_BYTES", "10"),
            ("TIEPDAN_PUBLIC_URL", "tiepdan.example.gov.vn"),
            ("TIEPDAN_PUBLIC_URL", "https://"),
            ("TIEPDAN_PUBLIC_URL", "https://a b"),
            ("TIEPDAN_OUTBOX_POLL_MS", "5000"),
            ("TIEPDAN_OUTBOX_MAX_ATTEMPTS", "0"),
            ("TIEPDAN_OUTBOX_RETRY_BASE_MS", "soon"),
            ("TIEPDAN_DEADLINE_SCAN_SECONDS", "0"),
            ("TIEPDAN_DEADLINE_SCAN_SECONDS", "hourly"),
        ];
        for (variable, value) in cases {
            let err = settings(&[(variable, value)]).unwrap_err();
            assert_eq!(err.variable, variable, "{value}");
            assert!(err.to_string().contains(variable));
        }
    }

    #[test]
    fn the_deadline_scan_runs_every_ten_minutes_unless_set() {
        assert_eq!(settings(&[]).unwrap().outbox.deadline_scan_interval, Duration::from_secs(600));
        let s = settings(&[("TIEPDAN_DEADLINE_SCAN_SECONDS", "30")]).unwrap();
        assert_eq!(s.outbox.deadline_scan_interval, Duration::from_secs(30));
    }

    #[test]
    fn secrets_stay_out_of_debug_output() {
        let s = settings(&[
            ("TIEPDAN_JWT_SECRET", "a-very-long-secret-value-of-40-bytes-xxxx"),
            ("TIEPDAN_SMTP_URL", "smtp://user:hunter2@mail.example.gov.vn:587"),
            ("DATABASE_URL", "postgres://u:pgpass@h/db"),
        ])
        .unwrap();
        let debug = format!("{s:?}");
        for secret in ["a-very-long-secret", "hunter2", "pgpass"] {
            assert!(!debug.contains(secret), "{secret} leaked: {debug}");
        }
    }

    #[test]
    fn the_public_url_loses_its_trailing_slash_and_mail_goes_beside_the_database() {
        let s = settings(&[
            ("TIEPDAN_PUBLIC_URL", "https://tiepdan.example.gov.vn/"),
            ("DATABASE_URL", "sqlite:///var/lib/tiepdan/db.sqlite"),
        ])
        .unwrap();
        assert_eq!(s.public_url, "https://tiepdan.example.gov.vn");
        assert_eq!(s.mail_dir, PathBuf::from("/var/lib/tiepdan/mail"));
        let s = settings(&[("TIEPDAN_MAIL_DIR", "/srv/mail")]).unwrap();
        assert_eq!(s.mail_dir, PathBuf::from("/srv/mail"));
    }

    #[test]
    fn blank_values_count_as_unset() {
        let s = settings(&[("TIEPDAN_SMTP_URL", " "), ("TIEPDAN_LOG", "")]).unwrap();
        assert!(s.smtp_url.is_none());
        assert_eq!(s.log_filter, "info");
    }
}
