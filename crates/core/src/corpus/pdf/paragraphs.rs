//! Joining the lines a PDF wrapped at its right margin back into the paragraphs they were
//! typeset from, using where the lines sit on the page:
//!
//! - the body's left margin is the leftmost edge that two lines share, its right margin the top of the
//!   densest band (half a character wide) of right edges; a line is *full* when it reaches
//!   within 1.6 characters of that margin;
//! - a document *uses first-line indents* when most lines that follow a short line start
//!   half a character to six characters right of the margin;
//! - a line continues the one before when that one is full, both have the same font size, the
//!   gap between them is an ordinary line gap (or a page break), and the line starts at the
//!   margin: with indents that is enough; without them the line before must also not end a
//!   sentence and the line must not start a numbered item or a non-body line (the rules
//!   [`crate::corpus::split`] uses for hard-wrapped text).
//!
//! Every other line starts a paragraph; paragraphs come out one per line, so text that was
//! already wrapped by hand before it was typeset (one short source line per PDF line) comes
//! out wrapped the same way and is re-joined by the splitter like any hard-wrapped text.

use std::collections::HashMap;

use super::layout::Line;
use crate::corpus::lines::ends_sentence;
use crate::corpus::split::starts_block;

/// Geometry of the body text shared by all pages.
#[derive(Debug, Clone, Copy)]
struct Body {
    size: f32,
    left: f32,
    right: f32,
    /// Usual distance between baselines within a paragraph, if there are enough lines.
    pitch: Option<f32>,
    indents: bool,
}

fn mode_of(values: impl Iterator<Item = f32>, step: f32) -> Option<f32> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for v in values {
        *counts.entry((v / step).round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(k, c)| (c, -k))
        .map(|(k, _)| k as f32 * step)
}

fn body(lines: &[Line], page_width: f32) -> Option<Body> {
    let size = mode_of(lines.iter().map(|l| l.size), 0.5)?;
    let same = |l: &&Line| (l.size - size).abs() <= size * 0.15;
    let body: Vec<&Line> = lines.iter().filter(same).collect();
    // The left margin: the leftmost edge that two lines or more share (where paragraphs are
    // short, most lines are first lines, indented).
    let left = {
        let mut counts: HashMap<i64, usize> = HashMap::new();
        for l in &body {
            *counts.entry(l.left.round() as i64).or_default() += 1;
        }
        let enough = 2;
        counts
            .iter()
            .filter(|(_, &c)| c >= enough)
            .map(|(&k, _)| k)
            .min()
            .or_else(|| {
                counts
                    .iter()
                    .max_by_key(|(&k, &c)| (c, -k))
                    .map(|(&k, _)| k)
            })? as f32
    };
    // The right margin: the middle of the densest band, half a character wide, of right edges
    // (punctuation hanging into the margin makes a smaller band one character further right).
    let mut rights: Vec<f32> = body.iter().map(|l| l.right).collect();
    rights.sort_by(f32::total_cmp);
    let mut best = (0usize, *rights.last()?);
    let mut lo = 0;
    for hi in 0..rights.len() {
        while rights[hi] - rights[lo] > size * 0.5 {
            lo += 1;
        }
        if hi + 1 - lo >= best.0 {
            // The band's median: Latin text ends lines a little past the margin or short of it.
            best = (hi + 1 - lo, rights[(lo + hi) / 2]);
        }
    }
    // No line may reach the margin at all (text wrapped by hand, narrower than the page): then
    // the margin is taken as wide as the left one.
    let symmetric = page_width - left;
    let right = if page_width > 0.0 && best.1 < symmetric - 3.0 * size {
        symmetric
    } else {
        best.1
    };
    let pitch = mode_of(
        lines
            .windows(2)
            .filter(|w| w[0].page == w[1].page && same(&&w[0]) && same(&&w[1]))
            .map(|w| w[0].y - w[1].y)
            .filter(|d| *d > 0.0),
        0.5,
    );
    let mut b = Body {
        size,
        left,
        right,
        pitch,
        indents: false,
    };
    // Lines after a short line start paragraphs: are they mostly indented?
    let starts: Vec<&Line> = lines
        .windows(2)
        .filter(|w| !b.full(&w[0], &w[1]) && same(&&w[1]))
        .map(|w| &w[1])
        .collect();
    let indented = starts.iter().filter(|l| b.indented(l)).count();
    b.indents = indented >= 2 && indented * 2 >= starts.len();
    Some(b)
}

impl Body {
    /// Whether `a` ends where the PDF had to wrap: at the margin, or so close to it that the
    /// first unit of `b` would not have fitted.
    fn full(&self, a: &Line, b: &Line) -> bool {
        let em = self.size.max(a.size);
        a.right >= self.right - 0.5 * em || a.right + b.first_unit > self.right - 0.25 * em
    }

    /// [`Body::full`], with room for the line-breaking rules of mixed text that typesetters
    /// apply differently (LibreOffice keeps `5G、TSN（时` together): up to three characters
    /// more when `b` starts with a Latin word, a number or an opening bracket or quote.
    fn full_for_mixed(&self, a: &Line, b: &Line) -> bool {
        let mixed = b
            .text
            .trim_start()
            .starts_with(|c: char| c.is_ascii_alphanumeric() || "（「『《〈【〔“‘([{".contains(c));
        self.full(a, b)
            || (mixed && a.right + b.first_unit > self.right - 3.0 * self.size.max(a.size))
    }

    fn at_margin(&self, l: &Line) -> bool {
        (l.left - self.left).abs() < 0.5 * self.size
    }

    fn indented(&self, l: &Line) -> bool {
        let d = l.left - self.left;
        d >= 0.5 * self.size && d <= 6.0 * self.size
    }

    fn continues(&self, a: &Line, b: &Line) -> bool {
        if (a.size - b.size).abs() > 0.15 * a.size.max(b.size) {
            return false;
        }
        let full = if self.indents {
            self.full_for_mixed(a, b)
        } else {
            self.full(a, b)
        };
        if !full {
            return false;
        }
        if a.page == b.page {
            let gap = a.y - b.y;
            if gap <= 0.0 || self.pitch.is_some_and(|p| gap > p * 1.45) {
                return false;
            }
        }
        if !self.at_margin(b) {
            return false;
        }
        self.indents || (!ends_sentence(&a.text) && !starts_block(b.text.trim()))
    }

    /// Whether a Latin word or number that ends `a` and one that starts `b` had a space between
    /// them: only if the first character of `b` would have fitted on `a` (else the PDF broke
    /// the line inside a word).
    fn space_between(&self, a: &Line, b: &Line) -> bool {
        ends_ascii_word(a.text.trim_end())
            && starts_ascii_word(b.text.trim_start())
            && a.right + b.first_char <= self.right - 0.05 * self.size
    }
}

fn ends_ascii_word(s: &str) -> bool {
    s.chars().last().is_some_and(|c| c.is_ascii_alphanumeric())
}

fn starts_ascii_word(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
}

/// Each line with the margins and whether it continues the line before, for debugging.
pub(crate) fn explain(lines: &[Line], page_width: f32) -> String {
    use std::fmt::Write;
    let Some(body) = body(lines, page_width) else {
        return String::new();
    };
    let mut out = format!("{body:?}\n");
    for (k, l) in lines.iter().enumerate() {
        let join = k > 0 && body.continues(&lines[k - 1], l);
        let _ = writeln!(
            out,
            "{} p{} y{:.1} l{:.1} r{:.1} s{:.1} u{:.1} {}",
            if join { '+' } else { ' ' },
            l.page,
            l.y,
            l.left,
            l.right,
            l.size,
            l.first_unit,
            l.text
        );
    }
    out
}

/// The paragraphs of a document's lines (all pages, in reading order), one per line.
/// `page_width` is the width of the pages, in points.
pub(crate) fn join(lines: &[Line], page_width: f32) -> String {
    let Some(body) = body(lines, page_width) else {
        return String::new();
    };
    let mut out = String::new();
    for (k, l) in lines.iter().enumerate() {
        let text = l.text.trim();
        if k > 0 {
            let a = &lines[k - 1];
            if body.continues(a, l) {
                // A space drawn at the end of a line or the start of the next one is kept.
                let drawn = a.text.ends_with(' ') || l.text.starts_with(' ');
                if drawn || body.space_between(a, l) {
                    out.push(' ');
                }
            } else {
                out.push('\n');
            }
        }
        out.push_str(text);
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of `n` wide characters from `left`, 20 pt apart, 10 pt characters, margin at 400.
    fn line(text: &str, left: f32, k: usize) -> Line {
        let n = text.chars().count() as f32;
        Line {
            text: text.to_string(),
            left,
            right: left + n * 10.0,
            y: 800.0 - 20.0 * k as f32,
            size: 10.0,
            page: 0,
            first_char: 10.0,
            first_unit: 10.0,
        }
    }

    fn full(k: usize, indent: bool, last: char) -> Line {
        let n = if indent { 38 } else { 40 };
        let mut t: String = std::iter::repeat_n('文', n - 1).collect();
        t.push(last);
        line(&t, if indent { 20.0 } else { 0.0 }, k)
    }

    #[test]
    fn indented_paragraphs_join_even_after_a_full_stop() {
        let lines = vec![
            full(0, true, '文'),
            full(1, false, '。'), // a sentence ends at the margin mid-paragraph
            line("文文文文。", 0.0, 2),
            full(3, true, '文'),
            line("文文。", 0.0, 4),
            line("一、标题", 20.0, 5),
            full(6, true, '文'),
            full(7, false, '文'),
            line("文。", 0.0, 8),
        ];
        let text = join(&lines, 0.0);
        let paras: Vec<&str> = text.lines().collect();
        assert_eq!(paras.len(), 4, "{paras:?}");
        assert!(paras[0].ends_with("文文文文。") && paras[0].contains("。文"));
        assert_eq!(paras[2], "一、标题");
    }

    #[test]
    fn without_indents_a_full_stop_at_the_margin_ends_the_paragraph() {
        let lines = vec![
            full(0, false, '文'),
            full(1, false, '。'),
            line("文文文文。", 0.0, 2),
            full(3, false, '文'),
            line("（一）文文。", 0.0, 4),
            line("文文文", 0.0, 5),
        ];
        let text = join(&lines, 0.0);
        let paras: Vec<&str> = text.lines().collect();
        assert_eq!(paras.len(), 5, "{paras:?}");
        assert_eq!(paras[1], "文文文文。");
        assert_eq!(paras[3], "（一）文文。");
    }

    #[test]
    fn a_wide_gap_or_a_new_size_breaks() {
        let mut lines = vec![
            full(0, true, '文'),
            full(1, false, '文'),
            full(3, false, '文'),
        ];
        lines.push(Line {
            size: 16.0,
            ..full(4, false, '文')
        });
        let text = join(&lines, 0.0);
        assert_eq!(text.lines().count(), 3);
    }
}
