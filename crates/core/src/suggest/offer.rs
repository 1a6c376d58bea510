//! The decision point: what the coding screen offers on one paragraph. The ranked leaf
//! suggestions (fixed while the paragraph is shown, so a digit always means the row the coder
//! read), the **predicted set** that one key confirms, and whether the prediction is **no code**
//! (preamble, background, boilerplate), so that `x` confirms a suggestion too.
//!
//! With a bundled prior ([`super::prior`]) a leaf's score is its probability under the prior —
//! which reads the keywords on the text, the lead clause and the headings, targets, boilerplate
//! and the paragraph's wording — blended with the coder's own decisions ([`Learner`]) once they
//! are evidence: a node's learned part counts only after [`MIN_DECISIONS`] decisions and
//! [`MIN_POSITIVES`] paragraphs coded with that node. The predicted set is every leaf at 0.5 or
//! more (each is more likely coded than not); when none is and "no code" is more likely than
//! not, no code is predicted; otherwise the best leaf alone. Without a prior (other codebooks)
//! the keyword ranking of [`Engine::suggest_leaves`] is offered, predicting the leaves within
//! [`SET_SHARE`] of the best.
//!
//! The coding screen, `polcode eval` and the benchmarks all call [`Engine::offer`]; nothing
//! else decides what is predicted.

use super::prior::{self, Evidence, SHARED};
use super::{Engine, Learner, Suggestion};
use crate::corpus::context::ParaContext;
use crate::store::SuggestSource;

/// Keyword ranking: a suggestion's score must reach this share of the best one to join the
/// predicted set.
const SET_SHARE: f32 = 0.75;
/// Keyword ranking: below this best score nothing is predicted but "no code".
const MIN_PREDICT: f32 = 0.2;
/// Keyword ranking: weight of a node's keywords in the paragraph's lead clause (on top of
/// their weight in the text, which contains the lead clause) and in the headings above.
const LEAD_WEIGHT: f32 = 0.5;
const HEADING_WEIGHT: f32 = 0.3;
/// Rows scored below this show no reasons.
const EXPLAIN_FROM: f32 = 0.1;
/// A probability at which a code is more likely given than not.
const LIKELY: f32 = 0.5;
/// Decisions of the coder before anything learned from them is used.
pub(crate) const MIN_DECISIONS: u32 = 10;
/// Paragraphs coded with a node before the learned part of that node is used.
pub(crate) const MIN_POSITIVES: u32 = 3;
/// The learned part's weight: `MAX_LEARNED · n / (n + HALF_LEARNED_AT)` for n decisions.
const MAX_LEARNED: f32 = 0.5;
const HALF_LEARNED_AT: f32 = 100.0;

/// What the coding screen offers on one paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Offer {
    /// Leaf suggestions, best first; the order is the one the digit keys use.
    pub suggestions: Vec<Suggestion>,
    /// Node indices of the predicted set, in suggestion order; each is one of `suggestions`.
    /// Empty when `no_code` is predicted.
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
        ctx: &ParaContext,
        learned: Option<&Learner>,
        limit: usize,
    ) -> Offer {
        self.offer_with(self.prior.as_deref(), text, ctx, learned, limit)
    }

    /// [`Engine::offer`] with another prior (or none: keywords alone), for evaluations that
    /// must not score a paragraph with a model trained on it.
    pub(crate) fn offer_with(
        &self,
        prior: Option<&prior::Prior>,
        text: &str,
        ctx: &ParaContext,
        learned: Option<&Learner>,
        limit: usize,
    ) -> Offer {
        match prior {
            Some(p) => self.offer_prior(p, text, ctx, learned, limit),
            None => self.offer_keywords(text, ctx, learned, limit),
        }
    }

    /// Keywords (and the learner) on the text, plus the same keywords found in the lead clause
    /// (weight [`LEAD_WEIGHT`]) and in the headings above (weight [`HEADING_WEIGHT`]): a
    /// section headed `加大财税支持` is about finance even where its paragraphs do not repeat it.
    fn offer_keywords(
        &self,
        text: &str,
        ctx: &ParaContext,
        learned: Option<&Learner>,
        limit: usize,
    ) -> Offer {
        let n = self.parents.len();
        let mut suggestions = self.suggest_leaves(&super::duty::mask_duties(text), learned, n);
        for (node, k, score) in self.context_scores(ctx) {
            let bonus = score * if k == 1 { LEAD_WEIGHT } else { HEADING_WEIGHT };
            if bonus <= 0.0 {
                continue;
            }
            match suggestions.iter_mut().find(|s| s.node == node) {
                Some(s) => s.score += bonus,
                None => suggestions.push(Suggestion {
                    node,
                    score: bonus,
                    source: SuggestSource::Keyword,
                    hits: Vec::new(),
                    why: "keywords in the heading".into(),
                }),
            }
        }
        for s in &mut suggestions {
            s.score = s.score.min(1.0);
        }
        // Stable: codebook order among ties, as in `suggest`.
        suggestions.sort_by(|a, b| b.score.total_cmp(&a.score));
        suggestions.truncate(limit);
        let best = suggestions.first().map_or(0.0, |s| s.score);
        if best < MIN_PREDICT {
            return Offer {
                suggestions,
                predicted: Vec::new(),
                no_code: true,
                no_code_why: "no keyword of any node".into(),
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

    /// The keyword engine's evidence for each leaf: its score on the text, on the lead clause
    /// and on the headings above (see [`prior::Evidence`]); also the text's keyword
    /// suggestions, for their hits.
    pub(crate) fn evidence(
        &self,
        text: &str,
        ctx: &ParaContext,
    ) -> (Vec<(usize, Evidence)>, Vec<Suggestion>) {
        let on_text = self.suggest(&super::duty::mask_duties(text), None, self.parents.len());
        let mut ev: Vec<(usize, Evidence)> = Vec::new();
        let on_leaves = on_text
            .iter()
            .filter(|s| self.leaves[s.node])
            .map(|s| (s.node, 0, s.score));
        for (node, k, score) in on_leaves.chain(self.context_scores(ctx)) {
            match ev.iter_mut().find(|(n, _)| *n == node) {
                Some((_, e)) => e[k] = score,
                None => {
                    let mut e = [0.0; SHARED];
                    e[k] = score;
                    ev.push((node, e));
                }
            }
        }
        (ev, on_text)
    }

    /// The keyword scores of leaves on the lead clause (`1`) and on the headings above (`2`),
    /// as `(node, 1 or 2, score)`: the context part of [`Engine::evidence`].
    fn context_scores(&self, ctx: &ParaContext) -> Vec<(usize, usize, f32)> {
        let headings = ctx.headings.join("。");
        let mut out = Vec::new();
        for (k, part) in [
            (1, ctx.lead.as_deref().unwrap_or("")),
            (2, headings.as_str()),
        ] {
            if !part.is_empty() {
                let leaves = self.suggest(part, None, self.parents.len());
                out.extend(
                    leaves
                        .into_iter()
                        .filter(|s| self.leaves[s.node])
                        .map(|s| (s.node, k, s.score)),
                );
            }
        }
        out
    }

    fn offer_prior(
        &self,
        p: &prior::Prior,
        text: &str,
        ctx: &ParaContext,
        learned: Option<&Learner>,
        limit: usize,
    ) -> Offer {
        let (ev, on_text) = self.evidence(text, ctx);
        let named: Vec<(&str, Evidence)> = ev
            .iter()
            .map(|(n, e)| (self.ids[*n].as_str(), *e))
            .collect();
        let feats = prior::features(text, ctx, &named);
        let probs = p.predict_features(&feats, &named);
        let learner = learned.filter(|l| l.decisions() >= MIN_DECISIONS);
        let learned_p = learner.map(|l| l.predict(text));
        let w = learner.map_or(0.0, |l| {
            let n = l.decisions() as f32;
            MAX_LEARNED * n / (n + HALF_LEARNED_AT)
        });
        let mut rows: Vec<(usize, f32, f32, f32)> = Vec::new();
        for node in (0..self.parents.len()).filter(|&i| self.leaves[i]) {
            let Some(c) = p.class_index(&self.ids[node]) else {
                continue;
            };
            let pp = probs[c];
            let lp = match (&learned_p, learner) {
                (Some(v), Some(l)) if l.positives(node) >= MIN_POSITIVES => {
                    v.get(node).copied().unwrap_or(0.0)
                }
                _ => pp,
            };
            let score = (1.0 - w) * pp + w * lp;
            rows.push((node, score, (1.0 - w) * pp, w * lp));
        }
        // Stable sort on score alone keeps codebook order among ties.
        rows.sort_by(|a, b| b.1.total_cmp(&a.1));
        // Every row up to the limit, however unlikely: a digit is cheaper than the picker.
        rows.truncate(limit);
        let decisions = learner.map_or(0, Learner::decisions);
        let suggestions: Vec<Suggestion> = rows
            .iter()
            .map(|&(node, score, from_prior, from_learned)| {
                let hits = on_text
                    .iter()
                    .find(|s| s.node == node)
                    .map(|s| s.hits.clone())
                    .unwrap_or_default();
                let learned_part = from_learned > from_prior * 0.5
                    && learner.is_some_and(|l| l.positives(node) >= MIN_POSITIVES);
                let source = if learned_part && from_learned > from_prior {
                    SuggestSource::Learned
                } else if hits.is_empty() {
                    SuggestSource::Prior
                } else {
                    SuggestSource::Keyword
                };
                // An unlikely row gets no reasons: listing what little raised it would read as
                // a recommendation.
                let mut why = if score >= EXPLAIN_FROM {
                    let class = p.class_index(&self.ids[node]).unwrap_or(0);
                    let reasons = p.explain_features(&feats, &named, class, 5);
                    explain(&hits, &reasons, ctx)
                } else {
                    Vec::new()
                };
                if learned_part {
                    why.push(format!(
                        "learned {:.0}% from {decisions} decisions",
                        100.0 * from_learned / score.max(f32::EPSILON)
                    ));
                }
                Suggestion {
                    node,
                    score,
                    source,
                    hits,
                    why: why.join(", "),
                }
            })
            .collect();
        let mut predicted: Vec<usize> = suggestions
            .iter()
            .filter(|s| s.score >= LIKELY)
            .map(|s| s.node)
            .collect();
        let none = p.class_index(prior::NONE).map_or(0.0, |c| probs[c]);
        let mut no_code = false;
        let mut no_code_why = String::new();
        if predicted.is_empty() {
            if none >= LIKELY || suggestions.is_empty() {
                no_code = true;
                let reasons = p
                    .class_index(prior::NONE)
                    .map(|c| p.explain_features(&feats, &named, c, 5))
                    .unwrap_or_default();
                let why = explain(&[], &reasons, ctx);
                no_code_why = if why.is_empty() {
                    format!("{:.0}% likely no instrument", 100.0 * none)
                } else {
                    format!("{:.0}% likely: {}", 100.0 * none, why.join(", "))
                };
            } else if let Some(s) = suggestions.first() {
                predicted.push(s.node);
            }
        }
        Offer {
            suggestions,
            predicted,
            no_code,
            no_code_why,
        }
    }
}

/// Why a row is offered, as a coder reads it: the keywords found (`营商环境 ×2, 政务服务`),
/// then what else raised it most — keywords in the lead clause, the heading above
/// (`heading 保障措施`), a target year or quantities, boilerplate, or the paragraph's wording.
/// Character bigrams are never shown: `字经` means nothing to a reader.
fn explain(hits: &[super::Hit], reasons: &[prior::Contribution], ctx: &ParaContext) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let kw = super::rank::keyword_list(hits);
    if !kw.is_empty() {
        out.push(kw);
    }
    let heading = ctx.headings.last().map(|h| {
        let short: String = h.chars().take(12).collect();
        if short.chars().count() < h.chars().count() {
            format!("heading {short}…")
        } else {
            format!("heading {short}")
        }
    });
    for r in reasons {
        let (kind, rest) = r
            .feature
            .split_once(':')
            .unwrap_or(("", r.feature.as_str()));
        let part = match (kind, rest) {
            ("", "keywords in the lead clause") | ("l", _) => Some("lead clause".to_string()),
            ("", "keywords in the headings") | ("h", _) => heading.clone(),
            ("p", "year-target") => Some("target year".into()),
            ("p", "quantity" | "quantities") => Some("quantities".into()),
            ("p", "deadline") => Some("deadline".into()),
            ("p", "boilerplate") => Some("boilerplate".into()),
            ("p", "duty") => Some("assigned duties".into()),
            ("p", "len-short") => Some("short".into()),
            ("c", _) => Some("wording".into()),
            _ => None,
        };
        if let Some(part) = part {
            if !out.contains(&part) {
                out.push(part);
            }
        }
    }
    out
}
