DROP TABLE audit_log;
DROP TABLE app_settings;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE users;
