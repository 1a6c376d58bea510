//! Loading and validating codebook YAML; every error names file, line and column.
//!
//! # Format
//!
//! ```yaml
//! name: policy-tools                # required, non-empty
//! description: What it is for.      # optional
//! nodes:                            # the tree; at least one node
//!   - id: supply                    # required, unique in the whole file, no whitespace
//!     name: {en: Supply-side, zh: 供给型}
//!     definition: ...               # optional text fields
//!     include: ...                  #   when to code it
//!     exclude: ...                  #   when not to
//!     examples: [...]               # optional list of example sentences
//!     keywords: [人才, talent]       # matched on raw text (English case-insensitively)
//!     exclude_keywords: [...]       # optional; a hit here counts against the node
//!     color: "#1f77b4"              # optional, #rrggbb
//!     scale:                        # optional ordinal rubric
//!       levels:
//!         - {value: 0, label: none, description: ...}
//!     children:
//!       - id: supply.human-resources  # a dotted id must start with its parent's id
//! ```
//!
//! Unknown fields are errors (a typo such as `keyword:` must not silently drop a list). Nodes
//! are flattened depth-first, parents before children, into [`Codebook::nodes`].
//!
//! Hostile input: libyaml parses without recursion and serde_yaml refuses more than 128 levels
//! of nesting and alias expansion beyond 100 times the document's events; one large scalar
//! aliased thousands of times (which serde_yaml would expand into gigabytes) is refused by
//! [`crate::fsutil::yaml_from_str`]. So alias bombs and 10,000-deep nesting end in an error,
//! not a hang, an abort or a stack overflow.

use std::path::Path;

use serde::{Deserialize, Deserializer};
use thiserror::Error;

use super::locate::{Pos, Source};
use super::validate;
use super::{Codebook, Node, Scale, ScaleLevel};

/// A codebook that could not be loaded, with where.
#[derive(Debug, Error)]
#[error("{origin}:{line}:{column}: {message}")]
pub struct CodebookError {
    pub origin: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl CodebookError {
    pub(crate) fn at(origin: &str, pos: Pos, message: impl Into<String>) -> CodebookError {
        CodebookError {
            origin: origin.to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
        }
    }
}

/// Loads a codebook from YAML text; `origin` names it in errors. Returns the first problem
/// in file order; [`check_str`] lists them all.
pub fn load_str(text: &str, origin: &str) -> Result<Codebook, CodebookError> {
    let (codebook, mut errors) = parse_and_check(text, origin);
    match codebook {
        Some(cb) if errors.is_empty() => Ok(cb),
        _ => Err(errors.remove(0)),
    }
}

/// Every problem in a codebook's YAML text, sorted by position; empty when it is valid.
/// A syntax or structure error stops the check, so it is reported alone.
pub fn check_str(text: &str, origin: &str) -> Vec<CodebookError> {
    parse_and_check(text, origin).1
}

/// Loads a codebook file.
pub fn load_file(path: &Path) -> Result<Codebook, CodebookError> {
    let text = read_text(path)?;
    load_str(&text, &path.display().to_string())
}

/// Every problem in a codebook file (see [`check_str`]).
pub fn check_file(path: &Path) -> Vec<CodebookError> {
    match read_text(path) {
        Ok(text) => check_str(&text, &path.display().to_string()),
        Err(e) => vec![e],
    }
}

fn read_text(path: &Path) -> Result<String, CodebookError> {
    let origin = path.display().to_string();
    let bytes = std::fs::read(path)
        .map_err(|e| CodebookError::at(&origin, Pos::START, format!("cannot read: {e}")))?;
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = good.iter().filter(|b| **b == b'\n').count() + 1;
        let column = good.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        CodebookError::at(
            &origin,
            Pos { line, column },
            "not valid UTF-8 (save the codebook as UTF-8)",
        )
    })
}

fn parse_and_check(text: &str, origin: &str) -> (Option<Codebook>, Vec<CodebookError>) {
    let raw: RawCodebook = match crate::fsutil::yaml_from_str(text) {
        Ok(raw) => raw,
        Err(e) => return (None, vec![yaml_error(&e, text, origin)]),
    };
    let mut codebook = Codebook {
        name: raw.name,
        description: raw.description,
        nodes: Vec::new(),
    };
    let mut seen = std::collections::HashMap::new();
    let mut occurrence = Vec::new();
    flatten(
        raw.nodes,
        None,
        0,
        &mut codebook.nodes,
        &mut occurrence,
        &mut seen,
    );
    let source = Source::new(text);
    let mut errors: Vec<CodebookError> = validate::check(&codebook, &occurrence, &source)
        .into_iter()
        .map(|(pos, msg)| CodebookError::at(origin, pos, msg))
        .collect();
    errors.sort_by_key(|e| (e.line, e.column));
    (Some(codebook), errors)
}

/// Converts a serde_yaml error, keeping its position and dropping the position it repeats in
/// its message.
fn yaml_error(e: &serde_yaml::Error, text: &str, origin: &str) -> CodebookError {
    let mut message = e.to_string();
    if let Some(cut) = message.find(" at line ") {
        message.truncate(cut);
    }
    // An expansion error is raised inside the anchored node being replayed; the alias that
    // asked for it is the place to fix.
    let alias_bomb = message.contains("alias bomb");
    let pos = match e.location() {
        _ if alias_bomb && first_alias(text).is_some() => first_alias(text).unwrap_or(Pos::START),
        Some(loc) => Pos {
            line: loc.line(),
            column: loc.column(),
        },
        None => first_alias(text).unwrap_or(Pos::START),
    };
    if message.contains("repetition limit") {
        message.push_str(" (YAML aliases expand to too much; is this an alias bomb?)");
    } else if message.contains("recursion limit") {
        message.push_str(" (nested too deeply)");
    }
    CodebookError::at(origin, pos, message)
}

/// Where the first `*alias` is used: the best place to point at for alias-expansion errors.
fn first_alias(text: &str) -> Option<Pos> {
    text.lines().enumerate().find_map(|(l, line)| {
        let chars: Vec<char> = line.chars().collect();
        (0..chars.len())
            .find(|&i| {
                chars[i] == '*'
                    && (i == 0 || matches!(chars[i - 1], ' ' | '[' | ','))
                    && chars.get(i + 1).is_some_and(|c| c.is_alphanumeric())
            })
            .map(|i| Pos {
                line: l + 1,
                column: i + 1,
            })
    })
}

/// Appends `raw` and its descendants depth-first; `occurrence[i]` is how many earlier nodes
/// share node `i`'s id, so its source position is that occurrence of `id: ...` in the text.
fn flatten(
    raw: Vec<RawNode>,
    parent: Option<usize>,
    depth: usize,
    out: &mut Vec<Node>,
    occurrence: &mut Vec<usize>,
    seen: &mut std::collections::HashMap<String, usize>,
) {
    for r in raw {
        let index = out.len();
        let count = seen.entry(r.id.clone()).or_insert(0);
        occurrence.push(*count);
        *count += 1;
        out.push(Node {
            id: r.id,
            parent,
            children: Vec::new(),
            depth,
            name_en: r.name.en,
            name_zh: r.name.zh,
            definition: r.definition,
            include: r.include,
            exclude: r.exclude,
            examples: r.examples,
            keywords: r.keywords,
            exclude_keywords: r.exclude_keywords,
            scale: r.scale.map(|s| Scale {
                levels: s
                    .levels
                    .into_iter()
                    .map(|l| ScaleLevel {
                        value: l.value,
                        label: l.label,
                        description: l.description,
                    })
                    .collect(),
            }),
            color: r.color,
        });
        if let Some(p) = parent {
            out[p].children.push(index);
        }
        // serde_yaml's recursion limit bounds `depth` (two levels of YAML per node level).
        flatten(r.children, Some(index), depth + 1, out, occurrence, seen);
    }
}

/// Accepts an empty value (`keywords:` with nothing after it) as the default.
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCodebook {
    name: String,
    #[serde(default, deserialize_with = "null_default")]
    description: String,
    #[serde(default, deserialize_with = "null_default")]
    nodes: Vec<RawNode>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawNode {
    id: String,
    #[serde(default, deserialize_with = "null_default")]
    name: RawName,
    #[serde(default, deserialize_with = "null_default")]
    definition: String,
    #[serde(default, deserialize_with = "null_default")]
    include: String,
    #[serde(default, deserialize_with = "null_default")]
    exclude: String,
    #[serde(default, deserialize_with = "null_default")]
    examples: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    keywords: Vec<String>,
    #[serde(default, deserialize_with = "null_default")]
    exclude_keywords: Vec<String>,
    #[serde(default)]
    scale: Option<RawScale>,
    #[serde(default)]
    color: Option<String>,
    #[serde(default, deserialize_with = "null_default")]
    children: Vec<RawNode>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawName {
    #[serde(default, deserialize_with = "null_default")]
    en: String,
    #[serde(default, deserialize_with = "null_default")]
    zh: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawScale {
    #[serde(default, deserialize_with = "null_default")]
    levels: Vec<RawLevel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevel {
    value: i32,
    label: String,
    #[serde(default, deserialize_with = "null_default")]
    description: String,
}
