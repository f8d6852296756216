//! Registering, reading, changing and finding citizens. Everyone signed in may read and search;
//! the people who receive citizens and handle their cases may register and change them. One ID
//! number belongs to one citizen: registering it again answers with the citizen who holds it.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::{Actor, Context, ServiceError, audit};
use crate::domain::citizen::{self, CitizenChanges, CitizenInput, CitizenPatch, NewCitizen};
use crate::domain::text;
use crate::domain::vocab::Role;
use crate::persistence::citizens;
pub use crate::persistence::citizens::Citizen;
use crate::persistence::{AnyConnection, DbError};

/// The roles that register citizens and correct their details.
pub const REGISTRARS: &[Role] = &[Role::Receptionist, Role::Handler, Role::Head];

/// The longest search query accepted, in characters.
pub const QUERY_MAX_CHARS: usize = 200;

fn require_registrar(actor: &Actor) -> Result<(), ServiceError> {
    if REGISTRARS.contains(&actor.role) {
        Ok(())
    } else {
        Err(ServiceError::forbidden("Only receptionists, handlers and heads may register or change citizens."))
    }
}

/// 409 `citizen_exists`; `existing_id` lets the client continue with the registered citizen.
fn citizen_exists(id_number: &str, existing_id: Option<i64>) -> ServiceError {
    let mut extra = Map::new();
    if let Some(id) = existing_id {
        extra.insert("existing_id".into(), Value::from(id));
    }
    ServiceError::Conflict {
        code: "citizen_exists",
        detail: format!("A citizen with the ID number {id_number} is already registered."),
        extra,
    }
}

/// The outcome of a transaction that writes an ID number.
enum WriteError {
    Service(ServiceError),
    /// A concurrent transaction stored the same ID number first. On PostgreSQL the failed
    /// transaction can run no further query, so the holder is looked up after it has ended.
    DuplicateIdNumber,
}

impl From<DbError> for WriteError {
    fn from(err: DbError) -> Self {
        if citizens::is_duplicate_id_number(&err) {
            WriteError::DuplicateIdNumber
        } else {
            WriteError::Service(err.into())
        }
    }
}

impl From<ServiceError> for WriteError {
    fn from(err: ServiceError) -> Self {
        WriteError::Service(err)
    }
}

/// Turns the outcome of a write into the use case's answer, naming the holder of a duplicate
/// ID number.
fn finish(
    ctx: &Context,
    id_number: Option<&str>,
    outcome: Result<Citizen, WriteError>,
) -> Result<Citizen, ServiceError> {
    match outcome {
        Ok(citizen) => Ok(citizen),
        Err(WriteError::Service(err)) => Err(err),
        Err(WriteError::DuplicateIdNumber) => {
            let number = id_number.unwrap_or_default();
            // The holder may have changed its number meanwhile; the conflict stands regardless.
            let holder = ctx.db.read(|conn| citizens::find_by_id_number(conn, number))?;
            Err(citizen_exists(number, holder.map(|c| c.id)))
        }
    }
}

/// The holder of `id_number` other than `except`, as a conflict.
fn check_id_number_free(conn: &mut AnyConnection, id_number: &str, except: Option<i64>) -> Result<(), WriteError> {
    match citizens::find_by_id_number(conn, id_number)? {
        Some(holder) if Some(holder.id) != except => Err(citizen_exists(id_number, Some(holder.id)).into()),
        _ => Ok(()),
    }
}

/// Registers a citizen. An ID number already registered is a conflict naming the citizen who
/// holds it.
pub fn create(ctx: &Context, actor: &Actor, input: &CitizenInput, now: DateTime<Utc>) -> Result<Citizen, ServiceError> {
    require_registrar(actor)?;
    let new = NewCitizen::parse(input, crate::time::vietnam_date(now))?;
    let outcome = ctx.db.write(|conn| -> Result<Citizen, WriteError> {
        if let Some(number) = new.id_number.as_deref() {
            check_id_number_free(conn, number, None)?;
        }
        Ok(citizens::insert(conn, &new, actor.user_id, now)?)
    });
    finish(ctx, new.id_number.as_deref(), outcome)
}

/// Registers a citizen inside the caller's transaction (an `Idempotency-Key` request, whose
/// stored response must commit with it).
pub fn create_in(
    conn: &mut AnyConnection,
    actor: &Actor,
    input: &CitizenInput,
    now: DateTime<Utc>,
) -> Result<Citizen, ServiceError> {
    require_registrar(actor)?;
    let new = NewCitizen::parse(input, crate::time::vietnam_date(now))?;
    if let Some(number) = new.id_number.as_deref() {
        match check_id_number_free(conn, number, None) {
            Ok(()) => {}
            Err(WriteError::Service(err)) => return Err(err),
            Err(WriteError::DuplicateIdNumber) => return Err(citizen_exists(number, None)),
        }
    }
    citizens::insert(conn, &new, actor.user_id, now).map_err(|e| {
        if citizens::is_duplicate_id_number(&e) {
            citizen_exists(new.id_number.as_deref().unwrap_or_default(), None)
        } else {
            e.into()
        }
    })
}

pub fn get(ctx: &Context, id: i64) -> Result<Citizen, ServiceError> {
    ctx.db.read(|conn| citizens::find(conn, id))?.ok_or(ServiceError::NotFound("citizen"))
}

/// Changes a citizen's details; absent fields stay as they are, `null` clears optional ones.
/// Taking an ID number another citizen holds is a conflict naming that citizen.
pub fn update(
    ctx: &Context,
    actor: &Actor,
    id: i64,
    patch: &CitizenPatch,
    now: DateTime<Utc>,
) -> Result<Citizen, ServiceError> {
    require_registrar(actor)?;
    let changes = CitizenChanges::parse(patch, crate::time::vietnam_date(now))?;
    let new_number = changes.id_number.clone().flatten();
    let outcome = ctx.db.write(|conn| -> Result<Citizen, WriteError> {
        let before = citizens::find(conn, id)?.ok_or(ServiceError::NotFound("citizen"))?;
        if let Some(number) = new_number.as_deref() {
            check_id_number_free(conn, number, Some(id))?;
        }
        let after = citizens::update(conn, id, &changes, now)?;
        let changed = changed_fields(&before, &after);
        if !changed.is_empty() {
            // Who changed which of a person's details; never the values, which are personal.
            let details = serde_json::json!({ "fields": changed });
            audit::record_event(conn, Some(actor), audit::event::CITIZEN_UPDATED, ("citizen", id), details, now)?;
        }
        Ok(after)
    });
    finish(ctx, new_number.as_deref(), outcome)
}

/// The names of the details that differ between two readings of a citizen.
fn changed_fields(before: &Citizen, after: &Citizen) -> Vec<&'static str> {
    [
        ("full_name", before.full_name != after.full_name),
        ("id_number", before.id_number != after.id_number),
        ("date_of_birth", before.date_of_birth != after.date_of_birth),
        ("gender", before.gender != after.gender),
        ("address", before.address != after.address),
        ("phone", before.phone != after.phone),
        ("email", before.email != after.email),
    ]
    .into_iter()
    .filter_map(|(field, changed)| changed.then_some(field))
    .collect()
}

/// A page of citizens in id order whose name, ID number or phone contains the query, without
/// regard to diacritics or case; everyone when the query is absent or blank.
pub fn search(
    ctx: &Context,
    query: Option<&str>,
    after_id: Option<i64>,
    limit: i64,
) -> Result<Vec<Citizen>, ServiceError> {
    let query = query.unwrap_or_default();
    if query.chars().count() > QUERY_MAX_CHARS {
        return Err(ServiceError::field("q", format!("must be at most {QUERY_MAX_CHARS} characters")));
    }
    let wanted = citizen::search_query(query);
    let pattern = (!wanted.is_empty()).then(|| text::contains_pattern(&wanted));
    Ok(ctx.db.read(|conn| citizens::search(conn, pattern.as_deref(), after_id, limit))?)
}
