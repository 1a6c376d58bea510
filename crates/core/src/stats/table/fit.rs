//! Fitting a table to a terminal width, by display width (a CJK character takes two columns):
//! first long headers wrap onto up to four lines, then label columns are cut (`~` marks the
//! cut, never below a readable width), and what is still too wide is split into blocks of
//! columns, each repeating the row's key columns. Title and notes wrap at the width.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use super::{Role, Table};
use crate::termsafe::escape;

/// Most lines a header may wrap onto.
const HEADER_LINES: usize = 4;
/// Columns between two columns.
const GAP: usize = 2;

/// `s` cut to at most `max` display columns, ending with `~` when cut (ASCII, so never of
/// ambiguous width).
pub(crate) fn truncate(s: &str, max: usize) -> String {
    if s.width() <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
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

/// `s` wrapped into lines of at most `max` display columns: breaks after spaces and after
/// `/ - _ , ; +`, between CJK characters, and anywhere in a word longer than a line.
pub(crate) fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(2);
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut w = 0;
    // Byte index in `line` where a break may go: `line[..b]` stays, the rest moves on.
    let mut brk: Option<usize> = None;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if c == ' ' && line.is_empty() {
            continue;
        }
        while w + cw > max && !line.is_empty() {
            if c == ' ' {
                lines.push(line.trim_end().to_string());
                line.clear();
            } else if let Some(b) = brk.filter(|&b| b > 0 && b < line.len()) {
                let rest = line.split_off(b);
                lines.push(line.trim_end().to_string());
                line = rest.trim_start().to_string();
            } else {
                lines.push(std::mem::take(&mut line).trim_end().to_string());
            }
            w = line.width();
            brk = None;
        }
        if c == ' ' && line.is_empty() {
            continue;
        }
        if cw == 2 && !line.is_empty() {
            brk = Some(line.len());
        }
        line.push(c);
        w += cw;
        if c == ' ' || "/-_,;+".contains(c) || cw == 2 {
            brk = Some(line.len());
        }
    }
    if !line.trim().is_empty() || lines.is_empty() {
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// The table as text of at most `width` display columns per line (a single cell wider than
/// the width, which no layout can avoid, is cut).
pub(crate) fn fit(t: &Table, width: usize) -> String {
    let width = width.max(24);
    let ncol = t.ncols();
    let header: Vec<String> = (0..ncol)
        .map(|i| escape(t.header.get(i).map_or("", String::as_str)).into_owned())
        .collect();
    let cells: Vec<Vec<(String, bool)>> = t
        .rows
        .iter()
        .map(|r| {
            (0..ncol)
                .map(|i| match r.get(i) {
                    Some(c) => (escape(&c.display()).into_owned(), c.is_numeric()),
                    None => (String::new(), false),
                })
                .collect()
        })
        .collect();
    let cols: Vec<_> = (0..ncol).map(|i| t.column(i)).collect();
    let data_w: Vec<usize> = (0..ncol)
        .map(|i| cells.iter().map(|r| r[i].0.width()).max().unwrap_or(0))
        .collect();
    let total = |w: &[usize], idx: &[usize]| -> usize {
        idx.iter().map(|&i| w[i]).sum::<usize>() + GAP * idx.len().saturating_sub(1)
    };
    let all: Vec<usize> = (0..ncol).collect();
    let mut w: Vec<usize> = (0..ncol)
        .map(|i| data_w[i].max(header[i].width()))
        .collect();
    // 1. Long headers wrap: each column as narrow as its data allows with at most four
    //    header lines.
    //    A header only a little wider than its data stays on one line.
    if total(&w, &all) > width {
        for i in 0..ncol {
            let narrow = header_width(&header[i], data_w[i]).max(data_w[i]);
            if narrow + 3 <= w[i] {
                w[i] = narrow;
            }
        }
    }
    // 2. Labels are cut, the widest first, down to a readable width.
    let min_label = (width / 6).max(12);
    while total(&w, &all) > width {
        let Some(i) = (0..ncol)
            .filter(|&i| cols[i].shrink && w[i] > min_label.max(header_min(&header[i])))
            .max_by_key(|&i| w[i])
        else {
            break;
        };
        w[i] -= 1;
    }
    // 2b. Cutting labels further (to 8 columns) is better than blocks when it is enough.
    let floor: Vec<usize> = (0..ncol)
        .map(|i| 8.max(header_min(&header[i])).min(w[i]))
        .collect();
    let at_floor: usize = (0..ncol)
        .map(|i| if cols[i].shrink { floor[i] } else { w[i] })
        .sum::<usize>()
        + GAP * ncol.saturating_sub(1);
    if total(&w, &all) > width && at_floor <= width {
        while total(&w, &all) > width {
            let Some(i) = (0..ncol)
                .filter(|&i| cols[i].shrink && w[i] > floor[i])
                .max_by_key(|&i| w[i])
            else {
                break;
            };
            w[i] -= 1;
        }
    }
    let mut out = String::new();
    for line in wrap(&escape(&t.title), width) {
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
    }
    // 3. Blocks of columns, each repeating the leading key columns.
    let keys: Vec<usize> = (0..ncol)
        .take_while(|&i| matches!(cols[i].role, Role::Key(_)))
        .collect();
    let values: Vec<usize> = (keys.len()..ncol).collect();
    let blocks: Vec<Vec<usize>> = if total(&w, &all) <= width || values.is_empty() {
        vec![all.clone()]
    } else {
        // Keys keep what one value column leaves them.
        let widest_value = values.iter().map(|&i| w[i]).max().unwrap_or(0);
        while total(&w, &keys) + GAP + widest_value > width {
            let Some(i) = keys
                .iter()
                .copied()
                .filter(|&i| cols[i].shrink && w[i] > 6)
                .max_by_key(|&i| w[i])
            else {
                break;
            };
            w[i] -= 1;
        }
        let room = width.saturating_sub(total(&w, &keys));
        let mut blocks = Vec::new();
        let mut cur: Vec<usize> = Vec::new();
        let mut used = 0;
        for &i in &values {
            let need = w[i] + GAP;
            if !cur.is_empty() && used + need > room {
                blocks.push(keys.iter().copied().chain(cur.drain(..)).collect());
                used = 0;
            }
            cur.push(i);
            used += need;
        }
        blocks.push(keys.iter().copied().chain(cur).collect());
        blocks
    };
    for (b, idx) in blocks.iter().enumerate() {
        if b > 0 {
            out.push('\n');
        }
        // Header lines, each column's header wrapped to its width.
        let hl: Vec<Vec<String>> = idx.iter().map(|&i| wrap(&header[i], w[i])).collect();
        let n_lines = hl.iter().map(Vec::len).max().unwrap_or(1);
        for l in 0..n_lines {
            let line: Vec<(String, bool)> = hl
                .iter()
                .map(|h| (h.get(l).cloned().unwrap_or_default(), false))
                .collect();
            push(&mut out, &line, idx.iter().map(|&i| w[i]));
        }
        let rule: Vec<String> = idx.iter().map(|&i| "-".repeat(w[i])).collect();
        out.push_str(rule.join("  ").trim_end());
        out.push('\n');
        for r in &cells {
            let line: Vec<(String, bool)> = idx
                .iter()
                .map(|&i| (truncate(&r[i].0, w[i]), r[i].1))
                .collect();
            push(&mut out, &line, idx.iter().map(|&i| w[i]));
        }
    }
    for n in &t.notes {
        for (k, line) in wrap(&escape(n), width - 4).iter().enumerate() {
            out.push_str(if k == 0 { "  " } else { "    " });
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The narrowest width (at least the data's) at which `h` wraps onto at most four lines.
fn header_width(h: &str, data: usize) -> usize {
    let full = h.width();
    let mut w = data.max(header_min(h)).min(full);
    while w < full && wrap(h, w).len() > HEADER_LINES {
        w += 1;
    }
    w
}

/// The widest word of a header (up to 12 columns): narrower, it would be cut mid-word.
fn header_min(h: &str) -> usize {
    h.split([' ', '/', '-', '_', '+'])
        .map(|p| p.width())
        .max()
        .unwrap_or(0)
        .min(12)
}

fn push(out: &mut String, cells: &[(String, bool)], widths: impl Iterator<Item = usize>) {
    let mut line = String::new();
    for (k, ((text, right), w)) in cells.iter().zip(widths).enumerate() {
        if k > 0 {
            line.push_str("  ");
        }
        let pad = w.saturating_sub(text.width());
        if *right {
            line.push_str(&" ".repeat(pad));
            line.push_str(text);
        } else {
            line.push_str(text);
            line.push_str(&" ".repeat(pad));
        }
    }
    out.push_str(line.trim_end());
    out.push('\n');
}

/// Display width of the widest line of `text`.
// Test-only: the tests measure rendered tables with it.
#[cfg(test)]
pub(crate) fn text_width(text: &str) -> usize {
    text.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::super::{Cell, Column, Table};
    use super::*;

    #[test]
    fn wrap_and_truncate_by_display_width() {
        assert_eq!(truncate("供给型 Supply", 7), "供给型~");
        assert_eq!(truncate("abc", 3), "abc");
        assert_eq!(
            wrap("refs = coded paragraphs", 10),
            ["refs =", "coded", "paragraphs"]
        );
        assert_eq!(wrap("一二三四五六", 4), ["一二", "三四", "五六"]);
        assert_eq!(
            wrap("01_national_CN_2017_ai-dev-plan", 12),
            ["01_national_", "CN_2017_ai-", "dev-plan"]
        );
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    fn wide_table() -> Table {
        let mut cols = vec![("node".to_string(), Column::label("node"))];
        for g in 0..12 {
            cols.push((
                format!("document-number-{g:02}"),
                Column::value(Some("g"), "refs"),
            ));
        }
        let mut t = Table::with_columns("t", "A wide table", cols);
        for r in 0..3 {
            let mut row = vec![Cell::text(format!("技术基础设施/技术支持 Technology {r}"))];
            row.extend((0..12).map(|g| Cell::Int(g * 100 + r)));
            t.rows.push(row);
        }
        t.notes.push(
            "a note long enough that it has to wrap onto a second line at forty columns".into(),
        );
        t
    }

    #[test]
    fn fits_by_wrapping_headers_cutting_labels_and_blocks() {
        let t = wide_table();
        for width in [40, 80, 120] {
            let s = fit(&t, width);
            assert!(text_width(&s) <= width, "{width}:\n{s}");
            // Every figure is still there.
            for g in 0..12 {
                assert!(
                    s.contains(&format!(" {}", g * 100 + 2)),
                    "{width}: {g}\n{s}"
                );
            }
        }
        let s = fit(&t, 80);
        assert!(s.contains("技术基础设施~  "), "{s}");
        assert_eq!(s.matches("document").count(), 12, "two blocks of six: {s}");
        // A table that fits is unchanged apart from the notes' wrapping.
        let mut small = Table::new("", vec!["a".into(), "b".into()]);
        small.rows.push(vec![Cell::text("x"), Cell::Int(1)]);
        assert_eq!(fit(&small, 80), small.to_text());
    }
}
