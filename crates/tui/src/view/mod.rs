//! Pure render functions of `&App`: the coding screen and its overlays. Nothing here changes
//! state; layout adapts from 60x18 (minimum) through 80x24 to 120x40 and up.

mod chrome;
mod info;
mod overlays;
mod paragraph;
mod side;

use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph as Para};
use ratatui::Frame;

use super::action::Action;
use super::app::App;
use super::keymap::KeyMode;
use super::overlay::Overlay;
use super::theme::{Slot, Theme};

/// Smallest usable terminal.
pub const MIN_WIDTH: u16 = 60;
/// Smallest usable terminal height.
pub const MIN_HEIGHT: u16 = 18;

/// Draws the whole screen for `app`.
pub fn draw(f: &mut Frame, app: &App, theme: &Theme) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let msg = format!(
            "terminal too small: {}x{} (polcode needs at least {MIN_WIDTH}x{MIN_HEIGHT})",
            area.width, area.height
        );
        f.render_widget(
            Para::new(msg).wrap(ratatui::widgets::Wrap { trim: true }),
            area,
        );
        return;
    }
    match &app.overlay {
        Some(Overlay::Help(h)) => return overlays::help(f, app, theme, area, h.scroll),
        Some(Overlay::Review(r)) => return overlays::review(f, app, theme, area, r),
        Some(Overlay::Stats(s)) => return overlays::stats(f, app, theme, area, s),
        _ => {}
    }
    let [header, body, footer] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(8),
        Constraint::Length(2),
    ])
    .areas(area);
    chrome::header(f, app, theme, header);
    chrome::footer(f, app, theme, footer);
    if app.unit().is_none() {
        let quit = app.session.keymap.key(KeyMode::Normal, Action::Quit);
        let msg = format!(
            "This study has no paragraphs to code yet. Quit with {quit} and add documents with \
             `polcode import FILES... --study DIR`."
        );
        f.render_widget(
            Para::new(msg)
                .block(panel(theme, "polcode", false))
                .wrap(ratatui::widgets::Wrap { trim: true }),
            body,
        );
        return;
    }
    // Where the definition view goes: over the side panels, so the paragraph stays readable.
    let side_area;
    if area.width >= 100 {
        let [left, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(body);
        // Every chosen node and the memo are always on screen: the codes panel is sized first,
        // the suggestions take what they need of the rest, the tallies what is left.
        let codes_h = side::codes_height(app, theme, right.width, 4, right.height / 3);
        let sugg_h = side::suggestion_height(
            app,
            theme,
            right.width,
            right.height.saturating_sub(codes_h + 4),
        );
        let [sugg, codes, tally] = Layout::vertical([
            Constraint::Length(sugg_h),
            Constraint::Length(codes_h),
            Constraint::Min(4),
        ])
        .areas(right);
        side_area = right;
        paragraph::draw(f, app, theme, left);
        side::suggestions(f, app, theme, sugg);
        side::codes(f, app, theme, codes);
        side::tallies(f, app, theme, tally);
    } else {
        let tally_h = if area.height >= 30 { 7 } else { 0 };
        let codes_h = side::codes_height(app, theme, body.width, 3, body.height / 3);
        let sugg_h = side::suggestion_height(
            app,
            theme,
            body.width,
            (body.height / 2).min(body.height.saturating_sub(5 + codes_h + tally_h)),
        );
        let [para, sugg, codes, tally] = Layout::vertical([
            Constraint::Min(5),
            Constraint::Length(sugg_h),
            Constraint::Length(codes_h),
            Constraint::Length(tally_h),
        ])
        .areas(body);
        // Below the paragraph's first lines (its panel's top border and four rows).
        let keep = 5.min(body.height.saturating_sub(8));
        side_area = Rect {
            y: body.y + keep,
            height: body.height - keep,
            ..body
        };
        paragraph::draw(f, app, theme, para);
        side::suggestions(f, app, theme, sugg);
        side::codes(f, app, theme, codes);
        if tally_h > 0 {
            side::tallies(f, app, theme, tally);
        }
    }
    match &app.overlay {
        Some(Overlay::Picker(p)) => overlays::picker(f, app, theme, area, p),
        Some(Overlay::Memo(m)) => overlays::memo(f, app, theme, area, &m.area),
        Some(Overlay::ConfirmAll(c)) => overlays::confirm_all(f, app, theme, area, &c.plan),
        Some(Overlay::Info(i)) => info::overlay(f, app, theme, side_area, i.row, i.scroll),
        _ => {}
    }
}

/// A bordered panel with the theme's border style.
pub(crate) fn panel<'a>(theme: &Theme, title: &'a str, focus: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_set(theme.border_set())
        .border_style(theme.style(if focus {
            Slot::BorderFocus
        } else {
            Slot::Border
        }))
        .title(Line::styled(format!(" {title} "), theme.style(Slot::Title)))
}

/// A rectangle of `w` x `h` centred in `area` (clamped).
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
