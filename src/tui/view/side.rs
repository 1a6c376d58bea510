//! The right-hand panels: suggestions with key, parent, score bar and why; the codes on this
//! paragraph with memo and score; and the live regional tallies.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::panel;
use crate::store::Via;
use crate::tui::app::App;
use crate::tui::text::{pad, sanitize, truncate};

use crate::tui::theme::Theme;

/// Rows the suggestion panel wants (borders included), at most `max`.
pub fn suggestion_height(app: &App, max: u16) -> u16 {
    let n = match &app.reconcile {
        Some(r) => r.coders.len(),
        None => app.suggestions.len(),
    };
    let rows = n.clamp(1, 9) as u16;
    (rows + 2).min(max.max(3))
}

/// The suggestion list (or, when reconciling, each coder's version).
pub fn suggestions(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    if app.reconcile.is_some() {
        return versions(f, app, theme, area);
    }
    let block = panel(theme, "suggestions", false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let cb = &app.study.codebook;
    let mut lines = Vec::new();
    if app.suggestions.is_empty() {
        lines.push(Line::styled(
            "no keyword matched: Space to search, x for no code",
            theme.style("dim"),
        ));
    }
    for (i, s) in app
        .suggestions
        .iter()
        .enumerate()
        .take(inner.height as usize)
    {
        let node = &cb.nodes[s.node];
        let parent = node
            .parent
            .map(|p| cb.nodes[p].name_zh.clone())
            .unwrap_or_default();
        let chosen = app.is_chosen(s.node);
        let bar_len = (s.score.clamp(0.0, 1.0) * 5.0).round() as usize;
        let bar = format!("{}{}", "#".repeat(bar_len), ".".repeat(5 - bar_len));
        let name = if w >= 70 && !node.name_en.is_empty() {
            format!("{} {}", node.name_zh, node.name_en)
        } else {
            node.name_zh.clone()
        };
        let name = truncate(&name, w.saturating_sub(12));
        let mut spans = vec![
            Span::styled(format!("{} ", i + 1), theme.style("key")),
            Span::styled(
                if chosen { "[x] " } else { "[ ] " },
                theme.style(if chosen { "chosen" } else { "dim" }),
            ),
            Span::styled(format!("{bar} "), theme.style("bar")),
            Span::styled(
                name.clone(),
                theme.style(if chosen { "chosen" } else { "text" }),
            ),
        ];
        let used = 2 + 4 + 6 + crate::tui::text::width(&name);
        let rest = w.saturating_sub(used + 1);
        if rest > 4 {
            let why = if parent.is_empty() {
                format!(" {}", sanitize(&s.why))
            } else {
                format!(" {parent} | {}", sanitize(&s.why))
            };
            spans.push(Span::styled(truncate(&why, rest), theme.style("why")));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// Reconciliation: each coder's codes on this paragraph, with the key that takes them.
fn versions(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let block = panel(theme, "coders (1-9 take a version, Space edits)", false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let lines: Vec<Line> = app
        .versions()
        .into_iter()
        .enumerate()
        .map(|(i, (coder, codes))| {
            Line::from(vec![
                Span::styled(format!("{} ", i + 1), theme.style("key")),
                Span::styled(pad(&coder, 12), theme.style("label")),
                Span::raw(truncate(&codes, w.saturating_sub(15))),
            ])
        })
        .collect();
    f.render_widget(Paragraph::new(lines), inner);
}

/// The codes already on this paragraph, its memo and rubric scores.
pub fn codes(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let block = panel(theme, "codes", false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let cb = &app.study.codebook;
    let mut lines = Vec::new();
    match app.current() {
        None => lines.push(Line::styled("uncoded", theme.style("dim"))),
        Some(d) if d.no_code => lines.push(Line::styled("no code (marked)", theme.style("chosen"))),
        Some(d) => {
            let mut spans = Vec::new();
            for id in &d.nodes {
                let label = cb.get(id).map(|n| n.name_zh.clone()).unwrap_or_default();
                let via = match d.via.get(id) {
                    Some(Via::Suggestion { rank, .. }) => format!("#{rank}"),
                    Some(Via::Predicted { rank, .. }) => format!("#{rank} predicted"),
                    Some(Via::Search) => "search".into(),
                    Some(Via::Typed) => "typed".into(),
                    Some(Via::Reconciled { from }) => format!("from {from}"),
                    Some(Via::Imported) => "imported".into(),
                    None => String::new(),
                };
                let score = d
                    .scores
                    .get(id)
                    .map(|s| format!(" score {s}"))
                    .unwrap_or_default();
                spans.push(Span::styled(format!("{label} "), theme.style("chosen")));
                spans.push(Span::styled(
                    format!("{id} ({via}){score}  "),
                    theme.style("dim"),
                ));
            }
            if spans.is_empty() {
                spans.push(Span::styled("(no nodes)", theme.style("dim")));
            }
            lines.push(Line::from(spans));
        }
    }
    if let Some(memo) = app.current().and_then(|d| d.memo.as_ref()) {
        let first = memo.lines().next().unwrap_or_default();
        lines.push(Line::from(vec![
            Span::styled("memo: ", theme.style("label")),
            Span::raw(truncate(&sanitize(first), w.saturating_sub(6))),
        ]));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The live regional tallies table.
pub fn tallies(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let t = &app.tallies;
    let title = format!(
        "tallies: {}{}",
        t.metric.label(),
        if t.expanded { "" } else { " (T: children)" }
    );
    let block = panel(theme, &title, false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let cols = t.columns();
    // Wide enough for `123/45` or `100.0`.
    let cell_w = 7usize;
    // The row total goes first when space is short: node names matter more.
    let show_total = w >= 12 + cell_w * (cols.len() + 1);
    let name_w = w
        .saturating_sub(cell_w * (cols.len() + usize::from(show_total)))
        .max(8);
    let mut header = vec![Span::styled(
        pad("node", name_w),
        theme.style("tally_header"),
    )];
    for (_, label) in &cols {
        header.push(Span::styled(
            format!("{:>width$}", label, width = cell_w),
            theme.style("tally_header"),
        ));
    }
    if show_total {
        header.push(Span::styled(
            format!("{:>cell_w$}", "all"),
            theme.style("tally_header"),
        ));
    }
    let mut lines = vec![Line::from(header)];
    let cb = &app.study.codebook;
    // Children are shown when asked for and when they fit; otherwise parents only.
    let all_rows = cb.nodes.iter().filter(|n| n.depth <= 1).count();
    let expanded = t.expanded && all_rows < inner.height as usize;
    for (i, node) in cb.nodes.iter().enumerate() {
        let is_root = node.parent.is_none();
        if !is_root && (!expanded || node.depth > 1) {
            continue;
        }
        let indent = if is_root { "" } else { "  " };
        // The first of the Chinese names (`技术基础设施/技术支持` → `技术基础设施`) is the
        // most compact label; English or the id when there is none.
        let short = node.name_zh.split('/').next().unwrap_or_default();
        let label = match (short.is_empty(), node.name_en.is_empty()) {
            (false, _) => format!("{indent}{short}"),
            (true, false) => format!("{indent}{}", node.name_en),
            (true, true) => format!("{indent}{}", node.id),
        };
        let mut spans = vec![Span::styled(
            pad(&label, name_w),
            theme.style(if is_root { "parent" } else { "text" }),
        )];
        for g in 0..cols.len() {
            let v = t.cell(g, i);
            let slot = if v == "0" || v == "-" || v == "0/0" {
                "tally_zero"
            } else {
                "text"
            };
            let cell = format!("{v:>cell_w$}");
            spans.push(Span::styled(cell, theme.style(slot)));
        }
        if show_total {
            spans.push(Span::styled(
                format!("{:>cell_w$}", t.total(i)),
                theme.style("label"),
            ));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
