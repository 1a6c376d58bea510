//! The coding session's state and its pure update function: keys become [`Action`]s, actions
//! change state and return [`Effect`]s (record a decision, quit) that the event loop carries out.
//! No I/O happens here, so tests drive it with key strings and no terminal.

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

use super::action::Action;
use super::keymap::{Key, KeyMode, Keymap};
use super::picker::Picker;
use super::review::Review;
use super::tallies::Tallies;
use polcode_core::corpus::{Document, Paragraph};
use polcode_core::store::{Codings, Decision, Via};
use polcode_core::study::Study;
use polcode_core::suggest::{Engine, Learner, Offer, Suggestion};

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Append this decision durably, then call [`App::recorded`] (or [`App::record_failed`]).
    Record(Box<Decision>),
    /// Append these decisions of one step (code all hits, its undo) durably, in order, then
    /// call [`App::recorded_all`] with those saved (and [`App::record_all_failed`] on error).
    RecordAll(Vec<Decision>),
    /// Leave the program.
    Quit,
}

/// Which screen or overlay has the keys.
#[derive(Debug)]
pub enum Mode {
    Normal,
    Picker(Box<Picker>),
    /// The `:` jump prompt with its input.
    Jump(String),
    /// The text search prompt (`f`) with its input.
    Find(String),
    /// "Code all hits": waiting for `y` to the confirmation of what will be coded.
    ConfirmAll(super::find::CodeAll),
    /// Waiting for the digit after `s`.
    Score,
    Memo(Box<TextArea<'static>>),
    Help {
        scroll: u16,
    },
    Review(Box<Review>),
    Stats,
    /// The definition of the node on suggestion row `row` (0-based), scrolled by `scroll`.
    Info {
        row: usize,
        scroll: u16,
    },
}

impl Mode {
    /// The keymap section that handles keys in this mode.
    pub fn key_mode(&self) -> KeyMode {
        match self {
            Mode::Normal | Mode::Score | Mode::ConfirmAll(_) => KeyMode::Normal,
            Mode::Picker(_) => KeyMode::Picker,
            Mode::Jump(_) | Mode::Find(_) => KeyMode::Prompt,
            Mode::Memo(_) => KeyMode::Memo,
            Mode::Help { .. } => KeyMode::Help,
            Mode::Review(_) => KeyMode::Review,
            Mode::Stats => KeyMode::Stats,
            Mode::Info { .. } => KeyMode::Info,
        }
    }
}

/// Severity of the status line message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Info,
    Ok,
    Warn,
    Error,
}

/// The one-line message under the panels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    pub kind: StatusKind,
    pub text: String,
}

/// A paragraph to code: document index and paragraph index within it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unit {
    pub doc: usize,
    pub para: usize,
}

/// One step of history, for undo/redo: each paragraph's state before and after (one pair for
/// a decision, one per hit for "code all hits", undone together).
#[derive(Debug, Clone)]
pub(crate) struct Step {
    pub(crate) pairs: Vec<(Decision, Decision)>,
}

/// What to do once a pending record is acknowledged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum After {
    Nothing,
    NextUncoded,
    Undo,
    Redo,
}

/// The state of a coding session.
pub struct App {
    pub study: Arc<Study>,
    pub coder: String,
    pub read_only: bool,
    pub codings: Codings,
    pub keymap: Keymap,
    /// Body paragraphs of the whole corpus in reading order: the units of coding.
    pub units: Vec<Unit>,
    /// Position in `units`.
    pub pos: usize,
    pub mode: Mode,
    /// What is offered on the paragraph under the cursor: computed when a paragraph is shown
    /// and kept while the coder works on it, so a digit always means the row the coder read
    /// (learning from a decision shows from the next paragraph on).
    pub offer: Offer,
    /// Keyword spans (characters) in the current paragraph.
    pub highlights: Vec<(usize, usize)>,
    pub engine: Arc<Engine>,
    pub learner: Option<Learner>,
    pub tallies: Tallies,
    pub status: Option<Status>,
    /// Lines the current paragraph is scrolled by (long paragraphs).
    pub scroll: u16,
    /// Decisions acknowledged as durable in this session.
    pub saved: usize,
    pub(crate) undo: Vec<Step>,
    pub(crate) redo: Vec<Step>,
    pub(crate) pending: Option<(Step, After)>,
    /// Paragraph ids of `units`, and how many of them are coded.
    pub(crate) unit_ids: std::collections::HashSet<String>,
    pub(crate) coded: usize,
    /// Changes recorded before the learned model arrived, applied to it on arrival.
    pub(crate) unlearned: Vec<(Option<Decision>, Decision)>,
    /// Set in reconciliation sessions (see `reconcile.rs`).
    pub reconcile: Option<super::reconcile::Reconcile>,
    /// The active text search, whose hits are the coding queue (see `find.rs`).
    pub find: Option<super::find::Queue>,
    /// Set when walking a double-coding sample: the sample as drawn (ids and text hashes).
    pub sample: Option<polcode_core::sample::Sample>,
    /// In a sample session, the other coders' codings: never shown, only compared (the stats
    /// screen's agreement line).
    pub sample_others: Vec<Codings>,
    /// The agreement on the sample so far, computed when the stats screen opens.
    pub sample_line: Option<String>,
}

impl App {
    /// Builds a session over `study` for `coder`, positioned where the coder left off.
    pub fn new(
        study: Arc<Study>,
        coder: &str,
        codings: Codings,
        engine: Arc<Engine>,
        keymap: Keymap,
        read_only: bool,
    ) -> App {
        let units: Vec<Unit> = polcode_core::corpus::body_units(&study.docs)
            .into_iter()
            .map(|(doc, para)| Unit { doc, para })
            .collect();
        let tallies = Tallies::new(&study, &codings);
        let mut app = App {
            study,
            coder: coder.to_string(),
            read_only,
            codings,
            keymap,
            units,
            pos: 0,
            mode: Mode::Normal,
            offer: Offer::default(),
            highlights: Vec::new(),
            engine,
            learner: None,
            tallies,
            status: None,
            scroll: 0,
            saved: 0,
            undo: Vec::new(),
            redo: Vec::new(),
            pending: None,
            reconcile: None,
            find: None,
            sample: None,
            sample_others: Vec::new(),
            sample_line: None,
            unlearned: Vec::new(),
            unit_ids: Default::default(),
            coded: 0,
        };
        app.recount();
        app.pos = app.resume_position();
        app.refresh();
        app
    }

    /// Where to start: the first uncoded paragraph of the last document touched (by the latest
    /// timestamp), else the first uncoded paragraph of the corpus, else the start.
    fn resume_position(&self) -> usize {
        let last = self
            .codings
            .decisions
            .values()
            .max_by(|a, b| a.at.cmp(&b.at))
            .and_then(|d| self.study.paragraph(&d.para))
            .map(|r| r.doc_index);
        if let Some(doc) = last {
            if let Some(i) = self
                .units
                .iter()
                .position(|u| u.doc == doc && !self.is_coded_unit(*u))
            {
                return i;
            }
        }
        self.units
            .iter()
            .position(|u| !self.is_coded_unit(*u))
            .unwrap_or(0)
    }

    /// The unit under the cursor, if the corpus has any body paragraph.
    pub fn unit(&self) -> Option<Unit> {
        self.units.get(self.pos).copied()
    }

    /// The current document.
    pub fn doc(&self) -> Option<&Document> {
        self.unit().map(|u| &self.study.docs[u.doc])
    }

    /// The current paragraph.
    pub fn para(&self) -> Option<&Paragraph> {
        self.unit()
            .map(|u| &self.study.docs[u.doc].paragraphs[u.para])
    }

    /// Paragraph id of a unit.
    pub fn para_id(&self, u: Unit) -> String {
        let doc = &self.study.docs[u.doc];
        doc.para_id(doc.paragraphs[u.para].n)
    }

    /// The current decision on the paragraph under the cursor.
    pub fn current(&self) -> Option<&Decision> {
        let u = self.unit()?;
        self.codings.get(&self.para_id(u))
    }

    pub(crate) fn is_coded_unit(&self, u: Unit) -> bool {
        self.codings
            .get(&self.para_id(u))
            .is_some_and(Decision::is_coded)
    }

    /// Number of coded units, for the progress display (kept current by [`App::recorded`], so
    /// drawing the header does not walk the corpus).
    pub fn coded_count(&self) -> usize {
        self.coded
    }

    /// Recounts coded units and rebuilds the unit-id set after `units` changed.
    pub(crate) fn recount(&mut self) {
        self.unit_ids = self.units.iter().map(|u| self.para_id(*u)).collect();
        // From the decisions' side: one hash lookup per decision, no id built per unit.
        self.coded = self
            .codings
            .decisions
            .iter()
            .filter(|(id, d)| d.is_coded() && self.unit_ids.contains(id.as_str()))
            .count();
    }

    /// The suggestion rows of the paragraph under the cursor, in the order the digits use.
    pub fn suggestions(&self) -> &[Suggestion] {
        &self.offer.suggestions
    }

    /// Recomputes what depends on the paragraph under the cursor (the offer, highlights). Call
    /// it only when a paragraph is newly shown: the rows must not move under the coder's eyes.
    pub fn refresh(&mut self) {
        let Some(u) = self.unit() else {
            self.offer = Offer::default();
            self.highlights.clear();
            return;
        };
        let doc = &self.study.docs[u.doc];
        let text = &doc.paragraphs[u.para].text;
        let ctx = polcode_core::corpus::context::para_context(doc, u.para);
        self.offer = self.engine.offer(text, &ctx, self.learner.as_ref(), 9);
        self.highlights = self.engine.highlights(text);
    }

    /// Installs the learned model once the segmenter has been built off the UI thread. The
    /// paragraph on screen keeps its rows (the coder may already have read them); the model
    /// ranks from the next paragraph shown.
    pub fn set_learner(&mut self, learner: Learner) {
        self.learner = Some(learner);
        // Decisions recorded while the model was being built (it started from the codings as
        // they were at start-up) are applied now, in order.
        for (old, new) in std::mem::take(&mut self.unlearned) {
            self.learn_change(old.as_ref(), &new);
        }
    }

    pub(crate) fn info(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }

    /// Handles one key press: maps it through the keymap of the current mode; text-entry modes
    /// take unmapped printable characters as input.
    pub fn handle_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        if let Mode::Memo(area) = &mut self.mode {
            let key = Key::from_event(&ev);
            if key.and_then(|k| self.keymap.action(KeyMode::Memo, &k)) == Some(Action::Accept) {
                return self.update(Action::Accept);
            }
            // Esc and the next key read together arrive as one Alt-key (tmux, SSH). In the memo
            // that is Esc (save and close) and then the key in the mode it leads to, as in every
            // other mode; the text area's Alt word motions give way, since `Esc q` must never
            // leave the memo open and type the following commands into it.
            if ev.modifiers.contains(KeyModifiers::ALT) {
                return self.split_alt(ev);
            }
            area.input(ev);
            return Vec::new();
        }
        if let Mode::ConfirmAll(plan) = &self.mode {
            let plan = plan.clone();
            self.mode = Mode::Normal;
            let yes = matches!(ev.code, KeyCode::Char('y' | 'Y'));
            return self.answer_code_all(plan, yes);
        }
        if let Mode::Score = self.mode {
            self.mode = Mode::Normal;
            if let KeyCode::Char(c @ '0'..='9') = ev.code {
                return self.score(c as i32 - '0' as i32);
            }
            self.info(StatusKind::Info, "score cancelled");
            return Vec::new();
        }
        let Some(key) = Key::from_event(&ev) else {
            return Vec::new();
        };
        let mode = self.mode.key_mode();
        if let Some(action) = self.keymap.action(mode, &key) {
            return self.update(action);
        }
        // A terminal sends Alt-key as Esc then the key, so Esc and a key typed quickly over a
        // slow link (or through tmux) can arrive in one read and be decoded as Alt-key. Unbound,
        // it is what the user typed: Esc, then the key.
        if key.alt {
            return self.split_alt(ev);
        }
        // In the definition view a digit shows that suggestion row, as it names it on screen.
        if let (Mode::Info { row, scroll }, KeyCode::Char(c @ '1'..='9')) =
            (&mut self.mode, ev.code)
        {
            let k = c as usize - '1' as usize;
            if k < self.offer.suggestions.len() {
                *row = k;
                *scroll = 0;
            }
            return Vec::new();
        }
        // Unbound printable characters are typed into the picker, prompt or review filter.
        if let KeyCode::Char(c) = ev.code {
            let plain = !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            if plain {
                match &mut self.mode {
                    Mode::Picker(p) => p.push(c),
                    Mode::Jump(s) | Mode::Find(s) => s.push(c),
                    Mode::Review(r) => r.push(c, &self.study, &self.codings),
                    _ => {}
                }
            }
        }
        Vec::new()
    }

    /// An Alt-key handled as what the user typed: Esc, then the key without Alt.
    fn split_alt(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let mut effects = self.handle_key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
        let mut plain = ev;
        plain.modifiers.remove(KeyModifiers::ALT);
        effects.extend(self.handle_key(plain));
        effects
    }

    /// Applies one action.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::Normal | Mode::Score | Mode::ConfirmAll(_) => self.update_normal(action),
            Mode::Picker(p) => self.update_picker(*p, action),
            Mode::Jump(s) => self.update_jump(s, action),
            Mode::Find(s) => self.update_find(s, action),
            Mode::Memo(area) => self.update_memo(*area, action),
            Mode::Help { scroll } => {
                match action {
                    Action::Down => self.mode = Mode::Help { scroll: scroll + 1 },
                    Action::Up => {
                        self.mode = Mode::Help {
                            scroll: scroll.saturating_sub(1),
                        }
                    }
                    Action::Cancel => {}
                    _ => self.mode = Mode::Help { scroll },
                }
                Vec::new()
            }
            Mode::Review(r) => self.update_review(*r, action),
            Mode::Info { row, scroll } => self.update_info(row, scroll, action),
            Mode::Stats => {
                match action {
                    Action::Cancel => {}
                    Action::TallyMetric => {
                        self.tallies.cycle_metric();
                        self.mode = Mode::Stats;
                    }
                    Action::TallyExpand => {
                        self.tallies.expanded = !self.tallies.expanded;
                        self.mode = Mode::Stats;
                    }
                    _ => self.mode = Mode::Stats,
                }
                Vec::new()
            }
        }
    }

    fn update_normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Toggle(k) if self.reconcile.is_some() => return self.take_version(k),
            Action::Toggle(k) => return self.toggle_suggestion(k),
            Action::Confirm => return self.confirm(),
            Action::NoCode => return self.toggle_no_code(),
            Action::OpenPicker => {
                if self.unit().is_some() {
                    self.mode = Mode::Picker(Box::new(Picker::new(&self.study.codebook)));
                }
            }
            Action::Next => self.go(self.pos + 1),
            Action::Prev => self.go(self.pos.saturating_sub(1)),
            Action::NextUncoded if self.find.is_some() => self.step_hit(true),
            Action::PrevUncoded if self.find.is_some() => self.step_hit(false),
            Action::NextUncoded => self.next_uncoded(true),
            Action::PrevUncoded => self.next_uncoded(false),
            Action::Find => self.open_find(),
            Action::EndFind => self.end_find(),
            Action::CodeAllHits => self.start_code_all(),
            Action::NextDoc => self.next_doc(true),
            Action::PrevDoc => self.next_doc(false),
            Action::First => self.go(0),
            Action::Last => self.go(self.units.len().saturating_sub(1)),
            Action::JumpPrompt => self.mode = Mode::Jump(String::new()),
            Action::Undo => return self.undo(),
            Action::Redo => return self.redo(),
            Action::Memo => self.open_memo(),
            Action::ScorePrompt => {
                self.mode = Mode::Score;
                self.info(StatusKind::Info, "score: type a digit");
            }
            Action::TallyMetric => self.tallies.cycle_metric(),
            Action::TallyExpand => self.tallies.expanded = !self.tallies.expanded,
            Action::Stats => {
                self.sample_line = self.sample_agreement();
                self.mode = Mode::Stats;
            }
            Action::Review => {
                self.mode = Mode::Review(Box::new(Review::new(&self.study, &self.codings)))
            }
            Action::Info => {
                if self.reconcile.is_some() {
                    let search = self.keymap.key(KeyMode::Normal, Action::OpenPicker);
                    let info = self.keymap.key(KeyMode::Picker, Action::Info);
                    self.info(
                        StatusKind::Info,
                        format!("definitions: {search} opens the picker, {info} there shows them"),
                    );
                } else if self.offer.suggestions.is_empty() {
                    let search = self.keymap.key(KeyMode::Normal, Action::OpenPicker);
                    let info = self.keymap.key(KeyMode::Picker, Action::Info);
                    self.info(
                        StatusKind::Info,
                        format!("no suggestion rows: {search} opens the picker, {info} there shows a node's definition"),
                    );
                } else {
                    self.mode = Mode::Info { row: 0, scroll: 0 };
                }
            }
            Action::Help => self.mode = Mode::Help { scroll: 0 },
            Action::Quit => return vec![Effect::Quit],
            Action::ScrollDown => self.scroll = self.scroll.saturating_add(3),
            Action::ScrollUp => self.scroll = self.scroll.saturating_sub(3),
            Action::Cancel
            | Action::Accept
            | Action::Mark
            | Action::Down
            | Action::Up
            | Action::Backspace => {}
        }
        Vec::new()
    }

    /// Moves the cursor to unit `i` (clamped) and refreshes suggestions.
    pub fn go(&mut self, i: usize) {
        let i = i.min(self.units.len().saturating_sub(1));
        if i != self.pos {
            self.pos = i;
            self.scroll = 0;
            self.refresh();
        }
    }

    pub(crate) fn next_uncoded(&mut self, forward: bool) {
        let n = self.units.len();
        if n == 0 {
            return;
        }
        for step in 1..=n {
            let i = if forward {
                (self.pos + step) % n
            } else {
                (self.pos + n - step % n) % n
            };
            if !self.is_coded_unit(self.units[i]) {
                let wrapped = if forward { i < self.pos } else { i > self.pos };
                self.go(i);
                if wrapped {
                    self.info(StatusKind::Info, "wrapped around the corpus");
                }
                return;
            }
        }
        self.info(StatusKind::Ok, format!("all {n} paragraphs are coded"));
    }

    fn next_doc(&mut self, forward: bool) {
        let Some(u) = self.unit() else { return };
        let target = if forward {
            self.units.iter().position(|x| x.doc > u.doc)
        } else {
            let prev_doc = self
                .units
                .iter()
                .rev()
                .find(|x| x.doc < u.doc)
                .map(|x| x.doc);
            prev_doc.and_then(|d| self.units.iter().position(|x| x.doc == d))
        };
        match target {
            Some(i) => self.go(i),
            None => self.info(
                StatusKind::Info,
                if forward {
                    "last document"
                } else {
                    "first document"
                },
            ),
        }
    }

    fn update_jump(&mut self, mut input: String, action: Action) -> Vec<Effect> {
        match action {
            Action::Cancel => {}
            Action::Backspace => {
                input.pop();
                self.mode = Mode::Jump(input);
            }
            Action::Accept => match self.resolve_jump(input.trim()) {
                Some(i) => self.go(i),
                None => self.info(
                    StatusKind::Warn,
                    format!("no document or paragraph {input:?}"),
                ),
            },
            _ => self.mode = Mode::Jump(input),
        }
        Vec::new()
    }

    /// Resolves a jump target: `N` (paragraph N of this document), `DOC`, `DOC#N` where DOC is a
    /// prefix of a document id, or any text contained in an id or title.
    pub fn resolve_jump(&self, q: &str) -> Option<usize> {
        if q.is_empty() {
            return None;
        }
        let (doc_q, n) = match q.rsplit_once('#') {
            Some((d, n)) => (d, n.parse::<u32>().ok()),
            None => match q.parse::<u32>() {
                Ok(n) => ("", Some(n)),
                Err(_) => (q, None),
            },
        };
        let doc = if doc_q.is_empty() {
            self.unit()?.doc
        } else {
            let docs = &self.study.docs;
            docs.iter()
                .position(|d| d.id.starts_with(doc_q))
                .or_else(|| docs.iter().position(|d| d.id.contains(doc_q)))
                .or_else(|| docs.iter().position(|d| d.meta.title.contains(doc_q)))?
        };
        let n = n.unwrap_or(1);
        // The first body paragraph at or after paragraph n of that document.
        self.units
            .iter()
            .position(|u| u.doc == doc && self.study.docs[doc].paragraphs[u.para].n >= n)
            .or_else(|| self.units.iter().rposition(|u| u.doc == doc))
    }

    fn open_memo(&mut self) {
        if self.unit().is_none() {
            return;
        }
        let memo = self
            .current()
            .and_then(|d| d.memo.clone())
            .unwrap_or_default();
        let lines: Vec<String> = memo.lines().map(str::to_string).collect();
        let mut area = if lines.is_empty() {
            TextArea::default()
        } else {
            TextArea::new(lines)
        };
        area.move_cursor(ratatui_textarea::CursorMove::Bottom);
        area.move_cursor(ratatui_textarea::CursorMove::End);
        self.mode = Mode::Memo(Box::new(area));
    }

    fn update_memo(&mut self, area: TextArea<'static>, action: Action) -> Vec<Effect> {
        if action != Action::Accept {
            self.mode = Mode::Memo(Box::new(area));
            return Vec::new();
        }
        let text = area.lines().join("\n");
        let text = text.trim_end().to_string();
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

    fn update_info(&mut self, row: usize, scroll: u16, action: Action) -> Vec<Effect> {
        let last = self.offer.suggestions.len().saturating_sub(1);
        let (row, scroll) = match action {
            Action::Cancel => return Vec::new(),
            Action::Down => ((row + 1).min(last), 0),
            Action::Up => (row.saturating_sub(1), 0),
            Action::ScrollDown => (row, scroll.saturating_add(3)),
            Action::ScrollUp => (row, scroll.saturating_sub(3)),
            Action::Mark => {
                self.mode = Mode::Info { row, scroll };
                return self.toggle_suggestion(row as u8 + 1);
            }
            _ => (row, scroll),
        };
        self.mode = Mode::Info { row, scroll };
        Vec::new()
    }

    fn update_picker(&mut self, mut p: Picker, action: Action) -> Vec<Effect> {
        match action {
            Action::Cancel => Vec::new(),
            Action::Info => {
                p.details = !p.details;
                self.mode = Mode::Picker(Box::new(p));
                Vec::new()
            }
            Action::Down => {
                p.step(1);
                self.mode = Mode::Picker(Box::new(p));
                Vec::new()
            }
            Action::Up => {
                p.step(-1);
                self.mode = Mode::Picker(Box::new(p));
                Vec::new()
            }
            Action::Backspace => {
                p.pop();
                self.mode = Mode::Picker(Box::new(p));
                Vec::new()
            }
            Action::Accept | Action::Mark => {
                let node = p.current();
                let for_all = p.for_all_hits;
                if action == Action::Mark && !for_all {
                    self.mode = Mode::Picker(Box::new(p));
                }
                match node {
                    Some(n) if for_all => {
                        self.mode = Mode::Normal;
                        self.confirm_code_all(n);
                        Vec::new()
                    }
                    Some(n) => self.toggle_node(n, Via::Search),
                    None => Vec::new(),
                }
            }
            _ => {
                self.mode = Mode::Picker(Box::new(p));
                Vec::new()
            }
        }
    }

    fn update_review(&mut self, mut r: Review, action: Action) -> Vec<Effect> {
        match action {
            Action::Cancel => {}
            Action::Down => {
                r.step(1);
                self.mode = Mode::Review(Box::new(r));
            }
            Action::Up => {
                r.step(-1);
                self.mode = Mode::Review(Box::new(r));
            }
            Action::Backspace => {
                r.pop(&self.study, &self.codings);
                self.mode = Mode::Review(Box::new(r));
            }
            Action::Accept => {
                if let Some(target) = r.current().and_then(|id| self.unit_of(id)) {
                    self.go(target);
                } else {
                    self.mode = Mode::Review(Box::new(r));
                }
            }
            _ => self.mode = Mode::Review(Box::new(r)),
        }
        Vec::new()
    }

    pub(crate) fn unit_of(&self, para_id: &str) -> Option<usize> {
        let r = self.study.paragraph(para_id)?;
        let p = r.para.n as usize - 1;
        self.units
            .iter()
            .position(|u| u.doc == r.doc_index && u.para == p)
    }

    /// Whether `node` is among the nodes of the recorded decision on the paragraph under the
    /// cursor: the durable state, read from `codings` (a toggle counts once it is saved and
    /// [`App::recorded`] has applied it). On the reconcile screen that is the consensus coder's
    /// decision, not any one coder's version.
    pub fn is_chosen(&self, node: usize) -> bool {
        let id = &self.study.codebook.nodes[node].id;
        self.current().is_some_and(|d| d.nodes.contains(id))
    }

    /// The short name of node `id` (`产业链` of `产业链/产业集群/产业生态`), as the tallies show
    /// it and the start of its suggestion row; the English name or the id when there is none.
    pub fn short_name(&self, id: &str) -> String {
        let Some(n) = self.study.codebook.get(id) else {
            return id.to_string();
        };
        let zh = n.name_zh.split('/').next().unwrap_or_default();
        match (zh.is_empty(), n.name_en.is_empty()) {
            (false, _) => zh.to_string(),
            (true, false) => n.name_en.clone(),
            (true, true) => n.id.clone(),
        }
    }

    /// Whether `node` is in the predicted set that `Enter` confirms.
    pub fn is_predicted(&self, node: usize) -> bool {
        self.offer.predicted.contains(&node)
    }

    /// Nothing is decided on the paragraph under the cursor yet (no node, no "no code" mark),
    /// so `Enter` confirms the prediction.
    pub fn nothing_chosen(&self) -> bool {
        !self.current().is_some_and(Decision::is_coded)
    }
}
