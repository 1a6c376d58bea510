//! The one-line prompts: `:` (jump to a document or paragraph) and `f` (text search). Typed
//! characters go into the input; Enter hands it to the app, Esc closes.

use super::{Command, Outcome};
use crate::action::Action;

/// Which prompt this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptKind {
    Jump,
    Find,
}

/// A prompt and what is typed into it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prompt {
    pub kind: PromptKind,
    pub input: String,
}

impl Prompt {
    /// An empty jump prompt.
    pub fn jump() -> Prompt {
        Prompt {
            kind: PromptKind::Jump,
            input: String::new(),
        }
    }

    /// The search prompt, holding `current` (the search being followed, to edit).
    pub fn find(current: String) -> Prompt {
        Prompt {
            kind: PromptKind::Find,
            input: current,
        }
    }

    pub fn handle(&mut self, action: Action) -> Outcome {
        match action {
            Action::Cancel => Outcome::close(),
            Action::Backspace => {
                self.input.pop();
                Outcome::stay()
            }
            Action::Accept => {
                let input = std::mem::take(&mut self.input);
                Outcome::close_with(match self.kind {
                    PromptKind::Jump => Command::Jump(input),
                    PromptKind::Find => Command::Find(input),
                })
            }
            _ => Outcome::stay(),
        }
    }
}
