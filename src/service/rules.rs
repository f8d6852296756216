//! The rule sets in the database: installed from the versioned file at migration, read at start.
//! A rule set already stored is never replaced, so the terms applied to past cases stay on
//! record; a new rule set in the file (a new law) is added next to the old ones.

use chrono::{DateTime, Utc};

use super::ServiceError;
use crate::domain::deadline::{RULES_FORMAT_VERSION, RuleBook, RuleSet};
use crate::persistence::{Database, DbError, rule_sets};

/// Stores the built-in rule sets the database lacks; returns their ids.
pub fn install_builtin(db: &Database, now: DateTime<Utc>) -> Result<Vec<String>, ServiceError> {
    let builtin = RuleBook::builtin();
    let installed = db.write(|conn| -> Result<Vec<String>, DbError> {
        let present = rule_sets::ids(conn)?;
        let mut added = Vec::new();
        for rule_set in builtin.rule_sets().iter().filter(|r| !present.contains(&r.id)) {
            let document = serde_json::to_string(rule_set).map_err(|e| DbError::Other(e.to_string()))?;
            rule_sets::insert(conn, &rule_set.id, rule_set.in_force_from, RULES_FORMAT_VERSION as i32, &document, now)?;
            added.push(rule_set.id.clone());
        }
        Ok(added)
    })?;
    Ok(installed)
}

/// The rule book as stored.
pub fn load(db: &Database) -> Result<RuleBook, ServiceError> {
    let documents = db.read(rule_sets::documents)?;
    let rule_sets = documents
        .into_iter()
        .map(|(version, document)| {
            if version != RULES_FORMAT_VERSION as i32 {
                return Err(ServiceError::Internal(format!("a stored rule set has format {version}")));
            }
            serde_json::from_str::<RuleSet>(&document)
                .map_err(|e| ServiceError::Internal(format!("a stored rule set cannot be read: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    RuleBook::new(rule_sets).map_err(|e| ServiceError::Internal(format!("the stored rule sets are inconsistent: {e}")))
}
