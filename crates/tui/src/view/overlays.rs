//! Overlays and full screens: the fuzzy picker, the memo editor, help (generated from the live
//! keymap), review, and the stats screen with bar charts by region.

use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Clear, Paragraph};
use ratatui::Frame;
use ratatui_textarea::TextArea;

use super::{centered, panel};
use crate::action::Action;
use crate::app::App;
use crate::find::CodeAll;
use crate::keymap::KeyMode;
use crate::overlay::StatsView;
use crate::picker::Picker;
use crate::review::Review;
use crate::text::{char_width, pad, sanitize, truncate, width};
use crate::theme::{Slot, Theme};

/// The node picker popup.
pub fn picker(f: &mut Frame, app: &App, theme: &Theme, area: Rect, p: &Picker) {
    // Nine result rows: enough to choose from, and few enough that the first character typed,
    // which replaces every row, stays within the 512 B per keystroke budget of issue 7 on the
    // 1,000-node bench (ten rows: p99 546 B; nine: ~500 B). See BENCHMARKS.md.
    let width = area.width.saturating_sub(8).min(90);
    let mut rect = centered(area, width, area.height.saturating_sub(4).min(12));
    if p.details {
        // The list shrinks to its rows (query line, at most nine results, borders) and the
        // details pane takes the rest, so a definition is read whole.
        // Header and footer stay visible (the footer has the picker's keys).
        let whole = centered(area, width, area.height.saturating_sub(4));
        let list = (p.items.len().min(9) as u16 + 3).max(5);
        rect = Rect {
            height: rect.height.min(list).min(whole.height / 2),
            ..whole
        };
        let below = Rect {
            y: rect.y + rect.height,
            height: whole.height - rect.height,
            ..whole
        };
        super::info::picker_details(f, app, theme, below, p.current());
    }
    f.render_widget(Clear, rect);
    let title = if p.for_all_hits {
        let accept = app.session.keymap.key(KeyMode::Picker, Action::Accept);
        format!("code all hits at: pick the node ({accept}, then confirm)")
    } else if p.details {
        "pick nodes (fzf syntax: words, ^prefix, suffix$, !not)".to_string()
    } else {
        let details = app.session.keymap.key(KeyMode::Picker, Action::Info);
        format!("pick nodes (fzf: words ^prefix suffix$ !not; {details} details)")
    };
    let block = panel(theme, &title, true);
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    let w = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled("> ", theme.style(Slot::Key)),
        Span::raw(p.query.clone()),
        Span::styled(
            format!("   {}/{}", p.items.len(), app.study.codebook.nodes.len()),
            theme.style(Slot::Dim),
        ),
    ])];
    let rows = inner.height.saturating_sub(1) as usize;
    let start = p.selected.saturating_sub(rows.saturating_sub(1));
    for (i, item) in p.items.iter().enumerate().skip(start).take(rows) {
        let chosen = app.is_chosen(item.node);
        let sel = i == p.selected;
        let base = if sel {
            theme.style(Slot::Selected)
        } else {
            theme.style(Slot::Text)
        };
        let mut spans = vec![Span::styled(if chosen { "[x] " } else { "[ ] " }, base)];
        let depth = app.study.codebook.nodes[item.node].depth;
        spans.push(Span::styled("  ".repeat(depth), base));
        let mut used = 4 + depth * 2;
        for (ci, c) in p.haystack(item.node).chars().enumerate() {
            let cw = char_width(c);
            if used + cw > w {
                break;
            }
            used += cw;
            let st = if item.matched.contains(&(ci as u32)) {
                base.patch(theme.style(Slot::Match))
            } else {
                base
            };
            spans.push(Span::styled(c.to_string(), st));
        }
        if sel && used < w {
            spans.push(Span::styled(" ".repeat(w - used), base));
        }
        lines.push(Line::from(spans));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// "Code all hits": what will be coded, before anything is; `y` codes, any other key cancels.
pub fn confirm_all(f: &mut Frame, app: &App, theme: &Theme, area: Rect, plan: &CodeAll) {
    let Some(q) = &app.find else { return };
    let node = &app.study.codebook.nodes[plan.node];
    let mut lines = vec![
        Line::styled(
            format!(
                "Code {} paragraphs in {} documents at",
                plan.paragraphs, plan.documents
            ),
            theme.style(Slot::Title),
        ),
        Line::styled(
            format!("{} {}", node.id, sanitize(&app.short_name(&node.id))),
            theme.style(Slot::Chosen),
        ),
        Line::raw(format!("every hit of \"{}\".", sanitize(&q.query))),
    ];
    if plan.already > 0 {
        lines.push(Line::styled(
            format!(
                "{} hit paragraphs already carry it (left as they are).",
                plan.already
            ),
            theme.style(Slot::Label),
        ));
    }
    if plan.no_code > 0 {
        lines.push(Line::styled(
            format!(
                "{} of them are marked no code: the mark gives way.",
                plan.no_code
            ),
            theme.style(Slot::Warn),
        ));
    }
    let undo = app.session.keymap.key(KeyMode::Normal, Action::Undo);
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("y", theme.style(Slot::Key)),
        Span::raw(format!(" code them ({undo} undoes all at once)   ")),
        Span::styled("any other key", theme.style(Slot::Key)),
        Span::raw(" cancel"),
    ]));
    let h = lines.len() as u16 + 2;
    let rect = centered(area, area.width.saturating_sub(6).min(72), h);
    f.render_widget(Clear, rect);
    let block = panel(theme, "code all hits", true);
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    f.render_widget(
        Paragraph::new(lines).wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}

/// The memo editor popup; puts the terminal cursor on the caret so an IME composes there.
pub fn memo(f: &mut Frame, app: &App, theme: &Theme, area: Rect, t: &TextArea<'static>) {
    let rect = centered(area, area.width.saturating_sub(10).min(80), 10);
    f.render_widget(Clear, rect);
    let save = app
        .session
        .keymap
        .keys(KeyMode::Memo, Action::Accept, " or ");
    let title = format!("memo ({save} saves)");
    let block = panel(theme, &title, true);
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    f.render_widget(t, inner);
    // The caret's screen column is the display width of the text before it, not its char index.
    let c = t.cursor();
    let (row, col) = (c.0, c.1);
    let line = t.lines().get(row).map(String::as_str).unwrap_or("");
    let before: String = line.chars().take(col).collect();
    let x = inner.x + (width(&before) as u16).min(inner.width.saturating_sub(1));
    let y = inner.y + (row as u16).min(inner.height.saturating_sub(1));
    f.set_cursor_position(Position { x, y });
}

/// Help: every action with its keys in each mode, from the live keymap.
pub fn help(f: &mut Frame, app: &App, theme: &Theme, area: Rect, scroll: u16) {
    let (km, h) = (&app.session.keymap, KeyMode::Help);
    let title = format!(
        "help ({} closes, {}/{} scroll)",
        km.key(h, Action::Cancel),
        km.key(h, Action::Down),
        km.key(h, Action::Up)
    );
    let block = panel(theme, &title, true);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines = Vec::new();
    for (mode, title) in [
        (KeyMode::Normal, "Coding"),
        (KeyMode::Picker, "Node picker (type to filter)"),
        (KeyMode::Prompt, "Jump prompt"),
        (
            KeyMode::Review,
            "Review (type to filter: node:ID region:east level:municipal doc:ID or any text)",
        ),
        (KeyMode::Stats, "Stats screen"),
        (KeyMode::Memo, "Memo editor"),
        (
            KeyMode::Info,
            "Definition view (1-9 show that suggestion row)",
        ),
    ] {
        lines.push(Line::styled(title.to_string(), theme.style(Slot::Heading)));
        for (action, keys) in app.session.keymap.bindings(mode) {
            let k: Vec<String> = keys.iter().map(|k| k.display()).collect();
            let label = if let Action::Toggle(_) = action {
                app.session.keymap.toggles(mode)
            } else {
                k.join(" ")
            };
            lines.push(Line::from(vec![
                Span::styled(pad(&format!("  {label}"), 22), theme.style(Slot::Key)),
                Span::raw(action.describe()),
            ]));
        }
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(
        "Every decision is saved (fsync) before the next key is read. Keys: <config dir>/polcode/keymap.yaml",
        theme.style(Slot::Dim),
    ));
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// Review: filterable list of earlier decisions.
pub fn review(f: &mut Frame, app: &App, theme: &Theme, area: Rect, r: &Review) {
    let (km, m) = (&app.session.keymap, KeyMode::Review);
    let title = format!(
        "review: {} of {} decisions ({} jumps, {} closes)",
        r.rows.len(),
        r.total(),
        km.key(m, Action::Accept),
        km.key(m, Action::Cancel)
    );
    let block = panel(theme, &title, true);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let w = inner.width as usize;
    let mut lines = vec![Line::from(vec![
        Span::styled("filter> ", theme.style(Slot::Key)),
        Span::raw(r.query.clone()),
    ])];
    let rows = inner.height.saturating_sub(1) as usize;
    let start = r.selected.saturating_sub(rows.saturating_sub(1));
    for (i, row) in r.rows.iter().enumerate().skip(start).take(rows) {
        let st = if i == r.selected {
            theme.style(Slot::Selected)
        } else {
            theme.style(Slot::Text)
        };
        let memo = if row.memo.is_empty() {
            String::new()
        } else {
            format!(" | memo: {}", row.memo)
        };
        let text = format!("{:<14} {} | {}{}", row.para, row.codes, row.place, memo);
        lines.push(Line::styled(pad(&sanitize(&text), w), st));
    }
    f.render_widget(Paragraph::new(lines), inner);
}

/// The one-character key of bar `k` under the stats screen's bars and in its legend: `1`–`9`,
/// then `a`–`z`, then `A`–`Z` (a bar can be one column wide, so a key is one character).
pub fn bar_key(k: usize) -> char {
    const KEYS: &[u8] = b"123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    KEYS.get(k).map_or('?', |&b| b as char)
}

/// Stats screen: grouped bar chart of parent nodes (or children) per region.
pub fn stats(f: &mut Frame, app: &App, theme: &Theme, area: Rect, view: &StatsView) {
    let t = &app.tallies;
    let (km, m) = (&app.session.keymap, KeyMode::Stats);
    let mut title = format!(
        "tool use by region: {} ({} metric, {} children, {} back)",
        t.metric.label(),
        km.key(m, Action::TallyMetric),
        km.key(m, Action::TallyExpand),
        km.key(m, Action::Cancel)
    );
    // In a double-coding sample session: agreement on the overlap so far.
    if let Some(line) = &view.sample_line {
        title = format!("{line} | {title}");
    }
    let block = panel(theme, &title, true);
    let inner = block.inner(area);
    f.render_widget(block, area);
    let cb = &app.study.codebook;
    let nodes: Vec<usize> = (0..cb.nodes.len())
        .filter(|&i| {
            let n = &cb.nodes[i];
            if t.expanded {
                n.parent.is_some() && n.depth == 1
            } else {
                n.parent.is_none()
            }
        })
        .collect();
    let [legend_area, chart_area] = Layout::vertical([
        Constraint::Length(nodes.len().div_ceil(3) as u16 + 1),
        Constraint::Min(3),
    ])
    .areas(inner);
    let palette = [
        Slot::Bar,
        Slot::Key,
        Slot::Parent,
        Slot::Title,
        Slot::Ok,
        Slot::Warn,
        Slot::Heading,
        Slot::Chosen,
    ];
    let style_of = |k: usize| -> Style { theme.style(palette[k % palette.len()]) };
    let mut legend = Vec::new();
    for (k, &i) in nodes.iter().enumerate() {
        let name = truncate(&polcode_core::stats::node_short(&cb.nodes[i]), 22);
        legend.push(Span::styled(
            format!("[{}] {name}  ", bar_key(k)),
            style_of(k),
        ));
    }
    f.render_widget(
        Paragraph::new(Line::from(legend)).wrap(ratatui::widgets::Wrap { trim: true }),
        legend_area,
    );
    let cols = t.columns();
    let groups = t.tally.groups();
    let mut chart = BarChart::default().bar_gap(0).group_gap(2);
    let bar_w = ((chart_area.width as usize / cols.len().max(1)).saturating_sub(2)
        / nodes.len().max(1))
    .clamp(1, 6);
    chart = chart.bar_width(bar_w as u16);
    for (g, (_, label)) in cols.iter().enumerate() {
        let bars: Vec<Bar> = nodes
            .iter()
            .enumerate()
            .map(|(k, &i)| {
                let v = t.value(g, i);
                Bar::default()
                    .value((v * 10.0).round() as u64)
                    .text_value(t.cell(g, i))
                    .label(Line::raw(bar_key(k).to_string()))
                    .style(style_of(k))
            })
            .collect();
        // A region without documents is still a column, marked as such.
        let label = if groups.docs_in(g).next().is_none() {
            format!("{label} (0 docs)")
        } else {
            label.clone()
        };
        chart = chart.data(BarGroup::default().label(Line::raw(label)).bars(&bars));
    }
    f.render_widget(chart, chart_area);
}
