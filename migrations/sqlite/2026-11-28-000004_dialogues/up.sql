-- Dialogues (đối thoại) of complaints, Luật Khiếu nại Art 30 and 39: the session as scheduled,
-- then its minutes (biên bản đối thoại); and the people invited, with attendance, signature and
-- the stated reasons of absentees and of those who refused to sign (Art 30.4).

CREATE TABLE dialogues (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT NOT NULL REFERENCES cases (id),
    status TEXT NOT NULL CHECK (status IN ('scheduled', 'held', 'cancelled')),
    scheduled_at TIMESTAMP NOT NULL,
    location TEXT NOT NULL,
    chair TEXT NOT NULL,
    held_at TIMESTAMP,
    minutes_opinions TEXT,
    minutes_result TEXT,
    minutes_agreed TEXT,
    minutes_disagreed TEXT,
    cancel_reason TEXT,
    created_by BIGINT NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
-- The calendar of sessions (by date) and the dialogues of one case (the decide guard).
CREATE INDEX dialogues_scheduled ON dialogues (scheduled_at, id);
CREATE INDEX dialogues_case ON dialogues (case_id, status);

CREATE TABLE dialogue_participants (
    dialogue_id BIGINT NOT NULL REFERENCES dialogues (id),
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('complainant', 'representative', 'respondent', 'related_party', 'agency')),
    citizen_id BIGINT REFERENCES citizens (id),
    email TEXT,
    attended BOOLEAN,
    signed BOOLEAN,
    refusal_reason TEXT,
    absence_reason TEXT,
    PRIMARY KEY (dialogue_id, position)
);
