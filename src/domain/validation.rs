//! Field-level validation results, collected so that a client learns every problem at once.

use std::fmt;

/// One problem with one input field; `field` is the JSON path (`people[0].role`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Every problem found in one input.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(FieldError::new(field, message));
    }

    /// Keeps the error of a check, if any, and returns its value otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(err);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when nothing was found.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|e| format!("{}: {}", e.field, e.message)).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for ValidationErrors {}

impl From<FieldError> for ValidationErrors {
    fn from(err: FieldError) -> Self {
        ValidationErrors(vec![err])
    }
}

/// A required free-text field: trimmed, not empty, at most `max` characters, no control
/// characters other than line breaks and tabs.
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    optional_text(field, trimmed, max).map(|v| v.unwrap_or_default())
}

/// An optional free-text field: `None` when blank, otherwise as `required_text`.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if trimmed.chars().count() > max {
        return Err(FieldError::new(field, format!("must be at most {max} characters")));
    }
    if trimmed.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        return Err(FieldError::new(field, "must not contain control characters"));
    }
    Ok(Some(trimmed.to_owned()))
}

/// An e-mail address as people type it: one `@`, a local part, a domain with a dot, no spaces.
pub fn email(field: &str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    let invalid = || FieldError::new(field, "must be an e-mail address such as ten@example.gov.vn");
    if value.len() > 254 || value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid());
    }
    let (local, domain) = value.split_once('@').ok_or_else(invalid)?;
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty() && !label.starts_with('-') && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    });
    if local.is_empty() || local.len() > 64 || domain.contains('@') || !domain.contains('.') || !labels_ok {
        return Err(invalid());
    }
    Ok(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_bounds() {
        assert_eq!(required_text("title", "  Đơn khiếu nại  ", 20).unwrap(), "Đơn khiếu nại");
        assert_eq!(required_text("title", "   ", 20).unwrap_err().message, "must not be empty");
        assert_eq!(required_text("title", "ăăă", 3).unwrap(), "ăăă");
        assert!(required_text("title", "ăăăă", 3).is_err());
        assert!(required_text("title", "a\u{0007}b", 10).is_err());
        assert_eq!(required_text("summary", "dòng 1\ndòng 2", 20).unwrap(), "dòng 1\ndòng 2");
    }

    #[test]
    fn optional_text_treats_blank_as_absent() {
        assert_eq!(optional_text("locality", "  ", 10).unwrap(), None);
        assert_eq!(optional_text("locality", " Phường 1 ", 10).unwrap().as_deref(), Some("Phường 1"));
    }

    #[test]
    fn emails_are_checked_for_shape() {
        for good in ["an.nguyen@quangngai.gov.vn", "x@y.vn", "tiep-dan+1@mail.example.com"] {
            assert_eq!(email("email", good).unwrap(), good);
        }
        for bad in ["", "plain", "@x.vn", "a@", "a@b", "a b@x.vn", "a@@x.vn", "a@x..vn", "a@-x.vn"] {
            let err = email("email", bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    #[test]
    fn errors_collect_and_display() {
        let mut errors = ValidationErrors::new();
        assert_eq!(errors.check(required_text("a", "x", 5)), Some("x".to_owned()));
        assert_eq!(errors.check(required_text("b", "", 5)), None);
        errors.add("c", "is wrong");
        assert_eq!(errors.to_string(), "b: must not be empty; c: is wrong");
        assert!(errors.into_result().is_err());
    }
}
