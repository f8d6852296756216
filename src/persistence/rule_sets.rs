//! The stored rule sets: one JSON document per rule set.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use super::schema::rule_sets;
use super::{AnyConnection, DbError};

pub fn ids(conn: &mut AnyConnection) -> Result<Vec<String>, DbError> {
    Ok(rule_sets::table.select(rule_sets::id).load(conn)?)
}

/// Every stored document with its format version, oldest rule set first.
pub fn documents(conn: &mut AnyConnection) -> Result<Vec<(i32, String)>, DbError> {
    Ok(rule_sets::table
        .order(rule_sets::in_force_from.asc())
        .select((rule_sets::format_version, rule_sets::document))
        .load(conn)?)
}

pub fn insert(
    conn: &mut AnyConnection,
    id: &str,
    in_force_from: NaiveDate,
    format_version: i32,
    document: &str,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    diesel::insert_into(rule_sets::table)
        .values((
            rule_sets::id.eq(id),
            rule_sets::in_force_from.eq(in_force_from),
            rule_sets::format_version.eq(format_version),
            rule_sets::document.eq(document),
            rule_sets::installed_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
