//! Loading and validating codebook YAML; every error names file, line and column.

use std::path::Path;

use thiserror::Error;

use super::Codebook;

/// A codebook that could not be loaded, with where.
#[derive(Debug, Error)]
#[error("{origin}:{line}:{column}: {message}")]
pub struct CodebookError {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Loads a codebook from YAML text; `origin` names it in errors.
pub fn load_str(_text: &str, _origin: &str) -> Result<Codebook, CodebookError> {
    todo!("codebook helper")
}

/// Loads a codebook file.
pub fn load_file(_path: &Path) -> Result<Codebook, CodebookError> {
    todo!("codebook helper")
}
