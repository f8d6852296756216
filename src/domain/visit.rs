//! A visit (lượt tiếp): one row of the reception register, Form 03 of Thông tư 04/2021/TT-TTCP
//! (DOMAIN.md §2, LAW.md §3.2–3.4). What a visit request must hold, what each outcome needs,
//! the register year, and who may keep and read the register.

use chrono::{DateTime, Datelike, Utc};

use super::case::{self, CaseInput, FlagChanges, PersonInput};
use super::validation::{FieldError, ValidationErrors, optional_text, required_text};
use super::vocab::{CaseKind, CaseSource, Field, PersonRole, Role, VisitMode, VisitOutcome};

pub const SUMMARY_MAX: usize = 20_000;
pub const HANDLED_BEFORE_MAX: usize = 500;
pub const TARGET_BODY_MAX: usize = case::BODY_NAME_MAX;
pub const DOCUMENT_NO_MAX: usize = 100;

/// The roles that keep the register: the desk, and the handlers and heads who receive citizens.
pub const RECORDERS: &[Role] = &[Role::Receptionist, Role::Handler, Role::Head];

pub fn may_record(role: Role) -> bool {
    RECORDERS.contains(&role)
}

/// Every role reads the register (auditors inspect it, admins support it); the identity of a
/// denouncer in it stays hidden from those who may not know it (see `may_see_identity`).
pub fn may_read(role: Role) -> bool {
    Role::ALL.contains(&role)
}

/// A group of this many people or more is a delegation (đoàn đông người; LAW.md §3.3: the
/// representation threshold, the same setting as the `mass` flag of a case).
pub fn is_delegation(group_size: i32) -> bool {
    case::is_mass(group_size)
}

/// The register is numbered per calendar year in Vietnam time.
pub fn register_year(received_at: DateTime<Utc>) -> i32 {
    crate::time::vietnam_date(received_at).year()
}

/// The counter scope of a year's register numbers.
pub fn register_scope(year: i32) -> String {
    format!("visit:{year}")
}

/// The grounds on which reception may be refused (Luật Tiếp công dân Art 9).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalGround {
    /// 1: intoxicated, mentally ill or otherwise unable to perceive or control their acts.
    LackingCapacity,
    /// 2: threats or insults to the officers, or breaking the reception rules.
    ThreatsOrDisorder,
    /// 3: a matter already finally resolved, deliberately prolonged.
    DeliberatelyProlonged,
    /// 4: other cases provided by law.
    Other,
}

impl RefusalGround {
    pub const ALL: [RefusalGround; 4] = [
        RefusalGround::LackingCapacity,
        RefusalGround::ThreatsOrDisorder,
        RefusalGround::DeliberatelyProlonged,
        RefusalGround::Other,
    ];

    /// The clause number of Art 9, as the register and the API write it.
    pub const fn number(self) -> i32 {
        match self {
            RefusalGround::LackingCapacity => 1,
            RefusalGround::ThreatsOrDisorder => 2,
            RefusalGround::DeliberatelyProlonged => 3,
            RefusalGround::Other => 4,
        }
    }

    pub fn from_number(number: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.number() == number)
    }

    pub const fn label_vi(self) -> &'static str {
        match self {
            RefusalGround::LackingCapacity => {
                "Người say do dùng chất kích thích, người mắc bệnh tâm thần hoặc mất khả năng nhận thức"
            }
            RefusalGround::ThreatsOrDisorder => "Có hành vi đe dọa, xúc phạm hoặc vi phạm nội quy nơi tiếp công dân",
            RefusalGround::DeliberatelyProlonged => {
                "Vụ việc đã giải quyết đúng pháp luật nhưng cố tình khiếu nại, tố cáo kéo dài"
            }
            RefusalGround::Other => "Trường hợp khác theo quy định của pháp luật",
        }
    }
}

/// The case a visit opens, as submitted: a case body without `source` and `received_at` (the
/// visit's), nor `group_size` (the visit's) and `forwarded_by` (a walk-in is not forwarded).
#[derive(Debug, Clone, PartialEq)]
pub struct NewCaseInput {
    pub kind: CaseKind,
    pub round: Option<i32>,
    pub parent_id: Option<i64>,
    pub field: Field,
    pub locality: Option<String>,
    pub title: String,
    pub summary: String,
    /// Absent: the visit's citizen in the kind's principal role and each representative.
    pub people: Option<Vec<PersonInput>>,
    pub respondent: String,
    /// Absent: the visit's.
    pub group_size: Option<i32>,
    pub forwarded_by: Option<String>,
    pub flags: FlagChanges,
}

/// A visit as submitted, before checking.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitInput {
    pub received_at: DateTime<Utc>,
    pub mode: VisitMode,
    pub citizen_id: i64,
    pub group_size: Option<i32>,
    pub representative_ids: Vec<i64>,
    pub summary: String,
    pub handled_before_by: Option<String>,
    /// The kind of each content; absent or empty: the kind of the case it opens or adds to.
    pub content_kinds: Option<Vec<CaseKind>>,
    pub outcome: VisitOutcome,
    pub case_ids: Vec<i64>,
    pub new_case: Option<NewCaseInput>,
    pub document_no: Option<String>,
    pub target_body: Option<String>,
    pub refusal_ground: Option<i32>,
}

/// What came of the visit, with exactly the data its outcome needs (Form 03 columns 8–10).
#[derive(Debug, Clone, PartialEq)]
pub enum Disposal {
    /// Within competence: a case is opened (column 8).
    CaseOpened(CaseInput),
    /// About cases already on file: each gets an intake (a repeat visit).
    LinkedExisting(Vec<i64>),
    /// The citizen is guided to the competent body (column 9).
    Guided { target_body: String, document_no: String },
    /// The matter is transferred to the competent body (column 10).
    Transferred { target_body: String, document_no: String },
    /// Reception refused; `document_no` is the head's written refusal notice (TT04 Art 4).
    Refused { ground: RefusalGround, document_no: Option<String> },
}

impl Disposal {
    pub fn outcome(&self) -> VisitOutcome {
        match self {
            Disposal::CaseOpened(_) => VisitOutcome::CaseOpened,
            Disposal::LinkedExisting(_) => VisitOutcome::LinkedExisting,
            Disposal::Guided { .. } => VisitOutcome::Guided,
            Disposal::Transferred { .. } => VisitOutcome::Transferred,
            Disposal::Refused { .. } => VisitOutcome::Refused,
        }
    }

    pub fn target_body(&self) -> Option<&str> {
        match self {
            Disposal::Guided { target_body, .. } | Disposal::Transferred { target_body, .. } => Some(target_body),
            _ => None,
        }
    }

    pub fn document_no(&self) -> Option<&str> {
        match self {
            Disposal::Guided { document_no, .. } | Disposal::Transferred { document_no, .. } => Some(document_no),
            Disposal::Refused { document_no, .. } => document_no.as_deref(),
            _ => None,
        }
    }

    pub fn refusal_ground(&self) -> Option<RefusalGround> {
        match self {
            Disposal::Refused { ground, .. } => Some(*ground),
            _ => None,
        }
    }
}

/// A visit that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq)]
pub struct VisitDraft {
    pub received_at: DateTime<Utc>,
    /// The register year: the year of the Vietnam local date of `received_at`.
    pub year: i32,
    pub mode: VisitMode,
    pub citizen_id: i64,
    pub group_size: i32,
    pub representative_ids: Vec<i64>,
    pub summary: String,
    pub handled_before_by: Option<String>,
    /// `None`: not given and not implied by a new case (a linked visit takes its cases' kinds).
    pub content_kinds: Option<Vec<CaseKind>>,
    pub disposal: Disposal,
}

impl VisitDraft {
    pub fn is_delegation(&self) -> bool {
        is_delegation(self.group_size)
    }

    /// Checks a visit, collecting every problem; `now` bounds the reception time.
    pub fn parse(input: VisitInput, now: DateTime<Utc>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        case::check_received_at(&mut errors, input.received_at, now);
        let group_size = input.group_size.unwrap_or(1);
        if !(1..=case::GROUP_SIZE_MAX).contains(&group_size) {
            errors.add("group_size", format!("must be from 1 to {}", case::GROUP_SIZE_MAX));
        }
        check_representatives(&input, group_size, &mut errors);
        let summary = errors.check(required_text("summary", &input.summary, SUMMARY_MAX));
        let handled_before_by =
            optional(&mut errors, "handled_before_by", input.handled_before_by.as_deref(), HANDLED_BEFORE_MAX);
        let content_kinds = input.content_kinds.clone().filter(|kinds| !kinds.is_empty());
        if let Some(kinds) = &content_kinds {
            for (i, kind) in kinds.iter().enumerate() {
                if kinds[..i].contains(kind) {
                    errors.add(format!("content_kinds[{i}]"), "repeats a kind already listed");
                }
            }
        }
        let disposal = disposal(&input, group_size, now, &mut errors);
        let content_kinds = match (&disposal, content_kinds) {
            (Some(Disposal::CaseOpened(case)), None) => Some(vec![case.kind]),
            (Some(Disposal::CaseOpened(case)), Some(kinds)) => {
                if !kinds.contains(&case.kind) {
                    errors.add("content_kinds", format!("must include `{}`, the kind of the new case", case.kind));
                }
                Some(kinds)
            }
            (_, kinds) => kinds,
        };
        match (summary, disposal) {
            (Some(summary), Some(disposal)) if errors.is_empty() => Ok(VisitDraft {
                received_at: input.received_at,
                year: register_year(input.received_at),
                mode: input.mode,
                citizen_id: input.citizen_id,
                group_size,
                representative_ids: input.representative_ids,
                summary,
                handled_before_by,
                content_kinds,
                disposal,
            }),
            _ => Err(errors),
        }
    }
}

fn optional(errors: &mut ValidationErrors, field: &str, value: Option<&str>, max: usize) -> Option<String> {
    value.and_then(|v| errors.check(optional_text(field, v, max)).flatten())
}

/// The most cases one visit links to: far more than a visit brings, and a bound on the work one
/// request asks for. (Representatives are bounded with the citizen by `case::MAX_PEOPLE`; the
/// law lets a group name at most five.)
pub const LISTED_MAX: usize = 100;

/// Representatives speak for a group (Luật Tiếp công dân Art 7): people of the group, each named
/// once. The citizen recorded is usually one of them, and may be listed among them.
fn check_representatives(input: &VisitInput, group_size: i32, errors: &mut ValidationErrors) {
    let ids = &input.representative_ids;
    if ids.is_empty() {
        return;
    }
    if group_size <= 1 {
        errors.add("representative_ids", "only a group (group_size above 1) has representatives");
        return;
    }
    // With the citizen they make the people of a case the visit opens, which holds at most
    // `case::MAX_PEOPLE`.
    if ids.iter().filter(|&&id| id != input.citizen_id).count() >= case::MAX_PEOPLE {
        let most = case::MAX_PEOPLE;
        errors.add("representative_ids", format!("must name at most {most} people with the citizen"));
        return;
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        if !seen.insert(id) {
            errors.add(format!("representative_ids[{i}]"), "names the same citizen twice");
        }
    }
    let others = ids.iter().filter(|&&id| id != input.citizen_id).count();
    if i64::try_from(others).unwrap_or(i64::MAX) >= i64::from(group_size) {
        errors.add("representative_ids", "names more people than the group has, with the citizen");
    }
}

/// The outcome's own data, refusing what belongs to another outcome so that nothing
/// contradictory is stored.
fn disposal(
    input: &VisitInput,
    group_size: i32,
    now: DateTime<Utc>,
    errors: &mut ValidationErrors,
) -> Option<Disposal> {
    let outcome = input.outcome;
    let foreign = |errors: &mut ValidationErrors, field: &str, present: bool| {
        if present {
            errors.add(field, format!("does not belong to the outcome `{outcome}`"));
        }
    };
    let target_body = optional(errors, "target_body", input.target_body.as_deref(), TARGET_BODY_MAX);
    let document_no = optional(errors, "document_no", input.document_no.as_deref(), DOCUMENT_NO_MAX);
    let uses = |o: &[VisitOutcome]| o.contains(&outcome);
    foreign(errors, "new_case", input.new_case.is_some() && !uses(&[VisitOutcome::CaseOpened]));
    foreign(errors, "case_ids", !input.case_ids.is_empty() && !uses(&[VisitOutcome::LinkedExisting]));
    foreign(errors, "target_body", target_body.is_some() && !uses(&[VisitOutcome::Guided, VisitOutcome::Transferred]));
    foreign(
        errors,
        "document_no",
        document_no.is_some() && !uses(&[VisitOutcome::Guided, VisitOutcome::Transferred, VisitOutcome::Refused]),
    );
    foreign(errors, "refusal_ground", input.refusal_ground.is_some() && !uses(&[VisitOutcome::Refused]));

    match outcome {
        VisitOutcome::CaseOpened => {
            let Some(new_case) = &input.new_case else {
                errors.add("new_case", "is required when the outcome is `case_opened`");
                return None;
            };
            let case = case_input(input, new_case, group_size);
            if let Err(case_errors) = case::CaseDraft::parse(case.clone(), now) {
                errors.0.extend(
                    case_errors
                        .0
                        .into_iter()
                        // The visit's own time and group size are checked (and named) above.
                        .filter(|e| e.field != "received_at" && e.field != "group_size")
                        .map(new_case_error),
                );
            }
            Some(Disposal::CaseOpened(case))
        }
        VisitOutcome::LinkedExisting => {
            if input.case_ids.is_empty() {
                errors.add("case_ids", "must name at least one case when the outcome is `linked_existing`");
                return None;
            }
            if input.case_ids.len() > LISTED_MAX {
                errors.add("case_ids", format!("must name at most {LISTED_MAX} cases"));
                return None;
            }
            let mut seen = std::collections::HashSet::with_capacity(input.case_ids.len());
            for (i, id) in input.case_ids.iter().enumerate() {
                if !seen.insert(id) {
                    errors.add(format!("case_ids[{i}]"), "names the same case twice");
                }
            }
            Some(Disposal::LinkedExisting(input.case_ids.clone()))
        }
        VisitOutcome::Guided | VisitOutcome::Transferred => {
            if target_body.is_none() && input.target_body.as_deref().is_none_or(|t| t.trim().is_empty()) {
                errors.add("target_body", format!("is required when the outcome is `{outcome}`"));
            }
            if document_no.is_none() && input.document_no.as_deref().is_none_or(|t| t.trim().is_empty()) {
                errors.add("document_no", format!("is required when the outcome is `{outcome}`"));
            }
            let (target_body, document_no) = (target_body?, document_no?);
            Some(if outcome == VisitOutcome::Guided {
                Disposal::Guided { target_body, document_no }
            } else {
                Disposal::Transferred { target_body, document_no }
            })
        }
        VisitOutcome::Refused => {
            let Some(number) = input.refusal_ground else {
                errors.add("refusal_ground", "is required when the outcome is `refused`");
                return None;
            };
            let Some(ground) = RefusalGround::from_number(number) else {
                errors.add("refusal_ground", "must be 1, 2, 3 or 4 (Luật Tiếp công dân Art 9)");
                return None;
            };
            Some(Disposal::Refused { ground, document_no })
        }
    }
}

/// The case body a visit opens: walk-in, received when the visit was, for the visit's group
/// unless it gives its own size.
fn case_input(visit: &VisitInput, new_case: &NewCaseInput, group_size: i32) -> CaseInput {
    let people = new_case.people.clone().unwrap_or_else(|| default_people(new_case.kind, visit));
    CaseInput {
        kind: new_case.kind,
        round: new_case.round,
        parent_id: new_case.parent_id,
        field: new_case.field,
        locality: new_case.locality.clone(),
        title: new_case.title.clone(),
        summary: new_case.summary.clone(),
        source: CaseSource::WalkIn,
        forwarded_by: new_case.forwarded_by.clone(),
        received_at: visit.received_at,
        people,
        respondent: new_case.respondent.clone(),
        group_size: Some(new_case.group_size.unwrap_or(group_size)),
        flags: new_case.flags,
    }
}

/// The visit's citizen in the kind's principal role, then each other representative.
pub fn default_people(kind: CaseKind, visit: &VisitInput) -> Vec<PersonInput> {
    std::iter::once(PersonInput { citizen_id: visit.citizen_id, role: case::principal_role(kind) })
        .chain(
            visit
                .representative_ids
                .iter()
                .filter(|&&citizen_id| citizen_id != visit.citizen_id)
                .map(|&citizen_id| PersonInput { citizen_id, role: PersonRole::Representative }),
        )
        .collect()
}

/// A problem of the case a visit opens, named by its path in the visit request.
pub fn new_case_error(error: FieldError) -> FieldError {
    FieldError::new(format!("new_case.{}", error.field), error.message)
}

/// The register's column of content kinds: wire names joined by commas.
pub fn content_kinds_text(kinds: &[CaseKind]) -> String {
    kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",")
}

/// Reads the column written by `content_kinds_text`.
pub fn parse_content_kinds(text: &str) -> Result<Vec<CaseKind>, String> {
    text.split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().map_err(|_| format!("unknown case kind `{s}`")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0).unwrap()
    }

    fn new_case(kind: CaseKind) -> NewCaseInput {
        NewCaseInput {
            kind,
            round: None,
            parent_id: None,
            field: Field::LandHousing,
            locality: None,
            title: "Khiếu nại quyết định thu hồi đất".into(),
            summary: "Đoàn 6 người khiếu nại việc bồi thường".into(),
            people: None,
            respondent: "UBND xã Tịnh Khê".into(),
            group_size: None,
            forwarded_by: None,
            flags: FlagChanges::default(),
        }
    }

    fn input(outcome: VisitOutcome) -> VisitInput {
        VisitInput {
            received_at: now(),
            mode: VisitMode::Regular,
            citizen_id: 1,
            group_size: None,
            representative_ids: vec![],
            summary: " Trình bày việc bồi thường đất ".into(),
            handled_before_by: None,
            content_kinds: None,
            outcome,
            case_ids: vec![],
            new_case: None,
            document_no: None,
            target_body: None,
            refusal_ground: None,
        }
    }

    fn guided() -> VisitInput {
        VisitInput {
            target_body: Some("UBND huyện Sơn Tịnh".into()),
            document_no: Some("12/HD-BTCD".into()),
            ..input(VisitOutcome::Guided)
        }
    }

    fn fields(input: VisitInput) -> Vec<String> {
        VisitDraft::parse(input, now()).unwrap_err().0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_guided_visit_is_trimmed_and_defaulted() {
        let draft = VisitDraft::parse(guided(), now()).unwrap();
        assert_eq!(draft.group_size, 1);
        assert!(!draft.is_delegation());
        assert_eq!(draft.summary, "Trình bày việc bồi thường đất");
        assert_eq!(draft.year, 2026);
        assert_eq!(draft.content_kinds, None);
        assert_eq!(
            draft.disposal,
            Disposal::Guided { target_body: "UBND huyện Sơn Tịnh".into(), document_no: "12/HD-BTCD".into() }
        );
        assert_eq!(draft.disposal.outcome(), VisitOutcome::Guided);
        assert_eq!(draft.disposal.document_no(), Some("12/HD-BTCD"));
    }

    #[test]
    fn the_register_year_is_the_vietnam_year() {
        let new_year_eve_utc = Utc.with_ymd_and_hms(2025, 12, 31, 17, 30, 0).unwrap();
        assert_eq!(register_year(new_year_eve_utc), 2026);
        assert_eq!(register_year(Utc.with_ymd_and_hms(2025, 12, 31, 16, 59, 59).unwrap()), 2025);
        let draft = VisitDraft::parse(VisitInput { received_at: new_year_eve_utc, ..guided() }, now()).unwrap();
        assert_eq!(draft.year, 2026);
        assert_eq!(register_scope(2026), "visit:2026");
    }

    #[test]
    fn received_at_may_not_lie_in_the_future_beyond_ten_minutes() {
        let ok = VisitInput { received_at: now() + Duration::minutes(10), ..guided() };
        assert!(VisitDraft::parse(ok, now()).is_ok());
        let late = VisitInput { received_at: now() + Duration::minutes(11), ..guided() };
        assert_eq!(fields(late), ["received_at"]);
    }

    #[test]
    fn summary_is_required_and_bounded_and_handled_before_by_is_bounded() {
        assert_eq!(fields(VisitInput { summary: "  ".into(), ..guided() }), ["summary"]);
        assert_eq!(fields(VisitInput { summary: "x".repeat(SUMMARY_MAX + 1), ..guided() }), ["summary"]);
        let long = VisitInput { handled_before_by: Some("x".repeat(HANDLED_BEFORE_MAX + 1)), ..guided() };
        assert_eq!(fields(long), ["handled_before_by"]);
        let blank = VisitInput { handled_before_by: Some(" ".into()), ..guided() };
        assert_eq!(VisitDraft::parse(blank, now()).unwrap().handled_before_by, None);
    }

    #[test]
    fn group_size_is_at_least_one_and_five_make_a_delegation() {
        assert_eq!(fields(VisitInput { group_size: Some(0), ..guided() }), ["group_size"]);
        assert_eq!(fields(VisitInput { group_size: Some(case::GROUP_SIZE_MAX + 1), ..guided() }), ["group_size"]);
        assert!(!is_delegation(4));
        assert!(is_delegation(5));
        assert!(VisitDraft::parse(VisitInput { group_size: Some(6), ..guided() }, now()).unwrap().is_delegation());
    }

    #[test]
    fn representatives_belong_to_a_group_and_are_named_once() {
        let alone = VisitInput { representative_ids: vec![2], ..guided() };
        assert_eq!(fields(alone), ["representative_ids"]);
        let twice = VisitInput { group_size: Some(6), representative_ids: vec![2, 3, 2], ..guided() };
        assert_eq!(fields(twice), ["representative_ids[2]"]);
        let too_many = VisitInput { group_size: Some(2), representative_ids: vec![2, 3], ..guided() };
        assert_eq!(fields(too_many), ["representative_ids"]);
        let good = VisitInput { group_size: Some(3), representative_ids: vec![2, 3], ..guided() };
        assert_eq!(VisitDraft::parse(good, now()).unwrap().representative_ids, [2, 3]);
        // The citizen recorded (1) speaking for the group is one of its representatives.
        let with_citizen = VisitInput { group_size: Some(3), representative_ids: vec![1, 2, 3], ..guided() };
        assert_eq!(VisitDraft::parse(with_citizen, now()).unwrap().representative_ids, [1, 2, 3]);
        let citizen_twice = VisitInput { group_size: Some(6), representative_ids: vec![1, 2, 1], ..guided() };
        assert_eq!(fields(citizen_twice), ["representative_ids[2]"]);
        let too_many_with_citizen = VisitInput { group_size: Some(2), representative_ids: vec![1, 2, 3], ..guided() };
        assert_eq!(fields(too_many_with_citizen), ["representative_ids"]);
        // With the citizen, at most the people a case holds.
        let ids = |n: i64| (2..n + 2).collect::<Vec<i64>>();
        let most = case::MAX_PEOPLE as i64 - 1;
        let fits = VisitInput { group_size: Some(500), representative_ids: ids(most), ..guided() };
        assert_eq!(
            default_people(CaseKind::Complaint, &fits).len(),
            case::MAX_PEOPLE,
            "a case it opens holds them all"
        );
        assert!(VisitDraft::parse(fits, now()).is_ok());
        let with_citizen =
            VisitInput { group_size: Some(500), representative_ids: [vec![1], ids(most)].concat(), ..guided() };
        assert!(VisitDraft::parse(with_citizen, now()).is_ok());
        let listed = VisitInput { group_size: Some(500), representative_ids: ids(most + 1), ..guided() };
        assert_eq!(fields(listed), ["representative_ids"]);
    }

    #[test]
    fn content_kinds_are_listed_once_each() {
        let kinds = VisitInput { content_kinds: Some(vec![CaseKind::Complaint, CaseKind::Feedback]), ..guided() };
        assert_eq!(
            VisitDraft::parse(kinds, now()).unwrap().content_kinds,
            Some(vec![CaseKind::Complaint, CaseKind::Feedback])
        );
        let twice = VisitInput { content_kinds: Some(vec![CaseKind::Complaint, CaseKind::Complaint]), ..guided() };
        assert_eq!(fields(twice), ["content_kinds[1]"]);
        let empty = VisitInput { content_kinds: Some(vec![]), ..guided() };
        assert_eq!(VisitDraft::parse(empty, now()).unwrap().content_kinds, None);
    }

    #[test]
    fn case_opened_builds_a_walk_in_case_with_the_group_as_its_people() {
        let visit = VisitInput {
            group_size: Some(6),
            representative_ids: vec![2, 3],
            new_case: Some(new_case(CaseKind::Complaint)),
            ..input(VisitOutcome::CaseOpened)
        };
        let draft = VisitDraft::parse(visit, now()).unwrap();
        assert_eq!(draft.content_kinds, Some(vec![CaseKind::Complaint]));
        let Disposal::CaseOpened(case) = draft.disposal else { panic!("a case is opened") };
        assert_eq!(case.source, CaseSource::WalkIn);
        assert_eq!(case.received_at, now());
        assert_eq!(case.group_size, Some(6));
        assert_eq!(
            case.people,
            [
                PersonInput { citizen_id: 1, role: PersonRole::Complainant },
                PersonInput { citizen_id: 2, role: PersonRole::Representative },
                PersonInput { citizen_id: 3, role: PersonRole::Representative },
            ]
        );

        // Listed among the representatives, the citizen is still the complainant, once.
        let visit = VisitInput {
            group_size: Some(6),
            representative_ids: vec![3, 1],
            new_case: Some(new_case(CaseKind::Complaint)),
            ..input(VisitOutcome::CaseOpened)
        };
        let Disposal::CaseOpened(case) = VisitDraft::parse(visit, now()).unwrap().disposal else { panic!() };
        assert_eq!(
            case.people,
            [
                PersonInput { citizen_id: 1, role: PersonRole::Complainant },
                PersonInput { citizen_id: 3, role: PersonRole::Representative },
            ]
        );
    }

    #[test]
    fn a_denunciation_puts_the_citizen_in_as_denouncer_and_given_people_win() {
        let mut case = new_case(CaseKind::Denunciation);
        case.field = Field::Corruption;
        let visit = VisitInput { new_case: Some(case.clone()), ..input(VisitOutcome::CaseOpened) };
        let Disposal::CaseOpened(opened) = VisitDraft::parse(visit, now()).unwrap().disposal else { panic!() };
        assert_eq!(opened.people, [PersonInput { citizen_id: 1, role: PersonRole::Denouncer }]);

        case.people = Some(vec![PersonInput { citizen_id: 9, role: PersonRole::Denouncer }]);
        let visit = VisitInput { new_case: Some(case), ..input(VisitOutcome::CaseOpened) };
        let Disposal::CaseOpened(opened) = VisitDraft::parse(visit, now()).unwrap().disposal else { panic!() };
        assert_eq!(opened.people, [PersonInput { citizen_id: 9, role: PersonRole::Denouncer }]);
    }

    #[test]
    fn case_opened_needs_a_valid_new_case_and_names_its_fields_inside_it() {
        assert_eq!(fields(input(VisitOutcome::CaseOpened)), ["new_case"]);
        let mut case = new_case(CaseKind::Complaint);
        case.title = " ".into();
        case.people = Some(vec![PersonInput { citizen_id: 1, role: PersonRole::Denouncer }]);
        let visit = VisitInput { new_case: Some(case), ..input(VisitOutcome::CaseOpened) };
        assert_eq!(fields(visit), ["new_case.title", "new_case.people[0].role", "new_case.people"]);
        // The visit's own checks are not repeated under `new_case`.
        let future = VisitInput {
            received_at: now() + Duration::hours(1),
            group_size: Some(0),
            new_case: Some(new_case(CaseKind::Complaint)),
            ..input(VisitOutcome::CaseOpened)
        };
        assert_eq!(fields(future), ["received_at", "group_size"]);
    }

    #[test]
    fn case_opened_refuses_case_ids_and_content_kinds_without_its_kind() {
        let visit = VisitInput {
            case_ids: vec![4],
            content_kinds: Some(vec![CaseKind::Petition]),
            new_case: Some(new_case(CaseKind::Complaint)),
            ..input(VisitOutcome::CaseOpened)
        };
        assert_eq!(fields(visit), ["case_ids", "content_kinds"]);
    }

    #[test]
    fn linked_existing_needs_distinct_case_ids() {
        assert_eq!(fields(input(VisitOutcome::LinkedExisting)), ["case_ids"]);
        let twice = VisitInput { case_ids: vec![4, 5, 4], ..input(VisitOutcome::LinkedExisting) };
        assert_eq!(fields(twice), ["case_ids[2]"]);
        let good = VisitInput { case_ids: vec![4, 5], ..input(VisitOutcome::LinkedExisting) };
        assert_eq!(VisitDraft::parse(good, now()).unwrap().disposal, Disposal::LinkedExisting(vec![4, 5]));
        let ids = |n: i64| (1..=n).collect::<Vec<i64>>();
        let most = VisitInput { case_ids: ids(LISTED_MAX as i64), ..input(VisitOutcome::LinkedExisting) };
        assert!(VisitDraft::parse(most, now()).is_ok());
        let too_many = VisitInput { case_ids: ids(LISTED_MAX as i64 + 1), ..input(VisitOutcome::LinkedExisting) };
        assert_eq!(fields(too_many), ["case_ids"]);
        let with_case = VisitInput {
            case_ids: vec![4],
            new_case: Some(new_case(CaseKind::Complaint)),
            ..input(VisitOutcome::LinkedExisting)
        };
        assert_eq!(fields(with_case), ["new_case"]);
    }

    #[test]
    fn guided_and_transferred_need_a_body_and_a_document() {
        for outcome in [VisitOutcome::Guided, VisitOutcome::Transferred] {
            assert_eq!(fields(input(outcome)), ["target_body", "document_no"], "{outcome}");
            let blank =
                VisitInput { target_body: Some(" ".into()), document_no: Some("1/HD".into()), ..input(outcome) };
            assert_eq!(fields(blank), ["target_body"]);
        }
        let transferred = VisitInput { outcome: VisitOutcome::Transferred, ..guided() };
        let draft = VisitDraft::parse(transferred, now()).unwrap();
        assert_eq!(draft.disposal.outcome(), VisitOutcome::Transferred);
        assert_eq!(draft.disposal.target_body(), Some("UBND huyện Sơn Tịnh"));
        let long = VisitInput { document_no: Some("x".repeat(DOCUMENT_NO_MAX + 1)), ..guided() };
        assert_eq!(fields(long), ["document_no"]);
    }

    #[test]
    fn refused_needs_a_ground_of_article_9() {
        assert_eq!(fields(input(VisitOutcome::Refused)), ["refusal_ground"]);
        for bad in [0, 5, -1] {
            let visit = VisitInput { refusal_ground: Some(bad), ..input(VisitOutcome::Refused) };
            assert_eq!(fields(visit), ["refusal_ground"], "{bad}");
        }
        for ground in RefusalGround::ALL {
            assert_eq!(RefusalGround::from_number(ground.number()), Some(ground));
            assert!(!ground.label_vi().is_empty());
        }
        let notice = VisitInput {
            refusal_ground: Some(3),
            document_no: Some("05/TB-BTCD".into()),
            ..input(VisitOutcome::Refused)
        };
        let draft = VisitDraft::parse(notice, now()).unwrap();
        assert_eq!(draft.disposal.refusal_ground(), Some(RefusalGround::DeliberatelyProlonged));
        assert_eq!(draft.disposal.document_no(), Some("05/TB-BTCD"));
    }

    #[test]
    fn fields_of_another_outcome_are_refused() {
        let guided_with_ground = VisitInput { refusal_ground: Some(1), case_ids: vec![3], ..guided() };
        assert_eq!(fields(guided_with_ground), ["case_ids", "refusal_ground"]);
        let refused_with_body = VisitInput {
            refusal_ground: Some(2),
            target_body: Some("UBND huyện".into()),
            new_case: Some(new_case(CaseKind::Petition)),
            ..input(VisitOutcome::Refused)
        };
        assert_eq!(fields(refused_with_body), ["new_case", "target_body"]);
        let linked_with_document =
            VisitInput { case_ids: vec![3], document_no: Some("1/HD".into()), ..input(VisitOutcome::LinkedExisting) };
        assert_eq!(fields(linked_with_document), ["document_no"]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let bad = VisitInput {
            received_at: now() + Duration::days(1),
            group_size: Some(1),
            representative_ids: vec![2],
            summary: String::new(),
            refusal_ground: Some(9),
            ..guided()
        };
        assert_eq!(fields(bad), ["received_at", "representative_ids", "summary", "refusal_ground"]);
    }

    #[test]
    fn content_kinds_round_trip_through_their_column() {
        let kinds = [CaseKind::Complaint, CaseKind::Denunciation];
        assert_eq!(content_kinds_text(&kinds), "complaint,denunciation");
        assert_eq!(parse_content_kinds("complaint,denunciation").unwrap(), kinds);
        assert_eq!(parse_content_kinds("").unwrap(), []);
        assert!(parse_content_kinds("complaint,gossip").is_err());
    }

    #[test]
    fn the_desk_handlers_and_heads_keep_the_register_and_everyone_reads_it() {
        assert!(may_record(Role::Receptionist) && may_record(Role::Handler) && may_record(Role::Head));
        assert!(!may_record(Role::Auditor) && !may_record(Role::Admin));
        assert!(Role::ALL.iter().all(|r| may_read(*r)));
    }
}
