//! Sanitising decoded text before it is split and stored: line endings, invisible and
//! control characters (no escape sequence may ever reach a terminal), and Unicode NFC.

use unicode_normalization::UnicodeNormalization;

use crate::termsafe;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// C1 single-character forms of CSI, OSC, DCS, SOS, PM, APC and ST.
const C1_CSI: char = '\u{9b}';
const C1_ST: char = '\u{9c}';

/// Normalises text for storage:
/// - CRLF and bare CR become LF; U+2028/U+2029 and NEL become LF;
/// - BOM, zero-width characters (U+200B–U+200D, U+2060, U+FEFF) and bidirectional controls
///   (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+061C) are removed (the sets are
///   `termsafe::is_invisible` and `termsafe::is_bidi`);
/// - a tab becomes a space; every other C0 control, DEL and C1 control is removed, and an
///   escape sequence (ESC or C1 introducer) is removed whole: CSI up to its final byte,
///   OSC/DCS/APC/PM/SOS up to BEL or ST, a two-character escape with its second character.
///   An unterminated sequence ends at the end of its line, so it cannot swallow the document;
/// - the result is in NFC. Never NFKC: full-width punctuation such as `，` must stay.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut it = s.chars().peekable();
    while let Some(c) = it.next() {
        match c {
            '\r' => {
                if it.peek() == Some(&'\n') {
                    it.next();
                }
                out.push('\n');
            }
            '\n' | '\u{2028}' | '\u{2029}' | '\u{85}' => out.push('\n'),
            '\t' => out.push(' '),
            ESC => skip_escape(&mut it),
            C1_CSI => skip_until_final(&mut it),
            '\u{90}' | '\u{98}' | '\u{9d}' | '\u{9e}' | '\u{9f}' => skip_string(&mut it),
            c if termsafe::is_invisible(c) || termsafe::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out.nfc().collect()
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// Called after an ESC: drops the rest of the sequence it introduces.
fn skip_escape(it: &mut Chars) {
    match it.peek().copied() {
        Some('[') => {
            it.next();
            skip_until_final(it);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            it.next();
            skip_string(it);
        }
        // Two-character escapes (ESC 7, ESC c, ESC ( B …): drop the intermediates and final.
        Some(c) if (' '..='~').contains(&c) => {
            while let Some(&n) = it.peek() {
                it.next();
                if !(' '..='/').contains(&n) {
                    break;
                }
            }
        }
        _ => {}
    }
}

/// CSI parameters and intermediates run until a final byte `@`..`~`.
fn skip_until_final(it: &mut Chars) {
    while let Some(&c) = it.peek() {
        if c == '\n' || c == '\r' {
            return;
        }
        it.next();
        if ('@'..='~').contains(&c) {
            return;
        }
    }
}

/// OSC and other string sequences run until BEL, ESC `\` or C1 ST.
fn skip_string(it: &mut Chars) {
    while let Some(&c) = it.peek() {
        if c == '\n' || c == '\r' {
            return;
        }
        it.next();
        match c {
            BEL | C1_ST => return,
            ESC => {
                if it.peek() == Some(&'\\') {
                    it.next();
                }
                return;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_are_removed_whole() {
        let s = "加强\u{1b}[31m组织\u{1b}[0m领导\u{1b}]52;c;ZXZpbA==\u{07}。";
        assert_eq!(normalize(s), "加强组织领导。");
        let st = "a\u{1b}]0;title\u{1b}\\b\u{9b}2Jc\u{1b}(Bd\u{1b}7e";
        assert_eq!(normalize(st), "abcde");
        // An unterminated OSC stops at the end of its line.
        assert_eq!(normalize("x\u{1b}]52;c;AAAA\n第二行"), "x\n第二行");
        assert!(!normalize("\u{1b}\u{1b}[\u{9d}8;;\u{9c}").contains(|c: char| c.is_control()));
    }

    #[test]
    fn controls_invisibles_and_bidi_removed() {
        let s = "\u{feff}数据\u{200b}要素\u{200d}\u{2060}市场\u{202e}化\u{2066}配置\u{7f}\u{1}\u{85}改革\t试点";
        assert_eq!(normalize(s), "数据要素市场化配置\n改革 试点");
        // The Arabic letter mark is a bidi control too (it reorders neighbouring digits).
        assert_eq!(normalize("第\u{61c}1\u{200e}条\u{200f}"), "第1条");
    }

    #[test]
    fn crlf_and_bare_cr_become_lf() {
        assert_eq!(
            normalize("一\r\n二\r三\n四\r\r\n五"),
            "一\n二\n三\n四\n\n五"
        );
    }

    #[test]
    fn nfc_not_nfkc() {
        // e + combining acute composes; full-width comma, ideographic space and ① survive.
        assert_eq!(normalize("cafe\u{301}"), "caf\u{e9}");
        let s = "第一条　数据，资源①（一）１２";
        assert_eq!(normalize(s), s);
    }
}
