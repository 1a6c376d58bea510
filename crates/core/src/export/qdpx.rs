//! The whole study as a REFI-QDA project (`.qdpx`): `project.qde` plus `sources/<guid>.txt`.
//!
//! Layout of `project.qde` (namespace `urn:QDA-XML:project:1.0`, valid against Project.xsd):
//! - `Users`: one `User` per coder, guid = UUIDv5 of the coder name.
//! - `CodeBook`: the codebook's `Code` tree (see [`super::qdc`]).
//! - `Variables` + `Cases`: document metadata (doc_id, title, region, level, province, city, date,
//!   year, issuer, doc_number, kind, topic). One `Case` per document carries the values and a
//!   `SourceRef` (NVivo/ATLAS.ti read case attributes); the same values are also written on the
//!   `TextSource` (MAXQDA/QualCoder read document variables there). Empty values are left out.
//! - `Sources`: one `TextSource` per document, text in `sources/<guid>.txt` (UTF-8, no BOM,
//!   `\n`) = [`Document::text`]. Each decision becomes one `PlainTextSelection` per coder and
//!   paragraph, positions in code points from 0, end exclusive, `name` = the paragraph text
//!   exactly (importers can verify offsets with it), `creatingUser` = the coder, and one
//!   `Coding`/`CodeRef` per chosen node. A no-code mark and rubric scores are written in the
//!   selection's `Description` as `polcode: no code` and `polcode score: <node>=<value>` lines.
//! - `Notes`: each memo is a `Note` referenced by a `NoteRef` on its selection.
//!
//! Nothing depends on the clock: times are the decisions' own timestamps and the zip entries
//! carry the fixed DOS epoch, so two exports of the same study are byte-identical.

use std::io::{Cursor, Write};

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::qdc::{origin, write_codes};
use super::rows::doc_variables;
use super::{code_guid, guid, tick, user_guid, ExportError, Progress};
use crate::codebook::Codebook;
use crate::corpus::Document;
use crate::store::{Codings, Decision};
use crate::xmltext as xml;

/// Namespace of REFI-QDA project files.
pub(crate) const PROJECT_NS: &str = "urn:QDA-XML:project:1.0";
/// Selection description line marking an explicit "no code" decision.
pub(crate) const NO_CODE_LINE: &str = "polcode: no code";
/// Selection description line prefix carrying a rubric score (`<node>=<value>`).
pub(crate) const SCORE_PREFIX: &str = "polcode score: ";

/// What to include in a project export.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QdpxOptions {
    /// Write memos as notes.
    pub memos: bool,
    /// Write document metadata as variables on cases and sources.
    pub variables: bool,
}

impl Default for QdpxOptions {
    fn default() -> Self {
        QdpxOptions {
            memos: true,
            variables: true,
        }
    }
}

/// The parts of a project before zipping.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectXml {
    /// The text of `project.qde`.
    pub qde: String,
    /// `(source guid, text)` for every `sources/<guid>.txt`.
    pub sources: Vec<(String, String)>,
    /// Decisions or node references that could not be exported, one message each.
    pub skipped: Vec<String>,
}

/// Normalises an RFC 3339 timestamp to `xsd:dateTime` in UTC (`2024-05-01T08:00:00Z`).
pub(crate) fn xsd_datetime(at: &str) -> Option<String> {
    let t = OffsetDateTime::parse(at.trim(), &Rfc3339).ok()?;
    let t = t.to_offset(UtcOffset::UTC);
    Some(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    ))
}

fn selection_key(coder: &str, para: &str) -> String {
    format!("{coder}\u{1f}{para}")
}

/// Builds `project.qde` and the source texts of a study.
pub fn project_qde(
    study_name: &str,
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    opts: &QdpxOptions,
    mut progress: Progress<'_>,
) -> ProjectXml {
    let mut coders: Vec<&Codings> = codings.iter().collect();
    coders.sort_by(|a, b| a.coder.cmp(&b.coder));
    let mut skipped = Vec::new();
    let times: Vec<String> = coders
        .iter()
        .flat_map(|c| c.decisions.values())
        .filter_map(|d| xsd_datetime(&d.at))
        .collect();
    let mut q = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    q.push_str(&format!(
        "<Project xmlns=\"{PROJECT_NS}\" name=\"{}\" origin=\"{}\"",
        xml::attr(study_name),
        xml::attr(&origin())
    ));
    if let (Some(first), Some(last)) = (times.iter().min(), times.iter().max()) {
        q.push_str(&format!(
            " creationDateTime=\"{first}\" modifiedDateTime=\"{last}\""
        ));
    }
    q.push_str(">\n");
    if !coders.is_empty() {
        q.push_str("\t<Users>\n");
        for c in &coders {
            q.push_str(&format!(
                "\t\t<User guid=\"{}\" name=\"{}\" id=\"{}\"/>\n",
                user_guid(&c.coder),
                xml::attr(&c.coder),
                xml::attr(&c.coder)
            ));
        }
        q.push_str("\t</Users>\n");
    }
    if !codebook.nodes.is_empty() {
        q.push_str("\t<CodeBook>\n");
        write_codes(&mut q, codebook, 2);
        q.push_str("\t</CodeBook>\n");
    }
    let vars: Vec<Vec<(&str, String)>> = docs
        .iter()
        .map(|d| {
            doc_variables(&d.id, &d.meta)
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .collect()
        })
        .collect();
    if opts.variables && !docs.is_empty() {
        write_variables(&mut q, docs, &vars);
    }
    let mut notes: Vec<(String, &Decision)> = Vec::new();
    let mut sources = Vec::new();
    if !docs.is_empty() {
        q.push_str("\t<Sources>\n");
    }
    for (di, doc) in docs.iter().enumerate() {
        tick(&mut progress, di, docs.len());
        let sg = guid("source", &doc.id);
        let name = if doc.meta.title.is_empty() {
            &doc.id
        } else {
            &doc.meta.title
        };
        q.push_str(&format!(
            "\t\t<TextSource guid=\"{sg}\" name=\"{}\" plainTextPath=\"internal://{sg}.txt\">\n",
            xml::attr(name)
        ));
        let mut start = 0usize;
        for p in &doc.paragraphs {
            let len = p.text.chars().count();
            let pid = doc.para_id(p.n);
            for c in &coders {
                if let Some(d) = c.decisions.get(&pid) {
                    let memo = write_selection(&mut q, codebook, d, &p.text, start, len, opts);
                    skipped.extend(unknown_nodes(codebook, d));
                    if let Some(note_guid) = memo {
                        notes.push((note_guid, d));
                    }
                }
            }
            start += len + 1;
        }
        if opts.variables {
            write_values(&mut q, "\t\t\t", &vars[di]);
        }
        q.push_str("\t\t</TextSource>\n");
        sources.push((sg, doc.text()));
    }
    if !docs.is_empty() {
        q.push_str("\t</Sources>\n");
    }
    tick(&mut progress, docs.len(), docs.len());
    if !notes.is_empty() {
        q.push_str("\t<Notes>\n");
        for (ng, d) in &notes {
            write_note(&mut q, ng, d);
        }
        q.push_str("\t</Notes>\n");
    }
    q.push_str("</Project>\n");
    skipped.extend(missing_paragraphs(docs, &coders));
    ProjectXml {
        qde: q,
        sources,
        skipped,
    }
}

fn unknown_nodes(codebook: &Codebook, d: &Decision) -> Vec<String> {
    d.nodes
        .iter()
        .filter(|n| codebook.index(n).is_none())
        .map(|n| {
            format!(
                "{} {}: node {n:?} is not in the codebook; coding left out",
                d.coder, d.para
            )
        })
        .collect()
}

fn missing_paragraphs(docs: &[Document], coders: &[&Codings]) -> Vec<String> {
    let known: std::collections::HashSet<String> = docs
        .iter()
        .flat_map(|d| d.paragraphs.iter().map(|p| d.para_id(p.n)))
        .collect();
    let mut out = Vec::new();
    for c in coders {
        for (pid, _) in c.decisions.iter().filter(|(k, _)| !known.contains(*k)) {
            out.push(format!(
                "{} {pid}: paragraph not in the study; decision left out",
                c.coder
            ));
        }
        for o in &c.orphans {
            out.push(format!(
                "{} {}: orphan ({}); left out",
                c.coder, o.decision.para, o.reason
            ));
        }
    }
    out
}

/// Writes one selection; returns the GUID of its note when it carries a memo.
fn write_selection(
    q: &mut String,
    codebook: &Codebook,
    d: &Decision,
    text: &str,
    start: usize,
    len: usize,
    opts: &QdpxOptions,
) -> Option<String> {
    let key = selection_key(&d.coder, &d.para);
    let ug = user_guid(&d.coder);
    let at = xsd_datetime(&d.at);
    let at_attr = at
        .as_deref()
        .map(|t| format!(" creationDateTime=\"{t}\""))
        .unwrap_or_default();
    q.push_str(&format!(
        "\t\t\t<PlainTextSelection guid=\"{}\" name=\"{}\" startPosition=\"{start}\" endPosition=\"{}\" creatingUser=\"{ug}\"{at_attr}>\n",
        guid("selection", &key),
        xml::attr(text),
        start + len
    ));
    let mut desc: Vec<String> = Vec::new();
    if d.no_code {
        desc.push(NO_CODE_LINE.to_string());
    }
    for (node, v) in &d.scores {
        desc.push(format!("{SCORE_PREFIX}{node}={v}"));
    }
    if !desc.is_empty() {
        q.push_str(&format!(
            "\t\t\t\t<Description>{}</Description>\n",
            xml::text(&desc.join("\n"))
        ));
    }
    for node in d.nodes.iter().filter(|n| codebook.index(n).is_some()) {
        q.push_str(&format!(
            "\t\t\t\t<Coding guid=\"{}\" creatingUser=\"{ug}\"{at_attr}>\n\t\t\t\t\t<CodeRef targetGUID=\"{}\"/>\n\t\t\t\t</Coding>\n",
            guid("coding", &format!("{key}\u{1f}{node}")),
            code_guid(node)
        ));
    }
    let has_memo = opts.memos && d.memo.as_deref().is_some_and(|m| !m.is_empty());
    let note = has_memo.then(|| guid("note", &key));
    if let Some(ng) = &note {
        q.push_str(&format!("\t\t\t\t<NoteRef targetGUID=\"{ng}\"/>\n"));
    }
    q.push_str("\t\t\t</PlainTextSelection>\n");
    note
}

fn write_note(q: &mut String, ng: &str, d: &Decision) {
    let at = xsd_datetime(&d.at)
        .map(|t| format!(" creationDateTime=\"{t}\""))
        .unwrap_or_default();
    q.push_str(&format!(
        "\t\t<Note guid=\"{ng}\" name=\"{}\" creatingUser=\"{}\"{at}>\n\t\t\t<PlainTextContent>{}</PlainTextContent>\n\t\t</Note>\n",
        xml::attr(&format!("Memo {} {}", d.coder, d.para)),
        user_guid(&d.coder),
        xml::text(d.memo.as_deref().unwrap_or(""))
    ));
}

fn write_variables(q: &mut String, docs: &[Document], vars: &[Vec<(&str, String)>]) {
    q.push_str("\t<Variables>\n");
    for (name, _) in doc_variables("", &Default::default()) {
        let ty = if name == "year" { "Integer" } else { "Text" };
        q.push_str(&format!(
            "\t\t<Variable guid=\"{}\" name=\"{name}\" typeOfVariable=\"{ty}\"/>\n",
            guid("variable", name)
        ));
    }
    q.push_str("\t</Variables>\n\t<Cases>\n");
    for (doc, v) in docs.iter().zip(vars) {
        q.push_str(&format!(
            "\t\t<Case guid=\"{}\" name=\"{}\">\n",
            guid("case", &doc.id),
            xml::attr(&doc.id)
        ));
        write_values(q, "\t\t\t", v);
        q.push_str(&format!(
            "\t\t\t<SourceRef targetGUID=\"{}\"/>\n\t\t</Case>\n",
            guid("source", &doc.id)
        ));
    }
    q.push_str("\t</Cases>\n");
}

fn write_values(q: &mut String, pad: &str, vars: &[(&str, String)]) {
    for (name, value) in vars {
        let (el, val) = match (*name, value.parse::<i64>()) {
            ("year", Ok(y)) => ("IntegerValue", y.to_string()),
            _ => ("TextValue", xml::text(value)),
        };
        q.push_str(&format!(
            "{pad}<VariableValue>\n{pad}\t<VariableRef targetGUID=\"{}\"/>\n{pad}\t<{el}>{val}</{el}>\n{pad}</VariableValue>\n",
            guid("variable", name)
        ));
    }
}

/// The `.qdpx` archive of a study: `project.qde` and `sources/<guid>.txt`, deflated, with fixed
/// entry times so the bytes depend only on the study.
pub fn project_qdpx(
    study_name: &str,
    codebook: &Codebook,
    docs: &[Document],
    codings: &[Codings],
    opts: &QdpxOptions,
    progress: Progress<'_>,
) -> Result<Vec<u8>, ExportError> {
    let p = project_qde(study_name, codebook, docs, codings, opts, progress);
    zip_project(&p)
}

/// Zips a built project.
pub fn zip_project(p: &ProjectXml) -> Result<Vec<u8>, ExportError> {
    let zerr = |e: zip::result::ZipError| ExportError::Invalid(format!("zip: {e}"));
    let ioerr = |e: std::io::Error| ExportError::Invalid(format!("zip: {e}"));
    let mut z = ZipWriter::new(Cursor::new(Vec::new()));
    let o = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    z.start_file("project.qde", o).map_err(zerr)?;
    z.write_all(p.qde.as_bytes()).map_err(ioerr)?;
    for (g, text) in &p.sources {
        z.start_file(format!("sources/{g}.txt"), o).map_err(zerr)?;
        z.write_all(text.as_bytes()).map_err(ioerr)?;
    }
    let cur = z.finish().map_err(zerr)?;
    Ok(cur.into_inner())
}
