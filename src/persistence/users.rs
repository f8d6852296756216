//! Accounts. Users are never deleted: history must keep a name.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::dates::Stamp;
use super::schema::users;
use super::{AnyConnection, DbError, on_backend};
use crate::domain::vocab::Role;

/// A stored account.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub active: bool,
    pub must_change_password: bool,
    pub password_hash: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = users)]
struct UserRow {
    id: i64,
    username: String,
    full_name: String,
    email: Option<String>,
    role: String,
    active: bool,
    must_change_password: bool,
    password_hash: String,
    #[diesel(deserialize_as = Stamp)]
    created_at: NaiveDateTime,
    #[diesel(deserialize_as = Stamp)]
    updated_at: NaiveDateTime,
}

impl TryFrom<UserRow> for User {
    type Error = DbError;
    fn try_from(row: UserRow) -> Result<Self, DbError> {
        let role = row
            .role
            .parse()
            .map_err(|_| DbError::Other(format!("user {} has an unknown role in the database", row.id)))?;
        Ok(User {
            id: row.id,
            username: row.username,
            full_name: row.full_name,
            email: row.email,
            role,
            active: row.active,
            must_change_password: row.must_change_password,
            password_hash: row.password_hash,
            created_at: row.created_at.and_utc(),
            updated_at: row.updated_at.and_utc(),
        })
    }
}

/// What a new account is made of.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub role: Role,
    pub must_change_password: bool,
    pub password_hash: &'a str,
}

/// A partial update; `None` leaves a field alone, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct UserChanges {
    pub full_name: Option<String>,
    pub email: Option<Option<String>>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

#[derive(AsChangeset)]
#[diesel(table_name = users)]
struct UserChangeset<'a> {
    full_name: Option<&'a str>,
    email: Option<Option<&'a str>>,
    role: Option<&'a str>,
    active: Option<bool>,
    updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut AnyConnection, new: &NewUser<'_>, now: DateTime<Utc>) -> Result<User, DbError> {
    let id: i64 = diesel::insert_into(users::table)
        .values((
            users::username.eq(new.username),
            users::full_name.eq(new.full_name),
            users::email.eq(new.email),
            users::role.eq(new.role.as_str()),
            users::active.eq(true),
            users::must_change_password.eq(new.must_change_password),
            users::password_hash.eq(new.password_hash),
            users::created_at.eq(now.naive_utc()),
            users::updated_at.eq(now.naive_utc()),
        ))
        .returning(users::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<User>, DbError> {
    on_backend!(conn, |c| users::table.find(id).select(UserRow::as_select()).first(c).optional())?
        .map(User::try_from)
        .transpose()
}

pub fn get(conn: &mut AnyConnection, id: i64) -> Result<User, DbError> {
    find(conn, id)?.ok_or(DbError::NotFound)
}

pub fn find_by_username(conn: &mut AnyConnection, username: &str) -> Result<Option<User>, DbError> {
    users::table
        .filter(users::username.eq(username))
        .select(UserRow::as_select())
        .first(conn)
        .optional()?
        .map(User::try_from)
        .transpose()
}

/// A page of users in id order, after the id of the previous page's last row.
pub fn list(conn: &mut AnyConnection, after_id: Option<i64>, limit: i64) -> Result<Vec<User>, DbError> {
    let mut query = users::table.select(UserRow::as_select()).order(users::id.asc()).limit(limit).into_boxed();
    if let Some(after) = after_id {
        query = query.filter(users::id.gt(after));
    }
    query.load(conn)?.into_iter().map(User::try_from).collect()
}

pub fn update(conn: &mut AnyConnection, id: i64, changes: &UserChanges, now: DateTime<Utc>) -> Result<User, DbError> {
    let changeset = UserChangeset {
        full_name: changes.full_name.as_deref(),
        email: changes.email.as_ref().map(|e| e.as_deref()),
        role: changes.role.map(Role::as_str),
        active: changes.active,
        updated_at: now.naive_utc(),
    };
    let updated = diesel::update(users::table.find(id)).set(&changeset).execute(conn)?;
    if updated == 0 {
        return Err(DbError::NotFound);
    }
    get(conn, id)
}

pub fn set_password(
    conn: &mut AnyConnection,
    id: i64,
    password_hash: &str,
    must_change_password: bool,
    now: DateTime<Utc>,
) -> Result<(), DbError> {
    let updated = diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(must_change_password),
            users::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if updated == 0 { Err(DbError::NotFound) } else { Ok(()) }
}

/// Replaces a hash made with weaker parameters; leaves `updated_at` alone (not a user change).
pub fn upgrade_password_hash(conn: &mut AnyConnection, id: i64, password_hash: &str) -> Result<(), DbError> {
    diesel::update(users::table.find(id)).set(users::password_hash.eq(password_hash)).execute(conn)?;
    Ok(())
}

pub fn count(conn: &mut AnyConnection) -> Result<i64, DbError> {
    Ok(users::table.count().get_result(conn)?)
}

/// The active accounts of one role, in id order (the heads who receive reminders and digests).
pub fn active_with_role(conn: &mut AnyConnection, role: Role) -> Result<Vec<User>, DbError> {
    users::table
        .filter(users::role.eq(role.as_str()))
        .filter(users::active.eq(true))
        .order(users::id.asc())
        .select(UserRow::as_select())
        .load(conn)?
        .into_iter()
        .map(User::try_from)
        .collect()
}

pub fn count_active_with_role(conn: &mut AnyConnection, role: Role) -> Result<i64, DbError> {
    Ok(users::table.filter(users::role.eq(role.as_str())).filter(users::active.eq(true)).count().get_result(conn)?)
}
