//! A case's own rules: what a new case must hold, its human code, the computed flags and the
//! alias that stands in for a denouncer (DOMAIN.md §2, §3, §9, §10).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::validation::{FieldError, ValidationErrors, optional_text, required_text};
use super::vocab::{CaseKind, CaseSource, CaseStatus, Field, PersonRole};

pub const TITLE_MAX: usize = 300;
pub const SUMMARY_MAX: usize = 20_000;
pub const RESPONDENT_MAX: usize = 500;
pub const LOCALITY_MAX: usize = 200;
pub const BODY_NAME_MAX: usize = 300;
pub const GROUP_SIZE_MAX: i32 = 100_000;
/// A group of this many people or more is a mass case (đông người; a setting in DOMAIN.md §10).
pub const MASS_GROUP_SIZE: i32 = 5;
/// Open longer than this, a case is prolonged (kéo dài; a setting in DOMAIN.md §10).
pub const PROLONGED_AFTER_DAYS: i64 = 365;
/// How far in the future a receipt time may lie (clock skew between desk and server).
const RECEIVED_AT_TOLERANCE: Duration = Duration::minutes(10);
/// The earliest receipt the register takes. Older letters belong to paper registers and laws
/// this system does not count by; the bound also keeps every clock's span within what the
/// deadline arithmetic counts (`calendar::MAX_DAYS`).
pub const EARLIEST_RECEIPT: NaiveDate = NaiveDate::from_ymd_opt(2000, 1, 1).expect("a valid date");

/// Checks the time a letter or visit was received: not in the future (beyond a few minutes of
/// clock skew) and not before [`EARLIEST_RECEIPT`].
pub fn check_received_at(errors: &mut ValidationErrors, received_at: DateTime<Utc>, now: DateTime<Utc>) {
    if received_at > now + RECEIVED_AT_TOLERANCE {
        errors.add("received_at", "must not be in the future");
    } else if crate::time::vietnam_date(received_at) < EARLIEST_RECEIPT {
        errors.add("received_at", format!("must not be before {EARLIEST_RECEIPT}"));
    }
}

/// The flags people set (with a reason, through the case or the workflow).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SettableFlags {
    pub complex: bool,
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
    pub central_list: bool,
}

/// A change of settable flags; `None` leaves a flag as it is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlagChanges {
    pub complex: Option<bool>,
    pub very_complex: Option<bool>,
    pub remote_area: Option<bool>,
    pub multi_site: Option<bool>,
    pub central_list: Option<bool>,
}

impl FlagChanges {
    pub fn apply(self, flags: SettableFlags) -> SettableFlags {
        SettableFlags {
            complex: self.complex.unwrap_or(flags.complex),
            very_complex: self.very_complex.unwrap_or(flags.very_complex),
            remote_area: self.remote_area.unwrap_or(flags.remote_area),
            multi_site: self.multi_site.unwrap_or(flags.multi_site),
            central_list: self.central_list.unwrap_or(flags.central_list),
        }
    }
}

/// A person named on a new case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PersonInput {
    pub citizen_id: i64,
    pub role: PersonRole,
}

/// A new case as submitted, before checking.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseInput {
    pub kind: CaseKind,
    pub round: Option<i32>,
    pub parent_id: Option<i64>,
    pub field: Field,
    pub locality: Option<String>,
    pub title: String,
    pub summary: String,
    pub source: CaseSource,
    pub forwarded_by: Option<String>,
    pub received_at: DateTime<Utc>,
    pub people: Vec<PersonInput>,
    pub respondent: String,
    pub group_size: Option<i32>,
    pub flags: FlagChanges,
}

/// A new case that passed every check that needs no database.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseDraft {
    pub kind: CaseKind,
    pub round: i32,
    pub parent_id: Option<i64>,
    pub field: Field,
    pub locality: Option<String>,
    pub title: String,
    pub summary: String,
    pub source: CaseSource,
    pub forwarded_by: Option<String>,
    pub received_at: DateTime<Utc>,
    pub people: Vec<PersonInput>,
    pub respondent: String,
    pub group_size: i32,
    pub flags: SettableFlags,
}

/// The role a person plays by default in a case of this kind.
pub const fn principal_role(kind: CaseKind) -> PersonRole {
    match kind {
        CaseKind::Complaint => PersonRole::Complainant,
        CaseKind::Denunciation => PersonRole::Denouncer,
        CaseKind::Petition | CaseKind::Feedback => PersonRole::Petitioner,
    }
}

/// Whether a person of `role` may appear on a case of `kind`: the principal role of the kind,
/// or a representative.
pub fn role_fits(kind: CaseKind, role: PersonRole) -> bool {
    role == PersonRole::Representative || role == principal_role(kind)
}

/// Corruption is a field of denunciations only (the official tables count it there).
pub fn field_fits(kind: CaseKind, field: Field) -> bool {
    field != Field::Corruption || kind == CaseKind::Denunciation
}

fn check_flags(kind: CaseKind, flags: &FlagChanges, errors: &mut ValidationErrors) {
    if flags.very_complex == Some(true) && kind != CaseKind::Denunciation {
        errors.add("flags.very_complex", "applies to denunciations only");
    }
}

impl CaseDraft {
    /// Checks a new case; `now` bounds the receipt time.
    pub fn parse(input: CaseInput, now: DateTime<Utc>) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let round = input.round.unwrap_or(1);
        if !(1..=2).contains(&round) {
            errors.add("round", "must be 1 or 2");
        }
        if round == 2 && input.parent_id.is_none() {
            errors.add("parent_id", "is required for a second round");
        }
        if round == 2 && !matches!(input.kind, CaseKind::Complaint | CaseKind::Denunciation) {
            errors.add("round", "only complaints and denunciations have a second round");
        }
        if !field_fits(input.kind, input.field) {
            errors.add("field", "corruption is a field of denunciations only");
        }
        let locality = input.locality.as_deref().map(|l| optional_text("locality", l, LOCALITY_MAX));
        let locality = match locality {
            Some(result) => errors.check(result).flatten(),
            None => None,
        };
        let title = errors.check(required_text("title", &input.title, TITLE_MAX));
        let summary = errors.check(required_text("summary", &input.summary, SUMMARY_MAX));
        let respondent = errors.check(required_text("respondent", &input.respondent, RESPONDENT_MAX));
        let forwarded_by = match input.forwarded_by.as_deref() {
            Some(body) => errors.check(optional_text("forwarded_by", body, BODY_NAME_MAX)).flatten(),
            None => None,
        };
        if input.source == CaseSource::Forwarded && forwarded_by.is_none() {
            errors.add("forwarded_by", "is required when the source is `forwarded`");
        }
        check_received_at(&mut errors, input.received_at, now);
        let group_size = input.group_size.unwrap_or(1);
        if !(1..=GROUP_SIZE_MAX).contains(&group_size) {
            errors.add("group_size", format!("must be from 1 to {GROUP_SIZE_MAX}"));
        }
        check_people(input.kind, &input.people, &mut errors);
        check_flags(input.kind, &input.flags, &mut errors);
        match (title, summary, respondent) {
            (Some(title), Some(summary), Some(respondent)) if errors.is_empty() => Ok(CaseDraft {
                kind: input.kind,
                round,
                parent_id: input.parent_id,
                field: input.field,
                locality,
                title,
                summary,
                source: input.source,
                forwarded_by,
                received_at: input.received_at,
                people: input.people,
                respondent,
                group_size,
                flags: input.flags.apply(SettableFlags::default()),
            }),
            _ => Err(errors),
        }
    }
}

/// The most people one case names: far more than a letter signed by many (a mass case counts
/// from five), and a bound on the work one request can ask for.
pub const MAX_PEOPLE: usize = 100;

fn check_people(kind: CaseKind, people: &[PersonInput], errors: &mut ValidationErrors) {
    if people.is_empty() {
        errors.add("people", "must name at least one person");
        return;
    }
    if people.len() > MAX_PEOPLE {
        errors.add("people", format!("must name at most {MAX_PEOPLE} people"));
        return;
    }
    let mut seen = std::collections::HashSet::with_capacity(people.len());
    for (i, person) in people.iter().enumerate() {
        if !role_fits(kind, person.role) {
            errors.add(
                format!("people[{i}].role"),
                format!("must be `{}` or `representative` on a {}", principal_role(kind), kind),
            );
        }
        if !seen.insert((person.citizen_id, person.role.as_str())) {
            errors.add(format!("people[{i}]"), "names the same person in the same role twice");
        }
    }
    let principal = principal_role(kind);
    let needs_principal = matches!(kind, CaseKind::Complaint | CaseKind::Denunciation);
    if needs_principal && !people.iter().any(|p| p.role == principal) {
        errors.add("people", format!("a {kind} needs at least one `{principal}`"));
    }
}

/// A change of a case's descriptive fields; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CasePatch {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub field: Option<Field>,
    /// `Some(None)` clears the locality.
    pub locality: Option<Option<String>>,
    pub respondent: Option<String>,
    pub flags: FlagChanges,
}

impl CasePatch {
    /// Checks the change against the case's kind; returns it with texts trimmed.
    pub fn check(self, kind: CaseKind) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = self.title.map(|t| errors.check(required_text("title", &t, TITLE_MAX)));
        let summary = self.summary.map(|t| errors.check(required_text("summary", &t, SUMMARY_MAX)));
        let respondent = self.respondent.map(|t| errors.check(required_text("respondent", &t, RESPONDENT_MAX)));
        let locality = self.locality.map(|l| match l {
            Some(text) => errors.check(optional_text("locality", &text, LOCALITY_MAX)).flatten(),
            None => None,
        });
        if let Some(field) = self.field
            && !field_fits(kind, field)
        {
            errors.add("field", "corruption is a field of denunciations only");
        }
        check_flags(kind, &self.flags, &mut errors);
        errors.into_result()?;
        Ok(CasePatch {
            title: title.flatten(),
            summary: summary.flatten(),
            field: self.field,
            locality,
            respondent: respondent.flatten(),
            flags: self.flags,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.title.is_none()
            && self.summary.is_none()
            && self.field.is_none()
            && self.locality.is_none()
            && self.respondent.is_none()
            && self.flags == FlagChanges::default()
    }
}

/// The prefix of a case code: KN complaints, TC denunciations, KNPA petitions and feedback.
pub const fn code_prefix(kind: CaseKind) -> &'static str {
    match kind {
        CaseKind::Complaint => "KN",
        CaseKind::Denunciation => "TC",
        CaseKind::Petition | CaseKind::Feedback => "KNPA",
    }
}

/// `KN-2026-000123`: prefix, year of receipt, number within prefix and year.
pub fn format_code(kind: CaseKind, year: i32, number: i64) -> String {
    format!("{}-{year}-{number:06}", code_prefix(kind))
}

/// The counter scope that numbers a kind's cases in a year (petitions and feedback share one).
pub fn code_scope(kind: CaseKind, year: i32) -> String {
    format!("case:{}:{year}", code_prefix(kind))
}

pub fn is_mass(group_size: i32) -> bool {
    group_size >= MASS_GROUP_SIZE
}

/// Two or more letters or visits about the same matter.
pub fn is_repeat(intake_count: i32) -> bool {
    intake_count >= 2
}

/// Prolonged (kéo dài): open for more than a year, a new letter or visit after a decision, or an
/// open second round.
pub fn is_prolonged(
    status: CaseStatus,
    round: i32,
    received_on: NaiveDate,
    today: NaiveDate,
    intake_after_decision: bool,
) -> bool {
    if !status.is_open() {
        return false;
    }
    (today - received_on).num_days() > PROLONGED_AFTER_DAYS || intake_after_decision || round == 2
}

/// Whether a person's identity on this case is secret (Luật Tố cáo Art 47).
pub fn is_confidential(kind: CaseKind, role: PersonRole) -> bool {
    kind == CaseKind::Denunciation && role == PersonRole::Denouncer
}

/// The name shown in place of the `n`-th denouncer (1-based).
pub fn denouncer_alias(n: usize) -> String {
    format!("Người tố cáo {n}")
}

/// A field error for a person who does not exist.
pub fn unknown_citizen(index: usize) -> FieldError {
    FieldError::new(format!("people[{index}].citizen_id"), "no such citizen")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 28, 3, 0, 0).unwrap()
    }

    fn input(kind: CaseKind, people: Vec<PersonInput>) -> CaseInput {
        CaseInput {
            kind,
            round: None,
            parent_id: None,
            field: Field::LandHousing,
            locality: Some(" Phường Trần Phú ".into()),
            title: " Khiếu nại quyết định thu hồi đất ".into(),
            summary: "Ông A khiếu nại quyết định số 12/QĐ-UBND".into(),
            source: CaseSource::WalkIn,
            forwarded_by: None,
            received_at: now(),
            people,
            respondent: "UBND phường Trần Phú".into(),
            group_size: None,
            flags: FlagChanges::default(),
        }
    }

    fn person(citizen_id: i64, role: PersonRole) -> PersonInput {
        PersonInput { citizen_id, role }
    }

    fn fields(err: ValidationErrors) -> Vec<String> {
        err.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_good_complaint_is_trimmed_and_defaulted() {
        let draft =
            CaseDraft::parse(input(CaseKind::Complaint, vec![person(1, PersonRole::Complainant)]), now()).unwrap();
        assert_eq!(draft.round, 1);
        assert_eq!(draft.group_size, 1);
        assert_eq!(draft.title, "Khiếu nại quyết định thu hồi đất");
        assert_eq!(draft.locality.as_deref(), Some("Phường Trần Phú"));
        assert_eq!(draft.flags, SettableFlags::default());
    }

    #[test]
    fn each_kind_needs_its_principal_person_in_a_fitting_role() {
        let err = CaseDraft::parse(input(CaseKind::Denunciation, vec![person(1, PersonRole::Representative)]), now());
        assert_eq!(fields(err.unwrap_err()), ["people"]);
        let err = CaseDraft::parse(input(CaseKind::Complaint, vec![person(1, PersonRole::Denouncer)]), now());
        assert_eq!(fields(err.unwrap_err()), ["people[0].role", "people"]);
        let err = CaseDraft::parse(input(CaseKind::Petition, vec![]), now());
        assert_eq!(fields(err.unwrap_err()), ["people"]);
        let ok = CaseDraft::parse(input(CaseKind::Feedback, vec![person(1, PersonRole::Representative)]), now());
        assert!(ok.is_ok());
        let twice = vec![person(1, PersonRole::Complainant), person(1, PersonRole::Complainant)];
        assert_eq!(fields(CaseDraft::parse(input(CaseKind::Complaint, twice), now()).unwrap_err()), ["people[1]"]);
        let same_person_two_roles = vec![person(1, PersonRole::Complainant), person(1, PersonRole::Representative)];
        assert!(CaseDraft::parse(input(CaseKind::Complaint, same_person_two_roles), now()).is_ok());
    }

    #[test]
    fn a_case_names_at_most_a_hundred_people() {
        let many = |n: i64| (1..=n).map(|id| person(id, PersonRole::Complainant)).collect::<Vec<_>>();
        let most = CaseDraft::parse(input(CaseKind::Complaint, many(MAX_PEOPLE as i64)), now()).unwrap();
        assert_eq!(most.people.len(), MAX_PEOPLE);
        let err = CaseDraft::parse(input(CaseKind::Complaint, many(MAX_PEOPLE as i64 + 1)), now()).unwrap_err();
        assert_eq!(fields(err), ["people"]);
    }

    #[test]
    fn every_rule_names_its_field() {
        let mut bad = input(CaseKind::Petition, vec![person(1, PersonRole::Petitioner)]);
        bad.round = Some(2);
        bad.field = Field::Corruption;
        bad.title = " ".into();
        bad.summary = String::new();
        bad.respondent = "x".repeat(RESPONDENT_MAX + 1);
        bad.source = CaseSource::Forwarded;
        bad.received_at = now() + Duration::hours(1);
        bad.group_size = Some(0);
        bad.flags.very_complex = Some(true);
        let got = fields(CaseDraft::parse(bad, now()).unwrap_err());
        assert_eq!(
            got,
            [
                "parent_id",
                "round",
                "field",
                "title",
                "summary",
                "respondent",
                "forwarded_by",
                "received_at",
                "group_size",
                "flags.very_complex"
            ]
        );
    }

    #[test]
    fn receipts_lie_between_2000_and_now() {
        let at = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
        let check = |received_at| {
            let mut errors = ValidationErrors::new();
            check_received_at(&mut errors, received_at, now());
            errors.into_result().map_err(|e| e.0.into_iter().map(|f| f.message).collect::<Vec<_>>())
        };
        // 1 January 2000 begins at 17:00 UTC the day before, in Vietnam.
        assert!(check(at("1999-12-31T17:00:00Z")).is_ok());
        assert_eq!(check(at("1999-12-31T16:59:59Z")), Err(vec!["must not be before 2000-01-01".to_owned()]));
        assert!(check(at("0001-01-01T00:00:00Z")).is_err());
        assert!(check(now() + Duration::minutes(9)).is_ok());
        assert_eq!(check(now() + Duration::minutes(11)), Err(vec!["must not be in the future".to_owned()]));
    }

    #[test]
    fn codes_are_prefixed_by_kind_and_zero_padded() {
        assert_eq!(format_code(CaseKind::Complaint, 2026, 123), "KN-2026-000123");
        assert_eq!(format_code(CaseKind::Denunciation, 2026, 1), "TC-2026-000001");
        assert_eq!(format_code(CaseKind::Feedback, 2025, 1_234_567), "KNPA-2025-1234567");
        assert_eq!(code_scope(CaseKind::Petition, 2026), code_scope(CaseKind::Feedback, 2026));
    }

    #[test]
    fn computed_flags() {
        assert!(!is_mass(4) && is_mass(5));
        assert!(!is_repeat(1) && is_repeat(2));
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        let open = CaseStatus::Accepted;
        assert!(!is_prolonged(open, 1, d(2025, 11, 28), d(2026, 11, 28), false), "exactly 365 days");
        assert!(is_prolonged(open, 1, d(2025, 11, 27), d(2026, 11, 28), false));
        assert!(is_prolonged(open, 2, d(2026, 11, 1), d(2026, 11, 28), false));
        assert!(is_prolonged(CaseStatus::Decided, 1, d(2026, 11, 1), d(2026, 11, 28), true));
        assert!(!is_prolonged(CaseStatus::Closed, 2, d(2020, 1, 1), d(2026, 11, 28), true));
    }

    #[test]
    fn only_denouncers_of_denunciations_are_confidential() {
        assert!(is_confidential(CaseKind::Denunciation, PersonRole::Denouncer));
        assert!(!is_confidential(CaseKind::Denunciation, PersonRole::Representative));
        assert!(!is_confidential(CaseKind::Complaint, PersonRole::Complainant));
        assert_eq!(denouncer_alias(2), "Người tố cáo 2");
    }

    #[test]
    fn patches_are_checked_against_the_kind() {
        let patch = CasePatch { field: Some(Field::Corruption), title: Some("  ".into()), ..Default::default() };
        assert_eq!(fields(patch.check(CaseKind::Complaint).unwrap_err()), ["title", "field"]);
        let patch = CasePatch { locality: Some(Some("  ".into())), ..Default::default() };
        assert_eq!(patch.check(CaseKind::Complaint).unwrap().locality, Some(None));
        assert!(CasePatch::default().is_empty());
    }
}
