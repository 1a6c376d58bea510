//! Chinese word segmentation with jieba, every codebook keyword added to its dictionary first,
//! plus the codebook facts the learner needs. Building it for a study's paragraphs takes
//! tens of milliseconds (see [`crate::wordseg`]), so the TUI builds it on a thread; nothing in
//! [`super::Engine`] waits for it.

use super::automaton::Matcher;
use crate::codebook::Codebook;
use crate::corpus::{paragraph_texts, Document};
use crate::wordseg::Cutter;

/// A jieba segmenter that knows the codebook's keywords, and the keyword automaton and node
/// tree the [`super::Learner`] uses for its features. `Send + Sync`: build it on a thread and
/// share it with an `Arc`.
pub struct Segmenter {
    cutter: Cutter,
    pub(crate) matcher: Matcher,
    pub(crate) parents: Vec<Option<usize>>,
    pub(crate) ids: Vec<String>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("nodes", &self.ids.len())
            .finish_non_exhaustive()
    }
}

impl Segmenter {
    /// jieba with every keyword and exclusion keyword of `codebook` kept whole (so 营商环境
    /// stays one token), its dictionary cut down to what `texts` can meet (see
    /// [`crate::wordseg`]): pass every paragraph the learner will see. Other text is still cut
    /// right, with the full dictionary built on first need.
    pub fn new<'t>(codebook: &Codebook, texts: impl IntoIterator<Item = &'t str>) -> Segmenter {
        let matcher = Matcher::new(codebook);
        // Multi-word English keywords cannot be one jieba token; they still count through
        // the keyword features.
        let words: Vec<&str> = matcher
            .patterns()
            .iter()
            .map(|p| p.keyword.as_str())
            .filter(|k| !k.contains(char::is_whitespace))
            .collect();
        let cutter = Cutter::new(&words, texts);
        Segmenter {
            cutter,
            parents: codebook.nodes.iter().map(|n| n.parent).collect(),
            ids: codebook.nodes.iter().map(|n| n.id.clone()).collect(),
            matcher,
        }
    }

    /// Segmenter for the paragraphs of `docs`.
    pub fn for_docs(codebook: &Codebook, docs: &[Document]) -> Segmenter {
        Segmenter::new(codebook, paragraph_texts(docs))
    }

    /// Number of codebook nodes this segmenter was built for.
    pub(crate) fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// jieba's tokens of `text` (no HMM, so results only depend on the dictionary), including
    /// punctuation and spaces.
    // Test-only: the tests compare tokens with it.
    #[cfg(test)]
    pub(crate) fn cut<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.cutter
            .cut(text, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// The words of `text` worth counting: tokens of two or more characters with at least one
    /// letter, digit or ideograph, ASCII lower-cased. Single characters (的, 和, 等) carry
    /// little topic and are left out.
    pub(crate) fn words(&self, text: &str) -> Vec<String> {
        self.cutter
            .cut(text, false)
            .into_iter()
            .filter(|t| {
                t.word.chars().nth(1).is_some() && t.word.chars().any(char::is_alphanumeric)
            })
            .map(|t| t.word.to_ascii_lowercase())
            .collect()
    }
}
