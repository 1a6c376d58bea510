//! Decisions on the paragraph under the cursor: toggling suggestions and picked nodes, the
//! no-code mark, rubric scores, memos, confirm-and-advance, and undo/redo. Each change becomes
//! an [`Effect::Record`] (several for one step of "code all hits": [`Effect::RecordAll`]); the
//! codings, tallies, learning and history change only in [`App::recorded_all`], once the
//! decisions are durable, and so does the move on to the next paragraph after a confirm. Undo
//! and redo are the exception for the cursor: they first move it to the step's (first)
//! paragraph, so the coder sees where the change lands while it is being saved.

use super::action::Action;
use super::app::{After, App, Effect, StatusKind, Step};
use super::keymap::KeyMode;
use polcode_core::store::{Decision, Via};

impl App {
    /// The current state of the paragraph under the cursor, as a decision to modify.
    pub(crate) fn draft(&self) -> Option<Decision> {
        let u = self.unit()?;
        let doc = &self.study.docs[u.doc];
        let p = &doc.paragraphs[u.para];
        let mut d = self
            .codings
            .get(&doc.para_id(p.n))
            .cloned()
            .unwrap_or(Decision {
                para: doc.para_id(p.n),
                hash: p.hash.clone(),
                nodes: Vec::new(),
                no_code: false,
                scores: Default::default(),
                memo: None,
                coder: self.coder.clone(),
                at: String::new(),
                via: Default::default(),
                derived: None,
                found: None,
            });
        d.hash = p.hash.clone();
        d.coder = self.coder.clone();
        d.at = polcode_core::fsutil::now_rfc3339();
        // Made on a hit of the text search: the whole decision says so (a "no code" mark has no
        // node whose `via` could); off the hits, a mark from an earlier search is not carried.
        d.found = self.search_here();
        // On the reconcile screen every change is the consensus' own, made with the coders'
        // versions side by side.
        if let Some(r) = &self.reconcile {
            d.derived = Some(polcode_core::store::Derivation::Reconciled {
                coders: r.coders.iter().map(|c| c.coder.clone()).collect(),
            });
        }
        Some(d)
    }

    /// Issues a record of `after`; the cursor moves (if asked) once it is acknowledged.
    pub(crate) fn propose(&mut self, after: Decision, then: After) -> Vec<Effect> {
        if self.read_only {
            self.info(
                StatusKind::Warn,
                "read-only session: decisions are not recorded",
            );
            return Vec::new();
        }
        let before = self
            .codings
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
        self.pending = Some((
            Step {
                pairs: vec![(before, after.clone())],
            },
            then,
        ));
        vec![Effect::Record(Box::new(after))]
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
        let Some(s) = self.offer.suggestions.get(k as usize - 1) else {
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
        if self.reconcile.is_some() {
            // The suggestion rows are not on the reconcile screen: nothing unseen is taken.
            let edit = self.keymap.key(KeyMode::Normal, Action::OpenPicker);
            let take = self.keymap.toggles(KeyMode::Normal);
            self.info(
                StatusKind::Warn,
                format!("nothing taken yet: {take} take a coder's version, {edit} edits"),
            );
            return Vec::new();
        }
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        if self.offer.no_code {
            d.no_code = true;
            d.nodes.clear();
            d.via.clear();
            d.scores.clear();
            return self.propose(d, After::NextUncoded);
        }
        if self.offer.predicted.is_empty() {
            let search = self.keymap.key(KeyMode::Normal, Action::OpenPicker);
            let no_code = self.keymap.key(KeyMode::Normal, Action::NoCode);
            self.info(
                StatusKind::Warn,
                format!(
                    "nothing chosen and nothing predicted: {search} to search nodes, {no_code} \
                     for no code"
                ),
            );
            return Vec::new();
        }
        for &node in &self.offer.predicted {
            let Some(s) = self.offer.suggestions.iter().find(|s| s.node == node) else {
                continue;
            };
            let rank = self.offer.rank_of(node).unwrap_or(0);
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
                self.offer
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
        let Some(step) = self.undo.last().cloned() else {
            self.info(StatusKind::Info, "nothing to undo");
            return Vec::new();
        };
        self.replay(step, After::Undo)
    }

    pub(crate) fn redo(&mut self) -> Vec<Effect> {
        let Some(step) = self.redo.last().cloned() else {
            self.info(StatusKind::Info, "nothing to redo");
            return Vec::new();
        };
        self.replay(step, After::Redo)
    }

    /// Records the states before (undo) or after (redo) `step` again, as new decisions; the
    /// step is kept whole so redo restores exactly the undone state.
    fn replay(&mut self, step: Step, then: After) -> Vec<Effect> {
        if self.read_only {
            self.info(
                StatusKind::Warn,
                "read-only session: decisions are not recorded",
            );
            return Vec::new();
        }
        let now = polcode_core::fsutil::now_rfc3339();
        let mut ds: Vec<Decision> = step
            .pairs
            .iter()
            .map(|(before, after)| {
                let mut d = if then == After::Undo { before } else { after }.clone();
                d.at = now.clone();
                d.coder = self.coder.clone();
                d
            })
            .collect();
        if let Some(i) = ds.first().and_then(|d| self.unit_of(&d.para)) {
            self.go(i);
        }
        self.pending = Some((step, then));
        if ds.len() == 1 {
            vec![Effect::Record(Box::new(ds.remove(0)))]
        } else {
            vec![Effect::RecordAll(ds)]
        }
    }

    /// Moves on after a decision: the next hit in a text search, else the next uncoded one.
    pub(crate) fn advance(&mut self) {
        if self.find.is_some() {
            self.step_hit(true);
        } else {
            self.next_uncoded(true);
        }
    }

    /// Called by the loop once `d` is durable: updates codings, tallies, learning and history.
    pub fn recorded(&mut self, d: Decision) {
        self.recorded_all(vec![d]);
    }

    /// Called by the loop once the decisions `ds` of one step are durable (all of them, or
    /// the first ones when recording failed part-way: the step keeps only those).
    pub fn recorded_all(&mut self, ds: Vec<Decision>) {
        if ds.is_empty() {
            return;
        }
        let (mut step, then) = self.pending.take().unwrap_or_else(|| {
            let pairs = ds.iter().map(|d| (d.clone(), d.clone())).collect();
            (Step { pairs }, After::Nothing)
        });
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
        for d in &ds {
            self.apply_recorded(d.clone());
        }
        let what = if ds.len() == 1 {
            ds[0].para.clone()
        } else {
            format!("{} paragraphs", ds.len())
        };
        match then {
            After::Undo => {
                self.undo.pop();
                if !unsaved.is_empty() {
                    self.undo.push(Step { pairs: unsaved });
                }
                self.redo.push(step);
                self.info(StatusKind::Ok, format!("undone on {what} (saved)"));
            }
            After::Redo => {
                self.redo.pop();
                if !unsaved.is_empty() {
                    self.redo.push(Step { pairs: unsaved });
                }
                self.undo.push(step);
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
                self.undo.push(step);
                self.redo.clear();
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

    /// Updates codings, tallies, progress and learning for one durable decision.
    fn apply_recorded(&mut self, d: Decision) {
        let old = self.codings.get(&d.para).cloned();
        self.tallies.change(&self.study, old.as_ref(), Some(&d));
        self.learn_change(old.as_ref(), &d);
        if self.unit_ids.contains(&d.para) {
            let was = old.as_ref().is_some_and(Decision::is_coded);
            match (was, d.is_coded()) {
                (false, true) => self.coded += 1,
                (true, false) => self.coded = self.coded.saturating_sub(1),
                _ => {}
            }
        }
        self.codings.apply(d);
        self.saved += 1;
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
        let undo = self.keymap.key(KeyMode::Normal, Action::Undo);
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
            let undo = self.keymap.key(KeyMode::Normal, Action::Undo);
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
        let Some(l) = self.learner.as_mut() else {
            self.unlearned.push((old.cloned(), new.clone()));
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

    /// Called by the loop when recording failed: nothing changes, the error is shown.
    pub fn record_failed(&mut self, err: &str) {
        self.pending = None;
        self.info(StatusKind::Error, format!("NOT SAVED: {err}"));
    }

    /// Called by the loop when a step of many decisions failed after `saved` of `total` were
    /// recorded (and handed to [`App::recorded_all`]).
    pub fn record_all_failed(&mut self, err: &str, saved: usize, total: usize) {
        self.pending = None;
        let undo = self.keymap.key(KeyMode::Normal, Action::Undo);
        let tail = if saved > 0 {
            format!(" ({saved} of {total} saved; {undo} undoes those)")
        } else {
            String::new()
        };
        self.info(StatusKind::Error, format!("NOT SAVED: {err}{tail}"));
    }
}
