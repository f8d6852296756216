//! Persistence: the one connection type that speaks SQLite and PostgreSQL, its pool, the
//! transaction helpers, the schema and the queries. Nothing here knows about HTTP.

pub mod audit;
pub mod bulk;
pub mod calendar;
pub mod case_list;
pub mod cases;
pub mod citizens;
pub mod dates;
pub mod dialogues;
pub mod dump;
pub mod error;
pub mod idempotency;
pub mod in_list;
pub mod migrations;
pub mod outbox;
pub mod rule_sets;
pub mod schema;
pub mod sessions;
pub mod settings;
pub mod texts;
pub mod users;
pub mod visits;
pub mod words;

use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::R2D2Connection;

pub use error::DbError;

/// One connection type for both backends; the variant is chosen from `DATABASE_URL` at start.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// Evaluates `$body` with `$c` bound to the backend's own connection inside `$conn`.
///
/// For the statements every page and every request runs. Through `AnyConnection` diesel writes
/// each statement's SQL out on every pass over the query (the statement-cache check, binding),
/// even when the statement is kept; on the backend's own connection a query whose type fixes its
/// text (no boxed parts) is found among the kept statements by that type without writing any SQL,
/// and its rows are read without the dispatch between backends. The body is compiled once per
/// backend, so it builds its query itself; it is not a closure (`?` or `return` in it leave the
/// enclosing function). With `|c, Db|`, `Db` is an alias of the backend's type (`Sqlite` or
/// `Pg`) in the body, for a query boxed with `into_boxed::<Db>()`; such a query is still looked
/// up among the kept statements by its text.
macro_rules! on_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::persistence::AnyConnection::Sqlite($c) => $body,
            $crate::persistence::AnyConnection::Postgresql($c) => $body,
        }
    };
    ($conn:expr, |$c:ident, $db:ident| $body:expr) => {
        match $conn {
            $crate::persistence::AnyConnection::Sqlite($c) => {
                type $db = ::diesel::sqlite::Sqlite;
                $body
            }
            $crate::persistence::AnyConnection::Postgresql($c) => {
                type $db = ::diesel::pg::Pg;
                $body
            }
        }
    };
}
pub(crate) use on_backend;

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A parsed `DATABASE_URL`.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH`; a relative path is relative to the working directory.
    Sqlite(PathBuf),
    /// `postgres://…` or `postgresql://…`, passed to libpq as written.
    Postgres(String),
}

impl std::fmt::Debug for DatabaseUrl {
    // The PostgreSQL URL may hold a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DatabaseUrl::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            DatabaseUrl::Postgres(_) => f.write_str("postgres://[redacted]"),
        }
    }
}

impl DatabaseUrl {
    /// Parses a URL; anything but `sqlite://` and `postgres(ql)://` is refused so that a typo
    /// cannot silently create an empty database somewhere.
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() || path.contains(":memory:") {
                return Err("a SQLite URL needs a file path, e.g. sqlite://data/tiepdan.db".into());
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(url.to_owned()));
        }
        Err("expected sqlite://PATH or postgres://user:pass@host:port/db".into())
    }

    pub fn backend(&self) -> Backend {
        match self {
            DatabaseUrl::Sqlite(_) => Backend::Sqlite,
            DatabaseUrl::Postgres(_) => Backend::Postgres,
        }
    }
}

/// SQLite's `synchronous` setting: `full` loses no acknowledged write on power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSynchronous {
    Full,
    Normal,
}

/// How to reach and size the database.
#[derive(Debug, Clone)]
pub struct DatabaseSettings {
    pub url: DatabaseUrl,
    pub pool_size: u32,
    pub sqlite_synchronous: SqliteSynchronous,
}

impl DatabaseSettings {
    pub fn default_pool_size(backend: Backend) -> u32 {
        match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }
    }
}

/// Opens connections for r2d2, applying the per-connection SQLite settings.
///
/// Written by hand because the derived `establish` tries each backend in turn and hides the
/// real connection error.
pub struct ConnectionManager {
    url: DatabaseUrl,
    sqlite_synchronous: SqliteSynchronous,
}

/// Why a connection could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(transparent)]
    Connection(#[from] diesel::ConnectionError),
    #[error(transparent)]
    Query(#[from] diesel::result::Error),
}

/// Bytes of the database file SQLite may map into memory: all of it up to about eight million
/// cases (a million take about 2 GB). SQLite clamps the setting to the limit it is built with
/// (`SQLITE_MAX_MMAP_SIZE` in .cargo/config.toml, 64-bit builds), which must be at least this.
const SQLITE_MMAP_BYTES: u64 = 1 << 34;
/// The page cache of each SQLite connection, in KiB.
const SQLITE_CACHE_KIB: u32 = 16 * 1024;
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// A connection of the pool, and whether its last use failed.
pub struct PoolConnection {
    conn: AnyConnection,
    failed: bool,
}

impl std::ops::Deref for PoolConnection {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        &self.conn
    }
}

impl std::ops::DerefMut for PoolConnection {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.conn
    }
}

impl PoolConnection {
    /// Runs `work`, remembering whether it failed (or panicked). Any failure counts: the error a
    /// lost session gives depends on where the statement met it.
    fn run<T, E>(&mut self, work: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E> {
        self.failed = true;
        let result = work(&mut self.conn);
        self.failed = result.is_err();
        result
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = PoolConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<PoolConnection, ConnectError> {
        self.open().map(|conn| PoolConnection { conn, failed: false })
    }

    fn is_valid(&self, conn: &mut PoolConnection) -> Result<(), ConnectError> {
        conn.ping().map_err(ConnectError::Query)
    }

    /// diesel counts a connection broken when its transaction state is in error or left open,
    /// which a failure on an ended PostgreSQL session (a restart, a fail-over,
    /// `pg_terminate_backend`) does not always leave: such connections went on failing every
    /// request that drew them. After a failed use a ping tells.
    fn has_broken(&self, conn: &mut PoolConnection) -> bool {
        let failed = std::mem::take(&mut conn.failed);
        conn.is_broken() || (failed && matches!(conn.conn, AnyConnection::Postgresql(_)) && conn.ping().is_err())
    }
}

impl ConnectionManager {
    fn open(&self) -> Result<AnyConnection, ConnectError> {
        match &self.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(&path.to_string_lossy())?;
                // busy_timeout first, so that switching to WAL waits instead of failing.
                conn.batch_execute(&format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS};"))?;
                conn.batch_execute("PRAGMA journal_mode = WAL;")?;
                let synchronous = match self.sqlite_synchronous {
                    SqliteSynchronous::Full => "FULL",
                    SqliteSynchronous::Normal => "NORMAL",
                };
                conn.batch_execute(&format!("PRAGMA synchronous = {synchronous};"))?;
                conn.batch_execute("PRAGMA foreign_keys = ON;")?;
                // Reads of reports touch tens of thousands of rows spread over the file: map it
                // (shared with the OS page cache, so no memory per connection; a page outside the
                // map is copied in by a system call) and keep a page cache larger than the 2 MiB
                // default.
                conn.batch_execute(&format!("PRAGMA mmap_size = {SQLITE_MMAP_BYTES};"))?;
                conn.batch_execute(&format!("PRAGMA cache_size = -{SQLITE_CACHE_KIB};"))?;
                Ok(AnyConnection::Sqlite(conn))
            }
            DatabaseUrl::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url)?;
                conn.batch_execute("SET TIME ZONE 'UTC';")?;
                Ok(AnyConnection::Postgresql(conn))
            }
        }
    }
}

pub type PooledConnection = r2d2::PooledConnection<ConnectionManager>;

/// The database: a pool of connections and the transaction helpers every use case goes through.
#[derive(Clone)]
pub struct Database {
    pool: r2d2::Pool<ConnectionManager>,
    backend: Backend,
}

impl std::fmt::Debug for Database {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Database").field("backend", &self.backend).finish_non_exhaustive()
    }
}

impl Database {
    /// Opens the pool (creating the SQLite file's folder if needed) and checks one connection.
    pub fn connect(settings: &DatabaseSettings) -> Result<Self, DbError> {
        if let DatabaseUrl::Sqlite(path) = &settings.url {
            create_parent_dir(path)?;
        }
        let manager = ConnectionManager { url: settings.url.clone(), sqlite_synchronous: settings.sqlite_synchronous };
        let pool = r2d2::Pool::builder()
            .max_size(settings.pool_size)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .test_on_check_out(false)
            .build(manager)
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        Ok(Database { pool, backend: settings.url.backend() })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A connection from the pool, for reads and for the migration runner.
    pub fn connection(&self) -> Result<PooledConnection, DbError> {
        self.pool.get().map_err(|e| DbError::Unavailable(e.to_string()))
    }

    /// Pool figures for `/metrics`: (open connections, idle connections, maximum).
    pub fn pool_state(&self) -> (u32, u32, u32) {
        let state = self.pool.state();
        (state.connections, state.idle_connections, self.pool.max_size())
    }

    /// Runs `work` on one connection without a transaction (single-statement reads).
    pub fn read<T, E>(&self, work: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        self.connection()?.run(work)
    }

    /// Runs `work` at once on the calling thread, without a transaction, if the database is
    /// SQLite and a connection is idle in the pool; `None` otherwise, and `work` has not run.
    ///
    /// For reads of a few microseconds (a row by its key) that an async worker may make itself:
    /// handing them to the blocking pool and back costs more than they do. It does not wait for a
    /// connection, nor on a network as PostgreSQL's reads do; a SQLite read waits only in the
    /// rare moments another connection holds the file against readers (recovery after a crash, an
    /// exclusive lock), or for a page the disk has not yet handed to the memory map.
    pub fn read_at_once<T, E>(&self, work: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Option<Result<T, E>> {
        if self.backend != Backend::Sqlite {
            return None;
        }
        Some(self.pool.try_get()?.run(work))
    }

    /// Runs `work` in one write transaction, committed if it returns `Ok`, rolled back otherwise.
    ///
    /// On SQLite the transaction starts with `BEGIN IMMEDIATE`: a deferred transaction that
    /// reads and then writes fails with "database is locked" under concurrency instead of
    /// waiting for the busy timeout.
    pub fn write<T, E>(&self, work: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        self.connection()?.run(|conn| {
            begin_write(conn).map_err(DbError::from)?;
            match work(conn) {
                Ok(value) => {
                    commit(conn).map_err(DbError::from)?;
                    Ok(value)
                }
                Err(err) => {
                    if let Err(rollback_err) = rollback(conn) {
                        tracing::error!(error = %rollback_err, "rollback failed");
                    }
                    Err(err)
                }
            }
        })
    }

    /// Runs `work` in a read-only snapshot (a transaction), so that several queries of one
    /// report or page see the same data.
    pub fn snapshot<T, E>(&self, work: impl FnOnce(&mut AnyConnection) -> Result<T, E>) -> Result<T, E>
    where
        E: From<DbError>,
    {
        self.connection()?.run(|conn| {
            begin_snapshot(conn).map_err(DbError::from)?;
            let result = work(conn);
            if let Err(err) = rollback(conn) {
                tracing::error!(error = %err, "ending a read transaction failed");
            }
            result
        })
    }

    /// `SELECT 1` through the pool, for `/readyz`.
    pub fn ping(&self) -> Result<(), DbError> {
        self.connection()?.run(|conn| conn.ping()).map_err(DbError::from)
    }
}

fn begin_write(conn: &mut AnyConnection) -> QueryResult<()> {
    match conn {
        AnyConnection::Sqlite(inner) => AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE"),
        AnyConnection::Postgresql(_) => <AnyConnection as Connection>::TransactionManager::begin_transaction(conn),
    }
}

/// A SQLite transaction reads one state of the file until it ends; a PostgreSQL one does only
/// from `REPEATABLE READ` (each statement of a `READ COMMITTED` one sees what was committed
/// before it), which cannot fail on a read-only transaction.
fn begin_snapshot(conn: &mut AnyConnection) -> QueryResult<()> {
    match conn {
        AnyConnection::Sqlite(_) => <AnyConnection as Connection>::TransactionManager::begin_transaction(conn),
        AnyConnection::Postgresql(inner) => {
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        }
    }
}

fn commit(conn: &mut AnyConnection) -> QueryResult<()> {
    <AnyConnection as Connection>::TransactionManager::commit_transaction(conn)
}

fn rollback(conn: &mut AnyConnection) -> QueryResult<()> {
    <AnyConnection as Connection>::TransactionManager::rollback_transaction(conn)
}

fn create_parent_dir(path: &Path) -> Result<(), DbError> {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => std::fs::create_dir_all(parent)
            .map_err(|e| DbError::Unavailable(format!("cannot create the database folder {}: {e}", parent.display()))),
        _ => Ok(()),
    }
}

/// What tests of statement caching watch: the SQL of every statement a connection prepares
/// and keeps (diesel's `CacheQuery` event).
#[cfg(test)]
#[derive(Default, Clone)]
pub(crate) struct KeptStatements(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

#[cfg(test)]
impl KeptStatements {
    pub(crate) fn sql(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }
}

#[cfg(test)]
impl diesel::connection::Instrumentation for KeptStatements {
    fn on_connection_event(&mut self, event: diesel::connection::InstrumentationEvent<'_>) {
        if let diesel::connection::InstrumentationEvent::CacheQuery { sql, .. } = event {
            self.0.lock().unwrap().push(sql.to_owned());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_and_refuse_the_rest() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/tiepdan.db").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("data/tiepdan.db"))
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:///var/lib/tiepdan/db.sqlite").unwrap(),
            DatabaseUrl::Sqlite(PathBuf::from("/var/lib/tiepdan/db.sqlite"))
        );
        assert_eq!(DatabaseUrl::parse("postgres://u:p@h/db").unwrap().backend(), Backend::Postgres);
        assert_eq!(DatabaseUrl::parse("postgresql://h/db").unwrap().backend(), Backend::Postgres);
        for bad in ["", "data/tiepdan.db", "mysql://h/db", "sqlite://", "sqlite://:memory:"] {
            assert!(DatabaseUrl::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sqlite_is_built_with_the_configured_options() {
        // Set by .cargo/config.toml. Without the first two SQLite would lock around every call
        // and on every allocation; without the limit the map would stop at 2 GiB.
        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        let mut used = |option: &str| {
            diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>(&format!(
                "sqlite_compileoption_used('{option}')"
            )))
            .get_result::<i32>(&mut conn)
            .unwrap()
        };
        assert_eq!(used("THREADSAFE=2"), 1);
        assert_eq!(used("DEFAULT_MEMSTATUS=0"), 1);
        assert_eq!(used(&format!("MAX_MMAP_SIZE={SQLITE_MMAP_BYTES}")), 1);
        // Plans never depend on bound values. Without this SQLite reads a bound LIMIT (every
        // `.first()`, every page) or a value compared with an analyzed index while planning, and
        // compiles the kept statement again on every execution.
        assert_eq!(used("ENABLE_QPSG"), 1);
    }

    #[test]
    fn a_sqlite_connection_maps_the_file_as_configured() {
        #[derive(diesel::QueryableByName)]
        struct Pragma {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            mmap_size: i64,
        }
        let dir = tempfile::tempdir().unwrap();
        let manager = ConnectionManager {
            url: DatabaseUrl::Sqlite(dir.path().join("map.db")),
            sqlite_synchronous: SqliteSynchronous::Full,
        };
        let AnyConnection::Sqlite(mut conn) = manager.open().unwrap() else {
            panic!("a SQLite URL gave another connection");
        };
        // SQLite silently clamps a larger setting to the limit it was built with.
        let pragma: Pragma = diesel::sql_query("PRAGMA mmap_size").get_result(&mut conn).unwrap();
        assert_eq!(pragma.mmap_size as u64, SQLITE_MMAP_BYTES);
    }

    #[test]
    fn reads_at_once_only_with_an_idle_sqlite_connection() {
        let dir = tempfile::tempdir().unwrap();
        let settings = DatabaseSettings {
            url: DatabaseUrl::Sqlite(dir.path().join("once.db")),
            pool_size: 1,
            sqlite_synchronous: SqliteSynchronous::Full,
        };
        let db = Database::connect(&settings).unwrap();
        let answer =
            db.read_at_once(|conn| diesel::select(1.into_sql::<diesel::sql_types::Integer>()).get_result::<i32>(conn));
        assert_eq!(answer.map(Result::unwrap), Some(1));

        // With every connection taken it answers at once, without waiting for one to come back.
        let held = db.connection().unwrap();
        let mut ran = false;
        let asked = std::time::Instant::now();
        let answer = db.read_at_once(|_| {
            ran = true;
            Ok::<_, DbError>(())
        });
        assert!(answer.is_none());
        assert!(asked.elapsed() < Duration::from_secs(1), "waited {:?} for a connection", asked.elapsed());
        assert!(!ran, "the work ran although no connection was idle");
        drop(held);
        assert!(db.read_at_once(|_| Ok::<_, DbError>(())).is_some());

        // PostgreSQL's reads wait on the network: never on the caller's thread.
        if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
            let settings = DatabaseSettings {
                url: DatabaseUrl::parse(&url).unwrap(),
                pool_size: 1,
                sqlite_synchronous: SqliteSynchronous::Full,
            };
            let db = Database::connect(&settings).unwrap();
            assert!(db.read_at_once(|_| Ok::<_, DbError>(())).is_none());
        }
    }

    #[test]
    fn debug_output_never_shows_a_postgres_password() {
        let url = DatabaseUrl::parse("postgres://tiepdan:s3cret@db/tiepdan").unwrap();
        assert!(!format!("{url:?}").contains("s3cret"));
    }
}
