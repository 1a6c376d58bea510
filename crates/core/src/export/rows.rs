//! The tidy long table shared by the CSV and JSON exports: one row per decision and node, in
//! document order, paragraph order, coder order (a decision with no node gives one row).

use std::collections::{BTreeMap, HashSet};

use serde::Serialize;

use super::{tick, Progress};
use crate::codebook::Codebook;
use crate::corpus::{parse_para_id, DocMeta, Document};
use crate::store::{Codings, Decision, SuggestSource, Via};

/// One row of the long table. Field order is the CSV column order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct LongRow {
    pub doc_id: String,
    pub para_id: String,
    pub para_n: u32,
    pub section: String,
    /// Node id; empty for a decision that chose no node (no-code mark or memo only).
    pub node: String,
    /// Parent node id; empty for roots and for rows without a node.
    pub parent: String,
    pub coder: String,
    /// Rubric score of this node, if the decision scored it.
    pub score: Option<i32>,
    pub memo: String,
    /// 1 when the decision is an explicit "no code" mark.
    pub no_code: u8,
    pub via: String,
    pub timestamp: String,
    pub region: String,
    pub level: String,
    pub province: String,
    pub city: String,
    pub date: String,
    pub kind: String,
    /// The paragraph's text, exactly as stored (`export -f csv --text`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// How a node came to be chosen, as one short string: `suggestion:keyword:1`,
/// `predicted:prior:2`, `search`,
/// `typed`, `reconciled:<coder>`, `imported`; from a text search `found[<query>]:<how>` and
/// `all-hits[<query>]` (and for a consensus node with no provenance of its own,
/// [`derived_str`]).
pub(crate) fn via_str(v: &Via) -> String {
    match v {
        Via::Found { query, how } => format!("found[{query}]:{}", via_str(how)),
        Via::AllHits { query } => format!("all-hits[{query}]"),
        Via::Suggestion { rank, source } => format!("suggestion:{}:{rank}", source_str(*source)),
        Via::Predicted { rank, source } => format!("predicted:{}:{rank}", source_str(*source)),
        Via::Search => "search".into(),
        Via::Typed => "typed".into(),
        Via::Reconciled { from } => format!("reconciled:{from}"),
        Via::Imported => "imported".into(),
    }
}

/// A consensus decision's provenance when its nodes carry none of their own:
/// `agreed:<coder>+<coder>` (carried because every reconciled coder made it) or
/// `reconciled:<coder>+<coder>`.
pub(crate) fn derived_str(d: &crate::store::Derivation) -> String {
    match d {
        crate::store::Derivation::Agreed { coders } => format!("agreed:{}", coders.join("+")),
        crate::store::Derivation::Reconciled { coders } => {
            format!("reconciled:{}", coders.join("+"))
        }
    }
}

fn source_str(s: SuggestSource) -> &'static str {
    match s {
        SuggestSource::Keyword => "keyword",
        SuggestSource::Learned => "learned",
        SuggestSource::Prior => "prior",
    }
}

/// The document variables exported everywhere, as (name, value) in a fixed order.
pub(crate) fn doc_variables(id: &str, m: &DocMeta) -> Vec<(&'static str, String)> {
    vec![
        ("doc_id", id.to_string()),
        ("title", m.title.clone()),
        ("region", m.region.clone()),
        ("level", m.level.as_str().to_string()),
        ("province", m.province.clone()),
        ("city", m.city.clone()),
        ("date", m.date.clone()),
        ("year", m.year().map(|y| y.to_string()).unwrap_or_default()),
        ("issuer", m.issuer.clone()),
        ("doc_number", m.doc_number.clone()),
        ("kind", m.kind.as_str().to_string()),
        ("topic", m.topic.clone()),
    ]
}

fn rows_for(
    out: &mut Vec<LongRow>,
    codebook: &Codebook,
    d: &Decision,
    doc: Option<&Document>,
    section: &str,
) {
    let (doc_id, n) = parse_para_id(&d.para).unwrap_or((d.para.as_str(), 0));
    let meta = doc.map(|d| d.meta.clone()).unwrap_or_default();
    let base = LongRow {
        doc_id: doc_id.to_string(),
        para_id: d.para.clone(),
        para_n: n,
        section: section.to_string(),
        node: String::new(),
        parent: String::new(),
        coder: d.coder.clone(),
        score: None,
        memo: d.memo.clone().unwrap_or_default(),
        no_code: u8::from(d.no_code),
        via: d.derived.as_ref().map(derived_str).unwrap_or_default(),
        timestamp: d.at.clone(),
        region: meta.region.clone(),
        level: if doc.is_some() {
            meta.level.as_str().to_string()
        } else {
            String::new()
        },
        province: meta.province.clone(),
        city: meta.city.clone(),
        date: meta.date.clone(),
        kind: if doc.is_some() {
            meta.kind.as_str().to_string()
        } else {
            String::new()
        },
        text: None,
    };
    if d.nodes.is_empty() {
        out.push(base);
        return;
    }
    for node in &d.nodes {
        let parent = codebook
            .index(node)
            .and_then(|i| codebook.nodes[i].parent)
            .map(|p| codebook.nodes[p].id.clone())
            .unwrap_or_default();
        out.push(LongRow {
            node: node.clone(),
            parent,
            score: d.scores.get(node).copied(),
            via: d
                .via
                .get(node)
                .map(via_str)
                .or_else(|| d.derived.as_ref().map(derived_str))
                .unwrap_or_default(),
            ..base.clone()
        });
    }
}

/// The long table. Coders are taken in name order; decisions whose paragraph is not among
/// `docs` come last, with empty document variables, rather than being dropped.
pub(crate) fn long_rows(
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    mut progress: Progress<'_>,
) -> Vec<LongRow> {
    let mut coders: Vec<&Codings> = codings.iter().collect();
    coders.sort_by(|a, b| a.coder.cmp(&b.coder));
    let mut out = Vec::new();
    let mut placed: HashSet<(usize, &str)> = HashSet::new();
    for (di, doc) in docs.iter().enumerate() {
        tick(&mut progress, di, docs.len());
        for p in &doc.paragraphs {
            let pid = doc.para_id(p.n);
            for (ci, c) in coders.iter().enumerate() {
                if let Some((key, d)) = c.decisions.get_key_value(&pid) {
                    rows_for(&mut out, codebook, d, Some(doc), &p.section);
                    placed.insert((ci, key.as_str()));
                }
            }
        }
    }
    tick(&mut progress, docs.len(), docs.len());
    let mut rest: BTreeMap<(String, u32, usize), &Decision> = BTreeMap::new();
    for (ci, c) in coders.iter().enumerate() {
        for (k, d) in &c.decisions {
            if !placed.contains(&(ci, k.as_str())) {
                let (doc, n) = parse_para_id(k).unwrap_or((k.as_str(), 0));
                rest.insert((doc.to_string(), n, ci), d);
            }
        }
    }
    for d in rest.values() {
        rows_for(&mut out, codebook, d, None, "");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_search_provenance_reads_in_one_string() {
        let found = Via::Suggestion {
            rank: 1,
            source: SuggestSource::Prior,
        }
        .found("区块链");
        assert_eq!(via_str(&found), "found[区块链]:suggestion:prior:1");
        let all = Via::AllHits {
            query: "-w 区块链".into(),
        };
        assert_eq!(via_str(&all), "all-hits[-w 区块链]");
        assert_eq!(via_str(&Via::Search), "search");
    }
}
