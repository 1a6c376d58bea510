//! Every user-facing action, one variant each with a doc line; the help screen and the keymap
//! config are generated from [`Action::ALL`].

/// What a key can do. Names (kebab-case) are used in the keymap YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Toggle suggestion k (1–9) on this paragraph.
    Toggle(u8),
    /// Confirm and move to the next paragraph to code (with nothing chosen, confirms the
    /// predicted set, or "no code" when that is predicted).
    Confirm,
    /// Mark this paragraph explicitly as "no code" (toggle).
    NoCode,
    /// Open the fuzzy node picker.
    OpenPicker,
    /// Next paragraph.
    Next,
    /// Previous paragraph.
    Prev,
    /// Next uncoded paragraph (in a text search: next hit).
    NextUncoded,
    /// Previous uncoded paragraph (in a text search: previous hit).
    PrevUncoded,
    /// Text search over every paragraph; its hits become the coding queue.
    Find,
    /// Leave the text search: back to the normal order.
    EndFind,
    /// Code every hit of the text search at one node (after a confirmation).
    CodeAllHits,
    /// Next document.
    NextDoc,
    /// Previous document.
    PrevDoc,
    /// First paragraph of the corpus.
    First,
    /// Last paragraph of the corpus.
    Last,
    /// Jump to a document or paragraph (`:12`, `:03#5`, `:beijing`).
    JumpPrompt,
    /// Undo the last decision (recorded like any decision).
    Undo,
    /// Redo the last undone decision.
    Redo,
    /// Write or edit this paragraph's memo.
    Memo,
    /// Rubric score: press a digit next.
    ScorePrompt,
    /// Tallies: cycle references / documents / coverage.
    TallyMetric,
    /// Tallies: show parents only or parents with their children.
    TallyExpand,
    /// Stats screen: bar charts of tool use by region.
    Stats,
    /// Review earlier decisions (filter, jump, recode).
    Review,
    /// A node's definition, include and exclude notes and an example: the suggestion rows on
    /// the coding screen, the highlighted node in the picker (where it toggles a details pane).
    Info,
    /// Show help.
    Help,
    /// Quit (everything is already saved).
    Quit,
    /// Close the current overlay or cancel the prompt.
    Cancel,
    /// Accept in a list or prompt (picker: toggle and close).
    Accept,
    /// Toggle the highlighted node and stay open (picker, definition view).
    Mark,
    /// Move the selection down in a list.
    Down,
    /// Move the selection up in a list.
    Up,
    /// Delete the last character of a query.
    Backspace,
    /// Scroll a long paragraph or screen down.
    ScrollDown,
    /// Scroll a long paragraph or screen up.
    ScrollUp,
}

impl Action {
    /// Every action, in help order (Toggle once, standing for 1–9).
    pub const ALL: &'static [Action] = &[
        Action::Toggle(1),
        Action::Confirm,
        Action::NoCode,
        Action::OpenPicker,
        Action::Next,
        Action::Prev,
        Action::NextUncoded,
        Action::PrevUncoded,
        Action::Find,
        Action::EndFind,
        Action::CodeAllHits,
        Action::NextDoc,
        Action::PrevDoc,
        Action::First,
        Action::Last,
        Action::JumpPrompt,
        Action::Undo,
        Action::Redo,
        Action::Memo,
        Action::ScorePrompt,
        Action::TallyMetric,
        Action::TallyExpand,
        Action::Stats,
        Action::Review,
        Action::Info,
        Action::Help,
        Action::Quit,
        Action::Cancel,
        Action::Accept,
        Action::Mark,
        Action::Down,
        Action::Up,
        Action::Backspace,
        Action::ScrollDown,
        Action::ScrollUp,
    ];

    /// The kebab-case name used in keymap files (`toggle-3`, `next-uncoded`).
    pub fn name(self) -> String {
        let s = match self {
            Action::Toggle(k) => return format!("toggle-{k}"),
            Action::Confirm => "confirm",
            Action::NoCode => "no-code",
            Action::OpenPicker => "open-picker",
            Action::Next => "next",
            Action::Prev => "prev",
            Action::NextUncoded => "next-uncoded",
            Action::PrevUncoded => "prev-uncoded",
            Action::Find => "find",
            Action::EndFind => "end-find",
            Action::CodeAllHits => "code-all-hits",
            Action::NextDoc => "next-doc",
            Action::PrevDoc => "prev-doc",
            Action::First => "first",
            Action::Last => "last",
            Action::JumpPrompt => "jump",
            Action::Undo => "undo",
            Action::Redo => "redo",
            Action::Memo => "memo",
            Action::ScorePrompt => "score",
            Action::TallyMetric => "tally-metric",
            Action::TallyExpand => "tally-expand",
            Action::Stats => "stats",
            Action::Review => "review",
            Action::Info => "info",
            Action::Help => "help",
            Action::Quit => "quit",
            Action::Cancel => "cancel",
            Action::Accept => "accept",
            Action::Mark => "mark",
            Action::Down => "down",
            Action::Up => "up",
            Action::Backspace => "backspace",
            Action::ScrollDown => "scroll-down",
            Action::ScrollUp => "scroll-up",
        };
        s.to_string()
    }

    /// Parses a keymap action name.
    pub fn from_name(name: &str) -> Option<Action> {
        if let Some(k) = name.strip_prefix("toggle-") {
            return match k.parse::<u8>() {
                Ok(k @ 1..=9) => Some(Action::Toggle(k)),
                _ => None,
            };
        }
        Action::ALL
            .iter()
            .copied()
            .find(|a| !matches!(a, Action::Toggle(_)) && a.name() == name)
    }

    /// One-line description for the help screen.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Toggle(_) => "toggle suggestion 1-9 on this paragraph",
            Action::Confirm => "go on; with none chosen, take the * rows (or no code)",
            Action::NoCode => "mark \"no code\" explicitly",
            Action::OpenPicker => "pick nodes by fuzzy search (id, English, Chinese)",
            Action::Next => "next paragraph",
            Action::Prev => "previous paragraph",
            Action::NextUncoded => "next uncoded paragraph (in a text search: next hit)",
            Action::PrevUncoded => "previous uncoded paragraph (in a text search: previous hit)",
            Action::Find => "text search: its hits become the queue (literal, a|b, -w, -r, -s)",
            Action::EndFind => "leave the text search: back to the normal order",
            Action::CodeAllHits => "code every hit of the text search at one node (asks first)",
            Action::NextDoc => "next document",
            Action::PrevDoc => "previous document",
            Action::First => "first paragraph",
            Action::Last => "last paragraph",
            Action::JumpPrompt => "jump to document or paragraph",
            Action::Undo => "undo last decision (saved)",
            Action::Redo => "redo (saved)",
            Action::Memo => "memo for this paragraph",
            Action::ScorePrompt => "rubric score, then a digit",
            Action::TallyMetric => "tallies: references / documents / coverage",
            Action::TallyExpand => "tallies: parents / children",
            Action::Stats => "stats screen: bar charts by region",
            Action::Review => "review earlier decisions",
            Action::Info => "definition, include/exclude notes, example of a node",
            Action::Help => "this help",
            Action::Quit => "quit (everything is already saved)",
            Action::Cancel => "close / cancel",
            Action::Accept => "accept",
            Action::Mark => "toggle and stay (picker, definition)",
            Action::Down => "move down",
            Action::Up => "move up",
            Action::Backspace => "delete a character",
            Action::ScrollDown => "scroll down",
            Action::ScrollUp => "scroll up",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(*a), "{a:?}");
        }
        assert_eq!(Action::from_name("toggle-9"), Some(Action::Toggle(9)));
        assert_eq!(Action::from_name("toggle-0"), None);
        assert_eq!(Action::from_name("nope"), None);
    }
}
