//! `polcode suggest report`: a rule audit of the keyword lists against the coders' decisions,
//! so a researcher can fix the keywords and report their precision in a methods section.
//!
//! Counted over coded paragraphs (nodes or an explicit no-code mark), one count per coder and
//! paragraph:
//! - keyword: `fired` — the keyword matched the paragraph; `accepted` — of those, the coder
//!   chose the node listing it or one of its descendants (a parent's keyword supports its
//!   branch). For an exclusion keyword, `accepted` counts the times the exclusion was wrong.
//! - node: `fired` — one of its own keywords matched and no exclusion keyword of it or an
//!   ancestor did (keywords alone would suggest it); `accepted` as above; `chosen` — the coder
//!   chose this node; `missed` — chosen although none of its keywords fired.

use serde::Serialize;

use super::automaton::Matcher;
use super::learn::coded_paragraphs;
use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::stats::{render_tables, Cell, Column, Format, Layout, Table};
use crate::store::Codings;

/// Audit figures of one node.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeAudit {
    pub id: String,
    pub fired: usize,
    pub accepted: usize,
    pub chosen: usize,
    pub missed: usize,
}

/// Audit figures of one (keyword, node) pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeywordAudit {
    pub node: String,
    pub keyword: String,
    /// Whether it is one of the node's exclusion keywords.
    pub exclude: bool,
    pub fired: usize,
    pub accepted: usize,
}

/// The rule audit: per node, then per keyword, in codebook order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditReport {
    pub coders: Vec<String>,
    /// Coded (coder, paragraph) pairs counted.
    pub paragraphs: usize,
    pub nodes: Vec<NodeAudit>,
    pub keywords: Vec<KeywordAudit>,
}

/// Audits the keywords of `codebook` against the decisions in `codings` over `docs`.
pub fn report(codebook: &Codebook, docs: &[Document], codings: &[&Codings]) -> AuditReport {
    let matcher = Matcher::new(codebook);
    let n = codebook.nodes.len();
    let mut nodes: Vec<NodeAudit> = codebook
        .nodes
        .iter()
        .map(|nd| NodeAudit {
            id: nd.id.clone(),
            fired: 0,
            accepted: 0,
            chosen: 0,
            missed: 0,
        })
        .collect();
    // (pattern, owner position) -> index in `keywords`, listed in codebook order.
    let mut keywords = Vec::new();
    let mut kw_index = std::collections::HashMap::new();
    for (i, nd) in codebook.nodes.iter().enumerate() {
        let listed = nd.keywords.iter().map(|k| (k, false));
        for (k, exclude) in listed.chain(nd.exclude_keywords.iter().map(|k| (k, true))) {
            let f = super::automaton::fold(k);
            let Some(p) = matcher.patterns().iter().position(|p| p.folded == f) else {
                continue;
            };
            kw_index.entry((p, i, exclude)).or_insert_with(|| {
                keywords.push(KeywordAudit {
                    node: nd.id.clone(),
                    keyword: k.trim().to_string(),
                    exclude,
                    fired: 0,
                    accepted: 0,
                });
                keywords.len() - 1
            });
        }
    }
    let in_branch = |node: usize, chosen: &[usize]| {
        chosen.iter().any(|&c| {
            let mut cur = Some(c);
            while let Some(x) = cur {
                if x == node {
                    return true;
                }
                cur = codebook.nodes[x].parent;
            }
            false
        })
    };
    let mut paragraphs = 0;
    for c in codings {
        for para in coded_paragraphs(codebook, docs, c) {
            paragraphs += 1;
            let mut fired: Vec<usize> = matcher.find(para.text).iter().map(|h| h.pattern).collect();
            fired.sort_unstable();
            fired.dedup();
            let (mut own, mut excluded) = (vec![false; n], vec![false; n]);
            for &p in &fired {
                for o in &matcher.patterns()[p].owners {
                    let accepted = in_branch(o.node, &para.nodes);
                    if let Some(&k) = kw_index.get(&(p, o.node, o.exclude)) {
                        let a: &mut KeywordAudit = &mut keywords[k];
                        a.fired += 1;
                        a.accepted += usize::from(accepted);
                    }
                    if o.exclude {
                        excluded[o.node] = true;
                    } else {
                        own[o.node] = true;
                    }
                }
            }
            for i in 0..n {
                let blocked = {
                    let mut cur = Some(i);
                    let mut b = false;
                    while let Some(x) = cur {
                        b |= excluded[x];
                        cur = codebook.nodes[x].parent;
                    }
                    b
                };
                if own[i] && !blocked {
                    nodes[i].fired += 1;
                    nodes[i].accepted += usize::from(in_branch(i, &para.nodes));
                }
                if para.nodes.contains(&i) {
                    nodes[i].chosen += 1;
                    nodes[i].missed += usize::from(!own[i]);
                }
            }
        }
    }
    AuditReport {
        coders: codings.iter().map(|c| c.coder.clone()).collect(),
        paragraphs,
        nodes,
        keywords,
    }
}

impl AuditReport {
    /// The audit's tables: per node, then per keyword, precision = accepted / fired.
    pub(crate) fn tables(&self) -> Vec<Table> {
        let prec = |a: usize, b: usize| Cell::pct(ratio(a, b).map(|v| 100.0 * v), 1);
        let int = |n: usize| Cell::Int(n as i64);
        let mut t = Table::with_columns(
            "audit_nodes",
            format!(
                "Rule audit per node: {} coded paragraphs, coders: {}",
                self.paragraphs,
                self.coders.join(", ")
            ),
            vec![
                ("node".into(), Column::key("node_id")),
                ("fired".into(), Column::value(None, "fired")),
                ("accepted".into(), Column::value(None, "accepted")),
                ("precision".into(), Column::value(None, "precision_pct")),
                ("chosen".into(), Column::value(None, "chosen")),
                ("missed".into(), Column::value(None, "missed")),
            ],
        );
        for n in &self.nodes {
            t.rows.push(vec![
                Cell::text(&n.id),
                int(n.fired),
                int(n.accepted),
                prec(n.accepted, n.fired),
                int(n.chosen),
                int(n.missed),
            ]);
        }
        t.notes.push(
            "fired: a keyword of the node matched and no exclusion keyword blocked it; \
             accepted: of those, the coder chose the node or a descendant; chosen: the coder \
             chose the node; missed: chosen although none of its keywords fired"
                .into(),
        );
        let mut k = Table::with_columns(
            "audit_keywords",
            "Rule audit per keyword",
            vec![
                ("node".into(), Column::label("node_id")),
                ("keyword".into(), Column::label("keyword")),
                ("kind".into(), Column::key("kind")),
                ("fired".into(), Column::value(None, "fired")),
                ("accepted".into(), Column::value(None, "accepted")),
                ("precision".into(), Column::value(None, "precision_pct")),
            ],
        );
        for a in &self.keywords {
            k.rows.push(vec![
                Cell::text(&a.node),
                Cell::text(&a.keyword),
                Cell::text(if a.exclude { "exclude" } else { "keyword" }),
                int(a.fired),
                int(a.accepted),
                prec(a.accepted, a.fired),
            ]);
        }
        k.notes.push(
            "for an exclusion keyword, accepted counts the times the exclusion was wrong".into(),
        );
        vec![t, k]
    }

    /// The audit in `format` (text and Markdown in `layout`, CSV tidy, JSON the tables).
    pub fn render(&self, format: Format, layout: Layout) -> String {
        render_tables(&self.tables(), format, layout)
    }

    /// Plain text, compact, without a width limit.
    // Test-only: the tests read the report with it.
    #[cfg(test)]
    pub(crate) fn to_table(&self) -> String {
        self.render(Format::Text, Layout::default())
    }

    /// Tidy CSV: `table, group, node_id, keyword, kind, measure, value`.
    // Test-only: the tests read the report with it.
    #[cfg(test)]
    pub(crate) fn to_csv(&self) -> String {
        self.render(Format::Csv, Layout::default())
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}
