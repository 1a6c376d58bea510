//! Agreement between coders on a study: per node and pooled coefficients on 0/1 coding,
//! rubric-score agreement, bootstrapped intervals for α, and the list of disagreements. The
//! tables and machine-readable forms of the result are in `agree_report.rs`.
//!
//! Units. The unit is a body paragraph (headings and other non-body lines are never units:
//! see `crate::corpus::ParaKind`). Under [`Scope::Decided`], polcode's default, a coder has
//! rated a paragraph when they decided it — coded it at one or more nodes, or marked it
//! explicitly as having no code; a paragraph a coder has not decided is a missing rating.
//! Krippendorff's α uses every unit at least two coders decided (it is defined with missing
//! values); Cohen's κ and percent agreement use the units both (with more coders: at least two)
//! decided; Fleiss' κ uses the units every coder decided. Under [`Scope::Document`], the
//! convention of polcode before 0.2, a coder who decided anything in a document has rated all
//! its body paragraphs, undecided ones as "not coded".

use crate::codebook::Codebook;
use crate::corpus::{parse_para_id, Document, ParaKind};
use crate::store::{Codings, Decision};

use super::agree::{
    alpha_interval, cohen_kappa_binary, krippendorff_alpha, value_pairs, weighted_kappa, Agreement,
    BinaryCounts, Metric, Weights,
};
use super::bootstrap::{Boot, Interval};
use super::{DocIndex, NodeIndex};

/// Which paragraphs count as rated by a coder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The paragraphs the coder decided (nodes or an explicit no-code); the rest are missing.
    Decided,
    /// Every body paragraph of each document in which the coder decided anything; undecided
    /// ones count as "not coded" (the convention before 0.2).
    Document,
}

impl Scope {
    /// Parses `decided` or `document`.
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "decided" | "paragraph" => Some(Scope::Decided),
            "document" => Some(Scope::Document),
            _ => None,
        }
    }

    /// The name used in outputs.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Scope::Decided => "decided",
            Scope::Document => "document",
        }
    }

    /// One sentence describing the unit, for table notes.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Scope::Decided => {
                "unit: a body paragraph; a coder rated it if they decided it (nodes or an \
                 explicit no-code), otherwise their rating is missing"
            }
            Scope::Document => {
                "unit (--scope document): every body paragraph of a document in which the \
                 coder decided anything; undecided paragraphs there count as not coded"
            }
        }
    }
}

/// How `compare` runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub scope: Scope,
    /// Bootstrap of the α intervals (0 replicates: none).
    pub boot: Boot,
    /// Also list the paragraphs coded differently ([`AgreeReport::disagreements`]).
    pub list: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            scope: Scope::Decided,
            boot: Boot::DEFAULT,
            list: true,
        }
    }
}

/// Coefficients on 0/1 coding of one node (or of all leaf nodes pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeAgreement {
    /// Node index; `None` for the pooled row.
    pub node: Option<usize>,
    /// Units (paragraph × node pairs when pooled) rated by at least two coders: α's and
    /// percent agreement's units (with two coders, also Cohen's κ's).
    pub units: usize,
    /// Units every coder rated: Fleiss' κ's units.
    pub complete: usize,
    pub percent: Agreement,
    /// Cohen's kappa; `None` unless exactly two coders.
    pub cohen: Option<Agreement>,
    pub fleiss: Agreement,
    /// Krippendorff's alpha, nominal.
    pub alpha: Agreement,
    /// Bootstrapped 95% interval of `alpha`.
    pub alpha_ci: Option<Interval>,
}

/// Coefficients on the rubric scores of one scaled node (or of the nodes sharing a scale).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreAgreement {
    /// Node index; `None` for a pooled row.
    pub node: Option<usize>,
    /// For a pooled row, the scale's levels (`0–4`) and the nodes pooled.
    pub pooled: Option<(String, Vec<usize>)>,
    /// Paragraphs scored by at least two coders.
    pub units: usize,
    pub alpha_ordinal: Agreement,
    pub alpha_ordinal_ci: Option<Interval>,
    pub alpha_interval: Agreement,
    pub alpha_interval_ci: Option<Interval>,
    /// Weighted kappas; `None` unless exactly two coders.
    pub kappa_linear: Option<Agreement>,
    pub kappa_quadratic: Option<Agreement>,
}

/// A paragraph on which the coders' node sets differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub para: String,
    /// Index of the document in the documents compared.
    pub doc: usize,
    /// 1-based paragraph number.
    pub n: u32,
    /// Per coder (in the order given), the node ids coded, sorted; empty if none; `None` if
    /// the coder has not rated the paragraph (under the scope in force).
    pub codes: Vec<Option<Vec<String>>>,
}

/// Everything `polcode agree` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreeReport {
    pub coders: Vec<String>,
    pub options: Options,
    /// Body paragraphs of the documents compared.
    pub paragraphs: usize,
    /// Per coder, the body paragraphs they rated (under the scope).
    pub rated: Vec<usize>,
    /// Decisions on paragraphs that are not body paragraphs, per coder: never counted.
    pub non_body: Vec<usize>,
    /// One row per codebook node, in codebook order.
    pub nodes: Vec<NodeAgreement>,
    /// All leaf nodes stacked: each (paragraph, leaf) pair is a unit.
    pub pooled: NodeAgreement,
    /// One row per node with a scale.
    pub scores: Vec<ScoreAgreement>,
    /// Per distinct scale, its nodes stacked (a pooled row never mixes scales).
    pub scores_pooled: Vec<ScoreAgreement>,
    pub disagreements: Vec<Disagreement>,
}

/// [`compare_with`] under the default options (decided units, 1,000 replicates, seed 1).
pub fn compare(codebook: &Codebook, docs: &[Document], coders: &[&Codings]) -> AgreeReport {
    compare_with(codebook, docs, coders, &Options::default())
}

/// Compares `coders` on the body paragraphs of `docs`.
///
/// A coder's rating of a paragraph at a node is 1 if it is coded at the node or a descendant,
/// else 0, for the paragraphs the coder rated under `opts.scope`; missing otherwise.
pub fn compare_with(
    codebook: &Codebook,
    docs: &[Document],
    coders: &[&Codings],
    opts: &Options,
) -> AgreeReport {
    compare_units(
        codebook,
        docs,
        coders,
        opts,
        crate::corpus::body_units(docs),
    )
}

/// [`compare_with`] over the given body paragraphs only (document index, paragraph index, in
/// reading order): a double-coding sample (`polcode agree --sample`).
pub fn compare_units(
    codebook: &Codebook,
    docs: &[Document],
    coders: &[&Codings],
    opts: &Options,
    units: Vec<(usize, usize)>,
) -> AgreeReport {
    let nodes = NodeIndex::new(codebook);
    let placed = Placed::new(docs, coders, opts.scope);
    let (tallies, rated) = tally_nodes(&nodes, docs, &units, &placed);
    let boot = opts.boot;
    let n_nodes = codebook.nodes.len();
    // Each (paragraph, leaf) pair is a unit, so the pooled counts are the leaves' summed.
    let mut pooled = NodeTally::new(coders.len());
    for leaf in (0..n_nodes).filter(|i| codebook.is_leaf(*i)) {
        pooled.merge(&tallies[leaf]);
    }
    let node_rows: Vec<NodeAgreement> = tallies
        .iter()
        .enumerate()
        .map(|(i, t)| t.agreement(Some(i), boot, i as u64))
        .collect();

    let scaled: Vec<usize> = (0..n_nodes)
        .filter(|i| codebook.nodes[*i].scale.is_some())
        .collect();
    let score_matrix = |node: usize| -> Vec<Vec<Option<f64>>> {
        let id = &codebook.nodes[node].id;
        (0..coders.len())
            .map(|c| {
                units
                    .iter()
                    .map(|(d, p)| {
                        placed
                            .rated_decision(c, (*d, &docs[*d]), *p, *p as u32 + 1)
                            .and_then(|dec| dec.scores.get(id))
                            .map(|v| f64::from(*v))
                    })
                    .collect()
            })
            .collect()
    };
    let scale_of = |node: usize| -> Vec<f64> {
        let mut v: Vec<f64> = codebook.nodes[node]
            .scale
            .iter()
            .flat_map(|s| s.levels.iter().map(|l| f64::from(l.value)))
            .collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let stream = |k: usize| (n_nodes + 1 + 2 * k) as u64;
    let scores: Vec<ScoreAgreement> = scaled
        .iter()
        .enumerate()
        .map(|(k, n)| score_agreement(Some(*n), &score_matrix(*n), &scale_of(*n), boot, stream(k)))
        .collect();
    // One pooled row per distinct scale, in order of first appearance.
    let mut scales: Vec<(Vec<f64>, Vec<usize>)> = Vec::new();
    for &n in &scaled {
        let s = scale_of(n);
        match scales.iter_mut().find(|(levels, _)| *levels == s) {
            Some((_, ns)) => ns.push(n),
            None => scales.push((s, vec![n])),
        }
    }
    let scores_pooled = scales
        .iter()
        .enumerate()
        .map(|(k, (levels, ns))| {
            let mut row = score_agreement(
                None,
                &stack(ns.iter().map(|n| score_matrix(*n))),
                levels,
                boot,
                stream(scaled.len() + k),
            );
            row.pooled = Some((scale_label(levels), ns.clone()));
            row
        })
        .collect();
    AgreeReport {
        coders: coders.iter().map(|c| c.coder.clone()).collect(),
        options: *opts,
        paragraphs: units.len(),
        rated,
        non_body: placed.non_body.clone(),
        nodes: node_rows,
        pooled: pooled.agreement(None, boot, n_nodes as u64),
        scores,
        scores_pooled,
        disagreements: if opts.list {
            placed_disagreements(docs, &units, &placed)
        } else {
            Vec::new()
        },
    }
}

/// `0–4`, or the levels listed when they are not consecutive integers.
fn scale_label(levels: &[f64]) -> String {
    let consecutive = levels.windows(2).all(|w| w[1] - w[0] == 1.0);
    match (levels.first(), levels.last()) {
        (Some(a), Some(b)) if consecutive && levels.len() > 1 => format!("{a}–{b}"),
        _ => levels
            .iter()
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join(","),
    }
}

/// The coders' decisions placed by paragraph position, so that passes over every paragraph
/// look nothing up by string id.
struct Placed<'a> {
    coders: Vec<&'a Codings>,
    scope: Scope,
    /// Slot of each document's first paragraph.
    starts: Vec<usize>,
    /// Per document, whether its id resolves to it. Should two documents share an id, the
    /// decisions are placed in the one [`DocIndex`] resolves it to (the last), and the others
    /// are looked up by id as before.
    own_id: Vec<bool>,
    /// Per coder, the decision in each paragraph slot.
    decisions: Vec<Vec<Option<&'a Decision>>>,
    /// Per coder, whether each document holds any decision of theirs (document scope).
    touched: Vec<Vec<bool>>,
    /// Per coder, decisions on paragraphs that are not body paragraphs (never counted).
    non_body: Vec<usize>,
}

impl<'a> Placed<'a> {
    fn new(docs: &[Document], coders: &[&'a Codings], scope: Scope) -> Placed<'a> {
        let index = DocIndex::new(docs);
        let starts: Vec<usize> = docs
            .iter()
            .scan(0, |next, d| {
                let start = *next;
                *next += d.paragraphs.len();
                Some(start)
            })
            .collect();
        let mut placed = Placed {
            coders: coders.to_vec(),
            scope,
            starts,
            own_id: (0..docs.len())
                .map(|d| index.doc(&docs[d].id) == Some(d))
                .collect(),
            decisions: Vec::with_capacity(coders.len()),
            touched: Vec::with_capacity(coders.len()),
            non_body: Vec::with_capacity(coders.len()),
        };
        for c in coders {
            placed.place(docs, &index, c);
        }
        placed
    }

    /// Places one coder's decisions and marks the documents they touched.
    fn place(&mut self, docs: &[Document], index: &DocIndex, c: &'a Codings) {
        let slots = docs.iter().map(|d| d.paragraphs.len()).sum();
        let mut decisions = vec![None; slots];
        let mut touched = vec![false; docs.len()];
        let mut non_body = 0;
        for (id, dec) in &c.decisions {
            let Some((doc, n)) = parse_para_id(id) else {
                continue;
            };
            let Some(d) = index.doc(doc) else {
                continue;
            };
            // Any decision in a document makes it rated under the document scope, even one on
            // a paragraph that is no longer there.
            touched[d] = true;
            let p = (n as usize).wrapping_sub(1);
            if p < docs[d].paragraphs.len() {
                non_body += usize::from(docs[d].paragraphs[p].kind != ParaKind::Body);
                if written_as_built(id) {
                    decisions[self.starts[d] + p] = Some(dec);
                }
            }
        }
        self.decisions.push(decisions);
        self.touched.push(touched);
        self.non_body.push(non_body);
    }

    fn coders(&self) -> usize {
        self.coders.len()
    }

    /// `coder`'s decision on the paragraph at position `pos` of document `d`.
    fn placed(&self, coder: usize, d: usize, pos: usize) -> Option<&'a Decision> {
        self.decisions[coder][self.starts[d] + pos]
    }

    /// Whether `coder` rated the paragraph at position `pos` of document `d`, given their
    /// decision there.
    fn rates(&self, coder: usize, d: usize, dec: Option<&Decision>) -> bool {
        match self.scope {
            Scope::Decided => dec.is_some_and(Decision::is_coded),
            Scope::Document => self.touched[coder][d],
        }
    }

    /// `coder`'s decision on paragraph `doc.para_id(n)`, `doc` being document `d` and `pos`
    /// the paragraph's position in it: exactly what looking the id up gives.
    fn decision(
        &self,
        coder: usize,
        (d, doc): (usize, &Document),
        pos: usize,
        n: u32,
    ) -> Option<&'a Decision> {
        if self.own_id[d] && n as usize == pos + 1 {
            self.placed(coder, d, pos)
        } else {
            self.coders[coder].get(&doc.para_id(n))
        }
    }

    /// [`Placed::decision`] when the coder rated the paragraph; `Some(None)`-like: `None`
    /// for both "not rated" and "rated, no decision" (the callers read scores and codes).
    fn rated_decision(
        &self,
        coder: usize,
        at: (usize, &Document),
        pos: usize,
        n: u32,
    ) -> Option<&'a Decision> {
        let dec = self.decision(coder, at, pos, n);
        self.rates(coder, at.0, dec).then_some(dec).flatten()
    }
}

/// Whether the number of paragraph id `id` is written as [`Document::para_id`] writes it (no
/// sign, no leading zero): only such a key is found by looking the paragraph's id up.
fn written_as_built(id: &str) -> bool {
    id.rsplit_once('#')
        .is_some_and(|(_, n)| !n.starts_with(['+', '0']))
}

/// The 0/1 ratings of one node (or of the leaves pooled), as counts: no rating matrix.
#[derive(Debug, Clone)]
struct NodeTally {
    units: BinaryCounts,
    /// With exactly two coders, the 2 × 2 table (`[first][second]`) over units both rated,
    /// for Cohen's kappa; the both-0 cell is filled in by [`NodeTally::add_unreached`].
    pair: [[u64; 2]; 2],
}

impl NodeTally {
    fn new(coders: usize) -> NodeTally {
        NodeTally {
            units: BinaryCounts::new(coders),
            pair: [[0; 2]; 2],
        }
    }

    fn two_coders(&self) -> bool {
        self.units.raters() == 2
    }

    /// A unit `rated` coders rated, `ones` of them 1; `first`: the first coder is one of those.
    fn add_reached(&mut self, rated: usize, ones: usize, first: bool) {
        self.units.add(rated - ones, ones, 1);
        if self.two_coders() && rated == 2 {
            match (ones, first) {
                (2, _) => self.pair[1][1] += 1,
                (_, true) => self.pair[1][0] += 1,
                _ => self.pair[0][1] += 1,
            }
        }
    }

    /// Counts the units nobody rated 1: of the `rated_units[r]` units `r` coders rated, those
    /// not already added through [`NodeTally::add_reached`].
    fn add_unreached(&mut self, rated_units: &[u64]) {
        for (rated, &all) in rated_units.iter().enumerate() {
            let reached: u64 = (1..=rated)
                .map(|ones| self.units.units_of(rated - ones, ones))
                .sum();
            self.units.add(rated, 0, all - reached);
        }
        if self.two_coders() {
            let reached = self.pair[0][1] + self.pair[1][0] + self.pair[1][1];
            self.pair[0][0] = rated_units[2] - reached;
        }
    }

    /// Stacks the units of `other` onto these.
    fn merge(&mut self, other: &NodeTally) {
        self.units.merge(&other.units);
        for (a, b) in self
            .pair
            .iter_mut()
            .flatten()
            .zip(other.pair.iter().flatten())
        {
            *a += b;
        }
    }

    fn agreement(&self, node: Option<usize>, boot: Boot, stream: u64) -> NodeAgreement {
        let alpha = self.units.krippendorff_alpha();
        NodeAgreement {
            node,
            units: self.units.pairable(),
            complete: self.units.complete(),
            percent: self.units.percent_agreement(),
            cohen: self.two_coders().then(|| cohen_kappa_binary(&self.pair)),
            fleiss: self.units.fleiss_kappa(),
            alpha_ci: alpha
                .value()
                .and_then(|_| self.units.alpha_interval(boot, stream)),
            alpha,
        }
    }
}

/// Every node's 0/1 ratings over the body paragraphs `units`, in one pass; and per coder, the
/// paragraphs they rated.
fn tally_nodes(
    nodes: &NodeIndex,
    docs: &[Document],
    units: &[(usize, usize)],
    placed: &Placed,
) -> (Vec<NodeTally>, Vec<usize>) {
    let coders = placed.coders();
    let mut tallies = vec![NodeTally::new(coders); nodes.len()];
    // Paragraphs by the number of coders who rated them: every node's units, 1 or 0.
    let mut rated_units = vec![0u64; coders + 1];
    let mut per_coder = vec![0usize; coders];
    let mut para = ParaCounts::new(nodes.len());
    for &(d, p) in units {
        let rated = para.count(nodes, placed, (d, &docs[d]), p, &mut per_coder);
        rated_units[rated] += 1;
        para.drain_into(&mut tallies, rated);
    }
    for t in &mut tallies {
        t.add_unreached(&rated_units);
    }
    (tallies, per_coder)
}

/// One paragraph's ratings across coders: per node, how many coders rated it 1 and whether the
/// first coder did. Only the nodes some coder reached are touched, and reset after, so a
/// paragraph costs its closures, not the codebook size.
struct ParaCounts {
    ones: Vec<usize>,
    first: Vec<bool>,
    /// Nodes with `ones > 0`, in the order first reached.
    reached: Vec<usize>,
    /// Buffer for one decision's closure.
    closure: Vec<usize>,
}

impl ParaCounts {
    fn new(nodes: usize) -> ParaCounts {
        ParaCounts {
            ones: vec![0; nodes],
            first: vec![false; nodes],
            reached: Vec::new(),
            closure: Vec::new(),
        }
    }

    /// Counts paragraph `p` of document `d`; returns how many coders rated it.
    fn count(
        &mut self,
        nodes: &NodeIndex,
        placed: &Placed,
        (d, doc): (usize, &Document),
        p: usize,
        per_coder: &mut [usize],
    ) -> usize {
        let mut rated = 0;
        // By position, as the score matrix reads it: the id `doc#(p + 1)`.
        let n = p as u32 + 1;
        for (c, done) in per_coder.iter_mut().enumerate() {
            let dec = placed.decision(c, (d, doc), p, n);
            if !placed.rates(c, d, dec) {
                continue;
            }
            rated += 1;
            *done += 1;
            let Some(dec) = dec else {
                continue;
            };
            nodes.closure_into(&dec.nodes, &mut self.closure);
            for &n in &self.closure {
                if self.ones[n] == 0 {
                    self.reached.push(n);
                }
                self.ones[n] += 1;
                self.first[n] |= c == 0;
            }
        }
        rated
    }

    /// Adds the counted paragraph to the reached nodes' tallies and resets for the next.
    fn drain_into(&mut self, tallies: &mut [NodeTally], rated: usize) {
        for &n in &self.reached {
            tallies[n].add_reached(rated, self.ones[n], self.first[n]);
            self.ones[n] = 0;
            self.first[n] = false;
        }
        self.reached.clear();
    }
}

/// Concatenates coders × units matrices along the unit axis.
fn stack(ms: impl Iterator<Item = Vec<Vec<Option<f64>>>>) -> Vec<Vec<Option<f64>>> {
    let mut out: Vec<Vec<Option<f64>>> = Vec::new();
    for m in ms {
        if out.is_empty() {
            out = vec![Vec::new(); m.len()];
        }
        for (o, r) in out.iter_mut().zip(m) {
            o.extend(r);
        }
    }
    out
}

fn pairable(m: &[Vec<Option<f64>>]) -> usize {
    let n = m.iter().map(Vec::len).max().unwrap_or(0);
    (0..n)
        .filter(|u| {
            m.iter()
                .filter(|r| r.get(*u).copied().flatten().is_some())
                .count()
                >= 2
        })
        .count()
}

fn score_agreement(
    node: Option<usize>,
    m: &[Vec<Option<f64>>],
    levels: &[f64],
    boot: Boot,
    stream: u64,
) -> ScoreAgreement {
    let two = m.len() == 2;
    let ordinal = krippendorff_alpha(m, Metric::Ordinal);
    let interval = krippendorff_alpha(m, Metric::Interval);
    let ci = |a: &Agreement, metric, s| {
        a.value()
            .and_then(|_| (value_pairs(m) > 0).then(|| alpha_interval(m, metric, boot, s)))
            .flatten()
    };
    ScoreAgreement {
        node,
        pooled: None,
        units: pairable(m),
        alpha_ordinal_ci: ci(&ordinal, Metric::Ordinal, stream),
        alpha_interval_ci: ci(&interval, Metric::Interval, stream + 1),
        alpha_ordinal: ordinal,
        alpha_interval: interval,
        kappa_linear: two.then(|| weighted_kappa(&m[0], &m[1], levels, Weights::Linear)),
        kappa_quadratic: two.then(|| weighted_kappa(&m[0], &m[1], levels, Weights::Quadratic)),
    }
}

/// Body paragraphs of `docs` on which the coders' node sets differ, in document and paragraph
/// order. Under [`Scope::Decided`] only the coders who decided a paragraph are compared, and
/// a paragraph needs two of them; under [`Scope::Document`] a coder's missing decision in a
/// document they rated counts as no node.
// Test-only: the tests compare the placed walk with it.
#[cfg(test)]
pub(crate) fn disagreements(
    docs: &[Document],
    coders: &[&Codings],
    scope: Scope,
) -> Vec<Disagreement> {
    let units = crate::corpus::body_units(docs);
    placed_disagreements(docs, &units, &Placed::new(docs, coders, scope))
}

/// Body paragraphs on which the coders' node sets differ, from decisions already placed, in
/// document and paragraph order. The node sets are compared as sorted lists
/// of borrowed ids in reused buffers: only paragraphs that differ allocate.
fn placed_disagreements(
    docs: &[Document],
    units: &[(usize, usize)],
    placed: &Placed,
) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut sets: Vec<Option<Vec<&str>>> = vec![Some(Vec::new()); placed.coders()];
    for &(di, pos) in units {
        let doc = &docs[di];
        let p = &doc.paragraphs[pos];
        let mut rated = 0;
        for (c, set) in sets.iter_mut().enumerate() {
            let dec = placed.decision(c, (di, doc), pos, p.n);
            if !placed.rates(c, di, dec) {
                *set = None;
                continue;
            }
            rated += 1;
            let s = set.get_or_insert_with(Vec::new);
            s.clear();
            if let Some(dec) = dec {
                s.extend(dec.nodes.iter().map(String::as_str));
                s.sort_unstable();
                s.dedup();
            }
        }
        if rated < 2 {
            continue;
        }
        let mut present = sets.iter().flatten();
        let first = present.next();
        if present.any(|s| Some(s) != first) {
            out.push(Disagreement {
                para: doc.para_id(p.n),
                doc: di,
                n: p.n,
                codes: sets
                    .iter()
                    .map(|s| {
                        s.as_ref()
                            .map(|s| s.iter().map(|id| id.to_string()).collect())
                    })
                    .collect(),
            });
        }
    }
    out
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
