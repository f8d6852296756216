//! Rules for citizens (DOMAIN.md §2): identity numbers, Vietnamese phone numbers, dates of birth,
//! and the search column that lets `nguyen van duc`, `ĐỨC` or `0912 345 678` find a person.

use chrono::NaiveDate;

use super::text;
use super::validation::{FieldError, ValidationErrors, email, required_text};
use super::vocab::Gender;

pub const FULL_NAME_MAX_CHARS: usize = 200;
pub const ADDRESS_MAX_CHARS: usize = 500;

/// No living citizen was born earlier; an earlier date is a typing mistake.
pub fn earliest_birth_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(1900, 1, 1).expect("a valid date")
}

const ID_NUMBER_FORMS: &str = "must be a CCCD of exactly 12 digits, a CMND of exactly 9 digits, \
    or a passport number of 6 to 12 letters and digits with at least one letter";

const PHONE_FORMS: &str = "must be a Vietnamese phone number: a mobile number of 10 digits starting with \
    03, 05, 07, 08 or 09, or a landline number of 11 digits starting with 02 \
    (spaces, dots, hyphens and a leading +84 are allowed)";

/// An identity document number: a CCCD (12 digits), an old CMND (9 digits) or a passport
/// (6 to 12 ASCII letters and digits, at least one letter), stored uppercase so that a passport
/// typed in lowercase is still recognised as the same document.
pub fn id_number(field: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    let all_digits = !value.is_empty() && value.chars().all(|c| c.is_ascii_digit());
    let is_cccd = all_digits && value.len() == 12;
    let is_cmnd = all_digits && value.len() == 9;
    let is_passport = (6..=12).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_alphanumeric())
        && value.chars().any(|c| c.is_ascii_alphabetic());
    if is_cccd || is_cmnd || is_passport {
        Ok(value.to_ascii_uppercase())
    } else {
        Err(FieldError::new(field, ID_NUMBER_FORMS))
    }
}

/// The digits of a phone number as people write it: spaces, dots and hyphens dropped, and the
/// country code `+84` or `84` replaced by the trunk prefix `0`. `None` when anything else is in
/// it (letters, a `+` inside, other symbols) or no digit is left.
fn phone_digits(value: &str) -> Option<String> {
    let value = value.trim();
    let (has_plus, rest) = match value.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, value),
    };
    if !rest.chars().all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-')) {
        return None;
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    match digits.strip_prefix("84") {
        // Some write the trunk 0 after the country code as well (`+84 0912…`); keep one.
        Some(national) if national.starts_with('0') => Some(national.to_owned()),
        Some(national) => Some(format!("0{national}")),
        // Only a `+` names a country code; without one, other countries' numbers are refused.
        None if has_plus => None,
        None => Some(digits),
    }
}

/// A Vietnamese phone number, stored as digits only: a mobile number (`0[35789]` and 8 digits)
/// or a landline number (`02` and 9 digits).
pub fn phone(field: &str, value: &str) -> Result<String, FieldError> {
    let digits = phone_digits(value).ok_or_else(|| FieldError::new(field, PHONE_FORMS))?;
    let is_mobile = digits.len() == 10 && matches!(digits.as_bytes()[..2], [b'0', b'3' | b'5' | b'7' | b'8' | b'9']);
    let is_landline = digits.len() == 11 && digits.starts_with("02");
    if is_mobile || is_landline { Ok(digits) } else { Err(FieldError::new(field, PHONE_FORMS)) }
}

/// A date of birth: not after `today` and not before 1900-01-01.
pub fn date_of_birth(field: &str, value: NaiveDate, today: NaiveDate) -> Result<NaiveDate, FieldError> {
    if value > today {
        return Err(FieldError::new(field, "must not be in the future"));
    }
    if value < earliest_birth_date() {
        return Err(FieldError::new(field, format!("must not be before {}", earliest_birth_date())));
    }
    Ok(value)
}

/// The stored search column: name, ID number and phone without diacritics or case.
pub fn search_text(full_name: &str, id_number: Option<&str>, phone: Option<&str>) -> String {
    text::search_text([full_name, id_number.unwrap_or_default(), phone.unwrap_or_default()])
}

/// What a search query is matched as. A query of phone-number characters only (digits, `+`,
/// `.`, `-`, spaces) is reduced to its digits, with `+84` read as `0`, so that `0912 345 678`
/// and `+84 912 345 678` find the stored `0912345678`; any other query is normalised like the
/// search column. A bare leading `84` is kept: it may be part of an ID number.
pub fn search_query(query: &str) -> String {
    let query = query.trim();
    let phone_like = query.chars().any(|c| c.is_ascii_digit())
        && query.chars().all(|c| c.is_ascii_digit() || matches!(c, '+' | '.' | '-' | ' '));
    if !phone_like {
        return text::normalise(query);
    }
    let digits: String = query.chars().filter(char::is_ascii_digit).collect();
    match query.strip_prefix('+').and_then(|_| digits.strip_prefix("84")) {
        Some(national) if national.starts_with('0') => national.to_owned(),
        Some(national) => format!("0{national}"),
        None => digits,
    }
}

/// A citizen as submitted for registration, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitizenInput {
    pub full_name: String,
    pub id_number: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A validated citizen, with every value in its stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCitizen {
    pub full_name: String,
    pub id_number: Option<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub gender: Option<Gender>,
    pub address: String,
    pub phone: Option<String>,
    pub email: Option<String>,
}

impl NewCitizen {
    /// Checks every field and reports every problem at once; blank optional fields are absent.
    pub fn parse(input: &CitizenInput, today: NaiveDate) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let full_name = errors.check(required_text("full_name", &input.full_name, FULL_NAME_MAX_CHARS));
        let id_number = errors.check(optional(input.id_number.as_deref(), |v| id_number("id_number", v)));
        let date_of_birth =
            errors.check(input.date_of_birth.map(|d| date_of_birth("date_of_birth", d, today)).transpose());
        let address = errors.check(required_text("address", &input.address, ADDRESS_MAX_CHARS));
        let phone = errors.check(optional(input.phone.as_deref(), |v| phone("phone", v)));
        let email = errors.check(optional(input.email.as_deref(), |v| email("email", v)));
        match (full_name, id_number, date_of_birth, address, phone, email) {
            (Some(full_name), Some(id_number), Some(date_of_birth), Some(address), Some(phone), Some(email))
                if errors.is_empty() =>
            {
                Ok(NewCitizen { full_name, id_number, date_of_birth, gender: input.gender, address, phone, email })
            }
            _ => Err(errors),
        }
    }

    pub fn search_text(&self) -> String {
        search_text(&self.full_name, self.id_number.as_deref(), self.phone.as_deref())
    }
}

/// A change to a citizen as submitted: `None` leaves a field alone, `Some(None)` (JSON `null`)
/// clears it, `Some(Some(value))` sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitizenPatch {
    pub full_name: Option<Option<String>>,
    pub id_number: Option<Option<String>>,
    pub date_of_birth: Option<Option<NaiveDate>>,
    pub gender: Option<Option<Gender>>,
    pub address: Option<Option<String>>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
}

/// A validated change, in stored form; same meaning of `None` and `Some(None)` as the patch.
/// Name and address cannot be cleared, so they are set or left alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CitizenChanges {
    pub full_name: Option<String>,
    pub id_number: Option<Option<String>>,
    pub date_of_birth: Option<Option<NaiveDate>>,
    pub gender: Option<Option<Gender>>,
    pub address: Option<String>,
    pub phone: Option<Option<String>>,
    pub email: Option<Option<String>>,
}

impl CitizenChanges {
    /// Checks every field present with the rules of a new citizen; a blank optional field, like
    /// `null`, clears it; a required field cannot be cleared.
    pub fn parse(patch: &CitizenPatch, today: NaiveDate) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let required = |field: &str, value: &Option<Option<String>>, max: usize| match value {
            None => Ok(None),
            Some(None) => Err(FieldError::new(field, "must not be empty")),
            Some(Some(text)) => required_text(field, text, max).map(Some),
        };
        let full_name = errors.check(required("full_name", &patch.full_name, FULL_NAME_MAX_CHARS));
        let address = errors.check(required("address", &patch.address, ADDRESS_MAX_CHARS));
        let id_number = errors.check(change(&patch.id_number, |v| id_number("id_number", v)));
        let phone = errors.check(change(&patch.phone, |v| phone("phone", v)));
        let email = errors.check(change(&patch.email, |v| email("email", v)));
        let date_of_birth = errors.check(
            patch.date_of_birth.map(|d| d.map(|d| date_of_birth("date_of_birth", d, today)).transpose()).transpose(),
        );
        match (full_name, address, id_number, phone, email, date_of_birth) {
            (Some(full_name), Some(address), Some(id_number), Some(phone), Some(email), Some(date_of_birth))
                if errors.is_empty() =>
            {
                Ok(CitizenChanges { full_name, id_number, date_of_birth, gender: patch.gender, address, phone, email })
            }
            _ => Err(errors),
        }
    }
}

/// An optional text field checked by `rule`; blank means absent.
fn optional(
    value: Option<&str>,
    rule: impl FnOnce(&str) -> Result<String, FieldError>,
) -> Result<Option<String>, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => rule(v).map(Some),
        None => Ok(None),
    }
}

/// A patched optional text field: absent stays absent, `null` or blank clears, a value is checked.
fn change(
    value: &Option<Option<String>>,
    rule: impl FnOnce(&str) -> Result<String, FieldError>,
) -> Result<Option<Option<String>>, FieldError> {
    match value {
        None => Ok(None),
        Some(v) => optional(v.as_deref(), rule).map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn today() -> NaiveDate {
        date(2026, 11, 28)
    }

    fn input() -> CitizenInput {
        CitizenInput {
            full_name: " Nguyễn Văn Đức ".into(),
            id_number: Some("012345678901".into()),
            date_of_birth: Some(date(1980, 5, 17)),
            gender: Some(Gender::Male),
            address: "12 Lê Lợi, phường Trần Phú".into(),
            phone: Some("0912 345 678".into()),
            email: Some("duc.nv@example.vn".into()),
        }
    }

    fn fields(errors: &ValidationErrors) -> Vec<&str> {
        errors.0.iter().map(|e| e.field.as_str()).collect()
    }

    #[test]
    fn cccd_cmnd_and_passports_are_accepted() {
        assert_eq!(id_number("id_number", "012345678901").unwrap(), "012345678901");
        assert_eq!(id_number("id_number", " 123456789 ").unwrap(), "123456789");
        assert_eq!(id_number("id_number", "B1234567").unwrap(), "B1234567");
        assert_eq!(id_number("id_number", "c03004857").unwrap(), "C03004857", "passports are stored uppercase");
        assert_eq!(id_number("id_number", "AB1234").unwrap(), "AB1234");
        assert_eq!(id_number("id_number", "ABCDEF123456").unwrap(), "ABCDEF123456");
    }

    #[test]
    fn other_identity_numbers_are_refused_naming_the_three_forms() {
        for bad in [
            "01234567890",   // 11 digits
            "12345678",      // 8 digits
            "1234567890",    // 10 digits: neither CCCD, CMND nor passport (no letter)
            "0123456789012", // 13 digits
            "B12-4567",      // a symbol
            "B 1234567",     // a space inside
            "AB123",         // too short for a passport
            "ABCDEF1234567", // too long for a passport
            "Đ1234567",      // not ASCII
            "",
        ] {
            let err = id_number("id_number", bad).unwrap_err();
            assert_eq!(err.field, "id_number", "{bad}");
            for form in ["CCCD", "CMND", "passport"] {
                assert!(err.message.contains(form), "{bad}: {}", err.message);
            }
        }
    }

    #[test]
    fn phones_are_stored_as_digits() {
        for (typed, stored) in [
            ("0912345678", "0912345678"),
            ("0912 345 678", "0912345678"),
            ("0912.345.678", "0912345678"),
            ("0912-345-678", "0912345678"),
            ("+84 912 345 678", "0912345678"),
            ("+84912345678", "0912345678"),
            ("84912345678", "0912345678"),
            ("+84 0912 345 678", "0912345678"),
            ("0355 123 456", "0355123456"),
            ("0523456789", "0523456789"),
            ("0701234567", "0701234567"),
            ("0812345678", "0812345678"),
            ("0255 3822 123", "02553822123"),
            ("+84 255 3822 123", "02553822123"),
        ] {
            assert_eq!(phone("phone", typed).unwrap(), stored, "{typed}");
        }
    }

    #[test]
    fn other_phones_are_refused() {
        for bad in [
            "12345",
            "0123456789",   // 01 is no mobile prefix
            "0412345678",   // nor 04
            "0612345678",   // nor 06
            "091234567",    // 9 digits
            "09123456789",  // 11 digits, not a landline
            "0212345678",   // a landline of 10 digits
            "022123456789", // a landline of 12 digits
            "+1 202 555 0123",
            "0912+345678",
            "0912/345/678",
            "0912 abc 678",
            "+84 (0) 912 345 678",
            "+",
            " - ",
        ] {
            let err = phone("phone", bad).unwrap_err();
            assert_eq!(err.field, "phone", "{bad}");
            assert!(err.message.contains("Vietnamese phone number"), "{bad}");
        }
    }

    #[test]
    fn birth_dates_lie_between_1900_and_today() {
        assert_eq!(date_of_birth("date_of_birth", today(), today()).unwrap(), today());
        assert_eq!(date_of_birth("date_of_birth", date(1900, 1, 1), today()).unwrap(), date(1900, 1, 1));
        assert_eq!(
            date_of_birth("date_of_birth", date(2026, 11, 29), today()).unwrap_err().message,
            "must not be in the future"
        );
        assert!(
            date_of_birth("date_of_birth", date(1899, 12, 31), today()).unwrap_err().message.contains("1900-01-01")
        );
    }

    #[test]
    fn a_new_citizen_is_stored_normalised() {
        let citizen = NewCitizen::parse(&input(), today()).unwrap();
        assert_eq!(citizen.full_name, "Nguyễn Văn Đức");
        assert_eq!(citizen.id_number.as_deref(), Some("012345678901"));
        assert_eq!(citizen.phone.as_deref(), Some("0912345678"));
        assert_eq!(citizen.gender, Some(Gender::Male));
        assert_eq!(citizen.search_text(), "nguyen van duc 012345678901 0912345678");
    }

    #[test]
    fn only_name_and_address_are_required() {
        let minimal = CitizenInput { full_name: "Lê Thị B".into(), address: "Thôn 3".into(), ..Default::default() };
        let citizen = NewCitizen::parse(&minimal, today()).unwrap();
        assert_eq!((citizen.id_number, citizen.phone, citizen.email, citizen.date_of_birth), (None, None, None, None));
        assert_eq!(citizen.gender, None);
        let blanks = CitizenInput {
            id_number: Some(" ".into()),
            phone: Some("".into()),
            email: Some("  ".into()),
            ..minimal.clone()
        };
        assert_eq!(NewCitizen::parse(&blanks, today()).unwrap().id_number, None);
        assert_eq!(NewCitizen::parse(&minimal, today()).unwrap().search_text(), "le thi b");
    }

    #[test]
    fn a_new_citizen_reports_every_bad_field() {
        let bad = CitizenInput {
            full_name: "  ".into(),
            id_number: Some("12345678".into()),
            date_of_birth: Some(date(2030, 1, 1)),
            gender: None,
            address: "x".repeat(ADDRESS_MAX_CHARS + 1),
            phone: Some("12345".into()),
            email: Some("nope".into()),
        };
        let errors = NewCitizen::parse(&bad, today()).unwrap_err();
        assert_eq!(fields(&errors), ["full_name", "id_number", "date_of_birth", "address", "phone", "email"]);
        let long_name = CitizenInput { full_name: "ư".repeat(FULL_NAME_MAX_CHARS + 1), ..input() };
        assert_eq!(fields(&NewCitizen::parse(&long_name, today()).unwrap_err()), ["full_name"]);
        let longest = CitizenInput {
            full_name: "ư".repeat(FULL_NAME_MAX_CHARS),
            address: "ư".repeat(ADDRESS_MAX_CHARS),
            ..input()
        };
        assert!(NewCitizen::parse(&longest, today()).is_ok());
    }

    #[test]
    fn a_patch_changes_sets_and_clears() {
        assert_eq!(CitizenChanges::parse(&CitizenPatch::default(), today()).unwrap(), CitizenChanges::default());
        let patch = CitizenPatch {
            full_name: Some(Some(" Trần Thị C ".into())),
            id_number: Some(Some("b1234567".into())),
            date_of_birth: Some(None),
            gender: Some(Some(Gender::Female)),
            address: None,
            phone: Some(Some("+84 255 3822 123".into())),
            email: Some(None),
        };
        let changes = CitizenChanges::parse(&patch, today()).unwrap();
        assert_eq!(
            changes,
            CitizenChanges {
                full_name: Some("Trần Thị C".into()),
                id_number: Some(Some("B1234567".into())),
                date_of_birth: Some(None),
                gender: Some(Some(Gender::Female)),
                address: None,
                phone: Some(Some("02553822123".into())),
                email: Some(None),
            }
        );
        let blank = CitizenPatch { phone: Some(Some(" ".into())), ..Default::default() };
        assert_eq!(CitizenChanges::parse(&blank, today()).unwrap().phone, Some(None));
    }

    #[test]
    fn a_patch_reports_every_bad_field_and_keeps_required_ones() {
        let patch = CitizenPatch {
            full_name: Some(None),
            id_number: Some(Some("01234567890".into())),
            date_of_birth: Some(Some(date(1850, 1, 1))),
            gender: None,
            address: Some(Some(" ".into())),
            phone: Some(Some("12345".into())),
            email: Some(Some("a@b".into())),
        };
        let errors = CitizenChanges::parse(&patch, today()).unwrap_err();
        assert_eq!(fields(&errors), ["full_name", "address", "id_number", "phone", "email", "date_of_birth"]);
    }

    #[test]
    fn phone_like_queries_become_digits() {
        assert_eq!(search_query("0912 345 678"), "0912345678");
        assert_eq!(search_query("0912.345.678"), "0912345678");
        assert_eq!(search_query(" 0912-345 "), "0912345");
        assert_eq!(search_query("+84 912 345 678"), "0912345678");
        assert_eq!(search_query("+84 0912 345 678"), "0912345678");
        assert_eq!(search_query("84912"), "84912", "a bare 84 may be part of an ID number");
        assert_eq!(search_query("012345678901"), "012345678901");
    }

    #[test]
    fn other_queries_are_normalised() {
        assert_eq!(search_query("Nguyễn  Văn ĐỨC"), "nguyen van duc");
        assert_eq!(search_query("đ"), "d");
        assert_eq!(search_query("B1234567"), "b1234567");
        assert_eq!(search_query("Lê 0912"), "le 0912");
        assert_eq!(search_query("-"), "-");
        assert_eq!(search_query("  "), "");
    }

    #[test]
    fn stored_search_text_matches_normalised_queries() {
        let stored = search_text("Nguyễn Văn Đức", Some("B1234567"), Some("0912345678"));
        assert_eq!(stored, "nguyen van duc b1234567 0912345678");
        for query in ["nguyen van duc", "ĐỨC", "Đức", "duc", "đ", "b1234567", "0912 345 678", "+84 912 345 678"]
        {
            assert!(stored.contains(&search_query(query)), "{query}");
        }
        assert_eq!(search_text("Lê Thị B", None, None), "le thi b");
    }
}
