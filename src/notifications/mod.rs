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

use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind, PersonRole};
use crate::persistence::outbox::{self, NewMessage};
use crate::persistence::{AnyConnection, DbError};

/// The template names, as stored in `outbox.template` (DOMAIN.md §8).
pub mod template {
    pub const CASE_ASSIGNED: &str = "case_assigned";
    pub const DEADLINE_SOON: &str = "deadline_soon";
    pub const DEADLINE_OVERDUE: &str = "deadline_overdue";
    pub const CITIZEN_RECEIPT: &str = "citizen_receipt";
    pub const CITIZEN_ACCEPTED: &str = "citizen_accepted";
    pub const CITIZEN_NOT_ACCEPTED: &str = "citizen_not_accepted";
    pub const CITIZEN_TRANSFERRED: &str = "citizen_transferred";
    pub const CITIZEN_GUIDED: &str = "citizen_guided";
    pub const CITIZEN_DECIDED: &str = "citizen_decided";
    pub const DIALOGUE_INVITATION: &str = "dialogue_invitation";
    pub const WEEKLY_BACKLOG: &str = "weekly_backlog";

    /// Every template, in the order of DOMAIN.md §8.
    pub const ALL: &[&str] = &[
        CASE_ASSIGNED,
        DEADLINE_SOON,
        DEADLINE_OVERDUE,
        CITIZEN_RECEIPT,
        CITIZEN_ACCEPTED,
        CITIZEN_NOT_ACCEPTED,
        CITIZEN_TRANSFERRED,
        CITIZEN_GUIDED,
        CITIZEN_DECIDED,
        DIALOGUE_INVITATION,
        WEEKLY_BACKLOG,
    ];
}

/// The case as every case notification names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFacts {
    pub case_id: i64,
    pub code: String,
    pub title: String,
    pub status: CaseStatus,
    pub due_on: Option<NaiveDate>,
}

/// A letter to a citizen on their case: the case, the recipient's own name for the salutation,
/// and the document that records the step (decision number, receiving body…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CitizenLetter {
    #[serde(flatten)]
    pub case: CaseFacts,
    /// The recipient's own name; never another person's (Luật Tố cáo Art 47).
    pub citizen: String,
    /// Labelled facts of the step, e.g. ("Số quyết định", "12/QĐ-UBND").
    #[serde(default)]
    pub details: Vec<(String, String)>,
}

/// A reminder of a clock to a staff member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockReminder {
    #[serde(flatten)]
    pub case: CaseFacts,
    pub clock: ClockKind,
    pub clock_due_on: NaiveDate,
    /// Days past the due date (0 while not overdue).
    pub days_overdue: i64,
    /// The recipient's full name, for the salutation.
    pub recipient: String,
}

/// What changed about a dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DialogueChange {
    Scheduled,
    Rescheduled,
    Cancelled,
}

/// One overdue case in the weekly digest: code and due date only, no identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverdueLine {
    pub code: String,
    pub due_on: NaiveDate,
    pub days_overdue: i64,
}

/// The backlog figures of the weekly digest (DOMAIN.md §11): counts and case codes only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BacklogFigures {
    pub as_of: Option<NaiveDate>,
    pub open_total: i64,
    /// Open cases per kind, in the order of `CaseKind::ALL`.
    pub by_kind: Vec<(CaseKind, i64)>,
    pub overdue: i64,
    pub due_soon: i64,
    /// The ten most overdue cases, most overdue first.
    pub most_overdue: Vec<OverdueLine>,
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
    /// A running clock of the recipient's case is due within the due-soon window.
    DeadlineSoon(ClockReminder),
    /// A running clock is overdue; to the handler and every active head.
    DeadlineOverdue(ClockReminder),
    /// The case was received (a receipt to the citizen).
    CitizenReceipt(CitizenLetter),
    CitizenAccepted(CitizenLetter),
    CitizenNotAccepted(CitizenLetter),
    CitizenTransferred(CitizenLetter),
    CitizenGuided(CitizenLetter),
    CitizenDecided(CitizenLetter),
    /// A dialogue was scheduled, moved or cancelled (Luật Khiếu nại Art 30: the participants are
    /// told of the time and place).
    DialogueInvitation {
        #[serde(flatten)]
        case: CaseFacts,
        dialogue_id: i64,
        change: DialogueChange,
        scheduled_at: DateTime<Utc>,
        location: String,
        chair: String,
        participant: String,
    },
    /// Monday's backlog summary to a head.
    WeeklyBacklog {
        /// ISO week, `2026-W48`.
        week: String,
        head: String,
        figures: BacklogFigures,
    },
}

impl Notification {
    pub fn template(&self) -> &'static str {
        match self {
            Notification::CaseAssigned { .. } => template::CASE_ASSIGNED,
            Notification::DeadlineSoon(_) => template::DEADLINE_SOON,
            Notification::DeadlineOverdue(_) => template::DEADLINE_OVERDUE,
            Notification::CitizenReceipt(_) => template::CITIZEN_RECEIPT,
            Notification::CitizenAccepted(_) => template::CITIZEN_ACCEPTED,
            Notification::CitizenNotAccepted(_) => template::CITIZEN_NOT_ACCEPTED,
            Notification::CitizenTransferred(_) => template::CITIZEN_TRANSFERRED,
            Notification::CitizenGuided(_) => template::CITIZEN_GUIDED,
            Notification::CitizenDecided(_) => template::CITIZEN_DECIDED,
            Notification::DialogueInvitation { .. } => template::DIALOGUE_INVITATION,
            Notification::WeeklyBacklog { .. } => template::WEEKLY_BACKLOG,
        }
    }

    pub fn case_id(&self) -> Option<i64> {
        match self {
            Notification::CaseAssigned { case_id, .. } => Some(*case_id),
            Notification::DeadlineSoon(r) | Notification::DeadlineOverdue(r) => Some(r.case.case_id),
            Notification::CitizenReceipt(l)
            | Notification::CitizenAccepted(l)
            | Notification::CitizenNotAccepted(l)
            | Notification::CitizenTransferred(l)
            | Notification::CitizenGuided(l)
            | Notification::CitizenDecided(l) => Some(l.case.case_id),
            Notification::DialogueInvitation { case, .. } => Some(case.case_id),
            Notification::WeeklyBacklog { .. } => None,
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

/// A person on a case, as far as mail to citizens needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseContact {
    pub role: PersonRole,
    pub full_name: String,
    pub email: Option<String>,
}

/// Who of a case's people receives the citizen letters (DOMAIN.md §8, §9): everyone with an
/// e-mail address; on a denunciation only the denouncers, each at their own address and marked
/// confidential (Luật Tố cáo Art 47: the denouncer's identity is secret, so only heads see the
/// address in the outbox). The denounced side is not a person of the case and gets nothing.
pub fn citizen_recipients(kind: CaseKind, people: &[CaseContact]) -> Vec<Recipient> {
    let mut seen = std::collections::HashSet::new();
    people
        .iter()
        .filter(|p| kind != CaseKind::Denunciation || p.role == PersonRole::Denouncer)
        .filter_map(|p| {
            let email = p.email.as_deref().map(str::trim).filter(|e| !e.is_empty())?;
            seen.insert(email.to_lowercase()).then(|| Recipient {
                user_id: None,
                email: email.to_owned(),
                name: p.full_name.clone(),
                confidential: kind == CaseKind::Denunciation,
            })
        })
        .collect()
}

/// The trigger of a due-soon reminder: once per clock and due date.
pub fn due_soon_trigger(clock: ClockKind, due_on: NaiveDate) -> String {
    format!("{clock}:{due_on}")
}

/// Whole weeks since a clock became overdue: 0 during its first overdue week (days 1 to 7 past
/// the due date), 1 during the second…
pub fn weeks_overdue(due_on: NaiveDate, as_of: NaiveDate) -> i64 {
    ((as_of - due_on).num_days() - 1).max(0) / 7
}

/// The trigger of an overdue reminder: once per clock and due date, then again each week.
pub fn overdue_trigger(clock: ClockKind, due_on: NaiveDate, as_of: NaiveDate) -> String {
    format!("{clock}:{due_on}:week{}", weeks_overdue(due_on, as_of))
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

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn reminder_triggers_are_once_per_clock_and_overdue_ones_weekly() {
        let due = date("2026-12-01");
        assert_eq!(due_soon_trigger(ClockKind::Resolution, due), "resolution:2026-12-01");
        let overdue = |as_of| overdue_trigger(ClockKind::Acceptance, due, date(as_of));
        assert_eq!(overdue("2026-12-02"), "acceptance:2026-12-01:week0");
        assert_eq!(overdue("2026-12-08"), "acceptance:2026-12-01:week0");
        assert_eq!(overdue("2026-12-09"), "acceptance:2026-12-01:week1");
        assert_eq!(overdue("2026-12-16"), "acceptance:2026-12-01:week2");
    }

    #[test]
    fn the_dedupe_key_is_case_template_trigger_and_recipient() {
        let message = NewMessage {
            case_id: Some(9),
            template: template::DEADLINE_OVERDUE,
            trigger_key: "resolution:2026-12-01:week1",
            recipient_user_id: Some(3),
            recipient_email: " Head@Example.gov.vn ",
            recipient_name: "Trưởng ban",
            confidential_recipient: false,
            payload: "{}",
        };
        assert_eq!(message.dedupe_key(), "9|deadline_overdue|resolution:2026-12-01:week1|head@example.gov.vn");
        let digest =
            NewMessage { case_id: None, template: template::WEEKLY_BACKLOG, trigger_key: "2026-W49", ..message };
        assert_eq!(digest.dedupe_key(), "-|weekly_backlog|2026-W49|head@example.gov.vn");
    }

    fn contact(role: PersonRole, name: &str, email: Option<&str>) -> CaseContact {
        CaseContact { role, full_name: name.into(), email: email.map(Into::into) }
    }

    #[test]
    fn citizen_letters_go_to_people_with_an_email_and_on_a_denunciation_to_denouncers_only() {
        let people = [
            contact(PersonRole::Complainant, "Nguyễn Văn An", Some("an@example.vn")),
            contact(PersonRole::Representative, "Lê Thị Hoa", Some("hoa@example.vn")),
            contact(PersonRole::Complainant, "Trần Văn Ba", None),
        ];
        let to = citizen_recipients(CaseKind::Complaint, &people);
        assert_eq!(to.iter().map(|r| r.email.as_str()).collect::<Vec<_>>(), ["an@example.vn", "hoa@example.vn"]);
        assert!(to.iter().all(|r| !r.confidential && r.user_id.is_none()));

        let people = [
            contact(PersonRole::Denouncer, "Phạm Văn Tố", Some("to@example.vn")),
            contact(PersonRole::Representative, "Đại diện", Some("rep@example.vn")),
        ];
        let to = citizen_recipients(CaseKind::Denunciation, &people);
        assert_eq!(to.len(), 1);
        assert_eq!((to[0].email.as_str(), to[0].confidential), ("to@example.vn", true));
    }

    #[test]
    fn every_variant_names_its_template_and_round_trips() {
        let case = CaseFacts {
            case_id: 5,
            code: "TC-2026-000005".into(),
            title: "Tố cáo".into(),
            status: CaseStatus::Accepted,
            due_on: None,
        };
        let letter =
            CitizenLetter { case: case.clone(), citizen: "A".into(), details: vec![("Số".into(), "1".into())] };
        let reminder = ClockReminder {
            case: case.clone(),
            clock: ClockKind::Resolution,
            clock_due_on: date("2026-12-01"),
            days_overdue: 3,
            recipient: "B".into(),
        };
        let all = [
            Notification::DeadlineSoon(reminder.clone()),
            Notification::DeadlineOverdue(reminder),
            Notification::CitizenReceipt(letter.clone()),
            Notification::CitizenAccepted(letter.clone()),
            Notification::CitizenNotAccepted(letter.clone()),
            Notification::CitizenTransferred(letter.clone()),
            Notification::CitizenGuided(letter.clone()),
            Notification::CitizenDecided(letter),
            Notification::DialogueInvitation {
                case,
                dialogue_id: 2,
                change: DialogueChange::Rescheduled,
                scheduled_at: Utc::now(),
                location: "Phòng họp".into(),
                chair: "C".into(),
                participant: "D".into(),
            },
            Notification::WeeklyBacklog {
                week: "2026-W49".into(),
                head: "E".into(),
                figures: BacklogFigures::default(),
            },
        ];
        for n in all {
            let payload = n.to_payload();
            let json: serde_json::Value = serde_json::from_str(&payload).unwrap();
            assert_eq!(json["template"], n.template());
            assert!(template::ALL.contains(&n.template()));
            let back = Notification::from_payload(&payload).unwrap();
            assert_eq!(back.template(), n.template());
            assert_eq!(back.case_id(), n.case_id());
        }
    }
}
