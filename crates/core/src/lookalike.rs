//! Names that look alike: ids and coder names that differ only in case, character width
//! (`ｓｕｐｐｌｙ`), Unicode normalisation (NFC/NFD) or invisible characters (zero-width space,
//! U+2060) look the same on screen but would be different nodes or coders. Used only to
//! compare names, never to change stored text (NFKC would turn `，` into `,`).

use unicode_normalization::UnicodeNormalization;

/// The form two look-alike names share: NFKC (width and composition folded), invisible
/// characters removed, lower case.
pub(crate) fn skeleton(s: &str) -> String {
    s.nfkc()
        .filter(|c| !is_invisible(*c))
        .collect::<String>()
        .to_lowercase()
}

/// The first character of `s` that takes no room on screen (Unicode default-ignorable code
/// points: zero-width spaces and joiners, word joiner, soft hyphen, variation selectors,
/// byte-order mark, tags, bidi marks).
pub(crate) fn invisible_char(s: &str) -> Option<char> {
    s.chars().find(|c| is_invisible(*c))
}

/// Characters that show as nothing: what `termsafe` keeps from terminals (controls, bidi
/// marks, zero-width characters) plus the other default-ignorable code points an identifier
/// could hide (soft hyphen, variation selectors, fillers, invisible operators, tags).
fn is_invisible(c: char) -> bool {
    crate::termsafe::is_invisible(c)
        || crate::termsafe::is_unsafe(c)
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}' | '\u{2061}'..='\u{2065}' | '\u{206A}'..='\u{206F}'
            | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn look_alikes_share_a_skeleton_and_different_names_do_not() {
        let s = skeleton("supply");
        for v in [
            "Supply",
            "SUPPLY",
            "ｓｕｐｐｌｙ",
            "sup\u{200B}ply",
            "supply\u{2060}",
        ] {
            assert_eq!(skeleton(v), s, "{v:?}");
        }
        // NFC and NFD of the same word.
        assert_eq!(skeleton("caf\u{E9}"), skeleton("cafe\u{301}"));
        assert_ne!(skeleton("supply"), skeleton("supply.talent"));
        assert_ne!(skeleton("供给型"), skeleton("需求型"));
        assert_eq!(invisible_char("a\u{2060}b"), Some('\u{2060}'));
        assert_eq!(invisible_char("人才"), None);
    }
}
