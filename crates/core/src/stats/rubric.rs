//! Rubric scores: per document and node from the coders' decision scores, rolled up the tree
//! (a parent is the mean of its scored children), and averaged per group.

use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::store::Codings;

use super::tally::group_key;
use super::{node_cells, node_columns, Cell, Column, DocIndex, Groups, NodeIndex, Table};

/// Scores per (document, node), already rolled up.
#[derive(Debug, Clone)]
pub struct Rubric {
    coders: Vec<String>,
    groups: Groups,
    /// `[doc][node]`.
    scores: Vec<Vec<Option<f64>>>,
}

impl Rubric {
    /// Scores `docs` from `coders`' decisions.
    ///
    /// - One coder, one document, one node: when the node is scored on several paragraphs the
    ///   document's score is the **maximum** — a plan that treats a topic well anywhere scores
    ///   well, as in the planning-quality literature.
    /// - Several coders: the mean of the coders who scored it.
    /// - A node with children: the arithmetic mean of the children that have a score;
    ///   **unscored children are left out** (not counted as 0). If no child is scored, the
    ///   node's own direct score (if any) is used.
    pub fn build(
        codebook: &Codebook,
        docs: &[Document],
        groups: Groups,
        coders: &[&Codings],
    ) -> Rubric {
        let nodes = NodeIndex::new(codebook);
        let index = DocIndex::new(docs);
        let n = nodes.len();
        let mut sum = vec![vec![0.0f64; n]; docs.len()];
        let mut count = vec![vec![0u32; n]; docs.len()];
        for c in coders {
            let mut best: Vec<Vec<Option<i32>>> = vec![vec![None; n]; docs.len()];
            for d in c.decisions.values() {
                let Some((di, _)) = index.locate_body(&d.para) else {
                    continue;
                };
                for (id, v) in &d.scores {
                    if let Some(i) = nodes.get(id) {
                        let b = &mut best[di][i];
                        *b = Some(b.map_or(*v, |x| x.max(*v)));
                    }
                }
            }
            for (di, row) in best.iter().enumerate() {
                for (i, v) in row.iter().enumerate() {
                    if let Some(v) = v {
                        sum[di][i] += f64::from(*v);
                        count[di][i] += 1;
                    }
                }
            }
        }
        let mut scores: Vec<Vec<Option<f64>>> = sum
            .iter()
            .zip(&count)
            .map(|(s, c)| {
                s.iter()
                    .zip(c)
                    .map(|(s, c)| (*c > 0).then(|| s / f64::from(*c)))
                    .collect()
            })
            .collect();
        // Nodes are in depth-first order, parents first: walking backwards rolls children up
        // before their parent is computed.
        for row in &mut scores {
            for i in (0..n.min(codebook.nodes.len())).rev() {
                let kids: Vec<f64> = codebook.nodes[i]
                    .children
                    .iter()
                    .filter_map(|k| row.get(*k).copied().flatten())
                    .collect();
                if !kids.is_empty() {
                    row[i] = Some(kids.iter().sum::<f64>() / kids.len() as f64);
                }
            }
        }
        Rubric {
            coders: coders.iter().map(|c| c.coder.clone()).collect(),
            groups,
            scores,
        }
    }

    /// Score of document `doc` at `node`.
    pub(crate) fn doc_score(&self, doc: usize, node: usize) -> Option<f64> {
        self.scores.get(doc)?.get(node).copied().flatten()
    }

    /// Mean score of group `g` at `node` over its documents that have a score, with how many.
    pub(crate) fn group_mean(&self, g: usize, node: usize) -> (Option<f64>, usize) {
        let vals: Vec<f64> = self
            .groups
            .docs_in(g)
            .filter_map(|d| self.doc_score(d, node))
            .collect();
        if vals.is_empty() {
            (None, 0)
        } else {
            (
                Some(vals.iter().sum::<f64>() / vals.len() as f64),
                vals.len(),
            )
        }
    }

    /// Node rows × (mean, n) per group.
    pub fn table(&self, codebook: &Codebook) -> Table {
        let g = &self.groups;
        let mut cols = node_columns();
        for i in 0..g.len() {
            let key = group_key(g, i);
            let short = if key.is_some() {
                g.labels[i].clone()
            } else {
                "mean (n)".to_string()
            };
            cols.push((
                g.heading(i, "mean"),
                Column::value(key, "mean").short(short),
            ));
            cols.push((g.heading(i, "n"), Column::value(key, "n").paren()));
        }
        let mut t = Table::with_columns(
            "rubric",
            format!("Rubric scores by {}: mean (n documents)", g.by.as_str()),
            cols,
        );
        for node in 0..codebook.nodes.len() {
            let mut row = node_cells(codebook, node);
            for gi in 0..g.len() {
                let (m, n) = self.group_mean(gi, node);
                row.push(Cell::num(m, 2));
                row.push(Cell::Int(n as i64));
            }
            t.rows.push(row);
        }
        self.notes(&mut t);
        t
    }

    fn notes(&self, t: &mut Table) {
        t.notes.push(format!("coders: {}", self.coders.join(", ")));
        t.notes.push(
            "document score = highest score given to the node in the document (mean over \
             coders); a parent = mean of its scored children, unscored children left out; \
             group mean over documents with a score (n)"
                .into(),
        );
        t.notes.push(super::NON_BODY_RULE.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{fixture, By};

    #[test]
    fn hand_checked_means() {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        let a = Rubric::build(&f.codebook, &f.docs, g.clone(), &[&f.a]);
        // A: d1 S1=2, S2=3 → S 2.5; d2 S1=3, S2=1 → S 2; d3 nothing; E never scored.
        assert_eq!(a.doc_score(0, 0), Some(2.5));
        assert_eq!(a.doc_score(1, 0), Some(2.0));
        assert_eq!(a.doc_score(2, 0), None);
        assert_eq!(a.doc_score(0, 3), None);
        // East (d1, d2): S1 (2+3)/2 = 2.5, S2 (3+1)/2 = 2, S (2.5+2)/2 = 2.25; central: none.
        assert_eq!(a.group_mean(1, 1), (Some(2.5), 2));
        assert_eq!(a.group_mean(1, 2), (Some(2.0), 2));
        assert_eq!(a.group_mean(1, 0), (Some(2.25), 2));
        assert_eq!(a.group_mean(2, 0), (None, 0));

        // A and B: d1 S1 = mean(2, 1) = 1.5, S2 = 3 (A only) → S 2.25. B alone: d1 S = S1 = 1
        // (S2 unscored, left out rather than counted as 0).
        let ab = Rubric::build(&f.codebook, &f.docs, g.clone(), &[&f.a, &f.b]);
        assert_eq!(ab.doc_score(0, 1), Some(1.5));
        assert_eq!(ab.doc_score(0, 0), Some(2.25));
        let b = Rubric::build(&f.codebook, &f.docs, g, &[&f.b]);
        assert_eq!(b.doc_score(0, 0), Some(1.0));

        // By level: provincial = d1 and d3, but only d1 is scored → S 2.5 over n = 1.
        let lv = Groups::new(By::Level, &f.scheme, &f.docs);
        assert_eq!(lv.keys, ["provincial", "municipal"]);
        let a = Rubric::build(&f.codebook, &f.docs, lv, &[&f.a]);
        assert_eq!(a.group_mean(0, 0), (Some(2.5), 1));
        assert_eq!(a.group_mean(1, 0), (Some(2.0), 1));
        assert_eq!(a.table(&f.codebook).rows[0][2].display(), "2.50");
    }

    #[test]
    fn max_over_paragraphs() {
        let mut f = fixture::study();
        // A scores S1 again in d1, lower: the document keeps the maximum, 2.
        f.a.apply(fixture::decision("A", "d1#4", &["S1"], &[("S1", 1)]));
        let g = Groups::new(By::None, &f.scheme, &f.docs);
        let a = Rubric::build(&f.codebook, &f.docs, g, &[&f.a]);
        assert_eq!(a.doc_score(0, 1), Some(2.0));
    }
}
