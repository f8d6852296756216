//! The migrations of both backends, embedded in the binary. The two trees carry the same names;
//! a test keeps them in step.

use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::{AnyConnection, Database, DbError};

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

fn source_for(conn: &AnyConnection) -> EmbeddedMigrations {
    match conn {
        AnyConnection::Sqlite(_) => SQLITE,
        AnyConnection::Postgresql(_) => POSTGRES,
    }
}
