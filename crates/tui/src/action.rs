//! Every user-facing action, declared once in the `actions!` table below: each variant with
//! its doc line, its kebab-case keymap name and its help-screen description. The enum,
//! [`Action::ALL`] (help order), [`Action::name`], [`Action::from_name`] and
//! [`Action::describe`] are generated from that one list, so the help screen and the keymap
//! config cannot drift from the enum.

/// Declares [`Action`] from one table, each entry `Variant => "name", "help description",`
/// under its `///` doc line. The first entry is the numbered family `Toggle(1..=9) => "toggle-",
/// …;` whose names are the prefix followed by k (`toggle-3`); it stands once in `ALL`, as
/// `Toggle(1)`, for all of them.
macro_rules! actions {
    (
        $(#[doc = $fdoc:expr])*
        $family:ident($lo:literal..=$hi:literal) => $prefix:literal, $fdesc:literal;
        $($(#[doc = $doc:expr])* $action:ident => $name:literal, $desc:literal,)*
    ) => {
        /// What a key can do. Names (kebab-case) are used in the keymap YAML.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action {
            $(#[doc = $fdoc])*
            $family(u8),
            $($(#[doc = $doc])* $action,)*
        }

        impl Action {
            /// Every action, in help order (Toggle once, standing for 1–9).
            pub const ALL: &'static [Action] = &[Action::$family($lo), $(Action::$action,)*];

            /// The kebab-case name used in keymap files (`toggle-3`, `next-uncoded`).
            pub fn name(self) -> String {
                match self {
                    Action::$family(k) => format!("{}{k}", $prefix),
                    $(Action::$action => $name.to_string(),)*
                }
            }

            /// Parses a keymap action name.
            pub fn from_name(name: &str) -> Option<Action> {
                if let Some(k) = name.strip_prefix($prefix) {
                    return match k.parse::<u8>() {
                        Ok(k @ $lo..=$hi) => Some(Action::$family(k)),
                        _ => None,
                    };
                }
                match name {
                    $($name => Some(Action::$action),)*
                    _ => None,
                }
            }

            /// One-line description for the help screen.
            pub fn describe(self) -> &'static str {
                match self {
                    Action::$family(_) => $fdesc,
                    $(Action::$action => $desc,)*
                }
            }
        }
    };
}

actions! {
    /// Toggle suggestion k (1–9) on this paragraph.
    Toggle(1..=9) => "toggle-", "toggle suggestion 1-9 on this paragraph";
    /// Confirm and move to the next paragraph to code (with nothing chosen, confirms the
    /// predicted set, or "no code" when that is predicted).
    Confirm => "confirm", "go on; with none chosen, take the * rows (or no code)",
    /// Mark this paragraph explicitly as "no code" (toggle).
    NoCode => "no-code", "mark \"no code\" explicitly",
    /// Open the fuzzy node picker.
    OpenPicker => "open-picker", "pick nodes by fuzzy search (id, English, Chinese)",
    /// Next paragraph.
    Next => "next", "next paragraph",
    /// Previous paragraph.
    Prev => "prev", "previous paragraph",
    /// Next uncoded paragraph (in a text search: next hit).
    NextUncoded => "next-uncoded", "next uncoded paragraph (in a text search: next hit)",
    /// Previous uncoded paragraph (in a text search: previous hit).
    PrevUncoded => "prev-uncoded", "previous uncoded paragraph (in a text search: previous hit)",
    /// Text search over every paragraph; its hits become the coding queue.
    Find => "find", "text search: its hits become the queue (literal, a|b, -w, -r, -s)",
    /// Leave the text search: back to the normal order.
    EndFind => "end-find", "leave the text search: back to the normal order",
    /// Code every hit of the text search at one node (after a confirmation).
    CodeAllHits => "code-all-hits", "code every hit of the text search at one node (asks first)",
    /// Next document.
    NextDoc => "next-doc", "next document",
    /// Previous document.
    PrevDoc => "prev-doc", "previous document",
    /// First paragraph of the corpus.
    First => "first", "first paragraph",
    /// Last paragraph of the corpus.
    Last => "last", "last paragraph",
    /// Jump to a document or paragraph (`:12`, `:03#5`, `:beijing`).
    JumpPrompt => "jump", "jump to document or paragraph",
    /// Undo the last decision (recorded like any decision).
    Undo => "undo", "undo last decision (saved)",
    /// Redo the last undone decision.
    Redo => "redo", "redo (saved)",
    /// Write or edit this paragraph's memo.
    Memo => "memo", "memo for this paragraph",
    /// Rubric score: press a digit next.
    ScorePrompt => "score", "rubric score, then a digit",
    /// Tallies: cycle references / documents / coverage.
    TallyMetric => "tally-metric", "tallies: references / documents / coverage",
    /// Tallies: show parents only or parents with their children.
    TallyExpand => "tally-expand", "tallies: parents / children",
    /// Stats screen: bar charts of tool use by region.
    Stats => "stats", "stats screen: bar charts by region",
    /// Review earlier decisions (filter, jump, recode).
    Review => "review", "review earlier decisions",
    /// A node's definition, include and exclude notes and an example: the suggestion rows on
    /// the coding screen, the highlighted node in the picker (where it toggles a details pane).
    Info => "info", "definition, include/exclude notes, example of a node",
    /// Show help.
    Help => "help", "this help",
    /// Quit (everything is already saved).
    Quit => "quit", "quit (everything is already saved)",
    /// Close the current overlay or cancel the prompt.
    Cancel => "cancel", "close / cancel",
    /// Accept in a list or prompt (picker: toggle and close).
    Accept => "accept", "accept",
    /// Toggle the highlighted node and stay open (picker, definition view).
    Mark => "mark", "toggle and stay (picker, definition)",
    /// Move the selection down in a list.
    Down => "down", "move down",
    /// Move the selection up in a list.
    Up => "up", "move up",
    /// Delete the last character of a query.
    Backspace => "backspace", "delete a character",
    /// Scroll a long paragraph or screen down.
    ScrollDown => "scroll-down", "scroll down",
    /// Scroll a long paragraph or screen up.
    ScrollUp => "scroll-up", "scroll up",
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_round_trip() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(&a.name()), Some(*a), "{a:?}");
        }
        for k in 1..=9 {
            let a = Action::Toggle(k);
            assert_eq!(Action::from_name(&a.name()), Some(a));
        }
        assert_eq!(Action::from_name("toggle-9"), Some(Action::Toggle(9)));
        assert_eq!(Action::from_name("toggle-0"), None);
        assert_eq!(Action::from_name("toggle-10"), None);
        assert_eq!(Action::from_name("toggle-"), None);
        assert_eq!(Action::from_name("nope"), None);
    }

    /// Every name a keymap file can use is one action's (the nine toggles included), and every
    /// action in the help has something to say.
    #[test]
    fn names_distinct_and_descriptions_present() {
        let mut seen = HashSet::new();
        let plain = Action::ALL
            .iter()
            .copied()
            .filter(|a| !matches!(a, Action::Toggle(_)));
        for a in plain.chain((1..=9).map(Action::Toggle)) {
            assert!(seen.insert(a.name()), "{a:?}: name {} used twice", a.name());
            assert!(!a.describe().trim().is_empty(), "{a:?} has no description");
        }
    }

    /// A few names and descriptions that keymap files and the help screen rely on, byte for
    /// byte, and the family standing first in the help.
    #[test]
    fn names_and_descriptions_pinned() {
        assert_eq!(Action::ALL.first(), Some(&Action::Toggle(1)));
        assert_eq!(Action::Toggle(3).name(), "toggle-3");
        assert_eq!(Action::JumpPrompt.name(), "jump");
        assert_eq!(Action::ScorePrompt.name(), "score");
        assert_eq!(Action::NoCode.describe(), "mark \"no code\" explicitly");
        assert_eq!(
            Action::Toggle(7).describe(),
            "toggle suggestion 1-9 on this paragraph"
        );
    }
}
