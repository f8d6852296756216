//! Notifications: messages written to the outbox in the same transaction as the change that
//! causes them, rendered from Vietnamese templates and delivered by the worker over SMTP.
//! Depends on `domain` and `persistence`; nothing outside `jobs` sends mail.
