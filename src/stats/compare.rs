//! Agreement between coders on a study: the paragraph is the unit; per node and pooled
//! coefficients on 0/1 coding, rubric-score agreement, and the list of disagreements.

use crate::codebook::Codebook;
use crate::corpus::{parse_para_id, Document};
use crate::store::{Codings, Decision};

use super::agree::{
    cohen_kappa_binary, krippendorff_alpha, weighted_kappa, Agreement, BinaryCounts, Metric,
    Weights,
};
use super::{Cell, DocIndex, NodeIndex, Table};

/// Coefficients on 0/1 coding of one node (or of all leaf nodes pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct NodeAgreement {
    /// Node index; `None` for the pooled row.
    pub node: Option<usize>,
    /// Units (paragraph × node pairs when pooled) rated by at least two coders.
    pub units: usize,
    pub percent: Agreement,
    /// Cohen's kappa; `None` unless exactly two coders.
    pub cohen: Option<Agreement>,
    pub fleiss: Agreement,
    /// Krippendorff's alpha, nominal.
    pub alpha: Agreement,
}

/// Coefficients on the rubric scores of one scaled node (or all scaled nodes pooled).
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreAgreement {
    pub node: Option<usize>,
    /// Paragraphs scored by at least two coders.
    pub units: usize,
    pub alpha_ordinal: Agreement,
    pub alpha_interval: Agreement,
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
    /// Per coder (in the order given), the node ids coded, sorted; empty if none.
    pub codes: Vec<Vec<String>>,
}

/// Everything `polcode agree` reports.
#[derive(Debug, Clone, PartialEq)]
pub struct AgreeReport {
    pub coders: Vec<String>,
    /// Body paragraphs compared.
    pub paragraphs: usize,
    /// One row per codebook node, in codebook order.
    pub nodes: Vec<NodeAgreement>,
    /// All leaf nodes stacked: each (paragraph, leaf) pair is a unit.
    pub pooled: NodeAgreement,
    /// One row per node with a scale.
    pub scores: Vec<ScoreAgreement>,
    /// All scaled nodes stacked (meaningful when they share a scale).
    pub scores_pooled: ScoreAgreement,
    pub disagreements: Vec<Disagreement>,
}

/// Compares `coders` on the body paragraphs of `docs`.
///
/// A coder's rating of a paragraph at a node is 1 if it is coded at the node or a descendant,
/// else 0 — except that a coder who has no decision at all in a document has not rated its
/// paragraphs (missing), so unfinished documents do not count as agreement on "not coded".
pub fn compare(codebook: &Codebook, docs: &[Document], coders: &[&Codings]) -> AgreeReport {
    let nodes = NodeIndex::new(codebook);
    let units = crate::corpus::body_units(docs);
    let placed = Placed::new(docs, coders);
    let tallies = tally_nodes(&nodes, &units, &placed);
    let node_rows: Vec<NodeAgreement> = tallies
        .iter()
        .enumerate()
        .map(|(i, t)| t.agreement(Some(i)))
        .collect();
    // Each (paragraph, leaf) pair is a unit, so the pooled counts are the leaves' summed.
    let mut pooled = NodeTally::new(coders.len());
    for leaf in (0..codebook.nodes.len()).filter(|i| codebook.is_leaf(*i)) {
        pooled.merge(&tallies[leaf]);
    }

    let scaled: Vec<usize> = (0..codebook.nodes.len())
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
                            .decision(c, (*d, &docs[*d]), *p, *p as u32 + 1)
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
    let scores: Vec<ScoreAgreement> = scaled
        .iter()
        .map(|n| score_agreement(Some(*n), &score_matrix(*n), &scale_of(*n)))
        .collect();
    let all_levels: Vec<f64> = {
        let mut v: Vec<f64> = scaled.iter().flat_map(|n| scale_of(*n)).collect();
        v.sort_by(f64::total_cmp);
        v.dedup();
        v
    };
    let scores_pooled = score_agreement(
        None,
        &stack(scaled.iter().map(|n| score_matrix(*n))),
        &all_levels,
    );
    AgreeReport {
        coders: coders.iter().map(|c| c.coder.clone()).collect(),
        paragraphs: units.len(),
        nodes: node_rows,
        pooled: pooled.agreement(None),
        scores,
        scores_pooled,
        disagreements: placed_disagreements(docs, &placed),
    }
}

/// The coders' decisions placed by paragraph position, so that passes over every paragraph
/// look nothing up by string id.
struct Placed<'a> {
    coders: Vec<&'a Codings>,
    /// Slot of each document's first paragraph.
    starts: Vec<usize>,
    /// Per document, whether its id resolves to it. Should two documents share an id, the
    /// decisions are placed in the one [`DocIndex`] resolves it to (the last), and the others
    /// are looked up by id as before.
    own_id: Vec<bool>,
    /// Per coder, the decision in each paragraph slot.
    decisions: Vec<Vec<Option<&'a Decision>>>,
    /// Per coder, whether each document holds any decision of theirs (else it is not rated).
    touched: Vec<Vec<bool>>,
}

impl<'a> Placed<'a> {
    fn new(docs: &[Document], coders: &[&'a Codings]) -> Placed<'a> {
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
            starts,
            own_id: (0..docs.len())
                .map(|d| index.doc(&docs[d].id) == Some(d))
                .collect(),
            decisions: Vec::with_capacity(coders.len()),
            touched: Vec::with_capacity(coders.len()),
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
        for (id, dec) in &c.decisions {
            let Some((doc, n)) = parse_para_id(id) else {
                continue;
            };
            let Some(d) = index.doc(doc) else {
                continue;
            };
            // Any decision in a document makes it rated, even one on a paragraph that is no
            // longer there.
            touched[d] = true;
            let p = (n as usize).wrapping_sub(1);
            if p < docs[d].paragraphs.len() && written_as_built(id) {
                decisions[self.starts[d] + p] = Some(dec);
            }
        }
        self.decisions.push(decisions);
        self.touched.push(touched);
    }

    fn coders(&self) -> usize {
        self.coders.len()
    }

    /// Whether `coder` rated the paragraphs of document `d`.
    fn rated(&self, coder: usize, d: usize) -> bool {
        self.touched[coder][d]
    }

    /// `coder`'s decision on the paragraph at position `pos` of document `d`, for documents
    /// `coder` rated (a document with a decision resolves its own id, so it is placed).
    fn placed(&self, coder: usize, d: usize, pos: usize) -> Option<&'a Decision> {
        self.decisions[coder][self.starts[d] + pos]
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

    fn agreement(&self, node: Option<usize>) -> NodeAgreement {
        NodeAgreement {
            node,
            units: self.units.pairable(),
            percent: self.units.percent_agreement(),
            cohen: self.two_coders().then(|| cohen_kappa_binary(&self.pair)),
            fleiss: self.units.fleiss_kappa(),
            alpha: self.units.krippendorff_alpha(),
        }
    }
}

/// Every node's 0/1 ratings over the body paragraphs `units`, in one pass.
fn tally_nodes(nodes: &NodeIndex, units: &[(usize, usize)], placed: &Placed) -> Vec<NodeTally> {
    let coders = placed.coders();
    let mut tallies = vec![NodeTally::new(coders); nodes.len()];
    // Paragraphs by the number of coders who rated them: every node's units, 1 or 0.
    let mut rated_units = vec![0u64; coders + 1];
    let mut para = ParaCounts::new(nodes.len());
    for &(d, p) in units {
        let rated = para.count(nodes, placed, d, p);
        rated_units[rated] += 1;
        para.drain_into(&mut tallies, rated);
    }
    for t in &mut tallies {
        t.add_unreached(&rated_units);
    }
    tallies
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
    fn count(&mut self, nodes: &NodeIndex, placed: &Placed, d: usize, p: usize) -> usize {
        let mut rated = 0;
        for c in 0..placed.coders() {
            if !placed.rated(c, d) {
                continue;
            }
            rated += 1;
            let Some(dec) = placed.placed(c, d, p) else {
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

fn score_agreement(node: Option<usize>, m: &[Vec<Option<f64>>], levels: &[f64]) -> ScoreAgreement {
    let two = m.len() == 2;
    ScoreAgreement {
        node,
        units: pairable(m),
        alpha_ordinal: krippendorff_alpha(m, Metric::Ordinal),
        alpha_interval: krippendorff_alpha(m, Metric::Interval),
        kappa_linear: two.then(|| weighted_kappa(&m[0], &m[1], levels, Weights::Linear)),
        kappa_quadratic: two.then(|| weighted_kappa(&m[0], &m[1], levels, Weights::Quadratic)),
    }
}

/// Paragraphs (of any kind) of `docs` on which the coders' node sets differ, a missing
/// decision counting as no node; in document and paragraph order. This is also the work list
/// of reconciliation.
pub fn disagreements(docs: &[Document], coders: &[&Codings]) -> Vec<Disagreement> {
    placed_disagreements(docs, &Placed::new(docs, coders))
}

/// [`disagreements`] of decisions already placed. The node sets are compared as sorted lists
/// of borrowed ids in reused buffers: only paragraphs that differ allocate.
fn placed_disagreements(docs: &[Document], placed: &Placed) -> Vec<Disagreement> {
    let mut out = Vec::new();
    let mut sets: Vec<Vec<&str>> = vec![Vec::new(); placed.coders()];
    for (di, doc) in docs.iter().enumerate() {
        for (pos, p) in doc.paragraphs.iter().enumerate() {
            for (c, set) in sets.iter_mut().enumerate() {
                set.clear();
                if let Some(dec) = placed.decision(c, (di, doc), pos, p.n) {
                    set.extend(dec.nodes.iter().map(String::as_str));
                    set.sort_unstable();
                    set.dedup();
                }
            }
            if sets.windows(2).any(|w| w[0] != w[1]) {
                out.push(Disagreement {
                    para: doc.para_id(p.n),
                    doc: di,
                    n: p.n,
                    codes: sets
                        .iter()
                        .map(|s| s.iter().map(|id| id.to_string()).collect())
                        .collect(),
                });
            }
        }
    }
    out
}

fn cell(a: &Agreement) -> Cell {
    match a {
        Agreement::Value(v) => Cell::Num {
            value: *v,
            decimals: 4,
        },
        Agreement::Undefined { reason } => Cell::text(format!("undefined: {reason}")),
    }
}

fn opt_cell(a: &Option<Agreement>) -> Cell {
    a.as_ref().map(cell).unwrap_or(Cell::Empty)
}

fn node_name(cb: &Codebook, node: Option<usize>, pooled: &str) -> (Cell, Cell) {
    match node {
        Some(i) => (
            Cell::text(cb.nodes[i].id.clone()),
            Cell::text(super::node_label(cb, i)),
        ),
        None => (Cell::text("*"), Cell::text(pooled)),
    }
}

impl AgreeReport {
    /// Per-node coefficients on coding, pooled row last.
    pub fn table(&self, codebook: &Codebook) -> Table {
        let header = [
            "id",
            "node",
            "units",
            "agreement",
            "cohen κ",
            "fleiss κ",
            "kripp α",
        ];
        let mut t = Table::new(
            format!("Agreement of {} (unit: paragraph)", self.coders.join(", ")),
            header.iter().map(|s| s.to_string()).collect(),
        );
        for r in self.nodes.iter().chain(std::iter::once(&self.pooled)) {
            let (id, name) = node_name(codebook, r.node, "pooled over leaf nodes");
            t.rows.push(vec![
                id,
                name,
                Cell::Int(r.units as i64),
                match r.percent.value() {
                    Some(v) => Cell::pct(Some(100.0 * v), 2),
                    None => cell(&r.percent),
                },
                opt_cell(&r.cohen),
                cell(&r.fleiss),
                cell(&r.alpha),
            ]);
        }
        t.notes.push(format!(
            "{} body paragraphs; rating = coded at the node or a descendant (1) or not (0); a \
             coder with no decision in a document has not rated it",
            self.paragraphs
        ));
        t.notes.push(
            "pooled: every (paragraph, leaf node) pair is a unit; Cohen's κ only for two coders; \
             Krippendorff's α nominal"
                .into(),
        );
        t
    }

    /// Per-scaled-node coefficients on rubric scores.
    pub fn score_table(&self, codebook: &Codebook) -> Table {
        let header = [
            "id",
            "node",
            "units",
            "α ordinal",
            "α interval",
            "κ linear",
            "κ quadratic",
        ];
        let mut t = Table::new(
            "Agreement on rubric scores",
            header.iter().map(|s| s.to_string()).collect(),
        );
        for r in self
            .scores
            .iter()
            .chain(std::iter::once(&self.scores_pooled))
        {
            let (id, name) = node_name(codebook, r.node, "pooled over scaled nodes");
            t.rows.push(vec![
                id,
                name,
                Cell::Int(r.units as i64),
                cell(&r.alpha_ordinal),
                cell(&r.alpha_interval),
                opt_cell(&r.kappa_linear),
                opt_cell(&r.kappa_quadratic),
            ]);
        }
        t.notes.push(
            "unit: a paragraph scored at the node by at least two coders; weighted κ (two \
             coders) on the scale's levels in order"
                .into(),
        );
        t
    }

    /// The paragraphs the coders disagree on, with each coder's codes.
    pub fn disagreement_table(&self, docs: &[Document]) -> Table {
        let mut header = vec!["paragraph".to_string(), "text".to_string()];
        header.extend(self.coders.iter().cloned());
        let mut t = Table::new(
            format!("{} paragraphs coded differently", self.disagreements.len()),
            header,
        );
        for d in &self.disagreements {
            let text = docs
                .get(d.doc)
                .and_then(|doc| doc.paragraphs.get((d.n as usize).checked_sub(1)?))
                .map(|p| p.text.chars().take(24).collect::<String>())
                .unwrap_or_default();
            let mut row = vec![Cell::text(d.para.clone()), Cell::text(text)];
            row.extend(d.codes.iter().map(|c| Cell::text(c.join(" "))));
            t.rows.push(row);
        }
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixture;

    fn close(a: &Agreement, b: f64) {
        let x = a.value().unwrap_or_else(|| panic!("undefined: {a}"));
        assert!((x - b).abs() < 1e-9, "{x} != {b}");
    }

    #[test]
    fn fixture_by_hand() {
        let f = fixture::study();
        let r = compare(&f.codebook, &f.docs, &[&f.a, &f.b]);
        // Body paragraphs: d1#2-4, d2#2-3, d3#1-2 = 7.
        assert_eq!(r.paragraphs, 7);
        // S1: both code d1#2 and d2#3, nothing else → perfect.
        close(r.nodes[1].cohen.as_ref().unwrap(), 1.0);
        // E1: A {d1#4, d3#1}, B {d1#3}: po = 4/7, pe = 2/7·1/7 + 5/7·6/7 = 32/49 → κ = −4/17.
        close(&r.nodes[4].percent, 4.0 / 7.0);
        close(r.nodes[4].cohen.as_ref().unwrap(), -4.0 / 17.0);
        // E2: A {d2#2}, B {d2#2, d3#1}: po 6/7, pe 32/49 → κ = 10/17.
        close(r.nodes[5].cohen.as_ref().unwrap(), 10.0 / 17.0);
        // Pooled over the 4 leaves (28 units): both 4, A only 3, B only 2, neither 19.
        // po = 23/28; pe = (7·6 + 21·22)/28² = 9/14 → κ = (23/28 − 18/28)/(10/28) = 0.5.
        assert_eq!(r.pooled.units, 28);
        close(r.pooled.cohen.as_ref().unwrap(), 0.5);
        // S1 scores: units d1#2 (2 vs 1) and d2#3 (3 vs 3). Coincidences o(1,2)=o(2,1)=1,
        // o(3,3)=2; n = 4; α interval = 1 − 3·2 / (2·(1·1·1 + 1·2·4 + 1·2·1)) = 8/11.
        let s1 = r.scores.iter().find(|s| s.node == Some(1)).unwrap();
        assert_eq!(s1.units, 2);
        close(&s1.alpha_interval, 8.0 / 11.0);
        // E1 is never scored: undefined, not 0.
        let e1 = r.scores.iter().find(|s| s.node == Some(4)).unwrap();
        assert_eq!(e1.units, 0);
        assert!(e1.alpha_ordinal.value().is_none());
        // Disagreements: d1#3, d1#4, d2#3, d3#1 (d3#2: A's no-code equals B's nothing).
        let ids: Vec<&str> = r.disagreements.iter().map(|d| d.para.as_str()).collect();
        assert_eq!(ids, ["d1#3", "d1#4", "d2#3", "d3#1"]);
        assert_eq!(r.disagreements[0].codes, [vec!["S2"], vec!["E1", "S2"]]);
        let t = r.table(&f.codebook);
        assert_eq!(t.rows.len(), 7);
        assert!(t.to_text().contains("-0.2353"));
    }

    #[test]
    fn untouched_document_is_missing_not_agreement() {
        let f = fixture::study();
        let mut b = f.b.clone();
        // B drops document d3 entirely: its 2 paragraphs are no longer pairable.
        b.decisions.retain(|k, _| !k.starts_with("d3#"));
        let r = compare(&f.codebook, &f.docs, &[&f.a, &b]);
        assert_eq!(r.nodes[0].units, 5);
        let one = compare(&f.codebook, &f.docs, &[&f.a]);
        assert!(one.nodes[0].cohen.is_none());
        assert_eq!(
            one.nodes[0].alpha,
            Agreement::Undefined {
                reason: crate::stats::agree::NO_PAIRS.into()
            }
        );
    }

    /// `compare` as it was before it counted: a coders × units matrix per node and all
    /// leaves stacked, fed to the generic functions, and each paragraph looked up by id. The
    /// reference the counting version must reproduce.
    fn reference(cb: &Codebook, docs: &[Document], coders: &[&Codings]) -> AgreeReport {
        use crate::stats::agree::{cohen_kappa, fleiss_kappa, percent_agreement};
        use std::collections::HashSet;
        let nodes = NodeIndex::new(cb);
        let index = DocIndex::new(docs);
        let units = crate::corpus::body_units(docs);
        let closures: Vec<Vec<Option<Vec<usize>>>> = coders
            .iter()
            .map(|c| {
                let touched: HashSet<usize> = c
                    .decisions
                    .keys()
                    .filter_map(|p| parse_para_id(p).and_then(|(d, _)| index.doc(d)))
                    .collect();
                units
                    .iter()
                    .map(|(d, p)| {
                        touched.contains(d).then(|| {
                            c.get(&docs[*d].para_id(*p as u32 + 1))
                                .map(|dec| nodes.closure(&dec.nodes))
                                .unwrap_or_default()
                        })
                    })
                    .collect()
            })
            .collect();
        let binary = |node: usize| -> Vec<Vec<Option<f64>>> {
            closures
                .iter()
                .map(|row| {
                    row.iter()
                        .map(|s| s.as_ref().map(|s| f64::from(u8::from(s.contains(&node)))))
                        .collect()
                })
                .collect()
        };
        let row = |node: Option<usize>, m: &[Vec<Option<f64>>]| NodeAgreement {
            node,
            units: pairable(m),
            percent: percent_agreement(m),
            cohen: (m.len() == 2).then(|| cohen_kappa(&m[0], &m[1])),
            fleiss: fleiss_kappa(m),
            alpha: krippendorff_alpha(m, Metric::Nominal),
        };
        let leaves = (0..cb.nodes.len()).filter(|i| cb.is_leaf(*i));
        let scaled: Vec<usize> = (0..cb.nodes.len())
            .filter(|i| cb.nodes[*i].scale.is_some())
            .collect();
        let score_matrix = |node: usize| -> Vec<Vec<Option<f64>>> {
            let id = &cb.nodes[node].id;
            coders
                .iter()
                .map(|c| {
                    units
                        .iter()
                        .map(|(d, p)| {
                            c.get(&docs[*d].para_id(*p as u32 + 1))
                                .and_then(|dec| dec.scores.get(id))
                                .map(|v| f64::from(*v))
                        })
                        .collect()
                })
                .collect()
        };
        // The fixture's scales are all 1–3.
        let levels = [1.0, 2.0, 3.0];
        AgreeReport {
            coders: coders.iter().map(|c| c.coder.clone()).collect(),
            paragraphs: units.len(),
            nodes: (0..nodes.len()).map(|i| row(Some(i), &binary(i))).collect(),
            pooled: row(None, &stack(leaves.map(binary))),
            scores: scaled
                .iter()
                .map(|n| score_agreement(Some(*n), &score_matrix(*n), &levels))
                .collect(),
            scores_pooled: score_agreement(
                None,
                &stack(scaled.iter().map(|n| score_matrix(*n))),
                &levels,
            ),
            disagreements: reference_disagreements(docs, coders),
        }
    }

    /// `disagreements` as it was: every coder's node set cloned per paragraph.
    fn reference_disagreements(docs: &[Document], coders: &[&Codings]) -> Vec<Disagreement> {
        let mut out = Vec::new();
        for (di, doc) in docs.iter().enumerate() {
            for p in &doc.paragraphs {
                let id = doc.para_id(p.n);
                let codes: Vec<Vec<String>> = coders
                    .iter()
                    .map(|c| {
                        let mut v = c.get(&id).map(|d| d.nodes.clone()).unwrap_or_default();
                        v.sort();
                        v.dedup();
                        v
                    })
                    .collect();
                if codes.windows(2).any(|w| w[0] != w[1]) {
                    out.push(Disagreement {
                        para: id,
                        doc: di,
                        n: p.n,
                        codes,
                    });
                }
            }
        }
        out
    }

    fn same(new: &Agreement, old: &Agreement) {
        match (new, old) {
            (Agreement::Value(a), Agreement::Value(b)) => {
                assert!((a - b).abs() < 1e-12, "{a} != {b}")
            }
            _ => assert_eq!(new, old),
        }
    }

    fn assert_matches_reference(cb: &Codebook, docs: &[Document], coders: &[&Codings]) {
        let new = compare(cb, docs, coders);
        let old = reference(cb, docs, coders);
        let rows = |r: &AgreeReport| -> Vec<NodeAgreement> {
            r.nodes
                .iter()
                .chain(std::iter::once(&r.pooled))
                .cloned()
                .collect()
        };
        for (new, old) in rows(&new).iter().zip(&rows(&old)) {
            assert_eq!((new.node, new.units), (old.node, old.units));
            same(&new.percent, &old.percent);
            same(&new.fleiss, &old.fleiss);
            same(&new.alpha, &old.alpha);
            match (&new.cohen, &old.cohen) {
                (Some(a), Some(b)) => same(a, b),
                (a, b) => assert_eq!(a, b),
            }
        }
        assert_eq!(new.nodes.len(), old.nodes.len());
        assert_eq!(
            (&new.coders, new.paragraphs, &new.scores, &new.scores_pooled),
            (&old.coders, old.paragraphs, &old.scores, &old.scores_pooled)
        );
        assert_eq!(new.disagreements, old.disagreements);
        assert_eq!(disagreements(docs, coders), old.disagreements);
    }

    /// The fixture's documents plus the awkward ones: a second document with id `d1` and
    /// a document whose paragraph numbers are not their positions.
    fn odd_docs() -> Vec<Document> {
        use crate::corpus::{Level, ParaKind::Body};
        let mut docs = fixture::study().docs;
        docs.push(fixture::doc(
            "d1",
            "west",
            Level::Municipal,
            "重庆",
            "2021-01-01",
            &[
                (Body, "一"),
                (Body, "二"),
                (Body, "三"),
                (Body, "四"),
                (Body, "五"),
            ],
        ));
        let mut d4 = fixture::doc(
            "d4",
            "east",
            Level::Provincial,
            "江苏",
            "2022-01-01",
            &[(Body, "甲"), (Body, "乙"), (Body, "丙")],
        );
        d4.paragraphs[1].n = 3;
        d4.paragraphs[2].n = 5;
        docs.push(d4);
        docs
    }

    /// `n` random decisions per coder, with the awkward cases mixed in: no-code marks, unknown
    /// nodes, non-body paragraphs, ids with a leading zero or a paragraph past the end, unknown
    /// documents, scores; each coder skips one whole document.
    fn random_coders(seed: u64, coders: usize, n: usize) -> Vec<Codings> {
        let mut x = seed;
        let mut next = move |below: usize| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((x >> 33) as usize) % below
        };
        let picks = ["S", "S1", "S2", "E", "E1", "E2", "X"];
        let paras = [
            "d1#1", "d1#2", "d1#3", "d1#4", "d1#5", "d2#1", "d2#2", "d2#3", "d3#1", "d3#2",
            "d1#02", "d2#9", "d9#1", "d4#1", "d4#2", "d4#3", "d4#5",
        ];
        (0..coders)
            .map(|c| {
                let name = format!("c{c}");
                let skip = format!("d{}#", 1 + next(5));
                let ds = (0..n)
                    .filter_map(|_| {
                        let para = paras[next(paras.len())];
                        let k = next(3);
                        let nodes: Vec<&str> = (0..k).map(|_| picks[next(picks.len())]).collect();
                        let mut scores: Vec<(&str, i32)> = Vec::new();
                        for id in &nodes {
                            if id.len() == 2 && next(2) == 0 {
                                scores.push((*id, 1 + next(3) as i32));
                            }
                        }
                        (!para.starts_with(&skip))
                            .then(|| fixture::decision(&name, para, &nodes, &scores))
                    })
                    .collect();
                fixture::codings(&name, ds)
            })
            .collect()
    }

    #[test]
    fn counts_equal_the_matrix_path() {
        let f = fixture::study();
        for coders in [&[&f.a, &f.b][..], &[&f.a], &[], &[&f.a, &f.b, &f.a]] {
            assert_matches_reference(&f.codebook, &f.docs, coders);
        }
        let docs = odd_docs();
        for seed in 0..300 {
            let cs = random_coders(seed, 1 + (seed as usize % 4), 1 + seed as usize % 15);
            let refs: Vec<&Codings> = cs.iter().collect();
            assert_matches_reference(&f.codebook, &f.docs, &refs);
            assert_matches_reference(&f.codebook, &docs, &refs);
        }
    }

    #[test]
    fn odd_paragraph_ids_touch_the_document_but_rate_nothing() {
        let f = fixture::study();
        // A's only decision in d3 is on a paragraph past its end: d3 is rated (all 0) by A.
        let mut a = f.a.clone();
        a.decisions.retain(|k, _| !k.starts_with("d3#"));
        a.apply(fixture::decision("A", "d3#9", &["E1"], &[]));
        // "d1#02" is not the id of d1#2, so B's code there is not found.
        let mut b = f.b.clone();
        b.decisions.remove("d1#2");
        b.apply(fixture::decision("B", "d1#02", &["S1"], &[]));
        let r = compare(&f.codebook, &f.docs, &[&a, &b]);
        assert_eq!(r.nodes[1].units, 7);
        // S1: A codes d1#2 and d2#3, B only d2#3 → one disagreement in 7.
        close(&r.nodes[1].percent, 6.0 / 7.0);
        assert_matches_reference(&f.codebook, &f.docs, &[&a, &b]);
    }
}
