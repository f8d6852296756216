//! `tiepdan export` and `tiepdan import`: the whole database as JSON lines, written from one
//! backend and read into the other (or into a new database of the same one).
//!
//! The file, one JSON value a line:
//!
//! ```text
//! {"format":"tiepdan-export","version":1,"schema":"20261129000010","backend":"sqlite","exported_at":"…"}
//! {"table":"users","columns":["id","username",…]}
//! [1,"admin",…]
//! …
//! {"table":"sessions","columns":[…]}
//! …
//! {"end":{"tables":20,"rows":1234}}
//! ```
//!
//! Values are written the same way whichever backend they come from, so that an export of an
//! import is the same file: integers as numbers, booleans as `true`/`false`, dates as
//! `YYYY-MM-DD`, timestamps (UTC) as `YYYY-MM-DD HH:MM:SS[.fraction]` as chrono writes them (the
//! form SQLite stores and every query binds), text as strings. Rows come in primary-key order
//! (text keys by their bytes). The closing line makes a cut-off file detectable: an import
//! reads the whole file in one transaction and keeps nothing unless it ends as written.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::RunQueryDsl;
use diesel::connection::DefaultLoadingMode;
use diesel::pg::PgRowByRowLoadingMode;
use diesel::sql_types::{BigInt, Text};
use serde_json::{Value, json};

use super::audit::{self, NewAuditEntry};
use super::{AnyConnection, Backend, Database, DbError, migrations};

pub const FORMAT: &str = "tiepdan-export";
/// The audit event of an export.
pub const EXPORTED_EVENT: &str = "database_exported";
pub const VERSION: u64 = 1;

/// Rows inserted by one statement on import.
const BATCH_ROWS: usize = 500;

/// A table as the export carries it.
struct TableSpec {
    name: &'static str,
    /// The primary key: the order rows are written in.
    key: &'static [&'static str],
    /// Columns that refer to rows of the same table, which may come later in key order: they
    /// are filled in once every row of the table is in.
    deferred: &'static [&'static str],
}

/// Every table of the schema, each after the tables it refers to.
const TABLES: &[TableSpec] = &[
    TableSpec { name: "users", key: &["id"], deferred: &[] },
    TableSpec { name: "sessions", key: &["id"], deferred: &[] },
    TableSpec { name: "login_failures", key: &["id"], deferred: &[] },
    TableSpec { name: "app_settings", key: &["key"], deferred: &[] },
    TableSpec { name: "audit_log", key: &["id"], deferred: &[] },
    TableSpec { name: "citizens", key: &["id"], deferred: &[] },
    TableSpec { name: "counters", key: &["scope"], deferred: &[] },
    TableSpec { name: "cases", key: &["id"], deferred: &["parent_id", "duplicate_of", "split_from"] },
    TableSpec { name: "case_people", key: &["case_id", "citizen_id", "role"], deferred: &[] },
    TableSpec { name: "visits", key: &["id"], deferred: &[] },
    TableSpec { name: "visit_representatives", key: &["visit_id", "citizen_id"], deferred: &[] },
    TableSpec { name: "intakes", key: &["id"], deferred: &[] },
    TableSpec { name: "case_events", key: &["id"], deferred: &[] },
    TableSpec { name: "idempotency_keys", key: &["user_id", "key"], deferred: &[] },
    TableSpec { name: "case_suspensions", key: &["id"], deferred: &[] },
    TableSpec { name: "calendar_days", key: &["date"], deferred: &[] },
    TableSpec { name: "dialogues", key: &["id"], deferred: &[] },
    TableSpec { name: "dialogue_participants", key: &["dialogue_id", "position"], deferred: &[] },
    TableSpec { name: "outbox", key: &["id"], deferred: &[] },
    TableSpec { name: "rule_sets", key: &["id"], deferred: &[] },
];

/// What went wrong in an export or an import, worded for the operator.
#[derive(Debug, thiserror::Error)]
pub enum DumpError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is not what `export` writes; `line` counts from 1.
    #[error("line {line}: {message}")]
    Format { line: u64, message: String },
    /// The database cannot take part as it is.
    #[error("{0}")]
    Refused(String),
}

/// Rows per table, in the order written or read.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Summary {
    pub tables: Vec<(String, u64)>,
}

impl Summary {
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, rows)| rows).sum()
    }
}

/// The five column types of the portable schema (`schema.rs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Text,
    Bool,
    Date,
    Timestamp,
}

impl Kind {
    fn of(backend: Backend, declared: &str) -> Option<Kind> {
        let declared = declared.to_ascii_lowercase();
        match (backend, declared.as_str()) {
            (_, "integer" | "bigint" | "smallint") => Some(Kind::Integer),
            (_, "text") | (Backend::Postgres, "character varying") => Some(Kind::Text),
            (_, "boolean") => Some(Kind::Bool),
            (_, "date") => Some(Kind::Date),
            (Backend::Sqlite, "timestamp") | (Backend::Postgres, "timestamp without time zone") => {
                Some(Kind::Timestamp)
            }
            _ => None,
        }
    }

    /// The value as the file carries it, from what the database's JSON functions gave: checked
    /// and written as an import reads it, so that nothing is exported that could not be read
    /// back, and PostgreSQL's `T` timestamps come out as SQLite stores them.
    fn exported(self, value: Value) -> Result<Value, String> {
        match (self, value) {
            // SQLite keeps booleans as 0 and 1.
            (Kind::Bool, Value::Number(n)) => Ok(Value::Bool(n.as_i64() != Some(0))),
            (_, value) => self.imported(value),
        }
    }

    /// A value read from the file, checked and written the way this program writes it (a date
    /// or timestamp given in another accepted form is rewritten, so that SQLite, which compares
    /// them as text, orders and finds it). Messages never repeat the value: it may be personal.
    fn imported(self, value: Value) -> Result<Value, String> {
        let refused = || format!("is not {}", self.described());
        match (self, value) {
            (_, Value::Null) => Ok(Value::Null),
            (Kind::Integer, Value::Number(n)) if n.is_i64() => Ok(Value::Number(n)),
            (Kind::Bool, Value::Bool(b)) => Ok(Value::Bool(b)),
            (Kind::Text, Value::String(text)) => Ok(Value::String(text)),
            (Kind::Date, Value::String(text)) => NaiveDate::parse_from_str(&text, "%Y-%m-%d")
                .map(|d| Value::String(d.format("%Y-%m-%d").to_string()))
                .map_err(|_| refused()),
            (Kind::Timestamp, Value::String(text)) => {
                stamp(&text).map(|t| Value::String(t.format("%F %T%.f").to_string())).map_err(|_| refused())
            }
            _ => Err(refused()),
        }
    }

    fn described(self) -> &'static str {
        match self {
            Kind::Integer => "an integer",
            Kind::Text => "a text",
            Kind::Bool => "true or false",
            Kind::Date => "a date (YYYY-MM-DD)",
            Kind::Timestamp => "a timestamp (YYYY-MM-DD HH:MM:SS)",
        }
    }

    /// PostgreSQL's cast from the text of a JSON value to the column's type.
    fn pg_cast(self) -> &'static str {
        match self {
            Kind::Integer => "::bigint",
            Kind::Text => "",
            Kind::Bool => "::boolean",
            Kind::Date => "::date",
            Kind::Timestamp => "::timestamp",
        }
    }
}

fn stamp(text: &str) -> Result<NaiveDateTime, chrono::ParseError> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f"))
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
    /// NOT NULL, or part of the primary key.
    required: bool,
}

#[derive(diesel::QueryableByName)]
struct CatalogColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    declared: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    required: bool,
}

#[derive(diesel::QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

/// A row as the database's JSON array of its values.
#[derive(diesel::QueryableByName)]
struct RowJson {
    #[diesel(sql_type = Text)]
    row: String,
}

fn backend_of(conn: &AnyConnection) -> Backend {
    match conn {
        AnyConnection::Sqlite(_) => Backend::Sqlite,
        AnyConnection::Postgresql(_) => Backend::Postgres,
    }
}

fn quoted(name: &str) -> String {
    format!("\"{name}\"")
}

/// The newest migration applied: an export is read only by a database at the same one.
pub fn schema_version(conn: &mut AnyConnection) -> Result<String, DbError> {
    let found: Vec<Name> = diesel::sql_query("SELECT MAX(version) AS name FROM __diesel_schema_migrations")
        .load(conn)
        .map_err(DbError::from)?;
    found
        .into_iter()
        .next()
        .map(|n| n.name)
        .ok_or_else(|| DbError::Other("the database has no migrations applied".into()))
}

/// The tables of the database, but for the migrations' own.
fn catalog_tables(conn: &mut AnyConnection) -> Result<BTreeSet<String>, DbError> {
    let sql = match backend_of(conn) {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND name <> '__diesel_schema_migrations'"
        }
        Backend::Postgres => {
            "SELECT table_name::text AS name FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name <> '__diesel_schema_migrations'"
        }
    };
    let names: Vec<Name> = diesel::sql_query(sql).load(conn).map_err(DbError::from)?;
    Ok(names.into_iter().map(|n| n.name).collect())
}

/// Refuses a schema with a table the export does not know, which it would silently leave out.
fn check_tables(conn: &mut AnyConnection) -> Result<(), DumpError> {
    let known: BTreeSet<String> = TABLES.iter().map(|t| t.name.to_owned()).collect();
    let found = catalog_tables(conn)?;
    if found != known {
        let unknown: Vec<&String> = found.difference(&known).collect();
        let missing: Vec<&String> = known.difference(&found).collect();
        return Err(DumpError::Refused(format!(
            "the database's tables do not match this version of tiepdan (unknown: {unknown:?}; missing: {missing:?})"
        )));
    }
    Ok(())
}

fn columns(conn: &mut AnyConnection, table: &str) -> Result<Vec<Column>, DumpError> {
    let backend = backend_of(conn);
    let sql = match backend {
        Backend::Sqlite => {
            "SELECT name, type AS declared, (\"notnull\" OR pk > 0) AS required FROM pragma_table_info($1) ORDER BY cid"
        }
        Backend::Postgres => {
            "SELECT column_name::text AS name, data_type::text AS declared, is_nullable = 'NO' AS required \
             FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 \
             ORDER BY ordinal_position"
        }
    };
    let found: Vec<CatalogColumn> = diesel::sql_query(sql).bind::<Text, _>(table).load(conn).map_err(DbError::from)?;
    found
        .into_iter()
        .map(|c| match Kind::of(backend, &c.declared) {
            Some(kind) => Ok(Column { name: c.name, kind, required: c.required }),
            None => Err(DumpError::Refused(format!(
                "column {table}.{} has the type {}, which export and import do not carry",
                c.name, c.declared
            ))),
        })
        .collect()
}

/// Writes every row of the database to `out`, in one read transaction: the file is a snapshot.
/// `progress` hears of each table when it is written.
pub fn export(
    db: &Database,
    out: &mut impl Write,
    exported_at: NaiveDateTime,
    mut progress: impl FnMut(&str, u64),
) -> Result<Summary, DumpError> {
    db.snapshot(|conn| {
        let schema = schema_version(conn)?;
        let newest = migrations::newest(backend_of(conn))?;
        if schema != newest {
            return Err(DumpError::Refused(format!(
                "the database is at schema {schema} and this version of tiepdan at {newest}: bring it up to \
                 date with `tiepdan migrate`, or export it with the version that runs it"
            )));
        }
        check_tables(conn)?;
        let header = json!({
            "format": FORMAT,
            "version": VERSION,
            "schema": schema,
            "backend": backend_of(conn).name(),
            "exported_at": exported_at.format("%FT%TZ").to_string(),
        });
        writeln!(out, "{header}")?;
        let mut summary = Summary::default();
        for table in TABLES {
            let columns = columns(conn, table.name)?;
            let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
            writeln!(out, "{}", json!({ "table": table.name, "columns": names }))?;
            let rows = export_table(conn, table, &columns, out)?;
            progress(table.name, rows);
            summary.tables.push((table.name.to_owned(), rows));
        }
        writeln!(out, "{}", json!({ "end": { "tables": summary.tables.len(), "rows": summary.rows() } }))?;
        out.flush()?;
        Ok(summary)
    })
}

fn export_table(
    conn: &mut AnyConnection,
    table: &TableSpec,
    columns: &[Column],
    out: &mut impl Write,
) -> Result<u64, DumpError> {
    let list = columns.iter().map(|c| quoted(&c.name)).collect::<Vec<_>>().join(", ");
    let mut written = 0;
    let mut write_row = |text: &str| -> Result<(), DumpError> {
        let values: Vec<Value> = serde_json::from_str(text)
            .map_err(|e| DumpError::Refused(format!("table {}: a row could not be read: {e}", table.name)))?;
        let values = values
            .into_iter()
            .zip(columns)
            .map(|(value, column)| {
                column
                    .kind
                    .exported(value)
                    .map_err(|e| DumpError::Refused(format!("{}.{}: {e}", table.name, column.name)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        serde_json::to_writer(&mut *out, &values).map_err(std::io::Error::from)?;
        out.write_all(b"\n")?;
        written += 1;
        Ok(())
    };
    match conn {
        AnyConnection::Sqlite(c) => {
            let order = table.key.iter().map(|k| quoted(k)).collect::<Vec<_>>().join(", ");
            let sql = format!("SELECT json_array({list}) AS row FROM {} ORDER BY {order}", quoted(table.name));
            for row in diesel::sql_query(sql).load_iter::<RowJson, DefaultLoadingMode>(c).map_err(DbError::from)? {
                write_row(&row.map_err(DbError::from)?.row)?;
            }
        }
        AnyConnection::Postgresql(c) => {
            // Text keys by their bytes, as SQLite orders them, whatever the database's collation.
            let order = table
                .key
                .iter()
                .map(|k| match columns.iter().find(|c| c.name == *k).map(|c| c.kind) {
                    Some(Kind::Text) => format!("{} COLLATE \"C\"", quoted(k)),
                    _ => quoted(k),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let sql =
                format!("SELECT json_build_array({list})::text AS row FROM {} ORDER BY {order}", quoted(table.name));
            for row in diesel::sql_query(sql).load_iter::<RowJson, PgRowByRowLoadingMode>(c).map_err(DbError::from)? {
                write_row(&row.map_err(DbError::from)?.row)?;
            }
        }
    }
    Ok(written)
}

/// An export file whose first line has been read and checked.
pub struct ExportFile<R> {
    lines: Lines<R>,
    schema: String,
}

impl<R: BufRead> ExportFile<R> {
    pub fn open(input: R) -> Result<Self, DumpError> {
        let mut lines = Lines { inner: input.lines(), number: 0 };
        let header = lines.next_value()?.ok_or_else(|| lines.error("the file is empty"))?;
        if header.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(lines.error("not a tiepdan export (the first line has no \"format\": \"tiepdan-export\")"));
        }
        if header.get("version").and_then(Value::as_u64) != Some(VERSION) {
            return Err(lines.error(&format!("export format version {} is not {VERSION}", header["version"])));
        }
        let schema = header.get("schema").and_then(Value::as_str).unwrap_or_default().to_owned();
        Ok(ExportFile { lines, schema })
    }

    /// The schema (newest migration) of the database it was exported from.
    pub fn schema(&self) -> &str {
        &self.schema
    }
}

/// Refuses a file of another schema than this version of tiepdan's; checked before the
/// database is touched, migrations included.
pub fn check_schema(schema: &str, backend: Backend) -> Result<(), DumpError> {
    let ours = migrations::newest(backend)?;
    if schema != ours {
        return Err(DumpError::Refused(format!(
            "the file was exported at schema {schema} and this version of tiepdan is at {ours}: import it \
             with the version that exported it, then upgrade that database with this one"
        )));
    }
    Ok(())
}

/// Reads an export into the database, which must be at the file's schema and hold no users and
/// no cases (what the migrations and a first start put there is replaced). All in one
/// transaction: a file that breaks off or holds a bad line leaves the database as it was.
pub fn import<R: BufRead>(
    db: &Database,
    file: ExportFile<R>,
    mut progress: impl FnMut(&str, u64),
) -> Result<Summary, DumpError> {
    check_schema(&file.schema, db.backend())?;
    let ExportFile { mut lines, schema } = file;
    db.write(|conn| {
        check_tables(conn)?;
        let ours = schema_version(conn)?;
        if schema != ours {
            return Err(DumpError::Refused(format!(
                "the database is at schema {ours} and the file at {schema}: import into a new database"
            )));
        }
        refuse_unless_new(conn)?;
        for table in TABLES.iter().rev() {
            diesel::sql_query(format!("DELETE FROM {}", quoted(table.name))).execute(conn).map_err(DbError::from)?;
        }
        let mut summary = Summary::default();
        let mut next = lines.next_value()?;
        for table in TABLES {
            let section = next.take().ok_or_else(|| lines.cut_off())?;
            let rows = import_table(conn, table, &section, &mut lines, &mut next)?;
            progress(table.name, rows);
            summary.tables.push((table.name.to_owned(), rows));
        }
        let end = next.ok_or_else(|| lines.cut_off())?;
        let expected = end.get("end").and_then(|e| e.get("rows")).and_then(Value::as_u64);
        match expected {
            Some(rows) if rows == summary.rows() => {}
            Some(rows) => {
                return Err(
                    lines.error(&format!("the file says it holds {rows} rows, but {} were read", summary.rows()))
                );
            }
            None => return Err(lines.error("expected the closing line {\"end\": …} after the last table")),
        }
        if lines.next_value()?.is_some() {
            return Err(lines.error("nothing may follow the closing line"));
        }
        restart_identities(conn)?;
        Ok(summary)
    })
}

/// Records an export in the audit log of the database it was taken from (DOMAIN.md §2: every
/// export is audited): the file holds every identity. After a file is complete, with its counts,
/// so not in the file itself; before a stream to standard output begins, without them.
pub fn record_export(db: &Database, file: &str, summary: Option<&Summary>, at: DateTime<Utc>) -> Result<(), DbError> {
    let details = match summary {
        Some(summary) => json!({ "file": file, "tables": summary.tables.len(), "rows": summary.rows() }),
        None => json!({ "file": file }),
    };
    let entry = NewAuditEntry {
        actor_id: None,
        event_type: EXPORTED_EVENT,
        object_type: None,
        object_id: None,
        ip: None,
        details,
    };
    db.write(|conn| audit::record(conn, &entry, at))
}

/// Refuses a database that already holds users or cases before anything is done to it,
/// migrations included; a new database, without tables yet, passes.
pub fn refuse_if_in_use(db: &Database) -> Result<(), DumpError> {
    db.read(|conn| {
        let tables = catalog_tables(conn)?;
        if tables.contains("users") && tables.contains("cases") { refuse_unless_new(conn) } else { Ok(()) }
    })
}

fn refuse_unless_new(conn: &mut AnyConnection) -> Result<(), DumpError> {
    let count = |conn: &mut AnyConnection, table: &str| -> Result<i64, DbError> {
        let found: Vec<Count> = diesel::sql_query(format!("SELECT COUNT(*) AS count FROM {}", quoted(table)))
            .load(conn)
            .map_err(DbError::from)?;
        Ok(found.first().map_or(0, |c| c.count))
    };
    let users = count(conn, "users")?;
    let cases = count(conn, "cases")?;
    if users > 0 || cases > 0 {
        return Err(DumpError::Refused(format!(
            "the database already holds {users} user(s) and {cases} case(s); import into a new, empty database"
        )));
    }
    Ok(())
}

/// The file's lines as JSON values, counting lines for the messages.
struct Lines<R> {
    inner: std::io::Lines<R>,
    number: u64,
}

impl<R: BufRead> Lines<R> {
    fn next_value(&mut self) -> Result<Option<Value>, DumpError> {
        let Some(line) = self.inner.next() else {
            return Ok(None);
        };
        self.number += 1;
        let line = line?;
        serde_json::from_str(&line).map(Some).map_err(|e| self.error(&format!("not JSON: {e}")))
    }

    fn error(&self, message: &str) -> DumpError {
        DumpError::Format { line: self.number, message: message.to_owned() }
    }

    fn cut_off(&self) -> DumpError {
        DumpError::Format {
            line: self.number,
            message: "the file ends before its closing line: it is incomplete, and nothing was imported".into(),
        }
    }
}

fn import_table<R: BufRead>(
    conn: &mut AnyConnection,
    table: &TableSpec,
    section: &Value,
    lines: &mut Lines<R>,
    next: &mut Option<Value>,
) -> Result<u64, DumpError> {
    if section.get("table").and_then(Value::as_str) != Some(table.name) {
        return Err(lines.error(&format!("expected the table {} here", table.name)));
    }
    let in_file: Vec<String> = section
        .get("columns")
        .and_then(Value::as_array)
        .map(|names| names.iter().filter_map(|n| n.as_str().map(str::to_owned)).collect())
        .unwrap_or_default();
    let ours = columns(conn, table.name)?;
    let in_file_set: BTreeSet<&str> = in_file.iter().map(String::as_str).collect();
    let ours_set: BTreeSet<&str> = ours.iter().map(|c| c.name.as_str()).collect();
    if in_file.len() != ours.len() || in_file_set != ours_set {
        return Err(lines.error(&format!(
            "table {} has the columns {in_file:?} in the file and {:?} in the database",
            table.name,
            ours.iter().map(|c| &c.name).collect::<Vec<_>>()
        )));
    }
    // The file's column order, with each column's type.
    let columns: Vec<Column> =
        in_file.iter().map(|name| ours.iter().find(|c| &c.name == name).cloned().expect("checked above")).collect();
    let deferred: Vec<usize> =
        table.deferred.iter().filter_map(|d| columns.iter().position(|c| c.name == *d)).collect();
    let key_at = columns.iter().position(|c| c.name == "id");
    if !deferred.is_empty() && key_at.is_none() {
        return Err(DumpError::Refused(format!("table {} has references to itself but no id", table.name)));
    }
    let insert = insert_sql(backend_of(conn), table.name, &columns);
    let mut batch: Vec<Value> = Vec::with_capacity(BATCH_ROWS);
    let mut later: Vec<Value> = Vec::new();
    let mut rows = 0;
    loop {
        let values = match lines.next_value()? {
            Some(Value::Array(values)) => values,
            other => {
                // What ends the table: the next table's line, the closing line, or the end.
                *next = other;
                break;
            }
        };
        if values.len() != columns.len() {
            return Err(lines.error(&format!(
                "{} values where table {} has {} columns",
                values.len(),
                table.name,
                columns.len()
            )));
        }
        let mut values = values
            .into_iter()
            .zip(&columns)
            .map(|(value, column)| {
                let refused = |e: &str| lines.error(&format!("{}.{}: {e}", table.name, column.name));
                if value.is_null() && column.required {
                    return Err(refused("may not be null"));
                }
                column.kind.imported(value).map_err(|e| refused(&e))
            })
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(key_at) = key_at
            && deferred.iter().any(|&at| !values[at].is_null())
        {
            let mut refs = vec![values[key_at].clone()];
            refs.extend(deferred.iter().map(|&at| std::mem::take(&mut values[at])));
            later.push(Value::Array(refs));
        }
        batch.push(Value::Array(values));
        rows += 1;
        if batch.len() == BATCH_ROWS {
            run_batch(conn, &insert, &mut batch)?;
        }
    }
    run_batch(conn, &insert, &mut batch)?;
    if !later.is_empty() {
        let names: Vec<&str> = deferred.iter().map(|&at| columns[at].name.as_str()).collect();
        let update = update_sql(backend_of(conn), table.name, &names);
        for chunk in later.chunks(BATCH_ROWS) {
            run_statement(conn, &update, chunk)?;
        }
    }
    Ok(rows)
}

/// Inserts the rows gathered so far and empties `batch`.
fn run_batch(conn: &mut AnyConnection, sql: &str, batch: &mut Vec<Value>) -> Result<(), DumpError> {
    if !batch.is_empty() {
        run_statement(conn, sql, batch)?;
        batch.clear();
    }
    Ok(())
}

/// Runs an INSERT or UPDATE whose rows come as one bound JSON array of arrays.
fn run_statement(conn: &mut AnyConnection, sql: &str, rows: &[Value]) -> Result<(), DumpError> {
    let text = serde_json::to_string(rows).map_err(std::io::Error::from)?;
    diesel::sql_query(sql).bind::<Text, _>(text).execute(conn).map_err(DbError::from)?;
    Ok(())
}

/// `INSERT INTO table (columns) SELECT …` from the elements of one bound JSON array: SQLite's
/// `json_extract` gives each value its storage class (`true` as 1); PostgreSQL's `->>` gives its
/// text, cast to the column's type. PostgreSQL reads the array as `jsonb`, parsed once: on
/// `json` every `->>` parses its element again, which took the import more than twice as long.
fn insert_sql(backend: Backend, table: &str, columns: &[Column]) -> String {
    let names = columns.iter().map(|c| quoted(&c.name)).collect::<Vec<_>>().join(", ");
    let values = columns
        .iter()
        .enumerate()
        .map(|(at, column)| element(backend, "value", at, column.kind))
        .collect::<Vec<_>>()
        .join(", ");
    let from = match backend {
        Backend::Sqlite => "json_each($1)",
        Backend::Postgres => "jsonb_array_elements($1::jsonb) AS value",
    };
    format!("INSERT INTO {} ({names}) SELECT {values} FROM {from}", quoted(table))
}

/// `UPDATE table SET …` from one bound JSON array of `[id, value, …]`, for the deferred columns
/// (integers: references to the table's own ids).
fn update_sql(backend: Backend, table: &str, names: &[&str]) -> String {
    let sets = names
        .iter()
        .enumerate()
        .map(|(at, name)| format!("{} = {}", quoted(name), element(backend, "j.value", at + 1, Kind::Integer)))
        .collect::<Vec<_>>()
        .join(", ");
    let from = match backend {
        Backend::Sqlite => "json_each($1) AS j",
        Backend::Postgres => "jsonb_array_elements($1::jsonb) AS j(value)",
    };
    format!(
        "UPDATE {table} SET {sets} FROM {from} WHERE {table}.\"id\" = {}",
        element(backend, "j.value", 0, Kind::Integer),
        table = quoted(table)
    )
}

/// The `at`-th element of the JSON array `array`, as a value of `kind`.
fn element(backend: Backend, array: &str, at: usize, kind: Kind) -> String {
    match backend {
        Backend::Sqlite => format!("json_extract({array}, '$[{at}]')"),
        Backend::Postgres => format!("({array}->>{at}){}", kind.pg_cast()),
    }
}

/// PostgreSQL's identity columns go on from the largest id imported (SQLite's AUTOINCREMENT
/// follows the rows inserted by itself).
fn restart_identities(conn: &mut AnyConnection) -> Result<(), DbError> {
    if backend_of(conn) != Backend::Postgres {
        return Ok(());
    }
    for table in TABLES.iter().filter(|t| t.key == ["id"]) {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{name}', 'id'), COALESCE(MAX(\"id\"), 0) + 1, false) FROM {quoted}",
            name = table.name,
            quoted = quoted(table.name)
        );
        // Tables keyed by text (sessions, rule_sets) have no sequence.
        let has_sequence: Vec<Count> = diesel::sql_query(format!(
            "SELECT COUNT(*) AS count FROM information_schema.columns WHERE table_schema = current_schema() \
             AND table_name = '{}' AND column_name = 'id' AND is_identity = 'YES'",
            table.name
        ))
        .load(conn)?;
        if has_sequence.first().is_some_and(|c| c.count > 0) {
            diesel::sql_query(sql).execute(conn)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_alike_from_either_backend() {
        // SQLite's 0 and 1, PostgreSQL's booleans.
        assert_eq!(Kind::Bool.exported(json!(1)), Ok(json!(true)));
        assert_eq!(Kind::Bool.exported(json!(0)), Ok(json!(false)));
        assert_eq!(Kind::Bool.exported(json!(true)), Ok(json!(true)));
        // PostgreSQL's JSON timestamps (a `T`, trailing zeros dropped) and SQLite's stored text
        // both come out as chrono writes them, the form every query binds.
        assert_eq!(Kind::Timestamp.exported(json!("2026-11-30T12:05:00.12")), Ok(json!("2026-11-30 12:05:00.120")));
        assert_eq!(Kind::Timestamp.exported(json!("2026-11-30 12:05:00.120")), Ok(json!("2026-11-30 12:05:00.120")));
        assert_eq!(Kind::Timestamp.exported(json!("2026-11-30T12:05:00")), Ok(json!("2026-11-30 12:05:00")));
        assert_eq!(
            Kind::Timestamp.exported(json!("2026-11-30 12:05:00.123456")),
            Ok(json!("2026-11-30 12:05:00.123456"))
        );
        assert!(Kind::Timestamp.exported(json!("30/11/2026")).is_err());
        for kind in [Kind::Integer, Kind::Text, Kind::Bool, Kind::Date, Kind::Timestamp] {
            assert_eq!(kind.exported(Value::Null), Ok(Value::Null));
        }
        assert_eq!(Kind::Text.exported(json!("{\"a\":1}")), Ok(json!("{\"a\":1}")));
        // What an import would refuse is not exported: a number SQLite kept in a text column.
        assert_eq!(Kind::Text.exported(json!(5)), Err("is not a text".to_owned()));
    }

    #[test]
    fn a_value_read_must_fit_its_column_and_is_written_as_this_program_writes_it() {
        assert_eq!(Kind::Integer.imported(json!(9_007_199_254_740_993_i64)), Ok(json!(9_007_199_254_740_993_i64)));
        assert!(Kind::Integer.imported(json!(1.5)).is_err());
        assert!(Kind::Integer.imported(json!("1")).is_err());
        assert!(Kind::Bool.imported(json!(1)).is_err());
        assert!(Kind::Date.imported(json!("2026-02-29")).is_err());
        assert_eq!(Kind::Date.imported(json!("2028-02-29")), Ok(json!("2028-02-29")));
        assert_eq!(Kind::Date.imported(json!("2026-1-5")), Ok(json!("2026-01-05")));
        assert!(Kind::Timestamp.imported(json!("2026-11-30 24:00:00")).is_err());
        assert_eq!(Kind::Timestamp.imported(json!("2026-11-30T12:05:00.500000")), Ok(json!("2026-11-30 12:05:00.500")));
        assert!(Kind::Text.imported(json!(["a"])).is_err());
        assert_eq!(Kind::Text.imported(json!("Nguyễn Văn A")), Ok(json!("Nguyễn Văn A")));
        // The message never repeats the value, which may be personal.
        assert_eq!(Kind::Date.imported(json!("30/11/2026")), Err("is not a date (YYYY-MM-DD)".to_owned()));
        for kind in [Kind::Integer, Kind::Text, Kind::Bool, Kind::Date, Kind::Timestamp] {
            assert_eq!(kind.imported(Value::Null), Ok(Value::Null));
        }
    }

    #[test]
    fn the_statements_read_each_element_as_its_column_type() {
        let columns = [
            Column { name: "id".into(), kind: Kind::Integer, required: true },
            Column { name: "at".into(), kind: Kind::Timestamp, required: false },
        ];
        assert_eq!(
            insert_sql(Backend::Sqlite, "t", &columns),
            "INSERT INTO \"t\" (\"id\", \"at\") SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each($1)"
        );
        assert_eq!(
            insert_sql(Backend::Postgres, "t", &columns),
            "INSERT INTO \"t\" (\"id\", \"at\") SELECT (value->>0)::bigint, (value->>1)::timestamp \
             FROM jsonb_array_elements($1::jsonb) AS value"
        );
        assert_eq!(
            update_sql(Backend::Postgres, "cases", &["parent_id"]),
            "UPDATE \"cases\" SET \"parent_id\" = (j.value->>1)::bigint FROM jsonb_array_elements($1::jsonb) AS j(value) \
             WHERE \"cases\".\"id\" = (j.value->>0)::bigint"
        );
    }
}
