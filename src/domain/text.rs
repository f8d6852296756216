//! Text as people search it: Vietnamese without diacritics and case, so that `nguyen van duc`
//! and `ĐỨC` both find `Nguyễn Văn Đức`. The same function fills the stored search columns and
//! normalises queries, so both backends behave alike.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercase, without diacritics (`đ` becomes `d`), with runs of white space folded to one space.
pub fn normalise(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            other => other,
        })
        .flat_map(char::to_lowercase)
        .collect();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A search column: the normalised parts joined by spaces, so a query matches within any part.
pub fn search_text<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(normalise).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A `LIKE` pattern matching the normalised query anywhere, with `%`, `_` and `\` escaped
/// (use with `ESCAPE '\'`).
pub fn contains_pattern(query: &str) -> String {
    let mut pattern = String::from("%");
    for c in normalise(query).chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_folds_to_plain_lowercase() {
        assert_eq!(normalise("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(normalise("ĐỨC"), "duc");
        assert_eq!(normalise("đường Lê Lợi, phường Trần Phú"), "duong le loi, phuong tran phu");
        assert_eq!(normalise("  Hồ   Thị\tÁnh  "), "ho thi anh");
        assert_eq!(normalise("Ỷ Ỹ ỵ ữ ặ ẫ"), "y y y u a a");
        assert_eq!(normalise("KN-2026-000123"), "kn-2026-000123");
    }

    #[test]
    fn precomposed_and_decomposed_input_agree() {
        let decomposed: String = "Nguyễn".nfd().collect();
        assert_eq!(normalise(&decomposed), normalise("Nguyễn"));
    }

    #[test]
    fn search_text_joins_non_empty_parts() {
        assert_eq!(search_text(["Lê Thị B", "", "0912 345 678"]), "le thi b 0912 345 678");
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(contains_pattern("Đức"), "%duc%");
        assert_eq!(contains_pattern("50%_x\\"), "%50\\%\\_x\\\\%");
    }
}
