//! Chinese word segmentation with jieba, every codebook keyword added to its dictionary first,
//! plus the codebook facts the learner needs. Building it takes ~0.1 s, so the TUI builds it on
//! a thread; nothing in [`super::Engine`] waits for it.

use jieba_rs::Jieba;

use super::automaton::Matcher;
use crate::codebook::Codebook;

/// A jieba segmenter that knows the codebook's keywords, and the keyword automaton and node
/// tree the [`super::Learner`] uses for its features. `Send + Sync`: build it on a thread and
/// share it with an `Arc`.
pub struct Segmenter {
    jieba: Jieba,
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
    /// Loads jieba's default dictionary and adds every keyword and exclusion keyword of
    /// `codebook` to it, so 营商环境 stays one token.
    pub fn new(codebook: &Codebook) -> Segmenter {
        let mut jieba = Jieba::new();
        let matcher = Matcher::new(codebook);
        for p in matcher.patterns() {
            // Multi-word English keywords cannot be one jieba token; they still count through
            // the keyword features.
            if !p.keyword.contains(char::is_whitespace) {
                jieba.add_word(&p.keyword, None, None);
            }
        }
        Segmenter {
            jieba,
            matcher,
            parents: codebook.nodes.iter().map(|n| n.parent).collect(),
            ids: codebook.nodes.iter().map(|n| n.id.clone()).collect(),
        }
    }

    /// Number of codebook nodes this segmenter was built for.
    pub fn node_count(&self) -> usize {
        self.ids.len()
    }

    /// jieba's tokens of `text` (no HMM, so results only depend on the dictionary), including
    /// punctuation and spaces.
    pub fn cut<'a>(&self, text: &'a str) -> Vec<&'a str> {
        self.jieba
            .cut(text, false)
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// The words of `text` worth counting: tokens of two or more characters with at least one
    /// letter, digit or ideograph, ASCII lower-cased. Single characters (的, 和, 等) carry
    /// little topic and are left out.
    pub fn words(&self, text: &str) -> Vec<String> {
        self.jieba
            .cut(text, false)
            .into_iter()
            .filter(|t| {
                t.word.chars().nth(1).is_some() && t.word.chars().any(char::is_alphanumeric)
            })
            .map(|t| t.word.to_ascii_lowercase())
            .collect()
    }
}
