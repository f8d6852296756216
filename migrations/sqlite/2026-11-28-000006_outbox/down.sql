DROP INDEX IF EXISTS outbox_due;
DROP TABLE outbox;
