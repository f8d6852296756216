//! Use cases. Each one runs in one database transaction and knows nothing of HTTP, so the CLI,
//! the HTTP handlers and the tests all call the same code.

pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod cases;
pub mod citizens;
pub mod clocks;
pub mod dialogues;
pub mod error;
pub mod idempotency;
pub mod notifications;
pub mod rounds;
pub mod rules;
pub mod transitions;
pub mod users;
pub mod visits;

use std::net::IpAddr;
use std::sync::{Arc, RwLock};

pub use error::ServiceError;

use crate::auth::password::PasswordHasher;
use crate::auth::tokens::TokenKeys;
use crate::domain::calendar::HolidayCalendar;
use crate::domain::deadline::RuleBook;
use crate::domain::vocab::Role;
use crate::persistence::{AnyConnection, Database, DbError, settings};

/// What every use case may need.
#[derive(Clone, Debug)]
pub struct Context {
    pub db: Database,
    pub hasher: PasswordHasher,
    pub tokens: TokenKeys,
    /// The statutory rule sets (deadline terms and their sources).
    pub rules: Arc<RuleBook>,
    /// The holiday calendar every date computation uses.
    pub calendar: Arc<RwLock<HolidayCalendar>>,
}

impl Context {
    pub fn new(db: Database, hasher: PasswordHasher, tokens: TokenKeys) -> Self {
        Context {
            db,
            hasher,
            tokens,
            rules: Arc::new(RuleBook::builtin()),
            calendar: Arc::new(RwLock::new(HolidayCalendar::default_calendar())),
        }
    }

    /// The calendar, for reading. A poisoned lock still holds a whole calendar (it is only
    /// ever replaced whole), so it is used as it is.
    pub fn calendar(&self) -> std::sync::RwLockReadGuard<'_, HolidayCalendar> {
        self.calendar.read().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The signed-in user making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub must_change_password: bool,
    pub session_id: String,
    pub ip: Option<IpAddr>,
}

impl Actor {
    pub fn ip_text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

const JWT_SECRET_KEY: &str = "jwt_secret";

/// The token key: the configured one, or the one generated on first start and kept in the
/// database so that restarts do not sign everybody out.
pub fn load_or_create_token_secret(db: &Database, configured: Option<&str>) -> Result<Vec<u8>, DbError> {
    if let Some(secret) = configured {
        return Ok(secret.as_bytes().to_vec());
    }
    let stored = db.write(|conn: &mut AnyConnection| {
        settings::get_or_insert_with(conn, JWT_SECRET_KEY, || {
            let bytes: [u8; 32] = rand::random();
            crate::auth::password::hex(&bytes)
        })
    });
    let stored = match stored {
        Ok(value) => value,
        // Another instance stored its key first: use that one.
        Err(DbError::UniqueViolation(_)) => {
            db.read(|conn| settings::get(conn, JWT_SECRET_KEY))?.ok_or(DbError::NotFound)?
        }
        Err(other) => return Err(other),
    };
    Ok(stored.into_bytes())
}
