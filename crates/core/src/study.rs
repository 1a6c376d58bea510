//! The study a session works on: its directory, `polcode.yaml`, the codebook, the imported
//! documents, and where each coder's codings live.
//!
//! Layout of a study directory:
//! ```text
//! polcode.yaml            name, codebook, region scheme, stop words, coders
//! documents/<id>.yaml     one imported document: metadata + paragraphs
//! codings/<coder>.yaml    snapshot of a coder's decisions (see crate::store)
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::codebook::{self, Codebook, CodebookError};
use crate::corpus::regions::RegionScheme;
use crate::corpus::{parse_para_id, Document, Paragraph};
use crate::fsutil::{atomic_write, yaml_from_str};

/// File name of the study configuration.
pub const CONFIG_FILE: &str = "polcode.yaml";
/// Folder of imported documents.
pub const DOCS_DIR: &str = "documents";
/// Folder of coder files.
pub(crate) const CODINGS_DIR: &str = "codings";

/// `polcode.yaml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StudyConfig {
    pub name: String,
    /// Path relative to the study, or the name of a bundled codebook (`policy-tools`).
    pub codebook: String,
    /// Region scheme: path relative to the study, or `nbs2011` (the bundled default).
    #[serde(default = "default_regions")]
    pub regions: String,
    /// Extra stop words for word frequency, on top of the built-in list.
    #[serde(default)]
    pub stop_words: Vec<String>,
    /// Words the Chinese segmenter must keep whole (topic terms such as 区块链 that jieba's
    /// dictionary cuts apart); codebook keywords are added automatically.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dictionary: Vec<String>,
    /// Synonym groups for word frequency: each group's first word is the one reported.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
    /// Coders of this study (a coder file may exist before its name is listed here).
    #[serde(default)]
    pub coders: Vec<String>,
    /// Coders derived from others (a consensus made by `polcode reconcile`): left out of
    /// pooled statistics, charts, agreement and exports unless named with `--coder`. Absent
    /// from files written before 0.2, which load as having none.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub derived: BTreeMap<String, DerivedCoder>,
}

/// What a derived coder was made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DerivedCoder {
    /// `consensus`: reconciled from `from`.
    pub kind: String,
    /// The coders it was derived from.
    pub from: Vec<String>,
}

fn default_regions() -> String {
    "nbs2011".to_string()
}

/// Anything that can go wrong opening or changing a study; messages name the file.
#[derive(Debug, Error)]
pub enum StudyError {
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{0} is not a polcode study (no polcode.yaml); create one with `polcode init`")]
    NotAStudy(PathBuf),
    #[error("{0} already holds a study (polcode.yaml exists)")]
    AlreadyExists(PathBuf),
    #[error("{path}:{line}:{column}: {message}")]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(transparent)]
    Codebook(#[from] CodebookError),
    #[error("{0}")]
    Invalid(String),
}

impl StudyError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: &Path, cause: std::io::Error) -> Self {
        StudyError::Io {
            path: path.to_path_buf(),
            cause,
        }
    }

    /// Wraps a YAML error with the file it came from, keeping line and column.
    pub(crate) fn yaml(path: &Path, e: &serde_yaml::Error) -> Self {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        StudyError::Yaml {
            path: path.to_path_buf(),
            line,
            column,
            message: e.to_string(),
        }
    }
}

/// An opened study: configuration, codebook, region scheme and documents in id order.
#[derive(Debug, Clone)]
pub struct Study {
    pub root: PathBuf,
    pub config: StudyConfig,
    pub codebook: Codebook,
    pub scheme: RegionScheme,
    pub docs: Vec<Document>,
}

/// A paragraph located in the study.
#[derive(Debug, Clone, Copy)]
pub struct ParaRef<'a> {
    pub doc_index: usize,
    pub doc: &'a Document,
    pub para: &'a Paragraph,
}

impl Study {
    /// Creates a new study in `dir` using `codebook` (bundled name or path).
    pub fn init(dir: &Path, name: Option<&str>, codebook: &str) -> Result<Study, StudyError> {
        let cfg_path = dir.join(CONFIG_FILE);
        if cfg_path.exists() {
            return Err(StudyError::AlreadyExists(dir.to_path_buf()));
        }
        fs::create_dir_all(dir.join(DOCS_DIR)).map_err(|e| StudyError::io(dir, e))?;
        fs::create_dir_all(dir.join(CODINGS_DIR)).map_err(|e| StudyError::io(dir, e))?;
        let name = name.map(str::to_string).unwrap_or_else(|| {
            dir.canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "study".to_string())
        });
        let config = StudyConfig {
            name,
            codebook: codebook.to_string(),
            regions: default_regions(),
            stop_words: vec!["措施".into(), "工作".into(), "加强".into(), "推进".into()],
            dictionary: Vec::new(),
            synonyms: Vec::new(),
            coders: Vec::new(),
            derived: BTreeMap::new(),
        };
        // Fail before writing anything if the codebook cannot be loaded.
        load_codebook(dir, &config.codebook)?;
        write_config(dir, &config)?;
        write_gitignore(dir)?;
        Study::open(dir)
    }

    /// Opens the study in `dir`, loading codebook, region scheme and every document.
    pub fn open(dir: &Path) -> Result<Study, StudyError> {
        let config = read_config(dir)?;
        let codebook = load_codebook(dir, &config.codebook)?;
        let scheme = load_scheme(dir, &config.regions)?;
        let docs = load_documents(dir)?;
        Ok(Study {
            root: dir.to_path_buf(),
            config,
            codebook,
            scheme,
            docs,
        })
    }

    /// Folder of coder files.
    pub fn codings_dir(&self) -> PathBuf {
        Study::codings_dir_of(&self.root)
    }

    /// Folder of coder files of the study at `root`, before the study is opened.
    pub fn codings_dir_of(root: &Path) -> PathBuf {
        root.join(CODINGS_DIR)
    }

    /// Writes `doc` to `documents/<id>.yaml` (atomic replace) and updates the in-memory list.
    pub fn save_document(&mut self, doc: Document) -> Result<(), StudyError> {
        let path = self.root.join(DOCS_DIR).join(format!("{}.yaml", doc.id));
        let yaml = crate::docfile::to_yaml(&doc, &path)?;
        atomic_write(&path, yaml.as_bytes()).map_err(|e| StudyError::io(&path, e))?;
        match self.docs.binary_search_by(|d| d.id.cmp(&doc.id)) {
            Ok(i) => self.docs[i] = doc,
            Err(i) => self.docs.insert(i, doc),
        }
        Ok(())
    }

    /// Adds words to the segmenter dictionary in `polcode.yaml` (skipping ones already there).
    pub(crate) fn add_dictionary_words(&mut self, words: &[&str]) -> Result<(), StudyError> {
        for w in words {
            if !self.config.dictionary.iter().any(|d| d == w) {
                self.config.dictionary.push(w.to_string());
            }
        }
        write_config(&self.root, &self.config)
    }

    /// Adds `coder` to the configuration's coder list if missing, and saves it.
    pub fn add_coder(&mut self, coder: &str) -> Result<(), StudyError> {
        if self.config.coders.iter().any(|c| c == coder) {
            return Ok(());
        }
        self.config.coders.push(coder.to_string());
        write_config(&self.root, &self.config)
    }

    /// Marks `coder` as a consensus derived from `from` (listing it as a coder too), and
    /// saves; the coders it was derived from are merged with any recorded before.
    pub fn mark_derived(&mut self, coder: &str, from: &[String]) -> Result<(), StudyError> {
        let entry = self
            .config
            .derived
            .entry(coder.to_string())
            .or_insert_with(|| DerivedCoder {
                kind: "consensus".into(),
                from: Vec::new(),
            });
        let before = entry.clone();
        for f in from {
            if !entry.from.contains(f) {
                entry.from.push(f.clone());
            }
        }
        let changed = *entry != before || !self.config.coders.iter().any(|c| c == coder);
        if !self.config.coders.iter().any(|c| c == coder) {
            self.config.coders.push(coder.to_string());
        }
        if changed || before.from.is_empty() {
            write_config(&self.root, &self.config)?;
        }
        Ok(())
    }

    /// Whether `coder` is derived from others (see [`StudyConfig::derived`]).
    pub fn is_derived(&self, coder: &str) -> bool {
        self.config.derived.contains_key(coder)
    }

    /// The study's coders that are not derived: the ones pooled by default.
    pub fn primary_coders(&self) -> Vec<String> {
        self.coders()
            .into_iter()
            .filter(|c| !self.is_derived(c))
            .collect()
    }

    /// Switches the study to another codebook (bundled name or path relative to the study),
    /// after checking that it loads.
    pub fn set_codebook(&mut self, spec: &str) -> Result<(), StudyError> {
        let cb = load_codebook(&self.root, spec)?;
        self.config.codebook = spec.to_string();
        write_config(&self.root, &self.config)?;
        self.codebook = cb;
        Ok(())
    }

    /// Index of the document with this id.
    pub fn doc_index(&self, id: &str) -> Option<usize> {
        self.docs.binary_search_by(|d| d.id.as_str().cmp(id)).ok()
    }

    /// Looks up a paragraph by its id (`<doc>#<n>`).
    pub fn paragraph(&self, para_id: &str) -> Option<ParaRef<'_>> {
        let (doc_id, n) = parse_para_id(para_id)?;
        let doc_index = self.doc_index(doc_id)?;
        let doc = &self.docs[doc_index];
        let para = doc.paragraphs.get((n as usize).checked_sub(1)?)?;
        Some(ParaRef {
            doc_index,
            doc,
            para,
        })
    }

    /// Coders that have a file in `codings/` or are listed in the configuration, sorted.
    pub fn coders(&self) -> Vec<String> {
        let mut out = self.config.coders.clone();
        if let Ok(rd) = fs::read_dir(self.codings_dir()) {
            for e in rd.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                let stem = name
                    .strip_suffix(".yaml")
                    .or_else(|| name.strip_suffix(".journal"));
                if let Some(stem) = stem {
                    if !stem.starts_with('.') {
                        out.push(stem.to_string());
                    }
                }
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Reads and parses `polcode.yaml` in `dir`.
pub fn read_config(dir: &Path) -> Result<StudyConfig, StudyError> {
    let path = dir.join(CONFIG_FILE);
    let text = match fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StudyError::NotAStudy(dir.to_path_buf()))
        }
        Err(e) => return Err(StudyError::io(&path, e)),
    };
    yaml_from_str(&text).map_err(|e| StudyError::yaml(&path, &e))
}

fn write_config(dir: &Path, config: &StudyConfig) -> Result<(), StudyError> {
    let path = dir.join(CONFIG_FILE);
    let yaml = serde_yaml::to_string(config)
        .map_err(|e| StudyError::Invalid(format!("{}: {e}", path.display())))?;
    atomic_write(&path, yaml.as_bytes()).map_err(|e| StudyError::io(&path, e))
}

/// Loads the codebook named in the configuration: a bundled name or a path relative to `dir`.
pub(crate) fn load_codebook(dir: &Path, spec: &str) -> Result<Codebook, StudyError> {
    if let Some(text) = codebook::bundled::get(spec) {
        return Ok(codebook::load_str(text, &format!("<bundled {spec}>"))?);
    }
    let path = dir.join(spec);
    if !path.exists() {
        return Err(StudyError::Invalid(format!(
            "codebook {spec:?} is neither a bundled codebook ({}) nor a file ({})",
            codebook::bundled::NAMES.join(", "),
            path.display()
        )));
    }
    Ok(codebook::load_file(&path)?)
}

/// Loads the region scheme: `nbs2011` (bundled) or a YAML path relative to `dir`.
pub(crate) fn load_scheme(dir: &Path, spec: &str) -> Result<RegionScheme, StudyError> {
    if spec.is_empty() || spec == "nbs2011" {
        return Ok(RegionScheme::nbs2011());
    }
    let path = dir.join(spec);
    let text = fs::read_to_string(&path).map_err(|e| StudyError::io(&path, e))?;
    // from_yaml also maps full province names to the short ones the gazetteer uses.
    RegionScheme::from_yaml(&text).map_err(|e| StudyError::yaml(&path, &e))
}

/// Loads every `documents/*.yaml`, sorted by document id.
pub(crate) fn load_documents(dir: &Path) -> Result<Vec<Document>, StudyError> {
    let docs_dir = dir.join(DOCS_DIR);
    let mut paths = Vec::new();
    match fs::read_dir(&docs_dir) {
        Ok(rd) => {
            for e in rd {
                let e = e.map_err(|e| StudyError::io(&docs_dir, e))?;
                let p = e.path();
                let name = e.file_name().to_string_lossy().into_owned();
                if name.ends_with(".yaml") && !name.starts_with('.') {
                    paths.push(p);
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(StudyError::io(&docs_dir, e)),
    }
    paths.sort();
    // Two halves on two threads: start-up on a large study is mostly this loop.
    let load = |ps: &[std::path::PathBuf]| -> Result<Vec<Document>, StudyError> {
        ps.iter()
            .map(|p| {
                let text = fs::read_to_string(p).map_err(|e| StudyError::io(p, e))?;
                crate::docfile::parse(p, &text)
            })
            .collect()
    };
    let (a, b) = paths.split_at(paths.len() / 2);
    let (ra, rb) = std::thread::scope(|s| {
        let h = s.spawn(|| load(a));
        let rb = load(b);
        (h.join(), rb)
    });
    let mut docs = ra.unwrap_or_else(|p| std::panic::resume_unwind(p))?;
    docs.extend(rb?);
    docs.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(docs)
}

/// What `polcode init` writes to a new study's `.gitignore`: only machine-local files. Coding
/// snapshots *and* journals are committed — a journal holds decisions not yet in its snapshot.
pub(crate) const GITIGNORE: &str = "\
# Written by `polcode init`. Commit polcode.yaml, documents/ and codings/ (both the .yaml
# snapshots and the .journal files: a journal holds decisions not yet in its snapshot).
# Machine-local files, never shared:
codings/*.lock
.*.tmp-*
.polcode/
";

/// Writes [`GITIGNORE`] unless the directory already has a `.gitignore` (a study made inside
/// an existing repository keeps the user's).
fn write_gitignore(dir: &Path) -> Result<(), StudyError> {
    let path = dir.join(".gitignore");
    if path.exists() {
        return Ok(());
    }
    crate::fsutil::atomic_write(&path, GITIGNORE.as_bytes()).map_err(|e| StudyError::io(&path, e))
}
