//! Dialogues of complaints and their participants.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::in_list::in_ids;
use super::schema::{cases, dialogue_participants, dialogues};
use super::{AnyConnection, DbError, MultiBackend, on_backend};
use crate::domain::access::Visibility;

/// A stored dialogue, as its columns hold it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = dialogues)]
pub struct DialogueRow {
    pub id: i64,
    pub case_id: i64,
    pub status: String,
    pub scheduled_at: NaiveDateTime,
    pub location: String,
    pub chair: String,
    pub held_at: Option<NaiveDateTime>,
    pub minutes_opinions: Option<String>,
    pub minutes_result: Option<String>,
    pub minutes_agreed: Option<String>,
    pub minutes_disagreed: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// The columns of a new dialogue.
#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = dialogues)]
pub struct NewDialogueRow<'a> {
    pub case_id: i64,
    pub status: &'a str,
    pub scheduled_at: NaiveDateTime,
    pub location: &'a str,
    pub chair: &'a str,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// One participant of a dialogue, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = dialogue_participants)]
pub struct ParticipantRow {
    pub dialogue_id: i64,
    pub position: i32,
    pub name: String,
    pub role: String,
    pub citizen_id: Option<i64>,
    pub email: Option<String>,
    pub attended: Option<bool>,
    pub signed: Option<bool>,
    pub refusal_reason: Option<String>,
    pub absence_reason: Option<String>,
}

/// The columns a change of a dialogue may set; absent members stay as they are.
#[derive(Debug, Clone, Default, AsChangeset)]
#[diesel(table_name = dialogues)]
pub struct DialogueChanges<'a> {
    pub status: Option<&'a str>,
    pub scheduled_at: Option<NaiveDateTime>,
    pub location: Option<&'a str>,
    pub chair: Option<&'a str>,
    pub held_at: Option<NaiveDateTime>,
    pub minutes_opinions: Option<&'a str>,
    pub minutes_result: Option<&'a str>,
    pub minutes_agreed: Option<Option<&'a str>>,
    pub minutes_disagreed: Option<Option<&'a str>>,
    pub cancel_reason: Option<&'a str>,
}

pub fn insert(conn: &mut AnyConnection, row: &NewDialogueRow<'_>) -> Result<i64, DbError> {
    Ok(diesel::insert_into(dialogues::table).values(row).returning(dialogues::id).get_result(conn)?)
}

pub fn find(conn: &mut AnyConnection, id: i64) -> Result<Option<DialogueRow>, DbError> {
    Ok(dialogues::table.find(id).select(DialogueRow::as_select()).first(conn).optional()?)
}

/// Applies changes only if the dialogue is still at `version` (the compare-and-set behind
/// `If-Match`); false when someone else changed it first.
pub fn update(
    conn: &mut AnyConnection,
    id: i64,
    version: i32,
    changes: &DialogueChanges<'_>,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let updated = diesel::update(dialogues::table.filter(dialogues::id.eq(id)).filter(dialogues::version.eq(version)))
        .set((changes, dialogues::version.eq(version + 1), dialogues::updated_at.eq(now.naive_utc())))
        .execute(conn)?;
    Ok(updated == 1)
}

/// Replaces the participants of a dialogue with `rows`.
pub fn replace_participants(
    conn: &mut AnyConnection,
    dialogue_id: i64,
    rows: &[ParticipantRow],
) -> Result<(), DbError> {
    diesel::delete(dialogue_participants::table.filter(dialogue_participants::dialogue_id.eq(dialogue_id)))
        .execute(conn)?;
    for row in rows {
        diesel::insert_into(dialogue_participants::table).values(row).execute(conn)?;
    }
    Ok(())
}

/// The participants of several dialogues, in their order on each.
pub fn participants_of(conn: &mut AnyConnection, dialogue_ids: &[i64]) -> Result<Vec<ParticipantRow>, DbError> {
    Ok(dialogue_participants::table
        .filter(in_ids(dialogue_participants::dialogue_id, dialogue_ids))
        .order((dialogue_participants::dialogue_id.asc(), dialogue_participants::position.asc()))
        .select(ParticipantRow::as_select())
        .load(conn)?)
}

/// Which of the cases have had a dialogue held (the decide guard, Luật Khiếu nại Art 30, 39).
pub fn held_among(conn: &mut AnyConnection, case_ids: &[i64]) -> Result<Vec<i64>, DbError> {
    Ok(on_backend!(conn, |c| dialogues::table
        .filter(in_ids(dialogues::case_id, case_ids))
        .filter(dialogues::status.eq("held"))
        .select(dialogues::case_id)
        .distinct()
        .load(c))?)
}

/// The filters of the dialogue calendar: the caller's cases, and a span of `scheduled_at`
/// already turned into UTC bounds.
#[derive(Debug, Clone, Copy)]
pub struct DialogueFilter {
    pub visibility: Visibility,
    /// `scheduled_at >= from`.
    pub scheduled_from: Option<DateTime<Utc>>,
    /// `scheduled_at < before`.
    pub scheduled_before: Option<DateTime<Utc>>,
}

/// Where a page of the calendar ended: by `(scheduled_at, id)`, earliest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DialoguePosition {
    pub at: NaiveDateTime,
    pub id: i64,
}

impl DialoguePosition {
    pub fn of(row: &DialogueRow) -> Self {
        DialoguePosition { at: row.scheduled_at, id: row.id }
    }
}

/// Up to `limit` dialogues after `after`, earliest first, with the code of each one's case.
pub fn page(
    conn: &mut AnyConnection,
    filter: &DialogueFilter,
    after: Option<&DialoguePosition>,
    limit: i64,
) -> Result<Vec<(DialogueRow, String)>, DbError> {
    let mut query = dialogues::table.inner_join(cases::table).into_boxed::<MultiBackend>();
    query = match filter.visibility {
        Visibility::All => query,
        Visibility::AssignedToOrUnassigned(user) => {
            query.filter(cases::assignee_id.eq(user).or(cases::assignee_id.is_null()))
        }
        Visibility::CreatedBy(user) => query.filter(cases::created_by.eq(user)),
    };
    if let Some(from) = filter.scheduled_from {
        query = query.filter(dialogues::scheduled_at.ge(from.naive_utc()));
    }
    if let Some(before) = filter.scheduled_before {
        query = query.filter(dialogues::scheduled_at.lt(before.naive_utc()));
    }
    if let Some(&DialoguePosition { at, id }) = after {
        query =
            query.filter(dialogues::scheduled_at.gt(at).or(dialogues::scheduled_at.eq(at).and(dialogues::id.gt(id))));
    }
    Ok(query
        .order((dialogues::scheduled_at.asc(), dialogues::id.asc()))
        .select((DialogueRow::as_select(), cases::code))
        .limit(limit)
        .load(conn)?)
}
