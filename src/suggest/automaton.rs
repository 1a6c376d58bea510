//! The keyword automaton: one aho-corasick automaton over every keyword and exclusion keyword
//! of the codebook, matched on raw paragraph text (jieba would cut 营商环境 into 营商/环境).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::codebook::Codebook;

/// A node that lists a pattern, as a keyword or as an exclusion keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Owner {
    /// Index of the node in the codebook.
    pub node: usize,
    /// Whether the pattern is one of the node's exclusion keywords.
    pub exclude: bool,
}

/// One distinct pattern (keywords are deduplicated after ASCII case folding).
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The keyword as first written in the codebook.
    pub keyword: String,
    /// The keyword trimmed and ASCII lower-cased: its identity across codebook reloads.
    pub folded: String,
    /// Nodes listing it, in codebook order.
    pub owners: Vec<Owner>,
    /// The keyword starts / ends with an ASCII letter or digit, so a match must not continue
    /// a Latin word there ("AI" must not match inside "MAIN").
    bound_start: bool,
    bound_end: bool,
}

/// A keyword occurrence, in byte offsets of the matched text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawHit {
    /// Index into [`Matcher::patterns`].
    pub pattern: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// All keywords of a codebook in one automaton.
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
}

/// The ASCII-folded form under which keywords are deduplicated.
pub fn fold(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

impl Matcher {
    /// Builds the automaton over all keywords and exclusion keywords of `codebook`. Empty
    /// keywords are ignored.
    pub fn new(codebook: &Codebook) -> Matcher {
        let mut patterns: Vec<Pattern> = Vec::new();
        let mut folded: Vec<String> = Vec::new();
        let mut by_text = std::collections::HashMap::new();
        for (node, n) in codebook.nodes.iter().enumerate() {
            let listed = n.keywords.iter().map(|k| (k, false));
            let excluded = n.exclude_keywords.iter().map(|k| (k, true));
            for (kw, exclude) in listed.chain(excluded) {
                let f = fold(kw);
                if f.is_empty() {
                    continue;
                }
                let owner = Owner { node, exclude };
                let id = *by_text.entry(f.clone()).or_insert_with(|| {
                    let t = kw.trim();
                    patterns.push(Pattern {
                        keyword: t.to_string(),
                        folded: f.clone(),
                        owners: Vec::new(),
                        bound_start: t.chars().next().is_some_and(|c| c.is_ascii_alphanumeric()),
                        bound_end: t.chars().last().is_some_and(|c| c.is_ascii_alphanumeric()),
                    });
                    folded.push(f);
                    patterns.len() - 1
                });
                if !patterns[id].owners.contains(&owner) {
                    patterns[id].owners.push(owner);
                }
            }
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&folded)
            // Only exceeding the automaton's state-id space can fail; a codebook that large
            // gets no keyword matching rather than a crash.
            .unwrap_or_else(|_| AhoCorasick::new(Vec::<&str>::new()).expect("empty automaton"));
        Matcher { ac, patterns }
    }

    /// The distinct patterns, indexed by [`RawHit::pattern`].
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Every occurrence of every pattern in `text` (overlapping), in order of end offset,
    /// without the English matches that sit inside a longer Latin word.
    pub fn find(&self, text: &str) -> Vec<RawHit> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        for m in self.ac.find_overlapping_iter(text) {
            let p = &self.patterns[m.pattern().as_usize()];
            if p.bound_start && m.start() > 0 && bytes[m.start() - 1].is_ascii_alphanumeric() {
                continue;
            }
            if p.bound_end
                && bytes
                    .get(m.end())
                    .is_some_and(|b| b.is_ascii_alphanumeric())
            {
                continue;
            }
            out.push(RawHit {
                pattern: m.pattern().as_usize(),
                byte_start: m.start(),
                byte_end: m.end(),
            });
        }
        out
    }

    /// Leftmost-longest, non-overlapping selection of `hits` (byte offsets), in text order.
    /// Chosen from the boundary-checked overlapping matches so that a rejected English match
    /// cannot hide a valid shorter one.
    pub fn leftmost_longest(hits: &[RawHit]) -> Vec<RawHit> {
        let mut sorted = hits.to_vec();
        sorted.sort_by_key(|h| (h.byte_start, std::cmp::Reverse(h.byte_end), h.pattern));
        let mut out: Vec<RawHit> = Vec::new();
        for h in sorted {
            if out.last().is_none_or(|l| h.byte_start >= l.byte_end) {
                out.push(h);
            }
        }
        out
    }
}

/// Converts byte offsets of one text into character offsets. Built once per paragraph, then
/// each lookup is a binary search; a byte offset inside a character maps to that character.
pub struct CharIndex {
    starts: Vec<usize>,
    len: usize,
}

impl CharIndex {
    /// Indexes the character boundaries of `text`.
    pub fn new(text: &str) -> CharIndex {
        CharIndex {
            starts: text.char_indices().map(|(b, _)| b).collect(),
            len: text.len(),
        }
    }

    /// Character offset of byte offset `byte` (the text length maps to the character count).
    pub fn char_at(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) if byte >= self.len => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}
