//! The migrations of both backends, embedded in the binary. The two trees carry the same names;
//! a test keeps them in step.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use diesel::migration::MigrationSource;

use super::{AnyConnection, Backend, Database, DbError};

pub const SQLITE: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// Runs every pending migration; returns the names of those applied.
pub fn run_pending(db: &Database) -> Result<Vec<String>, DbError> {
    let mut conn = db.connection()?;
    let conn: &mut AnyConnection = &mut conn;
    let source = source_for(conn);
    let applied = conn.run_pending_migrations(source).map_err(|e| DbError::Other(format!("migration failed: {e}")))?;
    Ok(applied.iter().map(|v| v.to_string()).collect())
}

/// Reverts every applied migration, newest first (used by the round-trip test and by operators
/// rebuilding a scratch database).
pub fn revert_all(db: &Database) -> Result<Vec<String>, DbError> {
    let mut conn = db.connection()?;
    let conn: &mut AnyConnection = &mut conn;
    let source = source_for(conn);
    let reverted =
        conn.revert_all_migrations(source).map_err(|e| DbError::Other(format!("migration revert failed: {e}")))?;
    Ok(reverted.iter().map(|v| v.to_string()).collect())
}

/// The newest migration this binary carries for `backend` (its version, as the migrations table
/// stores it): the schema this version of tiepdan reads and writes.
pub fn newest(backend: Backend) -> Result<String, DbError> {
    fn newest_of<DB: diesel::backend::Backend>(source: &impl MigrationSource<DB>) -> Result<String, DbError> {
        let listed = source.migrations().map_err(|e| DbError::Other(format!("migrations unreadable: {e}")))?;
        listed
            .iter()
            .map(|m| m.name().version().to_string())
            .max()
            .ok_or_else(|| DbError::Other("no migrations embedded".into()))
    }
    match backend {
        Backend::Sqlite => newest_of::<diesel::sqlite::Sqlite>(&SQLITE),
        Backend::Postgres => newest_of::<diesel::pg::Pg>(&POSTGRES),
    }
}

fn source_for(conn: &AnyConnection) -> EmbeddedMigrations {
    match conn {
        AnyConnection::Sqlite(_) => SQLITE,
        AnyConnection::Postgresql(_) => POSTGRES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_migration_is_the_last_folder_of_each_tree() {
        for (backend, folder) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations").join(folder);
            let last = std::fs::read_dir(dir)
                .unwrap()
                .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
                .max()
                .unwrap();
            // `2026-11-29-000010_backlog_indexes` is stored as `20261129000010`.
            let version: String = last.split('_').next().unwrap().chars().filter(char::is_ascii_digit).collect();
            assert_eq!(newest(backend).unwrap(), version, "{folder}");
        }
    }
}
