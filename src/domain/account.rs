//! Rules for accounts: usernames, names and the password policy (OWASP ASVS 5 §6.2: a minimum
//! length and no composition rules; an upper bound so that hashing cannot be used for CPU abuse).

use super::validation::{FieldError, ValidationErrors, email, required_text};
use super::vocab::Role;

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const FULL_NAME_MAX_CHARS: usize = 200;

/// A username: 3 to 64 characters of lowercase ASCII letters, digits, `.`, `_` and `-`,
/// starting with a letter or digit. Lowercase only, so that `An` and `an` cannot both exist.
pub fn username(field: &str, value: &str) -> Result<String, FieldError> {
    let ok_len = (3..=64).contains(&value.len());
    let ok_chars = value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c));
    let ok_start = value.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if ok_len && ok_chars && ok_start {
        Ok(value.to_owned())
    } else {
        Err(FieldError::new(
            field,
            "must be 3 to 64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit",
        ))
    }
}

/// A password under the policy: 12 to 128 characters (not bytes), taken as typed.
pub fn password(field: &str, value: &str) -> Result<(), FieldError> {
    let chars = value.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(FieldError::new(field, format!("must be at least {PASSWORD_MIN_CHARS} characters")));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(FieldError::new(field, format!("must be at most {PASSWORD_MAX_CHARS} characters")));
    }
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "must not be only spaces"));
    }
    Ok(())
}

/// A validated new account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAccount {
    pub username: String,
    pub full_name: String,
    pub email: Option<String>,
    pub role: Role,
}

impl NewAccount {
    pub fn parse(
        username_in: &str,
        full_name: &str,
        email_in: Option<&str>,
        role: Role,
    ) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let username = errors.check(username("username", username_in));
        let full_name = errors.check(required_text("full_name", full_name, FULL_NAME_MAX_CHARS));
        let email = match email_in.map(str::trim).filter(|e| !e.is_empty()) {
            Some(e) => errors.check(email("email", e)).map(Some),
            None => Some(None),
        };
        match (username, full_name, email) {
            (Some(username), Some(full_name), Some(email)) if errors.is_empty() => {
                Ok(NewAccount { username, full_name, email, role })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        for good in ["admin", "le.thi_b", "cb-01", "a12"] {
            assert_eq!(username("username", good).unwrap(), good);
        }
        for bad in ["ab", "Admin", "_x1", "nguyễn", "a b c", &"x".repeat(65)] {
            assert!(username("username", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_length_counts_characters_not_bytes() {
        assert!(password("p", "elevenchars").is_err());
        assert!(password("p", "twelve chars").is_ok());
        // 12 Vietnamese characters are 12 characters, though more bytes.
        assert!(password("p", "mậtkhẩuđẹplắ").is_ok());
        assert!(password("p", &"ư".repeat(128)).is_ok());
        assert!(password("p", &"a".repeat(129)).is_err());
        assert!(password("p", &" ".repeat(12)).is_err());
    }

    #[test]
    fn new_account_reports_every_field() {
        let err = NewAccount::parse("X", "  ", Some("nope"), Role::Handler).unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "full_name", "email"]);
        let ok = NewAccount::parse("an.nv", " Nguyễn Văn An ", Some(""), Role::Head).unwrap();
        assert_eq!(ok.full_name, "Nguyễn Văn An");
        assert_eq!(ok.email, None);
    }
}
