-- Links are read both ways: a case's duplicates are found by the case they duplicate.
CREATE INDEX cases_duplicate_of ON cases (duplicate_of);
-- The on-time rate of the backlog and the period report reads the cases decided in a period.
CREATE INDEX cases_decided ON cases (decided_on);
