-- The notification outbox (QUALITY.md REL-07, REL-08): each message is written in the same
-- transaction as the change that causes it and sent later by the worker; its id is the
-- Message-ID, so a message re-sent after a crash can be recognised.

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id BIGINT REFERENCES cases (id),
    template TEXT NOT NULL,
    trigger_key TEXT NOT NULL,
    -- One (case, template, trigger, recipient) is queued once (DOMAIN.md §8). Built in Rust from
    -- those four values, so that a missing case id does not make the backends disagree about
    -- NULLs in a unique constraint.
    dedupe_key TEXT NOT NULL UNIQUE,
    recipient_user_id BIGINT REFERENCES users (id),
    recipient_email TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    -- Mail addressed to a denouncer's own address (Luật Tố cáo Art 47): its recipient is shown
    -- as an alias to everyone but heads.
    confidential_recipient BOOLEAN NOT NULL DEFAULT FALSE,
    -- JSON: the ids and the data the template needs.
    payload TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    next_attempt_at TIMESTAMP NOT NULL,
    -- The worker holding the row and until when: a lease another worker may take over once it
    -- has run out (a worker that died while sending).
    claimed_by TEXT,
    claimed_until TIMESTAMP,
    sent_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
-- The worker's claim query: due pending rows and expired leases.
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
