//! The fuzzy node picker: the query, the result list and the selection. The search itself —
//! fzf-style queries over node ids, English and Chinese names, scored by nucleo-matcher — is
//! the core's [`NodeSearch`], the same one `polcode eval` counts picker keys with, so the two
//! cannot drift apart.

use polcode_core::codebook::search::{Hit, NodeSearch};
use polcode_core::codebook::Codebook;

use super::action::Action;
use super::overlay::{list_key, Command, List, Outcome};

/// One row of the picker's result list: a node, its score, and the character indices of its
/// `haystack` that matched (for highlighting).
pub type PickItem = Hit;

/// Picker state: the query, the filtered list and the selection.
pub struct Picker {
    pub query: String,
    pub items: Vec<PickItem>,
    pub selected: usize,
    /// The details pane (definition, notes, example of the highlighted node) is open.
    pub details: bool,
    /// Picking the node every hit of the text search is to be coded at ("code all hits"):
    /// accepting asks for confirmation instead of toggling the node here.
    pub for_all_hits: bool,
    search: NodeSearch,
}

impl std::fmt::Debug for Picker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Picker")
            .field("query", &self.query)
            .field("items", &self.items.len())
            .field("selected", &self.selected)
            .finish()
    }
}

impl Picker {
    /// A picker over every node of `codebook`, with an empty query (all nodes, codebook order).
    pub fn new(codebook: &Codebook) -> Picker {
        let mut p = Picker {
            query: String::new(),
            items: Vec::new(),
            selected: 0,
            details: false,
            for_all_hits: false,
            search: NodeSearch::new(codebook),
        };
        p.refilter();
        p
    }

    /// The searchable text of a node.
    pub fn haystack(&self, node: usize) -> &str {
        self.search.haystack(node)
    }

    /// Re-runs the query. Empty query lists every node in codebook order; otherwise best score
    /// first, codebook order between ties, so the list is stable while typing.
    pub fn refilter(&mut self) {
        self.items = self.search.search(&self.query);
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
    }

    /// Types one character into the query.
    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.selected = 0;
        self.refilter();
    }

    /// Deletes the last query character.
    pub fn pop(&mut self) {
        self.query.pop();
        self.selected = 0;
        self.refilter();
    }

    /// Moves the selection by `delta`, clamped to the list.
    pub fn step(&mut self, delta: isize) {
        if self.items.is_empty() {
            return;
        }
        let max = self.items.len() as isize - 1;
        self.selected = (self.selected as isize + delta).clamp(0, max) as usize;
    }

    /// The highlighted node.
    pub fn current(&self) -> Option<usize> {
        self.items.get(self.selected).map(|i| i.node)
    }

    /// The picker as an overlay: Enter toggles the highlighted node and closes, "mark"
    /// toggles it and stays; picking for "code all hits" closes either way and asks for the
    /// confirmation.
    pub fn handle(&mut self, action: Action) -> Outcome {
        if let Some(out) = list_key(self, action) {
            return out;
        }
        match action {
            Action::Info => {
                self.details = !self.details;
                Outcome::stay()
            }
            Action::Accept | Action::Mark => {
                let command = self.current().map(|n| match self.for_all_hits {
                    true => Command::PlanCodeAll(n),
                    false => Command::ToggleNode(n),
                });
                let open = action == Action::Mark && !self.for_all_hits;
                Outcome { open, command }
            }
            _ => Outcome::stay(),
        }
    }
}

impl List for Picker {
    fn step(&mut self, delta: isize) {
        Picker::step(self, delta)
    }
    fn pop(&mut self) {
        Picker::pop(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    fn cb() -> Codebook {
        polcode_core::codebook::search::three_nodes()
    }

    #[test]
    fn finds_by_id_english_and_chinese() {
        let mut p = Picker::new(&cb());
        assert_eq!(p.items.len(), 3);
        for c in "tax".chars() {
            p.push(c);
        }
        assert_eq!(p.current(), Some(1));
        p.query.clear();
        for c in "场景".chars() {
            p.push(c);
        }
        assert_eq!(p.current(), Some(2));
        assert!(!p.items[0].matched.is_empty());
        p.query = "sup hum".into();
        p.refilter();
        assert_eq!(p.current(), Some(0));
        p.query = "zzzz".into();
        p.refilter();
        assert_eq!(p.current(), None);
    }
}
