-- Citizens, cases and the reception register. Text columns hold enum names (see domain::vocab);
-- `*_norm` and `search_text` columns hold the lowercase, diacritics-free forms the application
-- writes, so that search behaves the same on every backend.

CREATE TABLE citizens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    full_name TEXT NOT NULL,
    id_number TEXT UNIQUE,
    date_of_birth DATE,
    gender TEXT CHECK (gender IN ('male', 'female', 'other')),
    address TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    search_text TEXT NOT NULL,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX citizens_phone ON citizens (phone);

-- Gapless numbers: visit register numbers per year, case codes per prefix and year.
CREATE TABLE counters (
    scope TEXT PRIMARY KEY NOT NULL,
    value BIGINT NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('complaint', 'denunciation', 'petition', 'feedback')),
    round INTEGER NOT NULL CHECK (round IN (1, 2)),
    parent_id BIGINT REFERENCES cases (id),
    field TEXT NOT NULL,
    locality TEXT,
    locality_norm TEXT,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    respondent TEXT NOT NULL,
    search_text TEXT NOT NULL,
    source TEXT NOT NULL,
    forwarded_by TEXT,
    received_at TIMESTAMP NOT NULL,
    received_on DATE NOT NULL,
    status TEXT NOT NULL,
    status_before_suspension TEXT,
    assignee_id BIGINT REFERENCES users (id),
    created_by BIGINT NOT NULL REFERENCES users (id),
    group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size >= 1),
    complex BOOLEAN NOT NULL DEFAULT FALSE,
    very_complex BOOLEAN NOT NULL DEFAULT FALSE,
    remote_area BOOLEAN NOT NULL DEFAULT FALSE,
    multi_site BOOLEAN NOT NULL DEFAULT FALSE,
    central_list BOOLEAN NOT NULL DEFAULT FALSE,
    filed_late BOOLEAN NOT NULL DEFAULT FALSE,
    intake_count INTEGER NOT NULL DEFAULT 1,
    intake_after_decision BOOLEAN NOT NULL DEFAULT FALSE,
    accepted_on DATE,
    transferred_on DATE,
    decided_on DATE,
    extensions INTEGER NOT NULL DEFAULT 0,
    outcome TEXT,
    duplicate_of BIGINT REFERENCES cases (id),
    retention_until DATE,
    due_on DATE,
    version INTEGER NOT NULL DEFAULT 1,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
-- Keyset pages of the case list: newest first, by assignee, by creator, by status, by due date.
CREATE INDEX cases_received ON cases (received_at, id);
CREATE INDEX cases_assignee_received ON cases (assignee_id, received_at, id);
CREATE INDEX cases_creator_received ON cases (created_by, received_at, id);
CREATE INDEX cases_status_received ON cases (status, received_at, id);
CREATE INDEX cases_due ON cases (due_on, id);
CREATE INDEX cases_parent ON cases (parent_id);

CREATE TABLE case_people (
    case_id BIGINT NOT NULL REFERENCES cases (id),
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    role TEXT NOT NULL CHECK (role IN ('complainant', 'denouncer', 'petitioner', 'representative')),
    position INTEGER NOT NULL,
    PRIMARY KEY (case_id, citizen_id, role)
);
CREATE INDEX case_people_citizen ON case_people (citizen_id);

CREATE TABLE visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year INTEGER NOT NULL,
    register_no INTEGER NOT NULL,
    received_at TIMESTAMP NOT NULL,
    mode TEXT NOT NULL,
    officer_id BIGINT NOT NULL REFERENCES users (id),
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    group_size INTEGER NOT NULL DEFAULT 1 CHECK (group_size >= 1),
    summary TEXT NOT NULL,
    content_kinds TEXT NOT NULL DEFAULT '',
    handled_before_by TEXT,
    outcome TEXT NOT NULL,
    document_no TEXT,
    target_body TEXT,
    refusal_ground INTEGER CHECK (refusal_ground BETWEEN 1 AND 4),
    created_at TIMESTAMP NOT NULL,
    UNIQUE (year, register_no)
);
CREATE INDEX visits_received ON visits (received_at, id);
CREATE INDEX visits_officer ON visits (officer_id, received_at);

CREATE TABLE visit_representatives (
    visit_id BIGINT NOT NULL REFERENCES visits (id),
    citizen_id BIGINT NOT NULL REFERENCES citizens (id),
    PRIMARY KEY (visit_id, citizen_id)
);

-- Each letter or visit that reached a case.
CREATE TABLE intakes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    visit_id BIGINT REFERENCES visits (id),
    channel TEXT NOT NULL,
    received_at TIMESTAMP NOT NULL,
    summary TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX intakes_case ON intakes (case_id, received_at);
CREATE INDEX intakes_visit ON intakes (visit_id);

-- The case file's history: append-only.
CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    at TIMESTAMP NOT NULL,
    actor_id BIGINT REFERENCES users (id),
    event_type TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX case_events_case ON case_events (case_id, id);

-- Responses of POST requests carrying an Idempotency-Key, replayed for 24 hours.
CREATE TABLE idempotency_keys (
    user_id BIGINT NOT NULL REFERENCES users (id),
    key TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    status INTEGER NOT NULL,
    body TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
