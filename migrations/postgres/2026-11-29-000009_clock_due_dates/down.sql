DELETE FROM app_settings WHERE key = 'clock_due_dates';
ALTER TABLE cases DROP COLUMN decided_due_on;
ALTER TABLE cases DROP COLUMN reply_due_on;
ALTER TABLE cases DROP COLUMN resolution_due_on;
ALTER TABLE cases DROP COLUMN review_due_on;
ALTER TABLE cases DROP COLUMN acceptance_due_on;
ALTER TABLE cases DROP COLUMN processing_due_on;
