//! Which paragraphs a session walks, and why: the whole corpus (coding), the paragraphs where
//! coders disagree (reconciling, a mode of the session with the coders' versions), or the
//! coder's blind double-coding sample (with the other coders' codings, compared on the stats
//! screen and never shown). `Walk` also keeps the progress count the header shows.

use std::collections::HashSet;

use polcode_core::sample::Sample;
use polcode_core::store::{Codings, Decision};

use super::action::Action;
use super::app::{App, Effect, StatusKind, Unit};
use super::decide::After;
use super::keymap::KeyMode;
use super::reconcile::{agreed_line, Reconcile};

/// What kind of session this is.
#[derive(Debug, Clone)]
pub enum WalkKind {
    /// Coding the corpus, body paragraph by body paragraph.
    Corpus,
    /// Reconciling these coders' disagreements; the session's coder is the consensus.
    Reconcile(Reconcile),
    /// Walking a double-coding sample.
    Sample(SampleWalk),
}

/// A double-coding sample session's sample and the other coders' codings.
#[derive(Debug, Clone)]
pub struct SampleWalk {
    /// The sample as drawn (ids and text hashes).
    pub sample: Sample,
    /// The other coders' codings: never shown, only compared (the stats screen's line).
    pub others: Vec<Codings>,
}

/// The paragraphs a session walks, in order, and how many of them are coded.
#[derive(Debug, Clone)]
pub struct Walk {
    pub kind: WalkKind,
    /// The units of coding, in reading order.
    pub units: Vec<Unit>,
    /// Paragraph ids of `units`.
    pub(crate) unit_ids: HashSet<String>,
    /// How many of `units` are coded (kept current as decisions are recorded).
    pub(crate) coded: usize,
}

impl Walk {
    /// The reconciliation, in a reconcile session.
    pub fn reconcile(&self) -> Option<&Reconcile> {
        match &self.kind {
            WalkKind::Reconcile(r) => Some(r),
            _ => None,
        }
    }

    /// The sample, in a sample session.
    pub fn sample(&self) -> Option<&SampleWalk> {
        match &self.kind {
            WalkKind::Sample(s) => Some(s),
            _ => None,
        }
    }

    /// Whether this is a reconcile session.
    pub fn reconciling(&self) -> bool {
        matches!(self.kind, WalkKind::Reconcile(_))
    }
}

impl App {
    /// Restricts the session to the body paragraphs every one of `coders` decided, differently
    /// (see `polcode_core::stats::consensus`), and turns digit keys into "take coder k's version".
    /// The paragraphs they decided alike are carried into the consensus before the session
    /// starts (`tui::run::prepare`), so they are not walked.
    pub fn start_reconcile(&mut self, coders: Vec<Codings>) {
        let refs: Vec<&Codings> = coders.iter().collect();
        let plan = polcode_core::stats::consensus::plan(
            &self.study.docs,
            &refs,
            self.session.codings(),
            "",
        );
        let units = plan.walk.iter().map(|&(doc, para)| Unit { doc, para });
        self.set_walk(WalkKind::Reconcile(Reconcile { coders }), units.collect());
        let n = self.walk.units.len();
        let agreed = agreed_line(&plan, self.session.read_only());
        let take = self.session.keymap.toggles(KeyMode::Normal);
        let edit = self.session.keymap.key(KeyMode::Normal, Action::OpenPicker);
        self.info(
            StatusKind::Info,
            format!(
                "{n} paragraphs to reconcile ({agreed}; {} not yet decided by every coder): \
                 {take} take a coder's version, {edit} edits",
                plan.partial
            ),
        );
    }

    /// Walks only the paragraphs of `sample`, found in the documents as they are now (a
    /// re-import moves them with their text, see [`Sample::resolve`]); called at start-up and
    /// again after a reload. `others` are the other coders' codings, for the stats screen.
    pub fn start_sample(&mut self, sample: Sample, others: Vec<Codings>) {
        let (ids, notes) = sample.resolve(&self.study.docs);
        let wanted: HashSet<&str> = ids.iter().map(String::as_str).collect();
        let units: Vec<Unit> = polcode_core::corpus::body_units(&self.study.docs)
            .into_iter()
            .map(|(doc, para)| Unit { doc, para })
            .filter(|u| wanted.contains(self.para_id(*u).as_str()))
            .collect();
        self.set_walk(WalkKind::Sample(SampleWalk { sample, others }), units);
        let n = self.walk.units.len();
        if notes.is_empty() {
            self.info(
                StatusKind::Info,
                format!(
                    "double-coding sample: {n} paragraphs, coded blind (no other coder's codes \
                     are shown)"
                ),
            );
        } else {
            self.info(
                StatusKind::Warn,
                format!("double-coding sample: {n} paragraphs; {}", notes.join("; ")),
            );
        }
    }

    /// Replaces the walk and puts the cursor on its first uncoded paragraph.
    fn set_walk(&mut self, kind: WalkKind, units: Vec<Unit>) {
        self.walk.kind = kind;
        self.walk.units = units;
        self.recount();
        self.cursor.pos = self
            .walk
            .units
            .iter()
            .position(|u| !self.is_coded_unit(*u))
            .unwrap_or(0);
        self.cursor.scroll = 0;
        self.refresh();
    }

    /// Agreement between this coder and the others on the sample paragraphs decided so far,
    /// as one line: units, Cohen's κ (two coders), α with its bootstrapped interval (pooled
    /// over leaves). `None` outside a sample session.
    pub fn sample_agreement(&self) -> Option<String> {
        use polcode_core::stats::bootstrap::Boot;
        use polcode_core::stats::compare::{compare_units, Options, Scope};
        let s = self.walk.sample()?;
        if s.others.is_empty() {
            return Some("sample agreement: no other coder yet".into());
        }
        let mut coders: Vec<&Codings> = vec![self.session.codings()];
        coders.extend(s.others.iter());
        let units: Vec<(usize, usize)> = self.walk.units.iter().map(|u| (u.doc, u.para)).collect();
        let opts = Options {
            scope: Scope::Decided,
            boot: Boot {
                replicates: 1000,
                seed: 1,
            },
            list: false,
        };
        let r = compare_units(
            &self.study.codebook,
            &self.study.docs,
            &coders,
            &opts,
            units,
        );
        let p = &r.pooled;
        let fmt = |a: &polcode_core::stats::Agreement| match a.value() {
            Some(v) => format!("{v:.3}"),
            None => "n/a".into(),
        };
        // Every node's units are the paragraphs at least two coders decided.
        let both = r.nodes.first().map_or(0, |n| n.units);
        let mut line = format!(
            "sample agreement with {}: you decided {} of {}, {} also by another coder",
            s.others
                .iter()
                .map(|c| c.coder.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            r.rated[0],
            self.walk.units.len(),
            both,
        );
        if let Some(k) = &p.cohen {
            line.push_str(&format!(", κ {}", fmt(k)));
        }
        line.push_str(&format!(", α {}", fmt(&p.alpha)));
        if let Some(ci) = p.alpha_ci {
            line.push_str(&format!(" [{:.3}, {:.3}]", ci.low, ci.high));
        }
        Some(line)
    }

    /// Records coder `k`'s (1-based) version of this paragraph as the consensus decision.
    pub(crate) fn take_version(&mut self, k: u8) -> Vec<Effect> {
        let (Some(r), Some(d)) = (self.walk.reconcile(), self.draft()) else {
            return Vec::new();
        };
        let para = d.para.clone();
        match r.take(k, &para, d) {
            Ok(d) => self.propose(d, After::NextUncoded),
            Err(e) => {
                self.info(StatusKind::Warn, e);
                Vec::new()
            }
        }
    }

    /// Each reconciled coder's decision on the current paragraph (`None`: not coded), for
    /// the view; empty outside reconciliation.
    pub fn versions(&self) -> Vec<(String, Option<Decision>)> {
        match (self.walk.reconcile(), self.unit()) {
            (Some(r), Some(u)) => r.versions(&self.para_id(u)),
            _ => Vec::new(),
        }
    }
}
