//! Reconciliation: the coders whose disagreements a consensus coder settles. The walk (only
//! the paragraphs every coder decided, differently) is `walk.rs`'s; this holds the coders'
//! versions and what taking one of them makes of the consensus' decision. It knows nothing of
//! the app: `App` asks it for a version and records the result like any decision.

use polcode_core::stats::consensus::Plan;
use polcode_core::store::{Codings, Decision, Derivation, Via};

/// The coders being reconciled.
#[derive(Debug, Clone)]
pub struct Reconcile {
    pub coders: Vec<Codings>,
}

impl Reconcile {
    /// The reconciled coders' names, in digit order.
    pub fn names(&self) -> Vec<String> {
        self.coders.iter().map(|c| c.coder.clone()).collect()
    }

    /// What every decision made on the reconcile screen is: the consensus' own, made with
    /// the coders' versions side by side.
    pub fn derivation(&self) -> Derivation {
        Derivation::Reconciled {
            coders: self.names(),
        }
    }

    /// `d` (the consensus' current state of paragraph `para`) turned into coder `k`'s
    /// (1-based) version: their nodes, scores and "no code" mark; their memo when the
    /// consensus has none. A coder who left the paragraph uncoded gives "no code". `Err` names
    /// a digit with no coder.
    pub fn take(&self, k: u8, para: &str, mut d: Decision) -> Result<Decision, String> {
        let Some(src) = self.coders.get((k as usize).wrapping_sub(1)) else {
            return Err(format!("no coder {k}"));
        };
        match src.get(para) {
            Some(t) => {
                d.nodes = t.nodes.clone();
                d.no_code = t.no_code || t.nodes.is_empty();
                d.scores = t.scores.clone();
                d.via = t
                    .nodes
                    .iter()
                    .map(|n| {
                        (
                            n.clone(),
                            Via::Reconciled {
                                from: src.coder.clone(),
                            },
                        )
                    })
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
        Ok(d)
    }

    /// Each coder's decision on paragraph `para` (`None`: not coded), for the view.
    pub fn versions(&self, para: &str) -> Vec<(String, Option<Decision>)> {
        self.coders
            .iter()
            .map(|c| (c.coder.clone(), c.get(para).cloned()))
            .collect()
    }
}

/// The first part of the line a reconcile session opens with: how many paragraphs the coders
/// agreed on and whether they are in the consensus yet (`prepare` carries them at the start;
/// a read-only session writes nothing, and a reload mid-session does not carry).
pub fn agreed_line(plan: &Plan, read_only: bool) -> String {
    match (plan.carry.len(), read_only) {
        (0, _) => format!("{} agreed are in the consensus", plan.agreed),
        (c, true) => format!(
            "{} agreed, {c} of them not in the consensus: read-only, nothing is written",
            plan.agreed
        ),
        (c, false) => format!(
            "{} agreed, {c} of them not yet in the consensus: carried when reconcile starts \
             again",
            plan.agreed
        ),
    }
}
