//! Notifications: messages written to the outbox in the same transaction as the change that
//! causes them, rendered from Vietnamese templates and delivered by the worker over SMTP.
//! Depends on `domain` and `persistence`; nothing outside `jobs` sends mail.
//!
//! What to tell whom is decided here (`Notification`, `Recipient`); `templates` turns a
//! notification into a subject, a plain-text and an HTML body; `mailer` delivers them.
//!
//! Confidentiality (Luật Tố cáo Art 47, DOMAIN.md §9): a notification carries ids and the case's
//! descriptive data only, never a denouncer's name, address, ID number, phone or e-mail, except
//! in a message addressed to that denouncer's own address (`Recipient::confidential`).

pub mod mailer;
pub mod templates;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::vocab::CaseStatus;
use crate::persistence::outbox::{self, NewMessage};
use crate::persistence::{AnyConnection, DbError};

/// The template names, as stored in `outbox.template` (DOMAIN.md §8).
pub mod template {
    pub const CASE_ASSIGNED: &str = "case_assigned";
}

/// Something to tell someone, with the data its template needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "template", rename_all = "snake_case")]
pub enum Notification {
    /// A case was assigned or reassigned to the recipient, its new handler.
    CaseAssigned {
        case_id: i64,
        code: String,
        title: String,
        status: CaseStatus,
        due_on: Option<NaiveDate>,
        /// The handler's full name, for the salutation.
        handler: String,
    },
}

impl Notification {
    pub fn template(&self) -> &'static str {
        match self {
            Notification::CaseAssigned { .. } => template::CASE_ASSIGNED,
        }
    }

    pub fn case_id(&self) -> Option<i64> {
        match self {
            Notification::CaseAssigned { case_id, .. } => Some(*case_id),
        }
    }

    /// The payload stored in the outbox.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads a stored payload back.
    pub fn from_payload(payload: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(payload)
    }
}

/// Who receives a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The user, when the recipient is a staff member.
    pub user_id: Option<i64>,
    pub email: String,
    pub name: String,
    /// A denouncer's own address: only heads see it in the outbox list.
    pub confidential: bool,
}

impl Recipient {
    pub fn user(user_id: i64, name: impl Into<String>, email: impl Into<String>) -> Self {
        Recipient { user_id: Some(user_id), email: email.into(), name: name.into(), confidential: false }
    }
}

/// Queues `notification` for `recipient` inside the caller's transaction (REL-07: the change
/// and its message commit together). `trigger_key` names what caused it, so that the same
/// (case, template, trigger, recipient) is queued once however often the caller retries;
/// returns `false` when it was queued before.
pub fn queue(
    conn: &mut AnyConnection,
    recipient: &Recipient,
    notification: &Notification,
    trigger_key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbError> {
    let payload = notification.to_payload();
    outbox::enqueue(
        conn,
        &NewMessage {
            case_id: notification.case_id(),
            template: notification.template(),
            trigger_key,
            recipient_user_id: recipient.user_id,
            recipient_email: &recipient.email,
            recipient_name: &recipient.name,
            confidential_recipient: recipient.confidential,
            payload: &payload,
        },
        now,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payloads_round_trip_and_name_their_template() {
        let n = Notification::CaseAssigned {
            case_id: 7,
            code: "KN-2026-000007".into(),
            title: "Khiếu nại về bồi thường đất".into(),
            status: CaseStatus::Received,
            due_on: NaiveDate::from_ymd_opt(2026, 12, 1),
            handler: "Trần Thị Bình".into(),
        };
        let payload = n.to_payload();
        let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
        assert_eq!(json["template"], "case_assigned");
        assert_eq!(json["status"], "received");
        assert_eq!(Notification::from_payload(&payload).unwrap(), n);
        assert_eq!(n.template(), template::CASE_ASSIGNED);
        assert_eq!(n.case_id(), Some(7));
    }
}
