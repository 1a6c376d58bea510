//! The decision point: what the coding screen offers on one paragraph. The ranked leaf
//! suggestions (fixed while the paragraph is shown, so a digit always means the row the coder
//! read), the **predicted set** that one key confirms, and whether the prediction is **no code**
//! (preamble, background, boilerplate), so that `x` confirms a suggestion too.
//!
//! The coding screen, `polcode eval` and the benchmarks all call [`Engine::offer`]; nothing
//! else decides what is predicted.

use super::{Engine, Learner, Suggestion};
use crate::corpus::context::ParaContext;

/// A suggestion's score must reach this share of the best one to join the predicted set.
const SET_SHARE: f32 = 0.75;
/// Below this best score nothing is predicted but "no code".
const MIN_PREDICT: f32 = 0.2;

/// What the coding screen offers on one paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offer {
    /// Leaf suggestions, best first; the order is the one the digit keys use.
    pub suggestions: Vec<Suggestion>,
    /// Node indices (codebook order of the nodes is not implied) of the predicted set, in
    /// suggestion order; each is one of `suggestions`. Empty when `no_code` is predicted.
    pub predicted: Vec<usize>,
    /// The paragraph is predicted to state no policy instrument.
    pub no_code: bool,
    /// Why no code is predicted (empty otherwise).
    pub no_code_why: String,
}

impl Offer {
    /// 1-based row of `node` in the suggestion list.
    pub fn rank_of(&self, node: usize) -> Option<u32> {
        self.suggestions
            .iter()
            .position(|s| s.node == node)
            .map(|i| i as u32 + 1)
    }
}

impl Engine {
    /// The offer for `text` in its document context (headings above it, its lead clause),
    /// with up to `limit` suggestions.
    pub fn offer(
        &self,
        text: &str,
        _ctx: &ParaContext,
        learned: Option<&Learner>,
        limit: usize,
    ) -> Offer {
        let suggestions = self.suggest_leaves(text, learned, limit);
        let best = suggestions.first().map_or(0.0, |s| s.score);
        if best < MIN_PREDICT {
            return Offer {
                suggestions,
                predicted: Vec::new(),
                no_code: true,
                no_code_why: "no instrument stated".into(),
            };
        }
        let predicted = suggestions
            .iter()
            .filter(|s| s.score >= SET_SHARE * best)
            .map(|s| s.node)
            .collect();
        Offer {
            suggestions,
            predicted,
            no_code: false,
            no_code_why: String::new(),
        }
    }
}
