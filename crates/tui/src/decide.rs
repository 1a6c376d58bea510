//! Decisions on the paragraph under the cursor: toggling suggestions and picked nodes, the
//! no-code mark, rubric scores, memos, confirm-and-advance, and undo/redo. Each change becomes
//! an [`Effect::Record`] carrying its continuation (the undo step it forms and where the cursor
//! goes after); the codings live in the store, and the tallies, learning, history and the move
//! on after a confirm change only in `App::recorded`, once [`App::carry_out`] has made the
//! decisions durable. Undo and redo are the exception for the cursor: they first move it to the step's
//! (first) paragraph, so the coder sees where the change lands while it is being saved. No
//! clock is read here: the store stamps each decision as it records it.

use super::action::Action;
use super::app::{App, Effect, Record, StatusKind, Unit};
use super::keymap::KeyMode;
use polcode_core::store::{Decision, Via};

/// One step of history, for undo/redo: each paragraph's state before and after (one pair for
/// a decision, one per hit for "code all hits", undone together).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Step {
    pub(crate) pairs: Vec<(Decision, Decision)>,
}

/// What to do once a record is durable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    Nothing,
    NextUncoded,
    Undo,
    Redo,
}

/// The undo and redo stacks.
#[derive(Debug, Clone, Default)]
pub(crate) struct History {
    pub(crate) undo: Vec<Step>,
    pub(crate) redo: Vec<Step>,
}

impl App {
    /// Unit `u`'s recorded decision, or for a paragraph never decided an empty one of this
    /// coder's on its current text.
    pub(crate) fn state_of(&self, u: Unit) -> Decision {
        let doc = &self.study.docs[u.doc];
        let p = &doc.paragraphs[u.para];
        let id = doc.para_id(p.n);
        match self.session.codings().get(&id) {
            Some(d) => d.clone(),
            None => Decision {
                para: id,
                hash: p.hash.clone(),
                nodes: Vec::new(),
                no_code: false,
                scores: Default::default(),
                memo: None,
                coder: self.session.coder().to_string(),
                at: String::new(),
                via: Default::default(),
                derived: None,
                found: None,
            },
        }
    }

    /// The current state of the paragraph under the cursor, as a decision to modify.
    pub(crate) fn draft(&self) -> Option<Decision> {
        let u = self.unit()?;
        let p = &self.study.docs[u.doc].paragraphs[u.para];
        let mut d = self.state_of(u);
        d.hash = p.hash.clone();
        d.coder = self.session.coder().to_string();
        // Stamped by the store when it is recorded.
        d.at = String::new();
        // Made on a hit of the text search: the whole decision says so (a "no code" mark has no
        // node whose `via` could); off the hits, a mark from an earlier search is not carried.
        d.found = self.search_here();
        // On the reconcile screen every change is the consensus' own, made with the coders'
        // versions side by side.
        if let Some(r) = self.walk.reconcile() {
            d.derived = Some(r.derivation());
        }
        Some(d)
    }

    /// Issues a record of `after`; the cursor moves (if asked) once it is acknowledged.
    pub(crate) fn propose(&mut self, after: Decision, then: After) -> Vec<Effect> {
        if self.session.read_only() {
            self.info(
                StatusKind::Warn,
                "read-only session: decisions are not recorded",
            );
            return Vec::new();
        }
        let before = self
            .session
            .codings()
            .get(&after.para)
            .cloned()
            .unwrap_or_else(|| Decision {
                nodes: Vec::new(),
                no_code: false,
                scores: Default::default(),
                memo: None,
                via: Default::default(),
                derived: None,
                found: None,
                ..after.clone()
            });
        let step = Step {
            pairs: vec![(before, after.clone())],
        };
        vec![Effect::Record(Record {
            decisions: vec![after],
            step,
            then,
        })]
    }

    /// Saves `text` (trimmed; empty removes it) as the paragraph's memo, when it changed.
    pub(crate) fn save_memo(&mut self, text: String) -> Vec<Effect> {
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        let memo = if text.is_empty() { None } else { Some(text) };
        if memo == d.memo {
            return Vec::new();
        }
        d.memo = memo;
        self.propose(d, After::Nothing)
    }

    /// A whole decision on its paragraph made outside the keys (a tool or a test writing a
    /// rich coding at once): the same record, step and status line as a key's decision.
    pub fn propose_decision(&mut self, d: Decision) -> Vec<Effect> {
        self.propose(d, After::Nothing)
    }

    pub(crate) fn toggle_node(&mut self, node: usize, via: Via) -> Vec<Effect> {
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        let id = self.study.codebook.nodes[node].id.clone();
        if let Some(i) = d.nodes.iter().position(|n| *n == id) {
            d.nodes.remove(i);
            d.via.remove(&id);
            d.scores.remove(&id);
        } else {
            d.nodes.push(id.clone());
            d.via.insert(id, self.via_here(via));
            d.no_code = false;
        }
        self.propose(d, After::Nothing)
    }

    pub(crate) fn toggle_suggestion(&mut self, k: u8) -> Vec<Effect> {
        let Some(s) = self.here.offer.suggestions.get(k as usize - 1) else {
            self.info(StatusKind::Warn, format!("no suggestion {k}"));
            return Vec::new();
        };
        let via = Via::Suggestion {
            rank: k as u32,
            source: s.source,
        };
        let node = s.node;
        self.toggle_node(node, via)
    }

    /// `Enter`: on a decided paragraph, go on; with nothing chosen, confirm the prediction in
    /// one decision (the whole predicted set, or "no code" when that is what is predicted).
    pub(crate) fn confirm(&mut self) -> Vec<Effect> {
        if !self.nothing_chosen() {
            self.advance();
            return Vec::new();
        }
        if self.walk.reconciling() {
            // The suggestion rows are not on the reconcile screen: nothing unseen is taken.
            let edit = self.session.keymap.key(KeyMode::Normal, Action::OpenPicker);
            let take = self.session.keymap.toggles(KeyMode::Normal);
            self.info(
                StatusKind::Warn,
                format!("nothing taken yet: {take} take a coder's version, {edit} edits"),
            );
            return Vec::new();
        }
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        if self.here.offer.no_code {
            d.no_code = true;
            d.nodes.clear();
            d.via.clear();
            d.scores.clear();
            return self.propose(d, After::NextUncoded);
        }
        if self.here.offer.predicted.is_empty() {
            let search = self.session.keymap.key(KeyMode::Normal, Action::OpenPicker);
            let no_code = self.session.keymap.key(KeyMode::Normal, Action::NoCode);
            self.info(
                StatusKind::Warn,
                format!(
                    "nothing chosen and nothing predicted: {search} to search nodes, {no_code} \
                     for no code"
                ),
            );
            return Vec::new();
        }
        for &node in &self.here.offer.predicted {
            let Some(s) = self.here.offer.suggestions.iter().find(|s| s.node == node) else {
                continue;
            };
            let rank = self.here.offer.rank_of(node).unwrap_or(0);
            let id = self.study.codebook.nodes[node].id.clone();
            if !d.nodes.contains(&id) {
                d.nodes.push(id.clone());
                d.via.insert(
                    id,
                    self.via_here(Via::Predicted {
                        rank,
                        source: s.source,
                    }),
                );
            }
        }
        d.no_code = false;
        self.propose(d, After::NextUncoded)
    }

    pub(crate) fn toggle_no_code(&mut self) -> Vec<Effect> {
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        d.no_code = !d.no_code;
        if d.no_code {
            d.nodes.clear();
            d.via.clear();
            d.scores.clear();
        }
        let then = if d.no_code {
            After::NextUncoded
        } else {
            After::Nothing
        };
        self.propose(d, then)
    }

    pub(crate) fn score(&mut self, value: i32) -> Vec<Effect> {
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        let cb = &self.study.codebook;
        // The most recently chosen node with a scale, else the best suggestion with one.
        let target = d
            .nodes
            .iter()
            .rev()
            .filter_map(|id| cb.index(id))
            .find(|&i| cb.nodes[i].scale.is_some())
            .or_else(|| {
                self.here
                    .offer
                    .suggestions
                    .iter()
                    .map(|s| s.node)
                    .find(|&i| cb.nodes[i].scale.is_some())
            });
        let Some(node) = target else {
            self.info(
                StatusKind::Warn,
                "no node with a rubric scale on this paragraph",
            );
            return Vec::new();
        };
        let n = &cb.nodes[node];
        let scale = n.scale.as_ref().expect("filtered on scale");
        if !scale.levels.iter().any(|l| l.value == value) {
            let (lo, hi) = scale.range();
            self.info(StatusKind::Warn, format!("{} is scored {lo}-{hi}", n.id));
            return Vec::new();
        }
        let id = n.id.clone();
        if !d.nodes.contains(&id) {
            d.nodes.push(id.clone());
            d.via.insert(id.clone(), self.via_here(Via::Typed));
        }
        d.no_code = false;
        d.scores.insert(id, value);
        self.propose(d, After::Nothing)
    }

    pub(crate) fn undo(&mut self) -> Vec<Effect> {
        let Some(step) = self.history.undo.last().cloned() else {
            self.info(StatusKind::Info, "nothing to undo");
            return Vec::new();
        };
        self.replay(step, After::Undo)
    }

    pub(crate) fn redo(&mut self) -> Vec<Effect> {
        let Some(step) = self.history.redo.last().cloned() else {
            self.info(StatusKind::Info, "nothing to redo");
            return Vec::new();
        };
        self.replay(step, After::Redo)
    }

    /// Records the states before (undo) or after (redo) `step` again, as new decisions; the
    /// step is kept whole so redo restores exactly the undone state.
    fn replay(&mut self, step: Step, then: After) -> Vec<Effect> {
        if self.session.read_only() {
            self.info(
                StatusKind::Warn,
                "read-only session: decisions are not recorded",
            );
            return Vec::new();
        }
        let decisions: Vec<Decision> = step
            .pairs
            .iter()
            .map(|(before, after)| {
                let mut d = if then == After::Undo { before } else { after }.clone();
                d.at = String::new();
                d.coder = self.session.coder().to_string();
                d
            })
            .collect();
        if let Some(i) = decisions.first().and_then(|d| self.unit_of(&d.para)) {
            self.go(i);
        }
        vec![Effect::Record(Record {
            decisions,
            step,
            then,
        })]
    }

    /// Moves on after a decision: the next hit in a text search, else the next uncoded one.
    pub(crate) fn advance(&mut self) {
        if self.find.is_some() {
            self.step_hit(true);
        } else {
            self.next_uncoded(true);
        }
    }

    /// The continuation of a record, once its decisions `ds` are durable (all of them, or the
    /// first ones when recording failed part-way: the step keeps only those): history, the
    /// status line, and the move on after a confirm. Each decision has already been applied
    /// to the tallies, progress and learning by [`App::apply_recorded`].
    pub(crate) fn recorded(&mut self, mut step: Step, then: After, ds: Vec<Decision>) {
        if ds.is_empty() {
            return;
        }
        // A step saved only in part (the disk filled half-way through "code all hits" or its
        // undo): the saved part moves between the stacks, the rest stays where it was, so
        // nothing coded is left without a way back.
        let mut unsaved = Vec::new();
        if ds.len() < step.pairs.len() {
            let (saved, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut step.pairs)
                .into_iter()
                .partition(|(b, _)| ds.iter().any(|d| d.para == b.para));
            step.pairs = saved;
            unsaved = rest;
        }
        let what = if ds.len() == 1 {
            ds[0].para.clone()
        } else {
            format!("{} paragraphs", ds.len())
        };
        match then {
            After::Undo => {
                self.history.undo.pop();
                if !unsaved.is_empty() {
                    self.history.undo.push(Step { pairs: unsaved });
                }
                self.history.redo.push(step);
                self.info(StatusKind::Ok, format!("undone on {what} (saved)"));
            }
            After::Redo => {
                self.history.redo.pop();
                if !unsaved.is_empty() {
                    self.history.redo.push(Step { pairs: unsaved });
                }
                self.history.undo.push(step);
                self.info(StatusKind::Ok, format!("redone on {what} (saved)"));
            }
            After::Nothing | After::NextUncoded => {
                let (msg, kind) = if ds.len() == 1 {
                    let msg = self.describe_change(&step.pairs[0].0, &ds[0]);
                    // Codes given way to "no code" are worth a second look: shown as a warning.
                    let kind = if ds[0].no_code && !step.pairs[0].0.nodes.is_empty() {
                        StatusKind::Warn
                    } else {
                        StatusKind::Ok
                    };
                    (msg, kind)
                } else {
                    (self.describe_many(&ds), StatusKind::Ok)
                };
                self.history.undo.push(step);
                self.history.redo.clear();
                self.status = None;
                if then == After::NextUncoded {
                    self.advance();
                }
                // A note from the move (wrapped, all coded) is kept after what was saved.
                let text = match self.status.take() {
                    Some(s) => format!("{msg}; {}", s.text),
                    None => msg,
                };
                self.info(kind, text);
            }
        }
        // The offer is not recomputed: the rows stay where the coder read them, and what was
        // just learned ranks the next paragraph shown.
    }

    /// Updates tallies, progress and learning for one decision the store has just recorded
    /// (and applied: the codings are the store's), `old` being the paragraph's state before.
    pub(crate) fn apply_recorded(&mut self, old: Option<&Decision>, d: &Decision) {
        self.tallies.change(&self.study, old, Some(d));
        self.learn_change(old, d);
        if self.walk.unit_ids.contains(&d.para) {
            let was = old.is_some_and(Decision::is_coded);
            match (was, d.is_coded()) {
                (false, true) => self.walk.coded += 1,
                (true, false) => self.walk.coded = self.walk.coded.saturating_sub(1),
                _ => {}
            }
        }
        self.session.saved += 1;
    }

    /// The status line after one step of many decisions (code all hits).
    fn describe_many(&self, ds: &[Decision]) -> String {
        let mut docs: Vec<&str> = ds
            .iter()
            .filter_map(|d| polcode_core::corpus::parse_para_id(&d.para).map(|(doc, _)| doc))
            .collect();
        docs.dedup();
        let node = ds[0]
            .nodes
            .last()
            .map(|id| format!(" at {}", self.short_name(id)))
            .unwrap_or_default();
        let undo = self.session.keymap.key(KeyMode::Normal, Action::Undo);
        format!(
            "saved {} paragraphs in {} documents{node}; {undo} undoes them all",
            ds.len(),
            docs.len()
        )
    }

    /// The status line after a decision: what was saved, and what it replaced when a whole
    /// coding gave way to "no code", with the key that brings it back.
    fn describe_change(&self, before: &Decision, after: &Decision) -> String {
        let names = |d: &Decision| {
            d.nodes
                .iter()
                .map(|id| match d.scores.get(id) {
                    Some(s) => format!("{} (score {s})", self.short_name(id)),
                    None => self.short_name(id),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        if after.no_code && !before.nodes.is_empty() {
            let undo = self.session.keymap.key(KeyMode::Normal, Action::Undo);
            return format!(
                "{}: no code - replaced {}; {undo} restores",
                after.para,
                names(before)
            );
        }
        if after.no_code {
            return format!("saved {}: no code", after.para);
        }
        if after.nodes.is_empty() && before.no_code {
            return format!("saved {}: no-code mark removed, uncoded", after.para);
        }
        if after.nodes.is_empty() {
            return format!("saved {}: nothing chosen", after.para);
        }
        format!("saved {}: {}", after.para, names(after))
    }

    /// Moves the learned model from `old` to `new` for this paragraph. Before the model has
    /// arrived from its thread the change is queued, so nothing coded early is missed.
    pub(crate) fn learn_change(&mut self, old: Option<&Decision>, new: &Decision) {
        let Some(l) = self.learning.learner.as_mut() else {
            self.learning.unlearned.push((old.cloned(), new.clone()));
            return;
        };
        let Some(r) = self.study.paragraph(&new.para) else {
            return;
        };
        let cb = &self.study.codebook;
        let idx = |dd: &Decision| -> Vec<usize> {
            dd.nodes.iter().filter_map(|id| cb.index(id)).collect()
        };
        if let Some(o) = old.filter(|o| o.is_coded()) {
            l.unlearn(&r.para.text, &idx(o));
        }
        if new.is_coded() {
            l.learn(&r.para.text, &idx(new));
        }
    }

    /// When recording failed after `saved` of `total` decisions were recorded (and handed to
    /// [`App::recorded`]): the error is shown with what the saved part became and which key
    /// takes it back (after an undo saved in part, redo takes back the saved part and undo
    /// the rest, which [`App::recorded`] left on the undo stack); nothing else changes.
    pub(crate) fn record_failed(&mut self, err: &str, saved: usize, total: usize, then: After) {
        let key = |a| self.session.keymap.key(KeyMode::Normal, a);
        let (undo, redo) = (key(Action::Undo), key(Action::Redo));
        let tail = match then {
            _ if saved == 0 => String::new(),
            After::Undo => {
                format!(" ({saved} of {total} undone; {redo} redoes those, {undo} undoes the rest)")
            }
            After::Redo => {
                format!(" ({saved} of {total} redone; {undo} undoes those, {redo} redoes the rest)")
            }
            After::Nothing | After::NextUncoded => {
                format!(" ({saved} of {total} saved; {undo} undoes those)")
            }
        };
        self.info(StatusKind::Error, format!("NOT SAVED: {err}{tail}"));
    }
}
