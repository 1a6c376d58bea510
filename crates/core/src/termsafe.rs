//! The one definition of a character that must not reach a terminal, and the ways text is
//! made safe for one. Everything polcode sends to a terminal — CLI reports, errors, warnings,
//! progress lines and the coding screen — goes through these functions, so a document, file
//! name, codebook, codings file or command-line argument can never move the cursor, clear the
//! screen, write the clipboard (OSC 52), open a link, reorder what is shown (bidi controls) or
//! forge a line (newline, CR, U+2028/U+2029).
//!
//! Import removes these characters from stored text ([`crate::corpus::normalize`]) and
//! codebooks refuse them ([`crate::codebook`]); what still arrives from hand-edited files and
//! arguments is *escaped* on output as `\u{1b}`, `\u{202e}` (Rust's `char::escape_unicode`
//! form), so a user sees that something is there and what it is. The coding screen blanks them
//! instead ([`blank`]): a cell grid has no room for escapes and the stored text has none.
//!
//! The rule for output (applied by the binary's `cli/output.rs`, documented in README):
//! human-readable text (reports, tables as text or Markdown, messages) is escaped wherever it
//! goes; JSON is made safe by writing these characters as JSON `\uXXXX` escapes, which keeps
//! the data exact; CSV, SVG and other exports are written exactly to files and pipes and escaped
//! only when standard output is a terminal.

use std::borrow::Cow;

/// Whether `c` must never be written raw to a terminal: C0 controls (including newline, tab
/// and CR — callers that keep their own line breaks use [`escape_text`]), DEL, C1 controls
/// (U+0080–U+009F, among them the single-character CSI U+009B and OSC U+009D), bidirectional
/// controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, U+061C) and the line and paragraph
/// separators U+2028/U+2029, which some terminals and most viewers treat as line breaks.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi(c) || matches!(c, '\u{2028}' | '\u{2029}')
}

/// The bidirectional formatting characters: they reorder how the rest of the line is displayed
/// (U+202E makes `txt.exe` look like `exe.txt`).
pub(crate) fn is_bidi(c: char) -> bool {
    matches!(
        c,
        '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}'
    )
}

/// Zero-width characters and the BOM (U+200B–U+200D, U+2060, U+FEFF): no command to a
/// terminal, but invisible, so import drops them and the coding screen blanks them (they would
/// make two different texts look the same, and throw off display-width arithmetic).
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// The first character of `s` that [`is_unsafe`] other than newline and tab, which multi-line
/// fields (a codebook definition) may hold; for refusing such text at its line.
pub(crate) fn first_unsafe_in_text(s: &str) -> Option<char> {
    s.chars().find(|&c| is_unsafe(c) && c != '\n' && c != '\t')
}

/// `s` as one line with every unsafe character (newlines too) written as `\u{..}`: for a value
/// from data or an argument inside a message (a file name, an id, an error from a parser that
/// quotes the input).
pub fn escape(s: &str) -> Cow<'_, str> {
    escape_where(s, is_unsafe)
}

/// Like [`escape`] but keeps newline and tab: for a block of output whose lines polcode laid
/// out itself (a report), as the last filter before the terminal.
pub fn escape_text(s: &str) -> Cow<'_, str> {
    escape_where(s, |c| is_unsafe(c) && c != '\n' && c != '\t')
}

fn escape_where(s: &str, bad: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&bad) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if bad(c) {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// JSON text with every unsafe character other than the newlines between tokens written as a
/// JSON `\uXXXX` escape. serde_json escapes C0 controls inside strings but writes DEL, C1
/// controls, bidi controls and U+2028/U+2029 raw; every such character is in the Basic
/// Multilingual Plane and can only occur inside a string, so the result parses to the same
/// value.
pub fn json_safe(json: &str) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe(c) && c != '\n';
    if !json.chars().any(bad) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if bad(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// `s` with every unsafe or invisible character replaced by a space, for the coding screen:
/// stored text has none (import removes them), this is the last line of defence at draw time.
pub fn blank(s: &str) -> Cow<'_, str> {
    let bad = |c: char| is_unsafe(c) || is_invisible(c);
    if s.chars().any(bad) {
        Cow::Owned(s.chars().map(|c| if bad(c) { ' ' } else { c }).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "a\u{1b}[2J\u{1b}]52;c;aGk=\u{7}\u{202e}\u{9b}31m\u{61c}\u{2028}\r\nb\tc";

    #[test]
    fn escape_leaves_nothing_unsafe_and_says_what_was_there() {
        let e = escape(HOSTILE);
        assert!(!e.chars().any(is_unsafe), "{e:?}");
        assert_eq!(
            e,
            "a\\u{1b}[2J\\u{1b}]52;c;aGk=\\u{7}\\u{202e}\\u{9b}31m\\u{61c}\\u{2028}\\u{d}\\u{a}b\\u{9}c"
        );
        assert!(matches!(escape("供给型 supply"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_text_keeps_line_breaks_and_tabs_only() {
        let e = escape_text(HOSTILE);
        assert!(e.ends_with("\\u{d}\nb\tc"), "{e:?}");
        assert!(!e.chars().any(|c| is_unsafe(c) && c != '\n' && c != '\t'));
    }

    #[test]
    fn json_safe_round_trips_to_the_same_value() {
        let v = serde_json::json!({ "t": HOSTILE, "d": "\u{7f}\u{85}" });
        let raw = serde_json::to_string_pretty(&v).unwrap();
        let safe = json_safe(&raw);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn blank_replaces_with_spaces() {
        assert_eq!(blank("a\u{1b}[2Jb"), "a [2Jb");
        assert_eq!(blank("x\u{202E}y\u{200b}z"), "x y z");
    }
}
