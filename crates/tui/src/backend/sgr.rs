//! SGR ("select graphic rendition") output: the pen is the style the terminal applies to the
//! text it prints next. ratatui's crossterm backend sends one sequence per changed modifier and
//! another with both colours whenever either changes; here a pen change is a single
//! `ESC[…m` with only the parameters that differ — or a reset plus the new style, when that is
//! shorter. Colour parameters are crossterm's own (`38;5;3`, not `33`), so every colour looks
//! exactly as before, bold included (some terminals brighten bold only for the `30`–`37` form).

use ratatui::backend::IntoCrossterm;
use ratatui::buffer::Cell;
use ratatui::crossterm::style::Colored;
use ratatui::style::{Color, Modifier};

/// The terminal's current text style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pen {
    pub fg: Color,
    pub bg: Color,
    pub underline: Color,
    pub modifier: Modifier,
}

impl Pen {
    /// The pen that prints `cell`.
    pub fn of(cell: &Cell) -> Pen {
        Pen {
            fg: cell.fg,
            bg: cell.bg,
            underline: cell.underline_color,
            modifier: cell.modifier,
        }
    }
}

/// Appends to `out` the shortest sequence that turns pen `from` into `to` (nothing if equal).
pub fn change(from: Pen, to: Pen, out: &mut Vec<u8>) {
    if from == to {
        return;
    }
    let mut diff = String::new();
    push_diff(from, to, &mut diff);
    if diff.is_empty() {
        // Only colours changed and NO_COLOR suppresses them.
        return;
    }
    // `ESC[m` is a full reset (SGR 0); a reset followed by the new style may beat the diff.
    let mut fresh = String::new();
    push_diff(Pen::default(), to, &mut fresh);
    let params = if fresh.is_empty() {
        fresh
    } else if fresh.len() + 2 < diff.len() {
        format!("0;{fresh}")
    } else {
        diff
    };
    out.extend_from_slice(b"\x1b[");
    out.extend_from_slice(params.as_bytes());
    out.push(b'm');
}

/// Length in bytes of [`change`]'s output.
pub fn cost(from: Pen, to: Pen) -> usize {
    let mut v = Vec::new();
    change(from, to, &mut v);
    v.len()
}

/// The SGR parameters that turn `from` into `to`, `;`-separated.
fn push_diff(from: Pen, to: Pen, p: &mut String) {
    push_modifiers(from.modifier, to.modifier, p);
    if from.fg != to.fg {
        push(
            p,
            &Colored::ForegroundColor(to.fg.into_crossterm()).to_string(),
        );
    }
    if from.bg != to.bg {
        push(
            p,
            &Colored::BackgroundColor(to.bg.into_crossterm()).to_string(),
        );
    }
    if from.underline != to.underline {
        push(
            p,
            &Colored::UnderlineColor(to.underline.into_crossterm()).to_string(),
        );
    }
}

/// Modifier parameters. Bold and dim share one "off" code (22), as do the two blinks (25), so
/// after one of those the ones still wanted are set again.
fn push_modifiers(from: Modifier, to: Modifier, p: &mut String) {
    let removed = from - to;
    let added = to - from;
    let shared_off = [
        (
            Modifier::BOLD | Modifier::DIM,
            "22",
            [(Modifier::BOLD, "1"), (Modifier::DIM, "2")],
        ),
        (
            Modifier::SLOW_BLINK | Modifier::RAPID_BLINK,
            "25",
            [(Modifier::SLOW_BLINK, "5"), (Modifier::RAPID_BLINK, "6")],
        ),
    ];
    for (group, off, members) in shared_off {
        let wanted = if removed.intersects(group) {
            push(p, off);
            to
        } else {
            added
        };
        for (m, on) in members {
            if wanted.contains(m) {
                push(p, on);
            }
        }
    }
    let single = [
        (Modifier::ITALIC, "3", "23"),
        (Modifier::UNDERLINED, "4", "24"),
        (Modifier::REVERSED, "7", "27"),
        (Modifier::HIDDEN, "8", "28"),
        (Modifier::CROSSED_OUT, "9", "29"),
    ];
    for (m, on, off) in single {
        if added.contains(m) {
            push(p, on);
        } else if removed.contains(m) {
            push(p, off);
        }
    }
}

fn push(p: &mut String, param: &str) {
    if param.is_empty() {
        return;
    }
    if !p.is_empty() {
        p.push(';');
    }
    p.push_str(param);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seq(from: Pen, to: Pen) -> String {
        let mut v = Vec::new();
        change(from, to, &mut v);
        String::from_utf8(v).unwrap().replace('\x1b', "^")
    }

    fn pen(fg: Color, bg: Color, modifier: Modifier) -> Pen {
        Pen {
            fg,
            bg,
            underline: Color::Reset,
            modifier,
        }
    }

    #[test]
    fn a_change_is_one_sequence_with_only_what_changed() {
        let plain = Pen::default();
        let matched = pen(Color::Yellow, Color::Reset, Modifier::BOLD);
        assert_eq!(seq(plain, matched), "^[1;38;5;3m");
        assert_eq!(seq(matched, plain), "^[m");
        let selected = pen(Color::Black, Color::Cyan, Modifier::empty());
        let selected_match = pen(Color::Yellow, Color::Cyan, Modifier::BOLD);
        assert_eq!(seq(selected, selected_match), "^[1;38;5;3m");
        assert_eq!(seq(selected_match, selected), "^[22;38;5;0m");
        assert_eq!(seq(plain, plain), "");
    }

    #[test]
    fn shared_off_codes_restore_the_attributes_still_wanted() {
        // Coloured, so that a reset plus the whole style is the longer way.
        let (fg, bg) = (Color::Red, Color::Blue);
        let bold_dim = pen(fg, bg, Modifier::BOLD | Modifier::DIM);
        let bold_italic = pen(fg, bg, Modifier::BOLD | Modifier::ITALIC);
        assert_eq!(seq(bold_dim, bold_italic), "^[22;1;3m");
        let both = pen(fg, bg, Modifier::SLOW_BLINK | Modifier::RAPID_BLINK);
        let rapid = pen(fg, bg, Modifier::RAPID_BLINK);
        assert_eq!(seq(both, rapid), "^[25;6m");
        // Without colours the reset is as short, and is taken.
        let plain = |m| pen(Color::Reset, Color::Reset, m);
        assert_eq!(
            seq(plain(Modifier::BOLD | Modifier::DIM), plain(Modifier::BOLD)),
            "^[0;1m"
        );
    }

    #[test]
    fn a_reset_is_used_when_it_is_shorter() {
        let busy = pen(
            Color::Red,
            Color::Blue,
            Modifier::BOLD | Modifier::ITALIC | Modifier::UNDERLINED,
        );
        let red = pen(Color::Red, Color::Reset, Modifier::empty());
        assert_eq!(seq(busy, red), "^[0;38;5;1m");
    }
}
