//! The coding session's state and its pure update function: keys become [`Action`]s, actions
//! change state and return [`Effect`]s (record decisions, quit) that [`App::carry_out`]
//! (`effects.rs`) carries out. `App` is a router: an action goes to the open overlay (a
//! component in `overlay/` with its own state) or to the coding screen, and what an overlay
//! asks for ([`Command`]) is carried out here. Its state is grouped: the session (the coder's
//! store — the one copy of the codings — and keys), the walk, the cursor, the paragraph under
//! it, undo history, learning, the tallies and the text search. `update` does no I/O and reads
//! no clock, so tests drive it with key strings and no terminal.

use std::sync::{Arc, Mutex};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::action::Action;
use super::decide::{After, History, Step};
use super::keymap::{Key, KeyMode, Keymap};
use super::overlay::{Command, Ctx, Help, InfoView, Memo, Overlay, Prompt, Score, StatsView};
use super::picker::Picker;
use super::review::Review;
use super::tallies::Tallies;
use super::walk::{Walk, WalkKind};
use polcode_core::corpus::{Document, Paragraph};
use polcode_core::store::{CoderStore, Codings, Decision, OpenMode, Via};
use polcode_core::study::Study;
use polcode_core::suggest::{Engine, Learner, Offer, Suggestion};

/// What the event loop must do after an update.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Append these decisions durably, in order, then carry on as the record says (see
    /// [`App::carry_out`]).
    Record(Record),
    /// Leave the program.
    Quit,
}

/// Decisions to record, with what follows once they are durable: the step they form for
/// undo/redo and where the cursor goes. One decision for a key on one paragraph; one per
/// paragraph for "code all hits" and its undo, undone together.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The decisions, `at` left empty: the store stamps them.
    pub decisions: Vec<Decision>,
    pub(crate) step: Step,
    pub(crate) then: After,
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

/// The coder's session: the store holding the codings (the one copy: the screen reads them
/// there, and only [`App::carry_out`] writes), the keys, and what was saved.
pub struct Session {
    pub(crate) store: CoderStore,
    pub keymap: Keymap,
    /// Decisions acknowledged as durable in this session.
    pub saved: usize,
    /// Held while decisions are written: the signal thread takes it before it ends the
    /// process, so an exit never lands half-way through a record.
    pub(crate) write_gate: Arc<Mutex<()>>,
}

impl Session {
    /// The coder's codings as recorded: snapshot, journal and this session's decisions.
    pub fn codings(&self) -> &Codings {
        self.store.codings()
    }

    /// Who codes.
    pub fn coder(&self) -> &str {
        &self.store.codings().coder
    }

    /// A session that records nothing (the store was opened read-only).
    pub fn read_only(&self) -> bool {
        self.store.mode() == OpenMode::ReadOnly
    }
}

/// Where the coder is: a position in the walk and how far the paragraph is scrolled.
#[derive(Debug, Clone, Copy, Default)]
pub struct Cursor {
    /// Position in `walk.units`.
    pub pos: usize,
    /// Lines the current paragraph is scrolled by (long paragraphs).
    pub scroll: u16,
}

/// What is shown for the paragraph under the cursor: computed when a paragraph is shown and
/// kept while the coder works on it, so a digit always means the row the coder read (learning
/// from a decision shows from the next paragraph on).
#[derive(Debug, Clone, Default)]
pub struct Here {
    pub offer: Offer,
    /// Keyword spans (characters) in the paragraph.
    pub highlights: Vec<(usize, usize)>,
}

/// The learned model and the changes recorded before it arrived from its thread.
#[derive(Default)]
pub struct Learning {
    pub learner: Option<Learner>,
    /// Applied to the model on arrival, in order.
    pub(crate) unlearned: Vec<(Option<Decision>, Decision)>,
}

/// The state of a coding session.
pub struct App {
    pub study: Arc<Study>,
    pub engine: Arc<Engine>,
    pub session: Session,
    pub walk: Walk,
    pub cursor: Cursor,
    pub here: Here,
    pub(crate) history: History,
    pub learning: Learning,
    pub tallies: Tallies,
    /// The active text search, whose hits are the coding queue (see `find.rs`).
    pub find: Option<super::find::Queue>,
    /// The overlay that has the keys; `None`: the coding screen has them.
    pub overlay: Option<Overlay>,
    pub status: Option<Status>,
}

impl App {
    /// Builds a session over `study` for the coder whose codings `store` holds (read-only
    /// when the store is), positioned where the coder left off.
    pub fn new(study: Arc<Study>, store: CoderStore, engine: Arc<Engine>, keymap: Keymap) -> App {
        let tallies = Tallies::new(&study, store.codings());
        let mut app = App {
            study,
            engine,
            session: Session {
                store,
                keymap,
                saved: 0,
                write_gate: Arc::new(Mutex::new(())),
            },
            walk: Walk {
                kind: WalkKind::Corpus,
                units: Vec::new(),
                unit_ids: Default::default(),
                coded: 0,
            },
            cursor: Cursor::default(),
            here: Here::default(),
            history: History::default(),
            learning: Learning::default(),
            tallies,
            find: None,
            overlay: None,
            status: None,
        };
        app.walk_corpus();
        app
    }

    /// Puts the session on `study` and `engine` (re-read after documents changed on disk),
    /// walking the whole corpus from where the coder left off; the store and keys stay. Undo
    /// history is dropped: its steps name paragraphs by their old numbers. So is the learned
    /// model, which knows the old text: the caller starts a new one, and decisions made until
    /// it arrives are queued for it.
    pub fn set_study(&mut self, study: Arc<Study>, engine: Arc<Engine>) {
        self.tallies = Tallies::new(&study, self.session.codings());
        self.study = study;
        self.engine = engine;
        self.history = History::default();
        self.learning = Learning::default();
        self.find = None;
        self.overlay = None;
        self.walk_corpus();
    }

    /// The whole corpus's body paragraphs, from the resume position.
    fn walk_corpus(&mut self) {
        self.walk.kind = WalkKind::Corpus;
        self.walk.units = polcode_core::corpus::body_units(&self.study.docs)
            .into_iter()
            .map(|(doc, para)| Unit { doc, para })
            .collect();
        self.recount();
        self.cursor = Cursor {
            pos: self.resume_position(),
            scroll: 0,
        };
        self.refresh();
    }

    /// Shares the lock the signal thread takes before it ends the process (see
    /// [`Session`]'s `write_gate`).
    pub fn set_write_gate(&mut self, gate: Arc<Mutex<()>>) {
        self.session.write_gate = gate;
    }

    /// The coder's codings as recorded (see [`Session::codings`]).
    pub fn codings(&self) -> &Codings {
        self.session.codings()
    }

    /// Where to start: the first uncoded paragraph of the last document touched (by the latest
    /// timestamp), else the first uncoded paragraph of the corpus, else the start.
    fn resume_position(&self) -> usize {
        let last = self
            .codings()
            .decisions
            .values()
            .max_by(|a, b| a.at.cmp(&b.at))
            .and_then(|d| self.study.paragraph(&d.para))
            .map(|r| r.doc_index);
        if let Some(doc) = last {
            if let Some(i) = self
                .walk
                .units
                .iter()
                .position(|u| u.doc == doc && !self.is_coded_unit(*u))
            {
                return i;
            }
        }
        self.walk
            .units
            .iter()
            .position(|u| !self.is_coded_unit(*u))
            .unwrap_or(0)
    }

    /// The unit under the cursor, if the walk has any paragraph.
    pub fn unit(&self) -> Option<Unit> {
        self.walk.units.get(self.cursor.pos).copied()
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
        self.codings().get(&self.para_id(u))
    }

    pub(crate) fn is_coded_unit(&self, u: Unit) -> bool {
        self.codings()
            .get(&self.para_id(u))
            .is_some_and(Decision::is_coded)
    }

    /// Number of coded units, for the progress display (kept current as decisions are
    /// recorded, so drawing the header does not walk the corpus).
    pub fn coded_count(&self) -> usize {
        self.walk.coded
    }

    /// Recounts coded units and rebuilds the unit-id set after `walk.units` changed.
    pub(crate) fn recount(&mut self) {
        self.walk.unit_ids = self.walk.units.iter().map(|u| self.para_id(*u)).collect();
        // From the decisions' side: one hash lookup per decision, no id built per unit.
        let ids = &self.walk.unit_ids;
        self.walk.coded = self
            .session
            .codings()
            .decisions
            .iter()
            .filter(|(id, d)| d.is_coded() && ids.contains(id.as_str()))
            .count();
    }

    /// The suggestion rows of the paragraph under the cursor, in the order the digits use.
    pub fn suggestions(&self) -> &[Suggestion] {
        &self.here.offer.suggestions
    }

    /// Recomputes what depends on the paragraph under the cursor (the offer, highlights). Call
    /// it only when a paragraph is newly shown: the rows must not move under the coder's eyes.
    pub fn refresh(&mut self) {
        let Some(u) = self.unit() else {
            self.here = Here::default();
            return;
        };
        let doc = &self.study.docs[u.doc];
        let text = &doc.paragraphs[u.para].text;
        let ctx = polcode_core::corpus::context::para_context(doc, u.para);
        self.here.offer = self
            .engine
            .offer(text, &ctx, self.learning.learner.as_ref(), 9);
        self.here.highlights = self.engine.highlights(text);
    }

    /// Installs the learned model once the segmenter has been built off the UI thread. The
    /// paragraph on screen keeps its rows (the coder may already have read them); the model
    /// ranks from the next paragraph shown.
    pub fn set_learner(&mut self, learner: Learner) {
        self.learning.learner = Some(learner);
        // Decisions recorded while the model was being built (it started from the codings as
        // they were at start-up) are applied now, in order.
        for (old, new) in std::mem::take(&mut self.learning.unlearned) {
            self.learn_change(old.as_ref(), &new);
        }
    }

    pub(crate) fn info(&mut self, kind: StatusKind, text: impl Into<String>) {
        self.status = Some(Status {
            kind,
            text: text.into(),
        });
    }

    /// The keymap section that has the keys now.
    pub fn key_mode(&self) -> KeyMode {
        self.overlay
            .as_ref()
            .map_or(KeyMode::Normal, Overlay::key_mode)
    }

    /// What the open overlay may know of the screen under it.
    fn ctx(&self) -> Ctx {
        Ctx {
            rows: self.here.offer.suggestions.len(),
        }
    }

    /// Handles one key press: an overlay that takes raw keys first, then the keymap of the
    /// current mode; text-entry overlays take unmapped printable characters as input.
    pub fn handle_key(&mut self, ev: KeyEvent) -> Vec<Effect> {
        let key = Key::from_event(&ev);
        let mode = self.key_mode();
        let action = key.and_then(|k| self.session.keymap.action(mode, &k));
        if let Some(Overlay::Memo(memo)) = &mut self.overlay {
            if action == Some(Action::Accept) {
                return self.update(Action::Accept);
            }
            // Esc and the next key read together arrive as one Alt-key (tmux, SSH). In the memo
            // that is Esc (save and close) and then the key in the mode it leads to, as in every
            // other mode; the text area's Alt word motions give way, since `Esc q` must never
            // leave the memo open and type the following commands into it.
            if ev.modifiers.contains(KeyModifiers::ALT) {
                return self.split_alt(ev);
            }
            memo.input(ev);
            return Vec::new();
        }
        if let Some(out) = self.overlay.as_mut().and_then(|o| o.raw_key(&ev)) {
            return self.outcome(out);
        }
        let Some(key) = key else {
            return Vec::new();
        };
        if let Some(action) = action {
            return self.update(action);
        }
        // A terminal sends Alt-key as Esc then the key, so Esc and a key typed quickly over a
        // slow link (or through tmux) can arrive in one read and be decoded as Alt-key. Unbound,
        // it is what the user typed: Esc, then the key.
        if key.alt {
            return self.split_alt(ev);
        }
        // Unbound printable characters are typed into the open overlay (picker, prompt, review
        // filter; a digit in the definition view shows that row).
        if let KeyCode::Char(c) = ev.code {
            let plain = !ev
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
            let ctx = self.ctx();
            if let (true, Some(o)) = (plain, self.overlay.as_mut()) {
                o.type_char(c, &ctx);
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

    /// Applies one action: the open overlay's, else the coding screen's.
    pub fn update(&mut self, action: Action) -> Vec<Effect> {
        let ctx = self.ctx();
        match self.overlay.as_mut() {
            Some(o) => {
                let out = o.handle(action, &ctx);
                self.outcome(out)
            }
            None => self.update_normal(action),
        }
    }

    /// Closes the overlay if it asked to close, then carries out its command.
    fn outcome(&mut self, out: super::overlay::Outcome) -> Vec<Effect> {
        if !out.open {
            self.overlay = None;
        }
        match out.command {
            Some(c) => self.command(c),
            None => Vec::new(),
        }
    }

    /// What an overlay asked for.
    fn command(&mut self, c: Command) -> Vec<Effect> {
        match c {
            Command::GoToParagraph(id) => {
                if let Some(target) = self.unit_of(&id) {
                    self.overlay = None;
                    self.go(target);
                }
            }
            Command::Jump(input) => match self.resolve_jump(input.trim()) {
                Some(i) => self.go(i),
                None => self.info(
                    StatusKind::Warn,
                    format!("no document or paragraph {input:?}"),
                ),
            },
            Command::Find(input) => self.run_find(&input),
            Command::ToggleNode(n) => return self.toggle_node(n, Via::Search),
            Command::PlanCodeAll(n) => self.confirm_code_all(n),
            Command::AnswerCodeAll(plan, yes) => return self.answer_code_all(plan, yes),
            Command::ToggleRow(k) => return self.toggle_suggestion(k),
            Command::SaveMemo(text) => return self.save_memo(text),
            Command::Score(Some(v)) => return self.score(v),
            Command::Score(None) => self.info(StatusKind::Info, "score cancelled"),
            Command::CycleMetric => self.tallies.cycle_metric(),
            Command::ToggleExpand => self.tallies.expanded = !self.tallies.expanded,
        }
        Vec::new()
    }

    fn update_normal(&mut self, action: Action) -> Vec<Effect> {
        match action {
            Action::Toggle(k) if self.walk.reconciling() => return self.take_version(k),
            Action::Toggle(k) => return self.toggle_suggestion(k),
            Action::Confirm => return self.confirm(),
            Action::NoCode => return self.toggle_no_code(),
            Action::OpenPicker => {
                if self.unit().is_some() {
                    self.open(Overlay::Picker(Box::new(Picker::new(&self.study.codebook))));
                }
            }
            Action::Next => self.go(self.cursor.pos + 1),
            Action::Prev => self.go(self.cursor.pos.saturating_sub(1)),
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
            Action::Last => self.go(self.walk.units.len().saturating_sub(1)),
            Action::JumpPrompt => self.open(Overlay::Prompt(Prompt::jump())),
            Action::Undo => return self.undo(),
            Action::Redo => return self.redo(),
            Action::Memo => {
                if self.unit().is_some() {
                    let memo = self.current().and_then(|d| d.memo.as_deref()).unwrap_or("");
                    self.open(Overlay::Memo(Box::new(Memo::new(memo))));
                }
            }
            Action::ScorePrompt => {
                self.open(Overlay::Score(Score));
                self.info(StatusKind::Info, "score: type a digit");
            }
            Action::TallyMetric => self.tallies.cycle_metric(),
            Action::TallyExpand => self.tallies.expanded = !self.tallies.expanded,
            Action::Stats => {
                let sample_line = self.sample_agreement();
                self.open(Overlay::Stats(StatsView { sample_line }));
            }
            Action::Review => self.open(Overlay::Review(Box::new(Review::new(
                &self.study,
                self.session.codings(),
            )))),
            Action::Info => self.open_info(),
            Action::Help => self.open(Overlay::Help(Help::default())),
            Action::Quit => return vec![Effect::Quit],
            Action::ScrollDown => self.cursor.scroll = self.cursor.scroll.saturating_add(3),
            Action::ScrollUp => self.cursor.scroll = self.cursor.scroll.saturating_sub(3),
            Action::Cancel
            | Action::Accept
            | Action::Mark
            | Action::Down
            | Action::Up
            | Action::Backspace => {}
        }
        Vec::new()
    }

    /// Gives the keys to `overlay`.
    pub(crate) fn open(&mut self, overlay: Overlay) {
        self.overlay = Some(overlay);
    }

    /// `i`: the definition view over the suggestion rows, or where definitions are instead.
    fn open_info(&mut self) {
        let search = self.session.keymap.key(KeyMode::Normal, Action::OpenPicker);
        let info = self.session.keymap.key(KeyMode::Picker, Action::Info);
        if self.walk.reconciling() {
            self.info(
                StatusKind::Info,
                format!("definitions: {search} opens the picker, {info} there shows them"),
            );
        } else if self.here.offer.suggestions.is_empty() {
            self.info(
                StatusKind::Info,
                format!("no suggestion rows: {search} opens the picker, {info} there shows a node's definition"),
            );
        } else {
            self.open(Overlay::Info(InfoView::default()));
        }
    }

    /// Moves the cursor to unit `i` (clamped) and refreshes suggestions.
    pub fn go(&mut self, i: usize) {
        let i = i.min(self.walk.units.len().saturating_sub(1));
        if i != self.cursor.pos {
            self.cursor.pos = i;
            self.cursor.scroll = 0;
            self.refresh();
        }
    }

    pub(crate) fn next_uncoded(&mut self, forward: bool) {
        let n = self.walk.units.len();
        if n == 0 {
            return;
        }
        for step in 1..=n {
            let i = if forward {
                (self.cursor.pos + step) % n
            } else {
                (self.cursor.pos + n - step % n) % n
            };
            if !self.is_coded_unit(self.walk.units[i]) {
                let wrapped = if forward {
                    i < self.cursor.pos
                } else {
                    i > self.cursor.pos
                };
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
            self.walk.units.iter().position(|x| x.doc > u.doc)
        } else {
            let prev_doc = self
                .walk
                .units
                .iter()
                .rev()
                .find(|x| x.doc < u.doc)
                .map(|x| x.doc);
            prev_doc.and_then(|d| self.walk.units.iter().position(|x| x.doc == d))
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
        self.walk
            .units
            .iter()
            .position(|u| u.doc == doc && self.study.docs[doc].paragraphs[u.para].n >= n)
            .or_else(|| self.walk.units.iter().rposition(|u| u.doc == doc))
    }

    pub(crate) fn unit_of(&self, para_id: &str) -> Option<usize> {
        let r = self.study.paragraph(para_id)?;
        let p = r.para.n as usize - 1;
        self.walk
            .units
            .iter()
            .position(|u| u.doc == r.doc_index && u.para == p)
    }

    /// Whether `node` is among the nodes of the recorded decision on the paragraph under the
    /// cursor: the durable state, read from the store's codings (a toggle counts once
    /// [`App::carry_out`] has recorded it). On the reconcile screen that is the consensus
    /// coder's decision, not any one coder's version.
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
        self.here.offer.predicted.contains(&node)
    }

    /// Nothing is decided on the paragraph under the cursor yet (no node, no "no code" mark),
    /// so `Enter` confirms the prediction.
    pub fn nothing_chosen(&self) -> bool {
        !self.current().is_some_and(Decision::is_coded)
    }
}
