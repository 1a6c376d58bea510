//! Tallies: per node and group, the number of documents and of reference points (coded
//! paragraphs), with parent rows aggregating their children. Built once, then kept current
//! in O(depth × codes) per changed decision, so the TUI's live regional table can use it.

use std::collections::HashMap;

use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::store::{Codings, Decision};

use super::{node_cells, node_columns, Cell, Column, DocIndex, Groups, NodeIndex, Pool, Table};

/// Document and reference counts per (group, node) for a set of coders.
///
/// A paragraph coded at a node counts at that node and every ancestor, once per ancestor, so
/// a paragraph coded at two children of one parent is one reference of the parent. A document
/// counts at a node when it has at least one reference there — once, whatever the pooling.
#[derive(Debug, Clone)]
pub struct Tally {
    pool: Pool,
    coders: Vec<String>,
    nodes: NodeIndex,
    docs: DocIndex,
    groups: Groups,
    /// Per paragraph id: how many included coders' codes reach each node.
    para: HashMap<String, Vec<u32>>,
    /// `[doc][node]`: references in the document.
    doc_refs: Vec<Vec<u32>>,
    /// `[group][node]`: references.
    refs: Vec<Vec<u32>>,
    /// `[group][node]`: documents with at least one reference.
    doc_count: Vec<Vec<u32>>,
}

impl Tally {
    /// Tallies `coders`' codings of `docs` (grouped by `groups`, built from the same `docs`).
    /// Decisions on paragraphs that are not in `docs` (or orphans) are not counted; codes of
    /// node ids missing from the codebook are ignored.
    pub fn build(
        codebook: &Codebook,
        docs: &[Document],
        groups: Groups,
        coders: &[&Codings],
        pool: Pool,
    ) -> Tally {
        let nodes = NodeIndex::new(codebook);
        let n = nodes.len();
        let mut t = Tally {
            pool,
            coders: coders.iter().map(|c| c.coder.clone()).collect(),
            docs: DocIndex::new(docs),
            doc_refs: vec![vec![0; n]; docs.len()],
            refs: vec![vec![0; n]; groups.len()],
            doc_count: vec![vec![0; n]; groups.len()],
            groups,
            nodes,
            para: HashMap::new(),
        };
        for c in coders {
            for d in c.decisions.values() {
                t.add(d, true);
            }
        }
        t
    }

    /// Updates the counts after `coder`'s decision on a paragraph changed from `old` to `new`
    /// (`None` = no decision). Changes by coders not included in the tally are ignored.
    pub fn apply_change(&mut self, coder: &str, old: Option<&Decision>, new: Option<&Decision>) {
        if !self.coders.iter().any(|c| c == coder) {
            return;
        }
        if let Some(o) = old {
            self.add(o, false);
        }
        if let Some(n) = new {
            self.add(n, true);
        }
    }

    fn add(&mut self, d: &Decision, plus: bool) {
        let Some((doc, _)) = self.docs.locate_body(&d.para) else {
            return;
        };
        // Groups built from another document list would not cover this one: skip, don't panic.
        let Some(&g) = self.groups.of_doc.get(doc) else {
            return;
        };
        if g >= self.refs.len() {
            return;
        }
        let n_nodes = self.nodes.len();
        for node in self.nodes.closure(&d.nodes) {
            let counts = self
                .para
                .entry(d.para.clone())
                .or_insert_with(|| vec![0; n_nodes]);
            let before = counts[node];
            counts[node] = if plus {
                before + 1
            } else {
                before.saturating_sub(1)
            };
            let after = counts[node];
            let delta: i64 = match self.pool {
                Pool::Pooled => i64::from(after) - i64::from(before),
                Pool::Union => i64::from(after > 0) - i64::from(before > 0),
            };
            if delta == 0 {
                continue;
            }
            let dr = &mut self.doc_refs[doc][node];
            let had = *dr > 0;
            *dr = (i64::from(*dr) + delta).max(0) as u32;
            let has = *dr > 0;
            let r = &mut self.refs[g][node];
            *r = (i64::from(*r) + delta).max(0) as u32;
            if had != has {
                let c = &mut self.doc_count[g][node];
                *c = if has { *c + 1 } else { c.saturating_sub(1) };
            }
        }
    }

    /// The grouping the tally was built with.
    pub fn groups(&self) -> &Groups {
        &self.groups
    }

    /// The coders included, in the order given.
    pub(crate) fn coders(&self) -> &[String] {
        &self.coders
    }

    /// The pooling convention.
    pub(crate) fn pool(&self) -> Pool {
        self.pool
    }

    /// References of node `node` in group `g`.
    pub fn refs(&self, g: usize, node: usize) -> u32 {
        self.refs[g][node]
    }

    /// Documents of group `g` with at least one reference at `node`.
    pub fn docs(&self, g: usize, node: usize) -> u32 {
        self.doc_count[g][node]
    }

    /// References of `node` over all groups.
    pub fn total_refs(&self, node: usize) -> u32 {
        self.refs.iter().map(|r| r[node]).sum()
    }

    /// Documents with at least one reference at `node`, over all groups.
    pub fn total_docs(&self, node: usize) -> u32 {
        self.doc_count.iter().map(|r| r[node]).sum()
    }

    /// `(docs, refs)` as `[group][node]` matrices — for comparing tallies and for charts.
    // Test-only: the tests compare tallies with it.
    #[cfg(test)]
    pub(crate) fn matrices(&self) -> (Vec<Vec<u32>>, Vec<Vec<u32>>) {
        (self.doc_count.clone(), self.refs.clone())
    }

    /// The published "node / documents / reference points" table, one column pair per group
    /// plus totals when there is more than one group. Compact: one cell per group,
    /// `refs (docs)`, under the group's label.
    pub fn table(&self, codebook: &Codebook) -> Table {
        let g = &self.groups;
        let mut cols = node_columns();
        for i in 0..g.len() {
            let key = group_key(g, i);
            // By document, docs is 1 wherever refs is not 0: the compact layout leaves it out.
            let docs = Column::value(key, "docs");
            cols.push((
                g.heading(i, "docs"),
                if g.by == super::By::Document {
                    docs.hidden()
                } else {
                    docs.paren()
                },
            ));
            cols.push((
                g.heading(i, "refs"),
                Column::value(key, "refs").short(if key.is_some() {
                    g.labels[i].clone()
                } else {
                    "refs (docs)".to_string()
                }),
            ));
        }
        let totals = g.len() > 1;
        if totals {
            cols.push((
                "total docs".into(),
                Column::value(Some("total"), "docs").paren(),
            ));
            cols.push((
                "total refs".into(),
                Column::value(Some("total"), "refs").short("total"),
            ));
        }
        let mut t = Table::with_columns(
            "tally",
            format!(
                "Tally by {}: {} — {}",
                g.by.as_str(),
                if g.by == super::By::Document {
                    "reference points"
                } else {
                    "reference points (documents)"
                },
                self.pool.short(&self.coders)
            ),
            cols,
        );
        for node in 0..self.nodes.len().min(codebook.nodes.len()) {
            let mut row = node_cells(codebook, node);
            for gi in 0..g.len() {
                row.push(Cell::Int(self.docs(gi, node).into()));
                row.push(Cell::Int(self.refs(gi, node).into()));
            }
            if totals {
                row.push(Cell::Int(self.total_docs(node).into()));
                row.push(Cell::Int(self.total_refs(node).into()));
            }
            t.rows.push(row);
        }
        t.notes.push(self.pool.describe(&self.coders));
        t.notes.extend(g.empty_note());
        t.notes.push(
            "refs = coded paragraphs; a parent counts a paragraph once even if it is coded at \
             several of its children; docs = documents with at least one reference"
                .into(),
        );
        t.notes.push(super::NON_BODY_RULE.into());
        t
    }
}

/// The tidy `group` of column group `i`: its stable key (`east`, `2019`, a document id; the
/// label `(none)` for documents without a value); `None` when the grouping is `none`.
pub(crate) fn group_key(g: &Groups, i: usize) -> Option<&str> {
    (g.by != super::By::None).then(|| {
        if g.keys[i].is_empty() {
            g.labels[i].as_str()
        } else {
            g.keys[i].as_str()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::fixture::{self, decision};
    use crate::stats::By;
    use proptest::prelude::*;

    fn region_tally(pool: Pool, coders: &[&Codings]) -> Tally {
        let f = fixture::study();
        let g = Groups::new(By::Region, &f.scheme, &f.docs);
        Tally::build(&f.codebook, &f.docs, g, coders, pool)
    }

    #[test]
    fn hand_checked_counts() {
        let f = fixture::study();
        // Coder A, east (d1, d2): S1 at d1#2, d2#3 → 2 refs, 2 docs. S2 at d1#3, d2#3 → 2, 2.
        // S: d1#2, d1#3, d2#3 (d2#3 has S1+S2 but counts once) → 3 refs, 2 docs.
        // E1: d1#4 → 1,1. E2: d2#2 → 1,1. E: 2 refs, 2 docs. Central (d3): E1 1, E 1.
        let t = region_tally(Pool::Pooled, &[&f.a]);
        let (east, central) = (1, 2);
        assert_eq!((t.docs(east, 0), t.refs(east, 0)), (2, 3));
        assert_eq!((t.docs(east, 1), t.refs(east, 1)), (2, 2));
        assert_eq!((t.docs(east, 2), t.refs(east, 2)), (2, 2));
        assert_eq!((t.docs(east, 3), t.refs(east, 3)), (2, 2));
        assert_eq!((t.docs(central, 4), t.refs(central, 4)), (1, 1));
        assert_eq!((t.docs(central, 3), t.refs(central, 3)), (1, 1));
        assert_eq!(t.refs(0, 0), 0);
        assert_eq!((t.total_docs(3), t.total_refs(3)), (3, 3));
    }

    #[test]
    fn pooled_versus_union() {
        let f = fixture::study();
        // S east: A has d1#2, d1#3, d2#3 (3); B has d1#2, d1#3, d2#3 (3) → pooled 6, union 3.
        // E east: A d1#4, d2#2 (2); B d1#3, d2#2 (2) → pooled 4; union {d1#3, d1#4, d2#2} = 3.
        // E1 central: A d3#1, B none → pooled 1 = union 1. E2 central: B d3#1 → 1.
        let p = region_tally(Pool::Pooled, &[&f.a, &f.b]);
        let u = region_tally(Pool::Union, &[&f.a, &f.b]);
        assert_eq!((p.refs(1, 0), u.refs(1, 0)), (6, 3));
        assert_eq!((p.refs(1, 3), u.refs(1, 3)), (4, 3));
        assert_eq!((p.refs(2, 4), u.refs(2, 4)), (1, 1));
        assert_eq!((p.refs(2, 3), u.refs(2, 3)), (2, 1));
        // Documents count once either way: E east is in d1 and d2.
        assert_eq!((p.docs(1, 3), u.docs(1, 3)), (2, 2));
        let table = p.table(&f.codebook);
        assert!(table.notes[0].contains("NVivo"));
        assert!(table.title.contains("pooled over A, B"));
        assert_eq!(table.header[2], "国家 docs");
        assert_eq!(table.header.len(), 2 + 2 * 5 + 2);
    }

    type State = (Vec<Vec<u32>>, Vec<Vec<u32>>, Vec<Vec<u32>>);

    fn state(t: &Tally) -> State {
        let (d, r) = t.matrices();
        (d, r, t.doc_refs.clone())
    }

    proptest! {
        #[test]
        fn incremental_equals_rebuild(
            changes in prop::collection::vec((0usize..2, 0usize..9, prop::collection::vec(0usize..7, 0..3)), 1..40),
            union in any::<bool>(),
        ) {
            let f = fixture::study();
            let pool = if union { Pool::Union } else { Pool::Pooled };
            let paras = ["d1#1", "d1#2", "d1#3", "d1#4", "d2#2", "d2#3", "d3#1", "d3#2", "zz#1"];
            let ids = ["S", "S1", "S2", "E", "E1", "E2", "unknown"];
            let mut coders = [f.a.clone(), f.b.clone()];
            let groups = Groups::new(By::Region, &f.scheme, &f.docs);
            let refs: Vec<&Codings> = coders.iter().collect();
            let mut live = Tally::build(&f.codebook, &f.docs, groups.clone(), &refs, pool);
            for (c, p, ns) in changes {
                let name = coders[c].coder.clone();
                let node_ids: Vec<&str> = ns.iter().map(|i| ids[*i]).collect();
                let new = decision(&name, paras[p], &node_ids, &[]);
                let old = coders[c].get(paras[p]).cloned();
                coders[c].apply(new.clone());
                let now = coders[c].get(paras[p]).cloned();
                live.apply_change(&name, old.as_ref(), now.as_ref());
            }
            let refs: Vec<&Codings> = coders.iter().collect();
            let rebuilt = Tally::build(&f.codebook, &f.docs, groups, &refs, pool);
            prop_assert_eq!(state(&live), state(&rebuilt));
        }
    }
}
