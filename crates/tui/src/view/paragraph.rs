//! The paragraph panel: the current paragraph wrapped by display width with keyword hits
//! highlighted, and its neighbours dimmed above and below for context.

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph as Para;
use ratatui::Frame;

use super::panel;
use crate::app::App;
use crate::text::{sanitize, wrap};
use crate::theme::{Slot, Theme};
use polcode_core::corpus::ParaKind;

/// Wrapped lines of `text` with character spans `marks` (sorted, non-overlapping) drawn in
/// `mark` style; at most `max_lines` lines. Only the start of a huge paragraph is wrapped and
/// styled, so a 10 MB paragraph costs no more per frame than the screen it fills.
pub fn styled_lines(
    text: &str,
    width: usize,
    base: Style,
    marks: &[(usize, usize)],
    mark: Style,
    max_lines: usize,
) -> Vec<Line<'static>> {
    styled_layers(text, width, base, &[(marks, mark)], max_lines)
}

/// [`styled_lines`] with several layers of marks, each sorted and non-overlapping within
/// itself; where layers overlap the first one listed wins (search hits over keywords).
pub fn styled_layers(
    text: &str,
    width: usize,
    base: Style,
    layers: &[(&[(usize, usize)], Style)],
    max_lines: usize,
) -> Vec<Line<'static>> {
    // A line holds at most `width` characters of width ≥ 1; twice that leaves room for the
    // zero-width ones.
    let budget = max_lines
        .saturating_add(1)
        .saturating_mul(width.max(1))
        .saturating_mul(2);
    let clean: String = sanitize(text).chars().take(budget).collect();
    let chars: Vec<char> = clean.chars().collect();
    let mut next_mark = vec![0usize; layers.len()];
    let mut marked = |i: usize| -> Option<Style> {
        // Characters come in increasing order, so one moving index per layer walks its marks.
        let mut hit = None;
        for (l, (marks, style)) in layers.iter().enumerate() {
            let next = &mut next_mark[l];
            while *next < marks.len() && marks[*next].1 <= i {
                *next += 1;
            }
            if hit.is_none() && *next < marks.len() && marks[*next].0 <= i {
                hit = Some(*style);
            }
        }
        hit
    };
    wrap(&clean, width)
        .into_iter()
        .take(max_lines)
        .map(|l| {
            let mut spans: Vec<Span<'static>> = Vec::new();
            let mut run = String::new();
            let mut run_style: Option<Style> = None;
            for (i, &c) in chars[l.start..l.end].iter().enumerate() {
                let m = marked(l.start + i);
                if m != run_style && !run.is_empty() {
                    let st = run_style.unwrap_or(base);
                    spans.push(Span::styled(std::mem::take(&mut run), st));
                }
                run_style = m;
                run.push(c);
            }
            if !run.is_empty() {
                spans.push(Span::styled(run, run_style.unwrap_or(base)));
            }
            Line::from(spans)
        })
        .collect()
}

/// Draws the paragraph panel.
pub fn draw(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let (Some(doc), Some(u), Some(p)) = (app.doc(), app.unit(), app.para()) else {
        return;
    };
    let title = if p.section.is_empty() {
        format!("para {}", p.n)
    } else {
        format!("para {} | {}", p.n, sanitize(&p.section))
    };
    let block = panel(theme, &title, true);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let width = inner.width.saturating_sub(1).max(10) as usize;
    let height = inner.height as usize;

    // A hit below the visible part of a long paragraph is brought into view (one line of
    // lead-in above it) until the coder scrolls by hand.
    let mut scroll_by = app.cursor.scroll as usize;
    if let (0, Some(&(first, _))) = (scroll_by, app.hit_spans().first()) {
        let line = wrap(&sanitize(&p.text), width)
            .iter()
            .position(|l| l.end > first)
            .unwrap_or(0);
        if line + 2 > height / 2 {
            scroll_by = line.saturating_sub(1);
        }
    }
    // Search hits over keyword highlights: in a search the hits are what the coder came for.
    let current = styled_layers(
        &p.text,
        width,
        theme.style(Slot::Text),
        &[
            (app.hit_spans(), theme.style(Slot::Search)),
            (&app.here.highlights, theme.style(Slot::Highlight)),
        ],
        scroll_by + height,
    );
    // Context gets what the current paragraph leaves, split above and below.
    let spare = height.saturating_sub(current.len() + 2);
    let ctx = (spare / 2).min(3);
    let dim = theme.style(Slot::Dim);
    let neighbour = |i: usize| -> Vec<Line<'static>> {
        let q = &doc.paragraphs[i];
        let st = if q.kind == ParaKind::Heading {
            theme.style(Slot::Heading).patch(dim)
        } else {
            dim
        };
        let mut v = styled_lines(&q.text, width, st, &[], st, 64);
        for l in &mut v {
            l.spans.insert(0, Span::raw(" "));
        }
        v
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    if ctx > 0 && u.para > 0 {
        let prev = neighbour(u.para - 1);
        let skip = prev.len().saturating_sub(ctx);
        lines.extend(prev.into_iter().skip(skip));
        lines.push(Line::raw(""));
    }
    let scroll = scroll_by.min(current.len().saturating_sub(1));
    // A one-column gutter marks the paragraph being coded, so it stands out from its dimmed
    // neighbours even without colour (monochrome theme, NO_COLOR).
    let key = theme.style(Slot::Key);
    lines.extend(
        current
            .into_iter()
            .skip(scroll)
            .enumerate()
            .map(|(i, mut l)| {
                let mark = if i == 0 && scroll == 0 { ">" } else { " " };
                l.spans.insert(0, Span::styled(mark, key));
                l
            }),
    );
    if ctx > 0 && u.para + 1 < doc.paragraphs.len() {
        lines.push(Line::raw(""));
        lines.extend(neighbour(u.para + 1).into_iter().take(ctx));
    }
    lines.truncate(height);
    f.render_widget(Para::new(lines), inner);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_split_spans_at_character_offsets() {
        let lines = styled_lines(
            "推进营商环境改革",
            40,
            Style::default(),
            &[(2, 6)],
            Style::default().bold(),
            10,
        );
        let spans: Vec<String> = lines[0]
            .spans
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(spans, vec!["推进", "营商环境", "改革"]);
    }

    #[test]
    fn a_huge_paragraph_is_styled_only_as_far_as_the_screen_needs() {
        let text = "区块链".repeat(1_200_000); // 3.6 M characters, ~10 MB
                                               // Every 链 is a keyword hit: 1.2 M marks.
        let marks: Vec<(usize, usize)> = (0..1_200_000).map(|k| (3 * k + 2, 3 * k + 3)).collect();
        let bold = Style::default().bold();
        let lines = styled_lines(&text, 40, Style::default(), &marks, bold, 30);
        assert_eq!(lines.len(), 30);
        let first: String = lines[0]
            .spans
            .iter()
            .map(|s| s.content.to_string())
            .collect();
        assert_eq!(first, "区块链".repeat(6) + "区块");
        // The moving-index walk keeps every mark boundary: 区块 | 链 | 区块 | 链 ...
        assert_eq!(lines[0].spans.len(), 13);
        assert_eq!(
            (lines[0].spans[1].content.as_ref(), lines[0].spans[1].style),
            ("链", bold)
        );
        assert_eq!(lines[29].spans[1].content, "链");
    }
}
