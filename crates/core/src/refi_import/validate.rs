//! The checks on a REFI-QDA project that the XSD cannot make: every reference resolves, GUIDs
//! are unique, selections lie inside their source (`0 <= start <= end <= length` in code
//! points), code names are unique among siblings, and sources are plain UTF-8 without BOM/CR.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::qdpx::{read_archive, source_file_key};
use super::xml::{self, Element};
use super::RefiImportError;

const SOURCE_ELEMENTS: &[&str] = &[
    "TextSource",
    "PictureSource",
    "PDFSource",
    "AudioSource",
    "VideoSource",
];

/// Checks `qde` (the text of `project.qde`). `source_lengths` gives the length in code points
/// of each source stored in a file, by source GUID; sources with inline `PlainTextContent` are
/// measured directly. Returns one message per problem; empty means consistent.
pub fn validate_refs(qde: &str, source_lengths: &BTreeMap<String, usize>) -> Vec<String> {
    let root = match xml::parse(qde, "project.qde") {
        Ok(r) => r,
        Err(e) => return vec![e.to_string()],
    };
    let mut problems = Vec::new();
    if root.name != "Project" {
        problems.push(format!("root element is <{}>, not <Project>", root.name));
    }
    let mut kinds: HashMap<&str, HashSet<String>> = HashMap::new();
    let mut all = HashSet::new();
    root.walk(&mut |e: &Element| {
        if let Some(g) = e.attr("guid") {
            let g = g.to_lowercase();
            if !all.insert(g.clone()) {
                problems.push(format!("line {}: GUID {g} used twice", e.line));
            }
            let kind = match e.name.as_str() {
                "Code" => "code",
                "User" => "user",
                "Note" => "note",
                "Variable" => "variable",
                "Case" => "case",
                n if SOURCE_ELEMENTS.contains(&n) => "source",
                n if n.ends_with("Selection") => "selection",
                _ => "other",
            };
            kinds.entry(kind).or_default().insert(g);
        }
    });
    let empty = HashSet::new();
    let set = |k: &str| kinds.get(k).unwrap_or(&empty);
    root.walk(&mut |e: &Element| {
        let target = match e.name.as_str() {
            "CodeRef" | "MemberCode" => Some(("code", set("code"))),
            "NoteRef" | "MemberNote" => Some(("note", set("note"))),
            "SourceRef" | "MemberSource" => Some(("source", set("source"))),
            "VariableRef" => Some(("variable", set("variable"))),
            "SelectionRef" => Some(("selection", set("selection"))),
            _ => None,
        };
        if let Some((kind, known)) = target {
            match e.attr("targetGUID") {
                Some(t) if known.contains(&t.to_lowercase()) => {}
                Some(t) => problems.push(format!(
                    "line {}: {} points to {kind} {t}, which does not exist",
                    e.line, e.name
                )),
                None => problems.push(format!("line {}: {} without targetGUID", e.line, e.name)),
            }
        }
        for a in [
            "creatingUser",
            "modifyingUser",
            "creatingUserGUID",
            "modifyingUserGUID",
        ] {
            if let Some(u) = e.attr(a) {
                if !set("user").contains(&u.to_lowercase()) {
                    problems.push(format!(
                        "line {}: {}@{a} = {u} is not a User",
                        e.line, e.name
                    ));
                }
            }
        }
        if e.name == "Code" || e.name == "Codes" {
            let mut names = HashSet::new();
            for c in e.children_named("Code") {
                let n = c.attr("name").unwrap_or("");
                if !names.insert(n) {
                    problems.push(format!(
                        "line {}: code name {n:?} repeated among siblings",
                        c.line
                    ));
                }
            }
        }
        if e.name == "TextSource" {
            check_selections(e, source_lengths, &mut problems);
        }
    });
    problems
}

fn check_selections(src: &Element, lengths: &BTreeMap<String, usize>, problems: &mut Vec<String>) {
    let g = src.attr("guid").unwrap_or("").to_lowercase();
    let len = match src.child("PlainTextContent") {
        Some(c) => Some(c.text.chars().count()),
        None => lengths.get(&g).copied(),
    };
    for s in src.children_named("PlainTextSelection") {
        let pos = |a: &str| s.attr(a).and_then(|v| v.trim().parse::<i64>().ok());
        match (pos("startPosition"), pos("endPosition")) {
            (Some(a), Some(b)) => {
                if a < 0 || a > b {
                    problems.push(format!("line {}: selection {a}..{b} is reversed", s.line));
                }
                match len {
                    Some(l) if b > l as i64 => problems.push(format!(
                        "line {}: selection ends at {b}, beyond the source's {l} characters",
                        s.line
                    )),
                    Some(_) => {}
                    None => problems.push(format!(
                        "line {}: length of source {g} unknown; selection not checked",
                        s.line
                    )),
                }
            }
            _ => problems.push(format!("line {}: selection positions unreadable", s.line)),
        }
    }
}

/// Checks a whole `.qdpx`: the archive layout, each source file (UTF-8, no BOM, no CR), and
/// [`validate_refs`] with the real source lengths.
pub fn validate_qdpx(bytes: &[u8]) -> Result<Vec<String>, RefiImportError> {
    let arc = read_archive(bytes)?;
    let mut problems = arc.warnings.clone();
    let mut lengths = BTreeMap::new();
    let root = xml::parse(&arc.qde, &arc.qde_name)?;
    root.walk(&mut |e: &Element| {
        if e.name != "TextSource" {
            return;
        }
        let (Some(g), Some(path)) = (e.attr("guid"), e.attr("plainTextPath")) else {
            return;
        };
        match arc.files.get(&source_file_key(path)) {
            Some(b) => match std::str::from_utf8(b) {
                Ok(t) => {
                    if t.starts_with('\u{feff}') {
                        problems.push(format!("{path}: starts with a BOM"));
                    }
                    if t.contains('\r') {
                        problems.push(format!("{path}: contains carriage returns"));
                    }
                    lengths.insert(g.to_lowercase(), t.chars().count());
                }
                Err(_) => problems.push(format!("{path}: not UTF-8")),
            },
            None => problems.push(format!("{path}: missing from the archive")),
        }
    });
    problems.extend(validate_refs(&arc.qde, &lengths));
    Ok(problems)
}
