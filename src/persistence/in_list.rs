//! `column IN (list)` with the whole list as one bound value: a JSON array read by `json_each` on
//! SQLite, an array compared with `= ANY` on PostgreSQL (what diesel's `eq_any` writes there).
//!
//! On SQLite, `eq_any` writes one placeholder per value and marks the statement as not to be
//! kept, so it is compiled on every run. With one placeholder the text is the same whatever the
//! list, so the connection keeps the statement prepared, and the list is not bounded by SQLite's
//! limit on placeholders.

use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping, is_aggregate};
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Array, BigInt, IntoNullable, Nullable, Text};
use diesel::sqlite::Sqlite;
use diesel::{QueryResult, serialize::ToSql};

use super::MultiBackend;

/// A value that can be in a list: its SQL type on both backends.
pub trait ListValue: serde::Serialize + Clone + Send + Sync + 'static {
    type Sql: diesel::sql_types::SqlType + diesel::sql_types::SingleValue + 'static;
}

impl ListValue for i64 {
    type Sql = BigInt;
}

impl ListValue for String {
    type Sql = Text;
}

/// `column IN (values)`. A row whose column is NULL does not match, as with `IN`.
#[derive(Debug, Clone)]
pub struct InList<C, T> {
    column: C,
    values: Vec<T>,
    /// The same values as a JSON array, for SQLite.
    json: String,
}

/// `column IN (ids)`, for a `BIGINT` column (nullable or not).
pub fn in_ids<C>(column: C, ids: &[i64]) -> InList<C, i64>
where
    C: Expression,
    C::SqlType: IntoNullable<Nullable = Nullable<BigInt>>,
{
    in_list(column, ids.to_vec())
}

/// `column IN (texts)`, for a `TEXT` column (nullable or not).
pub fn in_texts<C>(column: C, texts: &[impl AsRef<str>]) -> InList<C, String>
where
    C: Expression,
    C::SqlType: IntoNullable<Nullable = Nullable<Text>>,
{
    in_list(column, texts.iter().map(|t| t.as_ref().to_owned()).collect())
}

fn in_list<C, T: ListValue>(column: C, values: Vec<T>) -> InList<C, T> {
    let json = serde_json::to_string(&values).expect("numbers and strings serialise");
    InList { column, values, json }
}

impl<C, T> Expression for InList<C, T> {
    // Nullable: with a NULL column the comparison is NULL, which a filter treats as false.
    type SqlType = Nullable<diesel::sql_types::Bool>;
}

impl<C: AppearsOnTable<QS>, T, QS> AppearsOnTable<QS> for InList<C, T> {}

impl<C: SelectableExpression<QS>, T, QS> SelectableExpression<QS> for InList<C, T> {}

impl<C, T> ValidGrouping<()> for InList<C, T> {
    type IsAggregate = is_aggregate::Never;
}

// The statement's text does not depend on the values, so a query that is otherwise fixed is
// kept by its type: its SQL is not written out on every run to look the statement up.
impl<C: QueryId, T: ListValue> QueryId for InList<C, T> {
    type QueryId = InList<C::QueryId, T>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C, T> QueryFragment<Sqlite> for InList<C, T>
where
    C: QueryFragment<Sqlite>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, String>(&self.json)?;
        out.push_sql("))");
        Ok(())
    }
}

impl<C, T> QueryFragment<Pg> for InList<C, T>
where
    C: QueryFragment<Pg>,
    T: ListValue,
    Pg: diesel::sql_types::HasSqlType<T::Sql>,
    Vec<T>: ToSql<Array<T::Sql>, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" = ANY(");
        out.push_bind_param::<Array<T::Sql>, Vec<T>>(&self.values)?;
        out.push_sql(")");
        Ok(())
    }
}

impl<C, T> QueryFragment<MultiBackend> for InList<C, T>
where
    Self: QueryFragment<Pg> + QueryFragment<Sqlite>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, MultiBackend>) -> QueryResult<()> {
        MultiBackend::walk_variant_ast(self, pass)
    }
}

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;

    use super::*;
    use crate::persistence::{AnyConnection, KeptStatements};

    diesel::table! {
        items (id) {
            id -> BigInt,
            parent_id -> Nullable<BigInt>,
            kind -> Text,
        }
    }

    fn sqlite_with_items() -> AnyConnection {
        let mut conn = AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        conn.batch_execute(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, parent_id BIGINT, kind TEXT NOT NULL);
             INSERT INTO items VALUES (1, NULL, 'a'), (2, 1, 'b'), (3, 1, 'a'), (4, 2, 'c'), (5, NULL, 'it''s');",
        )
        .unwrap();
        conn
    }

    fn ids_where(conn: &mut AnyConnection, ids: &[i64]) -> Vec<i64> {
        items::table.filter(in_ids(items::id, ids)).order(items::id).select(items::id).load(conn).unwrap()
    }

    #[test]
    fn matches_the_listed_values_only() {
        let mut conn = sqlite_with_items();
        assert_eq!(ids_where(&mut conn, &[4, 2, 9]), vec![2, 4]);
        assert_eq!(ids_where(&mut conn, &[2, 2, 4]), vec![2, 4]);
        assert_eq!(ids_where(&mut conn, &[]), Vec::<i64>::new());
        // More values than SQLite takes placeholders (32,766).
        let many: Vec<i64> = (3..40_000).collect();
        assert_eq!(ids_where(&mut conn, &many), vec![3, 4, 5]);
        // A NULL column matches nothing, as with IN.
        let children: Vec<i64> = items::table
            .filter(in_ids(items::parent_id, &[1, 2]))
            .order(items::id)
            .select(items::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(children, vec![2, 3, 4]);
        let texts: Vec<i64> = items::table
            .filter(in_texts(items::kind, &["a", "it's"]))
            .order(items::id)
            .select(items::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(texts, vec![1, 3, 5]);
        // Negated, a NULL column is still no match (NOT NULL is NULL).
        let outside: Vec<i64> = items::table
            .filter(diesel::dsl::not(in_ids(items::parent_id, &[1])))
            .order(items::id)
            .select(items::id)
            .load(&mut conn)
            .unwrap();
        assert_eq!(outside, vec![4]);
    }

    #[test]
    fn one_statement_is_prepared_for_lists_of_any_length() {
        let mut conn = sqlite_with_items();
        let cached = KeptStatements::default();
        conn.set_instrumentation(cached.clone());
        for ids in [&[1][..], &[1, 2, 3], &[5, 4, 3, 2, 1], &[]] {
            ids_where(&mut conn, ids);
        }
        let statements = cached.sql();
        assert_eq!(statements.len(), 1, "{statements:?}");
        assert!(statements[0].contains("json_each(?)"), "{}", statements[0]);

        // Kept by its type, not looked up by its text.
        fn has_static_id<Q: QueryId>(_: &Q) -> bool {
            Q::HAS_STATIC_QUERY_ID
        }
        assert!(has_static_id(&items::table.filter(in_ids(items::id, &[1])).select(items::id)));
        assert!(has_static_id(&items::table.filter(in_texts(items::kind, &["a"])).select(items::id)));

        // diesel's own `eq_any` is compiled for every list, kept for none.
        let per_value: Vec<i64> =
            items::table.filter(items::id.eq_any([1, 2])).select(items::id).load(&mut conn).unwrap();
        assert_eq!(per_value.len(), 2);
        assert_eq!(cached.sql().len(), 1);
    }
}
