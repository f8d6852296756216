//! The legal workflow of a case as a pure function (DOMAIN.md §4–6).
//!
//! [`ACTION_RULES`] is the status graph of DOMAIN.md §4 as data. [`transition`] checks a command
//! against it, the caller's rights ([`crate::domain::access`]), the rule set and the case's history,
//! and answers either the [`Transition`] to persist (new status, clock and flag effects, the one
//! event to record) or a typed [`WorkflowError`]. [`allowed_actions`] answers the same question for
//! every action at once, without data, for case reads and `invalid_transition` problems.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::access::{self, Access, CaseRelation, Operation};
use crate::domain::validation::{self, FieldError, ValidationErrors};
use crate::domain::vocab::{
    Action, CaseKind, CaseStatus, ClockKind, ComplaintRejectGround, DenunciationRejectGround, FileReason, Outcome,
    PetitionRejectGround, Role, SuspensionGround, TerminationGround,
};

/// A case's id.
pub type CaseId = i64;

/// Who in DOMAIN.md §4 takes an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The assigned handler, or any head in the handler's place.
    Handler,
    /// The head only.
    Head,
}

impl Actor {
    pub const fn operation(self) -> Operation {
        match self {
            Actor::Handler => Operation::ActAsHandler,
            Actor::Head => Operation::ActAsHead,
        }
    }
}

/// Where an action leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Destination {
    Status(CaseStatus),
    /// The status does not change (`extend`).
    Unchanged,
    /// Back to the status the case had when it was suspended (`resume`).
    StatusBeforeSuspension,
}

/// One row of the status table of DOMAIN.md §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ActionRule {
    pub action: Action,
    pub from: &'static [CaseStatus],
    pub to: Destination,
    pub kinds: &'static [CaseKind],
    pub actor: Actor,
}

use CaseKind::{Complaint, Denunciation, Feedback, Petition};
use CaseStatus::{
    Accepted, Closed, Decided, Filed, Guided, NotAccepted, Received, Suspended, Terminated, Transferred, Verifying,
};

const ALL_KINDS: &[CaseKind] = &[Complaint, Denunciation, Petition, Feedback];
/// Khiếu nại (KN) and tố cáo (TC): the kinds resolved through verification, extension, suspension
/// and termination.
const KN_TC: &[CaseKind] = &[Complaint, Denunciation];
const RECEIVED: &[CaseStatus] = &[Received];
const BEING_RESOLVED: &[CaseStatus] = &[Accepted, Verifying];
const WITHDRAWABLE: &[CaseStatus] = &[Received, Accepted, Verifying, Suspended];
const TERMINABLE: &[CaseStatus] = &[Accepted, Verifying, Suspended];
const UNCHANGED: Destination = Destination::Unchanged;
const PREVIOUS: Destination = Destination::StatusBeforeSuspension;

const fn to(status: CaseStatus) -> Destination {
    Destination::Status(status)
}

/// The status graph (DOMAIN.md §4), one row per action, in the order of [`Action::ALL`].
/// Complaints appear under `suspend` although only rule sets from 2026-07 allow it (Luật Khiếu nại
/// Art 11a, added by Luật 136/2025/QH15): that limit is a guard, `suspension_not_allowed`.
#[rustfmt::skip]
pub const ACTION_RULES: [ActionRule; 14] = [
    //   action                     from             to               kinds      who
    rule(Action::File,              RECEIVED,        to(Filed),       ALL_KINDS, Actor::Handler),
    rule(Action::Guide,             RECEIVED,        to(Guided),      ALL_KINDS, Actor::Handler),
    rule(Action::Transfer,          RECEIVED,        to(Transferred), ALL_KINDS, Actor::Handler),
    rule(Action::RecordReply,       &[Transferred],  to(Closed),      ALL_KINDS, Actor::Handler),
    rule(Action::Accept,            RECEIVED,        to(Accepted),    ALL_KINDS, Actor::Head),
    rule(Action::Reject,            RECEIVED,        to(NotAccepted), ALL_KINDS, Actor::Head),
    rule(Action::StartVerification, &[Accepted],     to(Verifying),   KN_TC,     Actor::Handler),
    rule(Action::Extend,            BEING_RESOLVED,  UNCHANGED,       KN_TC,     Actor::Head),
    rule(Action::Suspend,           BEING_RESOLVED,  to(Suspended),   KN_TC,     Actor::Head),
    rule(Action::Resume,            &[Suspended],    PREVIOUS,        KN_TC,     Actor::Head),
    rule(Action::Decide,            BEING_RESOLVED,  to(Decided),     ALL_KINDS, Actor::Head),
    rule(Action::Close,             &[Decided],      to(Closed),      ALL_KINDS, Actor::Handler),
    rule(Action::Withdraw,          WITHDRAWABLE,    to(Terminated),  ALL_KINDS, Actor::Handler),
    rule(Action::Terminate,         TERMINABLE,      to(Terminated),  KN_TC,     Actor::Head),
];

const fn rule(
    action: Action,
    from: &'static [CaseStatus],
    to: Destination,
    kinds: &'static [CaseKind],
    actor: Actor,
) -> ActionRule {
    ActionRule { action, from, to, kinds, actor }
}

/// The row of [`ACTION_RULES`] for `action`.
pub fn action_rule(action: Action) -> &'static ActionRule {
    ACTION_RULES.iter().find(|r| r.action == action).expect("ACTION_RULES has a row for every action")
}

/// A ground for not accepting a case, from the list of its kind (DOMAIN.md §5). On the wire it is
/// the bare name; names shared by two lists (`not_competent`) are re-read for the case's kind by
/// [`RejectGround::for_kind`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RejectGround {
    Complaint(ComplaintRejectGround),
    Denunciation(DenunciationRejectGround),
    PetitionOrFeedback(PetitionRejectGround),
}

impl RejectGround {
    pub const fn as_str(self) -> &'static str {
        match self {
            RejectGround::Complaint(g) => g.as_str(),
            RejectGround::Denunciation(g) => g.as_str(),
            RejectGround::PetitionOrFeedback(g) => g.as_str(),
        }
    }

    /// The wire names valid for a kind.
    pub const fn names_for(kind: CaseKind) -> &'static [&'static str] {
        match kind {
            Complaint => ComplaintRejectGround::NAMES,
            Denunciation => DenunciationRejectGround::NAMES,
            Petition | Feedback => PetitionRejectGround::NAMES,
        }
    }

    /// The ground called `name` in the list of `kind`, if there is one.
    pub fn parse_for(kind: CaseKind, name: &str) -> Option<Self> {
        match kind {
            Complaint => name.parse().ok().map(RejectGround::Complaint),
            Denunciation => name.parse().ok().map(RejectGround::Denunciation),
            Petition | Feedback => name.parse().ok().map(RejectGround::PetitionOrFeedback),
        }
    }

    /// This ground read in the list of `kind`, if that list has it.
    pub fn for_kind(self, kind: CaseKind) -> Option<Self> {
        Self::parse_for(kind, self.as_str())
    }
}

impl Serialize for RejectGround {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RejectGround {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let name = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        [Complaint, Denunciation, Petition]
            .into_iter()
            .find_map(|kind| RejectGround::parse_for(kind, &name))
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown ground `{name}`, expected one of: {}, {}, {}",
                    ComplaintRejectGround::NAMES.join(", "),
                    DenunciationRejectGround::NAMES.join(", "),
                    PetitionRejectGround::NAMES.join(", ")
                ))
            })
    }
}

/// The verifier of a case: a user of the system, or a person or team named in text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Verifier {
    User(i64),
    Named(String),
}

/// A requested workflow action with the data it needs (DOMAIN.md §4, "Required data"). The JSON
/// form is the body of `POST /cases/{id}/transitions`: `{"action": "accept", ...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Command {
    File {
        reason: FileReason,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duplicate_of: Option<CaseId>,
    },
    Guide {
        target_body: String,
        document_no: String,
    },
    Transfer {
        target_body: String,
        document_no: String,
    },
    RecordReply {
        document_no: String,
        reply_date: NaiveDate,
        summary: String,
    },
    Accept {
        decision_no: String,
        accepted_on: NaiveDate,
        #[serde(default)]
        complex: bool,
        #[serde(default)]
        remote_area: bool,
    },
    Reject {
        ground: RejectGround,
        reason: String,
    },
    StartVerification {
        verifier: Verifier,
        document_no: String,
    },
    Extend {
        reason: String,
        document_no: String,
    },
    Suspend {
        ground: SuspensionGround,
        document_no: String,
        effective_on: NaiveDate,
    },
    Resume {
        document_no: String,
        effective_on: NaiveDate,
    },
    Decide {
        decision_no: String,
        decided_on: NaiveDate,
        outcome: Outcome,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dialogue_not_needed_reason: Option<String>,
    },
    Close {
        summary: String,
    },
    Withdraw {
        document_no: String,
        #[serde(default)]
        continue_despite_withdrawal: bool,
    },
    Terminate {
        ground: TerminationGround,
        document_no: String,
    },
}

impl Command {
    pub const fn action(&self) -> Action {
        match self {
            Command::File { .. } => Action::File,
            Command::Guide { .. } => Action::Guide,
            Command::Transfer { .. } => Action::Transfer,
            Command::RecordReply { .. } => Action::RecordReply,
            Command::Accept { .. } => Action::Accept,
            Command::Reject { .. } => Action::Reject,
            Command::StartVerification { .. } => Action::StartVerification,
            Command::Extend { .. } => Action::Extend,
            Command::Suspend { .. } => Action::Suspend,
            Command::Resume { .. } => Action::Resume,
            Command::Decide { .. } => Action::Decide,
            Command::Close { .. } => Action::Close,
            Command::Withdraw { .. } => Action::Withdraw,
            Command::Terminate { .. } => Action::Terminate,
        }
    }
}

/// What the rule set in force on the case's received date allows (DOMAIN.md §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RuleSetFacts {
    /// Rule set `2026-07` (Luật Khiếu nại Art 11a, from Luật 136/2025/QH15); false under `2019`.
    pub complaints_may_be_suspended: bool,
}

/// What the case's history and linked cases say, as far as the guards need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct CaseHistory {
    /// A dialogue on this case has been held (minutes recorded).
    pub dialogue_held: bool,
    /// The same citizen was already guided on this case or a linked one (guidance is given once, TT05).
    pub citizen_already_guided: bool,
    /// This denunciation's content was already transferred from a linked case (Luật Tố cáo Art 24.2).
    pub denunciation_already_transferred: bool,
    /// Extensions granted so far.
    pub extensions: u32,
    pub complex: bool,
    /// Denunciations only (Nghị định 31/2019 Art 3.3): allows a second extension.
    pub very_complex: bool,
    /// The status when the case was suspended; `resume` returns there.
    pub status_before_suspension: Option<CaseStatus>,
    /// The local date of receipt; acceptance may not precede it.
    pub received_on: Option<NaiveDate>,
    /// The date of acceptance; suspension and decision may not precede it.
    pub accepted_on: Option<NaiveDate>,
    /// The `effective_on` of the running suspension; resumption may not precede it.
    pub suspended_on: Option<NaiveDate>,
}

/// The case as the workflow sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseContext {
    pub status: CaseStatus,
    pub kind: CaseKind,
    pub round: i32,
    pub rules: RuleSetFacts,
    pub history: CaseHistory,
    /// Today's local date (Vietnam): the start of retention and of the reply follow-up.
    pub today: NaiveDate,
}

/// The user asking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Caller {
    pub role: Role,
    pub relation: CaseRelation,
}

/// A change to the case's clocks or flags that the transition brings with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum Effect {
    /// The clock starts counting from `on` (the day itself not counted, Bộ luật Dân sự Art 147).
    StartClock {
        clock: ClockKind,
        on: NaiveDate,
    },
    StopClock {
        clock: ClockKind,
    },
    /// Days from `from` (inclusive) stop counting (Luật Tố cáo Art 34.2; Luật Khiếu nại Art 11a.4).
    PauseClock {
        clock: ClockKind,
        from: NaiveDate,
    },
    /// Days count again from `on`; the due date moves by the paused days.
    ResumeClock {
        clock: ClockKind,
        on: NaiveDate,
    },
    SetComplex,
    SetRemoteArea,
    /// The number of extensions after this one; the due date is computed afresh with the longer term.
    CountExtension {
        extensions: u32,
    },
    /// A filed letter is kept for one year, then the head decides (Thông tư 05/2021 Art 28).
    SetRetentionUntil {
        date: NaiveDate,
    },
    SetDuplicateOf {
        case_id: CaseId,
    },
    SetOutcome {
        outcome: Outcome,
    },
}

/// The one case event a transition writes (DOMAIN.md §4: exactly one per transition).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TransitionEvent {
    pub action: Action,
    pub from_status: CaseStatus,
    pub to_status: CaseStatus,
    /// The command's data, as received.
    pub data: serde_json::Value,
}

/// A transition the law allows: what to write.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Transition {
    pub action: Action,
    pub from: CaseStatus,
    pub to: CaseStatus,
    pub effects: Vec<Effect>,
    pub event: TransitionEvent,
}

impl Transition {
    /// The case keeps its status (`extend`; a denunciation withdrawn but resolved anyway, Luật Tố
    /// cáo Art 33.3).
    pub fn stays(&self) -> bool {
        self.from == self.to
    }
}

/// How a refusal maps onto HTTP, without depending on an HTTP crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorClass {
    /// 404: the caller may not know the case exists.
    NotFound,
    /// 403: role or relation may not.
    Forbidden,
    /// 409: the case's state or history refuses it (status graph, caps, once-only rules, rule set).
    Conflict,
    /// 422: a field is missing, blank or not valid for this case.
    Unprocessable,
}

impl ErrorClass {
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorClass::NotFound => 404,
            ErrorClass::Forbidden => 403,
            ErrorClass::Conflict => 409,
            ErrorClass::Unprocessable => 422,
        }
    }
}

/// Why a transition is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkflowError {
    #[error("case not found")]
    NotFound,
    #[error("a {role} in this relation to the case may not {action}")]
    Forbidden { action: Action, role: Role },
    #[error("{action} is not possible for a {kind} in status {status}")]
    InvalidTransition { action: Action, status: CaseStatus, kind: CaseKind, allowed_actions: Vec<Action> },
    #[error("the citizen was already guided on this matter; guidance is given once")]
    AlreadyGuided,
    #[error("this denunciation was already transferred; a denunciation is transferred once")]
    AlreadyTransferred,
    #[error("no further extension: {kind} with {extensions} extension(s) so far")]
    ExtensionLimitReached { kind: CaseKind, extensions: u32 },
    #[error("a held dialogue is required before deciding this complaint (round {round})")]
    DialogueRequired { round: i32 },
    #[error("the rule set of this complaint does not allow suspension")]
    SuspensionNotAllowed,
    #[error("outcome {outcome} is not valid for a {kind} in round {round}")]
    InvalidOutcome { outcome: Outcome, kind: CaseKind, round: i32, allowed: &'static [Outcome] },
    #[error("ground {ground} is not valid for a {kind}")]
    InvalidGround { ground: &'static str, kind: CaseKind, allowed: Vec<&'static str> },
    #[error("a letter filed as duplicate needs duplicate_of")]
    DuplicateOfRequired,
    #[error("invalid fields: {0}")]
    Validation(ValidationErrors),
}

impl WorkflowError {
    /// The stable snake_case `code` of the problem body.
    pub const fn code(&self) -> &'static str {
        match self {
            WorkflowError::NotFound => "not_found",
            WorkflowError::Forbidden { .. } => "forbidden",
            WorkflowError::InvalidTransition { .. } => "invalid_transition",
            WorkflowError::AlreadyGuided => "already_guided",
            WorkflowError::AlreadyTransferred => "already_transferred",
            WorkflowError::ExtensionLimitReached { .. } => "extension_limit_reached",
            WorkflowError::DialogueRequired { .. } => "dialogue_required",
            WorkflowError::SuspensionNotAllowed => "suspension_not_allowed",
            WorkflowError::InvalidOutcome { .. } => "invalid_outcome",
            WorkflowError::InvalidGround { .. } => "invalid_ground",
            WorkflowError::DuplicateOfRequired => "duplicate_of_required",
            WorkflowError::Validation(_) => "validation_failed",
        }
    }

    /// State and history guards are 409, field problems 422 (API.md, Errors).
    pub const fn class(&self) -> ErrorClass {
        match self {
            WorkflowError::NotFound => ErrorClass::NotFound,
            WorkflowError::Forbidden { .. } => ErrorClass::Forbidden,
            WorkflowError::InvalidTransition { .. }
            | WorkflowError::AlreadyGuided
            | WorkflowError::AlreadyTransferred
            | WorkflowError::ExtensionLimitReached { .. }
            | WorkflowError::DialogueRequired { .. }
            | WorkflowError::SuspensionNotAllowed => ErrorClass::Conflict,
            WorkflowError::InvalidOutcome { .. }
            | WorkflowError::InvalidGround { .. }
            | WorkflowError::DuplicateOfRequired
            | WorkflowError::Validation(_) => ErrorClass::Unprocessable,
        }
    }

    pub const fn http_status(&self) -> u16 {
        self.class().http_status()
    }

    /// The `allowed_actions` member of an `invalid_transition` problem.
    pub fn allowed_actions(&self) -> Option<&[Action]> {
        match self {
            WorkflowError::InvalidTransition { allowed_actions, .. } => Some(allowed_actions),
            _ => None,
        }
    }

    /// The `errors` member of a 422 problem; empty for the others.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            WorkflowError::InvalidOutcome { allowed, .. } => {
                let names: Vec<&str> = allowed.iter().map(|o| o.as_str()).collect();
                vec![FieldError::new("outcome", format!("must be one of: {}", names.join(", ")))]
            }
            WorkflowError::InvalidGround { allowed, .. } => {
                vec![FieldError::new("ground", format!("must be one of: {}", allowed.join(", ")))]
            }
            WorkflowError::DuplicateOfRequired => {
                vec![FieldError::new("duplicate_of", "required when reason is duplicate")]
            }
            WorkflowError::Validation(errors) => errors.0.clone(),
            _ => Vec::new(),
        }
    }
}

/// The clocks a case in `status` holds (DOMAIN.md §7); a suspended case holds its resolution clock
/// paused.
pub fn held_clocks(status: CaseStatus, kind: CaseKind, round: i32) -> &'static [ClockKind] {
    match status {
        Received => match kind {
            // A re-denunciation is reviewed by the superior head in 20 days (Luật Tố cáo Art 37).
            Denunciation if round >= 2 => &[ClockKind::Processing, ClockKind::Review],
            Complaint | Denunciation => &[ClockKind::Processing, ClockKind::Acceptance],
            Petition | Feedback => &[ClockKind::Processing],
        },
        Accepted | Verifying | Suspended => &[ClockKind::Resolution],
        Transferred => &[ClockKind::Reply],
        _ => &[],
    }
}

/// The outcomes a decision may have (DOMAIN.md §6).
pub const fn valid_outcomes(kind: CaseKind, round: i32) -> &'static [Outcome] {
    match kind {
        Complaint if round >= 2 => &[Outcome::Upheld, Outcome::Amended, Outcome::Annulled],
        Complaint | Denunciation => &[Outcome::Correct, Outcome::PartlyCorrect, Outcome::Incorrect],
        Petition | Feedback => &[Outcome::Answered],
    }
}

/// The termination grounds of a kind: the death of the denounced person ends only a denunciation
/// (Luật Tố cáo Art 34.3), that of a complainant without successor only a complaint (Luật Khiếu nại
/// Art 11a from Luật 136/2025/QH15); the others end either.
pub fn valid_termination_grounds(kind: CaseKind) -> &'static [TerminationGround] {
    use TerminationGround as G;
    match kind {
        Denunciation => &[G::Withdrawn, G::DenouncedPersonDied, G::OrganisationDissolved, G::SettledByCourtOrDecision],
        _ => &[G::Withdrawn, G::ComplainantDiedNoSuccessor, G::OrganisationDissolved, G::SettledByCourtOrDecision],
    }
}

/// Denunciations: one extension, two when very complex (Luật Tố cáo Art 30; Nghị định 31/2019 Art 3).
const fn denunciation_extension_limit(very_complex: bool) -> u32 {
    if very_complex { 2 } else { 1 }
}

/// The checks that do not depend on the command's data: rights, status graph, rule set, history.
/// `InvalidTransition` comes back with an empty `allowed_actions`, filled in by [`transition`].
fn precheck(case: &CaseContext, caller: &Caller, action: Action) -> Result<&'static ActionRule, WorkflowError> {
    let rule = action_rule(action);
    match access::check(caller.role, rule.actor.operation(), caller.relation, case.status) {
        Access::Hidden => return Err(WorkflowError::NotFound),
        Access::Forbidden => {
            return Err(WorkflowError::Forbidden { action, role: caller.role });
        }
        Access::Allowed => {}
    }
    if !rule.from.contains(&case.status) || !rule.kinds.contains(&case.kind) {
        return Err(WorkflowError::InvalidTransition {
            action,
            status: case.status,
            kind: case.kind,
            allowed_actions: Vec::new(),
        });
    }
    let history = &case.history;
    match action {
        Action::Suspend if case.kind == Complaint && !case.rules.complaints_may_be_suspended => {
            Err(WorkflowError::SuspensionNotAllowed)
        }
        Action::Guide if history.citizen_already_guided => Err(WorkflowError::AlreadyGuided),
        Action::Transfer if case.kind == Denunciation && history.denunciation_already_transferred => {
            Err(WorkflowError::AlreadyTransferred)
        }
        // A complaint is extended by switching to its complex term, once (Luật Khiếu nại Art 28, 37).
        Action::Extend if case.kind == Complaint && history.complex => {
            Err(WorkflowError::ExtensionLimitReached { kind: case.kind, extensions: history.extensions })
        }
        Action::Extend
            if case.kind == Denunciation
                && history.extensions >= denunciation_extension_limit(history.very_complex) =>
        {
            Err(WorkflowError::ExtensionLimitReached { kind: case.kind, extensions: history.extensions })
        }
        // Round 2 must hold a dialogue (Luật Khiếu nại Art 39).
        Action::Decide if case.kind == Complaint && case.round >= 2 && !history.dialogue_held => {
            Err(WorkflowError::DialogueRequired { round: case.round })
        }
        _ => Ok(rule),
    }
}

/// The actions this caller may take on the case now: those a command with valid data would pass.
pub fn allowed_actions(case: &CaseContext, caller: &Caller) -> Vec<Action> {
    Action::ALL.iter().copied().filter(|&action| precheck(case, caller, action).is_ok()).collect()
}

/// Checks `command` against the law and the case, and says what to write.
pub fn transition(case: &CaseContext, caller: &Caller, command: &Command) -> Result<Transition, WorkflowError> {
    let action = command.action();
    let rule = precheck(case, caller, action).map_err(|error| match error {
        WorkflowError::InvalidTransition { action, status, kind, .. } => {
            WorkflowError::InvalidTransition { action, status, kind, allowed_actions: allowed_actions(case, caller) }
        }
        other => other,
    })?;
    validate(case, command)?;

    let history = &case.history;
    let from = case.status;
    let to = match (rule.to, command) {
        // Luật Tố cáo Art 33.3: the denunciation is still resolved when the withdrawal hides a
        // violation or was coerced.
        (_, Command::Withdraw { continue_despite_withdrawal: true, .. }) => from,
        (Destination::Status(status), _) => status,
        (Destination::Unchanged, _) => from,
        (Destination::StatusBeforeSuspension, _) => match history.status_before_suspension {
            Some(Verifying) => Verifying,
            // Suspension is only possible from `accepted` or `verifying`; without a record, the
            // earlier of the two.
            _ => Accepted,
        },
    };

    let mut effects = Vec::new();
    match command {
        Command::Suspend { effective_on, .. } => {
            effects.push(Effect::PauseClock { clock: ClockKind::Resolution, from: *effective_on })
        }
        Command::Resume { effective_on, .. } => {
            effects.push(Effect::ResumeClock { clock: ClockKind::Resolution, on: *effective_on })
        }
        _ if to != from => {
            let before = held_clocks(from, case.kind, case.round);
            let after = held_clocks(to, case.kind, case.round);
            for &clock in before.iter().filter(|c| !after.contains(c)) {
                effects.push(Effect::StopClock { clock });
            }
            for &clock in after.iter().filter(|c| !before.contains(c)) {
                let on = match command {
                    Command::Accept { accepted_on, .. } => *accepted_on,
                    _ => case.today,
                };
                effects.push(Effect::StartClock { clock, on });
            }
        }
        _ => {}
    }
    match command {
        Command::File { reason, duplicate_of } => {
            if let (FileReason::Duplicate, Some(case_id)) = (reason, duplicate_of) {
                effects.push(Effect::SetDuplicateOf { case_id: *case_id });
            }
            effects.push(Effect::SetRetentionUntil { date: one_year_after(case.today) });
        }
        Command::Accept { complex, remote_area, .. } => {
            if *complex && !history.complex {
                effects.push(Effect::SetComplex);
            }
            if *remote_area {
                effects.push(Effect::SetRemoteArea);
            }
        }
        Command::Extend { .. } => {
            if case.kind == Complaint {
                effects.push(Effect::SetComplex);
            }
            effects.push(Effect::CountExtension { extensions: history.extensions + 1 });
        }
        Command::Decide { outcome, .. } => effects.push(Effect::SetOutcome { outcome: *outcome }),
        _ => {}
    }

    let event = TransitionEvent {
        action,
        from_status: from,
        to_status: to,
        data: serde_json::to_value(command).unwrap_or_default(),
    };
    Ok(Transition { action, from, to, effects, event })
}

/// Longest accepted document number (`15/QĐ-UBND`), body or person name, and free text.
const NUMBER_MAX: usize = 100;
const NAME_MAX: usize = 500;
const TEXT_MAX: usize = 10_000;

/// One year later; 29 February goes to 28 February.
fn one_year_after(date: NaiveDate) -> NaiveDate {
    date.checked_add_months(Months::new(12)).unwrap_or(date)
}

/// The field checks (422) and the one data-dependent guard (`dialogue_required` in round 1).
fn validate(case: &CaseContext, command: &Command) -> Result<(), WorkflowError> {
    let mut errors = ValidationErrors::new();
    let mut required = |field: &str, value: &str, max: usize| {
        errors.check(validation::required_text(field, value, max));
    };
    match command {
        Command::File { .. } => {}
        Command::Guide { target_body, document_no } | Command::Transfer { target_body, document_no } => {
            required("target_body", target_body, NAME_MAX);
            required("document_no", document_no, NUMBER_MAX);
        }
        Command::RecordReply { document_no, summary, .. } => {
            required("document_no", document_no, NUMBER_MAX);
            required("summary", summary, TEXT_MAX);
        }
        Command::Accept { decision_no, .. } => required("decision_no", decision_no, NUMBER_MAX),
        Command::Reject { reason, .. } => required("reason", reason, TEXT_MAX),
        Command::StartVerification { verifier, document_no } => {
            if let Verifier::Named(name) = verifier {
                required("verifier", name, NAME_MAX);
            }
            required("document_no", document_no, NUMBER_MAX);
        }
        Command::Extend { reason, document_no } => {
            required("reason", reason, TEXT_MAX);
            required("document_no", document_no, NUMBER_MAX);
        }
        Command::Suspend { document_no, .. }
        | Command::Resume { document_no, .. }
        | Command::Withdraw { document_no, .. }
        | Command::Terminate { document_no, .. } => required("document_no", document_no, NUMBER_MAX),
        Command::Decide { decision_no, dialogue_not_needed_reason, .. } => {
            required("decision_no", decision_no, NUMBER_MAX);
            if let Some(reason) = dialogue_not_needed_reason {
                required("dialogue_not_needed_reason", reason, TEXT_MAX);
            }
        }
        Command::Close { summary } => required("summary", summary, TEXT_MAX),
    }

    // A date written on a step may lie ahead (a suspension taking effect later), but not beyond
    // a year: further is a slip of the keyboard, and beyond the spans the clocks count.
    let latest = case.today.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
    let dated = match command {
        Command::Accept { accepted_on, .. } => Some(("accepted_on", *accepted_on)),
        Command::Suspend { effective_on, .. } | Command::Resume { effective_on, .. } => {
            Some(("effective_on", *effective_on))
        }
        Command::Decide { decided_on, .. } => Some(("decided_on", *decided_on)),
        Command::RecordReply { reply_date, .. } => Some(("reply_date", *reply_date)),
        _ => None,
    };
    if let Some((field, _)) = dated.filter(|(_, date)| *date > latest) {
        errors.add(field, format!("must not be after {latest}, a year from today"));
    }

    let history = &case.history;
    match command {
        Command::Accept { accepted_on, .. } => {
            require_not_before(&mut errors, "accepted_on", *accepted_on, history.received_on, "receipt")
        }
        Command::Suspend { effective_on, .. } => {
            require_not_before(&mut errors, "effective_on", *effective_on, history.accepted_on, "acceptance")
        }
        Command::Resume { effective_on, .. } => {
            require_not_before(&mut errors, "effective_on", *effective_on, history.suspended_on, "suspension")
        }
        Command::Decide { decided_on, .. } => {
            require_not_before(&mut errors, "decided_on", *decided_on, history.accepted_on, "acceptance")
        }
        Command::Withdraw { continue_despite_withdrawal: true, .. } if case.kind != Denunciation => errors.add(
            "continue_despite_withdrawal",
            "only a denunciation is resolved despite its withdrawal (Luật Tố cáo Art 33.3)",
        ),
        Command::File { reason, duplicate_of: Some(_) } if *reason != FileReason::Duplicate => {
            errors.add("duplicate_of", "only with reason duplicate")
        }
        _ => {}
    }
    if !errors.is_empty() {
        return Err(WorkflowError::Validation(errors));
    }

    match command {
        Command::File { reason: FileReason::Duplicate, duplicate_of: None } => Err(WorkflowError::DuplicateOfRequired),
        Command::Reject { ground, .. } if ground.for_kind(case.kind).is_none() => Err(WorkflowError::InvalidGround {
            ground: ground.as_str(),
            kind: case.kind,
            allowed: RejectGround::names_for(case.kind).to_vec(),
        }),
        Command::Terminate { ground, .. } if !valid_termination_grounds(case.kind).contains(ground) => {
            Err(WorkflowError::InvalidGround {
                ground: ground.as_str(),
                kind: case.kind,
                allowed: valid_termination_grounds(case.kind).iter().map(|g| g.as_str()).collect(),
            })
        }
        Command::Decide { outcome, .. } if !valid_outcomes(case.kind, case.round).contains(outcome) => {
            Err(WorkflowError::InvalidOutcome {
                outcome: *outcome,
                kind: case.kind,
                round: case.round,
                allowed: valid_outcomes(case.kind, case.round),
            })
        }
        // Round 1 holds a dialogue unless the request and the verification result agree (Luật
        // Khiếu nại Art 30); round 2 is refused earlier, in `precheck`.
        Command::Decide { dialogue_not_needed_reason: None, .. }
            if case.kind == Complaint && !history.dialogue_held =>
        {
            Err(WorkflowError::DialogueRequired { round: case.round })
        }
        _ => Ok(()),
    }
}

fn require_not_before(
    errors: &mut ValidationErrors,
    field: &str,
    date: NaiveDate,
    earliest: Option<NaiveDate>,
    what: &str,
) {
    if let Some(earliest) = earliest.filter(|e| date < *e) {
        errors.add(field, format!("must not be before the {what} ({earliest})"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Assignment;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// The status table of DOMAIN.md §4, written out independently of `ACTION_RULES`:
    /// action, from, to (`same`: unchanged; `before`: the status before suspension), kinds
    /// (`complaint*`: only where the rule set allows), who.
    const EXPECTED: [(&str, &str, &str, &str, &str); 14] = [
        ("file", "received", "filed", "complaint denunciation petition feedback", "handler"),
        ("guide", "received", "guided", "complaint denunciation petition feedback", "handler"),
        ("transfer", "received", "transferred", "complaint denunciation petition feedback", "handler"),
        ("record_reply", "transferred", "closed", "complaint denunciation petition feedback", "handler"),
        ("accept", "received", "accepted", "complaint denunciation petition feedback", "head"),
        ("reject", "received", "not_accepted", "complaint denunciation petition feedback", "head"),
        ("start_verification", "accepted", "verifying", "complaint denunciation", "handler"),
        ("extend", "accepted verifying", "same", "complaint denunciation", "head"),
        ("suspend", "accepted verifying", "suspended", "complaint* denunciation", "head"),
        ("resume", "suspended", "before", "complaint denunciation", "head"),
        ("decide", "accepted verifying", "decided", "complaint denunciation petition feedback", "head"),
        ("close", "decided", "closed", "complaint denunciation petition feedback", "handler"),
        (
            "withdraw",
            "received accepted verifying suspended",
            "terminated",
            "complaint denunciation petition feedback",
            "handler",
        ),
        ("terminate", "accepted verifying suspended", "terminated", "complaint denunciation", "head"),
    ];

    /// DOMAIN.md §1: who sees a case.
    fn sees(role: Role, relation: CaseRelation) -> bool {
        match role {
            Role::Head | Role::Auditor | Role::Admin => true,
            Role::Handler => relation.assignment != Assignment::ToSomeoneElse,
            Role::Receptionist => relation.created_by_caller,
        }
    }

    /// DOMAIN.md §4: "handler" is the assigned handler or any head; "head" is a head.
    fn may_act(who: &str, role: Role, relation: CaseRelation) -> bool {
        match who {
            "handler" => role == Role::Head || (role == Role::Handler && relation.assignment == Assignment::ToCaller),
            "head" => role == Role::Head,
            other => panic!("bad who {other}"),
        }
    }

    /// DOMAIN.md §6, first outcome of each list.
    fn an_outcome(kind: CaseKind, round: i32) -> Outcome {
        match (kind, round) {
            (Complaint, 2) => Outcome::Amended,
            (Complaint | Denunciation, _) => Outcome::PartlyCorrect,
            _ => Outcome::Answered,
        }
    }

    /// A command with valid data for `action` on a case of `kind`.
    fn valid_command(action: Action, kind: CaseKind, round: i32, dialogue_held: bool) -> Command {
        let doc = || "15/QĐ-UBND".to_owned();
        match action {
            Action::File => Command::File { reason: FileReason::Ineligible, duplicate_of: None },
            Action::Guide => {
                Command::Guide { target_body: "UBND phường Bến Thành".to_owned(), document_no: doc() }
            }
            Action::Transfer => Command::Transfer { target_body: "Thanh tra tỉnh".to_owned(), document_no: doc() },
            Action::RecordReply => Command::RecordReply {
                document_no: doc(),
                reply_date: date("2026-04-02"),
                summary: "Đã giải quyết".to_owned(),
            },
            Action::Accept => Command::Accept {
                decision_no: doc(),
                accepted_on: date("2026-03-10"),
                complex: false,
                remote_area: false,
            },
            Action::Reject => Command::Reject {
                ground: match kind {
                    Complaint => RejectGround::Complaint(ComplaintRejectGround::TimeLimitExpired),
                    Denunciation => RejectGround::Denunciation(DenunciationRejectGround::NoBasisToIdentify),
                    _ => RejectGround::PetitionOrFeedback(PetitionRejectGround::AdministrativeRegulation),
                },
                reason: "Hết thời hiệu".to_owned(),
            },
            Action::StartVerification => Command::StartVerification { verifier: Verifier::User(5), document_no: doc() },
            Action::Extend => {
                Command::Extend { reason: "Phải xác minh ở nhiều nơi".to_owned(), document_no: doc() }
            }
            Action::Suspend => Command::Suspend {
                ground: SuspensionGround::AwaitingOtherBody,
                document_no: doc(),
                effective_on: date("2026-04-01"),
            },
            Action::Resume => Command::Resume { document_no: doc(), effective_on: date("2026-04-15") },
            Action::Decide => Command::Decide {
                decision_no: doc(),
                decided_on: date("2026-04-20"),
                outcome: an_outcome(kind, round),
                dialogue_not_needed_reason: (!dialogue_held)
                    .then(|| "Yêu cầu và kết quả xác minh thống nhất".to_owned()),
            },
            Action::Close => Command::Close { summary: "Đã thi hành".to_owned() },
            Action::Withdraw => Command::Withdraw { document_no: doc(), continue_despite_withdrawal: false },
            Action::Terminate => Command::Terminate { ground: TerminationGround::Withdrawn, document_no: doc() },
        }
    }

    fn history() -> CaseHistory {
        CaseHistory {
            dialogue_held: true,
            status_before_suspension: Some(Verifying),
            received_on: Some(date("2026-03-06")),
            accepted_on: Some(date("2026-03-10")),
            suspended_on: Some(date("2026-04-01")),
            ..CaseHistory::default()
        }
    }

    fn context(status: CaseStatus, kind: CaseKind, round: i32) -> CaseContext {
        CaseContext {
            status,
            kind,
            round,
            rules: RuleSetFacts { complaints_may_be_suspended: true },
            history: history(),
            today: date("2026-04-20"),
        }
    }

    fn head() -> Caller {
        Caller { role: Role::Head, relation: CaseRelation::new(Assignment::ToSomeoneElse, false) }
    }

    fn assigned_handler() -> Caller {
        Caller { role: Role::Handler, relation: CaseRelation::new(Assignment::ToCaller, false) }
    }

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    /// One combination of the exhaustive table test.
    struct Combination {
        action: Action,
        status: CaseStatus,
        kind: CaseKind,
        round: i32,
        caller: Caller,
        suspendable: bool,
    }

    fn every_combination() -> Vec<Combination> {
        let mut all = Vec::new();
        for &action in Action::ALL {
            for &status in CaseStatus::ALL {
                for &kind in CaseKind::ALL {
                    for round in [1, 2] {
                        for &role in Role::ALL {
                            for relation in CaseRelation::ALL {
                                for suspendable in [false, true] {
                                    let caller = Caller { role, relation };
                                    all.push(Combination { action, status, kind, round, caller, suspendable });
                                }
                            }
                        }
                    }
                }
            }
        }
        all
    }

    /// The result `EXPECTED` and DOMAIN.md §1 give: the new status, or the refusal code.
    fn expected_result(c: &Combination) -> Result<&'static str, &'static str> {
        let (_, from, to, kinds, who) = EXPECTED.iter().find(|row| row.0 == c.action.as_str()).unwrap();
        let listed = words(kinds).contains(&c.kind.as_str());
        let starred = words(kinds).contains(&format!("{}*", c.kind).as_str());
        if !sees(c.caller.role, c.caller.relation) {
            Err("not_found")
        } else if !may_act(who, c.caller.role, c.caller.relation) {
            Err("forbidden")
        } else if !words(from).contains(&c.status.as_str()) || !(listed || starred) {
            Err("invalid_transition")
        } else if starred && !c.suspendable {
            Err("suspension_not_allowed")
        } else {
            Ok(match *to {
                "same" => c.status.as_str(),
                "before" => "verifying",
                other => other,
            })
        }
    }

    #[test]
    fn every_status_action_kind_round_role_and_relation_matches_the_written_table() {
        let combinations = every_combination();
        assert_eq!(combinations.len(), 14 * 11 * 4 * 2 * 5 * 6 * 2);
        for c in &combinations {
            let mut case = context(c.status, c.kind, c.round);
            case.rules.complaints_may_be_suspended = c.suspendable;
            let command = valid_command(c.action, c.kind, c.round, true);
            let expected = expected_result(c);
            let actual = transition(&case, &c.caller, &command);
            let summary = actual.as_ref().map(|t| t.to.as_str()).map_err(|e| e.code());
            let label = format!(
                "{} from {}, {} round {}, {:?}, suspendable {}",
                c.action, c.status, c.kind, c.round, c.caller, c.suspendable
            );
            assert_eq!(summary, expected, "{label}");

            let allowed = allowed_actions(&case, &c.caller);
            assert_eq!(allowed.contains(&c.action), expected.is_ok(), "{label}");
            match &actual {
                Err(error @ WorkflowError::InvalidTransition { .. }) => {
                    assert_eq!(error.allowed_actions(), Some(allowed.as_slice()));
                }
                Ok(t) => {
                    assert_eq!((t.action, t.from), (c.action, c.status));
                    let event = &t.event;
                    assert_eq!((event.action, event.from_status, event.to_status), (c.action, c.status, t.to));
                    assert_eq!(event.data["action"], c.action.as_str());
                }
                Err(_) => {}
            }
        }
    }

    #[test]
    fn allowed_actions_are_exactly_the_actions_valid_data_would_pass() {
        let callers = [
            head(),
            assigned_handler(),
            Caller { role: Role::Handler, relation: CaseRelation::new(Assignment::ToNobody, true) },
            Caller { role: Role::Receptionist, relation: CaseRelation::new(Assignment::ToNobody, true) },
            Caller { role: Role::Auditor, relation: CaseRelation::new(Assignment::ToNobody, false) },
        ];
        let mut histories = Vec::new();
        for bits in 0..32u32 {
            for extensions in 0..=2 {
                histories.push(CaseHistory {
                    dialogue_held: bits & 1 != 0,
                    citizen_already_guided: bits & 2 != 0,
                    denunciation_already_transferred: bits & 4 != 0,
                    complex: bits & 8 != 0,
                    very_complex: bits & 16 != 0,
                    extensions,
                    ..history()
                });
            }
        }
        for history in histories {
            for &status in CaseStatus::ALL {
                for &kind in CaseKind::ALL {
                    for round in [1, 2] {
                        for suspendable in [false, true] {
                            let case = CaseContext {
                                history,
                                rules: RuleSetFacts { complaints_may_be_suspended: suspendable },
                                ..context(status, kind, round)
                            };
                            for caller in &callers {
                                let allowed = allowed_actions(&case, caller);
                                for &action in Action::ALL {
                                    let command = valid_command(action, kind, round, history.dialogue_held);
                                    let result = transition(&case, caller, &command);
                                    assert_eq!(
                                        allowed.contains(&action),
                                        result.is_ok(),
                                        "{action} {case:?} {caller:?}: {result:?}"
                                    );
                                    if let Err(error) = result {
                                        assert_ne!(error.class(), ErrorClass::Unprocessable, "{error:?}");
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_rules_table_has_one_row_per_action_in_order() {
        let actions: Vec<Action> = ACTION_RULES.iter().map(|r| r.action).collect();
        assert_eq!(actions, Action::ALL);
    }

    #[test]
    fn guidance_is_given_once() {
        let mut case = context(Received, Petition, 1);
        case.history.citizen_already_guided = true;
        let error =
            transition(&case, &assigned_handler(), &valid_command(Action::Guide, Petition, 1, true)).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("already_guided", 409));
        assert!(!allowed_actions(&case, &assigned_handler()).contains(&Action::Guide));
    }

    #[test]
    fn a_denunciation_is_transferred_once_other_kinds_again() {
        let mut case = context(Received, Denunciation, 1);
        case.history.denunciation_already_transferred = true;
        let command = valid_command(Action::Transfer, Denunciation, 1, true);
        let error = transition(&case, &assigned_handler(), &command).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("already_transferred", 409));
        case.kind = Complaint;
        assert!(transition(&case, &assigned_handler(), &command).is_ok());
    }

    #[test]
    fn a_complaint_is_extended_once_by_becoming_complex() {
        let case = context(Verifying, Complaint, 1);
        let command = valid_command(Action::Extend, Complaint, 1, true);
        let extended = transition(&case, &head(), &command).unwrap();
        assert!(extended.stays());
        assert_eq!(extended.effects, [Effect::SetComplex, Effect::CountExtension { extensions: 1 }]);
        let mut complex = case;
        complex.history.complex = true;
        let error = transition(&complex, &head(), &command).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("extension_limit_reached", 409));
    }

    #[test]
    fn a_denunciation_is_extended_once_or_twice_when_very_complex() {
        let mut case = context(Accepted, Denunciation, 1);
        let command = valid_command(Action::Extend, Denunciation, 1, true);
        let first = transition(&case, &head(), &command).unwrap();
        assert_eq!(first.effects, [Effect::CountExtension { extensions: 1 }]);
        case.history.extensions = 1;
        assert_eq!(transition(&case, &head(), &command).unwrap_err().code(), "extension_limit_reached");
        case.history.very_complex = true;
        let second = transition(&case, &head(), &command).unwrap();
        assert_eq!(second.effects, [Effect::CountExtension { extensions: 2 }]);
        case.history.extensions = 2;
        assert_eq!(transition(&case, &head(), &command).unwrap_err().code(), "extension_limit_reached");
    }

    #[test]
    fn deciding_a_complaint_needs_a_dialogue_or_in_round_one_a_reason() {
        let mut round_two = context(Verifying, Complaint, 2);
        round_two.history.dialogue_held = false;
        let mut command = valid_command(Action::Decide, Complaint, 2, false);
        let error = transition(&round_two, &head(), &command).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("dialogue_required", 409));
        assert!(!allowed_actions(&round_two, &head()).contains(&Action::Decide));

        let mut round_one = context(Verifying, Complaint, 1);
        round_one.history.dialogue_held = false;
        command = valid_command(Action::Decide, Complaint, 1, false);
        assert!(transition(&round_one, &head(), &command).is_ok());
        assert!(allowed_actions(&round_one, &head()).contains(&Action::Decide));
        if let Command::Decide { dialogue_not_needed_reason, .. } = &mut command {
            *dialogue_not_needed_reason = None;
        }
        assert_eq!(transition(&round_one, &head(), &command).unwrap_err().code(), "dialogue_required");

        let mut denunciation = context(Verifying, Denunciation, 1);
        denunciation.history.dialogue_held = false;
        let decided =
            transition(&denunciation, &head(), &valid_command(Action::Decide, Denunciation, 1, true)).unwrap();
        assert_eq!(decided.to, Decided);
        assert_eq!(
            decided.effects,
            [
                Effect::StopClock { clock: ClockKind::Resolution },
                Effect::SetOutcome { outcome: Outcome::PartlyCorrect }
            ]
        );
    }

    #[test]
    fn complaints_are_suspended_only_under_the_2026_rule_set() {
        let mut case = context(Accepted, Complaint, 1);
        case.rules.complaints_may_be_suspended = false;
        let command = valid_command(Action::Suspend, Complaint, 1, true);
        let error = transition(&case, &head(), &command).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("suspension_not_allowed", 409));
        case.rules.complaints_may_be_suspended = true;
        let suspended = transition(&case, &head(), &command).unwrap();
        assert_eq!(suspended.to, Suspended);
        assert_eq!(suspended.effects, [Effect::PauseClock { clock: ClockKind::Resolution, from: date("2026-04-01") }]);
    }

    #[test]
    fn resume_returns_to_the_status_before_suspension() {
        let mut case = context(Suspended, Denunciation, 1);
        let command = valid_command(Action::Resume, Denunciation, 1, true);
        for (before, expected) in [(Some(Verifying), Verifying), (Some(Accepted), Accepted), (None, Accepted)] {
            case.history.status_before_suspension = before;
            let resumed = transition(&case, &head(), &command).unwrap();
            assert_eq!(resumed.to, expected);
            assert_eq!(resumed.effects, [Effect::ResumeClock { clock: ClockKind::Resolution, on: date("2026-04-15") }]);
        }
        let early = Command::Resume { document_no: "1".to_owned(), effective_on: date("2026-03-31") };
        let error = transition(&case, &head(), &early).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("validation_failed", 422));
        assert_eq!(error.field_errors()[0].field, "effective_on");
    }

    #[test]
    fn dates_on_steps_may_lie_a_year_ahead_and_no_further() {
        let case_at = |status| context(status, Denunciation, 1);
        let last = date("2027-04-20"); // a year from today (2026-04-20)
        for (action, status, field) in [
            (Action::Accept, Received, "accepted_on"),
            (Action::Suspend, Accepted, "effective_on"),
            (Action::Resume, Suspended, "effective_on"),
            (Action::Decide, Verifying, "decided_on"),
            (Action::RecordReply, Transferred, "reply_date"),
        ] {
            let dated = |on: NaiveDate| match valid_command(action, Denunciation, 1, true) {
                Command::Accept { decision_no, complex, remote_area, .. } => {
                    Command::Accept { decision_no, accepted_on: on, complex, remote_area }
                }
                Command::Suspend { ground, document_no, .. } => {
                    Command::Suspend { ground, document_no, effective_on: on }
                }
                Command::Resume { document_no, .. } => Command::Resume { document_no, effective_on: on },
                Command::Decide { decision_no, outcome, dialogue_not_needed_reason, .. } => {
                    Command::Decide { decision_no, decided_on: on, outcome, dialogue_not_needed_reason }
                }
                Command::RecordReply { document_no, summary, .. } => {
                    Command::RecordReply { document_no, reply_date: on, summary }
                }
                other => panic!("{other:?} carries no date"),
            };
            let mut case = case_at(status);
            case.history.suspended_on = Some(date("2026-04-01"));
            assert!(transition(&case, &head(), &dated(last)).is_ok(), "{action:?} on {last}");
            let error = transition(&case, &head(), &dated(last.succ_opt().unwrap())).unwrap_err();
            assert_eq!((error.code(), error.http_status()), ("validation_failed", 422), "{action:?}");
            assert_eq!(error.field_errors()[0].field, field);
            assert!(error.field_errors()[0].message.contains("2027-04-20"), "{action:?}");
        }
    }

    #[test]
    fn outcomes_must_fit_the_kind_and_round() {
        let cases = [
            (Complaint, 1, Outcome::Upheld),
            (Complaint, 2, Outcome::Correct),
            (Denunciation, 1, Outcome::Amended),
            (Petition, 1, Outcome::Correct),
            (Feedback, 1, Outcome::Incorrect),
        ];
        for (kind, round, outcome) in cases {
            let case = context(Accepted, kind, round);
            let command = Command::Decide {
                decision_no: "1".to_owned(),
                decided_on: date("2026-04-20"),
                outcome,
                dialogue_not_needed_reason: None,
            };
            let error = transition(&case, &head(), &command).unwrap_err();
            assert_eq!((error.code(), error.http_status()), ("invalid_outcome", 422), "{kind} {round}");
            assert_eq!(error.field_errors()[0].field, "outcome");
        }
        for (kind, round, outcome) in [(Complaint, 2, Outcome::Upheld), (Feedback, 1, Outcome::Answered)] {
            let case = context(Accepted, kind, round);
            let command = Command::Decide {
                decision_no: "1".to_owned(),
                decided_on: date("2026-04-20"),
                outcome,
                dialogue_not_needed_reason: None,
            };
            assert!(transition(&case, &head(), &command).is_ok(), "{kind} {round}");
        }
    }

    #[test]
    fn grounds_must_come_from_the_kinds_list() {
        let reject = |ground: &str| Command::Reject {
            ground: serde_json::from_value(serde_json::json!(ground)).unwrap(),
            reason: "Lý do".to_owned(),
        };
        let error = transition(&context(Received, Complaint, 1), &head(), &reject("form_invalid")).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("invalid_ground", 422));
        assert_eq!(error.field_errors()[0].field, "ground");
        // `not_competent` is in both the denunciation and the petition lists.
        for kind in [Denunciation, Petition, Feedback] {
            let rejected = transition(&context(Received, kind, 1), &head(), &reject("not_competent")).unwrap();
            assert_eq!(rejected.to, NotAccepted);
            assert_eq!(rejected.event.data["ground"], "not_competent");
        }
        assert_eq!(
            transition(&context(Received, Complaint, 1), &head(), &reject("not_competent")).unwrap_err().code(),
            "invalid_ground"
        );
        assert!(serde_json::from_value::<RejectGround>(serde_json::json!("bored")).is_err());

        let terminate = |ground| Command::Terminate { ground, document_no: "1".to_owned() };
        let complaint = context(Verifying, Complaint, 1);
        let denunciation = context(Verifying, Denunciation, 1);
        let died = terminate(TerminationGround::DenouncedPersonDied);
        assert_eq!(transition(&complaint, &head(), &died).unwrap_err().code(), "invalid_ground");
        assert!(transition(&denunciation, &head(), &died).is_ok());
        let no_heir = terminate(TerminationGround::ComplainantDiedNoSuccessor);
        assert_eq!(transition(&denunciation, &head(), &no_heir).unwrap_err().code(), "invalid_ground");
        assert!(transition(&complaint, &head(), &no_heir).is_ok());
    }

    #[test]
    fn filing_as_duplicate_needs_the_case_it_duplicates() {
        let case = context(Received, Complaint, 1);
        let missing = Command::File { reason: FileReason::Duplicate, duplicate_of: None };
        let error = transition(&case, &assigned_handler(), &missing).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("duplicate_of_required", 422));
        assert_eq!(error.field_errors()[0].field, "duplicate_of");
        let given = Command::File { reason: FileReason::Duplicate, duplicate_of: Some(41) };
        let filed = transition(&case, &assigned_handler(), &given).unwrap();
        assert_eq!(filed.to, Filed);
        assert_eq!(
            filed.effects,
            [
                Effect::StopClock { clock: ClockKind::Processing },
                Effect::StopClock { clock: ClockKind::Acceptance },
                Effect::SetDuplicateOf { case_id: 41 },
                Effect::SetRetentionUntil { date: date("2027-04-20") },
            ]
        );
        let misplaced = Command::File { reason: FileReason::Anonymous, duplicate_of: Some(41) };
        assert_eq!(transition(&case, &assigned_handler(), &misplaced).unwrap_err().code(), "validation_failed");
    }

    #[test]
    fn retention_of_a_letter_filed_on_29_february_ends_on_28_february() {
        let mut case = context(Received, Feedback, 1);
        case.today = date("2028-02-29");
        let filed = transition(&case, &head(), &valid_command(Action::File, Feedback, 1, true)).unwrap();
        assert!(filed.effects.contains(&Effect::SetRetentionUntil { date: date("2029-02-28") }));
    }

    #[test]
    fn blank_required_fields_are_listed_together() {
        let case = context(Received, Complaint, 1);
        let command = Command::Guide { target_body: " ".to_owned(), document_no: String::new() };
        let error = transition(&case, &assigned_handler(), &command).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("validation_failed", 422));
        let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["target_body", "document_no"]);

        let verifying = context(Accepted, Denunciation, 1);
        let command =
            Command::StartVerification { verifier: Verifier::Named(String::new()), document_no: "1".to_owned() };
        let error = transition(&verifying, &head(), &command).unwrap_err();
        let fields: Vec<String> = error.field_errors().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["verifier"]);
    }

    #[test]
    fn overlong_document_numbers_are_refused() {
        let case = context(Accepted, Denunciation, 1);
        let command =
            Command::Extend { reason: "Vụ việc phức tạp".to_owned(), document_no: "9".repeat(NUMBER_MAX + 1) };
        let error = transition(&case, &head(), &command).unwrap_err();
        assert_eq!(error.http_status(), 422);
        assert_eq!(error.field_errors()[0].field, "document_no");
    }

    #[test]
    fn dates_may_not_precede_the_events_they_follow() {
        let received = context(Received, Complaint, 1);
        let early_accept = Command::Accept {
            decision_no: "1".to_owned(),
            accepted_on: date("2026-03-05"),
            complex: false,
            remote_area: false,
        };
        let error = transition(&received, &head(), &early_accept).unwrap_err();
        assert_eq!(error.field_errors()[0].field, "accepted_on");
        let early_decision = Command::Decide {
            decision_no: "1".to_owned(),
            decided_on: date("2026-03-09"),
            outcome: Outcome::Correct,
            dialogue_not_needed_reason: None,
        };
        let error = transition(&context(Verifying, Complaint, 1), &head(), &early_decision).unwrap_err();
        assert_eq!(error.field_errors()[0].field, "decided_on");
        // Unknown history dates are not checked.
        let mut unknown = received;
        unknown.history.received_on = None;
        assert!(transition(&unknown, &head(), &early_accept).is_ok());
    }

    #[test]
    fn acceptance_starts_the_resolution_clock_on_the_acceptance_date() {
        let case = context(Received, Complaint, 1);
        let command = Command::Accept {
            decision_no: "07/TB-UBND".to_owned(),
            accepted_on: date("2026-03-10"),
            complex: true,
            remote_area: true,
        };
        let accepted = transition(&case, &head(), &command).unwrap();
        assert_eq!(accepted.to, Accepted);
        assert_eq!(
            accepted.effects,
            [
                Effect::StopClock { clock: ClockKind::Processing },
                Effect::StopClock { clock: ClockKind::Acceptance },
                Effect::StartClock { clock: ClockKind::Resolution, on: date("2026-03-10") },
                Effect::SetComplex,
                Effect::SetRemoteArea,
            ]
        );
        let mut re_denunciation = context(Received, Denunciation, 2);
        re_denunciation.history.received_on = None;
        let accepted = transition(&re_denunciation, &head(), &command).unwrap();
        assert_eq!(
            accepted.effects[..2],
            [Effect::StopClock { clock: ClockKind::Processing }, Effect::StopClock { clock: ClockKind::Review },]
        );
    }

    #[test]
    fn transfer_starts_the_reply_follow_up_and_the_reply_closes_it() {
        let case = context(Received, Petition, 1);
        let transferred = transition(&case, &head(), &valid_command(Action::Transfer, Petition, 1, true)).unwrap();
        assert_eq!(
            transferred.effects,
            [
                Effect::StopClock { clock: ClockKind::Processing },
                Effect::StartClock { clock: ClockKind::Reply, on: date("2026-04-20") },
            ]
        );
        let replied = context(Transferred, Petition, 1);
        let closed =
            transition(&replied, &assigned_handler(), &valid_command(Action::RecordReply, Petition, 1, true)).unwrap();
        assert_eq!(closed.to, Closed);
        assert_eq!(closed.effects, [Effect::StopClock { clock: ClockKind::Reply }]);
    }

    #[test]
    fn a_denunciation_withdrawn_but_resolved_anyway_stays_where_it_is() {
        let case = context(Verifying, Denunciation, 1);
        let command = Command::Withdraw { document_no: "02/ĐRTC".to_owned(), continue_despite_withdrawal: true };
        let kept = transition(&case, &assigned_handler(), &command).unwrap();
        assert!(kept.stays());
        assert_eq!(kept.to, Verifying);
        assert!(kept.effects.is_empty());
        assert_eq!(kept.event.data["continue_despite_withdrawal"], true);

        let complaint = context(Verifying, Complaint, 1);
        let error = transition(&complaint, &assigned_handler(), &command).unwrap_err();
        assert_eq!(error.field_errors()[0].field, "continue_despite_withdrawal");

        let plain = Command::Withdraw { document_no: "02/ĐRTC".to_owned(), continue_despite_withdrawal: false };
        let withdrawn = transition(&complaint, &assigned_handler(), &plain).unwrap();
        assert_eq!(withdrawn.to, Terminated);
        assert_eq!(withdrawn.effects, [Effect::StopClock { clock: ClockKind::Resolution }]);
    }

    #[test]
    fn refusals_for_state_list_the_actions_allowed_now() {
        let case = context(Received, Complaint, 1);
        let error =
            transition(&case, &assigned_handler(), &valid_command(Action::Close, Complaint, 1, true)).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("invalid_transition", 409));
        assert_eq!(error.allowed_actions().unwrap(), [Action::File, Action::Guide, Action::Transfer, Action::Withdraw]);
        let error = transition(&case, &head(), &valid_command(Action::Close, Complaint, 1, true)).unwrap_err();
        assert_eq!(
            error.allowed_actions().unwrap(),
            [Action::File, Action::Guide, Action::Transfer, Action::Accept, Action::Reject, Action::Withdraw]
        );
    }

    #[test]
    fn callers_without_the_right_are_forbidden_or_do_not_see_the_case() {
        let case = context(Received, Complaint, 1);
        let accept = valid_command(Action::Accept, Complaint, 1, true);
        let error = transition(&case, &assigned_handler(), &accept).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("forbidden", 403));
        let queue = Caller { role: Role::Handler, relation: CaseRelation::new(Assignment::ToNobody, false) };
        let file = valid_command(Action::File, Complaint, 1, true);
        assert_eq!(transition(&case, &queue, &file).unwrap_err().http_status(), 403);
        let other = Caller { role: Role::Handler, relation: CaseRelation::new(Assignment::ToSomeoneElse, true) };
        let error = transition(&case, &other, &file).unwrap_err();
        assert_eq!((error.code(), error.http_status()), ("not_found", 404));
        for role in [Role::Receptionist, Role::Auditor, Role::Admin] {
            let caller = Caller { role, relation: CaseRelation::new(Assignment::ToCaller, true) };
            assert!(allowed_actions(&case, &caller).is_empty(), "{role}");
        }
    }

    #[test]
    fn commands_read_and_write_the_transition_body() {
        let command: Command = serde_json::from_str(
            r#"{"action":"accept","decision_no":"07/TB","accepted_on":"2026-03-10","complex":true}"#,
        )
        .unwrap();
        assert_eq!(
            command,
            Command::Accept {
                decision_no: "07/TB".to_owned(),
                accepted_on: date("2026-03-10"),
                complex: true,
                remote_area: false,
            }
        );
        assert_eq!(command.action(), Action::Accept);
        let unknown = serde_json::from_str::<Command>(r#"{"action":"close","summary":"x","extra":1}"#);
        assert!(unknown.is_err());
        let missing = serde_json::from_str::<Command>(r#"{"action":"guide","target_body":"x"}"#);
        assert!(missing.unwrap_err().to_string().contains("document_no"));
        let verifier: Command =
            serde_json::from_str(r#"{"action":"start_verification","verifier":12,"document_no":"3"}"#).unwrap();
        assert!(matches!(verifier, Command::StartVerification { verifier: Verifier::User(12), .. }));
        let named: Command =
            serde_json::from_str(r#"{"action":"start_verification","verifier":"Tổ xác minh","document_no":"3"}"#)
                .unwrap();
        assert_eq!(serde_json::to_value(&named).unwrap()["verifier"], "Tổ xác minh");
        for &action in Action::ALL {
            let command = valid_command(action, Complaint, 1, false);
            let json = serde_json::to_string(&command).unwrap();
            assert_eq!(serde_json::from_str::<Command>(&json).unwrap(), command, "{json}");
            assert_eq!(command.action(), action);
        }
    }

    #[test]
    fn every_code_has_its_http_class() {
        let errors = [
            (WorkflowError::NotFound, "not_found", 404),
            (WorkflowError::Forbidden { action: Action::Accept, role: Role::Handler }, "forbidden", 403),
            (
                WorkflowError::InvalidTransition {
                    action: Action::Close,
                    status: Received,
                    kind: Complaint,
                    allowed_actions: vec![],
                },
                "invalid_transition",
                409,
            ),
            (WorkflowError::AlreadyGuided, "already_guided", 409),
            (WorkflowError::AlreadyTransferred, "already_transferred", 409),
            (
                WorkflowError::ExtensionLimitReached { kind: Denunciation, extensions: 1 },
                "extension_limit_reached",
                409,
            ),
            (WorkflowError::DialogueRequired { round: 2 }, "dialogue_required", 409),
            (WorkflowError::SuspensionNotAllowed, "suspension_not_allowed", 409),
            (
                WorkflowError::InvalidOutcome {
                    outcome: Outcome::Answered,
                    kind: Complaint,
                    round: 1,
                    allowed: valid_outcomes(Complaint, 1),
                },
                "invalid_outcome",
                422,
            ),
            (WorkflowError::InvalidGround { ground: "x", kind: Complaint, allowed: vec![] }, "invalid_ground", 422),
            (WorkflowError::DuplicateOfRequired, "duplicate_of_required", 422),
            (WorkflowError::Validation(ValidationErrors::new()), "validation_failed", 422),
        ];
        for (error, code, status) in errors {
            assert_eq!((error.code(), error.http_status()), (code, status));
            assert!(!error.to_string().is_empty());
        }
    }
}
