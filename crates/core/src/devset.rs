//! Loading a development set into a study: `devset.yaml` (paragraphs of a corpus coded
//! independently by two coders, see `../shared/devset/README.md`) becomes a study with the
//! `policy-tools` codebook, the set's documents imported with the corpus's metadata CSV (as
//! `polcode import --meta` does) and two coders, `coder_a` and `coder_b`, whose decisions are
//! recorded through [`CoderStore`] like any other (`via: typed`; `[none]` is an explicit
//! no-code). `polcode eval --coders coder_a coder_b` then measures the suggestions against them.
//!
//! An item is matched to a paragraph of its document by text with all whitespace removed; an
//! item that matches no paragraph, or more than one, is reported and left out, and loading fails
//! when more than [`MAX_UNMATCHED`] items are left out (the splitter then no longer cuts the
//! documents as the set was made from).

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::corpus::import::doc_id;
use crate::ingest::{self, ImportReport, ImportRequest};
use crate::store::{CoderStore, Decision, NodeMap, OpenMode, Via};
use crate::study::{Study, StudyError};

/// The codebook the development set was coded against.
pub(crate) const CODEBOOK: &str = "policy-tools";
/// The two coders written into the study.
pub(crate) const CODERS: [&str; 2] = ["coder_a", "coder_b"];
/// More items than this left unmatched (or matched twice) make loading fail.
pub const MAX_UNMATCHED: usize = 5;

/// One coded paragraph of the set.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct DevItem {
    pub id: u32,
    /// File name in the corpus's `docs/`.
    pub doc: String,
    /// The paragraph text as polcode's importer joins it.
    pub text: String,
    /// Node ids, most prominent first; `[none]` for "no instrument".
    pub coder_a: Vec<String>,
    #[serde(default)]
    pub conf_a: Option<String>,
    pub coder_b: Vec<String>,
    #[serde(default)]
    pub conf_b: Option<String>,
}

impl DevItem {
    /// The codes of coder 0 (`coder_a`) or 1 (`coder_b`).
    pub(crate) fn codes(&self, coder: usize) -> &[String] {
        if coder == 0 {
            &self.coder_a
        } else {
            &self.coder_b
        }
    }
}

/// What [`load`] did.
#[derive(Debug, Clone, Default)]
pub struct LoadReport {
    pub study: PathBuf,
    pub items: usize,
    /// Items recorded for both coders.
    pub matched: usize,
    /// Ids of items whose text is in no paragraph of their document.
    pub unmatched: Vec<u32>,
    /// Ids of items whose text is in more than one paragraph of their document.
    pub ambiguous: Vec<u32>,
    pub documents: usize,
    pub import: ImportReport,
}

impl LoadReport {
    /// A human summary.
    pub fn summary(&self) -> String {
        let mut s = format!(
            "devset: {} items, {} matched to paragraphs of {} documents; coders {} written to {}\n",
            self.items,
            self.matched,
            self.documents,
            CODERS.join(", "),
            self.study.display()
        );
        if !self.unmatched.is_empty() {
            s.push_str(&format!(
                "unmatched (no paragraph with this text): {} item(s), ids {}\n",
                self.unmatched.len(),
                ids(&self.unmatched)
            ));
        }
        if !self.ambiguous.is_empty() {
            s.push_str(&format!(
                "ambiguous (several paragraphs with this text): {} item(s), ids {}\n",
                self.ambiguous.len(),
                ids(&self.ambiguous)
            ));
        }
        s
    }
}

fn ids(v: &[u32]) -> String {
    v.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// Reads and checks `devset.yaml`: every code is a node of `codebook` or a lone `none`.
pub(crate) fn read(path: &Path) -> Result<Vec<DevItem>, StudyError> {
    let text = std::fs::read_to_string(path).map_err(|e| StudyError::io(path, e))?;
    let items: Vec<DevItem> =
        serde_yaml::from_str(&text).map_err(|e| StudyError::yaml(path, &e))?;
    let codebook = crate::study::load_codebook(Path::new("."), CODEBOOK)?;
    for it in &items {
        for (coder, name) in CODERS.iter().enumerate() {
            let codes = it.codes(coder);
            let none = codes.iter().any(|c| c == "none");
            if codes.is_empty() || (none && codes.len() > 1) {
                return Err(StudyError::Invalid(format!(
                    "{}: item {}: {} must be node ids or [none], not {codes:?}",
                    path.display(),
                    it.id,
                    name
                )));
            }
            if let Some(bad) = codes
                .iter()
                .find(|c| *c != "none" && codebook.index(c).is_none())
            {
                return Err(StudyError::Invalid(format!(
                    "{}: item {}: {bad:?} is not a node of {CODEBOOK}",
                    path.display(),
                    it.id
                )));
            }
        }
    }
    Ok(items)
}

/// Text with all whitespace removed: the matching key of an item and a paragraph.
pub(crate) fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Creates a study in `out` (which must not hold one) from the set at `devset` and the corpus
/// at `corpus` (`docs/` and `metadata.csv`), and records both coders. See the module docs.
pub fn load(devset: &Path, corpus: &Path, out: &Path) -> Result<LoadReport, StudyError> {
    let items = read(devset)?;
    let files: BTreeSet<&str> = items.iter().map(|i| i.doc.as_str()).collect();
    let paths: Vec<PathBuf> = files.iter().map(|f| corpus.join("docs").join(f)).collect();
    if let Some(missing) = paths.iter().find(|p| !p.is_file()) {
        return Err(StudyError::Invalid(format!(
            "{}: named by the devset but not in the corpus",
            missing.display()
        )));
    }
    let mut study = Study::init(out, Some("devset"), CODEBOOK)?;
    let req = ImportRequest {
        paths,
        meta: Some(corpus.join("metadata.csv")),
        ..ImportRequest::default()
    };
    let import = ingest::import_paths(&mut study, &req, &mut |_, _, _| {})?;
    if !import.errors.is_empty() {
        return Err(StudyError::Invalid(format!(
            "importing the devset's documents failed: {}",
            import.errors.join("; ")
        )));
    }
    let mut report = LoadReport {
        study: out.to_path_buf(),
        items: items.len(),
        documents: files.len(),
        import,
        ..LoadReport::default()
    };
    // Per document: squeezed paragraph text -> paragraph indices.
    let mut index: HashMap<&str, HashMap<String, Vec<usize>>> = HashMap::new();
    for f in &files {
        let id = doc_id(Path::new(f));
        let Some(d) = study.doc_index(&id) else {
            continue;
        };
        let m = index.entry(*f).or_default();
        for (i, p) in study.docs[d].paragraphs.iter().enumerate() {
            m.entry(squeeze(&p.text)).or_default().push(i);
        }
    }
    let mut placed: Vec<(&DevItem, usize, usize)> = Vec::new();
    for it in &items {
        let hits = index
            .get(it.doc.as_str())
            .and_then(|m| m.get(&squeeze(&it.text)));
        match hits.map(Vec::as_slice) {
            Some([p]) => {
                let d = study.doc_index(&doc_id(Path::new(&it.doc))).unwrap_or(0);
                placed.push((it, d, *p));
            }
            Some([_, _, ..]) => report.ambiguous.push(it.id),
            _ => report.unmatched.push(it.id),
        }
    }
    report.matched = placed.len();
    let left_out = report.unmatched.len() + report.ambiguous.len();
    if left_out > MAX_UNMATCHED {
        return Err(StudyError::Invalid(format!(
            "{left_out} devset items match no single paragraph (more than {MAX_UNMATCHED}); the splitter no longer cuts the documents as the set was made from. {}",
            report.summary().trim_end()
        )));
    }
    for (coder, name) in CODERS.iter().enumerate() {
        let mut store = CoderStore::open(&study.codings_dir(), name, OpenMode::ReadWrite)
            .map_err(|e| StudyError::Invalid(e.to_string()))?;
        store.set_compact_every(usize::MAX);
        for (it, d, p) in &placed {
            let doc = &study.docs[*d];
            let para = &doc.paragraphs[*p];
            let codes = it.codes(coder);
            let no_code = codes.iter().any(|c| c == "none");
            let nodes: Vec<String> = if no_code { Vec::new() } else { codes.to_vec() };
            let mut via = NodeMap::new();
            for n in &nodes {
                via.insert(n.clone(), Via::Typed);
            }
            store
                .record(Decision {
                    para: doc.para_id(para.n),
                    hash: para.hash.clone(),
                    nodes,
                    no_code,
                    scores: Default::default(),
                    memo: None,
                    coder: (*name).to_string(),
                    at: String::new(),
                    via,
                    derived: None,
                    found: None,
                })
                .map_err(|e| StudyError::Invalid(e.to_string()))?;
        }
        store
            .close()
            .map_err(|e| StudyError::Invalid(e.to_string()))?;
        study.add_coder(name)?;
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeeze_drops_every_kind_of_whitespace() {
        assert_eq!(squeeze(" 加强\u{3000}人才\t培养\n。 "), "加强人才培养。");
    }
}
