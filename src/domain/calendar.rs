//! The holiday calendar and the date arithmetic every deadline uses (DOMAIN.md §7, LAW.md §2.0,
//! §6.5–6.6).
//!
//! Counting follows Bộ luật Dân sự 2015 Điều 147–148: the day of the triggering event is not
//! counted; a term in calendar days whose last day is a weekly rest day or a public holiday ends
//! on the next working day; a term in working days counts working days only. A working day is
//! Monday to Friday, minus public holidays (including compensatory days off, nghỉ bù), plus
//! make-up working days (ngày làm bù, a Saturday or Sunday that is worked). A make-up working day
//! is a working day in both counts, so a calendar-day term whose last day is one ends that day.
//!
//! The calendar is data. The built-in defaults (2024–2027, `rules/holidays-default.csv`) follow
//! Bộ luật Lao động 2019 Điều 112 and Điều 111.3; an administrator replaces each year with the
//! official notice for civil servants, which may swap days (LAW.md §6.5).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use crate::domain::vocab::DayUnit;

/// The built-in calendar: defaults that an administrator replaces with each year's official notice.
pub const DEFAULT_CALENDAR_CSV: &str = include_str!("rules/holidays-default.csv");

/// The header line of the calendar CSV (`calendar import` / `calendar export`).
pub const CSV_HEADER: &str = "date,kind,name";

/// The longest term the arithmetic accepts; callers taking a day count from users check it first.
/// It keeps every result far from the end of chrono's date range.
pub const MAX_DAYS: u32 = 36_600;
/// The longest name of a holiday or make-up working day, in characters.
pub const NAME_MAX: usize = 200;

/// Whether a calendar entry is a day off or a worked weekend day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A public holiday or a compensatory day off (ngày nghỉ lễ, nghỉ bù).
    Holiday,
    /// A make-up working day on a Saturday or Sunday (ngày làm bù).
    WorkingDay,
}

impl EntryKind {
    pub const fn as_str(self) -> &'static str {
        match self {
            EntryKind::Holiday => "holiday",
            EntryKind::WorkingDay => "working_day",
        }
    }
}

impl fmt::Display for EntryKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EntryKind {
    type Err = ParseErrorKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "holiday" => Ok(EntryKind::Holiday),
            "working_day" => Ok(EntryKind::WorkingDay),
            _ => Err(ParseErrorKind::BadKind { value: s.to_owned() }),
        }
    }
}

/// One dated line of the calendar.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CalendarEntry {
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub name: String,
}

impl CalendarEntry {
    pub fn holiday(date: NaiveDate, name: impl Into<String>) -> Self {
        CalendarEntry { date, kind: EntryKind::Holiday, name: name.into() }
    }

    pub fn working_day(date: NaiveDate, name: impl Into<String>) -> Self {
        CalendarEntry { date, kind: EntryKind::WorkingDay, name: name.into() }
    }
}

/// Why a day is not a working day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NonWorkingReason {
    /// A Saturday or Sunday that is not a make-up working day.
    Weekend,
    /// A public holiday or compensatory day off.
    Holiday,
}

/// A day that a computation skipped or rolled over, with the name shown to users.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NonWorkingDay {
    pub date: NaiveDate,
    pub reason: NonWorkingReason,
    /// The holiday's name, or "Thứ Bảy" / "Chủ nhật".
    pub name: String,
}

/// The result of adding a term to a date, with the non-working days that shaped it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateAddition {
    pub from: NaiveDate,
    pub days: u32,
    pub unit: DayUnit,
    pub due_on: NaiveDate,
    /// Working-day terms: the non-working days passed over while counting.
    /// Calendar-day terms: the non-working days the end rolled over (BLDS Art 148).
    pub skipped: Vec<NonWorkingDay>,
}

/// An inconsistent calendar year, naming the offending entry, or a term the arithmetic refuses.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{kind} {date} ({name}) is not in year {year}")]
    DateOutsideYear { year: i32, date: NaiveDate, kind: EntryKind, name: String },
    #[error("{date} is listed both as a holiday ({holiday}) and as a working day ({working_day})")]
    HolidayAndWorkingDay { date: NaiveDate, holiday: String, working_day: String },
    #[error("make-up working day {date} ({name}) falls on {weekday}, not on a Saturday or Sunday")]
    WorkingDayNotWeekend { date: NaiveDate, name: String, weekday: &'static str },
    #[error("{kind} {date} has an empty name")]
    EmptyName { date: NaiveDate, kind: EntryKind },
    #[error("{kind} {date} has a name longer than {NAME_MAX} characters or with a control character")]
    BadName { date: NaiveDate, kind: EntryKind },
    #[error("{kind} {date} is listed twice ({first}; {second})")]
    DuplicateDate { date: NaiveDate, kind: EntryKind, first: String, second: String },
    #[error("a term of {days} days exceeds the maximum of {max}")]
    TermTooLong { days: u32, max: u32 },
    #[error("{days} days after {from} is outside the supported date range")]
    OutOfRange { from: NaiveDate, days: u32 },
}

/// A line of calendar CSV that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {kind}")]
pub struct ParseError {
    /// 1-based line number in the input.
    pub line: usize,
    pub kind: ParseErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseErrorKind {
    #[error("missing header `{CSV_HEADER}`")]
    MissingHeader,
    #[error("header must be `{CSV_HEADER}`, found `{found}`")]
    BadHeader { found: String },
    #[error("expected 3 fields (date,kind,name), found {found}")]
    FieldCount { found: usize },
    #[error("invalid date `{value}`, expected YYYY-MM-DD")]
    BadDate { value: String },
    #[error("invalid kind `{value}`, expected `holiday` or `working_day`")]
    BadKind { value: String },
    #[error("empty name")]
    EmptyName,
    #[error("unterminated quoted field")]
    UnterminatedQuote,
}

/// The Vietnamese name of a weekday, as shown in explanations.
pub const fn weekday_name_vi(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Thứ Hai",
        Weekday::Tue => "Thứ Ba",
        Weekday::Wed => "Thứ Tư",
        Weekday::Thu => "Thứ Năm",
        Weekday::Fri => "Thứ Sáu",
        Weekday::Sat => "Thứ Bảy",
        Weekday::Sun => "Chủ nhật",
    }
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn next_day(date: NaiveDate) -> NaiveDate {
    date.succ_opt().expect("date within chrono's range")
}

/// Public holidays and make-up working days, per year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    holidays: BTreeMap<NaiveDate, String>,
    working_days: BTreeMap<NaiveDate, String>,
    years: BTreeSet<i32>,
    /// Derived from the three above; rebuilt whenever they change.
    index: WorkingDayIndex,
}

/// Years of weekends-only days the index covers on each side of the loaded years, so that cases
/// received before the oldest loaded year are still counted by lookup.
const INDEX_MARGIN_YEARS: i32 = 10;

/// Running counts of working days from a first date, so that adding a term or counting the
/// working days between two dates is a lookup rather than a day-by-day walk: the reports compute
/// the clocks of tens of thousands of cases at once. Dates outside the index are counted by the
/// walk, with the same rules.
#[derive(Clone, Default, PartialEq, Eq)]
struct WorkingDayIndex {
    first: NaiveDate,
    /// `counts[i]`: the working days in `[first, first + i days)`; one more entry than days.
    counts: Vec<u32>,
}

// Tens of thousands of counts say nothing in a failed assertion or a log line.
impl fmt::Debug for WorkingDayIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WorkingDayIndex")
            .field("first", &self.first)
            .field("days", &self.counts.len().saturating_sub(1))
            .finish()
    }
}

impl WorkingDayIndex {
    /// The position of `date`, when the index covers it.
    fn position(&self, date: NaiveDate) -> Option<usize> {
        let offset = usize::try_from((date - self.first).num_days()).ok()?;
        (offset + 1 < self.counts.len()).then_some(offset)
    }

    fn date_at(&self, position: usize) -> NaiveDate {
        self.first + Days::new(position as u64)
    }
}

impl HolidayCalendar {
    /// A calendar with no holidays: only weekends are days off.
    pub fn new() -> Self {
        Self::default()
    }

    /// The built-in calendar for 2024–2027 (`rules/holidays-default.csv`).
    pub fn default_calendar() -> Self {
        let entries = parse_csv(DEFAULT_CALENDAR_CSV).expect("built-in calendar CSV parses");
        Self::from_entries(&entries).expect("built-in calendar is consistent")
    }

    /// Builds a calendar from entries of any number of years, validating each year.
    pub fn from_entries(entries: &[CalendarEntry]) -> Result<Self, CalendarError> {
        let mut by_year: BTreeMap<i32, Vec<CalendarEntry>> = BTreeMap::new();
        for entry in entries {
            by_year.entry(entry.date.year()).or_default().push(entry.clone());
        }
        let mut calendar = Self::new();
        for (year, year_entries) in by_year {
            calendar.set_year(year, &year_entries)?;
        }
        calendar.index = calendar.build_index();
        Ok(calendar)
    }

    /// Replaces every entry of `year` with `entries` after validating them; on error the
    /// calendar is unchanged. An empty list leaves the year with weekends only.
    pub fn replace_year(&mut self, year: i32, entries: &[CalendarEntry]) -> Result<(), CalendarError> {
        self.set_year(year, entries)?;
        self.index = self.build_index();
        Ok(())
    }

    /// [`HolidayCalendar::replace_year`] without rebuilding the index.
    fn set_year(&mut self, year: i32, entries: &[CalendarEntry]) -> Result<(), CalendarError> {
        validate_year(year, entries)?;
        self.holidays.retain(|date, _| date.year() != year);
        self.working_days.retain(|date, _| date.year() != year);
        for entry in entries {
            let target = match entry.kind {
                EntryKind::Holiday => &mut self.holidays,
                EntryKind::WorkingDay => &mut self.working_days,
            };
            target.insert(entry.date, entry.name.trim().to_owned());
        }
        self.years.insert(year);
        Ok(())
    }

    fn build_index(&self) -> WorkingDayIndex {
        let (Some(first_year), Some(last_year)) = (self.years.first(), self.years.last()) else {
            return WorkingDayIndex::default();
        };
        let first = NaiveDate::from_ymd_opt(first_year - INDEX_MARGIN_YEARS, 1, 1);
        let end = NaiveDate::from_ymd_opt(last_year + INDEX_MARGIN_YEARS + 1, 1, 1);
        let (Some(first), Some(end)) = (first, end) else {
            return WorkingDayIndex::default();
        };
        let mut counts = Vec::with_capacity(usize::try_from((end - first).num_days()).unwrap_or(0) + 1);
        let mut count = 0;
        counts.push(count);
        for day in first.iter_days().take_while(|day| *day < end) {
            count += u32::from(self.is_working_day_by_rules(day));
            counts.push(count);
        }
        WorkingDayIndex { first, counts }
    }

    /// The years that have been loaded (possibly with no entries).
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// Whether `year` has been loaded; outside loaded years only weekends are days off.
    pub fn covers_year(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The entries of one year, by date (holidays before a working day on the same date
    /// cannot happen: validation forbids it).
    pub fn year_entries(&self, year: i32) -> Vec<CalendarEntry> {
        let mut entries: Vec<CalendarEntry> = self
            .holidays
            .iter()
            .filter(|(date, _)| date.year() == year)
            .map(|(date, name)| CalendarEntry::holiday(*date, name.clone()))
            .chain(
                self.working_days
                    .iter()
                    .filter(|(date, _)| date.year() == year)
                    .map(|(date, name)| CalendarEntry::working_day(*date, name.clone())),
            )
            .collect();
        entries.sort();
        entries
    }

    /// Every entry of every year, by date.
    pub fn entries(&self) -> Vec<CalendarEntry> {
        self.years.iter().flat_map(|year| self.year_entries(*year)).collect()
    }

    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        self.holidays.get(&date).map(String::as_str)
    }

    pub fn working_day_name(&self, date: NaiveDate) -> Option<&str> {
        self.working_days.get(&date).map(String::as_str)
    }

    /// Monday–Friday minus holidays, plus make-up working days.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.index.position(date) {
            Some(i) => self.index.counts[i + 1] > self.index.counts[i],
            None => self.is_working_day_by_rules(date),
        }
    }

    fn is_working_day_by_rules(&self, date: NaiveDate) -> bool {
        self.working_days.contains_key(&date) || !(self.holidays.contains_key(&date) || is_weekend(date))
    }

    /// Why `date` is not a working day, or `None` when it is one. A holiday on a weekend is
    /// reported as the holiday, by its name.
    pub fn non_working(&self, date: NaiveDate) -> Option<NonWorkingDay> {
        if self.working_days.contains_key(&date) {
            return None;
        }
        if let Some(name) = self.holidays.get(&date) {
            return Some(NonWorkingDay { date, reason: NonWorkingReason::Holiday, name: name.clone() });
        }
        if is_weekend(date) {
            return Some(NonWorkingDay {
                date,
                reason: NonWorkingReason::Weekend,
                name: weekday_name_vi(date.weekday()).to_owned(),
            });
        }
        None
    }

    /// `date` itself when it is a working day, else the next working day.
    pub fn next_working_day_from(&self, date: NaiveDate) -> NaiveDate {
        let mut day = date;
        while !self.is_working_day(day) {
            day = next_day(day);
        }
        day
    }

    /// The due date of a term of `days` in `unit` starting after the event on `from`.
    ///
    /// Panics when `days` exceeds [`MAX_DAYS`] or the result leaves chrono's range; use
    /// [`HolidayCalendar::try_add_explained`] for a day count or date that comes from a user.
    pub fn add(&self, from: NaiveDate, days: u32, unit: DayUnit) -> NaiveDate {
        self.try_add(from, days, unit).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Like [`HolidayCalendar::add`], refusing a term over [`MAX_DAYS`] or a result outside
    /// chrono's date range instead of panicking.
    pub fn try_add(&self, from: NaiveDate, days: u32, unit: DayUnit) -> Result<NaiveDate, CalendarError> {
        if days > MAX_DAYS {
            return Err(CalendarError::TermTooLong { days, max: MAX_DAYS });
        }
        let out_of_range = || CalendarError::OutOfRange { from, days };
        match unit {
            DayUnit::Calendar => {
                let mut day = from.checked_add_days(Days::new(u64::from(days))).ok_or_else(out_of_range)?;
                while !self.is_working_day(day) {
                    day = day.succ_opt().ok_or_else(out_of_range)?;
                }
                Ok(day)
            }
            DayUnit::Working if days == 0 => Ok(from),
            DayUnit::Working => {
                if let Some(i) = self.index.position(from) {
                    // The first position whose count reaches the target is the day after the
                    // due date; beyond the index, the walk below decides.
                    let target = self.index.counts[i + 1] + days;
                    let end = self.index.counts.partition_point(|count| *count < target);
                    if end < self.index.counts.len() {
                        return Ok(self.index.date_at(end - 1));
                    }
                }
                self.try_add_explained(from, days, unit).map(|addition| addition.due_on)
            }
        }
    }

    /// Like [`HolidayCalendar::add`], also naming the non-working days skipped or rolled over.
    ///
    /// Panics like [`HolidayCalendar::add`].
    pub fn add_explained(&self, from: NaiveDate, days: u32, unit: DayUnit) -> DateAddition {
        self.try_add_explained(from, days, unit).unwrap_or_else(|error| panic!("{error}"))
    }

    /// Like [`HolidayCalendar::add_explained`], refusing a term over [`MAX_DAYS`] or a result
    /// outside chrono's date range instead of panicking.
    pub fn try_add_explained(&self, from: NaiveDate, days: u32, unit: DayUnit) -> Result<DateAddition, CalendarError> {
        if days > MAX_DAYS {
            return Err(CalendarError::TermTooLong { days, max: MAX_DAYS });
        }
        let out_of_range = || CalendarError::OutOfRange { from, days };
        let mut skipped = Vec::new();
        let due_on = match unit {
            DayUnit::Calendar => {
                // BLDS Art 147: counting starts the day after the event; Art 148: an end on a
                // rest day or holiday moves to the next working day.
                let mut day = from.checked_add_days(Days::new(u64::from(days))).ok_or_else(out_of_range)?;
                while let Some(off) = self.non_working(day) {
                    skipped.push(off);
                    day = day.succ_opt().ok_or_else(out_of_range)?;
                }
                day
            }
            DayUnit::Working => {
                let mut day = from;
                let mut counted = 0;
                while counted < days {
                    day = day.succ_opt().ok_or_else(out_of_range)?;
                    match self.non_working(day) {
                        Some(off) => skipped.push(off),
                        None => counted += 1,
                    }
                }
                day
            }
        };
        Ok(DateAddition { from, days, unit, due_on, skipped })
    }

    /// The `n`-th working day after `date` (`date` itself not counted).
    pub fn working_days_after(&self, date: NaiveDate, n: u32) -> NaiveDate {
        self.add(date, n, DayUnit::Working)
    }

    /// The number of working days in `[from, until)`.
    pub fn working_days_between(&self, from: NaiveDate, until: NaiveDate) -> u32 {
        if from >= until {
            return 0;
        }
        let last = until.pred_opt().and_then(|last| self.index.position(last));
        match (self.index.position(from), last) {
            (Some(start), Some(last)) => self.index.counts[last + 1] - self.index.counts[start],
            _ => from.iter_days().take_while(|day| *day < until).filter(|day| self.is_working_day(*day)).count() as u32,
        }
    }
}

/// Checks the names of entries about to be written: at most [`NAME_MAX`] characters and no
/// control character. Kept apart from [`validate_year`], which also checks a stored calendar
/// at start-up, so that names written before this rule do not stop the service.
pub fn check_names(entries: &[CalendarEntry]) -> Result<(), CalendarError> {
    // Names are kept trimmed, so whitespace around one (a tab from a spreadsheet) does not count.
    let bad = |name: &str| name.chars().count() > NAME_MAX || name.chars().any(char::is_control);
    match entries.iter().find(|e| bad(e.name.trim())) {
        Some(entry) => Err(CalendarError::BadName { date: entry.date, kind: entry.kind }),
        None => Ok(()),
    }
}

/// Checks the entries that would replace `year`: every date inside the year, names non-empty,
/// no date listed twice, none both holiday and working day, make-up working days on a weekend.
pub fn validate_year(year: i32, entries: &[CalendarEntry]) -> Result<(), CalendarError> {
    let mut holidays: BTreeMap<NaiveDate, &str> = BTreeMap::new();
    let mut working_days: BTreeMap<NaiveDate, &str> = BTreeMap::new();
    for entry in entries {
        let name = entry.name.trim();
        if entry.date.year() != year {
            return Err(CalendarError::DateOutsideYear {
                year,
                date: entry.date,
                kind: entry.kind,
                name: name.to_owned(),
            });
        }
        if name.is_empty() {
            return Err(CalendarError::EmptyName { date: entry.date, kind: entry.kind });
        }
        if entry.kind == EntryKind::WorkingDay && !is_weekend(entry.date) {
            return Err(CalendarError::WorkingDayNotWeekend {
                date: entry.date,
                name: name.to_owned(),
                weekday: weekday_name_vi(entry.date.weekday()),
            });
        }
        let (same, other) = match entry.kind {
            EntryKind::Holiday => (&mut holidays, &working_days),
            EntryKind::WorkingDay => (&mut working_days, &holidays),
        };
        if let Some(first) = same.insert(entry.date, name) {
            return Err(CalendarError::DuplicateDate {
                date: entry.date,
                kind: entry.kind,
                first: first.to_owned(),
                second: name.to_owned(),
            });
        }
        if let Some(other_name) = other.get(&entry.date) {
            let (holiday, working_day) = match entry.kind {
                EntryKind::Holiday => (name, *other_name),
                EntryKind::WorkingDay => (*other_name, name),
            };
            return Err(CalendarError::HolidayAndWorkingDay {
                date: entry.date,
                holiday: holiday.to_owned(),
                working_day: working_day.to_owned(),
            });
        }
    }
    Ok(())
}

/// The statutory holidays of one year under Bộ luật Lao động 2019 Điều 112, with compensatory
/// days off under Điều 111.3, given the two lunar dates the law does not fix in the solar
/// calendar. Tết is the last day of the lunar year and the first four days of the new year;
/// Quốc khánh is 2/9 with 1/9. Each holiday on a Saturday or Sunday earns one day off on the
/// next working day after the run of consecutive holidays it belongs to, named "Nghỉ bù …".
/// The result is a proposal: the official notice of each year prevails.
pub fn statutory_holidays(year: i32, lunar_new_year: NaiveDate, hung_kings: NaiveDate) -> Vec<CalendarEntry> {
    let date = |month, day| NaiveDate::from_ymd_opt(year, month, day).expect("valid fixed holiday");
    let mut holidays: Vec<(NaiveDate, String)> = vec![
        (date(1, 1), "Tết Dương lịch".to_owned()),
        (lunar_new_year.pred_opt().expect("date within range"), "Tết Nguyên đán (ngày cuối năm Âm lịch)".to_owned()),
        (hung_kings, "Giỗ Tổ Hùng Vương".to_owned()),
        (date(4, 30), "Ngày Chiến thắng".to_owned()),
        (date(5, 1), "Ngày Quốc tế Lao động".to_owned()),
        (date(9, 1), "Quốc khánh".to_owned()),
        (date(9, 2), "Quốc khánh".to_owned()),
    ];
    for offset in 0..4u64 {
        let day = lunar_new_year.checked_add_days(Days::new(offset)).expect("date within range");
        holidays.push((day, format!("Tết Nguyên đán (mùng {})", offset + 1)));
    }
    holidays.sort();
    holidays.dedup_by_key(|(day, _)| *day);

    let is_holiday = |day: NaiveDate, list: &[(NaiveDate, String)]| list.iter().any(|(d, _)| *d == day);
    let mut compensatory: Vec<(NaiveDate, String)> = Vec::new();
    let mut index = 0;
    while index < holidays.len() {
        // A run is a block of holidays on consecutive dates; its weekend days are compensated
        // after the whole block, in order.
        let mut end = index;
        while end + 1 < holidays.len() && Some(holidays[end + 1].0) == holidays[end].0.succ_opt() {
            end += 1;
        }
        let mut cursor = holidays[end].0;
        for (day, name) in &holidays[index..=end] {
            if !is_weekend(*day) {
                continue;
            }
            loop {
                cursor = next_day(cursor);
                let taken = is_holiday(cursor, &holidays) || compensatory.iter().any(|(d, _)| *d == cursor);
                if !is_weekend(cursor) && !taken {
                    break;
                }
            }
            let base = name.split(" (").next().unwrap_or(name);
            compensatory.push((cursor, format!("Nghỉ bù {base}")));
        }
        index = end + 1;
    }
    holidays.extend(compensatory);
    holidays.sort();
    holidays.into_iter().map(|(day, name)| CalendarEntry::holiday(day, name)).collect()
}

/// Reads calendar CSV: an optional UTF-8 BOM, `#` comment lines and blank lines anywhere, then
/// the header `date,kind,name`, then one entry per line. A name containing a comma or a quote is
/// written in double quotes with quotes doubled.
pub fn parse_csv(text: &str) -> Result<Vec<CalendarEntry>, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries = Vec::new();
    let mut header_seen = false;
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let line = raw_line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let error = |kind| ParseError { line: line_no, kind };
        let fields = split_csv_line(line).map_err(error)?;
        if !header_seen {
            let found: Vec<String> = fields.iter().map(|f| f.trim().to_ascii_lowercase()).collect();
            if found != ["date", "kind", "name"] {
                return Err(if fields.len() == 3 && fields[0].trim().parse::<NaiveDate>().is_ok() {
                    error(ParseErrorKind::MissingHeader)
                } else {
                    error(ParseErrorKind::BadHeader { found: line.to_owned() })
                });
            }
            header_seen = true;
            continue;
        }
        if fields.len() != 3 {
            return Err(error(ParseErrorKind::FieldCount { found: fields.len() }));
        }
        let date_text = fields[0].trim();
        let date = NaiveDate::parse_from_str(date_text, "%Y-%m-%d")
            .map_err(|_| error(ParseErrorKind::BadDate { value: date_text.to_owned() }))?;
        let kind = fields[1].trim().parse::<EntryKind>().map_err(error)?;
        let name = fields[2].trim();
        if name.is_empty() {
            return Err(error(ParseErrorKind::EmptyName));
        }
        entries.push(CalendarEntry { date, kind, name: name.to_owned() });
    }
    if !header_seen {
        return Err(ParseError { line: 1, kind: ParseErrorKind::MissingHeader });
    }
    Ok(entries)
}

fn split_csv_line(line: &str) -> Result<Vec<String>, ParseErrorKind> {
    let mut fields = Vec::new();
    let mut current = String::new();
    let mut chars = line.chars().peekable();
    let mut in_quotes = false;
    while let Some(c) = chars.next() {
        match (in_quotes, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                current.push('"');
                chars.next();
            }
            (true, '"') => in_quotes = false,
            (true, _) => current.push(c),
            (false, '"') if current.trim().is_empty() => {
                current.clear();
                in_quotes = true;
            }
            (false, ',') => fields.push(std::mem::take(&mut current)),
            (false, _) => current.push(c),
        }
    }
    if in_quotes {
        return Err(ParseErrorKind::UnterminatedQuote);
    }
    fields.push(current);
    Ok(fields)
}

/// Writes entries as calendar CSV (header first, `\n` line ends), the inverse of [`parse_csv`].
pub fn to_csv(entries: &[CalendarEntry]) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for entry in entries {
        let name = &entry.name;
        let needs_quotes = name.contains([',', '"', '\n', '\r']) || name.trim() != name || name.starts_with('#');
        let name = if needs_quotes { format!("\"{}\"", name.replace('"', "\"\"")) } else { name.clone() };
        out.push_str(&format!("{},{},{}\n", entry.date.format("%Y-%m-%d"), entry.kind, name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn default_calendar() -> HolidayCalendar {
        HolidayCalendar::default_calendar()
    }

    fn skipped_dates(addition: &DateAddition) -> Vec<String> {
        addition.skipped.iter().map(|s| s.date.to_string()).collect()
    }

    // ---- default data ------------------------------------------------------------------

    #[test]
    fn default_calendar_covers_2024_to_2027() {
        let calendar = default_calendar();
        assert_eq!(calendar.years().collect::<Vec<_>>(), [2024, 2025, 2026, 2027]);
        assert!(!calendar.covers_year(2028));
        // 11 statutory days a year (Art 112) plus the compensatory days counted below.
        let count = |year| calendar.year_entries(year).len();
        assert_eq!(count(2024), 11 + 3); // Tết Sat+Sun, 1/9 Sun
        assert_eq!(count(2025), 11 + 1); // Tết 4th day Sat 1/2
        assert_eq!(count(2026), 11 + 1); // Hùng Kings Sun 26/4
        assert_eq!(count(2027), 11 + 3); // Tết Sat+Sun, 1/5 Sat
        assert!(calendar.entries().iter().all(|e| e.kind == EntryKind::Holiday));
    }

    #[test]
    fn default_2026_holidays_are_the_hand_listed_ones() {
        // 1/1 Thu; Tết: New Year's Day Tue 17/2, eve Mon 16/2 to mùng 4 Fri 20/2, no weekend day;
        // Hùng Kings Sun 26/4 → nghỉ bù Mon 27/4; 30/4 Thu, 1/5 Fri; 1/9 Tue, 2/9 Wed.
        let expected = [
            ("2026-01-01", "Tết Dương lịch"),
            ("2026-02-16", "Tết Nguyên đán (ngày cuối năm Âm lịch)"),
            ("2026-02-17", "Tết Nguyên đán (mùng 1)"),
            ("2026-02-18", "Tết Nguyên đán (mùng 2)"),
            ("2026-02-19", "Tết Nguyên đán (mùng 3)"),
            ("2026-02-20", "Tết Nguyên đán (mùng 4)"),
            ("2026-04-26", "Giỗ Tổ Hùng Vương"),
            ("2026-04-27", "Nghỉ bù Giỗ Tổ Hùng Vương"),
            ("2026-04-30", "Ngày Chiến thắng"),
            ("2026-05-01", "Ngày Quốc tế Lao động"),
            ("2026-09-01", "Quốc khánh"),
            ("2026-09-02", "Quốc khánh"),
        ];
        let expected: Vec<CalendarEntry> =
            expected.iter().map(|(date, name)| CalendarEntry::holiday(d(date), *name)).collect();
        assert_eq!(default_calendar().year_entries(2026), expected);
    }

    #[test]
    fn default_compensatory_days_follow_the_run_of_holidays() {
        let calendar = default_calendar();
        let holiday = |date: &str| calendar.holiday_name(d(date)).map(str::to_owned);
        // 2024: Tết Fri 9/2 – Tue 13/2 has Sat 10/2 and Sun 11/2 → Wed 14/2 and Thu 15/2.
        assert_eq!(holiday("2024-02-14").as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
        assert_eq!(holiday("2024-02-15").as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
        assert_eq!(holiday("2024-02-16"), None);
        // 2024: 1/9 is a Sunday, run Sun 1/9 – Mon 2/9 → Tue 3/9.
        assert_eq!(holiday("2024-09-03").as_deref(), Some("Nghỉ bù Quốc khánh"));
        // 2025: Tết Tue 28/1 – Sat 1/2; Sun 2/2 is a plain Sunday → nghỉ bù Mon 3/2.
        assert_eq!(holiday("2025-02-02"), None);
        assert_eq!(holiday("2025-02-03").as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
        // 2025: 30/4 Wed, 1/5 Thu, 1/9 Mon, 2/9 Tue: no compensatory day.
        assert_eq!(holiday("2025-05-02"), None);
        assert_eq!(holiday("2025-09-03"), None);
        // 2026: Hùng Kings Sun 26/4 → Mon 27/4; 30/4 Thu and 1/5 Fri need none.
        assert_eq!(holiday("2026-04-27").as_deref(), Some("Nghỉ bù Giỗ Tổ Hùng Vương"));
        assert_eq!(holiday("2026-05-04"), None);
        // 2027: New Year's Day Sat 6/2: Tết Fri 5/2 – Tue 9/2 covers Sat 6 and Sun 7 → Wed 10, Thu 11.
        assert_eq!(holiday("2027-02-10").as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
        assert_eq!(holiday("2027-02-11").as_deref(), Some("Nghỉ bù Tết Nguyên đán"));
        assert_eq!(holiday("2027-02-12"), None);
        // 2027: 30/4 Fri, 1/5 Sat → Sun 2/5 is a plain Sunday → Mon 3/5.
        assert_eq!(holiday("2027-05-03").as_deref(), Some("Nghỉ bù Ngày Quốc tế Lao động"));
    }

    #[test]
    fn default_data_matches_the_labour_code_derivation() {
        // Both sides are written independently (CSV by hand, derivation by rule), so agreement
        // checks each against the other.
        let calendar = default_calendar();
        let lunar = [
            (2024, "2024-02-10", "2024-04-18"),
            (2025, "2025-01-29", "2025-04-07"),
            (2026, "2026-02-17", "2026-04-26"),
            (2027, "2027-02-06", "2027-04-16"),
        ];
        for (year, new_year, hung_kings) in lunar {
            assert_eq!(statutory_holidays(year, d(new_year), d(hung_kings)), calendar.year_entries(year), "{year}");
        }
    }

    // ---- working days ------------------------------------------------------------------

    #[test]
    fn working_day_rules() {
        let calendar = default_calendar();
        assert!(calendar.is_working_day(d("2026-02-13"))); // Fri before Tết
        for day in ["2026-02-14", "2026-02-15", "2026-02-16", "2026-02-20", "2026-02-21", "2026-02-22"] {
            assert!(!calendar.is_working_day(d(day)), "{day}");
        }
        assert!(calendar.is_working_day(d("2026-02-23"))); // Mon after Tết
        assert!(!calendar.is_working_day(d("2026-04-27"))); // nghỉ bù
        assert!(calendar.is_working_day(d("2026-04-28")));
        // Outside the loaded years only weekends are days off.
        assert!(calendar.is_working_day(d("2028-05-01"))); // a Monday, no 2028 data
        assert!(!calendar.is_working_day(d("2028-05-06"))); // Saturday
        assert_eq!(calendar.non_working(d("2026-04-26")).unwrap().name, "Giỗ Tổ Hùng Vương"); // Sunday, named as holiday
        assert_eq!(calendar.non_working(d("2026-04-25")).unwrap().name, "Thứ Bảy");
        assert_eq!(calendar.non_working(d("2026-03-01")).unwrap().name, "Chủ nhật");
        assert_eq!(calendar.non_working(d("2026-03-01")).unwrap().reason, NonWorkingReason::Weekend);
        assert_eq!(calendar.next_working_day_from(d("2026-02-14")), d("2026-02-23"));
        assert_eq!(calendar.next_working_day_from(d("2026-02-23")), d("2026-02-23"));
        // Mon 16/2 – Sun 1/3/2026: 16–20 Tết, 21–22 weekend, 23–27 five days, 28/2–1/3 weekend.
        assert_eq!(calendar.working_days_between(d("2026-02-16"), d("2026-03-02")), 5);
    }

    #[test]
    fn working_days_across_tet_2026() {
        // Received Fri 13/2/2026, 10 WD: 14–15 weekend, 16–20 Tết, 21–22 weekend; counted
        // Mon 23 (1) … Fri 27 (5), Mon 2/3 (6) … Fri 6/3 (10).
        let result = default_calendar().add_explained(d("2026-02-13"), 10, DayUnit::Working);
        assert_eq!(result.due_on, d("2026-03-06"));
        assert_eq!(
            skipped_dates(&result),
            [
                "2026-02-14",
                "2026-02-15",
                "2026-02-16",
                "2026-02-17",
                "2026-02-18",
                "2026-02-19",
                "2026-02-20",
                "2026-02-21",
                "2026-02-22",
                "2026-02-28",
                "2026-03-01"
            ]
        );
        assert_eq!(result.skipped[2].name, "Tết Nguyên đán (ngày cuối năm Âm lịch)");
        assert_eq!(result.skipped[0].name, "Thứ Bảy");
        assert_eq!(result.skipped[1].name, "Chủ nhật");
    }

    #[test]
    fn working_days_across_tet_2025() {
        // Received Mon 20/1/2025, 10 WD: 21 (1), 22 (2), 23 (3), Fri 24 (4), 25–26 weekend,
        // Mon 27 (5), 28/1–1/2 Tết, Sun 2/2, Mon 3/2 nghỉ bù, Tue 4/2 (6), 5 (7), 6 (8),
        // Fri 7 (9), 8–9 weekend, Mon 10/2 (10).
        let result = default_calendar().add_explained(d("2025-01-20"), 10, DayUnit::Working);
        assert_eq!(result.due_on, d("2025-02-10"));
        assert!(result.skipped.iter().any(|s| s.date == d("2025-02-03") && s.name == "Nghỉ bù Tết Nguyên đán"));
        assert_eq!(result.skipped.len(), 2 + 5 + 1 + 1 + 2);
    }

    #[test]
    fn working_days_across_tet_2027() {
        // Received Thu 4/2/2027, 7 WD: Fri 5 – Thu 11/2 all off (Tết 5, 8, 9; weekend 6, 7 which
        // are also Tết; nghỉ bù 10, 11); Fri 12 (1), Mon 15 (2) … Fri 19 (6), Mon 22/2 (7).
        let calendar = default_calendar();
        assert_eq!(calendar.add(d("2027-02-04"), 7, DayUnit::Working), d("2027-02-22"));
        assert_eq!(calendar.working_days_after(d("2027-02-04"), 1), d("2027-02-12"));
    }

    #[test]
    fn working_days_across_30_april_and_1_may_2026() {
        // Received Tue 21/4/2026, 10 WD: 22 (1), 23 (2), Fri 24 (3), Sat 25, Sun 26 (Hùng Kings),
        // Mon 27 nghỉ bù, Tue 28 (4), Wed 29 (5), Thu 30/4 and Fri 1/5 holidays, 2–3 weekend,
        // Mon 4 (6) … Fri 8/5 (10).
        let result = default_calendar().add_explained(d("2026-04-21"), 10, DayUnit::Working);
        assert_eq!(result.due_on, d("2026-05-08"));
        let names: Vec<&str> = result.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "Thứ Bảy",
                "Giỗ Tổ Hùng Vương",
                "Nghỉ bù Giỗ Tổ Hùng Vương",
                "Ngày Chiến thắng",
                "Ngày Quốc tế Lao động",
                "Thứ Bảy",
                "Chủ nhật"
            ]
        );
    }

    #[test]
    fn zero_term() {
        let calendar = default_calendar();
        assert_eq!(calendar.add(d("2026-03-07"), 0, DayUnit::Working), d("2026-03-07"));
        // Calendar term of 0 ending on Saturday 7/3/2026 rolls to Monday 9/3.
        assert_eq!(calendar.add(d("2026-03-07"), 0, DayUnit::Calendar), d("2026-03-09"));
    }

    #[test]
    fn terms_from_users_are_bounded() {
        let calendar = default_calendar();
        assert_eq!(
            calendar.try_add_explained(d("2026-03-06"), MAX_DAYS + 1, DayUnit::Working),
            Err(CalendarError::TermTooLong { days: MAX_DAYS + 1, max: MAX_DAYS })
        );
        assert_eq!(
            calendar.try_add_explained(NaiveDate::MAX, 1, DayUnit::Calendar),
            Err(CalendarError::OutOfRange { from: NaiveDate::MAX, days: 1 })
        );
        // Fri 6/3/2026 + 1 working day = Mon 9/3/2026.
        assert_eq!(calendar.try_add_explained(d("2026-03-06"), 1, DayUnit::Working).unwrap().due_on, d("2026-03-09"));
    }

    // ---- calendar days -----------------------------------------------------------------

    #[test]
    fn calendar_days_roll_over_a_weekend() {
        // LAW.md §6.6: accepted Fri 6/3/2026 + 30 = Sun 5/4/2026 → Mon 6/4/2026 (no holiday there;
        // Hùng Kings 2026 is 26/4).
        let result = default_calendar().add_explained(d("2026-03-06"), 30, DayUnit::Calendar);
        assert_eq!(result.due_on, d("2026-04-06"));
        assert_eq!(skipped_dates(&result), ["2026-04-05"]);
        assert_eq!(result.skipped[0].name, "Chủ nhật");
    }

    #[test]
    fn calendar_days_do_not_skip_holidays_inside_the_term() {
        // Accepted Mon 9/2/2026 + 30: Feb has 28 days → Wed 11/3/2026, a working day; Tết inside
        // the term does not lengthen a calendar-day term.
        let result = default_calendar().add_explained(d("2026-02-09"), 30, DayUnit::Calendar);
        assert_eq!(result.due_on, d("2026-03-11"));
        assert!(result.skipped.is_empty());
    }

    #[test]
    fn calendar_days_roll_over_tet_2026() {
        // Accepted Fri 16/1/2026 + 30 = Sun 15/2 → 16–20 Tết, 21–22 weekend → Mon 23/2/2026.
        let result = default_calendar().add_explained(d("2026-01-16"), 30, DayUnit::Calendar);
        assert_eq!(result.due_on, d("2026-02-23"));
        assert_eq!(result.skipped.len(), 8);
        assert_eq!(result.skipped[1].name, "Tết Nguyên đán (ngày cuối năm Âm lịch)");
    }

    #[test]
    fn calendar_days_roll_over_tet_2027_and_its_compensatory_days() {
        // Accepted Wed 6/1/2027 + 30 = Fri 5/2 (Tết eve) → Sat 6, Sun 7, Mon 8, Tue 9 Tết,
        // Wed 10 and Thu 11 nghỉ bù → Fri 12/2/2027.
        let result = default_calendar().add_explained(d("2027-01-06"), 30, DayUnit::Calendar);
        assert_eq!(result.due_on, d("2027-02-12"));
        assert_eq!(result.skipped.len(), 7);
        assert_eq!(result.skipped[1].name, "Tết Nguyên đán (mùng 1)"); // a Saturday, named as Tết
    }

    #[test]
    fn calendar_days_roll_over_hung_kings_and_its_compensatory_day_2026() {
        // Accepted Thu 26/3/2026 + 30 = Sat 25/4 → Sun 26 Hùng Kings → Mon 27 nghỉ bù → Tue 28/4.
        let result = default_calendar().add_explained(d("2026-03-26"), 30, DayUnit::Calendar);
        assert_eq!(result.due_on, d("2026-04-28"));
        let names: Vec<&str> = result.skipped.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["Thứ Bảy", "Giỗ Tổ Hùng Vương", "Nghỉ bù Giỗ Tổ Hùng Vương"]);
    }

    #[test]
    fn calendar_days_roll_over_30_april_2027() {
        // Accepted Wed 31/3/2027 + 30 = Fri 30/4 holiday → Sat 1/5 holiday → Sun 2/5 → Mon 3/5
        // nghỉ bù → Tue 4/5/2027.
        assert_eq!(default_calendar().add(d("2027-03-31"), 30, DayUnit::Calendar), d("2027-05-04"));
        // 2025: accepted Mon 31/3 + 30 = Wed 30/4 → Thu 1/5 → Fri 2/5/2025.
        assert_eq!(default_calendar().add(d("2025-03-31"), 30, DayUnit::Calendar), d("2025-05-02"));
    }

    #[test]
    fn calendar_days_roll_over_national_day() {
        let calendar = default_calendar();
        // 2025: accepted Fri 1/8 + 30 = Sun 31/8 → Mon 1/9, Tue 2/9 Quốc khánh → Wed 3/9/2025.
        let result = calendar.add_explained(d("2025-08-01"), 30, DayUnit::Calendar);
        assert_eq!(result.due_on, d("2025-09-03"));
        assert_eq!(skipped_dates(&result), ["2025-08-31", "2025-09-01", "2025-09-02"]);
        // 2024: accepted Fri 2/8 + 30 = Sun 1/9 (Quốc khánh) → Mon 2/9 → Tue 3/9 nghỉ bù → Wed 4/9.
        assert_eq!(calendar.add(d("2024-08-02"), 30, DayUnit::Calendar), d("2024-09-04"));
        // 2026: accepted Mon 3/8 + 30 = Wed 2/9 → Thu 3/9/2026.
        assert_eq!(calendar.add(d("2026-08-03"), 30, DayUnit::Calendar), d("2026-09-03"));
    }

    // ---- the working-day index ---------------------------------------------------------

    /// The lookups agree with the day-by-day rules everywhere: inside the loaded years, in the
    /// weekends-only margin, and past the index's ends where the walk takes over.
    #[test]
    fn lookups_agree_with_the_day_by_day_rules() {
        for calendar in [default_calendar(), calendar_with_swap(), HolidayCalendar::new()] {
            let mut from = d("2012-12-20");
            while from < d("2039-01-15") {
                assert_eq!(calendar.is_working_day(from), calendar.is_working_day_by_rules(from), "{from}");
                for days in [0, 1, 2, 3, 5, 7, 10, 15, 30, 45, 60, 90, 400] {
                    for unit in [DayUnit::Working, DayUnit::Calendar] {
                        let walked = calendar.try_add_explained(from, days, unit).unwrap().due_on;
                        assert_eq!(calendar.try_add(from, days, unit), Ok(walked), "{from} + {days} {unit:?}");
                    }
                    let until = from + Days::new(u64::from(days));
                    let counted = from
                        .iter_days()
                        .take_while(|day| *day < until)
                        .filter(|day| calendar.is_working_day_by_rules(*day))
                        .count() as u32;
                    assert_eq!(calendar.working_days_between(from, until), counted, "{from} to {until}");
                }
                from = from + Days::new(3);
            }
        }
    }

    #[test]
    fn the_index_spans_the_loaded_years_and_ten_on_each_side() {
        let calendar = default_calendar();
        assert_eq!(calendar.index.position(d("2014-01-01")), Some(0));
        assert!(calendar.index.position(d("2013-12-31")).is_none());
        assert!(calendar.index.position(d("2037-12-31")).is_some());
        assert!(calendar.index.position(d("2038-01-01")).is_none());
        assert_eq!(HolidayCalendar::new().index.position(d("2026-01-01")), None);
    }

    #[test]
    fn the_index_follows_a_replaced_year() {
        let mut calendar = default_calendar();
        // Received Fri 24/4/2026, 3 working days: Mon 27/4 is the Hùng Kings' compensatory day,
        // 30/4 and 1/5 are holidays: Tue 28 (1), Wed 29 (2), Mon 4/5 (3).
        assert_eq!(calendar.add(d("2026-04-24"), 3, DayUnit::Working), d("2026-05-04"));
        calendar.replace_year(2026, &[]).unwrap();
        assert_eq!(calendar.add(d("2026-04-24"), 3, DayUnit::Working), d("2026-04-29"));
        assert_eq!(calendar.working_days_between(d("2026-04-27"), d("2026-05-04")), 5);
        assert_eq!(calendar.add(d("2029-12-31"), 1, DayUnit::Working), d("2030-01-01"));
        calendar.replace_year(2030, &[CalendarEntry::holiday(d("2030-01-01"), "Tết Dương lịch")]).unwrap();
        assert_eq!(calendar.add(d("2029-12-31"), 1, DayUnit::Working), d("2030-01-02"));
    }

    #[test]
    fn terms_past_the_end_of_the_index_are_walked() {
        let calendar = default_calendar();
        // The index ends with 2037; 400 working days from late 2037 reach into 2039.
        let walked = calendar.try_add_explained(d("2037-12-30"), 400, DayUnit::Working).unwrap().due_on;
        assert_eq!(calendar.add(d("2037-12-30"), 400, DayUnit::Working), walked);
        let longest = calendar.try_add_explained(d("2037-12-30"), MAX_DAYS, DayUnit::Working).unwrap().due_on;
        assert_eq!(calendar.add(d("2037-12-30"), MAX_DAYS, DayUnit::Working), longest);
        assert_eq!(
            calendar.try_add(d("2026-01-01"), MAX_DAYS + 1, DayUnit::Working),
            Err(CalendarError::TermTooLong { days: MAX_DAYS + 1, max: MAX_DAYS })
        );
    }

    // ---- make-up working day -----------------------------------------------------------

    fn calendar_with_swap() -> HolidayCalendar {
        // Fri 2/1/2026 given off, worked back on Sat 10/1/2026.
        HolidayCalendar::from_entries(&[
            CalendarEntry::holiday(d("2026-01-01"), "Tết Dương lịch"),
            CalendarEntry::holiday(d("2026-01-02"), "Nghỉ hoán đổi Tết Dương lịch"),
            CalendarEntry::working_day(d("2026-01-10"), "Làm bù ngày 02/01/2026"),
        ])
        .unwrap()
    }

    #[test]
    fn make_up_working_day_counts_in_both_units() {
        let calendar = calendar_with_swap();
        assert!(calendar.is_working_day(d("2026-01-10")));
        assert!(!calendar.is_working_day(d("2026-01-11"))); // the Sunday stays off
        assert_eq!(calendar.working_day_name(d("2026-01-10")), Some("Làm bù ngày 02/01/2026"));
        // Calendar: Thu 11/12/2025 + 30 = Sat 10/1/2026, a make-up working day → ends that day.
        assert_eq!(calendar.add(d("2025-12-11"), 30, DayUnit::Calendar), d("2026-01-10"));
        // Working: received Wed 7/1, 3 WD: Thu 8 (1), Fri 9 (2), Sat 10 make-up (3).
        assert_eq!(calendar.add(d("2026-01-07"), 3, DayUnit::Working), d("2026-01-10"));
        // Received Wed 31/12/2025, 2 WD: Thu 1/1 and Fri 2/1 off, 3–4 weekend, Mon 5 (1), Tue 6 (2).
        let result = calendar.add_explained(d("2025-12-31"), 2, DayUnit::Working);
        assert_eq!(result.due_on, d("2026-01-06"));
        assert_eq!(result.skipped[1].name, "Nghỉ hoán đổi Tết Dương lịch");
        // Without the swap, Sat 10/1 is a rest day: 11/12/2025 + 30 → Mon 12/1/2026.
        assert_eq!(HolidayCalendar::new().add(d("2025-12-11"), 30, DayUnit::Calendar), d("2026-01-12"));
    }

    #[test]
    fn replacing_a_year_leaves_other_years_alone() {
        let mut calendar = default_calendar();
        calendar
            .replace_year(
                2026,
                &[
                    CalendarEntry::holiday(d("2026-01-02"), "Nghỉ hoán đổi"),
                    CalendarEntry::working_day(d("2026-01-10"), "Làm bù"),
                ],
            )
            .unwrap();
        assert_eq!(calendar.year_entries(2026).len(), 2);
        assert!(calendar.is_working_day(d("2026-02-17"))); // Tết 2026 replaced away
        assert!(!calendar.is_working_day(d("2027-02-08"))); // 2027 untouched
        assert_eq!(calendar.year_entries(2027).len(), 14);
    }

    // ---- validation --------------------------------------------------------------------

    #[test]
    fn validation_names_the_offending_entry() {
        let mut calendar = default_calendar();
        let before = calendar.clone();
        let outside = calendar.replace_year(2026, &[CalendarEntry::holiday(d("2027-01-01"), "Tết Dương lịch")]);
        assert!(
            matches!(outside, Err(CalendarError::DateOutsideYear { year: 2026, date, .. }) if date == d("2027-01-01"))
        );
        assert_eq!(calendar, before, "a failed replacement changes nothing");

        let both = validate_year(
            2026,
            &[CalendarEntry::holiday(d("2026-01-10"), "Nghỉ"), CalendarEntry::working_day(d("2026-01-10"), "Làm bù")],
        );
        assert_eq!(
            both,
            Err(CalendarError::HolidayAndWorkingDay {
                date: d("2026-01-10"),
                holiday: "Nghỉ".into(),
                working_day: "Làm bù".into()
            })
        );

        // Fri 9/1/2026 is already a working day.
        let weekday = validate_year(2026, &[CalendarEntry::working_day(d("2026-01-09"), "Làm bù")]);
        assert_eq!(
            weekday,
            Err(CalendarError::WorkingDayNotWeekend {
                date: d("2026-01-09"),
                name: "Làm bù".into(),
                weekday: "Thứ Sáu"
            })
        );
        assert!(weekday.unwrap_err().to_string().contains("2026-01-09"));

        let empty = validate_year(2026, &[CalendarEntry::holiday(d("2026-05-01"), "  ")]);
        assert_eq!(empty, Err(CalendarError::EmptyName { date: d("2026-05-01"), kind: EntryKind::Holiday }));
        for bad in ["Quốc tế\u{0}Lao động".to_owned(), "x".repeat(NAME_MAX + 1)] {
            let named = [CalendarEntry::holiday(d("2026-05-01"), &bad)];
            assert_eq!(
                check_names(&named),
                Err(CalendarError::BadName { date: d("2026-05-01"), kind: EntryKind::Holiday })
            );
            assert_eq!(validate_year(2026, &named), Ok(()), "a stored name is not checked again");
        }
        assert!(
            check_names(&[CalendarEntry::holiday(d("2026-05-01"), format!("\t{} ", "x".repeat(NAME_MAX)))]).is_ok()
        );

        let twice = validate_year(
            2026,
            &[CalendarEntry::holiday(d("2026-05-01"), "A"), CalendarEntry::holiday(d("2026-05-01"), "B")],
        );
        assert!(matches!(twice, Err(CalendarError::DuplicateDate { .. })));

        // A holiday may fall on a weekend (it earns a nghỉ bù elsewhere in the list).
        assert_eq!(validate_year(2026, &[CalendarEntry::holiday(d("2026-04-26"), "Giỗ Tổ Hùng Vương")]), Ok(()));
    }

    // ---- CSV ---------------------------------------------------------------------------

    #[test]
    fn csv_round_trips() {
        let calendar = default_calendar();
        let entries = calendar.entries();
        assert_eq!(parse_csv(&to_csv(&entries)).unwrap(), entries);
        let odd = vec![
            CalendarEntry::holiday(d("2026-01-02"), "Nghỉ, \"hoán đổi\""),
            CalendarEntry::working_day(d("2026-01-10"), "Làm bù"),
        ];
        let text = to_csv(&odd);
        assert_eq!(
            text,
            "date,kind,name\n2026-01-02,holiday,\"Nghỉ, \"\"hoán đổi\"\"\"\n2026-01-10,working_day,Làm bù\n"
        );
        assert_eq!(parse_csv(&text).unwrap(), odd);
    }

    #[test]
    fn csv_accepts_bom_comments_blank_lines_and_crlf() {
        let text = "\u{feff}# official notice\r\ndate,kind,name\r\n\r\n2026-01-01,holiday,Tết Dương lịch\r\n# swap\r\n2026-01-10, working_day , Làm bù \r\n";
        let entries = parse_csv(text).unwrap();
        assert_eq!(
            entries,
            [
                CalendarEntry::holiday(d("2026-01-01"), "Tết Dương lịch"),
                CalendarEntry::working_day(d("2026-01-10"), "Làm bù")
            ]
        );
    }

    #[test]
    fn csv_errors_carry_the_line_number() {
        let error = |text: &str| parse_csv(text).unwrap_err();
        assert_eq!(error(""), ParseError { line: 1, kind: ParseErrorKind::MissingHeader });
        assert_eq!(error("2026-01-01,holiday,X\n").kind, ParseErrorKind::MissingHeader);
        assert_eq!(error("day,type,label\n").kind, ParseErrorKind::BadHeader { found: "day,type,label".into() });
        assert_eq!(
            error("date,kind,name\n2026-01-01,holiday,A\n2026-02-30,holiday,B\n"),
            ParseError { line: 3, kind: ParseErrorKind::BadDate { value: "2026-02-30".into() } }
        );
        assert_eq!(
            error("date,kind,name\n\n2026-01-01,day_off,A\n"),
            ParseError { line: 3, kind: ParseErrorKind::BadKind { value: "day_off".into() } }
        );
        assert_eq!(
            error("date,kind,name\n2026-01-01,holiday\n"),
            ParseError { line: 2, kind: ParseErrorKind::FieldCount { found: 2 } }
        );
        assert_eq!(
            error("date,kind,name\n2026-01-01,holiday,\n"),
            ParseError { line: 2, kind: ParseErrorKind::EmptyName }
        );
        assert_eq!(error("date,kind,name\n2026-01-01,holiday,\"A\n").kind, ParseErrorKind::UnterminatedQuote);
        assert_eq!(
            error("date,kind,name\n2026-01-01,holiday,A,B\n").to_string(),
            "line 2: expected 3 fields (date,kind,name), found 4"
        );
    }

    #[test]
    fn default_csv_starts_with_the_replacement_notice() {
        assert!(DEFAULT_CALENDAR_CSV.starts_with('#'));
        assert!(DEFAULT_CALENDAR_CSV.contains("administrator replaces"));
    }
}
