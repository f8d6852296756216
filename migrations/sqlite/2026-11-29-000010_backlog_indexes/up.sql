-- The backlog counts the open cases as of a date by kind, status, field, handler, age and clock
-- due dates: all of it is read from this index, without visiting the cases.
CREATE INDEX cases_backlog ON cases (status, received_on, kind, field, assignee_id, due_on, processing_due_on,
    acceptance_due_on, review_due_on, resolution_due_on, reply_due_on);
-- The on-time count of the cases decided in a period reads the date each was held to beside it.
DROP INDEX cases_decided;
CREATE INDEX cases_decided ON cases (decided_on, decided_due_on);
