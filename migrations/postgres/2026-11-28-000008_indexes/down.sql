DROP INDEX cases_decided;
DROP INDEX cases_duplicate_of;
