//! Agreement between coders on a study: the paragraph is the unit; per node and pooled
//! coefficients on 0/1 coding, rubric-score agreement, and the list of disagreements.

use std::collections::HashSet;

use crate::codebook::Codebook;
use crate::corpus::{parse_para_id, Document};
use crate::store::Codings;

use super::agree::{
    cohen_kappa, fleiss_kappa, krippendorff_alpha, percent_agreement, weighted_kappa, Agreement,
    Metric, Weights,
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
    let index = DocIndex::new(docs);
    let units = crate::corpus::body_units(docs);
    // Documents each coder has touched.
    let touched: Vec<HashSet<usize>> = coders
        .iter()
        .map(|c| {
            c.decisions
                .keys()
                .filter_map(|p| parse_para_id(p).and_then(|(d, _)| index.doc(d)))
                .collect()
        })
        .collect();
    // closures[c][u] = Some(nodes reached) or None when missing.
    let closures: Vec<Vec<Option<Vec<usize>>>> = coders
        .iter()
        .zip(&touched)
        .map(|(c, t)| {
            units
                .iter()
                .map(|(d, p)| {
                    t.contains(d).then(|| {
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
    let node_rows: Vec<NodeAgreement> = (0..nodes.len())
        .map(|i| node_agreement(Some(i), &binary(i)))
        .collect();
    let leaves: Vec<usize> = (0..codebook.nodes.len())
        .filter(|i| codebook.is_leaf(*i))
        .collect();
    let pooled = node_agreement(None, &stack(leaves.iter().map(|l| binary(*l))));

    let scaled: Vec<usize> = (0..codebook.nodes.len())
        .filter(|i| codebook.nodes[*i].scale.is_some())
        .collect();
    let score_matrix = |node: usize| -> Vec<Vec<Option<f64>>> {
        let id = &codebook.nodes[node].id;
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
        pooled,
        scores,
        scores_pooled,
        disagreements: disagreements(docs, coders),
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

fn node_agreement(node: Option<usize>, m: &[Vec<Option<f64>>]) -> NodeAgreement {
    let cohen = (m.len() == 2).then(|| cohen_kappa(&m[0], &m[1]));
    NodeAgreement {
        node,
        units: pairable(m),
        percent: percent_agreement(m),
        cohen,
        fleiss: fleiss_kappa(m),
        alpha: krippendorff_alpha(m, Metric::Nominal),
    }
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
}
