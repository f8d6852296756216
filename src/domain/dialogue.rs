//! A dialogue (đối thoại) of a complaint: scheduling the session, changing it, recording it
//! (the minutes, biên bản đối thoại) or cancelling it, and which cases may have one.
//!
//! Luật Khiếu nại Art 30 (first round: when the request and the verification result differ) and
//! Art 39 (second round: always). The resolver notifies the participants of time, place and
//! content (Art 30.2); the minutes record the participants' opinions, the result, the signatures
//! and, for anyone who does not sign, the reason (Art 30.4). Denunciations have no dialogue step
//! (LAW.md §4).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Duration, Utc};

use super::validation::{ValidationErrors, email, optional_text, required_text};
use super::vocab::{CaseKind, CaseStatus, DialogueRole, UnknownValue};

pub const LOCATION_MAX: usize = 500;
pub const CHAIR_MAX: usize = 300;
pub const NAME_MAX: usize = 200;
pub const MINUTES_MAX: usize = 50_000;
pub const REASON_MAX: usize = 2_000;
pub const PARTICIPANTS_MAX: usize = 200;
/// How far in the future a session's time may lie when it is recorded (clock skew between the
/// officer's device and the server).
const HELD_AT_TOLERANCE: Duration = Duration::minutes(10);

/// Where a dialogue stands. Only a `scheduled` one may still change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DialogueStatus {
    Scheduled,
    Held,
    Cancelled,
}

impl DialogueStatus {
    pub const ALL: &'static [DialogueStatus] =
        &[DialogueStatus::Scheduled, DialogueStatus::Held, DialogueStatus::Cancelled];
    pub const NAMES: &'static [&'static str] = &["scheduled", "held", "cancelled"];

    pub const fn as_str(self) -> &'static str {
        match self {
            DialogueStatus::Scheduled => "scheduled",
            DialogueStatus::Held => "held",
            DialogueStatus::Cancelled => "cancelled",
        }
    }
}

impl FromStr for DialogueStatus {
    type Err = UnknownValue;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .copied()
            .find(|status| status.as_str() == s)
            .ok_or_else(|| UnknownValue { value: s.to_owned(), expected: Self::NAMES })
    }
}

impl fmt::Display for DialogueStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for DialogueStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for DialogueStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(|_| serde::de::Error::unknown_variant(&text, Self::NAMES))
    }
}

/// Why a dialogue may not be scheduled or changed now (409).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DialogueError {
    #[error("dialogues belong to complaints (Luật Khiếu nại Art 30, 39); this case is a {kind}")]
    NotApplicable { kind: CaseKind },
    #[error("a dialogue is held while the complaint is being resolved (accepted or verifying); this case is {status}")]
    CaseNotInResolution { status: CaseStatus },
    #[error("this dialogue is {status}; only a scheduled dialogue can be changed")]
    Closed { status: DialogueStatus },
}

impl DialogueError {
    /// The stable problem code.
    pub const fn code(self) -> &'static str {
        match self {
            DialogueError::NotApplicable { .. } => "dialogue_not_applicable",
            DialogueError::CaseNotInResolution { .. } => "case_not_in_resolution",
            DialogueError::Closed { .. } => "dialogue_closed",
        }
    }
}

/// A dialogue is scheduled on a complaint under resolution: after acceptance (thụ lý) and before
/// the decision (Luật Khiếu nại Art 30, 39: the dialogue is a step of resolution).
pub fn ensure_may_schedule(kind: CaseKind, status: CaseStatus) -> Result<(), DialogueError> {
    if kind != CaseKind::Complaint {
        return Err(DialogueError::NotApplicable { kind });
    }
    if !matches!(status, CaseStatus::Accepted | CaseStatus::Verifying) {
        return Err(DialogueError::CaseNotInResolution { status });
    }
    Ok(())
}

/// Held minutes and a cancellation are final: a new session is a new dialogue.
pub fn ensure_open(status: DialogueStatus) -> Result<(), DialogueError> {
    if status == DialogueStatus::Scheduled { Ok(()) } else { Err(DialogueError::Closed { status }) }
}

/// A participant as submitted. Scheduling uses name, role, citizen and e-mail; recording the
/// session adds attendance, signature and the reasons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParticipantInput {
    pub name: Option<String>,
    pub role: Option<DialogueRole>,
    pub citizen_id: Option<i64>,
    pub email: Option<String>,
    pub attended: Option<bool>,
    pub signed: Option<bool>,
    pub refusal_reason: Option<String>,
    pub absence_reason: Option<String>,
}

/// A person invited to the session (Luật Khiếu nại Art 30.1: complainant, respondent, people
/// with related rights and obligations, bodies concerned).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitee {
    pub name: String,
    pub role: DialogueRole,
    pub citizen_id: Option<i64>,
    /// Where the invitation (Art 30.2) is sent.
    pub email: Option<String>,
}

impl Invitee {
    /// Whether a recorded participant is this invitee: same role, same name up to case and
    /// spacing.
    fn is(&self, name: &str, role: DialogueRole) -> bool {
        self.role == role && same_name(&self.name, name)
    }
}

fn same_name(a: &str, b: &str) -> bool {
    let words = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>();
    words(a) == words(b)
}

/// What the minutes say of one participant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendance {
    /// Absent, with the reason if one was given (Luật Khiếu nại Art 30.6 from 01/7/2026: the
    /// resolution goes on without a complainant absent without valid reason).
    Absent {
        reason: Option<String>,
    },
    Signed,
    /// Attended but did not sign; the minutes state why (Art 30.4).
    RefusedToSign {
        reason: String,
    },
}

impl Attendance {
    pub fn attended(&self) -> bool {
        !matches!(self, Attendance::Absent { .. })
    }

    pub fn signed(&self) -> bool {
        matches!(self, Attendance::Signed)
    }

    pub fn refusal_reason(&self) -> Option<&str> {
        match self {
            Attendance::RefusedToSign { reason } => Some(reason),
            _ => None,
        }
    }

    pub fn absence_reason(&self) -> Option<&str> {
        match self {
            Attendance::Absent { reason } => reason.as_deref(),
            _ => None,
        }
    }
}

/// One line of the minutes' list of participants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Participation {
    pub participant: Invitee,
    pub attendance: Attendance,
}

/// The minutes (biên bản đối thoại), Art 30.4.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MinutesInput {
    pub opinions: Option<String>,
    pub result: Option<String>,
    pub agreed: Option<String>,
    pub disagreed: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Minutes {
    /// The opinions of the participants.
    pub opinions: String,
    /// The result of the dialogue: one of the bases of the decision (Art 30.5, 31).
    pub result: String,
    pub agreed: Option<String>,
    pub disagreed: Option<String>,
}

/// `POST /cases/{id}/dialogues` as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleInput {
    pub scheduled_at: DateTime<Utc>,
    pub location: String,
    pub chair: String,
    pub participants: Vec<ParticipantInput>,
}

/// A session to schedule, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub scheduled_at: DateTime<Utc>,
    pub location: String,
    pub chair: String,
    pub participants: Vec<Invitee>,
}

impl Schedule {
    /// Time, place and chair, and at least one participant, each named with a role.
    pub fn parse(input: ScheduleInput) -> Result<Schedule, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let location = errors.check(required_text("location", &input.location, LOCATION_MAX));
        let chair = errors.check(required_text("chair", &input.chair, CHAIR_MAX));
        let participants = invitees(&mut errors, &input.participants);
        errors.into_result()?;
        Ok(Schedule {
            scheduled_at: input.scheduled_at,
            location: location.unwrap_or_default(),
            chair: chair.unwrap_or_default(),
            participants,
        })
    }
}

/// `PATCH /dialogues/{id}` as submitted: one of three forms, told apart by `status`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeInput {
    pub status: Option<DialogueStatus>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub chair: Option<String>,
    pub participants: Option<Vec<ParticipantInput>>,
    pub held_at: Option<DateTime<Utc>>,
    pub minutes: Option<MinutesInput>,
    pub reason: Option<String>,
}

/// New time, place, chair or list of invitees; absent members stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reschedule {
    pub scheduled_at: Option<DateTime<Utc>>,
    pub location: Option<String>,
    pub chair: Option<String>,
    /// Replaces the whole list.
    pub participants: Option<Vec<Invitee>>,
}

/// The session as it took place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub held_at: DateTime<Utc>,
    pub minutes: Minutes,
    pub participants: Vec<Participation>,
}

/// A checked change of a scheduled dialogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    Reschedule(Reschedule),
    Record(Session),
    Cancel { reason: String },
}

impl Change {
    /// Checks a PATCH body against the dialogue's invitees: no `status` (or `scheduled`)
    /// reschedules, `held` records the session, `cancelled` cancels.
    pub fn parse(input: ChangeInput, invited: &[Invitee], now: DateTime<Utc>) -> Result<Change, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let change = match input.status {
            None | Some(DialogueStatus::Scheduled) => {
                Change::Reschedule(reschedule(&mut errors, input)).filter_empty(&mut errors)
            }
            Some(DialogueStatus::Held) => Change::Record(record(&mut errors, input, invited, now)),
            Some(DialogueStatus::Cancelled) => Change::Cancel { reason: cancel(&mut errors, input) },
        };
        errors.into_result()?;
        Ok(change)
    }

    fn filter_empty(self, errors: &mut ValidationErrors) -> Change {
        if self == Change::Reschedule(Reschedule::default()) && errors.is_empty() {
            errors.add(
                "(body)",
                "nothing to change: give scheduled_at, location, chair or participants, \
                 or status `held` or `cancelled`",
            );
        }
        self
    }
}

/// Members that belong to another form of the PATCH body are refused by name.
fn refuse_foreign(errors: &mut ValidationErrors, present: &[(&str, bool)], form: &str) {
    for (name, given) in present {
        if *given {
            errors.add(*name, format!("is not part of {form}"));
        }
    }
}

fn reschedule(errors: &mut ValidationErrors, input: ChangeInput) -> Reschedule {
    refuse_foreign(
        errors,
        &[
            ("held_at", input.held_at.is_some()),
            ("minutes", input.minutes.is_some()),
            ("reason", input.reason.is_some()),
        ],
        "a reschedule (give status `held` to record the session, `cancelled` to cancel)",
    );
    Reschedule {
        scheduled_at: input.scheduled_at,
        location: input.location.and_then(|l| errors.check(required_text("location", &l, LOCATION_MAX))),
        chair: input.chair.and_then(|c| errors.check(required_text("chair", &c, CHAIR_MAX))),
        participants: input.participants.map(|p| invitees(errors, &p)),
    }
}

fn cancel(errors: &mut ValidationErrors, input: ChangeInput) -> String {
    refuse_foreign(
        errors,
        &[
            ("scheduled_at", input.scheduled_at.is_some()),
            ("location", input.location.is_some()),
            ("chair", input.chair.is_some()),
            ("participants", input.participants.is_some()),
            ("held_at", input.held_at.is_some()),
            ("minutes", input.minutes.is_some()),
        ],
        "a cancellation",
    );
    match input.reason {
        Some(reason) => errors.check(required_text("reason", &reason, REASON_MAX)).unwrap_or_default(),
        None => {
            errors.add("reason", "is required to cancel a dialogue");
            String::new()
        }
    }
}

fn record(errors: &mut ValidationErrors, input: ChangeInput, invited: &[Invitee], now: DateTime<Utc>) -> Session {
    refuse_foreign(
        errors,
        &[
            ("scheduled_at", input.scheduled_at.is_some()),
            ("location", input.location.is_some()),
            ("chair", input.chair.is_some()),
            ("reason", input.reason.is_some()),
        ],
        "recording the session",
    );
    let held_at = match input.held_at {
        Some(at) if at > now + HELD_AT_TOLERANCE => {
            errors.add("held_at", "must not be in the future");
            at
        }
        Some(at) => at,
        None => {
            errors.add("held_at", "is required to record the session");
            now
        }
    };
    let minutes = minutes(errors, input.minutes.unwrap_or_default());
    let participants = match input.participants {
        Some(list) => participations(errors, &list, invited),
        None => {
            errors.add("participants", "list every participant with `attended` to record the session");
            Vec::new()
        }
    };
    Session { held_at, minutes, participants }
}

fn minutes(errors: &mut ValidationErrors, input: MinutesInput) -> Minutes {
    let required = |errors: &mut ValidationErrors, field: &str, value: Option<String>| match value {
        Some(text) => errors.check(required_text(field, &text, MINUTES_MAX)).unwrap_or_default(),
        None => {
            errors.add(field, "is required");
            String::new()
        }
    };
    let optional = |errors: &mut ValidationErrors, field: &str, value: Option<String>| {
        value.and_then(|text| errors.check(optional_text(field, &text, MINUTES_MAX)).flatten())
    };
    Minutes {
        opinions: required(errors, "minutes.opinions", input.opinions),
        result: required(errors, "minutes.result", input.result),
        agreed: optional(errors, "minutes.agreed", input.agreed),
        disagreed: optional(errors, "minutes.disagreed", input.disagreed),
    }
}

/// Name, role, citizen and e-mail of one participant; `None` when any is wrong.
fn invitee(errors: &mut ValidationErrors, at: &str, input: &ParticipantInput) -> Option<Invitee> {
    let before = errors.0.len();
    let name = match &input.name {
        Some(name) => errors.check(required_text(&format!("{at}.name"), name, NAME_MAX)),
        None => {
            errors.add(format!("{at}.name"), "is required");
            None
        }
    };
    if input.role.is_none() {
        errors.add(format!("{at}.role"), "is required");
    }
    let email = match input.email.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => errors.check(email(&format!("{at}.email"), text)),
        _ => None,
    };
    if input.citizen_id.is_some_and(|id| id <= 0) {
        errors.add(format!("{at}.citizen_id"), "must be a citizen id");
    }
    (errors.0.len() == before).then(|| Invitee {
        name: name.unwrap_or_default(),
        role: input.role.unwrap_or(DialogueRole::Complainant),
        citizen_id: input.citizen_id,
        email,
    })
}

fn invitees(errors: &mut ValidationErrors, inputs: &[ParticipantInput]) -> Vec<Invitee> {
    if inputs.is_empty() {
        errors.add("participants", "must name at least one participant");
    }
    if inputs.len() > PARTICIPANTS_MAX {
        errors.add("participants", format!("must name at most {PARTICIPANTS_MAX} participants"));
    }
    inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| {
            let at = format!("participants[{i}]");
            for (member, given) in [
                ("attended", input.attended.is_some()),
                ("signed", input.signed.is_some()),
                ("refusal_reason", input.refusal_reason.is_some()),
                ("absence_reason", input.absence_reason.is_some()),
            ] {
                if given {
                    errors.add(format!("{at}.{member}"), "is recorded with the session (status `held`)");
                }
            }
            invitee(errors, &at, input)
        })
        .collect()
}

/// A reason that must be given in one situation and must not be in the other.
fn reason_when(
    errors: &mut ValidationErrors,
    field: String,
    value: Option<&String>,
    needed: bool,
    why: &str,
) -> Option<String> {
    match (value, needed) {
        (Some(text), true) => errors.check(required_text(&field, text, REASON_MAX)),
        (None, true) => {
            errors.add(field, format!("is required {why}"));
            None
        }
        (Some(_), false) => {
            errors.add(field, format!("is only given {why}"));
            None
        }
        (None, false) => None,
    }
}

/// The minutes' list: every invitee appears with `attended`; an absentee with the reason if
/// one was given; one who attended signs or the refusal's reason is recorded (Art 30.4).
/// People not invited who took part may be added.
fn participations(
    errors: &mut ValidationErrors,
    inputs: &[ParticipantInput],
    invited: &[Invitee],
) -> Vec<Participation> {
    if inputs.is_empty() {
        errors.add("participants", "must list every participant with `attended`");
    }
    if inputs.len() > PARTICIPANTS_MAX {
        errors.add("participants", format!("must name at most {PARTICIPANTS_MAX} participants"));
    }
    let mut lines = Vec::new();
    for (i, input) in inputs.iter().enumerate() {
        let at = format!("participants[{i}]");
        let before = errors.0.len();
        let participant = invitee(errors, &at, input);
        let attendance = match input.attended {
            None => {
                errors.add(format!("{at}.attended"), "is required to record the session");
                None
            }
            Some(false) => {
                if input.signed == Some(true) {
                    errors.add(format!("{at}.signed"), "an absent participant cannot sign");
                }
                reason_when(
                    errors,
                    format!("{at}.refusal_reason"),
                    input.refusal_reason.as_ref(),
                    false,
                    "when a participant attended and did not sign",
                );
                let field = format!("{at}.absence_reason");
                let reason = input
                    .absence_reason
                    .as_deref()
                    .and_then(|text| errors.check(optional_text(&field, text, REASON_MAX)).flatten());
                Some(Attendance::Absent { reason })
            }
            Some(true) => {
                reason_when(
                    errors,
                    format!("{at}.absence_reason"),
                    input.absence_reason.as_ref(),
                    false,
                    "for an absent participant",
                );
                match input.signed {
                    None => {
                        errors.add(format!("{at}.signed"), "is required for a participant who attended");
                        None
                    }
                    Some(true) => {
                        reason_when(
                            errors,
                            format!("{at}.refusal_reason"),
                            input.refusal_reason.as_ref(),
                            false,
                            "when a participant attended and did not sign",
                        );
                        Some(Attendance::Signed)
                    }
                    Some(false) => reason_when(
                        errors,
                        format!("{at}.refusal_reason"),
                        input.refusal_reason.as_ref(),
                        true,
                        "when a participant attended and did not sign",
                    )
                    .map(|reason| Attendance::RefusedToSign { reason }),
                }
            }
        };
        if let (Some(mut participant), Some(attendance)) = (participant, attendance)
            && errors.0.len() == before
        {
            // The invitation's citizen and e-mail stay with the person unless the minutes say
            // otherwise.
            if let Some(known) = invited.iter().find(|p| p.is(&participant.name, participant.role)) {
                participant.citizen_id = participant.citizen_id.or(known.citizen_id);
                participant.email = participant.email.or_else(|| known.email.clone());
            }
            lines.push(Participation { participant, attendance });
        }
    }
    let missing: Vec<String> = invited
        .iter()
        .filter(|p| {
            !inputs.iter().any(|input| {
                input.role == Some(p.role) && input.name.as_deref().is_some_and(|name| same_name(name, &p.name))
            })
        })
        .map(|p| format!("{} ({})", p.name, p.role))
        .collect();
    if !missing.is_empty() {
        errors.add(
            "participants",
            format!("must list every invited participant with `attended`; missing: {}", missing.join(", ")),
        );
    }
    lines
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 10, 3, 0, 0).unwrap()
    }

    fn person(name: &str, role: DialogueRole) -> ParticipantInput {
        ParticipantInput { name: Some(name.into()), role: Some(role), ..ParticipantInput::default() }
    }

    fn schedule_input() -> ScheduleInput {
        ScheduleInput {
            scheduled_at: Utc.with_ymd_and_hms(2026, 12, 8, 2, 0, 0).unwrap(),
            location: "Phòng họp số 2, Ban Tiếp công dân tỉnh".into(),
            chair: "Ông Trần Văn Bình, Phó Chủ tịch UBND tỉnh".into(),
            participants: vec![
                ParticipantInput {
                    email: Some("hoa@example.vn".into()),
                    citizen_id: Some(7),
                    ..person("Nguyễn Thị Hoa", DialogueRole::Complainant)
                },
                person("UBND phường Trần Phú", DialogueRole::Respondent),
            ],
        }
    }

    fn invited() -> Vec<Invitee> {
        Schedule::parse(schedule_input()).unwrap().participants
    }

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.field.as_str()).collect()
    }

    fn attended(name: &str, role: DialogueRole, signed: bool) -> ParticipantInput {
        ParticipantInput { attended: Some(true), signed: Some(signed), ..person(name, role) }
    }

    fn record_input() -> ChangeInput {
        ChangeInput {
            status: Some(DialogueStatus::Held),
            held_at: Some(Utc.with_ymd_and_hms(2026, 12, 8, 2, 30, 0).unwrap()),
            minutes: Some(MinutesInput {
                opinions: Some("Bà Hoa giữ nguyên yêu cầu bồi thường".into()),
                result: Some("Không thống nhất về mức bồi thường".into()),
                agreed: Some("Diện tích đất thu hồi".into()),
                disagreed: None,
            }),
            participants: Some(vec![
                attended("Nguyễn Thị Hoa", DialogueRole::Complainant, true),
                attended("UBND phường Trần Phú", DialogueRole::Respondent, true),
            ]),
            ..ChangeInput::default()
        }
    }

    #[test]
    fn only_complaints_under_resolution_have_dialogues() {
        for status in [CaseStatus::Accepted, CaseStatus::Verifying] {
            assert_eq!(ensure_may_schedule(CaseKind::Complaint, status), Ok(()));
        }
        for kind in [CaseKind::Denunciation, CaseKind::Petition, CaseKind::Feedback] {
            let err = ensure_may_schedule(kind, CaseStatus::Accepted).unwrap_err();
            assert_eq!(err.code(), "dialogue_not_applicable");
        }
        for status in CaseStatus::ALL.iter().filter(|s| !matches!(s, CaseStatus::Accepted | CaseStatus::Verifying)) {
            let err = ensure_may_schedule(CaseKind::Complaint, *status).unwrap_err();
            assert_eq!(err.code(), "case_not_in_resolution", "{status}");
        }
    }

    #[test]
    fn only_a_scheduled_dialogue_changes() {
        assert_eq!(ensure_open(DialogueStatus::Scheduled), Ok(()));
        for status in [DialogueStatus::Held, DialogueStatus::Cancelled] {
            assert_eq!(ensure_open(status).unwrap_err().code(), "dialogue_closed");
        }
    }

    #[test]
    fn statuses_round_trip_by_name() {
        for status in DialogueStatus::ALL {
            assert_eq!(status.as_str().parse::<DialogueStatus>(), Ok(*status));
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
        assert!("done".parse::<DialogueStatus>().is_err());
        assert!(serde_json::from_str::<DialogueStatus>("\"done\"").is_err());
    }

    #[test]
    fn scheduling_needs_place_chair_and_named_participants() {
        let schedule = Schedule::parse(schedule_input()).unwrap();
        assert_eq!(schedule.participants.len(), 2);
        assert_eq!(schedule.participants[0].email.as_deref(), Some("hoa@example.vn"));
        assert_eq!(schedule.participants[0].citizen_id, Some(7));

        let mut input = schedule_input();
        input.location = "  ".into();
        input.chair = String::new();
        input.participants = vec![];
        let errors = Schedule::parse(input).unwrap_err();
        assert_eq!(fields(&errors), ["location", "chair", "participants"]);

        let mut input = schedule_input();
        input.participants = vec![
            ParticipantInput { name: None, role: None, ..ParticipantInput::default() },
            ParticipantInput { email: Some("not-an-address".into()), ..person("Ông Lê", DialogueRole::RelatedParty) },
            ParticipantInput { citizen_id: Some(0), ..person("Bà Mai", DialogueRole::Representative) },
        ];
        let errors = Schedule::parse(input).unwrap_err();
        assert_eq!(
            fields(&errors),
            ["participants[0].name", "participants[0].role", "participants[1].email", "participants[2].citizen_id"]
        );
    }

    #[test]
    fn attendance_is_not_part_of_an_invitation() {
        let mut input = schedule_input();
        input.participants[1].attended = Some(true);
        input.participants[1].absence_reason = Some("ốm".into());
        let errors = Schedule::parse(input).unwrap_err();
        assert_eq!(fields(&errors), ["participants[1].attended", "participants[1].absence_reason"]);
    }

    #[test]
    fn a_reschedule_changes_what_it_names() {
        let at = Utc.with_ymd_and_hms(2026, 12, 15, 2, 0, 0).unwrap();
        let input = ChangeInput {
            scheduled_at: Some(at),
            location: Some(" Hội trường UBND tỉnh ".into()),
            ..ChangeInput::default()
        };
        let change = Change::parse(input, &invited(), now()).unwrap();
        assert_eq!(
            change,
            Change::Reschedule(Reschedule {
                scheduled_at: Some(at),
                location: Some("Hội trường UBND tỉnh".into()),
                chair: None,
                participants: None,
            })
        );
        // `scheduled` is the same form, written out.
        let input = ChangeInput {
            status: Some(DialogueStatus::Scheduled),
            chair: Some("Bà Lan".into()),
            ..ChangeInput::default()
        };
        assert!(matches!(Change::parse(input, &invited(), now()), Ok(Change::Reschedule(_))));
    }

    #[test]
    fn a_reschedule_must_change_something_valid() {
        let errors = Change::parse(ChangeInput::default(), &invited(), now()).unwrap_err();
        assert_eq!(fields(&errors), ["(body)"]);
        let input = ChangeInput { chair: Some(" ".into()), participants: Some(vec![]), ..ChangeInput::default() };
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["chair", "participants"]);
        let input = ChangeInput { reason: Some("x".into()), held_at: Some(now()), ..ChangeInput::default() };
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["held_at", "reason"]);
    }

    #[test]
    fn recording_a_session_keeps_the_minutes_and_attendance() {
        let mut input = record_input();
        let participants = input.participants.as_mut().unwrap();
        participants[1] = ParticipantInput {
            refusal_reason: Some("Không đồng ý với nội dung biên bản".into()),
            ..attended("UBND phường Trần Phú", DialogueRole::Respondent, false)
        };
        participants.push(ParticipantInput {
            attended: Some(false),
            absence_reason: Some("Đi công tác".into()),
            ..person("Ông Lê Văn Cường", DialogueRole::RelatedParty)
        });
        let Change::Record(session) = Change::parse(input, &invited(), now()).unwrap() else { panic!("a record") };
        assert_eq!(session.minutes.result, "Không thống nhất về mức bồi thường");
        assert_eq!(session.minutes.agreed.as_deref(), Some("Diện tích đất thu hồi"));
        assert_eq!(session.minutes.disagreed, None);
        let attendance: Vec<_> = session.participants.iter().map(|p| p.attendance.clone()).collect();
        assert_eq!(
            attendance,
            [
                Attendance::Signed,
                Attendance::RefusedToSign { reason: "Không đồng ý với nội dung biên bản".into() },
                Attendance::Absent { reason: Some("Đi công tác".into()) },
            ]
        );
        // The invitation's citizen and e-mail stay with the person.
        assert_eq!(session.participants[0].participant.citizen_id, Some(7));
        assert_eq!(session.participants[0].participant.email.as_deref(), Some("hoa@example.vn"));
    }

    #[test]
    fn a_recorded_session_needs_its_time_and_minutes() {
        let mut input = record_input();
        input.held_at = None;
        input.minutes = Some(MinutesInput { opinions: Some(" ".into()), ..MinutesInput::default() });
        assert_eq!(
            fields(&Change::parse(input, &invited(), now()).unwrap_err()),
            ["held_at", "minutes.opinions", "minutes.result"]
        );
        let mut input = record_input();
        input.held_at = Some(now() + Duration::hours(1));
        input.minutes = None;
        assert_eq!(
            fields(&Change::parse(input, &invited(), now()).unwrap_err()),
            ["held_at", "minutes.opinions", "minutes.result"]
        );
        let mut input = record_input();
        input.location = Some("x".into());
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["location"]);
    }

    #[test]
    fn every_invitee_is_listed_with_attendance() {
        let mut input = record_input();
        input.participants = None;
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["participants"]);

        let mut input = record_input();
        input.participants.as_mut().unwrap().pop();
        let errors = Change::parse(input, &invited(), now()).unwrap_err();
        assert_eq!(fields(&errors), ["participants"]);
        assert!(errors.0[0].message.contains("UBND phường Trần Phú (respondent)"), "{errors}");

        // Names match up to case and spacing.
        let mut input = record_input();
        input.participants.as_mut().unwrap()[0].name = Some("  nguyễn thị   HOA ".into());
        assert!(Change::parse(input, &invited(), now()).is_ok());

        let mut input = record_input();
        input.participants.as_mut().unwrap()[0].attended = None;
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["participants[0].attended"]);
    }

    #[test]
    fn refusals_to_sign_give_a_reason_and_absences_may() {
        let cases: Vec<(ParticipantInput, Vec<&str>)> = vec![
            // Absent, with a reason too long.
            (
                ParticipantInput {
                    attended: Some(false),
                    absence_reason: Some("ố".repeat(REASON_MAX + 1)),
                    ..person("Nguyễn Thị Hoa", DialogueRole::Complainant)
                },
                vec!["participants[0].absence_reason"],
            ),
            // Absent, yet signed.
            (
                ParticipantInput {
                    attended: Some(false),
                    signed: Some(true),
                    absence_reason: Some("ốm".into()),
                    ..person("Nguyễn Thị Hoa", DialogueRole::Complainant)
                },
                vec!["participants[0].signed"],
            ),
            // Attended, did not sign, no reason.
            (attended("Nguyễn Thị Hoa", DialogueRole::Complainant, false), vec!["participants[0].refusal_reason"]),
            // Attended without saying whether they signed.
            (
                ParticipantInput { attended: Some(true), ..person("Nguyễn Thị Hoa", DialogueRole::Complainant) },
                vec!["participants[0].signed"],
            ),
            // Reasons that do not fit what happened.
            (
                ParticipantInput {
                    absence_reason: Some("x".into()),
                    refusal_reason: Some("y".into()),
                    ..attended("Nguyễn Thị Hoa", DialogueRole::Complainant, true)
                },
                vec!["participants[0].absence_reason", "participants[0].refusal_reason"],
            ),
        ];
        for (participant, expected) in cases {
            let mut input = record_input();
            input.participants.as_mut().unwrap()[0] = participant.clone();
            let errors = Change::parse(input, &invited(), now()).unwrap_err();
            assert_eq!(fields(&errors), expected, "{participant:?}");
        }
    }

    #[test]
    fn a_cancellation_states_its_reason() {
        let input = ChangeInput {
            status: Some(DialogueStatus::Cancelled),
            reason: Some(" Người khiếu nại rút đơn ".into()),
            ..ChangeInput::default()
        };
        assert_eq!(
            Change::parse(input, &invited(), now()).unwrap(),
            Change::Cancel { reason: "Người khiếu nại rút đơn".into() }
        );
        let input = ChangeInput { status: Some(DialogueStatus::Cancelled), ..ChangeInput::default() };
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["reason"]);
        let input = ChangeInput {
            status: Some(DialogueStatus::Cancelled),
            reason: Some("".into()),
            location: Some("x".into()),
            ..ChangeInput::default()
        };
        assert_eq!(fields(&Change::parse(input, &invited(), now()).unwrap_err()), ["location", "reason"]);
    }
}
