//! `polcode eval --coders A B`: suggestion quality against two coders (or a coder and a
//! consensus coder), the yardstick of `../shared/devset/README.md`, plus what one key confirms
//! and how many keys the coding screen needs.
//!
//! Everything is measured on what the coding screen offers, [`Engine::offer`] with the
//! `SHOWN` rows it shows, over the paragraphs **both** coders decided (nodes or an explicit
//! no-code), in document order:
//! - **agreed set**: the nodes both coders gave; `none` when both said no code; a paragraph
//!   where they share no node and not both said none is *split* (it has no agreed set).
//! - **top-1** (over paragraphs with at least one agreed node): the first suggestion is a node
//!   *either* coder gave. **top-3** (same denominator): one of the first three is an agreed
//!   node. **recall@3**: agreed nodes among the first three / all agreed nodes (pooled).
//! - **exact-set** (over all decided paragraphs): what one key (Enter) confirms equals the
//!   agreed set — the predicted set as a set, or no code when the offer predicts no code.
//!   A split paragraph is never exact.
//! - **keys** (over all decided paragraphs, and over those with agreed nodes): the fewest keys
//!   the screen needs to reach the agreed set from the offer: 1 when Enter confirms it (the
//!   predicted set or the no-code prediction equals it); 1 (`x`) when it is `none`; otherwise
//!   one digit per agreed node among the shown rows, Space + the fewest typed characters that
//!   put the node first in the picker + Enter per agreed node not shown
//!   (`NodeSearch::shortest_query`), and 1 for the confirming Enter. On a split paragraph:
//!   the fewer of the keys to reach coder A's set and coder B's set.
//! - per node, of the top suggestion (over all decided paragraphs): `predicted` = paragraphs
//!   whose first suggestion is the node, `correct` = of them those with the node agreed,
//!   `support` = paragraphs with the node agreed.
//!
//! Models are closures producing an [`Offer`] per paragraph (`Model`), called in document
//! order, so more can be added (`standard_models`). Learning is trained on coder A's
//! decisions only, leave-one-document-out; the learning curve trains on the first N of coder
//! A's decisions (document order) from documents other than the evaluated one.

use std::collections::HashMap;
use std::sync::Arc;

use serde::Serialize;

use super::eval::NodeMetrics;
use super::learn::{coded_paragraphs, Coded};
use super::measure::{ratio, LeaveOneDocOut, TopTally};
use super::prior::Prior;
use super::{prior_data, Engine, Learner, Offer, Segmenter};
use crate::codebook::search::NodeSearch;
use crate::codebook::Codebook;
use crate::corpus::context::{para_context, ParaContext};
use crate::corpus::{Document, ParaKind};
use crate::store::Codings;

/// Suggestion rows the coding screen shows (digit keys 1–9).
pub(crate) const SHOWN: usize = 9;
/// Training sizes of the learning curve.
pub(crate) const CURVE: [usize; 4] = [25, 50, 100, 200];

/// One coder's answer on a paragraph.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub(crate) struct Answer {
    /// Node indices, sorted, unique.
    pub nodes: Vec<usize>,
    /// An explicit no-code.
    pub none: bool,
}

impl Answer {
    /// An answer from node indices (empty = no code).
    pub(crate) fn of(nodes: &[usize]) -> Answer {
        let mut nodes = nodes.to_vec();
        nodes.sort_unstable();
        nodes.dedup();
        Answer {
            none: nodes.is_empty(),
            nodes,
        }
    }
}

/// The two coders' answers on one paragraph.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Gold {
    pub a: Answer,
    pub b: Answer,
}

/// The agreed set of a paragraph (see the module docs).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Agreed {
    /// Nodes both gave (sorted, non-empty).
    Codes(Vec<usize>),
    /// Both said no code.
    None,
    /// No node in common and not both none.
    Split,
}

impl Gold {
    /// The agreed set.
    pub(crate) fn agreed(&self) -> Agreed {
        let both: Vec<usize> = self
            .a
            .nodes
            .iter()
            .copied()
            .filter(|n| self.b.nodes.contains(n))
            .collect();
        if !both.is_empty() {
            Agreed::Codes(both)
        } else if self.a.none && self.b.none {
            Agreed::None
        } else {
            Agreed::Split
        }
    }

    /// Whether either coder gave `node`.
    pub(crate) fn either(&self, node: usize) -> bool {
        self.a.nodes.contains(&node) || self.b.nodes.contains(&node)
    }
}

/// A paragraph both coders decided.
#[derive(Debug, Clone)]
pub(crate) struct Para<'a> {
    /// Document index in the study.
    pub doc: usize,
    pub text: &'a str,
    pub ctx: ParaContext,
    pub gold: Gold,
}

/// A way of making offers: a name and a closure called once per paragraph, in document order.
pub(crate) struct Model<'a> {
    pub name: String,
    pub offer: Box<dyn FnMut(&Para) -> Offer + 'a>,
}

impl std::fmt::Debug for Model<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("name", &self.name).finish()
    }
}

/// Accuracy, exactness and keys of one model (see the module docs for every definition).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairMetrics {
    pub model: String,
    /// Paragraphs both coders decided.
    pub decided: usize,
    /// Of them, with at least one agreed node (the denominator of top-1, top-3).
    pub coded: usize,
    /// Both said none.
    pub none: usize,
    /// No agreed set.
    pub split: usize,
    pub top1: usize,
    pub top3: usize,
    /// Agreed nodes in all `coded` paragraphs, and those among the first three suggestions.
    pub agreed_codes: usize,
    pub agreed_in_top3: usize,
    /// Paragraphs (of `decided`) where one key confirms exactly the agreed set.
    pub exact: usize,
    /// Keys summed over all decided paragraphs, and over the `coded` ones.
    pub keys_all: usize,
    pub keys_coded: usize,
    pub top1_accuracy: Option<f64>,
    pub top3_accuracy: Option<f64>,
    pub recall_at3: Option<f64>,
    pub exact_accuracy: Option<f64>,
    pub keys_per_paragraph: Option<f64>,
    pub keys_per_coded_paragraph: Option<f64>,
    /// Per node, of the top suggestion, in codebook order.
    pub nodes: Vec<NodeMetrics>,
}

/// One point of the learning curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// Decisions of coder A the learner is trained on (fewer if the other documents have fewer).
    pub n: usize,
    pub metrics: PairMetrics,
}

/// Per node: the keys the picker needs to add it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PickCost {
    pub id: String,
    /// Space + typed characters + Enter.
    pub keys: usize,
    /// The shortest query found (empty when the node is reached with Down from an empty query).
    pub query: String,
}

/// The result of [`evaluate_pair`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairReport {
    pub coder_a: String,
    pub coder_b: String,
    /// Documents holding paragraphs both decided.
    pub documents: usize,
    /// Coder A's decisions the learner trains on (all documents).
    pub training_decisions: usize,
    pub models: Vec<PairMetrics>,
    pub curve: Vec<CurvePoint>,
    pub pick_costs: Vec<PickCost>,
    /// The conventions every figure follows.
    pub notes: Vec<String>,
}

/// Which prior scores a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriorEval {
    /// The prior shipped with the codebook: right for sets it was not trained on.
    Bundled,
    /// A prior trained on this set's agreed codes of the other folds of documents only
    /// (`Folds(0)`: one fold per document, leave-one-document-out): right for the set the
    /// shipped prior was trained on, and it also gives "prior alone" (no keyword evidence).
    Folds(usize),
}

/// What to evaluate.
#[derive(Debug, Clone)]
pub struct PairOpts {
    /// Also the learned models and the learning curve (builds jieba).
    pub learning: bool,
    /// A segmenter already built for this codebook, to reuse.
    pub segmenter: Option<Arc<Segmenter>>,
    pub prior: PriorEval,
}

impl Default for PairOpts {
    fn default() -> Self {
        PairOpts {
            learning: true,
            segmenter: None,
            prior: PriorEval::Bundled,
        }
    }
}

/// The priors each document is scored with: with keyword evidence (`full`) and, for folds,
/// without (`alone`).
#[derive(Debug, Default)]
pub(crate) struct Priors {
    full: HashMap<usize, Arc<Prior>>,
    alone: HashMap<usize, Arc<Prior>>,
}

impl Priors {
    /// Priors for every document of `set` (see [`PriorEval`]); empty when the codebook has
    /// no bundled prior and `mode` is [`PriorEval::Bundled`].
    pub(crate) fn new(
        codebook: &Codebook,
        engine: &Engine,
        docs: &[Document],
        codings: &[&Codings],
        set: &PairSet,
        mode: PriorEval,
    ) -> Priors {
        let mut doc_list: Vec<usize> = set.paras.iter().map(|p| p.doc).collect();
        doc_list.dedup();
        let mut out = Priors::default();
        match mode {
            PriorEval::Bundled => {
                if let Some(p) = engine.prior() {
                    let p = Arc::new(p.clone());
                    for &d in &doc_list {
                        out.full.insert(d, p.clone());
                    }
                }
            }
            PriorEval::Folds(k) => {
                let rows = prior_data::agreed(codebook, engine, docs, codings);
                let folds = if k == 0 {
                    doc_list.len()
                } else {
                    k.min(doc_list.len())
                };
                for f in 0..folds {
                    let held: Vec<usize> = doc_list
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| i % folds == f)
                        .map(|(_, &d)| d)
                        .collect();
                    let ids: Vec<&str> = held.iter().map(|&d| docs[d].id.as_str()).collect();
                    let full = Arc::new(prior_data::train(codebook, &rows, &ids, true));
                    let alone = Arc::new(prior_data::train(codebook, &rows, &ids, false));
                    for &d in &held {
                        out.full.insert(d, full.clone());
                        out.alone.insert(d, alone.clone());
                    }
                }
            }
        }
        out
    }

    fn full(&self, doc: usize) -> Option<&Prior> {
        self.full.get(&doc).map(|p| p.as_ref())
    }
}

/// The paragraphs both coders decided and coder A's training decisions, in document order.
#[derive(Debug)]
pub(crate) struct PairSet<'a> {
    pub paras: Vec<Para<'a>>,
    /// Coder A's coded paragraphs (document order): what learning trains on.
    pub(crate) train: Vec<Coded<'a>>,
}

impl<'a> PairSet<'a> {
    /// Pairs up the decisions of `a` and `b` on `docs`.
    pub(crate) fn new(
        codebook: &Codebook,
        docs: &'a [Document],
        a: &'a Codings,
        b: &'a Codings,
    ) -> Self {
        let mut train = coded_paragraphs(codebook, docs, a);
        train.sort_by_key(|c| (c.doc, c.para));
        let of_b: HashMap<(usize, usize), Vec<usize>> = coded_paragraphs(codebook, docs, b)
            .into_iter()
            .map(|c| ((c.doc, c.para), c.nodes))
            .collect();
        let paras = train
            .iter()
            .filter_map(|c| {
                let nb = of_b.get(&(c.doc, c.para))?;
                Some(Para {
                    doc: c.doc,
                    text: c.text,
                    ctx: para_context(&docs[c.doc], c.para),
                    gold: Gold {
                        a: Answer::of(&c.nodes),
                        b: Answer::of(nb),
                    },
                })
            })
            .collect();
        PairSet { paras, train }
    }
}

/// The engine of a study: keywords with IDF over every body paragraph.
pub(crate) fn study_engine(codebook: &Codebook, docs: &[Document]) -> Engine {
    let texts: Vec<&str> = docs
        .iter()
        .flat_map(|d| d.paragraphs.iter())
        .filter(|p| p.kind == ParaKind::Body)
        .map(|p| p.text.as_str())
        .collect();
    Engine::new(codebook, &texts)
}

/// The models compared side by side: `keywords` (keywords and structure, no prior, no
/// learner); with folds, `prior alone` (no keyword evidence); `keywords+prior` (what the
/// coding screen offers before any decision); and, with `seg`, both with learning trained
/// leave-one-document-out on coder A. Add further models here.
pub(crate) fn standard_models<'a>(
    engine: &'a Engine,
    set: &'a PairSet<'a>,
    priors: &'a Priors,
    seg: Option<Arc<Segmenter>>,
) -> Vec<Model<'a>> {
    let mut models = vec![Model {
        name: "keywords".into(),
        offer: Box::new(move |p: &Para| engine.offer_with(None, p.text, &p.ctx, None, SHOWN)),
    }];
    if !priors.alone.is_empty() {
        models.push(Model {
            name: "prior alone".into(),
            offer: Box::new(move |p: &Para| {
                let prior = priors.alone.get(&p.doc).map(|x| x.as_ref());
                engine.offer_with(prior, p.text, &p.ctx, None, SHOWN)
            }),
        });
    }
    if !priors.full.is_empty() {
        models.push(Model {
            name: "keywords+prior".into(),
            offer: Box::new(move |p: &Para| {
                engine.offer_with(priors.full(p.doc), p.text, &p.ctx, None, SHOWN)
            }),
        });
    }
    if let Some(seg) = seg {
        models.push(lodo_model(engine, set, None, seg.clone()));
        if !priors.full.is_empty() {
            models.push(lodo_model(engine, set, Some(priors), seg));
        }
    }
    models
}

/// Learning: for each document, a learner trained on coder A's other documents (trained on
/// all, then the document's own paragraphs unlearned: exact, the model is additive); with
/// `priors`, on top of the document's prior.
pub(crate) fn lodo_model<'a>(
    engine: &'a Engine,
    set: &'a PairSet<'a>,
    priors: Option<&'a Priors>,
    seg: Arc<Segmenter>,
) -> Model<'a> {
    let mut lodo = LeaveOneDocOut::new(seg, &set.train);
    Model {
        name: if priors.is_some() {
            "keywords+prior+learning".into()
        } else {
            "keywords+learning".into()
        },
        offer: Box::new(move |p: &Para| {
            let prior = priors.and_then(|x| x.full(p.doc));
            engine.offer_with(prior, p.text, &p.ctx, Some(lodo.without(p.doc)), SHOWN)
        }),
    }
}

/// Learning from the first `n` of coder A's decisions (document order) of documents other
/// than the evaluated one.
pub(crate) fn curve_model<'a>(
    engine: &'a Engine,
    set: &'a PairSet<'a>,
    priors: &'a Priors,
    seg: Arc<Segmenter>,
    n: usize,
) -> Model<'a> {
    let n = n.min(set.train.len());
    let mut learner = Learner::new(seg);
    for c in &set.train[..n] {
        learner.learn(c.text, &c.nodes);
    }
    // For the current document: (indices of train unlearned, indices learned in their place).
    let mut swapped: (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut current: Option<usize> = None;
    Model {
        name: format!("learning on {n}"),
        offer: Box::new(move |p: &Para| {
            if current != Some(p.doc) {
                let train = &set.train;
                for &i in &swapped.1 {
                    learner.unlearn(train[i].text, &train[i].nodes);
                }
                for &i in &swapped.0 {
                    learner.learn(train[i].text, &train[i].nodes);
                }
                let removed: Vec<usize> = (0..n).filter(|&i| train[i].doc == p.doc).collect();
                let added: Vec<usize> = (n..train.len())
                    .filter(|&i| train[i].doc != p.doc)
                    .take(removed.len())
                    .collect();
                for &i in &removed {
                    learner.unlearn(train[i].text, &train[i].nodes);
                }
                for &i in &added {
                    learner.learn(train[i].text, &train[i].nodes);
                }
                swapped = (removed, added);
                current = Some(p.doc);
            }
            engine.offer_with(priors.full(p.doc), p.text, &p.ctx, Some(&learner), SHOWN)
        }),
    }
}

/// Keys the picker needs per node: Space + the shortest query + Enter; a node no query puts
/// first is reached from the empty query with Down (its codebook position).
pub(crate) fn pick_costs(codebook: &Codebook) -> Vec<PickCost> {
    let mut search = NodeSearch::new(codebook);
    (0..codebook.nodes.len())
        .map(|node| match search.shortest_query(node) {
            Some(q) => PickCost {
                id: codebook.nodes[node].id.clone(),
                keys: 2 + q.chars().count(),
                query: q,
            },
            None => PickCost {
                id: codebook.nodes[node].id.clone(),
                keys: 2 + node,
                query: String::new(),
            },
        })
        .collect()
}

/// Whether one key (Enter) confirms exactly `agreed`.
pub(crate) fn exact(agreed: &Agreed, offer: &Offer) -> bool {
    match agreed {
        Agreed::None => offer.no_code,
        Agreed::Codes(set) => {
            let mut p = offer.predicted.clone();
            p.sort_unstable();
            p.dedup();
            !offer.no_code && &p == set
        }
        Agreed::Split => false,
    }
}

/// The fewest keys to reach `target` from `offer` (see the module docs); `pick[node]` is what
/// the picker costs.
pub(crate) fn keys_to(target: &Answer, offer: &Offer, pick: &[usize]) -> usize {
    if target.nodes.is_empty() {
        // Enter on a no-code prediction, or `x`.
        return 1;
    }
    let agreed = Agreed::Codes(target.nodes.clone());
    if exact(&agreed, offer) {
        return 1;
    }
    let adds: usize = target
        .nodes
        .iter()
        .map(|&n| match offer.rank_of(n) {
            Some(r) if r as usize <= SHOWN => 1,
            _ => pick[n],
        })
        .sum();
    adds + 1
}

/// Keys for a paragraph: to its agreed set, or on a split paragraph the fewer of the keys to
/// either coder's set.
pub(crate) fn keys(gold: &Gold, offer: &Offer, pick: &[usize]) -> usize {
    match gold.agreed() {
        Agreed::Codes(nodes) => keys_to(&Answer { nodes, none: false }, offer, pick),
        Agreed::None => 1,
        Agreed::Split => keys_to(&gold.a, offer, pick).min(keys_to(&gold.b, offer, pick)),
    }
}

/// Tallies every metric of one model from the (gold, offer) of each decided paragraph.
pub(crate) fn tally<'g>(
    model: &str,
    n_nodes: usize,
    node_ids: &[String],
    items: impl IntoIterator<Item = (&'g Gold, Offer)>,
    pick: &[usize],
) -> PairMetrics {
    let mut per_node = TopTally::new(n_nodes);
    let mut m = PairMetrics {
        model: model.to_string(),
        decided: 0,
        coded: 0,
        none: 0,
        split: 0,
        top1: 0,
        top3: 0,
        agreed_codes: 0,
        agreed_in_top3: 0,
        exact: 0,
        keys_all: 0,
        keys_coded: 0,
        top1_accuracy: None,
        top3_accuracy: None,
        recall_at3: None,
        exact_accuracy: None,
        keys_per_paragraph: None,
        keys_per_coded_paragraph: None,
        nodes: Vec::new(),
    };
    for (gold, offer) in items {
        m.decided += 1;
        let agreed = gold.agreed();
        let k = keys(gold, &offer, pick);
        m.keys_all += k;
        m.exact += usize::from(exact(&agreed, &offer));
        let top = offer.suggestions.first().map(|s| s.node);
        let first3: Vec<usize> = offer.suggestions.iter().take(3).map(|s| s.node).collect();
        // Only an agreed set is an answer: a none or split paragraph counts where its top
        // suggestion is (never rightly) and supports no node.
        let answer: &[usize] = match &agreed {
            Agreed::Codes(set) => set,
            Agreed::None | Agreed::Split => &[],
        };
        per_node.add(top, answer);
        match agreed {
            Agreed::Codes(set) => {
                m.coded += 1;
                m.keys_coded += k;
                m.top1 += usize::from(top.is_some_and(|t| gold.either(t)));
                m.top3 += usize::from(first3.iter().any(|n| set.contains(n)));
                m.agreed_codes += set.len();
                m.agreed_in_top3 += set.iter().filter(|n| first3.contains(n)).count();
            }
            Agreed::None => m.none += 1,
            Agreed::Split => m.split += 1,
        }
    }
    m.top1_accuracy = ratio(m.top1, m.coded);
    m.top3_accuracy = ratio(m.top3, m.coded);
    m.recall_at3 = ratio(m.agreed_in_top3, m.agreed_codes);
    m.exact_accuracy = ratio(m.exact, m.decided);
    m.keys_per_paragraph = ratio(m.keys_all, m.decided);
    m.keys_per_coded_paragraph = ratio(m.keys_coded, m.coded);
    m.nodes = per_node.metrics(node_ids);
    m
}

/// Runs each model over `set` (in document order) and tallies it.
pub(crate) fn evaluate_models(
    codebook: &Codebook,
    set: &PairSet,
    models: Vec<Model>,
    pick: &[usize],
) -> Vec<PairMetrics> {
    let ids: Vec<String> = codebook.nodes.iter().map(|n| n.id.clone()).collect();
    models
        .into_iter()
        .map(|mut model| {
            let items = set.paras.iter().map(|p| (&p.gold, (model.offer)(p)));
            tally(&model.name, ids.len(), &ids, items, pick)
        })
        .collect()
}

/// Evaluates the offers against coders `a` and `b` on `docs` (see the module docs).
pub fn evaluate_pair(
    codebook: &Codebook,
    docs: &[Document],
    a: &Codings,
    b: &Codings,
    opts: &PairOpts,
) -> PairReport {
    let engine = study_engine(codebook, docs);
    let set = PairSet::new(codebook, docs, a, b);
    let costs = pick_costs(codebook);
    let pick: Vec<usize> = costs.iter().map(|c| c.keys).collect();
    let seg = opts.learning.then(|| {
        opts.segmenter
            .clone()
            .unwrap_or_else(|| Arc::new(Segmenter::for_docs(codebook, docs)))
    });
    let priors = Priors::new(codebook, &engine, docs, &[a, b], &set, opts.prior);
    let models = evaluate_models(
        codebook,
        &set,
        standard_models(&engine, &set, &priors, seg.clone()),
        &pick,
    );
    let curve = match &seg {
        Some(seg) => CURVE
            .iter()
            .map(|&n| {
                let model = curve_model(&engine, &set, &priors, seg.clone(), n);
                let metrics = evaluate_models(codebook, &set, vec![model], &pick)
                    .pop()
                    .expect("one model, one result");
                CurvePoint {
                    n: n.min(set.train.len()),
                    metrics,
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let mut documents: Vec<usize> = set.paras.iter().map(|p| p.doc).collect();
    documents.dedup();
    PairReport {
        coder_a: a.coder.clone(),
        coder_b: b.coder.clone(),
        documents: documents.len(),
        training_decisions: set.train.len(),
        models,
        curve,
        pick_costs: costs,
        notes: notes(&a.coder, &b.coder, opts.prior),
    }
}

/// The conventions, stated with every output.
fn notes(a: &str, b: &str, prior: PriorEval) -> Vec<String> {
    let prior_note = match prior {
        PriorEval::Bundled => "Prior: the one shipped with the codebook (trained on the development set and reference codings; figures on those paragraphs are not a measure of quality).".to_string(),
        PriorEval::Folds(0) => format!("Prior: trained on the agreed codes of {a} and {b} in the OTHER documents only (leave-one-document-out), with keyword evidence (keywords+prior) and without it (prior alone)."),
        PriorEval::Folds(k) => format!("Prior: trained on the agreed codes of {a} and {b} in the other {k}-folds of documents only, with keyword evidence (keywords+prior) and without it (prior alone)."),
    };
    vec![
        format!("Paragraphs: those both {a} and {b} decided (nodes or an explicit no-code), in document order; suggestions are Engine::offer's, {SHOWN} rows as the coding screen shows them (leaves, best first)."),
        "Agreed set: the nodes both coders gave; `none` when both said no code; no node in common and not both none = split (no agreed set).".into(),
        "top-1: the first suggestion is a node either coder gave; top-3: one of the first three is an agreed node; both over the paragraphs with at least one agreed node. recall@3: agreed nodes among the first three / all agreed nodes, pooled over those paragraphs.".into(),
        "exact-set: what one key (Enter) confirms — the predicted set, or no code when no code is predicted — equals the agreed set; over ALL decided paragraphs (split ones count as misses).".into(),
        format!("keys: the fewest keys to reach the agreed set from the offer: 1 when Enter confirms it exactly; 1 (x) when it is none; else 1 digit per agreed node in the {SHOWN} rows shown, Space + the fewest typed ASCII characters that put the node first in the node picker + Enter per agreed node not shown, and 1 confirming Enter; on a split paragraph the fewer of the keys to either coder's set. Mean over all decided paragraphs and over those with agreed nodes."),
        format!("Models: keywords = keywords on the text, lead clause and headings, no prior, no learner; +learning = learner trained on {a}'s decisions of the OTHER documents (leave-one-document-out); learning on N = keywords+prior with a learner trained on the first N of {a}'s decisions in document order, taken from documents other than the evaluated one. IDF uses the text of every body paragraph of the study, no codes."),
        prior_note,
        "Per node, of the top suggestion, over all decided paragraphs: predicted = first suggestion is the node; correct = of those, the node is agreed; support = paragraphs with the node agreed; precision = correct / predicted, recall = correct / support.".into(),
    ]
}

mod report;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::SuggestSource;
    use crate::suggest::Suggestion;

    fn offer(rows: &[usize], predicted: &[usize], no_code: bool) -> Offer {
        Offer {
            suggestions: rows
                .iter()
                .map(|&node| Suggestion {
                    node,
                    score: 0.5,
                    source: SuggestSource::Keyword,
                    hits: Vec::new(),
                    why: String::new(),
                })
                .collect(),
            predicted: predicted.to_vec(),
            no_code,
            no_code_why: String::new(),
        }
    }

    fn gold(a: &[usize], b: &[usize]) -> Gold {
        Gold {
            a: Answer::of(a),
            b: Answer::of(b),
        }
    }

    /// Three paragraphs, every figure worked out by hand:
    /// 1. A {2,5}, B {2}: agreed {2}. Offer 5,2,7 predicting {5}. top-1 yes (5 is A's),
    ///    top-3 yes, 1 of 1 agreed in top 3, not exact ({5} ≠ {2}), keys 1 digit + Enter = 2.
    /// 2. A {1,3}, B {1,3}: agreed {1,3}. Offer 4,1,6,8,0,9,10,11,12,3 (3 is row 10, not shown)
    ///    predicting {4}. top-1 no, top-3 yes (1), 1 of 2 agreed in top 3, not exact,
    ///    keys 1 digit + picker for 3 (cost 4) + Enter = 6.
    /// 3. both none; offer predicts no code: exact, 1 key, not among the coded paragraphs.
    ///
    /// top-1 1/2, top-3 2/2, recall@3 2/3, exact 1/3, keys (2+6+1)/3 = 3, coded (2+6)/2 = 4.
    #[test]
    fn metrics_match_a_hand_computed_example() {
        let golds = [gold(&[2, 5], &[2]), gold(&[1, 3], &[1, 3]), gold(&[], &[])];
        let offers = [
            offer(&[5, 2, 7], &[5], false),
            offer(&[4, 1, 6, 8, 0, 9, 10, 11, 12, 3], &[4], false),
            offer(&[6], &[], true),
        ];
        let mut pick = vec![3; 13];
        pick[3] = 4;
        let ids: Vec<String> = (0..13).map(|i| format!("n{i}")).collect();
        let m = tally("t", 13, &ids, golds.iter().zip(offers), &pick);
        assert_eq!((m.decided, m.coded, m.none, m.split), (3, 2, 1, 0));
        assert_eq!((m.top1, m.top3), (1, 2));
        assert_eq!((m.agreed_in_top3, m.agreed_codes), (2, 3));
        assert_eq!(m.exact, 1);
        assert_eq!((m.keys_all, m.keys_coded), (9, 8));
        assert_eq!(m.top1_accuracy, Some(0.5));
        assert_eq!(m.top3_accuracy, Some(1.0));
        assert_eq!(m.recall_at3, Some(2.0 / 3.0));
        assert_eq!(m.exact_accuracy, Some(1.0 / 3.0));
        assert_eq!(m.keys_per_paragraph, Some(3.0));
        assert_eq!(m.keys_per_coded_paragraph, Some(4.0));
        // Per node of the top suggestion: 5 first once, never agreed; 4 first once; 6 once.
        assert_eq!(
            (m.nodes[5].predicted, m.nodes[5].correct, m.nodes[5].support),
            (1, 0, 0)
        );
        assert_eq!((m.nodes[2].support, m.nodes[2].recall), (1, Some(0.0)));
        assert_eq!((m.nodes[1].support, m.nodes[3].support), (1, 1));
    }

    #[test]
    fn exact_and_keys_at_the_edges() {
        // Enter confirms the agreed set exactly: one key, in any order of the predicted set.
        let g = gold(&[3, 1], &[1, 3]);
        let o = offer(&[3, 1, 2], &[3, 1], false);
        assert!(exact(&g.agreed(), &o));
        assert_eq!(keys(&g, &o, &[9; 4]), 1);
        // A no-code prediction never confirms codes, and `x` reaches none even when codes are
        // predicted.
        let o = offer(&[1, 3], &[], true);
        assert!(!exact(&g.agreed(), &o));
        assert_eq!(keys(&g, &o, &[9; 4]), 3);
        let none = gold(&[], &[]);
        assert!(!exact(&none.agreed(), &offer(&[1], &[1], false)));
        assert_eq!(keys(&none, &offer(&[1], &[1], false), &[9; 4]), 1);
        // Split: never exact; keys to the cheaper coder's set (B's {2} is shown: 2 keys).
        let split = gold(&[], &[2]);
        assert_eq!(split.agreed(), Agreed::Split);
        assert!(!exact(&split.agreed(), &offer(&[2], &[2], false)));
        assert_eq!(keys(&split, &offer(&[2], &[2], false), &[9; 4]), 1);
        let split = gold(&[0, 1], &[2, 3]);
        assert_eq!(keys(&split, &offer(&[2], &[2], false), &[9; 4]), 11);
    }
}
