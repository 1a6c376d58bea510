//! Learning from the coder: a multinomial naive Bayes model over jieba words and keyword hits,
//! plus accept/reject counts per (keyword, node). The state is a pure function of the set of
//! coded paragraphs (counts are added and subtracted, never decayed), so rebuilding it from the
//! codings gives exactly what was learned live: it needs no file of its own.

use std::collections::HashMap;
use std::sync::Arc;

use super::Segmenter;
use crate::codebook::Codebook;
use crate::corpus::{parse_para_id, Document};
use crate::store::Codings;

/// Prefix of keyword-hit features, which cannot collide with a jieba word (a word never
/// contains a space).
const KW_PREFIX: &str = "kw ";
/// The learned model never carries more than this share of a suggestion's score. On the
/// real-corpus sample of EVALUATION.md an uncapped weight (→ 1) let the over-confident naive
/// Bayes push the right node out of first place (top-1 74.7% → 52.3%); at 0.3 top-1 matches
/// keywords alone and top-3 improves. Chosen after seeing those figures — see EVALUATION.md.
const MAX_WEIGHT: f32 = 0.3;
/// Decisions at which learning reaches half of [`MAX_WEIGHT`].
const HALF_WEIGHT_AT: f32 = 20.0;

/// A model of one coder's decisions. Cheap to clone relative to rebuilding; `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Learner {
    seg: Arc<Segmenter>,
    /// Paragraphs learned (each coded paragraph once, no-code ones included).
    decisions: u32,
    /// Training paragraphs per class; class `n_nodes` is "no code".
    class_docs: Vec<u32>,
    /// Feature occurrences per class.
    class_feats: Vec<u64>,
    /// Feature -> (class, count), the inverted index that keeps prediction cheap.
    postings: HashMap<String, Vec<(u32, u32)>>,
    /// Folded keyword -> node -> (accepted, rejected).
    votes: HashMap<String, HashMap<usize, (u32, u32)>>,
}

impl Learner {
    /// An empty model for the codebook `seg` was built for.
    pub fn new(seg: Arc<Segmenter>) -> Learner {
        let classes = seg.node_count() + 1;
        Learner {
            seg,
            decisions: 0,
            class_docs: vec![0; classes],
            class_feats: vec![0; classes],
            postings: HashMap::new(),
            votes: HashMap::new(),
        }
    }

    /// Rebuilds the model from a coder's codings: every coded paragraph (nodes or an explicit
    /// no-code mark) found in `docs`. Node ids missing from `codebook` are ignored.
    pub fn from_codings(
        seg: Arc<Segmenter>,
        codebook: &Codebook,
        docs: &[Document],
        codings: &Codings,
    ) -> Learner {
        Learner::from_examples(seg, docs, &Examples::new(codebook, docs, codings))
    }

    /// Rebuilds the model from [`Examples`] taken from `docs`.
    pub fn from_examples(seg: Arc<Segmenter>, docs: &[Document], examples: &Examples) -> Learner {
        let mut l = Learner::new(seg);
        for (doc, para, nodes) in &examples.0 {
            l.learn(&docs[*doc as usize].paragraphs[*para as usize].text, nodes);
        }
        l
    }

    /// Learns one coded paragraph: `chosen` are the node indices the coder chose (empty for
    /// an explicit "no code"). For every keyword that fired, each node listing it counts an
    /// accept if the coder chose it or one of its descendants, else a reject. Call
    /// [`Learner::unlearn`] with the old nodes first when a paragraph is recoded.
    pub fn learn(&mut self, text: &str, chosen: &[usize]) {
        self.apply(text, chosen, true);
    }

    /// Removes what [`Learner::learn`] added for the same text and nodes.
    pub fn unlearn(&mut self, text: &str, chosen: &[usize]) {
        self.apply(text, chosen, false);
    }

    /// Number of paragraphs learned.
    pub fn decisions(&self) -> u32 {
        self.decisions
    }

    /// Paragraphs learned with `node` among their codes.
    pub(crate) fn positives(&self, node: usize) -> u32 {
        self.class_docs.get(node).copied().unwrap_or(0)
    }

    /// Weight of the learned score in the blend: `0.3 · n / (n + 20)`.
    pub(crate) fn weight(&self) -> f32 {
        let n = self.decisions as f32;
        MAX_WEIGHT * n / (n + HALF_WEIGHT_AT)
    }

    /// Multiplier for a keyword's support of `node`: `(accepted + 1) / (accepted + rejected
    /// + 1)`, so three rejections with no accept leave a quarter of the weight.
    pub(crate) fn keyword_factor(&self, folded_keyword: &str, node: usize) -> f32 {
        match self.votes.get(folded_keyword).and_then(|m| m.get(&node)) {
            Some(&(a, r)) => (a as f32 + 1.0) / (a as f32 + r as f32 + 1.0),
            None => 1.0,
        }
    }

    /// Accepted and rejected counts of `node` when `folded_keyword` fired.
    // Test-only: the tests check what was learned with it.
    #[cfg(test)]
    pub(crate) fn votes(&self, folded_keyword: &str, node: usize) -> (u32, u32) {
        self.votes
            .get(folded_keyword)
            .and_then(|m| m.get(&node))
            .copied()
            .unwrap_or((0, 0))
    }

    /// Posterior probability per node (index = node) that the coder codes `text` with it;
    /// all zeros before any decision. The "no code" class takes its share but is not returned.
    pub(crate) fn predict(&self, text: &str) -> Vec<f32> {
        let n_nodes = self.class_docs.len() - 1;
        let mut out = vec![0.0f32; n_nodes];
        let total_docs: u32 = self.class_docs.iter().sum();
        if total_docs == 0 {
            return out;
        }
        let feats = self.features(text);
        let vocab = self.postings.len() as f64;
        // Only features seen in training count; unseen ones carry no class information.
        let known: Vec<(&Vec<(u32, u32)>, u32)> = feats
            .iter()
            .filter_map(|(f, x)| self.postings.get(f).map(|p| (p, *x)))
            .collect();
        let x_total: u32 = known.iter().map(|(_, x)| x).sum();
        // Naive Bayes counts every correlated word of a long paragraph as independent
        // evidence and ends at 0/1 posteriors; dividing the likelihood by sqrt(words) keeps
        // the posterior usable for blending with the keyword score.
        let damp = (x_total.max(1) as f64).sqrt();
        let mut logit = vec![f64::NEG_INFINITY; self.class_docs.len()];
        for (c, &d) in self.class_docs.iter().enumerate() {
            if d > 0 {
                let prior = (d as f64 / total_docs as f64).ln();
                let denom = (self.class_feats[c] as f64 + vocab).ln();
                logit[c] = prior - x_total as f64 * denom / damp;
            }
        }
        for (posting, x) in known {
            for &(c, n) in posting {
                // Laplace smoothing with alpha = 1: classes that never saw the feature add
                // ln(1) = 0, so only the posting list needs visiting.
                logit[c as usize] += x as f64 * (n as f64 + 1.0).ln() / damp;
            }
        }
        let max = logit.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        let sum: f64 = logit.iter().map(|l| (l - max).exp()).sum();
        for (i, o) in out.iter_mut().enumerate() {
            *o = ((logit[i] - max).exp() / sum) as f32;
        }
        out
    }

    /// Word and keyword-hit features of `text` with counts, sorted.
    fn features(&self, text: &str) -> Vec<(String, u32)> {
        let mut all = self.seg.words(text);
        for h in self.seg.matcher.find(text) {
            all.push(format!(
                "{KW_PREFIX}{}",
                self.seg.matcher.patterns()[h.pattern].folded
            ));
        }
        all.sort_unstable();
        let mut out: Vec<(String, u32)> = Vec::new();
        for f in all {
            match out.last_mut() {
                Some((last, n)) if *last == f => *n += 1,
                _ => out.push((f, 1)),
            }
        }
        out
    }

    fn apply(&mut self, text: &str, chosen: &[usize], add: bool) {
        let n_nodes = self.class_docs.len() - 1;
        let mut classes: Vec<usize> = chosen.iter().copied().filter(|&c| c < n_nodes).collect();
        classes.sort_unstable();
        classes.dedup();
        if classes.is_empty() && !chosen.is_empty() {
            return; // only unknown nodes: nothing to learn
        }
        let feats = self.features(text);
        let total: u64 = feats.iter().map(|(_, n)| *n as u64).sum();
        let targets = if classes.is_empty() {
            vec![n_nodes]
        } else {
            classes.clone()
        };
        for &c in &targets {
            bump(&mut self.class_docs[c], 1, add);
            self.class_feats[c] = if add {
                self.class_feats[c] + total
            } else {
                self.class_feats[c].saturating_sub(total)
            };
            for (f, n) in &feats {
                let posting = self.postings.entry(f.clone()).or_default();
                match posting.iter_mut().find(|(k, _)| *k as usize == c) {
                    Some((_, count)) => bump(count, *n, add),
                    None if add => posting.push((c as u32, *n)),
                    None => {}
                }
                posting.retain(|(_, count)| *count > 0);
                if posting.is_empty() {
                    self.postings.remove(f);
                }
            }
        }
        bump(&mut self.decisions, 1, add);
        self.apply_votes(text, &classes, add);
    }

    fn apply_votes(&mut self, text: &str, chosen: &[usize], add: bool) {
        let matcher = &self.seg.matcher;
        let mut fired: Vec<usize> = matcher.find(text).iter().map(|h| h.pattern).collect();
        fired.sort_unstable();
        fired.dedup();
        for p in fired {
            let pat = &matcher.patterns()[p];
            for o in pat.owners.iter().filter(|o| !o.exclude) {
                let accepted = chosen.iter().any(|&c| self.is_self_or_ancestor(o.node, c));
                let entry = self.votes.entry(pat.folded.clone()).or_default();
                let v = entry.entry(o.node).or_insert((0, 0));
                if accepted {
                    bump(&mut v.0, 1, add);
                } else {
                    bump(&mut v.1, 1, add);
                }
                if *v == (0, 0) {
                    entry.remove(&o.node);
                }
            }
        }
    }

    /// Whether `node` is `of` or one of its ancestors.
    fn is_self_or_ancestor(&self, node: usize, of: usize) -> bool {
        let mut cur = Some(of);
        while let Some(c) = cur {
            if c == node {
                return true;
            }
            cur = self.seg.parents.get(c).copied().flatten();
        }
        false
    }
}

fn bump(v: &mut u32, by: u32, add: bool) {
    *v = if add {
        v.saturating_add(by)
    } else {
        v.saturating_sub(by)
    };
}

/// One coded paragraph of a coder, resolved against the study.
#[derive(Debug, Clone)]
pub(crate) struct Coded<'a> {
    pub doc: usize,
    /// Index in the document's paragraphs.
    pub para: usize,
    pub text: &'a str,
    /// Chosen node indices in codebook order; empty for an explicit "no code".
    pub nodes: Vec<usize>,
}

/// What a learner is built from: (document index, paragraph index, chosen node indices) for
/// each coded paragraph. A few bytes per decision, so the TUI hands this to the learner's
/// thread rather than a copy of the codings (~20 MB at 20,000 decisions).
#[derive(Debug, Clone, Default)]
pub struct Examples(Vec<(u32, u32, Vec<usize>)>);

impl Examples {
    /// The coded paragraphs of `codings` found in `docs` (see [`Learner::from_codings`]).
    pub fn new(codebook: &Codebook, docs: &[Document], codings: &Codings) -> Examples {
        Examples(
            coded_paragraphs(codebook, docs, codings)
                .into_iter()
                .map(|c| (c.doc as u32, c.para as u32, c.nodes))
                .collect(),
        )
    }
}

/// The coded paragraphs of `codings` (nodes or no-code) that exist in `docs`, in paragraph-id
/// order. Decisions naming only unknown nodes are left out.
pub(crate) fn coded_paragraphs<'a>(
    codebook: &Codebook,
    docs: &'a [Document],
    codings: &'a Codings,
) -> Vec<Coded<'a>> {
    let by_id: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.id.as_str(), i))
        .collect();
    let mut out = Vec::new();
    for (pid, d) in &codings.decisions {
        if !d.is_coded() {
            continue;
        }
        let Some((doc_id, n)) = parse_para_id(pid) else {
            continue;
        };
        let Some(&doc) = by_id.get(doc_id) else {
            continue;
        };
        let Some(para) = docs[doc].paragraphs.iter().position(|p| p.n == n) else {
            continue;
        };
        let mut nodes: Vec<usize> = d.nodes.iter().filter_map(|id| codebook.index(id)).collect();
        nodes.sort_unstable();
        nodes.dedup();
        if nodes.is_empty() && !d.no_code {
            continue;
        }
        out.push(Coded {
            doc,
            para,
            text: &docs[doc].paragraphs[para].text,
            nodes,
        });
    }
    out
}
