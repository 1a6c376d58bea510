//! The paragraph × node matrix for R, Stata and SPSS: one row per body paragraph with the
//! document variables, then one 0/1 column per node — per coder (`<coder>:<node>`), for one
//! coder, or by majority. A cell is empty (missing) where the coder has not coded the paragraph
//! (no node and no "no code" mark), so uncoded is never confused with "not this node".

use std::collections::HashSet;

use serde::Serialize;

use super::csv::{finish, writer, CsvOptions};
use super::rows::doc_variables;
use super::{tick, ExportError, Progress};
use crate::codebook::Codebook;
use crate::corpus::{Document, ParaKind};
use crate::store::{Codings, Decision};

/// Whose codings fill the node columns.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum MatrixMode {
    /// One column per coder and node, headed `<coder>:<node>`.
    #[default]
    PerCoder,
    /// One column per node from this coder's file.
    Coder(String),
    /// One column per node: 1 when more than half of the coders who coded the paragraph chose
    /// the node (with two coders: both).
    Majority,
}

/// Options of the matrix export.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MatrixOptions {
    pub mode: MatrixMode,
    /// Count a node as chosen when any of its descendants is (totals per parent).
    pub roll_up: bool,
    pub csv: CsvOptions,
}

/// A built matrix: header and rows of cells (`"1"`, `"0"` or `""` in node columns).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub(crate) struct Matrix {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// Node indices a decision counts as chosen, with ancestors when rolling up.
fn chosen(cb: &Codebook, d: &Decision, roll_up: bool) -> HashSet<usize> {
    let mut out = HashSet::new();
    for id in &d.nodes {
        let mut i = cb.index(id);
        while let Some(k) = i {
            out.insert(k);
            i = if roll_up { cb.nodes[k].parent } else { None };
        }
    }
    out
}

fn cell(d: Option<&Decision>, cb: &Codebook, node: usize, roll_up: bool) -> String {
    match d.filter(|d| d.is_coded()) {
        None => String::new(),
        Some(d) => u8::from(chosen(cb, d, roll_up).contains(&node)).to_string(),
    }
}

/// Builds the matrix.
pub(crate) fn matrix(
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    opts: &MatrixOptions,
    mut progress: Progress<'_>,
) -> Matrix {
    let mut coders: Vec<&Codings> = codings.iter().collect();
    coders.sort_by(|a, b| a.coder.cmp(&b.coder));
    let mut header: Vec<String> = doc_variables("", &Default::default())
        .into_iter()
        .map(|(k, _)| k.to_string())
        .collect();
    header.extend(["para_id", "para_n", "section"].map(String::from));
    let ids = codebook.nodes.iter().map(|n| n.id.clone());
    match &opts.mode {
        MatrixMode::PerCoder => {
            for c in &coders {
                header.extend(
                    codebook
                        .nodes
                        .iter()
                        .map(|n| format!("{}:{}", c.coder, n.id)),
                );
            }
        }
        _ => header.extend(ids),
    }
    let single = match &opts.mode {
        MatrixMode::Coder(name) => coders.iter().find(|c| &c.coder == name).copied(),
        _ => None,
    };
    let mut rows = Vec::new();
    for (di, doc) in docs.iter().enumerate() {
        tick(&mut progress, di, docs.len());
        let vars: Vec<String> = doc_variables(&doc.id, &doc.meta)
            .into_iter()
            .map(|(_, v)| v)
            .collect();
        for p in doc.paragraphs.iter().filter(|p| p.kind == ParaKind::Body) {
            let pid = doc.para_id(p.n);
            let mut row = vars.clone();
            row.extend([pid.clone(), p.n.to_string(), p.section.clone()]);
            let nn = codebook.nodes.len();
            match &opts.mode {
                MatrixMode::PerCoder => {
                    for c in &coders {
                        row.extend((0..nn).map(|i| cell(c.get(&pid), codebook, i, opts.roll_up)));
                    }
                }
                MatrixMode::Coder(_) => {
                    let d = single.and_then(|c| c.get(&pid));
                    row.extend((0..nn).map(|i| cell(d, codebook, i, opts.roll_up)));
                }
                MatrixMode::Majority => {
                    let ds: Vec<HashSet<usize>> = coders
                        .iter()
                        .filter_map(|c| c.get(&pid).filter(|d| d.is_coded()))
                        .map(|d| chosen(codebook, d, opts.roll_up))
                        .collect();
                    row.extend((0..nn).map(|i| {
                        if ds.is_empty() {
                            String::new()
                        } else {
                            let yes = ds.iter().filter(|s| s.contains(&i)).count();
                            u8::from(yes * 2 > ds.len()).to_string()
                        }
                    }));
                }
            }
            rows.push(row);
        }
    }
    tick(&mut progress, docs.len(), docs.len());
    Matrix { header, rows }
}

/// The matrix as CSV.
pub fn matrix_csv(
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    opts: &MatrixOptions,
    progress: Progress<'_>,
) -> Result<Vec<u8>, ExportError> {
    let m = matrix(codebook, docs, codings, opts, progress);
    let mut w = writer(opts.csv);
    w.write_record(&m.header)?;
    for r in &m.rows {
        w.write_record(r)?;
    }
    finish(w)
}
