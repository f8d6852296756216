DROP INDEX cases_split_from;
ALTER TABLE cases DROP COLUMN split_from;
