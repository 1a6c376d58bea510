//! Suggestions: which codebook nodes a paragraph likely belongs to, and why. One aho-corasick
//! automaton over all keywords, IDF-style weights from the study's paragraphs, exclusion
//! keywords, and a model learned from the coder's own decisions.
//!
//! The TUI depends only on [`Suggestion`] and [`Engine::suggest`]; how ranking works is private
//! to this module.

use crate::store::SuggestSource;

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
