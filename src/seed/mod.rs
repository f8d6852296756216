//! Data for trying the system and for measuring it: `tiepdan seed-demo` and `tiepdan seed-bench`.

pub mod bench;
pub mod demo;

use diesel::prelude::*;

use crate::persistence::DbError;
use crate::persistence::schema::cases;
use crate::service::{Context, ServiceError};

/// How many cases the database holds: both seeds refuse a database that has some, unless forced.
pub fn case_count(ctx: &Context) -> Result<i64, ServiceError> {
    ctx.db.read(|conn| cases::table.count().get_result(conn).map_err(DbError::from).map_err(ServiceError::from))
}
