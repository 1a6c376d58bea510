//! From characters on a page to its lines in reading order: characters whose baselines lie
//! within a third of the font size of each other form a line, lines go from top to bottom
//! and characters in a line from left to right. A character drawn twice in the same place
//! (fake bold) counts once. Where a gap between two characters is wide and no space is drawn
//! there, a space is put in: an ideographic space `　` between CJK characters a full
//! character apart, else ASCII spaces.

use super::content::Glyph;

/// Smallest gap, in font sizes, read as a space between two Latin characters (or digits).
const NARROW_GAP: f32 = 0.18;
/// Smallest gap read as a space between a CJK and a Latin character: typesetters put up to a
/// quarter of a character there by themselves (LibreOffice's "autospace"), and a space that
/// is really in the text is drawn as a space character by the producers measured.
const MIXED_GAP: f32 = 0.5;

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Line {
    pub text: String,
    /// Left edge of the first and right edge of the last visible character, in points.
    pub left: f32,
    pub right: f32,
    /// Baseline, in points from the bottom of the page.
    pub y: f32,
    /// The font size most of the line's characters have.
    pub size: f32,
    /// Page number, from 0.
    pub page: usize,
    /// Advance of the first visible character, and of the first unit a line may not be
    /// broken inside (a Latin word or number; a CJK character with the punctuation that may
    /// not start a line after it, or an opening bracket or quote with the character after it).
    pub first_char: f32,
    pub first_unit: f32,
}

/// Punctuation that may not start a line.
fn no_line_start(c: char) -> bool {
    "，。、；：？！）」』》〉】〕”’…—%‰·．,.;:?!)]}".contains(c)
}

/// Opening brackets and quotes, which may not end a line.
fn no_line_end(c: char) -> bool {
    "（「『《〈【〔“‘([{".contains(c)
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "%.-/+_@:#&=?~'".contains(c)
}

/// Width of the first unit of a line (see [`Line::first_unit`]).
fn first_unit(glyphs: &[&Glyph]) -> f32 {
    let Some(first) = glyphs.first() else {
        return 0.0;
    };
    let mut k = 0;
    while k < glyphs.len() && no_line_end(glyphs[k].ch) {
        k += 1;
    }
    if k < glyphs.len() {
        if is_word_char(glyphs[k].ch) {
            while k + 1 < glyphs.len() && is_word_char(glyphs[k + 1].ch) {
                k += 1;
            }
        }
        while k + 1 < glyphs.len() && no_line_start(glyphs[k + 1].ch) {
            k += 1;
        }
    }
    let last = glyphs[k.min(glyphs.len() - 1)];
    last.x + last.w - first.x
}

fn is_blank(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{a0}'
}

/// Wide characters (CJK ideographs, kana, hangul, full-width forms and CJK punctuation).
pub(crate) fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

/// The lines of one page, top to bottom.
pub(crate) fn lines(glyphs: &[Glyph], page: usize) -> Vec<Line> {
    let mut order: Vec<usize> = (0..glyphs.len())
        .filter(|&i| glyphs[i].size > 0.0 && glyphs[i].x.is_finite() && glyphs[i].y.is_finite())
        .collect();
    // Top to bottom; ties keep drawing order.
    order.sort_by(|&a, &b| glyphs[b].y.total_cmp(&glyphs[a].y));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut base = f32::NAN;
    let mut tol = 0.0f32;
    for i in order {
        let g = &glyphs[i];
        match groups.last_mut() {
            Some(group) if (base - g.y).abs() <= tol.max(g.size * 0.3) => {
                group.push(i);
            }
            _ => {
                groups.push(vec![i]);
                base = g.y;
                tol = g.size * 0.3;
            }
        }
    }
    groups
        .into_iter()
        .filter_map(|mut group| {
            group.sort_by(|&a, &b| glyphs[a].x.total_cmp(&glyphs[b].x));
            build_line(glyphs, &group, page)
        })
        .collect()
}

fn build_line(glyphs: &[Glyph], group: &[usize], page: usize) -> Option<Line> {
    let mut text = String::new();
    let mut prev: Option<&Glyph> = None;
    let mut left = f32::INFINITY;
    let mut right = f32::NEG_INFINITY;
    let mut sizes: Vec<f32> = Vec::with_capacity(group.len());
    let mut y_sum = 0.0f32;
    let mut visible: Vec<&Glyph> = Vec::with_capacity(group.len());
    for &i in group {
        let g = &glyphs[i];
        if let Some(p) = prev {
            // The same character again at (nearly) the same place: drawn twice for bold.
            if p.ch == g.ch && (g.x - p.x).abs() < g.size.max(p.size) * 0.2 {
                continue;
            }
            if !is_blank(p.ch) && !is_blank(g.ch) {
                let gap = g.x - (p.x + p.w);
                let em = p.size.min(g.size).max(0.01);
                let (wide_p, wide_g) = (is_wide(p.ch), is_wide(g.ch));
                if wide_p && wide_g && gap >= em * 0.8 {
                    let n = ((gap / em).round() as usize).clamp(1, 8);
                    text.extend(std::iter::repeat_n('\u{3000}', n));
                } else if gap
                    >= em
                        * if wide_p != wide_g {
                            MIXED_GAP
                        } else {
                            NARROW_GAP
                        }
                {
                    text.push(' ');
                }
            }
        }
        text.push(g.ch);
        if !is_blank(g.ch) {
            left = left.min(g.x);
            right = right.max(g.x + g.w);
            sizes.push(g.size);
            y_sum += g.y;
            visible.push(g);
        }
        prev = Some(g);
    }
    if sizes.is_empty() {
        return None;
    }
    let y = y_sum / sizes.len() as f32;
    sizes.sort_by(f32::total_cmp);
    let size = sizes[sizes.len() / 2];
    Some(Line {
        text,
        left,
        right,
        y,
        size,
        page,
        first_char: visible[0].w,
        first_unit: first_unit(&visible),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(ch: char, x: f32, y: f32) -> Glyph {
        let w = if is_wide(ch) { 10.0 } else { 5.0 };
        Glyph {
            ch,
            x,
            y,
            w,
            size: 10.0,
        }
    }

    #[test]
    fn lines_top_to_bottom_and_left_to_right() {
        // Drawn bottom line first and right to left.
        let glyphs = [
            g('乙', 10.0, 100.0),
            g('甲', 0.0, 100.0),
            g('二', 10.0, 120.5),
            g('一', 0.0, 120.0),
        ];
        let l = lines(&glyphs, 0);
        let texts: Vec<&str> = l.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(texts, ["一二", "甲乙"]);
        assert_eq!((l[0].left, l[0].right), (0.0, 20.0));
    }

    #[test]
    fn gaps_become_spaces_and_bold_duplicates_go() {
        let glyphs = [
            g('第', 0.0, 0.0),
            g('一', 10.0, 0.0),
            g('条', 20.0, 0.0),
            g('为', 40.0, 0.0),
            g('为', 40.5, 0.0),
            g('2', 50.0, 0.0),
            g('0', 55.0, 0.0),
            g('年', 66.0, 0.0),
        ];
        assert_eq!(lines(&glyphs, 0)[0].text, "第一条　为20 年");
    }
}
