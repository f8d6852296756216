//! The statutory clocks of a case (DOMAIN.md §4, §7; LAW.md §2, §6.6, §7).
//!
//! Terms, units, start events and extension behaviour are data (`rules/rulesets.json`), grouped
//! in versioned rule sets; a case uses the rule set in force on its received date (Luật
//! 136/2025/QH15 has no transitional clause, LAW.md §7). This module computes, from plain facts
//! about a case, which clocks run and when each falls due, and explains every due date.
//!
//! Counting (BLDS Art 147–148) is done by [`HolidayCalendar::add`]. On top of it:
//! - Extensions: a complaint extension switches the case to its complex term (Luật Khiếu nại
//!   Art 28, 37); a denunciation extension adds a further term (Luật Tố cáo Art 30). Either way
//!   the due date is computed afresh from the start with the new term.
//! - Suspension (Luật Tố cáo Art 34.2; Luật Khiếu nại Art 11a from 2026-07-01): the days from a
//!   suspension's `effective_on` (inclusive) to the resumption's `effective_on` (exclusive) do not
//!   count. Precisely: with `P` the paused days, the due date is `add(start, term + P, unit)`, that
//!   is the unpaused end shifted by `P` and the end-of-term rule applied once to the shifted end.
//!   For a calendar-day term `P` counts calendar days, for a working-day term the working days
//!   lost. Days are paused only after the start day (which never counts) and only by a suspension
//!   that began on or before the due date as it stood then: a suspension ordered after the term
//!   had expired does not revive it. While a suspension is open the clock has no due date.

use std::collections::BTreeSet;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::domain::calendar::{CalendarError, HolidayCalendar, MAX_DAYS, NonWorkingDay};
use crate::domain::vocab::{CaseKind, CaseStatus, ClockKind, DayUnit};

/// The built-in rule sets.
pub const DEFAULT_RULESETS_JSON: &str = include_str!("rules/rulesets.json");

/// The rule-file format this code reads.
pub const RULES_FORMAT_VERSION: u32 = 1;

/// The event whose date starts a clock; that day itself is not counted (BLDS Art 147).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StartEvent {
    /// The case was received (tiếp nhận).
    Receipt,
    /// The case was accepted (thụ lý).
    Acceptance,
    /// The letter was transferred to another body (chuyển đơn).
    Transfer,
}

impl StartEvent {
    pub const fn as_str(self) -> &'static str {
        match self {
            StartEvent::Receipt => "receipt",
            StartEvent::Acceptance => "acceptance",
            StartEvent::Transfer => "transfer",
        }
    }
}

impl fmt::Display for StartEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an extension (gia hạn) does to a rule's term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ExtensionRule {
    /// The term cannot be extended.
    None,
    /// An extension marks the case complex: the rule matching `complex: true` applies
    /// (complaints, Luật Khiếu nại Art 28, 37). One extension at most.
    SwitchToComplex,
    /// Each extension adds `days`; at most `max_extensions`, or `max_extensions_very_complex`
    /// when the case is very complex (denunciations, Luật Tố cáo Art 30).
    AddTerm { days: u32, max_extensions: u32, max_extensions_very_complex: u32 },
}

/// Flags a rule requires; an absent condition matches either value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleConditions {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complex: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_area: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multi_site: Option<bool>,
}

impl RuleConditions {
    pub fn matches(&self, flags: &ClockFlags) -> bool {
        let ok = |wanted: Option<bool>, actual: bool| wanted.is_none_or(|w| w == actual);
        ok(self.complex, flags.complex)
            && ok(self.remote_area, flags.remote_area)
            && ok(self.multi_site, flags.multi_site)
    }
}

/// One statutory or configured term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub clock: ClockKind,
    pub kinds: Vec<CaseKind>,
    pub rounds: Vec<i32>,
    #[serde(default)]
    pub conditions: RuleConditions,
    pub unit: DayUnit,
    pub term: u32,
    pub start: StartEvent,
    pub extension: ExtensionRule,
    /// The legal source, e.g. "Luật Khiếu nại 2011 Điều 28".
    pub source: String,
}

impl Rule {
    fn applies_to(&self, clock: ClockKind, kind: CaseKind, round: i32, flags: &ClockFlags) -> bool {
        self.clock == clock
            && self.kinds.contains(&kind)
            && self.rounds.contains(&round)
            && self.conditions.matches(flags)
    }
}

/// The rules in force from one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSet {
    pub id: String,
    pub in_force_from: NaiveDate,
    #[serde(default)]
    pub description: String,
    /// Whether the resolution of a complaint may be suspended (Luật Khiếu nại Art 11a, added by
    /// Luật 136/2025/QH15 from 2026-07-01). Denunciations may always be (Luật Tố cáo Art 34).
    pub complaint_suspension_allowed: bool,
    /// A running clock is "due soon" when due within this many working days (DOMAIN.md §7).
    pub due_soon_working_days: u32,
    pub rules: Vec<Rule>,
}

impl RuleSet {
    /// The single rule for `clock` on a case of this kind, round and flags.
    pub fn rule(
        &self,
        clock: ClockKind,
        kind: CaseKind,
        round: i32,
        flags: &ClockFlags,
    ) -> Result<&Rule, DeadlineError> {
        // Asked for every clock of every case a report reads, so the common answer allocates nothing.
        let mut matching = self.rules.iter().filter(|rule| rule.applies_to(clock, kind, round, flags));
        match (matching.next(), matching.next()) {
            (Some(rule), None) => Ok(rule),
            (None, _) => Err(DeadlineError::NoRule { rule_set: self.id.clone(), clock, kind, round }),
            (Some(_), Some(_)) => Err(DeadlineError::AmbiguousRule {
                rule_set: self.id.clone(),
                clock,
                kind,
                round,
                rule_ids: self
                    .rules
                    .iter()
                    .filter(|rule| rule.applies_to(clock, kind, round, flags))
                    .map(|rule| rule.id.clone())
                    .collect(),
            }),
        }
    }

    /// Whether a case of this kind may be suspended under this rule set.
    pub fn suspension_allowed(&self, kind: CaseKind) -> bool {
        match kind {
            CaseKind::Denunciation => true,
            CaseKind::Complaint => self.complaint_suspension_allowed,
            CaseKind::Petition | CaseKind::Feedback => false,
        }
    }
}

/// Every rule set, ordered by the date it comes into force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBook {
    rule_sets: Vec<RuleSet>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(rename = "_comment", default)]
    _comment: Option<String>,
    format_version: u32,
    rule_sets: Vec<RuleSet>,
}

/// A rule file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleBookError {
    #[error("rule file is not valid: {0}")]
    Json(String),
    #[error("rule file format {found} is not supported (expected {RULES_FORMAT_VERSION})")]
    UnsupportedFormat { found: u32 },
    #[error("rule file has no rule set")]
    Empty,
    #[error("rule set `{0}` is defined twice")]
    DuplicateRuleSet(String),
    #[error("rule sets `{first}` and `{second}` come into force on the same date")]
    SameStartDate { first: String, second: String },
    #[error("rule set `{rule_set}` defines rule `{rule}` twice")]
    DuplicateRule { rule_set: String, rule: String },
    #[error("rule `{rule}` of rule set `{rule_set}`: {problem}")]
    InvalidRule { rule_set: String, rule: String, problem: String },
}

impl RuleBook {
    /// The built-in rule sets `2019` and `2026-07` (`rules/rulesets.json`).
    pub fn builtin() -> Self {
        Self::from_json(DEFAULT_RULESETS_JSON).expect("built-in rule sets are valid")
    }

    /// Reads and checks a rule file.
    pub fn from_json(text: &str) -> Result<Self, RuleBookError> {
        let file: RuleFile = serde_json::from_str(text).map_err(|e| RuleBookError::Json(e.to_string()))?;
        if file.format_version != RULES_FORMAT_VERSION {
            return Err(RuleBookError::UnsupportedFormat { found: file.format_version });
        }
        Self::new(file.rule_sets)
    }

    /// Checks and orders rule sets.
    pub fn new(mut rule_sets: Vec<RuleSet>) -> Result<Self, RuleBookError> {
        if rule_sets.is_empty() {
            return Err(RuleBookError::Empty);
        }
        let mut ids = BTreeSet::new();
        for rule_set in &rule_sets {
            if !ids.insert(rule_set.id.as_str()) {
                return Err(RuleBookError::DuplicateRuleSet(rule_set.id.clone()));
            }
            validate_rule_set(rule_set)?;
        }
        rule_sets.sort_by_key(|rule_set| rule_set.in_force_from);
        if let Some(pair) = rule_sets.windows(2).find(|pair| pair[0].in_force_from == pair[1].in_force_from) {
            return Err(RuleBookError::SameStartDate { first: pair[0].id.clone(), second: pair[1].id.clone() });
        }
        Ok(RuleBook { rule_sets })
    }

    pub fn rule_sets(&self) -> &[RuleSet] {
        &self.rule_sets
    }

    pub fn get(&self, id: &str) -> Option<&RuleSet> {
        self.rule_sets.iter().find(|rule_set| rule_set.id == id)
    }

    /// The rule set in force on `date` (a case's received local date); dates before the first
    /// rule set use the first.
    pub fn in_force_on(&self, date: NaiveDate) -> &RuleSet {
        self.rule_sets.iter().rev().find(|rule_set| rule_set.in_force_from <= date).unwrap_or(&self.rule_sets[0])
    }
}

fn validate_rule_set(rule_set: &RuleSet) -> Result<(), RuleBookError> {
    let mut rule_ids = BTreeSet::new();
    for rule in &rule_set.rules {
        let invalid = |problem: &str| RuleBookError::InvalidRule {
            rule_set: rule_set.id.clone(),
            rule: rule.id.clone(),
            problem: problem.to_owned(),
        };
        if !rule_ids.insert(rule.id.as_str()) {
            return Err(RuleBookError::DuplicateRule { rule_set: rule_set.id.clone(), rule: rule.id.clone() });
        }
        if rule.kinds.is_empty() {
            return Err(invalid("no case kind"));
        }
        if rule.rounds.is_empty() || rule.rounds.iter().any(|round| !(1..=2).contains(round)) {
            return Err(invalid("rounds must be 1 and/or 2"));
        }
        if rule.term == 0 || rule.term > MAX_DAYS {
            return Err(invalid("term must be between 1 and MAX_DAYS"));
        }
        if rule.source.trim().is_empty() {
            return Err(invalid("no legal source"));
        }
        if let ExtensionRule::AddTerm { days, max_extensions, max_extensions_very_complex } = rule.extension
            && (days == 0 || max_extensions_very_complex < max_extensions)
        {
            return Err(invalid("extension adds no days, or allows fewer extensions when very complex"));
        }
    }
    Ok(())
}

/// Case flags that select or modify a rule (DOMAIN.md §10).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClockFlags {
    pub complex: bool,
    /// Denunciations only: allows a second extension (Luật Tố cáo Art 30; Nghị định 31/2019 Art 3.3).
    pub very_complex: bool,
    pub remote_area: bool,
    pub multi_site: bool,
}

/// A suspension (tạm đình chỉ): paused from `effective_on` (inclusive) to `resumed_on`
/// (exclusive); `resumed_on` is `None` while it lasts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuspensionSpan {
    pub effective_on: NaiveDate,
    pub resumed_on: Option<NaiveDate>,
}

/// What the clocks of a case depend on. Dates are local dates in Vietnam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseClockFacts {
    pub kind: CaseKind,
    pub round: i32,
    pub status: CaseStatus,
    pub received_on: NaiveDate,
    pub accepted_on: Option<NaiveDate>,
    pub transferred_on: Option<NaiveDate>,
    pub flags: ClockFlags,
    /// Extensions granted (gia hạn) of the resolution term.
    pub extensions: u32,
    /// Suspensions in date order; only the last may be open, and only while `status` is `suspended`.
    pub suspensions: Vec<SuspensionSpan>,
    /// `accepted` or `verifying`, required while `status` is `suspended`.
    pub status_before_suspension: Option<CaseStatus>,
}

impl CaseClockFacts {
    /// Facts of a case just received: no acceptance, transfer, flag, extension or suspension.
    pub fn new(kind: CaseKind, round: i32, status: CaseStatus, received_on: NaiveDate) -> Self {
        CaseClockFacts {
            kind,
            round,
            status,
            received_on,
            accepted_on: None,
            transferred_on: None,
            flags: ClockFlags::default(),
            extensions: 0,
            suspensions: Vec::new(),
            status_before_suspension: None,
        }
    }
}

/// How extensions changed a term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "effect", rename_all = "snake_case")]
pub enum ExtensionsApplied {
    /// The case became complex: the complex rule replaced `from_rule` (term `from_term`).
    SwitchedToComplex { count: u32, from_rule: String, from_term: u32 },
    /// `count` extensions of `days_each` were added to the base term.
    AddedDays { count: u32, days_each: u32, added: u32 },
}

/// A suspension as it bears on a due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PausedSpan {
    pub effective_on: NaiveDate,
    pub resumed_on: Option<NaiveDate>,
    /// Days of the span in the term's unit that were not counted (after the start day);
    /// `None` while the suspension lasts.
    pub days: Option<u32>,
    /// False when the suspension began after the term had already expired, so it moved nothing.
    pub counted: bool,
}

/// How a due date was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Explanation {
    pub rule_set: String,
    pub rule_id: String,
    pub legal_source: String,
    pub start_event: StartEvent,
    pub start_on: NaiveDate,
    pub unit: DayUnit,
    /// The term before extensions.
    pub base_term: u32,
    pub extensions: Option<ExtensionsApplied>,
    /// The term after extensions.
    pub term: u32,
    pub paused_spans: Vec<PausedSpan>,
    /// Total days added for suspensions, in the term's unit.
    pub paused_days: u32,
    pub due_on: Option<NaiveDate>,
}

impl Explanation {
    /// The non-working days skipped while counting (working-day terms) or rolled over at the end
    /// (calendar-day terms). Derived on demand, since only the explanation shows them and the
    /// clocks of a list or a report are computed by the thousand.
    pub fn skipped(&self, calendar: &HolidayCalendar) -> Vec<NonWorkingDay> {
        if self.due_on.is_none() {
            return Vec::new();
        }
        match calendar.try_add_explained(self.start_on, self.term.saturating_add(self.paused_days), self.unit) {
            Ok(addition) => {
                debug_assert_eq!(Some(addition.due_on), self.due_on, "the walk and the lookup disagree");
                addition.skipped
            }
            // The due date was computed from the same figures, so this cannot fail.
            Err(_) => Vec::new(),
        }
    }

    /// The explanation with the days it skipped, as the explain view shows it.
    pub fn detailed(&self, calendar: &HolidayCalendar) -> DetailedExplanation {
        DetailedExplanation { explanation: self.clone(), skipped: self.skipped(calendar) }
    }
}

/// An [`Explanation`] with the non-working days skipped or rolled over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DetailedExplanation {
    #[serde(flatten)]
    pub explanation: Explanation,
    pub skipped: Vec<NonWorkingDay>,
}

/// One clock of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    pub clock: ClockKind,
    pub unit: DayUnit,
    /// The term after extensions (suspensions do not change it; they move the due date).
    pub term: u32,
    pub rule_set: String,
    pub rule_id: String,
    pub legal_source: String,
    pub start_on: NaiveDate,
    /// `None` while the clock is paused.
    pub due_on: Option<NaiveDate>,
    pub paused: bool,
    pub explanation: Explanation,
}

impl Deadline {
    /// A running clock whose due date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.due_on.is_some_and(|due| is_overdue(due, today))
    }
}

/// Facts that contradict each other or the rules.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("round {round} is not a round of a {kind} case")]
    InvalidRound { kind: CaseKind, round: i32 },
    #[error("rule set `{rule_set}` has no {clock} rule for a round-{round} {kind} case with these flags")]
    NoRule { rule_set: String, clock: ClockKind, kind: CaseKind, round: i32 },
    #[error("rule set `{rule_set}`: rules {rule_ids:?} all match the {clock} clock of a round-{round} {kind} case")]
    AmbiguousRule { rule_set: String, clock: ClockKind, kind: CaseKind, round: i32, rule_ids: Vec<String> },
    #[error("the {clock} clock starts at {event} but the case has no {event} date")]
    MissingStartDate { clock: ClockKind, event: StartEvent },
    #[error("accepted on {accepted_on}, before it was received on {received_on}")]
    AcceptedBeforeReceived { received_on: NaiveDate, accepted_on: NaiveDate },
    #[error("transferred on {transferred_on}, before it was received on {received_on}")]
    TransferredBeforeReceived { received_on: NaiveDate, transferred_on: NaiveDate },
    #[error("rule `{rule_id}` cannot be extended, but the case has {extensions} extension(s)")]
    ExtensionNotAllowed { rule_id: String, extensions: u32 },
    #[error("rule `{rule_id}` allows at most {max} extension(s), the case has {given}")]
    TooManyExtensions { rule_id: String, given: u32, max: u32 },
    #[error("a {kind} case cannot be suspended under rule set `{rule_set}`")]
    SuspensionNotAllowed { kind: CaseKind, rule_set: String },
    #[error("the case has suspensions but no acceptance date")]
    SuspensionWithoutAcceptance,
    #[error("suspension on {effective_on} precedes acceptance on {accepted_on}")]
    SuspensionBeforeAcceptance { effective_on: NaiveDate, accepted_on: NaiveDate },
    #[error("suspension from {effective_on} resumed on {resumed_on}, before it began")]
    ResumedBeforeSuspended { effective_on: NaiveDate, resumed_on: NaiveDate },
    #[error("suspension from {effective_on} begins before the previous one ended on {previous_resumed_on}")]
    OverlappingSuspensions { previous_resumed_on: NaiveDate, effective_on: NaiveDate },
    #[error("suspension from {effective_on} has not ended but is not the last one")]
    OpenSuspensionNotLast { effective_on: NaiveDate },
    #[error("the case is suspended but has no open suspension")]
    SuspendedWithoutOpenSuspension,
    #[error("the case has an open suspension but its status is {status}")]
    OpenSuspensionWhileNotSuspended { status: CaseStatus },
    #[error("a suspended case must have been accepted or verifying before, not {found:?}")]
    InvalidStatusBeforeSuspension { found: Option<CaseStatus> },
    #[error("rule `{rule_id}`: term of {days} days with suspensions exceeds the supported maximum")]
    TermTooLong { rule_id: String, days: u64 },
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// The clocks that run in a status (DOMAIN.md §4, §7): `received` runs processing, plus
/// acceptance for complaints and round-1 denunciations, or review for a re-denunciation;
/// `accepted`, `verifying` and (paused) `suspended` run resolution; `transferred` runs reply;
/// `decided` and closed statuses run none. The denunciation transfer term is checked when a
/// transfer happens ([`transfer_deadline`]), not listed as a running clock.
pub fn running_clocks(kind: CaseKind, round: i32, status: CaseStatus) -> &'static [ClockKind] {
    match status {
        CaseStatus::Received => match (kind, round) {
            (CaseKind::Complaint, _) | (CaseKind::Denunciation, 1) => &[ClockKind::Processing, ClockKind::Acceptance],
            (CaseKind::Denunciation, _) => &[ClockKind::Processing, ClockKind::Review],
            (CaseKind::Petition | CaseKind::Feedback, _) => &[ClockKind::Processing],
        },
        CaseStatus::Accepted | CaseStatus::Verifying | CaseStatus::Suspended => &[ClockKind::Resolution],
        CaseStatus::Transferred => &[ClockKind::Reply],
        CaseStatus::Decided
        | CaseStatus::Closed
        | CaseStatus::Filed
        | CaseStatus::Guided
        | CaseStatus::NotAccepted
        | CaseStatus::Terminated => &[],
    }
}

/// The clocks of a case under the rule set in force on its received date.
pub fn case_deadlines(
    facts: &CaseClockFacts,
    rules: &RuleBook,
    calendar: &HolidayCalendar,
) -> Result<Vec<Deadline>, DeadlineError> {
    deadlines_under(facts, rules.in_force_on(facts.received_on), calendar)
}

/// The clocks of a case under a given rule set.
pub fn deadlines_under(
    facts: &CaseClockFacts,
    rule_set: &RuleSet,
    calendar: &HolidayCalendar,
) -> Result<Vec<Deadline>, DeadlineError> {
    validate_facts(facts, rule_set)?;
    running_clocks(facts.kind, facts.round, facts.status)
        .iter()
        .map(|&clock| clock_deadline(clock, facts, rule_set, calendar))
        .collect()
}

/// A running clock's due date alone: what reports count by the ten thousand, without the rule's
/// names and the explanation a [`Deadline`] carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClockDue {
    pub clock: ClockKind,
    /// `None` while the clock is paused.
    pub due_on: Option<NaiveDate>,
}

/// The due dates of the running clocks of a case under the rule set in force on its received
/// date: the same dates, and the same errors, as [`case_deadlines`].
pub fn case_due_dates(
    facts: &CaseClockFacts,
    rules: &RuleBook,
    calendar: &HolidayCalendar,
) -> Result<Vec<ClockDue>, DeadlineError> {
    let rule_set = rules.in_force_on(facts.received_on);
    validate_facts(facts, rule_set)?;
    running_clocks(facts.kind, facts.round, facts.status)
        .iter()
        .map(|&clock| {
            let count = count_clock(clock, facts, rule_set, calendar, None)?;
            Ok(ClockDue { clock, due_on: count.due_on })
        })
        .collect()
}

/// The due date of each clock that can run in a case's status, as kept beside the case so that
/// reports count clocks without counting them again: `None` for a clock that does not run in the
/// status, or is paused. (The transfer term is checked when a transfer happens, not kept.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClockDueDates {
    pub processing: Option<NaiveDate>,
    pub acceptance: Option<NaiveDate>,
    pub review: Option<NaiveDate>,
    pub resolution: Option<NaiveDate>,
    pub reply: Option<NaiveDate>,
}

impl ClockDueDates {
    /// The due dates of the running clocks of a case ([`case_deadlines`]).
    pub fn of(deadlines: &[Deadline]) -> Self {
        let mut dates = ClockDueDates::default();
        for deadline in deadlines {
            if let Some(slot) = dates.slot(deadline.clock) {
                *slot = deadline.due_on;
            }
        }
        dates
    }

    fn slot(&mut self, clock: ClockKind) -> Option<&mut Option<NaiveDate>> {
        match clock {
            ClockKind::Processing => Some(&mut self.processing),
            ClockKind::Acceptance => Some(&mut self.acceptance),
            ClockKind::Review => Some(&mut self.review),
            ClockKind::Resolution => Some(&mut self.resolution),
            ClockKind::Reply => Some(&mut self.reply),
            ClockKind::Transfer => None,
        }
    }

    /// The case's `due_on`: the earliest of them.
    pub fn earliest(&self) -> Option<NaiveDate> {
        [self.processing, self.acceptance, self.review, self.resolution, self.reply].into_iter().flatten().min()
    }
}

/// The resolution due date a decided case was held to: its resolution clock as it stood before
/// the decision, counted with the case taken back to `accepted` and every suspension ended (the
/// facts are those the decision left: extensions and suspensions are only possible before it).
/// `None` when the case was never accepted.
pub fn resolution_due_at_decision(
    facts: &CaseClockFacts,
    rules: &RuleBook,
    calendar: &HolidayCalendar,
) -> Result<Option<NaiveDate>, DeadlineError> {
    if facts.accepted_on.is_none() {
        return Ok(None);
    }
    let before = CaseClockFacts {
        status: CaseStatus::Accepted,
        status_before_suspension: None,
        suspensions: facts.suspensions.iter().copied().filter(|s| s.resumed_on.is_some()).collect(),
        ..facts.clone()
    };
    let rule_set = rules.in_force_on(before.received_on);
    validate_facts(&before, rule_set)?;
    Ok(count_clock(ClockKind::Resolution, &before, rule_set, calendar, None)?.due_on)
}

fn validate_round(kind: CaseKind, round: i32) -> Result<(), DeadlineError> {
    let valid = match kind {
        CaseKind::Complaint | CaseKind::Denunciation => (1..=2).contains(&round),
        CaseKind::Petition | CaseKind::Feedback => round == 1,
    };
    if valid { Ok(()) } else { Err(DeadlineError::InvalidRound { kind, round }) }
}

fn validate_facts(facts: &CaseClockFacts, rule_set: &RuleSet) -> Result<(), DeadlineError> {
    validate_round(facts.kind, facts.round)?;
    if let Some(accepted_on) = facts.accepted_on
        && accepted_on < facts.received_on
    {
        return Err(DeadlineError::AcceptedBeforeReceived { received_on: facts.received_on, accepted_on });
    }
    if let Some(transferred_on) = facts.transferred_on
        && transferred_on < facts.received_on
    {
        return Err(DeadlineError::TransferredBeforeReceived { received_on: facts.received_on, transferred_on });
    }

    let suspended = facts.status == CaseStatus::Suspended;
    if suspended && !matches!(facts.status_before_suspension, Some(CaseStatus::Accepted | CaseStatus::Verifying)) {
        return Err(DeadlineError::InvalidStatusBeforeSuspension { found: facts.status_before_suspension });
    }
    let Some(last) = facts.suspensions.last() else {
        return if suspended { Err(DeadlineError::SuspendedWithoutOpenSuspension) } else { Ok(()) };
    };
    if !rule_set.suspension_allowed(facts.kind) {
        return Err(DeadlineError::SuspensionNotAllowed { kind: facts.kind, rule_set: rule_set.id.clone() });
    }
    let accepted_on = facts.accepted_on.ok_or(DeadlineError::SuspensionWithoutAcceptance)?;
    let mut previous_resumed_on: Option<NaiveDate> = None;
    for (index, span) in facts.suspensions.iter().enumerate() {
        if span.effective_on < accepted_on {
            return Err(DeadlineError::SuspensionBeforeAcceptance { effective_on: span.effective_on, accepted_on });
        }
        if let Some(previous) = previous_resumed_on
            && span.effective_on < previous
        {
            return Err(DeadlineError::OverlappingSuspensions {
                previous_resumed_on: previous,
                effective_on: span.effective_on,
            });
        }
        match span.resumed_on {
            Some(resumed_on) if resumed_on < span.effective_on => {
                return Err(DeadlineError::ResumedBeforeSuspended { effective_on: span.effective_on, resumed_on });
            }
            Some(resumed_on) => previous_resumed_on = Some(resumed_on),
            None if index + 1 < facts.suspensions.len() => {
                return Err(DeadlineError::OpenSuspensionNotLast { effective_on: span.effective_on });
            }
            None => {}
        }
    }
    match (suspended, last.resumed_on.is_none()) {
        (true, false) => Err(DeadlineError::SuspendedWithoutOpenSuspension),
        (false, true) => Err(DeadlineError::OpenSuspensionWhileNotSuspended { status: facts.status }),
        _ => Ok(()),
    }
}

fn start_date(clock: ClockKind, event: StartEvent, facts: &CaseClockFacts) -> Result<NaiveDate, DeadlineError> {
    let date = match event {
        StartEvent::Receipt => Some(facts.received_on),
        StartEvent::Acceptance => facts.accepted_on,
        StartEvent::Transfer => facts.transferred_on,
    };
    date.ok_or(DeadlineError::MissingStartDate { clock, event })
}

/// The rule and term after extensions. Extensions concern the resolution term only.
fn extended_rule<'a>(
    clock: ClockKind,
    facts: &CaseClockFacts,
    rule_set: &'a RuleSet,
) -> Result<(&'a Rule, u32, u32, Option<ExtensionsApplied>), DeadlineError> {
    let rule = rule_set.rule(clock, facts.kind, facts.round, &facts.flags)?;
    let count = facts.extensions;
    if clock != ClockKind::Resolution || count == 0 {
        return Ok((rule, rule.term, rule.term, None));
    }
    match rule.extension {
        ExtensionRule::None => Err(DeadlineError::ExtensionNotAllowed { rule_id: rule.id.clone(), extensions: count }),
        ExtensionRule::SwitchToComplex => {
            if count > 1 {
                return Err(DeadlineError::TooManyExtensions { rule_id: rule.id.clone(), given: count, max: 1 });
            }
            let complex_flags = ClockFlags { complex: true, ..facts.flags };
            let complex = rule_set.rule(clock, facts.kind, facts.round, &complex_flags)?;
            let applied =
                ExtensionsApplied::SwitchedToComplex { count, from_rule: rule.id.clone(), from_term: rule.term };
            Ok((complex, rule.term, complex.term, Some(applied)))
        }
        ExtensionRule::AddTerm { days, max_extensions, max_extensions_very_complex } => {
            let max = if facts.flags.very_complex { max_extensions_very_complex } else { max_extensions };
            if count > max {
                return Err(DeadlineError::TooManyExtensions { rule_id: rule.id.clone(), given: count, max });
            }
            let added = days.saturating_mul(count);
            let term = rule.term.saturating_add(added);
            Ok((rule, rule.term, term, Some(ExtensionsApplied::AddedDays { count, days_each: days, added })))
        }
    }
}

fn check_term(rule: &Rule, days: u64) -> Result<u32, DeadlineError> {
    u32::try_from(days)
        .ok()
        .filter(|days| *days <= MAX_DAYS)
        .ok_or(DeadlineError::TermTooLong { rule_id: rule.id.clone(), days })
}

/// One clock counted: the rule it follows and the dates it reached.
struct CountedClock<'a> {
    rule: &'a Rule,
    base_term: u32,
    term: u32,
    extensions: Option<ExtensionsApplied>,
    start_on: NaiveDate,
    paused_days: u32,
    open: bool,
    due_on: Option<NaiveDate>,
}

/// Counts one clock; records the suspensions it met in `paused_spans` when asked to.
fn count_clock<'a>(
    clock: ClockKind,
    facts: &CaseClockFacts,
    rule_set: &'a RuleSet,
    calendar: &HolidayCalendar,
    mut paused_spans: Option<&mut Vec<PausedSpan>>,
) -> Result<CountedClock<'a>, DeadlineError> {
    let (rule, base_term, term, extensions) = extended_rule(clock, facts, rule_set)?;
    let term = check_term(rule, u64::from(term))?;
    let start_on = start_date(clock, rule.start, facts)?;

    // Suspensions pause the resolution clock only (suspend is taken from accepted/verifying).
    let mut record = |span: PausedSpan| {
        if let Some(spans) = paused_spans.as_deref_mut() {
            spans.push(span);
        }
    };
    let mut paused_days: u32 = 0;
    let mut open = false;
    if clock == ClockKind::Resolution {
        let first_counted_day = start_on.succ_opt().ok_or(CalendarError::OutOfRange { from: start_on, days: 1 })?;
        for span in &facts.suspensions {
            let from = span.effective_on.max(first_counted_day);
            let Some(until) = span.resumed_on else {
                open = true;
                record(PausedSpan { effective_on: span.effective_on, resumed_on: None, days: None, counted: true });
                continue;
            };
            let due_so_far =
                calendar.try_add(start_on, check_term(rule, u64::from(term) + u64::from(paused_days))?, rule.unit)?;
            let days = match (from < until, rule.unit) {
                (false, _) => 0,
                (true, DayUnit::Calendar) => check_term(rule, (until - from).num_days().unsigned_abs())?,
                (true, DayUnit::Working) => calendar.working_days_between(from, until),
            };
            let counted = from <= due_so_far;
            if counted {
                paused_days = check_term(rule, u64::from(paused_days) + u64::from(days))?;
            }
            record(PausedSpan { effective_on: span.effective_on, resumed_on: Some(until), days: Some(days), counted });
        }
    }

    let due_on = if open {
        None
    } else {
        let total = check_term(rule, u64::from(term) + u64::from(paused_days))?;
        Some(calendar.try_add(start_on, total, rule.unit)?)
    };
    Ok(CountedClock { rule, base_term, term, extensions, start_on, paused_days, open, due_on })
}

fn clock_deadline(
    clock: ClockKind,
    facts: &CaseClockFacts,
    rule_set: &RuleSet,
    calendar: &HolidayCalendar,
) -> Result<Deadline, DeadlineError> {
    let mut paused_spans = Vec::new();
    let CountedClock { rule, base_term, term, extensions, start_on, paused_days, open, due_on } =
        count_clock(clock, facts, rule_set, calendar, Some(&mut paused_spans))?;
    Ok(Deadline {
        clock,
        unit: rule.unit,
        term,
        rule_set: rule_set.id.clone(),
        rule_id: rule.id.clone(),
        legal_source: rule.source.clone(),
        start_on,
        due_on,
        paused: open,
        explanation: Explanation {
            rule_set: rule_set.id.clone(),
            rule_id: rule.id.clone(),
            legal_source: rule.source.clone(),
            start_event: rule.start,
            start_on,
            unit: rule.unit,
            base_term,
            extensions,
            term,
            paused_spans,
            paused_days,
            due_on,
        },
    })
}

/// The denunciation transfer term (Luật Tố cáo Art 24.2: 5 working days from receipt), or
/// `None` when the rule set has no transfer term for the kind (complaints, petitions, feedback).
pub fn transfer_deadline(
    kind: CaseKind,
    round: i32,
    received_on: NaiveDate,
    rule_set: &RuleSet,
    calendar: &HolidayCalendar,
) -> Result<Option<Deadline>, DeadlineError> {
    validate_round(kind, round)?;
    let facts = CaseClockFacts::new(kind, round, CaseStatus::Received, received_on);
    match clock_deadline(ClockKind::Transfer, &facts, rule_set, calendar) {
        Ok(deadline) => Ok(Some(deadline)),
        Err(DeadlineError::NoRule { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Whether a transfer on `transferred_on` met the transfer term; `None` when the kind has none.
pub fn transfer_on_time(
    kind: CaseKind,
    round: i32,
    received_on: NaiveDate,
    transferred_on: NaiveDate,
    rule_set: &RuleSet,
    calendar: &HolidayCalendar,
) -> Result<Option<bool>, DeadlineError> {
    if transferred_on < received_on {
        return Err(DeadlineError::TransferredBeforeReceived { received_on, transferred_on });
    }
    let deadline = transfer_deadline(kind, round, received_on, rule_set, calendar)?;
    Ok(deadline.and_then(|d| d.due_on).map(|due| !is_overdue(due, transferred_on)))
}

/// The earliest due date among running (not paused) clocks: the case's `due_on`.
pub fn earliest_due_on(deadlines: &[Deadline]) -> Option<NaiveDate> {
    deadlines.iter().filter_map(|deadline| deadline.due_on).min()
}

/// A period ends at the end of its last day, so it is overdue from the next day on.
pub fn is_overdue(due_on: NaiveDate, today: NaiveDate) -> bool {
    today > due_on
}

/// Not overdue, and due today or within the next `window_working_days` working days.
pub fn is_due_soon(due_on: NaiveDate, today: NaiveDate, calendar: &HolidayCalendar, window_working_days: u32) -> bool {
    is_due_soon_by(due_on, today, due_soon_until(today, calendar, window_working_days))
}

/// The last day a clock due soon may be due on: the end of the window that starts today.
pub fn due_soon_until(today: NaiveDate, calendar: &HolidayCalendar, window_working_days: u32) -> NaiveDate {
    calendar.working_days_after(today, window_working_days)
}

/// [`is_due_soon`] with the window's end found once, for counting many clocks on one day.
pub fn is_due_soon_by(due_on: NaiveDate, today: NaiveDate, until: NaiveDate) -> bool {
    !is_overdue(due_on, today) && due_on <= until
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::NonWorkingReason;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn rules() -> RuleBook {
        RuleBook::builtin()
    }

    fn calendar() -> HolidayCalendar {
        HolidayCalendar::default_calendar()
    }

    fn received(kind: CaseKind, round: i32, on: &str) -> CaseClockFacts {
        CaseClockFacts::new(kind, round, CaseStatus::Received, d(on))
    }

    fn accepted(kind: CaseKind, round: i32, received_on: &str, accepted_on: &str) -> CaseClockFacts {
        CaseClockFacts {
            accepted_on: Some(d(accepted_on)),
            ..CaseClockFacts::new(kind, round, CaseStatus::Accepted, d(received_on))
        }
    }

    fn with_flags(facts: CaseClockFacts, flags: ClockFlags) -> CaseClockFacts {
        CaseClockFacts { flags, ..facts }
    }

    fn compute(facts: &CaseClockFacts) -> Vec<Deadline> {
        case_deadlines(facts, &rules(), &calendar()).unwrap()
    }

    fn only(facts: &CaseClockFacts) -> Deadline {
        let mut deadlines = compute(facts);
        assert_eq!(deadlines.len(), 1, "{deadlines:?}");
        deadlines.remove(0)
    }

    fn due(deadline: &Deadline) -> NaiveDate {
        deadline.due_on.expect("running clock")
    }

    fn clock(deadlines: &[Deadline], kind: ClockKind) -> &Deadline {
        deadlines.iter().find(|d| d.clock == kind).unwrap_or_else(|| panic!("no {kind} clock in {deadlines:?}"))
    }

    fn span(from: &str, until: Option<&str>) -> SuspensionSpan {
        SuspensionSpan { effective_on: d(from), resumed_on: until.map(d) }
    }

    const COMPLEX: ClockFlags =
        ClockFlags { complex: true, very_complex: false, remote_area: false, multi_site: false };
    const REMOTE: ClockFlags = ClockFlags { complex: false, very_complex: false, remote_area: true, multi_site: false };
    const REMOTE_COMPLEX: ClockFlags =
        ClockFlags { complex: true, very_complex: false, remote_area: true, multi_site: false };
    const MULTI_SITE: ClockFlags =
        ClockFlags { complex: false, very_complex: false, remote_area: false, multi_site: true };
    const VERY_COMPLEX: ClockFlags =
        ClockFlags { complex: true, very_complex: true, remote_area: false, multi_site: false };

    // ---- rule sets ---------------------------------------------------------------------

    #[test]
    fn builtin_rule_sets() {
        let book = rules();
        let ids: Vec<&str> = book.rule_sets().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["2019", "2026-07"]);
        let old = book.get("2019").unwrap();
        let new = book.get("2026-07").unwrap();
        assert_eq!(old.in_force_from, d("2019-01-01"));
        assert_eq!(new.in_force_from, d("2026-07-01"));
        assert!(!old.suspension_allowed(CaseKind::Complaint));
        assert!(new.suspension_allowed(CaseKind::Complaint));
        for rule_set in [old, new] {
            assert!(rule_set.suspension_allowed(CaseKind::Denunciation));
            assert!(!rule_set.suspension_allowed(CaseKind::Petition));
            assert!(!rule_set.suspension_allowed(CaseKind::Feedback));
            assert_eq!(rule_set.due_soon_working_days, 3);
        }
    }

    #[test]
    fn rule_set_selection_by_received_date() {
        let book = rules();
        assert_eq!(book.in_force_on(d("2018-12-31")).id, "2019"); // before the first: the first
        assert_eq!(book.in_force_on(d("2019-01-01")).id, "2019");
        assert_eq!(book.in_force_on(d("2026-06-30")).id, "2019");
        assert_eq!(book.in_force_on(d("2026-07-01")).id, "2026-07");
        assert_eq!(book.in_force_on(d("2030-01-01")).id, "2026-07");
    }

    #[test]
    fn complaint_acceptance_changes_on_2026_07_01() {
        // Received Tue 30/6/2026 (rule set 2019): 10 WD: Wed 1/7 (1), Thu 2 (2), Fri 3 (3),
        // Mon 6 – Fri 10 (4–8), Mon 13 (9), Tue 14/7 (10).
        let before = compute(&received(CaseKind::Complaint, 1, "2026-06-30"));
        let acceptance = clock(&before, ClockKind::Acceptance);
        assert_eq!((acceptance.rule_set.as_str(), acceptance.term), ("2019", 10));
        assert_eq!(due(acceptance), d("2026-07-14"));
        assert!(acceptance.legal_source.contains("Nghị định 124/2020/NĐ-CP Điều 16.1"));
        // LAW.md §6.6: received Wed 1/7/2026 (rule set 2026-07): 7 WD: Thu 2 (1), Fri 3 (2),
        // Mon 6 – Fri 10 (3–7) → Fri 10/7.
        let after = compute(&received(CaseKind::Complaint, 1, "2026-07-01"));
        let acceptance = clock(&after, ClockKind::Acceptance);
        assert_eq!((acceptance.rule_set.as_str(), acceptance.term), ("2026-07", 7));
        assert_eq!(due(acceptance), d("2026-07-10"));
        assert!(acceptance.legal_source.contains("Luật 136/2025/QH15"));
        // Processing 10 WD from Wed 1/7: 2, 3, 6, 7, 8, 9, 10, 13, 14, Wed 15/7.
        assert_eq!(due(clock(&after, ClockKind::Processing)), d("2026-07-15"));
        assert_eq!(earliest_due_on(&after), Some(d("2026-07-10")));
        // The round-2 acceptance changes the same way (Luật Khiếu nại Art 36.1).
        let round2 = compute(&received(CaseKind::Complaint, 2, "2026-07-01"));
        assert_eq!(due(clock(&round2, ClockKind::Acceptance)), d("2026-07-10"));
    }

    // ---- clocks while received ---------------------------------------------------------

    #[test]
    fn received_clocks_of_each_kind() {
        let clocks = |facts: &CaseClockFacts| compute(facts).iter().map(|d| d.clock).collect::<Vec<_>>();
        use ClockKind::*;
        assert_eq!(clocks(&received(CaseKind::Complaint, 1, "2026-03-06")), [Processing, Acceptance]);
        assert_eq!(clocks(&received(CaseKind::Complaint, 2, "2026-03-06")), [Processing, Acceptance]);
        assert_eq!(clocks(&received(CaseKind::Denunciation, 1, "2026-03-06")), [Processing, Acceptance]);
        assert_eq!(clocks(&received(CaseKind::Denunciation, 2, "2026-03-06")), [Processing, Review]);
        assert_eq!(clocks(&received(CaseKind::Petition, 1, "2026-03-06")), [Processing]);
        assert_eq!(clocks(&received(CaseKind::Feedback, 1, "2026-03-06")), [Processing]);
    }

    #[test]
    fn law_worked_examples_for_received_cases() {
        // LAW.md §6.6, 2026 (no holiday in March 2026). Received Fri 6/3/2026.
        // Processing 10 WD: Mon 9 – Fri 13 (1–5), Mon 16 – Fri 20 (6–10) → Fri 20/3.
        // Denunciation acceptance 7 WD → Tue 17/3; multi-site 10 WD → Fri 20/3.
        // Complaint acceptance 10 WD → Fri 20/3.
        for rule_set in ["2019", "2026-07"] {
            let set = rules().get(rule_set).unwrap().clone();
            let cal = calendar();
            let tc = deadlines_under(&received(CaseKind::Denunciation, 1, "2026-03-06"), &set, &cal).unwrap();
            assert_eq!(due(clock(&tc, ClockKind::Processing)), d("2026-03-20"));
            let acceptance = clock(&tc, ClockKind::Acceptance);
            assert_eq!(
                (acceptance.rule_id.as_str(), acceptance.unit, acceptance.term),
                ("denunciation_acceptance", DayUnit::Working, 7)
            );
            assert_eq!(due(acceptance), d("2026-03-17"));
            assert_eq!(acceptance.legal_source, "Luật Tố cáo 2018 Điều 24.1");
            let multi =
                deadlines_under(&with_flags(received(CaseKind::Denunciation, 1, "2026-03-06"), MULTI_SITE), &set, &cal)
                    .unwrap();
            assert_eq!(clock(&multi, ClockKind::Acceptance).term, 10);
            assert_eq!(due(clock(&multi, ClockKind::Acceptance)), d("2026-03-20"));
            // Skipped days of the 7 WD: Sat 7, Sun 8, Sat 14, Sun 15.
            let skipped: Vec<NaiveDate> = acceptance.explanation.skipped(&calendar()).iter().map(|s| s.date).collect();
            assert_eq!(skipped, [d("2026-03-07"), d("2026-03-08"), d("2026-03-14"), d("2026-03-15")]);
            assert!(acceptance.explanation.skipped(&calendar()).iter().all(|s| s.reason == NonWorkingReason::Weekend));
        }
        let kn = compute(&received(CaseKind::Complaint, 1, "2026-03-06"));
        assert_eq!(due(clock(&kn, ClockKind::Acceptance)), d("2026-03-20"));
        assert_eq!(due(clock(&kn, ClockKind::Processing)), d("2026-03-20"));
    }

    #[test]
    fn processing_and_acceptance_across_tet_2026() {
        // Complaint received Fri 13/2/2026: 10 WD skip 14–22/2 (weekend, Tết 16–20, weekend):
        // Mon 23 – Fri 27 (1–5), Mon 2/3 – Fri 6/3 (6–10) → Fri 6/3/2026.
        let deadlines = compute(&received(CaseKind::Complaint, 1, "2026-02-13"));
        assert_eq!(due(clock(&deadlines, ClockKind::Processing)), d("2026-03-06"));
        assert_eq!(due(clock(&deadlines, ClockKind::Acceptance)), d("2026-03-06"));
        // Denunciation received the same day: 7 WD → Mon 23 (1) … Fri 27 (5), Mon 2 (6), Tue 3/3 (7).
        let tc = compute(&received(CaseKind::Denunciation, 1, "2026-02-13"));
        assert_eq!(due(clock(&tc, ClockKind::Acceptance)), d("2026-03-03"));
        let names: Vec<String> =
            clock(&tc, ClockKind::Acceptance).explanation.skipped(&calendar()).into_iter().map(|s| s.name).collect();
        assert!(names.iter().any(|name| name == "Tết Nguyên đán (mùng 1)"), "{names:?}");
    }

    #[test]
    fn redenunciation_review_runs_instead_of_acceptance() {
        // Received Fri 6/3/2026: processing 10 WD → Fri 20/3; review 20 days → Thu 26/3.
        let deadlines = compute(&received(CaseKind::Denunciation, 2, "2026-03-06"));
        let review = clock(&deadlines, ClockKind::Review);
        assert_eq!(
            (review.unit, review.term, review.rule_id.as_str()),
            (DayUnit::Calendar, 20, "redenunciation_review")
        );
        assert_eq!(due(review), d("2026-03-26"));
        assert_eq!(review.legal_source, "Luật Tố cáo 2018 Điều 37.2 (tố cáo tiếp)");
        assert_eq!(earliest_due_on(&deadlines), Some(d("2026-03-20")));
        // Rule set 2026-07: received Wed 12/8/2026: review 20 → Tue 1/9 Quốc khánh → Wed 2/9
        // Quốc khánh → Thu 3/9/2026. Processing 10 WD: 13, 14, 17–21, 24, 25, Wed 26/8.
        let deadlines = compute(&received(CaseKind::Denunciation, 2, "2026-08-12"));
        let review = clock(&deadlines, ClockKind::Review);
        assert_eq!(review.rule_set, "2026-07");
        assert_eq!(due(review), d("2026-09-03"));
        assert_eq!(review.explanation.skipped(&calendar()).len(), 2);
        assert_eq!(due(clock(&deadlines, ClockKind::Processing)), d("2026-08-26"));
    }

    // ---- complaint resolution ----------------------------------------------------------

    #[test]
    fn complaint_resolution_round_1_rule_set_2019() {
        // Accepted Mon 10/3/2025: +30 = Wed 9/4 (Hùng Kings was Mon 7/4, inside the term);
        // +45 = Thu 24/4; +60 = Fri 9/5. All working days.
        let base = accepted(CaseKind::Complaint, 1, "2025-03-03", "2025-03-10");
        let cases = [
            (ClockFlags::default(), "complaint_resolution_round1", 30, "2025-04-09"),
            (COMPLEX, "complaint_resolution_round1_complex", 45, "2025-04-24"),
            (REMOTE, "complaint_resolution_round1_remote", 45, "2025-04-24"),
            (REMOTE_COMPLEX, "complaint_resolution_round1_remote_complex", 60, "2025-05-09"),
        ];
        for (flags, rule_id, term, expected) in cases {
            let deadline = only(&with_flags(base.clone(), flags));
            assert_eq!(deadline.clock, ClockKind::Resolution);
            assert_eq!((deadline.rule_id.as_str(), deadline.term, deadline.unit), (rule_id, term, DayUnit::Calendar));
            assert_eq!(deadline.rule_set, "2019");
            assert_eq!(deadline.start_on, d("2025-03-10"));
            assert_eq!(due(&deadline), d(expected), "{rule_id}");
            assert!(deadline.legal_source.starts_with("Luật Khiếu nại 2011 Điều 28"));
        }
    }

    #[test]
    fn complaint_resolution_round_2_rule_set_2019() {
        // Accepted Mon 10/3/2025: +45 = Thu 24/4; +60 = Fri 9/5; +70 = Mon 19/5.
        let base = accepted(CaseKind::Complaint, 2, "2025-03-03", "2025-03-10");
        let cases = [
            (ClockFlags::default(), 45, "2025-04-24"),
            (COMPLEX, 60, "2025-05-09"),
            (REMOTE, 60, "2025-05-09"),
            (REMOTE_COMPLEX, 70, "2025-05-19"),
        ];
        for (flags, term, expected) in cases {
            let deadline = only(&with_flags(base.clone(), flags));
            assert_eq!(deadline.term, term);
            assert_eq!(due(&deadline), d(expected), "{flags:?}");
            assert!(deadline.legal_source.starts_with("Luật Khiếu nại 2011 Điều 37"));
        }
    }

    #[test]
    fn complaint_resolution_rule_set_2026_07() {
        // Received Wed 15/7/2026, accepted Mon 3/8/2026.
        // Round 1: +30 = Wed 2/9 Quốc khánh → Thu 3/9; +45 = Thu 17/9; remote +45 = Thu 17/9;
        // remote+complex +60 = Fri 2/10.
        // Round 2: +45 = Thu 17/9; +60 = Fri 2/10; remote+complex +70 = Mon 12/10.
        let round1 = accepted(CaseKind::Complaint, 1, "2026-07-15", "2026-08-03");
        let round2 = accepted(CaseKind::Complaint, 2, "2026-07-15", "2026-08-03");
        let cases = [
            (&round1, ClockFlags::default(), "2026-09-03"),
            (&round1, COMPLEX, "2026-09-17"),
            (&round1, REMOTE, "2026-09-17"),
            (&round1, REMOTE_COMPLEX, "2026-10-02"),
            (&round2, ClockFlags::default(), "2026-09-17"),
            (&round2, COMPLEX, "2026-10-02"),
            (&round2, REMOTE, "2026-10-02"),
            (&round2, REMOTE_COMPLEX, "2026-10-12"),
        ];
        for (facts, flags, expected) in cases {
            let deadline = only(&with_flags((*facts).clone(), flags));
            assert_eq!(deadline.rule_set, "2026-07");
            assert_eq!(due(&deadline), d(expected), "round {} {flags:?}", facts.round);
        }
        let plain = only(&round1);
        assert_eq!(plain.explanation.skipped(&calendar()).len(), 1);
        assert_eq!(plain.explanation.skipped(&calendar())[0].name, "Quốc khánh");
    }

    #[test]
    fn complaint_resolution_ending_on_30_april_2025() {
        // Accepted Mon 31/3/2025 + 30 = Wed 30/4 → Thu 1/5 → Fri 2/5/2025.
        let deadline = only(&accepted(CaseKind::Complaint, 1, "2025-03-25", "2025-03-31"));
        assert_eq!(due(&deadline), d("2025-05-02"));
        let names: Vec<String> = deadline.explanation.skipped(&calendar()).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["Ngày Chiến thắng", "Ngày Quốc tế Lao động"]);
    }

    #[test]
    fn law_worked_example_complaint_resolution() {
        // LAW.md §6.6: accepted Fri 6/3/2026, 30 days → Sun 5/4 → Mon 6/4/2026.
        let deadline = only(&accepted(CaseKind::Complaint, 1, "2026-03-02", "2026-03-06"));
        assert_eq!(due(&deadline), d("2026-04-06"));
        assert_eq!(deadline.explanation.skipped(&calendar())[0].name, "Chủ nhật");
    }

    #[test]
    fn complaint_extension_switches_to_the_complex_term() {
        // Accepted Mon 10/3/2025; extension → complex 45 → Thu 24/4/2025, computed from the start.
        let mut facts = accepted(CaseKind::Complaint, 1, "2025-03-03", "2025-03-10");
        facts.extensions = 1;
        let deadline = only(&facts);
        assert_eq!((deadline.rule_id.as_str(), deadline.term), ("complaint_resolution_round1_complex", 45));
        assert_eq!(due(&deadline), d("2025-04-24"));
        assert_eq!(deadline.explanation.base_term, 30);
        assert_eq!(
            deadline.explanation.extensions,
            Some(ExtensionsApplied::SwitchedToComplex {
                count: 1,
                from_rule: "complaint_resolution_round1".into(),
                from_term: 30
            })
        );
        // Remote: 45 → 60 → Fri 9/5/2025; round 2 remote: 60 → 70 → Mon 19/5/2025.
        assert_eq!(due(&only(&with_flags(facts.clone(), REMOTE))), d("2025-05-09"));
        let mut round2 = with_flags(accepted(CaseKind::Complaint, 2, "2025-03-03", "2025-03-10"), REMOTE);
        round2.extensions = 1;
        assert_eq!(due(&only(&round2)), d("2025-05-19"));
        // A complaint is extended once at most.
        facts.extensions = 2;
        assert_eq!(
            case_deadlines(&facts, &rules(), &calendar()),
            Err(DeadlineError::TooManyExtensions { rule_id: "complaint_resolution_round1".into(), given: 2, max: 1 })
        );
    }

    // ---- denunciation resolution -------------------------------------------------------

    #[test]
    fn denunciation_resolution_and_extensions() {
        // Accepted Mon 2/6/2025: +30 = Wed 2/7; one extension: +60 = Fri 1/8;
        // two extensions (very complex): +90 = Sun 31/8 → Mon 1/9, Tue 2/9 Quốc khánh → Wed 3/9/2025.
        let base = accepted(CaseKind::Denunciation, 1, "2025-05-26", "2025-06-02");
        let plain = only(&base);
        assert_eq!((plain.rule_id.as_str(), plain.term), ("denunciation_resolution", 30));
        assert_eq!(plain.legal_source, "Luật Tố cáo 2018 Điều 30");
        assert_eq!(due(&plain), d("2025-07-02"));

        let once = only(&CaseClockFacts { extensions: 1, ..base.clone() });
        assert_eq!(once.term, 60);
        assert_eq!(due(&once), d("2025-08-01"));
        assert_eq!(
            once.explanation.extensions,
            Some(ExtensionsApplied::AddedDays { count: 1, days_each: 30, added: 30 })
        );

        let twice = only(&CaseClockFacts { extensions: 2, flags: VERY_COMPLEX, ..base.clone() });
        assert_eq!(twice.term, 90);
        assert_eq!(due(&twice), d("2025-09-03"));
        assert_eq!(twice.explanation.skipped(&calendar()).len(), 3);

        let too_many = CaseClockFacts { extensions: 2, flags: COMPLEX, ..base.clone() };
        assert_eq!(
            case_deadlines(&too_many, &rules(), &calendar()),
            Err(DeadlineError::TooManyExtensions { rule_id: "denunciation_resolution".into(), given: 2, max: 1 })
        );
        let far_too_many = CaseClockFacts { extensions: 3, flags: VERY_COMPLEX, ..base };
        assert!(matches!(
            case_deadlines(&far_too_many, &rules(), &calendar()),
            Err(DeadlineError::TooManyExtensions { max: 2, .. })
        ));
    }

    #[test]
    fn denunciation_resolution_in_rule_set_2026_07_and_round_2() {
        // Received 1/7/2026, accepted Mon 6/7/2026 + 30 = Wed 5/8/2026.
        let deadline = only(&accepted(CaseKind::Denunciation, 1, "2026-07-01", "2026-07-06"));
        assert_eq!((deadline.rule_set.as_str(), deadline.term), ("2026-07", 30));
        assert_eq!(due(&deadline), d("2026-08-05"));
        // A re-denunciation accepted for re-resolution runs the same 30-day term.
        // Accepted Fri 6/3/2026 + 30 = Sun 5/4 → Mon 6/4/2026.
        let round2 = CaseClockFacts {
            status: CaseStatus::Verifying,
            ..accepted(CaseKind::Denunciation, 2, "2026-03-02", "2026-03-06")
        };
        assert_eq!(due(&only(&round2)), d("2026-04-06"));
    }

    // ---- petition, feedback, reply -----------------------------------------------------

    #[test]
    fn petition_and_feedback_answer() {
        // Accepted Fri 6/3/2026 + 30 = Sun 5/4 → Mon 6/4/2026.
        for kind in [CaseKind::Petition, CaseKind::Feedback] {
            for rule_set in ["2019", "2026-07"] {
                let set = rules().get(rule_set).unwrap().clone();
                let deadlines =
                    deadlines_under(&accepted(kind, 1, "2026-03-02", "2026-03-06"), &set, &calendar()).unwrap();
                assert_eq!(deadlines.len(), 1);
                let answer = &deadlines[0];
                assert_eq!(
                    (answer.clock, answer.rule_id.as_str(), answer.term),
                    (ClockKind::Resolution, "petition_feedback_answer", 30)
                );
                assert_eq!(answer.explanation.start_event, StartEvent::Acceptance);
                assert_eq!(due(answer), d("2026-04-06"));
            }
        }
        let extended = CaseClockFacts { extensions: 1, ..accepted(CaseKind::Petition, 1, "2026-03-02", "2026-03-06") };
        assert_eq!(
            case_deadlines(&extended, &rules(), &calendar()),
            Err(DeadlineError::ExtensionNotAllowed { rule_id: "petition_feedback_answer".into(), extensions: 1 })
        );
    }

    #[test]
    fn transferred_letters_await_a_reply() {
        // Transferred Wed 1/4/2026 + 30 = Fri 1/5 holiday → Sat 2, Sun 3 → Mon 4/5/2026.
        for kind in CaseKind::ALL {
            let facts = CaseClockFacts {
                transferred_on: Some(d("2026-04-01")),
                ..CaseClockFacts::new(*kind, 1, CaseStatus::Transferred, d("2026-03-30"))
            };
            let reply = only(&facts);
            assert_eq!((reply.clock, reply.term, reply.unit), (ClockKind::Reply, 30, DayUnit::Calendar));
            assert_eq!(reply.start_on, d("2026-04-01"));
            assert_eq!(due(&reply), d("2026-05-04"));
            let names: Vec<String> = reply.explanation.skipped(&calendar()).into_iter().map(|s| s.name).collect();
            assert_eq!(names, ["Ngày Quốc tế Lao động", "Thứ Bảy", "Chủ nhật"]);
        }
        // Rule set 2026-07: transferred Mon 6/7/2026 + 30 = Wed 5/8/2026.
        let facts = CaseClockFacts {
            transferred_on: Some(d("2026-07-06")),
            ..CaseClockFacts::new(CaseKind::Complaint, 2, CaseStatus::Transferred, d("2026-07-02"))
        };
        assert_eq!(due(&only(&facts)), d("2026-08-05"));
    }

    #[test]
    fn denunciation_transfer_term() {
        // LAW.md §6.6: received Fri 6/3/2026, 5 WD: Mon 9 – Fri 13 → Fri 13/3/2026.
        let cal = calendar();
        for rule_set in rules().rule_sets() {
            let deadline =
                transfer_deadline(CaseKind::Denunciation, 1, d("2026-03-06"), rule_set, &cal).unwrap().unwrap();
            assert_eq!((deadline.clock, deadline.term), (ClockKind::Transfer, 5));
            assert_eq!(deadline.legal_source, "Luật Tố cáo 2018 Điều 24.2");
            assert_eq!(due(&deadline), d("2026-03-13"));
            let on_time =
                |on: &str| transfer_on_time(CaseKind::Denunciation, 1, d("2026-03-06"), d(on), rule_set, &cal).unwrap();
            assert_eq!(on_time("2026-03-06"), Some(true));
            assert_eq!(on_time("2026-03-13"), Some(true));
            assert_eq!(on_time("2026-03-16"), Some(false));
            assert_eq!(transfer_deadline(CaseKind::Complaint, 1, d("2026-03-06"), rule_set, &cal), Ok(None));
            assert_eq!(
                transfer_on_time(CaseKind::Petition, 1, d("2026-03-06"), d("2026-03-20"), rule_set, &cal),
                Ok(None)
            );
        }
        // Across Tết 2027: received Wed 3/2/2027, 5 WD: Thu 4 (1), Fri 5 – Thu 11 off, Fri 12 (2),
        // Mon 15 (3), Tue 16 (4), Wed 17/2/2027 (5).
        let set = rules().in_force_on(d("2027-02-03")).clone();
        let deadline = transfer_deadline(CaseKind::Denunciation, 2, d("2027-02-03"), &set, &cal).unwrap().unwrap();
        assert_eq!(due(&deadline), d("2027-02-17"));
        assert_eq!(
            transfer_on_time(CaseKind::Denunciation, 1, d("2027-02-03"), d("2027-02-01"), &set, &cal),
            Err(DeadlineError::TransferredBeforeReceived {
                received_on: d("2027-02-03"),
                transferred_on: d("2027-02-01")
            })
        );
    }

    #[test]
    fn no_clock_after_a_decision_or_when_closed() {
        for status in [
            CaseStatus::Decided,
            CaseStatus::Closed,
            CaseStatus::Filed,
            CaseStatus::Guided,
            CaseStatus::NotAccepted,
            CaseStatus::Terminated,
        ] {
            for kind in CaseKind::ALL {
                let facts = CaseClockFacts {
                    accepted_on: Some(d("2026-03-06")),
                    ..CaseClockFacts::new(*kind, 1, status, d("2026-03-02"))
                };
                assert_eq!(compute(&facts), [], "{kind} {status}");
            }
        }
    }

    // ---- suspension --------------------------------------------------------------------

    #[test]
    fn suspension_moves_the_due_date_by_the_paused_days() {
        // Denunciation accepted Mon 2/6/2025 (30 days → Wed 2/7). Suspended 10/6, resumed 20/6:
        // 10 paused days (10–19/6) → 2/7 + 10 = Sat 12/7 → Mon 14/7/2025.
        let base = CaseClockFacts {
            suspensions: vec![span("2025-06-10", Some("2025-06-20"))],
            ..accepted(CaseKind::Denunciation, 1, "2025-05-26", "2025-06-02")
        };
        let deadline = only(&base);
        assert_eq!(due(&deadline), d("2025-07-14"));
        assert!(!deadline.paused);
        assert_eq!(deadline.term, 30);
        assert_eq!(deadline.explanation.paused_days, 10);
        assert_eq!(
            deadline.explanation.paused_spans,
            [PausedSpan {
                effective_on: d("2025-06-10"),
                resumed_on: Some(d("2025-06-20")),
                days: Some(10),
                counted: true
            }]
        );
        let rolled: Vec<String> = deadline.explanation.skipped(&calendar()).into_iter().map(|s| s.name).collect();
        assert_eq!(rolled, ["Thứ Bảy", "Chủ nhật"]);

        // A second suspension 1/7 – 4/7 (3 days) begins before the current due date (14/7):
        // 2/7 + 13 = Tue 15/7/2025.
        let two = CaseClockFacts {
            suspensions: vec![span("2025-06-10", Some("2025-06-20")), span("2025-07-01", Some("2025-07-04"))],
            ..base.clone()
        };
        assert_eq!(due(&only(&two)), d("2025-07-15"));

        // With one extension (60 days → Fri 1/8) and the 10 paused days → Mon 11/8/2025.
        let extended = CaseClockFacts { extensions: 1, ..base };
        assert_eq!(due(&only(&extended)), d("2025-08-11"));
    }

    #[test]
    fn open_suspension_pauses_the_clock() {
        let facts = CaseClockFacts {
            status: CaseStatus::Suspended,
            status_before_suspension: Some(CaseStatus::Verifying),
            suspensions: vec![span("2025-06-10", None)],
            ..accepted(CaseKind::Denunciation, 1, "2025-05-26", "2025-06-02")
        };
        let deadline = only(&facts);
        assert_eq!(deadline.clock, ClockKind::Resolution);
        assert!(deadline.paused);
        assert_eq!(deadline.due_on, None);
        assert_eq!(deadline.explanation.paused_spans[0].days, None);
        assert_eq!(earliest_due_on(std::slice::from_ref(&deadline)), None);
        assert!(!deadline.is_overdue(d("2030-01-01")));
    }

    #[test]
    fn suspension_edges() {
        let accepted_case = accepted(CaseKind::Denunciation, 1, "2025-05-26", "2025-06-02");
        // Suspended on the acceptance day itself, resumed 5/6: the start day never counts, so
        // only 3/6 and 4/6 are paused → 2/7 + 2 = Fri 4/7/2025.
        let same_day =
            CaseClockFacts { suspensions: vec![span("2025-06-02", Some("2025-06-05"))], ..accepted_case.clone() };
        let deadline = only(&same_day);
        assert_eq!(deadline.explanation.paused_days, 2);
        assert_eq!(due(&deadline), d("2025-07-04"));
        // Suspended after the term expired (due 2/7): it does not revive the term.
        let late =
            CaseClockFacts { suspensions: vec![span("2025-07-10", Some("2025-07-20"))], ..accepted_case.clone() };
        let deadline = only(&late);
        assert_eq!(due(&deadline), d("2025-07-02"));
        assert!(!deadline.explanation.paused_spans[0].counted);
        // Suspended and resumed the same day: nothing paused.
        let zero = CaseClockFacts { suspensions: vec![span("2025-06-10", Some("2025-06-10"))], ..accepted_case };
        assert_eq!(due(&only(&zero)), d("2025-07-02"));
    }

    #[test]
    fn complaint_suspension_only_under_rule_set_2026_07() {
        // Received 1/7/2026, accepted Mon 6/7/2026 (+30 = Wed 5/8); suspended 13/7 – 27/7:
        // 14 days → Wed 19/8/2026.
        let facts = CaseClockFacts {
            suspensions: vec![span("2026-07-13", Some("2026-07-27"))],
            ..accepted(CaseKind::Complaint, 1, "2026-07-01", "2026-07-06")
        };
        assert_eq!(due(&only(&facts)), d("2026-08-19"));
        // The same facts for a complaint received 30/6/2026 (rule set 2019) are inconsistent.
        let old = CaseClockFacts { received_on: d("2026-06-30"), ..facts };
        assert_eq!(
            case_deadlines(&old, &rules(), &calendar()),
            Err(DeadlineError::SuspensionNotAllowed { kind: CaseKind::Complaint, rule_set: "2019".into() })
        );
    }

    #[test]
    fn suspension_of_a_working_day_term_loses_working_days() {
        // A rule set where the denunciation resolution counts 10 working days (units are data).
        let text = DEFAULT_RULESETS_JSON.replace(
            r#""unit": "calendar", "term": 30, "start": "acceptance", "extension": {"kind": "add_term""#,
            r#""unit": "working", "term": 10, "start": "acceptance", "extension": {"kind": "add_term""#,
        );
        let book = RuleBook::from_json(&text).unwrap();
        // Accepted Fri 6/3/2026: 10 WD → Fri 20/3. Suspended Tue 10/3 – Thu 12/3: 10 and 11/3 are
        // working days lost → 12 WD → Tue 24/3/2026.
        let facts = CaseClockFacts {
            suspensions: vec![span("2026-03-10", Some("2026-03-12"))],
            ..accepted(CaseKind::Denunciation, 1, "2026-03-02", "2026-03-06")
        };
        let deadline = case_deadlines(&facts, &book, &calendar()).unwrap().remove(0);
        assert_eq!((deadline.unit, deadline.term), (DayUnit::Working, 10));
        assert_eq!(deadline.explanation.paused_days, 2);
        assert_eq!(due(&deadline), d("2026-03-24"));
        // Suspended over a weekend only (Sat 14/3 – Mon 16/3): no working day lost → Fri 20/3.
        let weekend = CaseClockFacts { suspensions: vec![span("2026-03-14", Some("2026-03-16"))], ..facts };
        assert_eq!(due(&case_deadlines(&weekend, &book, &calendar()).unwrap()[0]), d("2026-03-20"));
    }

    // ---- inconsistent facts ------------------------------------------------------------

    #[test]
    fn inconsistent_facts_are_typed_errors() {
        let err = |facts: CaseClockFacts| case_deadlines(&facts, &rules(), &calendar()).unwrap_err();
        let base = accepted(CaseKind::Denunciation, 1, "2025-05-26", "2025-06-02");

        assert_eq!(
            err(CaseClockFacts::new(CaseKind::Complaint, 1, CaseStatus::Accepted, d("2025-05-26"))),
            DeadlineError::MissingStartDate { clock: ClockKind::Resolution, event: StartEvent::Acceptance }
        );
        assert_eq!(
            err(CaseClockFacts::new(CaseKind::Complaint, 1, CaseStatus::Transferred, d("2025-05-26"))),
            DeadlineError::MissingStartDate { clock: ClockKind::Reply, event: StartEvent::Transfer }
        );
        assert_eq!(
            err(CaseClockFacts { accepted_on: Some(d("2025-05-25")), ..base.clone() }),
            DeadlineError::AcceptedBeforeReceived { received_on: d("2025-05-26"), accepted_on: d("2025-05-25") }
        );
        assert!(matches!(
            err(CaseClockFacts { transferred_on: Some(d("2025-05-01")), ..base.clone() }),
            DeadlineError::TransferredBeforeReceived { .. }
        ));
        assert_eq!(
            err(received(CaseKind::Petition, 2, "2025-05-26")),
            DeadlineError::InvalidRound { kind: CaseKind::Petition, round: 2 }
        );
        assert_eq!(
            err(received(CaseKind::Complaint, 3, "2025-05-26")),
            DeadlineError::InvalidRound { kind: CaseKind::Complaint, round: 3 }
        );
        let suspended = CaseClockFacts {
            status: CaseStatus::Suspended,
            status_before_suspension: Some(CaseStatus::Accepted),
            ..base.clone()
        };
        assert_eq!(err(suspended.clone()), DeadlineError::SuspendedWithoutOpenSuspension);
        assert_eq!(
            err(CaseClockFacts { suspensions: vec![span("2025-06-10", Some("2025-06-12"))], ..suspended.clone() }),
            DeadlineError::SuspendedWithoutOpenSuspension
        );
        assert_eq!(
            err(CaseClockFacts {
                status_before_suspension: Some(CaseStatus::Received),
                suspensions: vec![span("2025-06-10", None)],
                ..suspended.clone()
            }),
            DeadlineError::InvalidStatusBeforeSuspension { found: Some(CaseStatus::Received) }
        );
        assert_eq!(
            err(CaseClockFacts {
                status_before_suspension: None,
                suspensions: vec![span("2025-06-10", None)],
                ..suspended
            }),
            DeadlineError::InvalidStatusBeforeSuspension { found: None }
        );
        assert_eq!(
            err(CaseClockFacts { suspensions: vec![span("2025-06-10", None)], ..base.clone() }),
            DeadlineError::OpenSuspensionWhileNotSuspended { status: CaseStatus::Accepted }
        );
        assert_eq!(
            err(CaseClockFacts {
                suspensions: vec![span("2025-06-10", None), span("2025-06-20", Some("2025-06-25"))],
                ..base.clone()
            }),
            DeadlineError::OpenSuspensionNotLast { effective_on: d("2025-06-10") }
        );
        assert_eq!(
            err(CaseClockFacts {
                suspensions: vec![span("2025-06-10", Some("2025-06-20")), span("2025-06-15", Some("2025-06-25"))],
                ..base.clone()
            }),
            DeadlineError::OverlappingSuspensions {
                previous_resumed_on: d("2025-06-20"),
                effective_on: d("2025-06-15")
            }
        );
        assert_eq!(
            err(CaseClockFacts { suspensions: vec![span("2025-06-10", Some("2025-06-09"))], ..base.clone() }),
            DeadlineError::ResumedBeforeSuspended { effective_on: d("2025-06-10"), resumed_on: d("2025-06-09") }
        );
        assert_eq!(
            err(CaseClockFacts { suspensions: vec![span("2025-06-01", Some("2025-06-09"))], ..base.clone() }),
            DeadlineError::SuspensionBeforeAcceptance { effective_on: d("2025-06-01"), accepted_on: d("2025-06-02") }
        );
        assert_eq!(
            err(CaseClockFacts {
                accepted_on: None,
                status: CaseStatus::Received,
                suspensions: vec![span("2025-06-01", Some("2025-06-09"))],
                ..base.clone()
            }),
            DeadlineError::SuspensionWithoutAcceptance
        );
        assert!(matches!(
            err(CaseClockFacts { suspensions: vec![span("2025-06-10", Some("2200-01-01"))], ..base }),
            DeadlineError::TermTooLong { .. }
        ));
        assert_eq!(
            err(accepted(CaseKind::Petition, 1, "2026-03-02", &NaiveDate::MAX.to_string())),
            DeadlineError::Calendar(CalendarError::OutOfRange { from: NaiveDate::MAX, days: 1 })
        );
    }

    // ---- coverage of the rule data -----------------------------------------------------

    #[test]
    fn every_running_clock_has_exactly_one_rule_for_every_flag_combination() {
        let cal = calendar();
        for rule_set in rules().rule_sets() {
            for kind in CaseKind::ALL {
                let rounds: &[i32] =
                    if matches!(kind, CaseKind::Petition | CaseKind::Feedback) { &[1] } else { &[1, 2] };
                for &round in rounds {
                    for bits in 0..16u8 {
                        let flags = ClockFlags {
                            complex: bits & 1 != 0,
                            very_complex: bits & 2 != 0,
                            remote_area: bits & 4 != 0,
                            multi_site: bits & 8 != 0,
                        };
                        for status in
                            [CaseStatus::Received, CaseStatus::Accepted, CaseStatus::Verifying, CaseStatus::Transferred]
                        {
                            let facts = CaseClockFacts {
                                flags,
                                accepted_on: Some(d("2026-08-03")),
                                transferred_on: Some(d("2026-08-03")),
                                ..CaseClockFacts::new(*kind, round, status, d("2026-08-03"))
                            };
                            let deadlines = deadlines_under(&facts, rule_set, &cal)
                                .unwrap_or_else(|e| panic!("{} {kind} r{round} {status} {flags:?}: {e}", rule_set.id));
                            assert_eq!(deadlines.len(), running_clocks(*kind, round, status).len());
                            assert!(deadlines.iter().all(|d| d.due_on.is_some() && !d.legal_source.is_empty()));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_decision_is_held_to_the_resolution_due_date_of_the_case_before_it() {
        let (rules, cal) = (rules(), calendar());
        let resumed = span("2025-09-08", Some("2025-09-22"));
        for kind in [CaseKind::Complaint, CaseKind::Denunciation, CaseKind::Petition, CaseKind::Feedback] {
            let mut before = accepted(kind, 1, "2025-08-04", "2025-08-11");
            before.status = CaseStatus::Verifying;
            before.extensions = u32::from(kind != CaseKind::Petition && kind != CaseKind::Feedback);
            if kind == CaseKind::Denunciation {
                before.suspensions = vec![resumed];
            }
            let running = case_deadlines(&before, &rules, &cal).unwrap();
            let decided = CaseClockFacts { status: CaseStatus::Decided, ..before.clone() };
            assert_eq!(
                resolution_due_at_decision(&decided, &rules, &cal).unwrap(),
                clock(&running, ClockKind::Resolution).due_on,
                "{kind}"
            );
        }
        // A suspension still open is ended by the decision; a case never accepted had no clock.
        let mut suspended = accepted(CaseKind::Denunciation, 1, "2025-08-04", "2025-08-11");
        suspended.suspensions = vec![resumed, span("2025-10-01", None)];
        let without_open = CaseClockFacts { suspensions: vec![resumed], ..suspended.clone() };
        assert_eq!(
            resolution_due_at_decision(&suspended, &rules, &cal).unwrap(),
            resolution_due_at_decision(&without_open, &rules, &cal).unwrap()
        );
        let unaccepted =
            CaseClockFacts { status: CaseStatus::Decided, ..received(CaseKind::Petition, 1, "2025-08-04") };
        assert_eq!(resolution_due_at_decision(&unaccepted, &rules, &cal).unwrap(), None);
    }

    #[test]
    fn due_dates_and_kept_dates_are_those_of_the_deadlines() {
        let (rules, cal) = (rules(), calendar());
        let suspension_cases: [(&[SuspensionSpan], Option<CaseStatus>); 4] = [
            (&[], None),
            (&[SuspensionSpan { effective_on: d("2025-09-08"), resumed_on: Some(d("2025-09-22")) }], None),
            (&[SuspensionSpan { effective_on: d("2025-09-08"), resumed_on: None }], Some(CaseStatus::Verifying)),
            (&[SuspensionSpan { effective_on: d("2025-06-02"), resumed_on: Some(d("2025-06-09")) }], None),
        ];
        let (mut compared, mut failed) = (0, 0);
        // Both rule sets, every kind and status, valid and invalid rounds, flags, extensions
        // within and beyond the limits, with and without acceptance and transfer dates, and four
        // suspension shapes: none, resumed, running, and before acceptance.
        for received in ["2025-08-04", "2026-08-03"] {
            let received = d(received);
            let accepted = received + chrono::Duration::days(7);
            for kind in CaseKind::ALL {
                for round in 1..=3 {
                    for status in CaseStatus::ALL {
                        for bits in 0..16u8 {
                            for extensions in 0..=3 {
                                for (spans, before, accepted_on) in
                                    suspension_cases.into_iter().flat_map(|(spans, before)| {
                                        [(spans, before, Some(accepted)), (spans, before, None)]
                                    })
                                {
                                    let shift = (received - d("2025-08-04")).num_days();
                                    let facts = CaseClockFacts {
                                        accepted_on,
                                        transferred_on: accepted_on,
                                        flags: ClockFlags {
                                            complex: bits & 1 != 0,
                                            very_complex: bits & 2 != 0,
                                            remote_area: bits & 4 != 0,
                                            multi_site: bits & 8 != 0,
                                        },
                                        extensions,
                                        suspensions: spans
                                            .iter()
                                            .map(|s| SuspensionSpan {
                                                effective_on: s.effective_on + chrono::Duration::days(shift),
                                                resumed_on: s.resumed_on.map(|r| r + chrono::Duration::days(shift)),
                                            })
                                            .collect(),
                                        status_before_suspension: before,
                                        ..CaseClockFacts::new(*kind, round, *status, received)
                                    };
                                    let expected = case_deadlines(&facts, &rules, &cal).map(|deadlines| {
                                        deadlines
                                            .iter()
                                            .map(|d| ClockDue { clock: d.clock, due_on: d.due_on })
                                            .collect::<Vec<_>>()
                                    });
                                    failed += usize::from(expected.is_err());
                                    assert_eq!(case_due_dates(&facts, &rules, &cal), expected, "{facts:?}");
                                    if let Ok(dues) = &expected {
                                        let deadlines = case_deadlines(&facts, &rules, &cal).unwrap();
                                        let kept = ClockDueDates::of(&deadlines);
                                        assert_eq!(kept.earliest(), earliest_due_on(&deadlines), "{facts:?}");
                                        for clock in ClockKind::ALL {
                                            let due_on = dues.iter().find(|d| d.clock == *clock).and_then(|d| d.due_on);
                                            let kept_due_on = match clock {
                                                ClockKind::Processing => kept.processing,
                                                ClockKind::Acceptance => kept.acceptance,
                                                ClockKind::Review => kept.review,
                                                ClockKind::Resolution => kept.resolution,
                                                ClockKind::Reply => kept.reply,
                                                ClockKind::Transfer => None,
                                            };
                                            assert_eq!(kept_due_on, due_on, "{clock} of {facts:?}");
                                        }
                                    }
                                    compared += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
        // Both answers were met many times.
        assert!(failed > 1000 && compared - failed > 1000, "{failed} of {compared} failed");
    }

    #[test]
    fn rule_sets_differ_only_in_complaint_acceptance() {
        let book = rules();
        let old = book.get("2019").unwrap();
        let new = book.get("2026-07").unwrap();
        assert_eq!(old.rules.len(), new.rules.len());
        for (a, b) in old.rules.iter().zip(&new.rules) {
            if a.id == "complaint_acceptance" {
                assert_eq!((a.term, b.term, a.unit, b.unit), (10, 7, DayUnit::Working, DayUnit::Working));
            } else {
                assert_eq!(a, b);
            }
        }
    }

    #[test]
    fn rule_file_errors() {
        let bad = |text: String| RuleBook::from_json(&text).unwrap_err();
        assert!(matches!(bad("{".into()), RuleBookError::Json(_)));
        assert_eq!(
            bad(DEFAULT_RULESETS_JSON.replace("\"format_version\": 1", "\"format_version\": 2")),
            RuleBookError::UnsupportedFormat { found: 2 }
        );
        assert!(matches!(
            bad(DEFAULT_RULESETS_JSON.replace("\"clock\": \"review\"", "\"clock\": \"nap\"")),
            RuleBookError::Json(_)
        ));
        assert_eq!(
            bad(DEFAULT_RULESETS_JSON.replace("\"id\": \"2026-07\"", "\"id\": \"2019\"")),
            RuleBookError::DuplicateRuleSet("2019".into())
        );
        assert_eq!(
            bad(DEFAULT_RULESETS_JSON.replace("\"in_force_from\": \"2026-07-01\"", "\"in_force_from\": \"2019-01-01\"")),
            RuleBookError::SameStartDate { first: "2019".into(), second: "2026-07".into() }
        );
        assert!(matches!(
            bad(DEFAULT_RULESETS_JSON.replace("\"rounds\": [2], \"conditions\": {}, \"unit\": \"calendar\", \"term\": 20", "\"rounds\": [3], \"conditions\": {}, \"unit\": \"calendar\", \"term\": 20")),
            RuleBookError::InvalidRule { rule, .. } if rule == "redenunciation_review"
        ));
        assert!(matches!(
            bad(DEFAULT_RULESETS_JSON.replace("\"term\": 20", "\"term\": 0")),
            RuleBookError::InvalidRule { .. }
        ));
        assert!(matches!(
            bad(DEFAULT_RULESETS_JSON.replace("\"id\": \"complaint_acceptance\"", "\"id\": \"processing\"")),
            RuleBookError::DuplicateRule { .. }
        ));
        assert_eq!(RuleBook::new(Vec::new()), Err(RuleBookError::Empty));
    }

    #[test]
    fn ambiguous_and_missing_rules_are_reported() {
        let mut set = rules().get("2019").unwrap().clone();
        set.rules.retain(|rule| rule.id != "redenunciation_review");
        assert_eq!(
            deadlines_under(&received(CaseKind::Denunciation, 2, "2026-03-06"), &set, &calendar()),
            Err(DeadlineError::NoRule {
                rule_set: "2019".into(),
                clock: ClockKind::Review,
                kind: CaseKind::Denunciation,
                round: 2
            })
        );
        let mut set = rules().get("2019").unwrap().clone();
        let duplicate = Rule { id: "processing_copy".into(), ..set.rules[0].clone() };
        set.rules.push(duplicate);
        assert!(matches!(
            deadlines_under(&received(CaseKind::Petition, 1, "2026-03-06"), &set, &calendar()),
            Err(DeadlineError::AmbiguousRule { rule_ids, .. }) if rule_ids == ["processing", "processing_copy"]
        ));
    }

    // ---- overdue and due soon ----------------------------------------------------------

    #[test]
    fn overdue_and_due_soon() {
        let cal = calendar();
        assert!(!is_overdue(d("2026-02-13"), d("2026-02-13"))); // ends at the end of its last day
        assert!(is_overdue(d("2026-02-13"), d("2026-02-14")));
        // Today Fri 13/2/2026; the next 3 working days are Mon 23, Tue 24, Wed 25/2 (Tết between).
        let today = d("2026-02-13");
        assert!(is_due_soon(d("2026-02-13"), today, &cal, 3));
        assert!(is_due_soon(d("2026-02-20"), today, &cal, 3));
        assert!(is_due_soon(d("2026-02-25"), today, &cal, 3));
        assert!(!is_due_soon(d("2026-02-26"), today, &cal, 3));
        assert!(!is_due_soon(d("2026-02-12"), today, &cal, 3)); // overdue, not due soon
        // Window 0: due today only.
        assert!(is_due_soon(today, today, &cal, 0));
        assert!(!is_due_soon(d("2026-02-23"), today, &cal, 0));
        // Via a deadline: processing due Fri 20/3/2026 for a case received Fri 6/3/2026.
        let processing = compute(&received(CaseKind::Petition, 1, "2026-03-06")).remove(0);
        // Mon 16/3 + 3 WD = Thu 19/3 < 20/3: not yet; Tue 17/3 + 3 WD = Fri 20/3: due soon.
        let due_on = processing.due_on.unwrap();
        assert!(!is_due_soon(due_on, d("2026-03-16"), &cal, 3));
        assert!(is_due_soon(due_on, d("2026-03-17"), &cal, 3));
        assert!(!processing.is_overdue(d("2026-03-20")));
        assert!(processing.is_overdue(d("2026-03-21")));
    }

    #[test]
    fn explanation_of_a_due_date_across_hung_kings_2026() {
        // Accepted Thu 26/3/2026 + 30 = Sat 25/4 → Sun 26 Hùng Kings → Mon 27 nghỉ bù → Tue 28/4.
        let deadline = only(&accepted(CaseKind::Complaint, 1, "2026-03-20", "2026-03-26"));
        let explanation = &deadline.explanation;
        assert_eq!(explanation.due_on, Some(d("2026-04-28")));
        assert_eq!(explanation.rule_set, "2019");
        assert_eq!(explanation.rule_id, "complaint_resolution_round1");
        assert_eq!(explanation.legal_source, "Luật Khiếu nại 2011 Điều 28");
        assert_eq!((explanation.start_event, explanation.start_on), (StartEvent::Acceptance, d("2026-03-26")));
        assert_eq!((explanation.unit, explanation.base_term, explanation.term), (DayUnit::Calendar, 30, 30));
        assert_eq!(explanation.extensions, None);
        assert!(explanation.paused_spans.is_empty());
        let names: Vec<String> = explanation.skipped(&calendar()).into_iter().map(|s| s.name).collect();
        assert_eq!(names, ["Thứ Bảy", "Giỗ Tổ Hùng Vương", "Nghỉ bù Giỗ Tổ Hùng Vương"]);
        let json = serde_json::to_value(&deadline).unwrap();
        assert_eq!(json["clock"], "resolution");
        assert_eq!(json["unit"], "calendar");
        assert_eq!(json["due_on"], "2026-04-28");
        let detailed = serde_json::to_value(explanation.detailed(&calendar())).unwrap();
        assert_eq!(detailed["rule_id"], "complaint_resolution_round1");
        assert_eq!(detailed["skipped"][1]["reason"], "holiday");
        assert_eq!(detailed["skipped"][1]["name"], "Giỗ Tổ Hùng Vương");
    }
}
