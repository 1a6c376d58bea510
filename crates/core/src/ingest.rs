//! Importing files into a study: walks the given files and directories, applies the metadata
//! CSV and per-run flags, reads each document (`crate::corpus::import`), saves it, and
//! re-anchors every coder whose decisions no longer fit the documents' text (after every
//! import, so one interrupted before re-anchoring is completed by the next).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use crate::corpus::import::{read_document, read_meta_csv, ImportOptions};
use crate::corpus::remeta;
use crate::store::{self, AnchorReport, CoderStore, OpenMode, StoreError};
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
    /// Per coder, what re-anchoring did (coders whose decisions already fit are not listed).
    pub reanchored: Vec<(String, AnchorReport)>,
    /// Per re-imported document, the metadata fields that changed (`region: — → east`).
    pub meta_changes: Vec<(String, Vec<String>)>,
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
        for (id, changes) in &self.meta_changes {
            s.push_str(&format!(
                "metadata of {}: {}\n",
                crate::termsafe::escape(id),
                crate::termsafe::escape(&changes.join(", "))
            ));
        }
        // One line each, whatever a file name or a parser's message holds.
        for w in &self.warnings {
            s.push_str(&format!("warning: {}\n", crate::termsafe::escape(w)));
        }
        for e in &self.errors {
            s.push_str(&format!("error: {}\n", crate::termsafe::escape(e)));
        }
        for (coder, r) in &self.reanchored {
            if r.is_unchanged() {
                continue;
            }
            s.push_str(&format!("codings of {coder}: {}\n", r.summary()));
        }
        s
    }
}

/// What [`reanchor_all`] did, per coder.
#[derive(Debug, Default, Clone)]
pub struct ReanchorReport {
    /// Coders re-anchored, with what moved.
    pub done: Vec<(String, AnchorReport)>,
    /// Coders whose decisions already fit the documents.
    pub fitting: Vec<String>,
    /// Coders left to their open session, which re-anchors before its next decision.
    pub open_sessions: Vec<String>,
    /// Coders that could not be read or written, each message naming the file.
    pub errors: Vec<String>,
}

/// Extensions `import` reads.
pub const SUPPORTED: &[&str] = &["txt", "md", "markdown", "docx", "html", "htm", "pdf"];

/// Expands files and directories into the sorted list of supported files.
///
/// Bounded on hostile trees: each real folder is searched once however many symlinks lead to
/// it (two links to `.` used to make the walk exponential), and only regular files are listed
/// (a FIFO named `x.txt` used to block the import forever). What is skipped is said in
/// `warnings`, naming the file.
pub(crate) fn collect_files(
    paths: &[PathBuf],
    warnings: &mut Vec<String>,
) -> Result<Vec<PathBuf>, StudyError> {
    let mut out = Vec::new();
    let mut searched: HashSet<PathBuf> = HashSet::new();
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| StudyError::io(p, e))?;
        if meta.is_dir() {
            walk(p, &mut searched, &mut out, warnings)?;
        } else if !is_supported(p) {
            warnings.push(format!(
                "{}: skipped (supported: {})",
                p.display(),
                SUPPORTED.join(", ")
            ));
        } else if !meta.is_file() {
            warnings.push(not_regular(p, &meta));
        } else {
            out.push(p.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Adds the supported regular files under `root` to `out`, searching each real folder once.
fn walk(
    root: &Path,
    searched: &mut HashSet<PathBuf>,
    out: &mut Vec<PathBuf>,
    warnings: &mut Vec<String>,
) -> Result<(), StudyError> {
    let real = std::fs::canonicalize(root).map_err(|e| StudyError::io(root, e))?;
    if !searched.insert(real) {
        return Ok(());
    }
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let rd = std::fs::read_dir(&dir).map_err(|e| StudyError::io(&dir, e))?;
        for e in rd {
            let e = e.map_err(|e| StudyError::io(&dir, e))?;
            let path = e.path();
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            // Follows symlinks; a broken link to a supported name is listed so that reading
            // it reports the error, as for any unreadable file.
            let meta = match std::fs::metadata(&path) {
                Ok(m) => m,
                Err(_) => {
                    if is_supported(&path) {
                        out.push(path);
                    }
                    continue;
                }
            };
            if meta.is_dir() {
                let real = std::fs::canonicalize(&path).map_err(|e| StudyError::io(&path, e))?;
                if searched.insert(real.clone()) {
                    stack.push(path);
                } else if e.file_type().is_ok_and(|t| t.is_symlink()) {
                    warnings.push(format!(
                        "{}: skipped: a link to the folder {}, which is already searched",
                        path.display(),
                        real.display()
                    ));
                }
            } else if !is_supported(&path) {
                continue;
            } else if meta.is_file() {
                out.push(path);
            } else {
                warnings.push(not_regular(&path, &meta));
            }
        }
    }
    Ok(())
}

fn not_regular(path: &Path, meta: &std::fs::Metadata) -> String {
    format!(
        "{}: skipped: {}, not a regular file",
        path.display(),
        crate::fsutil::file_kind(meta.file_type())
    )
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
    let mut seen: std::collections::HashMap<String, PathBuf> = Default::default();
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
        let mut doc = imported.doc;
        let id = doc.id.clone();
        if let Some(first) = seen.get(&id) {
            report.errors.push(format!(
                "{}: gives document id {id}, like {} in the same import; rename one of them (not imported)",
                path.display(),
                first.display()
            ));
            continue;
        }
        seen.insert(id.clone(), path.clone());
        doc.meta.source_file = source_name(&study.root, path);
        if let Some(old) = study.doc_index(&id).map(|i| &study.docs[i]) {
            let (meta, changes) = remeta::merge(&old.meta, doc.meta, &study.scheme);
            doc.meta = meta;
            if !changes.is_empty() {
                report.meta_changes.push((id.clone(), changes));
            }
        }
        match study.doc_index(&id).map(|i| &study.docs[i]) {
            Some(old) if old.paragraphs == doc.paragraphs && old.meta == doc.meta => {
                report.unchanged.push(id);
                continue;
            }
            Some(_) => report.updated.push(id),
            None => report.added.push(id),
        }
        study.save_document(doc)?;
    }
    progress(files.len(), files.len(), Path::new(""));
    // Always, not only when this import changed text: an earlier import may have been
    // interrupted between saving documents and re-anchoring.
    let r = reanchor_all(study);
    report.reanchored = r.done;
    report.warnings.extend(r.open_sessions);
    report.errors.extend(r.errors);
    Ok(report)
}

/// The path a document's `source_file` records: relative to the study when the file lies
/// inside it, else the file name alone (never absolute: it would put a home directory into a
/// shared repository and differ from machine to machine; `content_hash` identifies the text).
fn source_name(study_root: &Path, path: &Path) -> String {
    let abs = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let file = abs(path);
    if let Ok(rel) = file.strip_prefix(abs(study_root)) {
        return crate::corpus::import::clean_field(&rel.to_string_lossy());
    }
    let name = path.file_name().unwrap_or(path.as_os_str());
    crate::corpus::import::clean_field(&name.to_string_lossy())
}

/// Re-anchors every coder whose decisions no longer all sit on the text they were made on
/// (checked without the lock first, so coders that fit are never opened for writing). A coder
/// whose session is open is left to it: the session watches the documents and re-anchors
/// before its next decision, and every reader re-anchors in memory meanwhile.
pub fn reanchor_all(study: &Study) -> ReanchorReport {
    let mut out = ReanchorReport::default();
    let dir = study.codings_dir();
    for coder in study.coders() {
        match store::read_codings(&dir, &coder) {
            Ok((c, _)) if store::is_anchored(&c, &study.docs) => {
                out.fitting.push(coder);
                continue;
            }
            Ok(_) => {}
            Err(e) => {
                out.errors
                    .push(format!("re-anchoring the codings of {coder}: {e}"));
                continue;
            }
        }
        let result = CoderStore::open(&dir, &coder, OpenMode::ReadWrite).and_then(|mut s| {
            let r = s.reanchor(&study.docs)?;
            s.close()?;
            Ok(r)
        });
        match result {
            Ok(r) => out.done.push((coder, r)),
            Err(StoreError::Locked { holder, .. }) => out.open_sessions.push(format!(
                "codings of {coder}: a session is open ({holder}); it re-anchors them to the changed documents before its next decision, and statistics and exports already use them where their text is now"
            )),
            Err(e) => out
                .errors
                .push(format!("re-anchoring the codings of {coder}: {e}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn study(dir: &Path) -> Study {
        Study::init(dir, Some("t"), "policy-tools").unwrap()
    }

    const TEXT: &str = "一、总体要求\n加强人才培养，完善税收优惠政策，推动区块链应用场景建设。\n";

    #[test]
    fn reimport_without_metadata_keeps_what_the_csv_gave() {
        let tmp = tempfile::tempdir().unwrap();
        let mut st = study(&tmp.path().join("s"));
        let src = tmp.path().join("a.txt");
        fs::write(&src, TEXT).unwrap();
        let csv = tmp.path().join("meta.csv");
        fs::write(&csv, "file,title,issuer,date,level,province,kind\na.txt,测试政策,山东省人民政府,2021-03-05,provincial,山东,special\n").unwrap();
        let req = ImportRequest {
            paths: vec![src.clone()],
            meta: Some(csv),
            ..Default::default()
        };
        import_paths(&mut st, &req, &mut |_, _, _| {}).unwrap();
        fs::write(&src, TEXT.replace("加强", "大力加强")).unwrap();
        let req = ImportRequest {
            paths: vec![src],
            ..Default::default()
        };
        let r = import_paths(&mut st, &req, &mut |_, _, _| {}).unwrap();
        assert_eq!(r.updated, vec!["a".to_string()]);
        let m = &st.docs[0].meta;
        assert_eq!(
            (m.issuer.as_str(), m.date.as_str(), m.region.as_str()),
            ("山东省人民政府", "2021-03-05", "east")
        );
        assert_eq!(m.title, "测试政策");
        assert!(st.docs[0]
            .paragraphs
            .iter()
            .any(|p| p.text.contains("大力加强")));
    }

    #[test]
    fn two_files_with_the_same_id_are_refused_not_overwritten() {
        let tmp = tempfile::tempdir().unwrap();
        let mut st = study(&tmp.path().join("s"));
        for d in ["one", "two"] {
            fs::create_dir_all(tmp.path().join(d)).unwrap();
            fs::write(tmp.path().join(d).join("x.txt"), format!("{TEXT}{d}\n")).unwrap();
        }
        let req = ImportRequest {
            paths: vec![tmp.path().join("one"), tmp.path().join("two")],
            ..Default::default()
        };
        let r = import_paths(&mut st, &req, &mut |_, _, _| {}).unwrap();
        assert_eq!(r.added.len(), 1);
        assert_eq!(r.errors.len(), 1);
        assert!(
            r.errors[0].contains("two") && r.errors[0].contains("document id x"),
            "{}",
            r.errors[0]
        );
        assert!(st.docs[0].paragraphs.iter().any(|p| p.text == "one"));
    }
}
