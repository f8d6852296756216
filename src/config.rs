//! Configuration from the environment (and an optional `.env` file), as OPERATIONS.md lists it.
//! Every value is checked at start; a bad one stops the start with a message naming the variable.

use std::fmt;
use std::net::ToSocketAddrs;

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
    pub log_filter: String,
    pub log_format: LogFormat,
    pub max_body_bytes: usize,
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
        ];
        for (variable, value) in cases {
            let err = settings(&[(variable, value)]).unwrap_err();
            assert_eq!(err.variable, variable, "{value}");
            assert!(err.to_string().contains(variable));
        }
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
    fn blank_values_count_as_unset() {
        let s = settings(&[("TIEPDAN_SMTP_URL", " "), ("TIEPDAN_LOG", "")]).unwrap();
        assert!(s.smtp_url.is_none());
        assert_eq!(s.log_filter, "info");
    }
}
