//! The suggestion engine: keyword evidence with IDF weights and length normalisation,
//! exclusion keywords, parents ranked from their children, blended with a [`Learner`].
//! See the module docs of [`crate::suggest`] for the scoring rules.

use super::automaton::{CharIndex, Matcher, RawHit};
use super::idf::Idf;
use super::{Hit, Learner, Suggestion};
use crate::codebook::Codebook;
use crate::store::SuggestSource;

/// BM25 term-frequency saturation.
const K1: f32 = 1.2;
/// BM25 length normalisation: half strength, because policy paragraphs range from one line to
/// a page and full strength would bury long paragraphs.
const B: f32 = 0.5;
/// Keyword evidence at which the keyword score is 0.5.
const HALF_SCORE_AT: f32 = 3.0;
/// Share of a child's evidence its parent receives.
const PARENT_SHARE: f32 = 0.5;
/// Scores below this are not suggested (they are noise from the learned model's tail).
const MIN_SCORE: f32 = 0.01;

/// Ranks codebook nodes for paragraphs. Built when the codebook loads (milliseconds; it never
/// constructs jieba) and rebuilt when the codebook changes. `Send + Sync`.
#[derive(Debug, Clone)]
pub struct Engine {
    matcher: Matcher,
    idf: Idf,
    pub(super) parents: Vec<Option<usize>>,
    pub(super) leaves: Vec<bool>,
    /// Node indices, deepest first, so children are summed before their parents.
    bottom_up: Vec<usize>,
    /// The bundled prior for this codebook; see [`super::offer`].
    pub(super) prior: Option<std::sync::Arc<super::prior::Prior>>,
    /// Node ids, for the prior's class names.
    pub(super) ids: Vec<String>,
}

/// One keyword's contribution to one node.
struct Contribution {
    node: usize,
    pattern: usize,
    value: f32,
}

impl Engine {
    /// Builds the automaton over `codebook`'s keywords and weighs each keyword by how many of
    /// `paragraphs` (the study's paragraph texts) contain it.
    pub fn new(codebook: &Codebook, paragraphs: &[&str]) -> Engine {
        let matcher = Matcher::new(codebook);
        let idf = Idf::new(&matcher, paragraphs);
        let parents: Vec<Option<usize>> = codebook.nodes.iter().map(|n| n.parent).collect();
        let depth = |mut i: usize| {
            let mut d = 0;
            while let Some(p) = parents[i] {
                i = p;
                d += 1;
            }
            d
        };
        let mut bottom_up: Vec<usize> = (0..parents.len()).collect();
        bottom_up.sort_by_key(|&i| (std::cmp::Reverse(depth(i)), i));
        let mut engine = Engine {
            leaves: (0..parents.len()).map(|i| codebook.is_leaf(i)).collect(),
            matcher,
            idf,
            parents,
            bottom_up,
            prior: None,
            ids: codebook.nodes.iter().map(|n| n.id.clone()).collect(),
        };
        engine.prior = super::prior::bundled(codebook);
        engine
    }

    /// The prior in use, if any.
    pub fn prior(&self) -> Option<&super::prior::Prior> {
        self.prior.as_deref()
    }

    /// Paragraphs of the study containing `keyword` (as written in the codebook), if known.
    // Test-only: the tests check IDF counts with it.
    #[cfg(test)]
    pub(crate) fn doc_freq(&self, keyword: &str) -> Option<u32> {
        let f = super::automaton::fold(keyword);
        let p = self.matcher.patterns().iter().position(|p| p.folded == f)?;
        Some(self.idf.doc_freq[p])
    }

    /// Up to `limit` nodes for `text`, best first, each with its hits (character spans) and
    /// why. With `learned`, keyword and learned scores are blended (see the module docs).
    pub fn suggest(&self, text: &str, learned: Option<&Learner>, limit: usize) -> Vec<Suggestion> {
        let n = self.parents.len();
        if n == 0 || limit == 0 {
            return Vec::new();
        }
        let hits = self.matcher.find(text);
        let excluded = self.excluded(&hits);
        let contributions = self.contributions(text, &hits, learned);

        let mut raw = vec![0.0f32; n];
        for c in &contributions {
            raw[c.node] += c.value;
        }
        let mut learned_p = match learned {
            Some(l) if l.decisions() > 0 => l.predict(text),
            _ => vec![0.0; n],
        };
        learned_p.resize(n, 0.0);
        let w = learned.map_or(0.0, Learner::weight);
        for &i in &self.bottom_up {
            if let Some(p) = self.parents[i] {
                raw[p] += PARENT_SHARE * raw[i];
                learned_p[p] += PARENT_SHARE * learned_p[i];
            }
        }

        let mut ranked: Vec<(usize, f32, f32, f32)> = Vec::new();
        for i in 0..n {
            if excluded[i] {
                continue;
            }
            let kw = (1.0 - w) * raw[i] / (raw[i] + HALF_SCORE_AT);
            let lp = w * learned_p[i].min(1.0);
            let score = (kw + lp).min(1.0);
            if score >= MIN_SCORE {
                ranked.push((i, score, kw, lp));
            }
        }
        // Stable sort on score alone keeps codebook order among ties.
        ranked.sort_by(|a, b| b.1.total_cmp(&a.1));
        ranked.truncate(limit);

        let chars = CharIndex::new(text);
        let decisions = learned.map_or(0, Learner::decisions);
        ranked
            .into_iter()
            .map(|(node, score, kw, lp)| {
                let hits = self.node_hits(node, &hits, &contributions, raw[node], kw, &chars);
                Suggestion {
                    node,
                    score,
                    source: if lp > kw {
                        SuggestSource::Learned
                    } else {
                        SuggestSource::Keyword
                    },
                    why: why(&hits, lp, score, decisions),
                    hits,
                }
            })
            .collect()
    }

    /// What the coder sees: the best `limit` suggestions among leaf nodes only. A code lifts to
    /// its ancestors in every tally, so a parent in the list would only push a more specific
    /// candidate off the digit keys. Codebooks without children suggest every node.
    pub(crate) fn suggest_leaves(
        &self,
        text: &str,
        learned: Option<&Learner>,
        limit: usize,
    ) -> Vec<Suggestion> {
        let mut s = self.suggest(text, learned, self.parents.len());
        s.retain(|x| self.leaves[x.node]);
        s.truncate(limit);
        s
    }

    /// Character spans of the keywords to highlight in `text`: leftmost-longest,
    /// non-overlapping, in text order. Exclusion-only keywords are not highlighted.
    pub fn highlights(&self, text: &str) -> Vec<(usize, usize)> {
        let pats = self.matcher.patterns();
        let positive: Vec<RawHit> = self
            .matcher
            .find(text)
            .into_iter()
            .filter(|h| pats[h.pattern].owners.iter().any(|o| !o.exclude))
            .collect();
        let chars = CharIndex::new(text);
        Matcher::leftmost_longest(&positive)
            .into_iter()
            .map(|h| (chars.char_at(h.byte_start), chars.char_at(h.byte_end)))
            .collect()
    }

    /// Nodes suppressed by an exclusion keyword of their own or of an ancestor.
    fn excluded(&self, hits: &[RawHit]) -> Vec<bool> {
        let n = self.parents.len();
        let mut direct = vec![false; n];
        for h in hits {
            for o in &self.matcher.patterns()[h.pattern].owners {
                if o.exclude {
                    direct[o.node] = true;
                }
            }
        }
        (0..n)
            .map(|mut i| loop {
                if direct[i] {
                    break true;
                }
                match self.parents[i] {
                    Some(p) => i = p,
                    None => break false,
                }
            })
            .collect()
    }

    /// BM25 contribution of every (keyword, node) pair that fired, after the coder's
    /// rejections of that pair.
    fn contributions(
        &self,
        text: &str,
        hits: &[RawHit],
        learned: Option<&Learner>,
    ) -> Vec<Contribution> {
        if hits.is_empty() {
            return Vec::new();
        }
        let mut tf: Vec<(usize, u32)> = Vec::new();
        let mut ids: Vec<usize> = hits.iter().map(|h| h.pattern).collect();
        ids.sort_unstable();
        for p in ids {
            match tf.last_mut() {
                Some((last, n)) if *last == p => *n += 1,
                _ => tf.push((p, 1)),
            }
        }
        let len = text.chars().count() as f32;
        let norm = 1.0 - B + B * len / self.idf.avg_len;
        let mut out = Vec::new();
        for (p, f) in tf {
            let f = f as f32;
            let base = self.idf.weights[p] * f * (K1 + 1.0) / (f + K1 * norm);
            let pat = &self.matcher.patterns()[p];
            for o in pat.owners.iter().filter(|o| !o.exclude) {
                let factor = learned.map_or(1.0, |l| l.keyword_factor(&pat.folded, o.node));
                out.push(Contribution {
                    node: o.node,
                    pattern: p,
                    value: base * factor,
                });
            }
        }
        out
    }

    /// The hits behind `node`'s keyword score `kw`: its own keywords and its descendants'
    /// (at their share), each weighted so that the weights sum to `kw`.
    fn node_hits(
        &self,
        node: usize,
        hits: &[RawHit],
        contributions: &[Contribution],
        raw_total: f32,
        kw: f32,
        chars: &CharIndex,
    ) -> Vec<Hit> {
        if raw_total <= 0.0 {
            return Vec::new();
        }
        let mut out = Vec::new();
        for c in contributions {
            let Some(share) = self.share(c.node, node) else {
                continue;
            };
            let occurrences: Vec<&RawHit> =
                hits.iter().filter(|h| h.pattern == c.pattern).collect();
            let each = kw * share * c.value / raw_total / occurrences.len() as f32;
            for h in occurrences {
                out.push(Hit {
                    keyword: self.matcher.patterns()[c.pattern].keyword.clone(),
                    start: chars.char_at(h.byte_start),
                    end: chars.char_at(h.byte_end),
                    weight: each,
                });
            }
        }
        out.sort_by(|a, b| (a.start, a.end, &a.keyword).cmp(&(b.start, b.end, &b.keyword)));
        out
    }

    /// The share of `from`'s evidence that reaches `to` (1 for itself, 1/2 per level up),
    /// or `None` when `to` is not `from` or one of its ancestors.
    fn share(&self, from: usize, to: usize) -> Option<f32> {
        let mut cur = from;
        let mut share = 1.0;
        loop {
            if cur == to {
                return Some(share);
            }
            cur = self.parents[cur]?;
            share *= PARENT_SHARE;
        }
    }
}

/// "营商环境 ×2, 政务服务": the keywords of `hits`, by weight.
pub(super) fn keyword_list(hits: &[Hit]) -> String {
    why(hits, 0.0, 0.0, 0)
}

/// "营商环境 ×2, 政务服务 · learned 40% of 12 decisions": keywords by weight, then the
/// learned share when there is one.
fn why(hits: &[Hit], learned: f32, score: f32, decisions: u32) -> String {
    let mut per_kw: Vec<(&str, usize, f32)> = Vec::new();
    for h in hits {
        match per_kw.iter_mut().find(|(k, _, _)| *k == h.keyword) {
            Some(e) => {
                e.1 += 1;
                e.2 += h.weight;
            }
            None => per_kw.push((&h.keyword, 1, h.weight)),
        }
    }
    per_kw.sort_by(|a, b| b.2.total_cmp(&a.2));
    let mut parts: Vec<String> = per_kw
        .iter()
        .map(|(k, n, _)| {
            if *n > 1 {
                format!("{k} ×{n}")
            } else {
                k.to_string()
            }
        })
        .collect();
    if learned > 0.005 && score > 0.0 {
        parts.push(format!(
            "learned {:.0}% from {decisions} decisions",
            100.0 * learned / score
        ));
    }
    parts.join(", ")
}
