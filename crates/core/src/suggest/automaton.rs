//! The keyword automaton: one aho-corasick automaton over every keyword and exclusion keyword
//! of the codebook, matched on raw paragraph text (jieba would cut 营商环境 into 营商/环境).

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::codebook::Codebook;

/// A node that lists a pattern, as a keyword or as an exclusion keyword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Owner {
    /// Index of the node in the codebook.
    pub node: usize,
    /// Whether the pattern is one of the node's exclusion keywords.
    pub exclude: bool,
}

/// One distinct pattern (keywords are deduplicated after ASCII case folding).
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
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
pub(crate) struct RawHit {
    /// Index into [`Matcher::patterns`].
    pub pattern: usize,
    pub byte_start: usize,
    pub byte_end: usize,
}

/// All keywords of a codebook in one automaton.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    ac: AhoCorasick,
    patterns: Vec<Pattern>,
}

/// The ASCII-folded form under which keywords are deduplicated.
pub(crate) fn fold(s: &str) -> String {
    s.trim().to_ascii_lowercase()
}

impl Matcher {
    /// Builds the automaton over all keywords and exclusion keywords of `codebook`. Empty
    /// keywords are ignored.
    pub(crate) fn new(codebook: &Codebook) -> Matcher {
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
    pub(crate) fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// Every occurrence of every pattern in `text` (overlapping), in order of end offset,
    /// without the English matches that sit inside a longer Latin word.
    pub(crate) fn find(&self, text: &str) -> Vec<RawHit> {
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
    pub(crate) fn leftmost_longest(hits: &[RawHit]) -> Vec<RawHit> {
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
pub(crate) struct CharIndex {
    starts: Vec<usize>,
    len: usize,
}

impl CharIndex {
    /// Indexes the character boundaries of `text`.
    pub(crate) fn new(text: &str) -> CharIndex {
        CharIndex {
            starts: text.char_indices().map(|(b, _)| b).collect(),
            len: text.len(),
        }
    }

    /// Character offset of byte offset `byte` (the text length maps to the character count).
    pub(crate) fn char_at(&self, byte: usize) -> usize {
        match self.starts.binary_search(&byte) {
            Ok(i) => i,
            Err(i) if byte >= self.len => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::suggest::testkit::codebook;

    fn spans(m: &Matcher, text: &str) -> Vec<(String, usize, usize)> {
        let ci = CharIndex::new(text);
        let mut v: Vec<_> = m
            .find(text)
            .iter()
            .map(|h| {
                let kw = m.patterns()[h.pattern].keyword.clone();
                (kw, ci.char_at(h.byte_start), ci.char_at(h.byte_end))
            })
            .collect();
        v.sort_by_key(|(k, s, e)| (*s, *e, k.clone()));
        v
    }

    #[test]
    fn chinese_hits_are_character_spans() {
        let m = Matcher::new(&codebook(&[("a", None, &["营商环境"], &[])]));
        let text = "加快推进营商环境建设，优化营商环境";
        let got = spans(&m, text);
        assert_eq!(
            got,
            vec![("营商环境".into(), 4, 8), ("营商环境".into(), 13, 17)]
        );
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[13..17].iter().collect::<String>(), "营商环境");
    }

    #[test]
    fn mixed_chinese_and_english_spans_and_boundaries() {
        let m = Matcher::new(&codebook(&[("a", None, &["AI", "5G"], &[])]));
        let got = spans(&m, "推动AI与5G融合，MAIN平台和ai芯片，15G不算");
        assert_eq!(
            got,
            vec![
                ("AI".into(), 2, 4),
                ("5G".into(), 5, 7),
                ("AI".into(), 17, 19)
            ]
        );
    }

    #[test]
    fn english_is_case_insensitive_at_word_boundaries() {
        let m = Matcher::new(&codebook(&[("a", None, &["AI", "big data"], &[])]));
        let got = spans(&m, "Big data and AI-driven MAIN systems; AIDS; ai.");
        assert_eq!(
            got,
            vec![
                ("big data".into(), 0, 8),
                ("AI".into(), 13, 15),
                ("AI".into(), 43, 45)
            ]
        );
    }

    #[test]
    fn shared_keywords_are_one_pattern_with_every_owner() {
        let cb = codebook(&[
            ("a", None, &["数据"], &[]),
            ("b", None, &["数据"], &["数据"]),
        ]);
        let m = Matcher::new(&cb);
        assert_eq!(m.patterns().len(), 1);
        let owners = &m.patterns()[0].owners;
        assert_eq!(owners.len(), 3);
        assert!(owners.contains(&Owner {
            node: 1,
            exclude: true
        }));
    }

    #[test]
    fn leftmost_longest_picks_non_overlapping_spans() {
        let m = Matcher::new(&codebook(&[(
            "a",
            None,
            &["营商", "营商环境", "环境建设", "建设"],
            &[],
        )]));
        let text = "营商环境建设";
        let picked = Matcher::leftmost_longest(&m.find(text));
        let ci = CharIndex::new(text);
        let got: Vec<(usize, usize)> = picked
            .iter()
            .map(|h| (ci.char_at(h.byte_start), ci.char_at(h.byte_end)))
            .collect();
        assert_eq!(got, vec![(0, 4), (4, 6)]);
    }
}
