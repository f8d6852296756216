//! The one pagination shape of every list: `?limit=` (default 50, at most 200) and an opaque
//! `?cursor=`; answers `{"items": [...], "next_cursor": "..." | null}`.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::ApiError;

pub const DEFAULT_LIMIT: u32 = 50;
pub const MAX_LIMIT: u32 = 200;

/// A page of a list.
#[derive(Debug, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

/// The page size asked for, checked.
pub fn limit(requested: Option<u32>) -> Result<i64, ApiError> {
    match requested {
        None => Ok(i64::from(DEFAULT_LIMIT)),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(i64::from(n)),
        Some(_) => Err(ApiError::field("limit", format!("must be from 1 to {MAX_LIMIT}"))),
    }
}

/// Encodes a position as an opaque cursor.
pub fn encode_cursor<P: Serialize>(position: &P) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(position).unwrap_or_default())
}

/// Decodes a cursor made by `encode_cursor`.
pub fn decode_cursor<P: DeserializeOwned>(cursor: Option<&str>) -> Result<Option<P>, ApiError> {
    let Some(text) = cursor else { return Ok(None) };
    let invalid = || ApiError::field("cursor", "is not a cursor this list returned");
    let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map(Some).map_err(|_| invalid())
}

/// Builds a page from rows fetched with `limit + 1`: the extra row only says there is more.
pub fn page_from<R, T, P: Serialize>(
    mut rows: Vec<R>,
    limit: i64,
    position_of: impl Fn(&R) -> P,
    to_item: impl Fn(R) -> T,
) -> Page<T> {
    let has_more = rows.len() as i64 > limit;
    rows.truncate(limit as usize);
    let next_cursor = if has_more { rows.last().map(|r| encode_cursor(&position_of(r))) } else { None };
    Page { items: rows.into_iter().map(to_item).collect(), next_cursor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_default_and_cap() {
        assert_eq!(limit(None).unwrap(), 50);
        assert_eq!(limit(Some(200)).unwrap(), 200);
        assert_eq!(limit(Some(201)).unwrap_err().to_problem().errors[0].field, "limit");
        assert!(limit(Some(0)).is_err());
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_a_field_error() {
        let cursor = encode_cursor(&(42_i64, "x"));
        assert_eq!(decode_cursor::<(i64, String)>(Some(&cursor)).unwrap(), Some((42, "x".to_owned())));
        assert_eq!(decode_cursor::<i64>(None).unwrap(), None);
        assert_eq!(decode_cursor::<i64>(Some("!!")).unwrap_err().to_problem().errors[0].field, "cursor");
    }

    #[test]
    fn pages_know_when_there_is_more() {
        let page = page_from(vec![1, 2, 3], 2, |r| *r, |r| r * 10);
        assert_eq!(page.items, [10, 20]);
        assert_eq!(decode_cursor::<i32>(page.next_cursor.as_deref()).unwrap(), Some(2));
        let last = page_from(vec![1, 2], 2, |r| *r, |r| r);
        assert!(last.next_cursor.is_none());
    }
}
