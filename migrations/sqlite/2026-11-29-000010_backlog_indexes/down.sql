DROP INDEX cases_decided;
CREATE INDEX cases_decided ON cases (decided_on);
DROP INDEX cases_backlog;
