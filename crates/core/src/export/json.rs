//! JSON exports: the study (codebook, documents with their variables, the long table of
//! decisions) and the matrix as an array of objects.

use serde_json::{json, Map, Value};

use super::matrix::{matrix, MatrixOptions};
use super::rows::{doc_variables, long_rows};
use super::{ExportError, Progress};
use crate::codebook::Codebook;
use crate::corpus::{Document, ParaKind};
use crate::store::Codings;

/// `{study, codebook: [{id, parent, name_zh, name_en, depth}], documents: [{variables…,
/// paragraphs, body_paragraphs}], decisions: [long rows]}`, pretty-printed.
pub fn study_json(
    study_name: &str,
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    progress: Progress<'_>,
) -> Result<String, ExportError> {
    let nodes: Vec<Value> = codebook
        .nodes
        .iter()
        .map(|n| {
            json!({
                "id": n.id,
                "parent": n.parent.map(|p| codebook.nodes[p].id.clone()),
                "name_zh": n.name_zh,
                "name_en": n.name_en,
                "depth": n.depth,
            })
        })
        .collect();
    let documents: Vec<Value> = docs
        .iter()
        .map(|d| {
            let mut m = Map::new();
            for (k, v) in doc_variables(&d.id, &d.meta) {
                m.insert(k.to_string(), Value::String(v));
            }
            m.insert("paragraphs".into(), json!(d.paragraphs.len()));
            let body = d
                .paragraphs
                .iter()
                .filter(|p| p.kind == ParaKind::Body)
                .count();
            m.insert("body_paragraphs".into(), json!(body));
            Value::Object(m)
        })
        .collect();
    let rows = long_rows(codebook, docs, codings, progress);
    let v = json!({
        "study": study_name,
        "codebook": nodes,
        "documents": documents,
        "decisions": rows,
    });
    Ok(serde_json::to_string_pretty(&v)?)
}

/// The matrix as a JSON array of objects keyed by the CSV header; node cells are `1`, `0` or
/// `null` (not coded).
pub fn matrix_json(
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Result<String, ExportError> {
    let m = matrix(codebook, docs, codings, opts, progress);
    let first_node_col = m
        .header
        .iter()
        .position(|h| h == "section")
        .map_or(0, |i| i + 1);
    let rows: Vec<Value> = m
        .rows
        .iter()
        .map(|r| {
            let mut o = Map::new();
            for (i, (h, c)) in m.header.iter().zip(r).enumerate() {
                let v = if i < first_node_col {
                    Value::String(c.clone())
                } else {
                    c.parse::<u8>().map_or(Value::Null, |n| json!(n))
                };
                o.insert(h.clone(), v);
            }
            Value::Object(o)
        })
        .collect();
    Ok(serde_json::to_string_pretty(&rows)?)
}
