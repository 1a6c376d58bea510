//! `polcode check`: every problem that can be found in a study, without changing anything —
//! configuration, codebook, documents, each coder's codings (unknown paragraphs and nodes,
//! changed texts, scores off the scale, orphans) and lock state.

use std::collections::HashSet;
use std::path::Path;

use crate::codebook::{self, Codebook};
use crate::store::{self, lock, StorePaths};
use crate::study::{self, Study};

/// What `check` found.
#[derive(Debug, Default, Clone)]
pub struct CheckReport {
    /// Problems: something is wrong and should be fixed.
    pub problems: Vec<String>,
    /// Facts worth knowing that are not problems (locks held, counts).
    pub notes: Vec<String>,
}

impl CheckReport {
    /// Plain text: notes, problems, and a closing line. Control characters inside a message
    /// (they can come from a hostile file: a paragraph id, a node id) are shown as `\u{1b}`,
    /// never sent to the terminal.
    pub fn render(&self) -> String {
        let mut s = String::new();
        for n in &self.notes {
            s.push_str(&format!("note: {}\n", visible(n)));
        }
        for p in &self.problems {
            s.push_str(&format!("problem: {}\n", visible(p)));
        }
        if self.problems.is_empty() {
            s.push_str("ok: no problems found\n");
        } else {
            s.push_str(&format!(
                "{} problem(s) found; nothing was changed\n",
                self.problems.len()
            ));
        }
        s
    }
}

use crate::termsafe::{escape as visible, is_unsafe};

/// Checks the study in `dir`.
pub fn check_study(dir: &Path) -> CheckReport {
    let mut r = CheckReport::default();
    let cfg = match study::read_config(dir) {
        Ok(c) => c,
        Err(e) => {
            r.problems.push(e.to_string());
            return r;
        }
    };
    // The codebook: list every problem, not just the first.
    let cb = match codebook::bundled::get(&cfg.codebook) {
        Some(text) => codebook::load_str(text, &format!("<bundled {}>", cfg.codebook)).ok(),
        None => {
            let p = dir.join(&cfg.codebook);
            match std::fs::read_to_string(&p) {
                Ok(text) => {
                    let origin = p.display().to_string();
                    let problems = codebook::check_str(&text, &origin);
                    r.problems.extend(problems.iter().map(|e| e.to_string()));
                    codebook::load_str(&text, &origin).ok()
                }
                Err(e) => {
                    r.problems.push(format!("codebook {}: {e}", p.display()));
                    None
                }
            }
        }
    };
    let scheme = match study::load_scheme(dir, &cfg.regions) {
        Ok(s) => s,
        Err(e) => {
            r.problems.push(e.to_string());
            crate::corpus::regions::RegionScheme::nbs2011()
        }
    };
    let docs = match study::load_documents(dir) {
        Ok(d) => d,
        Err(e) => {
            r.problems.push(e.to_string());
            return r;
        }
    };
    for d in &docs {
        let m = &d.meta;
        for (field, value) in [
            ("title", &m.title),
            ("issuer", &m.issuer),
            ("doc_number", &m.doc_number),
            ("date", &m.date),
            ("province", &m.province),
            ("city", &m.city),
            ("region", &m.region),
            ("topic", &m.topic),
            ("source_file", &m.source_file),
        ] {
            if value.chars().any(is_unsafe) {
                r.problems.push(format!(
                    "documents/{}.yaml: metadata field {field} contains control characters",
                    d.id
                ));
            }
        }
        // Paragraph numbers out of place are refused by load_documents (docfile::parse).
        for p in &d.paragraphs {
            if crate::fsutil::hash_hex(p.text.as_bytes(), 16) != p.hash {
                r.problems.push(format!(
                    "documents/{}.yaml: paragraph {} text does not match its hash (hand-edited?)",
                    d.id, p.n
                ));
            }
            if p.text.chars().any(is_unsafe) {
                r.problems.push(format!(
                    "documents/{}.yaml: paragraph {} contains control characters",
                    d.id, p.n
                ));
            }
        }
    }
    r.notes.push(format!(
        "{} documents, {} paragraphs",
        docs.len(),
        docs.iter().map(|d| d.paragraphs.len()).sum::<usize>()
    ));
    let Some(cb) = cb else {
        return r;
    };
    let study = Study {
        root: dir.to_path_buf(),
        config: cfg,
        codebook: cb,
        scheme,
        docs,
    };
    for coder in study.coders() {
        check_coder(&study, &coder, &mut r);
    }
    note_temp_files(dir, &mut r);
    r
}

/// Notes temporary files (`.<name>.tmp-<pid>`) left by an atomic replace that was interrupted
/// (a crash, `kill -9`, a full disk). They never hold the only copy of anything: the target
/// file was either not yet replaced or already is. A coder's own are removed by its next
/// session; check only reports them.
fn note_temp_files(dir: &Path, r: &mut CheckReport) {
    for sub in [
        dir.to_path_buf(),
        dir.join(study::DOCS_DIR),
        dir.join(study::CODINGS_DIR),
    ] {
        let Ok(rd) = std::fs::read_dir(&sub) else {
            continue;
        };
        let mut names: Vec<String> = rd
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| {
                n.starts_with('.')
                    && n.rsplit_once(".tmp-").is_some_and(|(_, pid)| {
                        !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
                    })
            })
            .collect();
        names.sort();
        for n in names {
            r.notes.push(format!(
                "{}: temporary file left by an interrupted write (safe to delete)",
                sub.join(n).display()
            ));
        }
    }
}

/// Record numbers above this cannot come from coding (2^53 decisions); `check` reports them.
pub(crate) const SEQ_NEAR_LIMIT: u64 = 1 << 53;

fn check_coder(study: &Study, coder: &str, r: &mut CheckReport) {
    let dir = study.codings_dir();
    let paths = StorePaths::new(&dir, coder);
    match lock::holder(&paths.lock) {
        Ok(Some(h)) => r.notes.push(format!(
            "{} is locked by a running session ({h})",
            paths.lock.display()
        )),
        Ok(None) => {}
        Err(e) => r.problems.push(e.to_string()),
    }
    let (codings, warnings, seq) = match store::read_codings_with_seq(&dir, coder) {
        Ok(x) => x,
        Err(e) => {
            r.problems.push(e.to_string());
            return;
        }
    };
    for w in warnings {
        r.notes.push(w);
    }
    let file = paths.snapshot.display().to_string();
    if seq > SEQ_NEAR_LIMIT {
        r.problems.push(format!(
            "{file}: the record number {seq} is near its limit (2^64-1); no real coding gets \
             past 2^53, so the file was edited by hand; {} more decision(s) can be recorded",
            u64::MAX - seq
        ));
    }
    let known: HashSet<&str> = study.codebook.nodes.iter().map(|n| n.id.as_str()).collect();
    for d in codings.decisions.values() {
        if d.no_code && !d.nodes.is_empty() {
            r.problems.push(format!(
                "{file}: decision on {} is marked \"no code\" but also has nodes {:?}",
                d.para, d.nodes
            ));
        }
        let mut listed = HashSet::new();
        for n in &d.nodes {
            if !listed.insert(n.as_str()) {
                r.problems.push(format!(
                    "{file}: decision on {} lists node {n:?} twice",
                    d.para
                ));
            }
        }
        if d.coder != coder {
            r.problems.push(format!(
                "{file}: decision on {} carries the coder name {:?}, not {coder:?} (copied from \
                 another coder's file?)",
                d.para, d.coder
            ));
        }
        match study.paragraph(&d.para) {
            None => r.problems.push(format!(
                "{file}: decision on {} names a paragraph that does not exist (`polcode reanchor` re-anchors it; statistics and exports already use it where its text is now)",
                d.para
            )),
            Some(p) if p.para.hash != d.hash => r.problems.push(format!(
                "{file}: paragraph {} changed since it was coded (`polcode reanchor` re-anchors it; statistics and exports already use it where its text is now)",
                d.para
            )),
            Some(_) => {}
        }
        for n in &d.nodes {
            if !known.contains(n.as_str()) {
                r.problems.push(format!(
                    "{file}: decision on {} uses unknown node {n:?}",
                    d.para
                ));
            }
        }
        for (n, v) in &d.scores {
            check_score(&study.codebook, &file, &d.para, n, *v, r);
        }
    }
    let non_body: Vec<&str> = codings
        .decisions
        .values()
        .filter(|d| {
            study
                .paragraph(&d.para)
                .is_some_and(|p| p.para.kind != crate::corpus::ParaKind::Body)
        })
        .map(|d| d.para.as_str())
        .collect();
    if !non_body.is_empty() {
        r.notes.push(format!(
            "{file}: {} decision(s) on headings or other non-body lines ({}{}): kept in the \
             file, never counted (non-body lines are not units of coding)",
            non_body.len(),
            non_body[..non_body.len().min(5)].join(", "),
            if non_body.len() > 5 { ", …" } else { "" }
        ));
    }
    if !codings.orphans.is_empty() {
        r.problems.push(format!(
            "{file}: {} orphaned decision(s) whose paragraphs are gone (kept in the file)",
            codings.orphans.len()
        ));
    }
    r.notes.push(format!(
        "coder {coder}: {} decisions",
        codings.decisions.len()
    ));
}

fn check_score(cb: &Codebook, file: &str, para: &str, node: &str, v: i32, r: &mut CheckReport) {
    match cb.get(node).and_then(|n| n.scale.as_ref()) {
        None => r.problems.push(format!(
            "{file}: {para}: score on {node:?}, which has no scale"
        )),
        Some(s) if !s.levels.iter().any(|l| l.value == v) => {
            let (lo, hi) = s.range();
            r.problems.push(format!(
                "{file}: {para}: score {v} on {node:?} is outside {lo}-{hi}"
            ));
        }
        Some(_) => {}
    }
}
