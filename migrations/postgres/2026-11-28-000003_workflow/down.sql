DROP TABLE calendar_days;
DROP TABLE case_suspensions;
