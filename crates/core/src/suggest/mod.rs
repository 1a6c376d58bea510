//! Suggestions: which codebook nodes a paragraph likely belongs to, and why. Keyword evidence
//! (one aho-corasick automaton over all keywords, IDF-style weights from the study's
//! paragraphs, exclusion keywords), the bundled prior ([`prior`]) and a model learned from the
//! coder's own decisions ([`Learner`]).
//!
//! The coding screen, `polcode eval` and the benchmarks ask one question of this module,
//! [`Engine::offer`] (`offer`): the ranked rows, the predicted set and whether no code is
//! predicted. The TUI uses [`Engine`], [`Offer`], [`Suggestion`], and [`Learner`] built from
//! [`Examples`] with a [`Segmenter`]; how ranking works is private to this module.
//!
//! # How the keyword ranking scores a paragraph
//! This is [`Engine::suggest`]; with a bundled prior, `offer` scores leaves by the prior's
//! probability instead (see there).
//!
//! 1. Keywords are matched on the raw text (`automaton`): overlapping matches, English
//!    keywords case-insensitive and only at word boundaries.
//! 2. Each keyword of a node adds a BM25 term: its IDF across the study's paragraphs times a
//!    saturating term frequency normalised by paragraph length (k1 = 1.2, b = 0.5). A
//!    (keyword, node) pair the coder keeps rejecting is discounted by
//!    `(accepted + 1) / (accepted + rejected + 1)` ([`Learner`]).
//! 3. An exclusion keyword of a node suppresses that node and all its descendants.
//! 4. Parents are ranked from their children: an internal node's evidence is its own plus half
//!    of each child's (recursively). A parent backed by one child therefore ranks just below that
//!    child; with two children equally supported it ties with them (and codebook order puts it
//!    first), with three or more it ranks above them. Leaves are what the coder mostly picks,
//!    so they come first in the common case. Hits of a parent include its descendants' hits.
//! 5. The keyword evidence `r` becomes a score `r / (r + 3)` in `0..1`; with a [`Learner`] the
//!    final score is `(1 - w) * keyword + w * learned` with `w = 0.3 * n / (n + 20)` for `n`
//!    learned decisions. The source is [`SuggestSource::Learned`] when the learned part is larger.
//! 6. Ties are broken by codebook order, so the ranking is deterministic.

use crate::store::SuggestSource;

pub(crate) mod automaton;
pub(crate) mod duty;
pub(crate) mod eval;
pub mod eval_pair;
mod idf;
pub(crate) mod learn;
mod measure;
pub(crate) mod offer;
pub mod prior;
pub mod prior_data;
pub(crate) mod rank;
pub mod report;
pub(crate) mod segment;
#[cfg(test)]
pub(crate) mod testkit;
#[cfg(test)]
mod tests_learn;
#[cfg(test)]
mod tests_offer;
#[cfg(test)]
mod tests_rank;
#[cfg(test)]
mod tests_real;

pub use eval::{evaluate, EvalOpts};
pub use eval_pair::{evaluate_pair, PairOpts};
pub use learn::{Examples, Learner};
pub use offer::Offer;
pub use rank::Engine;
pub use report::report;
pub use segment::Segmenter;

/// One keyword occurrence that supports a suggestion.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub keyword: String,
    /// Character (code point) offsets in the paragraph, end exclusive.
    pub start: usize,
    pub end: usize,
    /// How much this hit added to the node's score.
    pub weight: f32,
}

/// A candidate node for a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// Index of the node in the codebook.
    pub node: usize,
    /// Score in `0.0..=1.0`, comparable within one paragraph.
    pub score: f32,
    /// Where most of the score came from.
    pub source: SuggestSource,
    /// The keyword hits behind it (empty for purely learned suggestions).
    pub hits: Vec<Hit>,
    /// One-line human explanation ("营商环境 ×2, 政务服务" or "learned from 12 decisions").
    pub why: String,
}
