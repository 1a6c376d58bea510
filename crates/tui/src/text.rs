//! Display-width text handling for the terminal: wrapping Chinese, mixed and Latin text, and
//! truncating to a width. Scrolling and cursor math use the same functions.

use unicode_width::UnicodeWidthChar;

/// Characters that must not start a line (Chinese line-breaking rules, 避头).
const NO_LINE_START: &str = "，。、；：？！”’）》」』】〕…—,.;:?!)]}%";
/// Characters that must not end a line (避尾).
const NO_LINE_END: &str = "“‘（《「『【〔([{";

/// Display width of one character; control characters count as 0 (they never reach the screen).
pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

/// Display width of a string.
pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// One wrapped line: the character range `[start, end)` of the source text it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Line {
    pub start: usize,
    pub end: usize,
}

fn is_cjk(c: char) -> bool {
    char_width(c) == 2
}

/// Wraps `text` into lines of at most `max` display columns. A break is allowed between any two
/// wide (CJK) characters and at spaces; runs of Latin letters/digits are kept whole unless longer
/// than a line. Closing punctuation is never put at a line start: the line is shortened by one
/// character instead (or, if that is impossible, the punctuation hangs past the margin is avoided by
/// breaking before the previous character). Returns character ranges, so callers can map
/// highlight spans and cursor positions onto lines.
pub fn wrap(text: &str, max: usize) -> Vec<Line> {
    let chars: Vec<char> = text.chars().collect();
    let max = max.max(2);
    let mut lines = Vec::new();
    let mut start = 0;
    while start < chars.len() {
        let mut w = 0;
        let mut end = start;
        while end < chars.len() {
            let cw = char_width(chars[end]);
            if w + cw > max {
                break;
            }
            w += cw;
            end += 1;
        }
        if end >= chars.len() {
            lines.push(Line {
                start,
                end: chars.len(),
            });
            break;
        }
        let mut brk = best_break(&chars, start, end);
        // Skip the spaces at which we broke so the next line does not start with one.
        let line_end = brk;
        while brk < chars.len() && chars[brk] == ' ' {
            brk += 1;
        }
        lines.push(Line {
            start,
            end: line_end,
        });
        start = brk;
    }
    if lines.is_empty() {
        lines.push(Line { start: 0, end: 0 });
    }
    lines
}

/// Chooses where to end a line that would otherwise end at `end` (exclusive, mid-text).
fn best_break(chars: &[char], start: usize, end: usize) -> usize {
    let allowed = |i: usize| -> bool {
        // A break before chars[i], after chars[i-1].
        if i <= start || i >= chars.len() {
            return false;
        }
        let (a, b) = (chars[i - 1], chars[i]);
        if NO_LINE_START.contains(b) || NO_LINE_END.contains(a) {
            return false;
        }
        if b == ' ' || a == ' ' {
            return true;
        }
        is_cjk(a) || is_cjk(b)
    };
    let mut i = end;
    // Chinese text offers a break between any two characters, so this loop is short; only a
    // Latin word runs it back to the start of the line, and a word longer than the line is cut.
    while i > start {
        if allowed(i) {
            return i;
        }
        i -= 1;
    }
    // No good break: honour only the punctuation rule if we can, else cut at the width.
    let mut i = end;
    while i > start + 1 {
        if !NO_LINE_START.contains(chars[i]) {
            return i;
        }
        i -= 1;
    }
    end
}

/// Truncates `s` to at most `max` display columns, ending with `~` when cut (ASCII, so it is
/// never ambiguous-width).
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = char_width(c);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('~');
    }
    out
}

/// Pads `s` with spaces on the right to exactly `cols` display columns (truncating if longer).
pub fn pad(s: &str, cols: usize) -> String {
    let t = truncate(s, cols);
    let w = width(&t);
    format!("{t}{}", " ".repeat(cols.saturating_sub(w)))
}

/// Blanks anything that could act on the terminal or hide in it ([`polcode_core::termsafe::blank`]).
/// Documents are sanitised at import; this is the last line of defence at draw time.
pub fn sanitize(s: &str) -> std::borrow::Cow<'_, str> {
    polcode_core::termsafe::blank(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str, max: usize) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        wrap(text, max)
            .iter()
            .map(|l| chars[l.start..l.end].iter().collect())
            .collect()
    }

    #[test]
    fn wraps_chinese_by_width() {
        let l = lines("一二三四五六七八九十", 8);
        assert_eq!(l, vec!["一二三四", "五六七八", "九十"]);
        for s in &l {
            assert!(width(s) <= 8);
        }
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // With width 8 the comma would start line 2; it moves the break one character back.
        let l = lines("一二三四，五六七八", 8);
        assert!(!l[1].starts_with('，'), "{l:?}");
        assert_eq!(l.concat(), "一二三四，五六七八");
    }

    #[test]
    fn odd_width_leaves_a_column_free_instead_of_splitting_a_wide_char() {
        let l = lines("一二三四五", 5);
        assert_eq!(l, vec!["一二", "三四", "五"]);
    }

    #[test]
    fn latin_words_are_kept_whole_and_mixed_text_breaks_at_cjk() {
        let l = lines("支持blockchain技术应用", 12);
        assert!(l.iter().all(|s| width(s) <= 12), "{l:?}");
        assert!(l.iter().any(|s| s.contains("blockchain")), "{l:?}");
        let l = lines("hello world again", 11);
        assert_eq!(l, vec!["hello world", "again"]);
    }

    #[test]
    fn ranges_cover_text_without_loss() {
        let t = "推进区块链在社保、公积金、不动产、税务等政务服务事项中的应用，实现数据可信共享。";
        for max in 3..40 {
            let joined: String = lines(t, max).concat();
            assert_eq!(joined, t, "width {max}");
        }
    }

    #[test]
    fn truncate_respects_width() {
        assert_eq!(truncate("区块链技术", 7), "区块链~");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(pad("区", 4), "区  ");
    }

    #[test]
    fn sanitize_removes_escapes() {
        assert_eq!(sanitize("a\u{1b}[2Jb"), "a [2Jb");
        assert_eq!(sanitize("x\u{202E}y"), "x y");
    }
}
