//! Vocabulary columns (kinds, statuses, fields, outcomes) read straight into their domain types
//! on the report paths, which read tens of thousands of rows at once: the stored word is parsed
//! where the driver holds it, with no `String` made for it.
//!
//! Use them in a `Queryable` struct with `#[diesel(deserialize_as = Word<CaseKind>)]` on a
//! `CaseKind` field and `MaybeWord<CaseStatus>` on an `Option<CaseStatus>`, or load them as they
//! are (`(Word<Outcome>, i64)` for a count by outcome).

use std::str::FromStr;

use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::{Nullable, Text};

use super::{MultiBackend, MultiRawValue};
use crate::domain::vocab::{CaseKind, CaseStatus, Field};

/// A `TEXT NOT NULL` column holding one word of a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct Word<T>(pub T);

/// A nullable `TEXT` column holding one word of a vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, FromSqlRow)]
pub struct MaybeWord<T>(pub Option<T>);

fn parse<T: FromStr>(text: &str) -> deserialize::Result<T> {
    text.parse().map_err(|_| format!("unknown {} `{text}` in the database", std::any::type_name::<T>()).into())
}

fn read<T: FromStr>(value: MultiRawValue<'_>) -> deserialize::Result<T> {
    match value {
        MultiRawValue::Sqlite(mut value) => parse(value.read_text()),
        MultiRawValue::Postgresql(value) => parse(std::str::from_utf8(value.as_bytes())?),
    }
}

impl<T: FromStr> FromSql<Text, MultiBackend> for Word<T> {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        read(value).map(Word)
    }
}

impl<T: FromStr> FromSql<Nullable<Text>, MultiBackend> for MaybeWord<T> {
    fn from_sql(value: MultiRawValue<'_>) -> deserialize::Result<Self> {
        read(value).map(|word| MaybeWord(Some(word)))
    }

    fn from_nullable_sql(value: Option<MultiRawValue<'_>>) -> deserialize::Result<Self> {
        value.map_or(Ok(MaybeWord(None)), Self::from_sql)
    }
}

macro_rules! words_of {
    ($($vocabulary:ty),+ $(,)?) => {$(
        impl From<Word<$vocabulary>> for $vocabulary {
            fn from(word: Word<$vocabulary>) -> Self {
                word.0
            }
        }

        impl From<MaybeWord<$vocabulary>> for Option<$vocabulary> {
            fn from(word: MaybeWord<$vocabulary>) -> Self {
                word.0
            }
        }
    )+};
}

words_of!(CaseKind, CaseStatus, Field);

#[cfg(test)]
mod tests {
    use diesel::dsl::sql;
    use diesel::prelude::*;

    use super::*;
    use crate::persistence::AnyConnection;

    #[test]
    fn reads_every_word_and_refuses_others() {
        let mut conn = AnyConnection::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        let mut word =
            |text: &str| diesel::select(sql::<Text>(&format!("'{text}'"))).get_result::<Word<CaseStatus>>(&mut conn);
        for status in CaseStatus::ALL {
            assert_eq!(word(status.as_str()).unwrap().0, *status);
        }
        for other in ["", "Accepted", "accepted ", "open"] {
            let refused = format!("{:?}", word(other).unwrap_err());
            assert!(refused.contains(&format!("`{other}`")), "{refused}");
        }
        let none = diesel::select(sql::<Nullable<Text>>("NULL")).get_result::<MaybeWord<Field>>(&mut conn).unwrap();
        assert_eq!(none.0, None);
        let some = diesel::select(sql::<Nullable<Text>>("'land_housing'")).get_result::<MaybeWord<Field>>(&mut conn);
        assert_eq!(some.unwrap().0, Some(Field::LandHousing));
    }
}
