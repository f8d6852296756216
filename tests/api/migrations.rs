//! The twin migration trees stay in step, and every migration goes up, down and up again.

use std::collections::BTreeSet;
use std::path::Path;

use tiepdan::persistence::{Database, migrations};

use crate::helpers::{TestDatabase, settings};

fn names(dir: &str) -> BTreeSet<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(dir);
    std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|entry| entry.unwrap())
        .filter(|entry| entry.path().is_dir())
        .map(|entry| {
            for file in ["up.sql", "down.sql"] {
                assert!(entry.path().join(file).is_file(), "{} lacks {file}", entry.path().display());
            }
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect()
}

#[test]
fn both_backends_have_the_same_migrations() {
    let sqlite = names("sqlite");
    let postgres = names("postgres");
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, postgres);
}

#[test]
fn every_migration_goes_up_down_and_up_again() {
    let (database, url) = TestDatabase::create();
    let db = Database::connect(&settings(&url, &[]).database).unwrap();
    let expected = names(if database.is_postgres() { "postgres" } else { "sqlite" }).len();

    let applied = migrations::run_pending(&db).unwrap();
    assert_eq!(applied.len(), expected);
    assert!(migrations::run_pending(&db).unwrap().is_empty(), "a second run applies nothing");

    let reverted = migrations::revert_all(&db).unwrap();
    assert_eq!(reverted.len(), expected);
    assert_eq!(migrations::run_pending(&db).unwrap().len(), expected);
    // The schema works after the round trip.
    let ctx = tiepdan::app::prepare(&settings(&url, &[])).unwrap();
    assert!(tiepdan::app::ensure_first_admin(&ctx).unwrap().is_some());
}

#[test]
fn sqlite_connections_carry_the_configured_settings() {
    use diesel::RunQueryDsl;
    use diesel::sql_types::{BigInt, Text};

    #[derive(diesel::QueryableByName)]
    struct Mode {
        #[diesel(sql_type = Text)]
        journal_mode: String,
    }
    #[derive(diesel::QueryableByName)]
    struct Number {
        #[diesel(sql_type = BigInt)]
        value: i64,
    }

    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("nested/folder/t.db").display());
    for (synchronous, expected) in [("full", 2), ("normal", 1)] {
        let db = Database::connect(&settings(&url, &[("TIEPDAN_SQLITE_SYNCHRONOUS", synchronous)]).database).unwrap();
        let mut conn = db.connection().unwrap();
        let mode: Mode = diesel::sql_query("PRAGMA journal_mode").get_result(&mut **conn).unwrap();
        assert_eq!(mode.journal_mode, "wal");
        let number = |column: &str, pragma: &str, conn: &mut tiepdan::persistence::AnyConnection| {
            let sql = format!("SELECT {column} AS value FROM pragma_{pragma}");
            diesel::sql_query(sql).get_result::<Number>(conn).unwrap().value
        };
        assert_eq!(number("foreign_keys", "foreign_keys", &mut conn), 1);
        assert_eq!(number("timeout", "busy_timeout", &mut conn), 5_000);
        assert_eq!(number("synchronous", "synchronous", &mut conn), expected);
    }
}

#[test]
fn concurrent_read_then_write_transactions_never_fail_with_database_locked() {
    use tiepdan::persistence::{AnyConnection, DbError, settings as app_settings};

    let (database, url) = TestDatabase::create();
    if database.is_postgres() {
        // A property of SQLite's single writer; PostgreSQL state changes rely on version
        // checks and row locks instead (tested with the case endpoints).
        return;
    }
    let db = Database::connect(&settings(&url, &[("TIEPDAN_DB_POOL_SIZE", "8")]).database).unwrap();
    migrations::run_pending(&db).unwrap();
    // Eight threads each read a counter, pause, and write it back plus one: with deferred
    // transactions SQLite fails most of them; with BEGIN IMMEDIATE they queue and all succeed.
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let db = db.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    db.write(|conn: &mut AnyConnection| -> Result<(), DbError> {
                        let current: i64 = app_settings::get(conn, "counter")?.map(|v| v.parse().unwrap()).unwrap_or(0);
                        std::thread::sleep(std::time::Duration::from_millis(2));
                        use diesel::RunQueryDsl;
                        diesel::sql_query("DELETE FROM app_settings WHERE key = 'counter'").execute(conn)?;
                        app_settings::get_or_insert_with(conn, "counter", || (current + 1).to_string())?;
                        Ok(())
                    })
                    .unwrap();
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let total = db.read(|conn| app_settings::get(conn, "counter")).unwrap();
    assert_eq!(total.as_deref(), Some("40"), "no lost update and no failed transaction");
}

#[test]
fn rule_sets_are_installed_once_and_read_from_the_database() {
    use chrono::NaiveDate;
    use tiepdan::domain::deadline::{ClockFlags, RuleSet};
    use tiepdan::domain::vocab::{CaseKind, ClockKind};
    use tiepdan::persistence::rule_sets;

    let (_database, url) = TestDatabase::create();
    let settings = settings(&url, &[]);
    let ctx = tiepdan::app::prepare(&settings).unwrap();
    let stored = ctx.db.read(rule_sets::documents).unwrap();
    let ids: Vec<String> = stored.iter().map(|(_, doc)| serde_json::from_str::<RuleSet>(doc).unwrap().id).collect();
    assert_eq!(ids, ["2019", "2026-07"]);

    // An operator's correction of a stored term is what the deadlines use from then on, and a
    // restart does not overwrite it with the built-in file.
    let (_, document) = stored.into_iter().nth(1).unwrap();
    let mut rule_set: RuleSet = serde_json::from_str(&document).unwrap();
    for rule in rule_set.rules.iter_mut().filter(|r| r.id == "complaint_acceptance") {
        rule.term = 6;
    }
    let corrected = serde_json::to_string(&rule_set).unwrap();
    ctx.db
        .write(|conn| -> Result<usize, tiepdan::persistence::DbError> {
            use diesel::prelude::*;
            use tiepdan::persistence::schema::rule_sets::dsl;
            Ok(diesel::update(dsl::rule_sets.filter(dsl::id.eq("2026-07")))
                .set(dsl::document.eq(&corrected))
                .execute(conn)?)
        })
        .unwrap();
    let restarted = tiepdan::app::prepare(&settings).unwrap();
    let received = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let rule = restarted
        .rules
        .in_force_on(received)
        .rule(ClockKind::Acceptance, CaseKind::Complaint, 1, &ClockFlags::default())
        .unwrap();
    assert_eq!(rule.term, 6);
    assert!(rule.source.contains("136/2025"), "{}", rule.source);
    let old = restarted.rules.in_force_on(NaiveDate::from_ymd_opt(2026, 6, 30).unwrap());
    assert_eq!(old.id, "2019");
}
