//! Searching the codebook's nodes the way the coding screen's node picker does: fzf-style
//! queries scored by nucleo-matcher over one line per node, `id  English  中文`, best score
//! first and codebook order between equal scores. It lives in the core so that the evaluation
//! can count the keys the picker needs (`NodeSearch::shortest_query`); `tui/picker.rs`
//! searches with it too, so what is counted is what the coder gets.

use std::collections::HashSet;

use nucleo_matcher::pattern::{CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::Codebook;

/// Longest query tried as an arbitrary subsequence of a node's line; longer queries are tried
/// as contiguous pieces of it only (the number of subsequences grows too fast).
const MAX_SUBSEQUENCE: usize = 3;

/// One result of a search: a node, its score and the matched character indices of its line.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// Node index in the codebook.
    pub node: usize,
    pub score: u32,
    /// Character indices of the node's line that matched (sorted, unique).
    pub matched: Vec<u32>,
}

/// The picker's search over a codebook's nodes.
pub struct NodeSearch {
    haystacks: Vec<String>,
    matcher: Matcher,
    /// Per node, once computed: the shortest query that puts it first.
    shortest: Vec<Option<Option<String>>>,
}

impl std::fmt::Debug for NodeSearch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NodeSearch")
            .field("nodes", &self.haystacks.len())
            .finish_non_exhaustive()
    }
}

impl NodeSearch {
    /// A search over every node of `codebook`.
    pub fn new(codebook: &Codebook) -> NodeSearch {
        let haystacks: Vec<String> = codebook
            .nodes
            .iter()
            .map(|n| format!("{}  {}  {}", n.id, n.name_en, n.name_zh))
            .collect();
        let shortest = vec![None; haystacks.len()];
        NodeSearch {
            haystacks,
            matcher: Matcher::new(Config::DEFAULT),
            shortest,
        }
    }

    /// The searchable line of a node, `id  English  中文`.
    pub fn haystack(&self, node: usize) -> &str {
        &self.haystacks[node]
    }

    /// The nodes matching `query`, best first (ties in codebook order). An empty or blank
    /// query lists every node in codebook order with score 0.
    pub fn search(&mut self, query: &str) -> Vec<Hit> {
        if query.trim().is_empty() {
            return (0..self.haystacks.len())
                .map(|node| Hit {
                    node,
                    score: 0,
                    matched: Vec::new(),
                })
                .collect();
        }
        let pattern = Pattern::parse(query, CaseMatching::Smart, Normalization::Smart);
        let mut buf = Vec::new();
        let mut out = Vec::new();
        for (node, h) in self.haystacks.iter().enumerate() {
            let hay = Utf32Str::new(h, &mut buf);
            let mut idx = Vec::new();
            if let Some(score) = pattern.indices(hay, &mut self.matcher, &mut idx) {
                idx.sort_unstable();
                idx.dedup();
                out.push(Hit {
                    node,
                    score,
                    matched: idx,
                });
            }
        }
        out.sort_by(|a, b| b.score.cmp(&a.score).then(a.node.cmp(&b.node)));
        out
    }

    /// 0-based position of `node` in the results of `query`, `None` when it does not match.
    pub(crate) fn rank(&mut self, node: usize, query: &str) -> Option<usize> {
        self.search(query).iter().position(|h| h.node == node)
    }

    /// The shortest query, in characters typed, that puts `node` first: among the ASCII
    /// characters of its line (a Chinese character costs several keys through an input method,
    /// so queries use letters, digits and punctuation of the id and English name only), every
    /// subsequence of up to three characters, then ever longer contiguous pieces. `None` only
    /// if even the whole ASCII text of the line does not put it first. Cached per node.
    pub(crate) fn shortest_query(&mut self, node: usize) -> Option<String> {
        if let Some(done) = &self.shortest[node] {
            return done.clone();
        }
        let found = self.find_shortest(node);
        self.shortest[node] = Some(found.clone());
        found
    }

    fn find_shortest(&mut self, node: usize) -> Option<String> {
        let chars: Vec<char> = self.haystacks[node]
            .chars()
            .filter(|c| c.is_ascii_graphic())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // Characters with a meaning in fzf syntax are never typed alone.
        let typable = |c: &char| !matches!(c, '!' | '^' | '$' | '\'' | '\\');
        let chars: Vec<char> = chars.into_iter().filter(typable).collect();
        for k in 1..=MAX_SUBSEQUENCE.min(chars.len()) {
            let mut seen = HashSet::new();
            let mut candidates = Vec::new();
            subsequences(&chars, k, 0, &mut String::new(), &mut seen, &mut candidates);
            candidates.sort();
            for q in candidates {
                if self.rank(node, &q) == Some(0) {
                    return Some(q);
                }
            }
        }
        // Contiguous pieces of the id and names (split at spaces, as typed).
        let words: Vec<Vec<char>> = self.haystacks[node]
            .split_whitespace()
            .map(|w| {
                w.chars()
                    .filter(|c| c.is_ascii_graphic() && typable(c))
                    .map(|c| c.to_ascii_lowercase())
                    .collect::<Vec<char>>()
            })
            .filter(|w| !w.is_empty())
            .collect();
        let longest = words.iter().map(Vec::len).max().unwrap_or(0);
        for k in MAX_SUBSEQUENCE + 1..=longest {
            let mut candidates: Vec<String> = words
                .iter()
                .flat_map(|w| w.windows(k).map(|p| p.iter().collect::<String>()))
                .collect();
            candidates.sort();
            candidates.dedup();
            for q in candidates {
                if self.rank(node, &q) == Some(0) {
                    return Some(q);
                }
            }
        }
        None
    }
}

/// Every distinct subsequence of `chars` of length `k`, in first-seen order.
fn subsequences(
    chars: &[char],
    k: usize,
    from: usize,
    cur: &mut String,
    seen: &mut HashSet<String>,
    out: &mut Vec<String>,
) {
    if cur.chars().count() == k {
        if seen.insert(cur.clone()) {
            out.push(cur.clone());
        }
        return;
    }
    let mut used = HashSet::new();
    for i in from..chars.len() {
        // The same character at a later position gives no new subsequence.
        if !used.insert(chars[i]) {
            continue;
        }
        cur.push(chars[i]);
        subsequences(chars, k, i + 1, cur, seen, out);
        cur.pop();
    }
}

/// A three-node codebook for unit tests of searching nodes (here and, through the
/// `test-support` feature, the TUI's picker).
#[cfg(any(test, feature = "test-support"))]
pub fn three_nodes() -> Codebook {
    use crate::codebook::Node;
    let mk = |id: &str, en: &str, zh: &str| Node {
        id: id.into(),
        name_en: en.into(),
        name_zh: zh.into(),
        ..Node::default()
    };
    Codebook {
        name: "t".into(),
        description: String::new(),
        nodes: vec![
            mk("supply.human-resources", "Talent", "人才培养"),
            mk("environment.tax-incentives", "Tax incentives", "税收优惠"),
            mk(
                "demand.application-scenarios",
                "Application scenarios",
                "应用场景",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cb() -> Codebook {
        three_nodes()
    }

    #[test]
    fn search_ranks_like_the_picker() {
        let mut s = NodeSearch::new(&cb());
        assert_eq!(s.search("").len(), 3);
        assert_eq!(s.rank(1, "tax"), Some(0));
        assert_eq!(s.rank(2, "场景"), Some(0));
        assert_eq!(s.rank(0, "sup hum"), Some(0));
        assert_eq!(s.rank(0, "zzzz"), None);
    }

    #[test]
    fn shortest_query_is_the_fewest_characters_that_put_the_node_first() {
        let mut s = NodeSearch::new(&cb());
        for node in 0..3 {
            let q = s.shortest_query(node).expect("every node can be found");
            assert_eq!(s.rank(node, &q), Some(0), "{q}");
            // No shorter query from the same characters does it.
            let n = q.chars().count();
            if n > 1 {
                let chars: Vec<char> = s
                    .haystack(node)
                    .chars()
                    .filter(|c| c.is_ascii_graphic())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                let mut seen = HashSet::new();
                let mut shorter = Vec::new();
                subsequences(
                    &chars,
                    n - 1,
                    0,
                    &mut String::new(),
                    &mut seen,
                    &mut shorter,
                );
                assert!(shorter.iter().all(|q| s.rank(node, q) != Some(0)));
            }
        }
        // `x` occurs only in "tax": one character is enough.
        assert_eq!(s.shortest_query(1).map(|q| q.chars().count()), Some(1));
    }
}
