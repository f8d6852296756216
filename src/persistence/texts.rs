//! Free-text columns on the read path that matters most: the title, summary, respondent, place
//! and forwarding body of every case on a list page, and the names and addresses of its people.
//!
//! diesel reads a SQLite text value by checking its UTF-8 with the standard library's check,
//! which goes a byte at a time through every letter of two or three bytes, and most Vietnamese
//! words have one: the largest cost of turning a page's rows into values. Selected through
//! [`AsBytes`], SQLite hands the column over as a BLOB holding the same bytes (the database's
//! text is UTF-8, SQLite's default encoding and the only one tiepdan creates), which [`Utf8`]
//! and [`MaybeUtf8`] check with SIMD. On PostgreSQL `AsBytes` is the column itself and the values
//! go through diesel as usual; a value that is not a BLOB (a column selected without `AsBytes`)
//! also goes through diesel, and bytes that are not UTF-8 are refused as diesel refuses them.
//!
//! Use them in a `Queryable` struct: `#[diesel(deserialize_as = Utf8)]` on a `String` field and
//! `MaybeUtf8` on an `Option<String>`, with the column selected as `AsBytes(column)`.

use diesel::QueryResult;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::pg::{Pg, PgValue};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{IntoNullable, Nullable, Text};
use diesel::sqlite::{Sqlite, SqliteType, SqliteValue};

use super::dates::readings;
use super::{MultiBackend, MultiRawValue};

/// A text column (nullable or not), selected on SQLite as `CAST(column AS BLOB)`.
#[derive(Debug, Clone, Copy, QueryId)]
pub struct AsBytes<C>(pub C);

impl<C> Expression for AsBytes<C>
where
    C: Expression,
    C::SqlType: IntoNullable<Nullable = Nullable<Text>>,
{
    type SqlType = C::SqlType;
}

impl<C: AppearsOnTable<QS>, QS> AppearsOnTable<QS> for AsBytes<C> where Self: Expression {}

impl<C: SelectableExpression<QS>, QS> SelectableExpression<QS> for AsBytes<C> where Self: Expression {}

impl<C: ValidGrouping<GB>, GB> ValidGrouping<GB> for AsBytes<C> {
    type IsAggregate = C::IsAggregate;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for AsBytes<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.push_sql("CAST(");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(" AS BLOB)");
        Ok(())
    }
}

impl<C: QueryFragment<Pg>> QueryFragment<Pg> for AsBytes<C> {
    fn walk_ast<'b>(&'b self, out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.0.walk_ast(out)
    }
}

impl<C> QueryFragment<MultiBackend> for AsBytes<C>
where
    Self: QueryFragment<Pg> + QueryFragment<Sqlite>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}

/// A `TEXT NOT NULL` column.
#[derive(Debug, Clone, PartialEq, Eq, FromSqlRow)]
pub struct Utf8(pub String);

/// A nullable `TEXT` column.
#[derive(Debug, Clone, PartialEq, Eq, FromSqlRow)]
pub struct MaybeUtf8(pub Option<String>);

impl From<Utf8> for String {
    fn from(text: Utf8) -> Self {
        text.0
    }
}

impl From<MaybeUtf8> for Option<String> {
    fn from(text: MaybeUtf8) -> Self {
        text.0
    }
}

/// The bytes of a BLOB as text, checked with SIMD; anything else through diesel's own reader.
fn text_on_sqlite(mut value: SqliteValue<'_, '_, '_>) -> deserialize::Result<String> {
    if value.value_type() != Some(SqliteType::Binary) {
        return <String as FromSql<Text, Sqlite>>::from_sql(value);
    }
    let bytes = value.read_blob();
    match simdutf8::basic::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        // The standard library's error says where the bytes go wrong, as diesel's does.
        Err(_) => Ok(std::str::from_utf8(bytes)?.to_owned()),
    }
}

readings!(required: Utf8, Text, String, text_on_sqlite);
readings!(nullable: MaybeUtf8, Text, String, text_on_sqlite);

#[cfg(test)]
mod tests {
    use diesel::prelude::*;

    use super::*;
    use crate::persistence::{AnyConnection, on_backend};

    diesel::table! {
        notes (id) {
            id -> BigInt,
            body -> Text,
            place -> Nullable<Text>,
        }
    }

    /// Each column reads the same through `AsBytes` and without it, through `AnyConnection` and
    /// on each backend's own connection, NULLs included; PostgreSQL when `TEST_DATABASE_URL` is set.
    #[test]
    fn reads_alike_with_and_without_the_cast_on_either_connection() {
        let texts = [
            "Về việc cấp giấy chứng nhận quyền sử dụng đất tại xã Hải Bình",
            "",
            "plain ASCII",
            "Người tố cáo 1 \u{1F4C4} \"quoted\" \\ and a tab\t",
        ];
        let mut connections = vec![AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap())];
        if let Ok(url) = std::env::var("TEST_DATABASE_URL") {
            connections.push(AnyConnection::Postgresql(diesel::PgConnection::establish(&url).unwrap()));
        }
        let expected: Vec<(i64, String, Option<String>)> = texts
            .iter()
            .enumerate()
            .map(|(id, body)| (id as i64, body.to_string(), (id % 2 == 0).then(|| body.to_uppercase())))
            .collect();
        for mut conn in connections {
            conn.begin_test_transaction().unwrap();
            diesel::sql_query("CREATE TEMPORARY TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL, place TEXT)")
                .execute(&mut conn)
                .unwrap();
            for (id, body, place) in &expected {
                diesel::insert_into(notes::table)
                    .values((notes::id.eq(id), notes::body.eq(body), notes::place.eq(place)))
                    .execute(&mut conn)
                    .unwrap();
            }
            let by_diesel: Vec<(i64, String, Option<String>)> =
                notes::table.select((notes::id, notes::body, notes::place)).order(notes::id).load(&mut conn).unwrap();
            assert_eq!(by_diesel, expected);

            let cast = (notes::id, AsBytes(notes::body), AsBytes(notes::place));
            let through_any: Vec<(i64, Utf8, MaybeUtf8)> =
                notes::table.select(cast).order(notes::id).load(&mut conn).unwrap();
            let own: Vec<(i64, Utf8, MaybeUtf8)> =
                on_backend!(&mut conn, |c| notes::table.select(cast).order(notes::id).load(c)).unwrap();
            let uncast: Vec<(i64, Utf8, MaybeUtf8)> =
                notes::table.select((notes::id, notes::body, notes::place)).order(notes::id).load(&mut conn).unwrap();
            for read in [through_any, own, uncast] {
                let read: Vec<(i64, String, Option<String>)> =
                    read.into_iter().map(|(id, body, place)| (id, body.into(), place.into())).collect();
                assert_eq!(read, expected);
            }
        }
    }

    /// The cast is what SQLite is sent (without it every value would take diesel's path, and
    /// the readings would still agree), for the case rows of a page too; PostgreSQL gets the column.
    #[test]
    fn sqlite_is_sent_the_cast_and_postgresql_the_column() {
        use diesel::debug_query;
        use diesel::pg::Pg;

        use crate::persistence::cases::CaseRow;
        use crate::persistence::schema::cases;

        let query = notes::table.select((notes::id, AsBytes(notes::body), AsBytes(notes::place)));
        let on_sqlite = debug_query::<Sqlite, _>(&query).to_string();
        assert!(on_sqlite.contains("CAST(`notes`.`body` AS BLOB), CAST(`notes`.`place` AS BLOB)"), "{on_sqlite}");
        let on_pg = debug_query::<Pg, _>(&query).to_string();
        assert!(on_pg.contains(r#""notes"."body", "notes"."place""#) && !on_pg.contains("CAST"), "{on_pg}");

        let rows = debug_query::<Sqlite, _>(&cases::table.select(CaseRow::as_select())).to_string();
        for column in ["locality", "title", "summary", "respondent", "forwarded_by"] {
            assert!(rows.contains(&format!("CAST(`cases`.`{column}` AS BLOB)")), "{column}: {rows}");
        }
    }

    /// Bytes that are not UTF-8 (a BLOB stored in a TEXT column) are an error, the same one
    /// diesel gives when it reads the column as text.
    #[test]
    fn bytes_that_are_not_utf8_are_refused_as_diesel_refuses_them() {
        let mut conn = AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        // "Hà" with its second letter cut short, then "nội".
        diesel::sql_query("CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL, place TEXT)")
            .execute(&mut conn)
            .unwrap();
        diesel::sql_query("INSERT INTO notes VALUES (1, X'48C36EE1BB9969', X'48C36EE1BB9969')")
            .execute(&mut conn)
            .unwrap();
        let cut_short = "Utf8Error { valid_up_to: 1, error_len: Some(1) }";
        let ours = notes::table.select(AsBytes(notes::body)).first::<Utf8>(&mut conn).unwrap_err();
        let ours_nullable = notes::table.select(AsBytes(notes::place)).first::<MaybeUtf8>(&mut conn).unwrap_err();
        let diesels = notes::table.select(notes::body).first::<String>(&mut conn).unwrap_err();
        for error in [ours, ours_nullable, diesels] {
            assert!(format!("{error:?}").contains(cut_short), "{error:?}");
        }
    }
}
