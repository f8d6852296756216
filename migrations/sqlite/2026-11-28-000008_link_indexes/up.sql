-- Links are read both ways: a case's duplicates are found by the case they duplicate.
CREATE INDEX cases_duplicate_of ON cases (duplicate_of);
