//! The tidy long CSV for R, Stata and SPSS: one row per decision and node (see
//! [`super::rows::LongRow`] for the columns), UTF-8, optionally with a BOM for Excel.

use super::rows::long_rows;
use super::{ExportError, Progress};
use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::store::Codings;

/// Options of the CSV writers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CsvOptions {
    /// Start the file with a UTF-8 BOM so that Excel detects the encoding (off by default:
    /// R, Stata and SPSS read plain UTF-8).
    pub bom: bool,
    /// Add a last column `text` with the paragraph's text (the long table only), for close
    /// reading beside the codes in R or pandas. Empty for a decision whose paragraph is not in
    /// the study.
    pub text: bool,
}

/// The long table's columns, in order ([`super::rows::LongRow`]'s fields).
const HEADER: [&str; 18] = [
    "doc_id",
    "para_id",
    "para_n",
    "section",
    "node",
    "parent",
    "coder",
    "score",
    "memo",
    "no_code",
    "via",
    "timestamp",
    "region",
    "level",
    "province",
    "city",
    "date",
    "kind",
];

/// Starts a CSV buffer, with the BOM if asked.
pub(crate) fn writer(opts: CsvOptions) -> ::csv::Writer<Vec<u8>> {
    let buf = if opts.bom {
        "\u{feff}".as_bytes().to_vec()
    } else {
        Vec::new()
    };
    ::csv::WriterBuilder::new().from_writer(buf)
}

/// Finishes a CSV buffer.
pub(crate) fn finish(w: ::csv::Writer<Vec<u8>>) -> Result<Vec<u8>, ExportError> {
    w.into_inner()
        .map_err(|e| ExportError::Invalid(format!("CSV: {}", e.error())))
}

/// The long table as CSV: header `doc_id,para_id,para_n,section,node,parent,coder,score,memo,
/// no_code,via,timestamp,region,level,province,city,date,kind` (and `text` with
/// [`CsvOptions::text`]).
pub fn long_csv(
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    opts: CsvOptions,
    progress: Progress<'_>,
) -> Result<Vec<u8>, ExportError> {
    let mut w = writer(opts);
    let mut rows = long_rows(codebook, docs, codings, progress);
    if opts.text {
        let index = crate::stats::DocIndex::new(docs);
        for r in &mut rows {
            let text = index
                .locate(&r.para_id)
                .map(|(d, p)| docs[d].paragraphs[p].text.clone());
            r.text = Some(text.unwrap_or_default());
        }
    }
    if rows.is_empty() {
        // serde writes the header with the first row; an empty study still gets one.
        let mut head = HEADER.to_vec();
        if opts.text {
            head.push("text");
        }
        w.write_record(head)?;
    }
    for r in &rows {
        w.serialize(r)?;
    }
    finish(w)
}
