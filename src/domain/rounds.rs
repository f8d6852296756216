//! Letters that become several cases, and cases that follow an earlier one (DOMAIN.md §3, §4):
//! the parts of a split letter, whether a second round may follow a first, and whether it came
//! inside the window the law gives for it.

use chrono::{Months, NaiveDate};

use super::calendar::HolidayCalendar;
use super::case::{self, PersonInput, SUMMARY_MAX, TITLE_MAX};
use super::validation::{ValidationErrors, required_text};
use super::vocab::{CaseKind, CaseStatus, DayUnit, Field, PersonRole};

/// A letter is split into at least two contents (one content needs no split) and at most this
/// many, which bounds the work of one request.
pub const MIN_PARTS: usize = 2;
pub const MAX_PARTS: usize = 20;

/// Days to lodge a second-round complaint (Luật Khiếu nại Art 33.1); the same window is applied
/// to a re-denunciation (Luật Tố cáo Art 37).
pub const FOLLOW_UP_WINDOW_DAYS: u32 = 30;
/// The window in a remote area with difficult travel (Luật Khiếu nại Art 33.1).
pub const FOLLOW_UP_WINDOW_REMOTE_DAYS: u32 = 45;

/// Title prefixes of a second round, so that a list tells the rounds apart.
pub const SECOND_COMPLAINT_PREFIX: &str = "Lần 2: ";
pub const RE_DENUNCIATION_PREFIX: &str = "Tố cáo tiếp: ";

/// One content of a split letter, as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartInput {
    pub kind: CaseKind,
    pub field: Field,
    pub title: String,
    pub summary: String,
}

/// One content of a split letter, checked: texts trimmed, the people of the letter in the roles
/// of this part's kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub kind: CaseKind,
    pub field: Field,
    pub title: String,
    pub summary: String,
    pub people: Vec<PersonInput>,
}

/// The people of a letter in a case of kind `to`: whoever wrote it in the principal role of the
/// letter's kind (complainant, denouncer, petitioner) takes the principal role of the new kind;
/// representatives stay representatives.
pub fn people_for_kind(to: CaseKind, people: &[PersonInput]) -> Vec<PersonInput> {
    let mut mapped: Vec<PersonInput> = Vec::with_capacity(people.len());
    for person in people {
        let role = match person.role {
            PersonRole::Representative => PersonRole::Representative,
            // Only the principal role of `from` or a representative fit a case of `from`.
            _ => case::principal_role(to),
        };
        let person = PersonInput { citizen_id: person.citizen_id, role };
        if !mapped.contains(&person) {
            mapped.push(person);
        }
    }
    mapped
}

/// Checks the parts of a split of a letter naming `people`: 2 to 20
/// parts, each valid as a case (corruption only for denunciations, title and summary given,
/// and a complaint or denunciation needs its complainant or denouncer). Errors are named
/// `parts`, `parts[i].kind`, `parts[i].field`, `parts[i].title`, `parts[i].summary`.
pub fn check_parts(people: &[PersonInput], parts: Vec<PartInput>) -> Result<Vec<Part>, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    if !(MIN_PARTS..=MAX_PARTS).contains(&parts.len()) {
        errors.add("parts", format!("must list from {MIN_PARTS} to {MAX_PARTS} parts"));
        return Err(errors);
    }
    let mut checked = Vec::with_capacity(parts.len());
    for (i, part) in parts.into_iter().enumerate() {
        if !case::field_fits(part.kind, part.field) {
            errors.add(format!("parts[{i}].field"), "corruption is a field of denunciations only");
        }
        let title = errors.check(required_text(&format!("parts[{i}].title"), &part.title, TITLE_MAX));
        let summary = errors.check(required_text(&format!("parts[{i}].summary"), &part.summary, SUMMARY_MAX));
        let part_people = people_for_kind(part.kind, people);
        let principal = case::principal_role(part.kind);
        let needs_principal = matches!(part.kind, CaseKind::Complaint | CaseKind::Denunciation);
        if needs_principal && !part_people.iter().any(|p| p.role == principal) {
            errors.add(
                format!("parts[{i}].kind"),
                format!("a {} needs a `{principal}`; the letter names none", part.kind),
            );
        }
        if let (Some(title), Some(summary)) = (title, summary) {
            checked.push(Part { kind: part.kind, field: part.field, title, summary, people: part_people });
        }
    }
    errors.into_result()?;
    Ok(checked)
}

/// The end of the retention of a filed letter: one year after filing (Thông tư 05/2021/TT-TTCP
/// Art 28); 29 February ends on 28 February.
pub fn retention_until(filed_on: NaiveDate) -> NaiveDate {
    filed_on.checked_add_months(Months::new(12)).unwrap_or(filed_on)
}

/// What eligibility and the window need to know of the first round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FirstRound {
    pub kind: CaseKind,
    pub round: i32,
    pub status: CaseStatus,
    /// The date of the decision (quyết định giải quyết, kết luận), if one was taken.
    pub decided_on: Option<NaiveDate>,
    /// The due date of the running resolution clock (accepted, verifying), if any.
    pub resolution_due_on: Option<NaiveDate>,
    pub remote_area: bool,
}

/// Why a follow-up round is refused (409 `follow_up_not_allowed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FollowUpRefusal {
    #[error("only a first-round complaint or denunciation can be followed by a second round")]
    NoSecondRound,
    #[error("the first round was decided on {decided_on}, after the new letter arrived")]
    LetterBeforeDecision { decided_on: NaiveDate },
    #[error("the first round is neither decided nor past its resolution deadline")]
    FirstRoundPending,
}

impl FollowUpRefusal {
    pub const CODE: &'static str = "follow_up_not_allowed";
}

/// Whether a letter received on `received_on` may open a second round of `first`
/// (Luật Khiếu nại Art 33.1: dissatisfied with the first decision, or no decision within the
/// term; Luật Tố cáo Art 37.1: the same for a re-denunciation to the superior head).
pub fn follow_up_allowed(first: &FirstRound, received_on: NaiveDate) -> Result<(), FollowUpRefusal> {
    if first.round != 1 || !matches!(first.kind, CaseKind::Complaint | CaseKind::Denunciation) {
        return Err(FollowUpRefusal::NoSecondRound);
    }
    match first.status {
        CaseStatus::Decided | CaseStatus::Closed => match first.decided_on {
            Some(decided_on) if received_on < decided_on => Err(FollowUpRefusal::LetterBeforeDecision { decided_on }),
            _ => Ok(()),
        },
        CaseStatus::Accepted | CaseStatus::Verifying => match first.resolution_due_on {
            Some(due_on) if due_on < received_on => Ok(()),
            _ => Err(FollowUpRefusal::FirstRoundPending),
        },
        _ => Err(FollowUpRefusal::FirstRoundPending),
    }
}

/// The window to lodge the second round: its start (the decision, or the expiry of the
/// first-round deadline when there was none) and its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowUpWindow {
    pub starts_on: NaiveDate,
    pub days: u32,
    pub ends_on: NaiveDate,
}

/// The window of Luật Khiếu nại Art 33.1: 30 days (45 in a remote area) from the decision, or
/// from the expiry of the resolution deadline when no decision was taken, counted as
/// calendar days by Bộ luật Dân sự Art 147–148 (a window ending on a day off ends on the next
/// working day). `None` when neither date is known (a case closed without a decision).
pub fn follow_up_window(first: &FirstRound, calendar: &HolidayCalendar) -> Option<FollowUpWindow> {
    let starts_on = first.decided_on.or(first.resolution_due_on)?;
    let days = if first.remote_area { FOLLOW_UP_WINDOW_REMOTE_DAYS } else { FOLLOW_UP_WINDOW_DAYS };
    let ends_on = calendar.try_add_explained(starts_on, days, DayUnit::Calendar).ok()?.due_on;
    Some(FollowUpWindow { starts_on, days, ends_on })
}

/// Whether a letter received on `received_on` came after the window closed (`filed_late`).
pub fn filed_late(first: &FirstRound, received_on: NaiveDate, calendar: &HolidayCalendar) -> bool {
    follow_up_window(first, calendar).is_some_and(|window| received_on > window.ends_on)
}

/// The title of the second round: the first round's, marked as such, within the title limit.
pub fn follow_up_title(kind: CaseKind, first_title: &str) -> String {
    let prefix = match kind {
        CaseKind::Denunciation => RE_DENUNCIATION_PREFIX,
        _ => SECOND_COMPLAINT_PREFIX,
    };
    let room = TITLE_MAX.saturating_sub(prefix.chars().count());
    format!("{prefix}{}", first_title.chars().take(room).collect::<String>())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn person(citizen_id: i64, role: PersonRole) -> PersonInput {
        PersonInput { citizen_id, role }
    }

    fn part(kind: CaseKind, field: Field, title: &str, summary: &str) -> PartInput {
        PartInput { kind, field, title: title.into(), summary: summary.into() }
    }

    fn fields(err: ValidationErrors) -> Vec<String> {
        err.0.into_iter().map(|e| e.field).collect()
    }

    fn decided(kind: CaseKind, decided_on: &str) -> FirstRound {
        FirstRound {
            kind,
            round: 1,
            status: CaseStatus::Decided,
            decided_on: Some(d(decided_on)),
            resolution_due_on: None,
            remote_area: false,
        }
    }

    #[test]
    fn the_writer_takes_the_principal_role_of_each_part() {
        let people = [person(1, PersonRole::Complainant), person(2, PersonRole::Representative)];
        assert_eq!(
            people_for_kind(CaseKind::Petition, &people),
            [person(1, PersonRole::Petitioner), person(2, PersonRole::Representative)]
        );
        assert_eq!(
            people_for_kind(CaseKind::Denunciation, &[person(3, PersonRole::Petitioner)]),
            [person(3, PersonRole::Denouncer)]
        );
    }

    #[test]
    fn a_mixed_letter_splits_into_checked_parts() {
        let people = [person(1, PersonRole::Complainant)];
        let parts = check_parts(
            &people,
            vec![
                part(CaseKind::Complaint, Field::LandHousing, " Khiếu nại thu hồi đất ", "Quyết định 12"),
                part(CaseKind::Petition, Field::Policy, "Kiến nghị chính sách", "Hỗ trợ tái định cư"),
            ],
        )
        .unwrap();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].title, "Khiếu nại thu hồi đất");
        assert_eq!(parts[1].people, [person(1, PersonRole::Petitioner)]);
    }

    #[test]
    fn every_part_error_names_its_part() {
        let people = [person(1, PersonRole::Complainant)];
        let one = vec![part(CaseKind::Complaint, Field::Other, "a", "b")];
        assert_eq!(fields(check_parts(&people, one).unwrap_err()), ["parts"]);
        let many = vec![part(CaseKind::Complaint, Field::Other, "a", "b"); MAX_PARTS + 1];
        assert_eq!(fields(check_parts(&people, many).unwrap_err()), ["parts"]);
        let bad = vec![
            part(CaseKind::Complaint, Field::Corruption, " ", "b"),
            part(CaseKind::Denunciation, Field::Corruption, "a", ""),
        ];
        assert_eq!(
            fields(check_parts(&people, bad).unwrap_err()),
            ["parts[0].field", "parts[0].title", "parts[1].summary"]
        );
        // A representative alone cannot lodge a complaint in their own name.
        let only_representative = [person(2, PersonRole::Representative)];
        let parts =
            vec![part(CaseKind::Complaint, Field::Other, "a", "b"), part(CaseKind::Feedback, Field::Other, "c", "d")];
        assert_eq!(fields(check_parts(&only_representative, parts).unwrap_err()), ["parts[0].kind"]);
    }

    #[test]
    fn retention_is_one_year() {
        assert_eq!(retention_until(d("2026-11-28")), d("2027-11-28"));
        assert_eq!(retention_until(d("2028-02-29")), d("2029-02-28"));
    }

    #[test]
    fn a_second_round_follows_a_decision_or_an_expired_term() {
        let on = d("2026-11-02");
        assert_eq!(follow_up_allowed(&decided(CaseKind::Complaint, "2026-10-01"), on), Ok(()));
        assert_eq!(follow_up_allowed(&decided(CaseKind::Denunciation, "2026-10-01"), on), Ok(()));
        let closed = FirstRound { status: CaseStatus::Closed, ..decided(CaseKind::Complaint, "2026-10-01") };
        assert_eq!(follow_up_allowed(&closed, on), Ok(()));
        assert_eq!(
            follow_up_allowed(&decided(CaseKind::Complaint, "2026-11-05"), on),
            Err(FollowUpRefusal::LetterBeforeDecision { decided_on: d("2026-11-05") })
        );

        let pending = FirstRound {
            status: CaseStatus::Verifying,
            decided_on: None,
            resolution_due_on: Some(d("2026-11-01")),
            ..decided(CaseKind::Complaint, "2026-10-01")
        };
        assert_eq!(follow_up_allowed(&pending, on), Ok(()), "the term ended the day before");
        let due_today = FirstRound { resolution_due_on: Some(on), ..pending };
        assert_eq!(follow_up_allowed(&due_today, on), Err(FollowUpRefusal::FirstRoundPending));
        let received = FirstRound { status: CaseStatus::Received, resolution_due_on: None, ..pending };
        assert_eq!(follow_up_allowed(&received, on), Err(FollowUpRefusal::FirstRoundPending));
        let suspended = FirstRound { status: CaseStatus::Suspended, resolution_due_on: None, ..pending };
        assert_eq!(follow_up_allowed(&suspended, on), Err(FollowUpRefusal::FirstRoundPending));
    }

    #[test]
    fn second_rounds_petitions_and_feedback_have_no_follow_up() {
        let on = d("2026-11-02");
        let second = FirstRound { round: 2, ..decided(CaseKind::Complaint, "2026-10-01") };
        assert_eq!(follow_up_allowed(&second, on), Err(FollowUpRefusal::NoSecondRound));
        for kind in [CaseKind::Petition, CaseKind::Feedback] {
            assert_eq!(follow_up_allowed(&decided(kind, "2026-10-01"), on), Err(FollowUpRefusal::NoSecondRound));
        }
        assert_eq!(FollowUpRefusal::CODE, "follow_up_not_allowed");
    }

    #[test]
    fn the_window_is_thirty_calendar_days_rolled_to_a_working_day() {
        let calendar = HolidayCalendar::default_calendar();
        // Decided Thursday 1 Oct 2026: day 30 is Saturday 31 Oct, so the window ends Monday 2 Nov.
        let first = decided(CaseKind::Complaint, "2026-10-01");
        let window = follow_up_window(&first, &calendar).unwrap();
        assert_eq!((window.starts_on, window.days, window.ends_on), (d("2026-10-01"), 30, d("2026-11-02")));
        assert!(!filed_late(&first, d("2026-11-02"), &calendar));
        assert!(filed_late(&first, d("2026-11-03"), &calendar));
        // Decided Monday 2 Nov 2026: day 30 is Wednesday 2 Dec, a working day.
        let first = decided(CaseKind::Denunciation, "2026-11-02");
        assert_eq!(follow_up_window(&first, &calendar).unwrap().ends_on, d("2026-12-02"));
    }

    #[test]
    fn a_remote_area_has_forty_five_days() {
        let calendar = HolidayCalendar::default_calendar();
        // Decided 1 Oct 2026 + 45 days = Monday 16 Nov 2026.
        let first = FirstRound { remote_area: true, ..decided(CaseKind::Complaint, "2026-10-01") };
        let window = follow_up_window(&first, &calendar).unwrap();
        assert_eq!((window.days, window.ends_on), (45, d("2026-11-16")));
        assert!(!filed_late(&first, d("2026-11-16"), &calendar));
        assert!(filed_late(&first, d("2026-11-17"), &calendar));
    }

    #[test]
    fn without_a_decision_the_window_runs_from_the_expired_term() {
        let calendar = HolidayCalendar::default_calendar();
        // The term expired Friday 25 Dec 2026; + 30 days = Sunday 24 Jan 2027 → Monday 25 Jan.
        let first = FirstRound {
            kind: CaseKind::Complaint,
            round: 1,
            status: CaseStatus::Verifying,
            decided_on: None,
            resolution_due_on: Some(d("2026-12-25")),
            remote_area: false,
        };
        assert_eq!(follow_up_window(&first, &calendar).unwrap().ends_on, d("2027-01-25"));
        assert!(!filed_late(&first, d("2027-01-25"), &calendar));
        assert!(filed_late(&first, d("2027-01-26"), &calendar));
        // Closed without a decision (a transferred letter): no window to measure against.
        let closed = FirstRound { status: CaseStatus::Closed, resolution_due_on: None, ..first };
        assert!(follow_up_window(&closed, &calendar).is_none());
        assert!(!filed_late(&closed, d("2030-01-01"), &calendar));
    }

    #[test]
    fn follow_up_titles_are_marked_and_bounded() {
        assert_eq!(follow_up_title(CaseKind::Complaint, "Khiếu nại thu hồi đất"), "Lần 2: Khiếu nại thu hồi đất");
        assert_eq!(follow_up_title(CaseKind::Denunciation, "Tố cáo ông X"), "Tố cáo tiếp: Tố cáo ông X");
        let long = "đ".repeat(TITLE_MAX);
        assert_eq!(follow_up_title(CaseKind::Complaint, &long).chars().count(), TITLE_MAX);
    }
}
