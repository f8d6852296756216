//! Account administration (admins), the CLI's `create-user`, and the first administrator.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use super::audit::{event, record_user_event};
use super::{Actor, Context, ServiceError};
use crate::auth::password::generate_password;
use crate::domain::account::{self, NewAccount};
use crate::domain::validation::{FieldError, ValidationErrors, email, required_text};
use crate::domain::vocab::Role;
use crate::persistence::sessions::{self, RevokeReason};
pub use crate::persistence::users::User;
use crate::persistence::users::{self, NewUser, UserChanges};
use crate::persistence::{AnyConnection, DbError};

/// A request to create an account.
#[derive(Debug, Clone)]
pub struct CreateUser {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
    pub password: String,
    pub must_change_password: bool,
}

/// A request to change an account; absent fields stay as they are.
#[derive(Debug, Clone, Default)]
pub struct UpdateUser {
    pub full_name: Option<String>,
    /// `Some(None)` clears the address.
    pub email: Option<Option<String>>,
    pub role: Option<Role>,
    pub active: Option<bool>,
}

fn username_taken(username: &str) -> ServiceError {
    let mut extra = Map::new();
    extra.insert("username".into(), Value::String(username.to_owned()));
    ServiceError::Conflict {
        code: "username_taken",
        detail: format!("The username `{username}` is already taken."),
        extra,
    }
}

fn hash(ctx: &Context, password: &str) -> Result<String, ServiceError> {
    ctx.hasher.hash(password).map_err(|e| ServiceError::Internal(e.to_string()))
}

fn insert_account(
    conn: &mut AnyConnection,
    account: &NewAccount,
    password_hash: &str,
    must_change_password: bool,
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    let new = NewUser {
        username: &account.username,
        full_name: &account.full_name,
        email: account.email.as_deref(),
        role: account.role,
        must_change_password,
        password_hash,
    };
    users::insert(conn, &new, now).map_err(|e| match e {
        DbError::UniqueViolation(_) => username_taken(&account.username),
        other => other.into(),
    })
}

/// Creates an account. Through the API (`actor` is an admin) the new user must change the
/// password at first login; through the CLI only when asked.
pub fn create(
    ctx: &Context,
    actor: Option<&Actor>,
    request: &CreateUser,
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    let mut errors = ValidationErrors::new();
    let parsed = NewAccount::parse(&request.username, &request.full_name, request.email.as_deref(), request.role);
    let account = match parsed {
        Ok(account) => Some(account),
        Err(e) => {
            errors.0.extend(e.0);
            None
        }
    };
    errors.check(account::password("password", &request.password));
    let Some(account) = account.filter(|_| errors.is_empty()) else {
        return Err(errors.into());
    };
    if ctx.db.read(|conn| users::find_by_username(conn, &account.username))?.is_some() {
        return Err(username_taken(&account.username));
    }
    let password_hash = hash(ctx, &request.password)?;
    ctx.db.write(|conn| {
        let user = insert_account(conn, &account, &password_hash, request.must_change_password, now)?;
        record_user_event(
            conn,
            actor,
            event::USER_CREATED,
            user.id,
            json!({ "username": user.username, "role": user.role, "must_change_password": request.must_change_password }),
            now,
        )?;
        Ok(user)
    })
}

/// On an empty database, creates `admin` with a random password that must be changed at first
/// login. Returns the password to show once, or `None` when accounts already exist.
pub fn ensure_first_admin(ctx: &Context, now: DateTime<Utc>) -> Result<Option<(String, String)>, ServiceError> {
    if ctx.db.read(users::count)? > 0 {
        return Ok(None);
    }
    let password = generate_password();
    let password_hash = hash(ctx, &password)?;
    let account = NewAccount::parse("admin", "Quản trị hệ thống", None, Role::Admin)?;
    let created = ctx.db.write(|conn| {
        // Another instance may have started at the same time.
        if users::count(conn)? > 0 {
            return Ok(None);
        }
        let user = insert_account(conn, &account, &password_hash, true, now)?;
        record_user_event(
            conn,
            None,
            event::USER_CREATED,
            user.id,
            json!({ "username": "admin", "role": "admin", "first_admin": true }),
            now,
        )?;
        Ok(Some((user.username, password)))
    });
    match created {
        Err(ServiceError::Conflict { code: "username_taken", .. }) => Ok(None),
        other => other,
    }
}

pub fn list(ctx: &Context, after_id: Option<i64>, limit: i64) -> Result<Vec<User>, ServiceError> {
    Ok(ctx.db.read(|conn| users::list(conn, after_id, limit))?)
}

pub fn get(ctx: &Context, id: i64) -> Result<User, ServiceError> {
    ctx.db.read(|conn| users::find(conn, id))?.ok_or(ServiceError::NotFound("user"))
}

/// Changes an account. A role change or deactivation ends the user's sessions at once; the last
/// active administrator cannot be demoted or deactivated, so that someone can always administer.
pub fn update(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    request: &UpdateUser,
    now: DateTime<Utc>,
) -> Result<User, ServiceError> {
    let mut errors = ValidationErrors::new();
    let full_name = match &request.full_name {
        Some(name) => errors.check(required_text("full_name", name, account::FULL_NAME_MAX_CHARS)),
        None => None,
    };
    let email_change = match &request.email {
        Some(Some(address)) if !address.trim().is_empty() => {
            errors.check(email("email", address)).map(|e| Some(Some(e)))
        }
        Some(_) => Some(Some(None)),
        None => Some(None),
    };
    errors.into_result()?;
    let changes = UserChanges { full_name, email: email_change.flatten(), role: request.role, active: request.active };

    ctx.db.write(|conn| {
        let before = users::find(conn, id)?.ok_or(ServiceError::NotFound("user"))?;
        let loses_admin = before.role == Role::Admin
            && before.active
            && (changes.role.is_some_and(|r| r != Role::Admin) || changes.active == Some(false));
        if loses_admin && users::count_active_with_role(conn, Role::Admin)? <= 1 {
            return Err(ServiceError::conflict(
                "last_admin",
                "This is the last active administrator; make another administrator first.",
            ));
        }
        let after = users::update(conn, id, &changes, now)?;
        if after.role != before.role {
            sessions::revoke_all_for_user(conn, id, None, RevokeReason::RoleChanged, now)?;
        }
        if before.active && !after.active {
            sessions::revoke_all_for_user(conn, id, None, RevokeReason::Deactivated, now)?;
        }
        let mut changed = Map::new();
        if after.full_name != before.full_name {
            changed.insert("full_name".into(), json!({ "old": before.full_name, "new": after.full_name }));
        }
        if after.email != before.email {
            changed.insert("email".into(), json!({ "old": before.email, "new": after.email }));
        }
        if after.role != before.role {
            changed.insert("role".into(), json!({ "old": before.role, "new": after.role }));
        }
        if after.active != before.active {
            changed.insert("active".into(), json!({ "old": before.active, "new": after.active }));
        }
        if !changed.is_empty() {
            record_user_event(conn, Some(actor), event::USER_UPDATED, id, Value::Object(changed), now)?;
        }
        Ok(after)
    })
}

/// An administrator sets a user's password; the user must change it at next login and every
/// session of theirs ends now.
pub fn set_password(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    account::password("new_password", new_password).map_err(|e: FieldError| ServiceError::from(e))?;
    get(ctx, id)?;
    let password_hash = hash(ctx, new_password)?;
    ctx.db.write(|conn| -> Result<(), ServiceError> {
        users::set_password(conn, id, &password_hash, true, now)?;
        sessions::revoke_all_for_user(conn, id, None, RevokeReason::PasswordSetByAdmin, now)?;
        record_user_event(conn, Some(actor), event::PASSWORD_SET, id, json!({}), now)?;
        Ok(())
    })
}
