-- Suspensions of a case's resolution (days between effective_on and resumed_on do not count),
-- and the holiday calendar every deadline is computed with.

CREATE TABLE case_suspensions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    effective_on DATE NOT NULL,
    resumed_on DATE,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX case_suspensions_case ON case_suspensions (case_id, effective_on);

CREATE TABLE calendar_days (
    date DATE PRIMARY KEY NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'working_day')),
    name TEXT NOT NULL
);
