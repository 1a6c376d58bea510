//! Tallies, coverage, rubric scores, word frequency, agreement and charts: pure functions over
//! (codebook, documents, codings) that produce [`Table`]s and SVG strings. No I/O here.

use std::collections::HashMap;

use crate::codebook::Codebook;
use crate::corpus::{parse_para_id, Document};
use crate::study::Study;

pub mod agree;
pub mod agree_report;
pub mod bootstrap;
pub mod chart;
pub mod compare;
pub mod consensus;
pub mod coverage;
pub mod freq;
pub(crate) mod groups;
pub mod rubric;
pub(crate) mod table;
pub(crate) mod tally;

pub use agree::Agreement;
pub use groups::{By, Groups};
pub use table::{render_tables, Cell, Column, Format, Layout, Table};
pub use tally::Tally;

/// The one rule for headings, page numbers and other non-body lines, as table notes say it.
pub(crate) const NON_BODY_RULE: &str =
    "body paragraphs only: headings, page numbers and other non-body lines are never counted";

/// How several coders' codings are combined into one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pool {
    /// NVivo's convention: each coder's coding of a paragraph is its own reference, so a
    /// paragraph coded by two coders counts twice. Coverage: the mean of the coders' coverages.
    Pooled,
    /// A paragraph counts once if any coder coded it.
    Union,
}

impl Pool {
    /// A short form for titles: `coder A`, `pooled over A, B (one reference per coder)`, …
    pub(crate) fn short(self, coders: &[String]) -> String {
        let who = coders.join(", ");
        match (self, coders.len()) {
            (_, 1) => format!("coder {who}"),
            (Pool::Pooled, _) => format!("pooled over {who} (one reference per coder)"),
            (Pool::Union, _) => format!("union of {who} (each paragraph once)"),
        }
    }

    /// One line describing the convention, for table notes.
    pub(crate) fn describe(self, coders: &[String]) -> String {
        let who = coders.join(", ");
        match (self, coders.len()) {
            (_, 1) => format!("coder: {who}"),
            (Pool::Pooled, _) => format!(
                "pooled over coders {who} (NVivo convention: one reference per coder per paragraph)"
            ),
            (Pool::Union, _) => {
                format!("union of coders {who} (a paragraph counts once if any coder coded it)")
            }
        }
    }
}

/// The groups of a study's documents under its region scheme.
pub fn study_groups(study: &Study, by: By) -> Groups {
    Groups::new(by, &study.scheme, &study.docs)
}

/// Node id → index lookup plus the parent chain, so codes can be lifted to their ancestors.
#[derive(Debug, Clone, Default)]
pub struct NodeIndex {
    ids: HashMap<String, usize>,
    parents: Vec<Option<usize>>,
}

impl NodeIndex {
    /// Indexes a codebook.
    pub fn new(cb: &Codebook) -> NodeIndex {
        NodeIndex {
            ids: cb
                .nodes
                .iter()
                .enumerate()
                .map(|(i, n)| (n.id.clone(), i))
                .collect(),
            parents: cb.nodes.iter().map(|n| n.parent).collect(),
        }
    }

    /// Number of nodes.
    pub(crate) fn len(&self) -> usize {
        self.parents.len()
    }

    /// Index of a node id.
    pub(crate) fn get(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }

    /// The nodes a paragraph counts at when coded with `ids`: each known node and all its
    /// ancestors, sorted and deduplicated, so two children of one parent give the parent once.
    /// Unknown ids are ignored.
    pub fn closure(&self, ids: &[String]) -> Vec<usize> {
        let mut out = Vec::new();
        self.closure_into(ids, &mut out);
        out
    }

    /// [`NodeIndex::closure`] into a buffer the caller reuses (cleared first), so a pass over
    /// every paragraph allocates nothing per paragraph.
    pub(crate) fn closure_into(&self, ids: &[String], out: &mut Vec<usize>) {
        out.clear();
        for id in ids {
            let mut cur = self.get(id);
            while let Some(i) = cur {
                out.push(i);
                cur = self.parents[i];
            }
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// Document id → index lookup, resolving paragraph ids to (document, paragraph) positions.
#[derive(Debug, Clone, Default)]
pub struct DocIndex {
    ids: rustc_hash::FxHashMap<String, usize>,
    lens: Vec<usize>,
    /// Per document, whether each paragraph is a body paragraph (the only ones counted).
    body: Vec<Vec<bool>>,
}

impl DocIndex {
    /// Indexes documents by id.
    pub fn new(docs: &[Document]) -> DocIndex {
        DocIndex {
            ids: docs
                .iter()
                .enumerate()
                .map(|(i, d)| (d.id.clone(), i))
                .collect(),
            lens: docs.iter().map(|d| d.paragraphs.len()).collect(),
            body: docs
                .iter()
                .map(|d| {
                    d.paragraphs
                        .iter()
                        .map(|p| p.kind == crate::corpus::ParaKind::Body)
                        .collect()
                })
                .collect(),
        }
    }

    /// `DocIndex::locate` for body paragraphs only: a heading, page number or other
    /// non-body line is never counted (polcode's one rule for them, in tallies, coverage,
    /// rubric scores, agreement and the coding screen).
    pub fn locate_body(&self, para: &str) -> Option<(usize, usize)> {
        self.locate(para).filter(|&(d, p)| self.body[d][p])
    }

    /// `(document index, 0-based paragraph index)` of a paragraph id, if it exists.
    pub(crate) fn locate(&self, para: &str) -> Option<(usize, usize)> {
        let (doc, n) = parse_para_id(para)?;
        let d = *self.ids.get(doc)?;
        let p = (n as usize).checked_sub(1)?;
        (p < self.lens[d]).then_some((d, p))
    }

    /// Index of a document id.
    pub(crate) fn doc(&self, id: &str) -> Option<usize> {
        self.ids.get(id).copied()
    }
}

/// The label used in tables for node `i`, indented by depth so the tree shows.
pub(crate) fn node_label(cb: &Codebook, i: usize) -> String {
    let n = &cb.nodes[i];
    format!("{}{}", "  ".repeat(n.depth), n.label())
}

/// A node's name in one language for compact tables and charts: the Chinese name, or the
/// English one, or the id.
pub fn node_short(n: &crate::codebook::Node) -> String {
    if !n.name_zh.is_empty() {
        n.name_zh.clone()
    } else if !n.name_en.is_empty() {
        n.name_en.clone()
    } else {
        n.id.clone()
    }
}

/// The two leading columns of a node row: `id` (key `node_id`, left out of the compact
/// layout) and the indented label (key `node`; compact: the name in one language).
pub(crate) fn node_columns() -> Vec<(String, Column)> {
    vec![
        ("id".to_string(), Column::key("node_id").hidden()),
        ("node".to_string(), Column::label("node")),
    ]
}

/// Cells for the [`node_columns`] of node `i`.
pub(crate) fn node_cells(cb: &Codebook, i: usize) -> Vec<Cell> {
    let n = &cb.nodes[i];
    vec![
        Cell::text(n.id.clone()),
        Cell::label(
            node_label(cb, i),
            format!("{}{}", "  ".repeat(n.depth), node_short(n)),
        ),
    ]
}

#[cfg(test)]
pub(crate) mod fixture;
#[cfg(test)]
mod nonbody_tests;
