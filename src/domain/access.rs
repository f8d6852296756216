//! Who may see a case and what they may do with it (DOMAIN.md §1, §4, §9), written as data.
//!
//! Two tables decide everything: [`SCOPES`] (which cases a role sees at all) and [`GRANTS`] (what a
//! role may do on a case it sees, depending on its relation to the case). Every HTTP handler asks
//! [`check`]; every list query turns [`visibility`] into a `WHERE` clause, so the two can not drift.

use crate::domain::vocab::{CaseStatus, Role};

/// A user's id, as stored in the `users` table.
pub type UserId = i64;

/// Who holds the case, seen from the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Assignment {
    /// The caller is the assigned handler.
    ToCaller,
    /// Nobody is assigned: the case sits in the handlers' queue.
    ToNobody,
    /// Someone other than the caller is assigned.
    ToSomeoneElse,
}

/// The caller's relation to one case: the only per-case input of every access decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CaseRelation {
    pub assignment: Assignment,
    /// The caller created the case (the receptionist or user who recorded it).
    pub created_by_caller: bool,
}

impl CaseRelation {
    /// Every possible relation, for exhaustive tests and tables.
    pub const ALL: [CaseRelation; 6] = [
        CaseRelation::new(Assignment::ToCaller, true),
        CaseRelation::new(Assignment::ToCaller, false),
        CaseRelation::new(Assignment::ToNobody, true),
        CaseRelation::new(Assignment::ToNobody, false),
        CaseRelation::new(Assignment::ToSomeoneElse, true),
        CaseRelation::new(Assignment::ToSomeoneElse, false),
    ];

    pub const fn new(assignment: Assignment, created_by_caller: bool) -> Self {
        CaseRelation { assignment, created_by_caller }
    }

    /// The relation of `caller` to a case with this assignee and creator.
    pub fn of(caller: UserId, assignee: Option<UserId>, created_by: Option<UserId>) -> Self {
        let assignment = match assignee {
            None => Assignment::ToNobody,
            Some(id) if id == caller => Assignment::ToCaller,
            Some(_) => Assignment::ToSomeoneElse,
        };
        CaseRelation::new(assignment, created_by == Some(caller))
    }

    pub const fn is_assignee(self) -> bool {
        matches!(self.assignment, Assignment::ToCaller)
    }

    pub const fn is_unassigned(self) -> bool {
        matches!(self.assignment, Assignment::ToNobody)
    }
}

/// What a caller wants to do with an existing case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Read the case, its timeline, deadlines and dialogues.
    View,
    /// See the people with role `denouncer` on a denunciation instead of their alias (§9).
    SeeDenouncerIdentity,
    /// `PATCH /cases/{id}`: title, summary, field, locality, respondent, settable flags.
    EditDescription,
    AddNote,
    /// Set or change the assigned handler.
    Assign,
    /// A workflow action whose "Who" in DOMAIN.md §4 is "handler".
    ActAsHandler,
    /// A workflow action whose "Who" in DOMAIN.md §4 is "head".
    ActAsHead,
    /// Schedule, reschedule, record or cancel dialogues.
    ManageDialogues,
    /// Split a letter with several contents into one case per content.
    Split,
    /// `POST /cases/{id}/follow-ups`, checked against the parent case.
    CreateFollowUp,
}

impl Operation {
    pub const ALL: [Operation; 10] = [
        Operation::View,
        Operation::SeeDenouncerIdentity,
        Operation::EditDescription,
        Operation::AddNote,
        Operation::Assign,
        Operation::ActAsHandler,
        Operation::ActAsHead,
        Operation::ManageDialogues,
        Operation::Split,
        Operation::CreateFollowUp,
    ];
}

/// The answer to "may this caller do this to this case?".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Access {
    /// The caller may not know the case exists: answer 404.
    Hidden,
    /// The caller sees the case but may not do this: answer 403 (for identity: show the alias).
    Forbidden,
    Allowed,
}

/// Which cases a role sees (DOMAIN.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    EveryCase,
    AssignedToCallerOrUnassigned,
    CreatedByCaller,
}

impl Scope {
    pub const fn admits(self, relation: CaseRelation) -> bool {
        match self {
            Scope::EveryCase => true,
            Scope::AssignedToCallerOrUnassigned => !matches!(relation.assignment, Assignment::ToSomeoneElse),
            Scope::CreatedByCaller => relation.created_by_caller,
        }
    }
}

/// Heads and auditors see every case, admins too (read-only, through the absence of grants);
/// handlers their own cases and the unassigned queue; receptionists what they recorded.
pub const SCOPES: [(Role, Scope); 5] = [
    (Role::Receptionist, Scope::CreatedByCaller),
    (Role::Handler, Scope::AssignedToCallerOrUnassigned),
    (Role::Head, Scope::EveryCase),
    (Role::Auditor, Scope::EveryCase),
    (Role::Admin, Scope::EveryCase),
];

/// The scope of a role, from [`SCOPES`].
pub fn scope(role: Role) -> Scope {
    SCOPES.iter().find(|(r, _)| *r == role).map(|(_, scope)| *scope).unwrap_or(Scope::CreatedByCaller)
}

/// Which of the callers that see the case a grant covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    /// Anyone of the role who sees the case.
    AnyViewer,
    /// Only the assigned handler.
    Assignee,
    /// Only the user who created the case.
    Creator,
}

/// The statuses in which a grant holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WhileStatus {
    Any,
    /// Only while the case is `received` (a letter not yet classified).
    Received,
}

/// One permission: `role` may do `operation` when it is the `holder`, in the statuses `while_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Grant {
    pub role: Role,
    pub operation: Operation,
    pub holder: Holder,
    pub while_status: WhileStatus,
}

const fn grant(role: Role, operation: Operation, holder: Holder, while_status: WhileStatus) -> Grant {
    Grant { role, operation, holder, while_status }
}

use Holder::{AnyViewer, Assignee, Creator};
use Operation as Op;

/// Everything a role may do on a case it sees, beyond viewing it (DOMAIN.md §4, "Also, outside the
/// status graph", and §9). Auditors and admins have no grant: they only read.
#[rustfmt::skip]
pub const GRANTS: &[Grant] = &[
    // Receptionists correct what they recorded until the letter is classified, write notes, and
    // record a new letter as a follow-up round.
    grant(Role::Receptionist, Op::EditDescription,      Creator,   WhileStatus::Received),
    grant(Role::Receptionist, Op::AddNote,              AnyViewer, WhileStatus::Any),
    grant(Role::Receptionist, Op::CreateFollowUp,       AnyViewer, WhileStatus::Any),
    // A handler works the cases assigned to them; the queue is only seen and annotated until the
    // head assigns it. Denouncer identity goes to the assigned handler only (Luật Tố cáo Art 47).
    grant(Role::Handler,      Op::SeeDenouncerIdentity, Assignee,  WhileStatus::Any),
    grant(Role::Handler,      Op::EditDescription,      Assignee,  WhileStatus::Any),
    grant(Role::Handler,      Op::AddNote,              AnyViewer, WhileStatus::Any),
    grant(Role::Handler,      Op::ActAsHandler,         Assignee,  WhileStatus::Any),
    grant(Role::Handler,      Op::ManageDialogues,      Assignee,  WhileStatus::Any),
    grant(Role::Handler,      Op::Split,                Assignee,  WhileStatus::Received),
    grant(Role::Handler,      Op::CreateFollowUp,       Assignee,  WhileStatus::Any),
    // The head may always act in a handler's place and takes the decisions the law gives the
    // competent head.
    grant(Role::Head,         Op::SeeDenouncerIdentity, AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::EditDescription,      AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::AddNote,              AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::Assign,               AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::ActAsHandler,         AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::ActAsHead,            AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::ManageDialogues,      AnyViewer, WhileStatus::Any),
    grant(Role::Head,         Op::Split,                AnyViewer, WhileStatus::Received),
    grant(Role::Head,         Op::CreateFollowUp,       AnyViewer, WhileStatus::Any),
];

/// The roles that may create a case (`POST /cases`, `POST /visits` with a new case).
pub const CASE_CREATORS: [Role; 3] = [Role::Receptionist, Role::Handler, Role::Head];

pub fn may_create_case(role: Role) -> bool {
    CASE_CREATORS.contains(&role)
}

impl Grant {
    fn covers(&self, relation: CaseRelation, status: CaseStatus) -> bool {
        let holder = match self.holder {
            Holder::AnyViewer => true,
            Holder::Assignee => relation.is_assignee(),
            Holder::Creator => relation.created_by_caller,
        };
        let when = match self.while_status {
            WhileStatus::Any => true,
            WhileStatus::Received => status == CaseStatus::Received,
        };
        holder && when
    }
}

/// May a caller with `role` and `relation` do `operation` on a case now in `status`?
pub fn check(role: Role, operation: Operation, relation: CaseRelation, status: CaseStatus) -> Access {
    if !scope(role).admits(relation) {
        return Access::Hidden;
    }
    if operation == Operation::View {
        return Access::Allowed;
    }
    let granted = GRANTS.iter().any(|g| g.role == role && g.operation == operation && g.covers(relation, status));
    if granted { Access::Allowed } else { Access::Forbidden }
}

/// Whether a response to this caller may carry the identity of a denunciation's denouncers
/// (Luật Tố cáo Art 9, 47, 56); everyone else gets the alias.
pub fn may_see_denouncer_identity(role: Role, relation: CaseRelation) -> bool {
    // Identity does not depend on status; `received` is as good as any.
    check(role, Operation::SeeDenouncerIdentity, relation, CaseStatus::Received) == Access::Allowed
}

/// The set of cases a caller sees, in a form a list query can turn into SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Visibility {
    /// No restriction.
    All,
    /// `assignee_id = user OR assignee_id IS NULL`.
    AssignedToOrUnassigned(UserId),
    /// `created_by = user`.
    CreatedBy(UserId),
}

/// The visibility of every case for `user` with `role`, from [`SCOPES`].
pub fn visibility(role: Role, user: UserId) -> Visibility {
    match scope(role) {
        Scope::EveryCase => Visibility::All,
        Scope::AssignedToCallerOrUnassigned => Visibility::AssignedToOrUnassigned(user),
        Scope::CreatedByCaller => Visibility::CreatedBy(user),
    }
}

impl Visibility {
    /// Whether a case with this assignee and creator is in the set (the in-memory twin of the
    /// SQL filter).
    pub fn admits(self, assignee: Option<UserId>, created_by: Option<UserId>) -> bool {
        match self {
            Visibility::All => true,
            Visibility::AssignedToOrUnassigned(user) => assignee.is_none() || assignee == Some(user),
            Visibility::CreatedBy(user) => created_by == Some(user),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns, in order: assigned to caller & created by caller, assigned to caller, unassigned &
    /// created by caller, unassigned, assigned to someone else & created by caller, assigned to
    /// someone else. Cells: H hidden, F forbidden, A allowed, r allowed only while `received`.
    const COLUMNS: [CaseRelation; 6] = CaseRelation::ALL;

    /// Rows, in order: view, see denouncer identity, edit description, add note, assign, act as
    /// handler, act as head, manage dialogues, split, create follow-up.
    const EXPECTED: [(Role, [&str; 10]); 5] = [
        (
            Role::Receptionist,
            ["AHAHAH", "FHFHFH", "rHrHrH", "AHAHAH", "FHFHFH", "FHFHFH", "FHFHFH", "FHFHFH", "FHFHFH", "AHAHAH"],
        ),
        (
            Role::Handler,
            ["AAAAHH", "AAFFHH", "AAFFHH", "AAAAHH", "FFFFHH", "AAFFHH", "FFFFHH", "AAFFHH", "rrFFHH", "AAFFHH"],
        ),
        (
            Role::Head,
            ["AAAAAA", "AAAAAA", "AAAAAA", "AAAAAA", "AAAAAA", "AAAAAA", "AAAAAA", "AAAAAA", "rrrrrr", "AAAAAA"],
        ),
        (
            Role::Auditor,
            ["AAAAAA", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF"],
        ),
        (
            Role::Admin,
            ["AAAAAA", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF", "FFFFFF"],
        ),
    ];

    fn expected_cell(cell: char, status: CaseStatus) -> Access {
        match cell {
            'H' => Access::Hidden,
            'F' => Access::Forbidden,
            'A' => Access::Allowed,
            'r' if status == CaseStatus::Received => Access::Allowed,
            'r' => Access::Forbidden,
            other => panic!("bad cell {other}"),
        }
    }

    #[test]
    fn every_role_operation_relation_and_status_matches_the_written_table() {
        let mut checked = 0;
        assert_eq!(EXPECTED.len(), Role::ALL.len());
        for (role, rows) in EXPECTED {
            for (operation, row) in Operation::ALL.iter().zip(rows) {
                for (relation, cell) in COLUMNS.iter().zip(row.chars()) {
                    for &status in CaseStatus::ALL {
                        let expected = expected_cell(cell, status);
                        let actual = check(role, *operation, *relation, status);
                        assert_eq!(actual, expected, "{role} {operation:?} {relation:?} {status}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 5 * 10 * 6 * 11);
    }

    #[test]
    fn denouncer_identity_goes_to_the_assigned_handler_and_heads_only() {
        for &role in Role::ALL {
            for relation in CaseRelation::ALL {
                let expected = role == Role::Head || (role == Role::Handler && relation.is_assignee());
                assert_eq!(may_see_denouncer_identity(role, relation), expected, "{role} {relation:?}");
            }
        }
    }

    #[test]
    fn the_list_filter_admits_exactly_the_cases_check_lets_the_caller_view() {
        let me = 7;
        let other = 8;
        for &role in Role::ALL {
            let filter = visibility(role, me);
            for assignee in [None, Some(me), Some(other)] {
                for created_by in [None, Some(me), Some(other)] {
                    let relation = CaseRelation::of(me, assignee, created_by);
                    let viewable = check(role, Operation::View, relation, CaseStatus::Received) == Access::Allowed;
                    assert_eq!(filter.admits(assignee, created_by), viewable, "{role} {assignee:?} {created_by:?}");
                }
            }
        }
    }

    #[test]
    fn visibility_per_role() {
        assert_eq!(visibility(Role::Head, 3), Visibility::All);
        assert_eq!(visibility(Role::Auditor, 3), Visibility::All);
        assert_eq!(visibility(Role::Admin, 3), Visibility::All);
        assert_eq!(visibility(Role::Handler, 3), Visibility::AssignedToOrUnassigned(3));
        assert_eq!(visibility(Role::Receptionist, 3), Visibility::CreatedBy(3));
    }

    #[test]
    fn relation_is_derived_from_assignee_and_creator() {
        assert_eq!(CaseRelation::of(1, Some(1), Some(2)), CaseRelation::new(Assignment::ToCaller, false));
        assert_eq!(CaseRelation::of(1, None, Some(1)), CaseRelation::new(Assignment::ToNobody, true));
        assert_eq!(CaseRelation::of(1, Some(2), None), CaseRelation::new(Assignment::ToSomeoneElse, false));
        assert!(CaseRelation::of(1, None, None).is_unassigned());
        assert!(CaseRelation::of(1, Some(1), None).is_assignee());
    }

    #[test]
    fn receptionists_handlers_and_heads_create_cases() {
        let creators: Vec<Role> = Role::ALL.iter().copied().filter(|r| may_create_case(*r)).collect();
        assert_eq!(creators, [Role::Receptionist, Role::Handler, Role::Head]);
    }

    #[test]
    fn every_role_has_a_scope() {
        for &role in Role::ALL {
            assert!(SCOPES.iter().any(|(r, _)| *r == role), "{role}");
        }
    }
}
