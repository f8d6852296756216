-- The statutory rule sets (terms, units, start events, legal sources) as the deadlines use them.
-- Installed from the versioned file src/domain/rules/rulesets.json when the database is
-- migrated; a stored rule set is the record of the terms applied to the cases received under it.
CREATE TABLE rule_sets (
    id TEXT PRIMARY KEY NOT NULL,
    in_force_from DATE NOT NULL,
    format_version INTEGER NOT NULL,
    document TEXT NOT NULL,
    installed_at TIMESTAMP NOT NULL
);
