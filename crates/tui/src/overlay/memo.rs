//! The memo editor: a multi-line text area (ratatui-textarea) over the paragraph's memo.
//! Every key but the one bound to "accept" is the text area's; accept saves and closes.

use crossterm::event::KeyEvent;
use ratatui_textarea::{CursorMove, TextArea};

use super::{Command, Outcome};
use crate::action::Action;

/// The memo being written, the cursor at its end.
#[derive(Debug)]
pub struct Memo {
    pub area: TextArea<'static>,
}

impl Memo {
    /// Opens the editor on `memo` (empty for a paragraph without one).
    pub fn new(memo: &str) -> Memo {
        let lines: Vec<String> = memo.lines().map(str::to_string).collect();
        let mut area = if lines.is_empty() {
            TextArea::default()
        } else {
            TextArea::new(lines)
        };
        area.move_cursor(CursorMove::Bottom);
        area.move_cursor(CursorMove::End);
        Memo { area }
    }

    /// A key typed into the text.
    pub fn input(&mut self, ev: KeyEvent) {
        self.area.input(ev);
    }

    /// Accept saves (the text with trailing whitespace cut) and closes; nothing else is an
    /// action here.
    pub fn handle(&mut self, action: Action) -> Outcome {
        if action != Action::Accept {
            return Outcome::stay();
        }
        let text = self.area.lines().join("\n");
        Outcome::close_with(Command::SaveMemo(text.trim_end().to_string()))
    }
}
