//! Reconciliation: a walk over the paragraphs where coders disagree, showing each coder's codes
//! side by side. `1`–`9` take coder k's version, the picker edits, and the result is recorded as
//! its own (consensus) coder with the same durability as coding.

use polcode_core::stats::consensus::plan;
use polcode_core::store::{Codings, Decision, Via};

use super::action::Action;
use super::app::{After, App, StatusKind, Unit};
use super::keymap::KeyMode;

/// The coders being reconciled.
#[derive(Debug, Clone)]
pub struct Reconcile {
    pub coders: Vec<Codings>,
}

impl App {
    /// Restricts the session to the body paragraphs every one of `coders` decided, differently
    /// (see `polcode_core::stats::consensus`), and turns digit keys into "take coder k's version".
    /// The paragraphs they decided alike are carried into the consensus before the session
    /// starts (`tui::run::prepare`), so they are not walked.
    pub fn start_reconcile(&mut self, coders: Vec<Codings>) {
        let refs: Vec<&Codings> = coders.iter().collect();
        let plan = plan(&self.study.docs, &refs, &self.codings, "");
        self.units = plan
            .walk
            .iter()
            .map(|&(doc, para)| Unit { doc, para })
            .collect();
        self.pos = self
            .units
            .iter()
            .position(|u| {
                !self
                    .codings
                    .get(&self.para_id(*u))
                    .is_some_and(Decision::is_coded)
            })
            .unwrap_or(0);
        let n = self.units.len();
        self.recount();
        self.reconcile = Some(Reconcile { coders });
        self.refresh();
        // Agreed paragraphs are carried by `prepare` at the start; say so only when they were
        // (a read-only session writes nothing, and a reload mid-session does not carry).
        let agreed = match (plan.carry.len(), self.read_only) {
            (0, _) => format!("{} agreed are in the consensus", plan.agreed),
            (c, true) => format!(
                "{} agreed, {c} of them not in the consensus: read-only, nothing is written",
                plan.agreed
            ),
            (c, false) => format!(
                "{} agreed, {c} of them not yet in the consensus: carried when reconcile \
                 starts again",
                plan.agreed
            ),
        };
        let take = self.keymap.toggles(KeyMode::Normal);
        let edit = self.keymap.key(KeyMode::Normal, Action::OpenPicker);
        self.status = Some(super::app::Status {
            kind: StatusKind::Info,
            text: format!(
                "{n} paragraphs to reconcile ({agreed}; {} not yet decided by every coder): \
                 {take} take a coder's version, {edit} edits",
                plan.partial
            ),
        });
    }

    /// Walks only the paragraphs of `sample`, found in the documents as they are now (a
    /// re-import moves them with their text, see [`polcode_core::sample::Sample::resolve`]); called
    /// at start-up and again after a reload.
    pub fn start_sample(&mut self, sample: polcode_core::sample::Sample) {
        let (ids, notes) = sample.resolve(&self.study.docs);
        let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.units = polcode_core::corpus::body_units(&self.study.docs)
            .into_iter()
            .map(|(doc, para)| Unit { doc, para })
            .filter(|u| wanted.contains(self.para_id(*u).as_str()))
            .collect();
        let n = self.units.len();
        self.pos = self
            .units
            .iter()
            .position(|u| !self.is_coded_unit(*u))
            .unwrap_or(0);
        self.recount();
        self.sample = Some(sample);
        self.refresh();
        self.status = Some(match notes.is_empty() {
            true => super::app::Status {
                kind: StatusKind::Info,
                text: format!(
                    "double-coding sample: {n} paragraphs, coded blind (no other coder's codes \
                     are shown)"
                ),
            },
            false => super::app::Status {
                kind: StatusKind::Warn,
                text: format!("double-coding sample: {n} paragraphs; {}", notes.join("; ")),
            },
        });
    }

    /// Agreement between this coder and the others on the sample paragraphs decided so far,
    /// as one line: units, Cohen's κ (two coders), α with its bootstrapped interval (pooled
    /// over leaves). `None` outside a sample session.
    pub fn sample_agreement(&self) -> Option<String> {
        use polcode_core::stats::bootstrap::Boot;
        use polcode_core::stats::compare::{compare_units, Options, Scope};
        self.sample.as_ref()?;
        if self.sample_others.is_empty() {
            return Some("sample agreement: no other coder yet".into());
        }
        let mut coders: Vec<&Codings> = vec![&self.codings];
        coders.extend(self.sample_others.iter());
        let units: Vec<(usize, usize)> = self.units.iter().map(|u| (u.doc, u.para)).collect();
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
            self.sample_others
                .iter()
                .map(|c| c.coder.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            r.rated[0],
            self.units.len(),
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
    pub(crate) fn take_version(&mut self, k: u8) -> Vec<super::app::Effect> {
        let Some(r) = &self.reconcile else {
            return Vec::new();
        };
        let Some(src) = r.coders.get(k as usize - 1) else {
            self.status = Some(super::app::Status {
                kind: StatusKind::Warn,
                text: format!("no coder {k}"),
            });
            return Vec::new();
        };
        let from = src.coder.clone();
        let Some(u) = self.unit() else {
            return Vec::new();
        };
        let theirs = src.get(&self.para_id(u)).cloned();
        let Some(mut d) = self.draft() else {
            return Vec::new();
        };
        match theirs {
            Some(t) => {
                d.nodes = t.nodes.clone();
                d.no_code = t.no_code || t.nodes.is_empty();
                d.scores = t.scores.clone();
                d.via = t
                    .nodes
                    .iter()
                    .map(|n| (n.clone(), Via::Reconciled { from: from.clone() }))
                    .collect();
                if d.memo.is_none() {
                    d.memo = t.memo.clone();
                }
            }
            None => {
                d.nodes.clear();
                d.via.clear();
                d.scores.clear();
                d.no_code = true;
            }
        }
        self.propose(d, After::NextUncoded)
    }

    /// Each reconciled coder's decision on the current paragraph (`None`: not coded), for
    /// the view.
    pub fn versions(&self) -> Vec<(String, Option<Decision>)> {
        let (Some(r), Some(u)) = (&self.reconcile, self.unit()) else {
            return Vec::new();
        };
        let id = self.para_id(u);
        r.coders
            .iter()
            .map(|c| (c.coder.clone(), c.get(&id).cloned()))
            .collect()
    }
}
