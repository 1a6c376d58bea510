//! The one XML escaper: text made safe for XML 1.0 element content and attribute values.
//! Used by every writer of XML (REFI-QDA exports, SVG charts).

/// Whether `c` may appear in an XML 1.0 document at all.
pub(crate) fn xml_char_ok(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Escapes text for an attribute value. Tabs, newlines and carriage returns are written as
/// character references because a parser would otherwise normalise them to spaces; characters
/// XML cannot carry at all are dropped (they never come out of the corpus normaliser anyway).
pub(crate) fn attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char_ok(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Escapes element text; `\r` is written as a reference so it survives end-of-line handling.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' => out.push_str("&#13;"),
            c if xml_char_ok(c) => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_is_escaped_and_what_xml_cannot_carry_is_dropped() {
        assert_eq!(
            attr("a<b>&\"c\"\td\ne"),
            "a&lt;b&gt;&amp;&quot;c&quot;&#9;d&#10;e"
        );
        assert_eq!(text("a<b>&'c'\r"), "a&lt;b&gt;&amp;'c'&#13;");
        assert_eq!(text("x\u{1b}y\u{fffe}z"), "xyz");
        assert_eq!(attr("区块链\u{0}"), "区块链");
    }
}
