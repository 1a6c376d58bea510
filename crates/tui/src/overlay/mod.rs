//! The overlays of the coding screen as components. Each holds its own state and answers an
//! [`Action`] with an [`Outcome`]: whether it stays open, and at most one [`Command`] for the
//! app to carry out (go to a paragraph, toggle a node, save a memo, run a search). An overlay
//! never touches the app's state itself; `App::update` routes an action to the open overlay
//! or, with none open, to the coding screen, and carries out what the overlay asked for.
//!
//! May import: `action`, `keymap` (`KeyMode`), `find` (`CodeAll`), `picker`, `review`, the
//! core's types. Never `app`: the router knows the components, not the other way round.

mod answer;
mod memo;
mod prompt;
mod scroll;

pub use answer::{ConfirmAll, Score};
pub use memo::Memo;
pub use prompt::{Prompt, PromptKind};
pub use scroll::{Help, InfoView, StatsView};

use crossterm::event::KeyEvent;

use super::action::Action;
use super::keymap::KeyMode;
use super::picker::Picker;
use super::review::Review;

/// What an overlay needs to know of the screen under it.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// Suggestion rows of the paragraph under the cursor (the definition view walks them).
    pub rows: usize,
}

/// What the app is asked to do on an overlay's behalf.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Move the cursor to the unit of this paragraph id (review's Enter).
    GoToParagraph(String),
    /// Resolve and follow a jump target (`12`, `03#5`, `beijing`).
    Jump(String),
    /// Run this text search; its hits become the queue.
    Find(String),
    /// Toggle this codebook node on the paragraph (picked in the picker).
    ToggleNode(usize),
    /// Code every hit of the text search at this node, after the confirmation.
    PlanCodeAll(usize),
    /// The answer to the confirmation of "code all hits".
    AnswerCodeAll(super::find::CodeAll, bool),
    /// Toggle suggestion row k (1-based), from the definition view.
    ToggleRow(u8),
    /// Save this memo text (trimmed) on the paragraph.
    SaveMemo(String),
    /// Score the paragraph with this digit, or `None`: the score prompt was cancelled.
    Score(Option<i32>),
    /// Tallies: next metric.
    CycleMetric,
    /// Tallies: parents only, or with their children.
    ToggleExpand,
}

/// An overlay's answer to an action.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The overlay stays open.
    pub open: bool,
    pub command: Option<Command>,
}

impl Outcome {
    /// Stays open, nothing for the app.
    pub fn stay() -> Outcome {
        Outcome {
            open: true,
            command: None,
        }
    }

    /// Closes, nothing for the app.
    pub fn close() -> Outcome {
        Outcome {
            open: false,
            command: None,
        }
    }

    /// Stays open and asks the app for `c`.
    pub fn stay_with(c: Command) -> Outcome {
        Outcome {
            open: true,
            command: Some(c),
        }
    }

    /// Closes and asks the app for `c`.
    pub fn close_with(c: Command) -> Outcome {
        Outcome {
            open: false,
            command: Some(c),
        }
    }
}

/// A filtered list with a selection: the node picker and review share their list keys.
pub trait List {
    /// Moves the selection by `delta`, clamped to the list.
    fn step(&mut self, delta: isize);
    /// Deletes the last character of the filter.
    fn pop(&mut self);
}

/// The keys every [`List`] answers alike (Esc, down, up, backspace); `None` for the others.
pub fn list_key(list: &mut impl List, action: Action) -> Option<Outcome> {
    match action {
        Action::Cancel => return Some(Outcome::close()),
        Action::Down => list.step(1),
        Action::Up => list.step(-1),
        Action::Backspace => list.pop(),
        _ => return None,
    }
    Some(Outcome::stay())
}

/// The overlay that has the keys, if any (none: the coding screen has them).
#[derive(Debug)]
pub enum Overlay {
    Picker(Box<Picker>),
    /// The `:` jump prompt or the `f` text search prompt.
    Prompt(Prompt),
    /// "Code all hits": waiting for `y`.
    ConfirmAll(ConfirmAll),
    /// Waiting for the digit after `s`.
    Score(Score),
    Memo(Box<Memo>),
    Help(Help),
    Review(Box<Review>),
    Stats(StatsView),
    /// The definition of a suggestion row's node.
    Info(InfoView),
}

impl Overlay {
    /// The keymap section that handles keys in this overlay.
    pub fn key_mode(&self) -> KeyMode {
        match self {
            Overlay::Score(_) | Overlay::ConfirmAll(_) => KeyMode::Normal,
            Overlay::Picker(_) => KeyMode::Picker,
            Overlay::Prompt(_) => KeyMode::Prompt,
            Overlay::Memo(_) => KeyMode::Memo,
            Overlay::Help(_) => KeyMode::Help,
            Overlay::Review(_) => KeyMode::Review,
            Overlay::Stats(_) => KeyMode::Stats,
            Overlay::Info(_) => KeyMode::Info,
        }
    }

    /// A key the overlay takes before the keymap sees it (the answer to a question, a digit);
    /// `None` leaves it to the keymap.
    pub fn raw_key(&mut self, ev: &KeyEvent) -> Option<Outcome> {
        match self {
            Overlay::ConfirmAll(c) => Some(c.key(ev)),
            Overlay::Score(s) => Some(s.key(ev)),
            _ => None,
        }
    }

    /// Handles an action mapped from a key through [`Overlay::key_mode`]'s keymap section.
    pub fn handle(&mut self, action: Action, ctx: &Ctx) -> Outcome {
        match self {
            Overlay::Picker(p) => p.handle(action),
            Overlay::Prompt(p) => p.handle(action),
            // Their keys never reach the keymap (see `raw_key`).
            Overlay::ConfirmAll(_) | Overlay::Score(_) => Outcome::stay(),
            Overlay::Memo(m) => m.handle(action),
            Overlay::Help(h) => h.handle(action),
            Overlay::Review(r) => r.handle(action),
            Overlay::Stats(s) => s.handle(action),
            Overlay::Info(i) => i.handle(action, ctx),
        }
    }

    /// A printable character no binding took: typed into a query, a prompt or (for the
    /// definition view) a digit naming a suggestion row.
    pub fn type_char(&mut self, c: char, ctx: &Ctx) {
        match self {
            Overlay::Picker(p) => p.push(c),
            Overlay::Prompt(p) => p.input.push(c),
            Overlay::Review(r) => r.push(c),
            Overlay::Info(i) => i.digit(c, ctx),
            _ => {}
        }
    }
}
