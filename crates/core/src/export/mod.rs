//! Exports of a study and its codings: REFI-QDA codebook and project, tidy CSV, the paragraph ×
//! node matrix, JSON. (Tables as Markdown and SVG charts are [`crate::stats`]'s.)
//!
//! This module owns the exchange formats: the REFI-QDA codebook (`.qdc`, `qdc`) and project
//! (`.qdpx`, `qdpx`), the tidy long table (`csv`), the paragraph × node matrix (`matrix`)
//! and JSON (`json`). Every export is a pure function of the study's values returning bytes
//! or a string; the CLI writes them. Reading REFI-QDA files back is [`crate::refi_import`].
//!
//! GUIDs are UUIDv5 under one fixed polcode namespace, so two exports of the same study are
//! byte-identical and diffable (see `guid`).

use thiserror::Error;
use uuid::Uuid;

pub(crate) mod csv;
pub(crate) mod json;
pub(crate) mod matrix;
pub(crate) mod qdc;
pub(crate) mod qdpx;
pub(crate) mod rows;

pub use self::csv::{long_csv, CsvOptions};
pub use self::json::{matrix_json, study_json};
pub use self::matrix::{matrix_csv, MatrixMode, MatrixOptions};
pub use self::qdc::codebook_qdc;
pub use self::qdpx::{project_qde, project_qdpx, zip_project, QdpxOptions};

/// Optional progress callback `(done, total)` for long exports; the CLI drives a bar with it.
pub(crate) type Progress<'a> = Option<&'a mut dyn FnMut(usize, usize)>;

/// Calls the progress callback if there is one.
pub(crate) fn tick(progress: &mut Progress<'_>, done: usize, total: usize) {
    if let Some(f) = progress.as_mut() {
        f(done, total);
    }
}

/// An export that could not be produced.
#[derive(Debug, Error)]
pub enum ExportError {
    #[error("CSV: {0}")]
    Csv(::csv::Error),
    #[error("JSON: {0}")]
    Json(serde_json::Error),
    #[error("{0}")]
    Invalid(String),
}

// Written out rather than `#[from]`, which would also make the cause the `source()` (the
// crate's rule: the message holds the cause, nothing is chained; see the crate docs).
impl From<::csv::Error> for ExportError {
    fn from(e: ::csv::Error) -> Self {
        ExportError::Csv(e)
    }
}

impl From<serde_json::Error> for ExportError {
    fn from(e: serde_json::Error) -> Self {
        ExportError::Json(e)
    }
}

/// The fixed namespace under which every polcode GUID is derived (UUIDv5 of the URL below).
pub(crate) fn polcode_namespace() -> Uuid {
    Uuid::new_v5(&Uuid::NAMESPACE_URL, b"https://polcode.invalid/refi-qda")
}

/// A stable GUID for an object of `kind` (`code`, `user`, `source`, `selection`, …) named
/// `key`: UUIDv5 in the polcode namespace, lower-case hyphenated.
pub(crate) fn guid(kind: &str, key: &str) -> String {
    let name = format!("{kind}:{key}");
    Uuid::new_v5(&polcode_namespace(), name.as_bytes())
        .hyphenated()
        .to_string()
}

/// The GUID polcode gives the codebook node `node_id`.
pub(crate) fn code_guid(node_id: &str) -> String {
    guid("code", node_id)
}

/// The GUID polcode gives coder `name`.
pub(crate) fn user_guid(name: &str) -> String {
    guid("user", name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guids_are_stable_v5_and_distinct_by_kind() {
        let a = code_guid("supply");
        assert_eq!(a, code_guid("supply"));
        assert_ne!(a, user_guid("supply"));
        let u = Uuid::parse_str(&a).expect("valid uuid");
        assert_eq!(u.get_version_num(), 5);
        assert_eq!(a, a.to_lowercase());
    }
}
