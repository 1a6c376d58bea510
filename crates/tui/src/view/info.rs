//! What a node means, where the coder decides: the definition overlay over the suggestion rows
//! (`i`) and the picker's details pane. Both draw the codebook's definition, include and
//! exclude notes, one example, keywords and rubric levels, wrapped by display width with the
//! CJK-aware wrapper, so the rules can be read without leaving the paragraph.

use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};
use ratatui::Frame;

use super::panel;
use super::paragraph::styled_lines;
use crate::action::Action;
use crate::app::App;
use crate::keymap::KeyMode;
use crate::text::{sanitize, truncate};
use crate::theme::{Slot, Theme};

/// Longest a wrapped note may run, so one long definition cannot push the others away.
const MAX_NOTE_LINES: usize = 12;

/// The lines describing codebook node `node`, `w` columns wide.
pub fn node_lines(app: &App, node: usize, w: usize, theme: &Theme) -> Vec<Line<'static>> {
    let cb = &app.study.codebook;
    let n = &cb.nodes[node];
    let mut lines = vec![Line::styled(
        truncate(&sanitize(&n.label()), w),
        theme.style(Slot::Title),
    )];
    let mut place = n.id.clone();
    if let Some(p) = n.parent {
        place.push_str(&format!("  in {}", cb.nodes[p].label()));
    }
    lines.push(Line::styled(
        truncate(&sanitize(&place), w),
        theme.style(Slot::Dim),
    ));
    let text = theme.style(Slot::Text);
    let heading = theme.style(Slot::Heading);
    // `definition: ...` with the label inline and the text wrapped under it: the notes are
    // what the coder came for, so no row goes to a label of its own.
    let mut note = |title: &str, body: &str| {
        let body = if body.trim().is_empty() {
            "(none in the codebook)"
        } else {
            body
        };
        let label = title.chars().count() + 1;
        let all = format!("{title}: {body}");
        lines.extend(styled_lines(
            &all,
            w,
            text,
            &[(0, label)],
            heading,
            MAX_NOTE_LINES,
        ));
    };
    note("definition", &n.definition);
    note("include", &n.include);
    note("exclude", &n.exclude);
    note(
        "example",
        n.examples.first().map(String::as_str).unwrap_or_default(),
    );
    if !n.keywords.is_empty() {
        note("keywords", &n.keywords.join("、"));
    }
    if let Some(scale) = &n.scale {
        let levels: Vec<String> = scale
            .levels
            .iter()
            .map(|l| format!("{} {}", l.value, l.label))
            .collect();
        note("rubric levels", &levels.join("; "));
    }
    lines
}

/// The definition view over the side panels (`area`), leaving the paragraph in view: the node
/// on suggestion row `row`, with the row's marks, so the coder knows which digit it is and
/// whether it is chosen or predicted. Sized to its text, up to all of `area`.
pub fn overlay(f: &mut Frame, app: &App, theme: &Theme, area: Rect, row: usize, scroll: u16) {
    let Some(s) = app.suggestions().get(row) else {
        return;
    };
    // The keys are in the footer (from the live keymap); the title says which row this is.
    let title = format!("definition: row {} of {}", row + 1, app.suggestions().len());
    let w = area.width.saturating_sub(2) as usize;
    let chosen = app.is_chosen(s.node);
    let predicted = app.is_predicted(s.node);
    let mut marks = vec![Span::styled(
        format!("{} ", row + 1),
        theme.style(Slot::Key),
    )];
    marks.push(Span::styled(
        if chosen { "[x] chosen  " } else { "[ ] " },
        theme.style(if chosen { Slot::Chosen } else { Slot::Dim }),
    ));
    if predicted {
        marks.push(Span::styled("* predicted  ", theme.style(Slot::Predicted)));
    }
    let used: usize = marks.iter().map(|s| crate::text::width(&s.content)).sum();
    marks.push(Span::styled(
        truncate(&sanitize(&s.why), w.saturating_sub(used)),
        theme.style(Slot::Why),
    ));
    let mut lines = vec![Line::from(marks)];
    lines.extend(node_lines(app, s.node, w, theme));
    let rect = Rect {
        height: (lines.len() as u16 + 2).min(area.height),
        ..area
    };
    f.render_widget(Clear, rect);
    let block = panel(theme, &title, true);
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    f.render_widget(Paragraph::new(lines).scroll((scroll, 0)), inner);
}

/// The picker's details pane at the top of `area`, sized to its text: the highlighted node, or
/// a hint when nothing matches.
pub fn picker_details(f: &mut Frame, app: &App, theme: &Theme, area: Rect, node: Option<usize>) {
    let close = app.session.keymap.key(KeyMode::Picker, Action::Info);
    let title = format!("details ({close} hides)");
    let lines = match node {
        Some(n) => node_lines(app, n, area.width.saturating_sub(2) as usize, theme),
        None => vec![Line::styled("no node matches", theme.style(Slot::Dim))],
    };
    let rect = Rect {
        height: (lines.len() as u16 + 2).min(area.height),
        ..area
    };
    f.render_widget(Clear, rect);
    let block = panel(theme, &title, false);
    let inner = block.inner(rect);
    f.render_widget(block, rect);
    f.render_widget(Paragraph::new(lines), inner);
}
