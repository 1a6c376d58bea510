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
use unicode_width::UnicodeWidthStr;

use super::automaton::Matcher;
use super::learn::coded_paragraphs;
use crate::codebook::Codebook;
use crate::corpus::Document;
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
    /// Plain-text tables: nodes, then keywords, with precision = accepted / fired.
    pub fn to_table(&self) -> String {
        let mut out = format!(
            "rule audit: {} coded paragraphs, coders: {}\n\n",
            self.paragraphs,
            self.coders.join(", ")
        );
        let mut t = Table::new(&["node", "fired", "accepted", "precision", "chosen", "missed"]);
        for n in &self.nodes {
            t.row(vec![
                n.id.clone(),
                n.fired.to_string(),
                n.accepted.to_string(),
                pct(ratio(n.accepted, n.fired)),
                n.chosen.to_string(),
                n.missed.to_string(),
            ]);
        }
        out.push_str(&t.render());
        out.push('\n');
        let mut t = Table::new(&["node", "keyword", "kind", "fired", "accepted", "precision"]);
        for k in &self.keywords {
            t.row(vec![
                k.node.clone(),
                k.keyword.clone(),
                if k.exclude { "exclude" } else { "keyword" }.to_string(),
                k.fired.to_string(),
                k.accepted.to_string(),
                pct(ratio(k.accepted, k.fired)),
            ]);
        }
        out.push_str(&t.render());
        out
    }

    /// CSV with one row per node (`keyword` empty) and per keyword.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let f = |x: Option<f64>| x.map(|v| format!("{v:.4}")).unwrap_or_default();
        let _ = w.write_record([
            "node",
            "keyword",
            "kind",
            "fired",
            "accepted",
            "precision",
            "chosen",
            "missed",
        ]);
        for n in &self.nodes {
            let _ = w.write_record([
                n.id.clone(),
                String::new(),
                "node".into(),
                n.fired.to_string(),
                n.accepted.to_string(),
                f(ratio(n.accepted, n.fired)),
                n.chosen.to_string(),
                n.missed.to_string(),
            ]);
        }
        for k in &self.keywords {
            let kind = if k.exclude { "exclude" } else { "keyword" };
            let _ = w.write_record([
                k.node.clone(),
                k.keyword.clone(),
                kind.into(),
                k.fired.to_string(),
                k.accepted.to_string(),
                f(ratio(k.accepted, k.fired)),
                String::new(),
                String::new(),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

/// `62.5%`, or `-` when undefined.
pub(crate) fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_string(), |v| format!("{:.1}%", 100.0 * v))
}

/// A plain-text table padded by display width (Chinese characters take two columns).
pub(crate) struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(head: &[&str]) -> Table {
        Table {
            rows: vec![head.iter().map(|s| s.to_string()).collect()],
        }
    }

    /// Adds a row; each cell is escaped as one line ([`crate::termsafe::escape`]) so a
    /// hand-edited id can neither act on the terminal nor break the row.
    pub fn row(&mut self, row: Vec<String>) {
        let row = row
            .into_iter()
            .map(|c| crate::termsafe::escape(&c).into_owned())
            .collect();
        self.rows.push(row);
    }

    /// Columns separated by two spaces; the first left-aligned, numbers right-aligned.
    pub fn render(&self) -> String {
        let cols = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let width = |c: usize| {
            self.rows
                .iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.width())
                .max()
                .unwrap_or(0)
        };
        let widths: Vec<usize> = (0..cols).map(width).collect();
        let mut out = String::new();
        for r in &self.rows {
            let mut line = String::new();
            for (c, cell) in r.iter().enumerate() {
                let pad = " ".repeat(widths[c].saturating_sub(cell.width()));
                if c > 0 {
                    line.push_str("  ");
                }
                if c == 0
                    || cell
                        .chars()
                        .any(|ch| !ch.is_ascii_digit() && !".%-/".contains(ch))
                {
                    line.push_str(cell);
                    line.push_str(&pad);
                } else {
                    line.push_str(&pad);
                    line.push_str(cell);
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}
