//! Citizens: the people who come to the board or write to it. Rows are never deleted: visits and
//! cases refer to them.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::citizens;
use super::{AnyConnection, DbError};
use crate::domain::citizen::{self, CitizenChanges, NewCitizen};
use crate::domain::vocab::Gender;

/// A stored citizen.
#[derive(Debug, Clone, PartialEq)]
pub struct Citizen {
    pub id: i64,
    pub full_name: String,
    pub id_number: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub created_by: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = citizens)]
struct CitizenRow {
    id: i64,
    full_name: String,
    id_number: Option<String>,
    date_of_birth: Option<NaiveDate>,
    gender: Option<String>,
    address: String,
    phone: Option<String>,
    email: Option<String>,
    created_by: i64,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl TryFrom<CitizenRow> for Citizen {
    type Error = DbError;
    fn try_from(row: CitizenRow) -> Result<Self, DbError> {
        let gender = row
            .gender
            .map(|g| g.parse())
            .transpose()
            .map_err(|_| DbError::Other(format!("citizen {} has an unknown gender in the database", row.id)))?;
        Ok(Citizen {
            id: row.id,
            full_name: row.full_name,
            id_number: row.id_number,
            date_of_birth: row.date_of_birth,
            gender,
            address: row.address,
            phone: row.phone,
            email: row.email,
            created_by: row.created_by,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = citizens)]
struct CitizenChangeset<'a> {
    full_name: Option<&'a str>,
    id_number: Option<Option<&'a str>>,
    date_of_birth: Option<Option<NaiveDate>>,
    gender: Option<Option<&'a str>>,
    address: Option<&'a str>,
    phone: Option<Option<&'a str>>,
    email: Option<Option<&'a str>>,
    updated_at: NaiveDateTime,
}

/// Whether a write was refused because the ID number belongs to another citizen (the only
/// unique column of the table besides the key, named by PostgreSQL as the constraint
/// `citizens_id_number_key` and by SQLite as `citizens.id_number`).
pub fn is_duplicate_id_number(err: &DbError) -> bool {
    matches!(err, DbError::UniqueViolation(name) if name.contains("id_number"))
}

/// Stores a validated citizen registered by `created_by`.
pub fn insert(
    conn: &mut AnyConnection,
    new: &NewCitizen,
    created_by: i64,
    now: DateTime<Utc>,
) -> Result<Citizen, DbError> {
    let id: i64 = diesel::insert_into(citizens::table)
        .values((
            citizens::full_name.eq(&new.full_name),
            citizens::id_number.eq(new.id_number.as_deref()),
            citizens::date_of_birth.eq(new.date_of_birth),
            citizens::gender.eq(new.gender.map(Gender::as_str)),
            citizens::address.eq(&new.address),
            citizens::phone.eq(new.phone.as_deref()),
            citizens::email.eq(new.email.as_deref()),
            citizens::search_text.eq(new.search_text()),
            citizens::created_by.eq(created_by),
            citizens::created_at.eq(now.naive_utc()),
            citizens::updated_at.eq(now.naive_utc()),
        ))
        .returning(citizens::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<Citizen>, DbError> {
    citizens::table.find(id).select(CitizenRow::as_select()).first(conn).optional()?.map(Citizen::try_from).transpose()
}

pub fn get(conn: &mut AnyConnection, id: i64) -> Result<Citizen, DbError> {
    find(conn, id)?.ok_or(DbError::NotFound)
}

/// The citizen holding an ID number, given in its stored (uppercase) form.
pub fn find_by_id_number(conn: &mut AnyConnection, id_number: &str) -> Result<Option<Citizen>, DbError> {
    citizens::table
        .filter(citizens::id_number.eq(id_number))
        .select(CitizenRow::as_select())
        .first(conn)
        .optional()?
        .map(Citizen::try_from)
        .transpose()
}

/// Applies a validated change and returns the row as it now is. The search column is
/// recomputed from the row after the change, because it also depends on fields this change did
/// not touch (and which a concurrent change may just have written).
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    changes: &CitizenChanges,
    now: DateTime<Utc>,
) -> Result<Citizen, DbError> {
    let changeset = CitizenChangeset {
        full_name: changes.full_name.as_deref(),
        id_number: changes.id_number.as_ref().map(|v| v.as_deref()),
        date_of_birth: changes.date_of_birth,
        gender: changes.gender.map(|g| g.map(Gender::as_str)),
        address: changes.address.as_deref(),
        phone: changes.phone.as_ref().map(|v| v.as_deref()),
        email: changes.email.as_ref().map(|v| v.as_deref()),
        updated_at: now.naive_utc(),
    };
    let updated = diesel::update(citizens::table.find(id)).set(&changeset).execute(conn)?;
    if updated == 0 {
        return Err(DbError::NotFound);
    }
    let after = get(conn, id)?;
    let search_text = citizen::search_text(&after.full_name, after.id_number.as_deref(), after.phone.as_deref());
    diesel::update(citizens::table.find(id)).set(citizens::search_text.eq(search_text)).execute(conn)?;
    Ok(after)
}

/// A page of citizens in id order, after the id of the previous page's last row. `pattern`, a
/// `LIKE` pattern with `\` as escape character (`text::contains_pattern`), filters on the search
/// column; `None` lists everyone.
pub fn search(
    conn: &mut AnyConnection,
    pattern: Option<&str>,
    after_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Citizen>, DbError> {
    let mut query = citizens::table.select(CitizenRow::as_select()).order(citizens::id.asc()).limit(limit).into_boxed();
    if let Some(pattern) = pattern {
        query = query.filter(citizens::search_text.like(pattern).escape('\\'));
    }
    if let Some(after) = after_id {
        query = query.filter(citizens::id.gt(after));
    }
    query.load(conn)?.into_iter().map(Citizen::try_from).collect()
}
