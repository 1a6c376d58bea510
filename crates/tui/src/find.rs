//! The text search queue of the coding screen: `f` asks for a pattern (the syntax and the
//! matcher of `polcode search`, over the same body paragraphs, so both find the same hits), its
//! hits become the order `n`/`N` and `Enter` follow, the header says "hit 3 of 41", nodes
//! chosen on a hit record the search in their `via`, and `Esc` returns to the normal order.
//! "Code all hits" (`A`) picks a node, then asks before coding every hit paragraph at it.

use super::action::Action;
use super::app::{App, Effect, Record, StatusKind};
use super::decide::{After, Step};
use super::keymap::KeyMode;
use super::overlay::{ConfirmAll, Overlay, Prompt};
use super::picker::Picker;
use polcode_core::search::{char_span, search, Matcher, Scope, Spec};
use polcode_core::store::{Decision, Via};

/// An active text search: its hits, in reading order, are the coding queue.
#[derive(Debug, Clone)]
pub struct Queue {
    pub spec: Spec,
    /// The search as the prompt and `polcode search` read it; recorded in `via`.
    pub query: String,
    /// Positions in `App::units` of the paragraphs with hits, ascending.
    pub units: Vec<usize>,
    /// Character spans of the hits, parallel to `units`.
    pub spans: Vec<Vec<(usize, usize)>>,
    /// Hits in all (a paragraph may hold several).
    pub hits: usize,
    /// Documents with hits.
    pub documents: usize,
}

impl Queue {
    /// Index in the queue of unit position `pos`, when that paragraph is a hit.
    pub fn index_of(&self, pos: usize) -> Option<usize> {
        self.units.binary_search(&pos).ok()
    }
}

/// What "code all hits" is about to do, shown before anything is recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeAll {
    /// Codebook index of the node.
    pub node: usize,
    /// Hit paragraphs that will be coded at the node (the others already carry it).
    pub paragraphs: usize,
    /// Documents those paragraphs are in.
    pub documents: usize,
    /// Hit paragraphs that already carry the node (left as they are).
    pub already: usize,
    /// Of `paragraphs`, those now marked "no code" (the mark gives way to the node).
    pub no_code: usize,
}

impl App {
    /// Opens the search prompt, holding the current search (if any) to edit.
    pub(crate) fn open_find(&mut self) {
        if self.walk.reconciling() {
            self.info(
                StatusKind::Info,
                "text search is not available while reconciling",
            );
            return;
        }
        let current = self.find.as_ref().map(|q| q.query.clone());
        self.open(Overlay::Prompt(Prompt::find(current.unwrap_or_default())));
    }

    /// Runs the search typed at the prompt; its hits become the queue, from the first.
    pub fn run_find(&mut self, input: &str) {
        let spec = Spec::from_prompt(input);
        if spec.pattern.is_empty() {
            if self.find.is_some() {
                self.end_find();
            }
            return;
        }
        let queue = match self.build_queue(&spec) {
            Ok(q) => q,
            Err(e) => {
                self.info(StatusKind::Warn, format!("search: {e}"));
                return;
            }
        };
        let query = spec.display();
        let Some(queue) = queue else {
            let still = match &self.find {
                Some(q) => format!(" (still searching \"{}\")", q.query),
                None => String::new(),
            };
            self.info(StatusKind::Warn, format!("no hits for \"{query}\"{still}"));
            return;
        };
        let (n, first, hits, documents) = (
            queue.units.len(),
            queue.units[0],
            queue.hits,
            queue.documents,
        );
        self.find = Some(queue);
        self.go(first);
        let next = self
            .session
            .keymap
            .key(KeyMode::Normal, Action::NextUncoded);
        let all = self
            .session
            .keymap
            .key(KeyMode::Normal, Action::CodeAllHits);
        let end = self.session.keymap.key(KeyMode::Normal, Action::EndFind);
        self.info(
            StatusKind::Ok,
            format!(
                "\"{query}\": {hits} hits in {n} paragraphs of {documents} documents; \
                 {next} next hit, {all} code all, {end} back to the normal order"
            ),
        );
    }

    /// The queue of `spec` over the current documents: `None` when nothing matches.
    pub fn build_queue(
        &self,
        spec: &Spec,
    ) -> Result<Option<Queue>, polcode_core::search::SearchError> {
        let m = Matcher::for_study(spec, &self.study)?;
        let found = search(&self.study.docs, &m, Scope::Body);
        let mut units = Vec::with_capacity(found.len());
        let mut spans = Vec::with_capacity(found.len());
        let mut hits = 0;
        let mut documents = 0;
        let mut last_doc = None;
        // Both lists are in reading order: one walk places every hit on its unit.
        let mut i = 0;
        for h in &found {
            while i < self.walk.units.len()
                && (self.walk.units[i].doc, self.walk.units[i].para) < (h.doc, h.para)
            {
                i += 1;
            }
            if i == self.walk.units.len()
                || (self.walk.units[i].doc, self.walk.units[i].para) != (h.doc, h.para)
            {
                continue;
            }
            let text = &self.study.docs[h.doc].paragraphs[h.para].text;
            units.push(i);
            spans.push(h.spans.iter().map(|s| char_span(text, s)).collect());
            hits += h.spans.len();
            if last_doc != Some(h.doc) {
                documents += 1;
                last_doc = Some(h.doc);
            }
        }
        if units.is_empty() {
            return Ok(None);
        }
        Ok(Some(Queue {
            query: spec.display(),
            spec: spec.clone(),
            units,
            spans,
            hits,
            documents,
        }))
    }

    /// Leaves the search: `n`/`N` step uncoded paragraphs again; the cursor stays.
    pub(crate) fn end_find(&mut self) {
        if let Some(q) = self.find.take() {
            self.info(
                StatusKind::Info,
                format!("search \"{}\" ended: back to the normal order", q.query),
            );
        }
    }

    /// The next (or previous) hit from the cursor; stops at the ends of the queue.
    pub(crate) fn step_hit(&mut self, forward: bool) {
        let Some(q) = &self.find else { return };
        let n = q.units.len();
        let target = match (q.index_of(self.cursor.pos), forward) {
            (Some(i), true) => (i + 1 < n).then_some(i + 1),
            (Some(i), false) => i.checked_sub(1),
            (None, true) => {
                let i = q.units.partition_point(|&u| u < self.cursor.pos);
                (i < n).then_some(i)
            }
            (None, false) => q
                .units
                .partition_point(|&u| u < self.cursor.pos)
                .checked_sub(1),
        };
        match target {
            Some(i) => {
                let u = q.units[i];
                self.go(u);
            }
            None => {
                let end = self.session.keymap.key(KeyMode::Normal, Action::EndFind);
                let which = if forward { "last" } else { "first" };
                self.info(
                    StatusKind::Info,
                    format!("{which} hit of {n}; {end} goes back to the normal order"),
                );
            }
        }
    }

    /// `(k, n)`: the paragraph under the cursor is hit k (1-based) of n, if it is one.
    pub fn hit_position(&self) -> Option<(usize, usize)> {
        let q = self.find.as_ref()?;
        q.index_of(self.cursor.pos).map(|i| (i + 1, q.units.len()))
    }

    /// Character spans of the search hits in the paragraph under the cursor.
    pub fn hit_spans(&self) -> &[(usize, usize)] {
        match &self.find {
            Some(q) => q.index_of(self.cursor.pos).map_or(&[], |i| &q.spans[i]),
            None => &[],
        }
    }

    /// The text search whose hit the paragraph under the cursor is, if it is one.
    pub(crate) fn search_here(&self) -> Option<String> {
        let q = self.find.as_ref()?;
        q.index_of(self.cursor.pos).map(|_| q.query.clone())
    }

    /// `via` as recorded from here: marked with the search when this paragraph is a hit.
    pub(crate) fn via_here(&self, via: Via) -> Via {
        match &self.find {
            Some(q) if q.index_of(self.cursor.pos).is_some() => via.found(&q.query),
            _ => via,
        }
    }

    /// `A`: pick the node every hit is to be coded at (then confirm).
    pub(crate) fn start_code_all(&mut self) {
        if self.find.is_none() {
            let f = self.session.keymap.key(KeyMode::Normal, Action::Find);
            self.info(
                StatusKind::Info,
                format!("code all hits: search the text first ({f})"),
            );
            return;
        }
        if self.session.read_only() {
            self.info(
                StatusKind::Warn,
                "read-only session: decisions are not recorded",
            );
            return;
        }
        let mut p = Picker::new(&self.study.codebook);
        p.for_all_hits = true;
        self.open(Overlay::Picker(Box::new(p)));
    }

    /// What coding every hit at `node` would do.
    pub fn code_all_plan(&self, node: usize) -> Option<CodeAll> {
        let q = self.find.as_ref()?;
        let id = &self.study.codebook.nodes[node].id;
        let mut plan = CodeAll {
            node,
            paragraphs: 0,
            documents: 0,
            already: 0,
            no_code: 0,
        };
        let mut last_doc = None;
        for &u in &q.units {
            let d = self
                .session
                .codings()
                .get(&self.para_id(self.walk.units[u]));
            if d.is_some_and(|d| d.nodes.contains(id)) {
                plan.already += 1;
                continue;
            }
            plan.paragraphs += 1;
            plan.no_code += usize::from(d.is_some_and(|d| d.no_code));
            let doc = self.walk.units[u].doc;
            if last_doc != Some(doc) {
                plan.documents += 1;
                last_doc = Some(doc);
            }
        }
        Some(plan)
    }

    /// After the node is picked: the confirmation, or why there is nothing to do.
    pub(crate) fn confirm_code_all(&mut self, node: usize) {
        let Some(plan) = self.code_all_plan(node) else {
            return;
        };
        if plan.paragraphs == 0 {
            self.info(
                StatusKind::Info,
                format!(
                    "every hit already carries {}: nothing to code",
                    self.study.codebook.nodes[node].id
                ),
            );
            return;
        }
        self.open(Overlay::ConfirmAll(ConfirmAll { plan }));
    }

    /// The answer to the confirmation: `y` codes every hit, anything else cancels.
    pub(crate) fn answer_code_all(&mut self, plan: CodeAll, yes: bool) -> Vec<Effect> {
        if !yes {
            self.info(
                StatusKind::Info,
                "code all hits cancelled: nothing recorded",
            );
            return Vec::new();
        }
        let Some(q) = &self.find else {
            return Vec::new();
        };
        let id = self.study.codebook.nodes[plan.node].id.clone();
        let via = Via::AllHits {
            query: q.query.clone(),
        };
        let mut pairs = Vec::new();
        for &u in &q.units {
            let unit = self.walk.units[u];
            let p = &self.study.docs[unit.doc].paragraphs[unit.para];
            let before = self.state_of(unit);
            if before.nodes.contains(&id) {
                continue;
            }
            let mut after = before.clone();
            after.hash = p.hash.clone();
            after.coder = self.session.coder().to_string();
            // Stamped by the store when it is recorded.
            after.at = String::new();
            after.found = Some(q.query.clone());
            after.no_code = false;
            after.nodes.push(id.clone());
            after.via.insert(id.clone(), via.clone());
            pairs.push((before, after));
        }
        self.propose_all(pairs, After::Nothing)
    }

    /// Issues one record of many decisions, undone and redone as one step.
    pub(crate) fn propose_all(
        &mut self,
        pairs: Vec<(Decision, Decision)>,
        then: After,
    ) -> Vec<Effect> {
        if self.session.read_only() {
            self.info(
                StatusKind::Warn,
                "read-only session: decisions are not recorded",
            );
            return Vec::new();
        }
        if pairs.is_empty() {
            return Vec::new();
        }
        let decisions: Vec<Decision> = pairs.iter().map(|(_, a)| a.clone()).collect();
        vec![Effect::Record(Record {
            decisions,
            step: Step { pairs },
            then,
        })]
    }
}
