//! The read-only screens: help (scrolls), the stats screen (tallies' metric and expansion),
//! and the definition view of the suggestion rows' nodes (row, scroll; toggles a row).

use super::{Command, Ctx, Outcome};
use crate::action::Action;

/// The help screen, scrolled by `scroll` lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Help {
    pub scroll: u16,
}

impl Help {
    pub fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Down => self.scroll = self.scroll.saturating_add(1),
            Action::Up => self.scroll = self.scroll.saturating_sub(1),
            Action::Cancel => return Outcome::close(),
            _ => {}
        }
        Outcome::stay()
    }
}

/// The stats screen: bar charts of the tallies (whose metric and expansion are the app's, so
/// the side panel shows the same).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatsView {
    /// The sample's agreement line, computed when the screen opened (sample sessions).
    pub sample_line: Option<String>,
}

impl StatsView {
    pub fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel => Outcome::close(),
            Action::TallyMetric => Outcome::stay_with(Command::CycleMetric),
            Action::TallyExpand => Outcome::stay_with(Command::ToggleExpand),
            _ => Outcome::stay(),
        }
    }
}

/// The definition of the node on suggestion row `row` (0-based), scrolled by `scroll`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InfoView {
    pub row: usize,
    pub scroll: u16,
}

impl InfoView {
    pub fn handle(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        let last = ctx.rows.saturating_sub(1);
        match action {
            Action::Cancel => return Outcome::close(),
            Action::Down => (self.row, self.scroll) = ((self.row + 1).min(last), 0),
            Action::Up => (self.row, self.scroll) = (self.row.saturating_sub(1), 0),
            Action::ScrollDown => self.scroll = self.scroll.saturating_add(3),
            Action::ScrollUp => self.scroll = self.scroll.saturating_sub(3),
            Action::Mark => return Outcome::stay_with(Command::ToggleRow(self.row as u8 + 1)),
            _ => {}
        }
        Outcome::stay()
    }

    /// A digit shows that suggestion row, as the screen names it.
    pub fn digit(&mut self, c: char, ctx: &Ctx) {
        if let Some(k) = c.to_digit(10).filter(|&k| k >= 1) {
            let k = k as usize - 1;
            if k < ctx.rows {
                (self.row, self.scroll) = (k, 0);
            }
        }
    }
}
