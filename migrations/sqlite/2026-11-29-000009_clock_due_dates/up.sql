-- The due date of each running clock, kept beside the case as `due_on` (their earliest) is, so
-- that reports count overdue and due-soon clocks in SQL; null while the clock does not run or is
-- paused. `decided_due_on` is the resolution due date a decision was held to.
ALTER TABLE cases ADD COLUMN processing_due_on DATE;
ALTER TABLE cases ADD COLUMN acceptance_due_on DATE;
ALTER TABLE cases ADD COLUMN review_due_on DATE;
ALTER TABLE cases ADD COLUMN resolution_due_on DATE;
ALTER TABLE cases ADD COLUMN reply_due_on DATE;
ALTER TABLE cases ADD COLUMN decided_due_on DATE;
-- Counting them needs the calendar and the rule sets: at its next start the application counts
-- them for the cases already there, and records in place of this mark the fingerprint of the
-- rule sets it counted under.
INSERT INTO app_settings (key, value) VALUES ('clock_due_dates', 'to_compute');
