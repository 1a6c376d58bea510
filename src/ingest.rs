//! Importing files into a study: walks the given files and directories, applies the metadata
//! CSV and per-run flags, reads each document (`crate::corpus::import`), saves it, and
//! re-anchors every coder's decisions when a re-imported document's paragraphs changed.

use std::path::{Path, PathBuf};

use crate::corpus::import::{read_document, read_meta_csv, ImportOptions};
use crate::store::{AnchorReport, CoderStore, OpenMode};
use crate::study::{Study, StudyError};

/// What to import.
#[derive(Debug, Default, Clone)]
pub struct ImportRequest {
    /// Files or directories (searched recursively for supported files).
    pub paths: Vec<PathBuf>,
    /// Metadata CSV keyed by file name.
    pub meta: Option<PathBuf>,
    /// Per-run metadata and encoding applied to every file (the CSV wins where it has a value).
    pub options: ImportOptions,
}

/// What an import did.
#[derive(Debug, Default, Clone)]
pub struct ImportReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    /// Files that could not be imported, each message naming the file.
    pub errors: Vec<String>,
    /// Non-fatal notes (replaced bytes, guessed metadata, skipped files).
    pub warnings: Vec<String>,
    /// Per coder, what re-anchoring did after changed documents.
    pub reanchored: Vec<(String, AnchorReport)>,
}

impl ImportReport {
    /// A human summary for the terminal.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "imported: {} new, {} updated, {} unchanged, {} failed\n",
            self.added.len(),
            self.updated.len(),
            self.unchanged.len(),
            self.errors.len()
        );
        for w in &self.warnings {
            s.push_str(&format!("warning: {w}\n"));
        }
        for e in &self.errors {
            s.push_str(&format!("error: {e}\n"));
        }
        for (coder, r) in &self.reanchored {
            if r.is_unchanged() {
                continue;
            }
            s.push_str(&format!(
                "codings of {coder}: {} kept, {} moved to their new paragraphs, {} restored, {} orphaned (kept, see `polcode check`)\n",
                r.kept,
                r.moved.len(),
                r.restored.len(),
                r.orphaned.len()
            ));
        }
        s
    }
}

/// Extensions `import` reads.
pub const SUPPORTED: &[&str] = &["txt", "md", "markdown", "docx", "html", "htm"];

/// Expands files and directories into the sorted list of supported files.
pub fn collect_files(
    paths: &[PathBuf],
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, StudyError> {
    let mut out = Vec::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| StudyError::io(p, e))?;
        if meta.is_dir() {
            let mut stack = vec![p.clone()];
            while let Some(dir) = stack.pop() {
                let rd = std::fs::read_dir(&dir).map_err(|e| StudyError::io(&dir, e))?;
                for e in rd {
                    let e = e.map_err(|e| StudyError::io(&dir, e))?;
                    let path = e.path();
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') {
                        continue;
                    }
                    if path.is_dir() {
                        stack.push(path);
                    } else if is_supported(&path) {
                        out.push(path);
                    }
                }
            }
        } else if is_supported(p) {
            out.push(p.clone());
        } else {
            warnings.push(format!(
                "{}: skipped (supported: {})",
                p.display(),
                SUPPORTED.join(", ")
            ));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn is_supported(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SUPPORTED.contains(&e.to_ascii_lowercase().as_str()))
}

/// Imports `req` into `study`, reporting progress as (done, total, current file).
pub fn import_paths(
    study: &mut Study,
    req: &ImportRequest,
    progress: &mut dyn FnMut(usize, usize, &Path),
) -> Result<ImportReport, StudyError> {
    let mut report = ImportReport::default();
    let files = collect_files(&req.paths, &mut report.warnings)?;
    let mut opts = req.options.clone();
    opts.scheme = study.scheme.clone();
    if let Some(p) = &req.meta {
        opts.meta = Some(read_meta_csv(p).map_err(|e| StudyError::Invalid(e.to_string()))?);
    }
    let mut changed = false;
    for (i, path) in files.iter().enumerate() {
        progress(i, files.len(), path);
        if let Some(m) = &opts.meta {
            if m.get(path).is_none() {
                report.warnings.push(format!(
                    "{}: no row in the metadata CSV; metadata guessed from the text",
                    path.display()
                ));
            }
        }
        let imported = match read_document(path, &opts) {
            Ok(d) => d,
            Err(e) => {
                report.errors.push(e.to_string());
                continue;
            }
        };
        // The reader's warnings do not name the file; in a batch import they must.
        report.warnings.extend(
            imported
                .warnings
                .into_iter()
                .map(|w| format!("{}: {w}", path.display())),
        );
        let doc = imported.doc;
        let id = doc.id.clone();
        match study.doc_index(&id).map(|i| &study.docs[i]) {
            Some(old) if old.paragraphs == doc.paragraphs && old.meta == doc.meta => {
                report.unchanged.push(id);
                continue;
            }
            Some(old) => {
                if old.paragraphs != doc.paragraphs {
                    changed = true;
                }
                report.updated.push(id);
            }
            None => report.added.push(id),
        }
        study.save_document(doc)?;
    }
    progress(files.len(), files.len(), Path::new(""));
    if changed {
        reanchor_all(study, &mut report);
    }
    Ok(report)
}

/// Re-anchors every coder's decisions to the study's current documents. A coder with an open
/// session is skipped with an error (their decisions stay as they are until the next import or
/// the next start of their session).
fn reanchor_all(study: &Study, report: &mut ImportReport) {
    for coder in study.coders() {
        let result = CoderStore::open(&study.codings_dir(), &coder, OpenMode::ReadWrite).and_then(
            |mut s| {
                let r = s.reanchor(&study.docs)?;
                s.close()?;
                Ok(r)
            },
        );
        match result {
            Ok(r) => report.reanchored.push((coder, r)),
            Err(e) => report.errors.push(format!(
                "re-anchoring the codings of {coder} after changed documents failed: {e}"
            )),
        }
    }
}
