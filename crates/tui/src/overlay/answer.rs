//! The two one-key questions: "code all hits?" (`y` codes, any other key cancels) and the
//! rubric score's digit (a digit scores, any other key cancels). Both take the raw key, before
//! the keymap: the answer is the key itself, whatever it is bound to.

use crossterm::event::{KeyCode, KeyEvent};

use super::{Command, Outcome};
use crate::find::CodeAll;

/// The confirmation of "code all hits", with what it is about to do.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfirmAll {
    pub plan: CodeAll,
}

impl ConfirmAll {
    /// Any key answers and closes: `y` (or `Y`) is yes.
    pub fn key(&mut self, ev: &KeyEvent) -> Outcome {
        let yes = matches!(ev.code, KeyCode::Char('y' | 'Y'));
        Outcome::close_with(Command::AnswerCodeAll(self.plan.clone(), yes))
    }
}

/// Waiting for the digit of a rubric score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Score;

impl Score {
    /// A digit scores; any other key cancels. Either way the prompt closes.
    pub fn key(&mut self, ev: &KeyEvent) -> Outcome {
        let value = match ev.code {
            KeyCode::Char(c @ '0'..='9') => Some(c as i32 - '0' as i32),
            _ => None,
        };
        Outcome::close_with(Command::Score(value))
    }
}
