//! The right-hand panels: suggestions with key, chosen and predicted marks, parent, score bar
//! and why; every code on this paragraph with memo and scores (wrapped, never cut); each
//! coder's whole version when reconciling; and the live regional tallies.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui::Frame;

use super::panel;
use super::paragraph::styled_lines;
use crate::action::Action;
use crate::app::App;
use crate::keymap::KeyMode;
use crate::text::{pad, sanitize, truncate, width};
use polcode_core::store::{Decision, Via};

use crate::theme::{Slot, Theme};

/// Rows the suggestion panel wants for `width` columns (borders included), at most `max`.
pub fn suggestion_height(app: &App, theme: &Theme, width: u16, max: u16) -> u16 {
    let rows = suggestion_lines(app, theme, width.saturating_sub(2) as usize)
        .1
        .len()
        .max(1) as u16;
    (rows + 2).min(max.max(3))
}

/// Rows the codes panel wants for `width` columns (borders included): at least `min`, so
/// the panels below do not move (and repaint) for the common one or two codes, at most `max`.
pub fn codes_height(app: &App, theme: &Theme, width: u16, min: u16, max: u16) -> u16 {
    let rows = codes_lines(app, theme, width.saturating_sub(2) as usize).len() as u16;
    (rows + 2).max(min).min(max.max(3))
}

/// The suggestion list (or, when reconciling, each coder's version).
pub fn suggestions(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let w = area.width.saturating_sub(2) as usize;
    let (title, mut lines) = suggestion_lines(app, theme, w);
    let block = panel(theme, &title, false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let h = inner.height as usize;
    if lines.len() > h && h > 0 && !app.walk.reconciling() {
        // Rows that do not fit still answer to their digits: say so rather than hide them.
        let hidden = lines.len() - h + 1;
        let info = app.session.keymap.key(KeyMode::Normal, Action::Info);
        lines.truncate(h - 1);
        lines.push(Line::styled(
            truncate(&format!("+{hidden} more rows ({info} shows every row)"), w),
            theme.style(Slot::Warn),
        ));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The panel title and lines of the suggestion list, `w` columns wide. Rows keep the order
/// of the offer: a chosen row is marked `[x]` where it is, never moved, so the digit a coder
/// read is the digit that acts. `*` marks the predicted set that `Enter` confirms.
fn suggestion_lines(app: &App, theme: &Theme, w: usize) -> (String, Vec<Line<'static>>) {
    if app.walk.reconciling() {
        let km = &app.session.keymap;
        let title = format!(
            "coders ({} take a version, {} edits)",
            km.toggles(KeyMode::Normal),
            km.key(KeyMode::Normal, Action::OpenPicker)
        );
        return (title, versions(app, theme, w));
    }
    let cb = &app.study.codebook;
    let offer = &app.here.offer;
    let mut lines = Vec::new();
    // The title and the no-code line do not change when the coder chooses (that would cost
    // bytes on every toggle); the footer says what `Enter` does now.
    let title = "suggestions (* = predicted)".to_string();
    if offer.no_code {
        let why = if offer.no_code_why.is_empty() {
            String::new()
        } else {
            format!(": {}", sanitize(&offer.no_code_why))
        };
        // The reason is wrapped, not cut: it is what the coder checks before taking it.
        let st = theme.style(Slot::Predicted);
        lines.extend(styled_lines(
            &format!("* no code predicted{why}"),
            w,
            st,
            &[],
            st,
            3,
        ));
    }
    if offer.suggestions.is_empty() {
        let search = app.session.keymap.key(KeyMode::Normal, Action::OpenPicker);
        let no_code = app.session.keymap.key(KeyMode::Normal, Action::NoCode);
        lines.push(Line::styled(
            truncate(
                &format!("no keyword matched: {search} to search, {no_code} for no code"),
                w,
            ),
            theme.style(Slot::Dim),
        ));
    }
    for (i, s) in offer.suggestions.iter().enumerate() {
        let node = &cb.nodes[s.node];
        let parent = node
            .parent
            .map(|p| cb.nodes[p].name_zh.clone())
            .unwrap_or_default();
        let chosen = app.is_chosen(s.node);
        let predicted = app.is_predicted(s.node);
        let bar_len = (s.score.clamp(0.0, 1.0) * 5.0).round() as usize;
        let bar = format!("{}{}", "#".repeat(bar_len), ".".repeat(5 - bar_len));
        let name = if w >= 70 && !node.name_en.is_empty() {
            format!("{} {}", node.name_zh, node.name_en)
        } else {
            node.name_zh.clone()
        };
        let name = truncate(&name, w.saturating_sub(14));
        let name_slot = match (chosen, predicted) {
            (true, _) => Slot::Chosen,
            (false, true) => Slot::Predicted,
            (false, false) => Slot::Text,
        };
        let mut spans = vec![
            Span::styled(format!("{} ", i + 1), theme.style(Slot::Key)),
            Span::styled(
                if chosen { "[x] " } else { "[ ] " },
                theme.style(if chosen { Slot::Chosen } else { Slot::Dim }),
            ),
            Span::styled(
                if predicted { "* " } else { "  " },
                theme.style(Slot::Predicted),
            ),
            Span::styled(format!("{bar} "), theme.style(Slot::Bar)),
            Span::styled(name.clone(), theme.style(name_slot)),
        ];
        let used = 2 + 4 + 2 + 6 + width(&name);
        let rest = w.saturating_sub(used + 1);
        if rest > 4 {
            let why = match (parent.is_empty(), s.why.is_empty()) {
                (true, _) => format!(" {}", sanitize(&s.why)),
                (false, true) => format!(" {parent}"),
                (false, false) => format!(" {parent} | {}", sanitize(&s.why)),
            };
            spans.push(Span::styled(truncate(&why, rest), theme.style(Slot::Why)));
        }
        lines.push(Line::from(spans));
    }
    (title, lines)
}

/// How a node was chosen, as the side panel says it after the node's name.
fn via_label(v: &Via) -> String {
    match v {
        Via::Suggestion { rank, .. } => format!(" #{rank}"),
        Via::Predicted { rank, .. } => format!(" #{rank} predicted"),
        Via::Search => " picked".into(),
        Via::Typed => " typed".into(),
        Via::Reconciled { from } => format!(" from {from}"),
        Via::Imported => " imported".into(),
        Via::Found { how, .. } => format!("{} · found", via_label(how)),
        Via::AllHits { .. } => " all hits".into(),
    }
}

/// One chosen node as the eye should find it: its short name (the start of the name on its
/// suggestion row), then how it was chosen and its rubric score.
fn node_item(
    app: &App,
    d: &Decision,
    id: &str,
    name_slot: Slot,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let label = app.short_name(id);
    let via = d.via.get(id).map(via_label).unwrap_or_default();
    let mut spans = vec![
        Span::styled(sanitize(&label).into_owned(), theme.style(name_slot)),
        Span::styled(via, theme.style(Slot::Dim)),
    ];
    if let Some(s) = d.scores.get(id) {
        spans.push(Span::styled(
            format!(" score {s}"),
            theme.style(Slot::Label),
        ));
    }
    spans
}

/// Lays `items` out left to right, two spaces apart, starting a new line (indented by
/// `indent` columns) when the next item would not fit: every item is on screen whole unless it
/// alone is wider than a line.
fn flow(
    first: Vec<Span<'static>>,
    items: Vec<Vec<Span<'static>>>,
    w: usize,
    indent: usize,
) -> Vec<Line<'static>> {
    let span_w = |v: &[Span]| v.iter().map(|s| width(&s.content)).sum::<usize>();
    let mut lines = Vec::new();
    let mut cur = first;
    let mut used = span_w(&cur);
    let mut empty = true;
    for item in items {
        let iw = span_w(&item);
        let gap = if empty { 0 } else { 2 };
        if !empty && used + gap + iw > w {
            lines.push(Line::from(std::mem::take(&mut cur)));
            cur.push(Span::raw(" ".repeat(indent)));
            used = indent;
        } else if gap > 0 {
            cur.push(Span::raw("  "));
            used += gap;
        }
        used += iw;
        cur.extend(item);
        empty = false;
    }
    lines.push(Line::from(cur));
    lines
}

/// The memo mark: its first line, and how many more there are.
fn memo_line(d: &Decision, theme: &Theme, w: usize) -> Option<Line<'static>> {
    let memo = d.memo.as_ref()?;
    let mut it = memo.lines();
    let first = it.next().unwrap_or_default();
    let more = it.count();
    let label = if more > 0 {
        format!("memo (+{more} lines): ")
    } else {
        "memo: ".to_string()
    };
    let rest = w.saturating_sub(width(&label));
    Some(Line::from(vec![
        Span::styled(label, theme.style(Slot::Label)),
        Span::raw(truncate(&sanitize(first), rest)),
    ]))
}

/// Reconciliation: each coder's whole version of this paragraph (every node, score and memo,
/// wrapped), with the key that takes it. Nodes not every coder chose are drawn as warnings:
/// they are where the versions differ.
fn versions(app: &App, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let versions = app.versions();
    let in_all = |id: &String| {
        versions
            .iter()
            .all(|(_, d)| d.as_ref().is_some_and(|d| d.nodes.contains(id)))
    };
    let mut lines = Vec::new();
    for (i, (coder, d)) in versions.iter().enumerate() {
        let head = vec![
            Span::styled(format!("{} ", i + 1), theme.style(Slot::Key)),
            Span::styled(pad(coder, 12), theme.style(Slot::Label)),
            Span::raw(" "),
        ];
        let items: Vec<Vec<Span<'static>>> = match d {
            None => vec![vec![Span::styled("(not coded)", theme.style(Slot::Dim))]],
            Some(d) if d.nodes.is_empty() => {
                vec![vec![Span::styled("(no code)", theme.style(Slot::Warn))]]
            }
            Some(d) => d
                .nodes
                .iter()
                .map(|id| {
                    let slot = if in_all(id) { Slot::Chosen } else { Slot::Warn };
                    node_item(app, d, id, slot, theme)
                })
                .collect(),
        };
        lines.extend(flow(head, items, w, 15));
        if let Some(m) = d
            .as_ref()
            .and_then(|d| memo_line(d, theme, w.saturating_sub(15)))
        {
            let mut spans = vec![Span::raw(" ".repeat(15))];
            spans.extend(m.spans);
            lines.push(Line::from(spans));
        }
    }
    lines
}

/// The codes panel: every node chosen on this paragraph (wrapped, never cut), with how it
/// was chosen and its rubric score, then the memo.
fn codes_lines(app: &App, theme: &Theme, w: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match app.current() {
        None => lines.push(Line::styled("uncoded", theme.style(Slot::Dim))),
        Some(d) if d.no_code => {
            lines.push(Line::styled("no code (marked)", theme.style(Slot::Chosen)))
        }
        Some(d) if d.nodes.is_empty() => {
            lines.push(Line::styled("(no nodes)", theme.style(Slot::Dim)))
        }
        Some(d) => {
            let items = d
                .nodes
                .iter()
                .map(|id| node_item(app, d, id, Slot::Chosen, theme))
                .collect();
            lines.extend(flow(Vec::new(), items, w, 0));
        }
    }
    if let Some(m) = app.current().and_then(|d| memo_line(d, theme, w)) {
        lines.push(m);
    }
    lines
}

/// The codes already on this paragraph, its memo and rubric scores.
pub fn codes(f: &mut Frame, app: &App, theme: &Theme, area: Rect) {
    let title = match app.current().map(|d| d.nodes.len()) {
        Some(n) if n > 1 => format!("codes ({n})"),
        _ => "codes".to_string(),
    };
    let block = panel(theme, &title, false);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let lines = codes_lines(app, theme, inner.width as usize);
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
        theme.style(Slot::TallyHeader),
    )];
    for (_, label) in &cols {
        header.push(Span::styled(
            format!("{:>width$}", label, width = cell_w),
            theme.style(Slot::TallyHeader),
        ));
    }
    if show_total {
        header.push(Span::styled(
            format!("{:>cell_w$}", "all"),
            theme.style(Slot::TallyHeader),
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
            theme.style(if is_root { Slot::Parent } else { Slot::Text }),
        )];
        for g in 0..cols.len() {
            let v = t.cell(g, i);
            let slot = if v == "0" || v == "-" || v == "0/0" {
                Slot::TallyZero
            } else {
                Slot::Text
            };
            let cell = format!("{v:>cell_w$}");
            spans.push(Span::styled(cell, theme.style(slot)));
        }
        if show_total {
            spans.push(Span::styled(
                format!("{:>cell_w$}", t.total(i)),
                theme.style(Slot::Label),
            ));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
