//! Values the application keeps for itself in the database (the generated token key).

use diesel::prelude::*;

use super::schema::app_settings;
use super::{AnyConnection, DbError, on_backend};

pub fn get(conn: &mut AnyConnection, key: &str) -> Result<Option<String>, DbError> {
    Ok(app_settings::table.find(key).select(app_settings::value).first(conn).optional()?)
}

/// Returns the stored value, storing `make()` first if there is none. Call inside a write
/// transaction so that two instances starting together agree on one value.
pub fn get_or_insert_with(
    conn: &mut AnyConnection,
    key: &str,
    make: impl FnOnce() -> String,
) -> Result<String, DbError> {
    if let Some(value) = get(conn, key)? {
        return Ok(value);
    }
    let value = make();
    diesel::insert_into(app_settings::table)
        .values((app_settings::key.eq(key), app_settings::value.eq(&value)))
        .execute(conn)?;
    Ok(value)
}

/// Reads a value inside a write transaction, holding it until the transaction ends: another
/// transaction asking the same waits, then reads what this one stored. (SQLite's write
/// transactions already run one at a time.)
pub fn get_for_update(conn: &mut AnyConnection, key: &str) -> Result<Option<String>, DbError> {
    let query = app_settings::table.find(key).select(app_settings::value);
    Ok(match conn {
        AnyConnection::Sqlite(inner) => query.first(inner).optional()?,
        AnyConnection::Postgresql(inner) => query.for_update().first(inner).optional()?,
    })
}

/// Stores a value in place of the one there may be.
pub fn put(conn: &mut AnyConnection, key: &str, value: &str) -> Result<(), DbError> {
    // diesel's MultiBackend has no upsert; the same statement runs on the connection inside.
    let upsert = diesel::insert_into(app_settings::table)
        .values((app_settings::key.eq(key), app_settings::value.eq(value)))
        .on_conflict(app_settings::key)
        .do_update()
        .set(app_settings::value.eq(value));
    on_backend!(conn, |c| upsert.execute(c))?;
    Ok(())
}
