-- The parts of a split letter (DOMAIN.md §3) point to the original letter's case. This is not
-- `parent_id`, which joins the rounds of one matter.
ALTER TABLE cases ADD COLUMN split_from BIGINT REFERENCES cases (id);
CREATE INDEX cases_split_from ON cases (split_from);
