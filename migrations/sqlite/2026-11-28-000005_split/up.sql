-- The parts of a split letter (DOMAIN.md §3) point to the original letter's case. This is not
-- `parent_id`, which joins the rounds of one matter. No REFERENCES clause: SQLite cannot drop a
-- column that takes part in a foreign key, and the down migration must be able to.
ALTER TABLE cases ADD COLUMN split_from BIGINT;
CREATE INDEX cases_split_from ON cases (split_from);
