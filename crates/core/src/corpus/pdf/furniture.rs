//! Running headers, footers and page numbers: lines at the top or bottom of a page whose text
//! (numbers aside) comes back at the same height on other pages — `- 3 -`, `第 3 页`,
//! `3 / 20`, a running title — or, on a one-page document, a page number alone. They are not text of the document and are removed
//! before lines are joined into paragraphs, so a page break inside a paragraph joins up.

use std::collections::HashMap;

use super::layout::Line;
use crate::corpus::lines::{is_page_number, trim_pad};

/// How many lines at each end of a page are looked at.
const EDGE_LINES: usize = 2;

/// `3 / 20`, `3/20`.
fn is_page_of(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    match compact.split_once('/') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.len() <= 4
                && b.len() <= 4
                && a.chars().chain(b.chars()).all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The text with each run of digits as one `#` and spaces removed, for recognising a
/// running line (`- 3 -` and `- 12 -` are the same).
fn shape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}') {
        if c.is_numeric() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Removes running headers, footers and page numbers from `pages` (lines top to bottom).
pub(crate) fn remove(pages: &mut [Vec<Line>]) {
    let n_pages = pages.len();
    // (shape, height in whole points) → pages it appears on at an edge.
    let mut seen: HashMap<(String, i32), usize> = HashMap::new();
    for page in pages.iter() {
        for l in edges(page) {
            *seen
                .entry((shape(&l.text), l.y.round() as i32))
                .or_default() += 1;
        }
    }
    let repeated = |l: &Line| {
        let s = shape(&l.text);
        if s.is_empty() {
            return false;
        }
        let count: usize = (-2..=2)
            .filter_map(|dy| seen.get(&(s.clone(), l.y.round() as i32 + dy)))
            .sum();
        count >= 2 && count * 10 >= n_pages * 3
    };
    for page in pages.iter_mut() {
        let len = page.len();
        let mut drop = vec![false; len];
        for (k, l) in page.iter().enumerate() {
            if k >= EDGE_LINES && k + EDGE_LINES < len {
                continue;
            }
            // A page number alone is taken for one only on a one-page document: a number
            // that a wrapped line left at the top of a page (a table of contents' `11`) is text.
            let t = trim_pad(&l.text);
            let lone_number = n_pages == 1 && (is_page_number(t) || is_page_of(t));
            if lone_number || repeated(l) {
                drop[k] = true;
            }
        }
        let mut k = 0;
        page.retain(|_| {
            k += 1;
            !drop[k - 1]
        });
    }
}

fn edges(page: &[Line]) -> impl Iterator<Item = &Line> {
    let len = page.len();
    page.iter()
        .enumerate()
        .filter(move |(k, _)| *k < EDGE_LINES || k + EDGE_LINES >= len)
        .map(|(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, y: f32, page: usize) -> Line {
        Line {
            text: text.to_string(),
            left: 50.0,
            right: 300.0,
            y,
            size: 12.0,
            page,
            first_char: 12.0,
            first_unit: 12.0,
        }
    }

    #[test]
    fn page_numbers_and_running_heads_go_body_stays() {
        let first = [
            "加强组织领导",
            "完善政策措施",
            "强化人才支撑",
            "营造良好环境",
        ];
        let last = [
            "健全工作机制。",
            "加大资金投入。",
            "抓好督促落实。",
            "做好宣传引导。",
        ];
        let mut pages: Vec<Vec<Line>> = (0..4)
            .map(|p| {
                vec![
                    line("国务院关于印发某规划的通知", 800.0, p),
                    line(first[p], 760.0, p),
                    line("正文的中间一行", 700.0, p),
                    line(last[p], 100.0, p),
                    line(&format!("- {} -", p + 1), 40.0, p),
                ]
            })
            .collect();
        // A page number alone on one page of many is left to the splitter.
        pages[2].push(line("3 / 4", 20.0, 2));
        remove(&mut pages);
        for (p, page) in pages.iter().enumerate() {
            let texts: Vec<&str> = page.iter().map(|l| l.text.as_str()).collect();
            assert_eq!(texts[0], first[p]);
            assert_eq!(texts.len(), if p == 2 { 4 } else { 3 }, "{texts:?}");
        }
    }

    #[test]
    fn a_single_page_keeps_its_lines_but_its_page_number() {
        let mut pages = vec![vec![
            line("标题", 800.0, 0),
            line("正文。", 700.0, 0),
            line("1 / 1", 40.0, 0),
        ]];
        remove(&mut pages);
        assert_eq!(pages[0].len(), 2);
        assert!(is_page_of("3 / 20") && !is_page_of("2021/2025年"));
    }
}
