//! Importing REFI-QDA files (the exchange standard of QDA software: NVivo, ATLAS.ti, MAXQDA,
//! QualCoder): a codebook (`.qdc`, `qdc`) into polcode codebook YAML, and a project
//! (`.qdpx`, `qdpx`) into documents, per-coder decisions and memos (`to_study`), with
//! selections mapped onto paragraphs (`mapping`) after their positions are converted to the
//! normalised text (`offsets`); and the checks on a project that its XSD cannot make
//! (`validate`). Writing these files is [`crate::export`].

use thiserror::Error;

pub(crate) mod mapping;
mod offsets;
pub(crate) mod qdc;
pub(crate) mod qdpx;
pub(crate) mod to_study;
pub(crate) mod validate;
mod xml;

pub use self::qdc::{assign_ids, import_qdc, qdc_to_codebook_yaml, ImportedCode};
pub use self::qdpx::{import_qdpx, QdpxImport};
pub use self::to_study::{code_to_node, fresh_code_map, import_codings, import_documents};
pub use self::validate::{validate_qdpx, validate_refs};

/// A REFI-QDA file (codebook `.qdc`, project `.qdpx`) that could not be read. Messages name the
/// file (and line where there is one). Documents have their own error,
/// [`crate::corpus::import::DocumentImportError`].
#[derive(Debug, Error)]
pub enum RefiImportError {
    #[error("{file}:{line}: malformed XML: {message}")]
    Xml {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: {message}")]
    Format { file: String, message: String },
    #[error("not a REFI-QDA project (zip): {0}")]
    Zip(String),
}
