//! Coverage: the share of a document's body characters lying in paragraphs coded at a node,
//! and its three aggregations per group (each labelled, since published studies differ).

use std::collections::HashMap;

use crate::codebook::Codebook;
use crate::corpus::{Document, ParaKind};
use crate::store::Codings;

use super::tally::group_key;
use super::{node_cells, node_columns, Cell, Column, DocIndex, Groups, NodeIndex, Pool, Table};

/// How per-document coverages are combined into one figure per group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Aggregate {
    /// Arithmetic mean of the documents' coverages (each document weighs the same).
    MeanOfDocs,
    /// Total coded characters over total body characters (long documents weigh more).
    Ratio,
    /// Sum of the documents' coverages: what some studies report; can exceed 100%.
    SumOfDocs,
}

impl Aggregate {
    /// All three, in report order.
    pub const ALL: [Aggregate; 3] = [
        Aggregate::MeanOfDocs,
        Aggregate::Ratio,
        Aggregate::SumOfDocs,
    ];

    /// A short name: the `table` of tidy CSV is `coverage_<name>`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Aggregate::MeanOfDocs => "mean",
            Aggregate::Ratio => "ratio",
            Aggregate::SumOfDocs => "sum",
        }
    }

    /// The label used in titles and notes.
    pub(crate) fn label(self) -> &'static str {
        match self {
            Aggregate::MeanOfDocs => "mean of document coverages",
            Aggregate::Ratio => "total coded characters / total body characters",
            Aggregate::SumOfDocs => "sum of document coverages (can exceed 100%)",
        }
    }
}

/// Coded body characters per (document, node), with each document's body characters.
#[derive(Debug, Clone)]
pub struct Coverage {
    pool: Pool,
    coders: Vec<String>,
    groups: Groups,
    body: Vec<usize>,
    /// `[doc][node]` coded body characters (a mean over coders when pooled).
    coded: Vec<Vec<f64>>,
}

impl Coverage {
    /// Measures coverage of `docs` by `coders`. Only body paragraphs count, in characters
    /// (code points). A paragraph coded at a node counts for it and its ancestors once, however
    /// many of its children it is coded at. `Pool::Union` covers a paragraph if any coder coded
    /// it; `Pool::Pooled` takes the mean over coders of each coder's coded characters.
    pub fn build(
        codebook: &Codebook,
        docs: &[Document],
        groups: Groups,
        coders: &[&Codings],
        pool: Pool,
    ) -> Coverage {
        let nodes = NodeIndex::new(codebook);
        let index = DocIndex::new(docs);
        let mut coded = vec![vec![0.0; nodes.len()]; docs.len()];
        let weight = 1.0 / coders.len().max(1) as f64;
        // For the union, which (paragraph, node) pairs are already counted.
        let mut seen: HashMap<(usize, usize), Vec<bool>> = HashMap::new();
        for c in coders {
            for d in c.decisions.values() {
                let Some((di, pi)) = index.locate(&d.para) else {
                    continue;
                };
                let p = &docs[di].paragraphs[pi];
                if p.kind != ParaKind::Body {
                    continue;
                }
                let chars = p.text.chars().count() as f64;
                for node in nodes.closure(&d.nodes) {
                    match pool {
                        Pool::Pooled => coded[di][node] += chars * weight,
                        Pool::Union => {
                            let s = seen
                                .entry((di, pi))
                                .or_insert_with(|| vec![false; nodes.len()]);
                            if !s[node] {
                                s[node] = true;
                                coded[di][node] += chars;
                            }
                        }
                    }
                }
            }
        }
        Coverage {
            pool,
            coders: coders.iter().map(|c| c.coder.clone()).collect(),
            groups,
            body: docs.iter().map(Document::body_chars).collect(),
            coded,
        }
    }

    /// Coverage of document `doc` at `node`, in percent; `None` for a document with no body.
    pub(crate) fn doc_pct(&self, doc: usize, node: usize) -> Option<f64> {
        let b = self.body[doc];
        (b > 0).then(|| 100.0 * self.coded[doc][node] / b as f64)
    }

    /// Coverage of group `g` at `node`, in percent, aggregated as `agg`. Documents without
    /// body text are left out; `None` when no document of the group has any.
    pub fn group_pct(&self, g: usize, node: usize, agg: Aggregate) -> Option<f64> {
        let docs: Vec<usize> = self
            .groups
            .docs_in(g)
            .filter(|d| self.body.get(*d).is_some_and(|b| *b > 0))
            .collect();
        if docs.is_empty() {
            return None;
        }
        let pcts = docs.iter().filter_map(|d| self.doc_pct(*d, node));
        Some(match agg {
            Aggregate::MeanOfDocs => pcts.sum::<f64>() / docs.len() as f64,
            Aggregate::SumOfDocs => pcts.sum(),
            Aggregate::Ratio => {
                let coded: f64 = docs.iter().map(|d| self.coded[*d][node]).sum();
                let body: usize = docs.iter().map(|d| self.body[*d]).sum();
                100.0 * coded / body as f64
            }
        })
    }

    /// The grouping used.
    pub(crate) fn groups(&self) -> &Groups {
        &self.groups
    }

    /// The coders measured, in the order given.
    pub(crate) fn coders(&self) -> &[String] {
        &self.coders
    }

    /// How the coders were combined.
    pub(crate) fn pool(&self) -> Pool {
        self.pool
    }

    /// Node rows × group columns of coverage aggregated as `agg`.
    pub fn table(&self, codebook: &Codebook, agg: Aggregate) -> Table {
        let g = &self.groups;
        let mut cols = node_columns();
        for i in 0..g.len() {
            let key = group_key(g, i);
            let short = if key.is_some() {
                g.labels[i].clone()
            } else {
                "coverage".to_string()
            };
            cols.push((
                g.heading(i, "coverage"),
                Column::value(key, "coverage_pct").short(short),
            ));
        }
        let mut t = Table::with_columns(
            &format!("coverage_{}", agg.name()),
            format!("Coverage by {} — {}", g.by.as_str(), agg.label()),
            cols,
        );
        for node in 0..codebook
            .nodes
            .len()
            .min(self.coded.first().map_or(usize::MAX, Vec::len))
        {
            let mut row = node_cells(codebook, node);
            row.extend((0..g.len()).map(|gi| Cell::pct(self.group_pct(gi, node, agg), 2)));
            t.rows.push(row);
        }
        self.notes(&mut t);
        t.notes
            .push(format!("aggregated per group as: {}", agg.label()));
        t
    }

    fn notes(&self, t: &mut Table) {
        let how = match (self.pool, self.coders.len()) {
            (_, 0 | 1) => self.pool.describe(&self.coders),
            (Pool::Pooled, _) => format!(
                "mean over coders {} of each coder's coverage",
                self.coders.join(", ")
            ),
            (Pool::Union, _) => self.pool.describe(&self.coders),
        };
        t.notes.push(how);
        t.notes.extend(
            self.groups
                .empty_note()
                .map(|n| format!("{n} (no coverage)")),
        );
        t.notes.push(
            "coverage = characters of body paragraphs coded at the node (or a descendant, \
             counted once) / body characters of the document"
                .into(),
        );
        t.notes.push(super::NON_BODY_RULE.into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::{fixture, By};

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn three_aggregations_by_hand() {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        let c = Coverage::build(&f.codebook, &f.docs, g, &[&f.a], Pool::Pooled);
        // d1 body 30: S = d1#2 (7) + d1#3 (14) = 21 → 70%; the non-body title is not counted.
        close(c.doc_pct(0, 0), 70.0);
        // d2 body 26 (heading excluded): S = d2#3 (14, coded at S1 and S2, once) → 53.846…%
        close(c.doc_pct(1, 0), 1400.0 / 26.0);
        close(c.doc_pct(1, 1), 1400.0 / 26.0);
        // East S: mean (70 + 53.846)/2; ratio (21+14)/(30+26) = 62.5%; sum 123.846%.
        close(
            c.group_pct(1, 0, Aggregate::MeanOfDocs),
            (70.0 + 1400.0 / 26.0) / 2.0,
        );
        close(c.group_pct(1, 0, Aggregate::Ratio), 62.5);
        close(
            c.group_pct(1, 0, Aggregate::SumOfDocs),
            70.0 + 1400.0 / 26.0,
        );
        // East E: d1#4 (9/30 = 30%), d2#2 (12/26); ratio 21/56 = 37.5%.
        close(c.group_pct(1, 3, Aggregate::Ratio), 37.5);
        // Central (d3, body 16): E1 d3#1 7 chars → 43.75% all three ways.
        for agg in Aggregate::ALL {
            close(c.group_pct(2, 4, agg), 43.75);
        }
        // The west has no documents: undefined, not 0.
        assert_eq!(c.group_pct(3, 0, Aggregate::MeanOfDocs), None);
        let t = c.table(&f.codebook, Aggregate::SumOfDocs);
        assert!(t.title.contains("can exceed 100%"));
        assert_eq!(t.rows[0][3].display(), "123.85%");
    }

    #[test]
    fn union_and_pooled_across_coders() {
        let f = fixture::study();
        let g = || Groups::new(By::Region, &f.scheme, &f.docs);
        let u = Coverage::build(&f.codebook, &f.docs, g(), &[&f.a, &f.b], Pool::Union);
        let p = Coverage::build(&f.codebook, &f.docs, g(), &[&f.a, &f.b], Pool::Pooled);
        // d1 E: A coded d1#4 (9), B coded d1#3 (14). Union 23/30; pooled mean (9+14)/2 / 30.
        close(u.doc_pct(0, 3), 2300.0 / 30.0);
        close(p.doc_pct(0, 3), 1150.0 / 30.0);
        // d1 S: both coded d1#2 and d1#3 → 21 either way.
        close(u.doc_pct(0, 0), 70.0);
        close(p.doc_pct(0, 0), 70.0);
    }
}
