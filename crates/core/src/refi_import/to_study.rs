//! Turning an imported project into polcode values: documents (one per text source), the map
//! from REFI code GUIDs to node ids, and each coder's decisions placed on paragraphs by
//! [`super::mapping::map_selections`].

use std::collections::{BTreeMap, HashSet};

use super::mapping::{line_spans, map_selections, COVERAGE_RULE};
use super::qdc::{assign_ids, slug};
use super::qdpx::QdpxImport;
use crate::codebook::Codebook;
use crate::corpus::{split, DocMeta, Document, Kind, Level};
use crate::export::code_guid;
use crate::fsutil::hash_hex;
use crate::store::{Codings, Decision, NodeMap, Via};

/// A paragraph's place in its source text, in code points (end exclusive).
#[derive(Debug, Clone, PartialEq)]
pub struct ParaSpan {
    /// Paragraph ordinal in the polcode document (1-based).
    pub n: u32,
    pub hash: String,
    pub start: usize,
    pub end: usize,
}

/// Where a source's paragraphs lie in its text; one per [`QdpxImport::sources`], same order.
#[derive(Debug, Clone, PartialEq)]
pub struct SourceLayout {
    pub doc_id: String,
    pub paragraphs: Vec<ParaSpan>,
}

/// The documents of an import: one per source, paragraphs = non-blank lines, their kinds and
/// sections by polcode's splitting rules applied to each line as it stands
/// (`split::classify_fixed`; the caller may re-split and give its own layout to
/// [`import_codings`]). Document ids come from
/// the `doc_id` variable (polcode exports write it) or the slug of the source name, unique;
/// metadata from the variables of the same names as polcode's.
pub fn import_documents(imp: &QdpxImport) -> (Vec<Document>, Vec<SourceLayout>) {
    let mut used = HashSet::new();
    let mut docs = Vec::new();
    let mut layouts = Vec::new();
    for (i, s) in imp.sources.iter().enumerate() {
        let v = |k: &str| s.variables.get(k).cloned().unwrap_or_default();
        let mut base = v("doc_id");
        if base.is_empty() || base.chars().any(char::is_whitespace) || base.contains('#') {
            base = slug(&s.name);
        }
        if base.is_empty() {
            base = format!("doc-{}", i + 1);
        }
        let (mut id, mut k) = (base.clone(), 2);
        while !used.insert(id.clone()) {
            id = format!("{base}-{k}");
            k += 1;
        }
        let chars: Vec<char> = s.text.chars().collect();
        let line_spans = line_spans(&s.text);
        let texts: Vec<String> = line_spans
            .iter()
            .map(|&(a, b)| chars[a..b].iter().collect())
            .collect();
        // One paragraph per line, as exported; kinds and sections by polcode's rules, so a
        // title or heading does not come back as a paragraph to code.
        let paragraphs =
            split::classify_fixed(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let spans = paragraphs
            .iter()
            .zip(&line_spans)
            .map(|(p, &(a, b))| ParaSpan {
                n: p.n,
                hash: p.hash.clone(),
                start: a,
                end: b,
            })
            .collect();
        let title = if v("title").is_empty() {
            s.name.clone()
        } else {
            v("title")
        };
        let meta = DocMeta {
            title,
            issuer: v("issuer"),
            doc_number: v("doc_number"),
            date: v("date"),
            level: Level::parse(&v("level")).unwrap_or_default(),
            province: v("province"),
            city: v("city"),
            region: v("region"),
            kind: Kind::parse(&v("kind")).unwrap_or_default(),
            topic: v("topic"),
            source_file: format!("{}#{}", imp.qde_name, s.name),
            // What the project's variables gave is the user's; the rest stays unknown.
            given: Some(
                crate::corpus::remeta::FIELDS
                    .iter()
                    .filter(|f| !v(f).is_empty())
                    .map(|f| f.to_string())
                    .collect(),
            ),
            content_hash: hash_hex(s.text.as_bytes(), 16),
        };
        layouts.push(SourceLayout {
            doc_id: id.clone(),
            paragraphs: spans,
        });
        docs.push(Document {
            id,
            meta,
            paragraphs,
        });
    }
    (docs, layouts)
}

/// Maps imported code GUIDs onto the nodes of an existing `codebook`: by polcode GUID, then by
/// the `polcode id:` line, then by name (label, Chinese or English name, when unambiguous).
/// Returns the map and the names of codes that found no node.
pub fn code_to_node(
    imp: &QdpxImport,
    codebook: &Codebook,
) -> (BTreeMap<String, String>, Vec<String>) {
    let mut map = BTreeMap::new();
    let mut missing = Vec::new();
    let mut stack: Vec<&super::ImportedCode> = imp.codebook.codes.iter().collect();
    while let Some(c) = stack.pop() {
        stack.extend(c.children.iter());
        let by_guid = codebook.nodes.iter().find(|n| code_guid(&n.id) == c.guid);
        let by_id = c.polcode_id.as_deref().and_then(|id| codebook.get(id));
        let named: Vec<_> = codebook
            .nodes
            .iter()
            .filter(|n| {
                n.label() == c.name
                    || (!c.name.is_empty() && (n.name_zh == c.name || n.name_en == c.name))
            })
            .collect();
        let by_name = (named.len() == 1).then(|| named[0]);
        match by_guid.or(by_id).or(by_name) {
            Some(n) => {
                map.insert(c.guid.clone(), n.id.clone());
            }
            None => missing.push(c.name.clone()),
        }
    }
    missing.sort();
    (map, missing)
}

/// The code map for a fresh study whose codebook is the project's own (see
/// [`super::qdc_to_codebook_yaml`]).
pub fn fresh_code_map(imp: &QdpxImport) -> BTreeMap<String, String> {
    assign_ids(&imp.codebook).into_iter().collect()
}

/// Decisions per coder from an import, and what could not be placed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CodingsImport {
    /// One entry per coder, in name order.
    pub codings: Vec<Codings>,
    /// Selections that code no paragraph under the rule, or lie outside their text.
    pub unplaced: Vec<String>,
    /// Code GUIDs applied in selections but absent from the code map.
    pub unknown_codes: Vec<String>,
    /// The mapping rule applied ([`COVERAGE_RULE`]).
    pub rule: &'static str,
}

/// Places every selection of `imp` on the paragraphs of `layouts` (parallel to the sources),
/// turning each (coder, paragraph) into one decision: the union of codes, memos joined, the
/// latest timestamp (`default_time` when the file has none), `via: imported` for every node.
pub fn import_codings(
    imp: &QdpxImport,
    layouts: &[SourceLayout],
    code_map: &BTreeMap<String, String>,
    default_time: &str,
) -> CodingsImport {
    let mut by_coder: BTreeMap<String, Codings> = BTreeMap::new();
    let mut out = CodingsImport {
        rule: COVERAGE_RULE,
        ..Default::default()
    };
    for (src, lay) in imp.sources.iter().zip(layouts) {
        out.unplaced.extend(src.invalid.iter().cloned());
        let spans: Vec<(usize, usize)> = lay.paragraphs.iter().map(|p| (p.start, p.end)).collect();
        let sels: Vec<(usize, usize)> = src.selections.iter().map(|s| (s.start, s.end)).collect();
        let m = map_selections(&spans, &sels);
        for u in &m.unplaced {
            let s = &src.selections[u.selection];
            let excerpt: String = src
                .text
                .chars()
                .skip(s.start)
                .take((s.end - s.start).min(20))
                .collect();
            out.unplaced.push(format!(
                "source {:?}: selection {}..{} by {} ({excerpt:?}) covers {:.0}% of {} at most; not placed",
                src.name,
                s.start,
                s.end,
                s.coder,
                u.best_share * 100.0,
                u.best_paragraph.map_or("no paragraph".to_string(), |p| format!("paragraph {}", lay.paragraphs[p].n)),
            ));
        }
        for (sel, paras) in src.selections.iter().zip(&m.placed) {
            let mut nodes = Vec::new();
            for g in &sel.codes {
                match code_map.get(g) {
                    Some(id) => nodes.push(id.clone()),
                    None if !out.unknown_codes.contains(g) => out.unknown_codes.push(g.clone()),
                    None => {}
                }
            }
            let at = sel.at.clone().unwrap_or_else(|| default_time.to_string());
            for &pi in paras {
                let p = &lay.paragraphs[pi];
                let pid = crate::corpus::para_id(&lay.doc_id, p.n);
                let c = by_coder
                    .entry(sel.coder.clone())
                    .or_insert_with(|| Codings {
                        coder: sel.coder.clone(),
                        ..Default::default()
                    });
                let d = c.decisions.entry(pid.clone()).or_insert_with(|| Decision {
                    para: pid,
                    hash: p.hash.clone(),
                    nodes: Vec::new(),
                    no_code: false,
                    scores: BTreeMap::new(),
                    memo: None,
                    coder: sel.coder.clone(),
                    at: at.clone(),
                    via: NodeMap::new(),
                    derived: None,
                    found: None,
                });
                for n in &nodes {
                    if !d.nodes.contains(n) {
                        d.nodes.push(n.clone());
                        d.via.insert(n.clone(), Via::Imported);
                    }
                }
                d.no_code = (d.no_code || sel.no_code) && d.nodes.is_empty();
                d.scores
                    .extend(sel.scores.iter().map(|(k, v)| (k.clone(), *v)));
                if let Some(m) = &sel.memo {
                    d.memo = Some(match d.memo.take() {
                        Some(old) if old.contains(m.as_str()) => old,
                        Some(old) => format!("{old}\n\n{m}"),
                        None => m.clone(),
                    });
                }
                if at > d.at {
                    d.at = at.clone();
                }
            }
        }
    }
    // A selection with no code, mark or memo carries nothing polcode can record.
    for c in by_coder.values_mut() {
        c.decisions.retain(|_, d| !d.is_empty());
    }
    out.codings = by_coder.into_values().collect();
    out
}
