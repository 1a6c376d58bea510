//! The snapshot `<coder>.yaml`: stable, diff-friendly YAML of a coder's decisions in paragraph
//! order, loaded with file:line:col errors and written by atomic replace.
//!
//! ```yaml
//! coder: li
//! format: 1
//! seq: 1234            # last journal seq folded into this snapshot
//! decisions:
//! - {"para":"01_national_CN_2017_ai-dev-plan#9","hash":"3f2a…","nodes":["supply.human-resources"],…}
//! orphans: []
//! ```
//!
//! One decision per line (YAML flow style, see `crate::flowyaml`): a changed decision is a
//! changed line, two coders' files merge line by line, and loading skips the YAML parser. A
//! snapshot edited by hand in block style still loads, through serde_yaml.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Codings, Decision, Orphan, StoreError};
use crate::corpus::parse_para_id;
use crate::flowyaml;
use crate::fsutil::{atomic_write_with, yaml_from_str};

/// Version of the snapshot layout written by this build.
pub(crate) const FORMAT: u32 = 1;

/// A snapshot read from disk: the codings and the last journal seq they include.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Snapshot {
    pub codings: Codings,
    /// Journal records with a seq at or below this are already in `codings`.
    pub seq: u64,
}

/// The file layout; field order here is the order in the file.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SnapshotFile {
    coder: String,
    format: u32,
    #[serde(default)]
    seq: u64,
    #[serde(default)]
    decisions: Vec<Decision>,
    #[serde(default)]
    orphans: Vec<Orphan>,
}

/// Orders paragraph ids as a reader expects: by document id, then numerically by paragraph
/// number (`d#9` before `d#10`); ids that do not parse sort after, by plain string order.
pub(crate) fn para_order(a: &str, b: &str) -> Ordering {
    match (parse_para_id(a), parse_para_id(b)) {
        (Some((da, na)), Some((db, nb))) => da.cmp(db).then(na.cmp(&nb)),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => a.cmp(b),
    }
}

/// Renders codings as snapshot YAML: decisions in paragraph order, orphans by their old
/// paragraph id, so that a re-written file differs from the old one only where codings did.
pub fn render(codings: &Codings, seq: u64) -> Result<String, serde_yaml::Error> {
    let mut out = Vec::new();
    render_to(&mut out, codings, seq).map_err(<serde_yaml::Error as serde::ser::Error>::custom)?;
    Ok(String::from_utf8(out).expect("the snapshot is UTF-8"))
}

/// [`render`] streamed into `out`. Sorts references, never copies of the decisions: this runs
/// with the whole session in memory (every 500 decisions and on quit).
fn render_to(out: &mut dyn io::Write, codings: &Codings, seq: u64) -> io::Result<()> {
    let mut decisions: Vec<&Decision> = codings.decisions.values().collect();
    decisions.sort_by(|a, b| para_order(&a.para, &b.para));
    let mut orphans: Vec<&Orphan> = codings.orphans.iter().collect();
    orphans.sort_by(|a, b| {
        para_order(&a.decision.para, &b.decision.para)
            .then_with(|| a.decision.at.cmp(&b.decision.at))
    });
    // The header as YAML, then one flow-style line per decision and orphan (crate::flowyaml):
    // plain YAML that merges line by line in git and loads through serde_json.
    let header = serde_yaml::to_string(&Header {
        coder: codings.coder.clone(),
        format: FORMAT,
        seq,
    })
    .map_err(io::Error::other)?;
    out.write_all(header.as_bytes())?;
    flowyaml::write_list_to(out, "decisions", &decisions)?;
    flowyaml::write_list_to(out, "orphans", &orphans)
}

/// The header lines of a snapshot written by polcode.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    coder: String,
    format: u32,
    #[serde(default)]
    seq: u64,
}

/// The fast path for files in the layout [`render`] writes; `None` for anything else.
fn parse_flow(text: &str) -> Option<SnapshotFile> {
    let (header, lists) = flowyaml::split_lists(text, &["decisions", "orphans"])?;
    let h: Header = serde_yaml::from_str(header).ok()?;
    Some(SnapshotFile {
        coder: h.coder,
        format: h.format,
        seq: h.seq,
        decisions: flowyaml::parse_items(&lists[0])?,
        orphans: flowyaml::parse_items(&lists[1])?,
    })
}

/// Writes the snapshot by atomic replace (temp file, permissions kept, fsync, rename, fsync dir).
pub fn write(path: &Path, codings: &Codings, seq: u64) -> Result<(), StoreError> {
    atomic_write_with(path, |w| render_to(w, codings, seq)).map_err(|e| StoreError::io(path, e))
}

/// Reads the snapshot of `coder` at `path`; `None` when the file does not exist. Any syntax or
/// shape problem is [`StoreError::Parse`] with line and column; the file is never touched.
pub fn read(path: &Path, coder: &str) -> Result<Option<Snapshot>, StoreError> {
    let text = match std::fs::read(path) {
        Ok(t) => t,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(StoreError::io(path, e)),
    };
    let text = String::from_utf8(text).map_err(|e| {
        let (line, column) = line_col(e.as_bytes(), e.utf8_error().valid_up_to());
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message: "not valid UTF-8".into(),
        }
    })?;
    parse(path, &text, coder).map(Some)
}

/// Parses snapshot text (see [`read`]); `path` is only used in messages.
pub fn parse(path: &Path, text: &str, coder: &str) -> Result<Snapshot, StoreError> {
    let yaml_err = |e: serde_yaml::Error| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        // The position is already in the error's prefix; do not repeat it.
        let mut message = e.to_string();
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        StoreError::Parse {
            path: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let file = match parse_flow(text) {
        Some(f) => f,
        // Anything else goes through the full parser, guarded against alias bombs (see
        // `fsutil::yaml_from_str`).
        None => yaml_from_str(text).map_err(yaml_err)?,
    };
    let invalid = |message: String| StoreError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if file.format != FORMAT {
        return Err(invalid(format!(
            "snapshot format {} is not supported by this polcode (expects {FORMAT})",
            file.format
        )));
    }
    if file.coder != coder {
        return Err(invalid(format!(
            "snapshot says coder {:?} but the file belongs to coder {coder:?}",
            file.coder
        )));
    }
    let mut codings = Codings {
        coder: file.coder,
        ..Codings::default()
    };
    let mut seen = HashSet::new();
    for d in file.decisions {
        if !seen.insert(d.para.clone()) {
            return Err(invalid(format!(
                "paragraph {} has two decisions (a bad merge?); keep one and reopen",
                d.para
            )));
        }
        codings.decisions.insert(d.para.clone(), d);
    }
    codings.orphans = file.orphans;
    Ok(Snapshot {
        codings,
        seq: file.seq,
    })
}

/// 1-based line and column (in characters) of byte offset `at`.
fn line_col(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[start..]).chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(para: &str) -> Decision {
        Decision {
            para: para.into(),
            hash: "h".into(),
            nodes: vec!["supply".into()],
            no_code: false,
            scores: Default::default(),
            memo: None,
            coder: "wang".into(),
            at: "2024-01-01T00:00:00Z".into(),
            via: Default::default(),
            derived: None,
            found: None,
        }
    }

    #[test]
    fn paragraphs_in_numeric_order() {
        let mut c = Codings {
            coder: "wang".into(),
            ..Default::default()
        };
        for p in ["b#1", "a#10", "a#9", "a#100", "a#2"] {
            c.apply(dec(p));
        }
        let y = render(&c, 3).unwrap();
        let order: Vec<&str> = y
            .lines()
            .filter_map(|l| l.strip_prefix("- {\"para\":\""))
            .map(|l| &l[..l.find('"').unwrap()])
            .collect();
        assert_eq!(order, ["a#2", "a#9", "a#10", "a#100", "b#1"]);
        assert!(
            y.starts_with("coder: wang\nformat: 1\nseq: 3\ndecisions:\n"),
            "{y}"
        );
        let back = parse(Path::new("x.yaml"), &y, "wang").unwrap();
        assert_eq!(back.codings, c);
        assert_eq!(back.seq, 3);
    }

    #[test]
    fn syntax_error_has_line_and_column() {
        let y = "coder: wang\nformat: 1\ndecisions:\n- para: a#1\n  hash: [unclosed\n";
        match parse(Path::new("c/wang.yaml"), y, "wang").unwrap_err() {
            StoreError::Parse { line, column, .. } => assert!(line >= 5 && column > 0),
            e => panic!("wrong error {e}"),
        }
    }

    #[test]
    fn wrong_coder_duplicate_and_unknown_field_are_refused() {
        let y = "coder: li\nformat: 1\ndecisions: []\n";
        let e = parse(Path::new("wang.yaml"), y, "wang")
            .unwrap_err()
            .to_string();
        assert!(e.contains("wang.yaml") && e.contains("\"li\""), "{e}");
        let mut c = Codings {
            coder: "wang".into(),
            ..Default::default()
        };
        c.apply(dec("a#1"));
        let y = render(&c, 0).unwrap();
        let dup = y.replace(
            "orphans:",
            &format!(
                "{}orphans:",
                &y[y.find("- {\"para\"").unwrap()..y.find("orphans:").unwrap()]
            ),
        );
        let e = parse(Path::new("wang.yaml"), &dup, "wang")
            .unwrap_err()
            .to_string();
        assert!(e.contains("two decisions"), "{e}");
        let e = parse(
            Path::new("wang.yaml"),
            "coder: wang\nformat: 1\nextra: 1\n",
            "wang",
        )
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("wang.yaml:3:"), "{e}");
    }

    #[test]
    fn invalid_utf8_is_located() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("wang.yaml");
        std::fs::write(&p, b"coder: wang\nformat: 1\n# \xff\n").unwrap();
        match read(&p, "wang").unwrap_err() {
            StoreError::Parse { line, column, .. } => assert_eq!((line, column), (3, 3)),
            e => panic!("wrong error {e}"),
        }
    }
}
