//! Reading a REFI-QDA project (`.qdpx`): the archive, users, codebook, sources with their
//! variables, selections with their codes, coders and memos.
//!
//! Exporter quirks handled (each one reported in [`QdpxImport::warnings`]):
//! - the root `*.qde` not named `project.qde`;
//! - a source starting with a BOM, or with CRLF line ends. Source text is normalised (BOM
//!   removed, CRLF/CR → LF) and selection positions are converted to it. Whether the exporter
//!   counted the BOM and the CRs is decided per source by evidence: the selection's stored text
//!   (`name`, which polcode and several exporters fill) where present, otherwise how many
//!   selections start and end on line boundaries. A selection whose stored text is still not at
//!   its position is moved to the nearest occurrence of that text, and reported.

use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

use super::qdc::{codebook_from, ImportedCodebook};
use super::xml::{self, Element};
use super::RefiImportError;
use crate::export::qdpx::{NO_CODE_LINE, SCORE_PREFIX};

/// The files of a `.qdpx` archive.
#[derive(Debug, Clone, Default)]
pub(crate) struct Archive {
    pub qde_name: String,
    pub qde: String,
    /// Every other file by lower-cased path.
    pub files: BTreeMap<String, Vec<u8>>,
    pub warnings: Vec<String>,
}

/// Largest single entry read from a `.qdpx` (a project file or one source text).
pub(crate) const MAX_ENTRY_BYTES: u64 = 512 << 20;
/// Largest total unpacked size of a `.qdpx`.
pub(crate) const MAX_TOTAL_BYTES: u64 = 2048 << 20;

/// Reads the archive and finds its project file.
pub(crate) fn read_archive(bytes: &[u8]) -> Result<Archive, RefiImportError> {
    read_archive_limited(bytes, MAX_ENTRY_BYTES, MAX_TOTAL_BYTES)
}

fn read_archive_limited(
    bytes: &[u8],
    max_entry: u64,
    max_total: u64,
) -> Result<Archive, RefiImportError> {
    let mut total: u64 = 0;
    let mut z = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| RefiImportError::Zip(e.to_string()))?;
    let mut arc = Archive::default();
    let mut qdes: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..z.len() {
        let mut f = z
            .by_index(i)
            .map_err(|e| RefiImportError::Zip(e.to_string()))?;
        if f.is_dir() {
            continue;
        }
        let name = f.name().replace('\\', "/");
        let mut buf = Vec::new();
        // Read at most the limit (plus one byte to notice going over): a zip bomb must not
        // exhaust memory, whatever sizes its headers claim.
        (&mut f)
            .take(max_entry + 1)
            .read_to_end(&mut buf)
            .map_err(|e| RefiImportError::Zip(format!("{name}: {e}")))?;
        if buf.len() as u64 > max_entry {
            return Err(RefiImportError::Zip(format!(
                "{name}: unpacks to more than {max_entry} bytes; refusing it (zip bomb?)"
            )));
        }
        total = total.saturating_add(buf.len() as u64);
        if total > max_total {
            return Err(RefiImportError::Zip(format!(
                "the archive unpacks to more than {max_total} bytes; refusing it (zip bomb?)"
            )));
        }
        if name.to_lowercase().ends_with(".qde") {
            qdes.push((name, buf));
        } else {
            arc.files.insert(name.to_lowercase(), buf);
        }
    }
    // project.qde at the root first, then any root *.qde, then one in a folder.
    qdes.sort_by_key(|(n, _)| (n != "project.qde", n.contains('/'), n.clone()));
    let (name, buf) = qdes
        .first()
        .cloned()
        .ok_or_else(|| RefiImportError::Zip("no .qde project file in the archive".into()))?;
    if name != "project.qde" {
        arc.warnings.push(format!(
            "the project file is named {name:?}, not \"project.qde\"; read it anyway"
        ));
    }
    if qdes.len() > 1 {
        arc.warnings.push(format!(
            "{} .qde files in the archive; read {name:?}",
            qdes.len()
        ));
    }
    arc.qde = decode(&buf, &name, &mut arc.warnings);
    arc.qde_name = name;
    Ok(arc)
}

fn decode(buf: &[u8], name: &str, warnings: &mut Vec<String>) -> String {
    match String::from_utf8(buf.to_vec()) {
        Ok(s) => s,
        Err(_) => {
            warnings.push(format!("{name}: not valid UTF-8; bad bytes replaced"));
            String::from_utf8_lossy(buf).into_owned()
        }
    }
}

/// The archive path a `plainTextPath` points to, lower-cased: `internal://x.txt` →
/// `sources/x.txt`; other schemes fall back to the file name inside `sources/`.
pub(crate) fn source_file_key(path: &str) -> String {
    let p = path.trim();
    let rest = match p.strip_prefix("internal://") {
        Some(r) => r,
        None => p.rsplit(['/', '\\']).next().unwrap_or(p),
    };
    format!("sources/{}", rest.to_lowercase())
}

/// One selection as imported, positions converted to the normalised source text.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedSelection {
    pub guid: String,
    /// Start and end (exclusive) in code points of [`ImportedSource::text`].
    pub start: usize,
    pub end: usize,
    /// The positions as written in the file.
    pub raw_start: i64,
    pub raw_end: i64,
    /// The selection's stored text (`name` attribute), if the exporter wrote one.
    pub stored_text: Option<String>,
    /// Coder name (the `creatingUser`, resolved through `Users`).
    pub coder: String,
    /// GUIDs of the codes applied.
    pub codes: Vec<String>,
    /// Texts of the notes attached to the selection or its codings, joined by blank lines.
    pub memo: Option<String>,
    /// polcode's explicit "no code" mark (from the selection's description).
    pub no_code: bool,
    /// polcode rubric scores by node id (from the selection's description).
    pub scores: BTreeMap<String, i32>,
    /// `creationDateTime` of the selection (or of its first coding).
    pub at: Option<String>,
}

/// One text source: normalised text, variables, selections.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ImportedSource {
    pub guid: String,
    pub name: String,
    /// UTF-8 text, BOM removed, line ends LF.
    pub text: String,
    /// Variable name → value, from the source and the cases that refer to it.
    pub variables: BTreeMap<String, String>,
    pub selections: Vec<ImportedSelection>,
    /// Selections whose positions did not fit the text at all, as messages.
    pub invalid: Vec<String>,
}

/// Everything read from a `.qdpx`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct QdpxImport {
    pub project_name: String,
    pub qde_name: String,
    pub origin: String,
    /// `(guid, name)` of every user.
    pub users: Vec<(String, String)>,
    pub codebook: ImportedCodebook,
    pub sources: Vec<ImportedSource>,
    pub warnings: Vec<String>,
}

/// Reads a `.qdpx` archive.
pub fn import_qdpx(bytes: &[u8]) -> Result<QdpxImport, RefiImportError> {
    let mut arc = read_archive(bytes)?;
    let root = xml::parse(&arc.qde, &arc.qde_name)?;
    if root.name != "Project" {
        return Err(RefiImportError::Format {
            file: arc.qde_name.clone(),
            message: format!("root element is <{}>, expected <Project>", root.name),
        });
    }
    let users: Vec<(String, String)> = root
        .child("Users")
        .map(|u| {
            u.children_named("User")
                .map(|e| {
                    let g = e.attr("guid").unwrap_or("").to_lowercase();
                    let n = e.attr("name").or(e.attr("id")).unwrap_or(&g).to_string();
                    (g, n)
                })
                .collect()
        })
        .unwrap_or_default();
    let user_names: HashMap<String, String> = users.iter().cloned().collect();
    let var_names: HashMap<String, String> = root
        .child("Variables")
        .map(|v| {
            v.children_named("Variable")
                .map(|e| {
                    let g = e.attr("guid").unwrap_or("").to_lowercase();
                    (g, e.attr("name").unwrap_or("").to_string())
                })
                .collect()
        })
        .unwrap_or_default();
    let mut warnings = std::mem::take(&mut arc.warnings);
    let notes = read_notes(&root, &arc, &mut warnings);
    let case_vars = case_variables(&root, &var_names);
    let mut sources = Vec::new();
    if let Some(srcs) = root.child("Sources") {
        for s in srcs.children_named("TextSource") {
            let ctx = Ctx {
                users: &user_names,
                notes: &notes,
                vars: &var_names,
            };
            if let Some(src) = read_source(s, &arc, &ctx, &case_vars, &mut warnings) {
                sources.push(src);
            }
        }
        let other = srcs
            .children
            .iter()
            .filter(|c| c.name != "TextSource")
            .count();
        if other > 0 {
            warnings.push(format!(
                "{other} non-text sources (pictures, PDF, audio, video) skipped"
            ));
        }
    }
    Ok(QdpxImport {
        project_name: root.attr("name").unwrap_or("").to_string(),
        qde_name: arc.qde_name.clone(),
        origin: root.attr("origin").unwrap_or("").to_string(),
        users,
        codebook: root
            .child("CodeBook")
            .map(codebook_from)
            .unwrap_or_default(),
        sources,
        warnings,
    })
}

struct Ctx<'a> {
    users: &'a HashMap<String, String>,
    notes: &'a HashMap<String, String>,
    vars: &'a HashMap<String, String>,
}

fn read_notes(
    root: &Element,
    arc: &Archive,
    warnings: &mut Vec<String>,
) -> HashMap<String, String> {
    let mut out = HashMap::new();
    for n in root
        .child("Notes")
        .into_iter()
        .flat_map(|n| n.children_named("Note"))
    {
        let g = n.attr("guid").unwrap_or("").to_lowercase();
        let text = match (n.child("PlainTextContent"), n.attr("plainTextPath")) {
            (Some(c), _) => c.text.clone(),
            (None, Some(p)) => match arc.files.get(&source_file_key(p)) {
                Some(b) => normalise(&decode(b, p, warnings)).0,
                None => {
                    warnings.push(format!("note {g}: file {p} missing"));
                    continue;
                }
            },
            (None, None) => String::new(),
        };
        out.insert(g, text);
    }
    out
}

fn value_of(vv: &Element) -> Option<String> {
    vv.children
        .iter()
        .find(|c| c.name.ends_with("Value"))
        .map(|c| c.text.trim().to_string())
}

fn values(el: &Element, names: &HashMap<String, String>) -> Vec<(String, String)> {
    el.children_named("VariableValue")
        .filter_map(|vv| {
            let g = vv.child("VariableRef")?.attr("targetGUID")?.to_lowercase();
            Some((names.get(&g)?.clone(), value_of(vv)?))
        })
        .collect()
}

/// Variable values of cases, keyed by the GUID of each source the case refers to.
fn case_variables(
    root: &Element,
    names: &HashMap<String, String>,
) -> HashMap<String, Vec<(String, String)>> {
    let mut out: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for c in root
        .child("Cases")
        .into_iter()
        .flat_map(|c| c.children_named("Case"))
    {
        let vals = values(c, names);
        for r in c.children_named("SourceRef") {
            if let Some(t) = r.attr("targetGUID") {
                out.entry(t.to_lowercase())
                    .or_default()
                    .extend(vals.iter().cloned());
            }
        }
    }
    out
}

/// BOM removed, CRLF and lone CR to LF. Also returns (had BOM, had CR).
pub(crate) fn normalise(raw: &str) -> (String, bool, bool) {
    let bom = raw.starts_with('\u{feff}');
    let body = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    let cr = body.contains('\r');
    (body.replace("\r\n", "\n").replace('\r', "\n"), bom, cr)
}

fn read_source(
    s: &Element,
    arc: &Archive,
    ctx: &Ctx<'_>,
    case_vars: &HashMap<String, Vec<(String, String)>>,
    warnings: &mut Vec<String>,
) -> Option<ImportedSource> {
    let g = s.attr("guid").unwrap_or("").to_lowercase();
    let name = s.attr("name").unwrap_or(&g).to_string();
    let raw = match (s.child("PlainTextContent"), s.attr("plainTextPath")) {
        (Some(c), _) => c.text.clone(),
        (None, Some(p)) => match arc.files.get(&source_file_key(p)) {
            Some(b) => decode(b, p, warnings),
            None => {
                warnings.push(format!("source {name:?}: file {p} missing from the archive; skipped with its selections"));
                return None;
            }
        },
        (None, None) => {
            warnings.push(format!("source {name:?} has no text; skipped"));
            return None;
        }
    };
    let (text, bom, cr) = normalise(&raw);
    if bom {
        warnings.push(format!("source {name:?} starts with a BOM; removed"));
    }
    if cr {
        warnings.push(format!("source {name:?} has CR line ends; converted to LF"));
    }
    let mut variables = BTreeMap::new();
    for (k, v) in case_vars
        .get(&g)
        .into_iter()
        .flatten()
        .chain(values(s, ctx.vars).iter())
    {
        variables.insert(k.clone(), v.clone());
    }
    let sels: Vec<ImportedSelection> = s
        .children_named("PlainTextSelection")
        .map(|e| read_selection(e, ctx))
        .collect();
    let mut src = ImportedSource {
        guid: g,
        name,
        text,
        variables,
        selections: Vec::new(),
        invalid: Vec::new(),
    };
    super::offsets::place(&raw, &mut src, sels, warnings);
    Some(src)
}

fn read_selection(e: &Element, ctx: &Ctx<'_>) -> ImportedSelection {
    let pos = |a: &str| {
        e.attr(a)
            .and_then(|v| v.trim().parse::<i64>().ok())
            .unwrap_or(-1)
    };
    let codings: Vec<&Element> = e.children_named("Coding").collect();
    let user = e
        .attr("creatingUser")
        .or_else(|| codings.iter().find_map(|c| c.attr("creatingUser")))
        .map(str::to_lowercase);
    let coder = match user {
        Some(u) => ctx.users.get(&u).cloned().unwrap_or(u),
        None => "imported".to_string(),
    };
    let mut note_refs: Vec<&Element> = e.children_named("NoteRef").collect();
    note_refs.extend(codings.iter().flat_map(|c| c.children_named("NoteRef")));
    let mut memos: Vec<String> = Vec::new();
    for r in note_refs {
        if let Some(t) = r
            .attr("targetGUID")
            .and_then(|g| ctx.notes.get(&g.to_lowercase()))
        {
            if !t.trim().is_empty() && !memos.contains(t) {
                memos.push(t.clone());
            }
        }
    }
    let desc = e
        .child("Description")
        .map(|d| d.text.as_str())
        .unwrap_or("");
    let mut scores = BTreeMap::new();
    for line in desc.lines() {
        if let Some((n, v)) = line
            .strip_prefix(SCORE_PREFIX)
            .and_then(|r| r.split_once('='))
        {
            if let Ok(v) = v.trim().parse() {
                scores.insert(n.trim().to_string(), v);
            }
        }
    }
    ImportedSelection {
        guid: e.attr("guid").unwrap_or("").to_lowercase(),
        start: 0,
        end: 0,
        raw_start: pos("startPosition"),
        raw_end: pos("endPosition"),
        stored_text: e.attr("name").filter(|n| !n.is_empty()).map(str::to_string),
        coder,
        codes: codings
            .iter()
            .filter_map(|c| c.child("CodeRef")?.attr("targetGUID"))
            .map(str::to_lowercase)
            .collect(),
        memo: (!memos.is_empty()).then(|| memos.join("\n\n")),
        no_code: desc.lines().any(|l| l.trim() == NO_CODE_LINE),
        scores,
        at: e
            .attr("creationDateTime")
            .or_else(|| codings.iter().find_map(|c| c.attr("creationDateTime")))
            .map(str::to_string),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default();
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn entries_past_the_limit_are_refused_not_read_whole() {
        let bytes = zip_of(&[
            ("project.qde", b"<Project/>".to_vec()),
            ("sources/a.txt", vec![b'a'; 5000]),
        ]);
        let e = read_archive_limited(&bytes, 1024, 1 << 20)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("sources/a.txt") && e.contains("zip bomb"), "{e}");
        let e = read_archive_limited(&bytes, 1 << 20, 2048)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("the archive unpacks to more than"), "{e}");
        assert!(read_archive_limited(&bytes, 1 << 20, 1 << 20).is_ok());
    }
}
